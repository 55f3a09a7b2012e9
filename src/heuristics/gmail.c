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
 *		the end of its retry period: reason "expired"; "DNS Error:
 *		Domain name not found" is "hostunknown".  The "(state N)" note
 *		after a reply names the SMTP stage (14: RCPT, 15-18: DATA, ...).
 */
#include "config.h"

#include <string.h>

#include "heuristics/providers.h"

static const char *const gmail_from[] = {
	"mailer-daemon@googlemail.com", "mailer-daemon@google.com", "mailer-daemon@gmail.com", NULL
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

/* The SMTP stage behind Gmail's "(state N)" note. */
static const struct {
	const char *state;
	const char *command;
} gmail_states[] = {
	{ "(state 6)", "MAIL" },
	{ "(state 8)", "AUTH" },
	{ "(state 9)", "AUTH" },
	{ "(state 12)", "AUTH" },
	{ "(state 13)", "HELO" },
	{ "(state 14)", "RCPT" },
	{ "(state 15)", "DATA" },
	{ "(state 17)", "DATA" },
	{ "(state 18)", "DATA" },
};

/* Gmail's own sentences where no server answered. */
static const struct {
	const char *phrase;
	const char *reason;
	gboolean    permanent_only;	/* a delay of the same kind is left to the classifier */
} gmail_reasons[] = {
	{ "DNS Error: Domain name not found", "hostunknown", FALSE },
	{ "DNS Error: DNS server returned answer with no data", "hostunknown", FALSE },
	{ "DNS Error: Could not contact DNS servers", "expired", TRUE },
	{ "did not accept our requests to connect", "expired", TRUE },
};

/* The newer text's sentences. */
static const struct {
	const char *phrase;
	const char *reason;
} new_format_reasons[] = {
	{ "because the address couldn't be found", "userunknown" },
	{ "'Send mail as'", "rejected" },
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
	for (gsize i = 0; i < G_N_ELEMENTS (gmail_reasons); i++) {
		if ((permanent || !gmail_reasons[i].permanent_only) &&
		    bounce_text_find (d, n, gmail_reasons[i].phrase) != NULL) {
			bounce_set (&r->reason, gmail_reasons[i].reason);
			break;
		}
	}
	for (gsize i = 0; i < G_N_ELEMENTS (gmail_states); i++) {
		if (bounce_text_find (d, n, gmail_states[i].state) != NULL) {
			bounce_set (&r->smtp_command, gmail_states[i].command);
			break;
		}
	}
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
	g_autofree char *about = NULL;
	g_autofree char *reply = NULL;
	g_autofree char *diag = NULL;
	const char *reason = NULL;
	char cls;

	if (title == NULL || (title > text && title[-1] != '\n') ||
	    !bounce_text_has_any (title, MIN ((gsize) (text + len - title), 80),
				  (const char *const[]) { " **\n", NULL }))
		return FALSE;
	if (provider_failed_recipients (scan, report) == 0) {
		/* no header: the original's To: */
		InternetAddressList *to = bounce_scan_original_addresses (scan, GMIME_ADDRESS_TYPE_TO);	/* borrowed */
		InternetAddress *ia = to != NULL && internet_address_list_length (to) > 0
			? internet_address_list_get_address (to, 0) : NULL;	/* borrowed */
		if (ia == NULL || !INTERNET_ADDRESS_IS_MAILBOX (ia))
			return FALSE;
		bounce_report_add_recipient (report,
			internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)));
	}
	cls = bounce_text_has_any (title, 40, (const char *const[]) {
			"incomplete", "delayed", NULL }) ? '4' : '5';
	about = provider_lines_after (title, text + len - title, (const char *const[]) { " **", NULL },
				      (const char *const[]) { "The response", "Learn more", NULL }, TRUE);
	reply = provider_lines_after (text, len, (const char *const[]) {
			"The response from the remote server was:",
			"The response was:",
			NULL }, NULL, TRUE);
	diag = g_strjoin (" ", about != NULL ? about : "", reply != NULL ? reply : "", NULL);
	for (gsize i = 0; i < G_N_ELEMENTS (new_format_reasons) && reason == NULL; i++)
		if (about != NULL && bounce_str_has_any (about, (const char *const[]) {
				new_format_reasons[i].phrase, NULL }))
			reason = new_format_reasons[i].reason;
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		bounce_set (&r->diagnostic, diag);
		if (reason != NULL)
			bounce_set (&r->reason, reason);
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
