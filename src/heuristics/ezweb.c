/*
 * heuristics/ezweb.c - au by KDDI (ezweb.ne.jp) "Mail System Error - Returned Mail"
 *
 * DESCRIPTION	au's mail system (Postmaster@ezweb.ne.jp) returns mail with
 *		a Japanese paragraph (ISO-2022-JP, already UTF-8 in scan->text)
 *		and fixed English sentences:
 *		  "Each of the following recipients was rejected by a remote
 *		   mail server." then "Recipient: <user@example.org>" and the
 *		   SMTP transcript (">>> RCPT TO:<...>", "<<< 550 ...");
 *		  "The following recipients did not receive this message:"
 *		   then "<user@example.org>";
 *		and, in older mail, the address alone before the sentence.
 *		The sentences name the reason where there is no reply:
 *		  "The user(s) account is disabled."		suspend
 *		  "The user(s) account is temporarily over quota"	mailboxfull
 *		  "Your message was not delivered within ..."	expired
 *		"X-SPASIGN: NG" in the header marks mail that au's own filter
 *		refused: "filtered".  Newer mail comes from Postmaster@au.com.
 */
#include "config.h"

#include <string.h>

#include "heuristics/providers.h"

static const ProviderFormat ezweb_format = {
	.name = "ezweb",
	.labels = (const char *const[]) { "Recipient:", NULL },
	.end = (const char *const[]) { "--------------------", NULL },
	.skip = (const char *const[]) {
		"The following recipients did not receive this message:",
		NULL },
	.default_class = '5',
	.leading_address = TRUE,
};

static const struct {
	const char *sentence;
	const char *reason;
} ezweb_sentences[] = {
	{ "The user(s) account is disabled", "suspend" },
	{ "The user(s) account is temporarily limited", "suspend" },
	{ "account is temporarily over quota", "mailboxfull" },
	{ "Your message was not delivered within", "expired" },
};

gboolean
bounce_detect_ezweb (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *reason = NULL;
	g_autofree char *summary = NULL;

	if (!bounce_str_has_any (scan->from, (const char *const[]) { "@ezweb.ne.jp", "@au.com", NULL }) &&
	    !bounce_str_has_any (scan->subject, (const char *const[]) {
			"Mail System Error - Returned Mail", NULL }))
		return FALSE;
	if (!provider_read (scan, report, &ezweb_format))
		return FALSE;
	if (provider_header_has (scan, "X-SPASIGN", (const char *const[]) { "NG", NULL }))
		reason = "filtered";
	for (gsize i = 0; i < G_N_ELEMENTS (ezweb_sentences) && reason == NULL; i++) {
		if (bounce_text_find (text, len, ezweb_sentences[i].sentence) != NULL)
			reason = ezweb_sentences[i].reason;
	}
	summary = provider_paragraph (text, len, "Your message was not delivered", (const char *const[]) {
			"The following recipients", NULL });
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */

		if (*r->diagnostic == '\0' && summary != NULL)
			bounce_set (&r->diagnostic, summary);
		if (reason != NULL)
			bounce_set (&r->reason, reason);
	}
	return TRUE;
}
