/*
 * heuristics/xmta.c - MTAs known only by the shape of their bounces
 *
 * DESCRIPTION	Mail servers whose product name the bounce does not give,
 *		each recognised by its fixed sentences:
 *		X1  "---The following addresses had delivery errors---", then
 *		    "a@example.org [reason]" lines.
 *		X2  "Unable to deliver message to the following address(es).",
 *		    "<a@example.org>:" paragraphs, "--- Original message follows.";
 *		    and its newer "Your delivery to the following address has been
 *		    failed." / "Delivery failed: a@example.org" form.
 *		X3  "This is an automatically generated Delivery Status
 *		    Notification.", "   * a@example.org" lines, then the reason
 *		    under "Technical details:" ("SMTP:RCPT host ...: 550 ...").
 *		X6  "We had trouble delivering your message. Full details follow:",
 *		    one sentence per failed recipient with the reply in brackets.
 *		(X4 is a reworded qmail bounce, qmail.c; X5 a wrapper around a
 *		Sendmail bounce, sendmail.c.)
 */
#include "config.h"

#include <string.h>

#include "heuristics/mta.h"
#include "heuristics/text.h"

/* X1 */
static const char *const x1_start[] = { "---The following addresses had delivery errors---", NULL };
static const BounceTextFormat x1_format = { .name = "x1", .start = x1_start };

/* X2 */
static const char *const x2_start[] = { "Unable to deliver message to the following address", NULL };
static const char *const x2_end[] = { "--- Original message follows.", NULL };
static const BounceMtaFormat x2_format = {
	.name = "x2", .start = x2_start, .end = x2_end, .status = "5.0.0",
};
static const char *const x2b_start[] = { "Your delivery to the following address has been failed", NULL };
static const char *const x2b_end[] = { "STEP:", NULL };

/* "Delivery failed: a@b" then the reason lines. */
static gboolean
x2_notice (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *hit = bounce_text_find (text, len, x2b_start[0]);
	const char *rcpt_line, *eol, *stop;
	g_autofree char *addr = NULL;
	BounceRecipient *rcpt;

	if (hit == NULL || (rcpt_line = bounce_text_find (hit, text + len - hit, "Delivery failed:")) == NULL)
		return FALSE;
	eol = memchr (rcpt_line, '\n', text + len - rcpt_line);
	if (eol == NULL)
		return FALSE;
	addr = bounce_text_address (rcpt_line, eol - rcpt_line, NULL);
	if (addr == NULL || (rcpt = bounce_mta_recipient (report, scan, addr)) == NULL)
		return FALSE;
	stop = bounce_text_find (eol, text + len - eol, x2b_end[0]);
	if (stop != NULL) {
		/* "STEP: DATA SEND" names the command */
		const char *se = memchr (stop, '\n', text + len - stop);
		const char *cmd = bounce_text_smtp_command (stop, (se ? se : text + len) - stop);
		if (cmd == NULL && bounce_text_find (stop, (se ? se : text + len) - stop, "DATA") != NULL)
			cmd = "DATA";
		if (cmd == NULL && bounce_text_find (stop, (se ? se : text + len) - stop, "RCPT") != NULL)
			cmd = "RCPT";
		if (cmd != NULL)
			bounce_set (&rcpt->smtp_command, cmd);
	} else {
		stop = text + len;
	}
	{
		const char *said = bounce_text_find (eol, stop - eol, "]:");
		if (said != NULL && bounce_text_find (eol, said - eol, "said") != NULL)
			bounce_mta_digest (rcpt, said + 2, stop - said - 2);
		else
			bounce_mta_digest (rcpt, eol + 1, stop - eol - 1);
	}
	bounce_mta_default_status (report, "5.0.0");
	return bounce_mta_decide (scan, report, "x2", NULL, 0);
}

/* X3 */
static const char *const x3_intro[] = { "This is an automatically generated Delivery Status Notification", NULL };
static const char *const x3_list[] = {
	"to the following recipients failed permanently",
	"to the following recipients was aborted",
	"to the following recipients",
	NULL
};

static gboolean
x3_notice (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *hit, *details;
	g_autoptr(GString) why = g_string_new (NULL);
	BounceLines it;
	const char *line;
	gsize n;
	gboolean listing = FALSE;

	if (!bounce_text_has_any (text, MIN (len, 2048), x3_intro))
		return FALSE;
	hit = bounce_text_find_first (text, len, x3_list);
	if (hit == NULL)
		return FALSE;
	details = bounce_text_find (hit, text + len - hit, "Technical details:");
	bounce_lines_init (&it, hit, (details ? details : text + len) - hit);
	while (bounce_lines_next (&it, &line, &n)) {
		g_autofree char *addr = NULL;
		bounce_mta_trim (&line, &n);
		if (n > 2 && line[0] == '*' && line[1] == ' ' &&
		    (addr = bounce_text_address (line, n, NULL)) != NULL) {
			bounce_mta_recipient (report, scan, addr);
			listing = TRUE;
		} else if (listing && n > 0) {
			break;
		}
	}
	if (report->recipients->len == 0)
		return FALSE;
	if (details != NULL) {
		const char *eol = memchr (details, '\n', text + len - details);
		bounce_lines_init (&it, eol ? eol + 1 : text + len, eol ? text + len - eol - 1 : 0);
		while (bounce_lines_next (&it, &line, &n)) {
			bounce_mta_trim (&line, &n);
			if (n >= 4 && strncmp (line, "====", 4) == 0)
				break;
			bounce_mta_append (why, line, n);
		}
	}
	for (guint i = 0; i < report->recipients->len && why->len > 0; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		const char *reason = why->str;
		/* "SMTP:RCPT host 192.0.2.8: 553 ..." */
		if (g_ascii_strncasecmp (reason, "SMTP:", 5) == 0) {
			const char *cmd = bounce_text_smtp_command (reason, strlen (reason));
			const char *colon = strchr (reason + 5, ':');
			if (cmd == NULL && g_ascii_strncasecmp (reason + 5, "RCPT", 4) == 0)
				cmd = "RCPT";
			if (cmd == NULL && g_ascii_strncasecmp (reason + 5, "DATA", 4) == 0)
				cmd = "DATA";
			if (cmd == NULL && g_ascii_strncasecmp (reason + 5, "MAIL", 4) == 0)
				cmd = "MAIL";
			if (cmd != NULL)
				bounce_set (&r->smtp_command, cmd);
			if (colon != NULL) {
				while (*++colon == ' ')
					;
				reason = colon;
			}
		}
		bounce_set (&r->diagnostic, reason);
	}
	bounce_mta_default_status (report, "5.0.0");
	return bounce_mta_decide (scan, report, "x3", NULL, 0);
}

/* X6 */
static const char *const x6_intro[] = { "We had trouble delivering your message", NULL };
static const char *const x6_end[] = { "The attachment contains the original mail headers", NULL };

static gboolean
x6_notice (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *hit, *errors;
	BounceLines it;
	const char *line;
	gsize n;

	if ((hit = bounce_text_find (text, MIN (len, 2048), x6_intro[0])) == NULL ||
	    (errors = bounce_text_find (hit, text + len - hit, "error(s):")) == NULL)
		return FALSE;
	bounce_lines_init (&it, errors, text + len - errors);
	bounce_lines_next (&it, &line, &n);	/* the "N error(s):" line */
	while (bounce_lines_next (&it, &line, &n)) {
		const char *who;
		g_autofree char *addr = NULL;
		BounceRecipient *rcpt;

		if (bounce_text_has_any (line, n, x6_end))
			break;
		bounce_mta_trim (&line, &n);
		if (n == 0)
			continue;
		who = bounce_text_find (line, n, "recipient <");
		if (who == NULL)
			who = bounce_text_find (line, n, "errors:");
		if (who == NULL || (addr = bounce_text_address (who, line + n - who, NULL)) == NULL)
			continue;
		if ((rcpt = bounce_mta_recipient (report, scan, addr)) == NULL)
			continue;
		bounce_mta_digest (rcpt, line, n);
		/* the reply stands in brackets at the end: "[550 5.1.1 User unknown]" */
		{
			const char *open = memchr (line, '[', n);
			const char *last = NULL;
			for (const char *p = open; p != NULL; p = memchr (p + 1, '[', line + n - p - 1))
				last = p;
			if (last != NULL && last + 1 < line + n && g_ascii_isdigit (last[1])) {
				const char *close = memchr (last, ']', line + n - last);
				bounce_set_len (&rcpt->diagnostic, last + 1,
						(close ? close : line + n) - last - 1);
			}
		}
	}
	if (report->recipients->len == 0)
		return FALSE;
	bounce_mta_default_status (report, "5.0.0");
	return bounce_mta_decide (scan, report, "x6", NULL, 0);
}

gboolean
bounce_detect_xmta (BounceScan *scan, BounceReport *report)
{
	if (bounce_text_block (scan, report, &x1_format)) {
		bounce_mta_default_status (report, "5.0.0");
		return TRUE;
	}
	return bounce_mta_format (scan, report, &x2_format) ||
	       x2_notice (scan, report) ||
	       x3_notice (scan, report) ||
	       x6_notice (scan, report);
}
