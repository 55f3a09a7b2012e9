/*
 * heuristics/group-providers.c - the providers detectors, in the order they are tried
 *
 * DESCRIPTION	One row per detector; see detector.h for the interface.
 */
#include "config.h"

#include "heuristics/detector.h"

const BounceDetector bounce_detectors_providers[] = {
	{ NULL, NULL }
};
