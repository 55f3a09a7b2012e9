/*
 * heuristics/registry.c - the ordered list of detectors
 *
 * DESCRIPTION	Adding a detector is adding its row here (and its file to
 *		heuristics/local.am).  The first one that recognises a message
 *		decides; see detector.h for the order's rationale.
 */
#include "config.h"

#include "heuristics/detector.h"

const BounceDetector bounce_detectors[] = {
	{ "rfc3464",	bounce_detect_rfc3464 },
};

const gsize bounce_n_detectors = G_N_ELEMENTS (bounce_detectors);
