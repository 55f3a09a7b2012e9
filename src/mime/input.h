/*
 * mime/input.h - where messages come from: stdin, files, mboxes, Maildirs, directories
 *
 * SYNOPSIS	GPtrArray *bounce_input_expand (char **paths, GError **error);
 *		BounceSource *bounce_source_open (const char *path, gsize max_message,
 *						  GError **error);
 *		gboolean bounce_source_next (BounceSource *src, BounceMessageRef *ref,
 *					     GError **error);
 * DESCRIPTION	bounce_input_expand() turns command-line paths into the list of
 *		files to read, in a stable order: "-" stays "-" (stdin), a
 *		Maildir gives the files of new/ and cur/, any other directory
 *		its files (recursively, dot-files and tmp/ skipped), sorted.
 *		A source reads one file (or stdin) in chunks: an mbox (first
 *		line "From ") yields one message per "From " line that follows
 *		a blank line, its "From " line removed; anything else yields
 *		one message.  An mbox with old-Mac CR-only line ends is split
 *		on CR (its line ends handed out as LF).  Memory is bounded by the largest message, capped
 *		at MAX_MESSAGE bytes (the rest skipped, ref->truncated set).
 * OWNERSHIP	ref->data is borrowed from the source until the next call.
 */
#ifndef BOUNCE_INPUT_H
#define BOUNCE_INPUT_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct BounceSource BounceSource;

typedef struct {
	const char *data;	/* the message, without an mbox "From " line */
	gsize       len;
	guint       index;	/* 1-based number of the message in its file */
	gint64      offset;	/* byte offset of the message in an mbox, else -1 */
	gboolean    truncated;	/* larger than the limit: cut */
} BounceMessageRef;

GPtrArray    *bounce_input_expand (char **paths, GError **error);
BounceSource *bounce_source_open (const char *path, gsize max_message, GError **error);
gboolean      bounce_source_next (BounceSource *src, BounceMessageRef *ref, GError **error);
gboolean      bounce_source_is_mbox (const BounceSource *src);
guint64       bounce_source_bytes_read (const BounceSource *src);
void          bounce_source_free (BounceSource *src);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceSource, bounce_source_free)

G_END_DECLS

#endif
