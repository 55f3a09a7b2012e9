/*
 * mime/scan.h - one pass over a parsed message: find the parts that matter
 *
 * SYNOPSIS	BounceScan *bounce_scan_new (GMimeMessage *message,
 *					     const BounceLimits *limits);
 * DESCRIPTION	Walks the MIME tree once (bounded depth and part count, never
 *		into the returned original) and records: the delivery-status
 *		part (RFC 3464 or RFC 6533), the feedback-report part (RFC 5965),
 *		the returned original message (message/rfc822, message/global,
 *		text/rfc822-headers, or a base64/QP-encoded message/rfc822,
 *		decoded and parsed), and the human-readable text converted to
 *		UTF-8 with LF line ends, which the free-text detectors read.
 * OWNERSHIP	message is referenced for the scan's life; parts are borrowed
 *		from it; original and text are owned by the scan.
 */
#ifndef BOUNCE_SCAN_H
#define BOUNCE_SCAN_H

#include "mime/gmime-compat.h"
#include "bounds.h"

G_BEGIN_DECLS

typedef struct {
	GMimeMessage *message;		/* owned reference */
	const BounceLimits *limits;	/* borrowed */
	GMimeObject *status_part;	/* message/delivery-status or NULL, borrowed */
	gboolean     status_global;	/* RFC 6533 message/global-delivery-status */
	gboolean     in_report;		/* status part lies inside multipart/report */
	GMimeObject *feedback_part;	/* message/feedback-report or NULL, borrowed */
	char        *report_type;	/* report-type parameter of multipart/report, or "" */
	GMimeMessage *original;		/* returned original (or its headers), owned, or NULL */
	GString     *text;		/* human-readable text, UTF-8, LF line ends */
	char        *from;		/* decoded From:, "" when absent */
	char        *subject;		/* decoded Subject:, "" when absent */
	guint        anomalies;		/* BounceAnomaly bits */
	guint        nparts;
} BounceScan;

BounceScan *bounce_scan_new (GMimeMessage *message, const BounceLimits *limits);
void        bounce_scan_free (BounceScan *scan);

/* A top-level header value (raw, as GMime unfolds it), or NULL. Borrowed. */
const char *bounce_scan_header (const BounceScan *scan, const char *name);

/* Decode a leaf part's content (transfer encoding undone, charset not converted). */
GByteArray *bounce_part_bytes (GMimePart *part, gsize max);
/* Decode a text part to UTF-8 with LF line ends, appending to out (at most max bytes). */
void        bounce_part_append_text (GMimePart *part, GString *out, gsize max, guint *anomalies);
/* Convert len bytes in charset (NULL = guess) to valid UTF-8. (transfer full) */
char       *bounce_to_utf8 (const char *bytes, gsize len, const char *charset, guint *anomalies);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceScan, bounce_scan_free)

G_END_DECLS

#endif
