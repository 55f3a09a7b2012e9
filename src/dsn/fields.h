/*
 * dsn/fields.h - parse the field groups of a message/delivery-status body
 *
 * SYNOPSIS	guint bounce_dsn_parse (const char *body, gsize len, gboolean global,
 *					BounceReport *report, const BounceLimits *limits);
 * DESCRIPTION	Splits BODY into the per-message group and the per-recipient
 *		groups (RFC 3464 s2.1), unfolds continuation lines, and adds one
 *		BounceRecipient per group that names a recipient.  Lenient where
 *		real MTAs deviate: groups without a separating blank line, a
 *		Final-Recipient without an address type, CRLF or LF.  GLOBAL
 *		selects RFC 6533 rules (utf-8 address type, UTF-8 values).
 *		Returns the number of recipients added.
 * LIMITS	limits->max_status_body bytes read, max_field per value,
 *		max_recipients groups.
 * OWNERSHIP	BODY is borrowed; REPORT receives copies.
 * SEE ALSO	RFC 3464, RFC 6533, tests/check_dsn.c
 */
#ifndef BOUNCE_DSN_FIELDS_H
#define BOUNCE_DSN_FIELDS_H

#include "bounds.h"
#include "result.h"

G_BEGIN_DECLS

guint bounce_dsn_parse (const char *body, gsize len, gboolean global,
			BounceReport *report, const BounceLimits *limits);

/* "rfc822; <a@b>" → "a@b"; xtext (+HH) and RFC 6533 \x{HHHH} decoded. (transfer full) */
char *bounce_dsn_address (const char *value);
/* "smtp; 550 5.1.1 ..." → "550 5.1.1 ..." (the text after the type). Borrowed pointer into value. */
const char *bounce_dsn_strip_type (const char *value);

G_END_DECLS

#endif
