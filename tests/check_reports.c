/*
 * tests/check_reports.c - feedback reports, auto-replies and the generic fallback
 *
 * DESCRIPTION	Each case analyses one message, from samples/ or written
 *		inline, and checks the kind, the deciding detector and the
 *		first recipient with its feedback type or reason.  The
 *		negative cases check that a bounce marked auto-replied stays a
 *		bounce, that an auto-reply is not taken by the fallback, and
 *		that ordinary mail gives nothing.
 */
#include "config.h"

#include <string.h>

#include "testlib.h"

/* A vacation reply from a client that sets no RFC 3834 field. */
static const char vacation_subject_only[] =
	"From: Jan Voorbeeld <jan@example.nl>\n"
	"To: sender@example.com\n"
	"Subject: Automatisch antwoord: offerte\n"
	"Date: Mon, 1 Sep 2025 09:00:00 +0200\n"
	"Message-ID: <oof.1@example.nl>\n"
	"\n"
	"Ik ben afwezig tot en met 5 september.\n";

/* A feedback report sent as plain text, without multipart/report. */
static const char arf_in_text[] =
	"From: feedback@isp.example.net\n"
	"To: fbl@example.com\n"
	"Subject: FBL report\n"
	"Date: Mon, 1 Sep 2025 10:00:00 +0000\n"
	"Content-Type: text/plain\n"
	"\n"
	"A complaint was received.\n"
	"\n"
	"Feedback-Type: opt-out\n"
	"User-Agent: IspFbl/1.0\n"
	"Version: 1\n"
	"Original-Rcpt-To: someone@isp.example.net\n"
	"\n";

/* Challenge/response. */
static const char challenge[] =
	"Return-Path: <>\n"
	"From: Guarded Inbox <guard@example.org>\n"
	"To: sender@example.com\n"
	"Subject: Please confirm your message\n"
	"Auto-Submitted: auto-generated\n"
	"Date: Mon, 1 Sep 2025 11:00:00 +0000\n"
	"\n"
	"The person you wrote to accepts mail from approved senders only.\n"
	"Simply reply to this message to have your message delivered.\n";

/* A bounce that carries Auto-Submitted: auto-replied and no DSN part. */
static const char bounce_auto_replied[] =
	"Return-Path: <>\n"
	"From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\n"
	"To: sender@example.com\n"
	"Subject: failure notice\n"
	"Auto-Submitted: auto-replied\n"
	"Date: Mon, 1 Sep 2025 12:00:00 +0000\n"
	"\n"
	"Sorry, we were unable to deliver your message to the following address.\n"
	"\n"
	"<lost.user@example.net>:\n"
	"550 5.1.1 mailbox unavailable\n";

/* A vacation reply whose From is a person, yet says nothing of a failure. */
static const char vacation_with_null_sender[] =
	"Return-Path: <>\n"
	"From: Kim <kim@example.org>\n"
	"To: sender@example.com\n"
	"Subject: Re: meeting\n"
	"X-Auto-Response-Suppress: All\n"
	"Date: Mon, 1 Sep 2025 13:00:00 +0000\n"
	"\n"
	"I am currently away from the office with limited access to email.\n";

/* X-Auto-Response-Suppress alone is not an auto-reply. */
static const char suppress_only[] =
	"From: Kim <kim@example.org>\n"
	"To: colleague@example.com\n"
	"Subject: Agenda\n"
	"X-Auto-Response-Suppress: All\n"
	"Date: Mon, 1 Sep 2025 14:00:00 +0000\n"
	"\n"
	"Here is the agenda for Thursday.\n";

/* Ordinary mail that mentions a failed delivery and codes. */
static const char plain_mail[] =
	"From: Lee <lee@example.org>\n"
	"To: me@example.com\n"
	"Subject: Re: parcel\n"
	"Date: Mon, 1 Sep 2025 15:00:00 +0000\n"
	"\n"
	"The parcel could not be delivered; call support@example.org, ticket 550.\n";

/* An MTA with no detector of its own that names the failed address in a
 * sentence, puts it in X-Original-To, and gives the reply a paragraph below. */
static const char error_sentence[] =
	"X-Original-To: <gone@example.net>\n"
	"From: MAILER-DAEMON <>\n"
	"To: sender@example.com\n"
	"Subject: Mail delivery failed\n"
	"Date: Mon, 1 Sep 2025 16:00:00 +0000\n"
	"\n"
	"This is the mail agent at relay.example.com.\n"
	"\n"
	"There was an error delivering your mail to <gone@example.net>.\n"
	"\n"
	"mx.example.net [192.0.2.7] did not like our RCPT TO:\n"
	"550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown\n"
	"\n"
	"Message headers follow.\n"
	"\n"
	"Received: from sender (uid 1000)\n"
	"To: <gone@example.net>\n"
	"From: <sender@example.com>\n";

/* A postmaster notice that names an address only in the returned original. */
static const char only_in_original[] =
	"From: postmaster@mx.example.net\n"
	"To: sender@example.com\n"
	"Subject: Undeliverable mail\n"
	"Date: Mon, 1 Sep 2025 16:00:00 +0000\n"
	"\n"
	"Your message could not be delivered.\n"
	"\n"
	"------ This is a copy of the message, including all the headers. ------\n"
	"To: hidden@example.net\n"
	"Subject: user unknown 550\n";

static const struct {
	const char *label;
	const char *sample;	/* file under samples/, or NULL */
	const char *text;	/* inline message when sample is NULL */
	BounceKind  kind;
	const char *detector;	/* NULL: any */
	const char *recipient;	/* first recipient, NULL: none expected */
	const char *feedback_type;	/* NULL: not checked */
	const char *reason;	/* NULL: not checked */
} cases[] = {
	{ "arf multipart/report", "arf/abuse-report.eml", NULL,
	  BOUNCE_KIND_FEEDBACK, "arf", "reader.one@example.net", "abuse", "feedback" },
	{ "arf jmrp style", "arf/jmrp-style.eml", NULL,
	  BOUNCE_KIND_FEEDBACK, "arf", "subscriber.two@example.org", "abuse", "feedback" },
	{ "arf fields in a text part", NULL, arf_in_text,
	  BOUNCE_KIND_FEEDBACK, "arf", "someone@isp.example.net", "opt-out", "feedback" },
	{ "vacation with auto-replied", "autoreply/vacation-de.eml", NULL,
	  BOUNCE_KIND_AUTOREPLY, "rfc3834", "anna.beispiel@example.de", NULL, "vacation" },
	{ "vacation by subject", NULL, vacation_subject_only,
	  BOUNCE_KIND_AUTOREPLY, "rfc3834", "jan@example.nl", NULL, "vacation" },
	{ "vacation by text and null sender", NULL, vacation_with_null_sender,
	  BOUNCE_KIND_AUTOREPLY, "rfc3834", "kim@example.org", NULL, "vacation" },
	{ "challenge response", NULL, challenge,
	  BOUNCE_KIND_AUTOREPLY, "challenge", "guard@example.org", NULL, "vacation" },
	{ "bounce marked auto-replied (sample)", "autoreply/bounce-marked-auto-replied.eml", NULL,
	  BOUNCE_KIND_BOUNCE, NULL, "gone.away@example.net", NULL, NULL },
	{ "bounce marked auto-replied", NULL, bounce_auto_replied,
	  BOUNCE_KIND_BOUNCE, NULL, "lost.user@example.net", NULL, "userunknown" },
	{ "fallback unknown mta", "fallback/unknown-mta.eml", NULL,
	  BOUNCE_KIND_BOUNCE, "fallback", "first.person@example.org", NULL, "userunknown" },
	{ "fallback transcript", "fallback/transcript.eml", NULL,
	  BOUNCE_KIND_BOUNCE, "fallback", "nobody.here@example.org", NULL, "userunknown" },
	{ "fallback: failed address in a sentence and in X-Original-To", NULL, error_sentence,
	  BOUNCE_KIND_BOUNCE, "fallback", "gone@example.net", NULL, "userunknown" },
	{ "suppress header alone", NULL, suppress_only,
	  BOUNCE_KIND_NONE, NULL, NULL, NULL, NULL },
	{ "plain mail", NULL, plain_mail,
	  BOUNCE_KIND_NONE, NULL, NULL, NULL, NULL },
	{ "plain sample", "not/reply-mentions-delivery.eml", NULL,
	  BOUNCE_KIND_NONE, NULL, NULL, NULL, NULL },
	{ "address only in the original", NULL, only_in_original,
	  BOUNCE_KIND_NONE, NULL, NULL, NULL, NULL },
};

START_TEST (test_reports)
{
	BounceReport *report = cases[_i].sample
		? test_analyze_sample (cases[_i].label, cases[_i].sample)
		: test_analyze_text (cases[_i].label, cases[_i].text);
	const BounceRecipient *r = report->recipients->len > 0 ?
		g_ptr_array_index (report->recipients, 0) : NULL;	/* borrowed */
	const char *label = cases[_i].label;

	ck_assert_msg (report->kind == cases[_i].kind, "%s: kind got %s, want %s", label,
		       bounce_kind_name (report->kind), bounce_kind_name (cases[_i].kind));
	if (cases[_i].detector != NULL)
		ck_assert_msg (strcmp (report->detector, cases[_i].detector) == 0,
			       "%s: detector got \"%s\", want \"%s\"", label, report->detector,
			       cases[_i].detector);
	if (cases[_i].recipient == NULL) {
		ck_assert_msg (cases[_i].kind != BOUNCE_KIND_NONE || r == NULL ||
			       report->kind == BOUNCE_KIND_NONE, "%s: unexpected recipient", label);
	} else {
		ck_assert_msg (r != NULL, "%s: no recipient", label);
		ck_assert_msg (strcmp (r->recipient, cases[_i].recipient) == 0,
			       "%s: recipient got \"%s\", want \"%s\"", label, r->recipient,
			       cases[_i].recipient);
	}
	if (cases[_i].feedback_type != NULL)
		ck_assert_msg (strcmp (r->feedback_type, cases[_i].feedback_type) == 0,
			       "%s: feedback_type got \"%s\", want \"%s\"", label, r->feedback_type,
			       cases[_i].feedback_type);
	if (cases[_i].reason != NULL)
		ck_assert_msg (strcmp (r->reason, cases[_i].reason) == 0,
			       "%s: reason got \"%s\", want \"%s\"", label, r->reason, cases[_i].reason);
	bounce_report_free (report);
}
END_TEST

/* The fallback never takes an auto-reply, even one that reaches it. */
START_TEST (test_fallback_skips_autoreply)
{
	BounceReport *report = test_analyze_sample ("vacation", "autoreply/vacation-de.eml");

	ck_assert_msg (report->kind == BOUNCE_KIND_AUTOREPLY, "vacation: kind got %s",
		       bounce_kind_name (report->kind));
	ck_assert_msg (report->recipients->len == 1, "vacation: %u recipients, want 1",
		       report->recipients->len);
	bounce_report_free (report);
	for (const BounceDetector *d = bounce_detectors_fallback; d->name != NULL; d++) {
		BounceReport *direct = bounce_report_new ();
		g_autoptr(BounceScan) scan = test_scan_sample ("vacation", "autoreply/vacation-de.eml");

		ck_assert_msg (!d->detect (scan, direct), "fallback row %s took an auto-reply", d->name);
		bounce_report_free (direct);
	}
}
END_TEST

/* A DSN returning the original whole; its second part's encoding is ENCODING. */
static char *
dsn_with_original (const char *encoding, const char *original)
{
	return g_strdup_printf (
		"From: MAILER-DAEMON@mx.example.net\n"
		"To: sender@example.com\n"
		"Subject: Undelivered Mail Returned to Sender\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\n"
		"\n"
		"--R\n"
		"Content-Type: text/plain\n"
		"\n"
		"Your message could not be delivered.\n"
		"--R\n"
		"Content-Type: message/delivery-status\n"
		"\n"
		"Reporting-MTA: dns; mx.example.net\n"
		"\n"
		"Final-Recipient: rfc822; gone@example.org\n"
		"Action: failed\n"
		"Status: 5.1.1\n"
		"--R\n"
		"Content-Type: message/rfc822\n"
		"Content-Transfer-Encoding: %s\n"
		"\n"
		"%s\n"
		"--R--\n", encoding, original);
}

static const char returned_original[] =
	"From: Sender <sender@example.com>\n"
	"To: Gone <gone@example.org>\n"
	"Subject: =?UTF-8?Q?Caf=C3=A9_news?=\n"
	"Message-ID: <issue-42@example.com>\n"
	"List-Id: News <news.example.com>\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/mixed; boundary=\"O\"\n"
	"\n"
	"--O\n"
	"Content-Type: text/plain\n"
	"\n"
	"Hello.\n"
	"--O\n"
	"Content-Type: application/octet-stream\n"
	"Content-Transfer-Encoding: base64\n"
	"\n"
	"AAECAwQFBgcICQ==\n"
	"--O--\n";

/*
 * The original's headers are read whether it came back as is or encoded,
 * and the whole original (its MIME tree) is there for who asks.
 */
START_TEST (test_returned_original)
{
	static const char *const encodings[] = { "7bit", "base64", "quoted-printable" };
	const char *encoding = encodings[_i];
	g_autofree char *original = NULL;
	g_autofree char *dsn = NULL;
	BounceReport *report;
	g_autoptr(BounceScan) scan = NULL;
	g_autoptr(GMimeObject) whole = NULL;

	if (strcmp (encoding, "base64") == 0)
		original = g_base64_encode ((const guchar *) returned_original, strlen (returned_original));
	else if (strcmp (encoding, "quoted-printable") == 0) {
		g_auto(GStrv) pieces = g_strsplit (returned_original, "=", -1);
		original = g_strjoinv ("=3D", pieces);	/* '=' is the one byte here to quote */
	} else
		original = g_strdup (returned_original);
	dsn = dsn_with_original (encoding, original);
	report = test_analyze_text (encoding, dsn);
	ck_assert_msg (report->kind == BOUNCE_KIND_BOUNCE, "%s: kind %s", encoding,
		       bounce_kind_name (report->kind));
	ck_assert_str_eq (report->orig_message_id, "issue-42@example.com");
	ck_assert_str_eq (report->orig_to, "gone@example.org");
	ck_assert_str_eq (report->orig_from, "sender@example.com");
	ck_assert_str_eq (report->orig_subject, "Café news");
	ck_assert_str_eq (report->orig_list_id, "News <news.example.com>");
	bounce_report_free (report);

	scan = test_scan_of (encoding, dsn, strlen (dsn));
	ck_assert_msg (scan->original_part != NULL, "%s: no original part", encoding);
	whole = bounce_scan_original_message (scan);
	ck_assert_msg (whole != NULL && GMIME_IS_MULTIPART (whole), "%s: original not parsed whole",
		       encoding);
	ck_assert_int_eq (g_mime_multipart_get_count (GMIME_MULTIPART (whole)), 2);
}
END_TEST

/* Run the generic row alone on NOTICE. (transfer full) */
static BounceReport *
fallback_row (const char *label, const char *notice)
{
	const BounceDetector *row = NULL;
	g_autoptr(BounceScan) scan = test_scan_of (label, notice, strlen (notice));
	BounceReport *report = bounce_report_new ();

	for (const BounceDetector *d = bounce_detectors_fallback; d->name != NULL; d++)
		if (strcmp (d->name, "fallback") == 0)
			row = d;
	ck_assert_ptr_nonnull (row);
	ck_assert_msg (row->detect (scan, report), "%s: not taken", label);
	return report;
}

static const struct {
	const char *label;
	const char *lines;	/* after the notice's opening */
	const char *recipient[2];
	const char *reply[2];	/* a piece of each one's diagnostic */
} fallback_words[] = {
	{ "past the MAIL FROM of the refused command",
	  "  friend@example.net\n"
	  "    refused after MAIL FROM:<sender@example.com> SIZE=1024:\n"
	  "    554 5.7.1 Reverse DNS failed.\n",
	  { "friend@example.net", NULL }, { "554 5.7.1 Reverse DNS failed.", NULL } },
	{ "an address inside the reply",
	  "  friend@example.net\n"
	  "    host mx.example.net [192.0.2.9]: 550 5.7.0 <sender@example.com>... Use your ISP's server\n",
	  { "friend@example.net", NULL }, { "550 5.7.0", NULL } },
	{ "on into the transcript of the session",
	  "   ----- The following addresses had permanent fatal errors -----\n"
	  ">>> friend@example.net <friend@example.net>\n"
	  "   ----- Transcript of session follows -----\n"
	  "550 sorry, no mailbox here by that name (#5.1.1 - chkusr)\n",
	  { "friend@example.net", NULL }, { "550 sorry, no mailbox", NULL } },
	{ "a flat list: each line its own",
	  "  one@example.net: 550 5.1.1 user unknown\n"
	  "  two@example.org: 552 5.2.2 mailbox full\n",
	  { "one@example.net", "two@example.org" }, { "5.1.1 user unknown", "5.2.2 mailbox full" } },
};

/* The generic row reads each failed address's words down to the reply that
 * says why, and no further than the next address's. */
START_TEST (test_fallback_words)
{
	g_autofree char *notice = g_strconcat (
		"From: Mail Delivery System <MAILER-DAEMON@relay.example.com>\n"
		"To: sender@example.com\n"
		"Subject: Mail delivery failed: returning message to sender\n"
		"\n"
		"A message that you sent could not be delivered to one or more of its\n"
		"recipients. The following address(es) failed:\n"
		"\n", fallback_words[_i].lines, NULL);
	const char *label = fallback_words[_i].label;
	BounceReport *report = fallback_row (label, notice);
	guint want = fallback_words[_i].recipient[1] != NULL ? 2 : 1;

	ck_assert_msg (report->recipients->len == want, "%s: %u recipients, want %u", label,
		       report->recipients->len, want);
	for (guint i = 0; i < want; i++) {
		const BounceRecipient *r = g_ptr_array_index (report->recipients, i);
		ck_assert_str_eq (r->recipient, fallback_words[_i].recipient[i]);
		ck_assert_msg (strstr (r->diagnostic, fallback_words[_i].reply[i]) != NULL,
			       "%s: %s: diagnostic \"%s\"", label, r->recipient, r->diagnostic);
		if (want == 2)	/* not the other one's reply */
			ck_assert_msg (strstr (r->diagnostic, fallback_words[_i].reply[1 - i]) == NULL,
				       "%s: %s: diagnostic \"%s\"", label, r->recipient, r->diagnostic);
	}
	bounce_report_free (report);
}
END_TEST

static Suite *
reports_suite (void)
{
	Suite *s = suite_create ("reports");
	TCase *tc = tcase_create ("detect");

	tcase_add_loop_test (tc, test_reports, 0, G_N_ELEMENTS (cases));
	tcase_add_test (tc, test_fallback_skips_autoreply);
	tcase_add_loop_test (tc, test_fallback_words, 0, G_N_ELEMENTS (fallback_words));
	tcase_add_loop_test (tc, test_returned_original, 0, 3);
	suite_add_tcase (s, tc);
	return s;
}

int
main (void)
{
	return test_run_suite (reports_suite (), CK_ENV);
}
