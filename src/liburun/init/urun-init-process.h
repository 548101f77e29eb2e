/* urun-init-process.h: the steps that init and the child of `exec` share
 * to apply the process (urun-init-process.c; the same code, so that both
 * apply a process alike).
 *
 * Zone: init (GLib-free, no allocation, no stdio).
 *
 *   urun_init_take_fds(): first thing: of 3 .. 3+preserve_fds-1 keeps
 *     the caller's fds and closes urun's, above that closes every fd but
 *     plan->keep_fds and the sync socket;
 *   urun_init_enter_cgroup(): right after: "0" into each of
 *     plan->cgroup_tasks_fds, which moves the process (single-threaded)
 *     into the v1 hierarchies of its cgroup without the kernel's global
 *     lock that moving it by pid takes;
 *   urun_init_set_rlimits(): setrlimit of each of plan->rlimits;
 *   urun_init_prepare_process(), in this order: chdir to plan->cwd
 *     (created when missing); the security profile's part before the uid
 *     change, setgroups (when can_setgroups), setresgid, setresuid, umask,
 *     the part after it; argv[0] looked up in plan->path_env into
 *     @executable (a failure is URUN_STEP_EXEC_NOT_FOUND when it is
 *     nowhere, URUN_STEP_EXEC when it is not executable);
 *   urun_init_execute(): default signal dispositions and an empty mask,
 *     the security profile's last part, execve() of @executable; returns
 *     only on failure.
 * Each returns 0 or a negative value with @failure filled.
 */
#pragma once

#include "init/urun-init-util.h"

int urun_init_take_fds (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_enter_cgroup (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_set_rlimits (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_prepare_process (const UrunInitPlan *plan, char *executable, size_t size,
                               UrunInitFailure *failure);
int urun_init_execute (const UrunInitPlan *plan, const char *executable,
                       UrunInitFailure *failure);
