/*
 * knowledge/explain.c - say what status codes, reply codes and bounce texts mean
 *
 * SYNOPSIS	gboolean bounce_explain (const char *const *args, int nargs,
 *					 gboolean json, GString *out, GError **error);
 * DESCRIPTION	Groups the arguments into queries (see explain.h), takes a
 *		leading reply code and the first status code out of each,
 *		looks both up in the code tables and runs the classifier on a
 *		scratch recipient built from the query.  The JSON tree is the
 *		one source; the text rendering is written from it, so both
 *		always say the same.
 * OWNERSHIP	Nothing is kept between calls.
 * SEE ALSO	explain.h, codes.h, classify.h
 */
#include "config.h"

#include <string.h>

#include "dsn/status.h"
#include "bounce-error.h"
#include "knowledge/classify.h"
#include "knowledge/codes.h"
#include "knowledge/explain.h"
#include "result.h"

/* Length of a reply code token at the start of S ("550", "550-"), 0 when none. */
static gsize
leading_reply (const char *s)
{
	if (!(s[0] >= '1' && s[0] <= '5' && g_ascii_isdigit (s[1]) && g_ascii_isdigit (s[2])))
		return 0;
	if (s[3] == '\0' || g_ascii_isspace (s[3]) || s[3] == '-')
		return 3;
	return 0;
}

static gboolean
starts_with_code (const char *s)
{
	while (g_ascii_isspace (*s))
		s++;
	return leading_reply (s) > 0 || bounce_status_valid (s) > 0;
}

/* A query that is a reply code and nothing else. */
static gboolean
bare_reply (const GString *q)
{
	return q->len == 3 && leading_reply (q->str) == 3;
}

static GPtrArray *
group_queries (const char *const *args, int nargs)
{
	GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);
	GString *cur = NULL;

	for (int i = 0; i < nargs; i++) {
		g_autofree char *arg = g_utf8_make_valid (args[i] ? args[i] : "", -1);

		/* control characters (0x1f among them) never reach the JSON generator */
		for (char *p = arg; *p != '\0'; p++)
			if ((guchar) *p < 0x20 || *p == 0x7f)
				*p = ' ';
		g_strstrip (arg);
		if (*arg == '\0')
			continue;
		if (cur != NULL && starts_with_code (arg) &&
		    !(bare_reply (cur) && bounce_status_valid (arg) > 0)) {
			g_ptr_array_add (queries, g_string_free (cur, FALSE));
			cur = NULL;
		}
		if (cur == NULL)
			cur = g_string_new (arg);
		else {
			g_string_append_c (cur, ' ');
			g_string_append (cur, arg);
		}
	}
	if (cur != NULL)
		g_ptr_array_add (queries, g_string_free (cur, FALSE));
	return queries;
}

static const char *
class_word (guint klass)
{
	switch (klass) {
	case 2:	return "success";
	case 4:	return "transient";
	case 5:	return "permanent";
	}
	return "unknown";
}

/* One member of the object being built. */
static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
	json_builder_set_member_name (b, name);
	json_builder_add_string_value (b, value);
}

static void
add_boolean (JsonBuilder *b, const char *name, gboolean value)
{
	json_builder_set_member_name (b, name);
	json_builder_add_boolean_value (b, value);
}

static JsonNode *
status_node (const char *status)
{
	g_autoptr(JsonBuilder) b = json_builder_new ();
	const BounceStatusInfo *row = bounce_status_lookup (status);
	guint klass = 0, subject = 0, detail = 0;

	bounce_status_parse (status, &klass, &subject, &detail);
	json_builder_begin_object (b);
	add_string (b, "code", status);
	add_boolean (b, "found", row != NULL);
	if (row == NULL) {
		g_autofree char *note = g_strdup_printf ("no entry for %s", status);

		add_string (b, "note", note);
	} else {
		add_string (b, "title", row->title);
		add_string (b, "meaning", row->meaning);
	}
	add_string (b, "class", class_word (klass));
	add_string (b, "class_meaning", bounce_status_class_meaning (klass));
	add_string (b, "subject_meaning", bounce_status_subject_meaning (subject));
	if (row != NULL) {
		add_string (b, "whose_problem", bounce_party_name (row->party));
		add_string (b, "causes", row->causes);
		add_string (b, "fix", row->advice);
		add_string (b, "default_reason", row->reason);
		add_string (b, "defined_by", row->defined_by);
	}
	json_builder_end_object (b);
	return json_builder_get_root (b);
}

static const char *
severity_of_reply (const char *code)
{
	switch (code[0]) {
	case '2':	return "success";
	case '3':	return "intermediate";
	case '4':	return "transient";
	case '5':	return "permanent";
	}
	return "unknown";
}

static JsonNode *
reply_node (const char *code)
{
	g_autoptr(JsonBuilder) b = json_builder_new ();
	const BounceReplyInfo *row = bounce_reply_lookup (code);

	json_builder_begin_object (b);
	add_string (b, "code", code);
	add_boolean (b, "found", row != NULL);
	if (row == NULL) {
		g_autofree char *note = g_strdup_printf ("no entry for %s", code);

		add_string (b, "note", note);
		add_string (b, "class", severity_of_reply (code));
	} else {
		add_string (b, "title", row->title);
		add_string (b, "meaning", row->meaning);
		add_string (b, "class", bounce_severity_name (row->severity));
		add_string (b, "whose_problem", bounce_party_name (row->party));
		add_string (b, "causes", row->causes);
		add_string (b, "fix", row->advice);
		add_string (b, "default_reason", row->reason);
		add_string (b, "defined_by", row->defined_by);
	}
	json_builder_end_object (b);
	return json_builder_get_root (b);
}

static JsonNode *
query_node (const char *query)
{
	g_autoptr(JsonBuilder) b = json_builder_new ();
	g_autoptr(BounceRecipient) rcpt = bounce_recipient_new ("");
	char status[16] = "", reply[4] = "";
	const char *text = query;
	gsize n;

	if ((n = leading_reply (text)) > 0) {
		memcpy (reply, text, 3);
		reply[3] = '\0';
		text += n;
		if (*text == '-')
			text++;
		while (g_ascii_isspace (*text))
			text++;
	}
	if ((n = bounce_status_valid (text)) > 0 && n < sizeof status) {
		memcpy (status, text, n);
		status[n] = '\0';
		text += n;
		while (g_ascii_isspace (*text))
			text++;
	} else
		bounce_status_find (text, strlen (text), status);

	bounce_recipient_set_status (rcpt, status);
	bounce_recipient_set_reply_code (rcpt, reply);
	bounce_set (&rcpt->diagnostic, query);
	if (status[0] == '5' || (status[0] == '\0' && reply[0] == '5'))
		bounce_set (&rcpt->action, "failed");
	else if (status[0] == '2' || (status[0] == '\0' && reply[0] == '2'))
		bounce_set (&rcpt->action, "delivered");
	bounce_classify_recipient (rcpt, BOUNCE_KIND_BOUNCE);

	json_builder_begin_object (b);
	add_string (b, "input", query);
	add_string (b, "text", text);
	json_builder_set_member_name (b, "reply_code");
	if (reply[0])
		json_builder_add_value (b, reply_node (reply));
	else
		json_builder_add_null_value (b);
	json_builder_set_member_name (b, "status");
	if (status[0])
		json_builder_add_value (b, status_node (status));
	else
		json_builder_add_null_value (b);

	json_builder_set_member_name (b, "classification");
	json_builder_begin_object (b);
	add_string (b, "reason", rcpt->reason);
	add_string (b, "reason_source", rcpt->reason_source);
	add_string (b, "fault", rcpt->fault);
	add_boolean (b, "permanent", rcpt->permanent);
	add_boolean (b, "hard_bounce", rcpt->hard_bounce);
	add_string (b, "explanation", rcpt->explanation);
	add_string (b, "advice", rcpt->advice);
	json_builder_end_object (b);

	json_builder_end_object (b);
	return json_builder_get_root (b);
}

JsonNode *
bounce_explain_json (const char *const *args, int nargs, GError **error)
{
	g_autoptr(GPtrArray) queries = group_queries (args, MAX (nargs, 0));
	JsonArray *array;
	JsonNode *root;

	if (queries->len == 0) {
		g_set_error_literal (error, BOUNCE_ERROR, BOUNCE_ERROR_USAGE,
				     "nothing to explain: give a status code, a reply code or a bounce text");
		return NULL;
	}
	array = json_array_sized_new (queries->len);
	for (guint i = 0; i < queries->len; i++)
		json_array_add_element (array, query_node (g_ptr_array_index (queries, i)));
	root = json_node_new (JSON_NODE_ARRAY);
	json_node_take_array (root, array);
	return root;
}

static const char *
member (JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member (o, name);

	return n && JSON_NODE_HOLDS_VALUE (n) ? json_node_get_string (n) : NULL;
}

static void
render_line (GString *out, const char *label, const char *value)
{
	if (value != NULL && *value != '\0')
		g_string_append_printf (out, "    %-9s %s\n", label, value);
}

static void
render_code (GString *out, const char *kind, JsonObject *o)
{
	const char *code = member (o, "code");

	if (!json_object_get_boolean_member (o, "found")) {
		g_string_append_printf (out, "  %s %s: %s\n", kind, code, member (o, "note"));
		render_line (out, "class:", member (o, "class_meaning") ? member (o, "class_meaning")
								    : member (o, "class"));
		render_line (out, "subject:", member (o, "subject_meaning"));
		return;
	}
	g_string_append_printf (out, "  %s %s: %s\n", kind, code, member (o, "title"));
	render_line (out, "meaning:", member (o, "meaning"));
	if (member (o, "class_meaning"))
		g_string_append_printf (out, "    %-9s %s (%s)\n", "class:", member (o, "class"),
					member (o, "class_meaning"));
	else
		render_line (out, "class:", member (o, "class"));
	render_line (out, "problem:", member (o, "whose_problem"));
	render_line (out, "causes:", member (o, "causes"));
	render_line (out, "fix:", member (o, "fix"));
	render_line (out, "source:", member (o, "defined_by"));
}

static void
render_text (GString *out, JsonArray *array)
{
	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonObject *q = json_array_get_object_element (array, i);
		JsonNode *reply = json_object_get_member (q, "reply_code");
		JsonNode *status = json_object_get_member (q, "status");
		JsonObject *c = json_object_get_object_member (q, "classification");

		if (i > 0)
			g_string_append_c (out, '\n');
		g_string_append_printf (out, "%s\n", member (q, "input"));
		if (JSON_NODE_HOLDS_OBJECT (status))
			render_code (out, "status", json_node_get_object (status));
		if (JSON_NODE_HOLDS_OBJECT (reply))
			render_code (out, "reply", json_node_get_object (reply));
		if (!JSON_NODE_HOLDS_OBJECT (status) && !JSON_NODE_HOLDS_OBJECT (reply))
			g_string_append (out, "  no status or reply code found; classifying the text alone\n");
		g_string_append_printf (out, "  reason %s (from %s): fault %s, %s%s\n",
					member (c, "reason"), member (c, "reason_source"),
					member (c, "fault"),
					json_object_get_boolean_member (c, "permanent") ? "permanent" : "not permanent",
					json_object_get_boolean_member (c, "hard_bounce") ? ", hard bounce" : "");
		render_line (out, "means:", member (c, "explanation"));
		render_line (out, "advice:", member (c, "advice"));
	}
}

gboolean
bounce_explain (const char *const *args, int nargs, gboolean json, GString *out, GError **error)
{
	g_autoptr(JsonNode) root = NULL;

	g_return_val_if_fail (out != NULL, FALSE);

	root = bounce_explain_json (args, nargs, error);
	if (root == NULL)
		return FALSE;
	if (json) {
		g_autoptr(JsonGenerator) gen = json_generator_new ();
		g_autofree char *text = NULL;

		json_generator_set_pretty (gen, TRUE);
		json_generator_set_root (gen, root);
		text = json_generator_to_data (gen, NULL);
		g_string_append (out, text);
		g_string_append_c (out, '\n');
	} else
		render_text (out, json_node_get_array (root));
	return TRUE;
}
