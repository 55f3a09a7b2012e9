/*
 * mime/scan.h - one pass over a parsed message: find the parts that matter
 *
 * SYNOPSIS	GMimeObject *bounce_parse_message (data, len, options, anomalies, &headers);
 *		BounceScan *bounce_scan_new_with_headers (top, headers, limits);
 * DESCRIPTION	Walks the MIME tree once (bounded depth and part count, never
 *		into the returned original) and records: the delivery-status
 *		part (RFC 3464 or RFC 6533), the feedback-report part (RFC 5965),
 *		the returned original message (message/rfc822, message/global,
 *		text/rfc822-headers; base64/QP-encoded too): its header block,
 *		indexed, the rest left unread unless asked for
 *		(bounce_scan_original_message), and the human-readable text
 *		converted to UTF-8 with LF line ends, which the free-text
 *		detectors read.
 *		Header fields, of the message and of the original, are looked
 *		up in an index of their block (mime/headers.h), not in GMime
 *		objects: bounce_parse_message() hands GMime only what it needs
 *		to build the MIME tree.  bounce_scan_new() takes any GMime
 *		object (a GMimeMessage too) and indexes its headers itself.
 * OWNERSHIP	top is referenced for the scan's life; parts are borrowed
 *		from it; headers, original and text are owned by the scan.
 */
#ifndef BOUNCE_SCAN_H
#define BOUNCE_SCAN_H

#include "mime/gmime-compat.h"
#include "mime/headers.h"
#include "bounds.h"

G_BEGIN_DECLS

typedef struct {
	GMimeObject *top;		/* the message (headers and body), owned reference */
	BounceHeaders *headers;		/* the message's header block, owned */
	GMimeObject *body;		/* its MIME body (top itself unless a GMimeMessage), borrowed */
	const BounceLimits *limits;	/* borrowed */
	GMimeObject *status_part;	/* message/delivery-status or NULL, borrowed */
	gboolean     status_global;	/* RFC 6533 message/global-delivery-status */
	gboolean     in_report;		/* status part lies inside multipart/report */
	GMimeObject *feedback_part;	/* message/feedback-report or NULL, borrowed */
	char        *report_type;	/* report-type parameter of multipart/report, or "" */
	BounceHeaders *original;	/* the returned original's header block, owned, or NULL */
	GMimeObject *original_part;	/* the part that holds the original, borrowed, or NULL */
	GString     *text;		/* human-readable text, UTF-8, LF line ends */
	char        *from;		/* decoded From:, "" when absent */
	char        *subject;		/* decoded Subject:, "" when absent */
	guint        anomalies;		/* BounceAnomaly bits */
	guint        nparts;
	InternetAddressList *addresses[GMIME_ADDRESS_TYPE_BCC + 1];	/* of top, parsed on demand */
	InternetAddressList *original_addresses[GMIME_ADDRESS_TYPE_BCC + 1];	/* of original */
} BounceScan;

BounceScan *bounce_scan_new (GMimeObject *top, const BounceLimits *limits);
/* The same for a TOP that came from bounce_parse_message(), with the HEADERS
 * it gave (taken). */
BounceScan *bounce_scan_new_with_headers (GMimeObject *top, BounceHeaders *headers,
					  const BounceLimits *limits);
void        bounce_scan_free (BounceScan *scan);

/* A top-level header value, unfolded and decoded (RFC 2047) to valid UTF-8, or NULL. Borrowed. */
const char *bounce_scan_header (const BounceScan *scan, const char *name);
/* The addresses of a top-level address header (From, To, Cc, ...), parsed
 * on first use; NULL when the header is absent.  Borrowed. */
InternetAddressList *bounce_scan_addresses (BounceScan *scan, GMimeAddressType type);
/* The same for the returned original; NULL without one.  Borrowed. */
InternetAddressList *bounce_scan_original_addresses (BounceScan *scan, GMimeAddressType type);
/* A header of the returned original decoded to valid UTF-8, or NULL.  Borrowed. */
const char *bounce_scan_original_header (BounceScan *scan, const char *name);
/* The returned original parsed whole (its MIME tree, not only its headers),
 * or NULL without one: for a bounce that came back inside a wrapper.
 * (transfer full) */
GMimeObject *bounce_scan_original_message (const BounceScan *scan);
/* Call func on the body and, in a multipart, every part below it. */
void        bounce_scan_foreach (const BounceScan *scan, GMimeObjectForeachFunc func, gpointer data);
/* Parse a message for a scan: its header block is indexed (*HEADERS, set
 * when an object is returned; NULL when the first line is no field), and
 * GMime is given only the MIME fields (Content-*) and the body: it builds
 * no object for the Received, DKIM and other fields of the top level, which
 * are looked up in the index instead.  OPTIONS (may be NULL) carry GMime's
 * warning callback; when GMime's forgiving message parser has to take over,
 * the MIME-warning bit of *ANOMALIES (when not NULL) is cleared first, so
 * that only its warnings count.  (transfer full) */
GMimeObject *bounce_parse_message (const char *data, gsize len, GMimeParserOptions *options,
				   guint *anomalies, BounceHeaders **headers);

/* Decode a leaf part's content (transfer encoding undone, charset not converted). */
GByteArray *bounce_part_bytes (GMimePart *part, gsize max);
/* Decode a text part to UTF-8 with LF line ends, appending to out (at most max bytes). */
void        bounce_part_append_text (GMimePart *part, GString *out, gsize max, guint *anomalies);
/* Convert len bytes in charset (NULL = guess) to valid UTF-8. (transfer full) */
char       *bounce_to_utf8 (const char *bytes, gsize len, const char *charset, guint *anomalies);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceScan, bounce_scan_free)

G_END_DECLS

#endif
