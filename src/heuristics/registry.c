/*
 * heuristics/registry.c - the order in which detectors are tried
 *
 * DESCRIPTION	The first detector that recognises a message decides; see
 *		detector.h for why the groups come in this order.  Each group's
 *		table lives beside its detectors.
 */
#include "config.h"

#include "heuristics/detector.h"

const BounceDetector bounce_detectors_reports[] = {
	{ "arf",	bounce_detect_arf },
	{ "rfc3464",	bounce_detect_rfc3464 },
	{ NULL, NULL }
};

const BounceDetector *const bounce_detector_groups[] = {
	bounce_detectors_reports,
	bounce_detectors_autoreply,
	bounce_detectors_providers,
	bounce_detectors_appliances,
	bounce_detectors_mta,
	bounce_detectors_fallback,
	NULL
};
