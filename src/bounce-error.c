/*
 * bounce-error.c - the BOUNCE_ERROR GError domain
 */
#include "config.h"

#include "bounce-error.h"

G_DEFINE_QUARK (bounce-error-quark, bounce_error)
