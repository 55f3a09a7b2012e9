/*
 * dsn/status.c - validate and find RFC 3463 status codes and SMTP reply codes
 *
 * DESCRIPTION	One validator serves both the Status: field and free text.
 *		A code must stand as a word: the byte before it is not a digit,
 *		letter or dot, and it is not followed by a digit, a letter or
 *		".digit" (which would make it an IP address or a version).
 * SEE ALSO	dsn/status.h, RFC 3463 s2, RFC 5321 s4.2
 */
#include "config.h"

#include <string.h>

#include "dsn/status.h"

/* Digits at p (before end), 1..max of them and not more; 0 when not so. */
static gsize
digits (const char *p, const char *end, gsize max)
{
	gsize n = 0;

	while (n < max && p + n < end && g_ascii_isdigit (p[n]))
		n++;
	if (p + n < end && g_ascii_isdigit (p[n]))
		return 0;	/* too many digits */
	return n;
}

/* The length of the status code at text (at most len bytes read), else 0. */
static gsize
status_at (const char *text, gsize len)
{
	const char *p = text, *end = text + len;
	gsize n;

	if (len < 5 || (p[0] != '2' && p[0] != '4' && p[0] != '5') || p[1] != '.')
		return 0;
	p += 2;
	if ((n = digits (p, end, 3)) == 0 || p + n >= end || p[n] != '.')
		return 0;
	p += n + 1;
	if ((n = digits (p, end, 3)) == 0)
		return 0;
	p += n;
	if (p < end && (g_ascii_isalpha (*p) || *p == '-' ||
			(*p == '.' && p + 1 < end && g_ascii_isdigit (p[1]))))
		return 0;
	return p - text;
}

gsize
bounce_status_valid (const char *text)
{
	return text == NULL ? 0 : status_at (text, strnlen (text, 16));
}

static gboolean
word_start (const char *text, const char *p)
{
	if (p == text)
		return TRUE;
	return !g_ascii_isalnum (p[-1]) && p[-1] != '.' && p[-1] != '_';
}

gboolean
bounce_status_find (const char *text, gsize len, char out[16])
{
	out[0] = '\0';
	if (text == NULL)
		return FALSE;
	for (gsize i = 0; i + 4 < len; i++) {
		const char *p = text + i;
		gsize n;

		if ((*p != '2' && *p != '4' && *p != '5') || p[1] != '.')
			continue;
		if (!word_start (text, p))
			continue;
		if ((n = status_at (p, len - i)) == 0)
			continue;
		memcpy (out, p, n);
		out[n] = '\0';
		return TRUE;
	}
	return FALSE;
}

gboolean
bounce_reply_code_valid (const char *code)
{
	return code != NULL && code[0] >= '2' && code[0] <= '5' &&
		g_ascii_isdigit (code[1]) && g_ascii_isdigit (code[2]) && code[3] == '\0' &&
		code[1] <= '5';
}

/* A reply code at p: three digits 2xx-5xx, second digit 0-5, then end, space, '-' or a status. */
static gboolean
reply_at (const char *text, const char *p, const char *end)
{
	if (end - p < 3 || !word_start (text, p))
		return FALSE;
	if (p[0] < '2' || p[0] > '5' || p[1] < '0' || p[1] > '5' || !g_ascii_isdigit (p[2]))
		return FALSE;
	if (p + 3 == end)
		return TRUE;
	return p[3] == ' ' || p[3] == '-' || p[3] == '\t' || p[3] == '\n' || p[3] == '\r' ||
	       p[3] == ')' || p[3] == ']' || p[3] == ',' || p[3] == ':' || p[3] == '"';
}

gboolean
bounce_reply_code_find (const char *text, gsize len, char out[4])
{
	const char *end = text ? text + len : NULL;
	const char *first = NULL;

	out[0] = '\0';
	if (text == NULL)
		return FALSE;
	for (const char *p = text; p + 3 <= end; p++) {
		if (!reply_at (text, p, end))
			continue;
		/* best: right before a status code of the same class ("550 5.1.1", "550-5.1.1") */
		if (p + 4 < end && (p[3] == ' ' || p[3] == '-') && status_at (p + 4, end - p - 4) &&
		    p[4] == p[0]) {
			first = p;
			break;
		}
		if (first == NULL)
			first = p;
	}
	if (first == NULL)
		return FALSE;
	memcpy (out, first, 3);
	out[3] = '\0';
	return TRUE;
}
