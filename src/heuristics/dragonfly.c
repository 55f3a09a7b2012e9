/*
 * heuristics/dragonfly.c - DragonFly Mail Agent (dma)
 *
 * DESCRIPTION	dma's bounce names one recipient and quotes the remote reply:
 *		    This is the DragonFly Mail Agent v0.13 at host.example.
 *
 *		    There was an error delivering your mail to <a@example.org>.
 *
 *		    mx.example.org [192.0.2.1] did not like our RCPT TO:
 *		    550 5.1.1 <a@example.org>: Recipient address rejected
 *
 *		    Message headers follow.
 *		Local failures replace the host line by a sentence ("DNS lookup
 *		failure: ...", "Could not deliver for the last N seconds").
 */
#include "config.h"

#include <string.h>

#include "heuristics/mta.h"
#include "heuristics/text.h"

static const char *const dma_intro[] = {
	"This is the DragonFly Mail Agent",
	NULL
};
static const char *const dma_end[] = {
	"Message headers follow.",
	"Original message follows.",
	NULL
};
#define DMA_RECIPIENT "There was an error delivering your mail to"

gboolean
bounce_detect_dragonfly (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *hit, *eol, *body;
	const char *stop = text + len;
	g_autofree char *addr = NULL;
	g_autoptr(GString) raw = g_string_new (NULL);
	BounceRecipient *rcpt;
	BounceLines it;
	const char *line;
	gsize n;

	if (!bounce_text_has_any (text, MIN (len, 2048), dma_intro))
		return FALSE;
	hit = bounce_text_find (text, len, DMA_RECIPIENT);
	if (hit == NULL)
		return FALSE;
	eol = memchr (hit, '\n', text + len - hit);
	if (eol == NULL)
		eol = text + len;
	addr = bounce_text_address (hit, eol - hit, NULL);
	if (addr == NULL || (rcpt = bounce_mta_recipient (report, scan, addr)) == NULL)
		return FALSE;
	body = eol < text + len ? eol + 1 : eol;
	bounce_lines_init (&it, body, text + len - body);
	while (bounce_lines_next (&it, &line, &n)) {
		if (bounce_text_has_any (line, n, dma_end)) {
			stop = line;
			break;
		}
		g_string_append_len (raw, line, n);
		g_string_append_c (raw, '\n');
	}
	/* "host [address] did not like our RCPT TO:" then the reply lines */
	{
		const char *like = bounce_text_find (raw->str, raw->len, "did not like our");
		if (like != NULL) {
			const char *le = memchr (like, '\n', raw->str + raw->len - like);
			const char *cmd = bounce_text_smtp_command (like, (le ? le : raw->str + raw->len) - like);
			const char *ls = like;
			g_autofree char *host = NULL;
			g_autoptr(GString) reply = g_string_new (NULL);

			while (ls > raw->str && ls[-1] != '\n')
				ls--;
			host = bounce_mta_host (ls, like - ls);
			if (host != NULL)
				bounce_set (&rcpt->remote_mta, host);
			if (cmd != NULL)
				bounce_set (&rcpt->smtp_command, cmd);
			if (le != NULL) {
				bounce_lines_init (&it, le + 1, raw->str + raw->len - le - 1);
				while (bounce_lines_next (&it, &line, &n) && n > 0)
					bounce_mta_append (reply, line, n);
			}
			if (reply->len > 0)
				bounce_set (&rcpt->diagnostic, reply->str);
		}
	}
	if (*rcpt->diagnostic == '\0')
		bounce_mta_digest (rcpt, raw->str, raw->len);
	bounce_mta_default_status (report, "5.0.0");	/* dma bounces only when it gives up */
	return bounce_mta_decide (scan, report, "dragonfly", stop, text + len - stop);
}
