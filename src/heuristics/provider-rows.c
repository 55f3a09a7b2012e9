/*
 * heuristics/provider-rows.c - providers whose bounce is a ProviderFormat row
 *
 * DESCRIPTION	Yahoo, Mail.ru, GMX and Web.de, 1&1 (einsundeins), Biglobe
 *		and Zoho write a fixed sentence, the failed addresses, the
 *		reason and a marker before the returned message:
 *		  Yahoo		"Sorry, we were unable to deliver your message to
 *				the following address." ... "<user@example.org>:"
 *				... "--- Below this line is a copy of the message."
 *		  Mail.ru	Exim's text after a Russian paragraph; the English
 *				"The following address(es) failed:" block is read
 *				(the Russian one may give the local part only).
 *		  GMX, 1&1	"The following address failed:" then the address
 *				quoted or bare, "Reason:" / "For the following
 *				reason:", then "--- The header of the original
 *				message is following. ---".
 *		  Biglobe	"----- The following addresses had delivery
 *				problems -----", then "----- Non-delivered
 *				information -----" and a fixed sentence, which
 *				names the reason (also for the cable-TV ISPs it
 *				hosts: inacatv, tmtv, ttv).
 *		  Zoho		one line per recipient: "user@example.org Invalid
 *				Address, ERROR_CODE :550, ..." or, when delayed,
 *				"[Status: Error, Address: <...>, ResponseCode 421,
 *				...]", with the original's headers right after.
 */
#include "config.h"

#include <string.h>

#include "heuristics/providers.h"

static const ProviderFormat yahoo_format = {
	.name = "yahoo",
	.start = (const char *const[]) {
		"Sorry, we were unable to deliver your message to the following address",
		NULL },
	.end = (const char *const[]) {
		"--- Below this line is a copy of the message.",
		NULL },
	.default_class = '5',
};

gboolean
bounce_detect_yahoo (BounceScan *scan, BounceReport *report)
{
	return provider_read (scan, report, &yahoo_format);
}

static const ProviderFormat mailru_format = {
	.name = "mailru",
	.from_any = (const char *const[]) {
		"@corp.mail.ru", "@mail.ru", "@bk.ru", "@list.ru", "@inbox.ru", "@corp.my.com",
		NULL },
	.start = (const char *const[]) {
		"The following address(es) failed",
		"одному или нескольким получателям",
		NULL },
	.end = (const char *const[]) {
		"------ This is a copy of the message",
		"------ This is a copy of your message",
		"------ This is a copy of the body",
		"**********************",
		NULL },
	.default_class = '5',
};

gboolean
bounce_detect_mailru (BounceScan *scan, BounceReport *report)
{
	return provider_read (scan, report, &mailru_format);
}

static const char *const gmx_end[] = {
	"--- The header of the original message is following. ---",
	"--- The original message is following. ---",
	NULL
};
static const char *const gmx_skip[] = {
	"Reason:",
	"For the following reason:",
	NULL
};

static const ProviderFormat gmx_format = {
	.name = "gmx",
	.from_any = (const char *const[]) { "gmx.", "@web.de", NULL },
	.end = gmx_end,
	.skip = gmx_skip,
	.default_class = '5',
};

static const ProviderFormat einsundeins_format = {
	.name = "einsundeins",
	.from_any = (const char *const[]) {
		"kundenserver", "1and1", "1und1", "@online.de", "ionos", NULL },
	.end = gmx_end,
	.skip = gmx_skip,
	.default_class = '5',
};

gboolean
bounce_detect_gmx (BounceScan *scan, BounceReport *report)
{
	return provider_read (scan, report, &gmx_format) ||
	       provider_read (scan, report, &einsundeins_format);
}

static const ProviderFormat biglobe_format = {
	.name = "biglobe",
	.from_any = (const char *const[]) {
		"biglobe.ne.jp", "@inacatv.ne.jp", "@tmtv.ne.jp", "@ttv.ne.jp", NULL },
	.start = (const char *const[]) {
		"The following addresses had delivery problems",
		NULL },
	.skip = (const char *const[]) {
		"----- Non-delivered information -----",
		NULL },
	.default_class = '5',
};

/* Biglobe's fixed sentences and what they mean. */
static const struct {
	const char *sentence;
	const char *reason;
} biglobe_sentences[] = {
	{ "The number of messages in recipient's mailbox exceeded the local limit", "mailboxfull" },
	{ "Mail Delivery Failed... User unknown", "filtered" },
};

gboolean
bounce_detect_biglobe (BounceScan *scan, BounceReport *report)
{
	if (!provider_read (scan, report, &biglobe_format))
		return FALSE;
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		for (gsize k = 0; k < G_N_ELEMENTS (biglobe_sentences); k++) {
			if (strstr (r->diagnostic, biglobe_sentences[k].sentence) != NULL) {
				bounce_set (&r->reason, biglobe_sentences[k].reason);
				break;
			}
		}
	}
	return TRUE;
}

static const char *const zoho_from[] = { "zoho", NULL };
static const BounceTextFormat zoho_format = {
	.name = "zoho",
	.start = (const char *const[]) {
		"The following addresses had fatal errors",
		"could not be delivered to one or more of its",
		NULL },
	.end = (const char *const[]) {
		"----- Transcript of session follows -----",
		"Received:from ",
		"Received: from ",
		NULL },
};

gboolean
bounce_detect_zoho (BounceScan *scan, BounceReport *report)
{
	char cls;

	if (!bounce_str_has_any (scan->from, zoho_from) &&
	    !provider_header_has (scan, "X-ZohoMail", NULL))
		return FALSE;
	if (!bounce_text_block (scan, report, &zoho_format))
		return FALSE;
	cls = bounce_str_has_any (scan->subject, (const char *const[]) { "(Delay)", NULL }) ? '4' : '5';
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		provider_set_command (r, r->diagnostic, strlen (r->diagnostic));
		provider_default_status (r, cls);
	}
	return TRUE;
}
