/*
 * bounce-error.h - the library's one GError domain
 *
 * DESCRIPTION	Library functions return gboolean/NULL plus a GError in this
 *		domain (or GIO/GMime/store domains for I/O).  Only the CLI maps
 *		errors to exit codes (cli/main.c: bounce_exit_code).
 */
#ifndef BOUNCE_ERROR_H
#define BOUNCE_ERROR_H

#include <glib.h>

G_BEGIN_DECLS

#define BOUNCE_ERROR (bounce_error_quark ())
GQuark bounce_error_quark (void);

typedef enum {
	BOUNCE_ERROR_MALFORMED,		/* the input could not be parsed as mail: handled, exit 0 */
	BOUNCE_ERROR_TOO_LARGE,		/* past a configured limit */
	BOUNCE_ERROR_IO,		/* read or write failure: try again later */
	BOUNCE_ERROR_STORE_BUSY,	/* the suppression store is unavailable now */
	BOUNCE_ERROR_USAGE,		/* bad arguments or configuration */
} BounceError;

G_END_DECLS

#endif
