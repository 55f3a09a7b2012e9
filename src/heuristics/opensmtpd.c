/*
 * heuristics/opensmtpd.c - OpenSMTPD's notice, read from its text part
 *
 * DESCRIPTION	OpenSMTPD's bounce carries a delivery-status part without a
 *		Diagnostic-Code; the reason is only in the text, one line per
 *		recipient:
 *		    This is the MAILER-DAEMON, please DO NOT REPLY to this email.
 *
 *		    An error has occurred while attempting to deliver a message
 *		    for the following list of recipients:
 *
 *		    a@example.org: 550 5.1.1 <a@example.org>: User unknown
 *
 *		    Below is a copy of the original message:
 *		A delay notice says "A message is delayed for more than ...
 *		for the following list of recipients:".
 */
#include "config.h"

#include <string.h>

#include "heuristics/mta.h"
#include "heuristics/text.h"

static const char *const smtpd_intro[] = {
	"This is the MAILER-DAEMON, please DO NOT REPLY to this e",
	NULL
};
static const char *const smtpd_failed[] = {
	"An error has occurred while attempting to deliver a message",
	NULL
};
static const char *const smtpd_delayed[] = {
	"A message is delayed for more than",
	NULL
};
static const char *const smtpd_list[] = { "list of recipients:", NULL };
static const char *const smtpd_end[] = {
	"Below is a copy of the original",
	"Please note that this is only a temporary failure report",
	NULL
};

static const BounceTextFormat smtpd_format = {
	.name = "opensmtpd",
	.start = smtpd_list,
	.end = smtpd_end,
};

gboolean
bounce_detect_opensmtpd (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize head = MIN (scan->text->len, 2048);
	gboolean delayed;

	if (!bounce_text_has_any (text, head, smtpd_intro))
		return FALSE;
	delayed = bounce_text_has_any (text, head, smtpd_delayed);
	if (!delayed && !bounce_text_has_any (text, head, smtpd_failed))
		return FALSE;
	if (!bounce_text_block (scan, report, &smtpd_format))
		return FALSE;
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		const char *cmd = bounce_text_smtp_command (r->diagnostic, strlen (r->diagnostic));
		if (cmd != NULL)
			bounce_set (&r->smtp_command, cmd);
		if (delayed)
			bounce_set (&r->action, "delayed");
	}
	bounce_mta_default_status (report, delayed ? "4.0.0" : "5.0.0");
	return TRUE;
}
