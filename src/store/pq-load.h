/*
 * store/pq-load.h - libpq, loaded when a PostgreSQL store is first opened
 *
 * SYNOPSIS	const BouncePq *bounce_pq_load (GError **error);
 * DESCRIPTION	libpq brings in TLS, Kerberos and LDAP libraries whose
 *		loading costs a pipe filter more time than reading a bounce.
 *		The program therefore does not link libpq: the PostgreSQL
 *		backend loads it (libpq.so.5) on first use and calls it
 *		through this table, whose members have libpq's own types.
 *		The SQLite default never pays for it.
 * ERRORS	BOUNCE_STORE_ERROR_UNAVAILABLE when libpq cannot be loaded.
 * OWNERSHIP	The table is static and lives for the process.
 */
#ifndef BOUNCE_PQ_LOAD_H
#define BOUNCE_PQ_LOAD_H

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

#define BOUNCE_PQ_FUNCTIONS(X) \
	X (PQconnectdbParams) X (PQfinish) X (PQstatus) X (PQerrorMessage) \
	X (PQexec) X (PQprepare) X (PQexecPrepared) X (PQresultStatus) \
	X (PQresultErrorMessage) X (PQresultErrorField) X (PQclear) \
	X (PQntuples) X (PQnfields) X (PQgetvalue) X (PQgetisnull) \
	X (PQcmdTuples) X (PQsetNoticeProcessor)

typedef struct {
#define BOUNCE_PQ_MEMBER(name) __typeof__ (&name) name;
	BOUNCE_PQ_FUNCTIONS (BOUNCE_PQ_MEMBER)
#undef BOUNCE_PQ_MEMBER
} BouncePq;

const BouncePq *bounce_pq_load (GError **error);

G_END_DECLS

#endif
