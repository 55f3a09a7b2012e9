/*
 * tests/fuzz/fuzz_config.c - libFuzzer harness: the configuration file parser
 *
 * DESCRIPTION	Any bytes as a config file: loaded or refused with an
 *		error, never a crash; what loads keeps sane values.
 */
#include "config.h"

#include "cli/settings.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
	g_autofree char *text = g_strndup ((const char *) data, size);
	g_autoptr(BounceConfig) cfg = bounce_config_new ();
	g_autoptr(GError) error = NULL;

	if (!bounce_config_load_data (cfg, text, "fuzz.conf", &error) && error == NULL)
		__builtin_trap ();	/* a refusal always says why */
	return 0;
}
