/* urun-runtime.c: the runtime context, resolved once (see urun-runtime.h).
 * Zone: host side (GLib).
 *
 * The only reads of the caller's environment and identity in liburun,
 * besides the test and tuning knobs (URUN_TEST_STOP_AT, URUN_PEER_TIMEOUT),
 * the ids the kernel compares at that moment (the state store's owner
 * check, the SCM_CREDENTIALS of the notify proxy) and, until the cgroup
 * request carries them, those of cgroup/.
 */
#include "config.h"

#include "container/urun-runtime.h"
#include "state/urun-state.h"
#include "util/urun-userns.h"

#include <string.h>
#include <unistd.h>

struct _UrunRuntimeUser
{
  char *name;                    /* NULL until looked up */
};

/* @name from the environment, copied; NULL when unset or empty, which the
 * callers of every variable below treat alike (podman running as root sets
 * XDG_RUNTIME_DIR to "" on purpose). */
static char *
getenv_nonempty (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? g_strdup (value) : NULL;
}

int
urun_runtime_listen_fds_for (const char *listen_fds, const char *listen_pid, pid_t pid)
{
  gint64 n;

  /* Socket activation passes fds only to the pid it names, and as
   * sd_listen_fds(3) does, no LISTEN_PID means they are not ours: the
   * variables may have been inherited by a process they were not for. */
  if (listen_fds == NULL || listen_pid == NULL || g_ascii_strtoll (listen_pid, NULL, 10) != pid)
    return 0;
  n = g_ascii_strtoll (listen_fds, NULL, 10);
  return n > 0 && n < 1024 ? (int) n : 0;
}

gboolean
urun_runtime_is_service_process_for (const char *invocation_id, const char *exec_pid, pid_t pid)
{
  g_autofree char *pid_text = g_strdup_printf ("%d", (int) pid);

  /* Why both: INVOCATION_ID is inherited by everything a unit runs, while
   * SYSTEMD_EXEC_PID names only the process systemd itself started. */
  return invocation_id != NULL && invocation_id[0] != '\0'
         && g_strcmp0 (exec_pid, pid_text) == 0;
}

void
urun_runtime_resolve (UrunRuntime *runtime, const char *root_option, UrunRootlessMode rootless,
                      UrunCgroupManager cgroup_manager)
{
  pid_t pid = getpid ();

  *runtime = (UrunRuntime) { 0 };
  runtime->uid = getuid ();
  runtime->gid = getgid ();
  runtime->euid = geteuid ();
  runtime->egid = getegid ();
  runtime->initial_userns = urun_userns_is_initial ();
  /* Root inside a user namespace (rootless podman calling urun) holds no
   * privilege over the host. */
  runtime->privileged = runtime->euid == 0 && runtime->initial_userns;
  runtime->rootless = rootless == URUN_ROOTLESS_AUTO ? !runtime->privileged
                                                     : rootless == URUN_ROOTLESS_TRUE;
  runtime->cgroup_manager = cgroup_manager;

  runtime->notify_socket = getenv_nonempty ("NOTIFY_SOCKET");
  runtime->listen_fds = urun_runtime_listen_fds_for (g_getenv ("LISTEN_FDS"),
                                                     g_getenv ("LISTEN_PID"), pid);
  runtime->xdg_runtime_dir = getenv_nonempty ("XDG_RUNTIME_DIR");
  runtime->session_bus_address = getenv_nonempty ("DBUS_SESSION_BUS_ADDRESS");
  runtime->system_bus_address = getenv_nonempty ("DBUS_SYSTEM_BUS_ADDRESS");
  runtime->service_process = urun_runtime_is_service_process_for (
    g_getenv ("INVOCATION_ID"), g_getenv ("SYSTEMD_EXEC_PID"), pid);

  /* The default is resolved even with --root: the cgroup of a container
   * is named after its root only when that is not the default. */
  runtime->default_state_root = urun_state_default_root_for (
    runtime->uid, runtime->xdg_runtime_dir, runtime->initial_userns, "/run/user",
    g_getenv ("TMPDIR"));
  runtime->state_root = g_strdup (root_option != NULL ? root_option
                                                      : runtime->default_state_root);
  runtime->state_root_is_default = strcmp (runtime->state_root,
                                           runtime->default_state_root) == 0;

  runtime->user = g_new0 (UrunRuntimeUser, 1);
}

void
urun_runtime_clear (UrunRuntime *runtime)
{
  g_clear_pointer (&runtime->state_root, g_free);
  g_clear_pointer (&runtime->default_state_root, g_free);
  g_clear_pointer (&runtime->notify_socket, g_free);
  g_clear_pointer (&runtime->xdg_runtime_dir, g_free);
  g_clear_pointer (&runtime->session_bus_address, g_free);
  g_clear_pointer (&runtime->system_bus_address, g_free);
  if (runtime->user != NULL)
    g_free (runtime->user->name);
  g_clear_pointer (&runtime->user, g_free);
}

const char *
urun_runtime_user_name (const UrunRuntime *runtime)
{
  g_return_val_if_fail (runtime->user != NULL, NULL);

  if (runtime->user->name == NULL)
    runtime->user->name = urun_state_owner_name (runtime->uid);
  return runtime->user->name;
}
