/*
 * bounds.h - bounds on the work done for one message
 *
 * DESCRIPTION	Every parser and detector reads within these bounds, so that
 *		time and memory stay bounded on hostile input.  Past a limit
 *		the part is skipped or the text truncated and an anomaly bit
 *		set on the report; it is never an error.
 */
#ifndef BOUNCE_BOUNDS_H
#define BOUNCE_BOUNDS_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	gsize max_message;	/* bytes of one message read; the rest is dropped */
	gsize max_text;		/* bytes of decoded human-readable text kept */
	gsize max_status_body;	/* bytes of a delivery-status part parsed */
	gsize max_field;	/* bytes of one delivery-status field value */
	guint max_depth;	/* MIME nesting walked */
	guint max_parts;	/* MIME parts walked */
	guint max_recipients;	/* recipients kept per message */
} BounceLimits;

extern const BounceLimits bounce_limits_default;

G_END_DECLS

#endif
