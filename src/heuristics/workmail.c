/*
 * heuristics/workmail.c - Amazon WorkMail (and SES) "Technical report" bounces
 *
 * DESCRIPTION	Amazon WorkMail, and SES for some senders, bounce with a
 *		text part only:
 *		  An error occurred while trying to deliver the mail to the
 *		  following recipients:
 *		  user@example.org
 *
 *		  Technical report:
 *		  Reporting-MTA: dsn; a1-2.smtp-out.us-west-2.amazonses.com
 *		  Action: failed
 *		  Final-Recipient: rfc822; user@example.org
 *		  Diagnostic-Code: smtp; 550 5.1.1 <user@example.org>... User Unknown
 *		  Status: 5.1.1
 *		The addresses come from the list, the codes from the report's
 *		fields (each group applies to its Final-Recipient).  The
 *		detector is "amazonworkmail" when X-Mailer says so, else
 *		"amazonses".
 */
#include "config.h"

#include <string.h>

#include "dsn/status.h"
#include "heuristics/providers.h"

static const ProviderFormat workmail_format = {
	.name = "amazonworkmail",
	.start = (const char *const[]) {
		"An error occurred while trying to deliver the mail to the following recipients",
		NULL },
	.end = (const char *const[]) { "Technical report:", NULL },
	.default_class = '5',
	.no_original = TRUE,
};

/* The value of "Name: value" when the line has that field name, else NULL. */
static const char *
field (const char *line, gsize n, const char *name, gsize *vlen)
{
	gsize k = strlen (name);
	const char *v;

	if (n <= k || g_ascii_strncasecmp (line, name, k) != 0 || line[k] != ':')
		return NULL;
	v = line + k + 1;
	while (v < line + n && (*v == ' ' || *v == '\t'))
		v++;
	*vlen = line + n - v;
	return v;
}

/* "rfc822; x" / "smtp; 550 ..." without the type. */
static const char *
untyped (const char *v, gsize *n)
{
	const char *semi = memchr (v, ';', MIN (*n, 12));

	if (semi == NULL)
		return v;
	semi++;
	while (semi < v + *n && *semi == ' ')
		semi++;
	*n -= semi - v;
	return semi;
}

static void
read_report (BounceScan *scan, BounceReport *report, const char *text, gsize len)
{
	BounceLines it;
	const char *line;
	gsize n;
	BounceRecipient *r = report->recipients->len == 1
			     ? g_ptr_array_index (report->recipients, 0) : NULL;	/* borrowed */

	bounce_lines_init (&it, text, len);
	while (bounce_lines_next (&it, &line, &n)) {
		const char *v;
		gsize vn;

		if ((v = field (line, n, "Reporting-MTA", &vn)) != NULL) {
			v = untyped (v, &vn);
			bounce_set_len (&report->reporting_mta, v, vn);
		} else if ((v = field (line, n, "Final-Recipient", &vn)) != NULL) {
			g_autofree char *addr = bounce_text_address (v, vn, NULL);
			r = addr ? bounce_report_find_recipient (report, addr) : NULL;
		} else if (r == NULL) {
			continue;
		} else if ((v = field (line, n, "Status", &vn)) != NULL) {
			g_autofree char *s = g_strndup (v, vn);
			g_strstrip (s);
			if (bounce_status_valid (s) == strlen (s))
				bounce_recipient_set_status (r, s);
		} else if ((v = field (line, n, "Diagnostic-Code", &vn)) != NULL) {
			v = untyped (v, &vn);
			bounce_set_len (&r->diagnostic, v, vn);
		} else if ((v = field (line, n, "Remote-MTA", &vn)) != NULL) {
			v = untyped (v, &vn);
			bounce_set_len (&r->remote_mta, v, vn);
		} else if ((v = field (line, n, "Action", &vn)) != NULL) {
			bounce_set_len (&r->action, v, vn);
		}
	}
	(void) scan;
}

gboolean
bounce_detect_workmail (BounceScan *scan, BounceReport *report)
{
	const char *marker;
	gboolean workmail = provider_header_has (scan, "X-Mailer",
						 (const char *const[]) { "WorkMail", NULL });

	if (!workmail &&
	    !bounce_str_has_any (scan->from, (const char *const[]) { "amazonses.com", NULL }) &&
	    !provider_header_has (scan, "X-SES-Outgoing", NULL))
		return FALSE;
	if (!provider_read (scan, report, &workmail_format))
		return FALSE;
	marker = bounce_text_find (scan->text->str, scan->text->len, "Technical report:");
	if (marker != NULL)
		read_report (scan, report, marker, scan->text->str + scan->text->len - marker);
	if (!workmail)
		bounce_report_set_detector (report, "amazonses");
	return TRUE;
}
