/*
 * cli/run.h - the processing loop: read, analyse (in parallel), write in input order
 *
 * SYNOPSIS	int bounce_run (RunOptions *opts, GPtrArray *files);
 * DESCRIPTION	Reads every message of FILES in order, analyses them on
 *		opts->jobs worker threads (inline when 1), and, in input order
 *		on the calling thread, prints each result, records it in the
 *		store, adds it to the summary and moves the progress bar.
 *		At most a fixed number of messages are in flight, so memory
 *		stays flat whatever the input size.  Returns the exit code.
 */
#ifndef BOUNCE_CLI_RUN_H
#define BOUNCE_CLI_RUN_H

#include <stdio.h>

#include "bounds.h"
#include "output/render.h"
#include "output/summary.h"
#include "store/store.h"

typedef struct {
	BounceRenderOptions render;
	const BounceLimits *limits;
	guint          jobs;
	gboolean       pipe_mode;	/* one message from stdin, for an MTA */
	gboolean       quiet;
	gboolean       progress;	/* draw a progress bar on stderr */
	gboolean       dry_run;
	gboolean       verbose;	/* print store changes to stderr */
	BounceStore   *store;		/* borrowed; NULL = no suppression list */
	const BouncePolicy *policy;
	guint          batch_size;	/* reports per store transaction in batch mode */
	BounceSummary *summary;		/* borrowed; NULL = none */
	FILE          *out;
} RunOptions;

int bounce_run (RunOptions *opts, GPtrArray *files);

#endif
