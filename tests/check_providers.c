/*
 * tests/check_providers.c - the mailbox-provider and ESP detectors (group 3)
 *
 * DESCRIPTION	Each sample under samples/<provider>/ goes through
 *		bounce_analyze_bytes(): the deciding detector, the first
 *		recipient, its status, reply code and reason must be as written
 *		here.  Negative cases call the detectors directly on a scan of a
 *		message they must not take: another provider's bounce, a plain
 *		message, a provider's ordinary (non-bounce) mail.
 * SEE ALSO	src/heuristics/providers.h, samples/
 */
#include "config.h"

#include <string.h>

#include "heuristics/providers.h"
#include "testlib.h"

static const struct {
	const char *label;
	const char *path;	/* under SAMPLES_DIR */
	guint       nrcpts;
	const char *detector;
	const char *recipient;
	const char *status;
	const char *reply_code;
	const char *reason;
} cases[] = {
	{ "gmail permanent", "gmail/permanent-userunknown.eml", 1, "gmail",
	  "bob.nobody@example.org", "5.1.1", "550", "userunknown" },
	{ "gmail delayed", "gmail/delayed-connect.eml", 1, "gmail",
	  "dave@slow.example.net", "4.0.0", "", "expired" },
	{ "google groups", "googlegroups/no-permission.eml", 1, "googlegroups",
	  "project-announce@googlegroups.com", "5.0.0", "", "rejected" },
	{ "yahoo", "yahoo/mailbox-full.eml", 1, "yahoo",
	  "grace@example.net", "5.2.2", "552", "mailboxfull" },
	{ "mail.ru", "mailru/userunknown.eml", 1, "mailru",
	  "henry@example.org", "5.1.1", "550", "userunknown" },
	{ "zoho", "zoho/two-recipients.eml", 2, "zoho",
	  "ken@example.org", "5.1.1", "550", "userunknown" },
	{ "gmx", "gmx/mailbox-full.eml", 1, "gmx",
	  "nina@example.com", "5.2.2", "552", "mailboxfull" },
	{ "1&1", "einsundeins/too-large.eml", 1, "einsundeins",
	  "peggy@example.org", "5.0.0", "", "emailtoolarge" },
	{ "verizon mms", "verizon/mms-no-valid-recipients.eml", 1, "verizon",
	  "5550100123@vzwpix.com", "5.0.0", "", "userunknown" },
	{ "ses json bounce", "amazonses/sns-bounce.eml", 1, "amazonses",
	  "rachel@example.org", "5.1.1", "550", "userunknown" },
	{ "ses json complaint", "amazonses/sns-complaint.eml", 1, "amazonses",
	  "sam@example.net", "", "", "feedback" },
	{ "workmail", "amazonworkmail/mailbox-full.eml", 1, "amazonworkmail",
	  "uma@example.org", "5.2.2", "552", "mailboxfull" },
	{ "ezweb", "ezweb/userunknown.eml", 1, "ezweb",
	  "wendy-no-such-user@ezweb.ne.jp", "5.0.0", "550", "userunknown" },
	{ "biglobe", "biglobe/mailbox-full.eml", 1, "biglobe",
	  "yvonne@example.biglobe.ne.jp", "5.0.0", "", "mailboxfull" },
	/* providers whose bounces are RFC 3464 reports: the rfc3464 reader decides */
	{ "aol outbound dsn", "aol/outbound-user-unknown.eml", 1, "rfc3464",
	  "tobias@example.org", "5.1.1", "550", "userunknown" },
	{ "sendgrid dsn", "sendgrid/bounce-userunknown.eml", 1, "rfc3464",
	  "vera@example.net", "5.1.1", "550", "userunknown" },
	{ "yandex dsn", "yandex/mailbox-full.eml", 1, "rfc3464",
	  "olga@example.org", "5.2.2", "552", "mailboxfull" },
	{ "ntt docomo refusal", "nttdocomo/unknown-user.eml", 1, "rfc3464",
	  "kenta-no-such-user@docomo.ne.jp", "5.0.0", "550", "filtered" },
	{ "facebook recipient preferences", "facebook/recipient-preferences.eml", 1, "rfc3464",
	  "someone.unreachable@facebook.com", "5.1.1", "550", "filtered" },
	{ "bigfoot dsn", "bigfoot/invalid-recipient.eml", 1, "rfc3464",
	  "emil@example.org", "5.1.1", "553", "userunknown" },
	{ "kddi ezweb refusal", "kddi/ezweb-user-unknown.eml", 1, "rfc3464",
	  "mio-nobody@ezweb.ne.jp", "5.0.0", "550", "filtered" },
};

START_TEST (test_sample)
{
	g_autoptr(BounceReport) report = test_analyze_sample (cases[_i].label, cases[_i].path);
	const BounceRecipient *r = test_assert_first (cases[_i].label, report, cases[_i].detector,
						      cases[_i].nrcpts, cases[_i].recipient,
						      cases[_i].status, cases[_i].reply_code);

	TEST_ASSERT_STR (cases[_i].label, "reason", r->reason, cases[_i].reason);
}
END_TEST

/* Messages the group must leave alone. */
static const char plain_message[] =
	"From: Alice <alice@example.com>\n"
	"To: Bob <bob@example.org>\n"
	"Subject: Lunch\n"
	"Date: Mon, 1 May 2023 12:00:00 +0000\n"
	"Message-ID: <lunch.1@example.com>\n"
	"\n"
	"Sorry, we were unable to meet. The following address is mine now:\n"
	"\n"
	"  alice.new@example.com\n";

static const char gmail_ordinary[] =
	"From: Carol <carol@gmail.com>\n"
	"To: dave@example.org\n"
	"Subject: Photos\n"
	"Date: Mon, 1 May 2023 12:00:00 +0000\n"
	"\n"
	"Delivery to the following recipient is planned for Friday:\n"
	"\n"
	"     dave@example.org\n";

static const char yahoo_autoreply[] =
	"From: Erin <erin@yahoo.com>\n"
	"To: frank@example.org\n"
	"Subject: Out of office\n"
	"Auto-Submitted: auto-replied\n"
	"\n"
	"I am away until Monday.\n";

static const char sns_other[] =
	"From: AWS Notifications <no-reply@sns.amazonaws.com>\n"
	"To: ops@example.com\n"
	"Subject: AWS Notification Message\n"
	"\n"
	"{\"AlarmName\":\"cpu-high\",\"NewStateValue\":\"ALARM\",\"Trigger\":{\"Namespace\":\"AWS/EC2\"}}\n";

static const struct {
	const char *label;
	const char *message;
} negatives[] = {
	{ "plain message", plain_message },
	{ "gmail ordinary mail", gmail_ordinary },
	{ "yahoo auto-reply", yahoo_autoreply },
	{ "sns alarm", sns_other },
};

START_TEST (test_negative)
{
	const char *msg = negatives[_i].message;
	g_autoptr(BounceScan) scan = test_scan_of (negatives[_i].label, msg, strlen (msg));

	test_assert_none_take (negatives[_i].label, bounce_detectors_providers, scan);
}
END_TEST

/* A provider's bounce must not be taken by another provider's detector. */
static const struct {
	const char *label;
	const char *path;
	BounceDetectFunc other;
} crossed[] = {
	{ "yahoo sample vs gmail", "yahoo/mailbox-full.eml", bounce_detect_gmail },
	{ "gmail sample vs googlegroups", "gmail/permanent-userunknown.eml", bounce_detect_googlegroups },
	{ "gmx sample vs mailru", "gmx/mailbox-full.eml", bounce_detect_mailru },
	{ "mailru sample vs gmx", "mailru/userunknown.eml", bounce_detect_gmx },
	{ "zoho sample vs yahoo", "zoho/two-recipients.eml", bounce_detect_yahoo },
	{ "ezweb sample vs biglobe", "ezweb/userunknown.eml", bounce_detect_biglobe },
	{ "workmail sample vs amazonses json", "amazonworkmail/mailbox-full.eml", bounce_detect_amazonses },
};

START_TEST (test_crossed)
{
	g_autoptr(BounceScan) scan = test_scan_sample (crossed[_i].label, crossed[_i].path);
	g_autoptr(BounceReport) report = bounce_report_new ();

	ck_assert_msg (!crossed[_i].other (scan, report), "%s: got taken, want not taken",
		       crossed[_i].label);
}
END_TEST

/* provider_lone_address: which lines hold an address alone. */
static const struct {
	const char *label;
	const char *line;
	const char *want;	/* NULL: not a lone address */
} lone[] = {
	{ "indented bare", "     user@example.org", "user@example.org" },
	{ "angle and colon", "<user@Example.ORG>:", "user@example.org" },
	{ "quoted and colon", "\"user@example.org\":", "user@example.org" },
	{ "labelled", "    Recipient: <user@example.org>", "user@example.org" },
	{ "reply quoting the sender", "550 5.7.1 <sender@example.org>... Access denied", NULL },
	{ "transcript", ">>> MAIL FROM:<sender@example.org>", NULL },
	{ "sentence", "The following message to <user@example.org> was undeliverable.", NULL },
	{ "daemon", "MAILER-DAEMON@example.org", NULL },
};

START_TEST (test_lone_address)
{
	static const char *const labels[] = { "Recipient:", NULL };
	g_autofree char *got = provider_lone_address (lone[_i].line, strlen (lone[_i].line), labels);

	ck_assert_msg (g_strcmp0 (got, lone[_i].want) == 0, "%s: got %s, want %s", lone[_i].label,
		       got ? got : "(none)", lone[_i].want ? lone[_i].want : "(none)");
}
END_TEST

static Suite *
providers_suite (void)
{
	Suite *s = suite_create ("providers");
	TCase *tc = tcase_create ("providers");

	tcase_add_loop_test (tc, test_sample, 0, G_N_ELEMENTS (cases));
	tcase_add_loop_test (tc, test_negative, 0, G_N_ELEMENTS (negatives));
	tcase_add_loop_test (tc, test_crossed, 0, G_N_ELEMENTS (crossed));
	tcase_add_loop_test (tc, test_lone_address, 0, G_N_ELEMENTS (lone));
	suite_add_tcase (s, tc);
	return s;
}

int
main (void)
{
	bounce_library_init ();
	return test_run_suite (providers_suite (), CK_NORMAL);
}
