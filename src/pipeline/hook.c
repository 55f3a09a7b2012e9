/*
 * pipeline/hook.c - run an operator's command for a bounce event, without a shell
 *
 * DESCRIPTION	See hook.h.  The child is started with g_spawn_async_with_fds
 *		in its own process group, so that a timeout also stops what
 *		the hook itself started (a script's curl or sleep).  The wait
 *		polls waitpid(WNOHANG) every 10 ms while it relays the hook's
 *		output: no main loop, no SIGCHLD handler to disturb the caller.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

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

/* The hook's output, relayed to our stderr one line at a time behind a
 * "bouncefilter: hook NAME: " prefix: whatever it prints can never be the
 * first bytes pipe(8) reads and takes for a status code. */
typedef struct {
	int         fd;		/* read end, -1 once closed */
	const char *name;
	GString    *line;
} Relay;

static void
relay_flush (Relay *relay, gboolean all)
{
	char *nl;

	while ((nl = memchr (relay->line->str, '\n', relay->line->len)) != NULL ||
	       (all && relay->line->len > 0)) {
		gsize n = nl != NULL ? (gsize) (nl - relay->line->str) : relay->line->len;
		g_autofree char *text = g_utf8_make_valid (relay->line->str, n);

		for (char *p = text; *p; p++)
			if ((guchar) *p < 0x20 && *p != '\t')
				*p = ' ';
		fprintf (stderr, "bouncefilter: hook %s: %s\n", relay->name, text);
		g_string_erase (relay->line, 0, nl != NULL ? n + 1 : n);
	}
}

/* Read what is there, waiting at most MSEC for something to come. */
static void
relay_read (Relay *relay, int msec)
{
	struct pollfd pfd = { relay->fd, POLLIN, 0 };
	char buf[4096];
	ssize_t n;

	if (relay->fd < 0) {
		if (msec > 0)
			g_usleep (msec * 1000);
		return;
	}
	if (poll (&pfd, 1, msec) <= 0)
		return;
	n = read (relay->fd, buf, sizeof buf);
	if (n > 0) {
		if (relay->line->len < 64 * 1024)	/* a hook cannot make us hoard */
			g_string_append_len (relay->line, buf, n);
		relay_flush (relay, relay->line->len >= 64 * 1024);
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
		close (relay->fd);
		relay->fd = -1;
	}
}

/* Wait for PID up to MSEC, relaying its output; TRUE with *status once it has ended. */
static gboolean
wait_for (GPid pid, gint64 msec, int *status, Relay *relay)
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
		relay_read (relay, POLL_MSEC);
	}
}

gboolean
bounce_hook_run (const BounceHook *hook, char **env, const char *recipient, GError **error)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new ();
	g_auto(GStrv) envp = g_get_environ ();
	g_autoptr(GError) local = NULL;
	g_autofree char *name = g_path_get_basename (hook->argv[0]);
	Relay relay = { -1, name, NULL };
	GPid pid = 0;
	int devnull, fds[2], status = 0;
	gboolean ended, spawned;

	for (char **a = hook->argv; *a; a++)
		g_ptr_array_add (argv, *a);
	g_ptr_array_add (argv, (gpointer) (recipient ? recipient : ""));
	g_ptr_array_add (argv, NULL);
	for (char **e = env; e && *e; e++) {
		const char *eq = strchr (*e, '=');
		g_autofree char *var = NULL;

		if (eq == NULL)
			continue;
		var = g_strndup (*e, eq - *e);
		envp = g_environ_setenv (envp, var, eq + 1, TRUE);
	}

	devnull = open ("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0 || !g_unix_open_pipe (fds, FD_CLOEXEC, &local)) {
		if (devnull >= 0)
			close (devnull);
		g_set_error (error, BOUNCE_HOOK_ERROR, BOUNCE_HOOK_ERROR_SPAWN, "hook %s: %s",
			     hook->argv[0], local ? local->message : g_strerror (errno));
		return FALSE;
	}
	fflush (stderr);
	spawned = g_spawn_async_with_fds (NULL, (char **) argv->pdata, envp,
					  G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
					  child_setup, NULL, &pid, devnull, fds[1], fds[1], &local);
	close (devnull);
	close (fds[1]);
	if (!spawned) {
		close (fds[0]);
		g_set_error (error, BOUNCE_HOOK_ERROR, BOUNCE_HOOK_ERROR_SPAWN,
			     "hook %s: %s", hook->argv[0], local->message);
		return FALSE;
	}
	relay.fd = fds[0];
	relay.line = g_string_new (NULL);

	ended = wait_for (pid, (gint64) hook->timeout_sec * 1000, &status, &relay);
	if (!ended) {
		kill (-pid, SIGTERM);
		kill (pid, SIGTERM);
		if (!wait_for (pid, KILL_GRACE_MSEC, &status, &relay)) {
			kill (-pid, SIGKILL);
			kill (pid, SIGKILL);
			wait_for (pid, G_MAXINT32, &status, &relay);
		}
	}
	/* what is left in the pipe; a grandchild holding it open is not waited for */
	if (relay.fd >= 0) {
		fcntl (relay.fd, F_SETFL, O_NONBLOCK);
		for (int i = 0; i < 64 && relay.fd >= 0; i++)
			relay_read (&relay, 0);
		if (relay.fd >= 0)
			close (relay.fd);
	}
	relay_flush (&relay, TRUE);
	g_string_free (relay.line, TRUE);
	g_spawn_close_pid (pid);

	if (!ended) {
		g_set_error (error, BOUNCE_HOOK_ERROR, BOUNCE_HOOK_ERROR_TIMEOUT,
			     "hook %s: no answer in %u s, stopped", hook->argv[0], hook->timeout_sec);
		return FALSE;
	}
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
