/*
 * heuristics/group-mta.c - the mta detectors, in the order they are tried
 *
 * DESCRIPTION	One row per detector; see detector.h for the interface.
 *		Formats with an unmistakable greeting come first; the looser
 *		readers ("<address>:" paragraphs after a common sentence,
 *		anonymous MTAs, list managers) later.  james precedes qmail:
 *		James's old notice borrows qmail's sentence.
 */
#include "config.h"

#include "heuristics/mta.h"

const BounceDetector bounce_detectors_mta[] = {
	{ "dragonfly",	bounce_detect_dragonfly },
	{ "exim",	bounce_detect_exim },
	{ "postfix",	bounce_detect_postfix },
	{ "courier",	bounce_detect_courier },
	{ "opensmtpd",	bounce_detect_opensmtpd },
	{ "james",	bounce_detect_james },
	{ "qmail",	bounce_detect_qmail },
	{ "sendmail",	bounce_detect_sendmail },
	{ "xmta",	bounce_detect_xmta },
	{ "fml",	bounce_detect_fml },
	{ "lda",	bounce_detect_lda },
	{ NULL, NULL }
};
