/* urun-container-private.h: what the files of the container lifecycle
 * (urun-container*.c: create and run, start, delete and kill, the late
 * hooks; urun-exec.c) share and nobody else sees.  Zone: host side (GLib).
 */
#pragma once

#include <glib.h>

#include "container/urun-container.h"
#include "container/urun-notify.h"
#include "spec/urun-spec.h"
#include "state/urun-state.h"

G_BEGIN_DECLS

/* ---- urun-container.c ---------------------------------------------------- */

/* A container's state, opened and loaded, as every command on an existing
 * container needs it. */
typedef struct
{
  UrunStateStore *store;
  UrunContainerState *state;
  UrunStateRecord *record;
  UrunContainerStatus status;   /* derived when loaded */
} UrunContainerLoaded;

void urun_container_loaded_clear (UrunContainerLoaded *loaded);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (UrunContainerLoaded, urun_container_loaded_clear)

/* Opens container @id of the state root (never creating the root), with the
 * lock @flags ask for, and loads its record and status into @out_loaded
 * (cleared first).  An unknown id fails with "container `ID` does not
 * exist". */
gboolean urun_container_load (const UrunRuntime *runtime, const char *id,
                              UrunStateOpenFlags flags, UrunContainerLoaded *out_loaded,
                              GError **error);

/* Deletes the container whose directory @state holds (locked): with @force
 * its cgroup's processes are killed first; then its cgroup is removed and
 * its poststop hooks run, whose failures, like a cgroup left behind, are
 * appended to @warnings.  Fails when the state store refuses the delete
 * (a container still running without @force). */
gboolean urun_container_delete_opened (const UrunRuntime *runtime, UrunContainerState *state,
                                       gboolean force, GPtrArray *warnings, GError **error);

/* The end of a foreground `run`: the same, with the poststop hooks of
 * @spec (not owned) instead of those of the saved config.json (the run
 * holds the same bytes parsed), and only when the record is still that of
 * the container the run made (@pid with @start_time): a later `run` may
 * have replaced a stopped record.  A record that is another's, or none,
 * is left alone and TRUE returned. */
gboolean urun_container_delete_after_run (const UrunRuntime *runtime, UrunContainerState *state,
                                          const UrunSpec *spec, pid_t pid, guint64 start_time,
                                          GPtrArray *warnings, GError **error);

/* ---- urun-container-start.c ---------------------------------------------- */

/* `start` and `run --detach` with a NOTIFY_SOCKET: return once the payload
 * said READY=1, as systemd expects of a Type=notify start command, or once
 * it died (a warning in @warnings).  @pidfd is init's.  When READY=1 did
 * not come in time (urun-timeout.h), the payload is killed and the call
 * fails. */
gboolean urun_container_wait_for_ready (UrunNotifyProxy *notify, int pidfd, const char *id,
                                        GPtrArray *warnings, GError **error);

/* ---- urun-container-hooks.c ---------------------------------------------- */

/* The state JSON of @record with @status ("creating", "running",
 * "stopped"), as hooks read it on stdin.  Free with g_free(). */
char *urun_container_record_json (const UrunStateRecord *record, const char *status);

/* Saves @contents (@length bytes), the config.json that create read and
 * validated, in the state directory of @state: `start`, `exec` and
 * `delete` read that copy, never the bundle again. */
gboolean urun_container_save_config (UrunContainerState *state, const char *contents,
                                     gsize length, GError **error);

/* The spec saved at create time, and with @out_root (not NULL) the JSON
 * object it was parsed from (free with json_node_unref()).  Fails when the
 * copy is missing (URUN_ERROR_NOT_FOUND), cannot be read or parsed. */
UrunSpec *urun_container_read_saved_config (UrunContainerState *state, JsonNode **out_root,
                                            GError **error);

/* The same spec, or NULL (without @error) for a record made before every
 * container had a copy.  NULL with @error set when the copy exists but
 * cannot be read or parsed. */
UrunSpec *urun_container_load_saved_config (UrunContainerState *state, GError **error);

/* The poststart hooks of @spec (NULL: none) for the running @record; as
 * the spec says, a failing hook is a warning in @warnings. */
void urun_container_run_poststart_hooks (const UrunSpec *spec, const UrunStateRecord *record,
                                         GPtrArray *warnings);

/* The poststop hooks of @spec (NULL: none) for the stopped @record;
 * failures are warnings in @warnings. */
void urun_container_run_poststop_hooks (const UrunSpec *spec, const UrunStateRecord *record,
                                        GPtrArray *warnings);

G_END_DECLS
