/*
 * output/summary.h - totals over a batch run: by reason, fault, domain, status, remote MTA
 *
 * SYNOPSIS	BounceSummary *bounce_summary_new (void);
 *		void bounce_summary_add (BounceSummary *s, const BounceReport *report, gboolean all);
 *		void bounce_summary_render (const BounceSummary *s, gboolean json, GString *out);
 * DESCRIPTION	Counts the recipients a run printed (the same filter as the
 *		renderer) and renders a table for people or one JSON object
 *		for dashboards.  Counts add up: one summary per worker
 *		batch, summed into the run's (order does not matter).  Memory grows with the number of distinct
 *		keys, not with the input; domains and remote MTAs keep the
 *		top entries only when rendered.
 */
#ifndef BOUNCE_SUMMARY_H
#define BOUNCE_SUMMARY_H

#include "result.h"

G_BEGIN_DECLS

typedef struct BounceSummary BounceSummary;

BounceSummary *bounce_summary_new (void);
void           bounce_summary_free (BounceSummary *s);
void           bounce_summary_add_message (BounceSummary *s);
void           bounce_summary_add (BounceSummary *s, const BounceReport *report, gboolean all);
void           bounce_summary_render (const BounceSummary *s, gboolean json, GString *out);
/* The recipient counts (not the message count) as a GVariant, and their sum
 * into another summary from its serialised bytes (FALSE when they are not
 * one): worker processes count their share, the main process adds them up. */
GVariant      *bounce_summary_to_variant (const BounceSummary *s);
gboolean       bounce_summary_merge_bytes (BounceSummary *s, const guint8 *data, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceSummary, bounce_summary_free)

G_END_DECLS

#endif
