/* urun-init.c: the container's init process (see urun-init.h).
 *
 * Zone: init.  No GLib, no allocation, no stdio: this code runs in a child
 * cloned from urun, and only walks the plan the parent prepared.  The order
 * of the steps below is the order of urun_init_main(); each carries its why.
 */
#include "config.h"

#include "init/urun-init.h"
#include "init/urun-init-fs.h"
#include "util/urun-fd.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef KEYCTL_JOIN_SESSION_KEYRING
#define KEYCTL_JOIN_SESSION_KEYRING 1
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

size_t
urun_init_strlcpy (char *dst, const char *src, size_t size)
{
  size_t len = strlen (src);

  if (size > 0)
    {
      size_t n = len < size - 1 ? len : size - 1;
      memcpy (dst, src, n);
      dst[n] = '\0';
    }
  return len;
}

int
urun_init_fail (UrunInitFailure *failure, UrunInitStep step, int errsv, const char *detail)
{
  if (errsv < 0)
    errsv = -errsv;
  failure->step = step;
  failure->errsv = errsv;
  urun_init_strlcpy (failure->detail, detail ? detail : "", sizeof failure->detail);
  return errsv > 0 ? -errsv : -EIO;
}

/* exec.fifo, open for writing once `start` has released init, until
 * execve closes it.  Between the two, `create` has exited and nobody reads
 * the sync socket, so a failure (a startContainer hook, execve itself) is
 * written here for `start` to report. */
static int start_fifo_fd = -1;

void
urun_init_report_and_exit (const UrunInitPlan *plan, const UrunInitFailure *failure)
{
  if (start_fifo_fd >= 0)
    {
      UrunSyncMessage message;

      urun_sync_message_fill (&message, URUN_SYNC_ERROR, failure->step, failure->errsv,
                              failure->value, failure->detail);
      if (write (start_fifo_fd, &message, sizeof message) < 0)
        _exit (1);
    }
  else
    urun_sync_send (plan->sync_fd, URUN_SYNC_ERROR, failure->step, failure->errsv,
                    failure->value, failure->detail);
  /* The exit codes of a shell: 127 for a program that is not there, 126
   * for one that cannot be executed; urun itself exits with the same
   * (urun-main.c). */
  if (failure->step == URUN_STEP_EXEC_NOT_FOUND)
    _exit (127);
  if (failure->step == URUN_STEP_EXEC)
    _exit (126);
  _exit (1);
}

int
urun_init_wait_for_message (const UrunInitPlan *plan, UrunSyncType expected,
                            UrunInitFailure *failure)
{
  UrunSyncMessage message;
  int r = urun_sync_receive (plan->sync_fd, &message);

  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_SYNC, r, NULL);
  if (message.type != expected)
    return urun_init_fail (failure, URUN_STEP_SYNC, EPROTO, NULL);
  return 0;
}

/* Writes @contents to @fd, which it closes.  0 or -errno. */
static int
write_and_close (int fd, const char *contents)
{
  size_t len = strlen (contents);
  ssize_t n;

  do
    n = write (fd, contents, len);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int saved = errno;
      close (fd);
      return -saved;
    }
  close (fd);
  return (size_t) n == len ? 0 : -EIO;
}

/* init's handle on procfs: an fd of the /proc urun runs with, opened first
 * thing, before any namespace is joined or any mount of the container is
 * made, and checked to be procfs, so that neither a joined mount namespace
 * nor the rootfs can put another filesystem under the files init writes.
 * "self" resolves at each openat() to the process that calls it (the real
 * init, after the stage's clone), and it does so after the chroot of a
 * container without a mount namespace of its own, whose root usually has
 * no /proc.  Until execve closes it. */
static int procfs_fd = -1;

int
urun_init_open_procfs (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  struct statfs sfs;
  int fd = open ("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return urun_init_fail (failure, URUN_STEP_PROCFS, errno, "/proc");
  if (fstatfs (fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
    {
      int saved = errno;
      close (fd);
      return urun_init_fail (failure, URUN_STEP_PROCFS, saved ? saved : EXDEV,
                             "/proc (not a procfs)");
    }
  /* Above the fds the process is given, which survive execve. */
  procfs_fd = fcntl (fd, F_DUPFD_CLOEXEC, 3 + plan->preserve_fds);
  close (fd);
  if (procfs_fd < 0)
    return urun_init_fail (failure, URUN_STEP_PROCFS, errno, "/proc");
  return 0;
}

/* Opens @path, "/proc/..." (self, sys), through the procfs handle.
 * Returns a new fd or -errno. */
static int
open_procfs (const char *path, int flags)
{
  static const char prefix[] = "/proc/";
  int fd;

  if (procfs_fd < 0 || strncmp (path, prefix, sizeof prefix - 1) != 0)
    return -EBADF;
  fd = openat (procfs_fd, path + sizeof prefix - 1, flags | O_CLOEXEC);
  return fd < 0 ? -errno : fd;
}

static int
write_procfs (const char *path, const char *contents)
{
  int fd = open_procfs (path, O_WRONLY);

  if (fd < 0)
    return fd;
  return write_and_close (fd, contents);
}

/* No PR_SET_DUMPABLE toggling: the files written here after init stops
 * being dumpable (attr/exec) are writable by everyone for their own
 * process; timens_offsets is written while init is still dumpable, and
 * the parent writes oom_score_adj. */
int
urun_init_write_proc_self (const char *path, const char *contents)
{
  return write_procfs (path, contents);
}

int
urun_init_read_proc_self (const char *path)
{
  return open_procfs (path, O_RDONLY);
}

void
urun_init_reset_signals (void)
{
  struct sigaction action;
  sigset_t none;

  /* urun blocks signals around the clone and while it waits for hooks, and
   * its caller may have ignored some (SIGPIPE); ignored signals and the
   * mask survive execve, so reset them all. */
  memset (&action, 0, sizeof action);
  action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      sigaction (sig, &action, NULL);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
}

static int
become_root (const UrunInitPlan *plan, UrunInitFailure *failure)
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

/* Asks the parent for work only it can do (write the maps of a new user
 * namespace, run the hooks of its own namespaces) and waits until it
 * answers CONTINUE. */
static int
ask_parent (const UrunInitPlan *plan, UrunSyncType request, UrunInitFailure *failure)
{
  int r = urun_sync_send (plan->sync_fd, request, URUN_STEP_NONE, 0, 0, NULL);

  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_SYNC, r, NULL);
  return urun_init_wait_for_message (plan, URUN_SYNC_CONTINUE, failure);
}

/* The staged path (see urun-plan.h): runs in the child the parent cloned
 * without namespaces.  Returns in the real init (a new process, in the new
 * pid namespace); the stage process itself reports the new pid and exits. */
static int
enter_namespaces_in_stages (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  pid_t pid;

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
      if (ask_parent (plan, URUN_SYNC_USERNS_READY, failure) < 0)
        return -1;
      if (become_root (plan, failure) < 0)
        return -1;
    }

  /* 3. The other new namespaces, now owned by the right user namespace. */
  if (unshare (plan->unshare_flags & ~CLONE_NEWUSER) < 0)
    return urun_init_fail (failure, URUN_STEP_UNSHARE, errno, NULL);

  /* 4. A new or joined pid namespace only takes children: clone the real
   *    init into it.  CLONE_PARENT keeps it a child of urun, as conmon and
   *    podman expect, rather than of this passing stage. */
  pid = (pid_t) syscall (SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0)
    return urun_init_fail (failure, URUN_STEP_UNSHARE, errno, "clone init");
  if (pid == 0)
    return 0;
  urun_sync_send (plan->sync_fd, URUN_SYNC_INIT_PID, URUN_STEP_NONE, 0, (int) pid, NULL);
  _exit (0);
}

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
      r = write_procfs (path, plan->sysctls[i].value);
      if (r < 0)
        return urun_init_fail (failure, URUN_STEP_SYSCTL, r, plan->sysctls[i].key);
    }
  return 0;
}

int
urun_init_set_rlimits (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  for (size_t i = 0; i < plan->n_rlimits; i++)
    if (setrlimit (plan->rlimits[i].resource, &plan->rlimits[i].limit) < 0)
      return urun_init_fail (failure, URUN_STEP_RLIMIT, errno, plan->rlimits[i].name);
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
  r = urun_init_write_proc_self ("/proc/self/timens_offsets", plan->timens_offsets);
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

static int
set_user (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  /* (uid_t) -1 is "leave unchanged" to set*id: the process would stay
   * root.  The parent refuses such ids; this is the last line. */
  if (plan->uid == (uid_t) -1 || plan->gid == (gid_t) -1)
    return urun_init_fail (failure, URUN_STEP_USER, EINVAL, "uid or gid 4294967295");
  for (size_t i = 0; i < plan->n_additional_gids; i++)
    if (plan->additional_gids[i] == (gid_t) -1)
      return urun_init_fail (failure, URUN_STEP_USER, EINVAL, "additional gid 4294967295");
  /* Groups first: once the uid changes, setgroups is no longer allowed. */
  if (plan->can_setgroups && setgroups (plan->n_additional_gids, plan->additional_gids) < 0)
    return urun_init_fail (failure, URUN_STEP_USER, errno, "setgroups");
  if (setresgid (plan->gid, plan->gid, plan->gid) < 0)
    return urun_init_fail (failure, URUN_STEP_USER, errno, "setresgid");
  if (setresuid (plan->uid, plan->uid, plan->uid) < 0)
    return urun_init_fail (failure, URUN_STEP_USER, errno, "setresuid");
  umask (plan->has_umask ? plan->umask : 022);
  return 0;
}

static int
check_executable (const char *path)
{
  struct stat st;

  if (stat (path, &st) < 0)
    return -errno;
  if (S_ISDIR (st.st_mode))
    return -EACCES;
  if (access (path, X_OK) < 0)
    return -errno;
  return 0;
}

/* The step of a program that cannot be run (@errsv of either sign): its
 * own for one that is not there (exit 127), URUN_STEP_EXEC for the rest
 * (126). */
static UrunInitStep
exec_step (int errsv)
{
  return errsv == ENOENT || errsv == -ENOENT ? URUN_STEP_EXEC_NOT_FOUND : URUN_STEP_EXEC;
}

/* Finds argv[0] inside the container the way execvp(3) would, into @out.
 * Returns 0, -ENOENT (not found anywhere) or -EACCES (found, not runnable). */
static int
find_executable (const UrunInitPlan *plan, char *out, size_t size)
{
  const char *name = plan->argv[0];
  const char *dir = plan->path_env;
  int result = -ENOENT;

  if (strchr (name, '/') != NULL)
    {
      urun_init_strlcpy (out, name, size);
      return check_executable (out);
    }
  while (dir != NULL)
    {
      const char *end = strchr (dir, ':');
      size_t dir_len = end ? (size_t) (end - dir) : strlen (dir);
      int r;

      if (dir_len == 0)
        dir_len = 1, dir = ".";
      if (dir_len + 1 + strlen (name) + 1 <= size)
        {
          memcpy (out, dir, dir_len);
          out[dir_len] = '/';
          strcpy (out + dir_len + 1, name);
          r = check_executable (out);
          if (r == 0)
            return 0;
          if (r == -EACCES)
            result = r;
        }
      dir = end ? end + 1 : NULL;
    }
  return result;
}

int
urun_init_make_directories (const char *path)
{
  char buffer[PATH_MAX];
  char *p;

  if (urun_init_strlcpy (buffer, path, sizeof buffer) >= sizeof buffer)
    return -ENAMETOOLONG;
  for (p = buffer + 1; *p != '\0'; p++)
    {
      if (*p != '/')
        continue;
      *p = '\0';
      if (mkdir (buffer, 0755) < 0 && errno != EEXIST)
        return -errno;
      *p = '/';
    }
  if (mkdir (buffer, 0755) < 0 && errno != EEXIST)
    return -errno;
  return 0;
}

/* mkdir -p of a directory urun itself needs in the container (process.cwd,
 * NOTIFY_SOCKET's directory).  Where the rootfs cannot be written (a
 * read-only filesystem or bind), the detail says what to create, with
 * @or_else appended to that advice. */
int
urun_init_make_needed_directory (const char *path, UrunInitStep step, const char *or_else,
                                 UrunInitFailure *failure)
{
  static const char advice[] = " (missing from the read-only rootfs: create it in the image";
  char detail[URUN_SYNC_DETAIL_MAX];
  int r = urun_init_make_directories (path);
  size_t n;

  if (r == 0)
    return 0;
  if (r != -EROFS)
    return urun_init_fail (failure, step, r, path);
  n = urun_init_strlcpy (detail, path, sizeof detail);
  if (n < sizeof detail)
    n += urun_init_strlcpy (detail + n, advice, sizeof detail - n);
  if (n < sizeof detail)
    n += urun_init_strlcpy (detail + n, or_else, sizeof detail - n);
  if (n < sizeof detail)
    urun_init_strlcpy (detail + n, ")", sizeof detail - n);
  return urun_init_fail (failure, step, r, detail);
}

int
urun_init_make_needed_directories (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  if (plan->cwd != NULL
      && urun_init_make_needed_directory (plan->cwd, URUN_STEP_CWD, "", failure) < 0)
    return -1;
  return urun_init_make_notify_directory (plan, failure);
}

/* Enters the process's cwd.  A missing cwd is created, as runc and crun
 * do: images name a WORKDIR that their layers need not contain.  This runs
 * after pivot_root, as the container's root, so the path and any symlink
 * in it resolve inside the container. */
static int
enter_cwd (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  char where[PATH_MAX];
  int r;

  if (plan->cwd == NULL)
    return 0;
  if (chdir (plan->cwd) < 0)
    {
      if (errno != ENOENT)
        return urun_init_fail (failure, URUN_STEP_CWD, errno, plan->cwd);
      r = urun_init_make_needed_directory (plan->cwd, URUN_STEP_CWD, "", failure);
      if (r < 0)
        return r;
      if (chdir (plan->cwd) < 0)
        return urun_init_fail (failure, URUN_STEP_CWD, errno, plan->cwd);
    }
  /* A cwd such as /proc/self/fd/N leads through an fd init still holds to
   * a directory outside the container (CVE-2024-21626).  getcwd() fails
   * for a directory the root cannot reach: refuse it. */
  if (getcwd (where, sizeof where) == NULL || where[0] != '/')
    return urun_init_fail (failure, URUN_STEP_CWD, errno == ERANGE ? ERANGE : EPERM, plan->cwd);
  return 0;
}

static int
wait_for_start (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  char path[URUN_INIT_FD_PATH_MAX];
  int fd;

  if (plan->exec_fifo_fd < 0)
    return urun_init_wait_for_message (plan, URUN_SYNC_CONTINUE, failure);

  /* Opening the fifo for writing blocks until `start` opens it for
   * reading; the byte tells `start` that init is on its way.  The fd stays
   * open (close-on-exec) so that `start` sees end-of-file only once the
   * process runs, or a failure record before it. */
  urun_init_fd_path (path, plan->exec_fifo_fd);
  do
    fd = open_procfs (path, O_WRONLY);
  while (fd == -EINTR);
  if (fd < 0)
    return urun_init_fail (failure, URUN_STEP_EXEC_FIFO, fd, "exec.fifo");
  if (write (fd, "0", 1) != 1)
    {
      int saved = errno;
      close (fd);
      return urun_init_fail (failure, URUN_STEP_EXEC_FIFO, saved, "exec.fifo");
    }
  start_fifo_fd = fd;
  return 0;
}

/* Every fd of urun above the preserved ones, inherited strays included,
 * closes at execve.  What survives is the keep list: fds 0-2, and those of
 * 3 .. 3+preserve_fds-1 (LISTEN_FDS included) that urun inherited from its
 * caller.  Those came through execve, so they are never close-on-exec,
 * while every fd of urun's own is: one that took a number in that range
 * which the caller left free closes at execve like the rest, and the
 * process sees the caller's fds at their numbers and nothing else.  CLOEXEC rather than close: init's own fds (the sync
 * socket, exec.fifo, the state memfd, namespace fds) must stay usable until
 * execve.  Done first thing, so that no hook init forks ever inherits a
 * stray fd of the host; once is enough, since every fd this zone opens
 * later is O_CLOEXEC already.  Returns 0 or -1 with errno. */
static int
mark_fds_cloexec (const UrunInitPlan *plan)
{
  unsigned first = 3 + (unsigned) plan->preserve_fds;

  if (syscall (SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
    return 0;
  if (errno != ENOSYS && errno != EINVAL)
    return -1;
  for (int fd = (int) first; fd < 65536; fd++)
    fcntl (fd, F_SETFD, FD_CLOEXEC);
  return 0;
}

int
urun_init_take_fds (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  for (size_t i = 0; i < plan->n_child_close_fds; i++)
    close (plan->child_close_fds[i]);
  if (mark_fds_cloexec (plan) < 0)
    return urun_init_fail (failure, URUN_STEP_CLOSE_FDS, errno, NULL);
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

  /* execCPUAffinity.initial first: all of init's work, in stages or not,
   * is "the runtime's process before the transition to the container's
   * cgroup" and runs on those CPUs (urun-init-security.c). */
  if (urun_init_security_start (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  /* 1. The namespaces to join and those to create, in stages, when the
   *    clone could not do it all. */
  if (plan->staged && enter_namespaces_in_stages (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  /* 2. Wait until the parent has written the id maps and placed us in the
   *    cgroup: before that we are nobody and may escape the limits.  Then
   *    become root of the new user namespace. */
  if (urun_init_wait_for_message (plan, URUN_SYNC_GO, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  if (!plan->staged && become_root (plan, &failure) < 0)
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
      && urun_init_open_host_null (&failure) < 0)
    urun_init_report_and_exit (plan, &failure);
  if (urun_init_prepare_root (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  /* 4. prestart/createRuntime hooks run in the runtime's namespaces, by
   *    the parent; createContainer hooks here, before pivot_root. */
  if (plan->has_runtime_hooks && ask_parent (plan, URUN_SYNC_RUN_RUNTIME_HOOKS, &failure) < 0)
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
  if (wait_for_start (plan, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  if (run_hooks (plan, plan->start_container_hooks, plan->n_start_container_hooks, &failure) < 0)
    urun_init_report_and_exit (plan, &failure);

  urun_init_execute (plan, executable, &failure);
  urun_init_report_and_exit (plan, &failure);
}

/* ---- steps shared with `exec` (urun-init-exec.c) -------------------------- */

/* Fills plan->home_env ("HOME=/" until then) with the home directory of
 * the process's uid in the container's /etc/passwd, as runc and crun do.
 * A missing file or user keeps "/".  Runs before the uid change: the file
 * may not be readable by the user. */
static void
fill_home (const UrunInitPlan *plan)
{
  static char passwd[65536];
  size_t len = 0;
  ssize_t n;
  int fd;

  if (plan->home_env == NULL)
    return;
  fd = open ("/etc/passwd", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  while (len < sizeof passwd - 1 && (n = read (fd, passwd + len, sizeof passwd - 1 - len)) > 0)
    len += (size_t) n;
  close (fd);
  passwd[len] = '\0';

  /* name:password:uid:gid:gecos:home:shell */
  for (char *line = passwd; line != NULL && *line != '\0';)
    {
      char *next = strchr (line, '\n');
      char *field[7];
      int count = 0;

      if (next != NULL)
        *next++ = '\0';
      for (char *p = line; count < 7; count++)
        {
          field[count] = p;
          p = strchr (p, ':');
          if (p == NULL)
            {
              count++;
              break;
            }
          *p++ = '\0';
        }
      if (count >= 6 && field[2][0] != '\0' && strtoul (field[2], NULL, 10) == plan->uid
          && field[5][0] == '/')
        {
          urun_init_strlcpy (plan->home_env + 5, field[5], PATH_MAX);
          return;
        }
      line = next;
    }
}

int
urun_init_prepare_process (const UrunInitPlan *plan, char *executable, size_t size,
                           UrunInitFailure *failure)
{
  int r;

  fill_home (plan);
  if (enter_cwd (plan, failure) < 0)
    return -1;
  /* The security profile around the uid change (urun-init-security.c):
   * what needs the namespace's full privileges before it (scheduler, I/O
   * priority, the bounding set, KEEPCAPS, seccomp without noNewPrivileges,
   * which needs CAP_SYS_ADMIN), the capability sets after it, since the
   * uid change clears the effective set. */
  if (urun_init_security_before_user (plan, failure) < 0 || set_user (plan, failure) < 0
      || urun_init_security_after_user (plan, failure) < 0)
    return -1;
  r = find_executable (plan, executable, size);
  if (r < 0)
    return urun_init_fail (failure, exec_step (r), r, plan->argv[0]);
  return 0;
}

int
urun_init_execute (const UrunInitPlan *plan, const char *executable, UrunInitFailure *failure)
{
  urun_init_reset_signals ();
  /* Last before execve: personality, memory policy, the final CPU
   * affinity, LSM labels, no_new_privs and, under noNewPrivileges, the
   * seccomp filter, so that the filter need allow nothing of init's work
   * but execve. */
  if (urun_init_security_before_exec (plan, failure) < 0)
    return -1;
  execve (executable, plan->argv, plan->envp);
  return urun_init_fail (failure, exec_step (errno), errno, plan->argv[0]);
}
