/*
 * store/store.c - suppression list: URI dispatch, schema, policy, recording
 *
 * SYNOPSIS	#include "store/store.h"
 * DESCRIPTION	Everything but running SQL lives here, so that both backends
 *		behave alike: the schema and its versioned migrations, every
 *		statement, the policy that turns events into suppressions,
 *		and the retry of transactions that lost a conflict.
 *		Recording one report: each recipient is classified
 *		(bounce_policy_classify); vacation and delivered reports
 *		are skipped; every other recipient becomes an event under a
 *		stable key (SHA-256 of the bounce Message-ID and address, or
 *		of the report fields, address and status when there is no
 *		Message-ID), inserted with ON CONFLICT DO NOTHING, so a
 *		duplicate changes nothing.  A new event then suppresses
 *		the address when the policy says so.  All of one report is
 *		done inside a savepoint: a failure, a dry run or a conflict
 *		rolls back only that report.
 * ERRORS	BOUNCE_STORE_ERROR_* from the backends; CONFLICT is retried up
 *		to RECORD_ATTEMPTS times with a growing random pause, then
 *		reported as BUSY.
 * SEE ALSO	store/store-private.h (the backend interface)
 */
#include "config.h"

#include <string.h>
#include <gmime/gmime.h>

#include "store/store-private.h"

#define DAY			86400
#define SCHEMA_VERSION		1
#define RECORD_ATTEMPTS		8

G_DEFINE_QUARK (bounce-store-error-quark, bounce_store_error)

gboolean
bounce_store_error_is_temporary (const GError *error)
{
	if (error == NULL || error->domain != BOUNCE_STORE_ERROR)
		return TRUE;
	return error->code != BOUNCE_STORE_ERROR_INVALID;
}

/* ------------------------------------------------------------------ */
/* Schema */

/* @ID@ is the backend's identity column type. */
static const char *const schema_v1 =
	"CREATE TABLE events ("
	" id @ID@,"
	" event_key TEXT NOT NULL UNIQUE,"
	" address TEXT NOT NULL,"
	" recipient TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" class TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" reply_code TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" fault TEXT NOT NULL,"
	" hard INTEGER NOT NULL,"
	" diagnostic TEXT NOT NULL,"
	" feedback_type TEXT NOT NULL,"
	" bounce_message_id TEXT NOT NULL,"
	" orig_message_id TEXT NOT NULL,"
	" list_id TEXT NOT NULL,"
	" seen_at BIGINT NOT NULL,"
	" event_at BIGINT NOT NULL,"
	" input TEXT NOT NULL);"
	"CREATE INDEX events_address ON events (address, class, event_at);"
	"CREATE TABLE suppressions ("
	" address TEXT PRIMARY KEY,"
	" reason TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" source TEXT NOT NULL"
	"  CHECK (source IN ('bounce', 'complaint', 'manual', 'import')),"
	" first_seen BIGINT NOT NULL,"
	" last_seen BIGINT NOT NULL,"
	" count BIGINT NOT NULL,"
	" expires_at BIGINT,"
	" decided_by_event BIGINT);"
	"CREATE INDEX suppressions_expires ON suppressions (expires_at);"
	"CREATE TABLE audit ("
	" id @ID@,"
	" at BIGINT NOT NULL,"
	" who TEXT NOT NULL,"
	" action TEXT NOT NULL CHECK (action IN ('add', 'remove')),"
	" address TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" why TEXT NOT NULL);"
	"CREATE INDEX audit_address ON audit (address, action, at);";

char **
bounce_store_schema_steps (const BounceBackend *backend, guint *n_steps)
{
	static const char *const *steps[] = { &schema_v1 };
	G_STATIC_ASSERT (G_N_ELEMENTS (steps) == SCHEMA_VERSION);
	char **out = g_new0 (char *, G_N_ELEMENTS (steps) + 1);

	for (guint i = 0; i < G_N_ELEMENTS (steps); i++) {
		g_auto(GStrv) parts = g_strsplit (*steps[i], "@ID@", -1);
		out[i] = g_strjoinv (backend->id_type, parts);
	}
	*n_steps = G_N_ELEMENTS (steps);
	return out;
}

guint
bounce_store_schema_version (void)
{
	return SCHEMA_VERSION;
}

/* Statements, indexed by BounceStmt. */
#define SUPP_COLS "address, reason, status, source, first_seen, last_seen, count, " \
	"coalesce(expires_at, 0), coalesce(decided_by_event, 0)"
static const char *const stmt_sql[STMT_N] = {
	[STMT_EVENT_INSERT] =
		"INSERT INTO events (event_key, address, recipient, kind, class, action,"
		" status, reply_code, reason, fault, hard, diagnostic, feedback_type,"
		" bounce_message_id, orig_message_id, list_id, seen_at, event_at, input)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
		" $15, $16, $17, $18, $19)"
		" ON CONFLICT (event_key) DO NOTHING RETURNING id",
	[STMT_SOFT_DAYS] =
		"SELECT DISTINCT event_at / 86400 AS day FROM events"
		" WHERE address = $1 AND class = 'soft' AND event_at > $2"
		" ORDER BY day DESC",
	[STMT_LAST_REMOVAL] =
		"SELECT max(at) FROM audit WHERE address = $1 AND action = 'remove'",
	[STMT_SUPP_GET] =
		"SELECT " SUPP_COLS " FROM suppressions WHERE address = $1",
	[STMT_SUPP_UPSERT] =
		"INSERT INTO suppressions (address, reason, status, source, first_seen,"
		" last_seen, count, expires_at, decided_by_event)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
		" ON CONFLICT (address) DO UPDATE SET reason = excluded.reason,"
		" status = excluded.status, source = excluded.source,"
		" first_seen = excluded.first_seen, last_seen = excluded.last_seen,"
		" count = excluded.count, expires_at = excluded.expires_at,"
		" decided_by_event = excluded.decided_by_event",
	[STMT_SUPP_INSERT_NEW] =
		"INSERT INTO suppressions (address, reason, status, source, first_seen,"
		" last_seen, count, expires_at, decided_by_event)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
		" ON CONFLICT (address) DO NOTHING",
	[STMT_SUPP_DELETE] =
		"DELETE FROM suppressions WHERE address = $1 RETURNING reason",
	[STMT_AUDIT_INSERT] =
		"INSERT INTO audit (at, who, action, address, reason, why)"
		" VALUES ($1, $2, $3, $4, $5, $6)",
	[STMT_SUPP_LIST_ACTIVE] =
		"SELECT " SUPP_COLS " FROM suppressions"
		" WHERE expires_at IS NULL OR expires_at > $1 ORDER BY address",
	[STMT_SUPP_LIST_ALL] =
		"SELECT " SUPP_COLS " FROM suppressions ORDER BY address",
	[STMT_PRUNE] =
		"DELETE FROM suppressions WHERE expires_at IS NOT NULL AND expires_at <= $1",
	[STMT_COUNT_ACTIVE] =
		"SELECT count(*) FROM suppressions WHERE expires_at IS NULL OR expires_at > $1",
	[STMT_COUNT_EXPIRED] =
		"SELECT count(*) FROM suppressions WHERE expires_at IS NOT NULL AND expires_at <= $1",
	[STMT_COUNT_EVENTS] =
		"SELECT count(*) FROM events",
	[STMT_COUNT_AUDIT] =
		"SELECT count(*) FROM audit",
	[STMT_BY_REASON] =
		"SELECT reason, count(*) FROM suppressions"
		" WHERE expires_at IS NULL OR expires_at > $1"
		" GROUP BY reason ORDER BY count(*) DESC, reason",
	[STMT_BY_SOURCE] =
		"SELECT source, count(*) FROM suppressions"
		" WHERE expires_at IS NULL OR expires_at > $1"
		" GROUP BY source ORDER BY count(*) DESC, source",
	[STMT_EVENTS_BY_CLASS] =
		"SELECT class, count(*) FROM events GROUP BY class ORDER BY count(*) DESC, class",
};

static gboolean
run (BounceStore *store, BounceStmt id, const BounceValue *params, guint n,
     BounceRowFunc func, gpointer data, gint64 *changed, GError **error)
{
	return store->backend->query (store, id, stmt_sql[id], params, n, func, data,
				      changed, error);
}

static gboolean
row_int64 (const char *const *cols, guint ncols, gpointer data, GError **error)
{
	gint64 *out = data;
	*out = (ncols > 0 && cols[0] != NULL) ? g_ascii_strtoll (cols[0], NULL, 10) : 0;
	return TRUE;
}

static gint64
now_seconds (void)
{
	return g_get_real_time () / G_USEC_PER_SEC;
}

/* ------------------------------------------------------------------ */
/* Policy */

/* Reasons where our side (reputation, authentication, configuration) is at
 * fault: the recipient address is fine. */
static const char *const sender_reasons[] = {
	"blocked", "badreputation", "authfailure", "requireptr", "spamdetected",
	"policyviolation", "failedstarttls", "ratelimited", "norelaying",
	"rejected", "securityerror", "toomanyconn", "speeding",
};

/* Recipient-side reasons that count towards soft suppression. */
static const char *const soft_reasons[] = {
	"mailboxfull", "suspend", "systemfull", "notaccept", "expired",
	"undefined", "userunknown", "hostunknown", "hasmoved", "onhold",
	"suppressed", "mailererror", "",
};

static gboolean
in_list (const char *word, const char *const *list, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (g_ascii_strcasecmp (word, list[i]) == 0)
			return TRUE;
	return FALSE;
}

#define S0(x) ((x) != NULL ? (x) : "")

BounceClass
bounce_policy_classify (BounceKind kind, const BounceRecipient *rcpt)
{
	const char *reason = S0 (rcpt->reason);
	const char *action = S0 (rcpt->action);
	const char *fault = S0 (rcpt->fault);

	if (kind == BOUNCE_KIND_NONE || kind == BOUNCE_KIND_AUTOREPLY ||
	    kind == BOUNCE_KIND_DELIVERED ||
	    g_ascii_strcasecmp (reason, "vacation") == 0 ||
	    g_ascii_strcasecmp (reason, "delivered") == 0 ||
	    g_ascii_strcasecmp (action, "delivered") == 0 ||
	    g_ascii_strcasecmp (action, "relayed") == 0 ||
	    g_ascii_strcasecmp (action, "expanded") == 0)
		return BOUNCE_CLASS_IGNORED;
	if (kind == BOUNCE_KIND_FEEDBACK || g_ascii_strcasecmp (reason, "feedback") == 0)
		return BOUNCE_CLASS_COMPLAINT;
	if (g_ascii_strcasecmp (fault, "sender") == 0 ||
	    in_list (reason, sender_reasons, G_N_ELEMENTS (sender_reasons)))
		return BOUNCE_CLASS_SENDER;
	/* A delay is not a failure yet: the MTA is still trying. */
	if (g_ascii_strcasecmp (action, "delayed") == 0)
		return BOUNCE_CLASS_OTHER;
	if (rcpt->hard_bounce)
		return BOUNCE_CLASS_HARD;
	if (in_list (reason, soft_reasons, G_N_ELEMENTS (soft_reasons)) ||
	    g_ascii_strcasecmp (fault, "recipient") == 0)
		return BOUNCE_CLASS_SOFT;
	return BOUNCE_CLASS_OTHER;
}

const char *
bounce_class_name (BounceClass cls)
{
	switch (cls) {
	case BOUNCE_CLASS_IGNORED:   return "ignored";
	case BOUNCE_CLASS_HARD:      return "hard";
	case BOUNCE_CLASS_COMPLAINT: return "complaint";
	case BOUNCE_CLASS_SOFT:      return "soft";
	case BOUNCE_CLASS_SENDER:    return "sender";
	case BOUNCE_CLASS_OTHER:     return "other";
	}
	return "other";
}

void
bounce_policy_init (BouncePolicy *policy)
{
	memset (policy, 0, sizeof *policy);
	policy->soft_threshold = 3;
	policy->soft_window_days = 14;
	policy->quiet_reset_days = 30;
	policy->expire_hard_days = 0;
	policy->expire_complaint_days = 0;
	policy->expire_soft_days = 30;
	bounce_policy_set_expiry (policy, "mailboxfull", 30);
	bounce_policy_set_expiry (policy, "systemfull", 7);
	bounce_policy_set_expiry (policy, "suspend", 90);
}

gboolean
bounce_policy_set_expiry (BouncePolicy *policy, const char *reason, guint days)
{
	if (reason == NULL || strlen (reason) >= sizeof policy->expiry[0].reason)
		return FALSE;
	for (guint i = 0; i < policy->n_expiry; i++)
		if (g_ascii_strcasecmp (policy->expiry[i].reason, reason) == 0) {
			policy->expiry[i].days = days;
			return TRUE;
		}
	if (policy->n_expiry >= BOUNCE_POLICY_MAX_EXPIRY)
		return FALSE;
	g_strlcpy (policy->expiry[policy->n_expiry].reason, reason,
		   sizeof policy->expiry[0].reason);
	policy->expiry[policy->n_expiry++].days = days;
	return TRUE;
}

guint
bounce_policy_expiry_days (const BouncePolicy *policy, BounceClass cls, const char *reason)
{
	switch (cls) {
	case BOUNCE_CLASS_HARD:
		return policy->expire_hard_days;
	case BOUNCE_CLASS_COMPLAINT:
		return policy->expire_complaint_days;
	default:
		break;
	}
	for (guint i = 0; i < policy->n_expiry; i++)
		if (g_ascii_strcasecmp (policy->expiry[i].reason, S0 (reason)) == 0)
			return policy->expiry[i].days;
	return policy->expire_soft_days;
}

/* ------------------------------------------------------------------ */
/* Open, close, transactions */

char *
bounce_store_default_path (void)
{
	return g_build_filename (g_get_user_data_dir (), "bouncefilter",
				 "suppression.db", NULL);
}

/* A libpq conninfo string: starts with "keyword=". */
static gboolean
looks_like_conninfo (const char *uri)
{
	const char *p = uri;

	while (*p == ' ')
		p++;
	const char *start = p;
	while (g_ascii_isalnum (*p) || *p == '_')
		p++;
	while (*p == ' ')
		p++;
	return p > start && *p == '=';
}

BounceStore *
bounce_store_open (const char *uri, GError **error)
{
	g_autofree char *path = NULL;
	const char *conninfo = NULL;	/* borrowed: uri */

	if (uri == NULL || uri[0] == '\0')
		path = bounce_store_default_path ();
	else if (g_str_has_prefix (uri, "postgresql://") || g_str_has_prefix (uri, "postgres://") ||
		 looks_like_conninfo (uri))
		conninfo = uri;
	else if (g_str_has_prefix (uri, "sqlite://"))
		path = g_strdup (uri + strlen ("sqlite://"));
	else if (g_str_has_prefix (uri, "sqlite:"))
		path = g_strdup (uri + strlen ("sqlite:"));
	else
		path = g_strdup (uri);

	if (path != NULL && path[0] == '\0') {
		g_set_error (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_INVALID,
			     "empty database path in \"%s\"", uri);
		return NULL;
	}

	BounceStore *store = g_new0 (BounceStore, 1);
	store->timeout_ms = 30000;
	gboolean ok = path != NULL ? bounce_sqlite_open (store, path, error)
				   : bounce_pg_open (store, conninfo, error);
	if (!ok) {
		g_free (store);
		return NULL;
	}

	guint n_steps = 0;
	g_auto(GStrv) steps = bounce_store_schema_steps (store->backend, &n_steps);
	if (!store->backend->migrate (store, (const char *const *) steps, n_steps, error)) {
		bounce_store_close (store);
		return NULL;
	}
	return store;
}

void
bounce_store_close (BounceStore *store)
{
	if (store == NULL)
		return;
	if (store->in_transaction)
		bounce_store_rollback (store);
	store->backend->close (store);
	g_free (store);
}

const char *
bounce_store_backend (BounceStore *store)
{
	return store->backend->name;
}

void
bounce_store_set_timeout (BounceStore *store, guint msec)
{
	store->timeout_ms = msec;
	store->backend->set_timeout (store, msec);
}

gboolean
bounce_store_begin (BounceStore *store, GError **error)
{
	if (store->in_transaction) {
		g_set_error_literal (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_INVALID,
				     "a transaction is already open");
		return FALSE;
	}
	if (!store->backend->begin (store, error))
		return FALSE;
	store->in_transaction = TRUE;
	return TRUE;
}

gboolean
bounce_store_commit (BounceStore *store, GError **error)
{
	if (!store->in_transaction)
		return TRUE;
	if (!store->backend->exec (store, "COMMIT", error)) {
		bounce_store_rollback (store);
		return FALSE;
	}
	store->in_transaction = FALSE;
	return TRUE;
}

void
bounce_store_rollback (BounceStore *store)
{
	g_autoptr(GError) ignored = NULL;

	store->backend->exec (store, "ROLLBACK", &ignored);
	store->in_transaction = FALSE;
}

gboolean
bounce_store_in_transaction (BounceStore *store)
{
	return store->in_transaction;
}

/* Run FUNC in a transaction of its own unless the caller has one open:
 * inside a savepoint either way, retried when it loses a conflict.
 * UNDO: roll the work back even when it succeeds (dry run). */
typedef gboolean (*TxnFunc) (BounceStore *store, gpointer data, GError **error);

static gboolean
with_transaction (BounceStore *store, gboolean undo, TxnFunc func, gpointer data,
		  void (*reset) (gpointer data), GError **error)
{
	gboolean own = !store->in_transaction;

	if (own && !bounce_store_begin (store, error))
		return FALSE;

	for (guint attempt = 1;; attempt++) {
		g_autoptr(GError) local = NULL;

		if (!store->backend->exec (store, "SAVEPOINT bounce_record", &local))
			goto failed;
		gboolean ok = func (store, data, &local);
		if (ok && !undo) {
			if (!store->backend->exec (store, "RELEASE SAVEPOINT bounce_record", &local))
				goto failed;
			break;
		}
		{
			g_autoptr(GError) ignored = NULL;
			if (!store->backend->exec (store, "ROLLBACK TO SAVEPOINT bounce_record", &ignored) ||
			    !store->backend->exec (store, "RELEASE SAVEPOINT bounce_record", &ignored)) {
				if (ok) {
					g_propagate_error (&local, g_steal_pointer (&ignored));
					goto failed;
				}
			}
		}
		if (ok)
			break;
		if (g_error_matches (local, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_CONFLICT) &&
		    attempt < RECORD_ATTEMPTS) {
			if (reset != NULL)
				reset (data);
			g_usleep (g_random_int_range (5000, 20000) * attempt);
			continue;
		}
failed:
		if (g_error_matches (local, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_CONFLICT))
			local->code = BOUNCE_STORE_ERROR_BUSY;
		if (own)
			bounce_store_rollback (store);
		g_propagate_error (error, g_steal_pointer (&local));
		return FALSE;
	}
	return own ? bounce_store_commit (store, error) : TRUE;
}

/* ------------------------------------------------------------------ */
/* Suppression rows */

void
bounce_suppression_free (BounceSuppression *entry)
{
	if (entry == NULL)
		return;
	g_free (entry->address);
	g_free (entry->reason);
	g_free (entry->status);
	g_free (entry->source);
	g_free (entry);
}

static BounceSuppression *
suppression_from_row (const char *const *cols, guint ncols)
{
	g_return_val_if_fail (ncols >= 9, NULL);
	BounceSuppression *e = g_new0 (BounceSuppression, 1);
	e->address = g_strdup (S0 (cols[0]));
	e->reason = g_strdup (S0 (cols[1]));
	e->status = g_strdup (S0 (cols[2]));
	e->source = g_strdup (S0 (cols[3]));
	e->first_seen = g_ascii_strtoll (S0 (cols[4]), NULL, 10);
	e->last_seen = g_ascii_strtoll (S0 (cols[5]), NULL, 10);
	e->count = g_ascii_strtoll (S0 (cols[6]), NULL, 10);
	e->expires_at = g_ascii_strtoll (S0 (cols[7]), NULL, 10);
	e->decided_by_event = g_ascii_strtoll (S0 (cols[8]), NULL, 10);
	return e;
}

static gboolean
row_suppression (const char *const *cols, guint ncols, gpointer data, GError **error)
{
	BounceSuppression **out = data;
	bounce_suppression_free (*out);
	*out = suppression_from_row (cols, ncols);
	return TRUE;
}

static gboolean
active_at (const BounceSuppression *e, gint64 when)
{
	return e != NULL && (e->expires_at == 0 || e->expires_at > when);
}

static gboolean
get_entry (BounceStore *store, const char *address, BounceSuppression **entry, GError **error)
{
	BounceValue p[] = { BV_TEXT (address) };
	*entry = NULL;
	return run (store, STMT_SUPP_GET, p, 1, row_suppression, entry, NULL, error);
}

static gboolean
put_entry (BounceStore *store, BounceStmt stmt, const BounceSuppression *e,
	   gint64 *changed, GError **error)
{
	BounceValue p[] = {
		BV_TEXT (e->address), BV_TEXT (e->reason), BV_TEXT (e->status),
		BV_TEXT (e->source), BV_INT (e->first_seen), BV_INT (e->last_seen),
		BV_INT (e->count),
		e->expires_at != 0 ? BV_INT (e->expires_at) : BV_NULL,
		e->decided_by_event != 0 ? BV_INT (e->decided_by_event) : BV_NULL,
	};
	return run (store, stmt, p, G_N_ELEMENTS (p), NULL, NULL, changed, error);
}

static char *
canonical_or_error (const char *address, GError **error)
{
	char *canon = bounce_address_canonical (address);
	if (canon == NULL)
		g_set_error (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_INVALID,
			     "not an e-mail address: \"%.80s\"", S0 (address));
	return canon;
}

/* ------------------------------------------------------------------ */
/* Recording */

void
bounce_change_free (BounceChange *change)
{
	if (change == NULL)
		return;
	g_free (change->address);
	g_free (change->reason);
	g_free (change->why);
	g_free (change);
}

GPtrArray *
bounce_change_array_new (void)
{
	return g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_change_free);
}

char *
bounce_change_format (const BounceChange *change)
{
	const char *action;

	if (change->event == BOUNCE_EVENT_SKIPPED)
		action = "skip";
	else if (change->event == BOUNCE_EVENT_DUPLICATE)
		action = "duplicate";
	else
		action = change->suppressed ? "suppress" : "keep";
	g_autofree char *reason = g_strdup (change->reason[0] ? change->reason : "-");
	g_autofree char *why = g_strdup (change->why);
	g_strdelimit (reason, "\t\r\n", ' ');
	g_strdelimit (why, "\t\r\n", ' ');
	return g_strdup_printf ("%s\t%s\t%s\t%s", action, change->address, reason, why);
}

static BounceChange *
change_new (const char *address, const BounceRecipient *rcpt, BounceClass cls,
	    BounceEventState state)
{
	BounceChange *c = g_new0 (BounceChange, 1);
	c->address = g_strdup (address);
	c->reason = g_strdup (S0 (rcpt->reason));
	c->cls = cls;
	c->event = state;
	return c;
}

static gint64
report_time (const BounceReport *report, gint64 now)
{
	const char *dates[] = { report->date, report->arrival_date };

	for (gsize i = 0; i < G_N_ELEMENTS (dates); i++) {
		if (dates[i] == NULL || dates[i][0] == '\0')
			continue;
		g_autoptr(GDateTime) dt = g_mime_utils_header_decode_date (dates[i]);
		if (dt == NULL)
			continue;
		gint64 t = g_date_time_to_unix (dt);
		/* A clock a little ahead is common; far ahead or before 1990 is junk. */
		if (t > 631152000 && t <= now + DAY)
			return MIN (t, now);
	}
	return now;
}

static void
checksum_field (GChecksum *sum, const char *value)
{
	const char *v = S0 (value);
	g_checksum_update (sum, (const guchar *) v, strlen (v) + 1);	/* with the NUL */
}

static char *
event_key (const BounceReport *report, const char *address, const BounceRecipient *rcpt)
{
	g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

	if (report->bounce_message_id != NULL && report->bounce_message_id[0] != '\0') {
		checksum_field (sum, "message-id");
		checksum_field (sum, report->bounce_message_id);
	} else {
		checksum_field (sum, "fields");
		checksum_field (sum, bounce_kind_name (report->kind));
		checksum_field (sum, report->date);
		checksum_field (sum, report->from);
		checksum_field (sum, report->subject);
		checksum_field (sum, report->reporting_mta);
		checksum_field (sum, report->arrival_date);
		checksum_field (sum, report->orig_message_id);
		checksum_field (sum, rcpt->status);
		checksum_field (sum, rcpt->reply_code);
		checksum_field (sum, rcpt->diagnostic);
	}
	checksum_field (sum, address);
	return g_strdup (g_checksum_get_string (sum));
}

typedef struct {
	const BounceReport *report;
	const char         *source;
	const BouncePolicy *policy;
	gint64              now, event_at;
	GPtrArray          *changes;	/* BounceChange *, owned */
} RecordJob;

static void
record_reset (gpointer data)
{
	RecordJob *job = data;
	g_ptr_array_set_size (job->changes, 0);
}

static gboolean
row_day (const char *const *cols, guint ncols, gpointer data, GError **error)
{
	GArray *days = data;
	if (ncols > 0 && cols[0] != NULL) {
		gint64 d = g_ascii_strtoll (cols[0], NULL, 10);
		g_array_append_val (days, d);
	}
	return TRUE;
}

/* Distinct UTC days with a soft bounce for ADDRESS in the window that ends
 * on the newest such day, after the last quiet period and after the last
 * manual removal.  Counting up to the newest day rather than up to AT
 * makes the result the same whatever order the bounces arrive in. */
static gboolean
soft_days (BounceStore *store, const char *address, gint64 at, const BouncePolicy *policy,
	   guint *days, GError **error)
{
	gint64 removed = 0;
	BounceValue p1[] = { BV_TEXT (address) };
	if (!run (store, STMT_LAST_REMOVAL, p1, 1, row_int64, &removed, NULL, error))
		return FALSE;

	gint64 since = at - (gint64) policy->soft_window_days * DAY;
	since = MAX (since, removed);
	g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (gint64));
	BounceValue p2[] = { BV_TEXT (address), BV_INT (since) };
	if (!run (store, STMT_SOFT_DAYS, p2, 2, row_day, list, NULL, error))
		return FALSE;

	/* Newest first: stop past the window or at a quiet period. */
	guint n = 0;
	if (list->len > 0) {
		gint64 newest = g_array_index (list, gint64, 0);
		gint64 prev = newest;
		for (guint i = 0; i < list->len; i++) {
			gint64 day = g_array_index (list, gint64, i);
			if (newest - day >= (gint64) MAX (policy->soft_window_days, 1))
				break;
			if (policy->quiet_reset_days > 0 &&
			    prev - day >= (gint64) policy->quiet_reset_days)
				break;
			n++;
			prev = day;
		}
	}
	*days = n;
	return TRUE;
}

static gboolean
suppress_address (BounceStore *store, RecordJob *job, const char *address,
		  const BounceRecipient *rcpt, BounceClass cls, gint64 event_id,
		  BounceChange *change, GError **error)
{
	g_autoptr(BounceSuppression) old = NULL;
	if (!get_entry (store, address, &old, error))
		return FALSE;

	guint days = bounce_policy_expiry_days (job->policy, cls, rcpt->reason);
	gint64 at = job->event_at;
	gint64 expires = days > 0 ? at + (gint64) days * DAY : 0;
	BounceSuppression e = {
		.address = (char *) address,
		.reason = (char *) S0 (rcpt->reason),
		.status = (char *) rcpt->status,
		.source = (char *) (cls == BOUNCE_CLASS_COMPLAINT ? "complaint" : "bounce"),
		.first_seen = at, .last_seen = at, .count = 1,
		.expires_at = expires,
		.decided_by_event = event_id,
	};
	if (cls == BOUNCE_CLASS_COMPLAINT && e.reason[0] == '\0')
		e.reason = (char *) "feedback";

	change->newly = !active_at (old, at);
	if (!change->newly) {
		/* In force: extend it; a lasting decision replaces an expiring one. */
		gboolean upgrade = old->expires_at != 0 && expires == 0;
		if (!upgrade) {
			e.reason = old->reason;
			e.status = old->status;
			e.source = old->source;
			e.decided_by_event = old->decided_by_event;
		}
		e.first_seen = MIN (old->first_seen, at);
		e.last_seen = MAX (old->last_seen, at);
		e.count = old->count + 1;
		e.expires_at = (old->expires_at == 0 || expires == 0) ? 0 : MAX (old->expires_at, expires);
	}
	if (!put_entry (store, STMT_SUPP_UPSERT, &e, NULL, error))
		return FALSE;
	change->suppressed = TRUE;
	change->expires_at = e.expires_at;
	return TRUE;
}

static gboolean
row_event_id (const char *const *cols, guint ncols, gpointer data, GError **error)
{
	return row_int64 (cols, ncols, data, error);
}

static gboolean
record_recipient (BounceStore *store, RecordJob *job, const BounceRecipient *rcpt,
		  GError **error)
{
	const BounceReport *report = job->report;
	BounceClass cls = bounce_policy_classify (report->kind, rcpt);
	g_autofree char *address = bounce_address_canonical (rcpt->recipient);
	g_autoptr(BounceChange) change = NULL;

	if (address == NULL && (rcpt->recipient == NULL || rcpt->recipient[0] == '\0'))
		address = bounce_address_canonical (rcpt->original_recipient);

	if (cls == BOUNCE_CLASS_IGNORED || address == NULL) {
		change = change_new (address ? address : S0 (rcpt->recipient), rcpt, cls,
				     BOUNCE_EVENT_SKIPPED);
		change->why = g_strdup (address == NULL ? "no valid recipient address"
					: "not a bounce: not recorded");
		g_ptr_array_add (job->changes, g_steal_pointer (&change));
		return TRUE;
	}

	g_autofree char *key = event_key (report, address, rcpt);
	BounceValue ev[] = {
		BV_TEXT (key), BV_TEXT (address), BV_TEXT (S0 (rcpt->recipient)),
		BV_TEXT (bounce_kind_name (report->kind)), BV_TEXT (bounce_class_name (cls)),
		BV_TEXT (S0 (rcpt->action)), BV_TEXT (rcpt->status), BV_TEXT (rcpt->reply_code),
		BV_TEXT (S0 (rcpt->reason)), BV_TEXT (S0 (rcpt->fault)),
		BV_INT (rcpt->hard_bounce ? 1 : 0), BV_TEXT (S0 (rcpt->diagnostic)),
		BV_TEXT (S0 (rcpt->feedback_type)), BV_TEXT (S0 (report->bounce_message_id)),
		BV_TEXT (S0 (report->orig_message_id)), BV_TEXT (S0 (report->orig_list_id)),
		BV_INT (job->now), BV_INT (job->event_at), BV_TEXT (S0 (job->source)),
	};
	gint64 event_id = 0;
	if (!run (store, STMT_EVENT_INSERT, ev, G_N_ELEMENTS (ev), row_event_id, &event_id,
		  NULL, error))
		return FALSE;

	if (event_id == 0) {
		change = change_new (address, rcpt, cls, BOUNCE_EVENT_DUPLICATE);
		g_autoptr(BounceSuppression) e = NULL;
		if (!get_entry (store, address, &e, error))
			return FALSE;
		change->suppressed = active_at (e, job->now);
		change->expires_at = e != NULL ? e->expires_at : 0;
		change->why = g_strdup ("event seen before: nothing changed");
		g_ptr_array_add (job->changes, g_steal_pointer (&change));
		return TRUE;
	}

	change = change_new (address, rcpt, cls, BOUNCE_EVENT_NEW);
	const BouncePolicy *policy = job->policy;
	gboolean suppress = FALSE;
	switch (cls) {
	case BOUNCE_CLASS_HARD:
		suppress = TRUE;
		change->why = g_strdup ("hard bounce: the address is bad");
		break;
	case BOUNCE_CLASS_COMPLAINT:
		suppress = TRUE;
		change->why = g_strdup ("complaint");
		break;
	case BOUNCE_CLASS_SOFT: {
		guint days = 0;
		if (!soft_days (store, address, job->event_at, policy, &days, error))
			return FALSE;
		suppress = policy->soft_threshold > 0 && days >= policy->soft_threshold;
		change->why = g_strdup_printf ("soft bounce on %u of %u days within %u days",
					       days, policy->soft_threshold,
					       policy->soft_window_days);
		break;
	}
	case BOUNCE_CLASS_SENDER:
		change->why = g_strdup ("sender-side reason: recorded only");
		break;
	case BOUNCE_CLASS_OTHER:
	case BOUNCE_CLASS_IGNORED:
		change->why = g_strdup ("not about the address: recorded only");
		break;
	}

	if (suppress) {
		if (!suppress_address (store, job, address, rcpt, cls, event_id, change, error))
			return FALSE;
	} else {
		g_autoptr(BounceSuppression) e = NULL;
		if (!get_entry (store, address, &e, error))
			return FALSE;
		change->suppressed = active_at (e, job->now);
		change->expires_at = e != NULL ? e->expires_at : 0;
	}
	g_ptr_array_add (job->changes, g_steal_pointer (&change));
	return TRUE;
}

static gboolean
record_report (BounceStore *store, gpointer data, GError **error)
{
	RecordJob *job = data;
	GPtrArray *rcpts = job->report->recipients;

	for (guint i = 0; rcpts != NULL && i < rcpts->len; i++)
		if (!record_recipient (store, job, g_ptr_array_index (rcpts, i), error))
			return FALSE;
	return TRUE;
}

gboolean
bounce_store_record (BounceStore *store, const BounceReport *report, const char *source,
		     const BouncePolicy *policy, gboolean dry_run, GPtrArray *changes,
		     GError **error)
{
	BouncePolicy defaults;
	if (policy == NULL) {
		bounce_policy_init (&defaults);
		policy = &defaults;
	}

	g_autoptr(GPtrArray) mine = bounce_change_array_new ();
	RecordJob job = {
		.report = report,
		.source = source,
		.policy = policy,
		.now = now_seconds (),
		.changes = mine,
	};
	job.event_at = report_time (report, job.now);

	if (report->recipients == NULL || report->recipients->len == 0)
		return TRUE;
	if (!with_transaction (store, dry_run, record_report, &job, record_reset, error))
		return FALSE;
	if (changes != NULL)
		while (mine->len > 0)
			g_ptr_array_add (changes, g_ptr_array_steal_index (mine, 0));
	return TRUE;
}

/* ------------------------------------------------------------------ */
/* Queries and hand edits */

gboolean
bounce_store_get (BounceStore *store, const char *address, BounceSuppression **entry,
		  GError **error)
{
	g_autofree char *canon = canonical_or_error (address, error);
	*entry = NULL;
	return canon != NULL && get_entry (store, canon, entry, error);
}

gboolean
bounce_store_check (BounceStore *store, const char *address, gboolean *suppressed,
		    char **reason, GError **error)
{
	g_autoptr(BounceSuppression) e = NULL;

	*suppressed = FALSE;
	if (reason != NULL)
		*reason = NULL;
	if (!bounce_store_get (store, address, &e, error))
		return FALSE;
	*suppressed = active_at (e, now_seconds ());
	if (*suppressed && reason != NULL)
		*reason = g_strdup (e->reason);
	return TRUE;
}

typedef struct {
	const char *address, *reason, *source, *who, *why;
	gint64      first_seen, expires_at;
	gboolean    replace;
	gboolean    done;
} HandJob;

static gboolean
audit (BounceStore *store, const HandJob *job, const char *action, const char *reason,
       GError **error)
{
	BounceValue p[] = {
		BV_INT (now_seconds ()), BV_TEXT (S0 (job->who)), BV_TEXT (action),
		BV_TEXT (job->address), BV_TEXT (S0 (reason)), BV_TEXT (S0 (job->why)),
	};
	return run (store, STMT_AUDIT_INSERT, p, G_N_ELEMENTS (p), NULL, NULL, NULL, error);
}

static gboolean
add_func (BounceStore *store, gpointer data, GError **error)
{
	HandJob *job = data;
	gint64 now = now_seconds ();
	BounceSuppression e = {
		.address = (char *) job->address, .reason = (char *) job->reason,
		.status = (char *) "", .source = (char *) job->source,
		.first_seen = job->first_seen ? job->first_seen : now,
		.last_seen = job->first_seen ? job->first_seen : now,
		.count = 1, .expires_at = job->expires_at,
	};

	if (job->replace) {
		if (!put_entry (store, STMT_SUPP_UPSERT, &e, NULL, error))
			return FALSE;
		job->done = TRUE;
	} else {
		/* An expired entry does not block a new one. */
		g_autoptr(BounceSuppression) old = NULL;
		if (!get_entry (store, job->address, &old, error))
			return FALSE;
		if (old != NULL && !active_at (old, now)) {
			if (!put_entry (store, STMT_SUPP_UPSERT, &e, NULL, error))
				return FALSE;
			job->done = TRUE;
		} else if (old == NULL) {
			gint64 changed = 0;
			if (!put_entry (store, STMT_SUPP_INSERT_NEW, &e, &changed, error))
				return FALSE;
			job->done = changed > 0;
		}
	}
	return !job->done || audit (store, job, "add", job->reason, error);
}

gboolean
bounce_store_add (BounceStore *store, const char *address, const char *reason,
		  const char *source, gint64 first_seen, gint64 expires_at,
		  gboolean replace, const char *who, const char *why,
		  gboolean *added, GError **error)
{
	if (source == NULL)
		source = "manual";
	if (strcmp (source, "manual") != 0 && strcmp (source, "import") != 0 &&
	    strcmp (source, "bounce") != 0 && strcmp (source, "complaint") != 0) {
		g_set_error (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_INVALID,
			     "unknown source \"%s\"", source);
		return FALSE;
	}
	g_autofree char *canon = canonical_or_error (address, error);
	if (canon == NULL)
		return FALSE;
	HandJob job = {
		.address = canon, .reason = (reason && reason[0]) ? reason : source,
		.source = source, .who = who, .why = why,
		.first_seen = first_seen, .expires_at = expires_at, .replace = replace,
	};
	if (!with_transaction (store, FALSE, add_func, &job, NULL, error))
		return FALSE;
	if (added != NULL)
		*added = job.done;
	return TRUE;
}

static gboolean
row_text (const char *const *cols, guint ncols, gpointer data, GError **error)
{
	char **out = data;
	g_free (*out);
	*out = g_strdup (ncols > 0 ? S0 (cols[0]) : "");
	return TRUE;
}

static gboolean
remove_func (BounceStore *store, gpointer data, GError **error)
{
	HandJob *job = data;
	g_autofree char *reason = NULL;
	BounceValue p[] = { BV_TEXT (job->address) };

	if (!run (store, STMT_SUPP_DELETE, p, 1, row_text, &reason, NULL, error))
		return FALSE;
	job->done = reason != NULL;
	/* Audit even when absent: it also restarts the soft-bounce count. */
	return audit (store, job, "remove", reason, error);
}

gboolean
bounce_store_remove (BounceStore *store, const char *address, const char *who,
		     const char *why, gboolean *removed, GError **error)
{
	g_autofree char *canon = canonical_or_error (address, error);
	if (canon == NULL)
		return FALSE;
	HandJob job = { .address = canon, .who = who, .why = why };
	if (!with_transaction (store, FALSE, remove_func, &job, NULL, error))
		return FALSE;
	if (removed != NULL)
		*removed = job.done;
	return TRUE;
}

typedef struct {
	BounceSuppressionFunc func;
	gpointer              data;
} ForeachJob;

static gboolean
row_foreach (const char *const *cols, guint ncols, gpointer data, GError **error)
{
	ForeachJob *job = data;
	g_autoptr(BounceSuppression) e = suppression_from_row (cols, ncols);
	return job->func (e, job->data, error);
}

gboolean
bounce_store_foreach (BounceStore *store, gboolean include_expired,
		      BounceSuppressionFunc func, gpointer user_data, GError **error)
{
	ForeachJob job = { func, user_data };
	BounceValue p[] = { BV_INT (now_seconds ()) };

	if (include_expired)
		return run (store, STMT_SUPP_LIST_ALL, NULL, 0, row_foreach, &job, NULL, error);
	return run (store, STMT_SUPP_LIST_ACTIVE, p, 1, row_foreach, &job, NULL, error);
}

typedef struct {
	gint64 now;
	gint64 removed;
} PruneJob;

static gboolean
prune_func (BounceStore *store, gpointer data, GError **error)
{
	PruneJob *job = data;
	BounceValue p[] = { BV_INT (job->now) };
	return run (store, STMT_PRUNE, p, 1, NULL, NULL, &job->removed, error);
}

gboolean
bounce_store_prune (BounceStore *store, gint64 now, guint *removed, GError **error)
{
	PruneJob job = { now ? now : now_seconds (), 0 };

	if (!with_transaction (store, FALSE, prune_func, &job, NULL, error))
		return FALSE;
	if (removed != NULL)
		*removed = (guint) job.removed;
	return TRUE;
}

static void
count_free (gpointer p)
{
	BounceCount *c = p;
	g_free (c->key);
	g_free (c);
}

static gboolean
row_count (const char *const *cols, guint ncols, gpointer data, GError **error)
{
	GPtrArray *out = data;
	BounceCount *c = g_new0 (BounceCount, 1);
	c->key = g_strdup (S0 (cols[0]));
	c->count = ncols > 1 ? g_ascii_strtoll (S0 (cols[1]), NULL, 10) : 0;
	g_ptr_array_add (out, c);
	return TRUE;
}

void
bounce_stats_clear (BounceStats *stats)
{
	g_clear_pointer (&stats->by_reason, g_ptr_array_unref);
	g_clear_pointer (&stats->by_source, g_ptr_array_unref);
	g_clear_pointer (&stats->events_by_class, g_ptr_array_unref);
	memset (stats, 0, sizeof *stats);
}

gboolean
bounce_store_stats (BounceStore *store, BounceStats *stats, GError **error)
{
	BounceValue now[] = { BV_INT (now_seconds ()) };

	memset (stats, 0, sizeof *stats);
	stats->by_reason = g_ptr_array_new_with_free_func (count_free);
	stats->by_source = g_ptr_array_new_with_free_func (count_free);
	stats->events_by_class = g_ptr_array_new_with_free_func (count_free);
	if (!run (store, STMT_COUNT_ACTIVE, now, 1, row_int64, &stats->suppressed, NULL, error) ||
	    !run (store, STMT_COUNT_EXPIRED, now, 1, row_int64, &stats->expired, NULL, error) ||
	    !run (store, STMT_COUNT_EVENTS, NULL, 0, row_int64, &stats->events, NULL, error) ||
	    !run (store, STMT_COUNT_AUDIT, NULL, 0, row_int64, &stats->audit, NULL, error) ||
	    !run (store, STMT_BY_REASON, now, 1, row_count, stats->by_reason, NULL, error) ||
	    !run (store, STMT_BY_SOURCE, now, 1, row_count, stats->by_source, NULL, error) ||
	    !run (store, STMT_EVENTS_BY_CLASS, NULL, 0, row_count, stats->events_by_class,
		  NULL, error)) {
		bounce_stats_clear (stats);
		return FALSE;
	}
	return TRUE;
}
