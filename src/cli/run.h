/*
 * cli/run.h - the processing loop: read, analyse (in parallel), write in input order
 *
 * SYNOPSIS	int bounce_run (RunOptions *opts, GPtrArray *files);
 * DESCRIPTION	Reads every message of FILES in order, analyses them on
 *		opts->jobs worker processes (inline when 1), and, in input
 *		order in the calling process, prints each result, records it in the
 *		store, adds it to the summary and moves the progress bar.
 *		At most a fixed number of messages are in flight, so memory
 *		stays flat whatever the input size.  Returns the exit code.
 *		On the way, per message: the envelope recipient and its VERP
 *		address (checked against the VERP key when there is one; an
 *		unauthenticated bounce never changes the store when a
 *		signature is required), the quarantine Maildir for what is
 *		not a bounce, and the hook for events or new suppressions.
 *		int bounce_run_single (RunOptions *opts);
 *		reads all of stdin as one message (--filter, --quarantine
 *		from a pipe) so that it can be copied or kept whole; with
 *		opts->filter the message goes to stdout with X-Bounce-*
 *		headers added at the top.
 */
#ifndef BOUNCE_CLI_RUN_H
#define BOUNCE_CLI_RUN_H

#include <stdio.h>

#include "bounds.h"
#include "output/render.h"
#include "output/summary.h"
#include "cli/settings.h"
#include "pipeline/hook.h"
#include "pipeline/verp.h"
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
	FILE          *out;		/* records (JSON, text); maybe /dev/null */
	/* mail pipeline */
	gboolean       filter;		/* --filter: the message to stdout with X-Bounce-* headers */
	FILE          *message_out;	/* where --filter writes the message (stdout) */
	const char    *quarantine;	/* Maildir for unparseable and non-bounce mail; NULL = none */
	const BounceHook *hook;		/* borrowed; NULL = none */
	BounceHookOn   hook_on;
	char         **envelope;	/* pipe mode: recipients the MTA named, most trusted first */
	BounceVerpSyntax verp_syntax;
	GBytes        *verp_key;	/* borrowed; NULL = no signing: no "authenticated" field */
	gboolean       require_signature;
	guint          verp_max_age_days;
	gint64         today;		/* days since the epoch, for signature ages */
} RunOptions;

int bounce_run (RunOptions *opts, GPtrArray *files);
int bounce_run_single (RunOptions *opts);

#endif
