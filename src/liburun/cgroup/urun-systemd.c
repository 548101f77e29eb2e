/* urun-systemd.c: the systemd cgroup driver — transient scopes over sd-bus
 * (see urun-systemd.h; the bus calls are in urun-systemd-bus.c, the
 * properties of linux.resources in urun-systemd-resources.c).
 * Zone: host side (GLib).
 *
 * How a container lands in its scope, the way `systemd-run --scope` does:
 *   1. match JobRemoved on the manager (before the call: see the header);
 *   2. StartTransientUnit(unit, "fail", properties, []) with PIDs = init,
 *      Delegate=yes, DefaultDependencies=no, Slice=, Description=,
 *      accounting on, the resources that are unit properties, the
 *      org.systemd.property.* annotations and the -p options, in that
 *      order (a later one overrides an earlier one);
 *   3. a leftover unit of the same name (UnitExists) is reset with
 *      ResetFailedUnit and the call made once more;
 *   4. wait for the job; "done" is success, anything else a failure that
 *      leaves no unit behind;
 *   5. read init's cgroup back from /proc/PID/cgroup and write what no
 *      property expresses (unified entries, hugetlb, cpu.idle, ...) into
 *      the delegated cgroup.
 * Once the scope exists, pause, kill, ps and the statistics work on its
 * cgroup directories as for cgroupfs (urun-cgroup-tree.c).
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "cgroup/urun-systemd.h"
#include "util/urun-error.h"

#include <string.h>
#include <unistd.h>

#if HAVE_SYSTEMD
#include "cgroup/urun-systemd-bus.h"

gboolean
urun_systemd_available (const UrunCgroupHost *host, GError **error)
{
  g_autofree char *addr = NULL;

  if (!host->rootless)
    {
      /* systemd's own test for "booted with systemd" (sd_booted()). */
      if (access ("/run/systemd/system", F_OK) < 0)
        return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                          "this system does not run systemd (/run/systemd/system is missing)");
      return TRUE;
    }
  addr = urun_systemd_user_bus_address (host);
  if (addr == NULL)
    return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                      "no session bus: neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR "
                      "is set");
  if (!g_str_has_prefix (addr, "unix:") && !g_file_test (addr, G_FILE_TEST_EXISTS))
    return urun_fail (error, URUN_ERROR_NOT_SUPPORTED, "no session bus at %s", addr);
  return TRUE;
}

static void
stop_quietly (UrunSystemdBus *b, const char *unit)
{
  g_autoptr (GError) ignored = NULL;

  /* Each call on a bus that did not answer would wait the timeout again. */
  if (b->broken)
    return;
  urun_systemd_bus_stop_unit (b, unit, NULL, &ignored);
  g_clear_error (&ignored);
  urun_systemd_bus_reset_failed (b, unit, &ignored);
}

static gboolean
build_properties (const UrunCgroupRequest *request, pid_t pid, const char *slice,
                  GPtrArray *props, GPtrArray *dropped, GError **error)
{
  const UrunSpecLinux *lx = request->spec ? request->spec->linux_ : NULL;
  static const char *const accounting[] = { "MemoryAccounting", "TasksAccounting",
                                            "CPUAccounting", "IOAccounting" };
  guint32 pid32 = (guint32) pid;
  g_autofree char *description = request->description
                                   ? g_strdup (request->description)
                                   : g_strdup_printf ("urun container %s", request->id);

  urun_systemd_property_list_set (props, "PIDs",
                                  g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, &pid32, 1,
                                                             sizeof pid32));
  urun_systemd_property_list_set (props, "Delegate", g_variant_new_boolean (TRUE));
  urun_systemd_property_list_set (props, "DefaultDependencies", g_variant_new_boolean (FALSE));
  urun_systemd_property_list_set (props, "Slice", g_variant_new_string (slice));
  urun_systemd_property_list_set (props, "Description", g_variant_new_string (description));
  for (gsize i = 0; i < G_N_ELEMENTS (accounting); i++)
    urun_systemd_property_list_set (props, accounting[i], g_variant_new_boolean (TRUE));
  if (request->collect)
    urun_systemd_property_list_set (props, "CollectMode",
                                    g_variant_new_string ("inactive-or-failed"));
  urun_systemd_resources_properties (lx ? lx->resources : NULL, lx ? lx->devices : NULL,
                                     lx ? lx->n_devices : 0, request->host.rootless, props,
                                     dropped);
  if (!urun_cgroup_request_annotation_properties (request, props, error))
    return FALSE;
  for (gsize i = 0; request->properties != NULL && request->properties[i] != NULL; i++)
    if (!urun_systemd_property_parse (request->properties[i], props, error))
      return FALSE;
  return TRUE;
}

static gboolean
systemd_enter (const UrunCgroupRequest *request, pid_t pid, UrunCgroupOutcome *outcome,
               gboolean *out_unavailable, GError **error)
{
  g_auto (UrunSystemdBus) b = { 0 };
  g_autoptr (GPtrArray) props = urun_systemd_property_list_new ();
  g_autoptr (GPtrArray) writes = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *slice = NULL;
  g_autofree char *error_name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autoptr (GError) local = NULL;
  const UrunSpecResources *res = urun_cgroup_request_resources (request);
  const char *v2root;

  if (!urun_cgroup_systemd_names (request, &unit, &slice, error))
    return FALSE;
  writes = urun_cgroup_resources_v2 (res, outcome->dropped_limits, error);
  if (writes == NULL)
    return FALSE;
  if (!build_properties (request, pid, slice, props, outcome->dropped_limits, error))
    return FALSE;
  /* Announced once the bus answers: a record naming a unit that never
   * came to be costs `delete` a NoSuchUnit, which it ignores. */
  if (!urun_systemd_bus_open (&b, &request->host, error)
      || !urun_cgroup_request_announce (request, URUN_CGROUP_DRIVER_SYSTEMD, unit, NULL, error))
    return FALSE;

  if (!urun_systemd_bus_start_unit (&b, unit, props, &error_name, &local))
    {
      /* A leftover of an earlier container (failed, or not yet collected)
       * holds the name: reset it and try once more. */
      if (g_strcmp0 (error_name, "org.freedesktop.systemd1.UnitExists") != 0)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          stop_quietly (&b, unit);
          return FALSE;
        }
      g_clear_error (&local);
      g_clear_pointer (&error_name, g_free);
      urun_systemd_bus_reset_failed (&b, unit, NULL);
      if (!urun_systemd_bus_start_unit (&b, unit, props, &error_name, &local))
        {
          if (g_strcmp0 (error_name, "org.freedesktop.systemd1.UnitExists") == 0)
            return urun_fail (error, URUN_ERROR_EXISTS,
                              "the unit %s already exists and is in use (another container?); "
                              "pick another name with --unit or linux.cgroupsPath, or stop it "
                              "with `systemctl%s stop %s`", unit,
                              request->host.rootless ? " --user" : "", unit);
          g_propagate_error (error, g_steal_pointer (&local));
          stop_quietly (&b, unit);
          return FALSE;
        }
    }

  path = urun_cgroup_path_of_pid (pid, error);
  if (path == NULL)
    goto fail;
  v2root = urun_cgroup_v2_root ();
  if (v2root != NULL)
    {
      dir = g_build_filename (v2root, path, NULL);
      if (!g_str_has_suffix (path, unit))
        {
          urun_fail (error, URUN_ERROR_FAILED,
                     "systemd started %s, but the container's init is in cgroup %s, not in it",
                     unit, path);
          goto fail;
        }
      if (!urun_cgroup_apply_v2 (dir, writes, TRUE, urun_cgroup_request_best_effort (request),
                                 outcome->dropped_limits, error))
        goto fail;
      urun_cgroup_report_unenforced (dir, writes, outcome->dropped_limits);
    }
  outcome->driver = URUN_CGROUP_DRIVER_SYSTEMD;
  outcome->unit = g_steal_pointer (&unit);
  outcome->path = g_steal_pointer (&path);
  return TRUE;

fail:
  stop_quietly (&b, unit);
  return FALSE;
}

static gboolean
stop_unit (const char *unit, const UrunCgroupHost *host, GError **error)
{
  g_auto (UrunSystemdBus) b = { 0 };
  g_autofree char *error_name = NULL;
  g_autoptr (GError) local = NULL;

  if (!urun_systemd_bus_open (&b, host, error))
    return FALSE;
  if (!urun_systemd_bus_stop_unit (&b, unit, &error_name, &local)
      && g_strcmp0 (error_name, "org.freedesktop.systemd1.NoSuchUnit") != 0)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* A scope whose processes were killed may end "failed"; leave no
   * leftover for the next container of the same name. */
  urun_systemd_bus_reset_failed (&b, unit, NULL);
  return TRUE;
}

static gboolean
set_unit_resources (const char *unit, const UrunCgroupHost *host,
                    const UrunSpecResources *resources, GPtrArray *dropped, GError **error)
{
  g_auto (UrunSystemdBus) b = { 0 };
  g_autoptr (GPtrArray) props = urun_systemd_property_list_new ();

  urun_systemd_resources_properties (resources, NULL, 0, host->rootless, props, dropped);
  if (props->len == 0)
    return TRUE;
  if (!urun_systemd_bus_open (&b, host, error))
    return FALSE;
  return urun_systemd_bus_set_properties (&b, unit, props, error);
}

gboolean
urun_systemd_attach (const char *unit, const UrunCgroupHost *host, pid_t pid,
                     const char *subcgroup, GError **error)
{
  g_auto (UrunSystemdBus) b = { 0 };

  if (!urun_systemd_bus_open (&b, host, error))
    return FALSE;
  return urun_systemd_bus_attach (&b, unit, subcgroup, pid, error);
}

#else /* !HAVE_SYSTEMD */

static gboolean
fail_unbuilt (GError **error)
{
  return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                    "urun was built without libsystemd (-Dsystemd=disabled): the systemd cgroup "
                    "driver is not available; use --cgroup-manager cgroupfs");
}

gboolean
urun_systemd_available (const UrunCgroupHost *host, GError **error)
{
  return fail_unbuilt (error);
}

static gboolean
systemd_enter (const UrunCgroupRequest *request, pid_t pid, UrunCgroupOutcome *outcome,
               gboolean *out_unavailable, GError **error)
{
  return fail_unbuilt (error);
}

static gboolean
stop_unit (const char *unit, const UrunCgroupHost *host, GError **error)
{
  return fail_unbuilt (error);
}

static gboolean
set_unit_resources (const char *unit, const UrunCgroupHost *host,
                    const UrunSpecResources *resources, GPtrArray *dropped, GError **error)
{
  return fail_unbuilt (error);
}

gboolean
urun_systemd_attach (const char *unit, const UrunCgroupHost *host, pid_t pid,
                     const char *subcgroup, GError **error)
{
  return fail_unbuilt (error);
}

#endif

/* ---- the operations on a scope ------------------------------------------------ */

static gboolean
systemd_update (const UrunCgroupOutcome *cg, const UrunCgroupHost *host,
                const UrunSpecResources *resources, GPtrArray *dropped, GError **error)
{
  gboolean has_unit = cg->unit != NULL;
  g_autofree char *d2 = NULL;
  g_autoptr (GPtrArray) writes = NULL;

  /* Without a cgroup2 hierarchy (a legacy host) the scope's cgroups are
   * v1 ones: their files, as for cgroupfs. */
  if (urun_cgroup_v2_root () == NULL)
    return urun_cgroup_apply_v1_resources (cg->path, resources, dropped, error);
  d2 = urun_cgroup_v2_dir (cg->path);
  writes = urun_cgroup_resources_v2 (resources, dropped, error);
  if (writes == NULL)
    return FALSE;
  if (has_unit && !set_unit_resources (cg->unit, host, resources, dropped, error))
    return FALSE;
  if (!urun_cgroup_apply_v2 (d2, writes, has_unit, FALSE, dropped, error))
    return FALSE;
  /* systemd accepts properties it cannot enforce: say so. */
  if (has_unit)
    urun_cgroup_report_unenforced (d2, writes, dropped);
  return TRUE;
}

static JsonNode *
systemd_stats (const UrunCgroupOutcome *cg, GError **error)
{
  g_autofree char *d2 = urun_cgroup_v2_dir (cg->path);

  return d2 != NULL ? urun_cgroup_read_stats_v2 (d2) : urun_cgroup_read_stats_v1 (cg->path);
}

static gboolean
systemd_remove (const UrunCgroupOutcome *cg, const UrunCgroupHost *host, gboolean kill_left,
                GError **error)
{
  gboolean stopped = cg->unit == NULL || stop_unit (cg->unit, host, error);

  /* A stopped scope's directories are systemd's to remove, but not the
   * sub-cgroups made below its v2 directory; what a scope that could not
   * be stopped holds is killed first.  A scope that would not stop has
   * said so already: its error is the one kept. */
  return urun_cgroup_tree_remove (cg, FALSE, kill_left && !stopped, stopped ? error : NULL)
         && stopped;
}

const UrunCgroupDriverOps urun_cgroup_systemd_driver = {
  .enter = systemd_enter,
  .update = systemd_update,
  .freeze = urun_cgroup_tree_freeze,
  .is_frozen = urun_cgroup_tree_is_frozen,
  .kill = urun_cgroup_tree_kill,
  .pids = urun_cgroup_tree_pids,
  .stats = systemd_stats,
  .oom_kills = urun_cgroup_read_oom_kills,
  .watch_events = urun_cgroup_watch_memory_events,
  .remove = systemd_remove,
};
