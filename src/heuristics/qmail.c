/*
 * heuristics/qmail.c - qmail and its descendants (QSBMF)
 *
 * DESCRIPTION	qmail-send's bounce (QSBMF, "Hi. This is the qmail-send
 *		program at ...") and the same text from netqmail, notqmail,
 *		IndiMail and vpopmail setups: one "<address>:" paragraph per
 *		recipient, up to the "--- Below this line is a copy of the
 *		message." line.
 * SEE ALSO	https://cr.yp.to/proto/qsbmf.txt
 */
#include "config.h"

#include "heuristics/text.h"

static const char *const qmail_start[] = {
	"This is the qmail-send program at",
	"This is the notqmail-send program at",
	"This is the indimail-send program at",
	"This is the qmail-local program at",
	NULL
};
static const char *const qmail_end[] = {
	"--- Below this line is a copy of the message.",
	"--- Below this line is the original bounce.",
	"--- Enclosed are the original headers of the message.",
	NULL
};

static const BounceTextFormat qmail_format = {
	.name = "qmail",
	.start = qmail_start,
	.end = qmail_end,
};

gboolean
bounce_detect_qmail (BounceScan *scan, BounceReport *report)
{
	return bounce_text_block (scan, report, &qmail_format);
}
