/*
 * pipeline/maildir.c - deliver one message into a Maildir (the quarantine)
 *
 * DESCRIPTION	See maildir.h.  The tmp -> new protocol: a reader of new/
 *		never sees a partly written message.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>

#include "pipeline/maildir.h"

#define MAX_TRIES 16

static gboolean
io_error (GError **error, int err, const char *what, const char *path)
{
	g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err), "%s %s: %s", what, path,
		     g_strerror (err));
	return FALSE;
}

static gboolean
make_dir (const char *path, GError **error)
{
	struct stat st;

	if (g_mkdir_with_parents (path, 0700) != 0)
		return io_error (error, errno, "cannot create", path);
	if (stat (path, &st) != 0)
		return io_error (error, errno, "cannot stat", path);
	if (!S_ISDIR (st.st_mode))
		return io_error (error, ENOTDIR, "not a directory:", path);
	return TRUE;
}

/* The host name as Maildir wants it: "/" and ":" escaped as octal. */
static char *
maildir_host (void)
{
	GString *s = g_string_new (NULL);

	for (const char *p = g_get_host_name (); *p; p++) {
		if (*p == '/')
			g_string_append (s, "\\057");
		else if (*p == ':')
			g_string_append (s, "\\072");
		else if ((guchar) *p > 0x20 && (guchar) *p < 0x7f)
			g_string_append_c (s, *p);
	}
	if (s->len == 0)
		g_string_append (s, "localhost");
	return g_string_free (s, FALSE);
}

static gboolean
sync_dir (const char *path)
{
	int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	gboolean ok;

	if (fd < 0)
		return FALSE;
	ok = fsync (fd) == 0 || errno == EINVAL;
	close (fd);
	return ok;
}

gboolean
bounce_maildir_deliver (const char *dir, const char *data, gsize len, char **path, GError **error)
{
	static guint counter;
	g_autofree char *tmpdir = g_build_filename (dir, "tmp", NULL);
	g_autofree char *newdir = g_build_filename (dir, "new", NULL);
	g_autofree char *curdir = g_build_filename (dir, "cur", NULL);
	g_autofree char *host = maildir_host ();
	g_autofree char *tmp_path = NULL, *new_path = NULL;
	int fd = -1, tries;

	if (!make_dir (dir, error) || !make_dir (tmpdir, error) || !make_dir (newdir, error) ||
	    !make_dir (curdir, error))
		return FALSE;

	for (tries = 0; tries < MAX_TRIES; tries++) {
		gint64 now = g_get_real_time ();
		g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT ".M%06dP%dQ%u.%s",
							 now / G_USEC_PER_SEC,
							 (int) (now % G_USEC_PER_SEC),
							 (int) getpid (),
							 g_atomic_int_add (&counter, 1) + 1, host);

		g_free (tmp_path);
		g_free (new_path);
		tmp_path = g_build_filename (tmpdir, name, NULL);
		new_path = g_build_filename (newdir, name, NULL);
		if (g_file_test (new_path, G_FILE_TEST_EXISTS))
			continue;
		fd = open (tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0)
			break;
		if (errno != EEXIST)
			return io_error (error, errno, "cannot create", tmp_path);
	}
	if (fd < 0)
		return io_error (error, EEXIST, "no unique name in", tmpdir);

	for (gsize done = 0; done < len;) {
		ssize_t n = write (fd, data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : EIO;
			close (fd);
			unlink (tmp_path);
			return io_error (error, err, "cannot write", tmp_path);
		}
		done += n;
	}
	if (fsync (fd) != 0 || close (fd) != 0) {
		int err = errno;
		unlink (tmp_path);
		return io_error (error, err, "cannot sync", tmp_path);
	}
	if (link (tmp_path, new_path) == 0) {
		unlink (tmp_path);
	} else if (errno == EEXIST) {
		int err = errno;
		unlink (tmp_path);
		return io_error (error, err, "cannot deliver to", new_path);
	} else if (rename (tmp_path, new_path) != 0) {	/* no hard links here */
		int err = errno;
		unlink (tmp_path);
		return io_error (error, err, "cannot deliver to", new_path);
	}
	if (!sync_dir (newdir))
		return io_error (error, errno, "cannot sync", newdir);
	if (path != NULL)
		*path = g_steal_pointer (&new_path);
	return TRUE;
}
