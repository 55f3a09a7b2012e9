/*
 * store/pq-load.c - libpq, loaded when a PostgreSQL store is first opened
 *
 * DESCRIPTION	See pq-load.h.  GModule opens libpq once (thread-safe) and
 *		resolves every function the backend uses; a missing symbol
 *		is an error, never a crash later.
 */
#include "config.h"

#include <gmodule.h>

#include "store/pq-load.h"
#include "store/store.h"

#define LIBPQ_SONAME "libpq.so.5"

static BouncePq pq;
static char *load_error;

static gpointer
load (gpointer data)
{
	GModule *module = g_module_open (LIBPQ_SONAME, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
	gpointer symbol;

	(void) data;
	if (module == NULL) {
		load_error = g_strdup_printf ("cannot load %s: %s", LIBPQ_SONAME, g_module_error ());
		return NULL;
	}
#define BOUNCE_PQ_RESOLVE(name) \
	if (!g_module_symbol (module, #name, &symbol) || symbol == NULL) { \
		load_error = g_strdup_printf ("%s has no %s", LIBPQ_SONAME, #name); \
		return NULL; \
	} \
	pq.name = (__typeof__ (&name)) symbol;
	BOUNCE_PQ_FUNCTIONS (BOUNCE_PQ_RESOLVE)
#undef BOUNCE_PQ_RESOLVE
	g_module_make_resident (module);
	return &pq;
}

const BouncePq *
bounce_pq_load (GError **error)
{
	static GOnce once = G_ONCE_INIT;
	const BouncePq *table = g_once (&once, load, NULL);

	if (table == NULL)
		g_set_error (error, BOUNCE_STORE_ERROR, BOUNCE_STORE_ERROR_UNAVAILABLE,
			     "postgresql: %s", load_error);
	return table;
}
