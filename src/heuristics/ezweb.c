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
 *		  "... rejected by a remote mail server" with no reply: au's
 *		   own filter refused the sender				filtered
 */
#include "config.h"

#include <string.h>

#include "dsn/status.h"
#include "heuristics/providers.h"

static const ProviderFormat ezweb_format = {
	.name = "ezweb",
	.labels = (const char *const[]) { "Recipient:", NULL },
	.end = (const char *const[]) { "--------------------", NULL },
	.skip = (const char *const[]) {
		"The following recipients did not receive this message:",
		NULL },
	.default_class = '5',
};

static const struct {
	const char *sentence;
	const char *reason;
	gboolean    without_reply;	/* only when no SMTP reply was quoted */
} ezweb_sentences[] = {
	{ "The user(s) account is disabled", "suspend", FALSE },
	{ "account is temporarily over quota", "mailboxfull", FALSE },
	{ "Your message was not delivered within", "expired", FALSE },
	{ "rejected by a remote mail server", "filtered", TRUE },
};

gboolean
bounce_detect_ezweb (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *reason = NULL;
	gboolean without_reply = FALSE;
	g_autofree char *summary = NULL;

	if (!bounce_str_has_any (scan->from, (const char *const[]) { "@ezweb.ne.jp", NULL }) &&
	    !bounce_str_has_any (scan->subject, (const char *const[]) {
			"Mail System Error - Returned Mail", NULL }))
		return FALSE;
	if (!provider_read (scan, report, &ezweb_format))
		return FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS (ezweb_sentences) && reason == NULL; i++) {
		if (bounce_text_find (text, len, ezweb_sentences[i].sentence) != NULL) {
			reason = ezweb_sentences[i].reason;
			without_reply = ezweb_sentences[i].without_reply;
		}
	}
	summary = provider_paragraph (text, len, "Your message was not delivered", (const char *const[]) {
			"The following recipients", NULL });
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		char code[4];

		if (*r->diagnostic == '\0' && summary != NULL)
			bounce_set (&r->diagnostic, summary);
		if (reason != NULL && (!without_reply ||
				       !bounce_reply_code_find (r->diagnostic, strlen (r->diagnostic), code)))
			bounce_set (&r->reason, reason);
	}
	return TRUE;
}
