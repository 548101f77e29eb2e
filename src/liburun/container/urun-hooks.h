/* urun-hooks.h: running the OCI hooks that belong to the runtime's own
 * namespaces: prestart, createRuntime, poststart and poststop.
 *
 * Zone: host side (GLib).  (createContainer and startContainer run inside
 * the container, by init: see urun-init.c.)
 *
 * The status on a hook's stdin: prestart, createRuntime and createContainer
 * get "creating".  runtime.md defines "created" as "the runtime has
 * finished the create operation", and these hooks are steps of that
 * operation (a failing one fails create); runc passes "creating" too.
 * startContainer, which runs once create has finished, gets "created"
 * (as with runc); poststart gets "running", poststop "stopped".
 */
#pragma once

#include <glib.h>

#include "spec/urun-spec.h"

G_BEGIN_DECLS

/* Runs @hooks in order, each with @state_json on its stdin, its own args and
 * env, and its timeout.  Stops at the first hook that fails (non-zero exit,
 * a signal, a timeout, or no such program), with an error naming @kind and
 * the hook's path. */
gboolean urun_hooks_run (const char *kind, const UrunSpecHook *hooks, gsize n_hooks,
                         const char *state_json, GError **error);

/* Runs every hook of @hooks, the same way, whatever the others did: a hook
 * that fails adds one line to @warnings naming hooks.@kind[i] and the
 * failure.  For poststart and poststop, whose failures the spec makes
 * warnings that do not stop "the remaining hooks and lifecycle". */
void urun_hooks_run_all (const char *kind, const UrunSpecHook *hooks, gsize n_hooks,
                         const char *state_json, GPtrArray *warnings);

G_END_DECLS
