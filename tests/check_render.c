/*
 * tests/check_render.c - output renderings: JSON always parses, which recipients print
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "analyze.h"
#include "output/render.h"
#include "output/summary.h"
#include "testlib.h"

static const struct {
	const char *label, *value;
} hostile_strings[] = {
	{ "unit separator 0x1f",	"a\x1f" "b" },
	{ "invalid utf-8",		"caf\xe9 \xff\xfe" },
	{ "control bytes",		"\x01\x02\x1b[31m\x7f" },
	{ "quotes and backslash",	"\"\\\"\\n" },
	{ "line ends",			"one\ntwo\r\nthree" },
	{ "overlong utf-8",		"\xc0\xaf" },
};

START_TEST (test_hostile_strings_parse)
{
	g_autoptr(BounceReport) r = bounce_report_new ();
	BounceRecipient *rcpt;
	BounceRenderOptions opts = { BOUNCE_FORMAT_JSONL, FALSE, FALSE };
	BounceOrigin origin = { "-", 1, -1 };
	g_autoptr(GString) out = g_string_new (NULL);
	g_autoptr(JsonParser) parser = json_parser_new ();
	g_autoptr(GError) error = NULL;
	JsonObject *obj;

	r->kind = BOUNCE_KIND_BOUNCE;
	rcpt = bounce_report_add_recipient (r, "x@example.org");
	/* raw assignment, as a careless detector might leave it */
	g_free (rcpt->diagnostic);
	rcpt->diagnostic = g_strdup (hostile_strings[_i].value);
	g_free (r->orig_subject);
	r->orig_subject = g_strdup (hostile_strings[_i].value);
	ck_assert_uint_eq (bounce_render (&opts, &origin, r, out), 1);
	ck_assert_msg (json_parser_load_from_data (parser, out->str, out->len, &error),
		       "%s: output does not parse: %s", hostile_strings[_i].label,
		       error ? error->message : "");
	obj = json_node_get_object (json_parser_get_root (parser));
	ck_assert (g_utf8_validate (json_object_get_string_member (obj, "diagnostic"), -1, NULL));
	ck_assert_str_eq (json_object_get_string_member (obj, "recipient"), "x@example.org");
	ck_assert (strchr (out->str, '\n') == out->str + out->len - 1);	/* one line */
}
END_TEST

static const struct {
	const char *label;
	BounceKind kind;
	const char *action;
	gboolean all;
	gboolean want;
} printed_cases[] = {
	{ "failed bounce",		BOUNCE_KIND_BOUNCE,	"failed",	FALSE, TRUE },
	{ "delayed bounce",		BOUNCE_KIND_BOUNCE,	"delayed",	FALSE, TRUE },
	{ "delivered entry",		BOUNCE_KIND_BOUNCE,	"delivered",	FALSE, FALSE },
	{ "delivered entry, --all",	BOUNCE_KIND_BOUNCE,	"delivered",	TRUE,  TRUE },
	{ "relayed entry",		BOUNCE_KIND_BOUNCE,	"relayed",	FALSE, FALSE },
	{ "complaint",			BOUNCE_KIND_FEEDBACK,	"",		FALSE, TRUE },
	{ "auto-reply",			BOUNCE_KIND_AUTOREPLY,	"",		FALSE, FALSE },
	{ "auto-reply, --all",		BOUNCE_KIND_AUTOREPLY,	"",		TRUE,  TRUE },
	{ "success DSN",		BOUNCE_KIND_DELIVERED,	"delivered",	FALSE, FALSE },
	{ "not a bounce, --all",	BOUNCE_KIND_NONE,	"",		TRUE,  FALSE },
};

START_TEST (test_printed)
{
	g_autoptr(BounceReport) r = bounce_report_new ();
	BounceRecipient *rcpt = bounce_report_add_recipient (r, "x@example.org");
	gboolean got;

	r->kind = printed_cases[_i].kind;
	bounce_set (&rcpt->action, printed_cases[_i].action);
	got = bounce_recipient_printed (r, rcpt, printed_cases[_i].all);
	ck_assert_msg (got == printed_cases[_i].want, "%s: got %d, want %d",
		       printed_cases[_i].label, got, printed_cases[_i].want);
}
END_TEST

START_TEST (test_json_array_and_text)
{
	g_autoptr(BounceReport) r = bounce_report_new ();
	BounceOrigin origin = { "box", 3, 1024 };
	BounceRenderOptions opts = { BOUNCE_FORMAT_JSON, FALSE, TRUE };
	g_autoptr(GString) out = g_string_new ("[");
	g_autoptr(JsonParser) parser = json_parser_new ();
	JsonArray *arr;
	JsonObject *first;

	r->kind = BOUNCE_KIND_BOUNCE;
	bounce_recipient_set_status (bounce_report_add_recipient (r, "a@example.org"), "5.1.1");
	bounce_report_add_recipient (r, "b@example.org");
	ck_assert_uint_eq (bounce_render (&opts, &origin, r, out), 2);
	g_string_append (out, "]");
	ck_assert (json_parser_load_from_data (parser, out->str, -1, NULL));
	arr = json_node_get_array (json_parser_get_root (parser));
	ck_assert_uint_eq (json_array_get_length (arr), 2);
	first = json_array_get_object_element (arr, 0);
	ck_assert_int_eq (json_object_get_int_member (first, "offset"), 1024);
	ck_assert_int_eq (json_object_get_int_member (first, "message"), 3);
	ck_assert_str_eq (json_object_get_string_member (first, "status"), "5.1.1");
	ck_assert (!json_object_has_member (first, "explanation"));	/* --terse */

	opts.format = BOUNCE_FORMAT_TEXT;
	g_string_truncate (out, 0);
	bounce_render (&opts, &origin, r, out);
	ck_assert_str_eq (out->str, "box#3\ta@example.org\t5.1.1\t-\t-\tsoft\t\nbox#3\tb@example.org\t-\t-\t-\tsoft\t\n");
}
END_TEST

/* A report handed between processes renders exactly as the original. */
static const char *const round_trip_samples[] = {
	"rfc3464/sendmail-two-recipients.eml", "rfc6533/postfix-smtputf8.eml",
	"qmail/vpopmail-nomailbox.eml", "arf/abuse-report.eml", "broken/invalid-utf8.eml",
	"autoreply/vacation-de.eml", "broken/nul-bytes.eml",
};

START_TEST (test_variant_round_trip)
{
	g_autofree char *path = g_build_filename (SAMPLES_DIR, round_trip_samples[_i], NULL);
	g_autofree char *data = NULL;
	gsize len = 0;
	g_autoptr(BounceReport) report = NULL;
	g_autoptr(BounceReport) back = NULL;
	g_autoptr(GVariant) v = NULL;
	g_autoptr(GString) a = g_string_new (NULL);
	g_autoptr(GString) b = g_string_new (NULL);
	BounceRenderOptions opts = { BOUNCE_FORMAT_JSONL, TRUE, FALSE };
	BounceOrigin origin = { "x", 1, 7 };

	bounce_library_init ();
	ck_assert_msg (g_file_get_contents (path, &data, &len, NULL), "%s: cannot read", path);
	report = bounce_analyze_bytes (data, len, NULL, NULL);
	ck_assert_ptr_nonnull (report);
	bounce_set (&report->envelope_recipient, "list-bounces+x=example.org@example.net");
	v = bounce_report_to_variant (report);
	back = bounce_report_new_from_variant (v);
	ck_assert_ptr_nonnull (back);
	ck_assert_int_eq (back->kind, report->kind);
	ck_assert_uint_eq (back->anomalies, report->anomalies);
	ck_assert_uint_eq (back->recipients->len, report->recipients->len);
	ck_assert_str_eq (back->envelope_recipient, report->envelope_recipient);
	ck_assert_str_eq (back->from, report->from);
	bounce_render (&opts, &origin, report, a);
	bounce_render (&opts, &origin, back, b);
	ck_assert_msg (strcmp (a->str, b->str) == 0, "%s: got %s, want %s", round_trip_samples[_i],
		       b->str, a->str);
}
END_TEST

START_TEST (test_variant_wrong_type)
{
	g_autoptr(GVariant) v = g_variant_ref_sink (g_variant_new_string ("not a report"));

	ck_assert_ptr_null (bounce_report_new_from_variant (v));
	ck_assert_ptr_null (bounce_report_new_from_variant (NULL));
}
END_TEST

/* Render REPORT's records through the writer and, apart, each built afresh. */
static void
assert_render_matches_fresh (const char *label, const BounceRenderOptions *opts,
			     const BounceOrigin *origin, const BounceReport *report)
{
	g_autoptr(GString) got = g_string_new (NULL);
	g_autoptr(GString) want = g_string_new (NULL);
	g_autoptr(JsonGenerator) gen = json_generator_new ();

	bounce_render (opts, origin, report, got);
	for (guint i = 0; i < report->recipients->len; i++) {
		const BounceRecipient *rcpt = g_ptr_array_index (report->recipients, i);
		g_autoptr(JsonNode) node = NULL;

		if (!bounce_recipient_printed (report, rcpt, opts->all))
			continue;
		node = bounce_recipient_to_json (opts, origin, report, rcpt);
		json_generator_set_root (gen, node);
		json_generator_to_gstring (gen, want);
		g_string_append_c (want, '\n');
	}
	ck_assert_msg (strcmp (got->str, want->str) == 0, "%s:\n got %s\nwant %s", label, got->str, want->str);
}

/*
 * Records of one shape reuse one JSON object: one after another, and after
 * records of other shapes (more or fewer members), each must read as if
 * built afresh, with nothing left over from the one before.
 */
START_TEST (test_records_refilled)
{
	static const char *const samples[] = {
		"postfix/text-only-rcpt.eml", "arf/abuse-report.eml", "postfix/text-only-rcpt.eml",
		"zoho/two-recipients.eml", "broken/nul-bytes.eml", "postfix/text-only-rcpt.eml",
	};
	BounceRenderOptions verbose = { BOUNCE_FORMAT_JSONL, FALSE, FALSE };
	BounceRenderOptions terse = { BOUNCE_FORMAT_JSONL, FALSE, TRUE };

	for (gsize i = 0; i < G_N_ELEMENTS (samples); i++) {
		g_autoptr(BounceReport) report = test_analyze_sample (samples[i], samples[i]);
		BounceOrigin in_file = { samples[i], (guint) i + 1, -1 };
		BounceOrigin in_mbox = { "all.mbox", (guint) i + 1, 4096 * (gint64) i };

		ck_assert_uint_gt (report->recipients->len, 0);
		assert_render_matches_fresh (samples[i], &verbose, &in_file, report);
		assert_render_matches_fresh (samples[i], &terse, &in_mbox, report);
		assert_render_matches_fresh (samples[i], &verbose, &in_mbox, report);
	}
}
END_TEST

/* Counts made apart and added up read as counts made in one place. */
START_TEST (test_summary_merge)
{
	static const char *const samples[] = {
		"postfix/text-only-rcpt.eml", "arf/abuse-report.eml", "zoho/two-recipients.eml",
		"postfix/text-only-rcpt.eml",
	};
	g_autoptr(BounceSummary) whole = bounce_summary_new ();
	g_autoptr(BounceSummary) sum = bounce_summary_new ();
	g_autoptr(GString) want = g_string_new (NULL);
	g_autoptr(GString) got = g_string_new (NULL);

	for (gsize i = 0; i < G_N_ELEMENTS (samples); i++) {
		g_autoptr(BounceReport) report = test_analyze_sample (samples[i], samples[i]);
		g_autoptr(BounceSummary) part = bounce_summary_new ();
		g_autoptr(GVariant) v = NULL;

		bounce_summary_add_message (whole);
		bounce_summary_add (whole, report, FALSE);
		bounce_summary_add_message (sum);	/* the main process counts messages */
		bounce_summary_add (part, report, FALSE);
		v = bounce_summary_to_variant (part);
		ck_assert (bounce_summary_merge_bytes (sum, g_variant_get_data (v), g_variant_get_size (v)));
	}
	bounce_summary_render (whole, TRUE, want);
	bounce_summary_render (sum, TRUE, got);
	ck_assert_str_eq (got->str, want->str);
	ck_assert_ptr_nonnull (strstr (got->str, "\"recipients\":5"));
	/* bytes that are no summary are refused */
	ck_assert (!bounce_summary_merge_bytes (sum, (const guint8 *) "\x01\x02\x03", 3));
}
END_TEST

static Suite *
render_suite (void)
{
	Suite *s = suite_create ("render");
	TCase *tc = tcase_create ("json");

	tcase_add_loop_test (tc, test_hostile_strings_parse, 0, G_N_ELEMENTS (hostile_strings));
	tcase_add_loop_test (tc, test_printed, 0, G_N_ELEMENTS (printed_cases));
	tcase_add_test (tc, test_json_array_and_text);
	tcase_add_loop_test (tc, test_variant_round_trip, 0, G_N_ELEMENTS (round_trip_samples));
	tcase_add_test (tc, test_variant_wrong_type);
	tcase_add_test (tc, test_records_refilled);
	tcase_add_test (tc, test_summary_merge);
	suite_add_tcase (s, tc);
	return s;
}

int
main (void)
{
	return test_run_suite (render_suite (), CK_NORMAL);
}
