/*
 * heuristics/detector.h - the detector interface and the ordered registry
 *
 * SYNOPSIS	gboolean detect (BounceScan *scan, BounceReport *report);
 * DESCRIPTION	A detector looks at a scanned message and, when it recognises
 *		its format, fills REPORT (kind, recipients with address, status,
 *		reply code, diagnostic, ...) and returns TRUE; the first detector
 *		that returns TRUE decides, and its name goes to report->detector.
 *		A detector that does not recognise the message leaves REPORT
 *		untouched and returns FALSE.  Detectors test cheap signals
 *		(headers, first lines) before reading text, read only
 *		scan->text (bounded, UTF-8, LF) and never take more than linear
 *		time in it.
 *		Order (bounce_detectors[] in registry.c): feedback reports, the
 *		RFC 3464 part, MTA- and provider-specific detectors, auto-replies,
 *		then the generic fallback.
 * SEE ALSO	heuristics/registry.c, heuristics/text.h (shared text helpers)
 */
#ifndef BOUNCE_DETECTOR_H
#define BOUNCE_DETECTOR_H

#include "mime/scan.h"
#include "result.h"

G_BEGIN_DECLS

typedef gboolean (*BounceDetectFunc) (BounceScan *scan, BounceReport *report);

typedef struct {
	const char      *name;
	BounceDetectFunc detect;
} BounceDetector;

extern const BounceDetector bounce_detectors[];
extern const gsize bounce_n_detectors;

/* The detectors, one per file. */
gboolean bounce_detect_rfc3464 (BounceScan *scan, BounceReport *report);

G_END_DECLS

#endif
