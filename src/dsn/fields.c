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
#include "knowledge/classify.h"

const char *
bounce_dsn_strip_type (const char *value)
{
	const char *semi = strchr (value, ';');

	/* an address or diagnostic type is an atom ("smtp", "rfc822", "X-Unix");
	 * tolerated: blanks around it and '/' or '.' inside ("rfc/822") */
	if (semi != NULL) {
		const char *p = value;
		while (*p == ' ' || *p == '\t')
			p++;
		if (g_ascii_isalpha (*p)) {
			while (p < semi && (g_ascii_isalnum (*p) || strchr ("-_/.", *p) != NULL))
				p++;
			while (p < semi && (*p == ' ' || *p == '\t'))
				p++;
			if (p == semi)
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
	gboolean seen_action;		/* ... and an Action after it */
	gboolean replaying;		/* applying fields that came before Final-Recipient */
	char *pending_original;		/* Original-Recipient before its Final-Recipient */
	GPtrArray *pending;		/* name, value, ...: recipient fields before Final-Recipient */
	GPtrArray *local_program;	/* recipients whose Diagnostic-Code is of type x-unix (borrowed) */
	guint added;
} DsnState;

/* At most this many recipient fields wait for their group's Final-Recipient. */
#define PENDING_MAX 32

static void apply_field (DsnState *st, const char *name, const char *value);

/*
 * PowerMTA files every bounce under a category of its own and writes it in
 * X-PowerMTA-BounceCategory; the categories that name one cause are taken as
 * the reason.  "other", "bad-connection", "bad-configuration",
 * "content-related", "protocol-errors" and "routing-errors" cover several
 * causes: the diagnostic decides those.
 */
static const struct {
	const char *category;
	const char *reason;
} powermta_categories[] = {
	{ "bad-mailbox",		"userunknown" },
	{ "bad-domain",			"hostunknown" },
	{ "inactive-mailbox",		"suspend" },
	{ "quota-issues",		"mailboxfull" },
	{ "spam-related",		"spamdetected" },
	{ "virus-related",		"virusdetected" },
	{ "policy-related",		"policyviolation" },
	{ "relaying-issues",		"norelaying" },
	{ "message-expired",		"expired" },
	{ "no-answer-from-host",	"networkerror" },
	{ "invalid-sender",		"rejected" },
};

static const char *
category_reason (const char *value)
{
	gsize n = strcspn (value, " \t;(");

	for (gsize i = 0; i < G_N_ELEMENTS (powermta_categories); i++)
		if (strlen (powermta_categories[i].category) == n &&
		    g_ascii_strncasecmp (value, powermta_categories[i].category, n) == 0)
			return powermta_categories[i].reason;
	return NULL;
}

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
	g_ptr_array_set_size (st->pending, 0);
}

/* The fields of the group that came before its Final-Recipient, applied now. */
static void
replay_pending (DsnState *st)
{
	g_autoptr(GPtrArray) fields = st->pending;

	st->pending = g_ptr_array_new_with_free_func (g_free);
	st->replaying = TRUE;
	for (guint i = 0; i + 1 < fields->len; i += 2)
		apply_field (st, g_ptr_array_index (fields, i), g_ptr_array_index (fields, i + 1));
	st->replaying = FALSE;
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
			bounce_set (&st->current->recipient, addr);
			st->seen_final = TRUE;
			replay_pending (st);
			return;
		}
		bounce_set (&st->current->recipient, addr);
		st->seen_final = TRUE;
		return;
	}
	r = st->current;
	if (r == NULL) {
		/* Action, Status, Diagnostic-Code ... before Final-Recipient (RFC 3464
		 * sets no order): kept until the group names its recipient */
		if (st->pending->len < 2 * PENDING_MAX) {
			g_ptr_array_add (st->pending, g_strdup (name));
			g_ptr_array_add (st->pending, g_strdup (value));
		}
		return;
	}
	if (g_ascii_strcasecmp (name, "Action") == 0) {
		g_autofree char *lower = g_ascii_strdown (value, -1);
		char *sp = strpbrk (lower, " \t(;");
		if (sp)
			*sp = '\0';
		bounce_set (&r->action, lower);
		/* an Action before Final-Recipient does not close the group: an
		 * Original-Recipient may still follow ("Action, Final-, Original-") */
		if (!st->replaying)
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
		const char *text = bounce_dsn_strip_type (value);
		bounce_set (&r->diagnostic, text);
		/* "x-unix;": the words of a local delivery program (Postfix
		 * local(8)/pipe(8)), not of an SMTP server */
		if (text != value && g_ascii_strncasecmp (value, "x-unix", 6) == 0 &&
		    !g_ptr_array_find (st->local_program, r, NULL))
			g_ptr_array_add (st->local_program, r);
	} else if (g_ascii_strcasecmp (name, "Remote-MTA") == 0) {
		g_autofree char *mta = g_ascii_strdown (bounce_dsn_strip_type (value), -1);
		bounce_set (&r->remote_mta, mta);
	} else if (g_ascii_strcasecmp (name, "Last-Attempt-Date") == 0) {
		bounce_set (&r->last_attempt, value);
	} else if (g_ascii_strcasecmp (name, "X-PowerMTA-BounceCategory") == 0) {
		const char *reason = category_reason (value);
		if (reason != NULL)
			bounce_set (&r->reason, reason);
	}
}

/*
 * A local delivery program's message that names no cause the classifier
 * knows ("temporary failure") is the program's failure: "mailererror".
 * One that does ("Disk quota exceeded", "No such user") is left to the
 * classifier, and so is a bare exit code ("77"), which says nothing.
 */
static void
local_program_reason (BounceRecipient *r)
{
	g_autoptr(BounceRecipient) probe = NULL;
	gboolean words = FALSE;

	if (*r->reason != '\0')
		return;
	for (const char *p = r->diagnostic; *p != '\0' && !words; p++)
		words = g_ascii_isalpha (p[0]) && g_ascii_isalpha (p[1]) && g_ascii_isalpha (p[2]);
	if (!words)
		return;
	probe = bounce_recipient_new (r->recipient);
	bounce_set (&probe->diagnostic, r->diagnostic);
	bounce_set (&probe->action, r->action);
	bounce_recipient_set_status (probe, r->status);
	bounce_classify_recipient (probe, BOUNCE_KIND_BOUNCE);
	if (!g_str_has_prefix (probe->reason_source, "phrase:"))
		bounce_set (&r->reason, "mailererror");
}

/* TRUE when line[0..len) starts a "Name: value" field: a name of letters,
 * digits, '-' and '_' (blanks before the colon tolerated, "Status : 5.0.0"). */
static gboolean
starts_field (const char *line, gsize len)
{
	gsize i = 0;

	while (i < len && (g_ascii_isalnum (line[i]) || line[i] == '-' || line[i] == '_'))
		i++;
	if (i == 0 || i > 64)
		return FALSE;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i < len && line[i] == ':';
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
	DsnState st = { report, limits, NULL, FALSE, FALSE, FALSE, NULL, NULL, NULL, 0 };
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
	st.pending = g_ptr_array_new_with_free_func (g_free);
	st.local_program = g_ptr_array_new ();
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
		} else if (stop - p >= 2 && p[0] == '-' && p[1] == '-') {
			/* a MIME boundary of a mangled message: no field, no continuation */
			apply_line (&st, field);
			g_string_truncate (field, 0);
		} else if (field->len > 0 && (*p == ' ' || *p == '\t' || !starts_field (p, stop - p))) {
			/* a folded line; also an unindented line that is no field,
			 * as in a multi-line reply pasted as is ("550-...\n550 ...") */
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
	g_ptr_array_free (st.pending, TRUE);
	for (guint i = 0; i < st.local_program->len; i++)
		local_program_reason (g_ptr_array_index (st.local_program, i));
	g_ptr_array_free (st.local_program, TRUE);

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
