/*
 * heuristics/providers.h - the mailbox-provider and ESP detectors (group 3)
 *
 * SYNOPSIS	gboolean bounce_detect_gmail (BounceScan *scan, BounceReport *report);
 *		gboolean provider_read (BounceScan *scan, BounceReport *report,
 *					const ProviderFormat *fmt);
 * DESCRIPTION	group-providers.c lists the detectors in the order they are
 *		tried.  providers.c holds what several of them share: the cheap
 *		signals (From, Subject, a header), a reader for the common
 *		"address alone on its line, then the reason" layout, the SMTP
 *		command named in a diagnostic, and a generic status when a
 *		provider's text carries no code at all.
 * SEE ALSO	heuristics/detector.h, heuristics/text.h
 */
#ifndef BOUNCE_HEURISTICS_PROVIDERS_H
#define BOUNCE_HEURISTICS_PROVIDERS_H

#include "heuristics/text.h"

G_BEGIN_DECLS

/* The detectors, in group-providers.c order. */
gboolean bounce_detect_amazonses (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_workmail (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_googlegroups (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_gmail (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_yahoo (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_mailru (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_zoho (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_gmx (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_verizon (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_ezweb (BounceScan *scan, BounceReport *report);
gboolean bounce_detect_biglobe (BounceScan *scan, BounceReport *report);

/*
 * A provider layout where each failed address stands alone on its line
 * ("   user@example.org", "<user@example.org>:", "\"user@example.org\":",
 * "Recipient: <user@example.org>"), followed by the lines that say why.
 */
typedef struct {
	const char        *name;	/* detector name */
	const char *const *from_any;	/* From: contains one of these (NULL: no test) */
	const char *const *subject_any;	/* Subject: contains one of these (NULL: no test) */
	const char *const *start;	/* read after the first line containing one (NULL: from the top) */
	const char *const *end;		/* stop at a line containing one; the original follows */
	const char *const *labels;	/* prefixes allowed before a lone address ("Recipient:") */
	const char *const *skip;	/* lines that are one of these are not diagnostic */
	char               default_class;	/* '5' or '4': status when the text has no code */
	gboolean           no_original;	/* the text after the end marker is not the original */
	gboolean           leading_address;	/* "<user@example.org>: reply" also starts a recipient */
} ProviderFormat;

/* Read fmt from scan->text; TRUE (report filled) when at least one recipient was found. */
gboolean provider_read (BounceScan *scan, BounceReport *report, const ProviderFormat *fmt);

/* TRUE when the top-level header name exists and (needles NULL) or contains one of needles. */
gboolean provider_header_has (const BounceScan *scan, const char *name, const char *const *needles);

/* The address on the line when it stands alone there (after an optional label); NULL otherwise. */
char *provider_lone_address (const char *line, gsize len, const char *const *labels);

/* Set rcpt->smtp_command from wording such as "after RCPT TO", "[MAIL_FROM]", ">>> DATA". */
void provider_set_command (BounceRecipient *rcpt, const char *text, gsize len);

/* When neither rcpt->status nor its diagnostic has a status code: cls.0.0, or
 * the class of the diagnostic's reply code when it has one. */
void provider_default_status (BounceRecipient *rcpt, char cls);

/* Add one recipient per address in the X-Failed-Recipients header; the number added. */
guint provider_failed_recipients (BounceScan *scan, BounceReport *report);

/* The text after the first line containing one of markers, up to a line
 * containing one of stops (or a blank line when stop_blank), joined with
 * spaces, or NULL when no marker.  (transfer full) */
char *provider_lines_after (const char *text, gsize len, const char *const *markers,
			    const char *const *stops, gboolean stop_blank);

/* The line containing needle and the non-blank lines after it, up to a line
 * containing one of stops, joined with spaces; NULL when needle is absent. (transfer full) */
char *provider_paragraph (const char *text, gsize len, const char *needle, const char *const *stops);

G_END_DECLS

#endif
