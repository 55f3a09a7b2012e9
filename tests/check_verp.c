/*
 * tests/check_verp.c - VERP decoding, signing and verification; envelope candidates
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include <glib/gstdio.h>

#include "pipeline/verp.h"
#include "testlib.h"

static const struct {
	const char *label, *syntax, *input;
	const char *want_address, *want_prefix, *want_host;	/* address NULL = not VERP */
	gint64 want_days;
} decode_cases[] = {
	{ "plus and equals", "+-=", "list-bounces+user=example.org@lists.example.net",
	  "user@example.org", "list-bounces", "lists.example.net", -1 },
	{ "postfix xverp in angle brackets", "+=", " <owner-list+bob=mail.example.com@example.net> ",
	  "bob@mail.example.com", "owner-list", "example.net", -1 },
	{ "minus delimiter", "-=", "bounces-jane=example.org@example.net",
	  "jane@example.org", "bounces", "example.net", -1 },
	{ "plus tried before minus", "+-=", "list-bounces+mary-ann=example.org@example.net",
	  "mary-ann@example.org", "list-bounces", "example.net", -1 },
	{ "equals sign in the local part", "+=", "b+a=b=example.org@example.net",
	  "a=b@example.org", "b", "example.net", -1 },
	{ "other at stand-in", "+%", "b+joe%example.org@example.net",
	  "joe@example.org", "b", "example.net", -1 },
	{ "domain lower-cased", "+=", "b+Joe=Example.ORG@Lists.Example.NET",
	  "Joe@example.org", "b", "lists.example.net", -1 },
	{ "signed", "+=", "b+user=example.org.20417.0123456789abcdef@example.net",
	  "user@example.org", "b", "example.net", 20417 },
	{ "signed, upper-case mac", "+=", "b+user=example.org.20417.0123456789ABCDEF@example.net",
	  "user@example.org", "b", "example.net", 20417 },
	{ "short mac is part of the domain", "+=", "b+user=example.org.20417.0123@example.net",
	  "user@example.org.20417.0123", "b", "example.net", -1 },
	{ "plain address", "+-=", "user@example.org", NULL, NULL, NULL, -1 },
	{ "extension without equals", "+-=", "user+tag@example.org", NULL, NULL, NULL, -1 },
	{ "delimiter first", "+=", "+user=example.org@example.net", NULL, NULL, NULL, -1 },
	{ "equals last", "+=", "b+user=@example.net", NULL, NULL, NULL, -1 },
	{ "no at", "+=", "b+user=example.org", NULL, NULL, NULL, -1 },
	{ "empty", "+=", "", NULL, NULL, NULL, -1 },
	{ "space inside", "+=", "b+us er=example.org@example.net", NULL, NULL, NULL, -1 },
	{ "bad encoded domain", "+=", "b+user=exa..mple@example.net", NULL, NULL, NULL, -1 },
};

START_TEST (test_decode)
{
	BounceVerpSyntax syntax;
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceVerp) verp = NULL;

	ck_assert_msg (bounce_verp_syntax_parse (&syntax, decode_cases[_i].syntax, &error),
		       "%s: syntax: %s", decode_cases[_i].label, error ? error->message : "");
	verp = bounce_verp_decode (decode_cases[_i].input, &syntax);
	if (decode_cases[_i].want_address == NULL) {
		ck_assert_msg (verp == NULL, "%s: got %s, want not VERP", decode_cases[_i].label,
			       verp ? verp->address : "");
		return;
	}
	ck_assert_msg (verp != NULL, "%s: got not VERP, want %s", decode_cases[_i].label,
		       decode_cases[_i].want_address);
	ck_assert_msg (strcmp (verp->address, decode_cases[_i].want_address) == 0,
		       "%s: address: got %s, want %s", decode_cases[_i].label, verp->address,
		       decode_cases[_i].want_address);
	ck_assert_msg (strcmp (verp->prefix, decode_cases[_i].want_prefix) == 0,
		       "%s: prefix: got %s, want %s", decode_cases[_i].label, verp->prefix,
		       decode_cases[_i].want_prefix);
	ck_assert_msg (strcmp (verp->host, decode_cases[_i].want_host) == 0,
		       "%s: host: got %s, want %s", decode_cases[_i].label, verp->host,
		       decode_cases[_i].want_host);
	ck_assert_msg (verp->days == decode_cases[_i].want_days,
		       "%s: days: got %" G_GINT64_FORMAT ", want %" G_GINT64_FORMAT,
		       decode_cases[_i].label, verp->days, decode_cases[_i].want_days);
}
END_TEST

static const struct {
	const char *label, *text;
	gboolean ok;
} syntax_cases[] = {
	{ "plus minus equals", "+-=", TRUE },
	{ "one delimiter", "+=", TRUE },
	{ "only one character", "+", FALSE },
	{ "letter", "a=", FALSE },
	{ "at sign", "+@", FALSE },
	{ "dot", ".=", FALSE },
	{ "repeated", "++", FALSE },
	{ "empty", "", FALSE },
	{ "too long", "+-%!#$&*^", FALSE },
};

START_TEST (test_syntax)
{
	BounceVerpSyntax syntax;
	gboolean got = bounce_verp_syntax_parse (&syntax, syntax_cases[_i].text, NULL);

	ck_assert_msg (got == syntax_cases[_i].ok, "%s: got %d, want %d", syntax_cases[_i].label,
		       got, syntax_cases[_i].ok);
}
END_TEST

#define KEY "0123456789abcdef-secret"
#define OTHER_KEY "0123456789abcdef-other!"
#define TODAY 20000

static GBytes *
key_of (const char *text)
{
	return g_bytes_new_static (text, strlen (text));
}

START_TEST (test_encode_unsigned)
{
	g_autofree char *rp = bounce_verp_encode ("list-bounces@lists.example.net", "user@Example.org",
						  NULL, NULL);
	g_autoptr(BounceVerp) verp = NULL;

	ck_assert_str_eq (rp, "list-bounces+user=example.org@lists.example.net");
	verp = bounce_verp_decode (rp, NULL);
	ck_assert_ptr_nonnull (verp);
	ck_assert_str_eq (verp->address, "user@example.org");
	ck_assert_int_eq (bounce_verp_verify (verp, NULL, TODAY, 30), BOUNCE_VERP_MISSING);
}
END_TEST

START_TEST (test_encode_refuses)
{
	g_autoptr(GError) error = NULL;

	ck_assert_ptr_null (bounce_verp_encode ("list+x@example.net", "u@example.org", NULL, &error));
	g_clear_error (&error);
	ck_assert_ptr_null (bounce_verp_encode ("list@example.net", "not-an-address", NULL, &error));
	g_clear_error (&error);
	g_autoptr(GBytes) short_key = key_of ("short");
	ck_assert_ptr_null (bounce_verp_sign ("list@example.net", "u@example.org", NULL, short_key,
					      TODAY, &error));
}
END_TEST

/* sign on day SIGNED, tamper, verify on TODAY with KEY_USED */
static const struct {
	const char *label;
	gint64 signed_day;
	const char *verify_key;
	guint max_age;
	const char *from, *to;		/* replace FROM by TO in the signed return path */
	BounceVerpCheck want;
} verify_cases[] = {
	{ "round trip", TODAY, KEY, 30, NULL, NULL, BOUNCE_VERP_VALID },
	{ "round trip, no age limit, old", TODAY - 400, KEY, 0, NULL, NULL, BOUNCE_VERP_VALID },
	{ "signed yesterday", TODAY - 1, KEY, 30, NULL, NULL, BOUNCE_VERP_VALID },
	{ "at the age limit", TODAY - 30, KEY, 30, NULL, NULL, BOUNCE_VERP_VALID },
	{ "expired", TODAY - 31, KEY, 30, NULL, NULL, BOUNCE_VERP_EXPIRED },
	{ "from the future", TODAY + 5, KEY, 30, NULL, NULL, BOUNCE_VERP_BAD },
	{ "wrong key", TODAY, OTHER_KEY, 30, NULL, NULL, BOUNCE_VERP_BAD },
	{ "tampered address", TODAY, KEY, 30, "user=", "uses=", BOUNCE_VERP_BAD },
	{ "tampered domain", TODAY, KEY, 30, "example.org", "example.com", BOUNCE_VERP_BAD },
	{ "tampered day", TODAY, KEY, 30, ".20000.", ".20001.", BOUNCE_VERP_BAD },
	{ "case folded by an MTA", TODAY, KEY, 30, "user=example.org", "USER=EXAMPLE.ORG", BOUNCE_VERP_VALID },
	{ "mac removed", TODAY, KEY, 30, "MAC", "", BOUNCE_VERP_MISSING },
};

static char *
replace (const char *text, const char *from, const char *to)
{
	g_auto(GStrv) parts = g_strsplit (text, from, 2);
	return g_strjoinv (to, parts);
}

START_TEST (test_verify)
{
	g_autoptr(GBytes) key = key_of (KEY);
	g_autoptr(GBytes) vkey = key_of (verify_cases[_i].verify_key);
	g_autoptr(GError) error = NULL;
	g_autofree char *rp = bounce_verp_sign ("list-bounces@lists.example.net", "user@example.org",
						NULL, key, verify_cases[_i].signed_day, &error);
	g_autofree char *changed = NULL;
	g_autoptr(BounceVerp) verp = NULL;
	BounceVerpCheck got;

	ck_assert_msg (rp != NULL, "%s: sign: %s", verify_cases[_i].label, error ? error->message : "");
	if (verify_cases[_i].from != NULL && strcmp (verify_cases[_i].from, "MAC") == 0) {
		/* "...example.org.DAYS.MAC@host" -> "...example.org@host" */
		g_autofree char *host = g_strdup (strrchr (rp, '@'));
		*strrchr (rp, '@') = '\0';
		*strrchr (rp, '.') = '\0';
		*strrchr (rp, '.') = '\0';
		changed = g_strconcat (rp, host, NULL);
	} else if (verify_cases[_i].from != NULL) {
		changed = replace (rp, verify_cases[_i].from, verify_cases[_i].to);
	} else {
		changed = g_strdup (rp);
	}
	verp = bounce_verp_decode (changed, NULL);
	ck_assert_msg (verp != NULL, "%s: %s does not decode", verify_cases[_i].label, changed);
	got = bounce_verp_verify (verp, vkey, TODAY, verify_cases[_i].max_age);
	ck_assert_msg (got == verify_cases[_i].want, "%s: %s: got %s, want %s",
		       verify_cases[_i].label, changed, bounce_verp_check_name (got),
		       bounce_verp_check_name (verify_cases[_i].want));
}
END_TEST

START_TEST (test_signed_shape)
{
	g_autoptr(GBytes) key = key_of (KEY);
	g_autofree char *rp = bounce_verp_sign ("list-bounces@lists.example.net", "user@example.org",
						NULL, key, 20417, NULL);

	ck_assert (g_str_has_prefix (rp, "list-bounces+user=example.org.20417."));
	ck_assert (g_str_has_suffix (rp, "@lists.example.net"));
	ck_assert_uint_eq (strlen (rp), strlen ("list-bounces+user=example.org.20417.") +
			   BOUNCE_VERP_MAC_CHARS + strlen ("@lists.example.net"));
	ck_assert_int_eq (bounce_verp_verify (NULL, key, TODAY, 30), BOUNCE_VERP_MISSING);
}
END_TEST

static const struct {
	const char *label, *a, *b;
	gboolean want;
} equal_cases[] = {
	{ "same", "0123456789abcdef", "0123456789abcdef", TRUE },
	{ "case differs", "0123456789ABCDEF", "0123456789abcdef", TRUE },
	{ "last differs", "0123456789abcdef", "0123456789abcdee", FALSE },
	{ "first differs", "1123456789abcdef", "0123456789abcdef", FALSE },
};

START_TEST (test_mac_equal)
{
	ck_assert_msg (bounce_verp_mac_equal (equal_cases[_i].a, equal_cases[_i].b, 16) == equal_cases[_i].want,
		       "%s", equal_cases[_i].label);
}
END_TEST

START_TEST (test_env_candidates)
{
	char *env[] = {
		"PATH=/bin",
		"ORIGINAL_RECIPIENT=<b+one=example.org@example.net>",
		"RECIPIENT=b+two=example.org@example.net",
		"LOCAL_PART=b",
		"LOCAL_PART_SUFFIX=+three=example.org",
		"DOMAIN=example.net",
		NULL
	};
	char *empty[] = { "PATH=/bin", "RECIPIENT=", NULL };
	g_auto(GStrv) got = bounce_verp_candidates_from_env (env);
	g_auto(GStrv) none = bounce_verp_candidates_from_env (empty);

	ck_assert_uint_eq (g_strv_length (got), 3);
	ck_assert_str_eq (got[0], "b+one=example.org@example.net");
	ck_assert_str_eq (got[1], "b+two=example.org@example.net");
	ck_assert_str_eq (got[2], "b+three=example.org@example.net");
	ck_assert_uint_eq (g_strv_length (none), 0);
}
END_TEST

static const struct {
	const char *label, *message;
	const char *want0;	/* NULL = none */
	guint want_n;
} header_cases[] = {
	{ "delivered-to", "Delivered-To: b+u=example.org@example.net\nSubject: x\n\nbody\n",
	  "b+u=example.org@example.net", 1 },
	{ "header order kept", "X-Original-To: <first@example.net>\r\nDelivered-To: second@example.net\r\n\r\n",
	  "first@example.net", 2 },
	{ "envelope-to folded", "Envelope-To:\n\tb+u=example.org@example.net\nFrom: x\n\n",
	  "b+u=example.org@example.net", 1 },
	{ "mbox from line skipped", "From MAILER-DAEMON Mon Jan  1 00:00:00 2024\nDelivered-To: a@example.net\n\n",
	  "a@example.net", 1 },
	{ "body not read", "Subject: x\n\nDelivered-To: a@example.net\n", NULL, 0 },
	{ "not an address", "Delivered-To: nobody\n\n", NULL, 0 },
	{ "name is exact", "X-Delivered-To: a@example.net\n\n", NULL, 0 },
};

START_TEST (test_header_candidates)
{
	g_auto(GStrv) got = bounce_verp_candidates_from_headers (header_cases[_i].message,
								 strlen (header_cases[_i].message));

	ck_assert_msg (g_strv_length (got) == header_cases[_i].want_n, "%s: got %u candidates, want %u",
		       header_cases[_i].label, g_strv_length (got), header_cases[_i].want_n);
	if (header_cases[_i].want0 != NULL)
		ck_assert_msg (strcmp (got[0], header_cases[_i].want0) == 0, "%s: got %s, want %s",
			       header_cases[_i].label, got[0], header_cases[_i].want0);
}
END_TEST

START_TEST (test_key_load)
{
	g_autofree char *dir = g_dir_make_tmp ("check_verp-XXXXXX", NULL);
	g_autofree char *good = g_build_filename (dir, "good", NULL);
	g_autofree char *bad = g_build_filename (dir, "bad", NULL);
	g_autoptr(GBytes) key = NULL;
	g_autoptr(GError) error = NULL;

	ck_assert (g_file_set_contents (good, KEY "\n", -1, NULL));
	ck_assert (g_file_set_contents (bad, "short\n", -1, NULL));
	key = bounce_verp_key_load (good, &error);
	ck_assert_ptr_nonnull (key);
	ck_assert_uint_eq (g_bytes_get_size (key), strlen (KEY));
	ck_assert_ptr_null (bounce_verp_key_load (bad, &error));
	ck_assert_ptr_nonnull (error);
	g_unlink (good);
	g_unlink (bad);
	g_rmdir (dir);
}
END_TEST

static Suite *
verp_suite (void)
{
	Suite *s = suite_create ("verp");
	TCase *tc = tcase_create ("core");

	tcase_add_loop_test (tc, test_decode, 0, G_N_ELEMENTS (decode_cases));
	tcase_add_loop_test (tc, test_syntax, 0, G_N_ELEMENTS (syntax_cases));
	tcase_add_test (tc, test_encode_unsigned);
	tcase_add_test (tc, test_encode_refuses);
	tcase_add_loop_test (tc, test_verify, 0, G_N_ELEMENTS (verify_cases));
	tcase_add_test (tc, test_signed_shape);
	tcase_add_loop_test (tc, test_mac_equal, 0, G_N_ELEMENTS (equal_cases));
	tcase_add_test (tc, test_env_candidates);
	tcase_add_loop_test (tc, test_header_candidates, 0, G_N_ELEMENTS (header_cases));
	tcase_add_test (tc, test_key_load);
	suite_add_tcase (s, tc);
	return s;
}

int
main (void)
{
	return test_run_suite (verp_suite (), CK_NORMAL);
}
