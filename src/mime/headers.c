/*
 * mime/headers.c - a header block kept as text, its fields found by name
 *
 * DESCRIPTION	See headers.h.  One pass over the block records each
 *		field's name and value as offsets; a look-up compares names
 *		(length first, then ASCII case folded) over that short array.
 * LIMITS	at most MAX_FIELDS fields are indexed (the rest are ignored);
 *		the block is read up to its first empty line.
 */
#include "config.h"

#include <string.h>

#include "mime/gmime-compat.h"
#include "mime/headers.h"

#define MAX_FIELDS 1000

typedef struct {
	guint name;		/* offsets into the block */
	guint name_len;
	guint value;		/* just past the colon */
	guint value_end;	/* the end of the field's last line */
	char *raw;		/* unfolded, made on first use */
	char *decoded;		/* RFC 2047-decoded, valid UTF-8, made on first use */
} Field;

struct _BounceHeaders {
	char   *block;
	GArray *fields;		/* Field */
};

static gboolean
field_name_char (guchar c)
{
	return c > ' ' && c < 0x7f && c != ':';
}

static void
index_block (BounceHeaders *h, gsize len)
{
	const char *text = h->block;
	gsize pos = 0;
	Field *last = NULL;

	while (pos < len) {
		const char *eol = memchr (text + pos, '\n', len - pos);
		gsize end = eol ? (gsize) (eol - text) : len;	/* the line without its LF */
		gsize line_end = end > pos && text[end - 1] == '\r' ? end - 1 : end;
		gsize n = 0;

		if (line_end == pos)
			break;	/* the empty line that ends the block */
		if (text[pos] == ' ' || text[pos] == '\t') {
			if (last != NULL)
				last->value_end = line_end;
		} else {
			while (pos + n < line_end && field_name_char (text[pos + n]))
				n++;
			/* "Name:" or "Name :" (obsolete syntax); anything else is no field */
			gsize colon = pos + n;
			while (colon < line_end && (text[colon] == ' ' || text[colon] == '\t'))
				colon++;
			last = NULL;
			if (n > 0 && colon < line_end && text[colon] == ':' && h->fields->len < MAX_FIELDS) {
				Field f = { .name = pos, .name_len = n, .value = colon + 1, .value_end = line_end };
				g_array_append_val (h->fields, f);
				last = &g_array_index (h->fields, Field, h->fields->len - 1);
			}
		}
		pos = end + 1;
	}
}

BounceHeaders *
bounce_headers_new (const char *block, gsize len)
{
	BounceHeaders *h = g_new0 (BounceHeaders, 1);

	len = MIN (len, G_MAXUINT - 1);
	h->block = g_strndup (block, len);
	h->fields = g_array_sized_new (FALSE, FALSE, sizeof (Field), 32);
	index_block (h, len);
	return h;
}

void
bounce_headers_free (BounceHeaders *headers)
{
	if (headers == NULL)
		return;
	for (guint i = 0; i < headers->fields->len; i++) {
		Field *f = &g_array_index (headers->fields, Field, i);
		g_free (f->raw);
		g_free (f->decoded);
	}
	g_array_free (headers->fields, TRUE);
	g_free (headers->block);
	g_free (headers);
}

guint
bounce_headers_count (const BounceHeaders *headers)
{
	return headers->fields->len;
}

static Field *
find (BounceHeaders *h, const char *name)
{
	gsize n = strlen (name);

	for (guint i = 0; i < h->fields->len; i++) {
		Field *f = &g_array_index (h->fields, Field, i);
		if (f->name_len == n && g_ascii_strncasecmp (h->block + f->name, name, n) == 0)
			return f;
	}
	return NULL;
}

const char *
bounce_headers_raw (BounceHeaders *headers, const char *name)
{
	Field *f = find (headers, name);

	if (f == NULL)
		return NULL;
	if (f->raw == NULL) {
		g_autofree char *folded = g_strndup (headers->block + f->value, f->value_end - f->value);
		f->raw = g_mime_utils_header_unfold (folded);
	}
	return f->raw;
}

const char *
bounce_headers_get (BounceHeaders *headers, const char *name)
{
	const char *raw = bounce_headers_raw (headers, name);
	Field *f;

	if (raw == NULL)
		return NULL;
	f = find (headers, name);
	if (f->decoded == NULL) {
		g_autofree char *text = g_mime_utils_header_decode_text (NULL, raw);
		f->decoded = g_utf8_make_valid (text, -1);
	}
	return f->decoded;
}
