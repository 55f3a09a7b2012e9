/*
 * cli/workers.h - worker processes: requests out, replies back in order
 *
 * SYNOPSIS	BounceWorkers *bounce_workers_start (guint n, BounceWorkFunc func,
 *						     gpointer data, GError **error);
 *		void bounce_workers_submit (BounceWorkers *w, GByteArray *request);
 *		GByteArray *bounce_workers_next (BounceWorkers *w, gboolean wait,
 *						 GError **error);
 *		guint bounce_workers_in_flight (const BounceWorkers *w);
 *		gboolean bounce_workers_stop (BounceWorkers *w, GError **error);
 * DESCRIPTION	Forks N copies of the calling process.  Each reads requests
 *		from its socket, calls FUNC (REQUEST, REPLY, DATA) and sends
 *		REPLY back.  Requests go to the least busy worker; next() hands
 *		the replies out in the order the requests were submitted:
 *		what one process returns, whatever the number of workers.
 *		Processes, not threads: GObject construction takes locks and
 *		shares allocator state, and one process per core runs GMime
 *		without them.
 *		submit() queues and never waits; the caller bounds what is in
 *		flight (in_flight()) and takes replies with next(): with WAIT
 *		it blocks until the oldest reply is there; without, NULL when
 *		it is not there yet.  Sockets are non-blocking on this side,
 *		so a worker that waits to send a reply never stalls a request.
 *		A worker that dies is an error of next(): the caller stops.
 *		stop() closes the sockets and reaps the workers; FALSE when
 *		one did not exit 0.  Call it (or free) before the process
 *		exits.
 * CHILD	FUNC runs in the child only; the child leaves with _exit(), so
 *		the parent's stdio buffers, atexit handlers and open databases
 *		are never touched there.  Fork before opening anything a child
 *		must not share, or leave it alone in FUNC.
 * OWNERSHIP	submit() takes REQUEST; next() returns a reply the caller
 *		frees (g_byte_array_unref).
 */
#ifndef BOUNCE_CLI_WORKERS_H
#define BOUNCE_CLI_WORKERS_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct BounceWorkers BounceWorkers;

typedef void (*BounceWorkFunc) (const guint8 *request, gsize len, GByteArray *reply, gpointer data);

BounceWorkers *bounce_workers_start (guint n, BounceWorkFunc func, gpointer data, GError **error);
void           bounce_workers_submit (BounceWorkers *w, GByteArray *request);
GByteArray    *bounce_workers_next (BounceWorkers *w, gboolean wait, GError **error);
guint          bounce_workers_in_flight (const BounceWorkers *w);
gboolean       bounce_workers_stop (BounceWorkers *w, GError **error);
void           bounce_workers_free (BounceWorkers *w);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceWorkers, bounce_workers_free)

G_END_DECLS

#endif
