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

#include <string.h>

#include "dsn/fields.h"
#include "heuristics/detector.h"

gboolean
bounce_detect_rfc3464 (BounceScan *scan, BounceReport *report)
{
	g_autoptr(GByteArray) body = NULL;

	if (scan->status_part == NULL || !GMIME_IS_PART (scan->status_part))
		return FALSE;
	body = bounce_part_bytes (GMIME_PART (scan->status_part), scan->limits->max_status_body);
	if (!scan->status_global && body->len > 0 && memchr (body->data, 0x1b, body->len) != NULL) {
		/* RFC 3464 fields are ASCII, but some MTAs copy a Japanese reply
		 * into Diagnostic-Code as ISO-2022-JP: decode it as the text parts are */
		GMimeContentType *ct = g_mime_object_get_content_type (scan->status_part);	/* borrowed */
		g_autofree char *utf8 = bounce_to_utf8 ((const char *) body->data, body->len,
							g_mime_content_type_get_parameter (ct, "charset"),
							&report->anomalies);
		g_byte_array_set_size (body, 0);
		g_byte_array_append (body, (const guint8 *) utf8, strlen (utf8));
	}
	if (bounce_dsn_parse ((const char *) body->data, body->len, scan->status_global,
			      report, scan->limits) == 0)
		return FALSE;
	if (!scan->in_report)
		report->anomalies |= BOUNCE_ANOMALY_NOT_REPORT;
	report->kind = BOUNCE_KIND_BOUNCE;
	bounce_report_set_detector (report, scan->status_global ? "rfc6533" : "rfc3464");
	return TRUE;
}
