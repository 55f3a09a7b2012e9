/*
 * store/store-private.h - what store.c asks of a database backend
 *
 * SYNOPSIS	gboolean bounce_sqlite_open (BounceStore *store, const char *path,
 *					     GError **error);
 *		gboolean bounce_pg_open (BounceStore *store, const char *conninfo,
 *					 GError **error);
 * DESCRIPTION	store.c holds the policy and every SQL statement; a backend
 *		only runs statements.  Statements are written once, with
 *		$1, $2 ... parameters and SQL that SQLite 3.35+ and
 *		PostgreSQL 11+ both accept (ON CONFLICT, RETURNING, CASE);
 *		each backend prepares a statement on first use and keeps it
 *		under its BounceStmt number.  Rows come back as text
 *		columns (NULL for SQL NULL), as sqlite3_column_text() and
 *		PQgetvalue() give them.
 * OWNERSHIP	A backend owns store->impl and frees it in close().
 */
#ifndef BOUNCE_STORE_PRIVATE_H
#define BOUNCE_STORE_PRIVATE_H

#include "store/store.h"

G_BEGIN_DECLS

typedef enum {
	BOUNCE_VALUE_NULL,
	BOUNCE_VALUE_INT,
	BOUNCE_VALUE_TEXT,
} BounceValueType;

typedef struct {
	BounceValueType type;
	gint64          i;
	const char     *s;		/* borrowed */
} BounceValue;

#define BV_INT(x)  ((BounceValue) { BOUNCE_VALUE_INT, (gint64) (x), NULL })
#define BV_TEXT(x) ((BounceValue) { BOUNCE_VALUE_TEXT, 0, (x) })
#define BV_NULL    ((BounceValue) { BOUNCE_VALUE_NULL, 0, NULL })

/* Statement numbers: an index into store.c's table of SQL texts. */
typedef enum {
	STMT_EVENT_INSERT,
	STMT_SOFT_DAYS,
	STMT_LAST_REMOVAL,
	STMT_SUPP_GET,
	STMT_SUPP_UPSERT,
	STMT_SUPP_INSERT_NEW,
	STMT_SUPP_DELETE,
	STMT_AUDIT_INSERT,
	STMT_SUPP_LIST_ACTIVE,
	STMT_SUPP_LIST_ALL,
	STMT_PRUNE,
	STMT_COUNT_ACTIVE,
	STMT_COUNT_EXPIRED,
	STMT_COUNT_EVENTS,
	STMT_COUNT_AUDIT,
	STMT_BY_REASON,
	STMT_BY_SOURCE,
	STMT_EVENTS_BY_CLASS,
	STMT_N
} BounceStmt;

/* Called once per row; returning FALSE stops the query with that error. */
typedef gboolean (*BounceRowFunc) (const char *const *cols, guint ncols,
				   gpointer user_data, GError **error);

typedef struct {
	const char *name;
	/* The column type of "id" in events and audit. */
	const char *id_type;
	void     (*close) (BounceStore *store);
	/* Run a script of statements without parameters or results. */
	gboolean (*exec) (BounceStore *store, const char *sql, GError **error);
	/* Run statement ID (text SQL) with PARAMS; FUNC gets each row (may be
	 * NULL); *changed (may be NULL) gets the number of rows changed. */
	gboolean (*query) (BounceStore *store, BounceStmt id, const char *sql,
			   const BounceValue *params, guint n_params,
			   BounceRowFunc func, gpointer user_data,
			   gint64 *changed, GError **error);
	/* Start a write transaction. */
	gboolean (*begin) (BounceStore *store, GError **error);
	/* Bring the schema to the last of STEPS (steps[i] makes version i+1). */
	gboolean (*migrate) (BounceStore *store, const char *const *steps,
			     guint n_steps, GError **error);
	void     (*set_timeout) (BounceStore *store, guint msec);
} BounceBackend;

struct BounceStore {
	const BounceBackend *backend;
	gpointer             impl;
	gboolean             in_transaction;	/* opened by bounce_store_begin() */
	guint                timeout_ms;
};

gboolean bounce_sqlite_open (BounceStore *store, const char *path, GError **error);
gboolean bounce_pg_open (BounceStore *store, const char *conninfo, GError **error);

/* The schema for BACKEND, step by step: (transfer full) NULL-terminated. */
char **bounce_store_schema_steps (const BounceBackend *backend, guint *n_steps);

G_END_DECLS

#endif
