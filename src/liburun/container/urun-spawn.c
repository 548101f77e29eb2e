/* urun-spawn.c: clone() of init and the parent's half of the handshake (see
 * urun-spawn.h).  Zone: host side, up to the clone; the child half runs
 * urun_init_main() and never returns here. */
#include "config.h"

#include "container/urun-spawn.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "init/urun-init.h"
#include "plan/urun-idmap.h"
#include "init/urun-sync.h"
#include "util/urun-timeout.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

void
urun_init_process_clear (UrunInitProcess *process)
{
  urun_close_fdp (&process->pidfd);
  urun_close_fdp (&process->sync_fd);
  urun_close_fdp (&process->terminal_fd);
  urun_close_fdp (&process->seccomp_fd);
}

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* clone3() gives a pidfd with the new process, so later signals cannot hit
 * a recycled pid; clone() serves kernels before 5.3.  With @cgroup_fd >= 0
 * the child is born in that cgroup v2 directory (CLONE_INTO_CGROUP, 5.7);
 * *@out_in_cgroup says whether it was.  Why a second clone3() without it
 * on EINVAL, EOPNOTSUPP, EACCES, EPERM or EBUSY: an older kernel, or a
 * cgroup this process may not fork into, is for the caller to handle the
 * old way (moving the pid), and nothing was created by the failed call. */
static pid_t
clone_init (int flags, int cgroup_fd, int *out_pidfd, gboolean *out_in_cgroup)
{
  struct clone_args args;
  pid_t pid;

  memset (&args, 0, sizeof args);
  args.flags = (uint64_t) flags | CLONE_PIDFD;
  args.pidfd = (uint64_t) (uintptr_t) out_pidfd;
  args.exit_signal = SIGCHLD;
  *out_in_cgroup = FALSE;
  if (cgroup_fd >= 0)
    {
      args.flags |= CLONE_INTO_CGROUP;
      args.cgroup = (uint64_t) cgroup_fd;
      pid = (pid_t) syscall (SYS_clone3, &args, sizeof args);
      if (pid != 0)
        *out_in_cgroup = pid > 0;
      if (pid >= 0
          || (errno != EINVAL && errno != EOPNOTSUPP && errno != EACCES && errno != EPERM
              && errno != EBUSY && errno != E2BIG))
        return pid;
      args.flags &= ~CLONE_INTO_CGROUP;
      args.cgroup = 0;
    }
  pid = (pid_t) syscall (SYS_clone3, &args, sizeof args);
  if (pid >= 0 || (errno != ENOSYS && errno != E2BIG))
    return pid;
  *out_pidfd = -1;
  return (pid_t) syscall (SYS_clone, (unsigned long) flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

static void reap (UrunInitProcess *process);

gboolean
urun_spawn_go (UrunInitProcess *process, GError **error)
{
  int r = urun_sync_send (process->sync_fd, URUN_SYNC_GO, URUN_STEP_NONE, 0, 0, NULL);

  /* Init may have failed before GO (entering its cgroup is its first
   * step): its report waits on the socket, and says more than EPIPE. */
  if (r == -EPIPE || r == -ECONNRESET)
    {
      UrunSyncMessage message;

      if (urun_sync_receive (process->sync_fd, &message) >= 0
          && message.type == URUN_SYNC_ERROR)
        {
          reap (process);
          return urun_spawn_fail_from_message (&message, error);
        }
    }
  if (r < 0)
    return urun_fail_errno (error, r, "start the container's init");
  return TRUE;
}

gboolean
urun_spawn_continue (UrunInitProcess *process, GError **error)
{
  int r = urun_sync_send (process->sync_fd, URUN_SYNC_CONTINUE, URUN_STEP_NONE, 0, 0, NULL);

  if (r < 0)
    return urun_fail_errno (error, r, "release the container's init");
  return TRUE;
}

static void
reap (UrunInitProcess *process)
{
  int status;

  if (process->reaped || process->pid <= 0)
    return;
  while (waitpid (process->pid, &status, 0) < 0)
    if (errno != EINTR)
      return;
  process->reaped = TRUE;
  process->wait_status = status;
}

void
urun_spawn_kill (UrunInitProcess *process)
{
  if (process->pid <= 0 || process->reaped)
    return;
  if (process->pidfd >= 0)
    syscall (SYS_pidfd_send_signal, process->pidfd, SIGKILL, NULL, 0);
  else
    kill (process->pid, SIGKILL);
  reap (process);
}

gboolean
urun_spawn_fail_from_message (const UrunSyncMessage *message, GError **error)
{
  const char *step = urun_init_step_name (message->step);

  switch (message->step)
    {
    case URUN_STEP_EXEC_NOT_FOUND:
      /* podman matches this wording to exit with 127. */
      return urun_fail (error, URUN_ERROR_COMMAND_NOT_FOUND,
                        "executable file `%s` not found in $PATH: No such file or directory",
                        message->detail);
    case URUN_STEP_EXEC:
      return urun_fail (error, URUN_ERROR_COMMAND_NOT_EXECUTABLE, "exec `%s`: %s",
                        message->detail, urun_strerror (message->errsv));
    case URUN_STEP_HOOK:
      if (message->errsv == 0)
        return urun_fail (error, URUN_ERROR_INIT_FAILED, "hook `%s` exited with status %d",
                          message->detail, message->value);
      return urun_fail (error, URUN_ERROR_INIT_FAILED, "hook `%s`: %s", message->detail,
                        message->errsv == ETIMEDOUT ? "timed out"
                                                    : urun_strerror (message->errsv));
    default:
      if (message->detail[0] != '\0')
        return urun_fail (error, URUN_ERROR_INIT_FAILED, "%s `%s`: %s", step, message->detail,
                          urun_strerror (message->errsv));
      return urun_fail (error, URUN_ERROR_INIT_FAILED, "%s: %s", step,
                        urun_strerror (message->errsv));
    }
}

static gboolean
fail_receive (int r, const char *who, GError **error)
{
  if (r == -EAGAIN)
    return urun_fail (error, URUN_ERROR_INIT_FAILED, "%s did not answer within %u s", who,
                      urun_peer_timeout (URUN_TIMEOUT_INIT_S));
  return urun_fail_errno (error, r, "read from %s", who);
}

static gboolean
fail_died (UrunInitProcess *process, GError **error)
{
  reap (process);
  if (process->reaped && WIFSIGNALED (process->wait_status))
    return urun_fail (error, URUN_ERROR_INIT_FAILED,
                      "the container's init was killed by signal %d before it was ready",
                      WTERMSIG (process->wait_status));
  return urun_fail (error, URUN_ERROR_INIT_FAILED,
                    "the container's init exited with status %d before it was ready",
                    process->reaped ? WEXITSTATUS (process->wait_status) : -1);
}

/* The next message from the child.  An fd may come (@out_passed_fd not
 * NULL) only with URUN_SYNC_TERMINAL or URUN_SYNC_SECCOMP_FD; one sent
 * with anything else is closed. */
static int
receive_message (UrunInitProcess *process, UrunSyncMessage *message, int *out_passed_fd)
{
  int r = urun_sync_receive_fd (process->sync_fd, message, out_passed_fd);

  if (out_passed_fd != NULL && *out_passed_fd >= 0
      && (r < 0 || (message->type != URUN_SYNC_TERMINAL
                    && message->type != URUN_SYNC_SECCOMP_FD)))
    urun_close_fdp (out_passed_fd);
  return r;
}

/* The fd of a URUN_SYNC_TERMINAL (the pty master) or URUN_SYNC_SECCOMP_FD
 * (the notify listener) message becomes @process's. */
static gboolean
adopt_passed_fd (UrunInitProcess *process, UrunSyncType type, int passed_fd, GError **error)
{
  gboolean terminal = type == URUN_SYNC_TERMINAL;
  int *slot = terminal ? &process->terminal_fd : &process->seccomp_fd;

  if (passed_fd < 0)
    return urun_fail (error, URUN_ERROR_FAILED, "the container's init sent no %s",
                      terminal ? "pty master" : "seccomp notify fd");
  urun_close_fdp (slot);
  *slot = passed_fd;
  return TRUE;
}

/* A stage that died before it handed over, in the words each mode of
 * @end has always used (init's: entering its namespaces; exec's: with
 * the stage's exit status). */
static gboolean
fail_stage_died (UrunInitProcess *process, UrunStageEnd end, const char *who, GError **error)
{
  int status;

  reap (process);
  if (end == URUN_STAGE_UNTIL_INIT_PID)
    return urun_fail (error, URUN_ERROR_INIT_FAILED, "%s exited while entering its namespaces",
                      who);
  status = process->reaped ? process->wait_status : 0;
  process->reaped = TRUE;
  return urun_fail (error, URUN_ERROR_INIT_FAILED, "%s died before it ran (%s %d)", who,
                    WIFSIGNALED (status) ? "signal" : "status",
                    WIFSIGNALED (status) ? WTERMSIG (status) : WEXITSTATUS (status));
}

gboolean
urun_spawn_follow_stage (UrunInitProcess *process, UrunStageEnd end, const UrunIdMapPlan *idmap,
                         const char *who, GError **error)
{
  gboolean until_exec = end == URUN_STAGE_UNTIL_EXEC;
  gboolean adopted = FALSE;

  for (;;)
    {
      UrunSyncMessage message;
      int passed_fd = -1;
      int r = receive_message (process, &message, until_exec ? &passed_fd : NULL);

      /* End of file: after the hand-over, the process ran execve (its end
       * is close-on-exec); before it, the stage died.  In init's stages
       * any failed read but a timeout means the stage died as well. */
      if (r == -EPIPE || r == -ECONNRESET || (r < 0 && r != -EAGAIN && !until_exec))
        return adopted ? TRUE : fail_stage_died (process, end, who, error);
      if (r < 0)
        return fail_receive (r, who, error);

      switch (message.type)
        {
        case URUN_SYNC_USERNS_READY:
          if (idmap == NULL)
            goto unexpected;
          if (!urun_idmap_apply (idmap, process->pid, NULL, error)
              || !urun_spawn_continue (process, error))
            return FALSE;
          break;
        case URUN_SYNC_INIT_PID:
          if (adopted)
            goto unexpected;
          /* The stage exits at once; the process it cloned is our child
           * too (CLONE_PARENT). */
          reap (process);
          urun_close_fdp (&process->pidfd);
          process->pid = message.value;
          process->pidfd = (int) syscall (SYS_pidfd_open, process->pid, 0);
          process->reaped = FALSE;
          if (!until_exec)
            return TRUE;
          adopted = TRUE;
          break;
        case URUN_SYNC_TERMINAL:
        case URUN_SYNC_SECCOMP_FD:
          if (!until_exec)
            goto unexpected;
          if (!adopt_passed_fd (process, message.type, passed_fd, error))
            return FALSE;
          break;
        case URUN_SYNC_ERROR:
          /* Whoever sent it, the stage or the process, exits right after:
           * the stage was reaped at the hand-over, so this reaps the
           * sender. */
          reap (process);
          return urun_spawn_fail_from_message (&message, error);
        default:
        unexpected:
          urun_close_fdp (&passed_fd);
          return urun_fail (error, URUN_ERROR_FAILED, "unexpected message %u from %s",
                            message.type, who);
        }
    }
}

gboolean
urun_spawn_child (int clone_flags, int cgroup_fd, int *child_sync_fd, int fd_floor,
                  UrunChildMain child_main, gpointer data, const char *what,
                  UrunInitProcess *out_process, GError **error)
{
  gboolean in_cgroup = FALSE;
  UrunInitProcess process = URUN_INIT_PROCESS_INIT;
  int pidfd = -1;
  int sockets[2];
  sigset_t all, saved;
  pid_t pid;
  int saved_errno;

  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) < 0)
    return urun_fail_errno (error, errno, "socketpair");
  sockets[1] = urun_fd_move_above (sockets[1], fd_floor);
  if (sockets[1] < 0)
    {
      close (sockets[0]);
      return urun_fail_errno (error, -sockets[1], "socketpair");
    }
  /* Our end only: each wait for the child's next message is bounded, so
   * that a child stuck in its setup (a mount that hangs, an fd that never
   * opens) fails the command instead of blocking it (urun-timeout.h). */
  if (urun_socket_set_timeout (sockets[0], SO_RCVTIMEO, urun_peer_timeout (URUN_TIMEOUT_INIT_S))
      < 0)
    {
      saved_errno = errno;
      close (sockets[0]);
      close (sockets[1]);
      return urun_fail_errno (error, saved_errno, "socketpair");
    }
  *child_sync_fd = sockets[1];

  /* Block every signal across the clone: the child must not run urun's
   * handlers; it resets the mask and dispositions before execve. */
  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, &saved);
  pid = clone_init (clone_flags, cgroup_fd, &pidfd, &in_cgroup);
  if (pid == 0)
    {
      close (sockets[0]);
      child_main (data);
      _exit (127);
    }
  saved_errno = errno;
  sigprocmask (SIG_SETMASK, &saved, NULL);

  close (sockets[1]);
  *child_sync_fd = -1;
  if (pid < 0)
    {
      close (sockets[0]);
      return urun_fail_errno (error, saved_errno, "%s", what);
    }
  process.pid = pid;
  process.pidfd = pidfd;
  process.sync_fd = sockets[0];
  process.born_in_cgroup = in_cgroup;
  *out_process = process;
  return TRUE;
}

static void
run_init (gpointer plan)
{
  urun_init_main (plan);
}

static guint64
hooks_seconds (const UrunPlanHook *hooks, size_t n)
{
  guint64 total = 0;

  for (size_t i = 0; i < n; i++)
    total += (guint64) MAX (hooks[i].timeout_seconds, 0);
  return total;
}

gboolean
urun_spawn_init (UrunInitPlan *plan, const UrunIdMapPlan *idmap, UrunInitProcess *out_process,
                 GError **error)
{
  UrunInitProcess process;
  guint64 hooks;

  if (!urun_spawn_child (plan->clone_flags, plan->clone_cgroup_fd, &plan->sync_fd,
                         3 + plan->preserve_fds, run_init, plan, "clone the container's init",
                         &process, error))
    return FALSE;
  /* init runs its createContainer (or startContainer) hooks between two
   * messages: a hook may take as long as its own timeout says. */
  hooks = MAX (hooks_seconds (plan->create_container_hooks, plan->n_create_container_hooks),
               hooks_seconds (plan->start_container_hooks, plan->n_start_container_hooks));
  if (hooks > 0)
    urun_socket_set_timeout (process.sync_fd, SO_RCVTIMEO,
                             (guint) MIN (urun_peer_timeout (URUN_TIMEOUT_INIT_S) + hooks,
                                          (guint64) G_MAXINT32));

  /* Fast path: the clone made the user namespace; write its maps now, while
   * init waits for GO.  Staged path: the stage asks for them itself. */
  if (plan->staged ? !urun_spawn_follow_stage (&process, URUN_STAGE_UNTIL_INIT_PID, idmap,
                                               "the container's init", error)
                   : !urun_idmap_apply (idmap, process.pid, NULL, error))
    {
      urun_spawn_kill (&process);
      urun_init_process_clear (&process);
      return FALSE;
    }
  *out_process = process;
  return TRUE;
}

gboolean
urun_spawn_wait_ready (UrunInitProcess *process, UrunRuntimeHooksFunc hooks_func,
                       gpointer user_data, GError **error)
{
  for (;;)
    {
      UrunSyncMessage message;
      int passed_fd = -1;
      int r = receive_message (process, &message, &passed_fd);

      if (r == -EPIPE || r == -ECONNRESET)
        return fail_died (process, error);
      if (r < 0)
        return fail_receive (r, "the container's init", error);

      switch (message.type)
        {
        case URUN_SYNC_READY:
          return TRUE;
        case URUN_SYNC_TERMINAL:
        case URUN_SYNC_SECCOMP_FD:
          if (!adopt_passed_fd (process, message.type, passed_fd, error))
            return FALSE;
          break;
        case URUN_SYNC_ERROR:
          reap (process);
          return urun_spawn_fail_from_message (&message, error);
        case URUN_SYNC_RUN_RUNTIME_HOOKS:
          if (hooks_func != NULL && !hooks_func (user_data, error))
            return FALSE;
          if (!urun_spawn_continue (process, error))
            return FALSE;
          break;
        default:
          return urun_fail (error, URUN_ERROR_FAILED,
                            "unexpected message %u from the container's init", message.type);
        }
    }
}

gboolean
urun_spawn_wait_exec (UrunInitProcess *process, GError **error)
{
  UrunSyncMessage message;
  int r;

  /* init's end of the socket is close-on-exec: end-of-file means the
   * process runs (or init died, which its exit status will tell). */
  r = urun_sync_receive (process->sync_fd, &message);
  if (r == -EPIPE || r == -ECONNRESET)
    return TRUE;
  if (r < 0)
    return fail_receive (r, "the container's init", error);
  if (message.type == URUN_SYNC_ERROR)
    {
      reap (process);
      return urun_spawn_fail_from_message (&message, error);
    }
  return urun_fail (error, URUN_ERROR_FAILED, "unexpected message %u from the container's init",
                    message.type);
}
