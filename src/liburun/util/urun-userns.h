/* urun-userns.h: which user namespace urun itself runs in.
 *
 * Zone: host side (GLib).  Asked once per command, by the runtime context
 * (container/urun-runtime.c), which decides from it and the euid whether
 * urun is privileged: euid 0 in the initial user namespace, not euid 0
 * inside another one, as under rootless podman, which calls urun from
 * inside its own namespace.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the calling process is in the initial user namespace. */
gboolean urun_userns_is_initial (void);

G_END_DECLS
