/* urun-init-exec.h: the child of `exec`, between clone() and execve().
 *
 * Zone: shared, GLib-free.  The parent (urun-exec.c) fills a UrunExecPlan
 * before the clone: the process part is an ordinary UrunInitPlan built by
 * urun_plan_exec_build() (argv, envp, user, limits, security profile,
 * terminal), the namespaces of the container's init are open fds in
 * process.joins (in the order they must be joined), and its root is an open
 * fd.  The child only walks it (urun-init-exec.c).
 *
 * The handshake over process.sync_fd (messages of urun-sync.h):
 *   parent -> stage   URUN_SYNC_GO: the stage is in the container's cgroup;
 *   stage -> parent   URUN_SYNC_INIT_PID (value: the pid of the process,
 *                     forked into the container's pid namespace), then the
 *                     stage exits;
 *   child -> parent   URUN_SYNC_TERMINAL (-t), URUN_SYNC_SECCOMP_FD (a
 *                     notify filter), or URUN_SYNC_ERROR and exit;
 *   end of file       every copy of the child's end is closed: the stage
 *                     exited and the process ran execve (close-on-exec).
 */
#pragma once

#include "init/urun-plan.h"

typedef struct
{
  /* The process: what init would do for it, minus everything that builds
   * the container (no mounts, no hooks, no hostname, create_console off). */
  UrunInitPlan process;
  /* O_PATH|O_DIRECTORY fd of /proc/<init>/root, opened by the parent: the
   * root the process gets after the namespaces are joined. */
  int root_fd;
} UrunExecPlan;

/* Runs the stage and then the process; never returns.  On success it ends
 * in execve() of the process; on failure it reports over
 * plan->process.sync_fd and _exit()s (127 for a missing program, 126 for
 * one that cannot be run, 1 otherwise). */
__attribute__ ((noreturn)) void urun_init_exec_main (const UrunExecPlan *plan);
