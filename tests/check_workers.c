/*
 * tests/check_workers.c - worker processes: replies in request order, big
 * frames both ways, a worker that dies is an error, never a hang
 */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli/workers.h"
#include "testlib.h"

/* Reply: the worker's pid, then the request reversed, repeated as often as
 * its first byte says (to make replies larger than requests). */
static void
reverse_work (const guint8 *request, gsize len, GByteArray *reply, gpointer data)
{
	guint32 pid = getpid ();
	guint repeat = len > 0 ? request[0] % 4 + 1 : 1;

	(void) data;
	g_byte_array_append (reply, (const guint8 *) &pid, sizeof pid);
	for (guint r = 0; r < repeat; r++)
		for (gsize i = len; i > 0; i--)
			g_byte_array_append (reply, &request[i - 1], 1);
}

static GByteArray *
make_request (guint seq, gsize len)
{
	GByteArray *a = g_byte_array_sized_new (len);

	for (gsize i = 0; i < len; i++) {
		guint8 b = (guint8) (seq * 31 + i * 7);
		g_byte_array_append (a, &b, 1);
	}
	return a;
}

static void
check_reply (guint seq, gsize len, GByteArray *reply, GHashTable *pids)
{
	g_autoptr(GByteArray) want = make_request (seq, len);
	guint repeat = len > 0 ? want->data[0] % 4 + 1 : 1;
	guint32 pid;

	ck_assert_uint_eq (reply->len, sizeof pid + repeat * len);
	memcpy (&pid, reply->data, sizeof pid);
	ck_assert_uint_ne (pid, (guint32) getpid ());
	g_hash_table_add (pids, GUINT_TO_POINTER (pid));
	for (gsize i = 0; i < len / 2; i++) {
		guint8 t = want->data[i];
		want->data[i] = want->data[len - 1 - i];
		want->data[len - 1 - i] = t;
	}
	for (guint r = 0; r < repeat && len > 0; r++)
		ck_assert_msg (memcmp (reply->data + sizeof pid + r * len, want->data, len) == 0,
			       "reply %u, copy %u: wrong bytes", seq, r);
}

/* Request sizes: empty, small, and past a socket buffer (both ways). */
static gsize
size_of (guint seq)
{
	static const gsize sizes[] = { 0, 1, 100, 4096, 300 * 1024, 17 };

	return sizes[seq % G_N_ELEMENTS (sizes)];
}

START_TEST (test_order_and_content)
{
	const guint n = 3, total = 60, window = 5;
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceWorkers) w = bounce_workers_start (n, reverse_work, NULL, &error);
	g_autoptr(GHashTable) pids = g_hash_table_new (NULL, NULL);
	guint taken = 0;

	ck_assert_msg (w != NULL, "%s", error ? error->message : "");
	for (guint seq = 0; seq < total; seq++) {
		bounce_workers_submit (w, make_request (seq, size_of (seq)));
		while (bounce_workers_in_flight (w) >= window) {
			g_autoptr(GByteArray) reply = bounce_workers_next (w, TRUE, &error);
			ck_assert_msg (reply != NULL, "%s", error ? error->message : "no reply");
			check_reply (taken, size_of (taken), reply, pids);
			taken++;
		}
	}
	for (;;) {
		g_autoptr(GByteArray) reply = bounce_workers_next (w, TRUE, &error);
		if (reply == NULL)
			break;
		check_reply (taken, size_of (taken), reply, pids);
		taken++;
	}
	ck_assert_ptr_null (error);
	ck_assert_uint_eq (taken, total);
	ck_assert_uint_eq (g_hash_table_size (pids), n);	/* every worker took its turn */
	ck_assert (bounce_workers_stop (w, &error));
}
END_TEST

START_TEST (test_next_without_wait)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceWorkers) w = bounce_workers_start (2, reverse_work, NULL, &error);
	g_autoptr(GByteArray) reply = NULL;
	g_autoptr(GHashTable) pids = g_hash_table_new (NULL, NULL);

	ck_assert_ptr_nonnull (w);
	ck_assert_ptr_null (bounce_workers_next (w, FALSE, &error));	/* nothing asked */
	ck_assert_ptr_null (error);
	bounce_workers_submit (w, make_request (1, 10));
	while ((reply = bounce_workers_next (w, FALSE, &error)) == NULL) {
		ck_assert_ptr_null (error);
		g_usleep (1000);
	}
	check_reply (1, 10, reply, pids);
	ck_assert_uint_eq (bounce_workers_in_flight (w), 0);
}
END_TEST

/* A request that starts with 0xff kills the worker that reads it, the way
 * the kernel's out-of-memory killer would. */
static void
dying_work (const guint8 *request, gsize len, GByteArray *reply, gpointer data)
{
	if (len > 0 && request[0] == 0xff)
		kill (getpid (), SIGKILL);
	reverse_work (request, len, reply, data);
}

START_TEST (test_dead_worker_is_an_error)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceWorkers) w = bounce_workers_start (2, dying_work, NULL, &error);
	g_autoptr(GByteArray) first = NULL;
	g_autoptr(GByteArray) poison = g_byte_array_new ();
	guint8 ff = 0xff;

	ck_assert_ptr_nonnull (w);
	bounce_workers_submit (w, make_request (0, 8));
	g_byte_array_append (poison, &ff, 1);
	bounce_workers_submit (w, g_steal_pointer (&poison));
	first = bounce_workers_next (w, TRUE, &error);
	ck_assert_ptr_nonnull (first);
	ck_assert_ptr_null (bounce_workers_next (w, TRUE, &error));
	ck_assert_ptr_nonnull (error);
	ck_assert_msg (strstr (error->message, "signal 9") != NULL, "%s", error->message);
}
END_TEST

static Suite *
workers_suite (void)
{
	Suite *s = suite_create ("workers");
	TCase *tc = tcase_create ("workers");

	tcase_set_timeout (tc, 60);
	tcase_add_test (tc, test_order_and_content);
	tcase_add_test (tc, test_next_without_wait);
	tcase_add_test (tc, test_dead_worker_is_an_error);
	suite_add_tcase (s, tc);
	return s;
}

int
main (void)
{
	return test_run_suite (workers_suite (), CK_ENV);
}
