/*
 * dsn/fields.c - parse the field groups of a message/delivery-status body
 *
 * DESCRIPTION	See fields.h.  The body is read line by line once; a field
 *		is collected with its continuation lines, then applied to the
 *		current group.  A new recipient starts at a blank line after a
 *		recipient field, or when a second Final-Recipient (or an
 *		Original-Recipient after a complete one) appears in the same
 *		group.
 * LIMITS	See fields.h.
 */
#include "config.h"

#include <string.h>

#include "dsn/fields.h"
#include "dsn/status.h"

const char *
bounce_dsn_strip_type (const char *value)
{
	const char *semi = strchr (value, ';');

	/* an address or diagnostic type is an atom: letters, digits, '-' */
	if (semi != NULL) {
		const char *p = value;
		while (p < semi && (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == ' '))
			p++;
		if (p == semi) {
			value = semi + 1;
		}
	}
	while (*value == ' ' || *value == '\t')
		value++;
	return value;
}

static int
hexval (char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = g_ascii_tolower (c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

char *
bounce_dsn_address (const char *value)
{
	const char *p = bounce_dsn_strip_type (value);
	GString *out = g_string_new (NULL);
	char *valid;

	while (*p == '<' || *p == '"' || *p == ' ')
		p++;
	for (; *p; p++) {
		if (*p == '+' && hexval (p[1]) >= 0 && hexval (p[2]) >= 0) {
			g_string_append_c (out, (char) (hexval (p[1]) * 16 + hexval (p[2])));
			p += 2;
		} else if (p[0] == '\\' && p[1] == 'x' && p[2] == '{') {
			gunichar c = 0;
			const char *q = p + 3;
			int n = 0;
			while (hexval (*q) >= 0 && n < 6) {
				c = c * 16 + hexval (*q++);
				n++;
			}
			if (*q == '}' && n > 0 && g_unichar_validate (c)) {
				g_string_append_unichar (out, c);
				p = q;
			} else {
				g_string_append_c (out, *p);
			}
		} else if (*p == '>' || *p == '"' || *p == ' ' || *p == '\t') {
			break;
		} else {
			g_string_append_c (out, *p);
		}
	}
	valid = g_utf8_make_valid (out->str, out->len);
	g_string_free (out, TRUE);
	return valid;
}

typedef struct {
	BounceReport *report;
	const BounceLimits *limits;
	BounceRecipient *current;	/* borrowed; NULL between groups */
	gboolean seen_final;		/* current has a Final-Recipient */
	gboolean seen_action;
	char *pending_original;		/* Original-Recipient before its Final-Recipient */
	guint added;
} DsnState;

static BounceRecipient *
start_recipient (DsnState *st)
{
	if (st->report->recipients->len >= st->limits->max_recipients) {
		st->report->anomalies |= BOUNCE_ANOMALY_TOO_MANY_RCPTS;
		return NULL;
	}
	st->current = bounce_report_add_recipient (st->report, "");
	st->seen_final = FALSE;
	st->seen_action = FALSE;
	st->added++;
	return st->current;
}

static void
end_group (DsnState *st)
{
	st->current = NULL;
	g_clear_pointer (&st->pending_original, g_free);
}

static void
apply_field (DsnState *st, const char *name, const char *value)
{
	BounceReport *report = st->report;
	BounceRecipient *r;

	if (g_ascii_strcasecmp (name, "Reporting-MTA") == 0) {
		if (*report->reporting_mta == '\0')
			bounce_set (&report->reporting_mta, bounce_dsn_strip_type (value));
		return;
	}
	if (g_ascii_strcasecmp (name, "Arrival-Date") == 0) {
		bounce_set (&report->arrival_date, value);
		return;
	}
	if (g_ascii_strcasecmp (name, "Original-Recipient") == 0) {
		g_autofree char *addr = bounce_dsn_address (value);
		if (st->current != NULL && st->seen_final && st->seen_action)
			end_group (st);
		if (st->current == NULL) {
			g_free (st->pending_original);
			st->pending_original = g_steal_pointer (&addr);
		} else {
			bounce_set (&st->current->original_recipient, addr);
		}
		return;
	}
	if (g_ascii_strcasecmp (name, "Final-Recipient") == 0 ||
	    g_ascii_strcasecmp (name, "X-Actual-Recipient") == 0) {
		g_autofree char *addr = bounce_dsn_address (value);
		gboolean actual = name[0] == 'X' || name[0] == 'x';

		if (actual) {
			/* Sendmail's alias expansion: keep Final-Recipient */
			if (st->current != NULL && *st->current->recipient == '\0')
				bounce_set (&st->current->recipient, addr);
			return;
		}
		if (st->current != NULL && st->seen_final)
			end_group (st);
		if (st->current == NULL) {
			char *orig = g_steal_pointer (&st->pending_original);
			if (start_recipient (st) == NULL) {
				g_free (orig);
				return;
			}
			if (orig != NULL) {
				bounce_set (&st->current->original_recipient, orig);
				g_free (orig);
			}
		}
		bounce_set (&st->current->recipient, addr);
		st->seen_final = TRUE;
		return;
	}
	r = st->current;
	if (r == NULL)
		return;
	if (g_ascii_strcasecmp (name, "Action") == 0) {
		g_autofree char *lower = g_ascii_strdown (value, -1);
		char *sp = strpbrk (lower, " \t(;");
		if (sp)
			*sp = '\0';
		bounce_set (&r->action, lower);
		st->seen_action = TRUE;
	} else if (g_ascii_strcasecmp (name, "Status") == 0) {
		const char *v = value;
		gsize n;
		while (*v == ' ')
			v++;
		if ((n = bounce_status_valid (v)) > 0 && n < sizeof r->status) {
			memcpy (r->status, v, n);
			r->status[n] = '\0';
		}
	} else if (g_ascii_strcasecmp (name, "Diagnostic-Code") == 0) {
		bounce_set (&r->diagnostic, bounce_dsn_strip_type (value));
	} else if (g_ascii_strcasecmp (name, "Remote-MTA") == 0) {
		g_autofree char *mta = g_ascii_strdown (bounce_dsn_strip_type (value), -1);
		bounce_set (&r->remote_mta, mta);
	} else if (g_ascii_strcasecmp (name, "Last-Attempt-Date") == 0) {
		bounce_set (&r->last_attempt, value);
	}
}

/* Apply one unfolded "Name: value" line. */
static void
apply_line (DsnState *st, GString *line)
{
	char *colon;
	char *name, *value;

	if (line->len == 0)
		return;
	colon = memchr (line->str, ':', line->len);
	if (colon == NULL || colon == line->str)
		return;
	*colon = '\0';
	name = g_strstrip (line->str);
	value = g_strstrip (colon + 1);
	if (strlen (name) > 64)
		return;
	apply_field (st, name, value);
}

guint
bounce_dsn_parse (const char *body, gsize len, gboolean global,
		  BounceReport *report, const BounceLimits *limits)
{
	DsnState st = { report, limits, NULL, FALSE, FALSE, NULL, 0 };
	g_autoptr(GString) field = g_string_new (NULL);
	const char *p = body, *end;

	(void) global;	/* RFC 6533 values are UTF-8; bounce_set keeps them valid */
	if (body == NULL || len == 0)
		return 0;	/* an empty part */
	if (len > limits->max_status_body) {
		len = limits->max_status_body;
		report->anomalies |= BOUNCE_ANOMALY_TRUNCATED;
	}
	end = body + len;
	while (p < end) {
		const char *eol = memchr (p, '\n', end - p);
		const char *next = eol ? eol + 1 : end;
		const char *stop = eol ? eol : end;
		gboolean blank;

		if (stop > p && stop[-1] == '\r')
			stop--;
		blank = TRUE;
		for (const char *q = p; q < stop; q++)
			if (*q != ' ' && *q != '\t') {
				blank = FALSE;
				break;
			}
		if (blank) {
			apply_line (&st, field);
			g_string_truncate (field, 0);
			end_group (&st);
		} else if ((*p == ' ' || *p == '\t') && field->len > 0) {
			if (field->len < limits->max_field) {
				g_string_append_c (field, ' ');
				while (p < stop && (*p == ' ' || *p == '\t'))
					p++;
				g_string_append_len (field, p, MIN ((gsize) (stop - p),
								    limits->max_field - field->len));
			}
		} else {
			apply_line (&st, field);
			g_string_truncate (field, 0);
			g_string_append_len (field, p, MIN ((gsize) (stop - p), limits->max_field));
		}
		p = next;
	}
	apply_line (&st, field);
	end_group (&st);

	/* drop groups that never named a recipient */
	for (guint i = report->recipients->len; i > 0; i--) {
		BounceRecipient *r = g_ptr_array_index (report->recipients, i - 1);	/* borrowed */
		if (*r->recipient == '\0' && *r->original_recipient != '\0')
			bounce_set (&r->recipient, r->original_recipient);
		if (*r->recipient == '\0') {
			g_ptr_array_remove_index (report->recipients, i - 1);
			st.added--;
		}
	}
	return st.added;
}
