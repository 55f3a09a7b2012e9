/*
 * cli/main.c - the bouncefilter command
 *
 * SYNOPSIS	bouncefilter [OPTION...] [FILE|DIR|-]...
 *		bouncefilter explain CODE...
 *		bouncefilter suppress COMMAND ...
 *		bouncefilter verp sign|verify|decode ...
 * DESCRIPTION	The only code that reads argv, prints, and chooses exit codes.
 *		Settings come from the configuration file(s) (cli/settings.h),
 *		then the command line, which wins.  A configuration that
 *		cannot be read or used is an operator error: 75 from a pipe
 *		(the MTA keeps the mail until it is fixed), 64 otherwise.
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
#include "cli/settings.h"
#include "cli/verp_cmd.h"
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
static gboolean format_given;
static int summary_option;	/* 0 none, 1 text, 2 json */

static gboolean
format_cb (const char *name, const char *value, gpointer data, GError **error)
{
	(void) data;
	format_given = TRUE;
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

/* Exit code for a configuration problem: the MTA must keep the mail. */
static int
config_failure (gboolean pipe_mode, const char *message)
{
	fprintf (stderr, "bouncefilter: %s\n", message);
	if (pipe_mode)
		fprintf (stderr, "bouncefilter: configuration error: mail deferred until it is fixed\n");
	return pipe_mode ? EX_TEMPFAIL : EX_USAGE;
}

/* --recipient, else what the MTA put in the environment (pipe mode only). */
static GStrv
envelope_candidates (const char *recipient)
{
	g_auto(GStrv) env = g_get_environ ();

	if (recipient != NULL && *recipient != '\0') {
		char *one[] = { (char *) recipient, NULL };
		return g_strdupv (one);
	}
	return bounce_verp_candidates_from_env (env);
}

static int
run_main (int argc, char **argv)
{
	gboolean all = FALSE, terse = FALSE, quiet = FALSE, version = FALSE;
	gboolean dry_run = FALSE, verbose = FALSE, filter = FALSE, no_config = FALSE;
	gboolean require_signature = FALSE;
	int jobs = 0, hook_timeout = -1, max_age = -1;
	g_autofree char *db = NULL, *config_file = NULL, *quarantine = NULL, *output = NULL;
	g_autofree char *exec = NULL, *exec_on = NULL, *recipient = NULL, *verp_key = NULL;
	g_autofree char *separators = NULL;
	g_auto(GStrv) paths = NULL;
	g_auto(GStrv) envelope = NULL;
	GOptionEntry entries[] = {
		{ "format", 'f', 0, G_OPTION_ARG_CALLBACK, format_cb,
		  "Output format: jsonl (default), json, text, none", "FORMAT" },
		{ "all", 'a', 0, G_OPTION_ARG_NONE, &all,
		  "Also print delivered/relayed DSN entries and auto-replies", NULL },
		{ "terse", 't', 0, G_OPTION_ARG_NONE, &terse,
		  "Leave out the explanation and advice strings", NULL },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
		  "Worker processes for batch input (default: the number of cores)", "N" },
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
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
		  "Append the records to FILE instead of stdout", "FILE" },
		{ "filter", 'F', 0, G_OPTION_ARG_NONE, &filter,
		  "Copy the message from stdin to stdout with X-Bounce-* headers added (procmail, Sieve)", NULL },
		{ "quarantine", 'Q', 0, G_OPTION_ARG_FILENAME, &quarantine,
		  "Keep unparseable and non-bounce messages in the Maildir DIR", "DIR" },
		{ "recipient", 'r', 0, G_OPTION_ARG_STRING, &recipient,
		  "The envelope recipient the MTA delivered to (VERP); default from the environment", "ADDR" },
		{ "verp-key", 0, 0, G_OPTION_ARG_FILENAME, &verp_key,
		  "Check VERP signatures with the secret key in FILE", "FILE" },
		{ "verp-separators", 0, 0, G_OPTION_ARG_STRING, &separators,
		  "VERP delimiters then the \"@\" stand-in (default \"+-=\")", "CHARS" },
		{ "require-signature", 0, 0, G_OPTION_ARG_NONE, &require_signature,
		  "Bounces without a valid VERP signature never change the suppression list", NULL },
		{ "max-age-days", 0, 0, G_OPTION_ARG_INT, &max_age,
		  "Oldest VERP signature accepted, in days (default 30; 0 = no limit)", "DAYS" },
		{ "exec", 'x', 0, G_OPTION_ARG_STRING, &exec,
		  "Run CMD (no shell) per event; the address is its last argument, BOUNCE_* in its environment", "CMD" },
		{ "exec-on", 0, 0, G_OPTION_ARG_STRING, &exec_on,
		  "When --exec runs: suppress (newly suppressed addresses, default) or event (each failed recipient)", "WHEN" },
		{ "exec-timeout", 0, 0, G_OPTION_ARG_INT, &hook_timeout,
		  "Seconds a hook may take before it is stopped (default 30)", "SEC" },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file,
		  "Read only this configuration file", "FILE" },
		{ "no-config", 0, 0, G_OPTION_ARG_NONE, &no_config,
		  "Read no configuration file", NULL },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, "[FILE|DIR|-]..." },
		{ NULL }
	};
	g_autoptr(GOptionContext) octx = g_option_context_new ("- find the failed recipients in bounce messages");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) files = NULL;
	g_autoptr(BounceStore) store = NULL;
	g_autoptr(BounceSummary) summary = NULL;
	g_autoptr(BounceConfig) cfg = bounce_config_new ();
	g_autoptr(BounceHook) hook = NULL;
	g_autoptr(GBytes) key = NULL;
	const char *store_uri, *key_file, *out_file;	/* borrowed */
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
		"  bouncefilter suppress COMMAND    manage the suppression list (see --help there)\n"
		"  bouncefilter verp sign|verify|decode ADDR   VERP return paths (see --help there)\n\n"
		"Configuration: " BOUNCE_CONFIG_SYSTEM_PATH ", then $XDG_CONFIG_HOME/bouncefilter/config;\n"
		"options override it.  See bouncefilter.conf(5).\n\n"
		"Exit status: 0 handled (bounce or not), 75 try again later, 64 usage error.\n"
		"From a pipe only 0 or 75.  See bouncefilter(1).");
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
	if (filter && !opts.pipe_mode) {
		fprintf (stderr, "bouncefilter: --filter reads one message from stdin: give no FILE\n");
		return EX_USAGE;
	}

	/* the configuration, then the command line over it */
	if (config_file != NULL ? !bounce_config_load (cfg, config_file, &error)
	    : !no_config && !bounce_config_load_defaults (cfg, &error))
		return config_failure (opts.pipe_mode, error->message);
	if (exec_on != NULL && !bounce_config_parse_hook_on (exec_on, &cfg->hook_on, &error)) {
		fprintf (stderr, "bouncefilter: --exec-on: %s\n", error->message);
		return opts.pipe_mode ? EX_TEMPFAIL : EX_USAGE;
	}
	if (hook_timeout == 0 || hook_timeout > 86400 || max_age > 36500) {
		fprintf (stderr, "bouncefilter: --exec-timeout or --max-age-days out of range\n");
		return opts.pipe_mode ? EX_TEMPFAIL : EX_USAGE;
	}
	if (!format_given && cfg->output_format != NULL) {
		if (strcmp (cfg->output_format, "none") == 0)
			no_output = TRUE;
		else
			parse_format ("format", cfg->output_format, &format_option, NULL);
	}
	store_uri = db != NULL ? db : cfg->store_uri;
	key_file = verp_key != NULL ? verp_key : cfg->verp_key_file;
	out_file = output != NULL ? output : cfg->output_file;
	bounce_verp_syntax_init (&opts.verp_syntax);
	if (separators != NULL || cfg->verp_separators != NULL) {
		if (!bounce_verp_syntax_parse (&opts.verp_syntax,
					       separators != NULL ? separators : cfg->verp_separators, &error))
			return config_failure (opts.pipe_mode, error->message);
	}
	opts.require_signature = require_signature || cfg->verp_require_signature;
	opts.verp_max_age_days = max_age >= 0 ? (guint) max_age : cfg->verp_max_age_days;
	opts.today = bounce_verp_today ();
	if (key_file != NULL) {
		key = bounce_verp_key_load (key_file, &error);
		if (key == NULL)
			return config_failure (opts.pipe_mode, error->message);
		opts.verp_key = key;
	} else if (opts.require_signature) {
		return config_failure (opts.pipe_mode,
				       "VERP signatures required but no key: set --verp-key or [verp] key_file");
	}
	if (exec != NULL || cfg->hook_exec != NULL) {
		hook = bounce_hook_new (exec != NULL ? exec : cfg->hook_exec,
					hook_timeout > 0 ? (guint) hook_timeout : cfg->hook_timeout, &error);
		if (hook == NULL)
			return config_failure (opts.pipe_mode, error->message);
		opts.hook = hook;
		opts.hook_on = cfg->hook_on;
		if (opts.hook_on == BOUNCE_HOOK_ON_SUPPRESS && store_uri == NULL && !quiet)
			fprintf (stderr, "bouncefilter: warning: the hook runs for new suppressions, "
				 "and there is no suppression list (--db): it will not run\n");
	}
	if (opts.pipe_mode)
		envelope = envelope_candidates (recipient);
	else if (recipient != NULL) {
		char *one[] = { recipient, NULL };
		envelope = g_strdupv (one);	/* applies to every message */
	}
	opts.envelope = envelope;
	opts.quarantine = quarantine != NULL ? quarantine : cfg->quarantine;
	opts.filter = filter;
	opts.message_out = stdout;

	interactive = !opts.pipe_mode && !quiet && isatty (STDERR_FILENO);
	opts.render.format = format_option;
	opts.render.all = all || cfg->output_all;
	opts.render.terse = terse || cfg->output_terse;
	opts.limits = &cfg->limits;
	opts.jobs = opts.pipe_mode ? 1 : (jobs > 0 ? (guint) jobs : g_get_num_processors ());
	opts.quiet = quiet;
	opts.progress = interactive;
	opts.dry_run = dry_run;
	opts.verbose = verbose;
	if (out_file != NULL) {
		opts.out = fopen (out_file, "a");
		if (opts.out == NULL) {
			fprintf (stderr, "bouncefilter: %s: %s\n", out_file, g_strerror (errno));
			return opts.pipe_mode ? EX_TEMPFAIL : EX_CANTCREAT;
		}
	} else if (no_output || filter) {
		opts.out = fopen ("/dev/null", "w");	/* in filter mode stdout is the message */
	} else {
		opts.out = stdout;
	}
	if (opts.out == NULL)
		opts.out = stdout;
	if (summary_option != 0 || interactive)
		summary = bounce_summary_new ();
	opts.summary = summary;

	if (store_uri != NULL) {
		store = bounce_store_open (store_uri, &error);
		if (store == NULL) {
			fprintf (stderr, "bouncefilter: suppression list %s: %s\n", store_uri, error->message);
			/* the MTA keeps the message until the store is back */
			return bounce_store_error_is_temporary (error) || opts.pipe_mode ? EX_TEMPFAIL : EX_USAGE;
		}
		if (cfg->store_timeout_ms > 0)
			bounce_store_set_timeout (store, cfg->store_timeout_ms);
		opts.store = store;
		opts.policy = &cfg->policy;
	}

	if (opts.pipe_mode && (opts.filter || opts.quarantine != NULL)) {
		code = bounce_run_single (&opts);
	} else {
		files = bounce_input_expand (paths, &error);
		if (files == NULL) {
			fprintf (stderr, "bouncefilter: %s\n", error->message);
			return EX_TEMPFAIL;
		}
		code = bounce_run (&opts, files);
	}
	if (summary != NULL) {
		g_autoptr(GString) text = g_string_new (NULL);
		bounce_summary_render (summary, summary_option == 2, text);
		fputs (text->str, no_output && !filter ? stdout : stderr);
		fflush (stdout);
	}
	if (opts.out != stdout && fclose (opts.out) != 0) {
		fprintf (stderr, "bouncefilter: write error: %s\n", g_strerror (errno));
		code = EX_TEMPFAIL;
	}
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
	if (argc > 1 && strcmp (argv[1], "verp") == 0)
		return bounce_cli_verp (argc - 1, argv + 1);
	return run_main (argc, argv);
}
