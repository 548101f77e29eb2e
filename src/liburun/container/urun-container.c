/* urun-container.c: `delete` and `kill` (see urun-container.h), and the
 * state root every command of the lifecycle opens.  Zone: host side (GLib).
 *
 * A container's life on the host is its directory in the state store
 * (state.json, exec.fifo, and config.json when it has hooks to run later),
 * its init process, and its cgroup.  Create and run are in
 * urun-container-create.c, start in urun-container-start.c.
 */
#include "config.h"

#include "cgroup/urun-cgroup.h"
#include "container/urun-container.h"
#include "container/urun-container-cgroup.h"
#include "container/urun-container-private.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "util/urun-proc.h"
#include "spec/urun-spec.h"
#include "state/urun-state.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

void
urun_container_loaded_clear (UrunContainerLoaded *loaded)
{
  g_clear_pointer (&loaded->record, urun_state_record_free);
  g_clear_pointer (&loaded->state, urun_container_state_free);
  g_clear_pointer (&loaded->store, urun_state_store_free);
}

gboolean
urun_container_load (const UrunRuntime *runtime, const char *id, UrunStateOpenFlags flags,
                     UrunContainerLoaded *out_loaded, GError **error)
{
  UrunContainerLoaded *l = out_loaded;

  urun_container_loaded_clear (l);
  l->store = urun_state_store_open (runtime->state_root, FALSE, error);
  if (l->store == NULL)
    return FALSE;
  l->state = urun_state_open (l->store, id, flags, error);
  if (l->state == NULL)
    return FALSE;
  l->record = urun_container_state_load (l->state, error);
  if (l->record == NULL)
    return FALSE;
  l->status = urun_state_status (l->record, urun_container_state_get_dirfd (l->state),
                                 urun_container_cgroup_is_frozen);
  return TRUE;
}

/* The delete of urun_container_delete_opened() on the @record already
 * loaded (NULL: none could be read, @record_error says why), with the
 * poststop hooks of @known_spec when the caller holds it parsed. */
static gboolean
delete_loaded (const UrunRuntime *runtime, UrunContainerState *state,
               const UrunStateRecord *record,
               const GError *record_error, const UrunSpec *known_spec, gboolean force,
               GPtrArray *warnings, GError **error)
{
  g_autoptr (UrunSpec) saved_spec = NULL;
  const UrunSpec *spec = known_spec;
  g_autoptr (GError) config_error = NULL;
  UrunContainerStatus status = URUN_STATUS_STOPPED;

  if (record != NULL)
    status = urun_state_status (record, urun_container_state_get_dirfd (state),
                                urun_container_cgroup_is_frozen);

  /* Not silent: what the record would have named (init, the cgroup)
   * cannot be stopped.  No record at all is a create that died before it
   * made anything. */
  if (force && record == NULL
      && !g_error_matches (record_error, URUN_ERROR, URUN_ERROR_WRONG_STATE))
    g_ptr_array_add (warnings, g_strdup_printf ("%s; its init and cgroup, if any, are left as "
                                                "they are", record_error->message));

  /* As runc's delete: a created container goes without --force too, its
   * init killed (the process never ran, there is nothing to stop
   * gracefully); only a running or paused one needs --force. */
  if (!force && record != NULL && status == URUN_STATUS_CREATED)
    force = TRUE;

  /* Read the saved config before the directory goes.  Why not when the
   * caller holds it: parsing it again cost as much as the first parse
   * (bench/README.md). */
  if (spec == NULL)
    {
      saved_spec = urun_container_load_saved_config (state, &config_error);
      spec = saved_spec;
    }
  if (config_error != NULL)
    g_ptr_array_add (warnings, g_strdup_printf ("poststop hooks not run: %s",
                                                config_error->message));
  /* Every process of the cgroup (a paused one thawed), not only init. */
  if (force && record != NULL)
    urun_cgroup_kill (&record->cgroup, SIGKILL, NULL);
  /* Why the cgroup goes before the state: a cgroup that cannot be removed
   * fails delete with the state kept, so that delete can be retried.  A
   * live container without --force is left to urun_state_delete() to
   * refuse.  Without --force nothing is killed, except for a container
   * still "creating": its creator died and its init never ran. */
  if (record != NULL)
    {
      gboolean live = status == URUN_STATUS_CREATED || status == URUN_STATUS_RUNNING
                      || status == URUN_STATUS_PAUSED;
      gboolean removed = TRUE;
      UrunCgroupHost host;

      urun_container_cgroup_host (runtime, record->rootless, &host);
      if (force || status == URUN_STATUS_CREATING)
        removed = urun_cgroup_destroy (&record->cgroup, &host, error);
      else if (!live)
        removed = urun_cgroup_remove (&record->cgroup, &host, error);
      if (!removed)
        {
          g_prefix_error (error, "container `%s`: ", record->id);
          return FALSE;
        }
    }
  if (!urun_state_delete (state, record, force, urun_container_cgroup_is_frozen, error))
    return FALSE;
  if (record != NULL)
    urun_container_run_poststop_hooks (spec, record, warnings);
  return TRUE;
}

gboolean
urun_container_delete_opened (const UrunRuntime *runtime, UrunContainerState *state,
                              gboolean force, GPtrArray *warnings,
                              GError **error)
{
  g_autoptr (GError) record_error = NULL;
  g_autoptr (UrunStateRecord) record = urun_container_state_load (state, &record_error);

  return delete_loaded (runtime, state, record, record_error, NULL, force, warnings, error);
}

gboolean
urun_container_delete_after_run (const UrunRuntime *runtime, UrunContainerState *state,
                                 const UrunSpec *spec, pid_t pid,
                                 guint64 start_time, GPtrArray *warnings, GError **error)
{
  g_autoptr (UrunStateRecord) record = urun_container_state_load (state, NULL);

  if (record == NULL || record->pid != pid || record->init_start_time != start_time)
    return TRUE;
  return delete_loaded (runtime, state, record, NULL, spec, TRUE, warnings, error);
}

gboolean
urun_container_delete (const UrunRuntime *runtime, const char *id, gboolean force,
                       GPtrArray *warnings, GError **error)
{
  g_autoptr (UrunStateStore) store = urun_state_store_open (runtime->state_root, FALSE, error);
  g_autoptr (UrunContainerState) state = NULL;

  g_autoptr (GError) open_error = NULL;

  if (store == NULL)
    return FALSE;
  state = urun_state_open (store, id, URUN_STATE_OPEN_DEFAULT, &open_error);
  if (state == NULL)
    {
      /* With --force the goal is "this container is gone", which is already
       * true: podman and conmon clean up this way, as with runc. */
      if (force && g_error_matches (open_error, URUN_ERROR, URUN_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&open_error));
      return FALSE;
    }
  return urun_container_delete_opened (runtime, state, force, warnings, error);
}

gboolean
urun_container_kill (const UrunRuntime *runtime, const char *id, int signum, gboolean all,
                     GError **error)
{
  g_auto (UrunContainerLoaded) loaded = { 0 };
  UrunStateRecord *record;

  /* No lock: a kill must get through while a foreground run or a slow
   * delete holds it. */
  if (!urun_container_load (runtime, id, URUN_STATE_OPEN_NO_LOCK, &loaded, error))
    return FALSE;
  record = loaded.record;
  if (record->pid <= 0 || !urun_proc_is_alive (record->pid, record->init_start_time))
    return urun_fail (error, URUN_ERROR_WRONG_STATE, "container `%s` is not running", id);
  /* --all through the cgroup when there is one: it holds every process,
   * init included, pid namespace or not. */
  if (all && urun_cgroup_kill (&record->cgroup, signum, NULL))
    return TRUE;
  if (all)
    urun_proc_signal_pid_namespace_others (record->pid, record->init_start_time, signum);
  if (!urun_proc_signal (record->pid, record->init_start_time, signum))
    return urun_fail_errno (error, errno ? errno : ESRCH, "kill container `%s`", id);
  return TRUE;
}
