/*
 * heuristics/autoreply.c - auto-replies (RFC 3834), never counted as bounces
 */
#include "config.h"

#include "heuristics/detector.h"

const BounceDetector bounce_detectors_autoreply[] = {
	{ NULL, NULL }
};
