/*
 * heuristics/providers.c - what the provider detectors share
 *
 * DESCRIPTION	See providers.h.  Most mailbox providers write their own
 *		free-form bounce: a fixed sentence, then each failed address
 *		alone on a line, then the reason, then a marker before the
 *		returned message.  provider_read() reads that layout from a
 *		ProviderFormat row, so a provider is a row plus, where its
 *		text says more (a reason, a remote host), a few lines of code.
 *		Unlike bounce_text_block(), only a line holding nothing but an
 *		address starts a recipient: a reason that quotes the sender
 *		("550 5.7.1 <sender@example.org>... Access denied") or a
 *		transcript line (">>> MAIL FROM:<sender@...>") does not.
 * LIMITS	A diagnostic keeps at most 1 KiB and 16 lines.
 */
#include "config.h"

#include <string.h>

#include "dsn/status.h"
#include "heuristics/providers.h"

#define DIAG_MAX 1024
#define DIAG_LINES 16

gboolean
provider_header_has (const BounceScan *scan, const char *name, const char *const *needles)
{
	const char *value = bounce_scan_header (scan, name);	/* borrowed */

	if (value == NULL)
		return FALSE;
	return needles == NULL || bounce_str_has_any (value, needles);
}

static const char *
skip_blanks (const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

static gboolean
starts_with_ci (const char *p, const char *end, const char *prefix)
{
	gsize n = strlen (prefix);

	return (gsize) (end - p) >= n && g_ascii_strncasecmp (p, prefix, n) == 0;
}

char *
provider_lone_address (const char *line, gsize len, const char *const *labels)
{
	const char *end = line + len;
	const char *p = skip_blanks (line, end);
	const char *tok;
	gsize after = 0;
	char *addr;

	for (const char *const *l = labels; l != NULL && *l != NULL; l++) {
		if (starts_with_ci (p, end, *l)) {
			p = skip_blanks (p + strlen (*l), end);
			break;
		}
	}
	while (p < end && (*p == '<' || *p == '"' || *p == '\''))
		p++;
	tok = p;
	while (p < end && *p != ' ' && *p != '\t' && *p != '>' && *p != '"' && *p != '\'' &&
	       *p != ':' && *p != ';' && *p != ',')
		p++;
	if (p == tok || memchr (tok, '@', p - tok) == NULL)
		return NULL;
	/* only closing punctuation may follow */
	for (const char *q = p; q < end; q++)
		if (strchr (">\"':;,. \t\r", *q) == NULL)
			return NULL;
	addr = bounce_text_address (tok, p - tok, &after);
	if (addr == NULL)
		return NULL;
	if (g_ascii_strncasecmp (addr, "mailer-daemon@", 14) == 0) {
		g_free (addr);
		return NULL;
	}
	return addr;
}

void
provider_set_command (BounceRecipient *rcpt, const char *text, gsize len)
{
	const char *command;

	if (*rcpt->smtp_command != '\0')
		return;
	if ((command = bounce_text_smtp_command (text, len)) != NULL)
		bounce_set (&rcpt->smtp_command, command);
}

void
provider_default_status (BounceRecipient *rcpt, char cls)
{
	const char *diag = rcpt->diagnostic;
	gsize n = strlen (diag);
	char found[16];
	char code[4];

	if (rcpt->status[0] != '\0' || bounce_status_find (diag, n, found))
		return;
	if (bounce_reply_code_find (diag, n, code) && (code[0] == '4' || code[0] == '5'))
		cls = code[0];
	if (cls == '4')
		bounce_recipient_set_status (rcpt, "4.0.0");
	else if (cls == '5')
		bounce_recipient_set_status (rcpt, "5.0.0");
}

guint
provider_failed_recipients (BounceScan *scan, BounceReport *report)
{
	const char *value = bounce_scan_header (scan, "X-Failed-Recipients");	/* borrowed */

	if (value == NULL)
		return 0;
	return bounce_text_add_recipients (report, value, strlen (value), scan->limits->max_recipients);
}

static void
append_line (GString *out, const char *line, gsize n)
{
	const char *end = line + n;

	line = skip_blanks (line, end);
	while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	if (end == line || out->len >= DIAG_MAX)
		return;
	if (out->len > 0)
		g_string_append_c (out, ' ');
	g_string_append_len (out, line, MIN ((gsize) (end - line), DIAG_MAX - out->len));
}

char *
provider_lines_after (const char *text, gsize len, const char *const *markers,
		      const char *const *stops, gboolean stop_blank)
{
	const char *hit = bounce_text_find_first (text, len, markers);
	const char *start;
	BounceLines it;
	const char *line;
	gsize n;
	g_autoptr(GString) out = g_string_new (NULL);
	guint lines = 0;

	if (hit == NULL)
		return NULL;
	start = bounce_text_next_line (text, len, hit);
	bounce_lines_init (&it, start, text + len - start);
	while (bounce_lines_next (&it, &line, &n) && lines < DIAG_LINES) {
		if (skip_blanks (line, line + n) == line + n) {
			if (stop_blank && out->len > 0)
				break;
			continue;
		}
		if (stops != NULL && bounce_text_has_any (line, n, stops))
			break;
		append_line (out, line, n);
		lines++;
	}
	return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
provider_paragraph (const char *text, gsize len, const char *needle, const char *const *stops)
{
	const char *hit = bounce_text_find (text, len, needle);
	BounceLines it;
	const char *line;
	gsize n;
	g_autoptr(GString) out = g_string_new (NULL);
	guint lines = 0;

	if (hit == NULL)
		return NULL;
	while (hit > text && hit[-1] != '\n')
		hit--;
	bounce_lines_init (&it, hit, text + len - hit);
	while (bounce_lines_next (&it, &line, &n) && lines < DIAG_LINES) {
		if (skip_blanks (line, line + n) == line + n)
			break;
		if (lines > 0 && stops != NULL && bounce_text_has_any (line, n, stops))
			break;
		append_line (out, line, n);
		lines++;
	}
	return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
has_prefix_any (const char *line, gsize n, const char *const *prefixes)
{
	const char *end = line + n;

	line = skip_blanks (line, end);
	for (; prefixes != NULL && *prefixes != NULL; prefixes++)
		if (starts_with_ci (line, end, *prefixes))
			return TRUE;
	return FALSE;
}

/* TRUE when the line, blanks trimmed, is one of lines (case-insensitive). */
static gboolean
is_line_any (const char *line, gsize n, const char *const *lines)
{
	const char *end = line + n;

	line = skip_blanks (line, end);
	while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	for (; lines != NULL && *lines != NULL; lines++)
		if (strlen (*lines) == (gsize) (end - line) &&
		    g_ascii_strncasecmp (line, *lines, end - line) == 0)
			return TRUE;
	return FALSE;
}

/* "<user@example.org>: text": the address, and in *rest the text after the colon. */
static char *
leading_address (const char *line, gsize len, const char **rest)
{
	const char *end = line + len;
	const char *p = skip_blanks (line, end);
	const char *close;

	if (p >= end || *p != '<')
		return NULL;
	close = memchr (p, '>', end - p);
	if (close == NULL || close + 1 >= end || close[1] != ':' || memchr (p, '@', close - p) == NULL ||
	    memchr (p, ' ', close - p) != NULL || memchr (p + 1, '<', close - p - 1) != NULL)
		return NULL;
	*rest = close + 2;
	return bounce_text_address (p + 1, close - p - 1, NULL);
}

gboolean
provider_read (BounceScan *scan, BounceReport *report, const ProviderFormat *fmt)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *start = text;
	const char *stop = NULL;
	BounceLines it;
	const char *line;
	gsize n;
	BounceRecipient *current = NULL;	/* borrowed */
	g_autoptr(GString) diag = g_string_new (NULL);
	guint diag_lines = 0;
	guint added = 0;
	const char *hit;

	if (!bounce_text_gate (scan, fmt->from_any, fmt->subject_any, fmt->start, &hit))
		return FALSE;
	if (hit != NULL)
		start = bounce_text_next_line (text, len, hit);
	bounce_lines_init (&it, start, text + len - start);
	while (bounce_lines_next (&it, &line, &n)) {
		g_autofree char *addr = NULL;
		const char *rest = NULL;

		if (fmt->end != NULL && bounce_text_has_any (line, n, fmt->end)) {
			stop = line;
			break;
		}
		addr = provider_lone_address (line, n, fmt->labels);
		if (addr == NULL && fmt->leading_address)
			addr = leading_address (line, n, &rest);
		if (addr != NULL) {
			BounceRecipient *seen = bounce_report_find_recipient (report, addr);
			if (current != NULL && diag->len > 0)
				bounce_set (&current->diagnostic, diag->str);
			g_string_truncate (diag, 0);
			diag_lines = 0;
			if (seen == NULL && report->recipients->len >= scan->limits->max_recipients) {
				report->anomalies |= BOUNCE_ANOMALY_TOO_MANY_RCPTS;
				current = NULL;
				continue;
			}
			if (seen == NULL) {
				seen = bounce_report_add_recipient (report, addr);
				added++;
			} else if (*seen->diagnostic != '\0') {
				g_string_append (diag, seen->diagnostic);
			}
			current = seen;
			if (rest != NULL && rest < line + n) {
				append_line (diag, rest, line + n - rest);
				diag_lines++;
			}
			continue;
		}
		if (current == NULL || diag_lines >= DIAG_LINES)
			continue;
		if (has_prefix_any (line, n, (const char *const[]) { ">>>", NULL })) {
			provider_set_command (current, line, n);
			continue;
		}
		if (is_line_any (line, n, fmt->skip))
			continue;
		{
			const char *p = skip_blanks (line, line + n);
			if (starts_with_ci (p, line + n, "<<<"))
				p += 3;
			if (p < line + n) {
				append_line (diag, p, line + n - p);
				diag_lines++;
			}
		}
	}
	if (current != NULL && diag->len > 0)
		bounce_set (&current->diagnostic, diag->str);
	if (added == 0)
		return FALSE;
	if (stop != NULL && !fmt->no_original)
		bounce_text_take_original (scan, stop, text + len - stop);
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		provider_set_command (r, r->diagnostic, strlen (r->diagnostic));
		provider_default_status (r, fmt->default_class);
	}
	report->kind = BOUNCE_KIND_BOUNCE;
	bounce_report_set_detector (report, fmt->name);
	return TRUE;
}
