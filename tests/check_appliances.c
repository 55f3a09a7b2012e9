/*
 * tests/check_appliances.c - the gateway, appliance and groupware detectors (group 4)
 *
 * DESCRIPTION	Each sample under samples/<family>/ goes through
 *		bounce_analyze_bytes(): the deciding detector, the first
 *		recipient, its status and reply code must be as written here.
 *		Negative cases call every detector of the group directly on a
 *		scan of a message none of them may take: a plain message, an
 *		out-of-office reply, another MTA's bounce; and each family's
 *		detector on the other families' samples.
 * SEE ALSO	src/heuristics/appliances.h, samples/
 */
#include "config.h"

#include <string.h>

#include "heuristics/appliances.h"
#include "testlib.h"

static const struct {
	const char *label;
	const char *path;	/* under SAMPLES_DIR */
	const char *detector;
	const char *recipient;
	const char *status;
	const char *reply_code;
} cases[] = {
	{ "exchange 2003 MAPI code", "exchange/exchange2003-unknown.eml", "exchange2003",
	  "bob@example.org", "5.1.1", "" },
	{ "office 365 text NDR", "exchange/office365-text.eml", "exchange2007",
	  "carol@example.com", "5.1.10", "550" },
	{ "exchange german labels", "exchange/exchange2010-german.eml", "exchange2007",
	  "dieter@example.de", "5.2.2", "550" },
	{ "notes failure reasons", "notes/notes-not-listed.eml", "notes",
	  "taro@notes.example.co.jp", "5.1.1", "" },
	{ "domino directory", "notes/domino-not-listed.eml", "domino",
	  "erin@example.org", "5.1.1", "" },
	{ "mcafee status part", "mcafee/unknown-user.eml", "mcafee",
	  "frank@example.org", "5.1.1", "550" },
	{ "mxlogic", "mcafee/mxlogic-failed.eml", "mxlogic",
	  "grace@example.com", "5.2.1", "550" },
	{ "m-filter", "mfilter/server-message.eml", "mfilter",
	  "hanako@example.co.jp", "5.1.1", "550" },
	{ "mailfoundry", "mailfoundry/over-quota.eml", "mailfoundry",
	  "ivan@example.org", "5.2.2", "552" },
	{ "activehunter", "activehunter/no-mailbox.eml", "activehunter",
	  "jiro@ah.example.jp", "5.1.1", "550" },
	{ "mailmarshal", "mailmarshal/user-unknown.eml", "mailmarshal",
	  "kate@example.com", "5.1.1", "550" },
	{ "interscan transcript", "interscan/rcpt-transcript.eml", "interscan",
	  "leo@example.com", "5.1.1", "550" },
	{ "mimecast", "mimecast/access-denied.eml", "mimecast",
	  "mia@sub.example.org", "5.4.1", "550" },
	{ "surfcontrol", "surfcontrol/no-such-user.eml", "surfcontrol",
	  "nina@example.com", "5.1.1", "550" },
	{ "sun messaging server", "sunms/remote-rejected.eml", "sunms",
	  "oscar@example.org", "5.1.1", "550" },
	{ "imail", "imail/unknown-user.eml", "imail",
	  "paul@imail.example.com", "5.1.1", "" },
	{ "mdaemon transcript", "mdaemon/rcpt-rejected.eml", "mdaemon",
	  "quinn@example.org", "5.1.1", "550" },
	{ "amavis not relayed", "amavis/relay-refused.eml", "amavis",
	  "rosa@example.org", "5.1.1", "550" },
	{ "barracuda bulk filter", "barracuda/bulk-filter.eml", "barracuda",
	  "sam@example.org", "5.7.1", "" },
	{ "powermta text", "powermta/free-form.eml", "powermta",
	  "tina@example.com", "", "" },
	{ "groupwise gwia notice", "groupwise/undeliverable.eml", "groupwise",
	  "olaf@example.net", "5.1.1", "550" },
	{ "kerio connect notice", "kerio/rejected-address.eml", "kerio",
	  "marta@example.org", "5.1.1", "550" },
	{ "messagelabs text only", "messagelabs/text-only.eml", "messagelabs",
	  "quinten@example.com", "5.2.2", "550" },
};

START_TEST (test_sample)
{
	g_autoptr(BounceReport) report = test_analyze_sample (cases[_i].label, cases[_i].path);

	test_assert_first (cases[_i].label, report, cases[_i].detector, 0, cases[_i].recipient,
			   cases[_i].status, cases[_i].reply_code);
}
END_TEST

/* McAfee: a remote SMTP reply that names the recipient answered its RCPT TO. */
START_TEST (test_mcafee_rcpt)
{
	g_autoptr(BounceReport) report = test_analyze_sample ("mcafee rcpt", "mcafee/unknown-user.eml");
	BounceRecipient *r;

	ck_assert (report != NULL && report->recipients->len == 1);
	r = g_ptr_array_index (report->recipients, 0);
	ck_assert_str_eq (r->smtp_command, "RCPT");
	ck_assert_str_eq (r->reason, "userunknown");
}
END_TEST

/* Messages that no detector of the group may take. */
static const struct {
	const char *label;
	const char *message;
} negatives[] = {
	{ "plain message",
	  "From: Ada <ada@example.net>\nTo: bob@example.org\nSubject: Undeliverable: lunch?\n"
	  "Message-ID: <n1@example.net>\n\nHi Bob,\nthe message did not reach the following "
	  "recipient(s): nobody, it was a joke. Call me at bob@example.org.\n" },
	{ "out of office",
	  "From: Carol <carol@example.com>\nTo: ada@example.net\nSubject: Out of Office: Quarterly figures\n"
	  "Auto-Submitted: auto-replied\nMessage-ID: <n2@example.com>\n\n"
	  "I am out of the office until Monday. For urgent matters write to dave@example.com.\n" },
	{ "qmail bounce",
	  "From: MAILER-DAEMON@mx.example.org\nTo: ada@example.net\nSubject: failure notice\n\n"
	  "Hi. This is the qmail-send program at mx.example.org.\n"
	  "I'm afraid I wasn't able to deliver your message to the following addresses.\n\n"
	  "<erin@example.org>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
	  "--- Below this line is a copy of the message.\n\nFrom: ada@example.net\n" },
	{ "sendmail bounce",
	  "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\nTo: ada@example.net\n"
	  "Subject: Delivery Status\n\n"
	  "       ----- The following addresses had delivery problems -----\n"
	  "<gus@example.org> (unrecoverable error)\n\n"
	  "   ----- Transcript of session follows -----\n550 5.1.1 <gus@example.org>... User unknown\n" },
	{ "postfix bounce",
	  "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\nTo: ada@example.net\n"
	  "Subject: Undelivered Mail Returned to Sender\n\n"
	  "This is the mail system at host mx.example.org.\n\n"
	  "I'm sorry to have to inform you that your message could not\nbe delivered to one or more "
	  "recipients.\n\n<frank@example.org>: host mx2.example.org[198.51.100.2] said: 550 5.1.1 "
	  "<frank@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)\n" },
	{ "groupwise ordinary mail",
	  "From: \"Lena Roth\" <lena@example.com>\nTo: olaf@example.net\nSubject: Re: undeliverable parcel\n"
	  "X-Mailer: Novell GroupWise Internet Agent 18.4.1\nMessage-ID: <n3@example.com>\n\n"
	  "Olaf, the parcel for olaf@example.net could not be delivered to the following address: "
	  "your old office. Could you check?\n" },
	{ "kerio ordinary mail",
	  "Received: from desk (desk [192.0.2.5]) by mail.example.com (Kerio Connect 10.0.3);\n"
	  "\tWed, 10 Apr 2024 14:02:49 +0200\nFrom: Lukas <lukas@example.com>\nTo: marta@example.org\n"
	  "Subject: Remote host said what?\nMessage-ID: <n4@example.com>\n\n"
	  "The offer could not be delivered to the following office: marta@example.org, "
	  "Remote host said: nothing yet.\n" },
};

START_TEST (test_negative)
{
	const char *msg = negatives[_i].message;
	g_autoptr(BounceScan) scan = test_scan_of (negatives[_i].label, msg, strlen (msg));

	test_assert_none_take (negatives[_i].label, bounce_detectors_appliances, scan);
}
END_TEST

/* Each family's sample is taken by its own detector only. */
START_TEST (test_cross)
{
	g_autoptr(BounceScan) scan = test_scan_sample (cases[_i].label, cases[_i].path);

	for (const BounceDetector *d = bounce_detectors_appliances; d->name != NULL; d++) {
		g_autoptr(BounceReport) report = bounce_report_new ();
		if (strcmp (d->name, cases[_i].detector) == 0)
			continue;
		ck_assert_msg (!d->detect (scan, report), "%s: got taken by %s, want only %s",
			       cases[_i].label, d->name, cases[_i].detector);
	}
}
END_TEST

static Suite *
appliances_suite (void)
{
	Suite *s = suite_create ("appliances");
	TCase *tc = tcase_create ("samples");

	tcase_add_loop_test (tc, test_sample, 0, G_N_ELEMENTS (cases));
	tcase_add_test (tc, test_mcafee_rcpt);
	tcase_add_loop_test (tc, test_negative, 0, G_N_ELEMENTS (negatives));
	tcase_add_loop_test (tc, test_cross, 0, G_N_ELEMENTS (cases));
	suite_add_tcase (s, tc);
	return s;
}

int
main (void)
{
	bounce_library_init ();
	return test_run_suite (appliances_suite (), CK_NORMAL);
}
