/*
 * analyze.c - the analysis pipeline for one message
 *
 * DESCRIPTION	bytes → (bare CR → LF) → GMime message → BounceScan →
 *		first detector that recognises it → completion of each
 *		recipient → classifier.  See analyze.h.
 * LIMITS	limits->max_message bytes are parsed; the rest is dropped
 *		and BOUNCE_ANOMALY_TOO_LARGE set.
 */
#include "config.h"

#include <string.h>

#include "analyze.h"
#include "dsn/status.h"
#include "heuristics/detector.h"
#include "heuristics/mta.h"
#include "heuristics/text.h"
#include "knowledge/classify.h"
#include "mime/scan.h"

void
bounce_library_init (void)
{
	static gsize once = 0;

	if (g_once_init_enter (&once)) {
		g_mime_init ();
		/*
		 * A returned original is read for its headers only: GMime keeps
		 * message/rfc822 content whole, as a leaf part, instead of
		 * building the original's MIME tree (its parts, their headers)
		 * for every bounce.  bounce_scan_original_message() parses it
		 * whole on demand.  (GMime drops the entries it replaces: a
		 * few bytes, once; tests/valgrind.supp names them.)
		 */
		g_mime_object_register_type ("message", "rfc822", GMIME_TYPE_PART);
		g_mime_object_register_type ("message", "rfc2822", GMIME_TYPE_PART);
		g_mime_object_register_type ("message", "global", GMIME_TYPE_PART);
		g_mime_object_register_type ("message", "news", GMIME_TYPE_PART);
		g_once_init_leave (&once, 1);
	}
}

/* Fields that appear at most once: RFC 5322 section 3.6, and MIME's own (Content-*). */
static const char *const once_only_fields[] = {
	"Date", "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Message-ID",
	"In-Reply-To", "References", "Subject", "MIME-Version",
};

static gboolean
once_only_field (const char *name)
{
	if (g_ascii_strncasecmp (name, "Content-", 8) == 0)
		return TRUE;
	for (gsize i = 0; i < G_N_ELEMENTS (once_only_fields); i++)
		if (g_ascii_strcasecmp (name, once_only_fields[i]) == 0)
			return TRUE;
	return FALSE;
}

static void
on_parser_warning (gint64 offset, GMimeParserWarning code, const gchar *item, gpointer data)
{
	guint *anomalies = data;

	(void) offset;
	/* trace and other fields may repeat; only a repeated once-only field counts */
	if ((code == GMIME_CRIT_CONFLICTING_HEADER || code == GMIME_WARN_DUPLICATED_HEADER) &&
	    item != NULL && !once_only_field (item))
		return;
	*anomalies |= BOUNCE_ANOMALY_MIME_WARNING;
}

/* TRUE when the text uses bare CR as its line end (old Mac). */
static gboolean
has_bare_cr (const char *data, gsize len)
{
	const char *cr = memchr (data, '\r', MIN (len, 4096));

	return cr != NULL && (cr + 1 >= data + len || cr[1] != '\n');
}

/* The message ID (without angle brackets) of a header block, or NULL.  (transfer full) */
static char *
message_id (BounceHeaders *headers)
{
	const char *raw = bounce_headers_raw (headers, "Message-Id");	/* borrowed */

	return raw != NULL ? g_mime_utils_decode_message_id (raw) : NULL;
}

/* The first address of a list, bare ("a@b"), or "". */
static void
set_first_address (char **field, InternetAddressList *list)
{
	gboolean done = FALSE;

	for (int i = 0; list != NULL && i < internet_address_list_length (list) && !done; i++) {
		InternetAddress *ia = internet_address_list_get_address (list, i);	/* borrowed */
		if (INTERNET_ADDRESS_IS_MAILBOX (ia)) {
			bounce_set (field, internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)));
			done = TRUE;
		}
	}
}

static void
read_original (BounceReport *report, BounceScan *scan)
{
	g_autofree char *id = NULL;
	const char *value;	/* borrowed */

	if (scan->original == NULL)
		return;
	if ((id = message_id (scan->original)) != NULL)
		bounce_set (&report->orig_message_id, id);
	set_first_address (&report->orig_from, bounce_scan_original_addresses (scan, GMIME_ADDRESS_TYPE_FROM));
	set_first_address (&report->orig_to, bounce_scan_original_addresses (scan, GMIME_ADDRESS_TYPE_TO));
	if ((value = bounce_scan_original_header (scan, "Subject")) != NULL)
		bounce_set (&report->orig_subject, value);
	if ((value = bounce_scan_original_header (scan, "List-Id")) != NULL)
		bounce_set (&report->orig_list_id, value);
}

/* A ">>> " or "<<< " transcript line: the text after the marker, or NULL. */
static const char *
transcript_side (const char *line, gsize *len, const char *marker)
{
	bounce_mta_trim (&line, len);
	if (*len < 3 || strncmp (line, marker, 3) != 0)
		return NULL;
	line += 3;
	*len -= 3;
	bounce_mta_trim (&line, len);
	return line;
}

/* The SMTP command a "<<< 5xx" transcript reply answered: the one naming address, or
 * else the first error reply's.  NULL when the text holds no such transcript. */
static const char *
command_in_transcript (const GString *text, const char *address)
{
	BounceLines it;
	const char *line;
	gsize n;
	const char *last = NULL, *first_error = NULL;

	bounce_lines_init (&it, text->str, text->len);
	while (bounce_lines_next (&it, &line, &n)) {
		gsize m = n;
		const char *side;

		if ((side = transcript_side (line, &m, ">>>")) != NULL) {
			static const char *const verbs[] = { "RCPT", "MAIL", "DATA", "BDAT", "EHLO", "HELO" };
			for (gsize i = 0; i < G_N_ELEMENTS (verbs); i++)
				if (m >= 4 && g_ascii_strncasecmp (side, verbs[i], 4) == 0)
					last = i == 3 ? "DATA" : i >= 4 ? "HELO" : verbs[i];
			continue;
		}
		m = n;
		if ((side = transcript_side (line, &m, "<<<")) == NULL || last == NULL)
			continue;
		if (m < 3 || (side[0] != '4' && side[0] != '5'))
			continue;
		if (bounce_text_find (side, m, address) != NULL)
			return last;
		if (first_error == NULL)
			first_error = last;
	}
	return first_error;
}

/* The SMTP command named in the paragraph of text that names address
 * ("... (in reply to RCPT TO command)"), else in a session transcript; NULL if none. */
static const char *
command_from_text (const GString *text, const char *address)
{
	const char *hit, *start, *end;
	const char *command;

	if (*address == '\0' || text->len == 0)
		return NULL;
	hit = bounce_text_find (text->str, text->len, address);
	if (hit != NULL) {
		start = hit;
		while (start > text->str && start[-1] != '\n')
			start--;
		end = hit;
		/* to the end of the paragraph: the next blank line */
		while (end < text->str + text->len && (gsize) (end - start) < 2048) {
			const char *nl = memchr (end, '\n', text->str + text->len - end);
			if (nl == NULL) {
				end = text->str + text->len;
				break;
			}
			end = nl + 1;
			while (end < text->str + text->len && (*end == ' ' || *end == '\t'))
				end++;
			if (end < text->str + text->len && *end == '\n')
				break;
		}
		{
			/* one line: "(in reply to RCPT\n    TO command)" is folded */
			g_autofree char *flat = g_strndup (start, end - start);
			char *q = flat;

			for (const char *p = flat; *p != '\0'; p++) {
				if (g_ascii_isspace (*p)) {
					if (q > flat && q[-1] != ' ')
						*q++ = ' ';
				} else
					*q++ = *p;
			}
			*q = '\0';
			command = bounce_text_smtp_command (flat, q - flat);
			if (command != NULL)
				return command;
		}
	}
	return command_in_transcript (text, address);
}

/*
 * The status code of a diagnostic: the last one that says more than x.0.0,
 * since a wrapper quotes the remote server's reply after its own words
 * ("554 4.4.7 Message expired ... <421 4.4.2 Connection timed out>"), else
 * the first.  FALSE when there is none.
 */
static gboolean
diagnostic_status (const char *diag, char out[16])
{
	const char *p = diag;
	gsize left = strlen (diag);
	char code[16];
	gboolean any = FALSE;

	while (left > 0 && bounce_status_find (p, left, code)) {
		const char *at = bounce_text_find (p, left, code);

		if (!any || !g_str_has_suffix (code, ".0.0"))
			memcpy (out, code, sizeof code);
		any = TRUE;
		if (at == NULL)
			break;
		left -= (gsize) (at - p) + strlen (code);
		p = at + strlen (code);
	}
	return any;
}

/* TRUE when line gives a reason in words beside the address ("... because the
 * address couldn't be found"), not only the address in a list. */
static gboolean
says_why (const char *line, const char *address)
{
	static const char *const joins[] = { " because ", " due to ", ": ", " - " };
	const char *after = bounce_text_find (line, strlen (line), address);

	if (after == NULL)
		return FALSE;
	after += strlen (address);
	for (gsize i = 0; i < G_N_ELEMENTS (joins); i++) {
		const char *j = strstr (after, joins[i]);
		if (j != NULL && strlen (j + strlen (joins[i])) >= 12)
			return TRUE;
	}
	return FALSE;
}

/* TRUE when a line of text says why delivery to address failed: it holds a
 * status or reply code, or gives a reason in words beside the address. */
static gboolean
line_says_why (const char *line, const char *address)
{
	char found[16];
	char code[4];

	return bounce_status_find (line, strlen (line), found) ||
	       bounce_reply_code_find (line, strlen (line), code) || says_why (line, address);
}

#define NAMING_LINES_MAX 20	/* lines naming the address that are looked at */
#define NAMING_MORE_MAX 6	/* indented lines read after one */

/*
 * A diagnostic for address when the DSN gave none: the first line of text
 * that names it and says why (an address list often names it first, the
 * transcript then says what happened).  A line that names it alone takes
 * the next line ("addr:" then the reason), and one that does not say why
 * takes the more indented lines below it, as in Exim's
 * "  address\n    generated by ...\n    reason".  (transfer full) or NULL.
 */
static char *
line_naming (const GString *text, const char *address)
{
	const char *end_text = text->str + text->len;
	const char *from = text->str;
	gsize alen = strlen (address);

	if (alen == 0 || text->len == 0)
		return NULL;
	for (guint tries = 0; tries < NAMING_LINES_MAX && from < end_text; tries++) {
		const char *hit = g_strstr_len (from, end_text - from, address);
		const char *start, *end;
		gsize indent = 0;
		g_autoptr(GString) joined = NULL;

		if (hit == NULL)
			return NULL;
		start = hit;
		while (start > text->str && start[-1] != '\n')
			start--;
		end = memchr (hit, '\n', end_text - hit);
		if (end == NULL)
			end = end_text;
		from = end;	/* the next try starts on a later line */
		/* "addr:" alone on its line: the reason follows on the next line */
		if ((gsize) (end - start) <= alen + 4 && end < end_text) {
			const char *next_end = memchr (end + 1, '\n', end_text - end - 1);
			g_autofree char *next = NULL;

			if (next_end == NULL)
				next_end = end_text;
			next = g_strndup (end + 1, next_end - end - 1);
			if (line_says_why (next, address))
				return g_steal_pointer (&next);
		}
		joined = g_string_new_len (start, end - start);
		if (line_says_why (joined->str, address))
			return g_string_free (g_steal_pointer (&joined), FALSE);
		while (start + indent < end && (start[indent] == ' ' || start[indent] == '\t'))
			indent++;
		for (guint more = 0; more < NAMING_MORE_MAX && end < end_text; more++) {
			const char *p = end + 1;
			const char *e = memchr (p, '\n', end_text - p);
			gsize k = 0;

			if (e == NULL)
				e = end_text;
			while (p + k < e && (p[k] == ' ' || p[k] == '\t'))
				k++;
			if (k <= indent || p + k == e)
				break;
			g_string_append_c (joined, ' ');
			g_string_append_len (joined, p + k, e - p - k);
			end = e;
		}
		if (end != from && line_says_why (joined->str, address))
			return g_string_free (g_steal_pointer (&joined), FALSE);
	}
	return NULL;
}

static void
complete_recipient (BounceReport *report, BounceRecipient *r, const BounceScan *scan)
{
	const char *diag = r->diagnostic;
	char found[16];
	char code[4];

	if (*diag == '\0' && report->kind == BOUNCE_KIND_BOUNCE) {
		g_autofree char *line = line_naming (scan->text, r->recipient);
		if (line != NULL && line_says_why (line, r->recipient))
			bounce_set (&r->diagnostic, line);
		diag = r->diagnostic;
	}
	/* a file or pipe delivery names no address; Exim says which address
	 * led to it: "/var/mail/x\n    generated by user@example.org" */
	if (strchr (r->recipient, '@') == NULL && *r->recipient != '\0') {
		const char *gen = bounce_text_find (diag, strlen (diag), "generated by ");
		g_autofree char *addr = gen ? bounce_text_address (gen + 13, MIN (strlen (gen + 13), 320), NULL) : NULL;
		if (addr != NULL)
			bounce_set (&r->recipient, addr);
	}
	/*
	 * The code in the diagnostic comes from the server that refused; the
	 * Status: field is often the reporting MTA's summary (4.4.7 for any
	 * retry that ran out, 5.1.1 for any refused RCPT).  So the
	 * diagnostic's code wins over a different one of the same class.
	 */
	if (diagnostic_status (diag, found)) {
		if (r->status[0] == '\0' ||
		    (found[0] == r->status[0] && !g_str_has_suffix (found, ".0.0")))
			bounce_recipient_set_status (r, found);
	}
	if (r->reply_code[0] == '\0' && bounce_reply_code_find (diag, strlen (diag), code) &&
	    (r->status[0] == '\0' || code[0] == r->status[0]))
		bounce_recipient_set_reply_code (r, code);
	if (*r->smtp_command == '\0' && report->kind == BOUNCE_KIND_BOUNCE) {
		const char *command = command_from_text (scan->text, r->recipient);
		if (command != NULL)
			bounce_set (&r->smtp_command, command);
	}
	if (*r->action == '\0' && report->kind == BOUNCE_KIND_BOUNCE)
		bounce_set (&r->action, r->status[0] == '4' ? "delayed" : "failed");
}

static gboolean
is_delivered_action (const char *action)
{
	return strcmp (action, "delivered") == 0 || strcmp (action, "relayed") == 0 ||
	       strcmp (action, "expanded") == 0;
}

/* A line that is no field, bytes that are no UTF-8, or a repeated once-only
 * field in the top-level block (GMime sees only its Content-* fields and
 * warns of those). */
static gboolean
odd_header_block (BounceHeaders *headers)
{
	if (bounce_headers_junk_lines (headers) > 0 || bounce_headers_not_utf8 (headers))
		return TRUE;
	for (gsize i = 0; i < G_N_ELEMENTS (once_only_fields); i++)
		if (bounce_headers_occurrences (headers, once_only_fields[i]) > 1)
			return TRUE;
	return FALSE;
}

static BounceReport *
analyze_scan (BounceScan *scan)
{
	g_autoptr(BounceReport) report = bounce_report_new ();
	g_autofree char *id = NULL;
	const char *date = bounce_scan_header (scan, "Date");	/* borrowed */
	gboolean all_delivered;
	gboolean decided = FALSE;

	report->anomalies |= scan->anomalies;
	if (odd_header_block (scan->headers))
		report->anomalies |= BOUNCE_ANOMALY_MIME_WARNING;
	if ((id = message_id (scan->headers)) != NULL)
		bounce_set (&report->bounce_message_id, id);
	bounce_set (&report->date, date ? date : "");
	bounce_set (&report->from, scan->from);
	bounce_set (&report->subject, scan->subject);

	for (const BounceDetector *const *group = bounce_detector_groups; *group != NULL && !decided; group++) {
		for (const BounceDetector *d = *group; d->name != NULL; d++) {
			if (d->detect (scan, report)) {
				if (*report->detector == '\0')
					bounce_report_set_detector (report, d->name);
				decided = TRUE;
				break;
			}
		}
	}
	read_original (report, scan);
	if (report->kind == BOUNCE_KIND_NONE)
		return g_steal_pointer (&report);

	all_delivered = report->kind == BOUNCE_KIND_BOUNCE && report->recipients->len > 0;
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		complete_recipient (report, r, scan);
		if (!is_delivered_action (r->action))
			all_delivered = FALSE;
	}
	if (all_delivered)
		report->kind = BOUNCE_KIND_DELIVERED;
	for (guint i = 0; i < report->recipients->len; i++)
		bounce_classify_recipient (g_ptr_array_index (report->recipients, i), report->kind);
	return g_steal_pointer (&report);
}

/* Copy with every bare CR made LF, CRLF kept. (transfer full) */
static char *
bare_cr_to_lf (const char *data, gsize len)
{
	char *out = g_malloc (len + 1);

	for (gsize i = 0; i < len; i++)
		out[i] = (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n')) ? '\n' : data[i];
	out[len] = '\0';
	return out;
}

BounceReport *
bounce_analyze_bytes (const char *data, gsize len, const BounceLimits *limits, GError **error)
{
	g_autofree char *converted = NULL;
	g_autoptr(GMimeParserOptions) options = NULL;
	g_autoptr(GMimeObject) top = NULL;
	g_autoptr(BounceScan) scan = NULL;
	BounceHeaders *headers = NULL;
	BounceReport *report;
	guint anomalies = 0;

	if (limits == NULL)
		limits = &bounce_limits_default;
	if (data == NULL || len == 0) {
		g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_MALFORMED, "empty message");
		return NULL;
	}
	if (len > limits->max_message) {
		len = limits->max_message;
		anomalies |= BOUNCE_ANOMALY_TOO_LARGE;
	}
	if (has_bare_cr (data, len)) {
		converted = bare_cr_to_lf (data, len);
		data = converted;
		anomalies |= BOUNCE_ANOMALY_CR_LINE_ENDINGS;
	}
	options = g_mime_parser_options_new ();
	g_mime_parser_options_set_warning_callback (options, on_parser_warning, &anomalies);
	top = bounce_parse_message (data, len, options, &anomalies, &headers);
	if (top == NULL) {
		g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_MALFORMED, "not a parseable message");
		return NULL;
	}
	scan = bounce_scan_new_with_headers (top, headers, limits);
	report = analyze_scan (scan);
	report->anomalies |= anomalies;
	return report;
}
