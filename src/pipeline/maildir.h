/*
 * pipeline/maildir.h - deliver one message into a Maildir (the quarantine)
 *
 * SYNOPSIS	gboolean bounce_maildir_deliver (const char *dir, const char *data,
 *						 gsize len, char **path,
 *						 GError **error);
 * DESCRIPTION	Creates DIR and its tmp/, new/ and cur/ (mode 0700) when
 *		missing, writes DATA to a new file in tmp/ under a unique
 *		name (TIME.M<usec>P<pid>Q<n>.<host>), syncs it, links it into
 *		new/ (rename where the file system cannot link), removes the
 *		tmp/ name and syncs new/: the message is either wholly in
 *		new/ or not there at all.
 * ERRORS	G_IO_ERROR with the errno of the failing step.
 * OWNERSHIP	*path (may be NULL) receives the delivered file's path.
 */
#ifndef BOUNCE_PIPELINE_MAILDIR_H
#define BOUNCE_PIPELINE_MAILDIR_H

#include <glib.h>

G_BEGIN_DECLS

gboolean bounce_maildir_deliver (const char *dir, const char *data, gsize len,
				 char **path, GError **error);

G_END_DECLS

#endif
