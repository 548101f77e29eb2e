/* urun-container-cgroup.c: container operations through its cgroup (see
 * urun-container-cgroup.h).  Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup.h"
#include "container/urun-container-cgroup.h"
#include "container/urun-container-private.h"
#include "plan/urun-plan-owner.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "util/urun-proc.h"

#include <errno.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

/* @request points into @runtime, which must outlive it. */
static void
fill_request (const UrunRuntime *runtime, const UrunCreateOptions *options, const UrunSpec *spec,
              gboolean rootless, UrunCgroupRequest *request)
{
  *request = (UrunCgroupRequest) { 0 };
  request->manager = runtime->cgroup_manager;
  urun_container_cgroup_host (runtime, rootless, &request->host);
  request->id = options->id;
  request->state_root_is_default = runtime->state_root_is_default;
  request->state_root = runtime->state_root;
  request->spec = spec;
  request->unit = options->unit;
  request->slice = options->slice;
  request->description = options->description;
  request->collect = options->collect;
  request->properties = options->properties;
}

/* What the ladder is about to make, saved in the record before it is made
 * (urun-cgroup.h): a create killed inside urun_cgroup_enter() leaves a
 * record from which `delete --force` removes it. */
typedef struct
{
  UrunContainerState *state;
  UrunStateRecord *record;
} PlannedCgroup;

static gboolean
record_planned_cgroup (gpointer data, UrunCgroupDriver driver, const char *unit,
                       const char *path, GError **error)
{
  PlannedCgroup *planned = data;
  UrunCgroupOutcome *cg = &planned->record->cgroup;

  urun_cgroup_outcome_clear (cg);
  cg->dropped_limits = g_ptr_array_new_with_free_func (g_free);
  cg->driver = driver;
  cg->unit = g_strdup (unit);
  cg->path = g_strdup (path);
  return urun_container_state_save (planned->state, planned->record, error);
}

gboolean
urun_container_check_cgroup (const UrunRuntime *runtime, const UrunCreateOptions *options,
                             const UrunSpec *spec, gboolean rootless, GError **error)
{
  UrunCgroupRequest request;

  fill_request (runtime, options, spec, rootless, &request);
  return urun_cgroup_request_check (&request, error);
}

gboolean
urun_container_plan_cgroup_tasks (UrunPlanOwner *owner, UrunCgroupPlacement *placement,
                                  GError **error)
{
  UrunInitPlan *plan = &owner->plan;
  size_t n = placement->n_v1_tasks_fds;
  const char **paths = urun_plan_owner_keep (owner, g_new0 (const char *, n + 1));
  int *tasks = urun_plan_owner_keep (owner, g_new0 (int, n + 1));

  for (size_t i = 0; i < n; i++)
    {
      /* The plan's from here: the owner closes and frees them. */
      tasks[i] = urun_plan_owner_keep_fd (owner, placement->v1_tasks_fds[i], error);
      placement->v1_tasks_fds[i] = -1;
      paths[i] = urun_plan_owner_keep (owner, g_steal_pointer (&placement->v1_tasks_paths[i]));
      if (tasks[i] < 0)
        return FALSE;
    }
  placement->n_v1_tasks_fds = 0;
  plan->cgroup_tasks_fds = tasks;
  plan->cgroup_tasks_paths = paths;
  plan->n_cgroup_tasks_fds = n;
  return TRUE;
}

gboolean
urun_container_cgroup_before_clone (const UrunRuntime *runtime, const UrunCreateOptions *options,
                                    const UrunSpec *spec, gboolean rootless)
{
  UrunCgroupRequest request;

  fill_request (runtime, options, spec, rootless, &request);
  return urun_cgroup_places_before_clone (&request);
}

gboolean
urun_container_enter_cgroup (const UrunRuntime *runtime, const UrunCreateOptions *options,
                             const UrunSpec *spec, gboolean rootless, pid_t pid,
                             UrunCgroupPlacement *placement, UrunContainerState *state,
                             UrunStateRecord *record, GPtrArray *warnings, GError **error)
{
  UrunCgroupRequest request;
  UrunCgroupOutcome outcome = { 0 };
  PlannedCgroup planned = { state, record };

  fill_request (runtime, options, spec, rootless, &request);
  request.about_to_make = record_planned_cgroup;
  request.about_to_make_data = &planned;
  request.placement = placement;
  if (!urun_cgroup_enter (&request, pid, &outcome, warnings, error))
    return FALSE;
  urun_cgroup_outcome_clear (&record->cgroup);
  record->cgroup = outcome;
  return TRUE;
}

static gboolean
fail_status (GError **error, const char *verb, const char *id, UrunContainerStatus status,
             const char *wanted)
{
  return urun_fail (error, URUN_ERROR_WRONG_STATE, "cannot %s container `%s`: it is %s, not %s",
                    verb, id, urun_container_status_to_string (status), wanted);
}

/* pause (@freeze) and resume: the status they need, then the cgroup. */
static gboolean
set_frozen (const UrunRuntime *runtime, const char *id, gboolean freeze, GError **error)
{
  UrunContainerStatus wanted = freeze ? URUN_STATUS_RUNNING : URUN_STATUS_PAUSED;
  g_auto (UrunContainerLoaded) l = { 0 };

  if (!urun_container_load (runtime, id, URUN_STATE_OPEN_DEFAULT, &l, error))
    return FALSE;
  if (l.status != wanted)
    return fail_status (error, freeze ? "pause" : "resume", id, l.status,
                        freeze ? "running" : "paused");
  if (!urun_cgroup_freeze (&l.record->cgroup, freeze, error))
    {
      g_prefix_error (error, "container `%s`: ", id);
      return FALSE;
    }
  return TRUE;
}

gboolean
urun_container_pause (const UrunRuntime *runtime, const char *id, GError **error)
{
  return set_frozen (runtime, id, TRUE, error);
}

gboolean
urun_container_resume (const UrunRuntime *runtime, const char *id, GError **error)
{
  return set_frozen (runtime, id, FALSE, error);
}

gboolean
urun_container_update (const UrunRuntime *runtime, const char *id,
                       const UrunSpecResources *resources, GPtrArray *warnings, GError **error)
{
  g_auto (UrunContainerLoaded) l = { 0 };
  UrunCgroupHost host;

  if (!urun_container_load (runtime, id, URUN_STATE_OPEN_DEFAULT, &l, error))
    return FALSE;
  if (l.status == URUN_STATUS_STOPPED || l.status == URUN_STATUS_CREATING)
    return fail_status (error, "update", id, l.status, "created, running or paused");
  urun_container_cgroup_host (runtime, l.record->rootless, &host);
  if (!urun_cgroup_update (&l.record->cgroup, &host, resources, warnings, error))
    {
      g_prefix_error (error, "container `%s`: ", id);
      return FALSE;
    }
  return TRUE;
}

GArray *
urun_container_pids (const UrunRuntime *runtime, const char *id, GError **error)
{
  g_auto (UrunContainerLoaded) l = { 0 };
  GArray *pids;

  if (!urun_container_load (runtime, id, URUN_STATE_OPEN_NO_LOCK, &l, error))
    return NULL;
  if (l.status == URUN_STATUS_STOPPED || l.status == URUN_STATUS_CREATING)
    {
      fail_status (error, "list the processes of", id, l.status, "running");
      return NULL;
    }
  if (l.record->cgroup.driver != URUN_CGROUP_DRIVER_NONE)
    return urun_cgroup_pids (&l.record->cgroup, error);
  /* Without a cgroup: init and every process of its pid namespace, when
   * it has one of its own. */
  pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_array_append_val (pids, l.record->pid);
  urun_proc_pid_namespace_others (l.record->pid, pids);
  urun_proc_sort_pids (pids);
  return pids;
}

/* How long, and how often, `events` re-reads the OOM kill counter after
 * the cgroup signalled a memory event. */
#define OOM_CHECK_US (2 * G_USEC_PER_SEC)
#define OOM_CHECK_STEP_MS 50

static JsonNode *
event_node (const char *type, const char *id, JsonNode *data)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "data");
  if (data != NULL)
    json_builder_add_value (b, data);
  else
    {
      json_builder_begin_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
emit (UrunEventFunc func, gpointer user_data, const char *type, const char *id, JsonNode *data)
{
  g_autoptr (JsonNode) node = event_node (type, id, data);

  return func (node, user_data);
}

gboolean
urun_container_events (const UrunRuntime *runtime, const char *id, gboolean stats_only,
                       guint interval_ms, UrunEventFunc func, gpointer user_data, GError **error)
{
  g_auto (UrunContainerLoaded) l = { 0 };
  URUN_AUTOCLOSE int pidfd = -1;
  URUN_AUTOCLOSE int watch = -1;
  guint64 ooms = 0;
  gint64 next_stats;
  gint64 oom_check_until = 0;

  g_return_val_if_fail (func != NULL, FALSE);

  if (!urun_container_load (runtime, id, URUN_STATE_OPEN_NO_LOCK, &l, error))
    return FALSE;
  if (l.status == URUN_STATUS_STOPPED || l.status == URUN_STATUS_CREATING)
    return fail_status (error, "show the events of", id, l.status, "running");
  if (stats_only)
    {
      JsonNode *stats = urun_cgroup_stats (&l.record->cgroup, error);

      if (stats == NULL)
        return FALSE;
      emit (func, user_data, "stats", id, stats);
      return TRUE;
    }

  /* The pidfd says when init exits, without polling /proc; checked
   * against the recorded start time after it is taken. */
  pidfd = urun_proc_pidfd_open_verified (l.record->pid, l.record->init_start_time);
  if (pidfd < 0)
    return urun_fail (error, URUN_ERROR_WRONG_STATE, "container `%s` is not running", id);
  watch = urun_cgroup_watch_events (&l.record->cgroup);
  urun_cgroup_oom_kills (&l.record->cgroup, &ooms);
  next_stats = g_get_monotonic_time ();
  for (;;)
    {
      struct pollfd fds[2] = { { .fd = pidfd, .events = POLLIN }, { .fd = watch, .events = POLLIN } };
      gint64 now = g_get_monotonic_time ();
      int timeout, r;

      if (now >= next_stats)
        {
          JsonNode *stats = urun_cgroup_stats (&l.record->cgroup, NULL);

          if (stats != NULL && !emit (func, user_data, "stats", id, stats))
            return TRUE;
          next_stats = now + (gint64) interval_ms * 1000;
        }
      timeout = (int) MAX (0, (next_stats - g_get_monotonic_time ()) / 1000);
      if (oom_check_until > 0)
        timeout = MIN (timeout, OOM_CHECK_STEP_MS);
      r = poll (fds, watch >= 0 ? 2 : 1, timeout);
      if (r < 0 && errno != EINTR)
        return urun_fail_errno (error, errno, "wait for events of container `%s`", id);
      if (watch >= 0 && r > 0 && (fds[1].revents & POLLIN))
        {
          char buf[4096];

          while (read (watch, buf, sizeof buf) > 0)
            ;
          /* Why keep looking: v1's oom_control eventfd fires when the
           * cgroup runs out of memory, before the OOM killer has counted
           * its kill; the counter is read again for a moment. */
          oom_check_until = g_get_monotonic_time () + OOM_CHECK_US;
        }
      if (oom_check_until > 0)
        {
          guint64 now_ooms = 0;

          if (urun_cgroup_oom_kills (&l.record->cgroup, &now_ooms) && now_ooms > ooms)
            {
              ooms = now_ooms;
              oom_check_until = 0;
              if (!emit (func, user_data, "oom", id, NULL))
                return TRUE;
            }
          else if (g_get_monotonic_time () >= oom_check_until)
            oom_check_until = 0;
        }
      if (r <= 0)
        continue;
      if (fds[0].revents & (POLLIN | POLLHUP))
        {
          emit (func, user_data, "exit", id, NULL);
          return TRUE;
        }
    }
}
