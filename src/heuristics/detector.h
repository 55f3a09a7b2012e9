/*
 * heuristics/detector.h - the detector interface and the ordered registry
 *
 * SYNOPSIS	gboolean detect (BounceScan *scan, BounceReport *report);
 * DESCRIPTION	A detector looks at a scanned message and, when it recognises
 *		its format, fills REPORT (kind, recipients with address, status,
 *		reply code, diagnostic, ...) and returns TRUE; the first detector
 *		that returns TRUE decides, and its name goes to report->detector
 *		(unless the detector set a more precise one).  A detector that
 *		does not recognise the message leaves REPORT untouched and
 *		returns FALSE.  Detectors test cheap signals (headers, first
 *		lines) before reading text, read only scan->text (bounded,
 *		UTF-8, LF) and never take more than linear time in it.
 *
 *		Detectors come in groups, each a table ended by a NULL row and
 *		kept in its own file; registry.c gives the order of the groups:
 *		  1. structured reports: RFC 5965 feedback, RFC 3464/6533 DSNs
 *		  2. auto-replies (RFC 3834), so they are never taken as bounces
 *		  3. mailbox providers and ESPs (signals: From, Received, X-headers)
 *		  4. gateways and appliances (mail filters, groupware)
 *		  5. MTA families (qmail, Exim, Sendmail, Postfix, ...)
 *		  6. the generic fallback
 *		Adding a detector is adding its row to its group's table.
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

/* The groups, in order; each table ends with a { NULL, NULL } row. */
extern const BounceDetector *const bounce_detector_groups[];

extern const BounceDetector bounce_detectors_reports[];		/* registry.c */
extern const BounceDetector bounce_detectors_autoreply[];	/* autoreply.c */
extern const BounceDetector bounce_detectors_providers[];	/* group-providers.c */
extern const BounceDetector bounce_detectors_appliances[];	/* group-appliances.c */
extern const BounceDetector bounce_detectors_mta[];		/* group-mta.c */
extern const BounceDetector bounce_detectors_fallback[];	/* fallback.c */

/* Structured reports. */
gboolean bounce_detect_rfc3464 (BounceScan *scan, BounceReport *report);	/* dsn/detect.c */
gboolean bounce_detect_arf (BounceScan *scan, BounceReport *report);		/* heuristics/arf.c */

G_END_DECLS

#endif
