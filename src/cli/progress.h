/*
 * cli/progress.h - a progress bar on stderr for batch runs at a terminal
 *
 * DESCRIPTION	Messages, MB, rate and ETA (from the input's total size),
 *		redrawn at most five times a second.
 */
#ifndef BOUNCE_CLI_PROGRESS_H
#define BOUNCE_CLI_PROGRESS_H

#include <glib.h>

typedef struct BounceProgress BounceProgress;

BounceProgress *bounce_progress_new (guint64 total_bytes);
void            bounce_progress_update (BounceProgress *p, guint64 messages, guint64 bytes);
void            bounce_progress_finish (BounceProgress *p);	/* clears the line, frees */

#endif
