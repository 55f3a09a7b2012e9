/*
 * cli/progress.c - a progress bar on stderr for batch runs at a terminal
 */
#include "config.h"

#include <stdio.h>

#include "cli/progress.h"

#define WIDTH 24
#define INTERVAL_US 200000

struct BounceProgress {
	guint64 total;
	gint64  start;
	gint64  last;
};

BounceProgress *
bounce_progress_new (guint64 total_bytes)
{
	BounceProgress *p = g_new0 (BounceProgress, 1);

	p->total = total_bytes;
	p->start = g_get_monotonic_time ();
	return p;
}

void
bounce_progress_update (BounceProgress *p, guint64 messages, guint64 bytes)
{
	gint64 now = g_get_monotonic_time ();
	double secs, rate, frac;
	char bar[WIDTH + 1];
	int filled;

	if (now - p->last < INTERVAL_US)
		return;
	p->last = now;
	secs = (now - p->start) / 1e6;
	rate = secs > 0 ? messages / secs : 0;
	frac = p->total > 0 ? MIN (1.0, (double) bytes / p->total) : 0;
	filled = (int) (frac * WIDTH);
	for (int i = 0; i < WIDTH; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[WIDTH] = '\0';
	fprintf (stderr, "\r[%s] %3.0f%% %" G_GUINT64_FORMAT " messages, %.1f MB, %.0f/s",
		 bar, frac * 100, messages, bytes / 1048576.0, rate);
	if (frac > 0.01 && frac < 1) {
		double eta = secs / frac - secs;
		fprintf (stderr, ", ETA %d:%02d ", (int) eta / 60, (int) eta % 60);
	} else {
		fputs ("          ", stderr);
	}
	fflush (stderr);
}

void
bounce_progress_finish (BounceProgress *p)
{
	if (p == NULL)
		return;
	if (p->last != 0)
		fprintf (stderr, "\r%*s\r", 79, "");
	g_free (p);
}
