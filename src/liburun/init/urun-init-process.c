/* urun-init-process.c: the process itself, as init and the child of
 * `exec` both apply it (see urun-init-process.h): the fds it keeps, its
 * limits, cwd, user and security profile, the program looked up, execve.
 * One code for both, so that `exec` applies a process as init does.
 *
 * Zone: init.  No GLib, no allocation, no stdio.
 */
#include "config.h"

#include "init/urun-init-process.h"
#include "init/urun-init-security.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Closes fds @from .. @to (inclusive; ~0U: all), but @spared; 0 or -1
 * with errno. */
static int
close_fds_but (unsigned from, unsigned to, int spared)
{
  if (spared >= 0 && (unsigned) spared >= from && (unsigned) spared <= to)
    {
      if ((unsigned) spared > from && close_fds_but (from, (unsigned) spared - 1, -1) < 0)
        return -1;
      return (unsigned) spared < to ? close_fds_but ((unsigned) spared + 1, to, -1) : 0;
    }
  if (from > to)
    return 0;
  if (syscall (SYS_close_range, from, to, 0) == 0)
    return 0;
  if (errno != ENOSYS && errno != EINVAL)
    return -1;
  for (unsigned fd = from; fd <= to && fd < 65536; fd++)
    close ((int) fd);
  return 0;
}

/* What survives execve is the keep list: fds 0-2, and those of 3 ..
 * 3+preserve_fds-1 (LISTEN_FDS included) that urun inherited from its
 * caller.  Those came through execve, so they are never close-on-exec,
 * while every fd of urun's own is.  The parent moved each fd init uses
 * above that range (urun_plan_owner_keep_fd(), the sync socket), so:
 *   - in the range, an fd of urun's (one that took a number the caller
 *     left free) is a stray: closed;
 *   - above it, every fd but plan->keep_fds and the sync socket is closed
 *     (strays inherited from urun's caller included), and those are
 *     close-on-exec already.
 * So the range holds the caller's fds and nothing else even before
 * execve, and no hook init forks inherits a stray fd of the host.  Done
 * first thing; every fd this zone opens later that lives until execve is
 * moved above the range too (the procfs handle, the host's /dev/null).
 * Returns 0 or -1 with errno. */
static int
take_fd_ranges (const UrunInitPlan *plan)
{
  unsigned next = 3 + (unsigned) plan->preserve_fds;

  for (int fd = 3; fd < (int) next; fd++)
    {
      int flags = fcntl (fd, F_GETFD);

      if (flags >= 0 && (flags & FD_CLOEXEC))
        close (fd);
    }
  /* Between the kept fds, which ascend. */
  for (size_t i = 0; i < plan->n_keep_fds; i++)
    {
      unsigned keep = (unsigned) plan->keep_fds[i];

      if (keep < next)
        continue;
      if (close_fds_but (next, keep - 1, plan->sync_fd) < 0)
        return -1;
      next = keep + 1;
    }
  return close_fds_but (next, ~0U, plan->sync_fd);
}

int
urun_init_take_fds (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  if (take_fd_ranges (plan) < 0)
    return urun_init_fail (failure, URUN_STEP_CLOSE_FDS, errno, NULL);
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

/* "0" into each `tasks` file moves the calling thread, which is the whole
 * process (see cgroup_tasks_fds in urun-plan.h).  The parent opened them,
 * and the kernel checks the opener's credentials, so a user namespace
 * does not stand in the way. */
int
urun_init_enter_cgroup (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  for (size_t i = 0; i < plan->n_cgroup_tasks_fds; i++)
    {
      int fd = plan->cgroup_tasks_fds[i];
      ssize_t n;

      do
        n = write (fd, "0", 1);
      while (n < 0 && errno == EINTR);
      if (n != 1)
        return urun_init_fail (failure, URUN_STEP_CGROUP, n < 0 ? errno : EIO,
                               plan->cgroup_tasks_paths[i]);
      close (fd);
    }
  return 0;
}
