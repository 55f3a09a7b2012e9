/*
 * heuristics/postfix.c - Postfix notices without a delivery-status part
 *
 * DESCRIPTION	Three shapes:
 *		1. the bounce text, old ("This is the Postfix program at host
 *		   X.") and new ("This is the mail system at host X."), one
 *		   paragraph per recipient:
 *		       <a@example.org> (expanded from <b@example.org>): host
 *		           mx.example.org[192.0.2.1] said: 550 5.1.1 User unknown
 *		           (in reply to RCPT TO command)
 *		   A "THIS IS A WARNING ONLY" banner marks a delay notice.
 *		   When Postfix lost the details ("--- Delivery report
 *		   unavailable ---") the returned message's recipients stand in.
 *		2. the SMTP server's error report to the postmaster ("Postfix
 *		   SMTP server: errors from ..."): a session transcript with
 *		   "In:" and "Out:" lines; the recipient is the RCPT TO of the
 *		   session, the reason the error reply.
 */
#include "config.h"

#include <string.h>

#include "heuristics/mta.h"
#include "heuristics/text.h"

static const char *const postfix_greeting[] = {
	"This is the mail system at host ",
	"This is the Postfix program at host ",
	"This is the Postfix program at ",
	NULL
};
static const char *const postfix_end[] = {
	"Content-Description: Undelivered Message",
	"Content-Description: Delivery report",
	NULL
};
static const char *const postfix_warning[] = {
	"THIS IS A WARNING ONLY",
	NULL
};
static const char *const postfix_server_subject[] = {
	"Postfix SMTP server: errors from",
	NULL
};

/* "... at host NAME." on the greeting line. */
static void
reporting_mta (BounceReport *report, const char *greeting, const char *end)
{
	const char *eol = memchr (greeting, '\n', end - greeting);
	const char *p, *s;

	if (eol == NULL)
		eol = end;
	p = bounce_text_find (greeting, eol - greeting, " at host ");
	if (p != NULL)
		p += 9;
	else if ((p = bounce_text_find (greeting, eol - greeting, " at ")) != NULL)
		p += 4;
	else
		return;
	s = p;
	while (p < eol && (g_ascii_isalnum (*p) || *p == '.' || *p == '-' || *p == '_'))
		p++;
	while (p > s && p[-1] == '.')
		p--;
	if (p > s && memchr (s, '.', p - s) != NULL) {
		g_autofree char *host = g_ascii_strdown (s, p - s);
		bounce_set (&report->reporting_mta, host);
	}
}

/* The returned message's To and Cc as recipients. */
static void
recipients_of_original (BounceScan *scan, BounceReport *report)
{
	static const GMimeAddressType types[] = { GMIME_ADDRESS_TYPE_TO, GMIME_ADDRESS_TYPE_CC };

	if (scan->original == NULL)
		return;
	for (gsize t = 0; t < G_N_ELEMENTS (types); t++) {
		InternetAddressList *list = bounce_scan_original_addresses (scan, types[t]);	/* borrowed */
		for (int i = 0; list != NULL && i < internet_address_list_length (list); i++) {
			InternetAddress *ia = internet_address_list_get_address (list, i);	/* borrowed */
			const char *a;
			g_autofree char *addr = NULL;
			if (!INTERNET_ADDRESS_IS_MAILBOX (ia))
				continue;
			a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));	/* borrowed */
			addr = a ? bounce_text_address (a, strlen (a), NULL) : NULL;
			if (addr != NULL)
				bounce_mta_recipient (report, scan, addr);
		}
	}
}

static gboolean
postfix_server_report (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	BounceMtaTranscript t;
	BounceRecipient *rcpt = NULL;

	if (!bounce_str_has_any (scan->subject, postfix_server_subject) ||
	    bounce_text_find (text, len, "Transcript of session follows") == NULL)
		return FALSE;
	if (bounce_mta_transcript (text, len, &t) && t.recipient != NULL &&
	    (rcpt = bounce_mta_recipient (report, scan, t.recipient)) != NULL) {
		bounce_set (&rcpt->diagnostic, t.reply->str);
		if (t.command != NULL)
			bounce_set (&rcpt->smtp_command, t.command);
	}
	bounce_mta_transcript_clear (&t);
	if (rcpt == NULL)
		return FALSE;
	bounce_mta_default_status (report, "5.0.0");
	return bounce_mta_decide (scan, report, "postfix", NULL, 0);
}

gboolean
bounce_detect_postfix (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *hit;
	const char *start;
	gsize stop;
	gboolean warning;

	hit = bounce_text_find_first (text, len, postfix_greeting);
	if (hit == NULL)
		return postfix_server_report (scan, report);
	start = bounce_text_next_line (text, len, hit);
	warning = bounce_text_has_any (hit, text + len - hit, postfix_warning);
	bounce_mta_paragraphs (scan, report, start, text + len - start, postfix_end, &stop);
	if (report->recipients->len == 0 &&
	    bounce_text_find (start, text + len - start, "Delivery report unavailable") != NULL)
		recipients_of_original (scan, report);
	if (report->recipients->len == 0)
		return FALSE;
	reporting_mta (report, hit, text + len);
	for (guint i = 0; warning && i < report->recipients->len; i++)
		bounce_set (&((BounceRecipient *) g_ptr_array_index (report->recipients, i))->action,
			    "delayed");
	bounce_mta_default_status (report, warning ? "4.0.0" : "5.0.0");
	return bounce_mta_decide (scan, report, "postfix", start + stop, text + len - (start + stop));
}
