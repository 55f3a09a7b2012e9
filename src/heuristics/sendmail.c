/*
 * heuristics/sendmail.c - Sendmail (8.x and V5) text bounces
 *
 * DESCRIPTION	Sendmail's human-readable part, taken here when no
 *		delivery-status part was read:
 *		    ----- The following addresses had permanent fatal errors -----
 *		    <kijitora@example.org>
 *		        (reason: 550 5.1.1 User unknown)
 *		        (expanded from: <alias@example.org>)
 *
 *		    ----- Transcript of session follows -----
 *		    ... while talking to mx.example.org.:
 *		    >>> RCPT To:<kijitora@example.org>
 *		    <<< 550 5.1.1 <kijitora@example.org>... User unknown
 *		    550 5.1.1 <kijitora@example.org>... User unknown
 *		"transient non-fatal errors" marks a delay warning.  V5-era
 *		sendmail has only the transcript: its "550 <a@b>... reason"
 *		lines name the recipients.  A bounce forwarded by hand keeps
 *		its quote marks ("> "): the prefix of the marker line is taken
 *		off every line.  A recipient written without a domain is
 *		looked up in a Final-Recipient line of the text, when the
 *		delivery-status fields came as plain text; such fields
 *		also give the Status that the text itself lacks.
 *		Some gateways return the whole bounce as the attached message;
 *		when the outer text names nobody, the attached one is read.
 */
#include "config.h"

#include <string.h>

#include "heuristics/mta.h"
#include "heuristics/text.h"

static const char *const sm_addresses[] = {
	"----- The following addresses had",
	"----- The following address had",
	"---- The following addresses had",
	NULL
};
static const char *const sm_transcript[] = {
	"----- Transcript of session follows -----",
	"---- Transcript of session follows ----",
	NULL
};
static const char *const sm_section_end[] = {
	"-----",
	"Reporting-MTA:",
	"Final-Recipient:",
	NULL
};

/* The text lines with the quote prefix of the marker line removed. */
typedef struct {
	const char *prefix;
	gsize       prefix_len;
} SmQuote;

static void
unquote (const SmQuote *q, const char **line, gsize *n)
{
	if (q->prefix_len > 0 && *n >= q->prefix_len && memcmp (*line, q->prefix, q->prefix_len) == 0) {
		*line += q->prefix_len;
		*n -= q->prefix_len;
	} else if (q->prefix_len > 0 && *n > 0 && **line == '>') {
		(*line)++;	/* "> " quoting an empty line as ">" */
		(*n)--;
	}
}

/* The address that a Final-Recipient field of the text gives for local part. (transfer full) */
static char *
final_recipient (const char *text, gsize len, const char *local)
{
	BounceLines it;
	const char *line;
	gsize n, ll = strlen (local);

	bounce_lines_init (&it, text, len);
	while (bounce_lines_next (&it, &line, &n)) {
		const char *f = bounce_text_find (line, n, "Final-Recipient:");
		g_autofree char *addr = NULL;
		if (f == NULL)
			continue;
		addr = bounce_text_address (f, line + n - f, NULL);
		if (addr != NULL && (ll == 0 || (g_ascii_strncasecmp (addr, local, ll) == 0 && addr[ll] == '@')))
			return g_steal_pointer (&addr);
	}
	return NULL;
}

/* A recipient line of the address section: "<a@b>", "a@b", or a bare local part. */
static char *
section_address (const char *text, gsize len, const char *line, gsize n)
{
	g_autofree char *local = NULL;
	char *addr = bounce_text_address (line, n, NULL);
	gsize k = 0;

	if (addr != NULL)
		return addr;
	while (k < n && !g_ascii_isspace (line[k]) && line[k] != '.' && line[k] != '(')
		k++;
	if (k == 0)
		return NULL;
	local = g_strndup (line + (line[0] == '<'), k - (line[0] == '<') - (line[k - 1] == '>'));
	return final_recipient (text, len, local);
}

static gboolean
sendmail_text (BounceScan *scan, BounceReport *report, const char *text, gsize len)
{
	const char *sec = NULL, *tr = NULL;
	const char *marker, *line, *stop = text + len;
	SmQuote q = { NULL, 0 };
	BounceLines it;
	gsize n;
	gboolean transient = FALSE;
	g_autoptr(GString) all = NULL;	/* the transcript's own lines */
	/* pairs: recipient (borrowed), its reason lines (GString, freed below) */
	g_autoptr(GPtrArray) raws = g_ptr_array_new ();

	for (const char *const *m = sm_addresses; *m && sec == NULL; m++)
		sec = bounce_text_find (text, len, *m);
	for (const char *const *m = sm_transcript; *m && tr == NULL; m++)
		tr = bounce_text_find (text, len, *m);
	if (sec == NULL && tr == NULL)
		return FALSE;
	marker = sec ? sec : tr;
	/* the quote prefix: what stands before the dashes, blanks excluded */
	{
		const char *ls = marker;
		while (ls > text && ls[-1] != '\n')
			ls--;
		q.prefix = ls;
		while (q.prefix_len < (gsize) (marker - ls) && ls[q.prefix_len] == '>')
			q.prefix_len++;
		if (q.prefix_len > 0 && ls[q.prefix_len] == ' ')
			q.prefix_len++;
	}
	/* 1. the address section */
	if (sec != NULL) {
		const char *eol = memchr (sec, '\n', text + len - sec);
		BounceRecipient *current = NULL;	/* borrowed */
		GString *raw = NULL;	/* borrowed from raws */

		transient = bounce_text_find (sec, (eol ? eol : text + len) - sec, "transient") != NULL;
		bounce_lines_init (&it, eol ? eol + 1 : text + len, eol ? text + len - eol - 1 : 0);
		while (bounce_lines_next (&it, &line, &n)) {
			gsize indent;
			unquote (&q, &line, &n);
			indent = bounce_mta_trim (&line, &n);
			if (n == 0) {
				if (report->recipients->len > 0)
					break;
				continue;
			}
			if (bounce_text_has_any (line, MIN (n, 16), sm_section_end))
				break;
			if (indent == 0 && line[0] != '(') {
				g_autofree char *addr = section_address (text, len, line, n);
				current = addr ? bounce_mta_recipient (report, scan, addr) : NULL;
				raw = NULL;
				if (current != NULL) {
					raw = g_string_new (NULL);
					g_ptr_array_add (raws, current);
					g_ptr_array_add (raws, raw);
				}
				continue;
			}
			if (raw == NULL)
				continue;
			if (line[0] == '(' && g_ascii_strncasecmp (line, "(reason:", 8) == 0) {
				const char *r = line + 8;
				gsize rn = n - 8;
				if (rn > 0 && r[rn - 1] == ')')
					rn--;
				bounce_mta_append (raw, r, rn);
			} else if (line[0] != '(') {
				bounce_mta_append (raw, line, n);
			}
		}
	}
	/* 2. the transcript: "... while talking to host:", ">>> cmd", "<<< reply", "NNN <a>... why" */
	if (tr != NULL) {
		const char *eol = memchr (tr, '\n', text + len - tr);
		g_autofree char *host = NULL;
		const char *command = NULL;
		g_autofree char *rcpt_to = NULL;
		g_autoptr(GString) reply = g_string_new (NULL);
		gboolean in_reply = FALSE;
		all = g_string_new (NULL);

		bounce_lines_init (&it, eol ? eol + 1 : text + len, eol ? text + len - eol - 1 : 0);
		while (bounce_lines_next (&it, &line, &n)) {
			const char *l;
			gsize ln;
			unquote (&q, &line, &n);
			bounce_mta_trim (&line, &n);
			if (n == 0)
				continue;
			if (bounce_text_has_any (line, MIN (n, 16), sm_section_end) ||
			    (n > 2 && line[0] == '-' && line[1] == '-') ||
			    g_ascii_strncasecmp (line, "Content-Type:", 13) == 0) {
				stop = line;	/* next section, MIME boundary or the returned message */
				break;
			}
			if (g_str_has_prefix (line, "... while talking to ")) {
				g_free (host);
				host = g_ascii_strdown (line + 21, n - 21);
				while (*host && strchr (".:", host[strlen (host) - 1]))
					host[strlen (host) - 1] = '\0';
				continue;
			}
			if (n > 4 && strncmp (line, ">>> ", 4) == 0) {
				l = line + 4;
				ln = n - 4;
				command = bounce_text_smtp_command (l, ln);
				if (command == NULL && ln >= 4 && g_ascii_strncasecmp (l, "DATA", 4) == 0)
					command = "DATA";
				if (command == NULL && ln >= 4 && (g_ascii_strncasecmp (l, "EHLO", 4) == 0 ||
								   g_ascii_strncasecmp (l, "HELO", 4) == 0))
					command = "HELO";
				if (command != NULL && strcmp (command, "RCPT") == 0) {
					g_free (rcpt_to);
					rcpt_to = bounce_text_address (l, ln, NULL);
				}
				in_reply = FALSE;
				g_string_truncate (reply, 0);
				continue;
			}
			if (n > 4 && strncmp (line, "<<< ", 4) == 0) {
				l = line + 4;
				ln = n - 4;
				if (ln < 3 || (l[0] != '4' && l[0] != '5'))
					continue;
				bounce_mta_append (reply, l, ln);
				in_reply = TRUE;
				if (ln > 3 && l[3] == '-')
					continue;
				/* a complete error reply: to whom? */
				{
					g_autofree char *named = bounce_text_address (l, ln, NULL);
					const char *who = named ? named : rcpt_to;
					for (guint i = 0; i < raws->len; i += 2) {
						BounceRecipient *r = g_ptr_array_index (raws, i);
						if (who != NULL && report->recipients->len > 1 &&
						    g_ascii_strcasecmp (r->recipient, who) != 0)
							continue;
						if (*r->smtp_command == '\0' && command != NULL)
							bounce_set (&r->smtp_command, command);
						if (*r->remote_mta == '\0' && host != NULL)
							bounce_set (&r->remote_mta, host);
						if (((GString *) g_ptr_array_index (raws, i + 1))->len == 0)
							g_string_assign (g_ptr_array_index (raws, i + 1), reply->str);
					}
					if (raws->len == 0 && who != NULL) {
						BounceRecipient *r = bounce_mta_recipient (report, scan, who);
						if (r != NULL) {
							bounce_set (&r->smtp_command, command ? command : "CONN");
							if (host != NULL)
								bounce_set (&r->remote_mta, host);
							g_ptr_array_add (raws, r);
							g_ptr_array_add (raws, g_string_new (reply->str));
						}
					}
				}
				in_reply = FALSE;
				g_string_truncate (reply, 0);
				continue;
			}
			bounce_mta_append (all, line, n);
			/* V5: "550 <a@b>... User unknown", "<a@b>... Deferred: ..." */
			if (!in_reply) {
				const char *dots = bounce_text_find (line, n, "... ");
				g_autofree char *addr = dots ? bounce_text_address (line, dots - line, NULL) : NULL;
				BounceRecipient *r = NULL;
				/* "local... Deferred: ..." for a recipient written without a domain */
				if (addr == NULL && dots != NULL && raws->len == 2) {
					BounceRecipient *only = g_ptr_array_index (raws, 0);
					gsize k = dots - line;
					if (g_ascii_strncasecmp (only->recipient, line, k) == 0 &&
					    only->recipient[k] == '@')
						addr = g_strdup (only->recipient);
				}
				if (addr != NULL && (r = bounce_report_find_recipient (report, addr)) == NULL &&
				    sec == NULL && (r = bounce_mta_recipient (report, scan, addr)) != NULL) {
					g_ptr_array_add (raws, r);
					g_ptr_array_add (raws, g_string_new (NULL));
				}
				/* several recipients: each its own line (one gets the whole transcript) */
				for (guint i = 0; r != NULL && raws->len > 2 && i < raws->len; i += 2)
					if (g_ptr_array_index (raws, i) == r &&
					    ((GString *) g_ptr_array_index (raws, i + 1))->len == 0)
						g_string_append_len (g_ptr_array_index (raws, i + 1), line, n);
			}
		}
	}
	for (guint i = 0; i < raws->len; i += 2) {
		BounceRecipient *r = g_ptr_array_index (raws, i);
		GString *raw = g_ptr_array_index (raws, i + 1);
		if (raw->len == 0 && all != NULL && raws->len == 2)
			g_string_assign (raw, all->str);	/* one recipient: the transcript is about it */
		if (raw->len > 0)
			bounce_set (&r->diagnostic, raw->str);
		if (*r->smtp_command == '\0') {
			const char *cmd = bounce_text_smtp_command (raw->str, raw->len);
			if (cmd != NULL)
				bounce_set (&r->smtp_command, cmd);
		}
		if (transient)
			bounce_set (&r->action, "delayed");
		g_string_free (raw, TRUE);
	}
	if (report->recipients->len == 0)
		return FALSE;
	bounce_text_inline_dsn (report, text, len, scan->limits);
	bounce_mta_default_status (report, transient ? "4.0.0" : "5.0.0");
	return bounce_mta_decide (scan, report, "sendmail", stop, text + len - stop);
}

gboolean
bounce_detect_sendmail (BounceScan *scan, BounceReport *report)
{
	if (sendmail_text (scan, report, scan->text->str, scan->text->len))
		return TRUE;
	/* the bounce came back as the attached message of a wrapper */
	if (scan->original_part != NULL && report->recipients->len == 0 &&
	    bounce_text_has_any (scan->text->str, scan->text->len, sm_addresses)) {
		g_autoptr(GMimeObject) message = bounce_scan_original_message (scan);
		g_autoptr(BounceScan) inner = NULL;
		gboolean found;

		if (message == NULL)
			return FALSE;
		inner = bounce_scan_new (message, scan->limits);
		found = bounce_detect_rfc3464 (inner, report) ||
			sendmail_text (inner, report, inner->text->str, inner->text->len);
		if (found) {
			report->kind = BOUNCE_KIND_BOUNCE;
			bounce_report_set_detector (report, "sendmail");
			return TRUE;
		}
	}
	return FALSE;
}
