/*
 * tests/fuzz/fuzz_text.c - libFuzzer harness: the free-text detectors
 *
 * DESCRIPTION	The input becomes the text of a bounce-looking message (the
 *		first line picks the From and Subject, so detectors that key
 *		on those are reached too); every detector of every group is
 *		run on it directly, then the shared text helpers.
 */
#include "config.h"

#include <string.h>

#include "analyze.h"
#include "heuristics/detector.h"
#include "heuristics/text.h"
#include "mime/scan.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
	const char *text = (const char *) data;
	const char *nl = memchr (text, '\n', size);
	gsize first = nl ? (gsize) (nl - text) : size;
	g_autoptr(GString) raw = g_string_new (NULL);
	g_autoptr(GMimeStream) stream = NULL;
	g_autoptr(GMimeParser) parser = NULL;
	g_autoptr(GMimeMessage) message = NULL;

	bounce_library_init ();
	g_string_append (raw, "From: ");
	g_string_append_len (raw, text, MIN (first, 200));
	g_string_append (raw, " <MAILER-DAEMON@example.org>\nSubject: ");
	g_string_append_len (raw, text, MIN (first, 200));
	g_string_append (raw, "\nContent-Type: text/plain; charset=utf-8\n\n");
	g_string_append_len (raw, text, size);
	for (gsize i = 0; i < raw->len; i++)
		if (raw->str[i] == '\0')
			raw->str[i] = ' ';
	stream = g_mime_stream_mem_new_with_buffer (raw->str, raw->len);
	parser = g_mime_parser_new_with_stream (stream);
	message = g_mime_parser_construct_message (parser, NULL);
	if (message == NULL)
		return 0;
	for (const BounceDetector *const *group = bounce_detector_groups; *group; group++) {
		for (const BounceDetector *d = *group; d->name != NULL; d++) {
			g_autoptr(BounceScan) scan = bounce_scan_new (GMIME_OBJECT (message), NULL);
			g_autoptr(BounceReport) report = bounce_report_new ();
			d->detect (scan, report);
		}
	}
	{
		gsize end = 0;
		g_free (bounce_text_address (text, size, &end));
		if (end > size)
			__builtin_trap ();
		bounce_text_find (text, size, "user unknown");
	}
	return 0;
}
