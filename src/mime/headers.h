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

BounceHeaders *bounce_headers_new (const char *block, gsize len);
void           bounce_headers_free (BounceHeaders *headers);
/* Number of fields indexed. */
guint          bounce_headers_count (const BounceHeaders *headers);
/* The value of the first field NAME unfolded, not decoded (for address and
 * message-id parsers), or NULL when absent.  Borrowed. */
const char    *bounce_headers_raw (BounceHeaders *headers, const char *name);
/* The same decoded (RFC 2047) to valid UTF-8, or NULL when absent.  Borrowed. */
const char    *bounce_headers_get (BounceHeaders *headers, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceHeaders, bounce_headers_free)

G_END_DECLS

#endif
