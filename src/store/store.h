/*
 * store/store.h - the suppression list: events, suppressions, audit
 *
 * SYNOPSIS	BounceStore *bounce_store_open (const char *uri, GError **error);
 *		gboolean bounce_store_record (BounceStore *store,
 *					      const BounceReport *report,
 *					      const char *source,
 *					      const BouncePolicy *policy,
 *					      gboolean dry_run,
 *					      GPtrArray *changes,
 *					      GError **error);
 * DESCRIPTION	One interface, two backends chosen by the URI given to
 *		bounce_store_open():
 *		  NULL or ""			SQLite at the default path,
 *						$XDG_DATA_HOME/bouncefilter/suppression.db
 *		  sqlite:PATH, sqlite://PATH	SQLite at PATH
 *		  postgresql://..., postgres://...
 *		  "host=... dbname=..."		PostgreSQL (libpq URI or conninfo)
 *		  anything else			a path to an SQLite file
 *		Both backends hold the same three tables (events,
 *		suppressions, audit) at the same schema version and behave
 *		alike.  Every bounce event is kept once under a stable event
 *		key, so recording the same bounce twice changes nothing.
 *		The policy (BouncePolicy) decides which events suppress the
 *		address: hard bounces and complaints at once, recipient-side
 *		soft bounces after a number of distinct days, sender-side
 *		reasons never.
 * ADDRESSES	Stored and compared in one canonical form: surrounding
 *		spaces and angle brackets removed, the whole address in
 *		lower case (local part included: providers treat it
 *		case-insensitively in practice), the domain in ASCII
 *		(IDN labels as punycode, no trailing dot).
 * TIME		Unix seconds, UTC.  The event time of a report is its Date
 *		header when valid and not in the future, else the time it is
 *		recorded.  Soft-bounce days are UTC days.
 * TRANSACTIONS	bounce_store_record() and the other writers run in their own
 *		transaction unless the caller opened one with
 *		bounce_store_begin(); batch callers commit every N reports.
 *		SQLite write transactions use BEGIN IMMEDIATE.
 * ERRORS	BOUNCE_STORE_ERROR; bounce_store_error_is_temporary() tells
 *		which ones mean "try again later" (EX_TEMPFAIL from a pipe).
 * OWNERSHIP	The store owns its connection; reports are borrowed; changes
 *		receive owned BounceChange pointers (free func expected:
 *		create the array with bounce_change_array_new()).
 * SEE ALSO	store/sqlite.c, store/pg.c, store/address.c, cli/suppress_cmd.c,
 *		tests/check_store.c
 */
#ifndef BOUNCE_STORE_H
#define BOUNCE_STORE_H

#include <glib.h>
#include "result.h"

G_BEGIN_DECLS

#define BOUNCE_STORE_ERROR (bounce_store_error_quark ())
GQuark bounce_store_error_quark (void);

typedef enum {
	BOUNCE_STORE_ERROR_UNAVAILABLE,	/* cannot open or connect, I/O error, disk full */
	BOUNCE_STORE_ERROR_BUSY,	/* locked past the busy timeout, conflicts kept on */
	BOUNCE_STORE_ERROR_CONFLICT,	/* serialization failure or deadlock (retried inside) */
	BOUNCE_STORE_ERROR_SCHEMA,	/* written by a newer version of this program */
	BOUNCE_STORE_ERROR_INVALID,	/* bad URI, address or argument */
	BOUNCE_STORE_ERROR_FAILED,	/* any other database error */
} BounceStoreError;

/* TRUE unless the error is a caller mistake (INVALID): retry later, exit 75. */
gboolean bounce_store_error_is_temporary (const GError *error);

/* ---- addresses (store/address.c) ---- */

/* Canonical form of ADDRESS (see ADDRESSES above), or NULL when it is not
 * local@domain.  (transfer full) */
char *bounce_address_canonical (const char *address);

/* ---- policy ---- */

#define BOUNCE_POLICY_MAX_EXPIRY 32

/* What an event is, for the policy. */
typedef enum {
	BOUNCE_CLASS_IGNORED = 0,	/* not a bounce (vacation, delivered): not recorded */
	BOUNCE_CLASS_HARD,		/* the address is bad: suppress at once */
	BOUNCE_CLASS_COMPLAINT,		/* feedback report: suppress at once */
	BOUNCE_CLASS_SOFT,		/* recipient-side, temporary: counted */
	BOUNCE_CLASS_SENDER,		/* our side (reputation, auth, rate): event only */
	BOUNCE_CLASS_OTHER,		/* content, network, delays: event only */
} BounceClass;

typedef struct {
	char  reason[24];
	guint days;			/* 0 = never expires */
} BounceExpiry;

typedef struct {
	guint soft_threshold;		/* soft bounces on distinct days that suppress (3) */
	guint soft_window_days;		/* ... within this many days (14) */
	guint quiet_reset_days;		/* this long without a soft bounce restarts the count (30) */
	guint expire_hard_days;		/* hard bounces: 0 = never (0) */
	guint expire_complaint_days;	/* complaints: 0 = never (0) */
	guint expire_soft_days;		/* soft reasons without their own entry (30) */
	guint n_expiry;
	BounceExpiry expiry[BOUNCE_POLICY_MAX_EXPIRY];	/* per-reason overrides for soft reasons */
} BouncePolicy;

/* Fill POLICY with the defaults (values in parentheses above; mailboxfull 30,
 * systemfull 7, suspend 90 days). */
void bounce_policy_init (BouncePolicy *policy);
/* Set the expiry of soft bounces for REASON (0 = never).  FALSE when the
 * table is full or the reason is too long. */
gboolean bounce_policy_set_expiry (BouncePolicy *policy, const char *reason, guint days);
/* Days until an entry decided by CLASS/REASON expires; 0 = never. */
guint bounce_policy_expiry_days (const BouncePolicy *policy, BounceClass cls, const char *reason);
/* How the policy sees one recipient of a report of KIND. */
BounceClass bounce_policy_classify (BounceKind kind, const BounceRecipient *rcpt);
const char *bounce_class_name (BounceClass cls);

/* ---- the store ---- */

typedef struct BounceStore BounceStore;

/* Open (create, migrate) the store at URI; NULL or "" = default SQLite path. */
BounceStore *bounce_store_open (const char *uri, GError **error);
void         bounce_store_close (BounceStore *store);		/* NULL-safe; rolls back an open transaction */
/* "sqlite" or "postgresql". */
const char  *bounce_store_backend (BounceStore *store);
/* How long SQLite waits for a lock (default 30000 ms); PostgreSQL: lock_timeout. */
void         bounce_store_set_timeout (BounceStore *store, guint msec);
/* The default SQLite path (transfer full). */
char        *bounce_store_default_path (void);
/* Schema version of this program. */
guint        bounce_store_schema_version (void);

gboolean bounce_store_begin (BounceStore *store, GError **error);
gboolean bounce_store_commit (BounceStore *store, GError **error);
void     bounce_store_rollback (BounceStore *store);
gboolean bounce_store_in_transaction (BounceStore *store);

/* What recording did to one recipient. */
typedef enum {
	BOUNCE_EVENT_NEW,		/* event stored (or would be, in a dry run) */
	BOUNCE_EVENT_DUPLICATE,		/* seen before: nothing changed */
	BOUNCE_EVENT_SKIPPED,		/* not a bounce, or no usable address: not stored */
} BounceEventState;

typedef struct {
	char            *address;	/* canonical, or the recipient as given when not valid */
	char            *reason;
	BounceClass      cls;
	BounceEventState event;
	gboolean         suppressed;	/* suppressed after this event */
	gboolean         newly;		/* ... and was not before */
	gint64           expires_at;	/* when suppressed: 0 = never */
	char            *why;		/* one line for people */
} BounceChange;

void       bounce_change_free (BounceChange *change);
GPtrArray *bounce_change_array_new (void);		/* frees its BounceChange elements */
/* "ACTION\tADDRESS\tREASON\tWHY", ACTION one of suppress, keep, duplicate, skip
 * (transfer full).  Never starts with a status code. */
char      *bounce_change_format (const BounceChange *change);

/* Record the recipients of REPORT seen from SOURCE (file name, "stdin", ...;
 * NULL = "").  POLICY NULL = defaults.  DRY_RUN: decide and fill CHANGES as
 * usual but leave the store as it was.  CHANGES may be NULL. */
gboolean bounce_store_record (BounceStore *store, const BounceReport *report,
			      const char *source, const BouncePolicy *policy,
			      gboolean dry_run, GPtrArray *changes, GError **error);

/* One suppression list entry. */
typedef struct {
	char   *address;
	char   *reason;
	char   *status;
	char   *source;			/* bounce, complaint, manual, import */
	gint64  first_seen, last_seen;
	gint64  expires_at;		/* 0 = never */
	gint64  count;
	gint64  decided_by_event;	/* events.id, 0 when none */
} BounceSuppression;

void bounce_suppression_free (BounceSuppression *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceSuppression, bounce_suppression_free)

/* Is ADDRESS suppressed now (expired entries are not)?  REASON (may be NULL)
 * receives the reason when it is. */
gboolean bounce_store_check (BounceStore *store, const char *address,
			     gboolean *suppressed, char **reason, GError **error);
/* The entry for ADDRESS, expired or not; *entry = NULL when there is none. */
gboolean bounce_store_get (BounceStore *store, const char *address,
			   BounceSuppression **entry, GError **error);

/* Add ADDRESS by hand (SOURCE "manual" or "import"), with an audit record.
 * FIRST_SEEN 0 = now; EXPIRES_AT 0 = never.  REPLACE: overwrite an entry in
 * force; otherwise keep it and set *added FALSE.  ADDED may be NULL. */
gboolean bounce_store_add (BounceStore *store, const char *address,
			   const char *reason, const char *source,
			   gint64 first_seen, gint64 expires_at, gboolean replace,
			   const char *who, const char *why,
			   gboolean *added, GError **error);
/* Remove ADDRESS, with an audit record of WHO and WHY.  Soft bounces seen
 * before the removal no longer count.  REMOVED may be NULL. */
gboolean bounce_store_remove (BounceStore *store, const char *address,
			      const char *who, const char *why,
			      gboolean *removed, GError **error);

typedef gboolean (*BounceSuppressionFunc) (const BounceSuppression *entry,
					    gpointer user_data, GError **error);
/* Call FUNC for each entry, by address; expired entries only when
 * INCLUDE_EXPIRED.  FUNC returning FALSE stops with its error. */
gboolean bounce_store_foreach (BounceStore *store, gboolean include_expired,
			       BounceSuppressionFunc func, gpointer user_data,
			       GError **error);

/* Delete entries expired at NOW (0 = now); *removed gets their number. */
gboolean bounce_store_prune (BounceStore *store, gint64 now, guint *removed, GError **error);

typedef struct {
	char   *key;
	gint64  count;
} BounceCount;

typedef struct {
	gint64     suppressed;		/* in force */
	gint64     expired;		/* expired, not pruned yet */
	gint64     events;
	gint64     audit;
	GPtrArray *by_reason;		/* BounceCount *, entries in force */
	GPtrArray *by_source;		/* BounceCount *, entries in force */
	GPtrArray *events_by_class;	/* BounceCount * */
} BounceStats;

void     bounce_stats_clear (BounceStats *stats);
gboolean bounce_store_stats (BounceStore *store, BounceStats *stats, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceStore, bounce_store_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceChange, bounce_change_free)

G_END_DECLS

#endif
