/*
 * heuristics/signals.h - cheap tests: does a message present itself as a bounce?
 *
 * SYNOPSIS	gboolean bounce_signal_from (const char *from);
 *		gboolean bounce_signal_subject (const char *subject);
 *		gboolean bounce_signal_text (const char *text, gsize len);
 *		gboolean bounce_signal_null_sender (const BounceScan *scan);
 * DESCRIPTION	The signals the auto-reply detector uses to refuse a bounce
 *		(many MTAs mark bounces "Auto-Submitted: auto-replied") and
 *		the generic fallback uses to accept one: a bounce sender
 *		(MAILER-DAEMON, postmaster, "Mail Delivery ..."), a bounce
 *		subject in several languages ("Undeliverable", "Returned
 *		mail", "Unzustellbar", "Non remis", ...), phrases only a
 *		non-delivery notice writes, and the null reverse path.
 *		Each test is a fixed table of case-insensitive needles: time
 *		linear in the input.
 */
#ifndef BOUNCE_SIGNALS_H
#define BOUNCE_SIGNALS_H

#include "heuristics/detector.h"

G_BEGIN_DECLS

gboolean bounce_signal_from (const char *from);
gboolean bounce_signal_subject (const char *subject);
/* Phrases that state a delivery failed (not merely that a message is automatic). */
gboolean bounce_signal_text (const char *text, gsize len);
/* Return-Path: <> at the top level. */
gboolean bounce_signal_null_sender (const BounceScan *scan);

G_END_DECLS

#endif
