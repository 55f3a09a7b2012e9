/*
 * output/render.c - JSON Lines, JSON array and text renderings of a report
 *
 * DESCRIPTION	See render.h.  Field names are a stable interface:
 *		changing one is a schema change (README.md, bouncefilter(1)).
 */
#include "config.h"

#include <string.h>

#include "output/render.h"

char *
bounce_json_clean (const char *text)
{
	char *valid = g_utf8_make_valid (text ? text : "", -1);

	for (char *p = valid; *p; p++)
		if ((guchar) *p < 0x20 && *p != '\t' && *p != '\n')
			*p = ' ';
		else if (*p == 0x7f)
			*p = ' ';
	return valid;
}

static const struct {
	guint bit;
	const char *name;
} anomaly_names[] = {
	{ BOUNCE_ANOMALY_MIME_WARNING,		"mime-warning" },
	{ BOUNCE_ANOMALY_NOT_REPORT,		"status-outside-report" },
	{ BOUNCE_ANOMALY_TRUNCATED,		"truncated" },
	{ BOUNCE_ANOMALY_TOO_DEEP,		"mime-too-deep" },
	{ BOUNCE_ANOMALY_TOO_MANY_PARTS,	"too-many-parts" },
	{ BOUNCE_ANOMALY_TOO_MANY_RCPTS,	"too-many-recipients" },
	{ BOUNCE_ANOMALY_BAD_CHARSET,		"bad-charset" },
	{ BOUNCE_ANOMALY_CR_LINE_ENDINGS,	"cr-line-endings" },
	{ BOUNCE_ANOMALY_TOO_LARGE,		"message-too-large" },
};

GStrv
bounce_anomaly_names (guint anomalies)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

	for (gsize i = 0; i < G_N_ELEMENTS (anomaly_names); i++)
		if (anomalies & anomaly_names[i].bit)
			g_strv_builder_add (b, anomaly_names[i].name);
	return g_strv_builder_end (b);
}

gboolean
bounce_recipient_printed (const BounceReport *report, const BounceRecipient *rcpt, gboolean all)
{
	switch (report->kind) {
	case BOUNCE_KIND_FEEDBACK:
		return TRUE;
	case BOUNCE_KIND_AUTOREPLY:
	case BOUNCE_KIND_DELIVERED:
		return all;
	case BOUNCE_KIND_BOUNCE:
		if (strcmp (rcpt->action, "delivered") == 0 || strcmp (rcpt->action, "relayed") == 0 ||
		    strcmp (rcpt->action, "expanded") == 0)
			return all;
		return TRUE;
	case BOUNCE_KIND_NONE:
	default:
		return FALSE;
	}
}

/* TRUE when text can go to json-glib as it is: valid UTF-8, no control bytes
 * but TAB and LF (json-glib 1.6 would write 0x1f raw). */
static gboolean
json_safe (const char *text)
{
	const char *end;

	if (!g_utf8_validate (text, -1, &end))
		return FALSE;
	for (const char *p = text; p < end; p++)
		if (((guchar) *p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f)
			return FALSE;
	return TRUE;
}

/*
 * A record is written by one function (fill_record) in the documented member
 * order, through a Filler: either building a new object (members added), or
 * refilling a record kept from before with the same members, whose value
 * nodes it holds in that order (values replaced in place).  Refilling spares
 * json-glib a node, a name copy and a hash entry per member per record.
 */
#define MAX_MEMBERS 40

typedef struct {
	JsonNode *root;			/* the record object */
	JsonNode *values[MAX_MEMBERS];	/* its value nodes in member order, borrowed */
} Record;

typedef struct {
	Record  *record;
	guint    next;		/* the next value node */
	gboolean building;
} Filler;

static void
put_node (Filler *f, JsonObject *obj, const char *name, JsonNode *node)
{
	g_assert (f->next < MAX_MEMBERS);
	json_object_set_member (obj, name, node);	/* takes node */
	f->record->values[f->next++] = node;
}

static void
put_string (Filler *f, JsonObject *obj, const char *name, const char *value)
{
	g_autofree char *clean = NULL;

	if (value == NULL)
		value = "";
	if (!json_safe (value))
		value = clean = bounce_json_clean (value);
	if (f->building)
		put_node (f, obj, name, json_node_init_string (json_node_alloc (), value));
	else
		json_node_set_string (f->record->values[f->next++], value);
}

static void
put_int (Filler *f, JsonObject *obj, const char *name, gint64 value)
{
	if (f->building)
		put_node (f, obj, name, json_node_init_int (json_node_alloc (), value));
	else
		json_node_set_int (f->record->values[f->next++], value);
}

static void
put_boolean (Filler *f, JsonObject *obj, const char *name, gboolean value)
{
	if (f->building)
		put_node (f, obj, name, json_node_init_boolean (json_node_alloc (), value));
	else
		json_node_set_boolean (f->record->values[f->next++], value);
}

/* An object member: a new object when building, else the one there. (borrowed) */
static JsonObject *
put_object (Filler *f, JsonObject *obj, const char *name)
{
	JsonObject *child;

	if (!f->building)
		return json_node_get_object (f->record->values[f->next++]);
	child = json_object_new ();
	put_node (f, obj, name, json_node_init_object (json_node_alloc (), child));
	json_object_unref (child);	/* the node holds it */
	return child;
}

static void
put_anomalies (Filler *f, JsonObject *obj, guint anomalies)
{
	g_auto(GStrv) names = bounce_anomaly_names (anomalies);
	JsonArray *list = json_array_sized_new (g_strv_length (names));

	for (char **a = names; *a; a++)
		json_array_add_string_element (list, *a);
	if (f->building)
		put_node (f, obj, "anomalies", json_node_init_array (json_node_alloc (), list));
	else
		json_node_set_array (f->record->values[f->next++], list);
	json_array_unref (list);	/* the node holds it */
}

static void
fill_record (Filler *f, const BounceRenderOptions *opts, const BounceOrigin *origin,
	     const BounceReport *report, const BounceRecipient *rcpt)
{
	JsonObject *obj = json_node_get_object (f->record->root);	/* borrowed */
	JsonObject *original;	/* borrowed */

	f->next = 0;
	put_string (f, obj, "file", origin->file);
	put_int (f, obj, "message", origin->index);
	if (origin->offset >= 0)
		put_int (f, obj, "offset", origin->offset);
	put_string (f, obj, "kind", bounce_kind_name (report->kind));
	put_string (f, obj, "detector", report->detector);
	put_string (f, obj, "bounce_message_id", report->bounce_message_id);
	put_string (f, obj, "date", report->date);
	put_string (f, obj, "reporting_mta", report->reporting_mta);
	put_string (f, obj, "recipient", rcpt->recipient);
	put_string (f, obj, "original_recipient", rcpt->original_recipient);
	put_string (f, obj, "action", rcpt->action);
	put_string (f, obj, "status", rcpt->status);
	put_string (f, obj, "reply_code", rcpt->reply_code);
	put_string (f, obj, "diagnostic", rcpt->diagnostic);
	put_string (f, obj, "remote_mta", rcpt->remote_mta);
	put_string (f, obj, "smtp_command", rcpt->smtp_command);
	put_string (f, obj, "last_attempt", rcpt->last_attempt);
	put_string (f, obj, "reason", rcpt->reason);
	put_boolean (f, obj, "hard_bounce", rcpt->hard_bounce);
	put_boolean (f, obj, "permanent", rcpt->permanent);
	put_string (f, obj, "fault", rcpt->fault);
	put_string (f, obj, "reason_source", rcpt->reason_source);
	if (*rcpt->feedback_type != '\0')
		put_string (f, obj, "feedback_type", rcpt->feedback_type);
	if (!opts->terse) {
		put_string (f, obj, "explanation", rcpt->explanation);
		put_string (f, obj, "advice", rcpt->advice);
	}
	original = put_object (f, obj, "original");
	put_string (f, original, "message_id", report->orig_message_id);
	put_string (f, original, "from", report->orig_from);
	put_string (f, original, "to", report->orig_to);
	put_string (f, original, "subject", report->orig_subject);
	put_string (f, original, "list_id", report->orig_list_id);
	if (report->anomalies != 0)
		put_anomalies (f, obj, report->anomalies);
}

/* Which optional members a record has: records of one shape share members. */
enum {
	SHAPE_OFFSET = 1 << 0,
	SHAPE_FEEDBACK = 1 << 1,
	SHAPE_VERBOSE = 1 << 2,
	SHAPE_ANOMALIES = 1 << 3,
	N_SHAPES = 1 << 4
};

static guint
record_shape (const BounceRenderOptions *opts, const BounceOrigin *origin,
	      const BounceReport *report, const BounceRecipient *rcpt)
{
	return (origin->offset >= 0 ? SHAPE_OFFSET : 0) |
	       (*rcpt->feedback_type != '\0' ? SHAPE_FEEDBACK : 0) |
	       (!opts->terse ? SHAPE_VERBOSE : 0) |
	       (report->anomalies != 0 ? SHAPE_ANOMALIES : 0);
}

static Record *
record_new (void)
{
	Record *record = g_new0 (Record, 1);
	JsonObject *obj = json_object_new ();

	record->root = json_node_init_object (json_node_alloc (), obj);
	json_object_unref (obj);
	return record;
}

static void
record_free (Record *record)
{
	json_node_unref (record->root);
	g_free (record);
}

JsonNode *
bounce_recipient_to_json (const BounceRenderOptions *opts, const BounceOrigin *origin,
			  const BounceReport *report, const BounceRecipient *rcpt)
{
	Record *record = record_new ();
	Filler f = { record, 0, TRUE };
	JsonNode *root;

	fill_record (&f, opts, origin, report, rcpt);
	root = json_node_ref (record->root);
	record_free (record);
	return root;
}

static void
render_text (const BounceOrigin *origin, const BounceReport *report,
	     const BounceRecipient *rcpt, GString *out)
{
	g_autofree char *diag = bounce_json_clean (rcpt->diagnostic);

	for (char *p = diag; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	g_string_append_printf (out, "%s#%u\t%s\t%s\t%s\t%s\t%s\t%s\n",
				origin->file, origin->index, rcpt->recipient,
				*rcpt->status ? rcpt->status : "-",
				*rcpt->reply_code ? rcpt->reply_code : "-",
				*rcpt->reason ? rcpt->reason : "-",
				rcpt->hard_bounce ? "hard" : "soft",
				*diag ? diag : report->detector);
}

guint
bounce_render (const BounceRenderOptions *opts, const BounceOrigin *origin,
	       const BounceReport *report, GString *out)
{
	return bounce_render_with (opts, origin, report, NULL, NULL, out);
}

/* Per thread: one generator (making one per record cost as much as the text
 * it wrote) and one kept record per shape. */
typedef struct {
	JsonGenerator *generator;
	Record        *records[N_SHAPES];
} Writer;

static void
writer_free (gpointer data)
{
	Writer *w = data;

	g_object_unref (w->generator);
	for (guint i = 0; i < N_SHAPES; i++)
		if (w->records[i] != NULL)
			record_free (w->records[i]);
	g_free (w);
}

static GPrivate thread_writer = G_PRIVATE_INIT (writer_free);

static Writer *
writer (void)
{
	Writer *w = g_private_get (&thread_writer);

	if (w == NULL) {
		w = g_new0 (Writer, 1);
		w->generator = json_generator_new ();
		g_private_set (&thread_writer, w);
	}
	return w;
}

/* The record for RCPT: the kept one of its shape refilled, or a new one when
 * ADD_MEMBERS will add members of its own. (transfer full) */
static JsonNode *
record_for (Writer *w, const BounceRenderOptions *opts, const BounceOrigin *origin,
	    const BounceReport *report, const BounceRecipient *rcpt, gboolean keep)
{
	guint shape = record_shape (opts, origin, report, rcpt);
	Filler f = { w->records[shape], 0, FALSE };

	if (!keep)
		return bounce_recipient_to_json (opts, origin, report, rcpt);
	if (f.record == NULL) {
		f.record = w->records[shape] = record_new ();
		f.building = TRUE;
	}
	fill_record (&f, opts, origin, report, rcpt);
	return json_node_ref (f.record->root);
}

guint
bounce_render_with (const BounceRenderOptions *opts, const BounceOrigin *origin,
		    const BounceReport *report, BounceRecordFunc add_members, gpointer data,
		    GString *out)
{
	guint n = 0;

	for (guint i = 0; i < report->recipients->len; i++) {
		const BounceRecipient *rcpt = g_ptr_array_index (report->recipients, i);	/* borrowed */

		if (!bounce_recipient_printed (report, rcpt, opts->all))
			continue;
		if (opts->format == BOUNCE_FORMAT_TEXT) {
			render_text (origin, report, rcpt, out);
		} else {
			Writer *w = writer ();	/* borrowed */
			g_autoptr(JsonNode) node = record_for (w, opts, origin, report, rcpt, add_members == NULL);
			JsonGenerator *gen = w->generator;	/* borrowed */

			if (add_members != NULL)
				add_members (json_node_get_object (node), data);
			if (opts->format == BOUNCE_FORMAT_JSON)
				g_string_append (out, n > 0 ? ",\n  " : "  ");
			json_generator_set_root (gen, node);
			json_generator_to_gstring (gen, out);
			json_generator_set_root (gen, NULL);	/* the node is freed now */
			if (opts->format == BOUNCE_FORMAT_JSONL)
				g_string_append_c (out, '\n');
		}
		n++;
	}
	return n;
}
