/* urun-exec.h: `exec`: one more process in a running container.
 *
 * Zone: host side (GLib).  Nothing here prints: warnings go into the
 * caller's GPtrArray of strings, errors are GErrors.
 *
 * The process comes either from --process FILE (a whole OCI process
 * object, as podman writes it) or from the command line on top of the
 * container's own process (config.json), as runc does; see
 * urun_exec_process_build().  urun-exec.c orchestrates, urun-plan-exec.c
 * builds the plan (plan/urun-plan-exec.h, which holds UrunExecOptions),
 * urun-init-exec.c is the child, urun-exec-cgroup.c joins the cgroup.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cgroup/urun-cgroup.h"
#include "container/urun-container.h"
#include "plan/urun-plan-exec.h"
#include "spec/urun-spec.h"
#include "state/urun-state.h"

G_BEGIN_DECLS

/* `exec`: runs the process in container @id, which must be running (any
 * other status, paused included, is URUN_ERROR_WRONG_STATE naming it;
 * paused is accepted with options->ignore_paused, and the process then
 * starts once the container is resumed).
 * With options->detach it returns once the process runs (after writing the
 * pid file); otherwise it relays signals and the terminal until the
 * process exits and stores its exit status (128+N when killed by signal N)
 * in @out_exit_status.  A missing program is URUN_ERROR_COMMAND_NOT_FOUND
 * with podman's wording, one that cannot be run
 * URUN_ERROR_COMMAND_NOT_EXECUTABLE. */
gboolean urun_container_exec (const UrunRuntime *runtime, const char *id,
                              const UrunExecOptions *options, int *out_exit_status,
                              GPtrArray *warnings, GError **error);

/* ---- urun-exec-cgroup.c ---------------------------------------------------- */

/* Moves @pid into the container's cgroup @cgroup, or below it at the
 * sub-cgroups that the --cgroup values @subpaths name (NULL: none), which
 * must exist: one PATH (every hierarchy), or, for cgroup v1, one or more
 * CONTROLLER[,CONTROLLER...]:PATH, the other hierarchies staying at the
 * container's cgroup, as runc takes them.  cgroupfs: its
 * cgroup.procs, in every hierarchy on v1.  systemd: the same, and when
 * that is refused (rootless: the common ancestor of our cgroup and the
 * container's belongs to root), AttachProcessesToUnit, which the user's
 * manager carries out (asking the system manager when it must).  Driver
 * "none": nothing to join; a @subpath is then an error saying why. */
gboolean urun_exec_join_cgroup (const UrunCgroupOutcome *cgroup, const UrunCgroupHost *host,
                                pid_t pid, const char *const *subpaths, gboolean born_in_v2,
                                gboolean moved_itself, GError **error);

/* Before the clone: the `tasks` file of each v1 hierarchy
 * urun_exec_join_cgroup() would move the process into, opened into
 * @placement, for the process to write "0" into them itself
 * (@moved_itself above), which takes no global lock.  FALSE, with
 * @placement empty, when there are none or they cannot all be opened: the
 * join then moves it by pid and says what is wrong. */
gboolean urun_exec_open_cgroup_v1 (const UrunCgroupOutcome *cgroup, const char *const *subpaths,
                                   UrunCgroupPlacement *placement);

/* Before the clone: the cgroup v2 directory urun_exec_join_cgroup() would
 * move the process into, opened for clone3's CLONE_INTO_CGROUP, so that
 * it is born there (@born_in_v2 above) instead of being moved by pid,
 * which waits for the kernel's global cgroup lock (urun-cgroup.h).  -1
 * when there is none, or when the --cgroup values are bad (the join says
 * why). */
int urun_exec_open_cgroup_v2 (const UrunCgroupOutcome *cgroup, const char *const *subpaths);

G_END_DECLS
