/*
 * heuristics/text.c - shared helpers for the free-text detectors
 *
 * DESCRIPTION	See text.h.  No regular expressions: a first-byte memchr
 *		pass and byte comparisons, so every scan is linear.
 * LIMITS	A recipient's diagnostic keeps at most 1 KiB and 12 lines.
 */
#include "config.h"

#include <string.h>

#include "dsn/fields.h"
#include "heuristics/text.h"

#define DIAG_MAX 1024
#define DIAG_LINES 12

/* ASCII lower case, inline (g_ascii_tolower is a call per byte). */
static inline guchar
fold (char c)
{
	return (c >= 'A' && c <= 'Z') ? (guchar) (c + ('a' - 'A')) : (guchar) c;
}

/* TRUE when the n bytes at a equal those at b, ASCII case folded. */
static inline gboolean
equal_fold (const char *a, const char *b, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (a[i] != b[i] && fold (a[i]) != fold (b[i]))
			return FALSE;
	return TRUE;
}

const char *
bounce_text_find (const char *hay, gsize len, const char *needle)
{
	gsize n = strlen (needle);
	const char *p, *last;
	char lo, up;

	if (n == 0)
		return hay;
	if (hay == NULL || len < n)
		return NULL;
	lo = g_ascii_tolower (needle[0]);
	up = g_ascii_toupper (needle[0]);
	p = hay;
	last = hay + len - n + 1;	/* candidates start before this */
	/* the next occurrence of each case of the first byte, found with
	 * memchr and kept until passed: each byte is read at most twice */
	const char *a = memchr (p, lo, last - p);
	const char *b = lo == up ? NULL : memchr (p, up, last - p);
	while (a != NULL || b != NULL) {
		const char *c = (a == NULL || (b != NULL && b < a)) ? b : a;

		if (equal_fold (c + 1, needle + 1, n - 1))
			return c;
		p = c + 1;
		if (c == a)
			a = p < last ? memchr (p, lo, last - p) : NULL;
		else
			b = p < last ? memchr (p, up, last - p) : NULL;
	}
	return NULL;
}

/* Needles grouped by their first byte (case folded), for one pass over a text. */
#define MANY_NEEDLES 128

/* A set of byte pairs (the first two bytes of needles, in either ASCII case),
 * hashed into bits. */
#define PAIR_BITS 4096

static inline guint
pair_hash (guchar a, guchar b)
{
	return ((guint) a * 67u + b) & (PAIR_BITS - 1);
}

static inline void
pair_add (guint64 *pairs, guchar a, guchar b)
{
	guint h = pair_hash (a, b);
	pairs[h / 64] |= G_GUINT64_CONSTANT (1) << (h % 64);
}

static inline gboolean
pair_has (const guint64 *pairs, guchar a, guchar b)
{
	guint h = pair_hash (a, b);
	return (pairs[h / 64] >> (h % 64)) & 1;
}

/* The earliest place in hay where any needle starts, or NULL; *which (may be
 * NULL) gets the needle's number, the lowest one when several start there. */
static const char *
find_earliest (const char *hay, gsize len, const char *const *needles, guint *which)
{
	guint8 sorted[MANY_NEEDLES];	/* needle numbers, ascending within a byte */
	gsize lengths[MANY_NEEDLES];
	guint8 start[257];	/* needles whose first byte is c: sorted[start[c] .. start[c + 1]) */
	guint8 count[256] = { 0 };
	guint64 pairs[PAIR_BITS / 64] = { 0 };
	gboolean single = FALSE;	/* a one-byte needle: every byte is a candidate */
	guint n = 0;

	if (hay == NULL || needles == NULL)
		return NULL;
	while (needles[n] != NULL && n < MANY_NEEDLES)
		n++;
	if (needles[n] != NULL) {
		/* too many to index: one memchr-driven search each */
		const char *best = NULL;
		for (guint i = 0; needles[i] != NULL; i++) {
			const char *hit = bounce_text_find (hay, len, needles[i]);
			if (hit != NULL && (best == NULL || hit < best)) {
				best = hit;
				if (which)
					*which = i;
			}
		}
		return best;
	}
	/* counting sort of the needles by folded first byte */
	for (guint i = 0; i < n; i++) {
		lengths[i] = strlen (needles[i]);
		if (lengths[i] == 0) {
			if (which)
				*which = i;
			return hay;
		}
		count[fold (needles[i][0])]++;
	}
	start[0] = 0;
	for (guint c = 0; c < 256; c++)
		start[c + 1] = start[c] + count[c];
	memset (count, 0, sizeof count);
	for (guint i = 0; i < n; i++) {
		guchar c = fold (needles[i][0]);
		sorted[start[c] + count[c]++] = i;
	}
	/* one pass: at each byte, only the needles that start with it, and only
	 * where the byte after it may be their second (a hashed pair filter) */
	for (guint i = 0; i < n; i++) {
		guchar a = needles[i][0], b = needles[i][1];

		if (lengths[i] == 1) {
			single = TRUE;
			continue;
		}
		for (guint x = 0; x < 2; x++)	/* both ASCII cases of each byte */
			for (guint y = 0; y < 2; y++)
				pair_add (pairs, x ? g_ascii_toupper (a) : g_ascii_tolower (a),
					  y ? g_ascii_toupper (b) : g_ascii_tolower (b));
	}
	for (gsize i = 0; i < len; i++) {
		guchar c;

		if (!single && (i + 1 == len || !pair_has (pairs, hay[i], hay[i + 1])))
			continue;
		c = fold (hay[i]);
		for (guint k = start[c]; k < start[c + 1]; k++) {
			guint8 m = sorted[k];
			if (lengths[m] <= len - i && equal_fold (hay + i + 1, needles[m] + 1, lengths[m] - 1)) {
				if (which)
					*which = m;
				return hay + i;
			}
		}
	}
	return NULL;
}

gboolean
bounce_text_has_any (const char *hay, gsize len, const char *const *needles)
{
	return find_earliest (hay, len, needles, NULL) != NULL;
}

gboolean
bounce_str_has_any (const char *s, const char *const *needles)
{
	return s != NULL && bounce_text_has_any (s, strlen (s), needles);
}

const char *
bounce_text_find_first (const char *hay, gsize len, const char *const *needles)
{
	const char *hit = NULL;

	for (const char *const *m = needles; *m != NULL && hit == NULL; m++)
		hit = bounce_text_find (hay, len, *m);
	return hit;
}

const char *
bounce_text_next_line (const char *text, gsize len, const char *pos)
{
	const char *nl = memchr (pos, '\n', text + len - pos);

	return nl ? nl + 1 : text + len;
}

const char *
bounce_text_line_starting (const char *text, gsize len, const char *field)
{
	const char *p = text, *end, *hit;

	if (text == NULL)
		return NULL;
	end = text + len;
	while ((hit = bounce_text_find (p, end - p, field)) != NULL) {
		if (hit == text || hit[-1] == '\n')
			return hit;
		p = hit + 1;
	}
	return NULL;
}

void
bounce_lines_init (BounceLines *it, const char *text, gsize len)
{
	it->p = text;
	it->end = text != NULL ? text + len : NULL;	/* no arithmetic on NULL */
}

gboolean
bounce_lines_next (BounceLines *it, const char **line, gsize *len)
{
	const char *nl;

	if (it->p >= it->end)
		return FALSE;
	nl = memchr (it->p, '\n', it->end - it->p);
	*line = it->p;
	*len = (nl ? nl : it->end) - it->p;
	it->p = nl ? nl + 1 : it->end;
	return TRUE;
}

static gboolean
local_char (char c)
{
	return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~.", c) != NULL) ||
	       (guchar) c >= 0x80;
}

static gboolean
domain_char (char c)
{
	return g_ascii_isalnum (c) || c == '-' || c == '.' || (guchar) c >= 0x80;
}

char *
bounce_text_address (const char *text, gsize len, gsize *end)
{
	const char *stop = text + len;
	const char *at = text;

	while ((at = memchr (at, '@', stop - at)) != NULL) {
		const char *l = at, *r = at + 1;

		while (l > text && local_char (l[-1]))
			l--;
		while (r < stop && domain_char (*r))
			r++;
		while (r > at + 1 && (r[-1] == '.' || r[-1] == '-'))
			r--;
		while (l < at && (*l == '.' || *l == '\''))
			l++;
		if (l < at && r > at + 1) {
			g_autofree char *local = g_strndup (l, at - l);
			g_autofree char *domain = g_ascii_strdown (at + 1, r - at - 1);

			if (end)
				*end = r - text;
			return g_strdup_printf ("%s@%s", local, domain);
		}
		at++;
	}
	return NULL;
}

static gboolean
line_has_marker (const char *line, gsize len, const char *const *markers)
{
	return markers != NULL && bounce_text_has_any (line, len, markers);
}

static gboolean
ignored_address (const char *addr)
{
	return g_ascii_strncasecmp (addr, "mailer-daemon@", 14) == 0;
}

guint
bounce_text_block_range (const char *text, gsize len, BounceReport *report,
			 const char *const *end_markers, guint max_recipients, gsize *stopped_at)
{
	BounceLines it;
	const char *line;
	gsize n;
	BounceRecipient *current = NULL;	/* borrowed */
	g_autoptr(GString) diag = g_string_new (NULL);
	guint diag_lines = 0;
	guint added = 0;

	if (stopped_at)
		*stopped_at = len;
	bounce_lines_init (&it, text, len);
	while (bounce_lines_next (&it, &line, &n)) {
		gsize after = 0;
		g_autofree char *addr = NULL;

		if (line_has_marker (line, n, end_markers)) {
			if (stopped_at)
				*stopped_at = line - text;
			break;
		}
		addr = bounce_text_address (line, n, &after);
		if (addr != NULL && !ignored_address (addr)) {
			BounceRecipient *seen = bounce_report_find_recipient (report, addr);
			if (seen != NULL && seen == current)
				goto continuation;	/* the diagnostic repeats the address */
			if (current != NULL && diag->len > 0)
				bounce_set (&current->diagnostic, diag->str);
			g_string_truncate (diag, 0);
			diag_lines = 0;
			if (seen == NULL) {
				if (report->recipients->len >= max_recipients) {
					report->anomalies |= BOUNCE_ANOMALY_TOO_MANY_RCPTS;
					current = NULL;
					continue;
				}
				current = bounce_report_add_recipient (report, addr);
				added++;
			} else {
				current = seen;
				if (*seen->diagnostic != '\0') {
					g_string_append (diag, seen->diagnostic);
					diag_lines = 1;
				}
			}
			/* the rest of the line, when it says something */
			{
				const char *rest = line + after;
				gsize rn = n - after;
				while (rn > 0 && strchr (">:;,.)\"' \t", *rest)) {
					rest++;
					rn--;
				}
				if (rn > 2) {
					g_string_append_len (diag, rest, MIN (rn, DIAG_MAX));
					diag_lines++;
				}
			}
			continue;
		}
	continuation:
		if (current == NULL || diag_lines >= DIAG_LINES || diag->len >= DIAG_MAX)
			continue;
		while (n > 0 && (*line == ' ' || *line == '\t')) {
			line++;
			n--;
		}
		if (n == 0)
			continue;
		if (diag->len > 0)
			g_string_append_c (diag, ' ');
		g_string_append_len (diag, line, MIN (n, DIAG_MAX - diag->len));
		diag_lines++;
	}
	if (current != NULL && diag->len > 0)
		bounce_set (&current->diagnostic, diag->str);
	return added;
}

gboolean
bounce_text_gate (const BounceScan *scan, const char *const *from_any,
		  const char *const *subject_any, const char *const *start, const char **hit)
{
	*hit = NULL;
	if (from_any != NULL && !bounce_str_has_any (scan->from, from_any))
		return FALSE;
	if (subject_any != NULL && !bounce_str_has_any (scan->subject, subject_any))
		return FALSE;
	if (start == NULL)
		return TRUE;
	*hit = bounce_text_find_first (scan->text->str, scan->text->len, start);
	return *hit != NULL;
}

gboolean
bounce_text_block (BounceScan *scan, BounceReport *report, const BounceTextFormat *fmt)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *start = text;
	const char *hit;
	gsize stop;

	if (!bounce_text_gate (scan, fmt->from_any, fmt->subject_any, fmt->start, &hit))
		return FALSE;
	if (hit != NULL) {
		if (fmt->start_inclusive) {
			while (hit > text && hit[-1] != '\n')
				hit--;
			start = hit;
		} else {
			start = bounce_text_next_line (text, len, hit);
		}
	}
	if (bounce_text_block_range (start, text + len - start, report, fmt->end,
				     scan->limits->max_recipients, &stop) == 0)
		return FALSE;
	if (start + stop < text + len)
		bounce_text_take_original (scan, start + stop, text + len - (start + stop));
	report->kind = BOUNCE_KIND_BOUNCE;
	bounce_report_set_detector (report, fmt->name);
	return TRUE;
}

void
bounce_text_take_original (BounceScan *scan, const char *marker_line, gsize len)
{
	const char *p = memchr (marker_line, '\n', len);
	const char *end = marker_line + len;

	if (scan->original != NULL || p == NULL)
		return;
	while (p < end && (*p == '\n' || *p == ' ' || *p == '\t'))
		p++;
	/* it must look like a header block: "Name: value" on the first line */
	{
		const char *colon = memchr (p, ':', MIN ((gsize) (end - p), 80));

		if (colon == NULL || memchr (p, ' ', colon - p) != NULL)
			return;
		/* only its headers are read: the index stops at the empty line */
		scan->original = bounce_headers_new (p, end - p);
	}
}

/* Phrases naming the SMTP command a reply answered, and that command (the
 * earliest phrase in the text wins): the wordings of MTA transcripts and
 * provider bounces. */
static const char *const command_phrases[] = {
	"RCPT TO",
	"RCPT_TO",
	"RCPT command",
	"after RCPT",
	"does not like recipient",
	"rejected recipient",
	"MAIL FROM",
	"MAIL_FROM",
	"MAIL command",
	"after MAIL",
	"sender was rejected",
	"end of data",
	"final DATA",
	"DATA command",
	"after DATA",
	"our DATA",
	"(DATA)",
	"[DATA]",
	">>> DATA",
	"after I sent the message",
	"data transmission",
	"initial connection",
	"refused to talk to me",
	"connect to ",
	"greeting failed",
	"after connect",
	"HELO command",
	"EHLO command",
	"after HELO",
	"after EHLO",
	"our HELO",
	"our EHLO",
	"STARTTLS",
	NULL
};
static const char *const command_names[] = {
	"RCPT",
	"RCPT",
	"RCPT",
	"RCPT",
	"RCPT",
	"RCPT",
	"MAIL",
	"MAIL",
	"MAIL",
	"MAIL",
	"MAIL",
	"DATA",
	"DATA",
	"DATA",
	"DATA",
	"DATA",
	"DATA",
	"DATA",
	"DATA",
	"DATA",
	"DATA",
	"CONN",
	"CONN",
	"CONN",
	"CONN",
	"CONN",
	"HELO",
	"HELO",
	"HELO",
	"HELO",
	"HELO",
	"HELO",
	"STARTTLS",
};
G_STATIC_ASSERT (G_N_ELEMENTS (command_phrases) == G_N_ELEMENTS (command_names) + 1);

const char *
bounce_text_smtp_command (const char *text, gsize len)
{
	guint which = 0;

	if (find_earliest (text, len, command_phrases, &which) == NULL)
		return NULL;
	return command_names[which];
}

guint
bounce_text_add_recipients (BounceReport *report, const char *text, gsize len, guint max_recipients)
{
	gsize pos = 0;
	guint added = 0;

	while (text != NULL && pos < len) {
		gsize end = 0;
		g_autofree char *addr = bounce_text_address (text + pos, len - pos, &end);

		if (addr == NULL)
			break;
		pos += end;
		if (bounce_report_find_recipient (report, addr) != NULL)
			continue;
		if (report->recipients->len >= max_recipients) {
			report->anomalies |= BOUNCE_ANOMALY_TOO_MANY_RCPTS;
			break;
		}
		bounce_report_add_recipient (report, addr);
		added++;
	}
	return added;
}

guint
bounce_text_inline_dsn (BounceReport *report, const char *text, gsize len, const BounceLimits *limits)
{
	const char *start = bounce_text_line_starting (text, len, "Final-Recipient:");
	const char *rmta;
	g_autoptr(BounceReport) side = NULL;
	guint done = 0;

	if (start == NULL || report->recipients->len == 0)
		return 0;
	rmta = bounce_text_line_starting (text, start - text, "Reporting-MTA:");
	if (rmta != NULL)
		start = rmta;
	side = bounce_report_new ();
	if (bounce_dsn_parse (start, text + len - start, FALSE, side, limits) == 0)
		return 0;
	/* a recipient only the fields name (the text listed the failed ones,
	 * the fields add a delayed one) is added */
	for (guint i = 0; i < side->recipients->len; i++) {
		BounceRecipient *s = g_ptr_array_index (side->recipients, i);	/* borrowed */

		if (bounce_report_find_recipient (report, s->recipient) != NULL)
			continue;
		if (report->recipients->len >= limits->max_recipients) {
			report->anomalies |= BOUNCE_ANOMALY_TOO_MANY_RCPTS;
			break;
		}
		bounce_report_add_recipient (report, s->recipient);
	}
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		BounceRecipient *s = bounce_report_find_recipient (side, r->recipient);	/* borrowed */
		gboolean generic = r->status[0] == '\0' || g_str_has_suffix (r->status, ".0.0");

		if (s == NULL)
			continue;
		if (*r->diagnostic == '\0' && *s->diagnostic != '\0')
			bounce_set (&r->diagnostic, s->diagnostic);
		if (s->status[0] != '\0' && generic && strcmp (r->status, s->status) != 0 &&
		    (r->status[0] == '\0' || r->status[0] == s->status[0])) {
			bounce_recipient_set_status (r, s->status);
			done++;
		}
		if (*r->action == '\0' && *s->action != '\0')
			bounce_set (&r->action, s->action);
		if (*r->remote_mta == '\0' && *s->remote_mta != '\0')
			bounce_set (&r->remote_mta, s->remote_mta);
	}
	if (*report->reporting_mta == '\0' && *side->reporting_mta != '\0')
		bounce_set (&report->reporting_mta, side->reporting_mta);
	return done;
}
