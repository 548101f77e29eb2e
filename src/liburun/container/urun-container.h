/* urun-container.h: the container lifecycle — create, start, run, kill and
 * delete — orchestrated over the spec, the state store, the init plan, the
 * id maps, spawn and hooks.
 *
 * Zone: host side (GLib).  Nothing here prints: warnings meant for the user
 * are appended to a caller's GPtrArray of strings, errors are GErrors.
 */
#pragma once

#include <glib.h>

#include "cgroup/urun-cgroup-types.h"

G_BEGIN_DECLS

typedef enum
{
  URUN_ROOTLESS_AUTO,
  URUN_ROOTLESS_TRUE,
  URUN_ROOTLESS_FALSE,
} UrunRootlessMode;

/* What every lifecycle call needs to know about the runtime itself. */
typedef struct
{
  const char *state_root;        /* NULL: urun_state_default_root() */
  UrunRootlessMode rootless;
  UrunCgroupManager cgroup_manager;
} UrunRuntime;

typedef struct
{
  const char *id;
  const char *bundle;            /* NULL: the current directory */
  const char *pid_file;          /* NULL: none */
  const char *console_socket;    /* NULL: none */
  gboolean no_pivot;
  gboolean no_new_keyring;
  int preserve_fds;
  /* systemd-run style options for the container's scope (urun-cgroup.h);
   * NULL/FALSE: the defaults */
  const char *unit;
  const char *slice;
  const char *description;
  gboolean collect;
  const char *const *properties; /* NAME=VALUE */
} UrunCreateOptions;

/* `create`: sets the container up and leaves init blocked on exec.fifo.
 * Nothing is left behind on failure. */
gboolean urun_container_create (const UrunRuntime *runtime, const UrunCreateOptions *options,
                                GPtrArray *warnings, GError **error);

/* `start`: releases a created container's init, then runs the poststart
 * hooks (a failing one is a warning).  Any other status is an error that
 * names it. */
gboolean urun_container_start (const UrunRuntime *runtime, const char *id, GPtrArray *warnings,
                               GError **error);

/* `run`: create and start.  With @detach it returns once the process runs;
 * otherwise it forwards signals to init until init exits, deletes the
 * container unless @keep, and stores init's exit status (128+N when killed
 * by signal N) in @out_exit_status. */
gboolean urun_container_run (const UrunRuntime *runtime, const UrunCreateOptions *options,
                             gboolean detach, gboolean keep, int *out_exit_status,
                             GPtrArray *warnings, GError **error);

/* `kill`: sends @signum to init, or with @all to every process of the
 * container.  A container whose init is gone is an error. */
gboolean urun_container_kill (const UrunRuntime *runtime, const char *id, int signum,
                              gboolean all, GError **error);

/* `delete`: removes a stopped container (with @force, kills a live one
 * first) and everything it holds, then runs the poststop hooks (a failing
 * one is a warning).  With @force an unknown id is no error. */
gboolean urun_container_delete (const UrunRuntime *runtime, const char *id, gboolean force,
                                GPtrArray *warnings, GError **error);

G_END_DECLS
