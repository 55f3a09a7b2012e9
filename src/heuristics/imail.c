/*
 * heuristics/imail.c - Ipswitch IMail Server
 *
 * DESCRIPTION	IMail (X-Mailer "<SMTP32 vN>", Subject "Undeliverable Mail")
 *		writes one line per recipient, "REASON: ADDRESS" ("Unknown
 *		user: a@b", "User mailbox exceeds allowed size: a@b",
 *		"Delivery failed 3 attempts: a@b", "undeliverable to a@b"),
 *		and may add the remote server's reply after a line that says
 *		which command drew it ("Additional RCPT TO generated following
 *		response:", "DATA command generated response:", "Body of
 *		message generated response:"), all before "Original message
 *		follows.".  IMail's own wordings are turned into status codes
 *		when the text has none.
 * SEE ALSO	appliances.h
 */
#include "config.h"

#include <string.h>

#include "heuristics/appliances.h"
#include "heuristics/text.h"

#define RESPONSE_LINES 6

static const char *const imail_end = "Original message follows.";

/* Lines that introduce the remote reply, and the command they name. */
static const struct {
	const char *needle;
	const char *command;	/* NULL: not a command */
} imail_responses[] = {
	{ "Additional RCPT TO generated following response:", "RCPT" },
	{ "DATA command generated response:", "DATA" },
	{ "Server response to MAIL FROM:", "MAIL" },
	{ "Unexpected response to EHLO/HELO:", "EHLO" },
	{ "Unexpected connection response from server:", "CONN" },
	{ "SMTP connection failed", "CONN" },
	{ "Body of message generated response:", NULL },
	{ NULL, NULL }
};

static const BounceApplPhrase imail_phrases[] = {
	{ "Invalid final delivery userid", "5.1.1" },
	{ "Unknown user", "5.1.1" },
	{ "User mailbox exceeds allowed size", "5.2.2" },
	{ "Unknown host", "5.1.2" },
	{ "Delivery failed", "5.4.7" },		/* "Delivery failed N attempts": the queue gave up */
	{ NULL, NULL }
};

gboolean
bounce_detect_imail (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *mailer = bounce_scan_header (scan, "X-Mailer");	/* borrowed */
	const char *end = bounce_text_find (text, len, imail_end);
	BounceLines it;
	const char *line;
	gsize n;
	g_autofree char *response = NULL;
	const char *command = NULL;

	if (end == NULL)
		return FALSE;
	if ((mailer == NULL || strstr (mailer, "SMTP32") == NULL) &&
	    !g_str_has_prefix (scan->subject, "Undeliverable Mail"))
		return FALSE;
	bounce_lines_init (&it, text, end - text);
	while (bounce_lines_next (&it, &line, &n)) {
		g_autofree char *addr = NULL;
		gboolean is_response = FALSE;

		for (gsize i = 0; imail_responses[i].needle && !is_response; i++) {
			if (bounce_text_find (line, n, imail_responses[i].needle) != NULL) {
				is_response = TRUE;
				if (imail_responses[i].command != NULL)
					command = imail_responses[i].command;
				if (response == NULL)
					response = bounce_appl_paragraph_after (line, end - line,
										imail_responses[i].needle,
										RESPONSE_LINES);
			}
		}
		if (is_response)
			continue;
		addr = bounce_text_address (line, n, NULL);
		if (addr != NULL && bounce_report_find_recipient (report, addr) == NULL &&
		    (memchr (line, ':', n) != NULL || bounce_text_find (line, n, "undeliverable to") != NULL)) {
			BounceRecipient *r;	/* borrowed */
			if (report->recipients->len >= scan->limits->max_recipients)
				break;
			r = bounce_report_add_recipient (report, addr);
			bounce_set_len (&r->diagnostic, line, n);
		}
	}
	if (report->recipients->len == 0)
		return FALSE;
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		const char *status = bounce_appl_phrase_status (r->diagnostic, imail_phrases);

		if (response != NULL) {
			g_autofree char *both = g_strdup_printf ("%s: %s", r->diagnostic, response);
			bounce_set (&r->diagnostic, both);
		}
		if (command != NULL)
			bounce_set (&r->smtp_command, command);
		if (bounce_text_find (r->diagnostic, strlen (r->diagnostic), "virus detected") != NULL)
			bounce_set (&r->reason, "virusdetected");
		bounce_appl_default_status (r, status);
	}
	bounce_text_take_original (scan, end, text + len - end);
	bounce_appl_decide (report, "imail");
	return TRUE;
}
