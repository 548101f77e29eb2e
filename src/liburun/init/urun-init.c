/* urun-init.c: the container's init process (see urun-init.h): the
 * order of its steps, the hooks it runs, its sysctls, time namespace and
 * identity.  On top of init: the steps come from the files below
 * (urun-init-stage.c, urun-init-mounts.c, urun-init-process.c...), and
 * none of them calls back here.
 *
 * Zone: init.  No GLib, no allocation, no stdio: this code runs in a child
 * cloned from urun, and only walks the plan the parent prepared.  The order
 * of the steps below is the order of urun_init_main(); each carries its why.
 */
#include "config.h"

#include "init/urun-init.h"
#include "init/urun-init-fs.h"
#include "init/urun-init-mounts.h"
#include "init/urun-init-notify.h"
#include "init/urun-init-process.h"
#include "init/urun-init-security.h"
#include "init/urun-init-stage.h"
#include "init/urun-init-terminal.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef KEYCTL_JOIN_SESSION_KEYRING
#define KEYCTL_JOIN_SESSION_KEYRING 1
#endif

static int64_t
monotonic_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until @pidfd is readable (its process exited) or the monotonic
 * clock reaches @deadline_ms; 0 on timeout.  In 64 bits, and poll() gets
 * at most INT_MAX ms at a time: a timeout in seconds times 1000 does not
 * fit an int. */
static int
wait_within (int pidfd, int64_t deadline_ms)
{
  for (;;)
    {
      struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
      int64_t left = deadline_ms - monotonic_ms ();
      int r;

      if (left <= 0)
        return 0;
      r = poll (&pfd, 1, left > INT_MAX ? INT_MAX : (int) left);
      if (r > 0 || (r < 0 && errno != EINTR))
        return 1;
    }
}

static int
run_hooks (const UrunInitPlan *plan, const UrunPlanHook *hooks, size_t n_hooks,
           UrunInitFailure *failure)
{
  for (size_t i = 0; i < n_hooks; i++)
    {
      const UrunPlanHook *hook = &hooks[i];
      int status = 0;
      pid_t pid;
      int pidfd;

      if (plan->state_fd >= 0)
        lseek (plan->state_fd, 0, SEEK_SET);
      pid = fork ();
      if (pid < 0)
        return urun_init_fail (failure, URUN_STEP_HOOK, errno, hook->path);
      if (pid == 0)
        {
          /* The hook reads the container's state on its stdin, and
           * starts, as the payload does, with no signal blocked or
           * ignored: init blocks them, and urun's caller may ignore some. */
          if (plan->state_fd >= 0)
            dup2 (plan->state_fd, STDIN_FILENO);
          urun_init_reset_signals ();
          execve (hook->path, hook->argv, hook->envp);
          _exit (127);
        }

      pidfd = (int) syscall (SYS_pidfd_open, pid, 0);
      if (hook->timeout_seconds > 0 && pidfd >= 0
          && !wait_within (pidfd, monotonic_ms () + (int64_t) hook->timeout_seconds * 1000))
        {
          kill (pid, SIGKILL);
          waitpid (pid, NULL, 0);
          close (pidfd);
          return urun_init_fail (failure, URUN_STEP_HOOK, ETIMEDOUT, hook->path);
        }
      if (pidfd >= 0)
        close (pidfd);
      while (waitpid (pid, &status, 0) < 0)
        if (errno != EINTR)
          return urun_init_fail (failure, URUN_STEP_HOOK, errno, hook->path);
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        {
          urun_init_fail (failure, URUN_STEP_HOOK, 0, hook->path);
          failure->value = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
          return -EIO;
        }
    }
  return 0;
}

static int
set_sysctls (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  for (size_t i = 0; i < plan->n_sysctls; i++)
    {
      char path[PATH_MAX];
      size_t prefix = urun_init_strlcpy (path, "/proc/sys/", sizeof path);
      int r;

      if (urun_init_strlcpy (path + prefix, plan->sysctls[i].key, sizeof path - prefix)
          >= sizeof path - prefix)
        return urun_init_fail (failure, URUN_STEP_SYSCTL, ENAMETOOLONG, plan->sysctls[i].key);
      for (char *c = path + prefix; *c; c++)
        if (*c == '.')
          *c = '/';
      r = urun_init_write_proc (path, plan->sysctls[i].value);
      if (r < 0)
        return urun_init_fail (failure, URUN_STEP_SYSCTL, r, plan->sysctls[i].key);
    }
  return 0;
}

/* A time namespace's offsets must be written before any process enters
 * it, and while init is still dumpable: /proc/self/timens_offsets belongs
 * to the host's root otherwise, which the root of an unprivileged
 * container is not. */
static int
enter_time_namespace (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  int r;

  if (!plan->new_timens)
    return 0;
  if (unshare (CLONE_NEWTIME) < 0)
    return urun_init_fail (failure, URUN_STEP_UNSHARE, errno, "time namespace");
  if (plan->timens_offsets == NULL)
    return 0;
  r = urun_init_write_proc ("/proc/self/timens_offsets", plan->timens_offsets);
  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_UNSHARE, r, "timens_offsets");
  return 0;
}

static int
set_identity_and_limits (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  if (plan->hostname != NULL && sethostname (plan->hostname, strlen (plan->hostname)) < 0)
    return urun_init_fail (failure, URUN_STEP_HOSTNAME, errno, plan->hostname);
  if (plan->domainname != NULL
      && setdomainname (plan->domainname, strlen (plan->domainname)) < 0)
    return urun_init_fail (failure, URUN_STEP_DOMAINNAME, errno, plan->domainname);
  if (urun_init_set_rlimits (plan, failure) < 0)
    return -1;
  if (plan->new_keyring
      && syscall (SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, plan->keyring_name) < 0)
    {
      /* Kernels without keyrings, or seccomp profiles of an outer runtime
       * that deny keyctl, leave the container with the inherited keyring,
       * which is what --no-new-keyring asks for anyway. */
      if (errno != ENOSYS && errno != EPERM && errno != EACCES && errno != EDQUOT)
        return urun_init_fail (failure, URUN_STEP_KEYRING, errno, plan->keyring_name);
    }
  return 0;
}

void
urun_init_main (const UrunInitPlan *plan)
{
  UrunInitFailure failure;
  char executable[PATH_MAX];

  memset (&failure, 0, sizeof failure);
  if (urun_init_take_fds (plan, &failure) < 0 || urun_init_open_procfs (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  /* Into the cgroup before anything else: no step of init's, nor a
   * process it forks, runs outside the container's limits. */
  if (urun_init_enter_cgroup (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  /* execCPUAffinity.initial first: all of init's work, in stages or not,
   * is "the runtime's process before the transition to the container's
   * cgroup" and runs on those CPUs (urun-init-security.c). */
  if (urun_init_security_start (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  /* 1. The namespaces to join and those to create, in stages, when the
   *    clone could not do it all. */
  if (plan->staged && urun_init_enter_stages (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  /* 1b. The network namespace the clone left out (urun-plan.h), while
   *     the parent works towards GO.  Its memory is charged to the
   *     container's cgroup when init entered it above; a cgroup the
   *     parent places init in by pid (systemd, execCPUAffinity.initial)
   *     comes later, as it did when the clone made the namespace. */
  if (plan->new_netns && unshare (CLONE_NEWNET) < 0)
    {
      urun_init_fail (&failure, URUN_STEP_UNSHARE, errno, "network namespace");
      urun_init_report_and_exit (plan, &failure);
    }

  /* 2. Wait until the parent has written the id maps and placed us in the
   *    cgroup: before that we are nobody and may escape the limits.  Then
   *    become root of the new user namespace. */
  if (urun_init_wait_for_message (plan, URUN_SYNC_GO, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  if (!plan->staged && urun_init_become_root (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  if (plan->new_cgroupns && unshare (CLONE_NEWCGROUP) < 0)
    {
      urun_init_fail (&failure, URUN_STEP_UNSHARE, errno, "cgroup namespace");
      urun_init_report_and_exit (plan, &failure);
    }

  /* Sysctls now, through the procfs handle: a sysctl applies to
   * the namespaces of the process that writes it, which are already the
   * container's (the spec validation admits namespaced keys only, so the
   * host is never reached); later, the container's own /proc/sys is
   * read-only (readonlyPaths).  The time namespace here too, while init
   * is dumpable. */
  if (set_sysctls (plan, &failure) < 0 || enter_time_namespace (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  /* Not dumpable: until execve, /proc/<init>/exe is urun's own binary and
   * /proc/<init>/fd holds urun's fds; another process of a shared pid
   * namespace must not reach them (CVE-2019-5736).  After the maps are
   * written, because the kernel then hands /proc/<init> to the host's root,
   * which would stop an unprivileged parent from writing them.  execve()
   * makes the payload dumpable again. */
  prctl (PR_SET_DUMPABLE, 0);

  /* Die with the parent while it still waits for us.  Set after
   * become_root(), whose uid change would clear it; set_user() clears it
   * again later, and from there a dead parent shows as a failed send of
   * READY, on which init exits.  Cleared before READY in any case, because
   * `create` exits and leaves init running. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);

  /* 3. The root filesystem, up to the point where the hooks run.  The
   *    /dev/null of the masks first, while "/" is still the host's. */
  if (!plan->chroot_only && plan->masked_paths != NULL && plan->masked_paths[0] != NULL
      && urun_init_open_host_null (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  if (urun_init_prepare_root (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  /* 4. prestart/createRuntime hooks run in the runtime's namespaces, by
   *    the parent; createContainer hooks here, before pivot_root. */
  if (plan->has_runtime_hooks
      && urun_init_ask_parent (plan, URUN_SYNC_RUN_RUNTIME_HOOKS, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  if (run_hooks (plan, plan->create_container_hooks, plan->n_create_container_hooks, &failure)
      < 0)
    urun_init_report_and_exit (plan, &failure);

  /* 5. Enter the root; masks and read-only paths come after the pivot so
   *    that they name container paths. */
  if (urun_init_enter_root (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  /* The terminal after the pivot, so that the pty comes from the
   * container's devpts; while still root, for the /dev/console bind and
   * the chown of the slave (see urun-init-terminal.c). */
  if (urun_init_setup_terminal (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  if (urun_init_attach_notify (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  /* 6. Identity and limits, while still root in the container. */
  if (set_identity_and_limits (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  /* 7. cwd and user; look the program up now, as the user, so that a
   *    missing or non-executable program fails `create` rather than a
   *    later `start`. */
  if (urun_init_prepare_process (plan, executable, sizeof executable, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  /* 8. Ready.  From here the parent may exit (create), so stop dying with
   *    it, then wait for `start` (or the parent's go-ahead for `run`). */
  prctl (PR_SET_PDEATHSIG, 0);
  if (urun_sync_send (plan->sync_fd, URUN_SYNC_READY, URUN_STEP_NONE, 0, 0, NULL) < 0)
    _exit (1);
  if (urun_init_wait_for_start (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  if (run_hooks (plan, plan->start_container_hooks, plan->n_start_container_hooks, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  urun_init_execute (plan, executable, &failure);
  urun_init_report_and_exit (plan, &failure);
}
