/*
 * mime/scan.c - one bounded pass over a message's MIME tree
 *
 * DESCRIPTION	See scan.h.  The walk is iterative over GMimeMultipart
 *		children with an explicit depth, and stops descending at
 *		message/rfc822: the original is taken as a whole, never
 *		mistaken for the report.  Text parts are converted to UTF-8
 *		here, once, so every detector reads the same text.
 * LIMITS	limits->max_depth, max_parts, max_text.
 * SEE ALSO	RFC 3462/6522 (multipart/report), RFC 3464, RFC 6533, RFC 5965
 */
#include "config.h"

#include <string.h>

#include "mime/scan.h"
#include "result.h"

const BounceLimits bounce_limits_default = {
	.max_message = 64 << 20,
	.max_text = 512 << 10,
	.max_status_body = 1 << 20,
	.max_field = 8 << 10,
	.max_depth = 32,
	.max_parts = 1000,
	.max_recipients = 10000,
};

GByteArray *
bounce_part_bytes (GMimePart *part, gsize max)
{
	GMimeDataWrapper *content = g_mime_part_get_content (part);	/* borrowed */
	g_autoptr(GMimeStream) mem = NULL;
	GByteArray *bytes;

	if (content == NULL)
		return g_byte_array_new ();
	mem = g_mime_stream_mem_new ();
	g_mime_data_wrapper_write_to_stream (content, mem);
	/* take the array: an owning GMimeStreamMem frees its data whatever the refcount */
	g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (mem), FALSE);
	bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
	if (bytes->len > max)
		g_byte_array_set_size (bytes, max);
	return bytes;
}

/* Guess a charset for undeclared bytes: ISO-2022 escapes, else UTF-8, else Latin-1. */
static const char *
guess_charset (const char *bytes, gsize len)
{
	if (memchr (bytes, 0x1b, len) != NULL) {
		if (g_strstr_len (bytes, len, "\x1b$B") || g_strstr_len (bytes, len, "\x1b$@"))
			return "iso-2022-jp";
		if (g_strstr_len (bytes, len, "\x1b$)C"))
			return "iso-2022-kr";
	}
	if (g_utf8_validate (bytes, len, NULL))
		return "utf-8";
	return "windows-1252";
}

/*
 * Converters to UTF-8 by charset name, opened once: iconv_open() looks the
 * charset up and loads its module each time, which cost more than the
 * conversion of a typical bounce.  Unknown charsets are remembered too,
 * up to MAX_CONVERTERS names (the names come from the input: past that,
 * a converter is opened for the one use).  Used under the lock: a
 * converter keeps state while it runs.
 */
#define MAX_CONVERTERS 64

G_LOCK_DEFINE_STATIC (converters);
static GHashTable *converters;	/* char * (lower case) -> iconv_t, never freed */

static iconv_t
converter_to_utf8 (const char *charset, gboolean *cached)
{
	g_autofree char *key = g_ascii_strdown (charset, -1);
	gpointer found;
	iconv_t cd;

	if (converters == NULL)
		converters = g_hash_table_new (g_str_hash, g_str_equal);
	if (g_hash_table_lookup_extended (converters, key, NULL, &found)) {
		cd = found;
		if (cd != (iconv_t) -1)
			iconv (cd, NULL, NULL, NULL, NULL);	/* back to the initial state */
		*cached = TRUE;
		return cd;
	}
	cd = g_mime_iconv_open ("UTF-8", charset);
	*cached = g_hash_table_size (converters) < MAX_CONVERTERS;
	if (*cached)
		g_hash_table_insert (converters, g_steal_pointer (&key), cd);
	return cd;
}

char *
bounce_to_utf8 (const char *bytes, gsize len, const char *charset, guint *anomalies)
{
	const char *canon;
	gboolean cached;
	iconv_t cd;
	char *out;

	if (bytes == NULL || len == 0)
		return g_strdup ("");
	if (charset == NULL || *charset == '\0' || g_ascii_strcasecmp (charset, "us-ascii") == 0) {
		charset = guess_charset (bytes, len);
		if (strcmp (charset, "utf-8") == 0)
			return g_strndup (bytes, len);	/* validated by the guess */
	}
	/* Declared UTF-8 or ASCII that validates needs no conversion. */
	canon = g_mime_charset_canon_name (charset);
	if ((g_ascii_strcasecmp (canon, "utf-8") == 0 || g_ascii_strcasecmp (canon, "us-ascii") == 0) &&
	    g_utf8_validate (bytes, len, NULL))
		return g_strndup (bytes, len);
	/* Lying charset: ISO-2022-JP text labelled as something else. */
	if (memchr (bytes, 0x1b, len) != NULL && g_strstr_len (bytes, len, "\x1b$B"))
		charset = "iso-2022-jp";
	G_LOCK (converters);
	cd = converter_to_utf8 (charset, &cached);
	out = cd != (iconv_t) -1 ? g_mime_iconv_strndup (cd, bytes, len) : NULL;
	if (!cached && cd != (iconv_t) -1)
		g_mime_iconv_close (cd);
	G_UNLOCK (converters);
	if (out == NULL) {
		if (anomalies)
			*anomalies |= BOUNCE_ANOMALY_BAD_CHARSET;
		return g_utf8_make_valid (bytes, len);
	}
	if (!g_utf8_validate (out, -1, NULL)) {
		char *valid = g_utf8_make_valid (out, -1);
		g_free (out);
		out = valid;
	}
	return out;
}

/* Append text with CR and CRLF turned into LF; copies runs between CRs. */
static void
append_lf (GString *out, const char *text, gsize max)
{
	const char *p = text;

	while (*p && out->len < max) {
		gsize room = max - out->len;
		const char *cr = strchr (p, '\r');
		gsize run = cr ? (gsize) (cr - p) : strlen (p);

		g_string_append_len (out, p, MIN (run, room));
		if (cr == NULL || run >= room)
			break;
		if (cr[1] != '\n')
			g_string_append_c (out, '\n');
		p = cr + 1;
	}
}

/* Crude HTML to text: tags dropped, block tags become line ends, a few entities. */
static char *
html_to_text (const char *html)
{
	static const struct { const char *entity; const char *text; } entities[] = {
		{ "&nbsp;", " " }, { "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" },
		{ "&quot;", "\"" }, { "&#39;", "'" }, { "&#160;", " " },
	};
	GString *out = g_string_sized_new (strlen (html));
	const char *p = html;

	while (*p) {
		if (*p == '<') {
			const char *end = strchr (p, '>');
			if (end == NULL)
				break;
			if (g_ascii_strncasecmp (p, "<br", 3) == 0 || g_ascii_strncasecmp (p, "<p", 2) == 0 ||
			    g_ascii_strncasecmp (p, "</p", 3) == 0 || g_ascii_strncasecmp (p, "<div", 4) == 0 ||
			    g_ascii_strncasecmp (p, "</div", 5) == 0 || g_ascii_strncasecmp (p, "<tr", 3) == 0 ||
			    g_ascii_strncasecmp (p, "</tr", 4) == 0 || g_ascii_strncasecmp (p, "<li", 3) == 0)
				g_string_append_c (out, '\n');
			else if (g_ascii_strncasecmp (p, "<td", 3) == 0)
				g_string_append_c (out, ' ');
			p = end + 1;
			continue;
		}
		if (*p == '&') {
			gboolean done = FALSE;
			for (gsize i = 0; i < G_N_ELEMENTS (entities); i++) {
				gsize n = strlen (entities[i].entity);
				if (g_ascii_strncasecmp (p, entities[i].entity, n) == 0) {
					g_string_append (out, entities[i].text);
					p += n;
					done = TRUE;
					break;
				}
			}
			if (done)
				continue;
		}
		g_string_append_c (out, *p++);
	}
	return g_string_free (out, FALSE);
}

void
bounce_part_append_text (GMimePart *part, GString *out, gsize max, guint *anomalies)
{
	GMimeContentType *ct = g_mime_object_get_content_type (GMIME_OBJECT (part));	/* borrowed */
	const char *charset = g_mime_content_type_get_parameter (ct, "charset");	/* borrowed */
	g_autoptr(GByteArray) bytes = NULL;
	g_autofree char *utf8 = NULL;

	if (out->len >= max)
		return;
	bytes = bounce_part_bytes (part, max);
	/* a NUL (QP "=00", binary junk) would end the text early: make it a space */
	for (guint8 *nul = bytes->len ? memchr (bytes->data, '\0', bytes->len) : NULL; nul != NULL;
	     nul = memchr (nul, '\0', bytes->data + bytes->len - nul))
		*nul = ' ';
	utf8 = bounce_to_utf8 ((const char *) bytes->data, bytes->len, charset, anomalies);
	if (g_mime_content_type_is_type (ct, "text", "html")) {
		char *plain = html_to_text (utf8);
		g_free (utf8);
		utf8 = plain;
	}
	if (out->len > 0 && out->str[out->len - 1] != '\n')
		g_string_append_c (out, '\n');
	append_lf (out, utf8, max);
	if (out->len >= max && anomalies)
		*anomalies |= BOUNCE_ANOMALY_TRUNCATED;
}

/* Parse STREAM as an entity: a part, whose header list keeps every header
 * raw, or, when that fails, a GMimeMessage, the more forgiving parser.
 * NULL when neither can build anything.  (transfer full) */
static GMimeObject *
parse_stream (GMimeStream *stream, GMimeParserOptions *options, guint *anomalies)
{
	g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream (stream);
	GMimeObject *top = g_mime_parser_construct_part (parser, options);

	if (top != NULL)
		return top;
	if (anomalies != NULL)
		*anomalies &= ~BOUNCE_ANOMALY_MIME_WARNING;	/* heard again below if it holds */
	g_mime_stream_reset (stream);
	g_clear_object (&parser);
	parser = g_mime_parser_new_with_stream (stream);
	return (GMimeObject *) g_mime_parser_construct_message (parser, options);
}

GMimeObject *
bounce_parse_message (const char *data, gsize len, GMimeParserOptions *options, guint *anomalies,
		      BounceHeaders **headers)
{
	BounceHeaders *h = bounce_headers_new (data, len);
	gsize body = bounce_headers_length (h);
	GByteArray *entity;
	g_autoptr(GMimeStream) stream = NULL;
	GMimeObject *top;

	if (bounce_headers_no_header_first (h)) {	/* no message: GMime refuses it too */
		bounce_headers_free (h);
		return NULL;
	}
	entity = g_byte_array_sized_new (len - body + 512);
	bounce_headers_copy_fields (h, "Content-", entity);
	g_byte_array_append (entity, (const guint8 *) "\n", 1);
	g_byte_array_append (entity, (const guint8 *) data + body, len - body);
	stream = g_mime_stream_mem_new_with_byte_array (entity);	/* takes entity */
	top = parse_stream (stream, options, anomalies);
	if (top == NULL) {
		bounce_headers_free (h);
		return NULL;
	}
	*headers = h;
	return top;
}

/* The end of the header block in DATA (just past its empty line), or NULL. */
static const guint8 *
header_block_end (const guint8 *data, gsize len)
{
	for (const guint8 *p = memchr (data, '\n', len); p != NULL;
	     p = memchr (p + 1, '\n', data + len - (p + 1))) {
		const guint8 *next = p + 1;
		if (next < data + len && *next == '\r')
			next++;
		if (next < data + len && *next == '\n')
			return next + 1;
	}
	return NULL;
}

/*
 * The header block at the start of a part's decoded content (up to its
 * empty line, at most MAX bytes).  Read through GMime's decoding filter a
 * few KB at a time: a returned message with large attachments is never
 * decoded whole.
 */
static GByteArray *
part_header_block (GMimePart *part, gsize max)
{
	GMimeDataWrapper *content = g_mime_part_get_content (part);	/* borrowed */
	GMimeStream *raw = content ? g_mime_data_wrapper_get_stream (content) : NULL;	/* borrowed */
	g_autoptr(GMimeStream) stream = NULL;
	GByteArray *block = g_byte_array_new ();

	if (raw == NULL)
		return block;
	switch (g_mime_data_wrapper_get_encoding (content)) {
	case GMIME_CONTENT_ENCODING_BASE64:
	case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
	case GMIME_CONTENT_ENCODING_UUENCODE: {
		g_autoptr(GMimeFilter) decode =
			g_mime_filter_basic_new (g_mime_data_wrapper_get_encoding (content), FALSE);
		stream = g_mime_stream_filter_new (raw);
		g_mime_stream_filter_add (GMIME_STREAM_FILTER (stream), decode);
		break;
	}
	default:
		stream = g_object_ref (raw);	/* read as it is */
		break;
	}
	g_mime_stream_reset (stream);
	while (block->len < max) {
		char buf[4096];
		gsize seen = block->len > 2 ? block->len - 2 : 0;	/* the empty line may straddle reads */
		gssize n = g_mime_stream_read (stream, buf, MIN (sizeof buf, max - block->len));
		const guint8 *end;

		if (n <= 0)
			break;
		g_byte_array_append (block, (const guint8 *) buf, n);
		if ((end = header_block_end (block->data + seen, block->len - seen)) != NULL) {
			g_byte_array_set_size (block, end - block->data);
			break;
		}
	}
	return block;
}

/*
 * The returned original: its header block only, indexed, not parsed into
 * objects.  GMime keeps a message/rfc822 part's content whole
 * (bounce_library_init() registers it as a leaf part), so the original's
 * MIME tree is parsed only when someone asks for it
 * (bounce_scan_original_message).
 */
static void
take_original (BounceScan *scan, GMimeObject *part)
{
	g_autoptr(GByteArray) block = NULL;

	if (scan->original != NULL || !GMIME_IS_PART (part))
		return;
	block = part_header_block (GMIME_PART (part), scan->limits->max_status_body);
	if (block->len > 0) {
		scan->original = bounce_headers_new ((const char *) block->data, block->len);
		scan->original_part = part;
	}
}

GMimeObject *
bounce_scan_original_message (const BounceScan *scan)
{
	g_autoptr(GMimeStream) stream = NULL;

	if (scan->original_part == NULL)
		return NULL;
	/* the stream takes the bytes: parts refer to them after parsing */
	stream = g_mime_stream_mem_new_with_byte_array (
		bounce_part_bytes (GMIME_PART (scan->original_part), scan->limits->max_message));
	return parse_stream (stream, NULL, NULL);
}

static gboolean
is_original_type (GMimeContentType *ct)
{
	return g_mime_content_type_is_type (ct, "message", "rfc822") ||
	       g_mime_content_type_is_type (ct, "message", "global") ||
	       g_mime_content_type_is_type (ct, "text", "rfc822-headers") ||
	       g_mime_content_type_is_type (ct, "message", "global-headers") ||
	       g_mime_content_type_is_type (ct, "message", "rfc822-headers");
}

typedef struct {
	GMimeObject *object;
	guint depth;
	gboolean in_report;
} WalkItem;

static void
walk (BounceScan *scan, GMimeObject *root)
{
	g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (WalkItem));
	GPtrArray *html = g_ptr_array_new ();
	gboolean have_plain = FALSE;
	WalkItem top = { root, 0, FALSE };

	g_array_append_val (stack, top);
	while (stack->len > 0) {
		WalkItem item = g_array_index (stack, WalkItem, stack->len - 1);
		GMimeContentType *ct;

		g_array_set_size (stack, stack->len - 1);
		if (++scan->nparts > scan->limits->max_parts) {
			scan->anomalies |= BOUNCE_ANOMALY_TOO_MANY_PARTS;
			break;
		}
		ct = g_mime_object_get_content_type (item.object);	/* borrowed */
		if (GMIME_IS_MULTIPART (item.object)) {
			GMimeMultipart *mp = GMIME_MULTIPART (item.object);	/* borrowed */
			gboolean report = g_mime_content_type_is_type (ct, "multipart", "report");
			int n = g_mime_multipart_get_count (mp);

			if (item.depth >= scan->limits->max_depth) {
				scan->anomalies |= BOUNCE_ANOMALY_TOO_DEEP;
				continue;
			}
			if (report && *scan->report_type == '\0') {
				const char *rt = g_mime_content_type_get_parameter (ct, "report-type");
				g_free (scan->report_type);
				scan->report_type = g_ascii_strdown (rt ? rt : "", -1);
			}
			if (n == 0) {
				/* no part found (boundary missing or mangled): GMime keeps
				 * the whole body as the prologue; read it as text */
				const char *prologue = g_mime_multipart_get_prologue (mp);	/* borrowed */
				if (prologue != NULL && *prologue != '\0') {
					g_autofree char *utf8 = bounce_to_utf8 (prologue, strlen (prologue),
										NULL, &scan->anomalies);
					if (scan->text->len > 0)
						g_string_append_c (scan->text, '\n');
					append_lf (scan->text, utf8, scan->limits->max_text);
					have_plain = TRUE;
				}
				continue;
			}
			/* push in reverse so children are visited in order */
			for (int i = n - 1; i >= 0; i--) {
				WalkItem child = { g_mime_multipart_get_part (mp, i), item.depth + 1,
						   item.in_report || report };
				g_array_append_val (stack, child);
			}
			continue;
		}
		if (g_mime_content_type_is_type (ct, "message", "delivery-status") ||
		    g_mime_content_type_is_type (ct, "message", "global-delivery-status")) {
			if (scan->status_part == NULL) {
				scan->status_part = item.object;
				scan->status_global = g_mime_content_type_is_type (ct, "message",
										   "global-delivery-status");
				scan->in_report = item.in_report;
			}
			continue;
		}
		if (g_mime_content_type_is_type (ct, "message", "feedback-report")) {
			if (scan->feedback_part == NULL)
				scan->feedback_part = item.object;
			continue;
		}
		if (is_original_type (ct)) {
			if (item.object != root)
				take_original (scan, item.object);
			continue;
		}
		if (GMIME_IS_MESSAGE_PART (item.object))
			continue;
		if (!GMIME_IS_PART (item.object) || g_mime_part_is_attachment (GMIME_PART (item.object)))
			continue;
		if (g_mime_content_type_is_type (ct, "text", "plain") ||
		    g_mime_content_type_is_type (ct, "text", "enriched") ||
		    (item.object == root && g_mime_content_type_is_type (ct, "text", "*"))) {
			if (!g_mime_content_type_is_type (ct, "text", "html")) {
				bounce_part_append_text (GMIME_PART (item.object), scan->text,
							 scan->limits->max_text, &scan->anomalies);
				have_plain = TRUE;
				continue;
			}
		}
		if (g_mime_content_type_is_type (ct, "text", "html"))
			g_ptr_array_add (html, item.object);
	}
	/* HTML only when the message has no plain text */
	for (guint i = 0; !have_plain && i < html->len; i++)
		bounce_part_append_text (g_ptr_array_index (html, i), scan->text,
					 scan->limits->max_text, &scan->anomalies);
	g_ptr_array_free (html, TRUE);
}

BounceScan *
bounce_scan_new_with_headers (GMimeObject *top, BounceHeaders *headers, const BounceLimits *limits)
{
	BounceScan *scan = g_new0 (BounceScan, 1);
	const char *value;	/* borrowed */

	scan->top = g_object_ref (top);
	scan->headers = headers;
	scan->body = GMIME_IS_MESSAGE (top) ? g_mime_message_get_mime_part (GMIME_MESSAGE (top)) : top;
	scan->limits = limits ? limits : &bounce_limits_default;
	scan->text = g_string_new (NULL);
	scan->report_type = g_strdup ("");
	value = bounce_headers_get (headers, "From");
	scan->from = g_strdup (value ? value : "");
	value = bounce_headers_get (headers, "Subject");
	scan->subject = g_strdup (value ? value : "");
	if (scan->body != NULL)
		walk (scan, scan->body);
	return scan;
}

BounceScan *
bounce_scan_new (GMimeObject *top, const BounceLimits *limits)
{
	g_autofree char *block = g_mime_object_get_headers (top, NULL);

	return bounce_scan_new_with_headers (top, bounce_headers_new (block, strlen (block)), limits);
}

void
bounce_scan_free (BounceScan *scan)
{
	if (scan == NULL)
		return;
	g_clear_pointer (&scan->original, bounce_headers_free);
	g_clear_object (&scan->top);
	g_clear_pointer (&scan->headers, bounce_headers_free);
	for (gsize i = 0; i < G_N_ELEMENTS (scan->addresses); i++) {
		g_clear_object (&scan->addresses[i]);
		g_clear_object (&scan->original_addresses[i]);
	}
	g_string_free (scan->text, TRUE);
	g_free (scan->report_type);
	g_free (scan->from);
	g_free (scan->subject);
	g_free (scan);
}

const char *
bounce_scan_header (const BounceScan *scan, const char *name)
{
	return bounce_headers_get (scan->headers, name);
}

static const char *const address_fields[] = {
	[GMIME_ADDRESS_TYPE_SENDER] = "Sender", [GMIME_ADDRESS_TYPE_FROM] = "From",
	[GMIME_ADDRESS_TYPE_REPLY_TO] = "Reply-To", [GMIME_ADDRESS_TYPE_TO] = "To",
	[GMIME_ADDRESS_TYPE_CC] = "Cc", [GMIME_ADDRESS_TYPE_BCC] = "Bcc",
};

/* Parse a raw address header value into *cache once: the raw value, since
 * a decoded display name may hold a comma or an "@". */
static InternetAddressList *
cached_addresses (InternetAddressList **cache, const char *raw)
{
	if (*cache == NULL && raw != NULL)
		*cache = internet_address_list_parse (NULL, raw);
	return *cache;
}

InternetAddressList *
bounce_scan_addresses (BounceScan *scan, GMimeAddressType type)
{
	g_return_val_if_fail ((guint) type < G_N_ELEMENTS (address_fields), NULL);
	return cached_addresses (&scan->addresses[type], bounce_headers_raw (scan->headers, address_fields[type]));
}

InternetAddressList *
bounce_scan_original_addresses (BounceScan *scan, GMimeAddressType type)
{
	g_return_val_if_fail ((guint) type < G_N_ELEMENTS (address_fields), NULL);
	if (scan->original == NULL)
		return NULL;
	return cached_addresses (&scan->original_addresses[type],
				 bounce_headers_raw (scan->original, address_fields[type]));
}

const char *
bounce_scan_original_header (BounceScan *scan, const char *name)
{
	return scan->original != NULL ? bounce_headers_get (scan->original, name) : NULL;
}

void
bounce_scan_foreach (const BounceScan *scan, GMimeObjectForeachFunc func, gpointer data)
{
	if (scan->body == NULL)
		return;
	func (scan->top, scan->body, data);
	if (GMIME_IS_MULTIPART (scan->body))
		g_mime_multipart_foreach (GMIME_MULTIPART (scan->body), func, data);
}
