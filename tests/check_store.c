/*
 * tests/check_store.c - the suppression list, one suite for both backends
 *
 * DESCRIPTION	Built twice: tests/check_store runs every case against a
 *		fresh SQLite file; tests/check_store_pg (STORE_TEST_PG) runs
 *		the same cases against PostgreSQL, each in a schema of its
 *		own, when BOUNCE_TEST_PG holds a conninfo, and exits 77
 *		(automake: SKIP) when it does not.  tests/pg_cluster.sh
 *		starts a throwaway server.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <sqlite3.h>
#include <libpq-fe.h>

#include "result.h"
#include "store/store.h"

#define DAY 86400

static char *test_uri;		/* the store of the running test */
static char *test_dir;		/* SQLite: its directory */
static char *test_schema;	/* PostgreSQL: its schema */

#ifdef STORE_TEST_PG
static void
drop_notice (void *arg, const char *message)
{
}

static gboolean
pg_run (const char *sql)
{
	PGconn *conn = PQconnectdb (g_getenv ("BOUNCE_TEST_PG"));
	gboolean ok = FALSE;

	if (PQstatus (conn) == CONNECTION_OK) {
		PQsetNoticeProcessor (conn, drop_notice, NULL);
		PGresult *res = PQexec (conn, sql);
		ok = PQresultStatus (res) == PGRES_COMMAND_OK || PQresultStatus (res) == PGRES_TUPLES_OK;
		if (!ok)
			fprintf (stderr, "%s: %s", sql, PQresultErrorMessage (res));
		PQclear (res);
	} else {
		fprintf (stderr, "cannot connect: %s", PQerrorMessage (conn));
	}
	PQfinish (conn);
	return ok;
}
#endif

static void
setup (void)
{
#ifdef STORE_TEST_PG
	const char *base = g_getenv ("BOUNCE_TEST_PG");
	test_schema = g_strdup_printf ("check_store_%d_%u", (int) getpid (), g_random_int ());
	g_autofree char *create = g_strdup_printf ("CREATE SCHEMA %s", test_schema);
	ck_assert_msg (pg_run (create), "cannot create schema %s", test_schema);
	if (strstr (base, "://") != NULL)
		test_uri = g_strdup_printf ("%s%soptions=-csearch_path%%3D%s", base,
					    strchr (base, '?') ? "&" : "?", test_schema);
	else
		test_uri = g_strdup_printf ("%s options='-csearch_path=%s'", base, test_schema);
#else
	test_dir = g_dir_make_tmp ("check_store_XXXXXX", NULL);
	ck_assert_ptr_nonnull (test_dir);
	test_uri = g_strdup_printf ("sqlite:%s/sub/list.db", test_dir);
#endif
}

static void
teardown (void)
{
#ifdef STORE_TEST_PG
	g_autofree char *drop = g_strdup_printf ("DROP SCHEMA %s CASCADE", test_schema);
	pg_run (drop);
#else
	g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", test_dir);
	if (system (cmd) != 0)
		fprintf (stderr, "cannot remove %s\n", test_dir);
#endif
	g_clear_pointer (&test_uri, g_free);
	g_clear_pointer (&test_dir, g_free);
	g_clear_pointer (&test_schema, g_free);
}

static BounceStore *
open_test_store (void)
{
	g_autoptr(GError) error = NULL;
	BounceStore *store = bounce_store_open (test_uri, &error);
	ck_assert_msg (store != NULL, "open %s: %s", test_uri, error ? error->message : "?");
	return store;
}

static gint64
now_s (void)
{
	return g_get_real_time () / G_USEC_PER_SEC;
}

/* A report of KIND about one recipient, dated AT. */
static BounceReport *
report_new (BounceKind kind, const char *msgid, gint64 at, const char *rcpt,
	    const char *status, const char *reason, const char *fault, gboolean hard)
{
	BounceReport *r = bounce_report_new ();
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (at);
	g_autofree char *date = g_date_time_format (dt, "%a, %d %b %Y %H:%M:%S +0000");

	r->kind = kind;
	bounce_set (&r->bounce_message_id, msgid);
	bounce_set (&r->date, date);
	BounceRecipient *rc = bounce_report_add_recipient (r, rcpt);	/* borrowed */
	bounce_recipient_set_status (rc, status);
	bounce_set (&rc->reason, reason);
	bounce_set (&rc->action, "failed");
	rc->fault = fault;
	rc->hard_bounce = hard;
	rc->permanent = hard;
	return r;
}

static BounceChange *
record_one (BounceStore *store, BounceReport *r, const BouncePolicy *policy, gboolean dry_run)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) changes = bounce_change_array_new ();

	ck_assert_msg (bounce_store_record (store, r, "test", policy, dry_run, changes, &error),
		       "record: %s", error ? error->message : "?");
	ck_assert_uint_eq (changes->len, 1);
	return g_ptr_array_steal_index (changes, 0);
}

static BounceChange *
record_soft (BounceStore *store, const char *rcpt, gint64 at, const BouncePolicy *policy)
{
	g_autofree char *msgid = g_strdup_printf ("<soft-%" G_GINT64_FORMAT "-%s>", at, rcpt);
	g_autoptr(BounceReport) r = report_new (BOUNCE_KIND_BOUNCE, msgid, at, rcpt, "4.2.2",
						"mailboxfull", "recipient", FALSE);
	return record_one (store, r, policy, FALSE);
}

static gboolean
is_suppressed (BounceStore *store, const char *address, char **reason)
{
	g_autoptr(GError) error = NULL;
	gboolean suppressed = FALSE;

	ck_assert_msg (bounce_store_check (store, address, &suppressed, reason, &error),
		       "check: %s", error ? error->message : "?");
	return suppressed;
}

static void
get_stats (BounceStore *store, BounceStats *st)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg (bounce_store_stats (store, st, &error), "stats: %s",
		       error ? error->message : "?");
}

/* ------------------------------------------------------------------ */

static const struct {
	const char *label, *input, *want;
} address_cases[] = {
	{ "lower-cased",            "User@Example.COM",       "user@example.com" },
	{ "angle brackets",         " <bob@example.org> ",    "bob@example.org" },
	{ "type prefix",            "rfc822; bob@example.org", "bob@example.org" },
	{ "trailing dot",           "bob@example.org.",       "bob@example.org" },
	{ "IDN domain to punycode", "hans@Bücher.example",    "hans@xn--bcher-kva.example" },
	{ "punycode kept",          "hans@xn--bcher-kva.example", "hans@xn--bcher-kva.example" },
	{ "UTF-8 local part",       "Jörg@example.com",       "jörg@example.com" },
	{ "last @ splits",          "\"a@b\"@example.com",    "\"a@b\"@example.com" },
	{ "no domain",              "bob",                    NULL },
	{ "empty local part",       "@example.com",           NULL },
	{ "empty domain",           "bob@",                   NULL },
	{ "space inside",           "bo b@example.com",       NULL },
	{ "bad domain",             "bob@exa..mple.com",      NULL },
	{ "empty",                  "",                       NULL },
};

START_TEST (test_address_canonical)
{
	g_autofree char *got = bounce_address_canonical (address_cases[_i].input);
	ck_assert_msg (g_strcmp0 (got, address_cases[_i].want) == 0, "%s: got %s, want %s",
		       address_cases[_i].label, got ? got : "NULL",
		       address_cases[_i].want ? address_cases[_i].want : "NULL");
}
END_TEST

static const struct {
	const char *label;
	BounceKind  kind;
	const char *reason, *fault, *action;
	gboolean    hard;
	BounceClass want;
} class_cases[] = {
	{ "hard bounce",            BOUNCE_KIND_BOUNCE,    "userunknown", "recipient", "failed", TRUE,  BOUNCE_CLASS_HARD },
	{ "complaint kind",         BOUNCE_KIND_FEEDBACK,  "",            "unknown",   "",       FALSE, BOUNCE_CLASS_COMPLAINT },
	{ "feedback reason",        BOUNCE_KIND_BOUNCE,    "feedback",    "unknown",   "",       FALSE, BOUNCE_CLASS_COMPLAINT },
	{ "mailbox full",           BOUNCE_KIND_BOUNCE,    "mailboxfull", "recipient", "failed", FALSE, BOUNCE_CLASS_SOFT },
	{ "suspended",              BOUNCE_KIND_BOUNCE,    "suspend",     "recipient", "failed", FALSE, BOUNCE_CLASS_SOFT },
	{ "undefined",              BOUNCE_KIND_BOUNCE,    "undefined",   "unknown",   "failed", FALSE, BOUNCE_CLASS_SOFT },
	{ "blocked, even if hard",  BOUNCE_KIND_BOUNCE,    "blocked",     "sender",    "failed", TRUE,  BOUNCE_CLASS_SENDER },
	{ "sender fault",           BOUNCE_KIND_BOUNCE,    "filtered",    "sender",    "failed", FALSE, BOUNCE_CLASS_SENDER },
	{ "rate limited",           BOUNCE_KIND_BOUNCE,    "ratelimited", "network",   "failed", FALSE, BOUNCE_CLASS_SENDER },
	{ "spam detected",          BOUNCE_KIND_BOUNCE,    "spamdetected", "content",  "failed", FALSE, BOUNCE_CLASS_SENDER },
	{ "content",                BOUNCE_KIND_BOUNCE,    "emailtoolarge", "content", "failed", FALSE, BOUNCE_CLASS_OTHER },
	{ "delay",                  BOUNCE_KIND_BOUNCE,    "mailboxfull", "recipient", "delayed", FALSE, BOUNCE_CLASS_OTHER },
	{ "vacation",               BOUNCE_KIND_AUTOREPLY, "vacation",    "unknown",   "",       FALSE, BOUNCE_CLASS_IGNORED },
	{ "delivered DSN",          BOUNCE_KIND_DELIVERED, "delivered",   "unknown",   "delivered", FALSE, BOUNCE_CLASS_IGNORED },
	{ "relayed action",         BOUNCE_KIND_BOUNCE,    "",            "unknown",   "relayed", FALSE, BOUNCE_CLASS_IGNORED },
};

START_TEST (test_classify)
{
	g_autoptr(BounceRecipient) r = bounce_recipient_new ("a@example.com");
	bounce_set (&r->reason, class_cases[_i].reason);
	bounce_set (&r->action, class_cases[_i].action);
	r->fault = class_cases[_i].fault;
	r->hard_bounce = class_cases[_i].hard;
	BounceClass got = bounce_policy_classify (class_cases[_i].kind, r);
	ck_assert_msg (got == class_cases[_i].want, "%s: got %s, want %s", class_cases[_i].label,
		       bounce_class_name (got), bounce_class_name (class_cases[_i].want));
}
END_TEST

START_TEST (test_hard_bounce_suppresses)
{
	g_autoptr(BounceStore) store = open_test_store ();
	g_autoptr(BounceReport) r = report_new (BOUNCE_KIND_BOUNCE, "<b1@mta>", now_s () - 60,
						"Bob@Example.COM", "5.1.1", "userunknown",
						"recipient", TRUE);
	g_autoptr(BounceChange) c = record_one (store, r, NULL, FALSE);
	g_autofree char *reason = NULL;
	g_autoptr(BounceSuppression) e = NULL;
	g_autoptr(GError) error = NULL;

	ck_assert_int_eq (c->event, BOUNCE_EVENT_NEW);
	ck_assert (c->suppressed && c->newly);
	ck_assert_str_eq (c->address, "bob@example.com");
	ck_assert (is_suppressed (store, "BOB@example.com", &reason));
	ck_assert_str_eq (reason, "userunknown");
	ck_assert (bounce_store_get (store, "bob@example.com", &e, &error));
	ck_assert_ptr_nonnull (e);
	ck_assert_str_eq (e->source, "bounce");
	ck_assert_str_eq (e->status, "5.1.1");
	ck_assert_int_eq (e->expires_at, 0);
	ck_assert_int_eq (e->count, 1);
	ck_assert_int_gt (e->decided_by_event, 0);
	ck_assert (!is_suppressed (store, "alice@example.com", NULL));
}
END_TEST

START_TEST (test_duplicate_changes_nothing)
{
	g_autoptr(BounceStore) store = open_test_store ();
	BounceStats st;

	for (int round = 0; round < 2; round++) {
		/* With and without a Message-ID, the second pass is a duplicate. */
		g_autoptr(BounceReport) a = report_new (BOUNCE_KIND_BOUNCE, "<dup@mta>", now_s () - 100,
							"a@example.com", "5.1.1", "userunknown",
							"recipient", TRUE);
		g_autoptr(BounceReport) b = report_new (BOUNCE_KIND_BOUNCE, "", 1700000000,
							"b@example.com", "4.2.2", "mailboxfull",
							"recipient", FALSE);
		g_autoptr(BounceChange) ca = record_one (store, a, NULL, FALSE);
		g_autoptr(BounceChange) cb = record_one (store, b, NULL, FALSE);
		BounceEventState want = round == 0 ? BOUNCE_EVENT_NEW : BOUNCE_EVENT_DUPLICATE;
		ck_assert_int_eq (ca->event, want);
		ck_assert_int_eq (cb->event, want);
		ck_assert (ca->suppressed);
	}
	g_autoptr(BounceSuppression) e = NULL;
	g_autoptr(GError) error = NULL;
	ck_assert (bounce_store_get (store, "a@example.com", &e, &error));
	ck_assert_int_eq (e->count, 1);
	get_stats (store, &st);
	ck_assert_int_eq (st.events, 2);
	ck_assert_int_eq (st.suppressed, 1);
	bounce_stats_clear (&st);
}
END_TEST

/* Soft bounces: days ago of each bounce, and whether the last one suppresses. */
static const struct {
	const char *label;
	double      days_ago[5];	/* 0 ends */
	gboolean    want;
} soft_cases[] = {
	{ "three distinct days in the window", { 10, 5, 1 },       TRUE },
	{ "three on one day",                 { 1.3, 1.2, 1.1 },  FALSE },
	{ "two days only",                    { 3, 1 },           FALSE },
	{ "oldest outside the window",        { 20, 5, 1 },       FALSE },
	{ "four days, one outside",           { 20, 9, 5, 1 },    TRUE },
};

START_TEST (test_soft_threshold)
{
	g_autoptr(BounceStore) store = open_test_store ();
	gint64 now = (now_s () / DAY) * DAY + DAY / 2;	/* noon: days_ago stays on whole days */
	gboolean got = FALSE;

	if (now > now_s ())
		now -= DAY;
	for (int i = 0; i < 5 && soft_cases[_i].days_ago[i] > 0; i++) {
		g_autoptr(BounceChange) c = record_soft (store, "soft@example.com",
			now - (gint64) (soft_cases[_i].days_ago[i] * DAY), NULL);
		ck_assert_int_eq (c->cls, BOUNCE_CLASS_SOFT);
		got = c->suppressed;
	}
	ck_assert_msg (got == soft_cases[_i].want, "%s: got %d, want %d", soft_cases[_i].label,
		       got, soft_cases[_i].want);
	ck_assert (is_suppressed (store, "soft@example.com", NULL) == soft_cases[_i].want);
}
END_TEST

START_TEST (test_soft_quiet_period_resets)
{
	g_autoptr(BounceStore) store = open_test_store ();
	BouncePolicy policy;
	gint64 now = now_s ();

	bounce_policy_init (&policy);
	policy.soft_window_days = 60;
	policy.quiet_reset_days = 10;
	const struct { int days_ago; gboolean want; } steps[] = {
		{ 50, FALSE }, { 45, FALSE }, { 30, FALSE } /* 15 quiet days: restart */,
		{ 29, FALSE }, { 28, TRUE },
	};
	for (gsize i = 0; i < G_N_ELEMENTS (steps); i++) {
		g_autoptr(BounceChange) c = record_soft (store, "quiet@example.com",
							 now - steps[i].days_ago * DAY, &policy);
		ck_assert_msg (c->suppressed == steps[i].want, "%d days ago: got %d (%s)",
			       steps[i].days_ago, c->suppressed, c->why);
	}
}
END_TEST

static const char *const sender_reasons[] = {
	"blocked", "badreputation", "authfailure", "requireptr", "spamdetected",
	"policyviolation", "failedstarttls", "ratelimited", "norelaying", "rejected",
	"securityerror",
};

START_TEST (test_sender_side_never_suppresses)
{
	g_autoptr(BounceStore) store = open_test_store ();
	gint64 now = now_s ();
	BounceStats st;

	for (int d = 5; d >= 1; d--) {
		g_autofree char *msgid = g_strdup_printf ("<s%d@mta>", d);
		g_autoptr(BounceReport) r = report_new (BOUNCE_KIND_BOUNCE, msgid, now - d * DAY,
							"victim@example.com", "5.7.1",
							sender_reasons[_i], "sender", TRUE);
		g_autoptr(BounceChange) c = record_one (store, r, NULL, FALSE);
		ck_assert_int_eq (c->event, BOUNCE_EVENT_NEW);
		ck_assert_msg (!c->suppressed, "%s suppressed", sender_reasons[_i]);
	}
	ck_assert (!is_suppressed (store, "victim@example.com", NULL));
	get_stats (store, &st);
	ck_assert_int_eq (st.events, 5);
	bounce_stats_clear (&st);
}
END_TEST

START_TEST (test_complaint_suppresses)
{
	g_autoptr(BounceStore) store = open_test_store ();
	g_autoptr(BounceReport) r = report_new (BOUNCE_KIND_FEEDBACK, "<arf@isp>", now_s () - 5,
						"reader@example.net", "", "", "unknown", FALSE);
	g_autoptr(BounceChange) c = record_one (store, r, NULL, FALSE);
	g_autoptr(BounceSuppression) e = NULL;
	g_autoptr(GError) error = NULL;

	ck_assert (c->suppressed);
	ck_assert (bounce_store_get (store, "reader@example.net", &e, &error));
	ck_assert_str_eq (e->reason, "feedback");
	ck_assert_str_eq (e->source, "complaint");
	ck_assert_int_eq (e->expires_at, 0);
}
END_TEST

START_TEST (test_vacation_not_recorded)
{
	g_autoptr(BounceStore) store = open_test_store ();
	g_autoptr(BounceReport) v = report_new (BOUNCE_KIND_AUTOREPLY, "<v@x>", now_s (),
						"away@example.com", "", "vacation", "unknown", FALSE);
	g_autoptr(BounceReport) d = report_new (BOUNCE_KIND_DELIVERED, "<d@x>", now_s (),
						"ok@example.com", "2.0.0", "delivered", "unknown", FALSE);
	g_autoptr(BounceChange) cv = record_one (store, v, NULL, FALSE);
	g_autoptr(BounceChange) cd = record_one (store, d, NULL, FALSE);
	g_autofree char *line = bounce_change_format (cv);
	BounceStats st;

	ck_assert_int_eq (cv->event, BOUNCE_EVENT_SKIPPED);
	ck_assert_int_eq (cd->event, BOUNCE_EVENT_SKIPPED);
	ck_assert (g_str_has_prefix (line, "skip\taway@example.com\tvacation\t"));
	get_stats (store, &st);
	ck_assert_int_eq (st.events, 0);
	bounce_stats_clear (&st);
}
END_TEST

START_TEST (test_expiry_and_prune)
{
	g_autoptr(BounceStore) store = open_test_store ();
	g_autoptr(GError) error = NULL;
	gint64 now = now_s ();
	guint removed = 0;
	BounceStats st;

	/* mailboxfull expires 30 days after the deciding bounce. */
	for (int d = 40; d >= 38; d--) {
		g_autoptr(BounceChange) c = record_soft (store, "full@example.com", now - d * DAY, NULL);
		if (d == 38) {
			ck_assert (c->suppressed);
			ck_assert_int_eq (c->expires_at, now - 38 * DAY + 30 * DAY);
		}
	}
	g_autoptr(BounceReport) hard = report_new (BOUNCE_KIND_BOUNCE, "<old@x>", now - 400 * DAY,
						   "gone@example.com", "5.1.1", "userunknown",
						   "recipient", TRUE);
	g_autoptr(BounceChange) ch = record_one (store, hard, NULL, FALSE);

	ck_assert (!is_suppressed (store, "full@example.com", NULL));
	ck_assert (is_suppressed (store, "gone@example.com", NULL));
	get_stats (store, &st);
	ck_assert_int_eq (st.suppressed, 1);
	ck_assert_int_eq (st.expired, 1);
	bounce_stats_clear (&st);

	ck_assert (bounce_store_prune (store, 0, &removed, &error));
	ck_assert_uint_eq (removed, 1);
	ck_assert (is_suppressed (store, "gone@example.com", NULL));
	get_stats (store, &st);
	ck_assert_int_eq (st.expired, 0);
	ck_assert_int_eq (st.events, 4);
	bounce_stats_clear (&st);
}
END_TEST

START_TEST (test_manual_add_remove_audit)
{
	g_autoptr(BounceStore) store = open_test_store ();
	g_autoptr(GError) error = NULL;
	gboolean done = FALSE;
	gint64 now = now_s ();
	BounceStats st;

	ck_assert (bounce_store_add (store, "Manual@Example.com", "manual", "manual", 0, 0, TRUE,
				     "tester", "asked by phone", &done, &error));
	ck_assert (done);
	ck_assert (is_suppressed (store, "manual@example.com", NULL));
	/* import keeps the entry in force */
	ck_assert (bounce_store_add (store, "manual@example.com", "suppressed", "import", 0, 0,
				     FALSE, "tester", "import", &done, &error));
	ck_assert (!done);
	ck_assert (bounce_store_remove (store, "manual@example.com", "tester", "was a mistake",
					&done, &error));
	ck_assert (done);
	ck_assert (!is_suppressed (store, "manual@example.com", NULL));
	ck_assert (bounce_store_remove (store, "nobody@example.com", "tester", "why not",
					&done, &error));
	ck_assert (!done);
	ck_assert (!bounce_store_add (store, "not an address", NULL, "manual", 0, 0, TRUE,
				      "tester", "", &done, &error));
	ck_assert (g_error_matches (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_INVALID));
	ck_assert (!bounce_store_error_is_temporary (error));
	g_clear_error (&error);

	/* Soft bounces from before a removal no longer count. */
	for (int d = 3; d >= 1; d--) {
		g_autoptr(BounceChange) c = record_soft (store, "soft@example.com", now - d * DAY, NULL);
		ck_assert (c->suppressed == (d == 1));
	}
	ck_assert (bounce_store_remove (store, "soft@example.com", "tester", "mailbox emptied",
					&done, &error));
	g_autoptr(BounceChange) again = record_soft (store, "soft@example.com", now + 1, NULL);
	ck_assert_msg (!again->suppressed, "%s", again->why);

	get_stats (store, &st);
	ck_assert_int_eq (st.audit, 4);
	bounce_stats_clear (&st);
}
END_TEST

START_TEST (test_dry_run_writes_nothing)
{
	g_autoptr(BounceStore) store = open_test_store ();
	g_autoptr(BounceReport) r = report_new (BOUNCE_KIND_BOUNCE, "<dry@x>", now_s (),
						"dry@example.com", "5.1.1", "userunknown",
						"recipient", TRUE);
	g_autoptr(BounceChange) c = record_one (store, r, NULL, TRUE);
	g_autofree char *line = bounce_change_format (c);
	BounceStats st;

	ck_assert (c->suppressed && c->event == BOUNCE_EVENT_NEW);
	ck_assert_str_eq (line, "suppress\tdry@example.com\tuserunknown\thard bounce: the address is bad");
	ck_assert (!is_suppressed (store, "dry@example.com", NULL));
	get_stats (store, &st);
	ck_assert_int_eq (st.events, 0);
	bounce_stats_clear (&st);
}
END_TEST

START_TEST (test_batch_commit_and_rollback)
{
	g_autoptr(BounceStore) store = open_test_store ();
	g_autoptr(GError) error = NULL;
	BounceStats st;

	for (int pass = 0; pass < 2; pass++) {
		ck_assert (bounce_store_begin (store, &error));
		ck_assert (bounce_store_in_transaction (store));
		for (int i = 0; i < 20; i++) {
			g_autofree char *id = g_strdup_printf ("<batch%d-%d@x>", pass, i);
			g_autofree char *to = g_strdup_printf ("user%d@example.com", i);
			g_autoptr(BounceReport) r = report_new (BOUNCE_KIND_BOUNCE, id, now_s (), to,
								"5.1.1", "userunknown", "recipient", TRUE);
			ck_assert (bounce_store_record (store, r, "batch", NULL, FALSE, NULL, &error));
		}
		if (pass == 0)
			bounce_store_rollback (store);
		else
			ck_assert (bounce_store_commit (store, &error));
		ck_assert (!bounce_store_in_transaction (store));
	}
	get_stats (store, &st);
	ck_assert_int_eq (st.events, 20);
	ck_assert_int_eq (st.suppressed, 20);
	bounce_stats_clear (&st);
}
END_TEST

static gboolean
collect (const BounceSuppression *e, gpointer data, GError **error)
{
	g_ptr_array_add (data, g_strdup (e->address));
	return TRUE;
}

START_TEST (test_foreach_sorted)
{
	g_autoptr(BounceStore) store = open_test_store ();
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
	gint64 now = now_s ();

	ck_assert (bounce_store_add (store, "c@example.com", "x", "manual", 0, 0, TRUE, "t", "", NULL, &error));
	ck_assert (bounce_store_add (store, "a@example.com", "x", "import", 0, 0, TRUE, "t", "", NULL, &error));
	ck_assert (bounce_store_add (store, "b@example.com", "x", "manual", 0, now - 10, TRUE, "t", "", NULL, &error));
	ck_assert (bounce_store_foreach (store, FALSE, collect, seen, &error));
	ck_assert_uint_eq (seen->len, 2);
	ck_assert_str_eq (g_ptr_array_index (seen, 0), "a@example.com");
	ck_assert_str_eq (g_ptr_array_index (seen, 1), "c@example.com");
	g_ptr_array_set_size (seen, 0);
	ck_assert (bounce_store_foreach (store, TRUE, collect, seen, &error));
	ck_assert_uint_eq (seen->len, 3);
}
END_TEST

START_TEST (test_hard_upgrades_soft_entry)
{
	g_autoptr(BounceStore) store = open_test_store ();
	g_autoptr(BounceSuppression) e = NULL;
	g_autoptr(GError) error = NULL;
	gint64 now = now_s ();

	for (int d = 3; d >= 1; d--) {
		g_autoptr(BounceChange) c = record_soft (store, "x@example.com", now - d * DAY, NULL);
	}
	g_autoptr(BounceReport) r = report_new (BOUNCE_KIND_BOUNCE, "<h@x>", now - 60,
						"x@example.com", "5.1.1", "userunknown",
						"recipient", TRUE);
	g_autoptr(BounceChange) c = record_one (store, r, NULL, FALSE);
	ck_assert (c->suppressed && !c->newly);
	ck_assert (bounce_store_get (store, "x@example.com", &e, &error));
	ck_assert_str_eq (e->reason, "userunknown");
	ck_assert_int_eq (e->expires_at, 0);
	ck_assert_int_eq (e->count, 2);
}
END_TEST

START_TEST (test_reopen_and_newer_schema)
{
	g_autoptr(GError) error = NULL;

	bounce_store_close (open_test_store ());
	bounce_store_close (open_test_store ());
#ifdef STORE_TEST_PG
	g_autofree char *sql = g_strdup_printf ("UPDATE %s.schema_version SET version = 99",
						test_schema);
	ck_assert (pg_run (sql));
#else
	sqlite3 *db = NULL;
	ck_assert_int_eq (sqlite3_open (test_uri + strlen ("sqlite:"), &db), SQLITE_OK);
	ck_assert_int_eq (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close (db);
#endif
	BounceStore *store = bounce_store_open (test_uri, &error);
	ck_assert_ptr_null (store);
	ck_assert (g_error_matches (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_SCHEMA));
}
END_TEST

START_TEST (test_unavailable)
{
	static const char *const uris[] = {
		"host=127.0.0.1 port=1 dbname=none connect_timeout=3",
		"postgresql://127.0.0.1:1/none?connect_timeout=3",
		"sqlite:/proc/no/such/dir/list.db",
	};
	for (gsize i = 0; i < G_N_ELEMENTS (uris); i++) {
		g_autoptr(GError) error = NULL;
		BounceStore *store = bounce_store_open (uris[i], &error);
		ck_assert_msg (store == NULL, "%s opened", uris[i]);
		ck_assert_msg (g_error_matches (error, BOUNCE_STORE_ERROR,
						BOUNCE_STORE_ERROR_UNAVAILABLE),
			       "%s: %s", uris[i], error->message);
		ck_assert (bounce_store_error_is_temporary (error));
	}
	g_autoptr(GError) error = NULL;
	ck_assert_ptr_null (bounce_store_open ("sqlite:", &error));
	ck_assert (g_error_matches (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_INVALID));
}
END_TEST

/* Writers in several processes at once, one transaction per report for
 * half of them and batches for the rest: every event lands, none fails. */
START_TEST (test_concurrent_writers)
{
	enum { WRITERS = 8, REPORTS = 40 };
	pid_t pids[WRITERS];
	BounceStats st;

	bounce_store_close (open_test_store ());		/* schema in place */
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork ();
		ck_assert_int_ge (pids[w], 0);
		if (pids[w] != 0)
			continue;
		GError *error = NULL;
		BounceStore *store = bounce_store_open (test_uri, &error);
		gboolean ok = store != NULL;
		gboolean batch = w % 2 == 1;
		if (ok && batch)
			ok = bounce_store_begin (store, &error);
		for (int i = 0; ok && i < REPORTS; i++) {
			char id[64], to[64];
			g_snprintf (id, sizeof id, "<w%d-%d@x>", w, i);
			g_snprintf (to, sizeof to, "shared%d@example.com", i % 10);
			BounceReport *r = report_new (BOUNCE_KIND_BOUNCE, id, now_s () - (3 - i / 10) * DAY,
						      to, "4.2.2", "mailboxfull", "recipient", FALSE);
			ok = bounce_store_record (store, r, "concurrent", NULL, FALSE, NULL, &error);
			bounce_report_free (r);
			if (ok && batch && i % 10 == 9)
				ok = bounce_store_commit (store, &error) &&
				     (i == REPORTS - 1 || bounce_store_begin (store, &error));
		}
		if (!ok)
			fprintf (stderr, "writer %d: %s\n", w, error ? error->message : "?");
		bounce_store_close (store);
		_exit (ok ? 0 : 1);
	}
	for (int w = 0; w < WRITERS; w++) {
		int status = 0;
		ck_assert_int_eq (waitpid (pids[w], &status, 0), pids[w]);
		ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0, "writer %d failed", w);
	}
	g_autoptr(BounceStore) store = open_test_store ();
	get_stats (store, &st);
	ck_assert_int_eq (st.events, WRITERS * REPORTS);
	ck_assert_int_eq (st.suppressed, 10);	/* each address bounced on 4+ days */
	bounce_stats_clear (&st);
}
END_TEST

/* A writer that keeps the lock past the timeout: BUSY, a temporary error.
 * SQLite: BEGIN IMMEDIATE; PostgreSQL: the writers' advisory lock. */
START_TEST (test_busy_is_temporary)
{
	g_autoptr(BounceStore) holder = open_test_store ();
	g_autoptr(BounceStore) store = open_test_store ();
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceReport) r = report_new (BOUNCE_KIND_BOUNCE, "<busy@x>", now_s (),
						"busy@example.com", "5.1.1", "userunknown",
						"recipient", TRUE);

	ck_assert (bounce_store_begin (holder, &error));
	bounce_store_set_timeout (store, 100);
	ck_assert (!bounce_store_record (store, r, "t", NULL, FALSE, NULL, &error));
	ck_assert_msg (g_error_matches (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_BUSY),
		       "%s", error->message);
	ck_assert (bounce_store_error_is_temporary (error));
	bounce_store_rollback (holder);
	g_clear_error (&error);
	ck_assert (bounce_store_record (store, r, "t", NULL, FALSE, NULL, &error));
}
END_TEST

START_TEST (test_file_modes)
{
#ifndef STORE_TEST_PG
	g_autoptr(BounceStore) store = NULL;
	g_autofree char *dir = g_build_filename (test_dir, "sub", NULL);
	g_autofree char *file = g_build_filename (dir, "list.db", NULL);
	GStatBuf st;
	mode_t old = umask (022);

	store = open_test_store ();
	umask (old);
	ck_assert_int_eq (g_stat (dir, &st), 0);
	ck_assert_int_eq (st.st_mode & 0777, 0700);
	ck_assert_int_eq (g_stat (file, &st), 0);
	ck_assert_int_eq (st.st_mode & 0777, 0600);
	ck_assert_str_eq (bounce_store_backend (store), "sqlite");
#endif
}
END_TEST

START_TEST (test_default_path)
{
	g_autofree char *path = bounce_store_default_path ();
	ck_assert (g_str_has_suffix (path, "/bouncefilter/suppression.db"));
	ck_assert (g_str_has_prefix (path, g_get_user_data_dir ()));
}
END_TEST

static Suite *
store_suite (void)
{
	Suite *s = suite_create ("store");
	TCase *pure = tcase_create ("policy");
	TCase *db = tcase_create ("store");

	tcase_add_loop_test (pure, test_address_canonical, 0, G_N_ELEMENTS (address_cases));
	tcase_add_loop_test (pure, test_classify, 0, G_N_ELEMENTS (class_cases));
	tcase_add_test (pure, test_default_path);
	suite_add_tcase (s, pure);

	tcase_add_checked_fixture (db, setup, teardown);
	tcase_set_timeout (db, 60);
	tcase_add_test (db, test_hard_bounce_suppresses);
	tcase_add_test (db, test_duplicate_changes_nothing);
	tcase_add_loop_test (db, test_soft_threshold, 0, G_N_ELEMENTS (soft_cases));
	tcase_add_test (db, test_soft_quiet_period_resets);
	tcase_add_loop_test (db, test_sender_side_never_suppresses, 0, G_N_ELEMENTS (sender_reasons));
	tcase_add_test (db, test_complaint_suppresses);
	tcase_add_test (db, test_vacation_not_recorded);
	tcase_add_test (db, test_expiry_and_prune);
	tcase_add_test (db, test_manual_add_remove_audit);
	tcase_add_test (db, test_dry_run_writes_nothing);
	tcase_add_test (db, test_batch_commit_and_rollback);
	tcase_add_test (db, test_foreach_sorted);
	tcase_add_test (db, test_hard_upgrades_soft_entry);
	tcase_add_test (db, test_reopen_and_newer_schema);
	tcase_add_test (db, test_unavailable);
	tcase_add_test (db, test_concurrent_writers);
	tcase_add_test (db, test_busy_is_temporary);
	tcase_add_test (db, test_file_modes);
	suite_add_tcase (s, db);
	return s;
}

int
main (void)
{
#ifdef STORE_TEST_PG
	const char *conninfo = g_getenv ("BOUNCE_TEST_PG");
	if (conninfo == NULL || conninfo[0] == '\0') {
		printf ("SKIP: BOUNCE_TEST_PG is not set (see tests/pg_cluster.sh)\n");
		return 77;
	}
#endif
	g_mime_init ();
	SRunner *sr = srunner_create (store_suite ());
	srunner_run_all (sr, CK_ENV);
	int failed = srunner_ntests_failed (sr);
	srunner_free (sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
