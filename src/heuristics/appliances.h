/*
 * heuristics/appliances.h - the gateway, appliance and groupware detectors
 *
 * DESCRIPTION	Declarations of the detectors that group-appliances.c lists
 *		in order, and of the few helpers they share (appliances.c).
 *		These formats are decided after the structured reports and the
 *		mailbox providers, before the MTA families: a gateway often
 *		wraps an MTA's wording (Exim, sendmail) in its own envelope.
 * OWNERSHIP	The helpers return (transfer full) strings or borrow
 *		pointers into the text they were given, as each one says.
 */
#ifndef BOUNCE_HEURISTICS_APPLIANCES_H
#define BOUNCE_HEURISTICS_APPLIANCES_H

#include "heuristics/detector.h"

G_BEGIN_DECLS

/* Microsoft (exchange.c) */
gboolean bounce_detect_exchange2003 (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_exchange2007 (BounceScan *scan, BounceReport *report);
/* Lotus Notes, HCL Domino (notes.c) */
gboolean bounce_detect_notes (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_domino (BounceScan *scan, BounceReport *report);
/* McAfee appliances, MXLogic (mcafee.c) */
gboolean bounce_detect_mcafee (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_mxlogic (BounceScan *scan, BounceReport *report);
/* Sun/Oracle Messaging Server (sunms.c) */
gboolean bounce_detect_sunms (BounceScan *scan, BounceReport *report);
/* Ipswitch IMail, MDaemon (imail.c, mdaemon.c) */
gboolean bounce_detect_imail (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_mdaemon (BounceScan *scan, BounceReport *report);
/* filters and gateways (appliances.c) */
gboolean bounce_detect_mfilter (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_mailfoundry (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_activehunter (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_mailmarshal (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_interscan (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_mimecast (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_surfcontrol (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_amavis (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_barracuda (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_powermta (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_messagelabs (BounceScan *scan, BounceReport *report);
/* Novell / Micro Focus GroupWise, Kerio Connect (groupwise.c, kerio.c) */
gboolean bounce_detect_groupwise (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_kerio (BounceScan *scan, BounceReport *report);

/* Shared helpers (appliances.c). */

/* Mark report as a bounce decided by detector name; then bounce_appl_class_status(). */
void        bounce_appl_decide (BounceReport *report, const char *name);
/* A recipient whose diagnostic has a 4xx/5xx reply but no status code gets
 * the class alone ("5.0.0"), which RFC 3463 defines as "other or undefined". */
void        bounce_appl_class_status (BounceReport *report);
/* The line that contains pos: *line_len gets its length; pos must lie in text. Borrowed. */
const char *bounce_appl_line_of (const char *text, const char *pos, gsize *line_len);
/* The first non-blank line after the line containing needle in text[0..len), or NULL. Borrowed. */
const char *bounce_appl_line_after (const char *text, gsize len, const char *needle, gsize *line_len);
/* The non-blank lines after the line containing needle, up to the first blank line,
 * joined with single spaces (at most max_lines lines), or NULL. (transfer full) */
char       *bounce_appl_paragraph_after (const char *text, gsize len, const char *needle, guint max_lines);
/* Give diag to every recipient whose diagnostic is still empty. */
void        bounce_appl_share_diagnostic (BounceReport *report, const char *diag);
/* Set status on every recipient that has none and whose diagnostic holds no code. */
void        bounce_appl_default_status (BounceRecipient *rcpt, const char *status);
/* The status of the first row whose needle occurs in text, or NULL.
 * rows: { needle, status } pairs ended by a NULL needle. */
typedef struct {
	const char *needle;
	const char *status;
} BounceApplPhrase;
const char *bounce_appl_phrase_status (const char *text, const BounceApplPhrase *rows);

G_END_DECLS

#endif
