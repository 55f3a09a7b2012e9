/*
 * store/pg.c - the PostgreSQL backend of the suppression list
 *
 * SYNOPSIS	gboolean bounce_pg_open (BounceStore *store, const char *conninfo,
 *					 GError **error);
 * DESCRIPTION	CONNINFO is anything libpq takes (postgresql:// URI or
 *		"key=value ..."); fallback_application_name is bouncefilter.
 *		Statements are prepared on first use (named bf_N) with the
 *		parameter types of that first call; ints travel as text.
 *		Write transactions run at READ COMMITTED and first take a
 *		transaction-scoped advisory lock shared by all writers, so
 *		that writers queue instead of deadlocking and each decision
 *		sees every event committed before it; lock_timeout (the
 *		store timeout, 30 s) bounds the wait.  Every write is an
 *		INSERT ... ON CONFLICT, idempotent whoever runs it.
 *		Deadlocks and serialization failures (from writers outside
 *		this program) are reported as CONFLICT, which store.c
 *		retries.  Server notices are dropped.
 *		The schema version is the one row of table schema_version;
 *		migrations run under an advisory lock, so concurrent first
 *		starts do not race.
 * ERRORS	No connection, class 08 (connection), 53 (resources), 57P
 *		(shutdown): UNAVAILABLE.  55P03 lock_not_available, 57014
 *		(timeout): BUSY.  40001, 40P01: CONFLICT.  Else FAILED.
 */
#include "config.h"

#include <string.h>

#include "store/pq-load.h"
#include "store/store-private.h"

/* libpq is loaded on first use (pq-load.h): its calls go through the table */
static const BouncePq *pq;
#define PQconnectdbParams	pq->PQconnectdbParams
#define PQfinish		pq->PQfinish
#define PQstatus		pq->PQstatus
#define PQerrorMessage		pq->PQerrorMessage
#define PQexec			pq->PQexec
#define PQprepare		pq->PQprepare
#define PQexecPrepared		pq->PQexecPrepared
#define PQresultStatus		pq->PQresultStatus
#define PQresultErrorMessage	pq->PQresultErrorMessage
#define PQresultErrorField	pq->PQresultErrorField
#define PQclear			pq->PQclear
#define PQntuples		pq->PQntuples
#define PQnfields		pq->PQnfields
#define PQgetvalue		pq->PQgetvalue
#define PQgetisnull		pq->PQgetisnull
#define PQcmdTuples		pq->PQcmdTuples
#define PQsetNoticeProcessor	pq->PQsetNoticeProcessor

#define MAX_COLUMNS	16
#define PG_INT8OID	20
#define PG_TEXTOID	25
#define MIGRATE_LOCK	"7256043101"
#define WRITE_LOCK	"7256043102"

typedef struct {
	PGconn   *conn;
	gboolean  prepared[STMT_N];
} PgStore;

static void
set_pg_error (GError **error, PGconn *conn, const PGresult *res, const char *what)
{
	const char *state = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res != NULL ? PQresultErrorMessage (res) : "";
	int code = BOUNCE_STORE_ERROR_FAILED;

	if (msg == NULL || msg[0] == '\0')
		msg = PQerrorMessage (conn);
	if (PQstatus (conn) != CONNECTION_OK)
		code = BOUNCE_STORE_ERROR_UNAVAILABLE;
	else if (state == NULL)
		code = BOUNCE_STORE_ERROR_FAILED;
	else if (strcmp (state, "40001") == 0 || strcmp (state, "40P01") == 0)
		code = BOUNCE_STORE_ERROR_CONFLICT;
	else if (strcmp (state, "55P03") == 0 || strcmp (state, "57014") == 0)
		code = BOUNCE_STORE_ERROR_BUSY;
	else if (g_str_has_prefix (state, "08") || g_str_has_prefix (state, "53") ||
		 g_str_has_prefix (state, "57P"))
		code = BOUNCE_STORE_ERROR_UNAVAILABLE;

	g_autofree char *line = g_strstrip (g_strdup (msg));
	g_set_error (error, BOUNCE_STORE_ERROR, code, "postgresql: %s: %s%s%s%s", what, line,
		     state ? " (" : "", state ? state : "", state ? ")" : "");
}

static void
pg_close (BounceStore *store)
{
	PgStore *s = store->impl;

	if (s == NULL)
		return;
	PQfinish (s->conn);
	g_free (s);
	store->impl = NULL;
}

static gboolean
pg_exec (BounceStore *store, const char *sql, GError **error)
{
	PgStore *s = store->impl;
	PGresult *res = PQexec (s->conn, sql);
	ExecStatusType st = PQresultStatus (res);
	gboolean ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

	if (!ok) {
		g_autofree char *what = g_strdup_printf ("%.40s", sql);
		set_pg_error (error, s->conn, res, what);
	}
	PQclear (res);
	return ok;
}

static gboolean
pg_query (BounceStore *store, BounceStmt id, const char *sql,
	  const BounceValue *params, guint n_params,
	  BounceRowFunc func, gpointer user_data, gint64 *changed, GError **error)
{
	PgStore *s = store->impl;
	char name[16];
	const char *values[32];
	char numbers[32][24];

	g_return_val_if_fail (n_params <= G_N_ELEMENTS (values), FALSE);
	g_snprintf (name, sizeof name, "bf_%u", (guint) id);

	if (!s->prepared[id]) {
		Oid types[32];
		for (guint i = 0; i < n_params; i++)
			types[i] = params[i].type == BOUNCE_VALUE_INT ? PG_INT8OID :
				   params[i].type == BOUNCE_VALUE_TEXT ? PG_TEXTOID : 0;
		PGresult *res = PQprepare (s->conn, name, sql, (int) n_params, types);
		gboolean ok = PQresultStatus (res) == PGRES_COMMAND_OK;
		if (!ok)
			set_pg_error (error, s->conn, res, "prepare");
		PQclear (res);
		if (!ok)
			return FALSE;
		s->prepared[id] = TRUE;
	}

	for (guint i = 0; i < n_params; i++) {
		switch (params[i].type) {
		case BOUNCE_VALUE_INT:
			g_snprintf (numbers[i], sizeof numbers[i], "%" G_GINT64_FORMAT, params[i].i);
			values[i] = numbers[i];
			break;
		case BOUNCE_VALUE_TEXT:
			values[i] = params[i].s != NULL ? params[i].s : "";
			break;
		default:
			values[i] = NULL;
			break;
		}
	}

	PGresult *res = PQexecPrepared (s->conn, name, (int) n_params, values, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus (res);
	gboolean ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
	if (!ok) {
		set_pg_error (error, s->conn, res, "query");
		PQclear (res);
		return FALSE;
	}
	int nrows = PQntuples (res);
	guint ncols = MIN ((guint) PQnfields (res), MAX_COLUMNS);
	for (int r = 0; ok && func != NULL && r < nrows; r++) {
		const char *cols[MAX_COLUMNS];
		for (guint c = 0; c < ncols; c++)
			cols[c] = PQgetisnull (res, r, (int) c) ? NULL : PQgetvalue (res, r, (int) c);
		ok = func (cols, ncols, user_data, error);
	}
	if (ok && changed != NULL) {
		const char *tuples = PQcmdTuples (res);
		*changed = tuples[0] ? g_ascii_strtoll (tuples, NULL, 10) : 0;
	}
	PQclear (res);
	return ok;
}

/* One writer at a time, as SQLite's BEGIN IMMEDIATE: per-address locks held
 * until the commit of a batch deadlock as soon as two batches share
 * addresses in another order, and the soft-bounce count must see every
 * earlier event of the address.  Readers are never blocked. */
static gboolean
pg_begin (BounceStore *store, GError **error)
{
	if (!pg_exec (store, "BEGIN ISOLATION LEVEL READ COMMITTED", error))
		return FALSE;
	if (!pg_exec (store, "SELECT pg_advisory_xact_lock(" WRITE_LOCK ")", error)) {
		g_autoptr(GError) ignored = NULL;
		pg_exec (store, "ROLLBACK", &ignored);
		return FALSE;
	}
	return TRUE;
}

static void
pg_set_timeout (BounceStore *store, guint msec)
{
	g_autofree char *sql = g_strdup_printf ("SET lock_timeout = %u", msec);
	g_autoptr(GError) ignored = NULL;
	pg_exec (store, sql, &ignored);
}

static gboolean
row_version (const char *const *cols, guint ncols, gpointer data, GError **error)
{
	gint64 *out = data;
	*out = (ncols > 0 && cols[0] != NULL) ? g_ascii_strtoll (cols[0], NULL, 10) : 0;
	return TRUE;
}

static gboolean
pg_version (BounceStore *store, gint64 *version, GError **error)
{
	PgStore *s = store->impl;
	PGresult *res = PQexec (s->conn,
				"SELECT coalesce(max(version), 0) FROM schema_version");
	gboolean ok = PQresultStatus (res) == PGRES_TUPLES_OK;

	if (ok) {
		const char *cols[1] = { PQgetvalue (res, 0, 0) };
		row_version (cols, 1, version, NULL);
	} else {
		set_pg_error (error, s->conn, res, "reading the schema version");
	}
	PQclear (res);
	return ok;
}

static gboolean
pg_migrate (BounceStore *store, const char *const *steps, guint n_steps, GError **error)
{
	gint64 version = 0;
	g_autofree char *set = NULL;

	/* Quick path: up to date (the table may not exist yet). */
	{
		g_autoptr(GError) ignored = NULL;
		if (pg_exec (store, "SELECT 1 FROM schema_version LIMIT 1", &ignored) &&
		    pg_version (store, &version, &ignored) && version == n_steps)
			return TRUE;
	}
	if (!pg_begin (store, error))
		return FALSE;
	if (!pg_exec (store, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")", error) ||
	    !pg_exec (store, "CREATE TABLE IF NOT EXISTS schema_version"
		      " (version INTEGER NOT NULL)", error) ||
	    !pg_version (store, &version, error))
		goto failed;
	if (version > n_steps) {
		g_set_error (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_SCHEMA,
			     "postgresql: schema version %" G_GINT64_FORMAT " is newer than "
			     "this program's (%u)", version, n_steps);
		goto failed;
	}
	for (guint v = (guint) version; v < n_steps; v++)
		if (!pg_exec (store, steps[v], error))
			goto failed;
	set = g_strdup_printf ("DELETE FROM schema_version;"
			       "INSERT INTO schema_version VALUES (%u)", n_steps);
	if (!pg_exec (store, set, error) || !pg_exec (store, "COMMIT", error))
		goto failed;
	return TRUE;
failed:
	{
		g_autoptr(GError) ignored = NULL;
		pg_exec (store, "ROLLBACK", &ignored);
	}
	return FALSE;
}

static const BounceBackend pg_backend = {
	.name = "postgresql",
	.id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.close = pg_close,
	.exec = pg_exec,
	.query = pg_query,
	.begin = pg_begin,
	.migrate = pg_migrate,
	.set_timeout = pg_set_timeout,
};

static void
drop_notice (void *arg, const char *message)
{
}

gboolean
bounce_pg_open (BounceStore *store, const char *conninfo, GError **error)
{
	/* Later keywords win: the caller's conninfo comes last. */
	const char *const keys[] = { "connect_timeout", "fallback_application_name", "dbname", NULL };
	const char *const values[] = { "10", "bouncefilter", conninfo, NULL };

	PgStore *s;

	if ((pq = bounce_pq_load (error)) == NULL)
		return FALSE;
	s = g_new0 (PgStore, 1);
	store->impl = s;
	store->backend = &pg_backend;
	/* expand_dbname: the dbname value is itself a URI or conninfo string. */
	s->conn = PQconnectdbParams (keys, values, 1);
	if (s->conn == NULL || PQstatus (s->conn) != CONNECTION_OK) {
		g_autofree char *msg = g_strstrip (g_strdup (s->conn ? PQerrorMessage (s->conn)
								     : "out of memory"));
		g_set_error (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_UNAVAILABLE,
			     "postgresql: cannot connect: %s", msg);
		pg_close (store);
		return FALSE;
	}
	PQsetNoticeProcessor (s->conn, drop_notice, NULL);
	if (!pg_exec (store, "SET client_min_messages = warning", error)) {
		pg_close (store);
		return FALSE;
	}
	pg_set_timeout (store, store->timeout_ms);
	return TRUE;
}
