/*
 * heuristics/notes.c - Lotus Notes and Lotus/IBM/HCL Domino
 *
 * DESCRIPTION	notes	The Lotus SMTP MTA of Notes R4/R5: "------- Failure
 *			Reasons --------", then for each recipient its reason
 *			line FIRST and the address on the next line, up to
 *			"------- Returned Message --------" (the original).
 *			The reason is often in the server's language
 *			(Japanese installations are common).
 *		domino	Domino R6 and later: Subject "DELIVERY FAILURE: ...";
 *			"Your message ... was not delivered to:", the
 *			addresses, then "because:" and the reason.
 *		A phrase table turns the directory wordings into 5.1.1 when
 *		the text carries no code of its own.
 * SEE ALSO	appliances.h
 */
#include "config.h"

#include <string.h>

#include "heuristics/appliances.h"
#include "heuristics/text.h"

#define REASON_LINES 6

static const BounceApplPhrase notes_phrases[] = {
	{ "not listed in public Name & Address Book", "5.1.1" },
	{ "not listed in Domino Directory", "5.1.1" },
	{ "ディレクトリのリストにありません", "5.1.1" },	/* "not in the directory list" */
	{ "ist nicht im Domino-Verzeichnis aufgeführt", "5.1.1" },
	{ NULL, NULL }
};

static gboolean
blank (const char *line, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isspace (line[i]))
			return FALSE;
	return TRUE;
}

static void
apply_phrases (BounceReport *report)
{
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		bounce_appl_default_status (r, bounce_appl_phrase_status (r->diagnostic, notes_phrases));
	}
}

/* ---- Lotus Notes -------------------------------------------------------- */

gboolean
bounce_detect_notes (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *hit = bounce_text_find (text, len, "------- Failure Reasons");
	const char *start;
	BounceLines it;
	const char *line;
	gsize n;
	g_autoptr(GString) pending = g_string_new (NULL);
	guint pending_lines = 0;
	BounceRecipient *last = NULL;	/* borrowed: may take the lines after it */

	if (hit == NULL)
		return FALSE;
	start = memchr (hit, '\n', text + len - hit);
	if (start == NULL)
		return FALSE;
	bounce_lines_init (&it, start + 1, text + len - start - 1);
	while (bounce_lines_next (&it, &line, &n)) {
		g_autofree char *addr = NULL;

		if (bounce_text_find (line, n, "------- Returned Message") != NULL) {
			bounce_text_take_original (scan, line, text + len - line);
			break;
		}
		if (blank (line, n))
			continue;
		addr = bounce_text_address (line, n, NULL);
		if (addr != NULL) {
			BounceRecipient *r = bounce_report_find_recipient (report, addr);	/* borrowed */
			if (r == NULL) {
				if (report->recipients->len >= scan->limits->max_recipients)
					break;
				r = bounce_report_add_recipient (report, addr);
			}
			if (pending->len > 0)
				bounce_set (&r->diagnostic, pending->str);
			g_string_truncate (pending, 0);
			pending_lines = 0;
			last = *r->diagnostic == '\0' ? r : NULL;
			continue;
		}
		while (n > 0 && g_ascii_isspace (*line)) {
			line++;
			n--;
		}
		/* a reason after an address that had none belongs to it */
		if (last != NULL) {
			bounce_set_len (&last->diagnostic, line, n);
			last = NULL;
			continue;
		}
		if (pending_lines < REASON_LINES) {
			if (pending->len > 0)
				g_string_append_c (pending, ' ');
			g_string_append_len (pending, line, n);
			pending_lines++;
		}
	}
	if (report->recipients->len == 0)
		return FALSE;
	apply_phrases (report);
	bounce_appl_decide (report, "notes");
	return TRUE;
}

/* ---- Domino ------------------------------------------------------------- */

static const struct {
	const char *not_delivered;	/* precedes the addresses */
	const char *because;		/* precedes the reason */
} domino_labels[] = {
	{ "was not delivered to:", "because:" },
	{ "wurde nicht zugestellt an:", "weil:" },
	{ "n'a pas été remis à", "parce que" },
	{ "no se ha entregado a:", "porque:" },
	{ "non è stato recapitato a:", "perché:" },
	{ NULL, NULL }
};
static const char *const domino_subjects[] = { "DELIVERY FAILURE", "DELIVERY_FAILURE", "Zustellungsfehler", NULL };

gboolean
bounce_detect_domino (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *list = NULL;
	const char *because = NULL;
	const char *label = NULL;
	const char *from;
	g_autofree char *reason = NULL;
	const char *const no_end[] = { NULL };
	gsize stop;

	for (gsize i = 0; domino_labels[i].not_delivered && list == NULL; i++) {
		list = bounce_text_find (text, len, domino_labels[i].not_delivered);
		label = domino_labels[i].because;
	}
	if (list == NULL)
		return FALSE;
	if (!bounce_str_has_any (scan->subject, domino_subjects) &&
	    bounce_text_find (text, list - text, "Your message") == NULL)
		return FALSE;
	because = bounce_text_find (list, text + len - list, label);
	if (because == NULL)
		return FALSE;
	from = memchr (list, '\n', because - list);
	if (from == NULL)
		return FALSE;
	/* the address lines hold nothing else: no diagnostic comes from them */
	if (bounce_text_block_range (from + 1, because - from - 1, report, no_end,
				     scan->limits->max_recipients, &stop) == 0)
		return FALSE;
	reason = bounce_appl_paragraph_after (because, text + len - because, label, REASON_LINES);
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		if (reason != NULL)
			bounce_set (&r->diagnostic, reason);
	}
	apply_phrases (report);
	bounce_appl_decide (report, "domino");
	return TRUE;
}
