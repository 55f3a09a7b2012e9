/*
 * tests/check_mta.c - the MTA-family detectors (group 5) and their helpers
 *
 * DESCRIPTION	Each sample under samples/<family>/ goes through
 *		bounce_analyze_bytes(): the deciding detector, the number of
 *		recipients, the first recipient, its status, reply code and
 *		SMTP command must be as written here.  Negative cases call the
 *		detectors directly on a scan of a message they must not take:
 *		another family's bounce, a plain message.  The helper cases
 *		check the command phrases and the transcript reader.
 * SEE ALSO	src/heuristics/mta.h, samples/
 */
#include "config.h"

#include <string.h>

#include "heuristics/mta.h"
#include "heuristics/text.h"
#include "testlib.h"

static const struct {
	const char *label;
	const char *path;	/* under SAMPLES_DIR */
	guint       nrcpts;
	const char *detector;
	const char *recipient;
	const char *status;
	const char *reply_code;
	const char *command;
} cases[] = {
	{ "qmail vpopmail", "qmail/vpopmail-nomailbox.eml", 2, "qmail",
	  "nobody@example.net", "5.1.1", "", "" },
	{ "exim rcpt rejected", "exim/smtp-rcpt-rejected.eml", 2, "exim",
	  "dave@example.org", "5.1.1", "550", "RCPT" },
	{ "sendmail transcript", "sendmail/transcript-userunknown.eml", 1, "sendmail",
	  "grace@example.net", "5.1.1", "550", "RCPT" },
	{ "postfix text only", "postfix/text-only-rcpt.eml", 1, "postfix",
	  "ivan@example.org", "5.2.2", "552", "RCPT" },
	{ "courier text only", "courier/text-only-rcpt.eml", 1, "courier",
	  "kim@example.org", "5.1.1", "550", "RCPT" },
	{ "opensmtpd text only", "opensmtpd/text-only-rcpt.eml", 1, "opensmtpd",
	  "mallory@example.org", "5.7.1", "550", "" },
	{ "dragonfly final data", "dragonfly/final-data.eml", 1, "dragonfly",
	  "nina@example.org", "5.7.1", "554", "DATA" },
	{ "fml not a member", "fml/not-member.eml", 1, "fml",
	  "birds@lists.example.org", "5.0.0", "", "" },
	{ "james bounce mailet", "james/bounce-mailet.eml", 1, "james",
	  "rupert@james.example.net", "5.0.0", "550", "RCPT" },
	{ "dovecot quota", "lda/dovecot-quota.eml", 1, "dovecot",
	  "trent@example.org", "5.0.0", "", "" },
	{ "sendmail v5 transcript", "sendmail/v5-user-unknown.eml", 1, "sendmail",
	  "maria@example.net", "5.0.0", "550", "RCPT" },
	{ "x1 bracketed reason", "xmta/x1-user-unknown.eml", 1, "x1",
	  "yuki@example.jp", "5.0.0", "", "" },
	{ "x2 address paragraph", "xmta/x2-no-account.eml", 1, "x2",
	  "carlos@example.net", "5.0.0", "", "" },
	{ "x3 technical details", "xmta/x3-no-such-user.eml", 1, "x3",
	  "elsa@example.org", "5.1.1", "550", "RCPT" },
	{ "x4 reworded qmail", "xmta/x4-mailfolder-full.eml", 1, "qmail",
	  "gina@example.net", "5.0.0", "", "" },
	{ "x5 wrapped sendmail", "xmta/x5-wrapped-sendmail.eml", 1, "sendmail",
	  "ines@example.org", "5.1.1", "550", "" },
	{ "x6 one sentence each", "xmta/x6-user-unknown.eml", 1, "x6",
	  "karin@example.org", "5.1.1", "550", "" },
};

START_TEST (test_sample)
{
	g_autoptr(BounceReport) report = test_analyze_sample (cases[_i].label, cases[_i].path);
	const BounceRecipient *r = test_assert_first (cases[_i].label, report, cases[_i].detector,
						      cases[_i].nrcpts, cases[_i].recipient,
						      cases[_i].status, cases[_i].reply_code);

	TEST_ASSERT_STR (cases[_i].label, "command", r->smtp_command, cases[_i].command);
}
END_TEST

/* Messages each detector must leave alone. */
static const char plain_message[] =
	"From: Alice <alice@example.com>\n"
	"To: bob@example.org\n"
	"Subject: The following address(es) failed to show up\n"
	"Message-ID: <p1@example.com>\n"
	"\n"
	"Hi Bob,\n"
	"\n"
	"<carol@example.net>: she said she would come, but host\n"
	"    of the party was not told.\n"
	"\n"
	"Below this line is a copy of the message I sent her.\n";

static const struct {
	const char *label;
	const char *path;	/* under SAMPLES_DIR, or NULL for plain_message */
	BounceDetectFunc detect;
} negatives[] = {
	{ "exim on plain", NULL, bounce_detect_exim },
	{ "qmail on plain", NULL, bounce_detect_qmail },
	{ "sendmail on plain", NULL, bounce_detect_sendmail },
	{ "postfix on plain", NULL, bounce_detect_postfix },
	{ "courier on plain", NULL, bounce_detect_courier },
	{ "opensmtpd on plain", NULL, bounce_detect_opensmtpd },
	{ "dragonfly on plain", NULL, bounce_detect_dragonfly },
	{ "fml on plain", NULL, bounce_detect_fml },
	{ "james on plain", NULL, bounce_detect_james },
	{ "xmta on plain", NULL, bounce_detect_xmta },
	{ "lda on plain", NULL, bounce_detect_lda },
	{ "exim on qmail", "qmail/vpopmail-nomailbox.eml", bounce_detect_exim },
	{ "postfix on exim", "exim/smtp-rcpt-rejected.eml", bounce_detect_postfix },
	{ "qmail on exim", "exim/smtp-rcpt-rejected.eml", bounce_detect_qmail },
	{ "dragonfly on sendmail", "sendmail/transcript-userunknown.eml", bounce_detect_dragonfly },
	{ "sendmail on postfix", "postfix/text-only-rcpt.eml", bounce_detect_sendmail },
	{ "courier on opensmtpd", "opensmtpd/text-only-rcpt.eml", bounce_detect_courier },
	{ "fml on james", "james/bounce-mailet.eml", bounce_detect_fml },
	{ "xmta on dragonfly", "dragonfly/final-data.eml", bounce_detect_xmta },
};

START_TEST (test_negative)
{
	const char *label = negatives[_i].label;
	g_autoptr(BounceScan) scan = negatives[_i].path != NULL
		? test_scan_sample (label, negatives[_i].path)
		: test_scan_of (label, plain_message, strlen (plain_message));
	g_autoptr(BounceReport) report = bounce_report_new ();

	ck_assert_msg (!negatives[_i].detect (scan, report), "%s: got taken, want left alone", label);
	ck_assert_msg (report->recipients->len == 0, "%s: got %u recipients, want 0",
		       label, report->recipients->len);
}
END_TEST

static const struct {
	const char *label;
	const char *text;
	const char *want;	/* NULL: no command */
} commands[] = {
	{ "exim rcpt", "SMTP error from remote mail server after RCPT TO:<a@b.example>:", "RCPT" },
	{ "exim mail", "SMTP error from remote mail server after MAIL FROM:<a@b.example> SIZE=10:", "MAIL" },
	{ "exim data", "SMTP error from remote mail server after end of data:", "DATA" },
	{ "exim connect", "SMTP error from remote mail server after initial connection:", "CONN" },
	{ "postfix rcpt", "550 5.1.1 User unknown (in reply to RCPT TO command)", "RCPT" },
	{ "postfix data", "554 5.7.1 Spam (in reply to end of DATA command)", "DATA" },
	{ "dma data", "mx.example.org [192.0.2.1] did not like our final DATA:", "DATA" },
	{ "qmail data", "192.0.2.1 failed after I sent the message.", "DATA" },
	{ "earliest wins", "after MAIL FROM:<a@b.example>, then RCPT TO:<c@d.example>", "MAIL" },
	{ "none", "mailbox is full: retry timeout exceeded", NULL },
};

START_TEST (test_command)
{
	const char *got = bounce_text_smtp_command (commands[_i].text, strlen (commands[_i].text));

	ck_assert_msg (g_strcmp0 (got, commands[_i].want) == 0, "%s: got %s, want %s",
		       commands[_i].label, got ? got : "(none)",
		       commands[_i].want ? commands[_i].want : "(none)");
}
END_TEST

static const char *const markers[] = { "user unknown", "No Such User", "Mailbox voll", "宛先不明", NULL };
static const char *const with_single[] = { "zz", "!", NULL };

static const struct {
	const char *label;
	const char *text;
	const char *const *needles;
	gssize at;	/* where the earliest needle starts, -1: none */
} searches[] = {
	{ "at the start", "User Unknown here", markers, 0 },
	{ "case folded, earliest of two", "mailbox VOLL, and no such user", markers, 0 },
	{ "later one first", "sorry: no such user; user unknown", markers, 7 },
	{ "at the very end", "the address: user unknown", markers, 13 },
	{ "UTF-8 needle", "エラー: 宛先不明です", markers, 11 },
	{ "cut short at the end", "the address: user unknow", markers, -1 },
	{ "none", "mailbox is full", markers, -1 },
	{ "empty text", "", markers, -1 },
	{ "one-byte needle at the end", "all fine!", with_single, 8 },
	{ "two-byte needle", "abzzc", with_single, 2 },
};

START_TEST (test_search)
{
	const char *text = searches[_i].text;
	gsize len = strlen (text);
	const char *hit = bounce_text_find_first (text, len, searches[_i].needles);
	gboolean any = bounce_text_has_any (text, len, searches[_i].needles);
	const char *earliest = NULL;

	/* the earliest start over every needle, one search each */
	for (const char *const *m = searches[_i].needles; *m != NULL; m++) {
		const char *p = bounce_text_find (text, len, *m);
		if (p != NULL && (earliest == NULL || p < earliest))
			earliest = p;
	}
	if (searches[_i].at < 0) {
		ck_assert_msg (!any && hit == NULL && earliest == NULL, "%s: found one", searches[_i].label);
		return;
	}
	ck_assert_msg (any, "%s: has_any missed it", searches[_i].label);
	ck_assert_msg (earliest == text + searches[_i].at, "%s: earliest at %td, want %td",
		       searches[_i].label, earliest - text, searches[_i].at);
}
END_TEST

static const struct {
	const char *label;
	const char *text;
	const char *command;	/* NULL: no error reply */
	const char *reply;
	const char *recipient;
} transcripts[] = {
	{ "sendmail rcpt",
	  "... while talking to mx.example.org.:\n>>> RCPT To:<a@example.org>\n"
	  "<<< 550 5.1.1 <a@example.org>... User unknown\n",
	  "RCPT", "550 5.1.1 <a@example.org>... User unknown", "a@example.org" },
	{ "multi-line reply",
	  ">>> DATA\n<<< 554-5.7.1 Rejected\n<<< 554 5.7.1 Go away\n>>> QUIT\n",
	  "DATA", "554-5.7.1 Rejected 554 5.7.1 Go away", NULL },
	{ "postfix in/out",
	  " Out: 220 mx.example.org ESMTP\n In:  RCPT TO:<b@example.org>\n Out: 250 2.1.5 Ok\n"
	  " In:  DATA\n Out: 354 End data\n Out: 451 4.3.0 Error: queue file write error\n",
	  "DATA", "451 4.3.0 Error: queue file write error", "b@example.org" },
	{ "greeting refused", "<<< 554 5.7.1 No SMTP service here\n", "CONN",
	  "554 5.7.1 No SMTP service here", NULL },
	{ "all accepted", ">>> RCPT To:<c@example.org>\n<<< 250 2.1.5 Ok\n", NULL, "", "c@example.org" },
};

START_TEST (test_transcript)
{
	BounceMtaTranscript t;
	gboolean found = bounce_mta_transcript (transcripts[_i].text, strlen (transcripts[_i].text), &t);

	ck_assert_msg (found == (transcripts[_i].command != NULL), "%s: got %s, want %s",
		       transcripts[_i].label, found ? "a reply" : "none",
		       transcripts[_i].command ? "a reply" : "none");
	ck_assert_msg (g_strcmp0 (t.command, transcripts[_i].command) == 0, "%s: got %s, want %s",
		       transcripts[_i].label, t.command ? t.command : "(none)",
		       transcripts[_i].command ? transcripts[_i].command : "(none)");
	ck_assert_msg (strcmp (t.reply->str, transcripts[_i].reply) == 0, "%s: got %s, want %s",
		       transcripts[_i].label, t.reply->str, transcripts[_i].reply);
	ck_assert_msg (g_strcmp0 (t.recipient, transcripts[_i].recipient) == 0, "%s: got %s, want %s",
		       transcripts[_i].label, t.recipient ? t.recipient : "(none)",
		       transcripts[_i].recipient ? transcripts[_i].recipient : "(none)");
	bounce_mta_transcript_clear (&t);
}
END_TEST

/* bounce_mta_digest: what a qmail paragraph's diagnostic keeps. */
static const struct {
	const char *label;
	const char *raw;
	const char *diagnostic;
} digests[] = {
	{ "qmail keeps what was refused",
	  "Connected to 192.0.2.1 but my name was rejected.\n"
	  "Remote host said: 501 5.0.0 Invalid domain name\n",
	  "Connected to 192.0.2.1 but my name was rejected. 501 5.0.0 Invalid domain name" },
	{ "qmail drops the plain greeting",
	  "Connected to 192.0.2.1.\nRemote host said: 550 5.1.1 No such user\n",
	  "550 5.1.1 No such user" },
};

START_TEST (test_digest)
{
	g_autoptr(BounceRecipient) r = bounce_recipient_new ("a@example.org");

	bounce_mta_digest (r, digests[_i].raw, strlen (digests[_i].raw));
	ck_assert_msg (strcmp (r->diagnostic, digests[_i].diagnostic) == 0, "%s: got %s, want %s",
		       digests[_i].label, r->diagnostic, digests[_i].diagnostic);
}
END_TEST

/* Delivery-status fields left in the text give the Status the text lacks. */
START_TEST (test_inline_dsn)
{
	static const char text[] =
		"   ----- Transcript of session follows -----\n"
		"mail.local: unknown user: ann\n"
		"554 <ann@example.net>... Service unavailable\n"
		"\n"
		"Reporting-MTA: dns; mx.example.net\n"
		"\n"
		"Final-Recipient: RFC822; <ann@example.net>\n"
		"Action: failed\n"
		"Status: 5.5.0\n"
		"\n"
		"Final-Recipient: rfc822;cy@example.org\n"
		"Action: delayed\n"
		"Status: 4.0.0 (example.org: host name lookup failure)\n"
		"\n"
		"Final-Recipient: rfc822;bob@example.net\n"
		"Action: failed\n"
		"Status: 5.0.0\n"
		"Diagnostic-Code: smtp; 550 user unknown\n";
	g_autoptr(BounceReport) report = bounce_report_new ();
	BounceRecipient *r = bounce_report_add_recipient (report, "ann@example.net");
	BounceRecipient *other = bounce_report_add_recipient (report, "bob@example.net");

	bounce_recipient_set_status (other, "5.0.0");
	ck_assert_uint_eq (bounce_text_inline_dsn (report, text, strlen (text), &bounce_limits_default), 2);
	ck_assert_str_eq (r->status, "5.5.0");
	ck_assert_str_eq (r->action, "failed");
	ck_assert_str_eq (other->status, "5.0.0");
	ck_assert_str_eq (other->diagnostic, "550 user unknown");
	ck_assert_str_eq (report->reporting_mta, "mx.example.net");
	/* the fields name a recipient the text did not list */
	ck_assert_uint_eq (report->recipients->len, 3);
	ck_assert_str_eq (((BounceRecipient *) g_ptr_array_index (report->recipients, 2))->recipient,
			  "cy@example.org");
	ck_assert_str_eq (((BounceRecipient *) g_ptr_array_index (report->recipients, 2))->action, "delayed");
}
END_TEST

static Suite *
mta_suite (void)
{
	Suite *s = suite_create ("mta");
	TCase *tc = tcase_create ("detectors");

	tcase_add_loop_test (tc, test_sample, 0, G_N_ELEMENTS (cases));
	tcase_add_loop_test (tc, test_negative, 0, G_N_ELEMENTS (negatives));
	tcase_add_loop_test (tc, test_command, 0, G_N_ELEMENTS (commands));
	tcase_add_loop_test (tc, test_search, 0, G_N_ELEMENTS (searches));
	tcase_add_loop_test (tc, test_transcript, 0, G_N_ELEMENTS (transcripts));
	tcase_add_loop_test (tc, test_digest, 0, G_N_ELEMENTS (digests));
	tcase_add_test (tc, test_inline_dsn);
	suite_add_tcase (s, tc);
	return s;
}

int
main (void)
{
	return test_run_suite (mta_suite (), CK_NORMAL);
}
