/* urun-features.h: the runtime-spec "features" document: what this build of
 * urun supports, on this kernel.
 *
 * Zone: host side (GLib).  Built from the same tables that validation uses,
 * so it cannot claim what the config parser rejects.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The features object (transfer full). */
JsonNode *urun_features_build (void);

G_END_DECLS
