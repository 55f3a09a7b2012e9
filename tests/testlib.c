/*
 * tests/testlib.c - helpers shared by the check programs
 *
 * DESCRIPTION	See testlib.h.  SAMPLES_DIR comes from TEST_CFLAGS.
 */
#include "config.h"

#include <string.h>

#include "testlib.h"

char *
test_read_sample (const char *label, const char *rel, gsize *len)
{
	g_autofree char *path = g_build_filename (SAMPLES_DIR, rel, NULL);
	g_autoptr(GError) error = NULL;
	char *data = NULL;

	ck_assert_msg (g_file_get_contents (path, &data, len, &error), "%s: cannot read %s: %s",
		       label, path, error ? error->message : "?");
	return data;
}

static BounceReport *
analyze (const char *label, const char *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	BounceReport *report;

	bounce_library_init ();
	report = bounce_analyze_bytes (data, len, NULL, &error);
	ck_assert_msg (report != NULL, "%s: no report: %s", label, error ? error->message : "?");
	return report;
}

BounceReport *
test_analyze_sample (const char *label, const char *rel)
{
	gsize len = 0;
	g_autofree char *data = test_read_sample (label, rel, &len);

	return analyze (label, data, len);
}

BounceReport *
test_analyze_text (const char *label, const char *text)
{
	return analyze (label, text, strlen (text));
}

GMimeMessage *
test_parse_message (const char *data, gsize len)
{
	g_autoptr(GMimeStream) stream = NULL;
	g_autoptr(GMimeParser) parser = NULL;

	bounce_library_init ();
	stream = g_mime_stream_mem_new_with_buffer (data, len);
	parser = g_mime_parser_new_with_stream (stream);
	return g_mime_parser_construct_message (parser, NULL);
}

BounceScan *
test_scan_of (const char *label, const char *data, gsize len)
{
	g_autoptr(GMimeMessage) message = test_parse_message (data, len);

	ck_assert_msg (message != NULL, "%s: unparsable", label);
	return bounce_scan_new (GMIME_OBJECT (message), &bounce_limits_default);
}

BounceScan *
test_scan_sample (const char *label, const char *rel)
{
	gsize len = 0;
	g_autofree char *data = test_read_sample (label, rel, &len);

	return test_scan_of (label, data, len);
}

const BounceRecipient *
test_assert_first (const char *label, const BounceReport *report, const char *detector,
		   guint nrcpts, const char *recipient, const char *status, const char *reply_code)
{
	const BounceRecipient *r;

	TEST_ASSERT_STR (label, "detector", report->detector, detector);
	if (nrcpts > 0)
		ck_assert_msg (report->recipients->len == nrcpts, "%s: got %u recipients, want %u",
			       label, report->recipients->len, nrcpts);
	else
		ck_assert_msg (report->recipients->len >= 1, "%s: got no recipient", label);
	r = g_ptr_array_index (report->recipients, 0);
	TEST_ASSERT_STR (label, "recipient", r->recipient, recipient);
	TEST_ASSERT_STR (label, "status", r->status, status);
	TEST_ASSERT_STR (label, "reply code", r->reply_code, reply_code);
	return r;
}

void
test_assert_none_take (const char *label, const BounceDetector *group, BounceScan *scan)
{
	for (const BounceDetector *d = group; d->name != NULL; d++) {
		g_autoptr(BounceReport) report = bounce_report_new ();
		gboolean taken = d->detect (scan, report);

		ck_assert_msg (!taken, "%s: got taken by %s, want none", label, d->name);
		ck_assert_msg (report->recipients->len == 0, "%s: %s left %u recipients, want 0",
			       label, d->name, report->recipients->len);
	}
}

int
test_run_suite (Suite *suite, enum print_output mode)
{
	SRunner *runner = srunner_create (suite);
	int failed;

	srunner_run_all (runner, mode);
	failed = srunner_ntests_failed (runner);
	srunner_free (runner);
	return failed == 0 ? 0 : 1;
}
