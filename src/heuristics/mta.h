/*
 * heuristics/mta.h - the MTA-family detectors (group-mta.c lists them in order)
 *		and the helpers they share (transcript.c)
 */
#ifndef BOUNCE_HEURISTICS_MTA_H
#define BOUNCE_HEURISTICS_MTA_H

#include "heuristics/detector.h"

G_BEGIN_DECLS

/* The detectors, one per family. */
gboolean bounce_detect_qmail (BounceScan *scan, BounceReport *report);		/* qmail.c */
gboolean bounce_detect_exim (BounceScan *scan, BounceReport *report);		/* exim.c */
gboolean bounce_detect_sendmail (BounceScan *scan, BounceReport *report);	/* sendmail.c */
gboolean bounce_detect_postfix (BounceScan *scan, BounceReport *report);	/* postfix.c */
gboolean bounce_detect_courier (BounceScan *scan, BounceReport *report);	/* courier.c */
gboolean bounce_detect_opensmtpd (BounceScan *scan, BounceReport *report);	/* opensmtpd.c */
gboolean bounce_detect_dragonfly (BounceScan *scan, BounceReport *report);	/* dragonfly.c */
gboolean bounce_detect_fml (BounceScan *scan, BounceReport *report);		/* fml.c */
gboolean bounce_detect_james (BounceScan *scan, BounceReport *report);		/* james.c */
gboolean bounce_detect_xmta (BounceScan *scan, BounceReport *report);		/* xmta.c */
gboolean bounce_detect_lda (BounceScan *scan, BounceReport *report);		/* lda.c */

/* transcript.c: shared helpers */
#define BOUNCE_MTA_DIAG_MAX 2048

typedef struct {
	const char *command;	/* static: "RCPT", "DATA", ... or NULL */
	char       *recipient;	/* from ">>> RCPT TO:<a>", or NULL (owned) */
	GString    *reply;	/* the first 4xx/5xx reply, lines joined (owned) */
	gboolean    seen;	/* any transcript line at all */
} BounceMtaTranscript;

/* Read ">>> cmd" / "<<< reply" (or "In:" / "Out:") lines: the first error reply and the
 * command it answered.  TRUE when an error reply was found; clear out afterwards. */
gboolean    bounce_mta_transcript (const char *text, gsize len, BounceMtaTranscript *out);
void        bounce_mta_transcript_clear (BounceMtaTranscript *t);
/* Strip blanks at both ends of a line; returns the indentation width (tab = 8). */
gsize       bounce_mta_trim (const char **line, gsize *len);
/* Append a trimmed line to out, separated by one space (bounded). */
void        bounce_mta_append (GString *out, const char *text, gsize len);
/* "name.example [192.0.2.1]..." at the start of text: the host name, lower-cased. (transfer full) */
char       *bounce_mta_host (const char *text, gsize len);
/* From one recipient's raw lines: smtp_command, remote_mta and diagnostic. */
void        bounce_mta_digest (BounceRecipient *rcpt, const char *raw, gsize len);
/* Find or add a recipient; NULL (and the anomaly set) past the limit.  Borrowed. */
BounceRecipient *bounce_mta_recipient (BounceReport *report, const BounceScan *scan,
				       const char *address);
/* Read "<address>: ..." paragraphs (the address at the start of a line) until an end
 * marker; each paragraph's lines go through bounce_mta_digest().  Returns the number of
 * recipients added; *stopped_at gets the offset of the end marker line (or len). */
guint       bounce_mta_paragraphs (const BounceScan *scan, BounceReport *report,
				   const char *text, gsize len,
				   const char *const *end_markers, gsize *stopped_at);
/* Give every recipient whose diagnostic holds no status code a generic one: of the
 * class of its reply code when there is one, else status (e.g. "5.0.0" where the
 * bounce says the failure is permanent). */
void        bounce_mta_default_status (BounceReport *report, const char *status);
/* When report has recipients: mark it a bounce by detector name, parse the returned
 * original after marker_line (may be NULL) and return TRUE. */
gboolean    bounce_mta_decide (BounceScan *scan, BounceReport *report, const char *name,
			       const char *marker_line, gsize len);

/* A "<address>:" paragraph format described by data. */
typedef struct {
	const char        *name;	/* detector name */
	const char *const *from_any;	/* From: must contain one of these (NULL: no test) */
	const char *const *subject_any;	/* Subject: must contain one of these (NULL: no test) */
	const char *const *start;	/* paragraphs start after the line holding one of these */
	const char *const *end;		/* ... and stop at a line holding one of these */
	const char        *status;	/* status when the text gives none (NULL: leave it) */
} BounceMtaFormat;

/* Recognise fmt in scan->text; TRUE when it named at least one recipient. */
gboolean    bounce_mta_format (BounceScan *scan, BounceReport *report, const BounceMtaFormat *fmt);

G_END_DECLS

#endif
