/*
 * heuristics/fallback.c - the generic detectors, tried last
 *
 * SYNOPSIS	const BounceDetector bounce_detectors_fallback[];
 * DESCRIPTION	For bounces from MTAs no specific detector knows.  Nothing
 *		is read unless the message presents itself as a bounce (a
 *		MAILER-DAEMON or postmaster sender, a bounce subject in one
 *		of several languages, or a null Return-Path together with a
 *		sentence saying delivery failed).  Then two rows:
 *		"dsn-text"	RFC 3464 fields written into the text (a
 *				delivery-status part GMime could not see: a
 *				broken boundary, a text/plain label, fields
 *				pasted into the notice): "Final-Recipient:" and
 *				"Status:" or "Action:" at line starts, parsed by
 *				dsn/fields.c.
 *		"fallback"	every address in the notice that comes with
 *				evidence of failure: an SMTP reply code or
 *				RFC 3463 status, a failure phrase ("user
 *				unknown", "mailbox full", ...) in its paragraph,
 *				or a heading just above ("The following
 *				addresses had permanent fatal errors").  SMTP
 *				transcripts are followed: ">>> RCPT TO:<a@b>"
 *				then "<<< 550 ..." fails a@b at RCPT; a refusal
 *				after DATA fails every recipient accepted before.
 *				X-Failed-Recipients, when present, is the list.
 *		Addresses that cannot be the failed recipient are left out:
 *		the notice's own From, To, Cc and delivery headers, the
 *		returned original's sender, postmaster@ and MAILER-DAEMON@,
 *		header lines such as Message-ID:, and everything from the
 *		start of the returned original ("------ This is a copy of the
 *		message", "----- Original message -----", a Received: block).
 *		When a multipart body lost its parts (no boundary, wrong
 *		boundary), its prologue is read instead of the empty text.
 * LIMITS	Each line is looked at a fixed number of times; tables are
 *		fixed; limits->max_recipients.
 * SEE ALSO	heuristics/signals.h, dsn/fields.h, tests/check_reports.c
 */
#include "config.h"

#include <string.h>

#include "dsn/fields.h"
#include "dsn/status.h"
#include "heuristics/signals.h"
#include "heuristics/text.h"

#define DIAG_LINES 10		/* lines read after an address for its reason */
#define HEADING_REACH 12	/* lines a heading vouches for */
#define DIAG_MAX 1000
#define LINE_MAX_READ 2048	/* bytes of one line looked at */
#define MAX_ADDRESSES 1000	/* address occurrences weighed per message */

/* A line containing one of these starts the returned original. */
static const char *const original_always[] = {
	"this is a copy of the message", "below this line is a copy of the message",
	"original message follows", "original message headers", "original message header",
	"headers of the original message", "header of the original message",
	"content-type: message/rfc822", "content-type: text/rfc822-headers",
	"content-type: message/global", "your message reads", "message text follows",
	"undelivered message follows", "returned message follows", "copy of your message follows",
	"original message is included", "nachricht folgt", "ursprüngliche nachricht",
	"message d'origine", "mensaje original", "messaggio originale", "mensagem original",
	"oorspronkelijk bericht", "исходное сообщение", "元のメッセージ", "原始邮件",
	NULL
};

/* These start it only on a decorated separator line ("----- ... -----"). */
static const char *const original_separator[] = {
	"original message", "copy of the message", "copy of your message", "returned message",
	"message headers", "undelivered message", "original headers", "message text",
	"your message", "the message",
	NULL
};

/* Header lines that open a returned header block. */
static const char *const original_headers[] = {
	"Received: ", "Return-Path: ", "DKIM-Signature: ", "ARC-Seal: ", "X-Received: ",
	"Authentication-Results: ", "Received-SPF: ",
	NULL
};

/* Lines whose addresses are never the failed recipient. */
static const char *const skip_line_prefixes[] = {
	"From:", "To:", "Cc:", "Bcc:", "Reply-To:", "Sender:", "Message-ID:", "Message-Id:",
	"In-Reply-To:", "References:", "Return-Path:", "Date:", "Subject:", "X-", "Errors-To:",
	"Delivered-To:", "Envelope-To:", "Resent-", "List-", "MAIL FROM", ">>> MAIL FROM",
	"Sent:", "Von:", "An:", "De :", "De:", "À :", "Para:", "Da:", "A:",
	NULL
};

/* A heading announcing a list of failed recipients. */
static const char *const headings[] = {
	"following address", "following recipient", "following destination",
	"following e-mail address", "following email address", "following user",
	"could not be delivered to", "couldn't be delivered to", "failed recipient",
	"delivery to the following", "permanent fatal error", "undeliverable to",
	"did not reach", "not delivered to", "was not delivered", "wasn't delivered",
	"unable to deliver to", "could not deliver to", "failed to deliver to",
	"delivery failed for", "delivery has failed to", "failed to be delivered",
	"errors occurred", "error occurred", "problem delivering", "delivery problems",
	"error delivering",
	"folgende empfänger", "folgenden empfänger", "konnte nicht zugestellt",
	"n'a pas pu être remis", "destinataire", "destinatario", "destinatário",
	"ontvanger", "宛先", "收件人", "получател", "intended recipient",
	"delivery of email to", "delivery of mail to", "message to:",
	NULL
};

/* Phrases of failure: evidence that an address next to them failed. */
static const char *const failure_phrases[] = {
	"user unknown", "unknown user", "no such user", "no such mailbox", "no such recipient",
	"no such address", "unknown recipient", "unknown address", "unknown local",
	"mailbox unavailable", "mailbox not found", "mailbox not available", "mailbox disabled",
	"mailbox is disabled", "mailbox full", "mailbox is full", "over quota", "quota exceeded",
	"exceeded storage", "exceeds quota", "storage limit", "insufficient storage",
	"does not exist", "doesn't exist", "not exist", "not found", "invalid recipient",
	"invalid address", "invalid mailbox", "recipient rejected", "address rejected",
	"account disabled", "account has been disabled", "account is disabled", "inactive",
	"suspended", "expired", "deactivated", "no longer", "not a valid", "is not valid",
	"relay denied", "relaying denied", "relay access denied", "not permitted to relay",
	"host unknown", "unknown host", "host not found", "domain not found", "no mx",
	"unrouteable", "unroutable", "connection refused", "connection timed out", "timed out",
	"could not be delivered", "couldn't be delivered", "undeliverable", "not delivered",
	"delivery failed", "permanent", "failed", "failure", "rejected", "refused", "blocked",
	"denied", "spam", "blacklist", "blocklist", "too large", "too big", "size limit",
	"unreachable", "not reachable", "did not reach", "retry time", "giving up",
	"unbekannt", "existiert nicht", "nicht zugestellt", "inconnu", "n'existe pas",
	"desconocido", "no existe", "sconosciuto", "non esiste", "não existe", "bestaat niet",
	"not recognized", "not recognised", "not listed", "cannot be delivered",
	"unable to deliver", "not able to deliver", "wasn't able to deliver", "cannot deliver",
	"can't deliver", "could not deliver", "could not be reached", "not be reached", "not yet been delivered", "not been delivered",
	"did not respond", "not known", "full mailbox", "postponed", "has been returned",
	"was returned", "encountered an error", "error delivering", "invalid", "not match", "not accepting",
	"存在しません", "不存在", "не существует",
	NULL
};

static const char *const delay_phrases[] = {
	"will continue trying", "will keep trying", "will retry", "still trying",
	"delivery delayed", "has been delayed", "message delayed", "delayed mail",
	"not yet been delivered", "warning: message still undelivered", "not been delivered yet",
	"delivery is delayed", "postponed", "will continue to attempt", "will try again",
	NULL
};

/* Subjects of success notices and receipts: nothing failed. */
static const char *const success_subjects[] = {
	"delivered:", "relayed:", "read:", "(success)", "successful delivery", "delivery succeeded",
	"return receipt", "read receipt", "message delivered", "zugestellt:", "gelesen:",
	"remis :", "remis:", "entregado:", "consegnato:", "afgeleverd:",
	NULL
};

static const char *const ignored_locals[] = {
	"postmaster", "mailer-daemon", "mailer_daemon", "mailerdaemon", "mail-daemon",
	NULL
};

typedef struct {
	BounceScan   *scan;		/* borrowed */
	GString      *body;		/* the text read: scan->text or a prologue, owned */
	gsize         area;		/* bytes of body before the returned original */
	GHashTable   *exclude;	/* addresses that are not recipients, owned */
} Fallback;

/* ---- gate ---- */

static gboolean
presents_as_bounce (const BounceScan *scan, const char *text, gsize len)
{
	const char *rp = bounce_scan_header (scan, "Return-Path");	/* borrowed */

	if (bounce_signal_from (scan->from) || bounce_signal_subject (scan->subject))
		return TRUE;
	if (scan->status_part != NULL || strcmp (scan->report_type, "delivery-status") == 0)
		return TRUE;
	if (rp != NULL && bounce_text_find (rp, strlen (rp), "mailer-daemon") != NULL)
		return TRUE;
	return bounce_signal_null_sender (scan) && bounce_signal_text (text, MIN (len, 8192));
}

/* ---- the text to read ---- */

static void
body_init (Fallback *fb, BounceScan *scan)
{
	GMimeObject *top = scan->body;	/* borrowed */

	fb->scan = scan;
	fb->body = g_string_new (NULL);
	if (scan->text->len > 0) {
		g_string_append_len (fb->body, scan->text->str, scan->text->len);
	} else if (top != NULL && GMIME_IS_MULTIPART (top) &&
		   g_mime_multipart_get_count (GMIME_MULTIPART (top)) == 0) {
		/* the parts were lost: what GMime kept as prologue is the whole body */
		const char *pro = g_mime_multipart_get_prologue (GMIME_MULTIPART (top));	/* borrowed */
		if (pro != NULL) {
			g_autofree char *utf8 = bounce_to_utf8 (pro, strlen (pro), NULL, NULL);
			for (const char *p = utf8; *p && fb->body->len < scan->limits->max_text; p++)
				if (*p != '\r')
					g_string_append_c (fb->body, *p);
		}
	}
}

/* Skip indentation and e-mail quoting ("> ", and "> " before ">>> "). */
static const char *
unquote (const char *line, gsize *n)
{
	for (;;) {
		while (*n > 0 && (*line == ' ' || *line == '\t')) {
			line++;
			(*n)--;
		}
		if (*n >= 2 && line[0] == '>' && line[1] == ' ') {
			line += 2;
			*n -= 2;
		} else if (*n >= 4 && strncmp (line, ">>>>", 4) == 0) {
			line++;
			(*n)--;
		} else if (*n == 1 && *line == '>') {
			line++;
			(*n)--;
		} else {
			return line;
		}
	}
}

static gboolean
decorated (const char *line, gsize n)
{
	gsize i = 0;

	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i < n && strchr ("-=_*#[<~+", line[i]) != NULL &&
	       i + 1 < n && strchr ("-=_*#[<~+ ", line[i + 1]) != NULL;
}

static gboolean
starts_with (const char *line, gsize n, const char *const *prefixes, gboolean ci)
{
	for (const char *const *p = prefixes; *p; p++) {
		gsize k = strlen (*p);
		if (k <= n && (ci ? g_ascii_strncasecmp (line, *p, k) : strncmp (line, *p, k)) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Offset where the returned original begins in body, or its length. */
static gsize
find_original (const GString *body)
{
	BounceLines it;
	const char *line;
	gsize n;

	bounce_lines_init (&it, body->str, body->len);
	while (bounce_lines_next (&it, &line, &n)) {
		line = unquote (line, &n);
		if (bounce_text_has_any (line, n, original_always) ||
		    (decorated (line, n) && bounce_text_has_any (line, n, original_separator)) ||
		    starts_with (line, n, original_headers, FALSE))
			return line - body->str;
	}
	return body->len;
}

/* ---- addresses that are not recipients ---- */

#define SOFT GINT_TO_POINTER (1)	/* the sender's side: taken only with strong words beside it */
#define HARD GINT_TO_POINTER (2)	/* never a recipient */

static void
exclude_add (GHashTable *set, const char *addr, gpointer level)
{
	char *lower = g_ascii_strdown (addr, -1);

	if (GPOINTER_TO_INT (g_hash_table_lookup (set, lower)) < GPOINTER_TO_INT (level))
		g_hash_table_insert (set, lower, level);
	else
		g_free (lower);
}

static void
exclude_list (GHashTable *set, InternetAddressList *list, gpointer level)
{
	for (int i = 0; list != NULL && i < internet_address_list_length (list); i++) {
		InternetAddress *ia = internet_address_list_get_address (list, i);	/* borrowed */
		if (INTERNET_ADDRESS_IS_MAILBOX (ia)) {
			const char *a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
			if (a != NULL)
				exclude_add (set, a, level);
		}
	}
}

static void
exclude_value (GHashTable *set, const char *v, gpointer level)
{
	g_autofree char *a = v ? bounce_text_address (v, strlen (v), NULL) : NULL;

	if (a != NULL)
		exclude_add (set, a, level);
}

/*
 * The notice's own From and reply addresses are never recipients; its To
 * and delivery headers (the original sender, as a rule) and the original's
 * sender are left out unless named as a failed address, in a list or on the
 * line that says delivery to it failed: a message one sends to oneself
 * bounces too, and some MTAs put the failed address in X-Original-To.
 */
static void
exclude_init (Fallback *fb)
{
	static const char *const own_hard[] = { "Sender", "Reply-To", "Return-Path", NULL };
	static const char *const own_soft[] = { "Delivered-To", "X-Original-To", "Envelope-To", NULL };
	static const char *const orig[] = { "Return-Path", "Sender", "Reply-To", NULL };
	BounceScan *scan = fb->scan;	/* borrowed */
	GHashTable *set;

	set = fb->exclude = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	for (const char *const *h = own_soft; *h; h++)
		exclude_value (set, bounce_scan_header (scan, *h), SOFT);
	exclude_list (set, bounce_scan_addresses (scan, GMIME_ADDRESS_TYPE_TO), SOFT);
	exclude_list (set, bounce_scan_addresses (scan, GMIME_ADDRESS_TYPE_CC), SOFT);
	if (scan->original != NULL) {
		exclude_list (set, bounce_scan_original_addresses (scan, GMIME_ADDRESS_TYPE_FROM), SOFT);
		for (const char *const *h = orig; *h; h++)
			exclude_value (set, bounce_scan_original_header (scan, *h), SOFT);
	}
	exclude_list (set, bounce_scan_addresses (scan, GMIME_ADDRESS_TYPE_FROM), HARD);
	for (const char *const *h = own_hard; *h; h++)
		exclude_value (set, bounce_scan_header (scan, *h), HARD);
}

/* 0: may be a recipient, 1: the sender's side, 2: never. */
static int
exclusion (const Fallback *fb, const char *addr)
{
	g_autofree char *lower = g_ascii_strdown (addr, -1);
	const char *at = strchr (lower, '@');

	for (const char *const *l = ignored_locals; at && *l; l++)
		if ((gsize) (at - lower) == strlen (*l) && strncmp (lower, *l, at - lower) == 0)
			return 2;
	return GPOINTER_TO_INT (g_hash_table_lookup (fb->exclude, lower));
}

static gboolean
excluded (const Fallback *fb, const char *addr)
{
	return exclusion (fb, addr) == 2;
}

static void
fallback_clear (Fallback *fb)
{
	g_string_free (fb->body, TRUE);
	if (fb->exclude != NULL)
		g_hash_table_destroy (fb->exclude);
}

static gboolean
fallback_prepare (Fallback *fb, BounceScan *scan)
{
	memset (fb, 0, sizeof *fb);
	body_init (fb, scan);
	if (!presents_as_bounce (scan, fb->body->str, fb->body->len))
		return FALSE;
	fb->area = find_original (fb->body);
	exclude_init (fb);
	return TRUE;
}

/* ---- evidence ---- */

static gboolean
has_code (const char *text, gsize len)
{
	char status[16], code[4];

	if (bounce_status_find (text, len, status) && status[0] != '2')
		return TRUE;
	return bounce_reply_code_find (text, len, code) && code[0] != '2' && code[0] != '3';
}

static void
set_diag (BounceRecipient *r, const char *text, gsize len)
{
	g_autofree char *d = g_strndup (text, MIN (len, DIAG_MAX));
	const char *cmd;

	bounce_set (&r->diagnostic, d);
	if (*r->smtp_command == '\0' && (cmd = bounce_text_smtp_command (text, len)) != NULL)
		bounce_set (&r->smtp_command, cmd);
}

static int strength (const char *text, gsize len);

/* Add addr, or strengthen its diagnostic when this one carries a code and the old one none. */
static void
add_candidate (Fallback *fb, BounceReport *report, const char *addr, const char *diag,
	       gsize dlen, const char *command)
{
	BounceRecipient *r = bounce_report_find_recipient (report, addr);	/* borrowed */

	if (r == NULL) {
		if (report->recipients->len >= fb->scan->limits->max_recipients) {
			report->anomalies |= BOUNCE_ANOMALY_TOO_MANY_RCPTS;
			return;
		}
		r = bounce_report_add_recipient (report, addr);
	} else if (strength (r->diagnostic, strlen (r->diagnostic)) >= strength (diag, dlen)) {
		return;
	}
	if (command != NULL)
		bounce_set (&r->smtp_command, command);
	set_diag (r, diag, dlen);
}

/* ---- the transcript reader ---- */

typedef struct {
	char      *rcpt;		/* address of the last RCPT command, owned */
	const char *command;	/* last command: RCPT, DATA, MAIL or NULL */
	GPtrArray *accepted;	/* addresses a 2xx answered, owned strings */
} Transcript;

/* The text of an SMTP command line (">>> RCPT TO:<a@b>", "RCPT TO:<a@b>"), else NULL. */
static const char *
command_line (const char *line, gsize n, gsize *rest)
{
	gsize i = 0;

	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i + 3 <= n && strncmp (line + i, ">>>", 3) == 0)
		i += 3;
	while (i < n && line[i] == ' ')
		i++;
	if (n - i >= 8 && g_ascii_strncasecmp (line + i, "RCPT TO:", 8) == 0) {
		*rest = i;
		return "RCPT";
	}
	if (n - i >= 10 && g_ascii_strncasecmp (line + i, "MAIL FROM:", 10) == 0) {
		*rest = i;
		return "MAIL";
	}
	if ((n - i == 4 && g_ascii_strncasecmp (line + i, "DATA", 4) == 0) ||
	    (n - i == 1 && line[i] == '.')) {
		*rest = i;
		return "DATA";
	}
	return NULL;
}

/* The reply on a "<<< 550 ..." line, or a bare "550 ..." line; offset of the code. */
static gboolean
reply_line (const char *line, gsize n, gsize *at)
{
	gsize i = 0;

	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i + 3 <= n && strncmp (line + i, "<<<", 3) == 0) {
		i += 3;
		while (i < n && line[i] == ' ')
			i++;
	}
	if (i + 3 > n || !g_ascii_isdigit (line[i]) || !g_ascii_isdigit (line[i + 1]) ||
	    !g_ascii_isdigit (line[i + 2]) || line[i] < '2' || line[i] > '5')
		return FALSE;
	if (i + 3 < n && line[i + 3] != ' ' && line[i + 3] != '-')
		return FALSE;
	*at = i;
	return TRUE;
}

/* TRUE when the line was part of a transcript (and consumed). */
static gboolean
transcript_line (Fallback *fb, BounceReport *report, Transcript *t, const char *line, gsize n)
{
	gsize at;
	const char *cmd = command_line (line, n, &at);

	if (cmd != NULL) {
		t->command = cmd;
		g_clear_pointer (&t->rcpt, g_free);
		if (strcmp (cmd, "RCPT") == 0) {
			char *a = bounce_text_address (line + at, n - at, NULL);
			if (a != NULL && !excluded (fb, a))
				t->rcpt = a;
			else
				g_free (a);
		}
		return TRUE;
	}
	if (t->command == NULL || !reply_line (line, n, &at))
		return FALSE;
	if (line[at] == '2' || line[at] == '3') {
		if (strcmp (t->command, "RCPT") == 0 && t->rcpt != NULL)
			g_ptr_array_add (t->accepted, g_steal_pointer (&t->rcpt));
		return TRUE;
	}
	if (strcmp (t->command, "RCPT") == 0 && t->rcpt != NULL) {
		add_candidate (fb, report, t->rcpt, line + at, n - at, "RCPT");
	} else if (strcmp (t->command, "DATA") == 0) {
		for (guint i = 0; i < t->accepted->len; i++)
			add_candidate (fb, report, g_ptr_array_index (t->accepted, i), line + at, n - at, "DATA");
	}
	return TRUE;
}

/* ---- the generic reader ---- */

/* 2: an SMTP code, 1: a failure phrase, 0: neither. */
static int
strength (const char *text, gsize len)
{
	if (has_code (text, len))
		return 2;
	return bounce_text_has_any (text, len, failure_phrases) ? 1 : 0;
}

static gboolean list_item (const char *line, gsize before);

/*
 * The words about addr starting at its line: that line, the lines after it
 * (continuation lines, "because:" paragraphs) until a line naming another
 * address, a new section (but "----- Transcript of session follows -----"
 * tells why), a blank line once an SMTP code or status was read (a failure
 * phrase alone reads on past up to two blank lines: "There was an error
 * delivering your mail to <a@b>." is followed by the reply), or DIAG_LINES
 * lines.  Joined with single spaces into out; returns its strength.
 */
static int
collect (const Fallback *fb, const char *line, const char *end, const char *addr, GString *out)
{
	const char *p = line;
	int lines = 0, blanks = 0;

	while (p < end && lines < DIAG_LINES && out->len < DIAG_MAX) {
		const char *nl = memchr (p, '\n', MIN ((gsize) (end - p), LINE_MAX_READ));
		const char *stop = nl ? nl : MIN (end, p + LINE_MAX_READ);
		gsize ln = stop - p;
		const char *l = unquote (p, &ln);

		/* a line longer than we read ends the words here */
		p = nl ? nl + 1 : end;
		if (l == stop) {
			if (lines > 0 && (strength (out->str, out->len) > 1 || ++blanks > 2))
				break;
			continue;
		}
		/* another address ends them when it opens its line, or stands on a
		 * line with no reply code; not one inside a reply ("550 5.7.0
		 * <a@b>... Please use your ISP's server" is the reason), nor the
		 * sender a "MAIL FROM:" names */
		if (lines > 0 && memchr (l, '@', stop - l) != NULL &&
		    bounce_text_find (l, stop - l, "MAIL FROM:") == NULL) {
			gsize after = 0;
			g_autofree char *other = bounce_text_address (l, stop - l, &after);
			if (other != NULL && g_ascii_strcasecmp (other, addr) != 0 && !excluded (fb, other) &&
			    (list_item (l, after - strlen (other)) || !has_code (l, stop - l)))
				break;
		}
		/* a new section ends them, but not the transcript that tells why */
		if (lines > 0 && (starts_with (l, stop - l, original_headers, FALSE) ||
				  (decorated (l, stop - l) && bounce_text_find (l, stop - l, "transcript") == NULL) ||
				  bounce_text_has_any (l, stop - l, headings)))
			break;
		if (out->len > 0)
			g_string_append_c (out, ' ');
		g_string_append_len (out, l, MIN ((gsize) (stop - l), DIAG_MAX - out->len));
		lines++;
	}
	return strength (out->str, out->len);
}

/*
 * The address opens its line: nothing but bullets and quotes before it, or
 * a short label ("Recipient:", "Failed address -", "(generated from").
 */
static gboolean
list_item (const char *line, gsize before)
{
	static const char *const labels[] = {
		"generated from", "expanded from", "addressed to", "recipient", "address", NULL
	};
	gsize i = 0, e = before;

	while (i < before && strchr (" \t*-<\"'(#>[", line[i]) != NULL)
		i++;
	while (e > i && strchr (" \t<\"'(-", line[e - 1]) != NULL)
		e--;
	if (e == i)
		return TRUE;
	if (e - i > 24 || bounce_text_find (line + i, e - i, "contact") != NULL)
		return FALSE;
	if (line[e - 1] == ':' || line[e - 1] == '=')
		return TRUE;
	for (const char *const *l = labels; *l; l++) {
		gsize k = strlen (*l);
		if (e - i >= k && g_ascii_strncasecmp (line + e - k, *l, k) == 0)
			return TRUE;
	}
	return FALSE;
}

/* "smtp=a@b", "SMTP:a@b", "rfc822;a@b" written as one word: keep a@b (in place). */
static void
strip_route_prefix (char *addr)
{
	static const char *const prefixes[] = { "smtp=", "smtp:", "rfc822=", "rfc822:", NULL };

	for (const char *const *p = prefixes; *p; p++) {
		gsize k = strlen (*p);
		if (g_ascii_strncasecmp (addr, *p, k) == 0 && strchr (addr + k, '@') != NULL) {
			memmove (addr, addr + k, strlen (addr + k) + 1);
			return;
		}
	}
}

/* The word before the address says it is the sender ("... mail from a@b",
 * "MAIL FROM:<a@b>"). */
static gboolean
sender_context (const char *line, gsize before)
{
	gsize e = before, b;

	while (e > 0 && strchr (" \t<\"'(:", line[e - 1]) != NULL)
		e--;
	b = e;
	while (b > 0 && g_ascii_isalpha (line[b - 1]))
		b--;
	if (e - b == 6 && g_ascii_strncasecmp (line + b, "sender", 6) == 0)
		return TRUE;
	if (e - b != 4 || g_ascii_strncasecmp (line + b, "from", 4) != 0)
		return FALSE;
	/* "generated from", "expanded from": the address a recipient came from */
	while (b > 0 && line[b - 1] == ' ')
		b--;
	return !(b >= 9 && (g_ascii_strncasecmp (line + b - 9, "generated", 9) == 0 ||
			    g_ascii_strncasecmp (line + b - 8, "expanded", 8) == 0));
}

static void
read_area (Fallback *fb, BounceReport *report)
{
	const char *text = fb->body->str;
	const char *end = text + fb->area;
	BounceLines it;
	const char *line;
	gsize n;
	int lineno = 0, heading_at = -1000;
	guint weighed = 0;
	Transcript t = { NULL, NULL, g_ptr_array_new_with_free_func (g_free) };

	bounce_lines_init (&it, text, fb->area);
	while (bounce_lines_next (&it, &line, &n)) {
		const char *l = line;
		gsize ln = n;
		gsize off = 0;

		lineno++;
		ln = MIN (ln, LINE_MAX_READ);
		l = unquote (l, &ln);
		if (transcript_line (fb, report, &t, l, ln))
			continue;
		/* a heading names a failure itself: "the following recipient" alone
		 * may as well introduce a list of successful deliveries */
		if (bounce_text_has_any (l, ln, headings) &&
		    (bounce_text_has_any (l, ln, failure_phrases) || bounce_text_has_any (l, ln, delay_phrases)))
			heading_at = lineno;
		else if (decorated (l, ln))
			heading_at = -1000;	/* a new section: the list above has ended */
		if (starts_with (l, ln, skip_line_prefixes, TRUE))
			continue;
		/* every address on the line */
		while (off < ln) {
			gsize after = 0, start;
			g_autofree char *addr = bounce_text_address (l + off, ln - off, &after);
			g_autoptr(GString) diag = NULL;
			int score, level;

			if (addr == NULL || ++weighed > MAX_ADDRESSES)
				break;
			start = off + after - strlen (addr);
			off += after;
			strip_route_prefix (addr);
			level = exclusion (fb, addr);
			if (level == 2 || sender_context (l, start))
				continue;
			diag = g_string_new (NULL);
			score = collect (fb, l, end, addr, diag);
			if (level == 1 && !(score > 0 && (list_item (l, start) || heading_at == lineno)))
				continue;
			if (score == 0 && !(lineno - heading_at <= HEADING_REACH && list_item (l, start)))
				continue;
			add_candidate (fb, report, addr, diag->str, diag->len, NULL);
		}
	}
	g_free (t.rcpt);
	g_ptr_array_free (t.accepted, TRUE);
}

/* X-Failed-Recipients: when present, exactly these addresses failed (Exim). */
static void
failed_recipients_header (Fallback *fb, BounceReport *report)
{
	const char *v = bounce_scan_header (fb->scan, "X-Failed-Recipients");	/* borrowed */
	g_autoptr(GPtrArray) listed = NULL;
	gsize off = 0, len;

	if (v == NULL)
		return;
	len = strlen (v);
	listed = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_recipient_free);
	while (off < len && listed->len < fb->scan->limits->max_recipients) {
		gsize after = 0;
		g_autofree char *addr = bounce_text_address (v + off, len - off, &after);
		BounceRecipient *r;	/* borrowed */
		guint at;

		if (addr == NULL)
			break;
		off += after;
		r = bounce_report_find_recipient (report, addr);
		if (r != NULL && g_ptr_array_find (report->recipients, r, &at))
			g_ptr_array_add (listed, g_ptr_array_steal_index (report->recipients, at));
		else if (r == NULL && !excluded (fb, addr))
			g_ptr_array_add (listed, bounce_recipient_new (addr));
	}
	if (listed->len == 0)
		return;
	g_ptr_array_set_size (report->recipients, 0);
	for (guint i = 0; i < listed->len; i++)
		g_ptr_array_add (report->recipients, g_ptr_array_index (listed, i));
	g_ptr_array_set_free_func (listed, NULL);
}

static void
set_actions (Fallback *fb, BounceReport *report)
{
	gboolean delayed = bounce_signal_subject (fb->scan->subject) &&
			   bounce_str_has_any (fb->scan->subject, delay_phrases);

	if (!delayed)
		delayed = bounce_text_has_any (fb->body->str, fb->area, delay_phrases);
	for (guint i = 0; delayed && i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		char status[16];
		if (!bounce_status_find (r->diagnostic, strlen (r->diagnostic), status) || status[0] == '4')
			bounce_set (&r->action, "delayed");
	}
}

static gboolean
detect_generic (BounceScan *scan, BounceReport *report)
{
	Fallback fb = { 0 };
	gboolean found;

	if (scan->feedback_part != NULL)
		return FALSE;
	if (bounce_str_has_any (scan->subject, success_subjects) ||
	    !fallback_prepare (&fb, scan)) {
		if (fb.body != NULL)
			fallback_clear (&fb);
		return FALSE;
	}
	read_area (&fb, report);
	failed_recipients_header (&fb, report);
	found = report->recipients->len > 0;
	if (found) {
		set_actions (&fb, report);
		report->kind = BOUNCE_KIND_BOUNCE;
		bounce_report_set_detector (report, "fallback");
	}
	fallback_clear (&fb);
	return found;
}

/* ---- inline delivery-status fields ---- */

static gboolean
detect_dsn_text (BounceScan *scan, BounceReport *report)
{
	Fallback fb;
	const char *text, *start, *rmta;
	gsize len;
	gboolean found = FALSE;

	if (scan->feedback_part != NULL)
		return FALSE;
	if (!fallback_prepare (&fb, scan)) {
		fallback_clear (&fb);
		return FALSE;
	}
	text = fb.body->str;
	len = fb.body->len;
	start = bounce_text_line_starting (text, len, "Final-Recipient:");
	if (start != NULL &&
	    (bounce_text_line_starting (start, text + len - start, "Status:") != NULL ||
	     bounce_text_line_starting (start, text + len - start, "Action:") != NULL)) {
		/* begin with the per-message group when it comes first */
		rmta = bounce_text_line_starting (text, start - text, "Reporting-MTA:");
		if (rmta != NULL)
			start = rmta;
		found = bounce_dsn_parse (start, text + len - start, FALSE, report, scan->limits) > 0;
	}
	if (found) {
		/* a group without Diagnostic-Code takes the notice's own words */
		Fallback words = fb;
		g_autoptr(BounceReport) side = bounce_report_new ();

		words.area = MIN (fb.area, (gsize) (start - text));
		read_area (&words, side);
		for (guint i = 0; i < report->recipients->len; i++) {
			BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
			BounceRecipient *s = bounce_report_find_recipient (side, r->recipient);	/* borrowed */
			if (*r->diagnostic == '\0' && s != NULL && *s->diagnostic != '\0') {
				bounce_set (&r->diagnostic, s->diagnostic);
				if (*r->smtp_command == '\0')
					bounce_set (&r->smtp_command, s->smtp_command);
			}
		}
		report->kind = BOUNCE_KIND_BOUNCE;
		bounce_report_set_detector (report, "dsn-text");
	}
	fallback_clear (&fb);
	return found;
}

const BounceDetector bounce_detectors_fallback[] = {
	{ "dsn-text",	detect_dsn_text },
	{ "fallback",	detect_generic },
	{ NULL, NULL }
};
