/*
 * heuristics/mdaemon.c - MDaemon (Alt-N Technologies)
 *
 * DESCRIPTION	MDaemon's notice ("The attached message had PERMANENT fatal
 *		delivery errors!") carries the SMTP session as a transcript
 *		between "--- Session Transcript ---" and "--- End Transcript
 *		---", one time-stamped line per event: "--> RCPT To:<a@b>"
 *		for a command sent, "<-- 550 5.1.1 ..." for a reply.  A
 *		recipient is the address of a RCPT line; its diagnostic is
 *		the first error reply after it.  Without RCPT lines (the
 *		session failed earlier), the "*  To: a@b" lines name the
 *		recipients and the last error reply is theirs.
 * SEE ALSO	appliances.h
 */
#include "config.h"

#include <string.h>

#include "heuristics/appliances.h"
#include "heuristics/text.h"

static const char *const mdaemon_markers[] = {
	"had PERMANENT fatal delivery errors",
	"--- Session Transcript ---",
	NULL
};

/* The text after "mark" on the line, or NULL. Borrowed. */
static const char *
after_mark (const char *line, gsize n, const char *mark, gsize *rest)
{
	const char *hit = bounce_text_find (line, n, mark);

	if (hit == NULL)
		return NULL;
	hit += strlen (mark);
	while (hit < line + n && *hit == ' ')
		hit++;
	*rest = line + n - hit;
	return hit;
}

static gboolean
error_reply (const char *p, gsize n)
{
	return n >= 3 && (p[0] == '4' || p[0] == '5') && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]);
}

gboolean
bounce_detect_mdaemon (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *begin;
	BounceLines it;
	const char *line;
	gsize n;
	BounceRecipient *current = NULL;	/* borrowed: the last RCPT */
	g_autoptr(GPtrArray) to = g_ptr_array_new_with_free_func (g_free);
	g_autofree char *last_error = NULL;
	g_autofree char *last_command = NULL;
	g_autofree char *error_command = NULL;	/* the command the last error answered */

	if (strstr (scan->from, "MDaemon") == NULL &&
	    bounce_text_find (text, len, mdaemon_markers[0]) == NULL)
		return FALSE;
	begin = bounce_text_find (text, len, mdaemon_markers[1]);
	if (begin == NULL)
		return FALSE;
	bounce_lines_init (&it, begin, text + len - begin);
	while (bounce_lines_next (&it, &line, &n)) {
		const char *p;
		gsize rest;

		if (bounce_text_find (line, n, "--- End Transcript") != NULL)
			break;
		if ((p = after_mark (line, n, "--> ", &rest)) != NULL) {
			g_free (last_command);
			last_command = g_ascii_strup (p, MIN (rest, strcspn (p, " :\n")));
			current = NULL;
			if (g_strcmp0 (last_command, "RCPT") == 0) {
				g_autofree char *addr = bounce_text_address (p, rest, NULL);
				if (addr != NULL && report->recipients->len < scan->limits->max_recipients) {
					current = bounce_report_find_recipient (report, addr);
					if (current == NULL)
						current = bounce_report_add_recipient (report, addr);
				}
			}
		} else if ((p = after_mark (line, n, "<-- ", &rest)) != NULL && error_reply (p, rest)) {
			if (current != NULL && *current->diagnostic == '\0') {
				bounce_set_len (&current->diagnostic, p, rest);
				bounce_set (&current->smtp_command, "RCPT");
			}
			g_free (last_error);
			last_error = g_strndup (p, rest);
			g_free (error_command);
			error_command = g_strdup (last_command);
		} else if ((p = after_mark (line, n, "*  To:", &rest)) != NULL) {
			char *addr = bounce_text_address (p, rest, NULL);
			if (addr != NULL)
				g_ptr_array_add (to, addr);
		}
	}
	if (report->recipients->len == 0) {
		for (guint i = 0; i < to->len && i < scan->limits->max_recipients; i++) {
			BounceRecipient *r = bounce_report_find_recipient (report, to->pdata[i]);	/* borrowed */
			if (r == NULL)
				r = bounce_report_add_recipient (report, to->pdata[i]);
			if (last_error != NULL)
				bounce_set (&r->diagnostic, last_error);
			if (error_command != NULL)
				bounce_set (&r->smtp_command, error_command);
		}
	}
	if (report->recipients->len == 0)
		return FALSE;
	bounce_appl_decide (report, "mdaemon");
	return TRUE;
}
