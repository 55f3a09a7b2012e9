/*
 * heuristics/arf.c - RFC 5965 feedback reports (ARF) and provider variants
 *
 * SYNOPSIS	gboolean bounce_detect_arf (BounceScan *scan, BounceReport *report);
 * DESCRIPTION	Recognises a complaint in any of these shapes, in this order:
 *		 1. a message/feedback-report part, inside multipart/report or
 *		    not (the walk in mime/scan.c finds it anywhere, also as the
 *		    whole body);
 *		 2. the same "Feedback-Type:" field block written into a text
 *		    part (some reporters send it as text/plain);
 *		 3. Microsoft's JMRP: multipart/mixed holding only the reported
 *		    message, which carries X-HmXmrOriginalRecipient; or a
 *		    "complaint about message from" notice returning the message;
 *		 4. Apple Mail's one-click unsubscribe (X-Apple-Unsubscribe: true),
 *		    an opt-out from the address in From.
 *		One recipient per complained-about address: Original-Rcpt-To,
 *		else Removal-Recipient, else the returned message's
 *		X-HmXmrOriginalRecipient or To, else its delivery headers; a
 *		report that names nobody still gives one recipient "" so the
 *		complaint is not lost.  Kind BOUNCE_KIND_FEEDBACK, reason
 *		"feedback", feedback_type the Feedback-Type value lower-cased.
 * LIMITS	limits->max_status_body bytes of the report part, max_field per
 *		value, max_recipients addresses.
 * SEE ALSO	RFC 5965 s3, RFC 6591 (auth-failure), RFC 6650, tests/check_reports.c
 */
#include "config.h"

#include <string.h>

#include "heuristics/text.h"

/* The fields this detector uses; lists hold (char *) values, owned. */
typedef struct {
	char      *feedback_type;
	char      *mail_from;		/* Original-Mail-From */
	char      *source_ip;		/* Source-IP */
	char      *arrival_date;	/* Arrival-Date, else Received-Date */
	char      *user_agent;
	char      *auth_failure;	/* Auth-Failure (RFC 6591) */
	GPtrArray *rcpt_to;		/* Original-Rcpt-To, one per field */
	GPtrArray *removal;		/* Removal-Recipient */
	GPtrArray *domains;		/* Reported-Domain */
	guint      nfields;		/* ARF fields recognised */
} ArfFields;

static void
arf_fields_init (ArfFields *f)
{
	memset (f, 0, sizeof *f);
	f->rcpt_to = g_ptr_array_new_with_free_func (g_free);
	f->removal = g_ptr_array_new_with_free_func (g_free);
	f->domains = g_ptr_array_new_with_free_func (g_free);
}

static void
arf_fields_clear (ArfFields *f)
{
	g_free (f->feedback_type);
	g_free (f->mail_from);
	g_free (f->source_ip);
	g_free (f->arrival_date);
	g_free (f->user_agent);
	g_free (f->auth_failure);
	g_ptr_array_free (f->rcpt_to, TRUE);
	g_ptr_array_free (f->removal, TRUE);
	g_ptr_array_free (f->domains, TRUE);
}

static void
keep_first (char **slot, const char *value)
{
	if (*slot == NULL && *value != '\0')
		*slot = g_strdup (value);
}

/* Record one unfolded field. */
static void
arf_field (ArfFields *f, const char *name, gsize nlen, const char *value, guint max_list)
{
#define IS(s) (nlen == sizeof (s) - 1 && g_ascii_strncasecmp (name, s, nlen) == 0)
	if (IS ("Feedback-Type")) {
		g_autofree char *type = g_ascii_strdown (value, -1);
		keep_first (&f->feedback_type, g_strstrip (type));
	} else if (IS ("Original-Mail-From")) {
		keep_first (&f->mail_from, value);
	} else if (IS ("Source-IP")) {
		keep_first (&f->source_ip, value);
	} else if (IS ("Arrival-Date") || IS ("Received-Date")) {
		keep_first (&f->arrival_date, value);
	} else if (IS ("User-Agent")) {
		keep_first (&f->user_agent, value);
	} else if (IS ("Auth-Failure")) {
		keep_first (&f->auth_failure, value);
	} else if (IS ("Original-Rcpt-To")) {
		if (f->rcpt_to->len < max_list)
			g_ptr_array_add (f->rcpt_to, g_strdup (value));
	} else if (IS ("Removal-Recipient")) {
		if (f->removal->len < max_list)
			g_ptr_array_add (f->removal, g_strdup (value));
	} else if (IS ("Reported-Domain")) {
		if (f->domains->len < max_list)
			g_ptr_array_add (f->domains, g_strdup (value));
	} else if (!(IS ("Version") || IS ("Reported-URI") || IS ("Original-Envelope-Id") ||
		     IS ("Reporting-MTA") || IS ("Incidents") || IS ("Authentication-Results") ||
		     IS ("Delivery-Result") || IS ("DKIM-Domain") || IS ("Identity-Alignment"))) {
		return;
	}
	f->nfields++;
#undef IS
}

/*
 * Read "Name: value" lines (continuation lines folded in) from text[0..len).
 * With stop_at_blank, a blank line after the first field ends the block, and
 * so does a line that is not a field.  Linear in len.
 */
static void
arf_parse (const char *text, gsize len, gboolean stop_at_blank, ArfFields *f,
	   const BounceLimits *limits)
{
	BounceLines it;
	const char *line;
	gsize n;
	const char *name = NULL;
	gsize nlen = 0;
	g_autoptr(GString) value = g_string_new (NULL);

	bounce_lines_init (&it, text, len);
	for (;;) {
		gboolean more = bounce_lines_next (&it, &line, &n);
		const char *colon;

		if (more && n > 0 && line[n - 1] == '\r')
			n--;
		/* a continuation line belongs to the field before it */
		if (more && n > 0 && (line[0] == ' ' || line[0] == '\t') && name != NULL) {
			if (value->len < limits->max_field) {
				g_string_append_c (value, ' ');
				g_string_append_len (value, line, MIN (n, limits->max_field));
			}
			continue;
		}
		if (name != NULL) {
			g_autofree char *v = g_utf8_make_valid (value->str, value->len);
			arf_field (f, name, nlen, g_strstrip (v), limits->max_recipients);
			name = NULL;
		}
		if (!more)
			break;
		if (n == 0) {
			if (stop_at_blank && f->nfields > 0)
				break;
			continue;
		}
		colon = memchr (line, ':', n);
		if (colon == NULL || colon == line || memchr (line, ' ', colon - line) != NULL) {
			if (stop_at_blank && f->nfields > 0)
				break;
			continue;
		}
		name = line;
		nlen = colon - line;
		g_string_truncate (value, 0);
		g_string_append_len (value, colon + 1, MIN ((gsize) (line + n - colon - 1), limits->max_field));
	}
}

static const char *const jmrp_subjects[] = {
	"complaint about message from",
	NULL
};

static gboolean
add_complainant (BounceReport *report, const char *value, const BounceScan *scan)
{
	g_autofree char *addr = NULL;

	if (value == NULL)
		return FALSE;
	addr = bounce_text_address (value, strlen (value), NULL);
	if (addr == NULL || bounce_report_find_recipient (report, addr) != NULL)
		return FALSE;
	if (report->recipients->len >= scan->limits->max_recipients) {
		report->anomalies |= BOUNCE_ANOMALY_TOO_MANY_RCPTS;
		return FALSE;
	}
	bounce_report_add_recipient (report, addr);
	return TRUE;
}

/* Every mailbox in the original's To (a complaint about a message to a list names them all). */
static guint
add_original_to (BounceReport *report, BounceScan *scan)
{
	InternetAddressList *list;
	guint added = 0;

	if (scan->original == NULL)
		return 0;
	list = bounce_scan_original_addresses (scan, GMIME_ADDRESS_TYPE_TO);	/* borrowed */
	for (int i = 0; list != NULL && i < internet_address_list_length (list); i++) {
		InternetAddress *ia = internet_address_list_get_address (list, i);	/* borrowed */
		if (INTERNET_ADDRESS_IS_MAILBOX (ia) &&
		    add_complainant (report, internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)), scan))
			added++;
	}
	return added;
}

static void
add_recipients (BounceReport *report, BounceScan *scan, const ArfFields *f)
{
	static const char *const delivery_headers[] = {
		"X-Original-To", "Delivered-To", "X-Apparently-To", "Envelope-To", NULL
	};
	guint added = 0;

	for (guint i = 0; i < f->rcpt_to->len; i++)
		added += add_complainant (report, g_ptr_array_index (f->rcpt_to, i), scan);
	for (guint i = 0; added == 0 && i < f->removal->len; i++)
		added += add_complainant (report, g_ptr_array_index (f->removal, i), scan);
	if (added == 0)
		added += add_complainant (report, bounce_scan_original_header (scan, "X-HmXmrOriginalRecipient"), scan);
	if (added == 0)
		added += add_original_to (report, scan);
	for (const char *const *h = delivery_headers; added == 0 && *h; h++)
		added += add_complainant (report, bounce_scan_original_header (scan, *h), scan);
	if (added == 0)
		bounce_report_add_recipient (report, "");
}

/* "Reported-Domain: a, b; Original-Mail-From: x; Source-IP: y" for the diagnostic. */
static char *
describe (const ArfFields *f)
{
	GString *d = g_string_new (NULL);

	if (f->auth_failure != NULL)
		g_string_append_printf (d, "Auth-Failure: %s; ", f->auth_failure);
	if (f->domains->len > 0) {
		g_string_append (d, "Reported-Domain: ");
		for (guint i = 0; i < f->domains->len; i++)
			g_string_append_printf (d, "%s%s", i ? ", " : "",
						(const char *) g_ptr_array_index (f->domains, i));
		g_string_append (d, "; ");
	}
	if (f->mail_from != NULL)
		g_string_append_printf (d, "Original-Mail-From: %s; ", f->mail_from);
	if (f->source_ip != NULL)
		g_string_append_printf (d, "Source-IP: %s; ", f->source_ip);
	if (f->user_agent != NULL)
		g_string_append_printf (d, "User-Agent: %s; ", f->user_agent);
	if (d->len >= 2)
		g_string_truncate (d, d->len - 2);
	return g_string_free (d, FALSE);
}

static void
fill_report (BounceReport *report, BounceScan *scan, const ArfFields *f,
	     const char *type, const char *detector)
{
	g_autofree char *diag = describe (f);

	if (*diag == '\0') {
		g_free (diag);
		diag = g_strdup (scan->subject);
	}
	add_recipients (report, scan, f);
	for (guint i = 0; i < report->recipients->len; i++) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		bounce_set (&r->feedback_type, type);
		bounce_set (&r->reason, "feedback");
		bounce_set (&r->diagnostic, diag);
	}
	if (f->arrival_date != NULL)
		bounce_set (&report->arrival_date, f->arrival_date);
	report->kind = BOUNCE_KIND_FEEDBACK;
	bounce_report_set_detector (report, detector);
}

/* Feedback-Type, or "other" when the report left it out or empty. */
static const char *
type_or_other (const ArfFields *f)
{
	return f->feedback_type != NULL ? f->feedback_type : "other";
}

gboolean
bounce_detect_arf (BounceScan *scan, BounceReport *report)
{
	ArfFields f;
	gboolean found = FALSE;

	arf_fields_init (&f);
	if (scan->feedback_part != NULL && GMIME_IS_PART (scan->feedback_part)) {
		g_autoptr(GByteArray) body = bounce_part_bytes (GMIME_PART (scan->feedback_part),
								scan->limits->max_status_body);
		arf_parse ((const char *) body->data, body->len, FALSE, &f, scan->limits);
		fill_report (report, scan, &f, type_or_other (&f), "arf");
		found = TRUE;
	} else if (scan->status_part == NULL) {
		/* the field block written into the text, marked by its first field */
		const char *start = bounce_text_line_starting (scan->text->str, scan->text->len, "Feedback-Type:");

		if (start != NULL) {
			arf_parse (start, scan->text->str + scan->text->len - start, TRUE, &f, scan->limits);
			/* one more ARF field besides Feedback-Type, so a quoted line is not enough */
			if (f.feedback_type != NULL && f.nfields >= 2) {
				fill_report (report, scan, &f, f.feedback_type, "arf");
				found = TRUE;
			}
		}
	}
	if (!found && scan->status_part == NULL &&
	    (bounce_scan_original_header (scan, "X-HmXmrOriginalRecipient") != NULL ||
	     (scan->original != NULL && bounce_str_has_any (scan->subject, jmrp_subjects)))) {
		/* Microsoft JMRP and similar: the reported message is the whole report */
		fill_report (report, scan, &f, "abuse", "arf");
		found = TRUE;
	}
	if (!found && scan->status_part == NULL) {
		const char *unsub = bounce_scan_header (scan, "X-Apple-Unsubscribe");	/* borrowed */
		g_autofree char *from = NULL;

		while (unsub != NULL && (*unsub == ' ' || *unsub == '\t'))
			unsub++;
		if (unsub != NULL && g_ascii_strncasecmp (unsub, "true", 4) == 0)
			from = bounce_text_address (scan->from, strlen (scan->from), NULL);
		if (from != NULL) {
			BounceRecipient *r = bounce_report_add_recipient (report, from);	/* borrowed */
			bounce_set (&r->feedback_type, "opt-out");
			bounce_set (&r->reason, "feedback");
			bounce_set (&r->diagnostic, scan->subject);
			report->kind = BOUNCE_KIND_FEEDBACK;
			bounce_report_set_detector (report, "arf");
			found = TRUE;
		}
	}
	arf_fields_clear (&f);
	return found;
}
