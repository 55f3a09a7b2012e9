/*
 * pipeline/hook.h - run an operator's command for a bounce event, without a shell
 *
 * SYNOPSIS	BounceHook *bounce_hook_new (const char *command, guint timeout_sec,
 *					     GError **error);
 *		gboolean bounce_hook_run (const BounceHook *hook, char **env,
 *					  const char *recipient, GError **error);
 * DESCRIPTION	COMMAND is split into words with shell quoting rules
 *		(g_shell_parse_argv) but never given to a shell: no
 *		expansion, no redirection, no ";".  Each run appends the
 *		recipient address as the last argument, passes ENV (NAME=VALUE
 *		pairs added to our own environment), connects stdin to
 *		/dev/null, relays its stdout and stderr to our stderr line by
 *		line behind a "bouncefilter: hook NAME: " prefix (our stdout
 *		belongs to the MTA, and pipe(8) must never see a status code
 *		first), and waits at most timeout_sec seconds: then SIGTERM to
 *		the hook's process group, and SIGKILL two seconds later.
 *		bounce_hook_event_env() builds the BOUNCE_* variables.
 * ERRORS	BOUNCE_HOOK_ERROR_SPAWN (cannot start), _FAILED (non-zero
 *		exit or killed by a signal), _TIMEOUT.
 * OWNERSHIP	ENV and RECIPIENT are borrowed.
 * SEE ALSO	contrib/hooks/, bouncefilter(1) "HOOKS"
 */
#ifndef BOUNCE_PIPELINE_HOOK_H
#define BOUNCE_PIPELINE_HOOK_H

#include <glib.h>

#include "result.h"

G_BEGIN_DECLS

#define BOUNCE_HOOK_ERROR (bounce_hook_error_quark ())
GQuark bounce_hook_error_quark (void);

typedef enum {
	BOUNCE_HOOK_ERROR_SPAWN,
	BOUNCE_HOOK_ERROR_FAILED,
	BOUNCE_HOOK_ERROR_TIMEOUT,
} BounceHookError;

#define BOUNCE_HOOK_TIMEOUT_DEFAULT 30	/* seconds */

typedef struct {
	char **argv;		/* owned */
	guint  timeout_sec;	/* 0 = the default */
} BounceHook;

BounceHook *bounce_hook_new (const char *command, guint timeout_sec, GError **error);
void        bounce_hook_free (BounceHook *hook);
gboolean    bounce_hook_run (const BounceHook *hook, char **env, const char *recipient,
			     GError **error);

/* What a hook learns about one recipient of REPORT: BOUNCE_RECIPIENT,
 * BOUNCE_STATUS, BOUNCE_REPLY_CODE, BOUNCE_REASON, BOUNCE_HARD (true|false),
 * BOUNCE_KIND, BOUNCE_ACTION (DSN action), BOUNCE_DIAGNOSTIC,
 * BOUNCE_LIST_ID, BOUNCE_MESSAGE_ID (of the original), BOUNCE_FROM (of the
 * original), BOUNCE_BOUNCE_MESSAGE_ID, BOUNCE_ENVELOPE_RECIPIENT,
 * BOUNCE_EVENT (EVENT: "event" or "suppress"), BOUNCE_SUPPRESSED,
 * BOUNCE_AUTHENTICATED (AUTHENTICATED: "true", "false" or NULL = unset),
 * BOUNCE_SOURCE (SOURCE).  Values are cleaned: no control characters,
 * at most 1000 bytes.  (transfer full) NAME=VALUE pairs. */
GStrv bounce_hook_event_env (const BounceReport *report, const BounceRecipient *rcpt,
			     const char *event, gboolean suppressed,
			     const char *authenticated, const char *source);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceHook, bounce_hook_free)

G_END_DECLS

#endif
