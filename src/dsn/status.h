/*
 * dsn/status.h - validate and find RFC 3463 status codes and SMTP reply codes
 *
 * SYNOPSIS	gsize bounce_status_valid (const char *text);
 *		gboolean bounce_status_find (const char *text, gsize len, char out[16]);
 *		gboolean bounce_reply_code_find (const char *text, gsize len, char out[4]);
 * DESCRIPTION	bounce_status_valid() returns the length of the enhanced status
 *		code at the start of TEXT ("5.1.1" → 5), 0 when there is none:
 *		class 2, 4 or 5, subject 1-3 digits, detail 1-3 digits, not
 *		followed by a digit or a dot-digit (so IP addresses and version
 *		numbers are not taken).
 *		bounce_status_find() finds the first such code in free text that
 *		stands as a word; bounce_reply_code_find() the first three-digit
 *		SMTP reply code (2xx-5xx) that stands as a word, preferring one
 *		at the start of a line or right before a status code.
 *		Both scan once: time linear in LEN.
 */
#ifndef BOUNCE_STATUS_H
#define BOUNCE_STATUS_H

#include <glib.h>

G_BEGIN_DECLS

gsize    bounce_status_valid (const char *text);
gboolean bounce_status_find (const char *text, gsize len, char out[16]);
gboolean bounce_reply_code_find (const char *text, gsize len, char out[4]);
/* TRUE when code is three digits 2xx-5xx. */
gboolean bounce_reply_code_valid (const char *code);

G_END_DECLS

#endif
