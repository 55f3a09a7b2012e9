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
	char   *block;		/* the block, up to its empty line */
	gsize   length;		/* bytes of the input it took, the empty line included */
	guint   junk;		/* lines in it that are no field */
	gboolean junk_first;	/* the first of them is (an mbox separator aside) */
	int     not_utf8;	/* bytes in it that are no UTF-8: 1, 0, or -1 before it is asked */
	GArray *fields;		/* Field */
};

static gboolean
field_name_char (guchar c)
{
	return c > ' ' && c < 0x7f && c != ':';
}

/* Index the fields of TEXT up to its first empty line; sets h->length. */
static void
index_block (BounceHeaders *h, const char *text, gsize len)
{
	gsize pos = 0;
	Field *last = NULL;

	while (pos < len) {
		const char *eol = memchr (text + pos, '\n', len - pos);
		gsize end = eol ? (gsize) (eol - text) : len;	/* the line without its LF */
		gsize line_end = end > pos && text[end - 1] == '\r' ? end - 1 : end;
		gsize n = 0, colon;

		if (line_end == pos) {
			h->length = MIN (end + 1, len);	/* the empty line ends the block */
			return;
		}
		if (text[pos] == ' ' || text[pos] == '\t') {
			if (last != NULL)
				last->value_end = line_end;
			else
				h->junk++;
			pos = end + 1;
			continue;
		}
		if (pos == 0 && ((line_end >= 5 && memcmp (text, "From ", 5) == 0) ||
				 (line_end >= 6 && memcmp (text, ">From ", 6) == 0))) {
			pos = end + 1;	/* an mbox separator left in front: no field, no fault */
			continue;
		}
		while (pos + n < line_end && field_name_char (text[pos + n]))
			n++;
		/* "Name:" or "Name :" (obsolete syntax); anything else is no field */
		for (colon = pos + n; colon < line_end && (text[colon] == ' ' || text[colon] == '\t'); colon++)
			;
		last = NULL;
		if (n > 0 && colon < line_end && text[colon] == ':') {
			if (h->fields->len < MAX_FIELDS) {
				Field f = { .name = pos, .name_len = n, .value = colon + 1, .value_end = line_end };
				g_array_append_val (h->fields, f);
				last = &g_array_index (h->fields, Field, h->fields->len - 1);
			}
		} else {
			h->junk_first |= h->fields->len == 0 && h->junk == 0;
			h->junk++;
		}
		pos = end + 1;
	}
	h->length = len;
}

BounceHeaders *
bounce_headers_new (const char *block, gsize len)
{
	BounceHeaders *h = g_new0 (BounceHeaders, 1);

	len = MIN (len, G_MAXUINT - 1);
	h->fields = g_array_sized_new (FALSE, FALSE, sizeof (Field), 32);
	index_block (h, block, len);
	/* a byte copy (a NUL may hide in a field); offsets stay valid in it */
	h->block = g_malloc (h->length + 1);
	memcpy (h->block, block, h->length);
	h->block[h->length] = '\0';
	h->not_utf8 = -1;
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

gsize
bounce_headers_length (const BounceHeaders *headers)
{
	return headers->length;
}

guint
bounce_headers_junk_lines (const BounceHeaders *headers)
{
	return headers->junk;
}

gboolean
bounce_headers_no_header_first (const BounceHeaders *headers)
{
	return headers->junk_first;
}

gboolean
bounce_headers_not_utf8 (BounceHeaders *headers)
{
	if (headers->not_utf8 < 0)
		headers->not_utf8 = !g_utf8_validate_len (headers->block, headers->length, NULL);
	return headers->not_utf8;
}

guint
bounce_headers_count (const BounceHeaders *headers)
{
	return headers->fields->len;
}

static gboolean
named (const BounceHeaders *h, const Field *f, const char *name, gsize n)
{
	return f->name_len == n && g_ascii_strncasecmp (h->block + f->name, name, n) == 0;
}

static Field *
find (BounceHeaders *h, const char *name)
{
	gsize n = strlen (name);

	for (guint i = 0; i < h->fields->len; i++) {
		Field *f = &g_array_index (h->fields, Field, i);
		if (named (h, f, name, n))
			return f;
	}
	return NULL;
}

guint
bounce_headers_occurrences (const BounceHeaders *headers, const char *name)
{
	gsize n = strlen (name);
	guint count = 0;

	for (guint i = 0; i < headers->fields->len; i++)
		if (named (headers, &g_array_index (headers->fields, Field, i), name, n))
			count++;
	return count;
}

void
bounce_headers_copy_fields (const BounceHeaders *headers, const char *prefix, GByteArray *out)
{
	gsize n = strlen (prefix);

	for (guint i = 0; i < headers->fields->len; i++) {
		const Field *f = &g_array_index (headers->fields, Field, i);
		if (f->name_len >= n && g_ascii_strncasecmp (headers->block + f->name, prefix, n) == 0) {
			g_byte_array_append (out, (const guint8 *) headers->block + f->name, f->value_end - f->name);
			g_byte_array_append (out, (const guint8 *) "\n", 1);
		}
	}
}

/* The unfolded value of field F, made on first use. */
static const char *
raw_value (BounceHeaders *h, Field *f)
{
	if (f->raw == NULL) {
		g_autofree char *folded = g_strndup (h->block + f->value, f->value_end - f->value);
		f->raw = g_mime_utils_header_unfold (folded);
	}
	return f->raw;
}

const char *
bounce_headers_raw (BounceHeaders *headers, const char *name)
{
	Field *f = find (headers, name);

	return f != NULL ? raw_value (headers, f) : NULL;
}

const char *
bounce_headers_name_at (const BounceHeaders *headers, guint i, gsize *len)
{
	const Field *f = &g_array_index (headers->fields, Field, i);

	g_return_val_if_fail (i < headers->fields->len, NULL);
	*len = f->name_len;
	return headers->block + f->name;
}

const char *
bounce_headers_raw_at (BounceHeaders *headers, guint i)
{
	g_return_val_if_fail (i < headers->fields->len, NULL);
	return raw_value (headers, &g_array_index (headers->fields, Field, i));
}

/* ASCII with no encoded word ("=?") in it: decoding would change nothing. */
static gboolean
plain_ascii (const char *s)
{
	for (const guchar *p = (const guchar *) s; *p; p++)
		if (*p >= 0x80 || (*p == '=' && p[1] == '?'))
			return FALSE;
	return TRUE;
}

const char *
bounce_headers_get (BounceHeaders *headers, const char *name)
{
	Field *f = find (headers, name);
	const char *raw;

	if (f == NULL)
		return NULL;
	if (f->decoded != NULL)
		return f->decoded;
	raw = raw_value (headers, f);
	if (plain_ascii (raw)) {
		f->decoded = g_strdup (raw);	/* nothing to decode: most values */
	} else {
		g_autofree char *text = g_mime_utils_header_decode_text (NULL, raw);
		f->decoded = g_utf8_make_valid (text, -1);
	}
	return f->decoded;
}
