/*
 * tests/testlib.h - helpers shared by the check programs
 *
 * SYNOPSIS	char *test_read_sample (const char *label, const char *rel, gsize *len);
 *		BounceReport *test_analyze_sample (const char *label, const char *rel);
 *		BounceScan *test_scan_of (const char *label, const char *data, gsize len);
 * DESCRIPTION	Reading a file under SAMPLES_DIR, running bounce_analyze_bytes()
 *		on it or on inline text, building a BounceScan from bytes, the
 *		checks on the first recipient of a sample and the loop that
 *		runs a detector group on a message none may take.  Each helper
 *		fails the running test (ck_assert) on what it cannot do,
 *		naming LABEL; each that analyses or scans calls
 *		bounce_library_init() first.
 * OWNERSHIP	Returned strings, reports, scans and messages are (transfer
 *		full); the recipient test_assert_first() returns is borrowed
 *		from the report.
 */
#ifndef BOUNCE_TESTLIB_H
#define BOUNCE_TESTLIB_H

#include <check.h>

#include "analyze.h"
#include "heuristics/detector.h"
#include "mime/scan.h"

G_BEGIN_DECLS

/* Fails with "LABEL: WHAT got GOT, want WANT" unless the strings are equal. */
#define TEST_ASSERT_STR(label, what, got, want)						\
	ck_assert_msg (g_strcmp0 ((got), (want)) == 0, "%s: %s got %s, want %s",		\
		       (label), (what), (got), (want))

/* The bytes of SAMPLES_DIR/REL, their length in *LEN. */
char *test_read_sample (const char *label, const char *rel, gsize *len);

/* bounce_analyze_bytes() on SAMPLES_DIR/REL, or on TEXT; never NULL. */
BounceReport *test_analyze_sample (const char *label, const char *rel);
BounceReport *test_analyze_text (const char *label, const char *text);

/* DATA parsed as a message, NULL where GMime builds none. */
GMimeMessage *test_parse_message (const char *data, gsize len);

/* A scan, at the default limits, of DATA or of SAMPLES_DIR/REL; never NULL. */
BounceScan *test_scan_of (const char *label, const char *data, gsize len);
BounceScan *test_scan_sample (const char *label, const char *rel);

/* Checks the deciding detector, the number of recipients (exactly NRCPTS,
 * or at least one when NRCPTS is 0), and the first recipient's address,
 * status and reply code; returns that recipient. */
const BounceRecipient *test_assert_first (const char *label, const BounceReport *report,
					  const char *detector, guint nrcpts,
					  const char *recipient, const char *status,
					  const char *reply_code);

/* Runs every detector of GROUP on SCAN: none may take it or add a recipient. */
void test_assert_none_take (const char *label, const BounceDetector *group, BounceScan *scan);

/* Runs the suite in MODE; the exit status of a check program. */
int test_run_suite (Suite *suite, enum print_output mode);

G_END_DECLS

#endif /* BOUNCE_TESTLIB_H */
