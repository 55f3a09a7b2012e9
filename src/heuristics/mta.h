/*
 * heuristics/mta.h - the MTA-family detectors (group-mta.c lists them in order)
 */
#ifndef BOUNCE_HEURISTICS_MTA_H
#define BOUNCE_HEURISTICS_MTA_H

#include "heuristics/detector.h"

gboolean bounce_detect_qmail (BounceScan *scan, BounceReport *report);

#endif
