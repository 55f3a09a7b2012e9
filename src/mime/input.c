/*
 * mime/input.c - read messages from stdin, files, mboxes, Maildirs, directories
 *
 * DESCRIPTION	See input.h.  A source keeps one buffer; messages are found
 *		with memchr/memmem over it and handed out in place.  The buffer
 *		is compacted before it grows, so an mbox of any size is read in
 *		memory bounded by its largest message (itself capped).
 * LIMITS	max_message bytes per message; chunks of 256 KiB.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bounce-error.h"
#include "mime/input.h"

#define CHUNK (256 * 1024)

struct BounceSource {
	int         fd;
	gboolean    own_fd;
	GByteArray *buf;
	gsize       start;		/* where the next message begins in buf */
	gsize       scanned;	/* boundary search resumes here */
	guint64     buf_offset;	/* file offset of buf[0], less the bytes dropped */
	guint64     dropped;	/* bytes cut out of over-long messages */
	guint64     bytes_read;
	gsize       max;
	gboolean    eof;
	gboolean    started;
	gboolean    mbox;
	gboolean    cr_only;	/* old Mac line ends: bare CR made LF as read */
	gboolean    finished;
	guint       index;
	char       *path;
};

static gboolean
is_dir (const char *path)
{
	return g_file_test (path, G_FILE_TEST_IS_DIR);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
list_dir (const char *dir, GPtrArray *out, guint depth, GError **error)
{
	g_autoptr(GDir) d = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
	const char *name;
	g_autofree char *cur = g_build_filename (dir, "cur", NULL);
	g_autofree char *new_ = g_build_filename (dir, "new", NULL);

	if (depth > 16)
		return TRUE;
	if (is_dir (cur) && is_dir (new_)) {
		/* a Maildir: new/ then cur/, tmp/ never */
		return list_dir (new_, out, depth + 1, error) && list_dir (cur, out, depth + 1, error);
	}
	d = g_dir_open (dir, 0, error);
	if (d == NULL)
		return FALSE;
	while ((name = g_dir_read_name (d)) != NULL) {
		if (name[0] == '.')
			continue;
		g_ptr_array_add (names, g_strdup (name));
	}
	g_ptr_array_sort (names, compare_names);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
		if (is_dir (path)) {
			if (strcmp (g_ptr_array_index (names, i), "tmp") == 0)
				continue;
			if (!list_dir (path, out, depth + 1, error))
				return FALSE;
		} else {
			g_ptr_array_add (out, g_steal_pointer (&path));
		}
	}
	return TRUE;
}

GPtrArray *
bounce_input_expand (char **paths, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

	if (paths == NULL || paths[0] == NULL) {
		g_ptr_array_add (out, g_strdup ("-"));
		return g_steal_pointer (&out);
	}
	for (char **p = paths; *p != NULL; p++) {
		if (strcmp (*p, "-") != 0 && is_dir (*p)) {
			if (!list_dir (*p, out, 0, error))
				return NULL;
		} else {
			g_ptr_array_add (out, g_strdup (*p));
		}
	}
	return g_steal_pointer (&out);
}

BounceSource *
bounce_source_open (const char *path, gsize max_message, GError **error)
{
	BounceSource *src;
	int fd;

	if (strcmp (path, "-") == 0) {
		fd = STDIN_FILENO;
	} else {
		fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
		if (fd < 0) {
			int saved = errno;
			g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
				     "%s: %s", path, g_strerror (saved));
			return NULL;
		}
	}
	src = g_new0 (BounceSource, 1);
	src->fd = fd;
	src->own_fd = fd != STDIN_FILENO;
	src->buf = g_byte_array_sized_new (CHUNK);
	src->max = max_message;
	src->path = g_strdup (path);
	return src;
}

void
bounce_source_free (BounceSource *src)
{
	if (src == NULL)
		return;
	if (src->own_fd)
		close (src->fd);
	g_byte_array_unref (src->buf);
	g_free (src->path);
	g_free (src);
}

gboolean
bounce_source_is_mbox (const BounceSource *src)
{
	return src->mbox;
}

guint64
bounce_source_bytes_read (const BounceSource *src)
{
	return src->bytes_read;
}

/* Read one more chunk; FALSE with error on failure. Sets eof at end. */
static gboolean
fill (BounceSource *src, GError **error)
{
	gsize old = src->buf->len;
	gssize n;

	if (src->eof)
		return TRUE;
	/* drop what was handed out before growing */
	if (src->start > 0 && src->start >= old / 2) {
		memmove (src->buf->data, src->buf->data + src->start, old - src->start);
		g_byte_array_set_size (src->buf, old - src->start);
		src->buf_offset += src->start;
		src->scanned -= MIN (src->scanned, src->start);
		src->start = 0;
		old = src->buf->len;
	}
	g_byte_array_set_size (src->buf, old + CHUNK);
	do
		n = read (src->fd, src->buf->data + old, CHUNK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int saved = errno;
		g_byte_array_set_size (src->buf, old);
		g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_IO, "%s: read: %s", src->path,
			     g_strerror (saved));
		return FALSE;
	}
	g_byte_array_set_size (src->buf, old + n);
	src->bytes_read += n;
	if (src->cr_only) {
		/* bare CR becomes LF; a CR before LF (a CRLF that slipped in) stays */
		for (gsize i = old; i < old + n; i++)
			if (src->buf->data[i] == '\r' && (i + 1 >= old + n || src->buf->data[i + 1] != '\n'))
				src->buf->data[i] = '\n';
	}
	if (n == 0)
		src->eof = TRUE;
	return TRUE;
}

/* Position of the next "From " line that follows a blank line, at or after from; -1 if none. */
static gssize
find_boundary (const guint8 *data, gsize len, gsize from)
{
	gsize i = from;

	while (i + 5 < len) {
		const guint8 *nl = memchr (data + i, '\n', len - i);
		gsize at;

		if (nl == NULL)
			return -1;
		at = nl - data + 1;
		if (at + 5 > len)
			return -1;
		if (memcmp (data + at, "From ", 5) == 0) {
			/* the line before must be empty: "\n\n" or "\n\r\n" */
			gsize b = nl - data;
			if (b > 0 && data[b - 1] == '\r')
				b--;
			if (b > 0 && data[b - 1] == '\n')
				return at;
			if (b == 0)
				return at;
		}
		i = at;
	}
	return -1;
}

static gboolean
next_single (BounceSource *src, BounceMessageRef *ref, GError **error)
{
	gboolean truncated = FALSE;

	while (!src->eof) {
		if (!fill (src, error))
			return FALSE;
		if (src->buf->len > src->max) {
			truncated = TRUE;
			g_byte_array_set_size (src->buf, src->max);
			break;
		}
	}
	src->finished = TRUE;
	if (src->buf->len == 0)
		return FALSE;
	ref->data = (const char *) src->buf->data;
	ref->len = src->buf->len;
	ref->index = ++src->index;
	ref->offset = -1;
	ref->truncated = truncated;
	return TRUE;
}

static gboolean
next_mbox (BounceSource *src, BounceMessageRef *ref, GError **error)
{
	gboolean truncated = FALSE;
	gsize body;
	gssize boundary;
	guint64 offset = src->buf_offset + src->dropped + src->start;

	for (;;) {
		const guint8 *data = src->buf->data;
		gsize len = src->buf->len;
		const guint8 *nl;

		if (src->start >= len) {
			if (src->eof)
				return FALSE;
			if (!fill (src, error))
				return FALSE;
			continue;
		}
		nl = memchr (data + src->start, '\n', len - src->start);
		if (nl == NULL && !src->eof) {
			if (!fill (src, error))
				return FALSE;
			continue;
		}
		body = nl ? (gsize) (nl - data) + 1 : len;
		if (src->scanned < body)
			src->scanned = body;
		boundary = find_boundary (data, len, src->scanned > body + 8 ? src->scanned - 8 : body);
		if (boundary >= 0 || src->eof)
			break;
		src->scanned = len;
		if (len - body > src->max + CHUNK) {
			/* too large: keep the first max bytes, drop the middle */
			gsize keep = body + src->max;
			gsize tail = 8;
			memmove (src->buf->data + keep, src->buf->data + len - tail, tail);
			src->dropped += len - tail - keep;
			g_byte_array_set_size (src->buf, keep + tail);
			src->scanned = keep;
			truncated = TRUE;
		}
		if (!fill (src, error))
			return FALSE;
	}
	if (boundary < 0)
		boundary = src->buf->len;
	ref->data = (const char *) src->buf->data + body;
	ref->len = boundary - body;
	if (ref->len > src->max) {
		ref->len = src->max;
		truncated = TRUE;
	}
	ref->index = ++src->index;
	ref->offset = offset;
	ref->truncated = truncated;
	src->start = boundary;
	src->scanned = boundary;
	return TRUE;
}

gboolean
bounce_source_next (BounceSource *src, BounceMessageRef *ref, GError **error)
{
	if (src->finished)
		return FALSE;
	if (!src->started) {
		while (src->buf->len < 5 && !src->eof)
			if (!fill (src, error))
				return FALSE;
		src->started = TRUE;
		src->mbox = src->buf->len >= 5 && memcmp (src->buf->data, "From ", 5) == 0;
		if (src->mbox) {
			/* an mbox with CR-only line ends: split it on CR as on LF */
			gsize head = MIN (src->buf->len, 4096);
			if (memchr (src->buf->data, '\n', head) == NULL &&
			    memchr (src->buf->data, '\r', head) != NULL) {
				src->cr_only = TRUE;
				for (gsize i = 0; i < src->buf->len; i++)
					if (src->buf->data[i] == '\r' &&
					    (i + 1 >= src->buf->len || src->buf->data[i + 1] != '\n'))
						src->buf->data[i] = '\n';
			}
		}
	}
	if (!src->mbox)
		return next_single (src, ref, error);
	return next_mbox (src, ref, error);
}
