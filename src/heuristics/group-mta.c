/*
 * heuristics/group-mta.c - the mta detectors, in the order they are tried
 *
 * DESCRIPTION	One row per detector; see detector.h for the interface.
 *		Formats with an unmistakable greeting come first; the looser
 *		"<address>:" paragraph readers later.
 */
#include "config.h"

#include "heuristics/mta.h"

const BounceDetector bounce_detectors_mta[] = {
	{ "dragonfly",	bounce_detect_dragonfly },
	{ "exim",	bounce_detect_exim },
	{ "qmail",	bounce_detect_qmail },
	{ NULL, NULL }
};
