/*
 * knowledge/classify.h - from status, reply code and diagnostic text to a reason
 *
 * SYNOPSIS	void bounce_classify_recipient (BounceRecipient *rcpt, BounceKind kind);
 * DESCRIPTION	Reads rcpt->status, reply_code, diagnostic and action and fills
 *		reason (unless a detector already set one), reason_source,
 *		fault, hard_bounce, permanent, explanation and advice.
 *		Phrase tables are matched as plain case-insensitive substrings:
 *		time linear in the text, no backtracking.
 *		bounce_reason_info() gives the per-reason row: fault, hardness,
 *		a plain explanation and advice.
 * SEE ALSO	knowledge/codes.h (the status and reply code tables),
 *		../shared/README.md (the reason vocabulary)
 */
#ifndef BOUNCE_CLASSIFY_H
#define BOUNCE_CLASSIFY_H

#include "result.h"

G_BEGIN_DECLS

void bounce_classify_recipient (BounceRecipient *rcpt, BounceKind kind);

/* TRUE when reason names the address itself as bad (hard bounce). */
gboolean bounce_reason_is_hard (const char *reason, gboolean permanent);
/* "recipient", "sender", ... for a reason; "unknown" when not known. */
const char *bounce_reason_fault (const char *reason);
/* Fold older names (mesgtoobig, exceedlimit, toomanyconn, speeding); NULL when unknown. */
const char *bounce_reason_canonical (const char *reason);

/* One row per reason of the vocabulary (knowledge/reasons.c). */
typedef struct {
	const char *name;
	const char *fault;		/* recipient|sender|content|network|policy|unknown */
	gboolean    hard;		/* the address is bad ... */
	gboolean    hard_if_permanent;	/* ... but only when the failure is permanent */
	const char *explanation;
	const char *advice;
} BounceReasonInfo;

/* The row for a reason name or an older alias; NULL when unknown. */
const BounceReasonInfo *bounce_reason_info (const char *reason);
const BounceReasonInfo *bounce_reason_table (gsize *n_rows);

G_END_DECLS

#endif
