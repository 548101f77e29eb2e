/* urun-plan-owner.h: the UrunPlanOwner, the arena every plan builder
 * fills, and the UrunPlanOptions they all read.
 *
 * Zone: host side (GLib).  The bottom of plan/: it calls nothing of the
 * builders.  The owner keeps every allocation the plan points to and every
 * fd it holds alive until the parent is done with the child.
 */
#pragma once

#include <glib.h>

#include "init/urun-plan.h"
#include "spec/urun-spec.h"

G_BEGIN_DECLS

typedef struct
{
  const char *id;            /* container id */
  const char *bundle;        /* absolute bundle directory */
  gboolean rootless;         /* an unprivileged caller, or --rootless (UrunRuntime.rootless) */
  gboolean privileged;       /* real root in the initial user namespace */
  uid_t euid;                /* urun's effective uid */
  gboolean no_pivot;
  gboolean no_new_keyring;
  gboolean deny_setgroups;   /* a new user namespace's gid map denies setgroups
                              * (UrunIdMapPlan.deny_setgroups) */
  const GArray *uid_mappings; /* UrunSpecIdMapping: the maps urun_idmap_plan() chose for a */
  const GArray *gid_mappings; /* new user namespace, or NULL; mount options naming ids
                               * they lack (gid=5) are dropped */
  int preserve_fds;          /* --preserve-fds N */
  int listen_fds;            /* fds socket activation passed to urun, 0 if none */
  GPtrArray *warnings;       /* (element-type utf8): warnings for the user, or NULL */
  int cap_last;              /* 0: read /proc/sys/kernel/cap_last_cap (tests set it) */
} UrunPlanOptions;

typedef struct
{
  UrunInitPlan plan;
  GPtrArray *allocations;    /* everything the plan points to (g_free) */
  GArray *fds;               /* int: the fds init uses (plan.keep_fds once sealed); closed with the owner */
} UrunPlanOwner;

/* An empty owner whose plan has every fd at -1. */
UrunPlanOwner *urun_plan_owner_new (void);
void urun_plan_owner_free (UrunPlanOwner *owner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UrunPlanOwner, urun_plan_owner_free)

/* Keeps @data alive as long as @owner; returns it. */
gpointer urun_plan_owner_keep (UrunPlanOwner *owner, gpointer data);
/* Copies @text into @owner; returns the copy (NULL stays NULL). */
const char *urun_plan_owner_strdup (UrunPlanOwner *owner, const char *text);
/* Copies a NULL-terminated vector (NULL stays NULL). */
char **urun_plan_owner_strdupv (UrunPlanOwner *owner, char *const *vector);
/* Takes @fd, which init uses, into @owner: it is closed with the owner.
 * Moves it first above the fds init hands to the process (3 ..
 * 3+plan.preserve_fds-1, so plan.preserve_fds must be set), so that none
 * of urun's own fds sits among them.  Returns the fd to use from then on,
 * or -1 with @error set (@fd is closed). */
int urun_plan_owner_keep_fd (UrunPlanOwner *owner, int fd, GError **error);

/* Points plan.keep_fds at the fds kept so far, in ascending order: init
 * closes every other fd of urun's.  Call it last before the clone, after
 * the last urun_plan_owner_keep_fd(). */
void urun_plan_owner_seal_fds (UrunPlanOwner *owner);

G_END_DECLS
