/*
 * tests/bench_store.c - how fast the suppression list takes batches of events
 *
 * SYNOPSIS	tests/bench_store [URI [EVENTS]]
 * DESCRIPTION	Records EVENTS (default 100000) synthetic bounce reports, one
 *		recipient each, in transactions of 1000 as batch mode does:
 *		70% hard bounces to distinct addresses, 30% soft bounces
 *		(mailboxfull) spread over a pool of addresses and days.
 *		Then records the same reports again (all duplicates).
 *		Prints events/s for both passes.  URI defaults to a new
 *		SQLite file in a temporary directory, removed afterwards.
 *		The target on SQLite is 10,000 events/s or more.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>

#include "result.h"
#include "store/store.h"

#define BATCH  1000
#define TARGET 10000.0

static GPtrArray *
make_reports (guint n)
{
	GPtrArray *reports = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_report_free);
	gint64 now = g_get_real_time () / G_USEC_PER_SEC;

	for (guint i = 0; i < n; i++) {
		BounceReport *r = bounce_report_new ();
		gboolean soft = i % 10 < 3;
		gint64 at = now - (gint64) (i % 12) * 86400 - i % 3600;
		g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (at);
		g_autofree char *date = g_date_time_format (dt, "%a, %d %b %Y %H:%M:%S +0000");
		g_autofree char *msgid = g_strdup_printf ("<bench-%u@mx.example>", i);
		g_autofree char *to = soft ? g_strdup_printf ("full%u@example.net", i % 5000)
					   : g_strdup_printf ("user%u@example.com", i);

		r->kind = BOUNCE_KIND_BOUNCE;
		bounce_set (&r->bounce_message_id, msgid);
		bounce_set (&r->date, date);
		BounceRecipient *rc = bounce_report_add_recipient (r, to);	/* borrowed */
		bounce_set (&rc->action, "failed");
		bounce_set (&rc->diagnostic, soft ? "452 4.2.2 Mailbox full"
						  : "550 5.1.1 User unknown");
		bounce_recipient_set_status (rc, soft ? "4.2.2" : "5.1.1");
		bounce_recipient_set_reply_code (rc, soft ? "452" : "550");
		bounce_set (&rc->reason, soft ? "mailboxfull" : "userunknown");
		rc->fault = "recipient";
		rc->hard_bounce = !soft;
		rc->permanent = !soft;
		g_ptr_array_add (reports, r);
	}
	return reports;
}

static gboolean
run_pass (BounceStore *store, GPtrArray *reports, double *rate, GError **error)
{
	gint64 start = g_get_monotonic_time ();

	for (guint i = 0; i < reports->len; i++) {
		if (i % BATCH == 0 && !bounce_store_begin (store, error))
			return FALSE;
		if (!bounce_store_record (store, g_ptr_array_index (reports, i), "bench", NULL,
					  FALSE, NULL, error))
			return FALSE;
		if ((i % BATCH == BATCH - 1 || i == reports->len - 1) &&
		    !bounce_store_commit (store, error))
			return FALSE;
	}
	double secs = (g_get_monotonic_time () - start) / 1e6;
	*rate = reports->len / (secs > 0 ? secs : 1e-9);
	return TRUE;
}

int
main (int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = NULL;
	g_autofree char *uri = NULL;
	guint n = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 100000;
	double first = 0, again = 0;

	g_mime_init ();
	if (argc > 1 && argv[1][0] != '\0') {
		uri = g_strdup (argv[1]);
	} else {
		dir = g_dir_make_tmp ("bench_store_XXXXXX", &error);
		if (dir == NULL) {
			fprintf (stderr, "bench_store: %s\n", error->message);
			return 1;
		}
		uri = g_strdup_printf ("sqlite:%s/bench.db", dir);
	}
	g_autoptr(GPtrArray) reports = make_reports (n ? n : 1);
	BounceStore *store = bounce_store_open (uri, &error);
	gboolean ok = store != NULL &&
		      run_pass (store, reports, &first, &error) &&
		      run_pass (store, reports, &again, &error);
	const char *backend = store ? bounce_store_backend (store) : "?";

	if (ok) {
		printf ("%s: %u events in batches of %d: %.0f events/s (new), "
			"%.0f events/s (duplicates)\n", backend, reports->len, BATCH, first, again);
		if (strcmp (backend, "sqlite") == 0)
			printf ("target %.0f events/s: %s\n", TARGET, first >= TARGET ? "met" : "MISSED");
	} else {
		fprintf (stderr, "bench_store: %s\n", error->message);
	}
	bounce_store_close (store);
	if (dir != NULL) {
		const char *const suffixes[] = { "", "-wal", "-shm" };
		for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++) {
			g_autofree char *f = g_strdup_printf ("%s/bench.db%s", dir, suffixes[i]);
			g_unlink (f);
		}
		g_rmdir (dir);
	}
	return ok ? 0 : 1;
}
