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
