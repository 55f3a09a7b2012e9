/*
 * tests/check_linear.c - every detector runs in linear time on hostile text
 *
 * DESCRIPTION	Feeds each registered detector, directly, a message whose
 *		text is 1 MB of the characters bounce patterns repeat (address
 *		signs, digits and dots of status codes, angle brackets, marker
 *		words, long lines, no line ends at all), under headers that make
 *		every detector look closely (From MAILER-DAEMON, a bounce
 *		subject).  The bound is generous: only a hang or a quadratic or
 *		backtracking blow-up can exceed it; it is not a speed test.
 */
#include "config.h"

#include <string.h>

#include "testlib.h"

#define TEXT_BYTES (1024 * 1024)
#define BOUND_SECONDS 20.0

static const struct {
	const char *label;
	const char *unit;	/* repeated to fill the text */
} patterns[] = {
	{ "at signs",			"@" },
	{ "address-like runs",		"a@b." },
	{ "status-code-like runs",	"5.5.5." },
	{ "reply-code-like runs",	"550 550-" },
	{ "angle brackets",		"<<>>" },
	{ "no line ends, spaces",	" " },
	{ "blank lines",		"\n" },
	{ "marker-like words",		"Final-Recipient: rfc822; " },
	{ "transcript arrows",		">>> RCPT TO:<" },
	{ "repeated address lines",	"<user@example.org>:\n" },
	{ "repeated diagnostics",	"550 5.1.1 user unknown\n" },
	{ "mixed case letters",		"eErRoOrR" },
};

static GMimeMessage *
hostile_message (const char *unit)
{
	g_autoptr(GString) raw = g_string_sized_new (TEXT_BYTES + 512);
	gsize n = strlen (unit);

	g_string_append (raw,
		"From: Mail Delivery System <MAILER-DAEMON@example.org>\n"
		"To: sender@example.org\n"
		"Subject: Undelivered Mail Returned to Sender\n"
		"X-Failed-Recipients: user@example.org\n"
		"Content-Type: text/plain; charset=us-ascii\n\n");
	while (raw->len < TEXT_BYTES)
		g_string_append_len (raw, unit, n);
	return test_parse_message (raw->str, raw->len);
}

START_TEST (test_detectors_linear)
{
	BounceLimits limits = bounce_limits_default;
	g_autoptr(GMimeMessage) message = NULL;

	bounce_library_init ();
	limits.max_text = 2 * TEXT_BYTES;	/* let the whole megabyte through */
	message = hostile_message (patterns[_i].unit);
	ck_assert_ptr_nonnull (message);
	for (const BounceDetector *const *group = bounce_detector_groups; *group; group++) {
		for (const BounceDetector *d = *group; d->name != NULL; d++) {
			g_autoptr(BounceScan) scan = bounce_scan_new (GMIME_OBJECT (message), &limits);
			g_autoptr(BounceReport) report = bounce_report_new ();
			gint64 start = g_get_monotonic_time ();
			double secs;

			ck_assert_uint_ge (scan->text->len, TEXT_BYTES - 1024);
			d->detect (scan, report);
			secs = (g_get_monotonic_time () - start) / 1e6;
			ck_assert_msg (secs < BOUND_SECONDS, "%s: detector %s took %.1f s on 1 MB",
				       patterns[_i].label, d->name, secs);
		}
	}
}
END_TEST

/* The whole pipeline, at the default limits, on the same inputs. */
START_TEST (test_analyze_linear)
{
	g_autoptr(GString) raw = g_string_new (
		"From: MAILER-DAEMON@example.org\nSubject: failure notice\n\n");
	gint64 start;
	double secs;
	g_autoptr(BounceReport) report = NULL;

	bounce_library_init ();
	while (raw->len < TEXT_BYTES)
		g_string_append (raw, patterns[_i].unit);
	start = g_get_monotonic_time ();
	report = bounce_analyze_bytes (raw->str, raw->len, NULL, NULL);
	secs = (g_get_monotonic_time () - start) / 1e6;
	ck_assert_ptr_nonnull (report);
	ck_assert_msg (secs < BOUND_SECONDS, "%s: analysis took %.1f s", patterns[_i].label, secs);
}
END_TEST

static Suite *
linear_suite (void)
{
	Suite *s = suite_create ("linear");
	TCase *tc = tcase_create ("hostile-text");

	tcase_set_timeout (tc, 600);
	tcase_add_loop_test (tc, test_detectors_linear, 0, G_N_ELEMENTS (patterns));
	tcase_add_loop_test (tc, test_analyze_linear, 0, G_N_ELEMENTS (patterns));
	suite_add_tcase (s, tc);
	return s;
}

int
main (void)
{
	return test_run_suite (linear_suite (), CK_NORMAL);
}
