/*
 * tests/fuzz/fuzz_message.c - libFuzzer harness: the whole message path
 *
 * DESCRIPTION	Bytes → bounce_analyze_bytes() (MIME scan, every detector,
 *		classifier) → JSON rendering.  Anything the library returns
 *		must render to valid JSON.
 */
#include "config.h"

#include "analyze.h"
#include "output/render.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
	g_autoptr(BounceReport) report = NULL;
	g_autoptr(GString) out = g_string_new (NULL);
	BounceRenderOptions opts = { BOUNCE_FORMAT_JSONL, TRUE, FALSE };
	BounceOrigin origin = { "fuzz", 1, -1 };

	bounce_library_init ();
	report = bounce_analyze_bytes ((const char *) data, size, NULL, NULL);
	if (report != NULL) {
		g_autoptr(JsonParser) parser = json_parser_new ();
		bounce_render (&opts, &origin, report, out);
		for (char *line = out->str, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr (line, '\n');
			if (nl)
				*nl = '\0';
			if (!json_parser_load_from_data (parser, line, -1, NULL))
				__builtin_trap ();
		}
	}
	return 0;
}
