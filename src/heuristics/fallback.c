/*
 * heuristics/fallback.c - the generic detector tried last
 */
#include "config.h"

#include "heuristics/detector.h"

const BounceDetector bounce_detectors_fallback[] = {
	{ NULL, NULL }
};
