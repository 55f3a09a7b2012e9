/*
 * cli/settings.h - the configuration file (GKeyFile)
 *
 * SYNOPSIS	BounceConfig *bounce_config_new (void);
 *		gboolean bounce_config_load (BounceConfig *cfg, const char *path,
 *					     GError **error);
 *		gboolean bounce_config_load_defaults (BounceConfig *cfg, GError **error);
 * DESCRIPTION	Groups and keys (bouncefilter.conf(5)):
 *		  [store]   uri=, timeout_ms=
 *		  [policy]  soft_threshold=, soft_window_days=, quiet_reset_days=,
 *			    expire_hard_days=, expire_complaint_days=,
 *			    expire_soft_days=, expire.REASON=DAYS
 *		  [verp]    key_file=, separators=, require_signature=,
 *			    max_age_days=, return_path=
 *		  [hook]    exec=, on=event|suppress, timeout=
 *		  [output]  format=, terse=, all=, file=, quarantine=
 *		  [limits]  max_message_bytes=, max_text_bytes=,
 *			    max_status_body_bytes=, max_field_bytes=,
 *			    max_depth=, max_parts=, max_recipients=
 *		bounce_config_load_defaults() reads /etc/bouncefilter.conf,
 *		then $XDG_CONFIG_HOME/bouncefilter/config (default
 *		~/.config/...), each only when it exists; later files
 *		override earlier ones key by key.  Unknown groups and keys,
 *		and values that do not parse, are errors: a typo must not
 *		quietly change what is suppressed.
 *		(Named settings.h: "config.h" is autoconf's.)
 * ERRORS	G_KEY_FILE_ERROR, G_FILE_ERROR; messages name the file and key.
 * OWNERSHIP	Strings in BounceConfig are owned by it; NULL = not set.
 */
#ifndef BOUNCE_CLI_SETTINGS_H
#define BOUNCE_CLI_SETTINGS_H

#include <glib.h>

#include "bounds.h"
#include "store/store.h"

G_BEGIN_DECLS

#define BOUNCE_CONFIG_SYSTEM_PATH "/etc/bouncefilter.conf"

typedef enum {
	BOUNCE_HOOK_ON_SUPPRESS = 0,	/* only for newly suppressed addresses */
	BOUNCE_HOOK_ON_EVENT,		/* for every printed failed recipient */
} BounceHookOn;

typedef struct {
	GPtrArray   *loaded;		/* char *: the files read, in order */
	/* [store] */
	char        *store_uri;
	guint        store_timeout_ms;	/* 0 = the store's default */
	/* [policy] */
	BouncePolicy policy;
	/* [verp] */
	char        *verp_key_file;
	char        *verp_separators;
	gboolean     verp_require_signature;
	guint        verp_max_age_days;
	char        *verp_return_path;
	/* [hook] */
	char        *hook_exec;
	BounceHookOn hook_on;
	guint        hook_timeout;	/* seconds */
	/* [output] */
	char        *output_format;	/* jsonl, json, text, none */
	gboolean     output_terse;
	gboolean     output_all;
	char        *output_file;
	char        *quarantine;
	/* [limits] */
	BounceLimits limits;
} BounceConfig;

BounceConfig *bounce_config_new (void);		/* defaults everywhere */
void          bounce_config_free (BounceConfig *cfg);
gboolean      bounce_config_load (BounceConfig *cfg, const char *path, GError **error);
gboolean      bounce_config_load_data (BounceConfig *cfg, const char *data, const char *name,
				       GError **error);
gboolean      bounce_config_load_defaults (BounceConfig *cfg, GError **error);
/* "event" or "suppress" into *on. */
gboolean      bounce_config_parse_hook_on (const char *text, BounceHookOn *on, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceConfig, bounce_config_free)

G_END_DECLS

#endif
