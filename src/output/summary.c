/*
 * output/summary.c - totals over a batch run
 *
 * DESCRIPTION	See summary.h.  Each dimension is a GHashTable from key to
 *		count; rendering sorts by count (then key, for stable output).
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "output/render.h"
#include "output/summary.h"

#define TOP 10

enum { BY_REASON, BY_FAULT, BY_DOMAIN, BY_STATUS, BY_REMOTE, BY_KIND, N_DIMS };

static const char *const dim_names[N_DIMS] = {
	"reason", "fault", "domain", "status", "remote_mta", "kind",
};

struct BounceSummary {
	guint64     messages;
	guint64     recipients;
	guint64     hard;
	GHashTable *dims[N_DIMS];	/* char * → guint64 count (in the pointer) */
};

BounceSummary *
bounce_summary_new (void)
{
	BounceSummary *s = g_new0 (BounceSummary, 1);

	for (int i = 0; i < N_DIMS; i++)
		s->dims[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	return s;
}

void
bounce_summary_free (BounceSummary *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < N_DIMS; i++)
		g_hash_table_unref (s->dims[i]);
	g_free (s);
}

/* Add N to the count of KEY (already lower case); takes KEY. */
static void
add_count (GHashTable *table, char *key, guint64 n)
{
	gpointer old = g_hash_table_lookup (table, key);

	g_hash_table_replace (table, key, GSIZE_TO_POINTER (GPOINTER_TO_SIZE (old) + n));
}

static void
count (GHashTable *table, const char *key)
{
	if (key == NULL || *key == '\0')
		key = "-";
	add_count (table, g_utf8_strdown (key, -1), 1);
}

void
bounce_summary_add_message (BounceSummary *s)
{
	s->messages++;
}

void
bounce_summary_add (BounceSummary *s, const BounceReport *report, gboolean all)
{
	for (guint i = 0; i < report->recipients->len; i++) {
		const BounceRecipient *r = g_ptr_array_index (report->recipients, i);	/* borrowed */
		const char *at = strrchr (r->recipient, '@');

		if (!bounce_recipient_printed (report, r, all))
			continue;
		s->recipients++;
		if (r->hard_bounce)
			s->hard++;
		count (s->dims[BY_REASON], r->reason);
		count (s->dims[BY_FAULT], r->fault);
		count (s->dims[BY_DOMAIN], at ? at + 1 : "");
		count (s->dims[BY_STATUS], r->status);
		count (s->dims[BY_REMOTE], r->remote_mta);
		count (s->dims[BY_KIND], bounce_kind_name (report->kind));
	}
}

#define SUMMARY_VARIANT_TYPE "(tta(yst))"

GVariant *
bounce_summary_to_variant (const BounceSummary *s)
{
	GVariantBuilder counts;

	g_variant_builder_init (&counts, G_VARIANT_TYPE ("a(yst)"));
	for (int d = 0; d < N_DIMS; d++) {
		GHashTableIter it;
		gpointer k, v;

		g_hash_table_iter_init (&it, s->dims[d]);
		while (g_hash_table_iter_next (&it, &k, &v))
			g_variant_builder_add (&counts, "(yst)", (guint8) d, (const char *) k,
					       (guint64) GPOINTER_TO_SIZE (v));
	}
	return g_variant_ref_sink (g_variant_new ("(tt@a(yst))", (guint64) s->recipients,
						  (guint64) s->hard, g_variant_builder_end (&counts)));
}

gboolean
bounce_summary_merge_bytes (BounceSummary *s, const guint8 *data, gsize len)
{
	g_autoptr(GBytes) bytes = g_bytes_new (data, len);
	g_autoptr(GVariant) v = g_variant_ref_sink (g_variant_new_from_bytes (
		G_VARIANT_TYPE (SUMMARY_VARIANT_TYPE), bytes, FALSE));
	g_autoptr(GVariantIter) counts = NULL;
	guint64 recipients, hard, n;
	guint8 d;
	const char *key;

	if (!g_variant_is_normal_form (v))
		return FALSE;
	g_variant_get (v, SUMMARY_VARIANT_TYPE, &recipients, &hard, &counts);
	s->recipients += recipients;
	s->hard += hard;
	while (g_variant_iter_next (counts, "(y&st)", &d, &key, &n))
		if (d < N_DIMS)
			add_count (s->dims[d], g_strdup (key), n);
	return TRUE;
}

typedef struct {
	const char *key;
	guint64 n;
} Row;

static gint
by_count (gconstpointer a, gconstpointer b)
{
	const Row *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp (x->key, y->key);
}

static GArray *
sorted_rows (GHashTable *table)
{
	GArray *rows = g_array_new (FALSE, FALSE, sizeof (Row));
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init (&it, table);
	while (g_hash_table_iter_next (&it, &k, &v)) {
		Row row = { k, GPOINTER_TO_SIZE (v) };
		g_array_append_val (rows, row);
	}
	g_array_sort (rows, by_count);
	return rows;
}

void
bounce_summary_render (const BounceSummary *s, gboolean json, GString *out)
{
	if (json) {
		g_autoptr(JsonBuilder) b = json_builder_new ();
		g_autoptr(JsonGenerator) gen = json_generator_new ();
		g_autoptr(JsonNode) root = NULL;
		g_autofree char *text = NULL;

		json_builder_begin_object (b);
		json_builder_set_member_name (b, "messages");
		json_builder_add_int_value (b, s->messages);
		json_builder_set_member_name (b, "recipients");
		json_builder_add_int_value (b, s->recipients);
		json_builder_set_member_name (b, "hard_bounces");
		json_builder_add_int_value (b, s->hard);
		for (int d = 0; d < N_DIMS; d++) {
			g_autoptr(GArray) rows = sorted_rows (s->dims[d]);
			g_autofree char *name = g_strdup_printf ("by_%s", dim_names[d]);

			json_builder_set_member_name (b, name);
			json_builder_begin_object (b);
			for (guint i = 0; i < rows->len; i++) {
				Row *row = &g_array_index (rows, Row, i);
				g_autofree char *clean = bounce_json_clean (row->key);
				if ((d == BY_DOMAIN || d == BY_REMOTE) && i >= TOP)
					break;
				json_builder_set_member_name (b, clean);
				json_builder_add_int_value (b, row->n);
			}
			json_builder_end_object (b);
		}
		json_builder_end_object (b);
		root = json_builder_get_root (b);
		json_generator_set_root (gen, root);
		text = json_generator_to_data (gen, NULL);
		g_string_append (out, text);
		g_string_append_c (out, '\n');
		return;
	}
	g_string_append_printf (out, "%" G_GUINT64_FORMAT " messages, %" G_GUINT64_FORMAT
				" recipients reported, %" G_GUINT64_FORMAT " hard bounces\n",
				s->messages, s->recipients, s->hard);
	for (int d = 0; d < N_DIMS; d++) {
		g_autoptr(GArray) rows = sorted_rows (s->dims[d]);

		if (rows->len == 0)
			continue;
		g_string_append_printf (out, "\nby %s:\n", dim_names[d]);
		for (guint i = 0; i < rows->len && (i < TOP || (d != BY_DOMAIN && d != BY_REMOTE)); i++) {
			Row *row = &g_array_index (rows, Row, i);
			g_autofree char *clean = bounce_json_clean (row->key);
			g_string_append_printf (out, "  %8" G_GUINT64_FORMAT "  %s\n", row->n, clean);
		}
	}
}
