/*
 * heuristics/group-appliances.c - the appliances detectors, in the order they are tried
 *
 * DESCRIPTION	One row per detector; see detector.h for the interface.
 *		Rows keyed on a header of their own come first; rows that
 *		only know their text come after, the most specific wording
 *		first (the Exchange NDRs last: their phrases are the widest).
 */
#include "config.h"

#include "heuristics/appliances.h"

const BounceDetector bounce_detectors_appliances[] = {
	{ "mcafee",		bounce_detect_mcafee },
	{ "mxlogic",		bounce_detect_mxlogic },
	{ "activehunter",	bounce_detect_activehunter },
	{ "surfcontrol",	bounce_detect_surfcontrol },
	{ "mfilter",		bounce_detect_mfilter },
	{ "groupwise",		bounce_detect_groupwise },
	{ "kerio",		bounce_detect_kerio },
	{ "messagelabs",	bounce_detect_messagelabs },
	{ "interscan",		bounce_detect_interscan },
	{ "mailmarshal",	bounce_detect_mailmarshal },
	{ "mailfoundry",	bounce_detect_mailfoundry },
	{ "mimecast",		bounce_detect_mimecast },
	{ "amavis",		bounce_detect_amavis },
	{ "barracuda",		bounce_detect_barracuda },
	{ "powermta",		bounce_detect_powermta },
	{ "sunms",		bounce_detect_sunms },
	{ "imail",		bounce_detect_imail },
	{ "mdaemon",		bounce_detect_mdaemon },
	{ "notes",		bounce_detect_notes },
	{ "domino",		bounce_detect_domino },
	{ "exchange2007",	bounce_detect_exchange2007 },
	{ "exchange2003",	bounce_detect_exchange2003 },
	{ NULL, NULL }
};
