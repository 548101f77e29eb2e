/* urun-id.h: validation of container ids.
 *
 * Zone: host side (GLib).  An id names a directory under the state root, so
 * it must never escape that root or hide from a listing.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest id accepted, in bytes. */
#define URUN_ID_MAX_LENGTH 1024

/* Checks that @id can name a container: not empty, not "." or "..", only
 * ASCII letters, digits and `_+-.` (as runc), no leading '.', at most
 * URUN_ID_MAX_LENGTH bytes.
 * Fails with URUN_ERROR_INVALID_ARGUMENT and a message naming the id and the
 * rule it breaks. */
gboolean urun_id_validate (const char *id, GError **error);

G_END_DECLS
