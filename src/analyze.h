/*
 * analyze.h - from the bytes of one message to a BounceReport
 *
 * SYNOPSIS	BounceReport *bounce_analyze_bytes (const char *data, gsize len,
 *						    const BounceLimits *limits,
 *						    GError **error);
 * DESCRIPTION	The library's entry point.  Normalises bare-CR line ends,
 *		indexes the header block and has GMime build the MIME tree
 *		(mime/scan.h, bounce_parse_message), scans it, runs the
 *		detectors in order (heuristics/registry.c), completes every
 *		recipient (status and reply code from the diagnostic, the
 *		classifier's reason), and reads the returned original.
 *		Returns a report for every parseable message; its kind is
 *		BOUNCE_KIND_NONE when the message is not a bounce.  Returns
 *		NULL with BOUNCE_ERROR_MALFORMED only when no message can be
 *		built at all (the first line is no header field, which GMime
 *		refuses too).
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

G_END_DECLS

#endif
