/*
 * heuristics/group-mta.c - the mta detectors, in the order they are tried
 *
 * DESCRIPTION	One row per detector; see detector.h for the interface.
 */
#include "config.h"

#include "heuristics/mta.h"

const BounceDetector bounce_detectors_mta[] = {
	{ "qmail",	bounce_detect_qmail },
	{ NULL, NULL }
};
