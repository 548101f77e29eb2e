/* test-runtime.c: unit tests of the runtime context: the socket activation
 * and service rules, and the resolution of the state root, the privilege
 * and the environment through a real environment. */
#include "config.h"

#include "container/urun-runtime.h"
#include "state/urun-state.h"
#include "util/urun-userns.h"

#include <string.h>
#include <unistd.h>

static void
test_listen_fds (void)
{
  /* Only the pid LISTEN_PID names receives the fds, as in sd_listen_fds(3). */
  g_assert_cmpint (urun_runtime_listen_fds_for ("2", "123", 123), ==, 2);
  g_assert_cmpint (urun_runtime_listen_fds_for ("2", "124", 123), ==, 0);
  g_assert_cmpint (urun_runtime_listen_fds_for ("2", NULL, 123), ==, 0);
  g_assert_cmpint (urun_runtime_listen_fds_for (NULL, "123", 123), ==, 0);
  g_assert_cmpint (urun_runtime_listen_fds_for (NULL, NULL, 123), ==, 0);
  /* A count that makes no sense is none. */
  g_assert_cmpint (urun_runtime_listen_fds_for ("0", "123", 123), ==, 0);
  g_assert_cmpint (urun_runtime_listen_fds_for ("-1", "123", 123), ==, 0);
  g_assert_cmpint (urun_runtime_listen_fds_for ("many", "123", 123), ==, 0);
  g_assert_cmpint (urun_runtime_listen_fds_for ("1023", "123", 123), ==, 1023);
  g_assert_cmpint (urun_runtime_listen_fds_for ("1024", "123", 123), ==, 0);
}

static void
test_service_process (void)
{
  g_assert_true (urun_runtime_is_service_process_for ("0123abcd", "123", 123));
  /* INVOCATION_ID inherited by a process systemd did not start itself. */
  g_assert_false (urun_runtime_is_service_process_for ("0123abcd", "122", 123));
  g_assert_false (urun_runtime_is_service_process_for ("0123abcd", NULL, 123));
  g_assert_false (urun_runtime_is_service_process_for ("0123abcd", "0123", 123));
  g_assert_false (urun_runtime_is_service_process_for ("", "123", 123));
  g_assert_false (urun_runtime_is_service_process_for (NULL, "123", 123));
}

static void
test_resolve_environment (void)
{
  g_auto (UrunRuntime) runtime = { 0 };
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *expected_root = NULL;

  g_setenv ("XDG_RUNTIME_DIR", "/some/xdg", TRUE);
  g_setenv ("TMPDIR", "/some/tmp", TRUE);
  g_setenv ("NOTIFY_SOCKET", "", TRUE);
  g_setenv ("LISTEN_FDS", "3", TRUE);
  g_setenv ("LISTEN_PID", pid, TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/some/bus", TRUE);
  g_unsetenv ("DBUS_SYSTEM_BUS_ADDRESS");
  g_setenv ("INVOCATION_ID", "0123abcd", TRUE);
  g_setenv ("SYSTEMD_EXEC_PID", pid, TRUE);

  urun_runtime_resolve (&runtime, NULL, URUN_ROOTLESS_AUTO, URUN_CGROUP_MANAGER_CGROUPFS);
  expected_root = urun_state_default_root_for (getuid (), "/some/xdg", urun_userns_is_initial (),
                                               "/run/user", "/some/tmp");
  g_assert_cmpstr (runtime.default_state_root, ==, expected_root);
  g_assert_cmpstr (runtime.state_root, ==, expected_root);
  g_assert_true (runtime.state_root_is_default);
  if (getuid () != 0)
    g_assert_cmpstr (runtime.state_root, ==, "/some/xdg/urun");

  g_assert_cmpuint (runtime.uid, ==, getuid ());
  g_assert_cmpuint (runtime.euid, ==, geteuid ());
  g_assert_cmpuint (runtime.egid, ==, getegid ());
  g_assert_cmpint (runtime.initial_userns, ==, urun_userns_is_initial ());
  g_assert_cmpint (runtime.privileged, ==, geteuid () == 0 && urun_userns_is_initial ());
  g_assert_cmpint (runtime.rootless, ==, !runtime.privileged);
  g_assert_cmpint (runtime.cgroup_manager, ==, URUN_CGROUP_MANAGER_CGROUPFS);

  /* An empty variable is an unset one. */
  g_assert_null (runtime.notify_socket);
  g_assert_cmpint (runtime.listen_fds, ==, 3);
  g_assert_cmpstr (runtime.xdg_runtime_dir, ==, "/some/xdg");
  g_assert_cmpstr (runtime.session_bus_address, ==, "unix:path=/some/bus");
  g_assert_null (runtime.system_bus_address);
  g_assert_true (runtime.service_process);
  urun_runtime_clear (&runtime);

  /* --root and --rootless; the default root named by --root is still the
   * default. */
  g_setenv ("NOTIFY_SOCKET", "@notify", TRUE);
  g_setenv ("LISTEN_PID", "1", TRUE);
  urun_runtime_resolve (&runtime, "/some/root", URUN_ROOTLESS_TRUE, URUN_CGROUP_MANAGER_DEFAULT);
  g_assert_cmpstr (runtime.state_root, ==, "/some/root");
  g_assert_false (runtime.state_root_is_default);
  g_assert_true (runtime.rootless);
  g_assert_cmpstr (runtime.notify_socket, ==, "@notify");
  g_assert_cmpint (runtime.listen_fds, ==, 0);
  urun_runtime_clear (&runtime);

  urun_runtime_resolve (&runtime, expected_root, URUN_ROOTLESS_FALSE,
                        URUN_CGROUP_MANAGER_DEFAULT);
  g_assert_true (runtime.state_root_is_default);
  g_assert_false (runtime.rootless);

  g_unsetenv ("NOTIFY_SOCKET");
  g_unsetenv ("LISTEN_FDS");
  g_unsetenv ("LISTEN_PID");
  g_unsetenv ("INVOCATION_ID");
  g_unsetenv ("SYSTEMD_EXEC_PID");
}

static void
test_user_name (void)
{
  g_auto (UrunRuntime) runtime = { 0 };
  g_autofree char *expected = urun_state_owner_name (getuid ());
  UrunRuntime copy;
  const char *name;

  urun_runtime_resolve (&runtime, "/some/root", URUN_ROOTLESS_AUTO, URUN_CGROUP_MANAGER_DEFAULT);
  copy = runtime;
  name = urun_runtime_user_name (&copy);
  g_assert_cmpstr (name, ==, expected);
  /* Looked up once: the copies share the answer. */
  g_assert_true (urun_runtime_user_name (&runtime) == name);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runtime/listen-fds", test_listen_fds);
  g_test_add_func ("/runtime/service-process", test_service_process);
  g_test_add_func ("/runtime/resolve-environment", test_resolve_environment);
  g_test_add_func ("/runtime/user-name", test_user_name);
  return g_test_run ();
}
