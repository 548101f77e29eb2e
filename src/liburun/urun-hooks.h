/* urun-hooks.h: running the OCI hooks that belong to the runtime's own
 * namespaces: prestart, createRuntime, poststart and poststop.
 *
 * Zone: host side (GLib).  (createContainer and startContainer run inside
 * the container, by init: see urun-init.c.)
 */
#pragma once

#include <glib.h>

#include "urun-spec.h"

G_BEGIN_DECLS

/* Runs @hooks in order, each with @state_json on its stdin, its own args and
 * env, and its timeout.  Stops at the first hook that fails (non-zero exit,
 * a signal, a timeout, or no such program), with an error naming @kind and
 * the hook's path. */
gboolean urun_hooks_run (const char *kind, const UrunSpecHook *hooks, gsize n_hooks,
                         const char *state_json, GError **error);

G_END_DECLS
