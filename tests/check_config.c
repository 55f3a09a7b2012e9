/*
 * tests/check_config.c - the configuration file: every key, bad values, defaults, layering
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cli/settings.h"
#include "testlib.h"

START_TEST (test_defaults)
{
	g_autoptr(BounceConfig) cfg = bounce_config_new ();

	ck_assert_ptr_null (cfg->store_uri);
	ck_assert_uint_eq (cfg->policy.soft_threshold, 3);
	ck_assert_uint_eq (cfg->verp_max_age_days, 30);
	ck_assert_int_eq (cfg->hook_on, BOUNCE_HOOK_ON_SUPPRESS);
	ck_assert_uint_eq (cfg->hook_timeout, 30);
	ck_assert_uint_eq (cfg->limits.max_message, bounce_limits_default.max_message);
	ck_assert (!cfg->verp_require_signature);
}
END_TEST

static const char full_file[] =
	"# every group\n"
	"[store]\nuri = sqlite:/var/lib/bouncefilter/list.db\ntimeout_ms=5000\n"
	"[policy]\nsoft_threshold=5\nsoft_window_days=21\nquiet_reset_days=60\n"
	"expire_hard_days=365\nexpire.mailboxfull=10\n"
	"[verp]\nkey_file=/etc/bouncefilter/verp.key\nseparators=-=\nrequire_signature=true\n"
	"max_age_days=7\nreturn_path=list-bounces@lists.example.net\n"
	"[hook]\nexec=/usr/local/bin/unsub --list x\non=event\ntimeout=5\n"
	"[output]\nformat=text\nterse=yes\nall=false\nfile=/var/log/bounces.jsonl\nquarantine=/var/mail/q\n"
	"[limits]\nmax_message_bytes=10M\nmax_text_bytes=64K\nmax_depth=12\nmax_recipients=50\n";

START_TEST (test_every_group)
{
	g_autoptr(BounceConfig) cfg = bounce_config_new ();
	g_autoptr(GError) error = NULL;

	ck_assert_msg (bounce_config_load_data (cfg, full_file, "full", &error), "%s",
		       error ? error->message : "");
	ck_assert_str_eq (cfg->store_uri, "sqlite:/var/lib/bouncefilter/list.db");
	ck_assert_uint_eq (cfg->store_timeout_ms, 5000);
	ck_assert_uint_eq (cfg->policy.soft_threshold, 5);
	ck_assert_uint_eq (cfg->policy.soft_window_days, 21);
	ck_assert_uint_eq (cfg->policy.quiet_reset_days, 60);
	ck_assert_uint_eq (cfg->policy.expire_hard_days, 365);
	ck_assert_uint_eq (bounce_policy_expiry_days (&cfg->policy, BOUNCE_CLASS_SOFT, "mailboxfull"), 10);
	ck_assert_str_eq (cfg->verp_key_file, "/etc/bouncefilter/verp.key");
	ck_assert_str_eq (cfg->verp_separators, "-=");
	ck_assert (cfg->verp_require_signature);
	ck_assert_uint_eq (cfg->verp_max_age_days, 7);
	ck_assert_str_eq (cfg->verp_return_path, "list-bounces@lists.example.net");
	ck_assert_str_eq (cfg->hook_exec, "/usr/local/bin/unsub --list x");
	ck_assert_int_eq (cfg->hook_on, BOUNCE_HOOK_ON_EVENT);
	ck_assert_uint_eq (cfg->hook_timeout, 5);
	ck_assert_str_eq (cfg->output_format, "text");
	ck_assert (cfg->output_terse);
	ck_assert (!cfg->output_all);
	ck_assert_str_eq (cfg->output_file, "/var/log/bounces.jsonl");
	ck_assert_str_eq (cfg->quarantine, "/var/mail/q");
	ck_assert_uint_eq (cfg->limits.max_message, 10 << 20);
	ck_assert_uint_eq (cfg->limits.max_text, 64 << 10);
	ck_assert_uint_eq (cfg->limits.max_depth, 12);
	ck_assert_uint_eq (cfg->limits.max_recipients, 50);
	/* untouched keys keep their defaults */
	ck_assert_uint_eq (cfg->limits.max_parts, bounce_limits_default.max_parts);
	ck_assert_uint_eq (cfg->loaded->len, 1);
}
END_TEST

static const struct {
	const char *label, *text, *want_in_message;
} bad_cases[] = {
	{ "unknown group",		"[stor]\nuri=x\n",			"unknown group" },
	{ "unknown key",		"[store]\nurl=x\n",			"unknown key" },
	{ "not a number",		"[policy]\nsoft_threshold=many\n",	"soft_threshold" },
	{ "negative",			"[hook]\ntimeout=-1\n",			"timeout" },
	{ "too large",			"[verp]\nmax_age_days=99999999\n",	"max_age_days" },
	{ "bad boolean",		"[verp]\nrequire_signature=maybe\n",	"true or false" },
	{ "bad hook event",		"[hook]\non=always\n",			"event or suppress" },
	{ "bad format",			"[output]\nformat=xml\n",		"jsonl" },
	{ "bad separators",		"[verp]\nseparators=ab\n",		"separators" },
	{ "zero size",			"[limits]\nmax_message_bytes=0\n",	"max_message_bytes" },
	{ "bad size suffix",		"[limits]\nmax_message_bytes=10X\n",	"max_message_bytes" },
	{ "bad expiry",			"[policy]\nexpire.mailboxfull=soon\n",	"expire.mailboxfull" },
	{ "not a key file",		"uri=x\n",				"" },
	{ "key outside a group",	"[store\nuri=x\n",			"" },
};

START_TEST (test_bad)
{
	g_autoptr(BounceConfig) cfg = bounce_config_new ();
	g_autoptr(GError) error = NULL;
	gboolean ok = bounce_config_load_data (cfg, bad_cases[_i].text, "bad.conf", &error);

	ck_assert_msg (!ok, "%s: accepted", bad_cases[_i].label);
	ck_assert_msg (error != NULL && strstr (error->message, bad_cases[_i].want_in_message) != NULL &&
		       strstr (error->message, "bad.conf") != NULL,
		       "%s: message \"%s\" lacks \"%s\" or the file name", bad_cases[_i].label,
		       error ? error->message : "", bad_cases[_i].want_in_message);
}
END_TEST

START_TEST (test_missing_file)
{
	g_autoptr(BounceConfig) cfg = bounce_config_new ();
	g_autoptr(GError) error = NULL;

	ck_assert (!bounce_config_load (cfg, "/nonexistent/bouncefilter.conf", &error));
	ck_assert (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT));
}
END_TEST

/* $XDG_CONFIG_HOME/bouncefilter/config is read, and a later file overrides key by key */
START_TEST (test_user_file_and_layering)
{
	g_autofree char *dir = g_dir_make_tmp ("check_config-XXXXXX", NULL);
	g_autofree char *sub = g_build_filename (dir, "bouncefilter", NULL);
	g_autofree char *path = g_build_filename (sub, "config", NULL);
	g_autoptr(BounceConfig) cfg = bounce_config_new ();
	g_autoptr(GError) error = NULL;

	ck_assert (g_mkdir (sub, 0700) == 0);
	ck_assert (g_file_set_contents (path, "[hook]\ntimeout=9\n", -1, NULL));
	ck_assert (bounce_config_load_data (cfg, "[hook]\ntimeout=3\nexec=x\n", "first", &error));
	ck_assert (bounce_config_load (cfg, path, &error));
	ck_assert_uint_eq (cfg->hook_timeout, 9);
	ck_assert_str_eq (cfg->hook_exec, "x");
	g_unlink (path);
	g_rmdir (sub);
	g_rmdir (dir);
}
END_TEST

static Suite *
config_suite (void)
{
	Suite *s = suite_create ("config");
	TCase *tc = tcase_create ("core");

	tcase_add_test (tc, test_defaults);
	tcase_add_test (tc, test_every_group);
	tcase_add_loop_test (tc, test_bad, 0, G_N_ELEMENTS (bad_cases));
	tcase_add_test (tc, test_missing_file);
	tcase_add_test (tc, test_user_file_and_layering);
	suite_add_tcase (s, tc);
	return s;
}

int
main (void)
{
	return test_run_suite (config_suite (), CK_NORMAL);
}
