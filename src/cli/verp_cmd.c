/*
 * cli/verp_cmd.c - bouncefilter verp: make and check VERP return paths
 *
 * SYNOPSIS	bouncefilter verp sign [--key-file F] [--return-path BASE] ADDRESS
 *		bouncefilter verp verify [--key-file F] [--max-age-days N] RETURN-PATH
 *		bouncefilter verp decode RETURN-PATH
 * DESCRIPTION	sign prints the signed return path for mail to ADDRESS (BASE
 *		from --return-path or [verp] return_path); verify prints the
 *		address and exits 0 when the signature is good, prints why
 *		and exits 1 when it is not; decode prints the address in an
 *		unsigned or signed return path (exit 1 when it is not VERP).
 *		Key, separators, base and maximum age come from the
 *		configuration file unless given here.
 * EXIT		0 done / valid, 1 invalid or not VERP, 64 usage, 75 key or
 *		configuration unreadable.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli/settings.h"
#include "cli/verp_cmd.h"
#include "pipeline/verp.h"

int
bounce_cli_verp (int argc, char **argv)
{
	g_autofree char *key_file = NULL, *config_file = NULL, *base = NULL, *separators = NULL;
	gboolean no_config = FALSE;
	int max_age = -1;
	gint64 days = -1;
	g_auto(GStrv) args = NULL;
	GOptionEntry entries[] = {
		{ "key-file", 'k', 0, G_OPTION_ARG_FILENAME, &key_file,
		  "The secret key (default: [verp] key_file)", "FILE" },
		{ "return-path", 'b', 0, G_OPTION_ARG_STRING, &base,
		  "The plain return path to extend, e.g. list-bounces@lists.example.net", "ADDR" },
		{ "separators", 0, 0, G_OPTION_ARG_STRING, &separators,
		  "VERP delimiters then the \"@\" stand-in (default \"+-=\")", "CHARS" },
		{ "max-age-days", 0, 0, G_OPTION_ARG_INT, &max_age,
		  "Oldest signature accepted (default 30; 0 = no limit)", "DAYS" },
		{ "days", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT64, &days,
		  "Sign as of this day (days since 1970-01-01)", "N" },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file,
		  "Read only this configuration file", "FILE" },
		{ "no-config", 0, 0, G_OPTION_ARG_NONE, &no_config, "Read no configuration file", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, "sign|verify|decode ADDR" },
		{ NULL }
	};
	g_autoptr(GOptionContext) octx = g_option_context_new ("- make and check VERP return paths");
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceConfig) cfg = bounce_config_new ();
	g_autoptr(GBytes) key = NULL;
	BounceVerpSyntax syntax;
	const char *cmd, *addr;

	g_option_context_add_main_entries (octx, entries, NULL);
	g_option_context_set_description (octx,
		"  sign ADDRESS        print a signed return path for mail to ADDRESS\n"
		"  verify RETURN-PATH  exit 0 and print the address when the signature is good\n"
		"  decode RETURN-PATH  print the address a (signed or plain) VERP return path holds\n\n"
		"Exit status: 0 done or valid, 1 invalid, 64 usage, 75 key or configuration unreadable.");
	if (!g_option_context_parse (octx, &argc, &argv, &error)) {
		fprintf (stderr, "bouncefilter verp: %s\n", error->message);
		return EX_USAGE;
	}
	if (args == NULL || args[0] == NULL || args[1] == NULL || args[2] != NULL) {
		fprintf (stderr, "bouncefilter verp: want sign, verify or decode and one address (see --help)\n");
		return EX_USAGE;
	}
	cmd = args[0];
	addr = args[1];
	if (config_file != NULL ? !bounce_config_load (cfg, config_file, &error)
	    : !no_config && !bounce_config_load_defaults (cfg, &error)) {
		fprintf (stderr, "bouncefilter verp: %s\n", error->message);
		return EX_TEMPFAIL;
	}
	bounce_verp_syntax_init (&syntax);
	if ((separators != NULL || cfg->verp_separators != NULL) &&
	    !bounce_verp_syntax_parse (&syntax, separators ? separators : cfg->verp_separators, &error)) {
		fprintf (stderr, "bouncefilter verp: %s\n", error->message);
		return EX_USAGE;
	}

	if (strcmp (cmd, "decode") == 0) {
		g_autoptr(BounceVerp) verp = bounce_verp_decode (addr, &syntax);
		if (verp == NULL) {
			fprintf (stderr, "bouncefilter verp: %s: not a VERP address\n", addr);
			return 1;
		}
		printf ("%s\n", verp->address);
		return EX_OK;
	}
	if (strcmp (cmd, "sign") != 0 && strcmp (cmd, "verify") != 0) {
		fprintf (stderr, "bouncefilter verp: unknown command \"%s\" (sign, verify, decode)\n", cmd);
		return EX_USAGE;
	}
	if (key_file == NULL && cfg->verp_key_file == NULL) {
		fprintf (stderr, "bouncefilter verp: no key: give --key-file or set [verp] key_file\n");
		return EX_USAGE;
	}
	key = bounce_verp_key_load (key_file ? key_file : cfg->verp_key_file, &error);
	if (key == NULL) {
		fprintf (stderr, "bouncefilter verp: %s\n", error->message);
		return EX_TEMPFAIL;
	}

	if (strcmp (cmd, "sign") == 0) {
		g_autofree char *signed_path = NULL;
		const char *b = base != NULL ? base : cfg->verp_return_path;

		if (b == NULL) {
			fprintf (stderr, "bouncefilter verp: no return path: give --return-path or set [verp] return_path\n");
			return EX_USAGE;
		}
		signed_path = bounce_verp_sign (b, addr, &syntax, key, days >= 0 ? days : bounce_verp_today (),
						&error);
		if (signed_path == NULL) {
			fprintf (stderr, "bouncefilter verp: %s\n", error->message);
			return EX_USAGE;
		}
		printf ("%s\n", signed_path);
		return EX_OK;
	} else {
		g_autoptr(BounceVerp) verp = bounce_verp_decode (addr, &syntax);
		BounceVerpCheck check = bounce_verp_verify (verp, key, bounce_verp_today (),
							    max_age >= 0 ? (guint) max_age : cfg->verp_max_age_days);

		if (check != BOUNCE_VERP_VALID) {
			fprintf (stderr, "bouncefilter verp: %s: signature %s\n", addr, bounce_verp_check_name (check));
			return 1;
		}
		printf ("%s\n", verp->address);
		return EX_OK;
	}
}
