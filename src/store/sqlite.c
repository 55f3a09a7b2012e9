/*
 * store/sqlite.c - the SQLite backend of the suppression list
 *
 * SYNOPSIS	gboolean bounce_sqlite_open (BounceStore *store, const char *path,
 *					     GError **error);
 * DESCRIPTION	Creates missing parent directories 0700 and the database
 *		file 0600 (SQLite gives the -wal and -shm files the mode of
 *		the database), then sets WAL mode, synchronous=FULL (a
 *		committed bounce survives a power cut: the MTA deletes the
 *		message once we exit 0) and a busy timeout (30 s unless
 *		changed).  Write transactions start with BEGIN IMMEDIATE:
 *		a deferred transaction that upgrades to a write after another
 *		connection committed fails at once with SQLITE_BUSY_SNAPSHOT,
 *		whatever the timeout.  Statements are prepared once
 *		($N parameters become ?N) and kept until close.
 *		The schema version is PRAGMA user_version.
 * ERRORS	SQLITE_BUSY/LOCKED: BOUNCE_STORE_ERROR_BUSY.  I/O, full disk,
 *		cannot open, read-only: BOUNCE_STORE_ERROR_UNAVAILABLE.
 *		A newer user_version: BOUNCE_STORE_ERROR_SCHEMA.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "store/store-private.h"

#define MAX_COLUMNS 16

typedef struct {
	sqlite3      *db;
	char         *path;
	sqlite3_stmt *stmts[STMT_N];
} SqliteStore;

static void
set_sqlite_error (GError **error, sqlite3 *db, int rc, const char *what)
{
	int code;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = BOUNCE_STORE_ERROR_BUSY;
		break;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_NOMEM:
	case SQLITE_PROTOCOL:
	case SQLITE_PERM:
	case SQLITE_NOLFS:
	case SQLITE_AUTH:
		code = BOUNCE_STORE_ERROR_UNAVAILABLE;
		break;
	default:
		code = BOUNCE_STORE_ERROR_FAILED;
		break;
	}
	g_set_error (error, BOUNCE_STORE_ERROR, code, "sqlite: %s: %s", what,
		     db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

static void
sqlite_close (BounceStore *store)
{
	SqliteStore *s = store->impl;

	if (s == NULL)
		return;
	for (guint i = 0; i < STMT_N; i++)
		sqlite3_finalize (s->stmts[i]);
	sqlite3_close_v2 (s->db);
	g_free (s->path);
	g_free (s);
	store->impl = NULL;
}

static gboolean
sqlite_exec (BounceStore *store, const char *sql, GError **error)
{
	SqliteStore *s = store->impl;
	int rc = sqlite3_exec (s->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		g_autofree char *what = g_strdup_printf ("%.40s", sql);
		set_sqlite_error (error, s->db, sqlite3_extended_errcode (s->db), what);
		return FALSE;
	}
	return TRUE;
}

/* "$1" -> "?1": SQLite reads $NAME as a named parameter, numbered in order of
 * appearance, which would break statements that use $2 before $1. */
static char *
positional_sql (const char *sql)
{
	char *copy = g_strdup (sql);
	for (char *p = copy; *p; p++)
		if (*p == '$' && g_ascii_isdigit (p[1]))
			*p = '?';
	return copy;
}

static gboolean
sqlite_query (BounceStore *store, BounceStmt id, const char *sql,
	      const BounceValue *params, guint n_params,
	      BounceRowFunc func, gpointer user_data, gint64 *changed, GError **error)
{
	SqliteStore *s = store->impl;
	int rc;

	if (s->stmts[id] == NULL) {
		g_autofree char *text = positional_sql (sql);
		rc = sqlite3_prepare_v3 (s->db, text, -1, SQLITE_PREPARE_PERSISTENT,
					 &s->stmts[id], NULL);
		if (rc != SQLITE_OK) {
			set_sqlite_error (error, s->db, rc, "prepare");
			return FALSE;
		}
	}
	sqlite3_stmt *st = s->stmts[id];	/* borrowed: cached */

	for (guint i = 0; i < n_params; i++) {
		int idx = (int) i + 1;
		switch (params[i].type) {
		case BOUNCE_VALUE_INT:
			rc = sqlite3_bind_int64 (st, idx, params[i].i);
			break;
		case BOUNCE_VALUE_TEXT:
			rc = sqlite3_bind_text (st, idx, params[i].s != NULL ? params[i].s : "",
						-1, SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_null (st, idx);
			break;
		}
		if (rc != SQLITE_OK) {
			set_sqlite_error (error, s->db, rc, "bind");
			sqlite3_clear_bindings (st);
			return FALSE;
		}
	}

	gboolean ok = TRUE;
	while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
		if (func == NULL || !ok)
			continue;
		const char *cols[MAX_COLUMNS];
		guint n = MIN ((guint) sqlite3_column_count (st), MAX_COLUMNS);
		for (guint c = 0; c < n; c++)
			cols[c] = (const char *) sqlite3_column_text (st, (int) c);
		ok = func (cols, n, user_data, error);
	}
	if (rc != SQLITE_DONE) {
		if (ok)
			set_sqlite_error (error, s->db, sqlite3_extended_errcode (s->db), "step");
		ok = FALSE;
	}
	if (ok && changed != NULL)
		*changed = sqlite3_changes (s->db);
	sqlite3_reset (st);
	sqlite3_clear_bindings (st);
	return ok;
}

static gboolean
sqlite_begin (BounceStore *store, GError **error)
{
	return sqlite_exec (store, "BEGIN IMMEDIATE", error);
}

static void
sqlite_set_timeout (BounceStore *store, guint msec)
{
	SqliteStore *s = store->impl;
	sqlite3_busy_timeout (s->db, (int) MIN (msec, (guint) G_MAXINT));
}

static gboolean
user_version (SqliteStore *s, gint64 *version, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2 (s->db, "PRAGMA user_version", -1, &st, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step (st);
		if (rc == SQLITE_ROW) {
			*version = sqlite3_column_int64 (st, 0);
			rc = SQLITE_OK;
		}
	}
	if (rc != SQLITE_OK)
		set_sqlite_error (error, s->db, sqlite3_extended_errcode (s->db),
				  "reading the schema version");
	sqlite3_finalize (st);
	return rc == SQLITE_OK;
}

static gboolean
sqlite_migrate (BounceStore *store, const char *const *steps, guint n_steps, GError **error)
{
	SqliteStore *s = store->impl;
	gint64 version = 0;
	g_autofree char *set = NULL;

	if (!user_version (s, &version, error))
		return FALSE;
	if (version == n_steps)
		return TRUE;
	if (!sqlite_begin (store, error))
		return FALSE;
	/* Another process may have migrated while we waited for the lock. */
	if (!user_version (s, &version, error))
		goto failed;
	if (version > n_steps) {
		g_set_error (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_SCHEMA,
			     "%s: schema version %" G_GINT64_FORMAT " is newer than this "
			     "program's (%u)", s->path, version, n_steps);
		goto failed;
	}
	for (guint v = (guint) version; v < n_steps; v++)
		if (!sqlite_exec (store, steps[v], error))
			goto failed;
	set = g_strdup_printf ("PRAGMA user_version = %u", n_steps);
	if (!sqlite_exec (store, set, error) || !sqlite_exec (store, "COMMIT", error))
		goto failed;
	return TRUE;
failed:
	sqlite3_exec (s->db, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}

/* Switching to WAL needs a moment alone with the file: wait for it as the
 * busy timeout would. */
static gboolean
set_wal (BounceStore *store, GError **error)
{
	SqliteStore *s = store->impl;
	gint64 deadline = g_get_monotonic_time () + (gint64) store->timeout_ms * 1000;

	for (;;) {
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2 (s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
		gboolean wal = FALSE;
		if (rc == SQLITE_OK && (rc = sqlite3_step (st)) == SQLITE_ROW) {
			const char *mode = (const char *) sqlite3_column_text (st, 0);
			wal = mode != NULL && g_ascii_strcasecmp (mode, "wal") == 0;
			rc = SQLITE_OK;
		}
		int ext = sqlite3_extended_errcode (s->db);
		sqlite3_finalize (st);
		if (wal)
			return TRUE;
		if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
			set_sqlite_error (error, s->db, ext, "setting WAL mode");
			return FALSE;
		}
		if (g_get_monotonic_time () > deadline) {
			g_set_error (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_BUSY,
				     "sqlite: %s: locked: cannot switch to WAL mode", s->path);
			return FALSE;
		}
		g_usleep (g_random_int_range (2000, 20000));
	}
}

static const BounceBackend sqlite_backend = {
	.name = "sqlite",
	.id_type = "INTEGER PRIMARY KEY",
	.close = sqlite_close,
	.exec = sqlite_exec,
	.query = sqlite_query,
	.begin = sqlite_begin,
	.migrate = sqlite_migrate,
	.set_timeout = sqlite_set_timeout,
};

/* Parent directories 0700, the file 0600, both only when we create them. */
static gboolean
prepare_file (const char *path, GError **error)
{
	g_autofree char *dir = g_path_get_dirname (path);

	if (g_mkdir_with_parents (dir, 0700) != 0) {
		int saved = errno;
		g_set_error (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_UNAVAILABLE,
			     "cannot create %s: %s", dir, g_strerror (saved));
		return FALSE;
	}
	int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		int saved = errno;
		g_set_error (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_UNAVAILABLE,
			     "cannot open %s: %s", path, g_strerror (saved));
		return FALSE;
	}
	close (fd);
	return TRUE;
}

gboolean
bounce_sqlite_open (BounceStore *store, const char *path, GError **error)
{
	if (!prepare_file (path, error))
		return FALSE;

	SqliteStore *s = g_new0 (SqliteStore, 1);
	s->path = g_strdup (path);
	store->impl = s;
	store->backend = &sqlite_backend;

	int rc = sqlite3_open_v2 (path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		g_autofree char *what = g_strdup_printf ("opening %s", path);
		set_sqlite_error (error, s->db, rc, what);
		sqlite_close (store);
		return FALSE;
	}
	sqlite3_extended_result_codes (s->db, 1);
	sqlite_set_timeout (store, store->timeout_ms);
	if (!set_wal (store, error) ||
	    !sqlite_exec (store, "PRAGMA synchronous = FULL", error)) {
		sqlite_close (store);
		return FALSE;
	}
	return TRUE;
}
