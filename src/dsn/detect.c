/*
 * dsn/detect.c - the RFC 3464 / RFC 6533 detector
 *
 * DESCRIPTION	Decides a message that carries a message/delivery-status or
 *		message/global-delivery-status part, inside multipart/report
 *		or not (OpenSMTPD sends multipart/mixed: flagged as an anomaly,
 *		still parsed).  The action of each group tells failed/delayed
 *		from delivered; the analysis step derives the report's kind.
 * SEE ALSO	dsn/fields.c, RFC 3464 s2, RFC 6533 s3
 */
#include "config.h"

#include "dsn/fields.h"
#include "heuristics/detector.h"

gboolean
bounce_detect_rfc3464 (BounceScan *scan, BounceReport *report)
{
	g_autoptr(GByteArray) body = NULL;

	if (scan->status_part == NULL || !GMIME_IS_PART (scan->status_part))
		return FALSE;
	body = bounce_part_bytes (GMIME_PART (scan->status_part), scan->limits->max_status_body);
	if (bounce_dsn_parse ((const char *) body->data, body->len, scan->status_global,
			      report, scan->limits) == 0)
		return FALSE;
	if (!scan->in_report)
		report->anomalies |= BOUNCE_ANOMALY_NOT_REPORT;
	report->kind = BOUNCE_KIND_BOUNCE;
	bounce_report_set_detector (report, scan->status_global ? "rfc6533" : "rfc3464");
	return TRUE;
}
