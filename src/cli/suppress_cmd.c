/*
 * cli/suppress_cmd.c - bouncefilter suppress list|check|add|remove|export|import|prune|stats
 *
 * SYNOPSIS	bouncefilter suppress COMMAND [--db URI] [OPTION...] [ARG...]
 * DESCRIPTION	list	entries in force (--all: expired too) as a table
 *		check	ADDR...: exit 0 when none is suppressed, 1 when one is
 *		add	ADDR... [--reason R] [--expires DAYS] [--why TEXT]
 *		remove	ADDR... --why TEXT (audited: who and why)
 *		export	[--format plain|csv|json|postfix] [--output FILE]
 *		import	FILE|- ... [--format auto|plain|csv|json]: our own
 *			exports, and the suppression-list exports of Amazon
 *			SES (CSV EMAIL_ADDRESS,REASON; JSON from
 *			list-suppressed-destinations), SendGrid (CSV email,
 *			created,reason,status), Mailgun (CSV address,code,
 *			error,created_at) and Postmark (CSV or JSON Email/
 *			EmailAddress, Reason/SuppressionReason, CreatedAt).
 *			Columns are found by their header names.
 *		prune	delete expired entries
 *		stats	counts by reason, source and event class
 *		--db URI picks the store (see store/store.h); default: the
 *		SQLite file under $XDG_DATA_HOME/bouncefilter.
 * EXIT		0 done; 1 check found a suppressed address; 64 usage;
 *		65 bad input data (import, check of a non-address);
 *		75 store unavailable or busy: try again later.
 * LIMITS	Import lines of any length; one file is read into memory.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include <gmime/gmime.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cli/suppress_cmd.h"
#include "store/store.h"

#define DAY 86400

static void
say_error (const char *fmt, ...) G_GNUC_PRINTF (1, 2);

static void
say_error (const char *fmt, ...)
{
	va_list ap;

	va_start (ap, fmt);
	fputs ("bouncefilter suppress: ", stderr);
	vfprintf (stderr, fmt, ap);
	fputc ('\n', stderr);
	va_end (ap);
}

int
bounce_store_exit_code (const GError *error)
{
	if (error == NULL)
		return EX_OK;
	if (g_error_matches (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_INVALID))
		return EX_USAGE;
	return EX_TEMPFAIL;
}

char *
bounce_cli_who (void)
{
	const char *name = getlogin ();		/* borrowed: static */
	const char *const vars[] = { "SUDO_USER", "USER", "LOGNAME" };

	if (name != NULL && name[0] != '\0')
		return g_strdup (name);
	for (gsize i = 0; i < G_N_ELEMENTS (vars); i++) {
		const char *v = g_getenv (vars[i]);
		if (v != NULL && v[0] != '\0')
			return g_strdup (v);
	}
	return g_strdup (g_get_user_name ());
}

static int
fail (const GError *error)
{
	say_error ("%s", error->message);
	return bounce_store_exit_code (error);
}

/* A common option, and the context every subcommand starts from. */
static char *opt_db;

static GOptionContext *
context_new (const char *args, const char *summary, const GOptionEntry *entries)
{
	const GOptionEntry common[] = {
		{ "db", 'd', 0, G_OPTION_ARG_STRING, &opt_db,
		  "Store: sqlite:PATH, PATH, postgresql://... or a libpq conninfo", "URI" },
		{ NULL }
	};
	GOptionContext *ctx = g_option_context_new (args);

	g_option_context_set_summary (ctx, summary);
	g_option_context_add_main_entries (ctx, common, NULL);
	if (entries != NULL)
		g_option_context_add_main_entries (ctx, entries, NULL);
	return ctx;
}

static gboolean
parse_args (GOptionContext *ctx, int *argc, char ***argv)
{
	g_autoptr(GError) error = NULL;

	if (!g_option_context_parse (ctx, argc, argv, &error)) {
		say_error ("%s", error->message);
		return FALSE;
	}
	return TRUE;
}

static BounceStore *
open_store (GError **error)
{
	return bounce_store_open (opt_db, error);
}

/* ------------------------------------------------------------------ */
/* Output helpers */

static char *
format_time (gint64 t)
{
	if (t <= 0)
		return g_strdup ("");
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
	return dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

/* Valid UTF-8 without control characters (json-glib 1.6 writes 0x1f raw). */
static char *
clean_text (const char *text)
{
	char *out = g_utf8_make_valid (text != NULL ? text : "", -1);
	for (char *p = out; *p; p++)
		if ((guchar) *p < 0x20 || *p == 0x7f)
			*p = ' ';
	return out;
}

static void
csv_field (GString *line, const char *value, gboolean last)
{
	g_autofree char *v = clean_text (value);

	if (strpbrk (v, ",\"") != NULL || v[0] == ' ') {
		g_string_append_c (line, '"');
		for (const char *p = v; *p; p++) {
			if (*p == '"')
				g_string_append_c (line, '"');
			g_string_append_c (line, *p);
		}
		g_string_append_c (line, '"');
	} else {
		g_string_append (line, v);
	}
	g_string_append_c (line, last ? '\n' : ',');
}

typedef enum {
	FORMAT_TABLE,
	FORMAT_PLAIN,
	FORMAT_CSV,
	FORMAT_JSON,
	FORMAT_POSTFIX,
} OutFormat;

typedef struct {
	OutFormat    format;
	FILE        *out;
	JsonBuilder *json;
	guint        n;
} Writer;

static const char *
postfix_code (const BounceSuppression *e)
{
	static const struct { const char *reason, *code; } codes[] = {
		{ "mailboxfull", "5.2.2" }, { "suspend", "5.2.1" }, { "systemfull", "5.3.1" },
		{ "hostunknown", "5.1.2" }, { "hasmoved", "5.1.6" }, { "feedback", "5.7.1" },
	};
	const char *s = e->status;

	if (s[0] == '5' && s[1] == '.' && g_ascii_isdigit (s[2]) && s[3] == '.' &&
	    g_ascii_isdigit (s[4]) && strlen (s) <= 9)
		return s;
	for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
		if (strcmp (e->reason, codes[i].reason) == 0)
			return codes[i].code;
	return "5.1.1";
}

static gboolean
write_entry (const BounceSuppression *e, gpointer data, GError **error)
{
	Writer *w = data;
	g_autofree char *first = format_time (e->first_seen);
	g_autofree char *last = format_time (e->last_seen);
	g_autofree char *expires = format_time (e->expires_at);
	g_autofree char *reason = clean_text (e->reason);

	w->n++;
	switch (w->format) {
	case FORMAT_TABLE:
		fprintf (w->out, "%-40s %-14s %-9s %-20s %s\n", e->address, reason, e->source,
			 last, e->expires_at ? expires : "never");
		break;
	case FORMAT_PLAIN:
		fprintf (w->out, "%s\n", e->address);
		break;
	case FORMAT_POSTFIX: {
		g_autofree char *text = g_strdup (reason[0] ? reason : "suppressed");
		g_strdelimit (text, " \t", '_');
		fprintf (w->out, "%s REJECT %s %s\n", e->address, postfix_code (e), text);
		break;
	}
	case FORMAT_CSV: {
		g_autoptr(GString) line = g_string_new (NULL);
		g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, e->count);
		if (w->n == 1)
			fputs ("address,reason,status,source,first_seen,last_seen,count,expires_at\n",
			       w->out);
		csv_field (line, e->address, FALSE);
		csv_field (line, reason, FALSE);
		csv_field (line, e->status, FALSE);
		csv_field (line, e->source, FALSE);
		csv_field (line, first, FALSE);
		csv_field (line, last, FALSE);
		csv_field (line, count, FALSE);
		csv_field (line, expires, TRUE);
		fputs (line->str, w->out);
		break;
	}
	case FORMAT_JSON: {
		g_autofree char *address = clean_text (e->address);
		g_autofree char *status = clean_text (e->status);
		JsonBuilder *b = w->json;	/* borrowed */
		json_builder_begin_object (b);
		json_builder_set_member_name (b, "address");
		json_builder_add_string_value (b, address);
		json_builder_set_member_name (b, "reason");
		json_builder_add_string_value (b, reason);
		json_builder_set_member_name (b, "status");
		json_builder_add_string_value (b, status);
		json_builder_set_member_name (b, "source");
		json_builder_add_string_value (b, e->source);
		json_builder_set_member_name (b, "first_seen");
		json_builder_add_string_value (b, first);
		json_builder_set_member_name (b, "last_seen");
		json_builder_add_string_value (b, last);
		json_builder_set_member_name (b, "count");
		json_builder_add_int_value (b, e->count);
		json_builder_set_member_name (b, "expires_at");
		if (e->expires_at)
			json_builder_add_string_value (b, expires);
		else
			json_builder_add_null_value (b);
		json_builder_end_object (b);
		break;
	}
	}
	return TRUE;
}

static gboolean
parse_out_format (const char *name, OutFormat *format, gboolean table_ok)
{
	static const struct { const char *name; OutFormat format; } names[] = {
		{ "table", FORMAT_TABLE }, { "plain", FORMAT_PLAIN }, { "csv", FORMAT_CSV },
		{ "json", FORMAT_JSON }, { "postfix", FORMAT_POSTFIX },
	};
	for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
		if (g_strcmp0 (name, names[i].name) == 0 &&
		    (table_ok || names[i].format != FORMAT_TABLE)) {
			*format = names[i].format;
			return TRUE;
		}
	say_error ("unknown format \"%s\" (%splain, csv, json, postfix)", name,
		   table_ok ? "table, " : "");
	return FALSE;
}

static int
dump (gboolean all, OutFormat format, const char *output)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceStore) store = open_store (&error);
	Writer w = { .format = format, .out = stdout };
	g_autofree char *tmp = NULL;

	if (store == NULL)
		return fail (error);
	if (output != NULL && strcmp (output, "-") != 0) {
		/* Write beside the target and rename: readers never see half a map. */
		tmp = g_strdup_printf ("%s.tmp.%d", output, (int) getpid ());
		w.out = fopen (tmp, "w");
		if (w.out == NULL) {
			say_error ("%s: %s", tmp, g_strerror (errno));
			return EX_CANTCREAT;
		}
	}
	if (format == FORMAT_JSON) {
		w.json = json_builder_new ();
		json_builder_begin_array (w.json);
	}
	gboolean ok = bounce_store_foreach (store, all, write_entry, &w, &error);
	if (ok && format == FORMAT_JSON) {
		json_builder_end_array (w.json);
		g_autoptr(JsonNode) root = json_builder_get_root (w.json);
		g_autoptr(JsonGenerator) gen = json_generator_new ();
		json_generator_set_pretty (gen, TRUE);
		json_generator_set_root (gen, root);
		g_autofree char *text = json_generator_to_data (gen, NULL);
		fputs (text, w.out);
		fputc ('\n', w.out);
	}
	g_clear_object (&w.json);
	int code = ok ? EX_OK : fail (error);
	if (tmp != NULL) {
		if (fflush (w.out) != 0 || fsync (fileno (w.out)) != 0)
			ok = FALSE;
		if (fclose (w.out) != 0)
			ok = FALSE;
		if (ok && rename (tmp, output) != 0)
			ok = FALSE;
		if (!ok) {
			if (code == EX_OK) {
				say_error ("%s: %s", output, g_strerror (errno));
				code = EX_IOERR;
			}
			g_unlink (tmp);
		}
	} else if (fflush (stdout) != 0) {
		say_error ("write error: %s", g_strerror (errno));
		code = EX_IOERR;
	}
	return code;
}

/* ------------------------------------------------------------------ */
/* list, export */

static int
cmd_list (int argc, char **argv)
{
	gboolean all = FALSE;
	g_autofree char *format = NULL;
	const GOptionEntry entries[] = {
		{ "all", 'a', 0, G_OPTION_ARG_NONE, &all, "Include expired entries", NULL },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format,
		  "table (default), plain, csv, json, postfix", "FORMAT" },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = context_new ("", "List the suppressed addresses.", entries);
	OutFormat f = FORMAT_TABLE;

	if (!parse_args (ctx, &argc, &argv) || (format && !parse_out_format (format, &f, TRUE)))
		return EX_USAGE;
	return dump (all, f, NULL);
}

static int
cmd_export (int argc, char **argv)
{
	gboolean all = FALSE;
	g_autofree char *format = NULL, *output = NULL;
	const GOptionEntry entries[] = {
		{ "all", 'a', 0, G_OPTION_ARG_NONE, &all, "Include expired entries", NULL },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format,
		  "plain (default), csv, json, postfix (an access map)", "FORMAT" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
		  "Write to FILE (atomically) instead of stdout", "FILE" },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = context_new ("", "Export the suppression list.", entries);
	OutFormat f = FORMAT_PLAIN;

	if (!parse_args (ctx, &argc, &argv) || (format && !parse_out_format (format, &f, FALSE)))
		return EX_USAGE;
	return dump (all, f, output);
}

/* ------------------------------------------------------------------ */
/* check, add, remove */

static int
cmd_check (int argc, char **argv)
{
	gboolean quiet = FALSE;
	const GOptionEntry entries[] = {
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing, only exit", NULL },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = context_new ("ADDRESS...",
		"Exit 0 when no ADDRESS is suppressed, 1 when one is.", entries);
	g_autoptr(GError) error = NULL;
	gboolean any = FALSE, bad = FALSE;

	if (!parse_args (ctx, &argc, &argv))
		return EX_USAGE;
	if (argc < 2) {
		say_error ("check: no address given");
		return EX_USAGE;
	}
	g_autoptr(BounceStore) store = open_store (&error);
	if (store == NULL)
		return fail (error);
	for (int i = 1; i < argc; i++) {
		gboolean suppressed = FALSE;
		g_autofree char *reason = NULL;
		if (!bounce_store_check (store, argv[i], &suppressed, &reason, &error)) {
			if (!g_error_matches (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_INVALID))
				return fail (error);
			say_error ("%s", error->message);
			g_clear_error (&error);
			bad = TRUE;
			continue;
		}
		any |= suppressed;
		if (!quiet)
			printf ("%s\t%s%s%s\n", argv[i], suppressed ? "suppressed" : "ok",
				suppressed ? "\t" : "", suppressed ? reason : "");
	}
	if (any)
		return 1;
	return bad ? EX_DATAERR : EX_OK;
}

static int
cmd_add (int argc, char **argv)
{
	g_autofree char *reason = NULL, *why = NULL;
	gint days = 0;
	const GOptionEntry entries[] = {
		{ "reason", 'r', 0, G_OPTION_ARG_STRING, &reason,
		  "Reason (default: manual)", "REASON" },
		{ "expires", 'e', 0, G_OPTION_ARG_INT, &days,
		  "Expire after DAYS days (default: never)", "DAYS" },
		{ "why", 'w', 0, G_OPTION_ARG_STRING, &why, "Why, for the audit record", "TEXT" },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = context_new ("ADDRESS...",
		"Suppress ADDRESS by hand (audited).", entries);
	g_autoptr(GError) error = NULL;

	if (!parse_args (ctx, &argc, &argv))
		return EX_USAGE;
	if (argc < 2 || days < 0) {
		say_error ("add: %s", argc < 2 ? "no address given" : "--expires must be >= 0");
		return EX_USAGE;
	}
	g_autoptr(BounceStore) store = open_store (&error);
	if (store == NULL)
		return fail (error);
	g_autofree char *who = bounce_cli_who ();
	gint64 expires = days > 0 ? g_get_real_time () / G_USEC_PER_SEC + (gint64) days * DAY : 0;
	for (int i = 1; i < argc; i++)
		if (!bounce_store_add (store, argv[i], reason ? reason : "manual", "manual", 0,
				       expires, TRUE, who, why, NULL, &error))
			return fail (error);
	return EX_OK;
}

static int
cmd_remove (int argc, char **argv)
{
	g_autofree char *why = NULL;
	const GOptionEntry entries[] = {
		{ "why", 'w', 0, G_OPTION_ARG_STRING, &why,
		  "Why (required; kept in the audit table with your login)", "TEXT" },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = context_new ("ADDRESS...",
		"Remove ADDRESS from the list (audited).", entries);
	g_autoptr(GError) error = NULL;

	if (!parse_args (ctx, &argc, &argv))
		return EX_USAGE;
	if (argc < 2 || why == NULL || why[0] == '\0') {
		say_error ("remove: %s", argc < 2 ? "no address given" : "--why TEXT is required");
		return EX_USAGE;
	}
	g_autoptr(BounceStore) store = open_store (&error);
	if (store == NULL)
		return fail (error);
	g_autofree char *who = bounce_cli_who ();
	for (int i = 1; i < argc; i++) {
		gboolean removed = FALSE;
		if (!bounce_store_remove (store, argv[i], who, why, &removed, &error))
			return fail (error);
		if (!removed)
			say_error ("%s was not on the list", argv[i]);
	}
	return EX_OK;
}

/* ------------------------------------------------------------------ */
/* prune, stats */

static int
cmd_prune (int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx = context_new ("", "Delete expired entries.", NULL);
	g_autoptr(GError) error = NULL;
	guint removed = 0;

	if (!parse_args (ctx, &argc, &argv))
		return EX_USAGE;
	g_autoptr(BounceStore) store = open_store (&error);
	if (store == NULL || !bounce_store_prune (store, 0, &removed, &error))
		return fail (error);
	printf ("pruned %u expired %s\n", removed, removed == 1 ? "entry" : "entries");
	return EX_OK;
}

static void
json_counts (JsonBuilder *b, const char *name, GPtrArray *counts)
{
	json_builder_set_member_name (b, name);
	json_builder_begin_object (b);
	for (guint i = 0; i < counts->len; i++) {
		BounceCount *c = g_ptr_array_index (counts, i);
		g_autofree char *key = clean_text (c->key[0] ? c->key : "-");
		json_builder_set_member_name (b, key);
		json_builder_add_int_value (b, c->count);
	}
	json_builder_end_object (b);
}

static int
cmd_stats (int argc, char **argv)
{
	g_autofree char *format = NULL;
	const GOptionEntry entries[] = {
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format, "plain (default) or json", "FORMAT" },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = context_new ("", "Count entries by reason and source.",
						     entries);
	g_autoptr(GError) error = NULL;
	BounceStats st;

	if (!parse_args (ctx, &argc, &argv))
		return EX_USAGE;
	if (format != NULL && strcmp (format, "plain") != 0 && strcmp (format, "json") != 0) {
		say_error ("unknown format \"%s\" (plain, json)", format);
		return EX_USAGE;
	}
	g_autoptr(BounceStore) store = open_store (&error);
	if (store == NULL || !bounce_store_stats (store, &st, &error))
		return fail (error);

	if (format != NULL && strcmp (format, "json") == 0) {
		g_autoptr(JsonBuilder) b = json_builder_new ();
		json_builder_begin_object (b);
		json_builder_set_member_name (b, "backend");
		json_builder_add_string_value (b, bounce_store_backend (store));
		json_builder_set_member_name (b, "suppressed");
		json_builder_add_int_value (b, st.suppressed);
		json_builder_set_member_name (b, "expired");
		json_builder_add_int_value (b, st.expired);
		json_builder_set_member_name (b, "events");
		json_builder_add_int_value (b, st.events);
		json_builder_set_member_name (b, "audit");
		json_builder_add_int_value (b, st.audit);
		json_counts (b, "by_reason", st.by_reason);
		json_counts (b, "by_source", st.by_source);
		json_counts (b, "events_by_class", st.events_by_class);
		json_builder_end_object (b);
		g_autoptr(JsonNode) root = json_builder_get_root (b);
		g_autofree char *text = json_to_string (root, TRUE);
		printf ("%s\n", text);
	} else {
		printf ("suppressed\t%" G_GINT64_FORMAT "\n", st.suppressed);
		printf ("expired\t%" G_GINT64_FORMAT "\n", st.expired);
		printf ("events\t%" G_GINT64_FORMAT "\n", st.events);
		printf ("audit\t%" G_GINT64_FORMAT "\n", st.audit);
		const struct { const char *label; GPtrArray *counts; } groups[] = {
			{ "reason", st.by_reason }, { "source", st.by_source },
			{ "class", st.events_by_class },
		};
		for (gsize g = 0; g < G_N_ELEMENTS (groups); g++)
			for (guint i = 0; i < groups[g].counts->len; i++) {
				BounceCount *c = g_ptr_array_index (groups[g].counts, i);
				g_autofree char *key = clean_text (c->key[0] ? c->key : "-");
				printf ("%s\t%s\t%" G_GINT64_FORMAT "\n", groups[g].label, key,
					c->count);
			}
	}
	bounce_stats_clear (&st);
	return EX_OK;
}

/* ------------------------------------------------------------------ */
/* import */

/* One entry read from a file. */
typedef struct {
	char  *address;
	char  *reason;		/* as the provider wrote it */
	gint64 created;		/* 0 = unknown */
	gint64 expires;		/* 0 = never */
} ImportRow;

static void
import_row_clear (gpointer p)
{
	ImportRow *r = p;
	g_free (r->address);
	g_free (r->reason);
}

/* Lower-case letters and digits only: "EMAIL_ADDRESS" -> "emailaddress". */
static char *
key_norm (const char *name)
{
	GString *s = g_string_new (NULL);
	for (const char *p = name; *p; p++)
		if (g_ascii_isalnum (*p))
			g_string_append_c (s, g_ascii_tolower (*p));
	return g_string_free (s, FALSE);
}

typedef enum { COL_NONE, COL_ADDRESS, COL_REASON, COL_CREATED, COL_EXPIRES } ColRole;

static ColRole
column_role (const char *name)
{
	static const struct { const char *key; ColRole role; } keys[] = {
		{ "emailaddress", COL_ADDRESS }, { "email", COL_ADDRESS }, { "address", COL_ADDRESS },
		{ "recipient", COL_ADDRESS }, { "destination", COL_ADDRESS },
		{ "reason", COL_REASON }, { "suppressionreason", COL_REASON },
		{ "error", COL_REASON }, { "bouncereason", COL_REASON },
		{ "firstseen", COL_CREATED }, { "created", COL_CREATED },
		{ "createdat", COL_CREATED }, { "lastupdatetime", COL_CREATED },
		{ "timestamp", COL_CREATED }, { "date", COL_CREATED },
		{ "expiresat", COL_EXPIRES },
	};
	g_autofree char *k = key_norm (name);

	for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
		if (strcmp (k, keys[i].key) == 0)
			return keys[i].role;
	return COL_NONE;
}

static gint64
parse_time (const char *text)
{
	if (text == NULL)
		return 0;
	g_autofree char *t = g_strstrip (g_strdup (text));
	if (t[0] == '\0')
		return 0;

	char *end = NULL;
	gint64 n = g_ascii_strtoll (t, &end, 10);
	if (end != NULL && *end == '\0' && n > 0)
		return n > 100000000000LL ? n / 1000 : n;	/* seconds or milliseconds */

	g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (t, utc);
	if (dt == NULL && strlen (t) > 10 && t[10] == ' ') {
		t[10] = 'T';			/* "2024-01-02 03:04:05" */
		dt = g_date_time_new_from_iso8601 (t, utc);
	}
	if (dt == NULL)
		dt = g_mime_utils_header_decode_date (text);	/* RFC 5322, as Mailgun writes */
	return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

/* A provider's reason text in the README taxonomy. */
static const char *
map_reason (const char *text)
{
	static const char *const taxonomy[] = {
		"userunknown", "hostunknown", "hasmoved", "notaccept", "suspend", "mailboxfull",
		"systemfull", "emailtoolarge", "filtered", "contenterror", "notcompliantrfc",
		"spamdetected", "virusdetected", "policyviolation", "securityerror",
		"authfailure", "badreputation", "blocked", "requireptr", "failedstarttls",
		"ratelimited", "rejected", "norelaying", "networkerror", "expired",
		"systemerror", "mailererror", "syntaxerror", "suppressed", "onhold",
		"undefined", "feedback", "manual",
	};
	static const struct { const char *needle, *reason; } phrases[] = {
		{ "complaint", "feedback" }, { "spam report", "feedback" },
		{ "spamreport", "feedback" }, { "abuse", "feedback" },
		{ "5.1.1", "userunknown" }, { "user unknown", "userunknown" },
		{ "unknown user", "userunknown" }, { "no such user", "userunknown" },
		{ "does not exist", "userunknown" }, { "no such mailbox", "userunknown" }, { "doesn't exist", "userunknown" },
		{ "invalid recipient", "userunknown" }, { "not found", "userunknown" },
		{ "5.1.2", "hostunknown" }, { "host unknown", "hostunknown" },
		{ "mailbox full", "mailboxfull" }, { "quota", "mailboxfull" },
		{ "5.2.2", "mailboxfull" }, { "disabled", "suspend" }, { "inactive", "suspend" },
	};
	if (text == NULL || text[0] == '\0')
		return "suppressed";
	g_autofree char *low = g_ascii_strdown (text, -1);
	g_strstrip (low);
	for (gsize i = 0; i < G_N_ELEMENTS (taxonomy); i++)
		if (strcmp (low, taxonomy[i]) == 0)
			return taxonomy[i];
	for (gsize i = 0; i < G_N_ELEMENTS (phrases); i++)
		if (strstr (low, phrases[i].needle) != NULL)
			return phrases[i].reason;
	return "suppressed";	/* on the provider's list for its own reasons */
}

/* RFC 4180 CSV: quoted fields with "" and line breaks, CRLF or LF.  The
 * separator is the header line's first of , ; or TAB. */
static void
csv_end_row (GPtrArray *rows, GPtrArray **fields)
{
	g_ptr_array_add (*fields, NULL);
	g_ptr_array_add (rows, g_ptr_array_free (*fields, FALSE));
	*fields = g_ptr_array_new ();
}

static GPtrArray *
csv_parse (const char *text)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
	GPtrArray *fields = g_ptr_array_new ();
	g_autoptr(GString) field = g_string_new (NULL);
	gsize head = strcspn (text, "\n");
	char sep = memchr (text, ',', head) ? ',' : memchr (text, ';', head) ? ';' :
		   memchr (text, '\t', head) ? '\t' : ',';
	gboolean quoted = FALSE, any = FALSE;

	for (const char *p = text;; p++) {
		char c = *p;
		if (quoted && c != '\0') {
			if (c == '"' && p[1] == '"')
				g_string_append_c (field, *p++);
			else if (c == '"')
				quoted = FALSE;
			else
				g_string_append_c (field, c);
			continue;
		}
		if (c == '"' && field->len == 0) {
			quoted = any = TRUE;
		} else if (c == sep) {
			g_ptr_array_add (fields, g_strdup (field->str));
			g_string_truncate (field, 0);
			any = TRUE;
		} else if (c == '\n' || c == '\0') {
			if (field->len > 0 && field->str[field->len - 1] == '\r')
				g_string_truncate (field, field->len - 1);
			if (any || field->len > 0) {
				g_ptr_array_add (fields, g_strdup (field->str));
				csv_end_row (rows, &fields);
			}
			g_string_truncate (field, 0);
			any = FALSE;
			if (c == '\0')
				break;
		} else {
			g_string_append_c (field, c);
			any = TRUE;
		}
	}
	g_ptr_array_free (fields, TRUE);
	return rows;
}

static gboolean
import_csv (const char *text, GArray *out, GError **error)
{
	g_autoptr(GPtrArray) rows = csv_parse (text);
	int col[5] = { -1, -1, -1, -1, -1 };	/* by ColRole */
	guint start = 0;

	if (rows->len == 0)
		return TRUE;
	char **head = g_ptr_array_index (rows, 0);
	for (int i = 0; head[i] != NULL; i++) {
		ColRole role = column_role (head[i]);
		if (role != COL_NONE && col[role] < 0)
			col[role] = i;
	}
	if (col[COL_ADDRESS] >= 0) {
		start = 1;
	} else if (strchr (head[0], '@') != NULL) {
		col[COL_ADDRESS] = 0;		/* no header: address[,reason] */
		col[COL_REASON] = head[1] != NULL ? 1 : -1;
	} else {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			     "no e-mail address column in the CSV header");
		return FALSE;
	}
	for (guint r = start; r < rows->len; r++) {
		char **f = g_ptr_array_index (rows, r);
		guint n = g_strv_length (f);
		if ((guint) col[COL_ADDRESS] >= n)
			continue;
		ImportRow row = { 0 };
		row.address = g_strstrip (g_strdup (f[col[COL_ADDRESS]]));
		if (col[COL_REASON] >= 0 && (guint) col[COL_REASON] < n)
			row.reason = g_strdup (f[col[COL_REASON]]);
		if (col[COL_CREATED] >= 0 && (guint) col[COL_CREATED] < n)
			row.created = parse_time (f[col[COL_CREATED]]);
		if (col[COL_EXPIRES] >= 0 && (guint) col[COL_EXPIRES] < n)
			row.expires = parse_time (f[col[COL_EXPIRES]]);
		if (row.address[0] == '\0' || row.address[0] == '#') {
			import_row_clear (&row);
			continue;
		}
		g_array_append_val (out, row);
	}
	return TRUE;
}

static void
import_json_item (JsonNode *node, GArray *out)
{
	ImportRow row = { 0 };

	if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING) {
		row.address = g_strdup (json_node_get_string (node));
	} else if (JSON_NODE_HOLDS_OBJECT (node)) {
		JsonObject *obj = json_node_get_object (node);	/* borrowed */
		g_autoptr(GList) members = json_object_get_members (obj);
		for (GList *l = members; l != NULL; l = l->next) {
			JsonNode *v = json_object_get_member (obj, l->data);	/* borrowed */
			if (!JSON_NODE_HOLDS_VALUE (v))
				continue;
			g_autofree char *text = NULL;
			if (json_node_get_value_type (v) == G_TYPE_STRING)
				text = g_strdup (json_node_get_string (v));
			else if (json_node_get_value_type (v) == G_TYPE_INT64)
				text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (v));
			else
				continue;
			switch (column_role (l->data)) {
			case COL_ADDRESS:
				if (row.address == NULL)
					row.address = g_steal_pointer (&text);
				break;
			case COL_REASON:
				if (row.reason == NULL)
					row.reason = g_steal_pointer (&text);
				break;
			case COL_CREATED:
				if (row.created == 0)
					row.created = parse_time (text);
				break;
			case COL_EXPIRES:
				row.expires = parse_time (text);
				break;
			default:
				break;
			}
		}
	}
	if (row.address == NULL) {
		import_row_clear (&row);
		return;
	}
	g_array_append_val (out, row);
}

/* A top-level array, or the first array member of the top-level object
 * (SES: SuppressedDestinationSummaries, Postmark: Suppressions). */
static gboolean
import_json (const char *text, GArray *out, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new ();

	if (!json_parser_load_from_data (parser, text, -1, error))
		return FALSE;
	JsonNode *root = json_parser_get_root (parser);	/* borrowed */
	JsonArray *items = NULL;			/* borrowed */
	if (root != NULL && JSON_NODE_HOLDS_ARRAY (root)) {
		items = json_node_get_array (root);
	} else if (root != NULL && JSON_NODE_HOLDS_OBJECT (root)) {
		JsonObject *obj = json_node_get_object (root);
		g_autoptr(GList) members = json_object_get_members (obj);
		for (GList *l = members; l != NULL && items == NULL; l = l->next) {
			JsonNode *v = json_object_get_member (obj, l->data);
			if (JSON_NODE_HOLDS_ARRAY (v))
				items = json_node_get_array (v);
		}
	}
	if (items == NULL) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			     "no list of addresses in the JSON document");
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length (items); i++)
		import_json_item (json_array_get_element (items, i), out);
	return TRUE;
}

/* One address per line, the first word; also reads Postfix access maps. */
static void
import_plain (const char *text, GArray *out)
{
	g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++) {
		char *line = g_strstrip (lines[i]);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		g_auto(GStrv) words = g_strsplit_set (line, " \t", 2);
		ImportRow row = { .address = g_strdup (words[0]) };
		g_array_append_val (out, row);
	}
}

static gboolean
read_input (const char *path, char **text, GError **error)
{
	gsize len = 0;

	if (strcmp (path, "-") == 0) {
		g_autoptr(GIOChannel) ch = g_io_channel_unix_new (0);
		g_io_channel_set_encoding (ch, NULL, NULL);
		if (g_io_channel_read_to_end (ch, text, &len, error) != G_IO_STATUS_NORMAL)
			return FALSE;
	} else if (!g_file_get_contents (path, text, &len, error)) {
		return FALSE;
	}
	if (memchr (*text, '\0', len) != NULL) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: binary data", path);
		g_clear_pointer (text, g_free);
		return FALSE;
	}
	return TRUE;
}

static gboolean
import_parse (const char *path, const char *format, GArray *rows, GError **error)
{
	g_autofree char *text = NULL;

	if (!read_input (path, &text, error))
		return FALSE;
	const char *body = text;	/* borrowed */
	if (g_str_has_prefix (body, "\xef\xbb\xbf"))
		body += 3;		/* UTF-8 byte order mark (Excel) */
	const char *first = body + strspn (body, " \t\r\n");

	if (format == NULL || strcmp (format, "auto") == 0) {
		const char *eol = first + strcspn (first, "\n");
		if (*first == '[' || *first == '{')
			format = "json";
		else if (memchr (first, ',', eol - first) != NULL ||
			 memchr (first, ';', eol - first) != NULL)
			format = "csv";
		else
			format = "plain";
	}
	if (strcmp (format, "json") == 0)
		return import_json (first, rows, error);
	if (strcmp (format, "csv") == 0)
		return import_csv (first, rows, error);
	import_plain (first, rows);
	return TRUE;
}

static int
cmd_import (int argc, char **argv)
{
	g_autofree char *format = NULL, *reason = NULL, *why = NULL;
	gint days = 0;
	gboolean replace = FALSE;
	const GOptionEntry entries[] = {
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format,
		  "auto (default), plain, csv, json", "FORMAT" },
		{ "reason", 'r', 0, G_OPTION_ARG_STRING, &reason,
		  "Reason for every entry (default: from the file, else suppressed)", "REASON" },
		{ "expires", 'e', 0, G_OPTION_ARG_INT, &days,
		  "Expire after DAYS days (default: as in the file, else never)", "DAYS" },
		{ "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
		  "Overwrite entries in force (default: keep them)", NULL },
		{ "why", 'w', 0, G_OPTION_ARG_STRING, &why, "Why, for the audit record", "TEXT" },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = context_new ("FILE|-...",
		"Import addresses: plain, CSV or JSON, our exports and those of Amazon SES,\n"
		"SendGrid, Mailgun and Postmark.", entries);
	g_autoptr(GError) error = NULL;

	if (!parse_args (ctx, &argc, &argv))
		return EX_USAGE;
	if (argc < 2 || days < 0) {
		say_error ("import: %s", argc < 2 ? "no file given" : "--expires must be >= 0");
		return EX_USAGE;
	}
	if (format != NULL && strcmp (format, "auto") && strcmp (format, "plain") &&
	    strcmp (format, "csv") && strcmp (format, "json")) {
		say_error ("import: unknown format \"%s\" (auto, plain, csv, json)", format);
		return EX_USAGE;
	}

	g_autoptr(BounceStore) store = open_store (&error);
	if (store == NULL)
		return fail (error);
	g_autofree char *who = bounce_cli_who ();
	gint64 now = g_get_real_time () / G_USEC_PER_SEC;
	guint added = 0, kept = 0, bad = 0, pending = 0;

	for (int i = 1; i < argc; i++) {
		g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (ImportRow));
		g_array_set_clear_func (rows, import_row_clear);
		if (!import_parse (argv[i], format, rows, &error)) {
			say_error ("%s: %s", argv[i], error->message);
			return EX_DATAERR;
		}
		g_autofree char *audit_why = g_strdup_printf ("import from %s%s%s", argv[i],
							      why ? ": " : "", why ? why : "");
		for (guint r = 0; r < rows->len; r++) {
			ImportRow *row = &g_array_index (rows, ImportRow, r);
			gboolean done = FALSE;
			g_autofree char *canon = bounce_address_canonical (row->address);
			if (canon == NULL) {
				say_error ("%s: not an address: \"%.80s\"", argv[i], row->address);
				bad++;
				continue;
			}
			if (pending == 0 && !bounce_store_begin (store, &error))
				return fail (error);
			gint64 expires = days > 0 ? now + (gint64) days * DAY : row->expires;
			if (!bounce_store_add (store, canon, reason ? reason : map_reason (row->reason),
					       "import", row->created, expires, replace, who,
					       audit_why, &done, &error))
				return fail (error);
			if (done)
				added++;
			else
				kept++;
			if (++pending >= 1000) {
				if (!bounce_store_commit (store, &error))
					return fail (error);
				pending = 0;
			}
		}
	}
	if (pending > 0 && !bounce_store_commit (store, &error))
		return fail (error);
	printf ("imported %u, already listed %u, not addresses %u\n", added, kept, bad);
	return bad > 0 ? EX_DATAERR : EX_OK;
}

/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	int (*run) (int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "list",   cmd_list,   "list the suppressed addresses" },
	{ "check",  cmd_check,  "exit 1 when an address is suppressed" },
	{ "add",    cmd_add,    "suppress addresses by hand" },
	{ "remove", cmd_remove, "remove addresses (audited, --why required)" },
	{ "export", cmd_export, "export as plain, csv, json or a Postfix access map" },
	{ "import", cmd_import, "import plain, csv, json, SES, SendGrid, Mailgun, Postmark" },
	{ "prune",  cmd_prune,  "delete expired entries" },
	{ "stats",  cmd_stats,  "counts by reason and source" },
};

static void
usage (FILE *out)
{
	fputs ("Usage: bouncefilter suppress COMMAND [--db URI] [OPTION...]\n\nCommands:\n", out);
	for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
		fprintf (out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs ("\n--db URI: sqlite:PATH, PATH, postgresql://... or \"host=... dbname=...\"\n"
	       "(default: $XDG_DATA_HOME/bouncefilter/suppression.db).\n"
	       "Run \"bouncefilter suppress COMMAND --help\" for the options of one command.\n",
	       out);
}

int
bounce_cli_suppress (int argc, char **argv)
{
	if (argc < 2) {
		usage (stderr);
		return EX_USAGE;
	}
	const char *name = argv[1];
	if (strcmp (name, "help") == 0 || strcmp (name, "--help") == 0 ||
	    strcmp (name, "-h") == 0) {
		usage (stdout);
		return EX_OK;
	}
	for (gsize i = 0; i < G_N_ELEMENTS (commands); i++) {
		if (strcmp (name, commands[i].name) != 0)
			continue;
		g_clear_pointer (&opt_db, g_free);
		/* argv[0] becomes "suppress COMMAND" for --help and messages. */
		g_autofree char *prog = g_strdup_printf ("bouncefilter suppress %s", name);
		g_autofree char **args = g_new0 (char *, argc);
		args[0] = prog;
		for (int a = 2; a < argc; a++)
			args[a - 1] = argv[a];
		int code = commands[i].run (argc - 1, args);
		g_clear_pointer (&opt_db, g_free);
		return code;
	}
	say_error ("unknown command \"%s\"", name);
	usage (stderr);
	return EX_USAGE;
}
