/* urun-plan-parts.h: the builders urun_plan_build() (urun-plan-build.c)
 * and urun_plan_exec_build() (urun-plan-exec.c) compose, each filling its
 * part of the owner's plan.
 *
 * Zone: host side (GLib).  Each builder calls only urun-plan-owner.h and
 * the builders below it (the mounts take the cgroup hierarchies), never
 * the file that composes them.
 */
#pragma once

#include <glib.h>

#include "plan/urun-plan-owner.h"
#include "spec/urun-spec.h"

G_BEGIN_DECLS

/* urun-plan-process.c: what init's plan and an exec's take alike from
 * @process (copied into @owner; args already checked by the caller): the
 * terminal's size, argv,
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
