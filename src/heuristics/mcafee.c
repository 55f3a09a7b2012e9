/*
 * heuristics/mcafee.c - McAfee Email Gateway appliances and MXLogic
 *
 * DESCRIPTION	mcafee	The McAfee (NAI, formerly IronMail / WebShield)
 *			appliance answers with a multipart/mixed "Delivery
 *			Status": a deliveryproblems.txt part listing
 *			"<address>   (reason)" under "--- The following
 *			addresses had delivery problems ---", and a
 *			message/delivery-status part whose groups name the
 *			recipient with Original-Recipient only (no
 *			Final-Recipient, so the RFC 3464 reader passes it by)
 *			and carry the remote reply in Diagnostic-Code.  Both
 *			are read; the status part wins for the diagnostic.
 *			An SMTP reply there that names the recipient is the
 *			answer to its RCPT TO.
 *		mxlogic	MXLogic (McAfee SaaS Email Protection) relays bounce
 *			in Exim's words; they are told apart by their own
 *			headers (X-MXL-NoteHash, X-MX-Bounce, "<mxl~" ids).
 * LIMITS	the status part is read up to limits->max_status_body.
 * SEE ALSO	appliances.h, RFC 3464 s2.3
 */
#include "config.h"

#include <string.h>

#include "heuristics/appliances.h"
#include "heuristics/text.h"

static const char *const mcafee_marker = "--- The following addresses had delivery problems ---";

/* One field group of the status part: the fields we use. */
typedef struct {
	char *recipient;
	char *diagnostic;
	char *remote;
	char *status;
} McafeeGroup;

static void
group_clear (McafeeGroup *g)
{
	g_clear_pointer (&g->recipient, g_free);
	g_clear_pointer (&g->diagnostic, g_free);
	g_clear_pointer (&g->remote, g_free);
	g_clear_pointer (&g->status, g_free);
}

/* The value of "Name: value" when line starts with name (case-insensitive). (transfer full) */
static char *
field_value (const char *line, gsize n, const char *name)
{
	gsize k = strlen (name);
	const char *v;

	if (n <= k || g_ascii_strncasecmp (line, name, k) != 0 || line[k] != ':')
		return NULL;
	v = line + k + 1;
	return g_strstrip (g_strndup (v, line + n - v));
}

/* Drop a "type;" prefix ("smtp; 550 ...", "dns; host", "rfc822; a@b"). */
static const char *
after_type (const char *value)
{
	const char *p = value;

	while (g_ascii_isalnum (*p) || *p == '-')
		p++;
	if (*p != ';' || p == value)
		return value;
	p++;
	while (*p == ' ')
		p++;
	return p;
}

static void
group_apply (BounceReport *report, const McafeeGroup *g, guint max_recipients)
{
	g_autofree char *addr = NULL;
	BounceRecipient *r;	/* borrowed */

	if (g->recipient == NULL)
		return;
	addr = bounce_text_address (g->recipient, strlen (g->recipient), NULL);
	if (addr == NULL)
		return;
	r = bounce_report_find_recipient (report, addr);
	if (r == NULL) {
		if (report->recipients->len >= max_recipients)
			return;
		r = bounce_report_add_recipient (report, addr);
	}
	if (g->diagnostic != NULL) {
		const char *reply = after_type (g->diagnostic);
		bounce_set (&r->diagnostic, reply);
		/* the appliance lists the remote server's refusal of each address:
		 * an SMTP reply that names the recipient answered its RCPT TO */
		if (reply != g->diagnostic && g_ascii_strncasecmp (g->diagnostic, "smtp", 4) == 0 &&
		    bounce_text_find (reply, strlen (reply), addr) != NULL && *r->smtp_command == '\0')
			bounce_set (&r->smtp_command, "RCPT");
	}
	if (g->remote != NULL)
		bounce_set (&r->remote_mta, after_type (g->remote));
	if (g->status != NULL)
		bounce_recipient_set_status (r, g->status);
}

/* Read the Original-Recipient groups of the status part. */
static void
read_status_part (BounceScan *scan, BounceReport *report)
{
	g_autoptr(GByteArray) body = NULL;
	g_autofree char *text = NULL;
	BounceLines it;
	const char *line;
	gsize n;
	McafeeGroup g = { 0 };
	char **last = NULL;	/* the field a continuation line extends */

	if (scan->status_part == NULL || !GMIME_IS_PART (scan->status_part))
		return;
	body = bounce_part_bytes (GMIME_PART (scan->status_part), scan->limits->max_status_body);
	text = bounce_to_utf8 ((const char *) body->data, body->len, NULL, NULL);
	bounce_lines_init (&it, text, strlen (text));
	while (bounce_lines_next (&it, &line, &n)) {
		char *v;

		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n == 0) {
			group_apply (report, &g, scan->limits->max_recipients);
			group_clear (&g);
			last = NULL;
		} else if ((*line == ' ' || *line == '\t') && last != NULL && *last != NULL) {
			g_autofree char *old = *last;
			g_autofree char *more = g_strstrip (g_strndup (line, n));
			*last = g_strconcat (old, " ", more, NULL);
		} else if ((v = field_value (line, n, "Final-Recipient")) != NULL ||
			   (v = field_value (line, n, "Original-Recipient")) != NULL) {
			if (g.recipient == NULL)
				g.recipient = v;
			else
				g_free (v);
			last = NULL;
		} else if ((v = field_value (line, n, "Diagnostic-Code")) != NULL) {
			g_free (g.diagnostic);
			g.diagnostic = v;
			last = &g.diagnostic;
		} else if ((v = field_value (line, n, "Remote-MTA")) != NULL) {
			g_free (g.remote);
			g.remote = v;
			last = NULL;
		} else if ((v = field_value (line, n, "Status")) != NULL) {
			g_free (g.status);
			g.status = v;
			last = NULL;
		} else {
			last = NULL;
		}
	}
	group_apply (report, &g, scan->limits->max_recipients);
	group_clear (&g);
}

gboolean
bounce_detect_mcafee (BounceScan *scan, BounceReport *report)
{
	const char *nai = bounce_scan_header (scan, "X-NAI-Header");	/* borrowed */
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *hit = bounce_text_find (text, len, mcafee_marker);
	gboolean by_header = nai != NULL && strstr (nai, "McAfee") != NULL;

	/* sendmail's "----- The following addresses had delivery problems -----"
	 * contains the marker: only three dashes, alone on the line, are McAfee's */
	if (hit != NULL && ((hit > text && hit[-1] == '-') || hit[strlen (mcafee_marker)] == '-'))
		hit = NULL;
	if (!by_header && (hit == NULL || strcmp (scan->subject, "Delivery Status") != 0))
		return FALSE;
	if (by_header && hit == NULL && scan->status_part == NULL)
		return FALSE;
	if (hit != NULL) {
		const char *start = bounce_text_next_line (text, len, hit);
		BounceLines it;
		const char *line;
		gsize n;

		bounce_lines_init (&it, start, text + len - start);
		while (bounce_lines_next (&it, &line, &n)) {
			gsize end = 0;
			g_autofree char *addr = NULL;
			const char *open;
			BounceRecipient *r;	/* borrowed */
			gsize lead = 0;

			while (lead < n && (line[lead] == ' ' || line[lead] == '\t'))
				lead++;
			if (lead == n && report->recipients->len > 0)
				break;	/* the list ends at its first blank line */
			if (lead == n || line[lead] != '<')
				continue;
			addr = bounce_text_address (line, n, &end);
			if (addr == NULL)
				continue;
			if (report->recipients->len >= scan->limits->max_recipients)
				break;
			r = bounce_report_find_recipient (report, addr);
			if (r == NULL)
				r = bounce_report_add_recipient (report, addr);
			/* "<addr>   (reason)" */
			open = memchr (line + end, '(', n - end);
			if (open != NULL) {
				const char *close = line + n;
				while (close > open && close[-1] != ')')
					close--;
				if (close > open + 1)
					bounce_set_len (&r->diagnostic, open + 1, close - open - 2);
			}
		}
	}
	read_status_part (scan, report);
	if (report->recipients->len == 0)
		return FALSE;
	bounce_appl_decide (report, "mcafee");
	return TRUE;
}

/* ---- MXLogic ------------------------------------------------------------ */

static const char *const mxlogic_start[] = {
	"The following address failed:",
	"The following addresses failed:",
	"following address(es) failed:",
	NULL
};
static const char *const mxlogic_end[] = {
	"Included is a copy of the message header:",
	"------ This is a copy of the message",
	NULL
};
static const BounceTextFormat mxlogic_format = {
	.name = "mxlogic",
	.start = mxlogic_start,
	.end = mxlogic_end,
};

gboolean
bounce_detect_mxlogic (BounceScan *scan, BounceReport *report)
{
	const char *id = bounce_scan_header (scan, "Message-Id");	/* borrowed */

	if (bounce_scan_header (scan, "X-MXL-NoteHash") == NULL &&
	    bounce_scan_header (scan, "X-MXL-Hash") == NULL &&
	    bounce_scan_header (scan, "X-MX-Bounce") == NULL &&
	    (id == NULL || strstr (id, "<mxl~") == NULL))
		return FALSE;
	if (!bounce_text_block (scan, report, &mxlogic_format))
		return FALSE;
	bounce_appl_class_status (report);
	return TRUE;
}
