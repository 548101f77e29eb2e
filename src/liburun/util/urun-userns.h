/* urun-userns.h: which user namespace urun itself runs in.
 *
 * Zone: host side (GLib).  "Rootless" in urun means: an unprivileged user,
 * or euid 0 inside a user namespace other than the initial one, as under
 * rootless podman, which calls urun from inside its own namespace.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the calling process is in the initial user namespace. */
gboolean urun_userns_is_initial (void);

/* TRUE when urun runs without privilege over the host. */
gboolean urun_userns_caller_is_rootless (void);

G_END_DECLS
