/* urun-container-cgroup.h: the container operations that go through its
 * cgroup — placing it at create time, pause, resume, update, ps and events —
 * on top of urun-cgroup.h and the state store.
 *
 * Zone: host side (GLib).  Nothing here prints; warnings go into the
 * caller's array, events to the caller's callback.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sys/types.h>

#include "cgroup/urun-cgroup.h"
#include "container/urun-container.h"
#include "plan/urun-plan-owner.h"
#include "spec/urun-spec.h"
#include "state/urun-state.h"

G_BEGIN_DECLS

/* What the cgroup code needs of this process, from @runtime (@rootless:
 * the container's, as created, which may differ from the caller's). */
void urun_container_cgroup_host (const UrunRuntime *runtime, gboolean rootless,
                                 UrunCgroupHost *out_host);

/* The probe of urun_state_status() and friends: TRUE when the cgroup of
 * @cgroup is frozen, as its driver tells. */
gboolean urun_container_cgroup_is_frozen (const UrunCgroupOutcome *cgroup);

/* Create, before the clone: checks the cgroup request (the -p syntax,
 * unit names, annotations), so that bad input spawns nothing. */
gboolean urun_container_check_cgroup (const UrunRuntime *runtime, const UrunCreateOptions *options,
                                      const UrunSpec *spec, gboolean rootless, GError **error);

/* The v1 `tasks` fds of @placement (and their paths) become the plan's
 * (UrunInitPlan's cgroup_tasks_fds: kept, renumbered, closed by @owner),
 * for init or an exec's process to move itself; @placement keeps its v2
 * directory, for the clone. */
gboolean urun_container_plan_cgroup_tasks (UrunPlanOwner *owner, UrunCgroupPlacement *placement,
                                           GError **error);

/* Create: TRUE when the container's cgroup is made before the clone
 * (urun_cgroup_places_before_clone(): the cgroupfs driver, or none). */
gboolean urun_container_cgroup_before_clone (const UrunRuntime *runtime,
                                             const UrunCreateOptions *options,
                                             const UrunSpec *spec, gboolean rootless);

/* Create, between the clone and GO: places init (@pid) in its cgroup and
 * stores the outcome in @record->cgroup.  With @pid 0, before the clone
 * (when urun_container_cgroup_before_clone()): makes the cgroup and fills
 * @placement (UrunCgroupPlacement) for init to be born in it.  Before
 * each cgroup or unit is made, @record names it and is saved to @state,
 * so that a create killed meanwhile can be undone by `delete --force`.
 * Call urun_container_check_cgroup() with the same arguments first: the
 * request is not checked again here.  On failure nothing is left. */
gboolean urun_container_enter_cgroup (const UrunRuntime *runtime,
                                      const UrunCreateOptions *options, const UrunSpec *spec,
                                      gboolean rootless, pid_t pid,
                                      UrunCgroupPlacement *placement,
                                      UrunContainerState *state, UrunStateRecord *record,
                                      GPtrArray *warnings, GError **error);

/* `pause` / `resume`: a running container is frozen, a paused one thawed;
 * any other status is URUN_ERROR_WRONG_STATE naming it. */
gboolean urun_container_pause (const UrunRuntime *runtime, const char *id, GError **error);
gboolean urun_container_resume (const UrunRuntime *runtime, const char *id, GError **error);

/* `update`: new limits for a created, running or paused container. */
gboolean urun_container_update (const UrunRuntime *runtime, const char *id,
                                const UrunSpecResources *resources, GPtrArray *warnings,
                                GError **error);

/* `ps`: the pids of the container (GArray of pid_t, sorted): its cgroup's,
 * or without a cgroup init and the processes of its pid namespace. */
GArray *urun_container_pids (const UrunRuntime *runtime, const char *id, GError **error);

/* One event for `events`: {"type": "stats"|"oom"|"exit", "id": ID,
 * "data": {...}}; the callback owns nothing and returns FALSE to stop. */
typedef gboolean (*UrunEventFunc) (JsonNode *event, gpointer user_data);

/* `events`: with @stats_only one stats event, else a stats event every
 * @interval_ms and an "oom" event on every OOM kill (memory.events through
 * inotify, or the v1 eventfd: no polling), until init exits ("exit",
 * through its pidfd) or the callback returns FALSE. */
gboolean urun_container_events (const UrunRuntime *runtime, const char *id, gboolean stats_only,
                                guint interval_ms, UrunEventFunc func, gpointer user_data,
                                GError **error);

G_END_DECLS
