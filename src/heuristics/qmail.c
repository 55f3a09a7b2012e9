/*
 * heuristics/qmail.c - qmail and its descendants (QSBMF)
 *
 * DESCRIPTION	qmail-send's bounce (QSBMF, "Hi. This is the qmail-send
 *		program at ...") and the same text from netqmail, notqmail,
 *		IndiMail, vpopmail and s/qmail setups: one "<address>:"
 *		paragraph per recipient, up to the "--- Below this line is a
 *		copy of the message." line.  Some sites replace the greeting
 *		with their own words but keep the paragraphs and the closing
 *		line; the second row takes those when the bounce comes from a
 *		mailer daemon with qmail's subject.
 *		In each paragraph the remote reply follows "Remote host said:";
 *		"does not like recipient" means RCPT, "failed after I sent the
 *		message" DATA, "sender was rejected" MAIL (transcript.c).
 * SEE ALSO	https://cr.yp.to/proto/qsbmf.txt
 */
#include "config.h"

#include "heuristics/mta.h"

static const char *const qmail_start[] = {
	"This is the qmail-send program at",
	"This is the notqmail-send program at",
	"This is the indimail-send program at",
	"This is the qmail-local program at",
	"This is the qmail-remote program at",
	"I'm afraid I wasn't able to deliver your message to the following addresses.",
	NULL
};
static const char *const qmail_end[] = {
	"--- Below this line is a copy of the message.",
	"--- Below this line is the original bounce.",
	"--- Below this line is the original message.",
	"--- Enclosed is a copy of the message.",
	"--- Enclosed are the original headers of the message.",
	NULL
};

/* Reworded greetings: the closing line and the sender are qmail's. */
static const char *const qmail_daemon[] = { "MAILER-DAEMON", NULL };
static const char *const qmail_subject[] = { "failure notice", NULL };
static const char *const qmail_reworded_start[] = {
	"could not be delivered",
	"wasn't able to deliver",
	"was not able to deliver",
	"unable to deliver",
	NULL
};

static const BounceMtaFormat qmail_formats[] = {
	{ .name = "qmail", .start = qmail_start, .end = qmail_end, .status = "5.0.0" },
	{ .name = "qmail", .from_any = qmail_daemon, .subject_any = qmail_subject,
	  .start = qmail_reworded_start, .end = qmail_end, .status = "5.0.0" },
};

gboolean
bounce_detect_qmail (BounceScan *scan, BounceReport *report)
{
	for (gsize i = 0; i < G_N_ELEMENTS (qmail_formats); i++)
		if (bounce_mta_format (scan, report, &qmail_formats[i]))
			return TRUE;
	return FALSE;
}
