/*
 * result.h - the one result type every layer shares
 *
 * SYNOPSIS	BounceReport *bounce_report_new (void);
 *		BounceRecipient *bounce_report_add_recipient (BounceReport *r,
 *							      const char *address);
 * DESCRIPTION	A BounceReport describes one input message: what kind of
 *		message it is (bounce, delay, auto-reply, complaint, ...),
 *		which detector decided, facts about the bounce itself and about
 *		the original message it answers, and one BounceRecipient per
 *		recipient the report speaks of.
 *		Detectors (dsn/, heuristics/) produce reports; the classifier
 *		(knowledge/) completes each recipient; writers (output/, store/)
 *		only consume them.
 * RULES	Every string member is never NULL: "" means unknown (the Postfix
 *		dsn.c rule).  Setters copy.  status holds a validated RFC 3463
 *		code or "", reply_code three digits or "".
 * OWNERSHIP	A report owns its recipients and every string in them.
 *		explanation and advice point into static tables.
 */
#ifndef BOUNCE_RESULT_H
#define BOUNCE_RESULT_H

#include <glib.h>

G_BEGIN_DECLS

/* What kind of message a report describes. */
typedef enum {
	BOUNCE_KIND_NONE = 0,	/* not a bounce: nothing is printed */
	BOUNCE_KIND_BOUNCE,	/* failed or delayed delivery */
	BOUNCE_KIND_FEEDBACK,	/* RFC 5965 complaint */
	BOUNCE_KIND_AUTOREPLY,	/* vacation / out-of-office / challenge */
	BOUNCE_KIND_DELIVERED,	/* a DSN reporting success only */
} BounceKind;

/* Anomalies: processing oddities, not errors (Postfix "not necessarily lethal"). */
typedef enum {
	BOUNCE_ANOMALY_MIME_WARNING	= 1 << 0,	/* GMime warned, or the header block is malformed */
	BOUNCE_ANOMALY_NOT_REPORT	= 1 << 1,	/* status part outside multipart/report */
	BOUNCE_ANOMALY_TRUNCATED	= 1 << 2,	/* a limit cut some text */
	BOUNCE_ANOMALY_TOO_DEEP		= 1 << 3,	/* MIME nesting past the limit */
	BOUNCE_ANOMALY_TOO_MANY_PARTS	= 1 << 4,
	BOUNCE_ANOMALY_TOO_MANY_RCPTS	= 1 << 5,
	BOUNCE_ANOMALY_BAD_CHARSET	= 1 << 6,	/* unknown charset; bytes made valid */
	BOUNCE_ANOMALY_CR_LINE_ENDINGS	= 1 << 7,	/* bare CR line endings converted */
	BOUNCE_ANOMALY_TOO_LARGE	= 1 << 8,	/* message larger than the limit */
} BounceAnomaly;

typedef struct {
	char *recipient;		/* final recipient, lower-cased domain */
	char *original_recipient;
	char *action;			/* failed, delayed, delivered, relayed, expanded */
	char  status[16];		/* RFC 3463, e.g. "5.1.1", or "" */
	char  reply_code[4];		/* SMTP reply code, e.g. "550", or "" */
	char *diagnostic;		/* Diagnostic-Code text or the matched free-text */
	char *remote_mta;
	char *smtp_command;		/* RCPT, DATA, MAIL, ... */
	char *last_attempt;		/* Last-Attempt-Date as written */
	char *feedback_type;		/* ARF Feedback-Type */
	/* filled by the classifier (knowledge/classify.c) */
	char *reason;			/* taxonomy name, see README */
	char *reason_source;		/* which table row or phrase decided */
	const char *fault;		/* recipient|sender|content|network|policy|unknown */
	const char *explanation;	/* static */
	const char *advice;		/* static */
	gboolean hard_bounce;		/* the address itself is bad */
	gboolean permanent;		/* retrying will not help */
} BounceRecipient;

typedef struct {
	BounceKind kind;
	guint      anomalies;		/* BounceAnomaly bits */
	char *detector;			/* "rfc3464", "qmail", "exim", ... */
	char *bounce_message_id;
	char *date;
	char *from;
	char *subject;
	char *reporting_mta;
	char *arrival_date;
	/* the original message, when returned */
	char *orig_message_id;
	char *orig_from;
	char *orig_to;
	char *orig_subject;
	char *orig_list_id;
	char *envelope_recipient;	/* where the bounce was delivered (VERP) */
	GPtrArray *recipients;		/* BounceRecipient *, owned */
} BounceReport;

BounceReport    *bounce_report_new (void);
void             bounce_report_free (BounceReport *report);
BounceRecipient *bounce_report_add_recipient (BounceReport *report, const char *address);
BounceRecipient *bounce_report_find_recipient (BounceReport *report, const char *address);
void             bounce_report_set_detector (BounceReport *report, const char *detector);

BounceRecipient *bounce_recipient_new (const char *address);
void             bounce_recipient_free (BounceRecipient *rcpt);

/* Replace *field (never NULL) with a trimmed, valid UTF-8 copy of value (NULL → ""). */
void bounce_set (char **field, const char *value);
/* Same, from len bytes. */
void bounce_set_len (char **field, const char *value, gssize len);
/* Copy a status code / reply code into the fixed members, "" when NULL. */
void bounce_recipient_set_status (BounceRecipient *rcpt, const char *status);
void bounce_recipient_set_reply_code (BounceRecipient *rcpt, const char *code);

const char *bounce_kind_name (BounceKind kind);

/* A report as a GVariant and back, to hand it between processes; every
 * member survives the round trip.  from_variant returns NULL when the
 * variant is not of the report's type.  (transfer full) */
#define BOUNCE_RECIPIENT_VARIANT_TYPE "(ayayayayayayayayayayayayayayaybb)"
#define BOUNCE_REPORT_VARIANT_TYPE \
	"(uuayayayayayayayayayayayayay" "a" BOUNCE_RECIPIENT_VARIANT_TYPE ")"
GVariant     *bounce_report_to_variant (const BounceReport *report);
BounceReport *bounce_report_new_from_variant (GVariant *variant);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceReport, bounce_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceRecipient, bounce_recipient_free)

G_END_DECLS

#endif
