/* urun-container-cgroup-host.c: what the cgroup code is told about this
 * process, and the container layer's answer to "is it paused" for the
 * state store (see urun-container-cgroup.h).  Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup.h"
#include "container/urun-container-cgroup.h"


void
urun_container_cgroup_host (const UrunRuntime *runtime, gboolean rootless,
                            UrunCgroupHost *out_host)
{
  *out_host = (UrunCgroupHost) {
    .rootless = rootless,
    .euid = runtime->euid,
    .session_bus = runtime->session_bus_address,
    .runtime_dir = runtime->xdg_runtime_dir,
    .system_bus = runtime->system_bus_address,
    .service_process = runtime->service_process,
  };
}

gboolean
urun_container_cgroup_is_frozen (const UrunCgroupOutcome *cgroup)
{
  return urun_cgroup_is_frozen (cgroup);
}
