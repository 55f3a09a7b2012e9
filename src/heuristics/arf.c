/*
 * heuristics/arf.c - RFC 5965 feedback reports
 */
#include "config.h"

#include "heuristics/detector.h"

gboolean
bounce_detect_arf (BounceScan *scan, BounceReport *report)
{
	(void) scan;
	(void) report;
	return FALSE;
}
