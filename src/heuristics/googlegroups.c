/*
 * heuristics/googlegroups.c - Google Groups: the group does not take the post
 *
 * DESCRIPTION	When a post to a Google group is refused (the group does not
 *		exist, or the sender may not post to it), Google's Mail
 *		Delivery Subsystem answers in the sender's language with a
 *		fixed letter: the group's name in parentheses, the possible
 *		causes as a bullet list, a link to groups.google.com/support
 *		and "Google Groups" as signature.  The group address is in
 *		X-Failed-Recipients.  The letter itself states the reason, so
 *		it is set here ("rejected"), whatever the language.
 */
#include "config.h"

#include <string.h>

#include "heuristics/providers.h"

static const char *const groups_from[] = {
	"mailer-daemon@googlemail.com", "mailer-daemon@google.com", NULL
};
static const char *const groups_signs[] = { "groups.google.com", NULL };

/* The line that names the group, "(name)", or the first line of text. */
static char *
group_line (const GString *text, const char *address)
{
	const char *at = strchr (address, '@');
	g_autofree char *needle = g_strdup_printf ("(%.*s)", (int) (at - address), address);
	const char *hit = bounce_text_find (text->str, text->len, needle);
	const char *start, *end;

	if (hit == NULL)
		return NULL;
	start = hit;
	while (start > text->str && start[-1] != '\n')
		start--;
	end = memchr (hit, '\n', text->str + text->len - hit);
	if (end == NULL)
		end = text->str + text->len;
	return g_strndup (start, MIN (end - start, 1024));
}

gboolean
bounce_detect_googlegroups (BounceScan *scan, BounceReport *report)
{
	const char *end;

	if (!bounce_str_has_any (scan->from, groups_from) ||
	    !provider_header_has (scan, "X-Failed-Recipients", NULL) ||
	    !bounce_text_has_any (scan->text->str, scan->text->len, groups_signs))
		return FALSE;
	if (provider_failed_recipients (scan, report) == 0)
		return FALSE;
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		g_autofree char *line = group_line (scan->text, r->recipient);

		bounce_set (&r->diagnostic, line != NULL ? line : scan->subject);
		bounce_set (&r->reason, "rejected");
		provider_default_status (r, '5');
	}
	end = bounce_text_find (scan->text->str, scan->text->len, "----- Original message -----");
	if (end != NULL)
		bounce_text_take_original (scan, end, scan->text->str + scan->text->len - end);
	report->kind = BOUNCE_KIND_BOUNCE;
	bounce_report_set_detector (report, "googlegroups");
	return TRUE;
}
