/*
 * pipeline/verp.c - VERP return paths: decode, encode, sign and verify
 *
 * DESCRIPTION	See verp.h.  Addresses are handled as bytes: only ASCII
 *		letters are case-folded, so UTF-8 local parts pass through.
 * LIMITS	Return paths and addresses over 998 bytes are not VERP;
 *		header scans stop after 64 KiB.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>

#include "mime/headers.h"
#include "pipeline/verp.h"

#define MAX_ADDRESS 998
#define MAX_HEADER_SCAN (64 * 1024)
#define MAX_DAYS_DIGITS 9

G_DEFINE_QUARK (bounce-verp-error-quark, bounce_verp_error)

void
bounce_verp_syntax_init (BounceVerpSyntax *syntax)
{
	memset (syntax, 0, sizeof *syntax);
	strcpy (syntax->delimiters, "+-");
	syntax->equals = '=';
}

static gboolean
separator_ok (char c)
{
	return c != '\0' && c != '@' && c != '.' && c != '"' && c != '\\' &&
	       g_ascii_isgraph (c) && !g_ascii_isalnum (c);
}

gboolean
bounce_verp_syntax_parse (BounceVerpSyntax *syntax, const char *text, GError **error)
{
	gsize len = text ? strlen (text) : 0;
	BounceVerpSyntax parsed = { { 0 }, 0 };

	if (len < 2 || len > sizeof parsed.delimiters) {
		g_set_error (error, BOUNCE_VERP_ERROR, BOUNCE_VERP_ERROR_INVALID,
			     "VERP separators \"%s\": want one or more delimiters then the \"@\" stand-in, e.g. \"+-=\"",
			     text ? text : "");
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		if (!separator_ok (text[i]) || memchr (text, text[i], i) != NULL) {
			g_set_error (error, BOUNCE_VERP_ERROR, BOUNCE_VERP_ERROR_INVALID,
				     "VERP separators \"%s\": each must be a distinct punctuation character, not @ . \" \\",
				     text);
			return FALSE;
		}
	}
	memcpy (parsed.delimiters, text, len - 1);
	parsed.equals = text[len - 1];
	*syntax = parsed;
	return TRUE;
}

void
bounce_verp_free (BounceVerp *verp)
{
	if (verp == NULL)
		return;
	g_free (verp->prefix);
	g_free (verp->host);
	g_free (verp->address);
	g_free (verp->mac);
	g_free (verp);
}

/* Trimmed copy without angle brackets; NULL when empty or too long. */
static char *
bare_address (const char *text)
{
	g_autofree char *copy = NULL;
	char *s;
	gsize len;

	if (text == NULL)
		return NULL;
	copy = g_strstrip (g_strdup (text));
	s = copy;
	len = strlen (s);
	if (len >= 2 && s[0] == '<' && s[len - 1] == '>') {
		s[len - 1] = '\0';
		s++;
		g_strstrip (s);
	}
	if (*s == '\0' || strlen (s) > MAX_ADDRESS)
		return NULL;
	for (const char *p = s; *p; p++)
		if ((guchar) *p < 0x21 || *p == 0x7f || *p == '<' || *p == '>')
			return NULL;
	return g_strdup (s);
}

static gboolean
domain_ok (const char *domain, gsize len)
{
	if (len == 0 || domain[0] == '.' || domain[len - 1] == '.')
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		guchar c = domain[i];

		if (!(g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c >= 0x80 ||
		      c == '[' || c == ']' || c == ':'))
			return FALSE;
		if (c == '.' && i + 1 < len && domain[i + 1] == '.')
			return FALSE;
	}
	return TRUE;
}

static gboolean
all_digits (const char *s, gsize len)
{
	if (len == 0)
		return FALSE;
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isdigit (s[i]))
			return FALSE;
	return TRUE;
}

static gboolean
all_hex (const char *s, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isxdigit (s[i]))
			return FALSE;
	return TRUE;
}

BounceVerp *
bounce_verp_decode (const char *return_path, const BounceVerpSyntax *syntax)
{
	BounceVerpSyntax defaults;
	g_autofree char *addr = bare_address (return_path);
	g_autoptr(BounceVerp) verp = NULL;
	char *at, *delim = NULL, *encoded, *eq, *domain;
	gsize dlen;

	if (syntax == NULL) {
		bounce_verp_syntax_init (&defaults);
		syntax = &defaults;
	}
	if (addr == NULL || (at = strrchr (addr, '@')) == NULL || at == addr ||
	    !domain_ok (at + 1, strlen (at + 1)))
		return NULL;
	*at = '\0';
	for (const char *d = syntax->delimiters; *d && delim == NULL; d++)
		delim = strchr (addr, *d);
	if (delim == NULL || delim == addr)
		return NULL;
	*delim = '\0';
	encoded = delim + 1;
	eq = strrchr (encoded, syntax->equals);
	if (eq == NULL || eq == encoded || eq[1] == '\0')
		return NULL;
	*eq = '\0';
	domain = eq + 1;
	dlen = strlen (domain);

	verp = g_new0 (BounceVerp, 1);
	verp->days = -1;
	verp->mac = g_strdup ("");
	/* signed: DOMAIN.DAYS.MAC */
	{
		char *mac_dot = strrchr (domain, '.');
		char *days_dot = NULL;

		if (mac_dot != NULL && mac_dot > domain) {
			*mac_dot = '\0';
			days_dot = strrchr (domain, '.');
			*mac_dot = '.';
		}
		if (days_dot != NULL && days_dot > domain &&
		    strlen (mac_dot + 1) == BOUNCE_VERP_MAC_CHARS &&
		    all_hex (mac_dot + 1, BOUNCE_VERP_MAC_CHARS) &&
		    mac_dot - days_dot - 1 <= MAX_DAYS_DIGITS &&
		    all_digits (days_dot + 1, mac_dot - days_dot - 1)) {
			g_free (verp->mac);
			verp->mac = g_ascii_strdown (mac_dot + 1, -1);
			*mac_dot = '\0';
			verp->days = g_ascii_strtoll (days_dot + 1, NULL, 10);
			*days_dot = '\0';
			dlen = strlen (domain);
		}
	}
	if (!domain_ok (domain, dlen))
		return NULL;
	verp->prefix = g_strdup (addr);
	verp->host = g_ascii_strdown (at + 1, -1);
	{
		g_autofree char *lower_domain = g_ascii_strdown (domain, -1);
		verp->address = g_strconcat (encoded, "@", lower_domain, NULL);
	}
	return g_steal_pointer (&verp);
}

/* Split BASE into prefix and host, and ADDRESS into local part and domain. */
static gboolean
split_for_encoding (const char *base, const char *address, const BounceVerpSyntax *syntax,
		    char **prefix, char **host, char **local, char **domain, GError **error)
{
	g_autofree char *b = bare_address (base);
	g_autofree char *a = bare_address (address);
	char *bat, *aat;

	if (b == NULL || (bat = strrchr (b, '@')) == NULL || bat == b ||
	    !domain_ok (bat + 1, strlen (bat + 1))) {
		g_set_error (error, BOUNCE_VERP_ERROR, BOUNCE_VERP_ERROR_INVALID,
			     "return path \"%s\" is not local@domain", base ? base : "");
		return FALSE;
	}
	if (a == NULL || (aat = strrchr (a, '@')) == NULL || aat == a ||
	    !domain_ok (aat + 1, strlen (aat + 1)) || strchr (aat + 1, syntax->equals) != NULL) {
		g_set_error (error, BOUNCE_VERP_ERROR, BOUNCE_VERP_ERROR_INVALID,
			     "address \"%s\" is not local@domain", address ? address : "");
		return FALSE;
	}
	*bat = '\0';
	*aat = '\0';
	if (strchr (b, syntax->delimiters[0]) != NULL) {
		g_set_error (error, BOUNCE_VERP_ERROR, BOUNCE_VERP_ERROR_INVALID,
			     "return path \"%s\" already holds the VERP delimiter '%c'", base,
			     syntax->delimiters[0]);
		return FALSE;
	}
	*prefix = g_strdup (b);
	*host = g_ascii_strdown (bat + 1, -1);
	*local = g_strdup (a);
	*domain = g_ascii_strdown (aat + 1, -1);
	return TRUE;
}

char *
bounce_verp_encode (const char *base, const char *address,
		    const BounceVerpSyntax *syntax, GError **error)
{
	BounceVerpSyntax defaults;
	g_autofree char *prefix = NULL, *host = NULL, *local = NULL, *domain = NULL;

	if (syntax == NULL) {
		bounce_verp_syntax_init (&defaults);
		syntax = &defaults;
	}
	if (!split_for_encoding (base, address, syntax, &prefix, &host, &local, &domain, error))
		return NULL;
	return g_strdup_printf ("%s%c%s%c%s@%s", prefix, syntax->delimiters[0], local,
				syntax->equals, domain, host);
}

/* 16 hex digits of HMAC-SHA256 (KEY, lower(ADDRESS) "." DAYS). */
static char *
compute_mac (const char *address, gint64 days, GBytes *key)
{
	gsize klen;
	const guint8 *kdata = g_bytes_get_data (key, &klen);
	g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, kdata, klen);
	g_autofree char *lower = g_ascii_strdown (address, -1);
	char days_text[32];
	guint8 digest[32];
	gsize dlen = sizeof digest;
	GString *hex = g_string_sized_new (BOUNCE_VERP_MAC_CHARS + 1);

	g_snprintf (days_text, sizeof days_text, ".%" G_GINT64_FORMAT, days);
	g_hmac_update (hmac, (const guchar *) lower, strlen (lower));
	g_hmac_update (hmac, (const guchar *) days_text, strlen (days_text));
	g_hmac_get_digest (hmac, digest, &dlen);
	for (gsize i = 0; i < BOUNCE_VERP_MAC_CHARS / 2; i++)
		g_string_append_printf (hex, "%02x", digest[i]);
	return g_string_free (hex, FALSE);
}

char *
bounce_verp_sign (const char *base, const char *address,
		  const BounceVerpSyntax *syntax, GBytes *key, gint64 days,
		  GError **error)
{
	BounceVerpSyntax defaults;
	g_autofree char *prefix = NULL, *host = NULL, *local = NULL, *domain = NULL;
	g_autofree char *plain = NULL, *mac = NULL;

	if (syntax == NULL) {
		bounce_verp_syntax_init (&defaults);
		syntax = &defaults;
	}
	if (key == NULL || g_bytes_get_size (key) < BOUNCE_VERP_MIN_KEY) {
		g_set_error (error, BOUNCE_VERP_ERROR, BOUNCE_VERP_ERROR_INVALID,
			     "VERP key shorter than %d bytes", BOUNCE_VERP_MIN_KEY);
		return NULL;
	}
	if (days < 0) {
		g_set_error (error, BOUNCE_VERP_ERROR, BOUNCE_VERP_ERROR_INVALID,
			     "negative day number");
		return NULL;
	}
	if (!split_for_encoding (base, address, syntax, &prefix, &host, &local, &domain, error))
		return NULL;
	plain = g_strconcat (local, "@", domain, NULL);
	mac = compute_mac (plain, days, key);
	return g_strdup_printf ("%s%c%s%c%s.%" G_GINT64_FORMAT ".%s@%s", prefix,
				syntax->delimiters[0], local, syntax->equals, domain,
				days, mac, host);
}

gboolean
bounce_verp_mac_equal (const char *a, const char *b, gsize len)
{
	guint8 diff = 0;

	for (gsize i = 0; i < len; i++)
		diff |= (guint8) (g_ascii_tolower (a[i]) ^ g_ascii_tolower (b[i]));
	return diff == 0;
}

BounceVerpCheck
bounce_verp_verify (const BounceVerp *verp, GBytes *key, gint64 today, guint max_age_days)
{
	g_autofree char *want = NULL;

	if (verp == NULL || verp->days < 0 || strlen (verp->mac) != BOUNCE_VERP_MAC_CHARS)
		return BOUNCE_VERP_MISSING;
	if (key == NULL || g_bytes_get_size (key) == 0)
		return BOUNCE_VERP_BAD;
	want = compute_mac (verp->address, verp->days, key);
	if (!bounce_verp_mac_equal (want, verp->mac, BOUNCE_VERP_MAC_CHARS))
		return BOUNCE_VERP_BAD;
	if (verp->days > today + 1)
		return BOUNCE_VERP_BAD;		/* signed in the future: not ours */
	if (max_age_days > 0 && today - verp->days > (gint64) max_age_days)
		return BOUNCE_VERP_EXPIRED;
	return BOUNCE_VERP_VALID;
}

const char *
bounce_verp_check_name (BounceVerpCheck check)
{
	switch (check) {
	case BOUNCE_VERP_VALID:		return "valid";
	case BOUNCE_VERP_MISSING:	return "missing";
	case BOUNCE_VERP_BAD:		return "bad";
	case BOUNCE_VERP_EXPIRED:	return "expired";
	default:			return "unknown";
	}
}

gint64
bounce_verp_today (void)
{
	return g_get_real_time () / G_USEC_PER_SEC / 86400;
}

GBytes *
bounce_verp_key_load (const char *path, GError **error)
{
	char *data = NULL;
	gsize len = 0;

	if (!g_file_get_contents (path, &data, &len, error))
		return NULL;
	while (len > 0 && g_ascii_isspace (data[len - 1]))
		len--;
	if (len < BOUNCE_VERP_MIN_KEY) {
		g_set_error (error, BOUNCE_VERP_ERROR, BOUNCE_VERP_ERROR_INVALID,
			     "VERP key file %s: shorter than %d bytes", path, BOUNCE_VERP_MIN_KEY);
		g_free (data);
		return NULL;
	}
	return g_bytes_new_take (data, len);
}

GStrv
bounce_verp_candidates_from_env (char **envp)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
	const char *names[] = { "ORIGINAL_RECIPIENT", "RECIPIENT" };
	const char *local = g_environ_getenv (envp, "LOCAL_PART");
	const char *domain = g_environ_getenv (envp, "DOMAIN");

	for (gsize i = 0; i < G_N_ELEMENTS (names); i++) {
		g_autofree char *a = bare_address (g_environ_getenv (envp, names[i]));
		if (a != NULL && strchr (a, '@') != NULL)
			g_strv_builder_add (b, a);
	}
	/* Exim: prefix and suffix are taken off LOCAL_PART */
	if (local != NULL && *local != '\0' && domain != NULL && *domain != '\0') {
		const char *pre = g_environ_getenv (envp, "LOCAL_PART_PREFIX");
		const char *suf = g_environ_getenv (envp, "LOCAL_PART_SUFFIX");
		g_autofree char *joined = g_strconcat (pre ? pre : "", local, suf ? suf : "",
						       "@", domain, NULL);
		g_autofree char *a = bare_address (joined);

		if (a != NULL)
			g_strv_builder_add (b, a);
	}
	return g_strv_builder_end (b);
}

static const char *const envelope_headers[] = { "delivered-to", "x-original-to", "envelope-to" };

/* The first address in a header value: inside <...> if any, else the first word. */
static char *
first_address (const char *value, gsize len)
{
	g_autofree char *v = g_strndup (value, len);
	char *lt = strchr (v, '<'), *start, *end;

	if (lt != NULL && (end = strchr (lt, '>')) != NULL) {
		*end = '\0';
		start = lt + 1;
	} else {
		start = v;
		while (*start == ' ' || *start == '\t' || *start == '\r' || *start == '\n')
			start++;
		end = start;
		while (*end && *end != ' ' && *end != '\t' && *end != '\r' && *end != '\n' &&
		       *end != ',' && *end != ';' && *end != '(')
			end++;
		*end = '\0';
	}
	if (strchr (start, '@') == NULL)
		return NULL;
	return bare_address (start);
}

GStrv
bounce_verp_candidates_from_headers (const char *data, gsize len)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
	g_autoptr(BounceHeaders) headers = NULL;

	if (data == NULL)
		return g_strv_builder_end (b);
	headers = bounce_headers_new (data, MIN (len, MAX_HEADER_SCAN));
	for (guint f = 0; f < bounce_headers_count (headers); f++) {
		gsize nlen;
		const char *name = bounce_headers_name_at (headers, f, &nlen);	/* borrowed */

		for (gsize i = 0; i < G_N_ELEMENTS (envelope_headers); i++) {
			if (nlen == strlen (envelope_headers[i]) &&
			    g_ascii_strncasecmp (name, envelope_headers[i], nlen) == 0) {
				const char *value = bounce_headers_raw_at (headers, f);	/* borrowed */
				g_autofree char *a = first_address (value, strlen (value));
				if (a != NULL)
					g_strv_builder_add (b, a);
			}
		}
	}
	return g_strv_builder_end (b);
}
