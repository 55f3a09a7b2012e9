/*
 * tests/fuzz/fuzz_dsn.c - libFuzzer harness: the delivery-status field parser
 */
#include "config.h"

#include "dsn/fields.h"
#include "dsn/status.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
	g_autoptr(BounceReport) report = bounce_report_new ();
	g_autofree char *copy = g_strndup ((const char *) data, size);
	char status[16], code[4];

	bounce_dsn_parse ((const char *) data, size, size % 2, report, &bounce_limits_default);
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);
		if (!g_utf8_validate (r->recipient, -1, NULL) || !g_utf8_validate (r->diagnostic, -1, NULL))
			__builtin_trap ();
	}
	bounce_status_find ((const char *) data, size, status);
	bounce_reply_code_find ((const char *) data, size, code);
	g_free (bounce_dsn_address (copy));
	return 0;
}
