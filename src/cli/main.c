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
#include "cli/run.h"
#include "mime/input.h"
#include "output/render.h"
#include "output/summary.h"
#include "store/store.h"

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
			     "unknown format \"%s\" (jsonl, json, text, none)", value);
		return FALSE;
	}
	(void) name;
	return TRUE;
}

static BounceFormat format_option;
static gboolean no_output;
static int summary_option;	/* 0 none, 1 text, 2 json */

static gboolean
format_cb (const char *name, const char *value, gpointer data, GError **error)
{
	(void) data;
	if (g_strcmp0 (value, "none") == 0) {
		no_output = TRUE;
		return TRUE;
	}
	no_output = FALSE;
	return parse_format (name, value, &format_option, error);
}

static gboolean
summary_cb (const char *name, const char *value, gpointer data, GError **error)
{
	(void) data;
	if (strcmp (name, "--summary") == 0 || value == NULL || g_strcmp0 (value, "text") == 0)
		summary_option = strcmp (name, "--summary") == 0 && summary_option != 0 ? summary_option : 1;
	if (value != NULL && g_strcmp0 (value, "json") == 0)
		summary_option = 2;
	else if (value != NULL && g_strcmp0 (value, "text") != 0) {
		g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			     "unknown summary format \"%s\" (text, json)", value);
		return FALSE;
	}
	return TRUE;
}

/* GOption takes the next word as an optional argument ("--summary FILE"):
 * accept the optional form only as "--summary=FORMAT" by renaming it. */
static void
rewrite_summary_option (int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp (argv[i], "--") != 0; i++)
		if (g_str_has_prefix (argv[i], "--summary="))
			argv[i] = g_strconcat ("--summary-format=", argv[i] + strlen ("--summary="), NULL);
}

static int
run_main (int argc, char **argv)
{
	gboolean all = FALSE, terse = FALSE, quiet = FALSE, version = FALSE;
	gboolean dry_run = FALSE, verbose = FALSE;
	int jobs = 0;
	g_autofree char *db = NULL;
	g_auto(GStrv) paths = NULL;
	GOptionEntry entries[] = {
		{ "format", 'f', 0, G_OPTION_ARG_CALLBACK, format_cb,
		  "Output format: jsonl (default), json, text, none", "FORMAT" },
		{ "all", 'a', 0, G_OPTION_ARG_NONE, &all,
		  "Also print delivered/relayed DSN entries and auto-replies", NULL },
		{ "terse", 't', 0, G_OPTION_ARG_NONE, &terse,
		  "Leave out the explanation and advice strings", NULL },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
		  "Parallel workers for batch input (default: the number of cores)", "N" },
		{ "db", 'd', 0, G_OPTION_ARG_STRING, &db,
		  "Update the suppression list at URI (sqlite:PATH, postgresql://...)", "URI" },
		{ "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
		  "Show on stderr what would change in the suppression list, change nothing", NULL },
		{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
		  "Show on stderr each change made to the suppression list", NULL },
		{ "summary", 's', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, summary_cb,
		  "Print totals at the end (--summary=json for JSON; to stdout with --format=none)", NULL },
		{ "summary-format", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_CALLBACK, summary_cb, NULL, "FORMAT" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
		  "No progress bar, no summary unless asked, no warnings about unparseable messages", NULL },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, "[FILE|DIR|-]..." },
		{ NULL }
	};
	g_autoptr(GOptionContext) octx = g_option_context_new ("[FILE|DIR|-]... - find the failed recipients in bounce messages");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) files = NULL;
	g_autoptr(BounceStore) store = NULL;
	g_autoptr(BounceSummary) summary = NULL;
	BouncePolicy policy;
	RunOptions opts = { 0 };
	gboolean interactive;
	int code;

	format_option = BOUNCE_FORMAT_JSONL;
	rewrite_summary_option (argc, argv);
	g_option_context_add_main_entries (octx, entries, NULL);
	g_option_context_set_description (octx,
		"Reads bounce messages (RFC 3464/6533 DSNs, free-form MTA bounces, RFC 5965\n"
		"complaints) from stdin, files, mboxes, Maildirs and directories, and prints one\n"
		"JSON line per failed or delayed recipient.  With no FILE, or \"-\", reads one\n"
		"message (or an mbox) from stdin, as a pipe filter for an MTA.\n\n"
		"Commands:\n"
		"  bouncefilter explain CODE...     what an SMTP reply or RFC 3463 status means\n"
		"  bouncefilter suppress COMMAND    manage the suppression list (see --help there)\n\n"
		"Exit status: 0 handled (bounce or not), 75 try again later, 64 usage error.\n"
		"See bouncefilter(1).");
	if (!g_option_context_parse (octx, &argc, &argv, &error)) {
		fprintf (stderr, "bouncefilter: %s (see --help)\n", error->message);
		return EX_USAGE;
	}
	if (version) {
		printf ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return EX_OK;
	}
	if (jobs < 0 || jobs > 256) {
		fprintf (stderr, "bouncefilter: --jobs must be between 1 and 256\n");
		return EX_USAGE;
	}

	opts.pipe_mode = paths == NULL || (paths[1] == NULL && strcmp (paths[0], "-") == 0);
	interactive = !opts.pipe_mode && !quiet && isatty (STDERR_FILENO);
	opts.render.format = format_option;
	opts.render.all = all;
	opts.render.terse = terse;
	opts.limits = &bounce_limits_default;
	opts.jobs = opts.pipe_mode ? 1 : (jobs > 0 ? (guint) jobs : g_get_num_processors ());
	opts.quiet = quiet;
	opts.progress = interactive;
	opts.dry_run = dry_run;
	opts.verbose = verbose;
	opts.out = no_output ? fopen ("/dev/null", "w") : stdout;
	if (opts.out == NULL)
		opts.out = stdout;
	if (summary_option != 0 || interactive)
		summary = bounce_summary_new ();
	opts.summary = summary;

	if (db != NULL) {
		store = bounce_store_open (db, &error);
		if (store == NULL) {
			fprintf (stderr, "bouncefilter: suppression list %s: %s\n", db, error->message);
			/* the MTA keeps the message until the store is back */
			return bounce_store_error_is_temporary (error) || opts.pipe_mode ? EX_TEMPFAIL : EX_USAGE;
		}
		bounce_policy_init (&policy);
		opts.store = store;
		opts.policy = &policy;
	}

	files = bounce_input_expand (paths, &error);
	if (files == NULL) {
		fprintf (stderr, "bouncefilter: %s\n", error->message);
		return EX_TEMPFAIL;
	}
	code = bounce_run (&opts, files);
	if (summary != NULL) {
		g_autoptr(GString) text = g_string_new (NULL);
		bounce_summary_render (summary, summary_option == 2, text);
		fputs (text->str, no_output ? stdout : stderr);
		fflush (stdout);
	}
	if (opts.out != stdout)
		fclose (opts.out);
	if (opts.pipe_mode && code != EX_OK)
		return EX_TEMPFAIL;	/* from a pipe: only 0 or 75 */
	return code;
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
