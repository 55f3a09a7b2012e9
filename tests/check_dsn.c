/*
 * tests/check_dsn.c - RFC 3463 code validation and RFC 3464/6533 field parsing
 */
#include "config.h"

#include <string.h>

#include "dsn/fields.h"
#include "dsn/status.h"
#include "testlib.h"

static const struct {
	const char *label, *input;
	gsize want;
} status_valid_cases[] = {
	{ "plain code",			"5.1.1",		5 },
	{ "followed by text",		"5.7.1 Relay denied",	5 },
	{ "three-digit parts",		"4.7.650 try later",	7 },
	{ "success class",		"2.0.0",		5 },
	{ "class 3 is not a class",	"3.1.1",		0 },
	{ "smtp code first",		"550 5.1.1",		0 },
	{ "four-digit detail",		"5.1.1000",		0 },
	{ "ip address",			"5.1.1.4",		0 },
	{ "version number",		"4.2.1-beta",		0 },
	{ "no detail",			"5.1.",			0 },
	{ "letters after",		"5.1.1a",		0 },
	{ "empty",			"",			0 },
};

START_TEST (test_status_valid)
{
	gsize got = bounce_status_valid (status_valid_cases[_i].input);

	ck_assert_msg (got == status_valid_cases[_i].want, "%s: got %zu, want %zu",
		       status_valid_cases[_i].label, got, status_valid_cases[_i].want);
}
END_TEST

static const struct {
	const char *label, *text, *status, *reply;
} find_cases[] = {
	{ "smtp diagnostic",		"550 5.1.1 <a@b.example>: User unknown",	"5.1.1", "550" },
	{ "hyphenated reply",		"550-5.7.1 [192.0.2.1] blocked",		"5.7.1", "550" },
	{ "code in parentheses",	"Sorry, no mailbox here by that name. (#5.1.1)", "5.1.1", "" },
	{ "ip is not a status",		"host 192.0.2.5 said: 552 mailbox full",	"", "552" },
	{ "reply before status wins",	"retry 3 times: 452 4.2.2 over quota",		"4.2.2", "452" },
	{ "no codes",			"The user does not exist",			"", "" },
	{ "version not a status",	"Postfix 3.7.1 said hello",			"", "" },
	{ "port is not a reply",	"connect to mx:25: timed out",			"", "" },
};

START_TEST (test_find_codes)
{
	char status[16], reply[4];
	const char *text = find_cases[_i].text;

	bounce_status_find (text, strlen (text), status);
	bounce_reply_code_find (text, strlen (text), reply);
	ck_assert_msg (strcmp (status, find_cases[_i].status) == 0, "%s: status got \"%s\", want \"%s\"",
		       find_cases[_i].label, status, find_cases[_i].status);
	ck_assert_msg (strcmp (reply, find_cases[_i].reply) == 0, "%s: reply got \"%s\", want \"%s\"",
		       find_cases[_i].label, reply, find_cases[_i].reply);
}
END_TEST

/* Codes cut by the end of an unterminated buffer (found by fuzzing). */
START_TEST (test_find_at_buffer_end)
{
	static const char *const texts[] = { "550 5.1", "550 5.1.", "x 5.1.1", "5.", "550-5" };
	char status[16], reply[4];

	for (gsize i = 0; i < G_N_ELEMENTS (texts); i++) {
		gsize len = strlen (texts[i]);
		g_autofree char *exact = g_memdup2 (texts[i], len);	/* no NUL after it */
		gboolean found = bounce_status_find (exact, len, status);

		bounce_reply_code_find (exact, len, reply);
		ck_assert_msg (found == (i == 2), "%s: status found %d", texts[i], found);
	}
}
END_TEST

static const struct {
	const char *label, *value, *want;
} address_cases[] = {
	{ "rfc822 type",		"rfc822; alice@example.net",		"alice@example.net" },
	{ "angle brackets",		"RFC822; <bob@example.net>",		"bob@example.net" },
	{ "no type",			"carol@example.net",			"carol@example.net" },
	{ "xtext plus",			"rfc822; dave+2Bnews@example.net",	"dave+news@example.net" },
	{ "rfc 6533 utf-8",		"utf-8; jos\\x{E9}@example.net",	"jos\xc3\xa9@example.net" },
	{ "raw utf-8",			"utf-8; jos\xc3\xa9@example.net",	"jos\xc3\xa9@example.net" },
	{ "slash in the type",		"rfc/822;gus@example.net",		"gus@example.net" },
	{ "digits are no type",		"550 5.1.1 x; hal@example.net",		"550" },
	{ "trailing comment",		"rfc822; eve@example.net (Eve)",	"eve@example.net" },
};

START_TEST (test_address)
{
	g_autofree char *got = bounce_dsn_address (address_cases[_i].value);

	ck_assert_msg (strcmp (got, address_cases[_i].want) == 0, "%s: got \"%s\", want \"%s\"",
		       address_cases[_i].label, got, address_cases[_i].want);
}
END_TEST

static const char two_groups[] =
	"Reporting-MTA: dns; mx.example.org\r\n"
	"Arrival-Date: Tue, 3 Nov 2026 09:14:01 +0100\r\n"
	"\r\n"
	"Original-Recipient: rfc822;a@example.net\r\n"
	"Final-Recipient: rfc822; a@example.net\r\n"
	"Action: failed\r\n"
	"Status: 5.1.1\r\n"
	"Remote-MTA: dns; MX.Example.NET\r\n"
	"Diagnostic-Code: smtp; 550 5.1.1 <a@example.net>: Recipient\r\n"
	"    address rejected\r\n"
	"\r\n"
	"Final-Recipient: rfc822; b@example.net\r\n"
	"Action: delayed\r\n"
	"Status: 4.4.1\r\n";

/* Some MTAs leave out the blank line between groups. */
static const char no_blank[] =
	"Reporting-MTA: dns; mx.example.org\n"
	"Final-Recipient: rfc822; a@example.net\n"
	"Action: failed\n"
	"Status: 5.2.2\n"
	"Final-Recipient: rfc822; b@example.net\n"
	"Action: failed\n"
	"Status: 550\n";

START_TEST (test_parse_groups)
{
	g_autoptr(BounceReport) r = bounce_report_new ();
	BounceRecipient *a, *b;

	ck_assert_uint_eq (bounce_dsn_parse (two_groups, strlen (two_groups), FALSE, r, &bounce_limits_default), 2);
	ck_assert_str_eq (r->reporting_mta, "mx.example.org");
	a = g_ptr_array_index (r->recipients, 0);
	b = g_ptr_array_index (r->recipients, 1);
	ck_assert_str_eq (a->recipient, "a@example.net");
	ck_assert_str_eq (a->original_recipient, "a@example.net");
	ck_assert_str_eq (a->action, "failed");
	ck_assert_str_eq (a->status, "5.1.1");
	ck_assert_str_eq (a->remote_mta, "mx.example.net");
	ck_assert_str_eq (a->diagnostic, "550 5.1.1 <a@example.net>: Recipient address rejected");
	ck_assert_str_eq (b->recipient, "b@example.net");
	ck_assert_str_eq (b->action, "delayed");
	ck_assert_str_eq (b->status, "4.4.1");
}
END_TEST

START_TEST (test_parse_no_blank_line)
{
	g_autoptr(BounceReport) r = bounce_report_new ();
	BounceRecipient *b;

	ck_assert_uint_eq (bounce_dsn_parse (no_blank, strlen (no_blank), FALSE, r, &bounce_limits_default), 2);
	b = g_ptr_array_index (r->recipients, 1);
	ck_assert_str_eq (b->recipient, "b@example.net");
	ck_assert_str_eq (b->status, "");	/* "550" is not an enhanced status */
}
END_TEST

/* RFC 3464 sets no order: fields may come before Final-Recipient in a group. */
static const char fields_first[] =
	"Reporting-MTA: dns; mx.example.org\n"
	"\n"
	"Diagnostic-Code: smtp; 550 5.1.1 Refused due to recipient preferences\n"
	"Status: 5.1.1\n"
	"Final-Recipient: rfc822; a@example.net\n"
	"Action: failed\n"
	"\n"
	"Action: failed\n"
	"Final-Recipient: rfc822; b@example.net\n"
	"Original-Recipient: rfc822; b@example.net\n"
	"Status: 5.2.2\n";

START_TEST (test_parse_fields_before_recipient)
{
	g_autoptr(BounceReport) r = bounce_report_new ();
	BounceRecipient *a, *b;

	ck_assert_uint_eq (bounce_dsn_parse (fields_first, strlen (fields_first), FALSE, r,
					     &bounce_limits_default), 2);
	a = g_ptr_array_index (r->recipients, 0);
	b = g_ptr_array_index (r->recipients, 1);
	ck_assert_str_eq (a->recipient, "a@example.net");
	ck_assert_str_eq (a->status, "5.1.1");
	ck_assert_str_eq (a->diagnostic, "550 5.1.1 Refused due to recipient preferences");
	ck_assert_str_eq (a->action, "failed");
	/* an Action before Final-Recipient does not end the group at Original-Recipient */
	ck_assert_str_eq (b->recipient, "b@example.net");
	ck_assert_str_eq (b->original_recipient, "b@example.net");
	ck_assert_str_eq (b->status, "5.2.2");
}
END_TEST

/* Blanks before the colon, an odd address type, a reply pasted unfolded. */
static const char sloppy[] =
	"Reporting-MTA : dns;mx.example.org\n"
	"Action : failed\n"
	"Status : 5.0.0\n"
	"Diagnostic-Code : smtp; 550-Please turn on SMTP Authentication.\n"
	"550-mx.example.org [192.0.2.1]:25 is not permitted to\n"
	"550 relay without authentication.\n"
	"Original-Recipient : rfc/822;c@example.net\n"
	"Final-Recipient : rfc/822;c@example.net\n"
	"X-PowerMTA-BounceCategory: quota-issues\n";

START_TEST (test_parse_sloppy_fields)
{
	g_autoptr(BounceReport) r = bounce_report_new ();
	BounceRecipient *c;

	ck_assert_uint_eq (bounce_dsn_parse (sloppy, strlen (sloppy), FALSE, r, &bounce_limits_default), 1);
	c = g_ptr_array_index (r->recipients, 0);
	ck_assert_str_eq (r->reporting_mta, "mx.example.org");
	ck_assert_str_eq (c->recipient, "c@example.net");
	ck_assert_str_eq (c->original_recipient, "c@example.net");
	ck_assert_str_eq (c->status, "5.0.0");
	ck_assert_str_eq (c->diagnostic, "550-Please turn on SMTP Authentication. "
			  "550-mx.example.org [192.0.2.1]:25 is not permitted to "
			  "550 relay without authentication.");
	ck_assert_str_eq (c->reason, "mailboxfull");	/* the PowerMTA category */
}
END_TEST

/* x-unix: a local program's words the classifier cannot read are its failure. */
static const char x_unix[] =
	"Reporting-MTA: dns; mx.example.org\n"
	"\n"
	"Final-Recipient: rfc822; a@example.org\n"
	"Action: failed\n"
	"Status: 4.3.0\n"
	"Diagnostic-Code: x-unix; temporary failure\n"
	"\n"
	"Final-Recipient: rfc822; b@example.org\n"
	"Action: failed\n"
	"Status: 4.3.0\n"
	"Diagnostic-Code: X-Unix; /home/b/Maildir/tmp/1.x: Disk quota exceeded\n"
	"\n"
	"Final-Recipient: rfc822; c@example.org\n"
	"Action: failed\n"
	"Status: 5.3.0\n"
	"Diagnostic-Code: X-Unix; 77\n";

START_TEST (test_parse_x_unix)
{
	g_autoptr(BounceReport) r = bounce_report_new ();

	ck_assert_uint_eq (bounce_dsn_parse (x_unix, strlen (x_unix), FALSE, r, &bounce_limits_default), 3);
	ck_assert_str_eq (((BounceRecipient *) g_ptr_array_index (r->recipients, 0))->reason, "mailererror");
	ck_assert_str_eq (((BounceRecipient *) g_ptr_array_index (r->recipients, 1))->reason, "");
	ck_assert_str_eq (((BounceRecipient *) g_ptr_array_index (r->recipients, 2))->reason, "");
}
END_TEST

START_TEST (test_parse_limits)
{
	g_autoptr(BounceReport) r = bounce_report_new ();
	g_autoptr(GString) body = g_string_new ("Reporting-MTA: dns; x\n\n");
	BounceLimits limits = bounce_limits_default;

	for (int i = 0; i < 50; i++)
		g_string_append_printf (body, "Final-Recipient: rfc822; u%d@example.org\nAction: failed\n\n", i);
	limits.max_recipients = 10;
	ck_assert_uint_eq (bounce_dsn_parse (body->str, body->len, FALSE, r, &limits), 10);
	ck_assert (r->anomalies & BOUNCE_ANOMALY_TOO_MANY_RCPTS);
}
END_TEST

/* A Diagnostic-Code copied as ISO-2022-JP is decoded like the text parts. */
static const char iso2022_report[] =
	"From: MAILER-DAEMON@mx.example.jp\n"
	"Subject: DELIVERY FAILURE\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
	"\n"
	"--b\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; mx.example.jp\n"
	"\n"
	"Final-Recipient: rfc822; taro@example.jp\n"
	"Action: failed\n"
	"Status: 5.0.0\n"
	"Diagnostic-Code: X-Notes; \x1b$B%f!<%6!<\x1b(B taro\n"
	"\n"
	"--b--\n";

START_TEST (test_detect_iso2022_diagnostic)
{
	g_autoptr(BounceReport) r = NULL;
	BounceRecipient *a;

	r = test_analyze_text ("iso-2022-jp diagnostic", iso2022_report);

	ck_assert (r != NULL && r->recipients->len == 1);
	a = g_ptr_array_index (r->recipients, 0);
	ck_assert_str_eq (r->detector, "rfc3464");
	ck_assert_str_eq (a->diagnostic, "\xe3\x83\xa6\xe3\x83\xbc\xe3\x82\xb6\xe3\x83\xbc taro");
}
END_TEST

/* A DSN with no Diagnostic-Code: the diagnostic comes from the text part,
 * from the first line naming the recipient that says why (not the bare
 * address list), or from the indented lines under a file delivery. */
static const char no_diagnostic[] =
	"From: MAILER-DAEMON@mx.example.org\n"
	"Subject: Returned mail\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
	"\n"
	"--b\n"
	"Content-Type: text/plain\n"
	"\n"
	"   ----- The following addresses had permanent fatal errors -----\n"
	"<ann@example.net>\n"
	"\n"
	"   ----- Transcript of session follows -----\n"
	"<ann@example.net>... Deferred: Name server: example.net.: host name lookup failure\n"
	"\n"
	"  /var/mail/spool/bo\n"
	"    generated by bo@example.org\n"
	"    mailbox is full: retry timeout exceeded\n"
	"\n"
	"--b\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; mx.example.org\n"
	"\n"
	"Final-Recipient: rfc822; ann@example.net\n"
	"Action: failed\n"
	"Status: 4.4.7\n"
	"\n"
	"Final-Recipient: rfc822;/var/mail/spool/bo\n"
	"Action: failed\n"
	"Status: 5.0.0\n"
	"\n"
	"--b--\n";

START_TEST (test_diagnostic_from_text)
{
	g_autoptr(BounceReport) r = NULL;
	BounceRecipient *a, *b;

	r = test_analyze_text ("no diagnostic", no_diagnostic);
	ck_assert (r != NULL && r->recipients->len == 2);
	a = g_ptr_array_index (r->recipients, 0);
	b = g_ptr_array_index (r->recipients, 1);
	ck_assert_str_eq (a->diagnostic,
			  "<ann@example.net>... Deferred: Name server: example.net.: host name lookup failure");
	ck_assert_str_eq (a->reason, "networkerror");
	ck_assert_str_eq (b->recipient, "bo@example.org");
	ck_assert_str_eq (b->diagnostic, "/var/mail/spool/bo generated by bo@example.org "
			  "mailbox is full: retry timeout exceeded");
	ck_assert_str_eq (b->reason, "mailboxfull");
}
END_TEST

/* Fed one byte at a time: any prefix parses without harm. */
START_TEST (test_parse_every_prefix)
{
	for (gsize n = 0; n <= strlen (two_groups); n++) {
		g_autoptr(BounceReport) r = bounce_report_new ();
		bounce_dsn_parse (two_groups, n, FALSE, r, &bounce_limits_default);
		ck_assert_uint_le (r->recipients->len, 2);
	}
}
END_TEST

static Suite *
dsn_suite (void)
{
	Suite *s = suite_create ("dsn");
	TCase *tc = tcase_create ("status");

	tcase_add_loop_test (tc, test_status_valid, 0, G_N_ELEMENTS (status_valid_cases));
	tcase_add_loop_test (tc, test_find_codes, 0, G_N_ELEMENTS (find_cases));
	tcase_add_test (tc, test_find_at_buffer_end);
	suite_add_tcase (s, tc);
	tc = tcase_create ("fields");
	tcase_add_loop_test (tc, test_address, 0, G_N_ELEMENTS (address_cases));
	tcase_add_test (tc, test_parse_groups);
	tcase_add_test (tc, test_parse_no_blank_line);
	tcase_add_test (tc, test_parse_fields_before_recipient);
	tcase_add_test (tc, test_parse_sloppy_fields);
	tcase_add_test (tc, test_detect_iso2022_diagnostic);
	tcase_add_test (tc, test_diagnostic_from_text);
	tcase_add_test (tc, test_parse_x_unix);
	tcase_add_test (tc, test_parse_limits);
	tcase_add_test (tc, test_parse_every_prefix);
	suite_add_tcase (s, tc);
	return s;
}

int
main (void)
{
	return test_run_suite (dsn_suite (), CK_NORMAL);
}
