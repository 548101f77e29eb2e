/* urun-cgroup-none.c: the "none" driver: a container without a cgroup of
 * its own (--cgroup-manager disabled, the ladder's last rung, or the
 * cgroup of the service urun runs as).  Entering one records every limit
 * asked for as dropped; every operation that needs a cgroup fails with
 * URUN_ERROR_NOT_SUPPORTED naming the reason, so that callers can fall
 * back.  Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"

#include <string.h>

void
urun_cgroup_none_list_limits (const UrunSpecResources *resources, gboolean rootless,
                              GPtrArray *out)
{
  g_autoptr (GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) writes = urun_cgroup_resources_v2 (resources, dropped, NULL);

  for (guint i = 0; writes != NULL && i < writes->len; i++)
    {
      UrunCgroupWrite *w = g_ptr_array_index (writes, i);

      if (!g_ptr_array_find_with_equal_func (out, w->limit, g_str_equal, NULL))
        g_ptr_array_add (out, g_strdup (w->limit));
    }
  for (guint i = 0; i < dropped->len; i++)
    {
      char *d = g_ptr_array_index (dropped, i);
      char *space = strchr (d, ' ');

      g_ptr_array_add (out, space ? g_strndup (d, (gsize) (space - d)) : g_strdup (d));
    }
  /* Why rootless device rules are not reported as dropped: without a
   * cgroup they give no more than the user has, since in a user namespace
   * the kernel refuses mknod and a device node bound in opens only with the
   * user's own permissions on the host.  Every default config has such
   * rules, so a warning would follow every rootless run without telling
   * anything. */
  if (resources != NULL && resources->n_devices > 0 && !rootless)
    urun_cgroup_drop_devices (out, "every device allowed");
}

static gboolean
none_enter (const UrunCgroupRequest *request, pid_t pid, UrunCgroupOutcome *outcome,
            gboolean *out_unavailable, GError **error)
{
  outcome->driver = URUN_CGROUP_DRIVER_NONE;
  urun_cgroup_none_list_limits (urun_cgroup_request_resources (request), request->host.rootless,
                                outcome->dropped_limits);
  return TRUE;
}

static gboolean
none_update (const UrunCgroupOutcome *cg, const UrunCgroupHost *host,
             const UrunSpecResources *resources, GPtrArray *dropped, GError **error)
{
  return urun_cgroup_fail_no_cgroup (cg, "update the resource limits", error);
}

static gboolean
none_freeze (const UrunCgroupOutcome *cg, gboolean freeze, GError **error)
{
  return urun_cgroup_fail_no_cgroup (cg, freeze ? "pause" : "resume", error);
}

static gboolean
none_is_frozen (const UrunCgroupOutcome *cg)
{
  return FALSE;
}

static gboolean
none_kill (const UrunCgroupOutcome *cg, int signum, GError **error)
{
  return urun_cgroup_fail_no_cgroup (cg, "signal every process through the cgroup", error);
}

static GArray *
none_pids (const UrunCgroupOutcome *cg, GError **error)
{
  urun_cgroup_fail_no_cgroup (cg, "list the processes through the cgroup", error);
  return NULL;
}

static JsonNode *
none_stats (const UrunCgroupOutcome *cg, GError **error)
{
  urun_cgroup_fail_no_cgroup (cg, "read statistics", error);
  return NULL;
}

static gboolean
none_oom_kills (const UrunCgroupOutcome *cg, guint64 *out_count)
{
  return FALSE;
}

static int
none_watch_events (const UrunCgroupOutcome *cg)
{
  return -1;
}

/* A service's cgroup is the service's: never removed. */
static gboolean
none_remove (const UrunCgroupOutcome *cg, const UrunCgroupHost *host, gboolean kill_left,
             GError **error)
{
  return TRUE;
}

const UrunCgroupDriverOps urun_cgroup_none_driver = {
  .enter = none_enter,
  .update = none_update,
  .freeze = none_freeze,
  .is_frozen = none_is_frozen,
  .kill = none_kill,
  .pids = none_pids,
  .stats = none_stats,
  .oom_kills = none_oom_kills,
  .watch_events = none_watch_events,
  .remove = none_remove,
};
