/* urun-cgroup.c: the ladder of urun_cgroup_enter() (see urun-cgroup.h):
 * which driver places a new container's cgroup.  The drivers themselves
 * are urun-systemd.c, urun-cgroup-v2.c, urun-cgroup-v1.c and
 * urun-cgroup-none.c; the operations on an existing cgroup are dispatched
 * by urun-cgroup-ops.c.  Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "cgroup/urun-cgroup-service.h"
#include "util/urun-error.h"

static gboolean
has_device_rules (const UrunSpecResources *resources)
{
  return resources != NULL && resources->n_devices > 0;
}

static gboolean
enter_fs (const UrunCgroupRequest *request, pid_t pid, UrunCgroupOutcome *outcome,
          gboolean *out_unavailable, GError **error)
{
  *out_unavailable = FALSE;
  if (urun_cgroup_mode () == URUN_CGROUP_MODE_NONE)
    {
      *out_unavailable = TRUE;
      return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                        "no cgroup file system is mounted at /sys/fs/cgroup");
    }
  return urun_cgroup_driver_ops (URUN_CGROUP_DRIVER_CGROUPFS)
    ->enter (request, pid, outcome, out_unavailable, error);
}

static gboolean
enter_systemd (const UrunCgroupRequest *request, pid_t pid, UrunCgroupOutcome *outcome,
               GError **error)
{
  gboolean unavailable = FALSE;

  /* A scope is made around a process: never before the clone. */
  if (pid <= 0)
    return urun_fail (error, URUN_ERROR_FAILED, "a systemd scope needs the container's init");
  return urun_cgroup_systemd_driver.enter (request, pid, outcome, &unavailable, error);
}

/* No cgroup: every limit asked for is dropped, for @reason. */
static void
enter_none (const UrunCgroupRequest *request, pid_t pid, UrunCgroupOutcome *outcome,
            char *reason)
{
  gboolean unavailable = FALSE;

  outcome->reason = reason;
  urun_cgroup_none_driver.enter (request, pid, outcome, &unavailable, NULL);
}

/* ---- placement before the clone ------------------------------------------------ */

gboolean
urun_cgroup_places_before_clone (const UrunCgroupRequest *request)
{
  switch (request->manager)
    {
    case URUN_CGROUP_MANAGER_CGROUPFS:
      return TRUE;
    case URUN_CGROUP_MANAGER_DEFAULT:
      /* The first rung would be systemd's whenever it is there (the same
       * test as the ladder's below). */
      return !urun_cgroup_service_applies (request)
             && !urun_cgroup_request_wants_systemd (request)
             && !urun_systemd_available (&request->host, NULL);
    case URUN_CGROUP_MANAGER_SYSTEMD:
    case URUN_CGROUP_MANAGER_DISABLED:
    default:
      return FALSE;
    }
}

/* ---- the ladder ---------------------------------------------------------------- */

static void
reset_outcome (UrunCgroupOutcome *outcome)
{
  urun_cgroup_outcome_clear (outcome);
  outcome->dropped_limits = g_ptr_array_new_with_free_func (g_free);
}

gboolean
urun_cgroup_enter (const UrunCgroupRequest *request, pid_t pid, UrunCgroupOutcome *out_outcome,
                   GPtrArray *warnings, GError **error)
{
  const UrunSpecResources *res = urun_cgroup_request_resources (request);
  UrunCgroupOutcome outcome = { 0 };
  g_autoptr (GString) reasons = g_string_new (NULL);
  g_autoptr (GError) local = NULL;
  gboolean unavailable = FALSE;

  g_return_val_if_fail (pid > 0 || request->placement != NULL, FALSE);

  reset_outcome (&outcome);

  switch (request->manager)
    {
    case URUN_CGROUP_MANAGER_SYSTEMD:
      if (!enter_systemd (request, pid, &outcome, error))
        {
          urun_cgroup_outcome_clear (&outcome);
          return FALSE;
        }
      break;
    case URUN_CGROUP_MANAGER_CGROUPFS:
      if (!enter_fs (request, pid, &outcome, &unavailable, error))
        {
          urun_cgroup_outcome_clear (&outcome);
          return FALSE;
        }
      break;
    case URUN_CGROUP_MANAGER_DISABLED:
      enter_none (request, pid, &outcome,
                  g_strdup ("cgroups disabled with --cgroup-manager disabled"));
      break;
    case URUN_CGROUP_MANAGER_DEFAULT:
    default:
      /* urun as a service's own process: the service's cgroup. */
      if (pid > 0 && urun_cgroup_service_applies (request))
        {
          if (!urun_cgroup_service_enter (request, pid, &outcome, error))
            {
              urun_cgroup_outcome_clear (&outcome);
              return FALSE;
            }
          if (outcome.driver == URUN_CGROUP_DRIVER_NONE)
            urun_cgroup_none_list_limits (res, request->host.rootless, outcome.dropped_limits);
          break;
        }
      /* The systemd-run options ask for a scope: no silent fallback. */
      if (urun_cgroup_request_wants_systemd (request))
        {
          if (!enter_systemd (request, pid, &outcome, error))
            {
              urun_cgroup_outcome_clear (&outcome);
              return FALSE;
            }
          break;
        }
      /* Before the clone (pid 0) systemd was found missing already: a
       * manager that appeared since does not change the decision.  The
       * test is made all the same, for the reason it gives. */
      if (urun_systemd_available (&request->host, &local) && pid > 0
          && enter_systemd (request, pid, &outcome, &local))
        break;
      g_string_append_printf (reasons, "%s systemd: %s",
                              request->host.rootless ? "the user's" : "the system's",
                              local ? local->message : "not available");
      g_clear_error (&local);
      reset_outcome (&outcome);
      if (enter_fs (request, pid, &outcome, &unavailable, &local))
        {
          /* Why not the first rung: worth a line in `state`. */
          outcome.reason = g_string_free (g_steal_pointer (&reasons), FALSE);
          break;
        }
      /* A cgroup that was made but refuses a limit or a device rule the
       * user set is their error, not a reason to run without limits: only
       * a host where no cgroup can be made at all goes on without one. */
      if (!unavailable)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          urun_cgroup_outcome_clear (&outcome);
          return FALSE;
        }
      g_string_append_printf (reasons, "; cgroupfs: %s", local->message);
      /* Why root never loses device rules: without a cgroup nothing
       * filters device access, and root in the container may mknod and
       * open any device of the host. */
      if (!request->host.rootless && has_device_rules (res))
        {
          urun_fail (error, URUN_ERROR_FAILED,
                     "no cgroup can be made for the container (%s), and without one its "
                     "device rules (linux.resources.devices) cannot be enforced; make a cgroup "
                     "hierarchy writable, or run it without a cgroup and without device rules "
                     "with --cgroup-manager disabled",
                     reasons->str);
          urun_cgroup_outcome_clear (&outcome);
          return FALSE;
        }
      reset_outcome (&outcome);
      enter_none (request, pid, &outcome, g_string_free (g_steal_pointer (&reasons), FALSE));
      break;
    }
  urun_cgroup_warn_dropped (&outcome, warnings);
  *out_outcome = outcome;
  return TRUE;
}
