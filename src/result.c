/*
 * result.c - BounceReport and BounceRecipient: construction, setters, free
 *
 * DESCRIPTION	Every string member is set through bounce_set(), which trims,
 *		makes the text valid UTF-8 and never stores NULL.
 * SEE ALSO	result.h
 */
#include "config.h"

#include <string.h>

#include "result.h"

void
bounce_set_len (char **field, const char *value, gssize len)
{
	const char *start, *end;

	if (value == NULL)
		value = "";
	if (len < 0)
		len = strlen (value);
	start = value;
	end = value + len;
	while (start < end && g_ascii_isspace (*start))
		start++;
	while (end > start && g_ascii_isspace (end[-1]))
		end--;
	g_free (*field);
	*field = g_utf8_make_valid (start, end - start);
}

void
bounce_set (char **field, const char *value)
{
	bounce_set_len (field, value, -1);
}

void
bounce_recipient_set_status (BounceRecipient *rcpt, const char *status)
{
	g_strlcpy (rcpt->status, status ? status : "", sizeof rcpt->status);
}

void
bounce_recipient_set_reply_code (BounceRecipient *rcpt, const char *code)
{
	g_strlcpy (rcpt->reply_code, code ? code : "", sizeof rcpt->reply_code);
}

BounceRecipient *
bounce_recipient_new (const char *address)
{
	BounceRecipient *r = g_new0 (BounceRecipient, 1);

	bounce_set (&r->recipient, address);
	r->original_recipient = g_strdup ("");
	r->action = g_strdup ("");
	r->diagnostic = g_strdup ("");
	r->remote_mta = g_strdup ("");
	r->smtp_command = g_strdup ("");
	r->last_attempt = g_strdup ("");
	r->feedback_type = g_strdup ("");
	r->reason = g_strdup ("");
	r->reason_source = g_strdup ("");
	r->fault = "unknown";
	r->explanation = "";
	r->advice = "";
	return r;
}

void
bounce_recipient_free (BounceRecipient *r)
{
	if (r == NULL)
		return;
	g_free (r->recipient);
	g_free (r->original_recipient);
	g_free (r->action);
	g_free (r->diagnostic);
	g_free (r->remote_mta);
	g_free (r->smtp_command);
	g_free (r->last_attempt);
	g_free (r->feedback_type);
	g_free (r->reason);
	g_free (r->reason_source);
	g_free (r);
}

BounceReport *
bounce_report_new (void)
{
	BounceReport *r = g_new0 (BounceReport, 1);
	char **fields[] = {
		&r->detector, &r->bounce_message_id, &r->date, &r->from, &r->subject,
		&r->reporting_mta, &r->arrival_date, &r->orig_message_id, &r->orig_from,
		&r->orig_to, &r->orig_subject, &r->orig_list_id, &r->envelope_recipient,
	};

	for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
		*fields[i] = g_strdup ("");
	r->recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_recipient_free);
	return r;
}

void
bounce_report_free (BounceReport *r)
{
	if (r == NULL)
		return;
	g_free (r->detector);
	g_free (r->bounce_message_id);
	g_free (r->date);
	g_free (r->from);
	g_free (r->subject);
	g_free (r->reporting_mta);
	g_free (r->arrival_date);
	g_free (r->orig_message_id);
	g_free (r->orig_from);
	g_free (r->orig_to);
	g_free (r->orig_subject);
	g_free (r->orig_list_id);
	g_free (r->envelope_recipient);
	g_ptr_array_unref (r->recipients);
	g_free (r);
}

BounceRecipient *
bounce_report_find_recipient (BounceReport *report, const char *address)
{
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		if (g_ascii_strcasecmp (r->recipient, address) == 0)
			return r;
	}
	return NULL;
}

BounceRecipient *
bounce_report_add_recipient (BounceReport *report, const char *address)
{
	BounceRecipient *r = bounce_recipient_new (address);

	g_ptr_array_add (report->recipients, r);
	return r;	/* borrowed: owned by report */
}

void
bounce_report_set_detector (BounceReport *report, const char *detector)
{
	bounce_set (&report->detector, detector);
}

const char *
bounce_kind_name (BounceKind kind)
{
	switch (kind) {
	case BOUNCE_KIND_BOUNCE:	return "bounce";
	case BOUNCE_KIND_FEEDBACK:	return "feedback";
	case BOUNCE_KIND_AUTOREPLY:	return "autoreply";
	case BOUNCE_KIND_DELIVERED:	return "delivered";
	case BOUNCE_KIND_NONE:
	default:			return "none";
	}
}

/* The variant type of a report (BOUNCE_REPORT_VARIANT_TYPE, result.h): kind,
 * anomalies, its strings in the order
 * of report_strings(), then the recipients, each its strings in the order of
 * recipient_strings() and the two flags.  Strings travel as byte strings
 * ("ay"), so they come back exactly as they were, valid UTF-8 or not. */
#define REPORT_STRINGS 13
#define RECIPIENT_STRINGS 15

static void
report_strings (BounceReport *r, char ***out)
{
	char **fields[REPORT_STRINGS] = {
		&r->detector, &r->bounce_message_id, &r->date, &r->from, &r->subject,
		&r->reporting_mta, &r->arrival_date, &r->orig_message_id, &r->orig_from,
		&r->orig_to, &r->orig_subject, &r->orig_list_id, &r->envelope_recipient,
	};

	memcpy (out, fields, sizeof fields);
}

GVariant *
bounce_report_to_variant (const BounceReport *report)
{
	BounceReport *r = (BounceReport *) report;	/* read only */
	char **strings[REPORT_STRINGS];
	GVariantBuilder b, rcpts;

	report_strings (r, strings);
	g_variant_builder_init (&b, G_VARIANT_TYPE (BOUNCE_REPORT_VARIANT_TYPE));
	g_variant_builder_add (&b, "u", (guint32) r->kind);
	g_variant_builder_add (&b, "u", (guint32) r->anomalies);
	for (gsize i = 0; i < REPORT_STRINGS; i++)
		g_variant_builder_add_value (&b, g_variant_new_bytestring (*strings[i]));
	g_variant_builder_init (&rcpts, G_VARIANT_TYPE ("a" BOUNCE_RECIPIENT_VARIANT_TYPE));
	for (guint i = 0; i < r->recipients->len; i++) {
		const BounceRecipient *x = g_ptr_array_index (r->recipients, i);	/* borrowed */
		const char *const values[RECIPIENT_STRINGS] = {
			x->recipient, x->original_recipient, x->action, x->status, x->reply_code,
			x->diagnostic, x->remote_mta, x->smtp_command, x->last_attempt,
			x->feedback_type, x->reason, x->reason_source, x->fault, x->explanation,
			x->advice,
		};

		g_variant_builder_open (&rcpts, G_VARIANT_TYPE (BOUNCE_RECIPIENT_VARIANT_TYPE));
		for (gsize k = 0; k < RECIPIENT_STRINGS; k++)
			g_variant_builder_add_value (&rcpts, g_variant_new_bytestring (values[k] ? values[k] : ""));
		g_variant_builder_add (&rcpts, "b", x->hard_bounce);
		g_variant_builder_add (&rcpts, "b", x->permanent);
		g_variant_builder_close (&rcpts);
	}
	g_variant_builder_add_value (&b, g_variant_builder_end (&rcpts));
	return g_variant_ref_sink (g_variant_builder_end (&b));
}

static char *
child_string (GVariant *v, gsize i)	/* (transfer full) */
{
	g_autoptr(GVariant) child = g_variant_get_child_value (v, i);

	return g_variant_dup_bytestring (child, NULL);
}

BounceReport *
bounce_report_new_from_variant (GVariant *variant)
{
	g_autoptr(BounceReport) r = NULL;
	g_autoptr(GVariant) list = NULL;
	char **strings[REPORT_STRINGS];
	guint32 kind, anomalies;
	gsize n;

	if (variant == NULL || !g_variant_is_of_type (variant, G_VARIANT_TYPE (BOUNCE_REPORT_VARIANT_TYPE)))
		return NULL;
	r = bounce_report_new ();
	report_strings (r, strings);
	g_variant_get_child (variant, 0, "u", &kind);
	g_variant_get_child (variant, 1, "u", &anomalies);
	r->kind = kind;
	r->anomalies = anomalies;
	for (gsize i = 0; i < REPORT_STRINGS; i++) {
		g_free (*strings[i]);
		*strings[i] = child_string (variant, 2 + i);
	}
	list = g_variant_get_child_value (variant, 2 + REPORT_STRINGS);
	n = g_variant_n_children (list);
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GVariant) v = g_variant_get_child_value (list, i);
		BounceRecipient *x = bounce_recipient_new ("");
		char **owned[] = {
			&x->recipient, &x->original_recipient, &x->action, NULL, NULL,
			&x->diagnostic, &x->remote_mta, &x->smtp_command, &x->last_attempt,
			&x->feedback_type, &x->reason, &x->reason_source,
		};
		g_autofree char *status = child_string (v, 3);
		g_autofree char *reply = child_string (v, 4);
		g_autofree char *fault = child_string (v, 12);
		g_autofree char *explanation = child_string (v, 13);
		g_autofree char *advice = child_string (v, 14);
		gboolean flag;

		for (gsize k = 0; k < G_N_ELEMENTS (owned); k++) {
			if (owned[k] == NULL)
				continue;
			g_free (*owned[k]);
			*owned[k] = child_string (v, k);
		}
		bounce_recipient_set_status (x, status);
		bounce_recipient_set_reply_code (x, reply);
		/* static table texts: interned once and never freed, like the originals */
		x->fault = *fault ? g_intern_string (fault) : NULL;
		x->explanation = *explanation ? g_intern_string (explanation) : NULL;
		x->advice = *advice ? g_intern_string (advice) : NULL;
		g_variant_get_child (v, 15, "b", &flag);
		x->hard_bounce = flag;
		g_variant_get_child (v, 16, "b", &flag);
		x->permanent = flag;
		g_ptr_array_add (r->recipients, x);
	}
	return g_steal_pointer (&r);
}
