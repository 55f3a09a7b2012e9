/*
 * knowledge/explain.h - say what status codes, reply codes and bounce texts mean
 *
 * SYNOPSIS	gboolean bounce_explain (const char *const *args, int nargs,
 *					 gboolean json, GString *out, GError **error);
 *		JsonNode *bounce_explain_json (const char *const *args, int nargs,
 *					       GError **error);
 * DESCRIPTION	The library side of "bouncefilter explain CODE...".  Each
 *		query is a reply code, an enhanced status code, diagnostic
 *		text, or a mix ("550 5.1.1", "4.7.0", "452 4.2.2 mailbox
 *		full").  An argument that starts with a code starts a new
 *		query, except that a bare reply code followed by an argument
 *		starting with a status code stays one query ("550" "5.1.1");
 *		arguments without a code add text to the current query.
 *		For every query the answer gives the code rows (meaning,
 *		class, whose problem, causes, fix), "no entry for ..." plus the
 *		class and subject meaning for a code the tables lack, and the
 *		reason the classifier gives.
 *		bounce_explain() appends a text rendering, or with JSON a
 *		pretty-printed JSON array, to OUT; it never prints.
 * ERRORS	BOUNCE_ERROR_USAGE when there is nothing to explain.
 * OWNERSHIP	bounce_explain_json() returns a new node (transfer full).
 * SEE ALSO	codes.h, classify.h
 */
#ifndef BOUNCE_EXPLAIN_H
#define BOUNCE_EXPLAIN_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean  bounce_explain (const char *const *args, int nargs, gboolean json,
			  GString *out, GError **error);
JsonNode *bounce_explain_json (const char *const *args, int nargs, GError **error);

G_END_DECLS

#endif
