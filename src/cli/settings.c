/*
 * cli/settings.c - the configuration file (GKeyFile)
 *
 * DESCRIPTION	See settings.h.  Every key is a row of one table (group,
 *		key, type, where it goes); [policy] expire.REASON=DAYS is
 *		the one family of keys read outside the table.  Sizes take
 *		an optional K, M or G suffix (powers of 1024).
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "cli/settings.h"
#include "pipeline/verp.h"

typedef enum {
	KEY_STRING,		/* char * */
	KEY_PATH,		/* char *, ~/ expanded */
	KEY_BOOL,		/* gboolean */
	KEY_UINT,		/* guint, 0..max */
	KEY_SIZE,		/* gsize with K/M/G */
	KEY_HOOK_ON,		/* BounceHookOn */
	KEY_FORMAT,		/* char *: jsonl json text none */
	KEY_SEPARATORS,		/* char *: checked by bounce_verp_syntax_parse */
} KeyType;

static const struct key {
	const char *group, *name;
	KeyType     type;
	gsize       offset;
	guint       max;		/* KEY_UINT: largest value; KEY_SIZE: 0 */
} keys[] = {
	{ "store",  "uri",			KEY_STRING,	offsetof (BounceConfig, store_uri), 0 },
	{ "store",  "timeout_ms",		KEY_UINT,	offsetof (BounceConfig, store_timeout_ms), 3600000 },
	{ "policy", "soft_threshold",		KEY_UINT,	offsetof (BounceConfig, policy.soft_threshold), 1000 },
	{ "policy", "soft_window_days",		KEY_UINT,	offsetof (BounceConfig, policy.soft_window_days), 36500 },
	{ "policy", "quiet_reset_days",		KEY_UINT,	offsetof (BounceConfig, policy.quiet_reset_days), 36500 },
	{ "policy", "expire_hard_days",		KEY_UINT,	offsetof (BounceConfig, policy.expire_hard_days), 36500 },
	{ "policy", "expire_complaint_days",	KEY_UINT,	offsetof (BounceConfig, policy.expire_complaint_days), 36500 },
	{ "policy", "expire_soft_days",		KEY_UINT,	offsetof (BounceConfig, policy.expire_soft_days), 36500 },
	{ "verp",   "key_file",			KEY_PATH,	offsetof (BounceConfig, verp_key_file), 0 },
	{ "verp",   "separators",		KEY_SEPARATORS,	offsetof (BounceConfig, verp_separators), 0 },
	{ "verp",   "require_signature",	KEY_BOOL,	offsetof (BounceConfig, verp_require_signature), 0 },
	{ "verp",   "max_age_days",		KEY_UINT,	offsetof (BounceConfig, verp_max_age_days), 36500 },
	{ "verp",   "return_path",		KEY_STRING,	offsetof (BounceConfig, verp_return_path), 0 },
	{ "hook",   "exec",			KEY_STRING,	offsetof (BounceConfig, hook_exec), 0 },
	{ "hook",   "on",			KEY_HOOK_ON,	offsetof (BounceConfig, hook_on), 0 },
	{ "hook",   "timeout",			KEY_UINT,	offsetof (BounceConfig, hook_timeout), 86400 },
	{ "output", "format",			KEY_FORMAT,	offsetof (BounceConfig, output_format), 0 },
	{ "output", "terse",			KEY_BOOL,	offsetof (BounceConfig, output_terse), 0 },
	{ "output", "all",			KEY_BOOL,	offsetof (BounceConfig, output_all), 0 },
	{ "output", "file",			KEY_PATH,	offsetof (BounceConfig, output_file), 0 },
	{ "output", "quarantine",		KEY_PATH,	offsetof (BounceConfig, quarantine), 0 },
	{ "limits", "max_message_bytes",	KEY_SIZE,	offsetof (BounceConfig, limits.max_message), 0 },
	{ "limits", "max_text_bytes",		KEY_SIZE,	offsetof (BounceConfig, limits.max_text), 0 },
	{ "limits", "max_status_body_bytes",	KEY_SIZE,	offsetof (BounceConfig, limits.max_status_body), 0 },
	{ "limits", "max_field_bytes",		KEY_SIZE,	offsetof (BounceConfig, limits.max_field), 0 },
	{ "limits", "max_depth",		KEY_UINT,	offsetof (BounceConfig, limits.max_depth), 1024 },
	{ "limits", "max_parts",		KEY_UINT,	offsetof (BounceConfig, limits.max_parts), 100000 },
	{ "limits", "max_recipients",		KEY_UINT,	offsetof (BounceConfig, limits.max_recipients), 1000000 },
};

#define MAX_SIZE ((guint64) 4 << 30)	/* 4 GiB: larger is a typo */

BounceConfig *
bounce_config_new (void)
{
	BounceConfig *cfg = g_new0 (BounceConfig, 1);

	cfg->loaded = g_ptr_array_new_with_free_func (g_free);
	bounce_policy_init (&cfg->policy);
	cfg->verp_max_age_days = BOUNCE_VERP_MAX_AGE_DEFAULT;
	cfg->hook_on = BOUNCE_HOOK_ON_SUPPRESS;
	cfg->hook_timeout = 30;
	cfg->limits = bounce_limits_default;
	return cfg;
}

void
bounce_config_free (BounceConfig *cfg)
{
	if (cfg == NULL)
		return;
	for (gsize i = 0; i < G_N_ELEMENTS (keys); i++) {
		KeyType t = keys[i].type;
		if (t == KEY_STRING || t == KEY_PATH || t == KEY_FORMAT || t == KEY_SEPARATORS)
			g_free (G_STRUCT_MEMBER (char *, cfg, keys[i].offset));
	}
	g_ptr_array_unref (cfg->loaded);
	g_free (cfg);
}

gboolean
bounce_config_parse_hook_on (const char *text, BounceHookOn *on, GError **error)
{
	if (g_strcmp0 (text, "suppress") == 0)
		*on = BOUNCE_HOOK_ON_SUPPRESS;
	else if (g_strcmp0 (text, "event") == 0)
		*on = BOUNCE_HOOK_ON_EVENT;
	else {
		g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			     "\"%s\": want event or suppress", text ? text : "");
		return FALSE;
	}
	return TRUE;
}

static gboolean
parse_uint (const char *text, guint64 max, guint64 *out, gboolean size)
{
	g_autofree char *copy = g_strstrip (g_strdup (text));
	gsize len = strlen (copy);
	guint64 mult = 1;

	if (size && len > 1) {
		switch (g_ascii_toupper (copy[len - 1])) {
		case 'K': mult = 1024; break;
		case 'M': mult = 1024 * 1024; break;
		case 'G': mult = 1024 * 1024 * 1024; break;
		default: break;
		}
		if (mult > 1)
			copy[len - 1] = '\0';
	}
	if (!g_ascii_string_to_unsigned (copy, 10, 0, max / mult, out, NULL))
		return FALSE;
	*out *= mult;
	return TRUE;
}

static gboolean
bad_value (GError **error, const char *file, const char *group, const char *key,
	   const char *value, const char *want)
{
	g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		     "%s: [%s] %s = \"%s\": %s", file, group, key, value, want);
	return FALSE;
}

static gboolean
set_key (BounceConfig *cfg, const struct key *k, const char *value, const char *file,
	 GError **error)
{
	gpointer where = G_STRUCT_MEMBER_P (cfg, k->offset);
	guint64 n;

	switch (k->type) {
	case KEY_STRING:
	case KEY_PATH:
	case KEY_FORMAT:
	case KEY_SEPARATORS:
		if (k->type == KEY_FORMAT && g_strcmp0 (value, "jsonl") != 0 &&
		    g_strcmp0 (value, "json") != 0 && g_strcmp0 (value, "text") != 0 &&
		    g_strcmp0 (value, "none") != 0)
			return bad_value (error, file, k->group, k->name, value, "want jsonl, json, text or none");
		if (k->type == KEY_SEPARATORS) {
			BounceVerpSyntax syntax;
			g_autoptr(GError) local = NULL;
			if (!bounce_verp_syntax_parse (&syntax, value, &local))
				return bad_value (error, file, k->group, k->name, value, local->message);
		}
		g_free (*(char **) where);
		if (k->type == KEY_PATH && g_str_has_prefix (value, "~/"))
			*(char **) where = g_build_filename (g_get_home_dir (), value + 2, NULL);
		else
			*(char **) where = g_strdup (value);
		return TRUE;
	case KEY_BOOL:
		if (g_ascii_strcasecmp (value, "true") == 0 || g_ascii_strcasecmp (value, "yes") == 0 ||
		    strcmp (value, "1") == 0)
			*(gboolean *) where = TRUE;
		else if (g_ascii_strcasecmp (value, "false") == 0 || g_ascii_strcasecmp (value, "no") == 0 ||
			 strcmp (value, "0") == 0)
			*(gboolean *) where = FALSE;
		else
			return bad_value (error, file, k->group, k->name, value, "want true or false");
		return TRUE;
	case KEY_UINT:
		if (!parse_uint (value, k->max, &n, FALSE)) {
			g_autofree char *want = g_strdup_printf ("want a whole number from 0 to %u", k->max);
			return bad_value (error, file, k->group, k->name, value, want);
		}
		*(guint *) where = (guint) n;
		return TRUE;
	case KEY_SIZE:
		if (!parse_uint (value, MAX_SIZE, &n, TRUE) || n == 0)
			return bad_value (error, file, k->group, k->name, value,
					  "want a size in bytes (K, M, G suffixes), 1 to 4G");
		*(gsize *) where = (gsize) n;
		return TRUE;
	case KEY_HOOK_ON:
		if (!bounce_config_parse_hook_on (value, (BounceHookOn *) where, NULL))
			return bad_value (error, file, k->group, k->name, value, "want event or suppress");
		return TRUE;
	default:
		g_assert_not_reached ();
	}
}

static const struct key *
find_key (const char *group, const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
		if (strcmp (keys[i].group, group) == 0 && strcmp (keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static gboolean
known_group (const char *group)
{
	for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
		if (strcmp (keys[i].group, group) == 0)
			return TRUE;
	return FALSE;
}

gboolean
bounce_config_load_data (BounceConfig *cfg, const char *data, const char *name, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new ();
	g_autoptr(GError) local = NULL;
	g_auto(GStrv) groups = NULL;

	if (!g_key_file_load_from_data (kf, data, -1, G_KEY_FILE_NONE, &local)) {
		g_set_error (error, local->domain, local->code, "%s: %s", name, local->message);
		return FALSE;
	}
	groups = g_key_file_get_groups (kf, NULL);
	for (char **g = groups; *g; g++) {
		g_auto(GStrv) names = NULL;

		if (!known_group (*g)) {
			g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
				     "%s: unknown group [%s] (store, policy, verp, hook, output, limits)",
				     name, *g);
			return FALSE;
		}
		names = g_key_file_get_keys (kf, *g, NULL, NULL);
		for (char **k = names; names && *k; k++) {
			g_autofree char *value = g_key_file_get_value (kf, *g, *k, NULL);
			const struct key *row = find_key (*g, *k);

			g_strstrip (value);
			if (row != NULL) {
				if (!set_key (cfg, row, value, name, error))
					return FALSE;
			} else if (strcmp (*g, "policy") == 0 && g_str_has_prefix (*k, "expire.")) {
				guint64 days;

				if (!parse_uint (value, 36500, &days, FALSE))
					return bad_value (error, name, *g, *k, value,
							  "want a number of days (0 = never)");
				if (!bounce_policy_set_expiry (&cfg->policy, *k + strlen ("expire."), (guint) days))
					return bad_value (error, name, *g, *k, value,
							  "reason name too long, or too many expire. keys");
			} else {
				g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
					     "%s: unknown key \"%s\" in [%s]", name, *k, *g);
				return FALSE;
			}
		}
	}
	g_ptr_array_add (cfg->loaded, g_strdup (name));
	return TRUE;
}

gboolean
bounce_config_load (BounceConfig *cfg, const char *path, GError **error)
{
	g_autofree char *data = NULL;
	g_autoptr(GError) local = NULL;

	if (!g_file_get_contents (path, &data, NULL, &local)) {
		g_set_error (error, local->domain, local->code, "configuration: %s", local->message);
		return FALSE;
	}
	return bounce_config_load_data (cfg, data, path, error);
}

gboolean
bounce_config_load_defaults (BounceConfig *cfg, GError **error)
{
	g_autofree char *user = g_build_filename (g_get_user_config_dir (), "bouncefilter", "config", NULL);
	const char *paths[] = { BOUNCE_CONFIG_SYSTEM_PATH, user };

	for (gsize i = 0; i < G_N_ELEMENTS (paths); i++) {
		if (!g_file_test (paths[i], G_FILE_TEST_EXISTS))
			continue;
		if (!bounce_config_load (cfg, paths[i], error))
			return FALSE;
	}
	return TRUE;
}
