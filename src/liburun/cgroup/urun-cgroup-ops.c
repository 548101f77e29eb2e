/* urun-cgroup-ops.c: the operations on a container's cgroup once it
 * exists (see urun-cgroup.h), each handed to the driver that placed it.
 * Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"

const UrunCgroupDriverOps *
urun_cgroup_driver_ops (UrunCgroupDriver driver)
{
  /* The state records "cgroupfs" alone: which of its drivers made the
   * directories follows from the host, whose layout does not change
   * under a container. */
  if (driver == URUN_CGROUP_DRIVER_CGROUPFS)
    return urun_cgroup_mode () == URUN_CGROUP_MODE_UNIFIED ? &urun_cgroup_v2_driver
                                                           : &urun_cgroup_v1_driver;
  if (driver == URUN_CGROUP_DRIVER_SYSTEMD)
    return &urun_cgroup_systemd_driver;
  return &urun_cgroup_none_driver;
}

static const UrunCgroupDriverOps *
ops_of (const UrunCgroupOutcome *cg)
{
  return urun_cgroup_driver_ops (cg->driver);
}

GArray *
urun_cgroup_pids (const UrunCgroupOutcome *cg, GError **error)
{
  return ops_of (cg)->pids (cg, error);
}

gboolean
urun_cgroup_is_frozen (const UrunCgroupOutcome *cg)
{
  return cg != NULL && ops_of (cg)->is_frozen (cg);
}

gboolean
urun_cgroup_freeze (const UrunCgroupOutcome *cg, gboolean freeze, GError **error)
{
  return ops_of (cg)->freeze (cg, freeze, error);
}

gboolean
urun_cgroup_kill (const UrunCgroupOutcome *cg, int signum, GError **error)
{
  return ops_of (cg)->kill (cg, signum, error);
}

gboolean
urun_cgroup_destroy (const UrunCgroupOutcome *cg, const UrunCgroupHost *host, GError **error)
{
  return cg == NULL || ops_of (cg)->remove (cg, host, TRUE, error);
}

gboolean
urun_cgroup_remove (const UrunCgroupOutcome *cg, const UrunCgroupHost *host, GError **error)
{
  return cg == NULL || ops_of (cg)->remove (cg, host, FALSE, error);
}

gboolean
urun_cgroup_update (const UrunCgroupOutcome *cg, const UrunCgroupHost *host,
                    const UrunSpecResources *resources, GPtrArray *warnings, GError **error)
{
  g_autoptr (GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  UrunCgroupOutcome report = { 0 };

  if (!ops_of (cg)->update (cg, host, resources, dropped, error))
    return FALSE;
  report.driver = cg->driver;
  report.dropped_limits = dropped;
  urun_cgroup_warn_dropped (&report, warnings);
  return TRUE;
}

JsonNode *
urun_cgroup_stats (const UrunCgroupOutcome *cg, GError **error)
{
  return ops_of (cg)->stats (cg, error);
}

gboolean
urun_cgroup_oom_kills (const UrunCgroupOutcome *cg, guint64 *out_count)
{
  return ops_of (cg)->oom_kills (cg, out_count);
}

int
urun_cgroup_watch_events (const UrunCgroupOutcome *cg)
{
  return ops_of (cg)->watch_events (cg);
}
