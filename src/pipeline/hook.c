/*
 * pipeline/hook.c - run an operator's command for a bounce event, without a shell
 *
 * DESCRIPTION	See hook.h.  The child is started with g_spawn_async_with_fds
 *		in its own process group, so that a timeout also stops what
 *		the hook itself started (a script's curl or sleep).  The wait
 *		polls waitpid(WNOHANG) every 10 ms: no main loop, no SIGCHLD
 *		handler to disturb the caller.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pipeline/hook.h"

#define KILL_GRACE_MSEC 2000
#define POLL_MSEC 10
#define MAX_VALUE 1000

G_DEFINE_QUARK (bounce-hook-error-quark, bounce_hook_error)

BounceHook *
bounce_hook_new (const char *command, guint timeout_sec, GError **error)
{
	g_autoptr(BounceHook) hook = g_new0 (BounceHook, 1);
	g_autoptr(GError) local = NULL;

	if (command == NULL || !g_shell_parse_argv (command, NULL, &hook->argv, &local)) {
		g_set_error (error, BOUNCE_HOOK_ERROR, BOUNCE_HOOK_ERROR_SPAWN,
			     "hook command \"%s\": %s", command ? command : "",
			     local ? local->message : "empty");
		return NULL;
	}
	hook->timeout_sec = timeout_sec > 0 ? timeout_sec : BOUNCE_HOOK_TIMEOUT_DEFAULT;
	return g_steal_pointer (&hook);
}

void
bounce_hook_free (BounceHook *hook)
{
	if (hook == NULL)
		return;
	g_strfreev (hook->argv);
	g_free (hook);
}

static void
child_setup (gpointer data)
{
	(void) data;
	setpgid (0, 0);		/* async-signal-safe: the hook leads its own group */
}

/* Wait for PID up to MSEC; TRUE with *status once it has ended. */
static gboolean
wait_for (GPid pid, gint64 msec, int *status)
{
	gint64 deadline = g_get_monotonic_time () + msec * 1000;

	for (;;) {
		pid_t r = waitpid (pid, status, WNOHANG);

		if (r == pid)
			return TRUE;
		if (r < 0 && errno != EINTR) {
			*status = 0;
			return TRUE;	/* reaped elsewhere: nothing more to learn */
		}
		if (g_get_monotonic_time () >= deadline)
			return FALSE;
		g_usleep (POLL_MSEC * 1000);
	}
}

gboolean
bounce_hook_run (const BounceHook *hook, char **env, const char *recipient, GError **error)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new ();
	g_auto(GStrv) envp = g_get_environ ();
	g_autoptr(GError) local = NULL;
	GPid pid = 0;
	int devnull, status = 0;
	gboolean ended;

	for (char **a = hook->argv; *a; a++)
		g_ptr_array_add (argv, *a);
	g_ptr_array_add (argv, (gpointer) (recipient ? recipient : ""));
	g_ptr_array_add (argv, NULL);
	for (char **e = env; e && *e; e++) {
		const char *eq = strchr (*e, '=');
		g_autofree char *name = NULL;

		if (eq == NULL)
			continue;
		name = g_strndup (*e, eq - *e);
		envp = g_environ_setenv (envp, name, eq + 1, TRUE);
	}

	devnull = open ("/dev/null", O_RDONLY | O_CLOEXEC);
	fflush (stderr);
	if (!g_spawn_async_with_fds (NULL, (char **) argv->pdata, envp,
				     G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
				     child_setup, NULL, &pid, devnull, STDERR_FILENO, STDERR_FILENO,
				     &local)) {
		if (devnull >= 0)
			close (devnull);
		g_set_error (error, BOUNCE_HOOK_ERROR, BOUNCE_HOOK_ERROR_SPAWN,
			     "hook %s: %s", hook->argv[0], local->message);
		return FALSE;
	}
	if (devnull >= 0)
		close (devnull);

	ended = wait_for (pid, (gint64) hook->timeout_sec * 1000, &status);
	if (!ended) {
		kill (-pid, SIGTERM);
		kill (pid, SIGTERM);
		if (!wait_for (pid, KILL_GRACE_MSEC, &status)) {
			kill (-pid, SIGKILL);
			kill (pid, SIGKILL);
			wait_for (pid, G_MAXINT32, &status);
		}
		g_spawn_close_pid (pid);
		g_set_error (error, BOUNCE_HOOK_ERROR, BOUNCE_HOOK_ERROR_TIMEOUT,
			     "hook %s: no answer in %u s, stopped", hook->argv[0], hook->timeout_sec);
		return FALSE;
	}
	g_spawn_close_pid (pid);
	if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
		return TRUE;
	if (WIFSIGNALED (status))
		g_set_error (error, BOUNCE_HOOK_ERROR, BOUNCE_HOOK_ERROR_FAILED,
			     "hook %s: killed by signal %d", hook->argv[0], WTERMSIG (status));
	else
		g_set_error (error, BOUNCE_HOOK_ERROR, BOUNCE_HOOK_ERROR_FAILED,
			     "hook %s: exit status %d", hook->argv[0], WEXITSTATUS (status));
	return FALSE;
}

/* NAME=VALUE with VALUE made safe for an environment variable. */
static void
add_env (GStrvBuilder *b, const char *name, const char *value)
{
	g_autofree char *valid = g_utf8_make_valid (value ? value : "", -1);
	GString *s = g_string_new (name);

	g_string_append_c (s, '=');
	for (const char *p = valid; *p && s->len < strlen (name) + 1 + MAX_VALUE; p++)
		g_string_append_c (s, ((guchar) *p < 0x20 || *p == 0x7f) ? ' ' : *p);
	g_strv_builder_add (b, s->str);
	g_string_free (s, TRUE);
}

GStrv
bounce_hook_event_env (const BounceReport *report, const BounceRecipient *rcpt,
		       const char *event, gboolean suppressed,
		       const char *authenticated, const char *source)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

	add_env (b, "BOUNCE_RECIPIENT", rcpt->recipient);
	add_env (b, "BOUNCE_STATUS", rcpt->status);
	add_env (b, "BOUNCE_REPLY_CODE", rcpt->reply_code);
	add_env (b, "BOUNCE_REASON", rcpt->reason);
	add_env (b, "BOUNCE_HARD", rcpt->hard_bounce ? "true" : "false");
	add_env (b, "BOUNCE_KIND", bounce_kind_name (report->kind));
	add_env (b, "BOUNCE_ACTION", rcpt->action);
	add_env (b, "BOUNCE_DIAGNOSTIC", rcpt->diagnostic);
	add_env (b, "BOUNCE_LIST_ID", report->orig_list_id);
	add_env (b, "BOUNCE_MESSAGE_ID", report->orig_message_id);
	add_env (b, "BOUNCE_FROM", report->orig_from);
	add_env (b, "BOUNCE_BOUNCE_MESSAGE_ID", report->bounce_message_id);
	add_env (b, "BOUNCE_ENVELOPE_RECIPIENT", report->envelope_recipient);
	add_env (b, "BOUNCE_EVENT", event);
	add_env (b, "BOUNCE_SUPPRESSED", suppressed ? "true" : "false");
	if (authenticated != NULL)
		add_env (b, "BOUNCE_AUTHENTICATED", authenticated);
	add_env (b, "BOUNCE_SOURCE", source);
	return g_strv_builder_end (b);
}
