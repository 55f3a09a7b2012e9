/*
 * cli/explain_cmd.c - "bouncefilter explain CODE...": what a code or a bounce text means
 *
 * DESCRIPTION	Parses its options, hands the arguments to the library
 *		(knowledge/explain.c), prints the answer.  Exit 0 when there
 *		was something to explain (an unknown code is an answer too),
 *		64 for a usage error.
 */
#include "config.h"

#include <stdio.h>
#include <sysexits.h>

#include "bounce-error.h"
#include "cli/commands.h"
#include "knowledge/explain.h"

int
bounce_cli_explain (int argc, char **argv)
{
	g_autofree char *format = NULL;
	g_auto(GStrv) codes = NULL;
	GOptionEntry entries[] = {
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output format: text (default) or json", "FORMAT" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &codes, NULL, "CODE..." },
		{ NULL }
	};
	g_autoptr(GOptionContext) octx = g_option_context_new ("CODE... - explain SMTP reply codes, RFC 3463 status codes and bounce texts");
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) out = g_string_new (NULL);
	gboolean json;

	g_option_context_add_main_entries (octx, entries, NULL);
	g_option_context_set_description (octx,
		"Examples:\n"
		"  bouncefilter explain 550 5.1.1\n"
		"  bouncefilter explain 4.7.0\n"
		"  bouncefilter explain \"452 4.2.2 mailbox full\"\n"
		"  bouncefilter explain --format=json 5.7.26");
	if (!g_option_context_parse (octx, &argc, &argv, &error)) {
		fprintf (stderr, "bouncefilter explain: %s\n", error->message);
		return EX_USAGE;
	}
	if (format != NULL && g_strcmp0 (format, "text") != 0 && g_strcmp0 (format, "json") != 0) {
		fprintf (stderr, "bouncefilter explain: unknown format \"%s\" (text, json)\n", format);
		return EX_USAGE;
	}
	json = g_strcmp0 (format, "json") == 0;
	if (codes == NULL || codes[0] == NULL) {
		fprintf (stderr, "bouncefilter explain: nothing to explain; try \"bouncefilter explain 550 5.1.1\"\n");
		return EX_USAGE;
	}
	if (!bounce_explain ((const char *const *) codes, (int) g_strv_length (codes), json, out, &error)) {
		fprintf (stderr, "bouncefilter explain: %s\n", error->message);
		return g_error_matches (error, BOUNCE_ERROR, BOUNCE_ERROR_USAGE) ? EX_USAGE : EX_SOFTWARE;
	}
	fwrite (out->str, 1, out->len, stdout);
	if (out->len > 0 && out->str[out->len - 1] != '\n')
		fputc ('\n', stdout);
	return fflush (stdout) == 0 ? EX_OK : EX_IOERR;
}
