/* urun-plan-build.h: turning a validated UrunSpec into a UrunInitPlan.
 *
 * Zone: host side (GLib).  Everything init will need is resolved here,
 * before the clone: names become numbers, strings become ready vectors, and
 * files init must reach on the host (namespace paths, exec.fifo) become open
 * fds.  The UrunPlanOwner keeps every allocation and fd alive until the
 * parent is done with the child.
 */
#pragma once

#include <glib.h>

#include "urun-plan.h"
#include "urun-spec.h"

G_BEGIN_DECLS

typedef struct
{
  const char *id;            /* container id */
  const char *bundle;        /* absolute bundle directory */
  gboolean rootless;         /* see urun_userns_caller_is_rootless() */
  gboolean privileged;       /* real root in the initial user namespace */
  gboolean no_pivot;
  gboolean no_new_keyring;
  int preserve_fds;          /* --preserve-fds N */
  int listen_fds;            /* LISTEN_FDS of the caller, 0 if none */
} UrunPlanOptions;

typedef struct
{
  UrunInitPlan plan;
  GPtrArray *allocations;    /* everything the plan points to (g_free) */
  GArray *fds;               /* int: fds to close once the child runs */
} UrunPlanOwner;

/* Builds the plan.  The rootfs, the process and the namespaces must make
 * sense (a missing rootfs, for example, fails here with a message naming
 * it).  Returns a new owner, free with urun_plan_owner_free(). */
UrunPlanOwner *urun_plan_build (const UrunSpec *spec, const UrunPlanOptions *options,
                                GError **error);
void urun_plan_owner_free (UrunPlanOwner *owner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UrunPlanOwner, urun_plan_owner_free)

/* Keeps @data alive as long as @owner; returns it. */
gpointer urun_plan_owner_keep (UrunPlanOwner *owner, gpointer data);
/* Copies @text into @owner; returns the copy (NULL stays NULL). */
const char *urun_plan_owner_strdup (UrunPlanOwner *owner, const char *text);
/* Copies a NULL-terminated vector (NULL stays NULL). */
char **urun_plan_owner_strdupv (UrunPlanOwner *owner, char *const *vector);
/* Closes @fd with the owner. */
int urun_plan_owner_keep_fd (UrunPlanOwner *owner, int fd);

/* urun-plan-mounts.c: the mount part of the plan: root propagation, the
 * rootfs, mounts[] (kinds, folded options, whether the source is a
 * directory), the default devices plus linux.devices, bind_devices,
 * maskedPaths and readonlyPaths. */
gboolean urun_plan_build_mounts (UrunPlanOwner *owner, const UrunSpec *spec,
                                 const UrunPlanOptions *options, GError **error);

G_END_DECLS
