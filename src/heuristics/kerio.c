/*
 * heuristics/kerio.c - Kerio Connect (formerly Kerio MailServer) notices
 *
 * DESCRIPTION	Kerio Connect names itself in its notice ("... generated
 *		by Kerio Connect at HOST") and in the Received lines it
 *		writes ("(Kerio Connect 10.0.2)"); per failed recipient it
 *		gives the address, then its own one-line verdict, the same
 *		words its mail log writes after "Status:" ("Remote SMTP
 *		server has rejected address", "Cannot connect to host",
 *		"Mailbox quota exceeded"), and what the remote host said.
 *		A notice is taken when a Kerio signal (X-Mailer, the first
 *		Received line, or the product name in the text) meets one
 *		of those verdicts; the recipients are the addresses after
 *		the "could not be delivered" / "has not been delivered"
 *		sentence, each followed by its lines.
 * SEE ALSO	appliances.h
 */
#include "config.h"

#include <string.h>

#include "heuristics/appliances.h"
#include "heuristics/text.h"

static const char *const kerio_names[] = { "Kerio Connect", "Kerio MailServer", NULL };
static const char *const kerio_start[] = {
	"could not be delivered to the following",
	"has not been delivered to the following",
	"could not be delivered to some",
	NULL
};
static const char *const kerio_end[] = {
	"Original message",
	"Message headers follow",
	"Received: ",
	NULL
};

/* Kerio's verdicts, with the status each stands for when no reply gives one. */
static const struct {
	const char *needle;
	const char *status;
	const char *action;
} kerio_verdicts[] = {
	{ "Remote SMTP server has rejected address", "5.1.1", "failed" },
	{ "Mailbox quota exceeded", "5.2.2", "failed" },
	{ "Cannot find mail exchanger", "5.4.4", "failed" },
	{ "Cannot connect to host", "4.4.1", "delayed" },
	{ "Remote host said:", NULL, NULL },
	{ NULL, NULL, NULL }
};

static gboolean
signalled (BounceScan *scan, const char *text, gsize len)
{
	return bounce_str_has_any (bounce_scan_header (scan, "X-Mailer"), kerio_names) ||
	       bounce_str_has_any (bounce_scan_header (scan, "Received"), kerio_names) ||
	       bounce_text_has_any (text, MIN (len, 2048), kerio_names);
}

gboolean
bounce_detect_kerio (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *start = NULL;
	const char *nl;
	gsize stop;
	gboolean verdict = FALSE;

	for (gsize i = 0; kerio_verdicts[i].needle && !verdict; i++)
		verdict = bounce_text_find (text, len, kerio_verdicts[i].needle) != NULL;
	if (!verdict || !signalled (scan, text, len))
		return FALSE;
	for (const char *const *s = kerio_start; *s && start == NULL; s++)
		start = bounce_text_find (text, len, *s);
	if (start == NULL || (nl = memchr (start, '\n', text + len - start)) == NULL)
		return FALSE;
	nl++;
	if (bounce_text_block_range (nl, text + len - nl, report, kerio_end,
				     scan->limits->max_recipients, &stop) == 0)
		return FALSE;
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		const char *d = r->diagnostic;

		for (gsize k = 0; kerio_verdicts[k].needle; k++) {
			if (kerio_verdicts[k].status == NULL ||
			    bounce_text_find (d, strlen (d), kerio_verdicts[k].needle) == NULL)
				continue;
			bounce_appl_default_status (r, kerio_verdicts[k].status);
			if (*r->action == '\0')
				bounce_set (&r->action, kerio_verdicts[k].action);
			break;
		}
	}
	if (nl + stop < text + len)
		bounce_text_take_original (scan, nl + stop, text + len - (nl + stop));
	bounce_appl_decide (report, "kerio");
	return TRUE;
}
