/*
 * cli/commands.h - the subcommands of bouncefilter
 *
 * DESCRIPTION	Each takes its own argv (argv[0] is the command name) and
 *		returns the process exit code.
 */
#ifndef BOUNCE_CLI_COMMANDS_H
#define BOUNCE_CLI_COMMANDS_H

int bounce_cli_explain (int argc, char **argv);	/* cli/explain_cmd.c */
int bounce_cli_suppress (int argc, char **argv);	/* cli/suppress_cmd.c */

#endif
