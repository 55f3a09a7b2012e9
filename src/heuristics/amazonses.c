/*
 * heuristics/amazonses.c - Amazon SES notifications and free-form bounces
 *
 * DESCRIPTION	Amazon SES reports bounces, complaints and deliveries to an
 *		SNS topic; an e-mail subscription receives the notification as
 *		a JSON body ("AWS Notification Message", from
 *		no-reply@sns.amazonaws.com):
 *		  {"notificationType":"Bounce","bounce":{"bounceType":"Permanent",
 *		   "bounceSubType":"General","bouncedRecipients":[{"emailAddress":
 *		   ...,"action":"failed","status":"5.1.1","diagnosticCode":"smtp;
 *		   550 5.1.1 ..."}],"reportingMTA":"dsn; ..."},"mail":{...}}
 *		"Complaint" carries complainedRecipients and a
 *		complaintFeedbackType, "Delivery" the delivered recipients and
 *		the smtpResponse.  Event publishing writes "eventType" instead
 *		of "notificationType"; an SNS envelope holds the same object as
 *		a string in "Message".  Lines longer than an MTA allows arrive
 *		broken by "!" + newline + space, which is undone before parsing.
 *		Where the bounceSubType names the reason (NoEmail, MailboxFull,
 *		MessageTooLarge, Suppressed, OnAccountSuppressionList) it is
 *		set here.
 *		Without JSON, SES's own text is read: "The following message
 *		to <user@example.org> was undeliverable." then "The reason for
 *		the problem:" and "5.1.0 - Unknown address error 550-'...'".
 * SEE ALSO	https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "dsn/status.h"
#include "heuristics/providers.h"

static const char *const ses_from[] = {
	"amazonses.com", "amazonaws.com", NULL
};

static const char *
member_string (JsonObject *o, const char *name)
{
	JsonNode *n;

	if (o == NULL || !json_object_has_member (o, name))
		return NULL;
	n = json_object_get_member (o, name);
	if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE ||
	    json_node_get_value_type (n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string (n);
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
	JsonNode *n;

	if (o == NULL || !json_object_has_member (o, name))
		return NULL;
	n = json_object_get_member (o, name);
	return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
	JsonNode *n;

	if (o == NULL || !json_object_has_member (o, name))
		return NULL;
	n = json_object_get_member (o, name);
	return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* "dsn; host" or "smtp; 550 ..." without the type prefix. */
static const char *
after_type (const char *value)
{
	const char *semi = value ? strchr (value, ';') : NULL;

	if (semi == NULL || semi - value > 12 || memchr (value, ' ', semi - value) != NULL)
		return value;
	semi++;
	while (*semi == ' ')
		semi++;
	return semi;
}

/* The JSON object in the text, with MTA line breaks ("!\n ") undone. (transfer full) */
static char *
json_body (const GString *text)
{
	const char *open = memchr (text->str, '{', MIN (text->len, 256));
	const char *close = NULL;
	GString *out;

	if (open == NULL)
		return NULL;
	for (const char *p = open; p < text->str + text->len; p++)
		if (*p == '}')
			close = p;
	if (close == NULL)
		return NULL;
	out = g_string_sized_new (close - open + 1);
	for (const char *p = open; p <= close; p++) {
		if (p[0] == '!' && p + 2 <= close && p[1] == '\n' && p[2] == ' ') {
			p += 2;
			continue;
		}
		g_string_append_c (out, *p);
	}
	return g_string_free (out, FALSE);
}

static JsonNode *
parse (const char *data)
{
	g_autoptr(JsonParser) parser = json_parser_new ();

	if (!json_parser_load_from_data (parser, data, -1, NULL))
		return NULL;
	return json_node_copy (json_parser_get_root (parser));
}

static const struct {
	const char *subtype;
	const char *reason;
} subtype_reasons[] = {
	{ "NoEmail", "userunknown" },
	{ "MailboxFull", "mailboxfull" },
	{ "MessageTooLarge", "emailtoolarge" },
	{ "Suppressed", "suppressed" },
	{ "OnAccountSuppressionList", "suppressed" },
};

static BounceRecipient *
add (BounceScan *scan, BounceReport *report, const char *address)
{
	g_autofree char *addr = address ? bounce_text_address (address, strlen (address), NULL) : NULL;
	BounceRecipient *r;

	if (addr == NULL)
		return NULL;
	r = bounce_report_find_recipient (report, addr);
	if (r == NULL && report->recipients->len < scan->limits->max_recipients)
		r = bounce_report_add_recipient (report, addr);
	return r;
}

static gboolean
read_bounce (BounceScan *scan, BounceReport *report, JsonObject *bounce)
{
	const char *type = member_string (bounce, "bounceType");
	const char *subtype = member_string (bounce, "bounceSubType");
	const char *mta = member_string (bounce, "reportingMTA");
	JsonArray *list = member_array (bounce, "bouncedRecipients");
	char cls = type != NULL && strcmp (type, "Transient") == 0 ? '4' : '5';
	const char *reason = NULL;

	for (gsize i = 0; subtype != NULL && i < G_N_ELEMENTS (subtype_reasons); i++)
		if (strcmp (subtype, subtype_reasons[i].subtype) == 0)
			reason = subtype_reasons[i].reason;
	if (mta != NULL)
		bounce_set (&report->reporting_mta, after_type (mta));
	for (guint i = 0; list != NULL && i < json_array_get_length (list); i++) {
		JsonNode *n = json_array_get_element (list, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
		BounceRecipient *r = add (scan, report, member_string (o, "emailAddress"));
		const char *status = member_string (o, "status");
		const char *diag = member_string (o, "diagnosticCode");
		const char *action = member_string (o, "action");

		if (r == NULL)
			continue;
		if (status != NULL && bounce_status_valid (status) == strlen (status))
			bounce_recipient_set_status (r, status);
		if (diag != NULL)
			bounce_set (&r->diagnostic, after_type (diag));
		else if (subtype != NULL)
			bounce_set (&r->diagnostic, subtype);
		if (action != NULL)
			bounce_set (&r->action, action);
		if (reason != NULL)
			bounce_set (&r->reason, reason);
		provider_default_status (r, cls);
	}
	report->kind = BOUNCE_KIND_BOUNCE;
	return report->recipients->len > 0;
}

static gboolean
read_complaint (BounceScan *scan, BounceReport *report, JsonObject *complaint)
{
	JsonArray *list = member_array (complaint, "complainedRecipients");
	const char *type = member_string (complaint, "complaintFeedbackType");
	const char *agent = member_string (complaint, "userAgent");

	for (guint i = 0; list != NULL && i < json_array_get_length (list); i++) {
		JsonNode *n = json_array_get_element (list, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
		BounceRecipient *r = add (scan, report, member_string (o, "emailAddress"));

		if (r == NULL)
			continue;
		bounce_set (&r->feedback_type, type != NULL ? type : "other");
		bounce_set (&r->reason, "feedback");
		if (agent != NULL) {
			g_autofree char *d = g_strdup_printf ("User-Agent: %s", agent);
			bounce_set (&r->diagnostic, d);
		}
	}
	report->kind = BOUNCE_KIND_FEEDBACK;
	return report->recipients->len > 0;
}

static gboolean
read_delivery (BounceScan *scan, BounceReport *report, JsonObject *delivery)
{
	JsonArray *list = member_array (delivery, "recipients");
	const char *response = member_string (delivery, "smtpResponse");
	const char *mta = member_string (delivery, "reportingMTA");

	if (mta != NULL)
		bounce_set (&report->reporting_mta, after_type (mta));
	for (guint i = 0; list != NULL && i < json_array_get_length (list); i++) {
		JsonNode *n = json_array_get_element (list, i);
		BounceRecipient *r = JSON_NODE_TYPE (n) == JSON_NODE_VALUE &&
				     json_node_get_value_type (n) == G_TYPE_STRING
				     ? add (scan, report, json_node_get_string (n)) : NULL;
		if (r == NULL)
			continue;
		bounce_set (&r->action, "delivered");
		if (response != NULL)
			bounce_set (&r->diagnostic, response);
	}
	report->kind = BOUNCE_KIND_DELIVERED;
	return report->recipients->len > 0;
}

/* From, To and Subject of the original, from "mail":{"commonHeaders":{...}}. */
static void
read_mail (BounceReport *report, JsonObject *mail)
{
	JsonObject *common = member_object (mail, "commonHeaders");
	const char *subject = member_string (common, "subject");
	const char *id = member_string (common, "messageId");
	const char *names[] = { "from", "to" };
	char **fields[] = { &report->orig_from, &report->orig_to };

	for (gsize i = 0; i < G_N_ELEMENTS (names); i++) {
		JsonArray *list = member_array (common, names[i]);
		JsonNode *n = list != NULL && json_array_get_length (list) > 0
			      ? json_array_get_element (list, 0) : NULL;
		if (n != NULL && JSON_NODE_TYPE (n) == JSON_NODE_VALUE &&
		    json_node_get_value_type (n) == G_TYPE_STRING) {
			const char *v = json_node_get_string (n);
			g_autofree char *addr = bounce_text_address (v, strlen (v), NULL);
			bounce_set (fields[i], addr);
		}
	}
	if (subject != NULL)
		bounce_set (&report->orig_subject, subject);
	if (id != NULL)
		bounce_set (&report->orig_message_id, id);
}

static gboolean
read_notification (BounceScan *scan, BounceReport *report)
{
	g_autofree char *body = json_body (scan->text);
	g_autoptr(JsonNode) root = body ? parse (body) : NULL;
	JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
	g_autoptr(JsonNode) inner = NULL;
	const char *type;
	gboolean found = FALSE;

	/* an SNS envelope: the notification is the "Message" string */
	if (o != NULL && member_string (o, "Message") != NULL && member_string (o, "Type") != NULL) {
		inner = parse (member_string (o, "Message"));
		o = inner != NULL && JSON_NODE_HOLDS_OBJECT (inner) ? json_node_get_object (inner) : NULL;
	}
	if (o == NULL)
		return FALSE;
	type = member_string (o, "notificationType");
	if (type == NULL)
		type = member_string (o, "eventType");
	if (type == NULL)
		return FALSE;
	if (strcmp (type, "Bounce") == 0)
		found = read_bounce (scan, report, member_object (o, "bounce"));
	else if (strcmp (type, "Complaint") == 0)
		found = read_complaint (scan, report, member_object (o, "complaint"));
	else if (strcmp (type, "Delivery") == 0)
		found = read_delivery (scan, report, member_object (o, "delivery"));
	if (!found) {
		report->kind = BOUNCE_KIND_NONE;
		return FALSE;
	}
	read_mail (report, member_object (o, "mail"));
	bounce_report_set_detector (report, "amazonses");
	return TRUE;
}

/* "The following message to <user@example.org> was undeliverable." */
static gboolean
read_text (BounceScan *scan, BounceReport *report)
{
	const char *text = scan->text->str;
	gsize len = scan->text->len;
	const char *hit = bounce_text_find (text, len, "The following message to <");
	const char *eol;
	g_autofree char *addr = NULL;
	g_autofree char *why = NULL;
	BounceRecipient *r;
	char outer[16] = "";

	if (hit == NULL)
		return FALSE;
	eol = memchr (hit, '\n', text + len - hit);
	addr = bounce_text_address (hit, (eol ? eol : text + len) - hit, NULL);
	if (addr == NULL)
		return FALSE;
	why = provider_lines_after (text, len, (const char *const[]) {
			"The reason for the problem:", NULL }, NULL, TRUE);
	r = bounce_report_add_recipient (report, addr);
	if (why != NULL) {
		/* "5.1.0 - Unknown address error 550-'5.7.1 <...>... Access denied'" */
		const char *quote = strstr (why, "-'");
		if (bounce_status_valid (why) > 0)
			g_strlcpy (outer, why, bounce_status_valid (why) + 1);
		if (quote != NULL && quote - why >= 3 && g_ascii_isdigit (quote[-1])) {
			g_autofree char *reply = g_strdup_printf ("%.3s %s", quote - 3, quote + 2);
			gsize n = strlen (reply);
			if (n > 0 && reply[n - 1] == '\'')
				reply[n - 1] = '\0';
			bounce_set (&r->diagnostic, reply);
		} else {
			bounce_set (&r->diagnostic, why);
		}
	}
	{
		char found[16];
		if (!bounce_status_find (r->diagnostic, strlen (r->diagnostic), found) && outer[0] != '\0')
			bounce_recipient_set_status (r, outer);
	}
	provider_set_command (r, r->diagnostic, strlen (r->diagnostic));
	provider_default_status (r, '5');
	report->kind = BOUNCE_KIND_BOUNCE;
	bounce_report_set_detector (report, "amazonses");
	return TRUE;
}

gboolean
bounce_detect_amazonses (BounceScan *scan, BounceReport *report)
{
	if (!bounce_str_has_any (scan->from, ses_from) &&
	    !provider_header_has (scan, "X-SES-Outgoing", NULL) &&
	    !provider_header_has (scan, "x-amz-sns-message-id", NULL))
		return FALSE;
	if (bounce_text_has_any (scan->text->str, MIN (scan->text->len, 512),
				 (const char *const[]) { "\"notificationType\"", "\"eventType\"",
							 "\"Type\" : \"Notification\"",
							 "\"Type\":\"Notification\"", NULL }))
		return read_notification (scan, report);
	return read_text (scan, report);
}
