/* urun-hooks.c: running the hooks of the runtime's namespaces (see
 * urun-hooks.h).  Zone: host side (GLib). */
#include "config.h"

#include "container/urun-hooks.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "init/urun-init-util.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void
write_state (int fd, const char *state_json)
{
  gsize len = strlen (state_json);

  /* A hook that does not read its stdin gets EPIPE on our side, not a
   * SIGPIPE that would kill urun. */
  signal (SIGPIPE, SIG_IGN);
  while (len > 0)
    {
      ssize_t n = write (fd, state_json, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      state_json += n;
      len -= (gsize) n;
    }
}

/* Waits for @pid for at most @timeout_seconds (0: forever); on timeout the
 * hook is killed.  Returns FALSE on timeout.  The deadline is kept in
 * 64-bit microseconds and poll() gets at most INT_MAX ms at a time: a
 * timeout in seconds times 1000 does not fit an int for long timeouts. */
static gboolean
wait_hook (GPid pid, guint32 timeout_seconds, int *out_status)
{
  if (timeout_seconds > 0)
    {
      URUN_AUTOCLOSE int pidfd = (int) syscall (SYS_pidfd_open, pid, 0);
      gint64 deadline = g_get_monotonic_time () + (gint64) timeout_seconds * G_USEC_PER_SEC;

      if (pidfd >= 0)
        for (;;)
          {
            struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
            gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
            int r;

            if (left_ms <= 0)
              {
                kill (pid, SIGKILL);
                waitpid (pid, out_status, 0);
                return FALSE;
              }
            r = poll (&pfd, 1, (int) MIN (left_ms, (gint64) G_MAXINT));
            if (r > 0 || (r < 0 && errno != EINTR))
              break;
          }
    }
  while (waitpid (pid, out_status, 0) < 0 && errno == EINTR)
    ;
  return TRUE;
}

/* Between fork and exec: a hook starts with no signal blocked or ignored,
 * whatever urun blocks while it waits, or its caller ignored. */
static void
reset_child_signals (gpointer unused)
{
  urun_init_reset_signals ();
}

static gboolean
run_hook (const char *kind, const UrunSpecHook *hook, const char *state_json, GError **error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) spawn_error = NULL;
  GPid pid;
  int stdin_fd = -1;
  int status = 0;

  /* With FILE_AND_ARGV_ZERO the first element is the program and the rest
   * is its argv, so args[0] may differ from the path, as the spec allows. */
  g_ptr_array_add (argv, hook->path);
  if (hook->args != NULL && hook->args[0] != NULL)
    for (gsize i = 0; hook->args[i] != NULL; i++)
      g_ptr_array_add (argv, hook->args[i]);
  else
    g_ptr_array_add (argv, hook->path);
  g_ptr_array_add (argv, NULL);

  /* Without `env`, the runtime's own environment (NULL), as runc and crun
   * give it. */
  if (!g_spawn_async_with_pipes (NULL, (char **) argv->pdata, hook->env,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_FILE_AND_ARGV_ZERO,
                                 reset_child_signals, NULL, &pid, &stdin_fd, NULL, NULL,
                                 &spawn_error))
    return urun_fail (error, URUN_ERROR_FAILED, "%s hook `%s`: %s", kind, hook->path,
                      spawn_error->message);
  write_state (stdin_fd, state_json);
  close (stdin_fd);

  if (!wait_hook (pid, hook->has_timeout && hook->timeout > 0 ? (guint32) hook->timeout : 0,
                  &status))
    return urun_fail (error, URUN_ERROR_FAILED, "%s hook `%s` timed out after %d s", kind,
                      hook->path, hook->timeout);
  if (WIFSIGNALED (status))
    return urun_fail (error, URUN_ERROR_FAILED, "%s hook `%s` was killed by signal %d", kind,
                      hook->path, WTERMSIG (status));
  if (WEXITSTATUS (status) != 0)
    return urun_fail (error, URUN_ERROR_FAILED, "%s hook `%s` exited with status %d", kind,
                      hook->path, WEXITSTATUS (status));
  return TRUE;
}

gboolean
urun_hooks_run (const char *kind, const UrunSpecHook *hooks, gsize n_hooks,
                const char *state_json, GError **error)
{
  for (gsize i = 0; i < n_hooks; i++)
    if (!run_hook (kind, &hooks[i], state_json, error))
      return FALSE;
  return TRUE;
}

void
urun_hooks_run_all (const char *kind, const UrunSpecHook *hooks, gsize n_hooks,
                    const char *state_json, GPtrArray *warnings)
{
  for (gsize i = 0; i < n_hooks; i++)
    {
      g_autoptr (GError) error = NULL;

      if (!run_hook (kind, &hooks[i], state_json, &error) && warnings != NULL)
        g_ptr_array_add (warnings, g_strdup_printf ("%s (hooks.%s[%" G_GSIZE_FORMAT "])",
                                                    error->message, kind, i));
    }
}
