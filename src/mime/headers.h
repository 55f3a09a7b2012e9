/*
 * mime/headers.h - a header block kept as text, its fields found by name
 *
 * SYNOPSIS	BounceHeaders *bounce_headers_new (const char *block, gsize len);
 *		const char *bounce_headers_get (BounceHeaders *h, const char *name);
 * DESCRIPTION	For header blocks that are read, not rebuilt: the returned
 *		original's (message/rfc822, text/rfc822-headers, a copy in
 *		the text).  GMime builds an object for each field of an entity
 *		it parses, and a returned original carries dozens (Received,
 *		DKIM-Signature, ARC-*) that nobody reads; here the block is
 *		indexed once (where each field's name and value lie) and a
 *		value is unfolded and RFC 2047-decoded, by GMime's own
 *		utilities, the first time it is asked for.
 *		The block ends at its first empty line.  A line starting with
 *		white space continues the field before it; a line with no
 *		"name:" is skipped.  The first field of a name is the one
 *		returned, as g_mime_object_get_header() does.
 *		GMime must be initialised (bounce_library_init()).
 * OWNERSHIP	the block is copied; returned strings belong to the
 *		BounceHeaders and live as long as it.
 */
#ifndef BOUNCE_HEADERS_H
#define BOUNCE_HEADERS_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BounceHeaders BounceHeaders;

/* Index the header block at the start of TEXT (LEN bytes: a whole message
 * will do; only its header block is kept). */
BounceHeaders *bounce_headers_new (const char *text, gsize len);
void           bounce_headers_free (BounceHeaders *headers);
/* Bytes of the text the block took, its empty line included: where the body starts. */
gsize          bounce_headers_length (const BounceHeaders *headers);
/* Number of fields indexed; of fields named NAME; of lines that are no field. */
guint          bounce_headers_count (const BounceHeaders *headers);
guint          bounce_headers_occurrences (const BounceHeaders *headers, const char *name);
guint          bounce_headers_junk_lines (const BounceHeaders *headers);
/* TRUE when the first line (an mbox separator aside) is no field: text with
 * no header block, or one that does not start where it should. */
gboolean       bounce_headers_no_header_first (const BounceHeaders *headers);
/* TRUE when the block holds bytes that are no UTF-8 (RFC 6532 allows UTF-8
 * fields; other unencoded charsets are a fault). */
gboolean       bounce_headers_not_utf8 (BounceHeaders *headers);
/* Append each field whose name starts with PREFIX (ASCII case folded) to OUT
 * as it stands in the block, folded lines and all, ended by LF. */
void           bounce_headers_copy_fields (const BounceHeaders *headers, const char *prefix,
					   GByteArray *out);
/* The value of the first field NAME unfolded, not decoded (for address and
 * message-id parsers), or NULL when absent.  Borrowed. */
const char    *bounce_headers_raw (BounceHeaders *headers, const char *name);
/* The same decoded (RFC 2047) to valid UTF-8, or NULL when absent.  Borrowed. */
const char    *bounce_headers_get (BounceHeaders *headers, const char *name);
/* Field I (0 .. count - 1) in block order: its name (LEN bytes, not
 * NUL-terminated) and its unfolded value.  Borrowed. */
const char    *bounce_headers_name_at (const BounceHeaders *headers, guint i, gsize *len);
const char    *bounce_headers_raw_at (BounceHeaders *headers, guint i);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceHeaders, bounce_headers_free)

G_END_DECLS

#endif
