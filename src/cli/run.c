/*
 * cli/run.c - the processing loop: read, analyse (in parallel), write in input order
 *
 * DESCRIPTION	See run.h.  This process reads messages (a source hands
 *		them out in place), packs them into batches and sends each
 *		batch to a worker process (cli/workers.c), which analyses and
 *		renders every message and replies with the text, the kind and,
 *		when the writer needs it (store, hooks, signatures, --filter),
 *		the report as a GVariant; with --summary, the batch's counts,
 *		which this process adds up.  Replies come back in the order the
 *		batches went out, so the output is the same, byte for byte,
 *		whatever the number of jobs.  With --jobs 1 a message is
 *		analysed and written before the next is read, in this process.
 *		Store writes happen only here, in this process: one transaction
 *		per message in pipe mode, one per batch_size reports otherwise.
 *		Hooks run here too: in pipe mode before the
 *		message's transaction commits (a failed hook rolls it back
 *		and exits 75, so the MTA's retry finds the suppression still
 *		new and runs the hook again); in batch mode after each commit.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include <unistd.h>

#include "analyze.h"
#include "cli/progress.h"
#include "cli/run.h"
#include "cli/workers.h"
#include "mime/input.h"
#include "pipeline/maildir.h"

#define BATCH_MESSAGES 32		/* messages handed to a worker at once */
#define BATCH_BYTES (512 * 1024)
#define IN_FLIGHT_PER_JOB 4		/* batches queued per worker */

/* A message in a request to a worker, followed by its LEN bytes. */
typedef struct {
	guint32 file;		/* index in the files array */
	guint32 index;
	gint64  offset;
	guint32 truncated;
	guint32 len;
} JobRequest;

/* Its result in the reply, followed by the rendered text, the error
 * message and the report as a serialised GVariant (when the writer needs
 * it), of the lengths given.  After the last message of a batch, with
 * --summary: a guint32 length and the batch's counts (a serialised
 * BounceSummary), which the main process adds to the run's. */
typedef struct {
	guint32 kind;
	guint32 verp_check;
	guint32 has_error;
	guint32 chunk_len;
	guint32 error_len;
	guint32 report_len;
} JobReply;

typedef struct {
	const char   *file;		/* borrowed from the files array */
	guint         file_index;	/* its index there */
	guint         index;
	gint64        offset;
	gsize         size;		/* bytes read for it, for the progress bar */
	gboolean      truncated;
	GBytes       *data;
	GBytes       *whole;		/* single mode: every byte read, for the quarantine */
	/* results */
	BounceReport *report;		/* NULL once rendered, when the writer needs only the kind */
	BounceKind    kind;
	GString      *chunk;
	GError       *error;
	char         *verp_address;	/* decoded from the envelope recipient, or NULL */
	BounceVerpCheck verp_check;
} Job;

/* A hook run waiting for its store transaction. */
typedef struct {
	char **env;
	char  *recipient;
} HookCall;

/* Messages handed to a worker together: fewer hand-offs. */
typedef struct {
	GPtrArray  *jobs;	/* Job *, owned: what the writer needs of each */
	GByteArray *request;	/* JobRequest and bytes of each, for the worker */
} Batch;

typedef struct {
	RunOptions     *opts;
	int             worst;
	guint64         records;
	guint64         messages;
	guint64         bytes;		/* of the messages written */
	guint           pending;	/* reports in the open store transaction */
	gboolean        store_failed;
	BounceProgress *progress;
	gboolean        aborted;	/* a worker failed: stop reading */
	GPtrArray      *files;		/* borrowed: the inputs, by index */
	/* parallel state */
	BounceWorkers  *workers;
	GQueue          batches;	/* Batch *, sent, in input order */
	Batch          *filling;	/* the batch being read */
	GPtrArray      *hooks;		/* HookCall *, waiting for a commit */
} Run;

static void
hook_call_free (HookCall *call)
{
	g_strfreev (call->env);
	g_free (call->recipient);
	g_free (call);
}

static void
job_free (Job *job)
{
	if (job == NULL)
		return;
	g_bytes_unref (job->data);
	if (job->whole)
		g_bytes_unref (job->whole);
	g_free (job->verp_address);
	bounce_report_free (job->report);
	if (job->chunk)
		g_string_free (job->chunk, TRUE);
	g_clear_error (&job->error);
	g_free (job);
}

static void
note_exit (Run *run, int code)
{
	if (code == EX_TEMPFAIL || (code != EX_OK && run->worst == EX_OK))
		run->worst = code;
}

static gboolean
is_report_kind (BounceKind kind)
{
	return kind == BOUNCE_KIND_BOUNCE || kind == BOUNCE_KIND_FEEDBACK;
}

static gboolean
is_report (const BounceReport *report)
{
	return report != NULL && is_report_kind (report->kind);
}

/* The envelope recipient (what the MTA named, else Delivered-To and the
 * like) and the VERP address in it; fills in recipients the report could
 * not name, unless a required signature is missing. */
static void
job_verp (const RunOptions *opts, Job *job, const char *data, gsize len)
{
	g_auto(GStrv) from_headers = bounce_verp_candidates_from_headers (data, len);
	char **lists[] = { opts->envelope, from_headers };
	const char *envelope = NULL;	/* borrowed */
	g_autoptr(BounceVerp) verp = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS (lists); i++)
		for (char **c = lists[i]; c != NULL && *c != NULL; c++) {
			if (envelope == NULL)
				envelope = *c;
			if (verp == NULL)
				verp = bounce_verp_decode (*c, &opts->verp_syntax);
		}
	if (envelope != NULL)
		bounce_set (&job->report->envelope_recipient, envelope);
	job->verp_check = opts->verp_key != NULL
		? bounce_verp_verify (verp, opts->verp_key, opts->today, opts->verp_max_age_days)
		: BOUNCE_VERP_MISSING;
	if (verp == NULL)
		return;
	job->verp_address = g_strdup (verp->address);
	if (!is_report (job->report) || (opts->verp_key != NULL && job->verp_check != BOUNCE_VERP_VALID))
		return;
	for (guint i = 0; i < job->report->recipients->len; i++) {
		BounceRecipient *rcpt = g_ptr_array_index (job->report->recipients, i);	/* borrowed */

		if (*rcpt->recipient == '\0')
			bounce_set (&rcpt->recipient, verp->address);
	}
}

/* What only the pipeline knows, added to each record when a VERP key is
 * configured: "authenticated", and "verp_recipient" when the signature holds. */
static void
add_verp_members (JsonObject *record, gpointer data)
{
	const Job *job = data;
	gboolean valid = job->verp_check == BOUNCE_VERP_VALID;

	json_object_set_boolean_member (record, "authenticated", valid);
	if (valid && job->verp_address != NULL) {
		g_autofree char *clean = bounce_json_clean (job->verp_address);
		json_object_set_string_member (record, "verp_recipient", clean);
	}
}

static void
job_render (const RunOptions *opts, const BounceOrigin *origin, Job *job)
{
	bounce_render_with (&opts->render, origin, job->report,
			    opts->verp_key != NULL ? add_verp_members : NULL, job, job->chunk);
}

/* Does the writer read reports, or only the rendered text? */
static gboolean
writer_needs_report (const RunOptions *opts)
{
	return opts->store != NULL || opts->hook != NULL || opts->require_signature || opts->filter;
}

/* Analyse, render and count in TALLY (may be NULL): the part that runs on workers. */
static void
job_process (const RunOptions *opts, Job *job, BounceSummary *tally)
{
	gsize len;
	const char *data = g_bytes_get_data (job->data, &len);
	BounceOrigin origin = { job->file, job->index, job->offset };

	job->report = bounce_analyze_bytes (data, len, opts->limits, &job->error);
	job->chunk = g_string_new (NULL);
	job->verp_check = BOUNCE_VERP_MISSING;
	if (job->report == NULL)
		return;
	if (job->truncated)
		job->report->anomalies |= BOUNCE_ANOMALY_TOO_LARGE;
	job_verp (opts, job, data, len);
	job_render (opts, &origin, job);
	if (tally != NULL)
		bounce_summary_add (tally, job->report, opts->render.all);
	/* the message bytes are no longer needed while the job waits its
	 * turn, unless the quarantine will want them */
	if (opts->quarantine == NULL || is_report (job->report))
		g_clear_pointer (&job->data, g_bytes_unref);
	/* the writer may need no more than the kind and the text */
	job->kind = job->report->kind;
	if (!writer_needs_report (opts))
		g_clear_pointer (&job->report, bounce_report_free);
}

static void
hooks_drop (Run *run)
{
	if (run->hooks != NULL)
		g_ptr_array_set_size (run->hooks, 0);
}

/* Run the waiting hooks; FALSE when one failed (already reported). */
static gboolean
hooks_run (Run *run)
{
	gboolean ok = TRUE;

	if (run->hooks == NULL)
		return TRUE;
	for (guint i = 0; i < run->hooks->len; i++) {
		HookCall *call = g_ptr_array_index (run->hooks, i);	/* borrowed */
		g_autoptr(GError) error = NULL;

		if (run->opts->verbose)
			g_printerr ("hook\t%s\n", call->recipient);
		if (!bounce_hook_run (run->opts->hook, call->env, call->recipient, &error)) {
			g_printerr ("bouncefilter: %s (recipient %s)\n", error->message, call->recipient);
			note_exit (run, EX_TEMPFAIL);
			ok = FALSE;
		}
	}
	hooks_drop (run);
	return ok;
}

/* Queue a hook run for each printed recipient of JOB: every one for
 * --exec-on=event, the newly suppressed ones (from CHANGES) otherwise. */
static void
hooks_queue (Run *run, Job *job, GPtrArray *changes)
{
	const RunOptions *opts = run->opts;
	const char *auth = NULL;

	if (opts->hook == NULL || opts->dry_run || !is_report (job->report))
		return;
	if (opts->verp_key != NULL)
		auth = job->verp_check == BOUNCE_VERP_VALID ? "true" : "false";
	for (guint i = 0; i < job->report->recipients->len; i++) {
		const BounceRecipient *rcpt = g_ptr_array_index (job->report->recipients, i);	/* borrowed */
		g_autofree char *canon = NULL;
		const char *address;	/* borrowed */
		const BounceChange *change = NULL;	/* borrowed */
		HookCall *call;

		if (!bounce_recipient_printed (job->report, rcpt, FALSE) || *rcpt->recipient == '\0')
			continue;
		canon = bounce_address_canonical (rcpt->recipient);
		address = canon != NULL ? canon : rcpt->recipient;
		for (guint c = 0; changes != NULL && c < changes->len && change == NULL; c++) {
			const BounceChange *ch = g_ptr_array_index (changes, c);
			if (g_strcmp0 (ch->address, address) == 0)
				change = ch;
		}
		if (opts->hook_on == BOUNCE_HOOK_ON_SUPPRESS && (change == NULL || !change->newly))
			continue;
		call = g_new0 (HookCall, 1);
		call->env = bounce_hook_event_env (job->report, rcpt,
						   opts->hook_on == BOUNCE_HOOK_ON_EVENT ? "event" : "suppress",
						   change != NULL && change->suppressed, auth, job->file);
		call->recipient = g_strdup (address);
		if (run->hooks == NULL)
			run->hooks = g_ptr_array_new_with_free_func ((GDestroyNotify) hook_call_free);
		g_ptr_array_add (run->hooks, call);
	}
}

static gboolean
store_commit (Run *run)
{
	g_autoptr(GError) error = NULL;

	if (run->opts->store == NULL || !bounce_store_in_transaction (run->opts->store))
		return TRUE;
	if (!bounce_store_commit (run->opts->store, &error)) {
		g_printerr ("bouncefilter: suppression list: %s\n", error->message);
		bounce_store_rollback (run->opts->store);
		run->store_failed = TRUE;
		note_exit (run, EX_TEMPFAIL);
		hooks_drop (run);
		return FALSE;
	}
	run->pending = 0;
	if (!run->opts->pipe_mode)
		hooks_run (run);
	return TRUE;
}

static void
store_record (Run *run, Job *job)
{
	RunOptions *opts = run->opts;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) changes = NULL;

	if (opts->store == NULL || run->store_failed)
		return;
	if (job->report->kind == BOUNCE_KIND_NONE)
		return;
	if (!opts->dry_run && !bounce_store_in_transaction (opts->store) &&
	    !bounce_store_begin (opts->store, &error)) {
		g_printerr ("bouncefilter: suppression list: %s\n", error->message);
		run->store_failed = TRUE;
		note_exit (run, EX_TEMPFAIL);
		return;
	}
	changes = bounce_change_array_new ();
	if (!bounce_store_record (opts->store, job->report, job->file, opts->policy,
				  opts->dry_run, changes, &error)) {
		g_printerr ("bouncefilter: suppression list: %s#%u: %s\n", job->file, job->index,
			    error->message);
		if (bounce_store_in_transaction (opts->store))
			bounce_store_rollback (opts->store);
		hooks_drop (run);
		run->store_failed = TRUE;
		note_exit (run, bounce_store_error_is_temporary (error) ? EX_TEMPFAIL : EX_DATAERR);
		return;
	}
	if (opts->dry_run || opts->verbose) {
		for (guint i = 0; i < changes->len; i++) {
			g_autofree char *line = bounce_change_format (g_ptr_array_index (changes, i));
			g_printerr ("%s%s\n", opts->dry_run ? "would " : "", line);
		}
	}
	hooks_queue (run, job, changes);
	if (!opts->pipe_mode && !opts->dry_run && ++run->pending >= opts->batch_size)
		store_commit (run);
}

/* Keep a message that is not a bounce in the quarantine Maildir. */
static void
quarantine (Run *run, Job *job)
{
	const RunOptions *opts = run->opts;
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	GBytes *bytes = job->whole != NULL ? job->whole : job->data;	/* borrowed */
	gsize len = 0;
	const char *data;

	if (opts->quarantine == NULL || bytes == NULL)
		return;
	data = g_bytes_get_data (bytes, &len);
	if (len == 0)
		return;		/* nothing to lose */
	if (!bounce_maildir_deliver (opts->quarantine, data, len, &path, &error)) {
		g_printerr ("bouncefilter: quarantine: %s#%u: %s\n", job->file, job->index, error->message);
		note_exit (run, EX_TEMPFAIL);
		return;
	}
	if (opts->verbose)
		g_printerr ("quarantine\t%s#%u\t%s\n", job->file, job->index, path);
}

/* Pipe mode: one transaction per message; its hooks run before the
 * commit, and a failed hook rolls the message back (exit 75, retried). */
static void
pipe_message_done (Run *run)
{
	BounceStore *store = run->opts->store;	/* borrowed */
	gboolean ok = hooks_run (run);

	if (store == NULL || !bounce_store_in_transaction (store))
		return;
	if (ok)
		store_commit (run);
	else
		bounce_store_rollback (store);
}

/* Write one finished job: the part that runs in input order. */
static void
job_write (Run *run, Job *job)
{
	RunOptions *opts = run->opts;

	run->messages++;
	run->bytes += job->size;	/* written, not read: the bar shows what is done */
	if (opts->summary)
		bounce_summary_add_message (opts->summary);
	if (job->error != NULL) {
		/* unparseable mail is handled (reported and kept), not retried */
		if (!opts->quiet)
			g_printerr ("bouncefilter: %s#%u: %s\n", job->file, job->index, job->error->message);
		quarantine (run, job);
		return;
	}
	if (!is_report_kind (job->kind))
		quarantine (run, job);
	if (job->chunk->len > 0) {
		if (opts->render.format == BOUNCE_FORMAT_JSON)
			fputs (run->records == 0 ? "[\n" : ",\n", opts->out);
		fwrite (job->chunk->str, 1, job->chunk->len, opts->out);
		run->records++;
	}
	if (opts->require_signature && is_report (job->report) && job->verp_check != BOUNCE_VERP_VALID) {
		/* a forged bounce must not unsubscribe anybody */
		if (!opts->quiet)
			g_printerr ("bouncefilter: %s#%u: VERP signature %s: not authenticated, suppression list unchanged\n",
				    job->file, job->index, bounce_verp_check_name (job->verp_check));
	} else if (opts->store != NULL) {
		store_record (run, job);
	} else {
		hooks_queue (run, job, NULL);
	}
	if (opts->pipe_mode)
		pipe_message_done (run);
	else if (opts->store == NULL || !bounce_store_in_transaction (opts->store))
		hooks_run (run);
	if (run->progress)
		bounce_progress_update (run->progress, run->messages, run->bytes);
}

static void
batch_free (Batch *batch)
{
	g_ptr_array_unref (batch->jobs);
	if (batch->request != NULL)
		g_byte_array_unref (batch->request);
	g_free (batch);
}

/* Worker side: analyse and render each message of a request; the reply
 * carries what the writer needs of each. */
static void
work_batch (const guint8 *request, gsize len, GByteArray *reply, gpointer data)
{
	const Run *run = data;
	g_autoptr(BounceSummary) tally = run->opts->summary != NULL ? bounce_summary_new () : NULL;
	gsize at = 0;

	while (len - at >= sizeof (JobRequest)) {
		JobRequest rq;
		JobReply rp = { 0 };
		g_autoptr(GBytes) serialised = NULL;
		const char *message = NULL;
		Job *job;

		memcpy (&rq, request + at, sizeof rq);
		at += sizeof rq;
		g_assert (rq.len <= len - at && rq.file < run->files->len);
		job = g_new0 (Job, 1);
		job->file = g_ptr_array_index (run->files, rq.file);
		job->index = rq.index;
		job->offset = rq.offset;
		job->truncated = rq.truncated;
		job->data = g_bytes_new_static (request + at, rq.len);
		at += rq.len;
		job_process (run->opts, job, tally);

		rp.kind = job->kind;
		rp.verp_check = job->verp_check;
		rp.has_error = job->error != NULL;
		rp.chunk_len = job->chunk->len;
		if (job->error != NULL) {
			message = job->error->message;
			rp.error_len = strlen (message);
		}
		if (job->report != NULL) {
			g_autoptr(GVariant) v = bounce_report_to_variant (job->report);
			serialised = g_variant_get_data_as_bytes (v);
			rp.report_len = g_bytes_get_size (serialised);
		}
		g_byte_array_append (reply, (const guint8 *) &rp, sizeof rp);
		g_byte_array_append (reply, (const guint8 *) job->chunk->str, rp.chunk_len);
		g_byte_array_append (reply, (const guint8 *) message, rp.error_len);
		if (serialised != NULL)
			g_byte_array_append (reply, g_bytes_get_data (serialised, NULL), rp.report_len);
		job_free (job);
	}
	if (tally != NULL) {
		g_autoptr(GVariant) v = bounce_summary_to_variant (tally);
		guint32 n = g_variant_get_size (v);

		g_byte_array_append (reply, (const guint8 *) &n, sizeof n);
		g_byte_array_append (reply, g_variant_get_data (v), n);
	}
}

/* Writer side: add the batch's counts at the end of REPLY to the run's. */
static gboolean
summary_from_reply (BounceSummary *summary, const GByteArray *reply, gsize at)
{
	guint32 n;

	if (reply->len - at < sizeof n)
		return FALSE;
	memcpy (&n, reply->data + at, sizeof n);
	at += sizeof n;
	return n <= reply->len - at && bounce_summary_merge_bytes (summary, reply->data + at, n);
}

/* Writer side: the results of JOB from a reply; FALSE when it is cut short. */
static gboolean
job_from_reply (Job *job, const GByteArray *reply, gsize *at)
{
	JobReply rp;
	const guint8 *p;

	if (reply->len - *at < sizeof rp)
		return FALSE;
	memcpy (&rp, reply->data + *at, sizeof rp);
	*at += sizeof rp;
	if ((guint64) rp.chunk_len + rp.error_len + rp.report_len > reply->len - *at)
		return FALSE;
	p = reply->data + *at;
	*at += (gsize) rp.chunk_len + rp.error_len + rp.report_len;
	job->kind = rp.kind;
	job->verp_check = rp.verp_check;
	job->chunk = g_string_new_len ((const char *) p, rp.chunk_len);
	p += rp.chunk_len;
	if (rp.has_error)
		job->error = g_error_new (BOUNCE_ERROR, BOUNCE_ERROR_MALFORMED, "%.*s",
					  (int) rp.error_len, (const char *) p);
	p += rp.error_len;
	if (rp.report_len > 0) {
		g_autoptr(GBytes) bytes = g_bytes_new (p, rp.report_len);
		g_autoptr(GVariant) v = g_variant_ref_sink (g_variant_new_from_bytes (
			G_VARIANT_TYPE (BOUNCE_REPORT_VARIANT_TYPE), bytes, TRUE));

		job->report = bounce_report_new_from_variant (v);
		if (job->report == NULL)
			return FALSE;
	}
	return TRUE;
}

/* Write the oldest batch once its reply is there (WAIT: wait for it);
 * FALSE when there is none, or on a worker failure (then run->aborted). */
static gboolean
collect_one (Run *run, gboolean wait)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GByteArray) reply = bounce_workers_next (run->workers, wait, &error);
	Batch *batch;
	gsize at = 0;

	if (reply == NULL) {
		if (error != NULL) {
			g_printerr ("bouncefilter: %s\n", error->message);
			note_exit (run, EX_TEMPFAIL);
			run->aborted = TRUE;
		}
		return FALSE;
	}
	batch = g_queue_pop_head (&run->batches);
	for (guint i = 0; i < batch->jobs->len; i++) {
		Job *job = g_ptr_array_index (batch->jobs, i);	/* borrowed */

		if (!job_from_reply (job, reply, &at)) {
			g_printerr ("bouncefilter: %s#%u: a worker's reply is cut short\n",
				    job->file, job->index);
			note_exit (run, EX_TEMPFAIL);
			run->aborted = TRUE;
			break;
		}
		job_write (run, job);
	}
	if (!run->aborted && run->opts->summary != NULL &&
	    !summary_from_reply (run->opts->summary, reply, at)) {
		g_printerr ("bouncefilter: a worker's counts are cut short\n");
		note_exit (run, EX_TEMPFAIL);
		run->aborted = TRUE;
	}
	batch_free (batch);
	return !run->aborted;
}

static void
flush_batch (Run *run)
{
	Batch *batch = run->filling;

	if (batch == NULL)
		return;
	run->filling = NULL;
	bounce_workers_submit (run->workers, g_steal_pointer (&batch->request));
	g_queue_push_tail (&run->batches, batch);
	while (!run->aborted &&
	       bounce_workers_in_flight (run->workers) >= run->opts->jobs * IN_FLIGHT_PER_JOB)
		collect_one (run, TRUE);
	while (collect_one (run, FALSE))
		;
}

static void
submit (Run *run, Job *job, const char *data, gsize len)
{
	JobRequest rq = { job->file_index, job->index, job->offset, job->truncated, len };
	Batch *batch;

	if (run->workers == NULL) {
		job->data = g_bytes_new (data, len);
		job_process (run->opts, job, run->opts->summary);
		job_write (run, job);
		job_free (job);
		return;
	}
	/* the writer keeps the bytes only for the quarantine */
	if (run->opts->quarantine != NULL)
		job->data = g_bytes_new (data, len);
	if (run->filling == NULL) {
		run->filling = g_new0 (Batch, 1);
		run->filling->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
		run->filling->request = g_byte_array_sized_new (BATCH_BYTES + 64 * 1024);
	}
	batch = run->filling;
	g_ptr_array_add (batch->jobs, job);
	g_byte_array_append (batch->request, (const guint8 *) &rq, sizeof rq);
	g_byte_array_append (batch->request, (const guint8 *) data, len);
	if (batch->jobs->len >= BATCH_MESSAGES || batch->request->len >= BATCH_BYTES)
		flush_batch (run);
}

static void
read_path (Run *run, guint file_index)
{
	const char *path = g_ptr_array_index (run->files, file_index);
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceSource) src = bounce_source_open (path, run->opts->limits->max_message, &error);
	BounceMessageRef ref;

	if (src == NULL) {
		g_printerr ("bouncefilter: %s\n", error->message);
		note_exit (run, EX_TEMPFAIL);
		return;
	}
	while (!run->store_failed && !run->aborted && bounce_source_next (src, &ref, &error)) {
		Job *job = g_new0 (Job, 1);

		job->file = path;
		job->file_index = file_index;
		job->index = ref.index;
		job->offset = ref.offset;
		job->truncated = ref.truncated;
		job->size = ref.len;
		submit (run, job, ref.data, ref.len);
	}
	if (error != NULL) {
		g_printerr ("bouncefilter: %s\n", error->message);
		note_exit (run, EX_TEMPFAIL);
	}
}

/*
 * The inputs' total size in bytes, for the progress bar; *open_ended is
 * set when one of them may hold any number of messages whatever its size
 * (a directory such as a Maildir, stdin, a pipe).
 */
static guint64
input_size (GPtrArray *files, gboolean *open_ended)
{
	guint64 total = 0;

	*open_ended = FALSE;
	for (guint i = 0; i < files->len; i++) {
		struct stat st;
		if (stat (g_ptr_array_index (files, i), &st) == 0 && S_ISREG (st.st_mode))
			total += st.st_size;
		else
			*open_ended = TRUE;
	}
	return total;
}

/* Worker processes pay off past some hundreds of messages: regular files
 * smaller than this in all are read in this process. */
#define WORKERS_MIN_BYTES (1024 * 1024)

/* Close the JSON array, flush: the exit code. */
static int
run_finish (Run *run)
{
	const RunOptions *opts = run->opts;

	if (opts->render.format == BOUNCE_FORMAT_JSON)
		fputs (run->records == 0 ? "[]\n" : "\n]\n", opts->out);
	if (fflush (opts->out) != 0 || ferror (opts->out)) {
		g_printerr ("bouncefilter: write error: %s\n", g_strerror (errno));
		note_exit (run, EX_TEMPFAIL);
	}
	if (run->hooks != NULL)
		g_ptr_array_unref (run->hooks);
	run->hooks = NULL;
	return run->worst;
}

int
bounce_run (RunOptions *opts, GPtrArray *files)
{
	Run run = { .opts = opts, .worst = EX_OK, .files = files };
	gboolean open_ended;
	guint64 size;

	if (opts->batch_size == 0)
		opts->batch_size = 1000;
	size = input_size (files, &open_ended);
	if (opts->progress)
		run.progress = bounce_progress_new (size);
	g_queue_init (&run.batches);
	if (opts->jobs > 1 && (open_ended || size >= WORKERS_MIN_BYTES)) {
		g_autoptr(GError) error = NULL;

		run.workers = bounce_workers_start (opts->jobs, work_batch, &run, &error);
		if (run.workers == NULL)	/* slower, not wrong: go on in this process */
			g_printerr ("bouncefilter: %s; going on with one process\n", error->message);
	}

	for (guint i = 0; i < files->len && !run.store_failed && !run.aborted; i++)
		read_path (&run, i);

	if (run.workers != NULL) {
		g_autoptr(GError) error = NULL;

		if (!run.aborted)
			flush_batch (&run);
		while (!run.aborted && collect_one (&run, TRUE))
			;
		if (run.filling != NULL)
			batch_free (g_steal_pointer (&run.filling));
		g_queue_clear_full (&run.batches, (GDestroyNotify) batch_free);
		if (!bounce_workers_stop (run.workers, &error) && !run.aborted) {
			g_printerr ("bouncefilter: %s\n", error->message);
			note_exit (&run, EX_TEMPFAIL);
		}
		g_clear_pointer (&run.workers, bounce_workers_free);
	}
	store_commit (&run);
	hooks_run (&run);
	bounce_progress_finish (run.progress);
	return run_finish (&run);
}

/* A header value made safe: valid UTF-8, no CR, LF or other control
 * characters (no header injection), at most MAX_HEADER_VALUE bytes. */
#define MAX_HEADER_VALUE 900

static void
append_header (GString *out, const char *name, const char *value, const char *eol)
{
	g_autofree char *valid = g_utf8_make_valid (value ? value : "", -1);
	GString *clean = g_string_new (NULL);

	for (const char *p = valid; *p; p = g_utf8_next_char (p)) {
		gsize n = g_utf8_next_char (p) - p;

		if (clean->len + n > MAX_HEADER_VALUE)
			break;
		if ((guchar) *p < 0x20 || *p == 0x7f)
			g_string_append_c (clean, ' ');
		else
			g_string_append_len (clean, p, n);
	}
	g_strstrip (clean->str);
	g_string_append_printf (out, "%s: %s%s", name, clean->str, eol);
	g_string_free (clean, TRUE);
}

/* The X-Bounce-* headers for --filter. */
static void
filter_headers (const RunOptions *opts, const Job *job, const char *eol, GString *out)
{
	const BounceReport *report = job->report;	/* borrowed */
	const BounceRecipient *first = NULL;		/* borrowed */
	g_autoptr(GString) list = g_string_new (NULL);

	append_header (out, "X-Bounce-Kind", report ? bounce_kind_name (report->kind) : "none", eol);
	if (report != NULL && is_report (report)) {
		for (guint i = 0; i < report->recipients->len; i++) {
			const BounceRecipient *rcpt = g_ptr_array_index (report->recipients, i);

			if (!bounce_recipient_printed (report, rcpt, FALSE) || *rcpt->recipient == '\0')
				continue;
			if (first == NULL)
				first = rcpt;
			if (list->len > 0)
				g_string_append (list, ", ");
			g_string_append (list, rcpt->recipient);
		}
	}
	if (first != NULL) {
		append_header (out, "X-Bounce-Recipient", list->str, eol);
		append_header (out, "X-Bounce-Status", *first->status ? first->status : "unknown", eol);
		append_header (out, "X-Bounce-Reason", *first->reason ? first->reason : "undefined", eol);
		append_header (out, "X-Bounce-Hard", first->hard_bounce ? "yes" : "no", eol);
	}
	if (opts->verp_key != NULL && is_report (report))
		append_header (out, "X-Bounce-Authenticated",
			       job->verp_check == BOUNCE_VERP_VALID ? "yes" : "no", eol);
}

/* Move what is read so far to an unlinked temporary file and copy the rest
 * of stdin after it; the file is then mapped, so a message of any size costs
 * page cache, not memory that the process must hold. */
static GBytes *
spool_stdin (GByteArray *head, GError **error)
{
	g_autofree char *path = NULL;
	guint8 chunk[64 * 1024];
	GMappedFile *map;
	GBytes *bytes;
	int fd = g_file_open_tmp ("bouncefilter-XXXXXX", &path, error);

	if (fd < 0)
		return NULL;
	unlink (path);	/* gone from the file system; lives while mapped */
	for (gsize done = 0; done < head->len;) {
		ssize_t n = write (fd, head->data + done, head->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto write_failed;
		done += n;
	}
	for (;;) {
		ssize_t n = read (STDIN_FILENO, chunk, sizeof chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;
			close (fd);
			g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
				     "stdin: %s", g_strerror (err));
			return NULL;
		}
		if (n == 0)
			break;
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write (fd, chunk + done, n - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				goto write_failed;
			done += w;
		}
	}
	map = g_mapped_file_new_from_fd (fd, FALSE, error);
	close (fd);
	if (map == NULL)
		return NULL;
	bytes = g_mapped_file_get_bytes (map);
	g_mapped_file_unref (map);	/* the bytes keep the mapping */
	return bytes;

write_failed:
	{
		int err = errno;
		close (fd);
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
			     "spooling stdin: %s", g_strerror (err));
		return NULL;
	}
}

/* All of stdin: in memory up to SPOOL_AT bytes, in a mapped spool file past it. */
static GBytes *
read_stdin (gsize spool_at, GError **error)
{
	g_autoptr(GByteArray) buf = g_byte_array_sized_new (64 * 1024);
	guint8 chunk[64 * 1024];

	for (;;) {
		ssize_t n = read (STDIN_FILENO, chunk, sizeof chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;
			g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
				     "stdin: %s", g_strerror (err));
			return NULL;
		}
		if (n == 0)
			break;
		g_byte_array_append (buf, chunk, n);
		if (buf->len > spool_at)
			return spool_stdin (buf, error);
	}
	return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

int
bounce_run_single (RunOptions *opts)
{
	Run run = { .opts = opts, .worst = EX_OK };
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) all = read_stdin (opts->limits->max_message, &error);
	const char *data, *body;
	gsize len, from_len = 0, body_len;
	const char *eol = "\n";
	Job *job;

	if (all == NULL) {
		g_printerr ("bouncefilter: %s\n", error->message);
		return EX_TEMPFAIL;
	}
	data = g_bytes_get_data (all, &len);
	if (len == 0)
		return run_finish (&run);
	/* an mbox "From " line (procmail) stays first, outside the message */
	if (len >= 5 && memcmp (data, "From ", 5) == 0) {
		const char *nl = memchr (data, '\n', len);
		from_len = nl != NULL ? (gsize) (nl - data) + 1 : len;
	}
	body = data + from_len;
	body_len = len - from_len;
	{
		const char *nl = memchr (body, '\n', body_len);
		if (nl != NULL && nl > body && nl[-1] == '\r')
			eol = "\r\n";
	}

	job = g_new0 (Job, 1);
	job->file = "-";
	job->index = 1;
	job->offset = -1;
	job->truncated = body_len > opts->limits->max_message;
	job->data = g_bytes_new_from_bytes (all, from_len, MIN (body_len, opts->limits->max_message));
	job->whole = g_bytes_new_from_bytes (all, from_len, body_len);
	run.bytes = len;
	job_process (opts, job, opts->summary);
	job_write (&run, job);

	if (opts->filter) {
		g_autoptr(GString) headers = g_string_new (NULL);
		FILE *out = opts->message_out != NULL ? opts->message_out : stdout;

		filter_headers (opts, job, eol, headers);
		if (fwrite (data, 1, from_len, out) != from_len ||
		    fwrite (headers->str, 1, headers->len, out) != headers->len ||
		    fwrite (body, 1, body_len, out) != body_len || fflush (out) != 0) {
			g_printerr ("bouncefilter: write error: %s\n", g_strerror (errno));
			note_exit (&run, EX_TEMPFAIL);
		}
	}
	job_free (job);
	return run_finish (&run);
}
