/*
 * tests/check_input.c - message sources: single files, mboxes, Maildirs, limits;
 *			 header blocks looked up by field name
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include <glib/gstdio.h>

#include "mime/headers.h"
#include "mime/input.h"
#include "testlib.h"

static char *tmpdir;

static char *
write_file (const char *name, const char *content, gssize len)
{
	char *path = g_build_filename (tmpdir, name, NULL);
	g_autofree char *dir = g_path_get_dirname (path);

	g_mkdir_with_parents (dir, 0700);
	ck_assert (g_file_set_contents (path, content, len, NULL));
	return path;
}

static void
setup (void)
{
	tmpdir = g_dir_make_tmp ("check-input-XXXXXX", NULL);
	ck_assert_ptr_nonnull (tmpdir);
}

static void
teardown (void)
{
	g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
	ck_assert_int_eq (system (cmd), 0);
	g_clear_pointer (&tmpdir, g_free);
}

static const char mbox[] =
	"From a@example.org Mon Nov 16 10:00:00 2026\n"
	"Subject: one\n\nbody one\n"
	"From the start of a line, but no blank line before it\n"
	"\n"
	"From b@example.org Mon Nov 16 10:00:01 2026\n"
	"Subject: two\n\n>From escaped\n\n"
	"From c@example.org Mon Nov 16 10:00:02 2026\n"
	"Subject: three\n\nlast";

START_TEST (test_mbox_split)
{
	g_autofree char *path = write_file ("box", mbox, -1);
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceSource) src = bounce_source_open (path, 1 << 20, &error);
	BounceMessageRef ref;
	const char *subjects[] = { "Subject: one", "Subject: two", "Subject: three" };
	const char *from_lines[] = { "From a@", "From b@", "From c@" };
	guint n = 0;

	ck_assert_ptr_nonnull (src);
	while (bounce_source_next (src, &ref, &error)) {
		ck_assert_uint_lt (n, 3);
		ck_assert_msg (strncmp (ref.data, subjects[n], strlen (subjects[n])) == 0,
			       "message %u: got \"%.20s\", want \"%s\"", n + 1, ref.data, subjects[n]);
		ck_assert_uint_eq (ref.index, n + 1);
		ck_assert_int_eq (ref.offset, strstr (mbox, from_lines[n]) - mbox);
		n++;
	}
	ck_assert_ptr_null (error);
	ck_assert_uint_eq (n, 3);
	ck_assert (bounce_source_is_mbox (src));
}
END_TEST

/* A message larger than the read chunk and one larger than the limit. */
START_TEST (test_mbox_large_and_truncated)
{
	g_autoptr(GString) box = g_string_new (NULL);
	g_autofree char *path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceSource) src = NULL;
	BounceMessageRef ref;
	gsize limit = 600 * 1024;

	g_string_append (box, "From x Mon Nov 16 10:00:00 2026\nSubject: big\n\n");
	for (int i = 0; i < 20000; i++)
		g_string_append (box, "0123456789012345678901234567890123456789\n");	/* 800 KB */
	g_string_append (box, "\nFrom y Mon Nov 16 10:00:01 2026\nSubject: small\n\nok\n");
	path = write_file ("big", box->str, box->len);
	src = bounce_source_open (path, limit, &error);
	ck_assert (bounce_source_next (src, &ref, &error));
	ck_assert (ref.truncated);
	ck_assert_uint_eq (ref.len, limit);
	ck_assert (bounce_source_next (src, &ref, &error));
	ck_assert (!ref.truncated);
	ck_assert (strncmp (ref.data, "Subject: small", 14) == 0);
	ck_assert_int_eq (ref.offset, strstr (box->str, "From y") - box->str);
	ck_assert (!bounce_source_next (src, &ref, &error));
	ck_assert_ptr_null (error);
}
END_TEST

START_TEST (test_single_file)
{
	g_autofree char *path = write_file ("one.eml", "Subject: x\n\nFrom here on\n", -1);
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceSource) src = bounce_source_open (path, 1 << 20, &error);
	BounceMessageRef ref;

	ck_assert (bounce_source_next (src, &ref, &error));
	ck_assert_uint_eq (ref.len, strlen ("Subject: x\n\nFrom here on\n"));
	ck_assert_int_eq (ref.offset, -1);
	ck_assert (!bounce_source_next (src, &ref, &error));
	ck_assert (!bounce_source_is_mbox (src));
}
END_TEST

START_TEST (test_empty_file)
{
	g_autofree char *path = write_file ("empty", "", 0);
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceSource) src = bounce_source_open (path, 1 << 20, &error);
	BounceMessageRef ref;

	ck_assert (!bounce_source_next (src, &ref, &error));
	ck_assert_ptr_null (error);
}
END_TEST

START_TEST (test_missing_file)
{
	g_autofree char *path = g_build_filename (tmpdir, "nope", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceSource) src = bounce_source_open (path, 1 << 20, &error);

	ck_assert_ptr_null (src);
	ck_assert (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT));
}
END_TEST

START_TEST (test_expand_maildir_and_dirs)
{
	g_autofree char *a = write_file ("md/new/2", "Subject: n\n\n", -1);
	g_autofree char *b = write_file ("md/cur/1:2,S", "Subject: c\n\n", -1);
	g_autofree char *c = write_file ("md/tmp/partial", "Subject: t\n\n", -1);
	g_autofree char *d = write_file ("dir/b.eml", "x", -1);
	g_autofree char *e = write_file ("dir/a.eml", "x", -1);
	g_autofree char *f = write_file ("dir/.hidden", "x", -1);
	g_autofree char *md = g_build_filename (tmpdir, "md", NULL);
	g_autofree char *dir = g_build_filename (tmpdir, "dir", NULL);
	char *paths[] = { md, dir, (char *) "-", NULL };
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) files = bounce_input_expand (paths, &error);

	ck_assert_ptr_nonnull (files);
	ck_assert_uint_eq (files->len, 5);
	ck_assert_str_eq (g_ptr_array_index (files, 0), a);	/* new/ before cur/, never tmp/ */
	ck_assert_str_eq (g_ptr_array_index (files, 1), b);
	ck_assert_str_eq (g_ptr_array_index (files, 2), e);	/* sorted, dot-files skipped */
	ck_assert_str_eq (g_ptr_array_index (files, 3), d);
	ck_assert_str_eq (g_ptr_array_index (files, 4), "-");
	(void) c;
	(void) f;
}
END_TEST

/* A returned original's header block, with what a look-up must cope with. */
static const char header_block[] =
	"Received: from a.example.net\r\n"
	"\tby b.example.net; Mon, 1 Sep 2025 10:00:00 +0000\r\n"
	"-----------------------------------------\r\n"
	"Subject: =?UTF-8?Q?Caf=C3=A9?=\r\n"
	"  menu\r\n"
	"to: First <first@example.org>\r\n"
	"To: second@example.org\r\n"
	"List-Id : obsolete spacing <news.example.com>\r\n"
	"X-Empty:\r\n"
	"\r\n"
	"Body-Looking: not a header\r\n";

static const struct {
	const char *name;
	const char *raw;	/* NULL: absent */
	const char *decoded;
} header_cases[] = {
	{ "Received", "from a.example.net\tby b.example.net; Mon, 1 Sep 2025 10:00:00 +0000",
	  "from a.example.net\tby b.example.net; Mon, 1 Sep 2025 10:00:00 +0000" },
	{ "SUBJECT", "=?UTF-8?Q?Caf=C3=A9?=  menu", "Café  menu" },
	{ "To", "First <first@example.org>", "First <first@example.org>" },	/* the first of two */
	{ "List-Id", "obsolete spacing <news.example.com>", "obsolete spacing <news.example.com>" },
	{ "X-Empty", "", "" },
	{ "Body-Looking", NULL, NULL },	/* after the empty line */
	{ "-----------------------------------------", NULL, NULL },
	{ "Cc", NULL, NULL },
};

START_TEST (test_header_lookup)
{
	g_autoptr(BounceHeaders) h = NULL;
	const char *raw, *decoded;

	bounce_library_init ();	/* GMime decodes the values */
	h = bounce_headers_new (header_block, strlen (header_block));
	raw = bounce_headers_raw (h, header_cases[_i].name);
	decoded = bounce_headers_get (h, header_cases[_i].name);

	ck_assert_uint_eq (bounce_headers_count (h), 6);
	if (header_cases[_i].raw == NULL) {
		ck_assert_msg (raw == NULL && decoded == NULL, "%s: found \"%s\"", header_cases[_i].name, raw);
		return;
	}
	ck_assert_msg (raw != NULL, "%s: not found", header_cases[_i].name);
	ck_assert_str_eq (raw, header_cases[_i].raw);
	ck_assert_str_eq (decoded, header_cases[_i].decoded);
}
END_TEST

/* Bytes that are no text, and a block that is all one field with no line end. */
START_TEST (test_header_odd_blocks)
{
	static const char invalid[] = "Subject: caf\xe9 \xff\n\n";
	g_autoptr(BounceHeaders) bad = NULL;
	g_autoptr(BounceHeaders) open_ended = NULL;
	g_autoptr(BounceHeaders) empty = NULL;

	bounce_library_init ();
	bad = bounce_headers_new (invalid, sizeof invalid - 1);
	open_ended = bounce_headers_new ("From: a@example.org", 19);
	empty = bounce_headers_new ("", 0);
	{
		/* a block that is not NUL-terminated and stops inside "From " (under ASan) */
		g_autofree char *from = g_memdup2 ("From", 4);
		g_autoptr(BounceHeaders) cut = bounce_headers_new (from, 4);
		ck_assert_uint_eq (bounce_headers_count (cut), 0);
	}
	{
		g_autoptr(BounceHeaders) text = bounce_headers_new ("hello there\nworld: x\n\nmore\n", 27);
		ck_assert (bounce_headers_no_header_first (text));
	}

	ck_assert (g_utf8_validate (bounce_headers_get (bad, "Subject"), -1, NULL));
	ck_assert (bounce_headers_not_utf8 (bad));
	ck_assert_str_eq (bounce_headers_raw (open_ended, "From"), "a@example.org");
	ck_assert_uint_eq (bounce_headers_length (open_ended), 19);
	ck_assert (!bounce_headers_not_utf8 (open_ended));
	ck_assert (!bounce_headers_no_header_first (open_ended));
	ck_assert_uint_eq (bounce_headers_count (empty), 0);
	ck_assert_uint_eq (bounce_headers_length (empty), 0);
	ck_assert_ptr_null (bounce_headers_get (empty, "From"));
}
END_TEST

/* Where the body starts, what is no field, and the fields given to GMime. */
START_TEST (test_header_block_shape)
{
	static const char message[] =
		">From someone Mon Sep  1 10:00:00 2025\n"	/* an mbox separator: no fault */
		"Received: a\n"
		"Received: b\n"
		"Content-Type: multipart/mixed;\n"
		"\tboundary=\"x\"\n"
		"Subject: one\0two\n"				/* a NUL does not end the block */
		"content-transfer-encoding: 7bit\n"
		"what is this\n"
		"\n"
		"--x\n";
	static const char mime_fields[] =
		"Content-Type: multipart/mixed;\n\tboundary=\"x\"\ncontent-transfer-encoding: 7bit\n";
	g_autoptr(BounceHeaders) h = bounce_headers_new (message, sizeof message - 1);
	g_autoptr(GByteArray) mime = g_byte_array_new ();

	bounce_library_init ();
	ck_assert_uint_eq (bounce_headers_length (h), sizeof message - 1 - strlen ("--x\n"));
	ck_assert_uint_eq (bounce_headers_count (h), 5);
	ck_assert_uint_eq (bounce_headers_occurrences (h, "received"), 2);
	ck_assert_uint_eq (bounce_headers_junk_lines (h), 1);
	ck_assert (!bounce_headers_no_header_first (h));
	ck_assert (bounce_headers_not_utf8 (h));	/* the NUL */
	ck_assert_str_eq (bounce_headers_raw (h, "Subject"), "one");
	bounce_headers_copy_fields (h, "Content-", mime);
	ck_assert_int_eq (mime->len, strlen (mime_fields));
	ck_assert (memcmp (mime->data, mime_fields, mime->len) == 0);
}
END_TEST

static Suite *
input_suite (void)
{
	Suite *s = suite_create ("input");
	TCase *tc = tcase_create ("sources");

	tcase_add_checked_fixture (tc, setup, teardown);
	tcase_add_test (tc, test_mbox_split);
	tcase_add_test (tc, test_mbox_large_and_truncated);
	tcase_add_test (tc, test_single_file);
	tcase_add_test (tc, test_empty_file);
	tcase_add_test (tc, test_missing_file);
	tcase_add_test (tc, test_expand_maildir_and_dirs);
	suite_add_tcase (s, tc);
	tc = tcase_create ("headers");
	tcase_add_loop_test (tc, test_header_lookup, 0, G_N_ELEMENTS (header_cases));
	tcase_add_test (tc, test_header_odd_blocks);
	tcase_add_test (tc, test_header_block_shape);
	suite_add_tcase (s, tc);
	return s;
}

int
main (void)
{
	return test_run_suite (input_suite (), CK_NORMAL);
}
