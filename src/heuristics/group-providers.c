/*
 * heuristics/group-providers.c - the providers detectors, in the order they are tried
 *
 * DESCRIPTION	One row per detector; see detector.h for the interface and
 *		providers.h for what they share.  Each tests its cheap signal
 *		(From, a header, a fixed sentence) first.  Order: the SES JSON
 *		and report texts before any text reader; Google Groups before
 *		Gmail (same sender); then providers whose signals cannot
 *		overlap.
 */
#include "config.h"

#include "heuristics/providers.h"

const BounceDetector bounce_detectors_providers[] = {
	{ "amazonses",		bounce_detect_amazonses },
	{ "amazonworkmail",	bounce_detect_workmail },
	{ "googlegroups",	bounce_detect_googlegroups },
	{ "gmail",		bounce_detect_gmail },
	{ "yahoo",		bounce_detect_yahoo },
	{ "mailru",		bounce_detect_mailru },
	{ "zoho",		bounce_detect_zoho },
	{ "gmx",		bounce_detect_gmx },
	{ "verizon",		bounce_detect_verizon },
	{ "ezweb",		bounce_detect_ezweb },
	{ "biglobe",		bounce_detect_biglobe },
	{ NULL, NULL }
};
