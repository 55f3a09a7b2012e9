/*
 * heuristics/fml.c - fml mailing-list manager's error notices
 *
 * DESCRIPTION	fml (X-MLServer: fml ...) answers a post it will not
 *		distribute with a notice from the list's -admin address,
 *		naming the list, e.g.
 *		    You are not a member of this mailing list <list@example.org>.
 *		    Duplicated Message-ID in <list@example.org>.
 *		The recipient reported is the list address the post went to.
 *		The phrase table gives the reason, stated by the notice itself.
 */
#include "config.h"

#include <string.h>

#include "heuristics/mta.h"
#include "heuristics/text.h"

static const struct {
	const char *phrase;
	const char *reason;
} fml_notices[] = {
	{ "are not a member of this mailing list",	"rejected" },
	{ "not member",					"rejected" },
	{ "Duplicated Message-ID",			"systemerror" },
	{ "Loop Alert",					"systemerror" },
	{ "too big",					"emailtoolarge" },
};

gboolean
bounce_detect_fml (BounceScan *scan, BounceReport *report)
{
	const char *server = bounce_scan_header (scan, "X-MLServer");	/* borrowed */
	const char *text = scan->text->str;
	gsize len = scan->text->len;

	if (server == NULL || bounce_text_find (server, strlen (server), "fml") == NULL)
		return FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS (fml_notices); i++) {
		const char *hit = bounce_text_find (text, MIN (len, 4096), fml_notices[i].phrase);
		const char *eol, *ls;
		g_autofree char *addr = NULL;
		BounceRecipient *r;

		if (hit == NULL)
			continue;
		ls = hit;
		while (ls > text && ls[-1] != '\n')
			ls--;
		eol = memchr (hit, '\n', text + len - hit);
		if (eol == NULL)
			eol = text + len;
		/* the list address: in brackets on the notice line */
		{
			const char *lt = memchr (hit, '<', eol - hit);
			if (lt != NULL)
				addr = bounce_text_address (lt, eol - lt, NULL);
		}
		if (addr == NULL)
			continue;
		if ((r = bounce_mta_recipient (report, scan, addr)) == NULL)
			return FALSE;
		bounce_set_len (&r->diagnostic, ls, eol - ls);
		bounce_set (&r->reason, fml_notices[i].reason);
		bounce_mta_default_status (report, "5.0.0");	/* the post is refused for good */
		return bounce_mta_decide (scan, report, "fml", NULL, 0);
	}
	return FALSE;
}
