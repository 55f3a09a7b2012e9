/*
 * heuristics/appliances.c - mail filters and gateways with small formats
 *
 * DESCRIPTION	The helpers the group shares (appliances.h), and the
 *		detectors whose format is a handful of marker lines:
 *		  mfilter	m-FILTER (Digital Arts): Japanese text, then
 *				"-------server message" / "-------SMTP command"
 *		  mailfoundry	"Unable to deliver message to: <addr>" and
 *				"Delivery failed for the following reason:"
 *		  activehunter	ActiveHunter (X-AHMAILID): sendmail-like lists
 *		  mailmarshal	MailMarshal: the reason first, then "The
 *				following recipients were affected:"
 *		  interscan	Trend Micro InterScan MSS: an SMTP transcript
 *				("Sent <<< RCPT TO:") or "Unable to deliver
 *				message to <addr>"
 *		  mimecast	"The problem appears to be :" notifications
 *		  surfcontrol	SurfControl E-mail Filter: "Addressed To:"
 *		  amavis	amavisd-new's own text ("WAS NOT relayed to:")
 *		  barracuda	the Spam Firewall's "Your message to:" notice
 *		  powermta	PowerMTA's "Hello, this is the mail server on"
 *		  messagelabs	MessageLabs / Symantec Email Security.cloud
 *				sent as text only: "I was unable to deliver
 *				your message to the following addresses:",
 *				bare addresses, then "Reason: <reply>"
 *		Each one tests a header or a marker before reading lines;
 *		every scan is linear in the text.
 * SEE ALSO	appliances.h, text.h
 */
#include "config.h"

#include <string.h>

#include "dsn/status.h"
#include "heuristics/appliances.h"
#include "heuristics/text.h"

#define PARAGRAPH_LINES 8

void
bounce_appl_decide (BounceReport *report, const char *name)
{
	report->kind = BOUNCE_KIND_BOUNCE;
	bounce_report_set_detector (report, name);
	bounce_appl_class_status (report);
}

void
bounce_appl_class_status (BounceReport *report)
{
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		const char *d = r->diagnostic;
		char found[16];
		char code[4];

		if (r->status[0] != '\0' || bounce_status_find (d, strlen (d), found) ||
		    !bounce_reply_code_find (d, strlen (d), code))
			continue;
		if (code[0] == '4' || code[0] == '5') {
			char status[] = { code[0], '.', '0', '.', '0', '\0' };
			bounce_recipient_set_status (r, status);
		}
	}
}

const char *
bounce_appl_line_of (const char *text, const char *pos, gsize *line_len)
{
	const char *start = pos;
	const char *end = strchr (pos, '\n');

	while (start > text && start[-1] != '\n')
		start--;
	*line_len = (end ? end : pos + strlen (pos)) - start;
	return start;
}

static gboolean
blank (const char *line, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isspace (line[i]))
			return FALSE;
	return TRUE;
}

const char *
bounce_appl_line_after (const char *text, gsize len, const char *needle, gsize *line_len)
{
	const char *hit = bounce_text_find (text, len, needle);
	const char *start;
	BounceLines it;
	const char *line;
	gsize n;

	if (hit == NULL)
		return NULL;
	start = bounce_text_next_line (text, len, hit);
	bounce_lines_init (&it, start, text + len - start);
	while (bounce_lines_next (&it, &line, &n)) {
		if (!blank (line, n)) {
			*line_len = n;
			return line;
		}
	}
	return NULL;
}

char *
bounce_appl_paragraph_after (const char *text, gsize len, const char *needle, guint max_lines)
{
	gsize n;
	const char *line = bounce_appl_line_after (text, len, needle, &n);
	g_autoptr(GString) out = NULL;
	BounceLines it;
	guint taken = 0;

	if (line == NULL)
		return NULL;
	out = g_string_new (NULL);
	bounce_lines_init (&it, line, text + len - line);
	while (taken < max_lines && bounce_lines_next (&it, &line, &n) && !blank (line, n)) {
		while (n > 0 && g_ascii_isspace (*line)) {
			line++;
			n--;
		}
		if (out->len > 0)
			g_string_append_c (out, ' ');
		g_string_append_len (out, line, n);
		taken++;
	}
	return g_string_free (g_steal_pointer (&out), FALSE);
}

void
bounce_appl_share_diagnostic (BounceReport *report, const char *diag)
{
	if (diag == NULL || *diag == '\0')
		return;
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		if (*r->diagnostic == '\0')
			bounce_set (&r->diagnostic, diag);
	}
}

void
bounce_appl_default_status (BounceRecipient *rcpt, const char *status)
{
	char found[16];

	if (status == NULL || rcpt->status[0] != '\0' ||
	    bounce_status_find (rcpt->diagnostic, strlen (rcpt->diagnostic), found))
		return;
	bounce_recipient_set_status (rcpt, status);
}

const char *
bounce_appl_phrase_status (const char *text, const BounceApplPhrase *rows)
{
	gsize len = strlen (text);

	for (; rows->needle != NULL; rows++)
		if (bounce_text_find (text, len, rows->needle) != NULL)
			return rows->status;
	return NULL;
}

/* The text after needle on its line, trimmed; NULL when needle is absent. (transfer full) */
static char *
value_after (const char *text, gsize len, const char *needle)
{
	const char *hit = bounce_text_find (text, len, needle);
	const char *end;

	if (hit == NULL)
		return NULL;
	hit += strlen (needle);
	end = memchr (hit, '\n', text + len - hit);
	if (end == NULL)
		end = text + len;
	return g_strstrip (g_strndup (hit, end - hit));
}

/* A bare host name out of "<host>", "dns; host" or "host[ip]". (transfer full) */
static char *
host_of (const char *value)
{
	const char *p = value;
	gsize n;

	if (g_ascii_strncasecmp (p, "dns;", 4) == 0)
		p += 4;
	while (*p == ' ' || *p == '<' || *p == '[')
		p++;
	n = strcspn (p, " >[](;,\t\n");
	return g_strndup (p, n);
}

/* The SMTP verb at the start of a line, upper-cased, or NULL. (transfer full) */
static char *
smtp_verb (const char *line, gsize n)
{
	static const char *const verbs[] = { "CONN", "HELO", "EHLO", "MAIL", "RCPT", "DATA", "BDAT", "STARTTLS", NULL };

	while (n > 0 && g_ascii_isspace (*line)) {
		line++;
		n--;
	}
	for (const char *const *v = verbs; *v; v++) {
		gsize vn = strlen (*v);
		if (n >= vn && g_ascii_strncasecmp (line, *v, vn) == 0 &&
		    (n == vn || !g_ascii_isalpha (line[vn])))
			return g_strdup (*v);
	}
	return NULL;
}

/* Recipients named in text[0..len) before any of end; TRUE when any was added. */
static gboolean
addresses_until (BounceScan *scan, BounceReport *report, const char *text, gsize len,
		 const char *const *end)
{
	gsize stop;

	return bounce_text_block_range (text, len, report, end, scan->limits->max_recipients, &stop) > 0;
}

/* The text just after the line containing needle, or NULL. Borrowed. */
static const char *
after_line (const char *text, gsize len, const char *needle)
{
	const char *hit = bounce_text_find (text, len, needle);

	return hit ? bounce_text_next_line (text, len, hit) : NULL;
}

/* ---- m-FILTER ----------------------------------------------------------- */

static const char *const mfilter_end[] = { "-------server message", NULL };
static const char *const mfilter_original[] = { "-------original message", "-------original mail info", NULL };

gboolean
bounce_detect_mfilter (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *mailer = bounce_scan_header (scan, "X-Mailer");	/* borrowed */
	const char *server = bounce_text_find (text, len, "-------server message");
	const char *from;
	g_autofree char *diag = NULL;
	g_autofree char *command = NULL;
	gsize n;
	const char *line;

	if (server == NULL)
		return FALSE;
	if ((mailer == NULL || strstr (mailer, "m-FILTER") == NULL) &&
	    bounce_text_find (text, len, "-------SMTP command") == NULL)
		return FALSE;
	/* "the delivery to these addresses failed:" */
	from = after_line (text, server - text, "以下のメールアドレスへの送信に失敗しました");
	if (from == NULL)
		from = text;
	if (!addresses_until (scan, report, from, server - from, mfilter_end))
		return FALSE;
	diag = bounce_appl_paragraph_after (server, text + len - server, "-------server message", PARAGRAPH_LINES);
	line = bounce_appl_line_after (server, text + len - server, "-------SMTP command", &n);
	if (line != NULL)
		command = smtp_verb (line, n);
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		if (diag != NULL)
			bounce_set (&r->diagnostic, diag);
		if (command != NULL)
			bounce_set (&r->smtp_command, command);
	}
	for (const char *const *m = mfilter_original; *m; m++) {
		const char *orig = bounce_text_find (server, text + len - server, *m);
		if (orig != NULL) {
			bounce_text_take_original (scan, orig, text + len - orig);
			break;
		}
	}
	bounce_appl_decide (report, "mfilter");
	return TRUE;
}

/* ---- MailFoundry -------------------------------------------------------- */

gboolean
bounce_detect_mailfoundry (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	BounceLines it;
	const char *line;
	gsize n;
	BounceRecipient *current = NULL;	/* borrowed */
	g_autoptr(GString) diag = g_string_new (NULL);
	gboolean reading = FALSE;

	if (bounce_text_find (text, len, "Delivery failed for the following reason:") == NULL ||
	    bounce_text_find (text, len, "Unable to deliver message to:") == NULL)
		return FALSE;
	bounce_lines_init (&it, text, len);
	while (bounce_lines_next (&it, &line, &n)) {
		if (bounce_text_find (line, n, "Unable to deliver message to:") != NULL) {
			g_autofree char *addr = bounce_text_address (line, n, NULL);
			if (addr == NULL || report->recipients->len >= scan->limits->max_recipients)
				continue;
			current = bounce_report_find_recipient (report, addr);
			if (current == NULL)
				current = bounce_report_add_recipient (report, addr);
			reading = FALSE;
		} else if (current != NULL && bounce_text_find (line, n, "Delivery failed for the following reason:")) {
			reading = TRUE;
			g_string_truncate (diag, 0);
		} else if (reading) {
			if (blank (line, n)) {
				reading = FALSE;
				continue;
			}
			if (diag->len > 0)
				g_string_append_c (diag, ' ');
			g_string_append_len (diag, line, n);
			bounce_set (&current->diagnostic, diag->str);
			/* "Server host[ip] failed with:" / "host[ip] responded with failure:" */
			if (*current->remote_mta == '\0' && memchr (line, '[', n) != NULL) {
				const char *p = line;
				g_autofree char *host = NULL;
				if (g_ascii_strncasecmp (p, "Server ", 7) == 0)
					p += 7;
				host = host_of (p);
				if (strchr (host, '.') != NULL)
					bounce_set (&current->remote_mta, host);
			}
		}
	}
	if (report->recipients->len == 0)
		return FALSE;
	bounce_appl_decide (report, "mailfoundry");
	return TRUE;
}

/* ---- ActiveHunter ------------------------------------------------------- */

static const char *const ah_start = "----- The following addresses had permanent fatal errors -----";
static const char *const ah_end[] = { "----- Transcript of session follows -----", NULL };

gboolean
bounce_detect_activehunter (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *from;
	g_autofree char *diag = NULL;

	if (bounce_scan_header (scan, "X-AHMAILID") == NULL)
		return FALSE;
	from = after_line (text, len, ah_start);
	if (from == NULL || !addresses_until (scan, report, from, text + len - from, ah_end))
		return FALSE;
	diag = bounce_appl_paragraph_after (text, len, ah_end[0], PARAGRAPH_LINES);
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		if (diag != NULL)
			bounce_set (&r->diagnostic, diag);
	}
	bounce_appl_decide (report, "activehunter");
	return TRUE;
}

/* ---- MailMarshal -------------------------------------------------------- */

static const char *const mm_end[] = { "Additional Information", "=======", NULL };

gboolean
bounce_detect_mailmarshal (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *from;
	g_autofree char *diag = NULL;
	g_autofree char *remote = NULL;
	g_autofree char *reporting = NULL;

	if (!g_str_has_prefix (scan->subject, "Undeliverable Mail"))
		return FALSE;
	from = after_line (text, len, "The following recipients were affected:");
	if (from == NULL || !addresses_until (scan, report, from, text + len - from, mm_end))
		return FALSE;
	diag = bounce_appl_paragraph_after (text, from - text, "Could not be delivered because of", PARAGRAPH_LINES);
	remote = value_after (text, len, "Remote-MTA:");
	reporting = value_after (text, len, "Reporting-MTA:");
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		if (diag != NULL)
			bounce_set (&r->diagnostic, diag);
		if (remote != NULL) {
			g_autofree char *host = host_of (remote);
			bounce_set (&r->remote_mta, host);
		}
	}
	if (reporting != NULL) {
		g_autofree char *host = host_of (reporting);
		bounce_set (&report->reporting_mta, host);
	}
	bounce_appl_decide (report, "mailmarshal");
	return TRUE;
}

/* ---- Trend Micro InterScan MSS ------------------------------------------ */

static const char *const interscan_subjects[] = {
	"Mail could not be delivered",
	"メッセージを配信できません",
	"メール配信に失敗しました",
	NULL
};

static const BounceApplPhrase interscan_phrases[] = {
	{ "Please check if address is correct", "5.1.1" },
	{ NULL, NULL }
};

gboolean
bounce_detect_interscan (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	BounceLines it;
	const char *line;
	gsize n;
	BounceRecipient *current = NULL;	/* borrowed */

	if (strstr (scan->from, "InterScan") == NULL &&
	    !bounce_str_has_any (scan->subject, interscan_subjects))
		return FALSE;
	if (bounce_text_find (text, len, "Sent <<< ") == NULL &&
	    bounce_text_find (text, len, "Unable to deliver message to") == NULL)
		return FALSE;
	bounce_lines_init (&it, text, len);
	while (bounce_lines_next (&it, &line, &n)) {
		const char *hit;

		if (g_str_has_prefix (line, "Sent <<< ")) {
			g_autofree char *verb = smtp_verb (line + 9, n - 9);
			g_autofree char *addr = NULL;

			current = NULL;
			if (verb == NULL || strcmp (verb, "RCPT") != 0)
				continue;
			addr = bounce_text_address (line, n, NULL);
			if (addr == NULL || report->recipients->len >= scan->limits->max_recipients)
				continue;
			current = bounce_report_find_recipient (report, addr);
			if (current == NULL)
				current = bounce_report_add_recipient (report, addr);
			bounce_set (&current->smtp_command, verb);
		} else if (current != NULL && g_str_has_prefix (line, "Received >>> ")) {
			bounce_set_len (&current->diagnostic, line + 13, n - 13);
			current = NULL;
		} else if ((hit = bounce_text_find (line, n, "Unable to deliver message to")) != NULL) {
			g_autofree char *addr = bounce_text_address (hit, line + n - hit, NULL);
			BounceRecipient *r;	/* borrowed */
			const char *status;

			if (addr == NULL || report->recipients->len >= scan->limits->max_recipients)
				continue;
			r = bounce_report_find_recipient (report, addr);
			if (r == NULL)
				r = bounce_report_add_recipient (report, addr);
			bounce_set_len (&r->diagnostic, hit, line + n - hit);
			status = bounce_appl_phrase_status (r->diagnostic, interscan_phrases);
			bounce_appl_default_status (r, status);
		}
	}
	if (report->recipients->len == 0)
		return FALSE;
	bounce_appl_decide (report, "interscan");
	return TRUE;
}

/* ---- Mimecast ----------------------------------------------------------- */

static const char *const mimecast_end[] = { "The problem appears to be", NULL };

static const struct {
	const char *needle;	/* the "problem appears to be" wording */
	const char *reason;
} mimecast_problems[] = {
	{ "Recipient email address is possibly incorrect", "userunknown" },
	{ NULL, NULL }
};

/* The "-- value" paragraph after a label, without its dashes. (transfer full) */
static char *
dashed_after (const char *text, gsize len, const char *label)
{
	char *value = bounce_appl_paragraph_after (text, len, label, PARAGRAPH_LINES);
	char *p;

	if (value == NULL)
		return NULL;
	p = value;
	while (*p == '-' || *p == ' ')
		p++;
	memmove (value, p, strlen (p) + 1);
	return value;
}

gboolean
bounce_detect_mimecast (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *problem_at = bounce_text_find (text, len, "The problem appears to be");
	const char *from;
	g_autofree char *problem = NULL;
	g_autofree char *more = NULL;
	g_autofree char *diag = NULL;
	const char *reason = NULL;

	if (problem_at == NULL)
		return FALSE;
	from = after_line (text, problem_at - text, "could not be delivered");
	if (from == NULL || !addresses_until (scan, report, from, problem_at - from, mimecast_end))
		return FALSE;
	problem = dashed_after (problem_at, text + len - problem_at, "The problem appears to be");
	more = dashed_after (problem_at, text + len - problem_at, "Additional information follows");
	if (more != NULL && problem != NULL)
		diag = g_strdup_printf ("%s (%s)", more, problem);
	else
		diag = g_strdup (more ? more : problem);
	for (gsize i = 0; problem != NULL && mimecast_problems[i].needle && reason == NULL; i++)
		if (bounce_text_find (problem, strlen (problem), mimecast_problems[i].needle))
			reason = mimecast_problems[i].reason;
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		if (diag != NULL)
			bounce_set (&r->diagnostic, diag);
		if (reason != NULL)
			bounce_set (&r->reason, reason);
	}
	bounce_appl_decide (report, "mimecast");
	return TRUE;
}

/* ---- SurfControl -------------------------------------------------------- */

gboolean
bounce_detect_surfcontrol (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *mailer = bounce_scan_header (scan, "X-Mailer");	/* borrowed */
	BounceLines it;
	const char *line;
	gsize n;
	gboolean failed_host = FALSE;

	if ((mailer == NULL || strstr (mailer, "SurfControl") == NULL) &&
	    bounce_scan_header (scan, "X-SEF-Processed") == NULL)
		return FALSE;
	if (bounce_text_find (text, len, "Addressed To:") == NULL)
		return FALSE;
	bounce_lines_init (&it, text, len);
	while (bounce_lines_next (&it, &line, &n)) {
		g_autofree char *addr = NULL;
		BounceRecipient *r;	/* borrowed */

		if (g_str_has_prefix (line, "Addressed To:")) {
			addr = bounce_text_address (line, n, NULL);
			if (addr != NULL && bounce_report_find_recipient (report, addr) == NULL &&
			    report->recipients->len < scan->limits->max_recipients)
				bounce_report_add_recipient (report, addr);
		} else if (bounce_text_find (line, n, "Failed to send to identified host") != NULL) {
			failed_host = TRUE;
		} else if (failed_host && (addr = bounce_text_address (line, n, NULL)) != NULL &&
			   (r = bounce_report_find_recipient (report, addr)) != NULL) {
			/* "addr: [ip], 550 reply" */
			const char *comma = memchr (line, ',', n);
			if (comma != NULL)
				bounce_set_len (&r->diagnostic, comma + 1, line + n - comma - 1);
			failed_host = FALSE;
		}
	}
	if (report->recipients->len == 0)
		return FALSE;
	bounce_appl_decide (report, "surfcontrol");
	return TRUE;
}

/* ---- amavisd-new -------------------------------------------------------- */

static const char *const amavis_start[] = {
	"The message WAS NOT relayed to:",
	"The message WAS NOT delivered to:",
	"Your message WAS NOT delivered to:",
	NULL
};
static const char *const amavis_end[] = {
	"This nondelivery report was generated by the program amavisd",
	"Return-Path:",
	NULL
};
static const BounceTextFormat amavis_format = {
	.name = "amavis",
	.start = amavis_start,
	.end = amavis_end,
};
/* The verdict amavisd writes in its Subject ("Undeliverable mail, INFECTED ..."). */
static const struct {
	const char *word;
	const char *reason;
} amavis_verdicts[] = {
	{ "INFECTED", "virusdetected" },
	{ "VIRUS", "virusdetected" },
	{ "SPAM", "spamdetected" },
	{ NULL, NULL }
};

gboolean
bounce_detect_amavis (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *reason = NULL;

	if (bounce_text_find (text, len, amavis_end[0]) == NULL &&
	    strstr (scan->from, "Content-filter") == NULL)
		return FALSE;
	if (!bounce_text_block (scan, report, &amavis_format))
		return FALSE;
	for (gsize i = 0; amavis_verdicts[i].word && reason == NULL; i++)
		if (strstr (scan->subject, amavis_verdicts[i].word) != NULL)
			reason = amavis_verdicts[i].reason;
	for (guint i = 0; reason != NULL && i < report->recipients->len; i++)
		bounce_set (&((BounceRecipient *) g_ptr_array_index (report->recipients, i))->reason, reason);
	bounce_appl_class_status (report);
	return TRUE;
}

/* ---- Barracuda Spam Firewall -------------------------------------------- */

gboolean
bounce_detect_barracuda (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	/* "blocked by our Spam Firewall", "... Spam & Virus Firewall" */
	const char *blocked = bounce_text_find (text, len, "blocked by our Spam");
	const char *to;
	gsize n;
	const char *line;
	g_autofree char *addr = NULL;
	BounceRecipient *r;	/* borrowed */

	if (blocked == NULL)
		return FALSE;
	/* "Your message to: ADDRESS" on the line before, or on the same line */
	to = bounce_text_find (text, blocked - text, "Your message to:");
	if (to == NULL)
		return FALSE;
	addr = bounce_text_address (to, blocked - to, NULL);
	if (addr == NULL)
		return FALSE;
	r = bounce_report_add_recipient (report, addr);
	line = bounce_appl_line_of (text, blocked, &n);
	bounce_set_len (&r->diagnostic, line, n);
	/* a refusal by the filter's policy: "delivery not authorized, message refused" */
	bounce_appl_default_status (r, "5.7.1");
	bounce_appl_decide (report, "barracuda");
	return TRUE;
}

/* ---- PowerMTA ----------------------------------------------------------- */

static const char *const pmta_hello = "Hello, this is the mail server on ";

gboolean
bounce_detect_powermta (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *hello = bounce_text_find (text, len, pmta_hello);
	const char *list;
	BounceLines it;
	const char *line;
	gsize n;

	if (hello == NULL)
		return FALSE;
	list = after_line (text, len, "affected recipients");
	if (list == NULL)
		return FALSE;
	bounce_lines_init (&it, list, text + len - list);
	while (bounce_lines_next (&it, &line, &n)) {
		gsize end = 0;
		g_autofree char *addr = bounce_text_address (line, n, &end);
		BounceRecipient *r;	/* borrowed */
		const char *rest;

		if (addr == NULL)
			continue;
		if (bounce_report_find_recipient (report, addr) != NULL ||
		    report->recipients->len >= scan->limits->max_recipients)
			continue;
		r = bounce_report_add_recipient (report, addr);
		/* "<addr>  delivery failed; will not continue trying" */
		rest = line + end;
		while (rest < line + n && (*rest == '>' || *rest == ' '))
			rest++;
		bounce_set_len (&r->diagnostic, rest, line + n - rest);
		if (bounce_text_find (rest, line + n - rest, "will continue trying") != NULL)
			bounce_set (&r->action, "delayed");
	}
	if (report->recipients->len == 0)
		return FALSE;
	{
		g_autofree char *host = host_of (hello + strlen (pmta_hello));
		gsize hn = strlen (host);
		while (hn > 0 && host[hn - 1] == '.')
			host[--hn] = '\0';
		bounce_set (&report->reporting_mta, host);
	}
	bounce_appl_decide (report, "powermta");
	return TRUE;
}

/* ---- MessageLabs (Symantec Email Security.cloud), text only -------------- */

static const char *const ml_names[] = { "messagelabs", "Email Security.cloud", NULL };
static const char *const ml_start[] = { "I was unable to deliver your message to the following addresses", NULL };
static const char *const ml_end[] = {
	"The message subject was:",
	"The message date was:",
	"Please do not reply to this email",
	NULL
};
static const BounceTextFormat ml_format = {
	.name = "messagelabs",
	.start = ml_start,
	.end = ml_end,
};

gboolean
bounce_detect_messagelabs (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;

	/* a sender or X-Msg-Ref at messagelabs.com, or the agent naming itself */
	if (!bounce_str_has_any (scan->from, ml_names) &&
	    !bounce_str_has_any (bounce_scan_header (scan, "X-Msg-Ref"), ml_names) &&
	    !bounce_text_has_any (text, MIN (len, 1024), ml_names))
		return FALSE;
	if (!bounce_text_block (scan, report, &ml_format))
		return FALSE;
	/* "Reason: 550-..." is the remote reply; the label is not part of it */
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		if (g_ascii_strncasecmp (r->diagnostic, "Reason:", 7) == 0) {
			g_autofree char *rest = g_strstrip (g_strdup (r->diagnostic + 7));
			bounce_set (&r->diagnostic, rest);
		}
	}
	bounce_appl_decide (report, "messagelabs");
	return TRUE;
}
