/*
 * cli/verp_cmd.h - bouncefilter verp: make and check VERP return paths
 *
 * SYNOPSIS	int bounce_cli_verp (int argc, char **argv);
 * DESCRIPTION	argv[0] is "verp"; returns the process exit code.
 */
#ifndef BOUNCE_CLI_VERP_CMD_H
#define BOUNCE_CLI_VERP_CMD_H

int bounce_cli_verp (int argc, char **argv);

#endif
