/*
 * analyze.h - from the bytes of one message to a BounceReport
 *
 * SYNOPSIS	BounceReport *bounce_analyze_bytes (const char *data, gsize len,
 *						    const BounceLimits *limits,
 *						    GError **error);
 * DESCRIPTION	The library's entry point.  Normalises bare-CR line ends,
 *		parses the message with GMime, scans it (mime/scan.c), runs the
 *		detectors in order (heuristics/registry.c), completes every
 *		recipient (status and reply code from the diagnostic, the
 *		classifier's reason), and reads the returned original.
 *		Returns a report for every parseable message; its kind is
 *		BOUNCE_KIND_NONE when the message is not a bounce.  Returns
 *		NULL with BOUNCE_ERROR_MALFORMED only when GMime cannot build a
 *		message at all.
 *		bounce_analyze_message() does the same for a message already
 *		parsed: a GMimeMessage, or the top-level entity from
 *		g_mime_parser_construct_part() (what analyze_bytes uses).
 *		bounce_library_init() must be called once first (thread-safe).
 */
#ifndef BOUNCE_ANALYZE_H
#define BOUNCE_ANALYZE_H

#include "mime/gmime-compat.h"
#include "bounce-error.h"
#include "bounds.h"
#include "result.h"

G_BEGIN_DECLS

void          bounce_library_init (void);
BounceReport *bounce_analyze_bytes (const char *data, gsize len,
				    const BounceLimits *limits, GError **error);
BounceReport *bounce_analyze_message (GMimeObject *top, const BounceLimits *limits);

G_END_DECLS

#endif
