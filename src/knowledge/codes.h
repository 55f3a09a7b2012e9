/*
 * knowledge/codes.h - what each enhanced status code and SMTP reply code means
 *
 * SYNOPSIS	const BounceStatusInfo *bounce_status_lookup (const char *status);
 *		const BounceReplyInfo *bounce_reply_lookup (const char *code);
 *		const BounceStatusInfo *bounce_status_table (gsize *n_rows);
 *		const BounceReplyInfo *bounce_reply_table (gsize *n_rows);
 * DESCRIPTION	Two static tables.  The status table holds every RFC 3463 code
 *		and the later additions of the IANA "SMTP Enhanced Status
 *		Codes" registry (RFC 3886, 4468, 4954, 5248, 6531, 6710, 7293,
 *		7372, 7505, 8617, 8689), plus the provider codes seen most in
 *		practice.  A row is keyed by subject and a detail range; its
 *		class is 0 when the row applies to 4.x.x and 5.x.x alike, or 2,
 *		4 or 5 when the meaning differs by class.  Lookup prefers the
 *		row of the exact class, then the class-independent row.
 *		The reply table holds the RFC 5321 reply codes and the ones
 *		real servers and clients print (RFC 4954, RFC 7504, qmail's 111).
 *		Each row says what the code means, whose problem it is, the
 *		usual causes, what to do and the reason name the classifier
 *		falls back to.  Texts are short plain sentences.
 * OWNERSHIP	Every pointer returned points into static storage.
 * SEE ALSO	knowledge/classify.h, knowledge/explain.h, RFC 3463, RFC 5321
 */
#ifndef BOUNCE_CODES_H
#define BOUNCE_CODES_H

#include <glib.h>

G_BEGIN_DECLS

/* Whose problem a code points at. */
typedef enum {
	BOUNCE_PARTY_RECIPIENT_ADDRESS,	/* the address itself */
	BOUNCE_PARTY_RECIPIENT_SYSTEM,	/* the receiving mailbox or server */
	BOUNCE_PARTY_SENDER,		/* the sending server, domain or account */
	BOUNCE_PARTY_CONTENT,		/* the message itself */
	BOUNCE_PARTY_NETWORK,		/* DNS, routing, connections */
	BOUNCE_PARTY_POLICY,		/* a rule of the receiving site */
} BounceParty;

/* What a reply code (or the class of a status code) says about retrying. */
typedef enum {
	BOUNCE_SEVERITY_SUCCESS,	/* 2xx: done */
	BOUNCE_SEVERITY_INTERMEDIATE,	/* 3xx: the dialogue goes on */
	BOUNCE_SEVERITY_TRANSIENT,	/* 4xx: try again later */
	BOUNCE_SEVERITY_PERMANENT,	/* 5xx: do not retry unchanged */
} BounceSeverity;

typedef struct {
	guint8      klass;		/* 0 = any class; else 2, 4 or 5 */
	guint16     subject;		/* 0-7 */
	guint16     detail_lo;		/* detail range, inclusive */
	guint16     detail_hi;
	const char *title;		/* the registry's name for it */
	const char *meaning;		/* one or two plain sentences */
	BounceParty party;
	const char *causes;
	const char *advice;
	const char *reason;		/* default taxonomy name */
	gboolean    specific;		/* precise enough to outrank generic wording */
	const char *defined_by;		/* "RFC 3463", "Microsoft 365", ... */
} BounceStatusInfo;

typedef struct {
	guint16        code;
	const char    *title;
	const char    *meaning;
	BounceSeverity severity;
	BounceParty    party;
	const char    *causes;
	const char    *advice;
	const char    *reason;		/* default taxonomy name */
	const char    *defined_by;
} BounceReplyInfo;

/* Split "5.1.1" (the whole string) into its numbers; FALSE when malformed. */
gboolean bounce_status_parse (const char *status, guint *klass, guint *subject, guint *detail);

/* The row for STATUS ("4.2.2"), class-specific row first; NULL when none. */
const BounceStatusInfo *bounce_status_lookup (const char *status);
const BounceStatusInfo *bounce_status_table (gsize *n_rows);

/* The row for a three-digit reply code ("550"); NULL when none. */
const BounceReplyInfo *bounce_reply_lookup (const char *code);
const BounceReplyInfo *bounce_reply_table (gsize *n_rows);

/* "recipient address", "recipient system", "sender", ... */
const char *bounce_party_name (BounceParty party);
/* "success", "intermediate", "transient", "permanent" */
const char *bounce_severity_name (BounceSeverity severity);
/* What the class digit ('2', '4', '5') and the subject digit of any code mean. */
const char *bounce_status_class_meaning (guint klass);
const char *bounce_status_subject_meaning (guint subject);

G_END_DECLS

#endif
