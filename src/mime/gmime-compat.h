/*
 * mime/gmime-compat.h - all GMime version glue in one place
 *
 * DESCRIPTION	GMime 3.2 defines no g_autoptr cleanups; declare them here
 *		once.  Any GMime version test belongs in this file only.
 */
#ifndef BOUNCE_GMIME_COMPAT_H
#define BOUNCE_GMIME_COMPAT_H

#include <gmime/gmime.h>

#if !GLIB_CHECK_VERSION(2, 58, 0)
#error "GLib 2.58 or later is required"
#endif

#ifndef BOUNCE_GMIME_HAS_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeFilter, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeObject, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InternetAddressList, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParserOptions, g_mime_parser_options_free)
#endif

#endif
