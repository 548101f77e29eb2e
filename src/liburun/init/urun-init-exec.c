/* urun-init-exec.c: the child of `exec` (see urun-init-exec.h).
 *
 * Zone: init.  No GLib, no allocation, no stdio: this runs in a child cloned
 * from urun and only walks the plan the parent prepared.
 *
 * Two processes, as in init's staged path (urun-init-stage.c):
 *   the stage   cloned by urun with no new namespace; waits until the
 *               parent has put it in the container's cgroup, joins the
 *               namespaces of the container's init, takes its root, and
 *               forks the process with CLONE_PARENT;
 *   the process a child of urun (CLONE_PARENT), inside the container's pid
 *               namespace (setns() of a pid namespace only applies to the
 *               children of the caller, hence the fork); it applies the
 *               terminal, limits, cwd, security profile and user with the
 *               very functions init uses, and runs execve().
 * Nothing of the container is built here: its mounts, hostname, sysctls
 * and hooks belong to init, and are already there.
 */
#include "config.h"

#include "init/urun-init-exec.h"
#include "init/urun-init-process.h"
#include "init/urun-init-security.h"
#include "init/urun-init-stage.h"
#include "init/urun-init-terminal.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* The stage's work: returns in the process (a new child of urun, in the
 * container's pid namespace); the stage itself reports and exits. */
static int
enter_container (const UrunExecPlan *exec, UrunInitFailure *failure)
{
  const UrunInitPlan *plan = &exec->process;

  /* Wait until the parent has moved us into the container's cgroup: the
   * process is forked below and inherits it, so it never runs outside. */
  if (urun_init_wait_for_message (plan, URUN_SYNC_GO, failure) < 0)
    return -1;

  /* The parent ordered the joins: namespaces that the container's user
   * namespace does not own (a host network namespace given by path)
   * first, while our capabilities still reach them; then the user
   * namespace, which gives every capability inside; then the rest. */
  if (urun_init_join_namespaces (plan, failure) < 0)
    return -1;

  /* setns() of the mount namespace already put us at its root, which is
   * the container's root after pivot_root (and after --no-pivot's move onto
   * "/", which the kernel follows).  The root of init itself is the one
   * source of truth, though: take it, so that a root that is not the
   * namespace's (a chroot) is honoured as well. */
  if (exec->root_fd >= 0)
    {
      if (fchdir (exec->root_fd) < 0 || chroot (".") < 0)
        return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, "the container's root");
    }
  if (chdir ("/") < 0)
    return urun_init_fail (failure, URUN_STEP_CWD, errno, "/");

  return urun_init_stage_hand_over (plan, "fork into the pid namespace", failure);
}

void
urun_init_exec_main (const UrunExecPlan *exec)
{
  const UrunInitPlan *plan = &exec->process;
  UrunInitFailure failure;
  char executable[PATH_MAX];

  memset (&failure, 0, sizeof failure);
  /* The procfs handle before the joins: the container's /proc is not
   * urun's to trust (urun-init-util.c). */
  if (urun_init_take_fds (plan, &failure) < 0 || urun_init_open_procfs (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  /* Into the container's v1 cgroups before anything else, as init does
   * (its v2 one the clone put it in). */
  if (urun_init_enter_cgroup (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  /* Not dumpable from the start: the process below runs urun's binary
   * inside the container's pid namespace until execve, and nothing there
   * may open /proc/<pid>/exe or our fds (CVE-2019-5736).  execve() makes
   * the payload dumpable again. */
  prctl (PR_SET_DUMPABLE, 0);
  if (urun_init_security_start (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  if (enter_container (exec, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  /* The process, in the container's namespaces and root, still root there
   * (or whoever urun is, with every capability of the user namespace). */
  if (urun_init_setup_terminal (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  /* Limits while still privileged: raising a hard limit needs
   * CAP_SYS_RESOURCE. */
  if (urun_init_set_rlimits (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  /* cwd, user and security profile as init takes them; the lookup as the
   * user and inside the container, so that a missing program gets
   * podman's 127 wording from the parent.  Every fd of urun (the sync
   * socket included) closes at execve; the parent reads that end-of-file
   * as "the process runs". */
  if (urun_init_prepare_process (plan, executable, sizeof executable, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  urun_init_execute (plan, executable, &failure);
  urun_init_report_and_exit (plan, &failure);
}
