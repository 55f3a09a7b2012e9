/*
 * tests/check_knowledge.c - the code tables, the reason table, the classifier, explain
 *
 * DESCRIPTION	Every row of every table is checked for complete, valid
 *		content; the classifier runs on labelled diagnostics written
 *		after the wordings large receivers use; the hard/fault rules
 *		and alias folding are checked per reason; explain is checked in
 *		text and JSON for known and unknown codes.
 * SEE ALSO	src/knowledge/, ../shared/README.md
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bounce-error.h"
#include "knowledge/classify.h"
#include "knowledge/codes.h"
#include "knowledge/explain.h"
#include "result.h"
#include "testlib.h"

static const char *const vocabulary[] = {
	"userunknown", "hostunknown", "hasmoved", "notaccept", "suspend", "mailboxfull",
	"systemfull", "emailtoolarge", "filtered", "contenterror", "notcompliantrfc",
	"spamdetected", "virusdetected", "policyviolation", "securityerror", "authfailure",
	"badreputation", "blocked", "requireptr", "failedstarttls", "ratelimited", "rejected",
	"norelaying", "networkerror", "expired", "systemerror", "mailererror", "syntaxerror",
	"suppressed", "onhold", "undefined", "vacation", "feedback", "delivered",
};

static gboolean
in_vocabulary (const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS (vocabulary); i++)
		if (g_strcmp0 (name, vocabulary[i]) == 0)
			return TRUE;
	return FALSE;
}

static gboolean
nonempty (const char *s)
{
	return s != NULL && *s != '\0';
}

/* ---- status table ---- */

START_TEST (test_status_row)
{
	gsize n;
	const BounceStatusInfo *row = &bounce_status_table (&n)[_i];
	guint klass = row->klass ? row->klass : 5;
	g_autofree char *code = g_strdup_printf ("%u.%u.%u", klass, row->subject, row->detail_lo);
	const BounceStatusInfo *found;

	ck_assert_msg (nonempty (row->title) && nonempty (row->meaning) && nonempty (row->causes) &&
		       nonempty (row->advice) && nonempty (row->defined_by),
		       "%s: a text field is empty", code);
	ck_assert_msg (in_vocabulary (row->reason), "%s: got reason %s, want a vocabulary name",
		       code, row->reason);
	ck_assert_msg (g_strcmp0 (bounce_reason_canonical (row->reason), row->reason) == 0,
		       "%s: reason %s is an alias, want the current name", code, row->reason);
	ck_assert_msg (row->klass == 0 || row->klass == 2 || row->klass == 4 || row->klass == 5,
		       "%s: got class %u", code, row->klass);
	ck_assert_msg (row->subject <= 7 && row->detail_lo <= row->detail_hi,
		       "%s: bad subject or detail range", code);
	ck_assert_msg (strcmp (bounce_party_name (row->party), "unknown") != 0,
		       "%s: party out of range", code);
	/* permanence consistent with the class */
	if (row->klass == 2)
		ck_assert_msg (strcmp (row->reason, "delivered") == 0,
			       "%s: got %s, want delivered for a 2.x.x row", code, row->reason);
	if (row->klass == 4)
		ck_assert_msg (!bounce_reason_is_hard (row->reason, FALSE) ||
			       strcmp (row->reason, "userunknown") == 0,
			       "%s: transient row with hard reason %s", code, row->reason);
	/* the row is reachable by lookup */
	found = bounce_status_lookup (code);
	ck_assert_msg (found != NULL, "%s: lookup got NULL", code);
	ck_assert_msg (found->subject == row->subject && found->detail_lo <= row->detail_lo &&
		       found->detail_hi >= row->detail_lo,
		       "%s: lookup got %u.%u-%u", code, found->subject, found->detail_lo, found->detail_hi);
}
END_TEST

/* Every RFC 3463 code and the IANA registry additions. */
static const char *const required_status[] = {
	"5.0.0", "5.1.0", "5.1.1", "5.1.2", "5.1.3", "5.1.4", "2.1.5", "5.1.6", "5.1.7", "5.1.8",
	"5.1.9", "5.1.10", "5.2.0", "5.2.1", "5.2.2", "5.2.3", "5.2.4", "5.3.0", "5.3.1", "5.3.2",
	"5.3.3", "5.3.4", "5.3.5", "5.3.6", "5.4.0", "5.4.1", "5.4.2", "5.4.3", "5.4.4", "5.4.5",
	"5.4.6", "5.4.7", "5.5.0", "5.5.1", "5.5.2", "5.5.3", "5.5.4", "5.5.5", "5.5.6", "5.6.0",
	"5.6.1", "5.6.2", "5.6.3", "5.6.4", "5.6.5", "5.6.6", "5.6.7", "5.6.8", "5.6.9", "5.6.10",
	"5.7.0", "5.7.1", "5.7.2", "5.7.3", "5.7.4", "5.7.5", "5.7.6", "5.7.7", "5.7.8", "5.7.9",
	"5.7.10", "5.7.11", "5.7.12", "5.7.13", "5.7.14", "5.7.15", "5.7.16", "5.7.17", "5.7.18",
	"5.7.19", "5.7.20", "5.7.21", "5.7.22", "5.7.23", "5.7.24", "5.7.25", "5.7.26", "5.7.27",
	"5.7.28", "5.7.29", "5.7.30", "4.2.2", "4.4.7", "4.7.0", "4.7.1", "4.7.26", "4.7.28",
	"4.7.650", "5.7.509", "5.7.606", "5.7.649", "5.1.351", "5.7.54", "5.7.57",
};

START_TEST (test_status_required)
{
	const char *code = required_status[_i];

	ck_assert_msg (bounce_status_lookup (code) != NULL, "%s: got no row, want one", code);
}
END_TEST

static const struct {
	const char *code, *want_reason;
} status_reasons[] = {
	{ "5.1.1", "userunknown" },	{ "4.1.1", "userunknown" },
	{ "5.1.2", "hostunknown" },	{ "5.1.6", "hasmoved" },
	{ "5.2.1", "suspend" },		{ "5.2.2", "mailboxfull" },
	{ "4.2.2", "mailboxfull" },	{ "5.2.3", "emailtoolarge" },
	{ "5.3.4", "emailtoolarge" },	{ "4.4.7", "expired" },
	{ "5.4.7", "expired" },		{ "5.7.23", "authfailure" },
	{ "5.7.25", "requireptr" },	{ "5.7.26", "authfailure" },
	{ "5.7.27", "notaccept" },	{ "4.7.0", "ratelimited" },
	{ "5.0.0", "undefined" },	{ "5.7.606", "blocked" },
	{ "4.7.650", "badreputation" },	{ "4.7.520", "ratelimited" },
	{ "5.7.509", "authfailure" },	{ "2.0.0", "delivered" },
	{ "2.6.0", "delivered" },	{ "5.4.6", "networkerror" },
	{ "5.3.1", "systemfull" },	{ "5.7.13", "suspend" },
};

START_TEST (test_status_reason)
{
	const BounceStatusInfo *row = bounce_status_lookup (status_reasons[_i].code);

	ck_assert_msg (row != NULL, "%s: got no row", status_reasons[_i].code);
	ck_assert_msg (strcmp (row->reason, status_reasons[_i].want_reason) == 0,
		       "%s: got %s, want %s", status_reasons[_i].code, row->reason,
		       status_reasons[_i].want_reason);
}
END_TEST

static const struct {
	const char *label, *input;
	gboolean ok;
} status_parse_cases[] = {
	{ "plain", "5.1.1", TRUE },
	{ "three-digit detail", "5.7.606", TRUE },
	{ "class 3", "3.1.1", FALSE },
	{ "four-digit detail", "5.1.1000", FALSE },
	{ "trailing text", "5.1.1 x", FALSE },
	{ "missing detail", "5.1.", FALSE },
	{ "empty", "", FALSE },
	{ "two-digit class", "55.1.1", FALSE },
};

START_TEST (test_status_parse)
{
	gboolean got = bounce_status_parse (status_parse_cases[_i].input, NULL, NULL, NULL);

	ck_assert_msg (got == status_parse_cases[_i].ok, "%s: got %d, want %d",
		       status_parse_cases[_i].label, got, status_parse_cases[_i].ok);
}
END_TEST

START_TEST (test_status_lookup_edges)
{
	const BounceStatusInfo *row;

	ck_assert_msg (bounce_status_lookup ("5.9.99") == NULL, "5.9.99: got a row, want none");
	ck_assert_msg (bounce_status_lookup (NULL) == NULL, "NULL: got a row");
	ck_assert_msg (bounce_status_lookup ("5.1.1x") == NULL, "5.1.1x: got a row");
	row = bounce_status_lookup ("4.2.2");
	ck_assert_msg (row && row->klass == 4, "4.2.2: got class %u, want the class-4 row",
		       row ? row->klass : 99);
	row = bounce_status_lookup ("5.2.2");
	ck_assert_msg (row && row->klass == 0, "5.2.2: got class %u, want the shared row",
		       row ? row->klass : 99);
}
END_TEST

/* ---- reply table ---- */

START_TEST (test_reply_row)
{
	gsize n;
	const BounceReplyInfo *row = &bounce_reply_table (&n)[_i];
	char code[8];
	BounceSeverity want;

	g_snprintf (code, sizeof code, "%03u", row->code);
	ck_assert_msg (nonempty (row->title) && nonempty (row->meaning) && nonempty (row->causes) &&
		       nonempty (row->advice) && nonempty (row->defined_by),
		       "%s: a text field is empty", code);
	ck_assert_msg (in_vocabulary (row->reason), "%s: got reason %s, want a vocabulary name",
		       code, row->reason);
	switch (code[0]) {
	case '2':	want = BOUNCE_SEVERITY_SUCCESS; break;
	case '3':	want = BOUNCE_SEVERITY_INTERMEDIATE; break;
	case '5':	want = BOUNCE_SEVERITY_PERMANENT; break;
	default:	want = BOUNCE_SEVERITY_TRANSIENT; break;	/* 1xx client errors, 4xx */
	}
	ck_assert_msg (row->severity == want, "%s: got %s, want %s", code,
		       bounce_severity_name (row->severity), bounce_severity_name (want));
	if (row->severity == BOUNCE_SEVERITY_SUCCESS)
		ck_assert_msg (strcmp (row->reason, "delivered") == 0, "%s: got %s, want delivered",
			       code, row->reason);
	ck_assert_msg (bounce_reply_lookup (code) == row, "%s: lookup got another row", code);
}
END_TEST

static const char *const required_replies[] = {
	"101", "111", "211", "214", "220", "221", "250", "251", "252", "334", "354", "421",
	"450", "451", "452", "455", "471", "500", "501", "502", "503", "504", "521", "530",
	"534", "535", "538", "541", "550", "551", "552", "553", "554", "555", "556",
};

START_TEST (test_reply_required)
{
	ck_assert_msg (bounce_reply_lookup (required_replies[_i]) != NULL, "%s: got no row, want one",
		       required_replies[_i]);
}
END_TEST

START_TEST (test_reply_lookup_edges)
{
	ck_assert_msg (bounce_reply_lookup ("599") == NULL, "599: got a row");
	ck_assert_msg (bounce_reply_lookup ("55") == NULL, "55: got a row");
	ck_assert_msg (bounce_reply_lookup ("5500") == NULL, "5500: got a row");
	ck_assert_msg (bounce_reply_lookup ("") == NULL, "empty: got a row");
}
END_TEST

/* ---- reason table ---- */

START_TEST (test_reason_row)
{
	gsize n;
	const BounceReasonInfo *row = &bounce_reason_table (&n)[_i];
	static const char *const faults[] = {
		"recipient", "sender", "content", "network", "policy", "unknown",
	};
	gboolean fault_ok = FALSE;

	ck_assert_msg (in_vocabulary (row->name), "%s: not in the vocabulary", row->name);
	ck_assert_msg (nonempty (row->explanation) && nonempty (row->advice),
		       "%s: empty explanation or advice", row->name);
	for (gsize i = 0; i < G_N_ELEMENTS (faults); i++)
		fault_ok |= strcmp (row->fault, faults[i]) == 0;
	ck_assert_msg (fault_ok, "%s: got fault %s", row->name, row->fault);
	ck_assert_msg (bounce_reason_info (row->name) == row, "%s: lookup got another row", row->name);
}
END_TEST

START_TEST (test_reason_count)
{
	gsize n;

	bounce_reason_table (&n);
	ck_assert_msg (n == G_N_ELEMENTS (vocabulary), "got %zu reasons, want %zu", n,
		       G_N_ELEMENTS (vocabulary));
	for (gsize i = 0; i < G_N_ELEMENTS (vocabulary); i++)
		ck_assert_msg (bounce_reason_info (vocabulary[i]) != NULL, "%s: no row", vocabulary[i]);
}
END_TEST

static const struct {
	const char *name;
	gboolean hard_perm, hard_temp;
} hard_cases[] = {
	{ "userunknown", TRUE, TRUE },	 { "hostunknown", TRUE, TRUE },
	{ "hasmoved", TRUE, TRUE },	 { "notaccept", TRUE, FALSE },
	{ "mailboxfull", FALSE, FALSE }, { "blocked", FALSE, FALSE },
	{ "suspend", FALSE, FALSE },	 { "filtered", FALSE, FALSE },
	{ "rejected", FALSE, FALSE },	 { "spamdetected", FALSE, FALSE },
	{ "authfailure", FALSE, FALSE }, { "expired", FALSE, FALSE },
	{ "undefined", FALSE, FALSE },	 { "policyviolation", FALSE, FALSE },
	{ "nosuchreason", FALSE, FALSE },
};

START_TEST (test_reason_hard)
{
	gboolean p = bounce_reason_is_hard (hard_cases[_i].name, TRUE);
	gboolean t = bounce_reason_is_hard (hard_cases[_i].name, FALSE);

	ck_assert_msg (p == hard_cases[_i].hard_perm, "%s permanent: got %d, want %d",
		       hard_cases[_i].name, p, hard_cases[_i].hard_perm);
	ck_assert_msg (t == hard_cases[_i].hard_temp, "%s transient: got %d, want %d",
		       hard_cases[_i].name, t, hard_cases[_i].hard_temp);
}
END_TEST

static const char *const sender_side[] = {
	"blocked", "badreputation", "authfailure", "requireptr", "spamdetected",
	"policyviolation", "failedstarttls", "ratelimited", "norelaying", "rejected",
	"securityerror", "syntaxerror", "virusdetected", "notcompliantrfc",
};

START_TEST (test_reason_fault_not_recipient)
{
	const char *got = bounce_reason_fault (sender_side[_i]);

	ck_assert_msg (strcmp (got, "recipient") != 0, "%s: got fault %s, want anything but recipient",
		       sender_side[_i], got);
}
END_TEST

static const struct {
	const char *input, *want;
} alias_cases[] = {
	{ "mesgtoobig", "emailtoolarge" }, { "exceedlimit", "emailtoolarge" },
	{ "toomanyconn", "ratelimited" },  { "speeding", "ratelimited" },
	{ "UserUnknown", "userunknown" },  { "blocked", "blocked" },
	{ "nonsense", NULL },		   { "", NULL },
};

START_TEST (test_reason_alias)
{
	const char *got = bounce_reason_canonical (alias_cases[_i].input);

	ck_assert_msg (g_strcmp0 (got, alias_cases[_i].want) == 0, "%s: got %s, want %s",
		       alias_cases[_i].input, got ? got : "(null)",
		       alias_cases[_i].want ? alias_cases[_i].want : "(null)");
}
END_TEST

/* ---- classifier ---- */

typedef struct {
	const char *label;
	const char *status, *reply, *action, *command;
	const char *diagnostic;
	const char *want;
	gboolean    hard;
} ClassifyCase;

#define F "failed"
#define D "delayed"

static const ClassifyCase classify_cases[] = {
	/* unknown users */
	{ "gmail no such user", "5.1.1", "550", F, "RCPT",
	  "550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
	  "550-5.1.1 double-checking the recipient's email address for typos or\n"
	  "550-5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser x1si",
	  "userunknown", TRUE },
	{ "m365 recipnotfound", "5.1.10", "550", F, "RCPT",
	  "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient user@example.com not found by SMTP address lookup",
	  "userunknown", TRUE },
	{ "m365 directory check", "5.4.1", "550", F, "RCPT",
	  "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [XX.prod.protection.outlook.com]",
	  "userunknown", TRUE },
	{ "yahoo no such user", "5.0.0", "554", F, "RCPT",
	  "554 delivery error: dd This user doesn't have a yahoo.com account (someone@yahoo.com) [0] - mta1.mail.bf1.yahoo.com",
	  "userunknown", TRUE },
	{ "outlook.com mailbox unavailable", "5.5.0", "550", F, "RCPT",
	  "550 Requested action not taken: mailbox unavailable (1234:5678:-2147467259)",
	  "userunknown", TRUE },
	{ "postfix local recipient table", "5.1.1", "550", F, "RCPT",
	  "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table",
	  "userunknown", TRUE },
	{ "postfix virtual alias transient", "4.1.1", "450", D, "RCPT",
	  "450 4.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual alias table",
	  "userunknown", TRUE },
	{ "exim unknown user", "", "550", F, "RCPT",
	  "550 Unknown user", "userunknown", TRUE },
	{ "icloud", "5.1.1", "550", F, "RCPT",
	  "550 5.1.1 <someone@icloud.com>: inactive email address", "userunknown", TRUE },
	{ "domino", "5.1.1", "", F, "",
	  "User jane.doe (jane@example.co.jp) not listed in Domino Directory", "userunknown", TRUE },
	{ "directory lookup, no command, generic code", "5.0.0", "", F, "",
	  "User jane.doe (jane@example.co.jp) not listed in Domino Directory", "userunknown", TRUE },
	{ "directory lookup in japanese", "5.0.0", "", F, "",
	  "ユーザーjane (jane@example.co.jp) は Domino ディレクトリには見つかりません。",
	  "userunknown", TRUE },
	{ "local delivery agent, no command", "5.5.0", "554", F, "",
	  "mail.local: unknown user: jane 554 <jane@example.net>... Service unavailable",
	  "userunknown", TRUE },
	{ "exchange 2003", "5.1.1", "", F, "",
	  "The recipient name is not recognized", "userunknown", TRUE },
	{ "unknown user, no command, generic code", "5.0.0", "550", F, "",
	  "550 <jane@example.net>: User unknown", "filtered", FALSE },
	{ "no such user, no command, no code", "", "", F, "",
	  "Recipient Not Found MSEXCH:IMC:EXAMPLE:SITE:SERVER", "filtered", FALSE },
	{ "unknown user, no command, 5.2.1", "5.2.1", "550", F, "",
	  "550 5.2.1 <jane@example.net>... User Unknown", "filtered", FALSE },
	{ "vague mailbox unavailable, no command", "5.5.0", "550", F, "",
	  "550 Requested action not taken: mailbox unavailable", "userunknown", TRUE },
	{ "mimecast", "5.1.1", "550", F, "RCPT",
	  "550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550", "userunknown", TRUE },
	{ "proofpoint", "5.1.1", "550", F, "RCPT",
	  "550 5.1.1 User Unknown", "userunknown", TRUE },
	{ "comcast", "5.1.1", "550", F, "RCPT",
	  "550 5.1.1 <x@comcast.net> Not our Customer", "userunknown", TRUE },
	{ "gmx", "", "550", F, "RCPT",
	  "550 Requested action not taken: mailbox unavailable", "userunknown", TRUE },
	{ "orange french", "", "550", F, "RCPT",
	  "550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]",
	  "userunknown", TRUE },
	{ "french inconnu", "", "550", F, "RCPT",
	  "550 Utilisateur inconnu", "userunknown", TRUE },
	{ "german unbekannt", "", "550", F, "RCPT",
	  "550 Benutzer unbekannt", "userunknown", TRUE },
	{ "t-online", "", "550", F, "RCPT",
	  "550 5.1.1 <x@t-online.de> Empfänger unbekannt / recipient unknown", "userunknown", TRUE },
	{ "spanish", "", "550", F, "RCPT",
	  "550 Usuario desconocido", "userunknown", TRUE },
	{ "italian", "", "550", F, "RCPT",
	  "550 Utente sconosciuto", "userunknown", TRUE },
	{ "portuguese", "", "550", F, "RCPT",
	  "550 Usuário desconhecido", "userunknown", TRUE },
	{ "dutch", "", "550", F, "RCPT",
	  "550 Onbekende gebruiker", "userunknown", TRUE },
	{ "russian", "", "550", F, "RCPT",
	  "550 Пользователь не найден", "userunknown", TRUE },
	{ "yandex", "", "550", F, "RCPT",
	  "550 5.7.1 No such user!", "userunknown", TRUE },
	{ "japanese", "", "550", F, "RCPT",
	  "550 宛先不明のため配信できませんでした", "userunknown", TRUE },
	{ "continuation prefixes", "", "550", F, "RCPT",
	  "550-5.1.1 The email account that you tried to reach does\n550-5.1.1 not exist.",
	  "userunknown", TRUE },
	{ "5.7.1 with user unknown text", "5.7.1", "554", F, "RCPT",
	  "554 5.7.1 <x@example.ch>: Recipient address rejected: User unknown", "userunknown", TRUE },
	{ "unknown user after DATA", "5.0.0", "550", F, "DATA",
	  "550 Unknown user someone@example.ne.jp", "filtered", FALSE },
	{ "unknown user, after DATA in text", "5.0.0", "550", F, "",
	  "host mx.example.jp said: 550 user unknown (in reply to end of DATA command)",
	  "filtered", FALSE },
	{ "5.1.1 after DATA stays unknown", "5.1.1", "550", F, "DATA",
	  "550 5.1.1 <jane@example.net>... User unknown", "userunknown", TRUE },
	{ "5.1.1 with no command", "5.1.1", "550", F, "",
	  "550 5.1.1 <jane@example.net>: Recipient address rejected: User unknown", "userunknown", TRUE },
	{ "mailbox status with unknown user", "5.2.0", "550", F, "",
	  "550 : User unknown", "filtered", FALSE },
	{ "unknown at MAIL FROM is the sender", "5.1.0", "553", F, "MAIL",
	  "553 5.1.0 sender.example.com does not exist", "rejected", FALSE },
	{ "bare recipient address rejected", "5.0.0", "550", F, "RCPT",
	  "550 <x@example.jp>: Recipient address rejected.", "userunknown", TRUE },
	{ "rejected wording under 5.6.0", "5.6.0", "550", F, "RCPT",
	  "550 5.6.0 <x@example.net>: Recipient address rejected: Media error", "contenterror", FALSE },
	{ "delayed network status", "4.4.0", "", D, "", "", "expired", FALSE },
	{ "access denied at MAIL FROM", "5.7.1", "550", F, "MAIL",
	  "550 5.7.1 Access denied", "rejected", FALSE },
	{ "bare rejected at HELO", "5.0.0", "550", F, "HELO",
	  "550 Rejected", "blocked", FALSE },
	{ "bare rejected at connect", "", "554", F, "CONN",
	  "554 Connection rejected", "blocked", FALSE },
	{ "access denied at HELO keeps its code", "5.7.1", "550", F, "HELO",
	  "550 5.7.1 Access denied", "securityerror", FALSE },
	{ "provider's own words, generic code", "5.0.0", "", F, "",
	  "Your message wasn't delivered to x@example.it because the address couldn't be found.",
	  "userunknown", TRUE },
	{ "could not be found under a specific code", "5.4.4", "", F, "",
	  "The destination could not be found", "hostunknown", TRUE },
	{ "words only, nothing readable", "", "", F, "",
	  "Did not reach the following recipient: x@example.org", "onhold", FALSE },
	{ "resolver try again", "5.0.0", "", F, "",
	  "Name service error for domain example.org: Host not found, try again",
	  "networkerror", FALSE },
	{ "sendmail gave up after days", "5.0.0", "", F, "",
	  "x... Deferred: Connection refused by mx.example.org. Message could not be delivered for 5 days",
	  "expired", FALSE },
	{ "line limit", "5.0.0", "500", F, "DATA",
	  "500 Line limit exceeded", "emailtoolarge", FALSE },
	{ "outlook.com unwanted mail block", "5.0.0", "550", F, "MAIL",
	  "550 SC-004 Unfortunately, messages from 192.0.2.9 weren't sent. Too many unwanted messages have been sent from the following IP address above.",
	  "blocked", FALSE },
	/* domains */
	{ "host unknown", "5.1.2", "550", F, "",
	  "550 Host unknown", "hostunknown", TRUE },
	{ "aol dns", "5.4.4", "", F, "",
	  "Host or domain name not found. Name service error for name=example.jp type=A: Host not found",
	  "hostunknown", TRUE },
	{ "qmail no host", "5.1.2", "", F, "",
	  "Sorry, I couldn't find any host named nx.example.com. (#5.1.2)", "hostunknown", TRUE },
	{ "dns error temporary", "4.0.0", "", F, "",
	  "DNS Error: DNS type 'mx' lookup of example.jp responded with code NXDOMAIN Domain name not found: example.jp",
	  "networkerror", FALSE },
	{ "host not found under 4.x", "4.4.4", "", D, "",
	  "Host not found, try again", "networkerror", FALSE },
	{ "null mx", "5.1.10", "556", F, "",
	  "556 5.1.10 The domain example.org doesn't receive email according to the administrator: returned Null MX",
	  "notaccept", TRUE },
	{ "does not accept mail", "", "550", F, "",
	  "550 Host does not accept mail", "notaccept", TRUE },
	{ "521 reply only", "", "521", F, "", "", "notaccept", TRUE },
	/* moved */
	{ "5.1.6 moved", "5.1.6", "550", F, "",
	  "550 5.1.6 Recipient addressee has moved; no forwarding address", "hasmoved", TRUE },
	/* mailbox full wins over 5.1.1 */
	{ "over quota with 5.1.1", "5.1.1", "552", F, "",
	  "552 sorry, mailbox bob@example.org is over quota temporarily", "mailboxfull", FALSE },
	{ "gmail over quota", "4.2.2", "452", D, "",
	  "452-4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp",
	  "mailboxfull", FALSE },
	{ "gmail out of storage and inactive", "5.2.2", "552", F, "",
	  "552-5.2.2 The recipient's inbox is out of storage space and inactive.", "mailboxfull", FALSE },
	{ "exchange quota", "5.2.2", "554", F, "",
	  "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException", "mailboxfull", FALSE },
	{ "dovecot quota", "5.2.2", "552", F, "",
	  "552 5.2.2 <bob@example.org> Quota exceeded (mailbox for user is full)", "mailboxfull", FALSE },
	{ "german postfach voll", "", "552", F, "",
	  "552 Postfach voll", "mailboxfull", FALSE },
	{ "french boite pleine", "", "552", F, "",
	  "552 Boîte aux lettres pleine", "mailboxfull", FALSE },
	{ "russian full", "", "552", F, "",
	  "552 Почтовый ящик переполнен", "mailboxfull", FALSE },
	{ "5.2.2 with no text", "5.2.2", "", F, "", "", "mailboxfull", FALSE },
	/* suspended accounts */
	{ "gmail disabled", "5.2.1", "550", F, "",
	  "550-5.2.1 The email account that you tried to reach is disabled. https://support.google.com/mail/?p=DisabledUser",
	  "suspend", FALSE },
	{ "gmail inactive", "5.2.1", "550", F, "",
	  "550 5.2.1 The email account that you tried to reach is inactive.", "suspend", FALSE },
	{ "yahoo disabled", "5.0.0", "554", F, "",
	  "554 delivery error: dd Sorry your message to x@yahoo.com cannot be delivered. This account has been disabled or discontinued [#102].",
	  "suspend", FALSE },
	{ "i.ua frozen", "", "550", F, "",
	  "550 Mailbox is frozen.", "suspend", FALSE },
	{ "postfix delivery temporarily suspended", "4.4.1", "", D, "",
	  "delivery temporarily suspended: connect to mx.example.com[192.0.2.1]:25: Connection refused",
	  "networkerror", FALSE },
	/* sizes */
	{ "gmail size", "5.3.4", "552", F, "",
	  "552-5.3.4 Your message exceeded Google's message size limits.", "emailtoolarge", FALSE },
	{ "5.2.3 length", "5.2.3", "552", F, "",
	  "552 5.2.3 Message length exceeds administrative limit", "emailtoolarge", FALSE },
	{ "headers too large is content", "5.6.0", "552", F, "",
	  "552 5.6.0 Headers too large (32768 max)", "contenterror", FALSE },
	/* blocking, reputation, spam */
	{ "spamhaus", "5.7.1", "554", F, "",
	  "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
	  "blocked", FALSE },
	{ "m365 banned ip", "5.7.606", "550", F, "",
	  "550 5.7.606 Access denied, banned sending IP [192.0.2.1].", "blocked", FALSE },
	{ "proofpoint ipcheck", "5.7.0", "554", F, "",
	  "554 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1", "blocked", FALSE },
	{ "cox rbl", "5.1.0", "550", F, "",
	  "550 5.1.0 <a@b.example> sender rejected. AUP#CDRBL", "blocked", FALSE },
	{ "t-online block list", "", "554", F, "",
	  "554 IP=192.0.2.1 - A problem occurred. (Ask your postmaster for help or to contact the provider to clarify.) (BL)",
	  "blocked", FALSE },
	{ "apple blocked", "5.7.0", "550", F, "",
	  "550 5.7.0 Blocked - see https://support.apple.com/en-us/HT204137", "blocked", FALSE },
	{ "outlook.com network block", "", "550", F, "",
	  "550 SC-001 Unfortunately, messages from 192.0.2.1 weren't sent. Please contact your Internet service provider since part of their network is on our block list.",
	  "blocked", FALSE },
	{ "icloud not accepting connections", "", "554", F, "",
	  "554 mx.example.com ESMTP not accepting connections", "blocked", FALSE },
	{ "gmail reputation", "5.7.1", "550", F, "",
	  "550-5.7.1 Our system has detected that this message is likely suspicious due to the very low reputation of the sending IP address. To best protect our users from spam, the message has been blocked.",
	  "badreputation", FALSE },
	{ "m365 rate and reputation", "4.7.650", "451", D, "",
	  "451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation.",
	  "badreputation", FALSE },
	{ "yahoo complaints", "4.7.0", "421", D, "",
	  "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints",
	  "badreputation", FALSE },
	{ "barracuda ube", "5.7.1", "550", F, "",
	  "550 5.7.1 Message content rejected, UBE, id=12345-01", "spamdetected", FALSE },
	{ "gmail spam", "5.7.1", "550", F, "",
	  "550-5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked.",
	  "spamdetected", FALSE },
	{ "scored as spam", "5.6.0", "554", F, "",
	  "554 5.6.0 This message has been scored as spam with a probability of 95%", "spamdetected", FALSE },
	{ "virus", "5.7.0", "554", F, "",
	  "554 5.7.0 Message rejected: virus found (Eicar-Test-Signature)", "virusdetected", FALSE },
	/* authentication */
	{ "gmail dmarc", "5.7.26", "550", F, "",
	  "550-5.7.26 Unauthenticated email from example.jp is not accepted due to domain's DMARC policy.",
	  "authfailure", FALSE },
	{ "gmail spf or dkim", "5.7.26", "550", F, "",
	  "550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.",
	  "authfailure", FALSE },
	{ "m365 dmarc", "5.7.509", "550", F, "",
	  "550 5.7.509 Access denied, sending domain [EXAMPLE.JP] does not pass DMARC verification",
	  "authfailure", FALSE },
	{ "mail.ru dmarc", "5.7.1", "550", F, "",
	  "550 5.7.1 This message was not accepted due to domain (example.org) owner DMARC policy",
	  "authfailure", FALSE },
	{ "spf hard fail", "5.7.23", "550", F, "",
	  "550 5.7.23 The MAIL FROM domain has an SPF record with a hard fail policy", "authfailure", FALSE },
	{ "5.7.26 alone", "5.7.26", "550", F, "", "", "authfailure", FALSE },
	{ "duplicate dkim header is content", "", "554", F, "",
	  "554 Transaction failed: Duplicate header 'DKIM-Signature'.", "contenterror", FALSE },
	/* reverse DNS */
	{ "rdns", "5.7.25", "550", F, "",
	  "550 5.7.25 The IP address sending this message does not have a PTR record setup",
	  "requireptr", FALSE },
	{ "fix reverse dns", "5.7.1", "550", F, "",
	  "550 5.7.1 Connections not accepted from servers without a valid sender domain. Fix reverse DNS for 192.0.2.2",
	  "requireptr", FALSE },
	{ "gmx ptr", "", "554", F, "",
	  "554-No SMTP service 554-Bad DNS PTR resource record.", "requireptr", FALSE },
	{ "ip name lookup failed", "4.7.1", "450", D, "",
	  "450 4.7.1 Access denied. IP name lookup failed [192.0.2.222]", "requireptr", FALSE },
	/* relaying and sender */
	{ "relay access denied", "5.7.1", "554", F, "",
	  "554 5.7.1 <x@example.com>: Relay access denied", "norelaying", FALSE },
	{ "m365 5.7.54", "5.7.54", "550", F, "",
	  "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain", "norelaying", FALSE },
	{ "sender domain", "5.1.8", "553", F, "",
	  "553 5.1.8 <root@host.invalid>... Domain of sender address root@host.invalid does not exist",
	  "rejected", FALSE },
	{ "sender address rejected", "5.1.8", "501", F, "",
	  "501 5.1.8 Sender address rejected", "rejected", FALSE },
	{ "google groups", "", "", F, "",
	  "The group you tried to contact (team) may not exist, or you may not have permission to post messages to the group.",
	  "rejected", FALSE },
	/* rates */
	{ "too many recipients", "5.0.0", "552", F, "",
	  "552 Too many recipients", "ratelimited", FALSE },
	{ "godaddy speeding", "5.1.1", "550", F, "",
	  "550 5.1.1 <x@example.com> - 192.0.2.1 has sent to too many recipients this hour.",
	  "ratelimited", FALSE },
	{ "qq frequency", "", "550", F, "",
	  "550 Ip frequency limited [Blocked IP 192.0.2.22]", "ratelimited", FALSE },
	{ "too many connections", "4.7.0", "421", D, "",
	  "421 4.7.0 Too many connections from your IP, try again later", "ratelimited", FALSE },
	{ "421 4.7.0 try again later", "4.7.0", "421", D, "",
	  "421 4.7.0 Try again later, closing connection.", "ratelimited", FALSE },
	{ "gmail receiving rate", "4.2.1", "450", D, "",
	  "450-4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.",
	  "ratelimited", FALSE },
	/* policy and security */
	{ "yahoo policy", "5.7.9", "554", F, "",
	  "554 5.7.9 Message not accepted for policy reasons.", "policyviolation", FALSE },
	{ "local policy", "5.7.0", "550", F, "",
	  "550 5.7.0 Local Policy Violation", "policyviolation", FALSE },
	{ "smtp auth required", "5.7.1", "550", F, "",
	  "550 5.7.1 RESOLVER.RST.AuthRequired; authentication required", "securityerror", FALSE },
	{ "messagelabs auth", "", "550", F, "",
	  "550-Please turn on SMTP Authentication in your mail client.", "securityerror", FALSE },
	{ "starttls required", "5.7.10", "530", F, "",
	  "530 5.7.10 Must issue a STARTTLS command first", "failedstarttls", FALSE },
	{ "rfc 5322 from", "5.7.1", "550", F, "",
	  "550-5.7.1 Messages with multiple addresses in From: header are not accepted.",
	  "notcompliantrfc", FALSE },
	{ "rfc 5322 subject", "5.7.1", "550", F, "",
	  "550-5.7.1 This message is not RFC 5322 compliant. There are multiple Subject headers. To reduce the amount of spam sent to Gmail, this message has been blocked.",
	  "notcompliantrfc", FALSE },
	/* time, network, system */
	{ "queue expired", "4.4.7", "550", F, "",
	  "550 4.4.7 QUEUE.Expired; message expired", "expired", FALSE },
	{ "retry timeout", "", "", F, "",
	  "retry timeout exceeded", "expired", FALSE },
	{ "postfix timed out, given up", "4.4.1", "", F, "",
	  "connect to example.com[192.0.2.1]:25: Connection timed out", "expired", FALSE },
	{ "4.4.2 failed", "4.4.2", "", F, "", "", "expired", FALSE },
	{ "too many hops", "5.4.6", "554", F, "",
	  "554 5.4.6 Too many hops", "networkerror", FALSE },
	{ "mail loop", "5.4.6", "554", F, "",
	  "554 5.4.6 mail for example.com loops back to myself", "networkerror", FALSE },
	{ "disk space", "4.4.5", "452", D, "",
	  "452 4.4.5 Insufficient disk space; try again later", "systemfull", FALSE },
	{ "cloudflare upstream", "4.3.0", "421", D, "",
	  "421 4.3.0 Upstream error, please check https://developers.cloudflare.com/email-routing/", "systemerror", FALSE },
	{ "qmail ldap", "4.4.3", "", F, "",
	  "Unable to contact LDAP server. (#4.4.3)I'm not going to try again; this message has been in the queue too long.",
	  "systemerror", FALSE },
	{ "procmail", "5.3.0", "", F, "",
	  "procmail: Couldn't create \"/var/spool/mail/bob\"", "mailererror", FALSE },
	{ "syntax", "5.5.0", "503", F, "",
	  "503 Improper sequence of commands", "syntaxerror", FALSE },
	/* codes only */
	{ "5.0.0 with nothing", "5.0.0", "550", F, "", "", "undefined", FALSE },
	{ "5.0.0 with unhelpful text", "5.0.0", "550", F, "",
	  "550 Message was not delivered", "undefined", FALSE },
	{ "5.7.1 vague rejected", "5.7.1", "550", F, "",
	  "550 5.7.1 Rejected", "securityerror", FALSE },
	{ "rejected and 5.2.2", "5.2.2", "552", F, "",
	  "552 5.2.2 Rejected", "mailboxfull", FALSE },
	{ "bare 550 reply", "", "550", F, "", "", "userunknown", TRUE },
	{ "delayed without anything", "", "", D, "", "", "expired", FALSE },
	{ "failed without anything", "", "", F, "", "", "undefined", FALSE },
};

START_TEST (test_classify)
{
	const ClassifyCase *c = &classify_cases[_i];
	g_autoptr(BounceRecipient) r = bounce_recipient_new ("x@example.org");

	bounce_recipient_set_status (r, c->status);
	bounce_recipient_set_reply_code (r, c->reply);
	bounce_set (&r->action, c->action);
	bounce_set (&r->smtp_command, c->command);
	bounce_set (&r->diagnostic, c->diagnostic);
	bounce_classify_recipient (r, BOUNCE_KIND_BOUNCE);

	ck_assert_msg (strcmp (r->reason, c->want) == 0, "%s: got %s (%s), want %s", c->label,
		       r->reason, r->reason_source, c->want);
	ck_assert_msg (r->hard_bounce == c->hard, "%s: got hard %d, want %d", c->label,
		       r->hard_bounce, c->hard);
	ck_assert_msg (nonempty (r->reason_source) && nonempty (r->explanation) &&
		       nonempty (r->advice) && nonempty (r->fault),
		       "%s: a filled member is empty", c->label);
	ck_assert_msg (strcmp (r->fault, bounce_reason_fault (r->reason)) == 0,
		       "%s: got fault %s, want %s", c->label, r->fault, bounce_reason_fault (r->reason));
}
END_TEST

static const struct {
	const char *label, *status, *action;
	gboolean want;
} permanent_cases[] = {
	{ "5.x failed", "5.1.1", "failed", TRUE },
	{ "4.x failed", "4.4.7", "failed", FALSE },
	{ "5.x delayed", "5.2.2", "delayed", FALSE },
	{ "4.x delayed", "4.2.2", "delayed", FALSE },
	{ "failed without status", "", "failed", TRUE },
	{ "nothing at all", "", "", FALSE },
};

START_TEST (test_permanent)
{
	g_autoptr(BounceRecipient) r = bounce_recipient_new ("x@example.org");

	bounce_recipient_set_status (r, permanent_cases[_i].status);
	bounce_set (&r->action, permanent_cases[_i].action);
	bounce_classify_recipient (r, BOUNCE_KIND_BOUNCE);
	ck_assert_msg (r->permanent == permanent_cases[_i].want, "%s: got %d, want %d",
		       permanent_cases[_i].label, r->permanent, permanent_cases[_i].want);
}
END_TEST

static const struct {
	const char *label;
	BounceKind kind;
	const char *preset, *action, *status, *diagnostic;
	const char *want, *want_source;
	gboolean want_hard;
} kind_cases[] = {
	{ "complaint", BOUNCE_KIND_FEEDBACK, "", "", "", "", "feedback", "kind:feedback", FALSE },
	{ "auto-reply", BOUNCE_KIND_AUTOREPLY, "", "", "", "I am out of the office", "vacation", "kind:vacation", FALSE },
	{ "success dsn", BOUNCE_KIND_DELIVERED, "", "delivered", "2.0.0", "", "delivered", "kind:delivered", FALSE },
	{ "delivered action", BOUNCE_KIND_BOUNCE, "", "delivered", "2.1.5", "", "delivered", "kind:delivered", FALSE },
	{ "detector kept", BOUNCE_KIND_BOUNCE, "hasmoved", "failed", "5.0.0", "user unknown", "hasmoved", "detector", TRUE },
	{ "detector alias folded", BOUNCE_KIND_BOUNCE, "mesgtoobig", "failed", "5.3.4", "", "emailtoolarge", "detector", FALSE },
	{ "detector speeding folded", BOUNCE_KIND_BOUNCE, "speeding", "failed", "5.0.0", "", "ratelimited", "detector", FALSE },
	{ "unknown detector reason ignored", BOUNCE_KIND_BOUNCE, "bogus", "failed", "5.1.1", "", "userunknown", "status:5.1.1", TRUE },
};

START_TEST (test_kind)
{
	g_autoptr(BounceRecipient) r = bounce_recipient_new ("x@example.org");

	bounce_set (&r->reason, kind_cases[_i].preset);
	bounce_set (&r->action, kind_cases[_i].action);
	bounce_recipient_set_status (r, kind_cases[_i].status);
	bounce_set (&r->diagnostic, kind_cases[_i].diagnostic);
	bounce_classify_recipient (r, kind_cases[_i].kind);
	ck_assert_msg (strcmp (r->reason, kind_cases[_i].want) == 0, "%s: got %s, want %s",
		       kind_cases[_i].label, r->reason, kind_cases[_i].want);
	ck_assert_msg (strcmp (r->reason_source, kind_cases[_i].want_source) == 0,
		       "%s: got source %s, want %s", kind_cases[_i].label, r->reason_source,
		       kind_cases[_i].want_source);
	ck_assert_msg (r->hard_bounce == kind_cases[_i].want_hard, "%s: got hard %d, want %d",
		       kind_cases[_i].label, r->hard_bounce, kind_cases[_i].want_hard);
}
END_TEST

START_TEST (test_classify_long_text)
{
	g_autoptr(BounceRecipient) r = bounce_recipient_new ("x@example.org");
	GString *big = g_string_new ("550 ");

	/* a huge diagnostic is cut, not scanned whole; the phrase early on still counts */
	g_string_append (big, "mailbox full ");
	for (int i = 0; i < 100000; i++)
		g_string_append (big, "aaaa ");
	bounce_set (&r->diagnostic, big->str);
	g_string_free (big, TRUE);
	bounce_classify_recipient (r, BOUNCE_KIND_BOUNCE);
	ck_assert_msg (strcmp (r->reason, "mailboxfull") == 0, "long text: got %s, want mailboxfull",
		       r->reason);
}
END_TEST

/* ---- explain ---- */

static const struct {
	const char *label;
	const char *args[4];
	int nargs;
	const char *want[3];	/* substrings of the text rendering */
} explain_text_cases[] = {
	{ "reply and status, two args", { "550", "5.1.1" }, 2,
	  { "Bad destination mailbox address", "reason userunknown", "hard bounce" } },
	{ "one arg with text", { "452 4.2.2 mailbox full" }, 1,
	  { "Mailbox full (temporary)", "reason mailboxfull", "not permanent" } },
	{ "status only", { "4.7.0" }, 1,
	  { "transient", "reason ratelimited", "security or policy" } },
	{ "unknown status", { "5.9.99" }, 1,
	  { "no entry for 5.9.99", "permanent failure", "reason undefined" } },
	{ "unknown reply", { "599" }, 1,
	  { "no entry for 599", "reason", "reply 599" } },
	{ "text alone", { "Relay access denied" }, 1,
	  { "no status or reply code found", "reason norelaying", "fault sender" } },
};

START_TEST (test_explain_text)
{
	g_autoptr(GError) error = NULL;
	GString *out = g_string_new (NULL);
	gboolean ok = bounce_explain (explain_text_cases[_i].args, explain_text_cases[_i].nargs,
				      FALSE, out, &error);

	ck_assert_msg (ok, "%s: failed: %s", explain_text_cases[_i].label,
		       error ? error->message : "?");
	for (int k = 0; k < 3; k++)
		ck_assert_msg (strstr (out->str, explain_text_cases[_i].want[k]) != NULL,
			       "%s: got\n%s\nwant it to contain \"%s\"", explain_text_cases[_i].label,
			       out->str, explain_text_cases[_i].want[k]);
	g_string_free (out, TRUE);
}
END_TEST

static const struct {
	const char *label;
	const char *args[5];
	int nargs;
	guint want_queries;
} explain_group_cases[] = {
	{ "reply then status", { "550", "5.1.1" }, 2, 1 },
	{ "reply, status, words", { "550", "5.1.1", "user", "unknown" }, 4, 1 },
	{ "two codes", { "4.7.0", "452 4.2.2 mailbox full" }, 2, 2 },
	{ "three statuses", { "5.1.1", "5.2.2", "5.7.26" }, 3, 3 },
	{ "empty args skipped", { "", "  ", "5.1.1" }, 3, 1 },
};

START_TEST (test_explain_grouping)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) root = bounce_explain_json (explain_group_cases[_i].args,
							explain_group_cases[_i].nargs, &error);
	guint got;

	ck_assert_msg (root != NULL, "%s: failed", explain_group_cases[_i].label);
	got = json_array_get_length (json_node_get_array (root));
	ck_assert_msg (got == explain_group_cases[_i].want_queries, "%s: got %u queries, want %u",
		       explain_group_cases[_i].label, got, explain_group_cases[_i].want_queries);
}
END_TEST

START_TEST (test_explain_json)
{
	const char *args[] = { "550 5.1.1", "5.9.99" };
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonParser) parser = json_parser_new ();
	GString *out = g_string_new (NULL);
	JsonArray *a;
	JsonObject *q, *st, *c;

	ck_assert_msg (bounce_explain (args, 2, TRUE, out, &error), "json: failed");
	ck_assert_msg (json_parser_load_from_data (parser, out->str, -1, &error),
		       "json: output does not parse: %s", error ? error->message : "?");
	a = json_node_get_array (json_parser_get_root (parser));
	ck_assert_msg (json_array_get_length (a) == 2, "json: got %u queries, want 2",
		       json_array_get_length (a));

	q = json_array_get_object_element (a, 0);
	st = json_object_get_object_member (q, "status");
	c = json_object_get_object_member (q, "classification");
	ck_assert_msg (strcmp (json_object_get_string_member (st, "whose_problem"), "recipient address") == 0,
		       "json 5.1.1: got whose_problem %s", json_object_get_string_member (st, "whose_problem"));
	ck_assert_msg (strcmp (json_object_get_string_member (st, "class"), "permanent") == 0,
		       "json 5.1.1: got class %s", json_object_get_string_member (st, "class"));
	ck_assert_msg (strcmp (json_object_get_string_member (c, "reason"), "userunknown") == 0,
		       "json 5.1.1: got reason %s", json_object_get_string_member (c, "reason"));
	ck_assert_msg (strcmp (json_object_get_string_member (json_object_get_object_member (q, "reply_code"), "code"), "550") == 0,
		       "json 5.1.1: reply code missing");

	q = json_array_get_object_element (a, 1);
	st = json_object_get_object_member (q, "status");
	ck_assert_msg (!json_object_get_boolean_member (st, "found"), "json 5.9.99: got found");
	ck_assert_msg (strcmp (json_object_get_string_member (st, "note"), "no entry for 5.9.99") == 0,
		       "json 5.9.99: got note %s", json_object_get_string_member (st, "note"));
	ck_assert_msg (json_object_get_null_member (q, "reply_code"), "json 5.9.99: reply_code not null");
	g_string_free (out, TRUE);
}
END_TEST

START_TEST (test_explain_nothing)
{
	g_autoptr(GError) error = NULL;
	const char *args[] = { " " };
	GString *out = g_string_new (NULL);

	ck_assert_msg (!bounce_explain (args, 1, FALSE, out, &error), "blank: got success");
	ck_assert_msg (g_error_matches (error, BOUNCE_ERROR, BOUNCE_ERROR_USAGE),
		       "blank: got another error");
	g_clear_error (&error);
	ck_assert_msg (!bounce_explain (NULL, 0, TRUE, out, &error), "none: got success");
	ck_assert_msg (out->len == 0, "nothing: got output %s", out->str);
	g_string_free (out, TRUE);
}
END_TEST

static Suite *
knowledge_suite (void)
{
	Suite *s = suite_create ("knowledge");
	TCase *tc;
	gsize n_status, n_reply, n_reason;

	bounce_status_table (&n_status);
	bounce_reply_table (&n_reply);
	bounce_reason_table (&n_reason);

	tc = tcase_create ("codes");
	tcase_add_loop_test (tc, test_status_row, 0, n_status);
	tcase_add_loop_test (tc, test_status_required, 0, G_N_ELEMENTS (required_status));
	tcase_add_loop_test (tc, test_status_reason, 0, G_N_ELEMENTS (status_reasons));
	tcase_add_loop_test (tc, test_status_parse, 0, G_N_ELEMENTS (status_parse_cases));
	tcase_add_test (tc, test_status_lookup_edges);
	tcase_add_loop_test (tc, test_reply_row, 0, n_reply);
	tcase_add_loop_test (tc, test_reply_required, 0, G_N_ELEMENTS (required_replies));
	tcase_add_test (tc, test_reply_lookup_edges);
	suite_add_tcase (s, tc);

	tc = tcase_create ("reasons");
	tcase_add_loop_test (tc, test_reason_row, 0, n_reason);
	tcase_add_test (tc, test_reason_count);
	tcase_add_loop_test (tc, test_reason_hard, 0, G_N_ELEMENTS (hard_cases));
	tcase_add_loop_test (tc, test_reason_fault_not_recipient, 0, G_N_ELEMENTS (sender_side));
	tcase_add_loop_test (tc, test_reason_alias, 0, G_N_ELEMENTS (alias_cases));
	suite_add_tcase (s, tc);

	tc = tcase_create ("classify");
	tcase_add_loop_test (tc, test_classify, 0, G_N_ELEMENTS (classify_cases));
	tcase_add_loop_test (tc, test_permanent, 0, G_N_ELEMENTS (permanent_cases));
	tcase_add_loop_test (tc, test_kind, 0, G_N_ELEMENTS (kind_cases));
	tcase_add_test (tc, test_classify_long_text);
	suite_add_tcase (s, tc);

	tc = tcase_create ("explain");
	tcase_add_loop_test (tc, test_explain_text, 0, G_N_ELEMENTS (explain_text_cases));
	tcase_add_loop_test (tc, test_explain_grouping, 0, G_N_ELEMENTS (explain_group_cases));
	tcase_add_test (tc, test_explain_json);
	tcase_add_test (tc, test_explain_nothing);
	suite_add_tcase (s, tc);
	return s;
}

int
main (void)
{
	return test_run_suite (knowledge_suite (), CK_NORMAL);
}
