/*
 * heuristics/text.h - shared helpers for the free-text detectors
 *
 * SYNOPSIS	const char *bounce_text_find (const char *hay, gsize len, const char *needle);
 *		char *bounce_text_address (const char *text, gsize len, gsize *end);
 *		gboolean bounce_text_block (BounceScan *scan, BounceReport *report,
 *					    const BounceTextFormat *fmt);
 * DESCRIPTION	Case-insensitive ASCII substring search, line iteration, e-mail
 *		address extraction, and a table-driven block reader that most
 *		MTA formats reduce to: optional cheap signals (From, Subject),
 *		a start marker line, then recipient lines (a line naming an
 *		address starts a recipient, the lines after it are its
 *		diagnostic), until an end marker (usually where the returned
 *		original begins).  Status and reply code are taken from the
 *		diagnostic later, in analyze.c.
 *		Every function scans its input once: time linear in LEN
 *		(times the number of needles, which are fixed tables).
 * OWNERSHIP	Returned strings are (transfer full); pointers into HAY are
 *		borrowed.
 */
#ifndef BOUNCE_TEXT_H
#define BOUNCE_TEXT_H

#include "heuristics/detector.h"

G_BEGIN_DECLS

/* First case-insensitive (ASCII) occurrence of needle in hay[0..len), or NULL. */
const char *bounce_text_find (const char *hay, gsize len, const char *needle);
/* TRUE when any of the NULL-terminated needles occurs in hay. */
gboolean    bounce_text_has_any (const char *hay, gsize len, const char *const *needles);
/* TRUE when s (NUL-terminated, may be NULL) contains any needle. */
gboolean    bounce_str_has_any (const char *s, const char *const *needles);
/* Where the first of the NULL-terminated needles, in their order, that
 * occurs in hay[0..len) occurs, or NULL. Borrowed. */
const char *bounce_text_find_first (const char *hay, gsize len, const char *const *needles);
/* The gate of a table-driven format: From: has one of FROM_ANY and Subject:
 * one of SUBJECT_ANY (each when not NULL), and the text one of START (when
 * not NULL).  FALSE when one fails; *hit is START's first match, or NULL. */
gboolean    bounce_text_gate (const BounceScan *scan, const char *const *from_any,
			      const char *const *subject_any, const char *const *start,
			      const char **hit);
/* Start of the line after the one holding pos (pos in text[0..len)), or
 * text + len when that line is the last. Borrowed. */
const char *bounce_text_next_line (const char *text, gsize len, const char *pos);
/* Start of the first line of text[0..len) that begins with field
 * (case-insensitive), or NULL. Borrowed. */
const char *bounce_text_line_starting (const char *text, gsize len, const char *field);

typedef struct {
	const char *p;
	const char *end;
} BounceLines;

void     bounce_lines_init (BounceLines *it, const char *text, gsize len);
/* Next line without its LF; FALSE at the end. */
gboolean bounce_lines_next (BounceLines *it, const char **line, gsize *len);

/* First e-mail address in text[0..len): local@domain, angle brackets and quotes
 * dropped, domain lower-cased; *end (may be NULL) gets the offset just past it. NULL if none. */
char *bounce_text_address (const char *text, gsize len, gsize *end);

typedef struct {
	const char        *name;	/* detector name written to report->detector */
	const char *const *from_any;	/* From: must contain one of these (NULL: no test) */
	const char *const *subject_any;	/* Subject: must contain one of these (NULL: no test) */
	const char *const *start;	/* the block starts after a line containing one of these */
	const char *const *end;		/* ... and ends at a line containing one of these */
	gboolean           start_inclusive;	/* the start line itself may name a recipient */
} BounceTextFormat;

/* Recognise fmt in scan->text and add its recipients; TRUE when at least one was found. */
gboolean bounce_text_block (BounceScan *scan, BounceReport *report, const BounceTextFormat *fmt);
/* The same over an explicit text range (for detectors that locate the block themselves). */
guint    bounce_text_block_range (const char *text, gsize len, BounceReport *report,
				  const char *const *end_markers, guint max_recipients,
				  gsize *stopped_at);
/* Parse the header block after the marker line at marker_line as the returned
 * original (headers only: nothing reads its body), unless the scan already has one. */
void     bounce_text_take_original (BounceScan *scan, const char *marker_line, gsize len);

/* The SMTP command a text says a reply answered ("RCPT", "DATA", "MAIL",
 * "HELO", "CONN", "STARTTLS"), from its earliest mention; NULL if none. */
const char *bounce_text_smtp_command (const char *text, gsize len);
/* Add every address in text[0..len) not already in report as a recipient;
 * returns how many were added. */
guint bounce_text_add_recipients (BounceReport *report, const char *text, gsize len,
				  guint max_recipients);

/* RFC 3464 fields written into text[0..len) (a delivery-status part that a
 * broken MIME structure left in the text): add the recipients they name that
 * report lacks; give each recipient they name the Diagnostic-Code, Action
 * and Remote-MTA it lacks, and the Status when it has none or only a class
 * ("5.0.0").  Returns how many statuses were given. */
guint bounce_text_inline_dsn (BounceReport *report, const char *text, gsize len,
			      const BounceLimits *limits);

G_END_DECLS

#endif
