/*
 * heuristics/transcript.c - helpers shared by the MTA-family detectors
 *
 * SYNOPSIS	void bounce_mta_digest (BounceRecipient *rcpt, const char *raw, gsize len);
 * DESCRIPTION	Most MTA bounces say, for each recipient, which SMTP command
 *		failed, which host answered and what it answered, in one of a
 *		few shapes: an SMTP session transcript (">>> RCPT TO:<...>" /
 *		"<<< 550 ...", Postfix's "In:" / "Out:"), a phrase ("after RCPT
 *		TO", "in reply to DATA command", "did not like our RCPT TO"),
 *		and "host NAME [ADDRESS] said: REPLY".  bounce_mta_digest()
 *		reads the raw lines kept for one recipient and sets its
 *		smtp_command, remote_mta and diagnostic (the remote reply when
 *		one can be isolated, else the lines joined).
 *		bounce_mta_paragraphs() reads the common "<address>:" paragraph
 *		layout (qmail, Postfix, Courier and their kin).
 *		All scans are single passes over fixed tables: linear time.
 * OWNERSHIP	Returned strings are (transfer full); static names are not.
 */
#include "config.h"

#include <string.h>

#include "dsn/status.h"
#include "heuristics/mta.h"
#include "heuristics/text.h"

/* The command named by the first word of a client line ("RCPT TO:<a>" → "RCPT"). */
static const char *
command_word (const char *line, gsize len)
{
	static const struct {
		const char *word;
		const char *command;
	} words[] = {
		{ "RCPT", "RCPT" }, { "MAIL", "MAIL" }, { "DATA", "DATA" }, { ".", "DATA" },
		{ "EHLO", "HELO" }, { "HELO", "HELO" }, { "LHLO", "HELO" },
		{ "STARTTLS", "STARTTLS" }, { "AUTH", "AUTH" }, { "QUIT", "QUIT" },
		{ "RSET", "RSET" }, { "BDAT", "DATA" }, { "XFORWARD", "XFORWARD" },
	};

	while (len > 0 && g_ascii_isspace (*line)) {
		line++;
		len--;
	}
	for (gsize i = 0; i < G_N_ELEMENTS (words); i++) {
		gsize n = strlen (words[i].word);
		if (len >= n && g_ascii_strncasecmp (line, words[i].word, n) == 0 &&
		    (len == n || !g_ascii_isalpha (line[n])))
			return words[i].command;
	}
	return NULL;
}

gsize
bounce_mta_trim (const char **line, gsize *len)
{
	gsize indent = 0;

	while (*len > 0 && (**line == ' ' || **line == '\t')) {
		indent += **line == '\t' ? 8 : 1;
		(*line)++;
		(*len)--;
	}
	while (*len > 0 && g_ascii_isspace ((*line)[*len - 1]))
		(*len)--;
	return indent;
}

void
bounce_mta_append (GString *out, const char *text, gsize len)
{
	bounce_mta_trim (&text, &len);
	if (len == 0 || out->len >= BOUNCE_MTA_DIAG_MAX)
		return;
	if (out->len > 0)
		g_string_append_c (out, ' ');
	g_string_append_len (out, text, MIN (len, BOUNCE_MTA_DIAG_MAX - out->len));
}

/* A line starting with a three-digit 4xx/5xx reply code. */
static gboolean
is_error_reply (const char *line, gsize len)
{
	return len >= 3 && (line[0] == '4' || line[0] == '5') && g_ascii_isdigit (line[1]) &&
	       g_ascii_isdigit (line[2]) && (len == 3 || line[3] == ' ' || line[3] == '-');
}

gboolean
bounce_mta_transcript (const char *text, gsize len, BounceMtaTranscript *out)
{
	BounceLines it;
	const char *line;
	gsize n;
	const char *last_command = NULL;
	gboolean in_reply = FALSE;

	memset (out, 0, sizeof *out);
	out->reply = g_string_new (NULL);
	bounce_lines_init (&it, text, len);
	while (bounce_lines_next (&it, &line, &n)) {
		gboolean client = FALSE, server = FALSE;

		bounce_mta_trim (&line, &n);
		if (n >= 3 && strncmp (line, ">>>", 3) == 0) {
			client = TRUE;
			line += 3;
			n -= 3;
		} else if (n >= 3 && strncmp (line, "<<<", 3) == 0) {
			server = TRUE;
			line += 3;
			n -= 3;
		} else if (n >= 3 && g_ascii_strncasecmp (line, "In:", 3) == 0) {
			client = TRUE;
			line += 3;
			n -= 3;
		} else if (n >= 4 && g_ascii_strncasecmp (line, "Out:", 4) == 0) {
			server = TRUE;
			line += 4;
			n -= 4;
		}
		bounce_mta_trim (&line, &n);
		if (client) {
			const char *cmd = command_word (line, n);
			if (in_reply)
				break;	/* the error reply is complete */
			if (cmd != NULL)
				last_command = cmd;
			if (cmd != NULL && strcmp (cmd, "RCPT") == 0 && out->recipient == NULL)
				out->recipient = bounce_text_address (line, n, NULL);
			out->seen = TRUE;
			continue;
		}
		if (server) {
			out->seen = TRUE;
			if (is_error_reply (line, n)) {
				if (!in_reply)
					out->command = last_command ? last_command : "CONN";
				in_reply = TRUE;
				bounce_mta_append (out->reply, line, n);
				if (n == 3 || line[3] == ' ')
					break;	/* last line of the reply */
			} else if (in_reply) {
				break;
			}
			continue;
		}
		if (in_reply)
			break;
	}
	return out->reply->len > 0;
}

void
bounce_mta_transcript_clear (BounceMtaTranscript *t)
{
	g_clear_pointer (&t->recipient, g_free);
	if (t->reply)
		g_string_free (t->reply, TRUE);
	t->reply = NULL;
}

char *
bounce_mta_host (const char *text, gsize len)
{
	const char *p = text, *end = text + len;
	const char *start;

	while (p < end && g_ascii_isspace (*p))
		p++;
	start = p;
	while (p < end && (g_ascii_isalnum (*p) || *p == '.' || *p == '-' || *p == '_'))
		p++;
	if (p == start || memchr (start, '.', p - start) == NULL)
		return NULL;
	if (p < end && *p == ' ')
		p++;
	if (p >= end || *p != '[')
		return NULL;
	return g_ascii_strdown (start, p - start - (p[-1] == ' ' ? 1 : 0));
}

/* After "host " or "while talking to ", the host name. */
static char *
host_after (const char *text, gsize len, const char *marker)
{
	const char *hit = bounce_text_find (text, len, marker);
	const char *p, *end = text + len;
	const char *start;

	if (hit == NULL)
		return NULL;
	p = start = hit + strlen (marker);
	while (p < end && (g_ascii_isalnum (*p) || *p == '.' || *p == '-' || *p == '_'))
		p++;
	while (p > start && p[-1] == '.')
		p--;
	if (p == start || memchr (start, '.', p - start) == NULL)
		return NULL;
	return g_ascii_strdown (start, p - start);
}

void
bounce_mta_digest (BounceRecipient *rcpt, const char *raw, gsize len)
{
	BounceMtaTranscript t;
	g_autoptr(GString) joined = g_string_new (NULL);
	const char *said;
	BounceLines it;
	const char *line;
	gsize n;

	if (len == 0)
		return;
	/* "(expanded from <alias>): " before the reason (Postfix) */
	if (len > 14 && g_ascii_strncasecmp (raw, "(expanded from", 14) == 0) {
		const char *close = bounce_text_find (raw, len, "):");
		if (close != NULL) {
			len -= close + 2 - raw;
			raw = close + 2;
		}
	}
	if (*rcpt->remote_mta == '\0') {
		g_autofree char *host = host_after (raw, len, "host ");
		if (host == NULL)
			host = host_after (raw, len, "while talking to ");
		bounce_lines_init (&it, raw, len);
		while (host == NULL && bounce_lines_next (&it, &line, &n))
			host = bounce_mta_host (line, n);
		if (host != NULL)
			bounce_set (&rcpt->remote_mta, host);
	}
	if (bounce_mta_transcript (raw, len, &t)) {
		if (*rcpt->smtp_command == '\0' && t.command != NULL)
			bounce_set (&rcpt->smtp_command, t.command);
		bounce_set (&rcpt->diagnostic, t.reply->str);
		bounce_mta_transcript_clear (&t);
		return;
	}
	bounce_mta_transcript_clear (&t);
	if (*rcpt->smtp_command == '\0') {
		const char *cmd = bounce_text_smtp_command (raw, len);
		if (cmd != NULL)
			bounce_set (&rcpt->smtp_command, cmd);
	}
	/* "Remote host said: 550 ..." (qmail), "host x[1.2.3.4] said: 550 ..." (Postfix) */
	said = bounce_text_find (raw, len, " said:");
	if (said != NULL) {
		const char *rest = said + 6;
		char code[4];
		if (bounce_reply_code_find (rest, raw + len - rest, code) ||
		    bounce_status_find (rest, raw + len - rest, (char[16]) { 0 })) {
			/* qmail-remote says what the reply refused before quoting it:
			 * "Connected to 192.0.2.1 but my name was rejected." */
			bounce_lines_init (&it, raw, said - raw);
			while (bounce_lines_next (&it, &line, &n)) {
				bounce_mta_trim (&line, &n);
				if (n > 13 && g_ascii_strncasecmp (line, "Connected to ", 13) == 0 &&
				    bounce_text_find (line, n, " but ") != NULL)
					bounce_mta_append (joined, line, n);
			}
			bounce_lines_init (&it, rest, raw + len - rest);
			while (bounce_lines_next (&it, &line, &n))
				bounce_mta_append (joined, line, n);
			bounce_set (&rcpt->diagnostic, joined->str);
			return;
		}
	}
	bounce_lines_init (&it, raw, len);
	while (bounce_lines_next (&it, &line, &n))
		bounce_mta_append (joined, line, n);
	bounce_set (&rcpt->diagnostic, joined->str);
}

BounceRecipient *
bounce_mta_recipient (BounceReport *report, const BounceScan *scan, const char *address)
{
	BounceRecipient *r = bounce_report_find_recipient (report, address);	/* borrowed */

	if (r != NULL)
		return r;
	if (report->recipients->len >= scan->limits->max_recipients) {
		report->anomalies |= BOUNCE_ANOMALY_TOO_MANY_RCPTS;
		return NULL;
	}
	return bounce_report_add_recipient (report, address);
}

/* "<address>" at the very start of the line, then ':' or a space or the end. */
static char *
paragraph_address (const char *line, gsize n)
{
	const char *close;
	g_autofree char *addr = NULL;
	gsize after = 0;

	if (n < 4 || line[0] != '<' || line[1] == '<')
		return NULL;
	close = memchr (line, '>', n);
	if (close == NULL)
		return NULL;
	addr = bounce_text_address (line + 1, close - line - 1, &after);
	if (addr == NULL || line + 1 + after != close)
		return NULL;
	if (close + 1 < line + n && close[1] != ':' && close[1] != ' ')
		return NULL;
	return g_steal_pointer (&addr);
}

guint
bounce_mta_paragraphs (const BounceScan *scan, BounceReport *report, const char *text, gsize len,
		       const char *const *end_markers, gsize *stopped_at)
{
	BounceLines it;
	const char *line;
	gsize n;
	BounceRecipient *current = NULL;	/* borrowed */
	g_autoptr(GString) raw = g_string_new (NULL);
	gboolean closed = FALSE;
	guint before = report->recipients->len;

	if (stopped_at)
		*stopped_at = len;
	bounce_lines_init (&it, text, len);
	while (bounce_lines_next (&it, &line, &n)) {
		g_autofree char *addr = NULL;

		if (end_markers != NULL && bounce_text_has_any (line, n, end_markers)) {
			if (stopped_at)
				*stopped_at = line - text;
			break;
		}
		addr = paragraph_address (line, n);
		if (addr != NULL) {
			const char *close = memchr (line, '>', n);
			if (current != NULL)
				bounce_mta_digest (current, raw->str, raw->len);
			g_string_truncate (raw, 0);
			closed = FALSE;
			current = bounce_mta_recipient (report, scan, addr);
			/* the rest of the line: "<a>: host x said: ..." (Postfix) */
			close++;
			while (close < line + n && (*close == ':' || *close == ' '))
				close++;
			if (close < line + n) {
				g_string_append_len (raw, close, line + n - close);
				g_string_append_c (raw, '\n');
			}
			continue;
		}
		if (current == NULL || closed || raw->len >= BOUNCE_MTA_DIAG_MAX)
			continue;
		if (n == 0 || (n == 1 && line[0] == '.')) {
			closed = raw->len > 0;	/* a blank line ends the paragraph */
			continue;
		}
		g_string_append_len (raw, line, n);
		g_string_append_c (raw, '\n');
	}
	if (current != NULL)
		bounce_mta_digest (current, raw->str, raw->len);
	return report->recipients->len - before;
}

void
bounce_mta_default_status (BounceReport *report, const char *status)
{
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		gsize n = strlen (r->diagnostic);
		char found[16];
		char code[4];

		if (r->status[0] != '\0' || bounce_status_find (r->diagnostic, n, found))
			continue;
		/* the class of the remote reply, when there is one, else the format's */
		if (bounce_reply_code_find (r->diagnostic, n, code) && (code[0] == '4' || code[0] == '5'))
			bounce_recipient_set_status (r, code[0] == '4' ? "4.0.0" : "5.0.0");
		else
			bounce_recipient_set_status (r, status);
	}
}

gboolean
bounce_mta_decide (BounceScan *scan, BounceReport *report, const char *name,
		   const char *marker_line, gsize len)
{
	if (report->recipients->len == 0)
		return FALSE;
	if (marker_line != NULL && len > 0)
		bounce_text_take_original (scan, marker_line, len);
	report->kind = BOUNCE_KIND_BOUNCE;
	bounce_report_set_detector (report, name);
	return TRUE;
}

gboolean
bounce_mta_format (BounceScan *scan, BounceReport *report, const BounceMtaFormat *fmt)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *hit;
	const char *start;
	gsize stop;

	if (fmt->from_any != NULL && !bounce_str_has_any (scan->from, fmt->from_any))
		return FALSE;
	if (fmt->subject_any != NULL && !bounce_str_has_any (scan->subject, fmt->subject_any))
		return FALSE;
	hit = bounce_text_find_first (text, len, fmt->start);
	if (hit == NULL)
		return FALSE;
	start = bounce_text_next_line (text, len, hit);
	if (bounce_mta_paragraphs (scan, report, start, text + len - start, fmt->end, &stop) == 0)
		return FALSE;
	if (fmt->status != NULL)
		bounce_mta_default_status (report, fmt->status);
	return bounce_mta_decide (scan, report, fmt->name, start + stop, text + len - (start + stop));
}
