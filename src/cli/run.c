/*
 * cli/run.c - the processing loop: read, analyse (in parallel), write in input order
 *
 * DESCRIPTION	See run.h.  The calling thread reads messages (a source
 *		hands them out in place; a job keeps a copy), numbers them,
 *		and queues them to the workers; results come back on a second
 *		queue and wait in a ring indexed by sequence number until
 *		every earlier one is written.  With --jobs 1 a message is
 *		analysed and written before the next is read.  Messages go
 *		to the workers in batches, to keep queue hand-offs rare.  The output is
 *		therefore the same, byte for byte, whatever the number of jobs.
 *		Store writes happen only here, on one thread: one transaction
 *		per message in pipe mode, one per batch_size reports otherwise.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "analyze.h"
#include "cli/progress.h"
#include "cli/run.h"
#include "mime/input.h"

#define BATCH_MESSAGES 32		/* messages handed to a worker at once */
#define BATCH_BYTES (512 * 1024)
#define IN_FLIGHT_PER_JOB 4		/* batches queued per worker */

typedef struct {
	const char   *file;		/* borrowed from the files array */
	guint         index;
	gint64        offset;
	gboolean      truncated;
	GBytes       *data;
	/* results */
	BounceReport *report;
	GString      *chunk;
	GError       *error;
} Job;

/* Messages handed to a worker together: fewer queue hand-offs. */
typedef struct {
	guint64    seq;
	GPtrArray *jobs;	/* Job *, owned */
	gsize      bytes;
} Batch;

typedef struct {
	RunOptions     *opts;
	int             worst;
	guint64         records;
	guint64         messages;
	guint64         bytes;
	guint           pending;	/* reports in the open store transaction */
	gboolean        store_failed;
	BounceProgress *progress;
	/* parallel state */
	GAsyncQueue    *work;
	GAsyncQueue    *done;
	GThread       **threads;
	Batch         **ring;
	guint           ring_size;
	Batch          *filling;	/* the batch being read */
	guint64         next_seq;	/* the next batch to write */
	guint64         read_seq;	/* the next batch number to hand out */
} Run;

static void
job_free (Job *job)
{
	if (job == NULL)
		return;
	g_bytes_unref (job->data);
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

/* Analyse and render: the part that runs on workers. */
static void
job_process (const RunOptions *opts, Job *job)
{
	gsize len;
	const char *data = g_bytes_get_data (job->data, &len);
	BounceOrigin origin = { job->file, job->index, job->offset };

	job->report = bounce_analyze_bytes (data, len, opts->limits, &job->error);
	job->chunk = g_string_new (NULL);
	if (job->report == NULL)
		return;
	if (job->truncated)
		job->report->anomalies |= BOUNCE_ANOMALY_TOO_LARGE;
	bounce_render (&opts->render, &origin, job->report, job->chunk);
	/* the message bytes are no longer needed while the job waits its turn */
	g_clear_pointer (&job->data, g_bytes_unref);
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
		return FALSE;
	}
	run->pending = 0;
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
	if (!opts->pipe_mode && !opts->dry_run && !bounce_store_in_transaction (opts->store) &&
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
	if (!opts->pipe_mode && !opts->dry_run && ++run->pending >= opts->batch_size)
		store_commit (run);
}

/* Write one finished job: the part that runs in input order. */
static void
job_write (Run *run, Job *job)
{
	RunOptions *opts = run->opts;

	run->messages++;
	if (opts->summary)
		bounce_summary_add_message (opts->summary);
	if (job->report == NULL) {
		/* unparseable mail is handled (reported), not retried */
		if (!opts->quiet)
			g_printerr ("bouncefilter: %s#%u: %s\n", job->file, job->index, job->error->message);
		return;
	}
	if (job->chunk->len > 0) {
		if (opts->render.format == BOUNCE_FORMAT_JSON)
			fputs (run->records == 0 ? "[\n" : ",\n", opts->out);
		fwrite (job->chunk->str, 1, job->chunk->len, opts->out);
		run->records++;
	}
	if (opts->summary)
		bounce_summary_add (opts->summary, job->report, opts->render.all);
	store_record (run, job);
	if (run->progress)
		bounce_progress_update (run->progress, run->messages, run->bytes);
}

static void
batch_free (Batch *batch)
{
	g_ptr_array_unref (batch->jobs);
	g_free (batch);
}

static gpointer
worker (gpointer data)
{
	Run *run = data;
	Batch *batch;

	while ((batch = g_async_queue_pop (run->work)) != (Batch *) run) {
		for (guint i = 0; i < batch->jobs->len; i++)
			job_process (run->opts, g_ptr_array_index (batch->jobs, i));
		g_async_queue_push (run->done, batch);
	}
	return NULL;
}

/* Take one finished batch from the workers; write every batch now in order. */
static void
collect_one (Run *run)
{
	Batch *batch = g_async_queue_pop (run->done);

	run->ring[batch->seq % run->ring_size] = batch;
	while ((batch = run->ring[run->next_seq % run->ring_size]) != NULL &&
	       batch->seq == run->next_seq) {
		run->ring[run->next_seq % run->ring_size] = NULL;
		for (guint i = 0; i < batch->jobs->len; i++)
			job_write (run, g_ptr_array_index (batch->jobs, i));
		batch_free (batch);
		run->next_seq++;
	}
}

static void
flush_batch (Run *run)
{
	Batch *batch = run->filling;

	if (batch == NULL)
		return;
	run->filling = NULL;
	batch->seq = run->read_seq++;
	while (run->read_seq - run->next_seq > run->ring_size)
		collect_one (run);
	g_async_queue_push (run->work, batch);
}

static void
submit (Run *run, Job *job)
{
	if (run->threads == NULL) {
		job_process (run->opts, job);
		job_write (run, job);
		job_free (job);
		return;
	}
	if (run->filling == NULL) {
		run->filling = g_new0 (Batch, 1);
		run->filling->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
	}
	g_ptr_array_add (run->filling->jobs, job);
	run->filling->bytes += g_bytes_get_size (job->data);
	if (run->filling->jobs->len >= BATCH_MESSAGES || run->filling->bytes >= BATCH_BYTES)
		flush_batch (run);
}

static void
read_path (Run *run, const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(BounceSource) src = bounce_source_open (path, run->opts->limits->max_message, &error);
	BounceMessageRef ref;

	if (src == NULL) {
		g_printerr ("bouncefilter: %s\n", error->message);
		note_exit (run, EX_TEMPFAIL);
		return;
	}
	while (!run->store_failed && bounce_source_next (src, &ref, &error)) {
		Job *job = g_new0 (Job, 1);

		job->file = path;
		job->index = ref.index;
		job->offset = ref.offset;
		job->truncated = ref.truncated;
		job->data = g_bytes_new (ref.data, ref.len);
		run->bytes += ref.len;
		submit (run, job);
	}
	if (error != NULL) {
		g_printerr ("bouncefilter: %s\n", error->message);
		note_exit (run, EX_TEMPFAIL);
	}
}

static guint64
total_size (GPtrArray *files)
{
	guint64 total = 0;

	for (guint i = 0; i < files->len; i++) {
		struct stat st;
		if (stat (g_ptr_array_index (files, i), &st) == 0 && S_ISREG (st.st_mode))
			total += st.st_size;
	}
	return total;
}

int
bounce_run (RunOptions *opts, GPtrArray *files)
{
	Run run = { .opts = opts, .worst = EX_OK };

	if (opts->batch_size == 0)
		opts->batch_size = 1000;
	if (opts->progress)
		run.progress = bounce_progress_new (total_size (files));
	if (opts->jobs > 1) {
		run.ring_size = opts->jobs * IN_FLIGHT_PER_JOB;
		run.ring = g_new0 (Batch *, run.ring_size);
		run.work = g_async_queue_new ();
		run.done = g_async_queue_new ();
		run.threads = g_new0 (GThread *, opts->jobs);
		for (guint i = 0; i < opts->jobs; i++)
			run.threads[i] = g_thread_new ("bounce-worker", worker, &run);
	}

	for (guint i = 0; i < files->len && !run.store_failed; i++)
		read_path (&run, g_ptr_array_index (files, i));

	if (run.threads != NULL) {
		flush_batch (&run);
		while (run.next_seq < run.read_seq)
			collect_one (&run);
		for (guint i = 0; i < opts->jobs; i++)
			g_async_queue_push (run.work, &run);	/* the run itself means "stop" */
		for (guint i = 0; i < opts->jobs; i++)
			g_thread_join (run.threads[i]);
		g_free (run.threads);
		g_free (run.ring);
		g_async_queue_unref (run.work);
		g_async_queue_unref (run.done);
	}
	store_commit (&run);
	bounce_progress_finish (run.progress);

	if (opts->render.format == BOUNCE_FORMAT_JSON)
		fputs (run.records == 0 ? "[]\n" : "\n]\n", opts->out);
	if (fflush (opts->out) != 0 || ferror (opts->out)) {
		g_printerr ("bouncefilter: write error: %s\n", g_strerror (errno));
		note_exit (&run, EX_TEMPFAIL);
	}
	return run.worst;
}
