/* urun-container-cgroup-host.c: what the cgroup code is told about this
 * process, and the container layer's answer to "is it paused" for the
 * state store (see urun-container-cgroup.h).  Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup.h"
#include "container/urun-container-cgroup.h"

#include <unistd.h>

void
urun_container_cgroup_host (gboolean rootless, UrunCgroupHost *out_host)
{
  /* From the environment for now; the runtime context will carry it. */
  *out_host = (UrunCgroupHost) {
    .rootless = rootless,
    .euid = geteuid (),
    .session_bus = g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
    .runtime_dir = g_getenv ("XDG_RUNTIME_DIR"),
    .system_bus = g_getenv ("DBUS_SYSTEM_BUS_ADDRESS"),
    .invocation_id = g_getenv ("INVOCATION_ID"),
    .exec_pid = g_getenv ("SYSTEMD_EXEC_PID"),
  };
}

gboolean
urun_container_cgroup_is_frozen (const UrunCgroupOutcome *cgroup)
{
  return urun_cgroup_is_frozen (cgroup);
}
