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
  GArray *fds;               /* int: fds to close once the child runs */
} UrunPlanOwner;

/* Builds the plan.  The rootfs, the process and the namespaces must make
 * sense (a missing rootfs, for example, fails here with a message naming
 * it).  Returns a new owner, free with urun_plan_owner_free(). */
UrunPlanOwner *urun_plan_build (const UrunSpec *spec, const UrunPlanOptions *options,
                                GError **error);
void urun_plan_owner_free (UrunPlanOwner *owner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UrunPlanOwner, urun_plan_owner_free)

/* An empty owner whose plan has every fd at -1. */
UrunPlanOwner *urun_plan_owner_new (void);

/* Keeps @data alive as long as @owner; returns it. */
gpointer urun_plan_owner_keep (UrunPlanOwner *owner, gpointer data);
/* Copies @text into @owner; returns the copy (NULL stays NULL). */
const char *urun_plan_owner_strdup (UrunPlanOwner *owner, const char *text);
/* Copies a NULL-terminated vector (NULL stays NULL). */
char **urun_plan_owner_strdupv (UrunPlanOwner *owner, char *const *vector);
/* Closes @fd with the owner. */
int urun_plan_owner_keep_fd (UrunPlanOwner *owner, int fd);

/* What init's plan and an exec's take alike from @process (copied into
 * @owner; args already checked by the caller): the terminal's size, argv,
 * envp (with @listen_fds > 0, LISTEN_FDS is that count and LISTEN_PID=1,
 * the payload being pid 1 of socket activation inside; without HOME, the
 * entry init fills from the container's /etc/passwd, plan->home_env), PATH,
 * user, groups, umask and rlimits.  An unknown rlimit fails with
 * INVALID_CONFIG, named by @rlimits_what ("config.json: process.rlimits"). */
gboolean urun_plan_set_process (UrunPlanOwner *owner, const UrunSpecProcess *process,
                                int listen_fds, const char *rlimits_what, GError **error);

/* urun-plan-mounts.c: the mount part of the plan: root propagation, the
 * rootfs, mounts[] (kinds, folded options, whether the source is a
 * directory), the default devices plus linux.devices, bind_devices,
 * maskedPaths and readonlyPaths. */
gboolean urun_plan_build_mounts (UrunPlanOwner *owner, const UrunSpec *spec,
                                 const UrunPlanOptions *options, GError **error);

/* urun-plan-cgroupfs.c: plan->cgroups and plan->cgroup_unified, the host's
 * cgroup hierarchies, from this process's /proc/self/mountinfo and
 * /proc/self/cgroup.  Fails only when mountinfo cannot be read.  The _text
 * form takes those two files' contents (for the unit tests). */
gboolean urun_plan_build_cgroups (UrunPlanOwner *owner, GError **error);
void urun_plan_cgroups_from_text (UrunPlanOwner *owner, const char *mountinfo,
                                  const char *cgroup);

/* urun-plan-security.c: the security profile of the process: capability
 * masks (a capability the running kernel lacks is one warning and is
 * skipped), noNewPrivileges, the seccomp filter compiled to BPF, AppArmor
 * and SELinux labels (an error when the LSM is not enabled), personality,
 * scheduler, ioPriority, execCPUAffinity and memoryPolicy. */
gboolean urun_plan_build_security (UrunPlanOwner *owner, const UrunSpec *spec,
                                   const UrunPlanOptions *options, GError **error);

/* Parses a CPU or NUMA node list ("0-3,7") into a bit mask of unsigned
 * longs sized to hold its highest bit; *out_nbits is that bit + 1.  An
 * empty list gives an empty mask (NULL, 0).  Fails for anything else with
 * URUN_ERROR_INVALID_CONFIG naming @what. */
gboolean urun_plan_parse_id_list (const char *list, const char *what, gulong **out_mask,
                                  gsize *out_nbits, GError **error);

G_END_DECLS
