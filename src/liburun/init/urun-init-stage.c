/* urun-init-stage.c: namespaces, joined and entered in stages, and the
 * hand-over from a stage to the process it clones (see urun-init-stage.h).
 *
 * Zone: init.  No GLib, no allocation, no stdio.
 */
#include "config.h"

#include "init/urun-init-stage.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int
urun_init_become_root (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  if (!plan->new_userns)
    return 0;
  /* The maps are written: take uid/gid 0 of the new namespace, so files
   * created while building the root belong to the container's root.  When
   * the config does not map 0, stay who we are (the caps are held anyway). */
  if (setresgid (0, 0, 0) < 0 && errno != EINVAL)
    return urun_init_fail (failure, URUN_STEP_BECOME_ROOT, errno, "gid 0");
  if (setresuid (0, 0, 0) < 0 && errno != EINVAL)
    return urun_init_fail (failure, URUN_STEP_BECOME_ROOT, errno, "uid 0");
  return 0;
}

static const char *
namespace_name (int nstype)
{
  switch (nstype)
    {
    case CLONE_NEWUSER:
      return "user";
    case CLONE_NEWNS:
      return "mnt";
    case CLONE_NEWPID:
      return "pid";
    case CLONE_NEWNET:
      return "net";
    case CLONE_NEWIPC:
      return "ipc";
    case CLONE_NEWUTS:
      return "uts";
    case CLONE_NEWCGROUP:
      return "cgroup";
#ifdef CLONE_NEWTIME
    case CLONE_NEWTIME:
      return "time";
#endif
    default:
      return "namespace";
    }
}

int
urun_init_join_namespaces (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  for (size_t i = 0; i < plan->n_joins; i++)
    if (setns (plan->joins[i].fd, plan->joins[i].nstype) < 0)
      return urun_init_fail (failure, URUN_STEP_JOIN_NAMESPACE, errno,
                             namespace_name (plan->joins[i].nstype));
  return 0;
}

/* CLONE_PARENT: the new process is a child of urun, not of this passing
 * stage, so that urun can wait for it (and conmon or podman, subreapers,
 * get it back when urun exits).  The pid the stage reports is numbered in
 * the stage's own pid namespace, which is the parent's. */
int
urun_init_stage_hand_over (const UrunInitPlan *plan, const char *what, UrunInitFailure *failure)
{
  pid_t pid = (pid_t) syscall (SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL);

  if (pid < 0)
    return urun_init_fail (failure, URUN_STEP_UNSHARE, errno, what);
  if (pid == 0)
    return 0;
  urun_sync_send (plan->sync_fd, URUN_SYNC_INIT_PID, URUN_STEP_NONE, 0, (int) pid, NULL);
  _exit (0);
}

/* The staged path (see urun-plan.h): runs in the child the parent cloned
 * without namespaces.  Returns in the real init (a new process, in the new
 * pid namespace); the stage process itself reports the new pid and exits. */
int
urun_init_enter_stages (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  /* 1. Join: the user namespace first (plan order), so that joining the
   *    others uses the capabilities it gives; a host namespace is joined
   *    before a new user namespace takes the host's privileges away. */
  if (urun_init_join_namespaces (plan, failure) < 0)
    return -1;

  /* 2. The new user namespace, whose maps the parent writes meanwhile. */
  if (plan->unshare_flags & CLONE_NEWUSER)
    {
      if (unshare (CLONE_NEWUSER) < 0)
        return urun_init_fail (failure, URUN_STEP_UNSHARE, errno, "user namespace");
      if (urun_init_ask_parent (plan, URUN_SYNC_USERNS_READY, failure) < 0)
        return -1;
      if (urun_init_become_root (plan, failure) < 0)
        return -1;
    }

  /* 3. The other new namespaces, now owned by the right user namespace. */
  if (unshare (plan->unshare_flags & ~CLONE_NEWUSER) < 0)
    return urun_init_fail (failure, URUN_STEP_UNSHARE, errno, NULL);

  /* 4. A new or joined pid namespace only takes children: clone the real
   *    init into it. */
  return urun_init_stage_hand_over (plan, "clone init", failure);
}
