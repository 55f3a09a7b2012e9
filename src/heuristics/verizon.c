/*
 * heuristics/verizon.c - Verizon Wireless SMS/MMS gateways (vtext.com, vzwpix.com)
 *
 * DESCRIPTION	Two gateway texts:
 *		 - vzwpix.com (MMS): "Message could not be delivered to
 *		   mobile.", "Error: No valid recipients for this MM", then
 *		   "Original Message:" with the original's From/To/Subject;
 *		   the recipients are in that To: line.
 *		 - vtext.com (SMS): "Error: Invalid user address", "Error
 *		   message below:" and the reply ("550 - Requested action not
 *		   taken: no such user here"), then "Message details:" with
 *		   "RCPT TO: user@vtext.com".
 *		"No valid recipients for this MM" is the MMS gateway's word for
 *		an unknown number: "userunknown".
 *		The vtext.com message sometimes declares its inner boundary on
 *		an unfolded line, so a MIME parser finds no text part; the
 *		body is then read as it was sent (it is plain 7-bit text).
 */
#include "config.h"

#include <string.h>

#include "heuristics/providers.h"

static const char *const verizon_from[] = { "vtext.com", "vzwpix.com", "vzw.com", NULL };

/* The addresses on the first line after marker that starts with field. */
static guint
addresses_in_field (BounceScan *scan, BounceReport *report, const char *text, gsize len,
		    const char *marker, const char *field)
{
	const char *from = bounce_text_find (text, len, marker);
	BounceLines it;
	const char *line;
	gsize n;
	guint added = 0;

	if (from == NULL)
		return 0;
	bounce_lines_init (&it, from, text + len - from);
	while (bounce_lines_next (&it, &line, &n)) {
		gsize k = strlen (field);
		while (n > 0 && (*line == ' ' || *line == '\t')) {
			line++;
			n--;
		}
		if (n <= k || g_ascii_strncasecmp (line, field, k) != 0)
			continue;
		added += bounce_text_add_recipients (report, line + k, n - k,
						     scan->limits->max_recipients);
		break;
	}
	return added;
}

gboolean
bounce_detect_verizon (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	g_autofree char *raw = NULL;
	g_autofree char *why = NULL;

	if (!bounce_str_has_any (scan->from, verizon_from))
		return FALSE;
	if (bounce_text_find (text, len, "Error") == NULL) {
		GMimeObject *body = scan->body;	/* borrowed */
		if (body == NULL)
			return FALSE;
		raw = g_mime_object_to_string (body, NULL);
		text = raw;
		len = MIN (strlen (raw), 64 * 1024);
	}
	if (bounce_text_find (text, len, "Message could not be delivered to mobile") != NULL) {
		if (addresses_in_field (scan, report, text, len, "Original Message:", "To:") == 0)
			return FALSE;
		why = provider_lines_after (text, len, (const char *const[]) {
				"Message could not be delivered to mobile", NULL }, NULL, TRUE);
	} else if (bounce_text_find (text, len, "Error message below:") != NULL) {
		if (addresses_in_field (scan, report, text, len, "Message details:", "RCPT TO:") == 0)
			return FALSE;
		why = provider_lines_after (text, len, (const char *const[]) {
				"Error message below:", NULL }, NULL, TRUE);
	} else {
		return FALSE;
	}
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		bounce_set (&r->diagnostic, why);
		if (why != NULL && strstr (why, "No valid recipients") != NULL)
			bounce_set (&r->reason, "userunknown");
		provider_default_status (r, '5');
	}
	report->kind = BOUNCE_KIND_BOUNCE;
	bounce_report_set_detector (report, "verizon");
	return TRUE;
}
