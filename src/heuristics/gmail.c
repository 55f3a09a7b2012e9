/*
 * heuristics/gmail.c - Gmail and Google Workspace without a usable DSN
 *
 * DESCRIPTION	Google's "Mail Delivery Subsystem" (mailer-daemon@googlemail.com)
 *		has written two kinds of free-form bounce:
 *		 - the older text: "Delivery to the following recipient failed
 *		   permanently:" (or "has been delayed:"), the address indented
 *		   on its own line, "Technical details of permanent failure:"
 *		   and, when a remote server answered, "The error that the other
 *		   server returned was: 550 5.1.1 ...", up to "----- Original
 *		   message -----";
 *		 - the newer one: a "** Address not found **" style title, a
 *		   paragraph, and "The response was:" / "The response from the
 *		   remote server was:" followed by the reply; the addresses are
 *		   in X-Failed-Recipients.  It normally comes with a DSN part,
 *		   which the rfc3464 detector reads first; this reads it when
 *		   that part is missing or empty.
 *		A permanent failure because Google could not connect at all is
 *		the end of its retry period: reason "expired".
 */
#include "config.h"

#include <string.h>

#include "heuristics/providers.h"

static const char *const gmail_from[] = {
	"@googlemail.com", "@google.com", "@gmail.com", NULL
};
static const char *const gmail_end[] = {
	"----- Original message -----",
	"----- Message header follows -----",
	NULL
};

static const ProviderFormat gmail_permanent = {
	.name = "gmail",
	.from_any = gmail_from,
	.start = (const char *const[]) {
		"Delivery to the following recipient failed permanently",
		"Delivery to the following recipients failed permanently",
		NULL },
	.end = gmail_end,
	.skip = (const char *const[]) {
		"Technical details of permanent failure:",
		NULL },
	.default_class = '5',
};

static const ProviderFormat gmail_delayed = {
	.name = "gmail",
	.from_any = gmail_from,
	.start = (const char *const[]) {
		"Delivery to the following recipient has been delayed",
		"Delivery to the following recipients have been delayed",
		"Delivery to the following recipients has been delayed",
		NULL },
	.end = gmail_end,
	.skip = (const char *const[]) {
		"Technical details of temporary failure:",
		NULL },
	.default_class = '4',
};

/* What the older text says about one recipient. */
static void
read_details (BounceRecipient *r, gboolean permanent)
{
	const char *d = r->diagnostic;
	gsize n = strlen (d);
	const char *hit;

	/* "... rejected by the server for the recipient domain example.org by mx.example.org. [192.0.2.1]." */
	hit = bounce_text_find (d, n, "for the recipient domain ");
	if (hit != NULL) {
		const char *by = bounce_text_find (hit, d + n - hit, " by ");
		if (by != NULL) {
			const char *h = by + 4, *e = h;
			while (e < d + n && *e != ' ' && *e != '[')
				e++;
			while (e > h && e[-1] == '.')
				e--;
			if (e > h)
				bounce_set_len (&r->remote_mta, h, e - h);
		}
	}
	if (permanent && bounce_text_has_any (d, n, (const char *const[]) {
			"did not accept our requests to connect", NULL }))
		bounce_set (&r->reason, "expired");
	hit = bounce_text_find (d, n, "The error that the other server returned was:");
	if (hit != NULL) {
		g_autofree char *reply = g_strdup (hit + strlen ("The error that the other server returned was:"));
		bounce_set (&r->diagnostic, reply);
	}
}

/* The newer text: "** Address not found **" and friends. */
static gboolean
read_new_format (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *title = bounce_text_find (text, MIN (len, 2048), "** ");
	g_autofree char *reply = NULL;
	char cls;

	if (title == NULL || (title > text && title[-1] != '\n') ||
	    !bounce_text_has_any (title, MIN ((gsize) (text + len - title), 80),
				  (const char *const[]) { " **\n", NULL }))
		return FALSE;
	if (provider_failed_recipients (scan, report) == 0)
		return FALSE;
	cls = bounce_text_has_any (title, 40, (const char *const[]) {
			"incomplete", "delayed", NULL }) ? '4' : '5';
	reply = provider_lines_after (text, len, (const char *const[]) {
			"The response from the remote server was:",
			"The response was:",
			NULL }, NULL, TRUE);
	if (reply == NULL)
		reply = provider_lines_after (title, text + len - title,
					      (const char *const[]) { " **", NULL }, NULL, TRUE);
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		bounce_set (&r->diagnostic, reply);
		provider_set_command (r, r->diagnostic, strlen (r->diagnostic));
		provider_default_status (r, cls);
	}
	report->kind = BOUNCE_KIND_BOUNCE;
	bounce_report_set_detector (report, "gmail");
	return TRUE;
}

gboolean
bounce_detect_gmail (BounceScan *scan, BounceReport *report)
{
	gboolean permanent = TRUE;

	if (!bounce_str_has_any (scan->from, gmail_from))
		return FALSE;
	if (!provider_read (scan, report, &gmail_permanent)) {
		if (!provider_read (scan, report, &gmail_delayed))
			return read_new_format (scan, report);
		permanent = FALSE;
	}
	for (guint i = 0; i < report->recipients->len; i++)
		read_details (g_ptr_array_index (report->recipients, i), permanent);
	return TRUE;
}
