/*
 * heuristics/james.c - Apache James
 *
 * DESCRIPTION	Two notices.  The Bounce mailet's:
 *		    Error: Invalid user address
 *
 *		    Error message below:
 *		    550 - Requested action not taken: no such user here
 *
 *		    Message details:
 *		      Subject: ...
 *		      MAIL FROM: sender@example.org
 *		      RCPT TO: a@example.org
 *		and the older mail server's:
 *		    Hi. This is the James mail server at host.example.
 *		    ...
 *		    Failed recipient(s):
 *		    a@example.org
 *
 *		    Error message:
 *		    550 ...
 *		Every listed recipient gets the one error message.
 *		Some of these notices declare a multipart/alternative whose
 *		boundary parameter lost its indentation: GMime then keeps the
 *		whole body as the multipart's prologue, and the scan has no
 *		text; the prologue is read instead.
 */
#include "config.h"

#include <string.h>

#include "heuristics/mta.h"
#include "heuristics/text.h"

static const struct {
	const char *signal;	/* in the text: this layout */
	const char *error;	/* the error message follows this line */
	const char *recipients;	/* the recipients follow this (RCPT TO: lines or a list) */
} james_layouts[] = {
	{ "Message details:", "Error message below:", "RCPT TO:" },
	{ "This is the James mail server", "Error message:", "Failed recipient(s):" },
};

/* The lines after the marker line up to a blank one, joined. (transfer full) */
static char *
lines_after (const char *text, gsize len, const char *marker)
{
	const char *hit = bounce_text_find (text, len, marker);
	const char *eol;
	GString *out;
	BounceLines it;
	const char *line;
	gsize n;

	if (hit == NULL || (eol = memchr (hit, '\n', text + len - hit)) == NULL)
		return NULL;
	out = g_string_new (NULL);
	/* the message may stand on the marker line itself */
	bounce_mta_append (out, hit + strlen (marker), eol - hit - strlen (marker));
	bounce_lines_init (&it, eol + 1, text + len - eol - 1);
	while (bounce_lines_next (&it, &line, &n)) {
		bounce_mta_trim (&line, &n);
		if (n == 0) {
			if (out->len > 0)
				break;
			continue;
		}
		bounce_mta_append (out, line, n);
	}
	return g_string_free (out, out->len == 0);
}

/* The prologue of the first multipart without children (a lost boundary). */
static void
find_prologue (GMimeObject *parent, GMimeObject *part, gpointer data)
{
	const char **prologue = data;

	(void) parent;
	if (*prologue == NULL && GMIME_IS_MULTIPART (part) &&
	    g_mime_multipart_get_count (GMIME_MULTIPART (part)) == 0)
		*prologue = g_mime_multipart_get_prologue (GMIME_MULTIPART (part));	/* borrowed */
}

gboolean
bounce_detect_james (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *prologue = NULL;	/* borrowed from the message */

	if (len == 0) {
		bounce_scan_foreach (scan, find_prologue, &prologue);
		if (prologue == NULL)
			return FALSE;
		text = prologue;
		len = strlen (prologue);
	}

	for (gsize k = 0; k < G_N_ELEMENTS (james_layouts); k++) {
		g_autofree char *error = NULL;
		const char *p;

		if (bounce_text_find (text, len, james_layouts[k].signal) == NULL ||
		    (error = lines_after (text, len, james_layouts[k].error)) == NULL)
			continue;
		p = bounce_text_find (text, len, james_layouts[k].recipients);
		while (p != NULL) {
			const char *eol = memchr (p, '\n', text + len - p);
			const char *end = eol ? eol : text + len;
			g_autofree char *addr = bounce_text_address (p, end - p, NULL);
			BounceRecipient *r;

			if (k == 1 && eol != NULL && addr == NULL) {
				/* the list starts on the next line */
				p = eol + 1;
				continue;
			}
			if (addr == NULL)
				break;
			if ((r = bounce_mta_recipient (report, scan, addr)) != NULL) {
				bounce_set (&r->diagnostic, error);
				bounce_set (&r->smtp_command, "RCPT");
				if (k == 0 && bounce_text_find (text, len, "Invalid user address") == NULL)
					bounce_set (&r->smtp_command, "");
			}
			if (eol == NULL)
				break;
			p = k == 0 ? bounce_text_find (eol, text + len - eol, james_layouts[k].recipients)
				   : eol + 1;
		}
		if (report->recipients->len > 0) {
			bounce_mta_default_status (report, "5.0.0");
			return bounce_mta_decide (scan, report, "james", NULL, 0);
		}
	}
	return FALSE;
}
