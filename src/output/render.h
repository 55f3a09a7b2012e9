/*
 * output/render.h - turn a BounceReport into output text
 *
 * SYNOPSIS	void bounce_render (const BounceRenderOptions *opts, const BounceOrigin *origin,
 *				    const BounceReport *report, GString *out);
 * DESCRIPTION	Appends the printed form of REPORT to OUT: one JSON object per
 *		printed recipient (JSON Lines; for --format=json array
 *		elements joined by ",\n", the caller adds the brackets and
 *		the separator between calls), or one readable line per
 *		recipient for --format=text.  Rendering is pure (no I/O), so
 *		parallel workers render and one writer prints in input order.
 *		Which recipients are printed: failed and delayed ones and
 *		complaints; with opts->all also delivered/relayed/expanded
 *		entries and auto-replies.
 *		JSON is built with json-glib; every string is first made valid
 *		UTF-8 and stripped of the control bytes json-glib 1.6 would
 *		pass through (0x1f), so every line parses.
 * SEE ALSO	README.md "Output fields", doc/bouncefilter.1
 */
#ifndef BOUNCE_RENDER_H
#define BOUNCE_RENDER_H

#include <json-glib/json-glib.h>

#include "result.h"

G_BEGIN_DECLS

typedef enum {
	BOUNCE_FORMAT_JSONL,
	BOUNCE_FORMAT_JSON,
	BOUNCE_FORMAT_TEXT,
} BounceFormat;

typedef struct {
	BounceFormat format;
	gboolean     all;	/* also delivered entries and auto-replies */
	gboolean     terse;	/* no explanation / advice */
} BounceRenderOptions;

typedef struct {
	const char *file;	/* the path as given, "-" for stdin */
	guint       index;	/* 1-based message number in the file */
	gint64      offset;	/* mbox byte offset, or -1 */
} BounceOrigin;

gboolean   bounce_recipient_printed (const BounceReport *report, const BounceRecipient *rcpt,
				     gboolean all);
/* Appends; returns the number of records appended. */
guint      bounce_render (const BounceRenderOptions *opts, const BounceOrigin *origin,
			  const BounceReport *report, GString *out);
/* Adds members to each JSON record before it is written (not called for text). */
typedef void (*BounceRecordFunc) (JsonObject *record, gpointer data);
/* bounce_render, with add_members (may be NULL) called on every JSON record. */
guint      bounce_render_with (const BounceRenderOptions *opts, const BounceOrigin *origin,
			       const BounceReport *report, BounceRecordFunc add_members,
			       gpointer data, GString *out);
JsonNode  *bounce_recipient_to_json (const BounceRenderOptions *opts, const BounceOrigin *origin,
				     const BounceReport *report, const BounceRecipient *rcpt);
/* Valid UTF-8 with control bytes other than TAB and LF replaced. (transfer full) */
char      *bounce_json_clean (const char *text);
GStrv      bounce_anomaly_names (guint anomalies);

G_END_DECLS

#endif
