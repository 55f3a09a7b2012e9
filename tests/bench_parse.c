/*
 * tests/bench_parse.c - the floor: GMime parse-only rate over an mbox
 *
 * SYNOPSIS	bench_parse MBOX
 * DESCRIPTION	Splits MBOX with the same message source bouncefilter uses
 *		and has GMime construct each message, nothing else, on one
 *		thread.  Prints messages, seconds, messages/s and MB/s: the
 *		ceiling that bouncefilter --jobs 1 is measured against.
 */
#include "config.h"

#include <stdio.h>

#include "mime/gmime-compat.h"
#include "mime/input.h"

int
main (int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceSource) src = NULL;
	BounceMessageRef ref;
	guint64 n = 0, bytes = 0;
	gint64 start;
	double secs;

	if (argc != 2) {
		fprintf (stderr, "usage: bench_parse MBOX\n");
		return 64;
	}
	g_mime_init ();
	src = bounce_source_open (argv[1], 64 << 20, &error);
	if (src == NULL) {
		fprintf (stderr, "bench_parse: %s\n", error->message);
		return 66;
	}
	start = g_get_monotonic_time ();
	while (bounce_source_next (src, &ref, &error)) {
		g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (ref.data, ref.len);
		g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream (stream);
		g_autoptr(GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);

		n++;
		bytes += ref.len;
	}
	secs = (g_get_monotonic_time () - start) / 1e6;
	printf ("gmime parse-only: %" G_GUINT64_FORMAT " messages in %.2f s: %.0f msgs/s, %.1f MB/s\n",
		n, secs, n / secs, bytes / 1e6 / secs);
	return 0;
}
