/* urun-cgroup-service.c: the "service" rung of the default cgroup ladder
 * (see urun-cgroup-service.h for the rule).  Zone: host side (GLib).
 *
 * Why the service's cgroup and not a scope: a Type=notify unit whose
 * ExecStart is `urun run` supervises urun; a container in a scope of its
 * own is outside the unit, so systemd neither accounts for it nor stops it
 * with the unit, and a stop that kills urun leaves the container running
 * or its record behind.  Inside the service's cgroup, `systemctl stop`
 * reaches every process of the container, and the unit's limits
 * (MemoryMax=, TasksMax=, ...) are the container's.
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "cgroup/urun-cgroup-service.h"
#include "util/urun-error.h"

#include <errno.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

/* urun's own cgroup v2 path when urun is a service's process, else NULL. */
static char *
service_path_of_caller (const UrunCgroupHost *host)
{
  g_autofree char *path = NULL;

  if (!host->service_process)
    return NULL;
  if (urun_cgroup_v2_root () == NULL)
    return NULL;
  path = urun_cgroup_path_of_pid (getpid (), NULL);
  if (path == NULL || !g_str_has_suffix (path, ".service") || strrchr (path, '/') == NULL
      || strlen (strrchr (path, '/')) <= strlen ("/.service"))
    return NULL;
  return g_steal_pointer (&path);
}

char *
urun_cgroup_service_of_caller (const UrunCgroupHost *host)
{
  g_autofree char *path = service_path_of_caller (host);

  return path != NULL ? g_strdup (strrchr (path, '/') + 1) : NULL;
}

gboolean
urun_cgroup_service_applies (const UrunCgroupRequest *request)
{
  const char *cgroups_path = request->spec && request->spec->linux_
                               ? request->spec->linux_->cgroups_path
                               : NULL;
  g_autofree char *unit = NULL;

  if (request->manager != URUN_CGROUP_MANAGER_DEFAULT
      || urun_cgroup_request_wants_systemd (request)
      || (cgroups_path != NULL && *cgroups_path != '\0'))
    return FALSE;
  unit = urun_cgroup_service_of_caller (&request->host);
  return unit != NULL;
}

/* systemd marks the cgroup of a unit with Delegate=yes with the xattr
 * trusted.delegate (root's manager, readable by root) and, since v251,
 * user.delegate.  A manager that sets neither (a user manager of v252
 * does not) counts as not delegating: a sub-cgroup systemd did not hand
 * over is one it may remove. */
static gboolean
is_delegated (const char *dir)
{
  static const char *const names[] = { "trusted.delegate", "user.delegate" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      char value[8] = { 0 };
      ssize_t n = getxattr (dir, names[i], value, sizeof value - 1);

      if (n > 0 && (value[0] == '1' || value[0] == 'y'))
        return TRUE;
    }
  return FALSE;
}

static gboolean
enter_sub_cgroup (const UrunCgroupRequest *request, pid_t pid, const char *service_path,
                  UrunCgroupOutcome *outcome, GError **error)
{
  g_autoptr (GPtrArray) writes = NULL;
  gboolean unavailable = FALSE;

  writes = urun_cgroup_resources_v2 (urun_cgroup_request_resources (request),
                                     outcome->dropped_limits, error);
  if (writes == NULL)
    return FALSE;
  /* Device rules on v2 need BPF: in the service's cgroup its own
   * DevicePolicy= is what applies.  Said so rather than dropped silently. */
  if (urun_cgroup_request_resources (request) != NULL
      && urun_cgroup_request_resources (request)->n_devices > 0)
    g_ptr_array_add (outcome->dropped_limits,
                     g_strdup ("devices (not enforced by urun in a service's sub-cgroup: the "
                               "service's DevicePolicy= and DeviceAllow= apply)"));
  /* No controllers are enabled in the service's subtree_control: urun
   * itself lives in the service's cgroup, and a cgroup with processes
   * cannot hand domain controllers to its children.  So limits the
   * sub-cgroup lacks are reported as not applied. */
  return urun_cgroup_v2_enter_below (request, pid, service_path, FALSE, writes, outcome,
                                     &unavailable, error);
}

gboolean
urun_cgroup_service_enter (const UrunCgroupRequest *request, pid_t pid,
                           UrunCgroupOutcome *outcome, GError **error)
{
  g_autofree char *service_path = service_path_of_caller (&request->host);
  g_autofree char *dir = NULL;
  const char *unit;

  g_return_val_if_fail (service_path != NULL, FALSE);

  unit = strrchr (service_path, '/') + 1;
  dir = urun_cgroup_v2_dir (service_path);
  /* A sub-cgroup only where cgroup v2 is the whole story: on a hybrid
   * host the v1 controllers would still see the service's cgroup. */
  if (urun_cgroup_mode () == URUN_CGROUP_MODE_UNIFIED && is_delegated (dir))
    {
      if (!enter_sub_cgroup (request, pid, service_path, outcome, error))
        {
          g_prefix_error (error, "the sub-cgroup in %s (Delegate=yes) for the container: ",
                          unit);
          return FALSE;
        }
      outcome->reason = g_strdup_printf ("urun runs as %s (its SYSTEMD_EXEC_PID): the "
                                         "container is in a sub-cgroup of the service, which "
                                         "has Delegate=yes", unit);
    }
  else
    {
      /* Init is urun's child: it is in the service's cgroup already. */
      outcome->driver = URUN_CGROUP_DRIVER_NONE;
      outcome->path = g_strdup (service_path);
      outcome->reason = g_strdup_printf ("urun runs as %s (its SYSTEMD_EXEC_PID): the "
                                         "container shares the service's cgroup, which is not "
                                         "delegated to it (no Delegate=yes); set limits on the "
                                         "unit (MemoryMax=, TasksMax=, ...), or choose "
                                         "--cgroup-manager", unit);
    }
  outcome->unit = g_strdup (unit);
  return TRUE;
}
