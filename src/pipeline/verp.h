/*
 * pipeline/verp.h - VERP return paths: decode, encode, sign and verify
 *
 * SYNOPSIS	BounceVerp *bounce_verp_decode (const char *return_path,
 *						const BounceVerpSyntax *syntax);
 *		char *bounce_verp_sign (const char *base, const char *address,
 *					const BounceVerpSyntax *syntax,
 *					GBytes *key, gint64 days, GError **error);
 *		BounceVerpCheck bounce_verp_verify (const BounceVerp *verp,
 *						    GBytes *key, gint64 today,
 *						    guint max_age_days);
 * DESCRIPTION	A VERP return path carries the address a message was sent
 *		to inside the address its bounces come back to:
 *		  list-bounces+user=example.org@lists.example.net
 *		(the Postfix XVERP form PREFIX+USER=DOMAIN@HOST).  The
 *		delimiter after the prefix is one of syntax->delimiters
 *		("+-" by default, tried in that order, first occurrence),
 *		and syntax->equals ('=') stands for the "@" of the encoded
 *		address (the last one counts, since a domain holds none).
 *		A signed return path adds two dot-separated labels after the
 *		encoded domain: the day it was made (days since 1970-01-01
 *		UTC) and a MAC,
 *		  list-bounces+user=example.org.20417.3f0c9a1b2d4e5f60@lists.example.net
 *		The MAC is HMAC-SHA256 under a secret key over the lower-case
 *		address, a dot and the day number, truncated to 8 bytes and
 *		written as 16 lower-case hex digits; it is compared in
 *		constant time, case-insensitively (MTAs may fold case).
 *		No printing, no exit, no environment reads: callers pass
 *		the environment (bounce_verp_candidates_from_env).
 * ERRORS	G_IO_ERROR for key files; BOUNCE_VERP_ERROR for arguments.
 * OWNERSHIP	Every returned string and BounceVerp is (transfer full).
 * SEE ALSO	tests/check_verp.c, bouncefilter(1) "VERP"
 */
#ifndef BOUNCE_PIPELINE_VERP_H
#define BOUNCE_PIPELINE_VERP_H

#include <glib.h>

G_BEGIN_DECLS

#define BOUNCE_VERP_ERROR (bounce_verp_error_quark ())
GQuark bounce_verp_error_quark (void);

typedef enum {
	BOUNCE_VERP_ERROR_INVALID,	/* bad address, separators or key */
} BounceVerpError;

#define BOUNCE_VERP_MAC_CHARS 16	/* hex digits of the truncated MAC */
#define BOUNCE_VERP_MIN_KEY 16		/* bytes a key must have */
#define BOUNCE_VERP_MAX_AGE_DEFAULT 30	/* days */

typedef struct {
	char delimiters[8];		/* after the prefix: "+-" */
	char equals;			/* stands for "@": '=' */
} BounceVerpSyntax;

/* delimiters "+-", equals '='. */
void     bounce_verp_syntax_init (BounceVerpSyntax *syntax);
/* TEXT lists the delimiters then, last, the "@" stand-in: "+-=", "+=", "-=". */
gboolean bounce_verp_syntax_parse (BounceVerpSyntax *syntax, const char *text, GError **error);

typedef struct {
	char  *prefix;			/* "list-bounces" */
	char  *host;			/* "lists.example.net" */
	char  *address;			/* "user@example.org" */
	gint64 days;			/* day of signing, -1 when unsigned */
	char  *mac;			/* 16 hex digits, "" when unsigned */
} BounceVerp;

void        bounce_verp_free (BounceVerp *verp);
/* NULL when RETURN_PATH is not a VERP address. */
BounceVerp *bounce_verp_decode (const char *return_path, const BounceVerpSyntax *syntax);

/* BASE is the plain return path ("list-bounces@lists.example.net").
 * Unsigned: PREFIX<delim>LOCAL<equals>DOMAIN@HOST with the first delimiter. */
char *bounce_verp_encode (const char *base, const char *address,
			  const BounceVerpSyntax *syntax, GError **error);
char *bounce_verp_sign (const char *base, const char *address,
			const BounceVerpSyntax *syntax, GBytes *key, gint64 days,
			GError **error);

typedef enum {
	BOUNCE_VERP_VALID,		/* signed with the key, not too old */
	BOUNCE_VERP_MISSING,		/* no VERP address, or no signature */
	BOUNCE_VERP_BAD,		/* wrong MAC (tampered, other key), or from the future */
	BOUNCE_VERP_EXPIRED,		/* older than max_age_days */
} BounceVerpCheck;

/* VERP NULL gives MISSING.  MAX_AGE_DAYS 0 = no limit. */
BounceVerpCheck bounce_verp_verify (const BounceVerp *verp, GBytes *key,
				    gint64 today, guint max_age_days);
const char     *bounce_verp_check_name (BounceVerpCheck check);
/* Days since 1970-01-01 UTC now. */
gint64          bounce_verp_today (void);
/* Constant-time comparison of two strings of LEN bytes, ASCII case folded. */
gboolean        bounce_verp_mac_equal (const char *a, const char *b, gsize len);

/* The secret key: the file's bytes, trailing white space removed; at
 * least BOUNCE_VERP_MIN_KEY bytes. */
GBytes *bounce_verp_key_load (const char *path, GError **error);

/* Where the MTA says the message was delivered, most trusted first, from
 * an environment (g_get_environ() form): ORIGINAL_RECIPIENT, RECIPIENT
 * (Postfix pipe(8) export), LOCAL_PART+LOCAL_PART_SUFFIX@DOMAIN (Exim).
 * (transfer full) NULL-terminated, maybe empty. */
GStrv bounce_verp_candidates_from_env (char **envp);
/* The same from the header block of a raw message: Delivered-To,
 * X-Original-To, Envelope-To, in header order (topmost first).  Only the
 * first LEN bytes are read; angle brackets and comments removed. */
GStrv bounce_verp_candidates_from_headers (const char *data, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceVerp, bounce_verp_free)

G_END_DECLS

#endif
