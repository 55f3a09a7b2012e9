/*
 * cli/workers.c - worker processes: requests out, replies back in order
 *
 * DESCRIPTION	See workers.h.  One socketpair per worker carries both
 *		directions; every message on it is a frame: a 32-bit length
 *		in host order, then that many bytes.  A request goes to the
 *		worker with the fewest requests unanswered; each worker
 *		answers in the order it was asked, so the reply to request K
 *		is the next reply of the worker it went to (a queue keeps
 *		which one that was).
 *		The parent's sockets are non-blocking and served by one
 *		poll(): while it waits for the reply it needs, it keeps
 *		sending queued requests and reading every other reply.
 *		Writes use MSG_NOSIGNAL: a peer that is gone is an error
 *		return, never SIGPIPE.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bounce-error.h"
#include "cli/workers.h"

#define READ_CHUNK (64 * 1024)

typedef struct {
	pid_t       pid;
	int         fd;		/* -1 once closed */
	GQueue      out;	/* GByteArray *: framed requests not yet sent */
	gsize       out_done;	/* bytes of the first one sent */
	GByteArray *in;		/* bytes received, not yet cut into replies */
	gsize       in_done;
	GQueue      replies;	/* GByteArray *, complete, in order */
	guint       busy;	/* requests sent whose replies are not taken yet */
	gboolean    gone;	/* end of file or a socket error */
} Worker;

struct BounceWorkers {
	guint    n;
	Worker  *workers;
	GQueue   owners;	/* the worker of each request whose reply is not taken, in order */
	gboolean stopped;
};

/* In a worker: the table it was forked with, never freed there. */
static BounceWorkers *volatile in_child;

/* Child side: blocking I/O on one socket. */
static gboolean
read_full (int fd, void *buf, gsize len, gboolean *eof)
{
	guint8 *p = buf;
	gsize done = 0;

	*eof = FALSE;
	while (done < len) {
		ssize_t n = read (fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*eof = n == 0 && done == 0;
			return FALSE;
		}
		done += n;
	}
	return TRUE;
}

static gboolean
send_full (int fd, const guint8 *p, gsize len)
{
	while (len > 0) {
		ssize_t n = send (fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FALSE;
		p += n;
		len -= n;
	}
	return TRUE;
}

/* A worker's life: answer requests until the parent closes its end. */
static int
child_loop (int fd, BounceWorkFunc func, gpointer data)
{
	g_autoptr(GByteArray) request = g_byte_array_new ();
	g_autoptr(GByteArray) reply = g_byte_array_new ();

	for (;;) {
		guint32 len;
		gboolean eof;

		if (!read_full (fd, &len, sizeof len, &eof))
			return eof ? 0 : 1;
		g_byte_array_set_size (request, len);
		if (!read_full (fd, request->data, len, &eof))
			return 1;
		g_byte_array_set_size (reply, sizeof len);	/* room for the length */
		func (request->data, len, reply, data);
		len = reply->len - sizeof len;
		memcpy (reply->data, &len, sizeof len);
		if (!send_full (fd, reply->data, reply->len))
			return 1;
	}
}

BounceWorkers *
bounce_workers_start (guint n, BounceWorkFunc func, gpointer data, GError **error)
{
	g_autoptr(BounceWorkers) w = g_new0 (BounceWorkers, 1);

	g_return_val_if_fail (n > 0, NULL);
	w->workers = g_new0 (Worker, n);
	for (guint i = 0; i < n; i++)
		w->workers[i].fd = -1;
	/* stdio buffers would be copied into each child; empty them first */
	fflush (NULL);
	for (guint i = 0; i < n; i++) {
		Worker *k = &w->workers[i];
		int sv[2];

		if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
			int err = errno;
			g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_IO,
				     "worker processes: socketpair: %s", g_strerror (err));
			return NULL;
		}
		k->pid = fork ();
		if (k->pid < 0) {
			int err = errno;
			close (sv[0]);
			close (sv[1]);
			g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_IO,
				     "worker processes: fork: %s", g_strerror (err));
			return NULL;
		}
		if (k->pid == 0) {
			/* the other workers' sockets stay open in the parent only,
			 * or they would not see the end of their input */
			for (guint j = 0; j < i; j++)
				close (w->workers[j].fd);
			close (sv[0]);
			in_child = g_steal_pointer (&w);	/* still referenced at _exit */
			_exit (child_loop (sv[1], func, data));
		}
		close (sv[1]);
		k->fd = sv[0];
		w->n = i + 1;
		fcntl (k->fd, F_SETFL, fcntl (k->fd, F_GETFL) | O_NONBLOCK);
		g_queue_init (&k->out);
		k->in = g_byte_array_new ();
		g_queue_init (&k->replies);
	}
	return g_steal_pointer (&w);
}

/* Cut complete frames off the front of K's input. */
static void
cut_replies (Worker *k)
{
	guint32 len;

	while (k->in->len - k->in_done >= sizeof len) {
		GByteArray *reply;

		memcpy (&len, k->in->data + k->in_done, sizeof len);
		if (k->in->len - k->in_done - sizeof len < len)
			break;
		reply = g_byte_array_sized_new (len);
		g_byte_array_append (reply, k->in->data + k->in_done + sizeof len, len);
		g_queue_push_tail (&k->replies, reply);
		k->in_done += sizeof len + len;
	}
	if (k->in_done > 0 && k->in_done == k->in->len) {
		g_byte_array_set_size (k->in, 0);
		k->in_done = 0;
	} else if (k->in_done > READ_CHUNK) {
		g_byte_array_remove_range (k->in, 0, k->in_done);
		k->in_done = 0;
	}
}

static void
receive (Worker *k)
{
	for (;;) {
		gsize at = k->in->len;
		ssize_t n;

		g_byte_array_set_size (k->in, at + READ_CHUNK);
		n = read (k->fd, k->in->data + at, READ_CHUNK);
		g_byte_array_set_size (k->in, at + MAX (n, 0));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			k->gone = TRUE;
			break;
		}
	}
	cut_replies (k);
}

static void
transmit (Worker *k)
{
	GByteArray *head;

	while ((head = g_queue_peek_head (&k->out)) != NULL) {
		ssize_t n = send (k->fd, head->data + k->out_done, head->len - k->out_done,
				  MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			k->gone = TRUE;
			return;
		}
		k->out_done += n;
		if (k->out_done == head->len) {
			g_byte_array_unref (g_queue_pop_head (&k->out));
			k->out_done = 0;
		}
	}
}

/* One round of I/O on every live socket; waits up to TIMEOUT ms (-1: until
 * something happens). */
static void
pump (BounceWorkers *w, int timeout)
{
	struct pollfd fds[w->n];
	int r;

	for (guint i = 0; i < w->n; i++) {
		Worker *k = &w->workers[i];

		fds[i].fd = k->gone ? -1 : k->fd;
		fds[i].events = POLLIN | (g_queue_is_empty (&k->out) ? 0 : POLLOUT);
		fds[i].revents = 0;
	}
	do
		r = poll (fds, w->n, timeout);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return;
	for (guint i = 0; i < w->n; i++) {
		Worker *k = &w->workers[i];

		if (fds[i].revents & POLLOUT)
			transmit (k);
		if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
			receive (k);
	}
}

static guint
unanswered (const Worker *k)
{
	return k->busy - k->replies.length;
}

void
bounce_workers_submit (BounceWorkers *w, GByteArray *request)
{
	guint pick = 0;
	Worker *k;
	guint32 len = request->len;

	/* the worker with the fewest requests unanswered: one that drew slow
	 * messages gets fewer, and all finish together */
	for (guint i = 1; i < w->n; i++)
		if (unanswered (&w->workers[i]) < unanswered (&w->workers[pick]))
			pick = i;
	k = &w->workers[pick];
	k->busy++;
	g_queue_push_tail (&w->owners, GUINT_TO_POINTER (pick));
	g_byte_array_prepend (request, (const guint8 *) &len, sizeof len);
	g_queue_push_tail (&k->out, request);
	if (!k->gone)
		transmit (k);
}

guint
bounce_workers_in_flight (const BounceWorkers *w)
{
	return w->owners.length;
}

/* Why worker K is gone, once it is: reaps it. */
static void
set_gone_error (Worker *k, guint i, GError **error)
{
	int status = 0;
	pid_t r;

	if (k->fd >= 0)
		close (k->fd);	/* a live worker then sees the end of its input */
	k->fd = -1;
	do
		r = waitpid (k->pid, &status, 0);
	while (r < 0 && errno == EINTR);
	if (r > 0)
		k->pid = 0;
	if (r > 0 && WIFSIGNALED (status))
		g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_IO,
			     "worker process %u ended by signal %d (%s)", i + 1,
			     WTERMSIG (status), g_strsignal (WTERMSIG (status)));
	else if (r > 0 && WIFEXITED (status))
		g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_IO,
			     "worker process %u ended early (exit %d)", i + 1, WEXITSTATUS (status));
	else
		g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_IO,
			     "worker process %u: connection lost", i + 1);
}

GByteArray *
bounce_workers_next (BounceWorkers *w, gboolean wait, GError **error)
{
	guint i;
	Worker *k;

	if (g_queue_is_empty (&w->owners))
		return NULL;
	i = GPOINTER_TO_UINT (g_queue_peek_head (&w->owners));
	k = &w->workers[i];
	for (gboolean polled = FALSE;; polled = TRUE) {
		if (!g_queue_is_empty (&k->replies)) {
			k->busy--;
			g_queue_pop_head (&w->owners);
			return g_queue_pop_head (&k->replies);
		}
		if (k->gone) {
			set_gone_error (k, i, error);
			return NULL;
		}
		if (polled && !wait)
			return NULL;
		pump (w, wait ? -1 : 0);
	}
}

gboolean
bounce_workers_stop (BounceWorkers *w, GError **error)
{
	gboolean ok = TRUE;

	if (w->stopped)
		return TRUE;
	w->stopped = TRUE;
	for (guint i = 0; i < w->n; i++) {
		Worker *k = &w->workers[i];

		if (k->fd >= 0)
			close (k->fd);
		k->fd = -1;
	}
	for (guint i = 0; i < w->n; i++) {
		Worker *k = &w->workers[i];
		int status;
		pid_t r;

		if (k->pid <= 0)
			continue;
		do
			r = waitpid (k->pid, &status, 0);
		while (r < 0 && errno == EINTR);
		k->pid = 0;
		if (ok && (r < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)) {
			ok = FALSE;
			g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_IO,
				     "worker process %u did not end cleanly", i + 1);
		}
	}
	return ok;
}

void
bounce_workers_free (BounceWorkers *w)
{
	if (w == NULL)
		return;
	bounce_workers_stop (w, NULL);
	for (guint i = 0; i < w->n; i++) {
		Worker *k = &w->workers[i];

		g_queue_clear_full (&k->out, (GDestroyNotify) g_byte_array_unref);
		g_byte_array_unref (k->in);
		g_queue_clear_full (&k->replies, (GDestroyNotify) g_byte_array_unref);
	}
	g_queue_clear (&w->owners);
	g_free (w->workers);
	g_free (w);
}
