/*
 * heuristics/groupwise.c - Novell / Micro Focus GroupWise (GWIA) notices
 *
 * DESCRIPTION	The GroupWise Internet Agent reports a failure in its own
 *		words, with no delivery-status part: under "The message that
 *		you sent was undeliverable to the following:" one indented
 *		line per recipient, the address (or a bare GroupWise user id)
 *		then the reason in parentheses:
 *		  	bob@example.org (host mx.example.org said: 550 ...)
 *		then "Information about your message:" and "Possibly
 *		truncated original message follows:".  The notice is taken
 *		only with a GroupWise signal beside that sentence: its
 *		X-Mailer ("GroupWise Internet Agent"), its Subject ("Message
 *		status - undeliverable") or a GWIA sender.  A bare user id
 *		names no address and is skipped.
 * SEE ALSO	appliances.h
 */
#include "config.h"

#include <string.h>

#include "heuristics/appliances.h"
#include "heuristics/text.h"

static const char gw_start[] = "The message that you sent was undeliverable to the following";
static const char *const gw_mailers[] = { "GroupWise", NULL };
static const char *const gw_subjects[] = { "Message status - undeliverable", NULL };
static const char *const gw_senders[] = { "GWIA", NULL };
static const char *const gw_original[] = {
	"Possibly truncated original message follows",
	"Original message follows",
	NULL
};

/* GroupWise's own words for a user its post office does not know. */
static const BounceApplPhrase gw_phrases[] = {
	{ "User not on post office", "5.1.1" },
	{ "Post office not found", "5.1.2" },
	{ "Domain not found", "5.1.2" },
	{ NULL, NULL }
};

static gboolean
signalled (BounceScan *scan)
{
	const char *mailer = bounce_scan_header (scan, "X-Mailer");	/* borrowed */

	return bounce_str_has_any (mailer, gw_mailers) ||
	       bounce_str_has_any (scan->subject, gw_subjects) ||
	       bounce_str_has_any (scan->from, gw_senders);
}

/* One "<address> (reason)" line: add its recipient. */
static void
take_line (BounceScan *scan, BounceReport *report, const char *line, gsize n)
{
	gsize end = 0;
	g_autofree char *addr = bounce_text_address (line, n, &end);
	const char *rest = line + end;
	const char *stop = line + n;
	BounceRecipient *r;	/* borrowed */

	if (addr == NULL || bounce_report_find_recipient (report, addr) != NULL ||
	    report->recipients->len >= scan->limits->max_recipients)
		return;
	r = bounce_report_add_recipient (report, addr);
	while (rest < stop && (*rest == '>' || *rest == ' ' || *rest == '\t' || *rest == '('))
		rest++;
	while (stop > rest && (stop[-1] == ' ' || stop[-1] == '\t' || stop[-1] == ')'))
		stop--;
	if (stop > rest)
		bounce_set_len (&r->diagnostic, rest, stop - rest);
	bounce_appl_default_status (r, bounce_appl_phrase_status (r->diagnostic, gw_phrases));
}

gboolean
bounce_detect_groupwise (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *hit = bounce_text_find (text, len, gw_start);
	const char *from;
	BounceLines it;
	const char *line;
	gsize n;
	gboolean seen_line = FALSE;

	if (hit == NULL || !signalled (scan))
		return FALSE;
	from = memchr (hit, '\n', text + len - hit);
	if (from == NULL)
		return FALSE;
	/* the indented paragraph after the sentence, up to its blank line */
	bounce_lines_init (&it, from + 1, text + len - (from + 1));
	while (bounce_lines_next (&it, &line, &n)) {
		gsize k = 0;
		while (k < n && g_ascii_isspace (line[k]))
			k++;
		if (k == n) {
			if (seen_line)
				break;
			continue;
		}
		seen_line = TRUE;
		take_line (scan, report, line, n);
	}
	if (report->recipients->len == 0)
		return FALSE;
	for (const char *const *m = gw_original; *m; m++) {
		const char *orig = bounce_text_find (from, text + len - from, *m);
		if (orig != NULL) {
			bounce_text_take_original (scan, orig, text + len - orig);
			break;
		}
	}
	bounce_appl_decide (report, "groupwise");
	return TRUE;
}
