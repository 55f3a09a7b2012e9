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

static void
add_string (JsonObject *obj, const char *name, const char *value)
{
	if (value == NULL)
		value = "";
	if (json_safe (value)) {
		json_object_set_string_member (obj, name, value);
	} else {
		g_autofree char *clean = bounce_json_clean (value);
		json_object_set_string_member (obj, name, clean);
	}
}

JsonNode *
bounce_recipient_to_json (const BounceRenderOptions *opts, const BounceOrigin *origin,
			  const BounceReport *report, const BounceRecipient *rcpt)
{
	g_autoptr(JsonObject) obj = json_object_new ();	/* the node takes its own reference */
	JsonObject *original = json_object_new ();	/* owned by obj */

	/* members keep the order they are set in: the documented field order */
	add_string (obj, "file", origin->file);
	json_object_set_int_member (obj, "message", origin->index);
	if (origin->offset >= 0)
		json_object_set_int_member (obj, "offset", origin->offset);
	add_string (obj, "kind", bounce_kind_name (report->kind));
	add_string (obj, "detector", report->detector);
	add_string (obj, "bounce_message_id", report->bounce_message_id);
	add_string (obj, "date", report->date);
	add_string (obj, "reporting_mta", report->reporting_mta);
	add_string (obj, "recipient", rcpt->recipient);
	add_string (obj, "original_recipient", rcpt->original_recipient);
	add_string (obj, "action", rcpt->action);
	add_string (obj, "status", rcpt->status);
	add_string (obj, "reply_code", rcpt->reply_code);
	add_string (obj, "diagnostic", rcpt->diagnostic);
	add_string (obj, "remote_mta", rcpt->remote_mta);
	add_string (obj, "smtp_command", rcpt->smtp_command);
	add_string (obj, "last_attempt", rcpt->last_attempt);
	add_string (obj, "reason", rcpt->reason);
	json_object_set_boolean_member (obj, "hard_bounce", rcpt->hard_bounce);
	json_object_set_boolean_member (obj, "permanent", rcpt->permanent);
	add_string (obj, "fault", rcpt->fault);
	add_string (obj, "reason_source", rcpt->reason_source);
	if (*rcpt->feedback_type != '\0')
		add_string (obj, "feedback_type", rcpt->feedback_type);
	if (!opts->terse) {
		add_string (obj, "explanation", rcpt->explanation);
		add_string (obj, "advice", rcpt->advice);
	}
	add_string (original, "message_id", report->orig_message_id);
	add_string (original, "from", report->orig_from);
	add_string (original, "to", report->orig_to);
	add_string (original, "subject", report->orig_subject);
	add_string (original, "list_id", report->orig_list_id);
	json_object_set_object_member (obj, "original", original);
	if (report->anomalies != 0) {
		g_auto(GStrv) anomalies = bounce_anomaly_names (report->anomalies);
		JsonArray *list = json_array_sized_new (g_strv_length (anomalies));	/* owned by obj */

		for (char **a = anomalies; *a; a++)
			json_array_add_string_element (list, *a);
		json_object_set_array_member (obj, "anomalies", list);
	}
	return json_node_init_object (json_node_alloc (), obj);
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

/* One generator per thread, kept: making one per record cost as much as
 * the text it wrote. */
static GPrivate thread_generator = G_PRIVATE_INIT (g_object_unref);

static JsonGenerator *
generator (void)
{
	JsonGenerator *gen = g_private_get (&thread_generator);

	if (gen == NULL) {
		gen = json_generator_new ();
		g_private_set (&thread_generator, gen);
	}
	return gen;
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
			g_autoptr(JsonNode) node = bounce_recipient_to_json (opts, origin, report, rcpt);
			JsonGenerator *gen = generator ();	/* borrowed */

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
