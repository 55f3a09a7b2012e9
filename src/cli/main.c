/*
 * cli/main.c - the bouncefilter command
 *
 * SYNOPSIS	bouncefilter [OPTION...] [FILE|DIR|-]...
 *		bouncefilter explain CODE...
 *		bouncefilter suppress COMMAND ...
 * DESCRIPTION	The only code that reads argv, prints, and chooses exit codes.
 *		With no FILE, or "-", one message (or an mbox) is read from
 *		stdin: pipe mode, for procmail, Sieve, Postfix pipe(8), Exim.
 *		Exit codes (sysexits.h): 0 handled (bounce or not), 75 could
 *		not be handled now, 64 usage.  A batch goes on after a bad
 *		message and exits with the worst code it met.  From a pipe only
 *		0 or 75 is ever returned, and stdout never begins with a status
 *		code of the parsed bounce.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "analyze.h"
#include "cli/commands.h"
#include "mime/input.h"
#include "output/render.h"

typedef struct {
	BounceRenderOptions render;
	const BounceLimits *limits;
	gboolean pipe_mode;
	gboolean quiet;
	guint    records;	/* records printed so far (JSON array separators) */
	guint    messages;
	guint    bounces;
	int      worst;		/* worst exit code met */
	FILE    *out;
} RunContext;

static void
note_exit (RunContext *ctx, int code)
{
	if (code == EX_TEMPFAIL || (code != EX_OK && ctx->worst == EX_OK))
		ctx->worst = code;
}

static void
warn (RunContext *ctx, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
warn (RunContext *ctx, const char *fmt, ...)
{
	va_list ap;

	(void) ctx;
	va_start (ap, fmt);
	fputs ("bouncefilter: ", stderr);
	vfprintf (stderr, fmt, ap);
	fputc ('\n', stderr);
	va_end (ap);
}

static void
emit (RunContext *ctx, const GString *chunk)
{
	if (chunk->len == 0)
		return;
	if (ctx->render.format == BOUNCE_FORMAT_JSON)
		fputs (ctx->records == 0 ? "[\n" : ",\n", ctx->out);
	fwrite (chunk->str, 1, chunk->len, ctx->out);
	ctx->records++;
}

static void
process_message (RunContext *ctx, const char *file, const BounceMessageRef *ref)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceReport) report = NULL;
	g_autoptr(GString) chunk = g_string_new (NULL);
	BounceOrigin origin = { file, ref->index, ref->offset };

	ctx->messages++;
	report = bounce_analyze_bytes (ref->data, ref->len, ctx->limits, &error);
	if (report == NULL) {
		/* unparseable mail is handled (reported), not retried */
		if (!ctx->quiet)
			warn (ctx, "%s#%u: %s", file, ref->index, error->message);
		return;
	}
	if (ref->truncated)
		report->anomalies |= BOUNCE_ANOMALY_TOO_LARGE;
	if (report->kind == BOUNCE_KIND_BOUNCE || report->kind == BOUNCE_KIND_FEEDBACK)
		ctx->bounces++;
	bounce_render (&ctx->render, &origin, report, chunk);
	emit (ctx, chunk);
}

static void
process_path (RunContext *ctx, const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceSource) src = bounce_source_open (path, ctx->limits->max_message, &error);
	BounceMessageRef ref;

	if (src == NULL) {
		warn (ctx, "%s", error->message);
		note_exit (ctx, EX_TEMPFAIL);
		return;
	}
	while (bounce_source_next (src, &ref, &error))
		process_message (ctx, path, &ref);
	if (error != NULL) {
		warn (ctx, "%s", error->message);
		note_exit (ctx, EX_TEMPFAIL);
	}
}

static gboolean
parse_format (const char *name, const char *value, gpointer data, GError **error)
{
	BounceFormat *format = data;

	if (g_strcmp0 (value, "jsonl") == 0)
		*format = BOUNCE_FORMAT_JSONL;
	else if (g_strcmp0 (value, "json") == 0)
		*format = BOUNCE_FORMAT_JSON;
	else if (g_strcmp0 (value, "text") == 0)
		*format = BOUNCE_FORMAT_TEXT;
	else {
		g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			     "unknown format \"%s\" (jsonl, json, text)", value);
		return FALSE;
	}
	(void) name;
	return TRUE;
}

static BounceFormat format_option;

static gboolean
format_cb (const char *name, const char *value, gpointer data, GError **error)
{
	(void) data;
	return parse_format (name, value, &format_option, error);
}

static int
run_main (int argc, char **argv)
{
	gboolean all = FALSE, terse = FALSE, quiet = FALSE, version = FALSE;
	g_auto(GStrv) paths = NULL;
	GOptionEntry entries[] = {
		{ "format", 'f', 0, G_OPTION_ARG_CALLBACK, format_cb,
		  "Output format: jsonl (default), json, text", "FORMAT" },
		{ "all", 'a', 0, G_OPTION_ARG_NONE, &all,
		  "Also print delivered/relayed DSN entries and auto-replies", NULL },
		{ "terse", 't', 0, G_OPTION_ARG_NONE, &terse,
		  "Leave out the explanation and advice strings", NULL },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
		  "No warnings about unparseable messages", NULL },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, "[FILE|DIR|-]..." },
		{ NULL }
	};
	g_autoptr(GOptionContext) octx = g_option_context_new ("- find the failed recipients in bounce messages");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) files = NULL;
	RunContext ctx = { 0 };

	format_option = BOUNCE_FORMAT_JSONL;
	g_option_context_add_main_entries (octx, entries, NULL);
	g_option_context_set_description (octx,
		"Reads bounce messages (RFC 3464/6533 DSNs, free-form MTA bounces, RFC 5965\n"
		"complaints) from stdin, files, mboxes and Maildirs, and prints one JSON line per\n"
		"failed or delayed recipient.\n\n"
		"Commands:\n"
		"  bouncefilter explain CODE...     what an SMTP reply or RFC 3463 status means\n"
		"  bouncefilter suppress COMMAND    manage the suppression list\n\n"
		"Exit status: 0 handled (bounce or not), 75 try again later, 64 usage error.\n"
		"See bouncefilter(1).");
	if (!g_option_context_parse (octx, &argc, &argv, &error)) {
		fprintf (stderr, "bouncefilter: %s\n", error->message);
		return EX_USAGE;
	}
	if (version) {
		printf ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return EX_OK;
	}

	ctx.render.format = format_option;
	ctx.render.all = all;
	ctx.render.terse = terse;
	ctx.quiet = quiet;
	ctx.limits = &bounce_limits_default;
	ctx.out = stdout;
	ctx.worst = EX_OK;
	ctx.pipe_mode = paths == NULL || (paths[1] == NULL && strcmp (paths[0], "-") == 0);

	files = bounce_input_expand (paths, &error);
	if (files == NULL) {
		fprintf (stderr, "bouncefilter: %s\n", error->message);
		return ctx.pipe_mode ? EX_TEMPFAIL : EX_NOINPUT;
	}
	for (guint i = 0; i < files->len; i++)
		process_path (&ctx, g_ptr_array_index (files, i));

	if (ctx.render.format == BOUNCE_FORMAT_JSON)
		fputs (ctx.records == 0 ? "[]\n" : "\n]\n", ctx.out);
	if (fflush (ctx.out) != 0 || ferror (ctx.out)) {
		fprintf (stderr, "bouncefilter: write error: %s\n", g_strerror (errno));
		note_exit (&ctx, EX_TEMPFAIL);
	}
	if (ctx.pipe_mode && ctx.worst != EX_OK)
		return EX_TEMPFAIL;	/* from a pipe: only 0 or 75 */
	return ctx.worst;
}

int
main (int argc, char **argv)
{
	bounce_library_init ();
	if (argc > 1 && strcmp (argv[1], "explain") == 0)
		return bounce_cli_explain (argc - 1, argv + 1);
	if (argc > 1 && strcmp (argv[1], "suppress") == 0)
		return bounce_cli_suppress (argc - 1, argv + 1);
	return run_main (argc, argv);
}
