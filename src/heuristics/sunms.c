/*
 * heuristics/sunms.c - Sun / Oracle Communications Messaging Server (iPlanet)
 *
 * DESCRIPTION	The text part of its notification lists each recipient as a
 *		block of labelled lines after "Your message cannot be
 *		delivered to the following recipients:":
 *		  Recipient address: ADDRESS
 *		  Original address: ADDRESS
 *		  Reason: WORDS
 *		  Diagnostic code: smtp;550 5.1.1 ...
 *		  Remote system: dns;HOST (TCP|...)
 *		The Diagnostic code is the diagnostic; the Reason stands in
 *		when there is none.  When the notification also carries a
 *		delivery-status part, the RFC 3464 reader has decided it
 *		already; this reads the ones sent as text only.
 * SEE ALSO	appliances.h
 */
#include "config.h"

#include <string.h>

#include "heuristics/appliances.h"
#include "heuristics/text.h"

static const char *const sunms_start[] = {
	"Your message cannot be delivered to the following recipients:",
	"Your message could not be delivered to the following recipients:",
	NULL
};

/* The value after "label:" when the trimmed line starts with it. Borrowed. */
static const char *
labelled (const char *line, gsize n, const char *label, gsize *value_len)
{
	gsize k = strlen (label);

	while (n > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	if (n < k || g_ascii_strncasecmp (line, label, k) != 0)
		return NULL;
	line += k;
	n -= k;
	while (n > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	*value_len = n;
	return line;
}

/* Drop "smtp;" / "dns;" and the like. */
static const char *
after_type (const char *v, gsize *n)
{
	for (gsize i = 0; i < *n && i < 10; i++) {
		if (v[i] == ';') {
			const char *p = v + i + 1;
			gsize left = *n - i - 1;
			while (left > 0 && *p == ' ') {
				p++;
				left--;
			}
			*n = left;
			return p;
		}
		if (!g_ascii_isalnum (v[i]) && v[i] != '-')
			break;
	}
	return v;
}

gboolean
bounce_detect_sunms (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *hit = bounce_text_find_first (text, len, sunms_start);
	const char *start;
	BounceLines it;
	const char *line;
	gsize n;
	BounceRecipient *current = NULL;	/* borrowed */
	gboolean has_code = FALSE;		/* current has a Diagnostic code */

	if (hit == NULL || bounce_text_find (hit, text + len - hit, "Recipient address:") == NULL)
		return FALSE;
	start = memchr (hit, '\n', text + len - hit);
	if (start == NULL)
		return FALSE;
	bounce_lines_init (&it, start + 1, text + len - start - 1);
	while (bounce_lines_next (&it, &line, &n)) {
		const char *v;
		gsize vn;

		if ((v = labelled (line, n, "Recipient address:", &vn)) != NULL) {
			g_autofree char *addr = bounce_text_address (v, vn, NULL);
			current = NULL;
			if (addr == NULL || report->recipients->len >= scan->limits->max_recipients)
				continue;
			current = bounce_report_find_recipient (report, addr);
			if (current == NULL)
				current = bounce_report_add_recipient (report, addr);
			has_code = FALSE;
		} else if (current == NULL) {
			continue;
		} else if ((v = labelled (line, n, "Original address:", &vn)) != NULL) {
			g_autofree char *addr = bounce_text_address (v, vn, NULL);
			if (addr != NULL)
				bounce_set (&current->original_recipient, addr);
		} else if ((v = labelled (line, n, "Reason:", &vn)) != NULL) {
			if (!has_code)
				bounce_set_len (&current->diagnostic, v, vn);
		} else if ((v = labelled (line, n, "Diagnostic code:", &vn)) != NULL) {
			v = after_type (v, &vn);
			bounce_set_len (&current->diagnostic, v, vn);
			has_code = TRUE;
		} else if ((v = labelled (line, n, "Remote system:", &vn)) != NULL) {
			v = after_type (v, &vn);
			bounce_set_len (&current->remote_mta, v, strcspn (v, " (\t\n") < vn ? strcspn (v, " (\t\n") : vn);
		}
	}
	if (report->recipients->len == 0)
		return FALSE;
	bounce_appl_decide (report, "sunms");
	return TRUE;
}
