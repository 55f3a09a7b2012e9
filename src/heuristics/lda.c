/*
 * heuristics/lda.c - local delivery agents' own rejection notices
 *
 * DESCRIPTION	Most local delivery agents (procmail, maildrop, mail.local,
 *		vpopmail's vdelivermail, vmailmgr's vdeliver) report through
 *		the MTA that ran them: their words ("maildir over quota",
 *		"Sorry, no mailbox here by that name. vpopmail (#5.1.1)") end
 *		up in that MTA's bounce and are read there.  Dovecot's LDA and
 *		Pigeonhole Sieve send a notice of their own:
 *		    Your message to <a@example.org> was automatically rejected:
 *		    Quota exceeded (mailbox for user is full)
 *		which is read here: the recipient on the first line, the reason
 *		on the lines after it.
 */
#include "config.h"

#include <string.h>

#include "heuristics/mta.h"
#include "heuristics/text.h"

static const char *const lda_start[] = {
	"was automatically rejected:",
	NULL
};
static const char *const lda_end[] = {
	"---",
	"Original message",
	NULL
};

static const BounceTextFormat lda_formats[] = {
	{ .name = "dovecot", .start = lda_start, .end = lda_end, .start_inclusive = TRUE },
};

gboolean
bounce_detect_lda (BounceScan *scan, BounceReport *report)
{
	for (gsize i = 0; i < G_N_ELEMENTS (lda_formats); i++) {
		if (bounce_text_block (scan, report, &lda_formats[i])) {
			/* the reason follows the start phrase, which the line reader kept */
			for (guint k = 0; k < report->recipients->len; k++) {
				BounceRecipient *r = g_ptr_array_index (report->recipients, k);	/* borrowed */
				const char *hit = bounce_text_find (r->diagnostic, strlen (r->diagnostic),
								    lda_start[0]);
				if (hit != NULL && hit[strlen (lda_start[0])] != '\0') {
					g_autofree char *why = g_strdup (hit + strlen (lda_start[0]));
					bounce_set (&r->diagnostic, why);
				}
			}
			bounce_mta_default_status (report, "5.0.0");
			return TRUE;
		}
	}
	return FALSE;
}
