/*
 * cli/suppress_cmd.h - "bouncefilter suppress": the suppression list by hand
 *
 * SYNOPSIS	int bounce_cli_suppress (int argc, char **argv);
 *		int bounce_store_exit_code (const GError *error);
 *		char *bounce_cli_who (void);
 * DESCRIPTION	bounce_cli_suppress() runs one subcommand (argv[0] is
 *		"suppress", argv[1] the subcommand) and returns the exit code.
 *		bounce_store_exit_code() maps a store error to a sysexits
 *		code: EX_USAGE for a bad URI or argument, EX_TEMPFAIL for
 *		everything else (locked, unreachable, disk full, newer
 *		schema), so mail stays queued until the store is back.
 *		bounce_cli_who() names the person at the keyboard for the
 *		audit table: getlogin(), else $SUDO_USER, $USER, $LOGNAME,
 *		else the user database.
 */
#ifndef BOUNCE_CLI_SUPPRESS_CMD_H
#define BOUNCE_CLI_SUPPRESS_CMD_H

#include <glib.h>

G_BEGIN_DECLS

int   bounce_cli_suppress (int argc, char **argv);
int   bounce_store_exit_code (const GError *error);
char *bounce_cli_who (void);

G_END_DECLS

#endif
