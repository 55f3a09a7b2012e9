/*
 * store/address.c - the one form in which addresses are stored and compared
 *
 * SYNOPSIS	char *bounce_address_canonical (const char *address);
 * DESCRIPTION	Trims spaces, a "rfc822;" type prefix and angle brackets,
 *		splits at the last '@', lower-cases the local part (UTF-8
 *		aware) and turns the domain into lower-case ASCII
 *		(IDNA: punycode labels), without a trailing dot.
 *		Lower-casing the local part is a choice: RFC 5321 lets a
 *		server tell "Bob" from "bob", but no provider we know of
 *		does, and one list entry per person is what matters here.
 * LIMITS	254 bytes for the result (RFC 5321 path limit), 64 for the
 *		local part; longer input is refused.
 * OWNERSHIP	Returns a new string or NULL when ADDRESS is not local@domain
 *		(address literals such as bob@[192.0.2.1] are refused too).
 */
#include "config.h"

#include <string.h>

#include "store/store.h"

static gboolean
local_part_ok (const char *local, gsize len)
{
	if (len == 0 || len > 64 || !g_utf8_validate (local, len, NULL))
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar) local[i];
		if (c <= ' ' || c == 0x7f || c == '<' || c == '>')
			return FALSE;
	}
	return TRUE;
}

char *
bounce_address_canonical (const char *address)
{
	if (address == NULL)
		return NULL;

	g_autofree char *work = g_strstrip (g_strdup (address));
	char *p = work;			/* borrowed: inside work */

	if (g_ascii_strncasecmp (p, "rfc822;", 7) == 0 ||
	    g_ascii_strncasecmp (p, "utf-8;", 6) == 0) {
		p = strchr (p, ';') + 1;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	gsize len = strlen (p);
	if (len >= 2 && p[0] == '<' && p[len - 1] == '>') {
		p[len - 1] = '\0';
		p++;
	}

	char *at = strrchr (p, '@');	/* borrowed */
	if (at == NULL || at == p || at[1] == '\0')
		return NULL;
	*at = '\0';
	const char *local = p;
	char *domain = at + 1;
	gsize dlen = strlen (domain);
	if (dlen > 0 && domain[dlen - 1] == '.')
		domain[--dlen] = '\0';
	if (dlen == 0 || !local_part_ok (local, strlen (local)))
		return NULL;
	if (domain[0] == '[')		/* address literal: keep as written */
		return NULL;

	g_autofree char *ascii = g_hostname_to_ascii (domain);
	if (ascii == NULL || ascii[0] == '\0' || strlen (ascii) > 253)
		return NULL;
	for (const char *c = ascii; *c; c++)
		if (!(g_ascii_isalnum (*c) || *c == '-' || *c == '.' || *c == '_'))
			return NULL;
	if (strstr (ascii, "..") != NULL || ascii[0] == '.')
		return NULL;

	g_autofree char *low_local = g_utf8_strdown (local, -1);
	g_autofree char *low_domain = g_ascii_strdown (ascii, -1);
	char *result = g_strconcat (low_local, "@", low_domain, NULL);
	if (strlen (result) > 254) {
		g_free (result);
		return NULL;
	}
	return result;
}
