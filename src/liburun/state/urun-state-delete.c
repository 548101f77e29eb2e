/* urun-state-delete.c: deleting a container's state, killing a live init
 * first when forced (see urun_state_delete() in urun-state.h).
 * Zone: host side (GLib). */
#include "config.h"

#include "state/urun-state-private.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "util/urun-id.h"
#include "util/urun-proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* ---- delete ------------------------------------------------------------ */

static int
sys_pidfd_send_signal (int pidfd, int sig)
{
#ifdef SYS_pidfd_send_signal
  return (int) syscall (SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
#else
  errno = ENOSYS;
  return -1;
#endif
}

/* Kills the recorded init and waits for it to be gone (a zombie counts as
 * gone: its reaper is the caller of create, not us). */
static gboolean
kill_init (const char *id, pid_t pid, guint64 start_time, GError **error)
{
  URUN_AUTOCLOSE int pidfd = urun_proc_pidfd_open_verified (pid, start_time);
  gint64 deadline = g_get_monotonic_time () + URUN_STATE_KILL_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  /* ESRCH: gone, or the pid is another process's now. */
  if (pidfd < 0 && errno == ESRCH)
    return TRUE;
  if (pidfd < 0 && errno != ENOSYS && errno != EPERM)
    return urun_fail_errno (error, errno, "container `%s`: pidfd_open of init %d", id,
                            (int) pid);
  if (pidfd < 0 && !urun_proc_is_alive (pid, start_time))
    return TRUE;

  if (pidfd >= 0)
    {
      if (sys_pidfd_send_signal (pidfd, SIGKILL) < 0 && errno != ESRCH)
        return urun_fail_errno (error, errno, "container `%s`: kill init %d", id, (int) pid);
      for (;;)
        {
          struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
          gint64 left_ms = (deadline - g_get_monotonic_time ()) / G_TIME_SPAN_MILLISECOND;
          int r;

          if (left_ms <= 0)
            break;
          r = poll (&pfd, 1, (int) left_ms);
          if (r < 0 && errno == EINTR)
            continue;
          if (r < 0)
            return urun_fail_errno (error, errno, "container `%s`: wait for init %d", id,
                                    (int) pid);
          if (r > 0)
            return TRUE;
        }
    }
  else
    {
      /* No pidfd (kernel < 5.3): a small window for pid reuse remains
       * between the check above and kill(). */
      if (kill (pid, SIGKILL) < 0 && errno != ESRCH)
        return urun_fail_errno (error, errno, "container `%s`: kill init %d", id, (int) pid);
      while (g_get_monotonic_time () < deadline)
        {
          if (!urun_proc_is_alive (pid, start_time))
            return TRUE;
          g_usleep (10 * G_TIME_SPAN_MILLISECOND);
        }
    }
  if (!urun_proc_is_alive (pid, start_time))
    return TRUE;
  return urun_fail (error, URUN_ERROR_FAILED,
                    "container `%s`: init %d did not exit within %d ms of SIGKILL", id,
                    (int) pid, URUN_STATE_KILL_TIMEOUT_MS);
}

/* Removes everything inside @dirfd, depth first.  Returns 0 or -errno. */
static int
remove_contents (int dirfd)
{
  int fd = openat (dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct dirent *dent;
  DIR *dir;
  int ret = 0;

  if (fd < 0)
    return -errno;
  dir = fdopendir (fd);
  if (dir == NULL)
    {
      ret = -errno;
      close (fd);
      return ret;
    }
  while ((errno = 0, dent = readdir (dir)) != NULL)
    {
      if (strcmp (dent->d_name, ".") == 0 || strcmp (dent->d_name, "..") == 0)
        continue;
      if (unlinkat (dirfd, dent->d_name, 0) == 0 || errno == ENOENT)
        continue;
      if (errno == EISDIR)
        {
          URUN_AUTOCLOSE int subfd
            = openat (dirfd, dent->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

          if (subfd < 0 || (ret = remove_contents (subfd)) < 0)
            {
              if (ret == 0)
                ret = -errno;
              break;
            }
          if (unlinkat (dirfd, dent->d_name, AT_REMOVEDIR) == 0 || errno == ENOENT)
            continue;
        }
      ret = -errno;
      break;
    }
  if (ret == 0 && errno != 0)
    ret = -errno;
  closedir (dir);
  return ret;
}

gboolean
urun_state_delete (UrunContainerState *state, const UrunStateRecord *known_record,
                   gboolean force, UrunStateFrozenFunc is_frozen, GError **error)
{
  g_autoptr (UrunStateRecord) loaded = NULL;
  g_autoptr (GError) local_error = NULL;
  const UrunStateRecord *record = known_record;
  int r;

  g_return_val_if_fail (state != NULL && state->dirfd >= 0, FALSE);
  g_return_val_if_fail (state->locked, FALSE);

  /* Why the caller's copy will do: it read it under this same lock, and
   * nobody writes a record without it. */
  if (record == NULL)
    record = loaded = urun_state_record_load (state->dirfd, &local_error);
  if (record == NULL && !g_error_matches (local_error, URUN_ERROR, URUN_ERROR_NOT_FOUND)
      && !force)
    /* Without a readable record we cannot tell whether init still runs. */
    return urun_fail (error, URUN_ERROR_FAILED,
                      "cannot read the state of container `%s` (%s): use --force to delete it "
                      "anyway",
                      state->id, local_error->message);
  /* No record: the creator died before writing one (we hold its lock, so it
   * is not running), which it does before it makes anything else.  A
   * corrupt record with --force is removed the same way.  Why init's
   * liveness and not the status: a create that died half-way reads
   * "stopped" but may have left its init running. */
  if (record != NULL && record->pid > 0
      && urun_proc_is_alive (record->pid, record->init_start_time))
    {
      if (!force)
        return urun_fail (error, URUN_ERROR_WRONG_STATE,
                          "cannot delete container `%s` that is %s: stop it first or use "
                          "--force",
                          state->id,
                          urun_container_status_to_string (urun_state_status (record,
                                                                              state->dirfd,
                                                                              is_frozen)));
      /* The cgroup's part (thawing a paused container, killing its other
       * processes) is done before, by urun_container_delete_opened(); here
       * only init, which every container has. */
      if (!kill_init (state->id, record->pid, record->init_start_time, error))
        return FALSE;
    }

  r = remove_contents (state->dirfd);
  if (r < 0)
    return urun_fail_errno (error, r, "remove state of container `%s`", state->id);
  if (!urun_state_still_linked (state->rootfd, state->id, state->dirfd))
    return urun_state_fail_not_found (error, state->id);
  if (unlinkat (state->rootfd, state->id, AT_REMOVEDIR) < 0)
    return urun_fail_errno (error, errno, "remove state directory of container `%s`",
                            state->id);
  urun_close_fdp (&state->dirfd);
  state->locked = FALSE;
  return TRUE;
}
