/*
 * heuristics/courier.c - the Courier mail server's text notice
 *
 * DESCRIPTION	Courier sends a delivery-status part as well, which the
 *		RFC 3464 reader takes first; this reads the text alone (a DSN
 *		lost on the way, a forwarded notice):
 *		    This is a delivery status notification from host.example,
 *		    running the Courier mail server, version 0.65.2.
 *		    ...
 *		                           UNDELIVERABLE MAIL
 *		    Your message to the following recipients cannot be delivered:
 *
 *		    <a@example.org>:
 *		        mx.example.org [192.0.2.1]:
 *		    >>> RCPT TO:<a@example.org>
 *		    <<< 550 5.1.1 <a@example.org>... User Unknown
 *		"DELAYED MAIL" heads the same layout in a delay notice.
 */
#include "config.h"

#include "heuristics/mta.h"
#include "heuristics/text.h"

static const char *const courier_intro[] = { "running the Courier mail server", NULL };
static const char *const courier_failed[] = {
	"Your message to the following recipients cannot be delivered:",
	NULL
};
static const char *const courier_delayed[] = {
	"Your message to the following recipients has not been delivered yet",
	"has been delayed",
	NULL
};
static const char *const courier_end[] = {
	"If your message was also sent to additional recipients",
	"-------------------------------------------------------",
	NULL
};

static const BounceMtaFormat courier_formats[] = {
	{ .name = "courier", .start = courier_failed, .end = courier_end, .status = "5.0.0" },
	{ .name = "courier", .start = courier_delayed, .end = courier_end, .status = "4.0.0" },
};

gboolean
bounce_detect_courier (BounceScan *scan, BounceReport *report)
{
	if (!bounce_text_has_any (scan->text->str, MIN (scan->text->len, 2048), courier_intro))
		return FALSE;
	if (bounce_mta_format (scan, report, &courier_formats[0]))
		return TRUE;
	if (!bounce_mta_format (scan, report, &courier_formats[1]))
		return FALSE;
	for (guint i = 0; i < report->recipients->len; i++)
		bounce_set (&((BounceRecipient *) g_ptr_array_index (report->recipients, i))->action,
			    "delayed");
	return TRUE;
}
