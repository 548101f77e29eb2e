/* urun-cgroup-outcome.c: clearing a cgroup outcome, and what the user is
 * told of it: the limits it dropped, the reason it has no cgroup.
 * Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "util/urun-error.h"

void
urun_cgroup_outcome_clear (UrunCgroupOutcome *cg)
{
  g_clear_pointer (&cg->unit, g_free);
  g_clear_pointer (&cg->path, g_free);
  g_clear_pointer (&cg->reason, g_free);
  g_clear_pointer (&cg->dropped_limits, g_ptr_array_unref);
  cg->driver = URUN_CGROUP_DRIVER_NONE;
}

gboolean
urun_cgroup_fail_no_cgroup (const UrunCgroupOutcome *cg, const char *what, GError **error)
{
  return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                    "cannot %s: it has no cgroup (%s); create it with a cgroup manager "
                    "that works here (--cgroup-manager systemd or cgroupfs)",
                    what, cg->reason ? cg->reason : "cgroup manager disabled");
}

void
urun_cgroup_warn_dropped (const UrunCgroupOutcome *cg, GPtrArray *warnings)
{
  g_autofree char *list = NULL;

  if (cg->dropped_limits == NULL || cg->dropped_limits->len == 0 || warnings == NULL)
    return;
  g_ptr_array_add (cg->dropped_limits, NULL);
  list = g_strjoinv (", ", (char **) cg->dropped_limits->pdata);
  g_ptr_array_remove_index (cg->dropped_limits, cg->dropped_limits->len - 1);
  if (cg->driver == URUN_CGROUP_DRIVER_NONE)
    g_ptr_array_add (warnings,
                     g_strdup_printf ("resource limits dropped because the container has no "
                                      "cgroup (%s): %s", cg->reason, list));
  else
    g_ptr_array_add (warnings, g_strdup_printf ("resource limits not applied: %s", list));
}

void
urun_cgroup_drop_devices (GPtrArray *dropped, const char *why)
{
  g_ptr_array_add (dropped, g_strdup_printf ("devices (not enforced: %s)", why));
}
