/* urun-container-start.c: `start` (see urun-container.h): releases the
 * init of a created container through exec.fifo, waits until its process
 * runs, runs the poststart hooks and, under a NOTIFY_SOCKET, waits for
 * READY=1.  Zone: host side (GLib).
 */
#include "config.h"

#include "container/urun-container.h"
#include "container/urun-container-private.h"
#include "util/urun-error.h"
#include "util/urun-proc.h"
#include "util/urun-fd.h"
#include "container/urun-notify.h"
#include "container/urun-spawn.h"
#include "spec/urun-spec.h"
#include "state/urun-state.h"
#include "util/urun-timeout.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

/* How long `start` waits for init to take the exec.fifo byte. */
#define START_TIMEOUT_MS 10000

/* Reads what init writes into exec.fifo after its first byte, up to
 * end-of-file: nothing when the process runs (execve closed init's end), a
 * UrunSyncMessage when init failed before (a startContainer hook, execve). */
static gboolean
wait_for_exec (int fifo, const char *id, guint timeout, GError **error)
{
  UrunSyncMessage message;
  gsize got = 0;

  for (;;)
    {
      struct pollfd pfd = { .fd = fifo, .events = POLLIN };
      ssize_t n;
      int r = poll (&pfd, 1, (int) timeout * 1000);

      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          return urun_fail_errno (error, errno, "wait for container `%s`", id);
        }
      /* startContainer hooks and execve come between the byte and the
       * end of file; an init stuck there must not hold `start`. */
      if (r == 0)
        return urun_fail (error, URUN_ERROR_INIT_FAILED,
                          "the init of container `%s` did not run its process within %u s", id,
                          timeout);
      n = read (fifo, (char *) &message + got, sizeof message - got);
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      if (n < 0)
        return urun_fail_errno (error, errno, "read exec.fifo of container `%s`", id);
      if (n == 0)
        break;
      got += (gsize) n;
      if (got == sizeof message)
        break;
    }
  if (got == sizeof message && message.type == URUN_SYNC_ERROR)
    return urun_spawn_fail_from_message (&message, error);
  return TRUE;
}

/* Lets init go: takes the byte of exec.fifo (init opened its end, so it is
 * alive and waiting), then waits until the process runs. */
static gboolean
release_init (UrunContainerState *state, const UrunStateRecord *record, const UrunSpec *spec,
              int pidfd, GError **error)
{
  guint64 timeout = urun_peer_timeout (URUN_TIMEOUT_INIT_S);
  int dirfd = urun_container_state_get_dirfd (state);
  URUN_AUTOCLOSE int fifo = openat (dirfd, "exec.fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  struct pollfd fds[2];
  char byte;
  int r;

  if (fifo < 0)
    return urun_fail_errno (error, errno, "open exec.fifo of container `%s`", record->id);

  fds[0] = (struct pollfd) { .fd = fifo, .events = POLLIN };
  fds[1] = (struct pollfd) { .fd = pidfd, .events = POLLIN };
  do
    r = poll (fds, pidfd >= 0 ? 2 : 1, START_TIMEOUT_MS);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return urun_fail_errno (error, errno, "wait for container `%s`", record->id);
  if (r == 0)
    return urun_fail (error, URUN_ERROR_FAILED,
                      "container `%s` did not start within %d s", record->id,
                      START_TIMEOUT_MS / 1000);
  if (!(fds[0].revents & POLLIN) || read (fifo, &byte, 1) != 1)
    return urun_fail (error, URUN_ERROR_WRONG_STATE,
                      "the init process of container `%s` died before it could start",
                      record->id);
  /* No fifo, no "created": from here the container is running. */
  unlinkat (dirfd, "exec.fifo", 0);
  /* startContainer hooks may take as long as their own timeouts say. */
  for (gsize i = 0; spec != NULL && spec->hooks != NULL && i < spec->hooks->n_start_container; i++)
    if (spec->hooks->start_container[i].has_timeout)
      timeout += (guint64) MAX (spec->hooks->start_container[i].timeout, 0);
  return wait_for_exec (fifo, record->id, (guint) MIN (timeout, 86400), error);
}

/* `start` and `run --detach` with a NOTIFY_SOCKET: return once the payload
 * said READY=1, as systemd expects of a Type=notify start command, or once
 * it died. */
gboolean
urun_container_wait_for_ready (UrunNotifyProxy *notify, int pidfd, const char *id,
                               GPtrArray *warnings, GError **error)
{
  gboolean ready = FALSE;

  if (!urun_notify_proxy_wait_ready (notify, pidfd, &ready, error))
    {
      /* Why kill: the start failed, and a payload left running would be
       * supervised by nobody; systemd kills a service whose start timed
       * out for the same reason. */
      if (pidfd >= 0)
        syscall (SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
      g_prefix_error (error, "container `%s`: ", id);
      return FALSE;
    }
  if (!ready)
    g_ptr_array_add (warnings,
                     g_strdup_printf ("container `%s` exited before it sent READY=1", id));
  return TRUE;
}

gboolean
urun_container_start (const UrunRuntime *runtime, const char *id, GPtrArray *warnings,
                      GError **error)
{
  g_auto (UrunContainerLoaded) loaded = { 0 };
  g_autoptr (UrunSpec) spec = NULL;
  g_autoptr (UrunNotifyProxy) notify = NULL;
  g_autoptr (GError) config_error = NULL;
  URUN_AUTOCLOSE int pidfd = -1;
  UrunStateRecord *record;

  if (!urun_container_load (runtime, id, URUN_STATE_OPEN_DEFAULT, &loaded, error))
    return FALSE;
  record = loaded.record;
  if (loaded.status != URUN_STATUS_CREATED)
    return urun_fail (error, URUN_ERROR_WRONG_STATE,
                      "cannot start container `%s`: it is %s, not created", id,
                      urun_container_status_to_string (loaded.status));
  spec = urun_container_load_saved_config (loaded.state, &config_error);
  if (config_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&config_error));
      return FALSE;
    }
  if (runtime->notify_socket != NULL)
    {
      g_autoptr (GError) notify_error = NULL;

      /* Bound before init is released: the first READY=1 must find it. */
      notify = urun_notify_reopen (urun_container_state_get_dirfd (loaded.state),
                                   runtime->notify_socket, &notify_error);
      if (notify_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&notify_error));
          return FALSE;
        }
      if (notify != NULL)
        urun_notify_proxy_set_main_pid (notify, record->pid);
    }
  /* Why the pidfd before init is released: a payload that dies at once is
   * reaped by its parent before a later pidfd_open could pin it, and the
   * wait for READY=1 would then not see it die (and wait for the timeout). */
  pidfd = urun_proc_pidfd_open_verified (record->pid, record->init_start_time);
  if (!release_init (loaded.state, record, spec, pidfd, error))
    return FALSE;
  g_debug ("container `%s`: init %d runs the process", id, (int) record->pid);
  urun_container_run_poststart_hooks (spec, record, warnings);
  if (notify != NULL)
    {
      /* Unlocked while waiting: `kill` and `delete` must not wait for a
       * payload that never gets ready. */
      g_clear_pointer (&loaded.state, urun_container_state_free);
      return urun_container_wait_for_ready (notify, pidfd, id, warnings, error);
    }
  return TRUE;
}
