/* urun-cgroup.h: the container's cgroup, whichever driver placed it.
 *
 * Zone: host side (GLib).  Nothing here prints: what the user should know
 * (limits that could not be applied, and why) goes into the caller's
 * GPtrArray of warnings, once per call.
 *
 * Drivers:
 *   systemd   a transient scope of the system manager (root) or of the
 *             user's manager (rootless), with Delegate=yes; the resources
 *             that map onto unit properties are set as properties, the rest
 *             is written into the delegated cgroup (urun-systemd.c);
 *   cgroupfs  directories in the cgroup file systems: cgroup v2 (unified),
 *             and cgroup v1 or hybrid hosts for memory, pids, cpu, cpuacct,
 *             cpuset, blkio, devices and freezer as root;
 *   none      no cgroup (--cgroup-manager disabled, or nothing worked).
 *
 * The default (no --cgroup-manager) is a ladder, first rung that works:
 *   rootless: the user's systemd -> cgroupfs inside a delegated cgroup v2
 *             subtree the user owns -> none;
 *   root:     systemd when it is PID 1's manager (/run/systemd/system) and
 *             the system bus answers -> cgroupfs -> none.
 * Why systemd first for root: on a systemd host a cgroup made behind
 * systemd's back is one it may trim or not account for; a scope is what
 * `systemd-run --scope` and machined would make.  An explicit driver that
 * fails is an error, never a silent fallback.
 *
 * The outcome is a UrunCgroupOutcome (driver, unit, path, reason, dropped
 * limits) kept in state.json; every later operation works from it, through
 * the operations of the driver that made it (urun-cgroup-private.h).
 *
 * cgroup/ reads no environment variable and asks nobody who it runs as:
 * what it needs of the process (UrunCgroupHost) and of the state root
 * comes in with the request, filled by the container layer.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sys/types.h>

#include "cgroup/urun-cgroup-types.h"
#include "spec/urun-spec.h"

G_BEGIN_DECLS

/* What the cgroup code needs to know of the process that runs it and of
 * its environment. */
typedef struct
{
  gboolean rootless;
  uid_t euid;                 /* who must own a delegated cgroup subtree */
  const char *session_bus;    /* $DBUS_SESSION_BUS_ADDRESS, or NULL */
  const char *runtime_dir;    /* $XDG_RUNTIME_DIR (its "bus" is the user's bus), or NULL */
  const char *system_bus;     /* $DBUS_SYSTEM_BUS_ADDRESS, or NULL (for messages) */
  gboolean service_process;   /* urun is the process systemd started for a service
                               * (INVOCATION_ID, SYSTEMD_EXEC_PID: UrunRuntime) */
} UrunCgroupHost;

/* How the container's init gets into a cgroupfs cgroup made before the
 * clone (urun_cgroup_enter() with pid 0).  Why not by its pid once it
 * runs: writing a pid into cgroup.procs takes the kernel's global cgroup
 * threadgroup lock for writing, and its first taking waits for an RCU
 * grace period (7 to 14 ms on a 2-CPU VM, in every create).  A process
 * born in its cgroup v2 directory (clone3's CLONE_INTO_CGROUP), or a
 * single-threaded one writing "0" into a v1 `tasks` file, takes none. */
#define URUN_CGROUP_MAX_V1_TASKS 16
typedef struct
{
  int v2_dirfd;      /* the cgroup v2 directory, for CLONE_INTO_CGROUP; -1: none */
  /* Each v1 hierarchy's `tasks` file, opened by urun: the kernel checks
   * the opener's credentials, so init may write "0" to them from inside
   * its user namespace. */
  int v1_tasks_fds[URUN_CGROUP_MAX_V1_TASKS];
  char *v1_tasks_paths[URUN_CGROUP_MAX_V1_TASKS]; /* their paths, for messages */
  size_t n_v1_tasks_fds;
} UrunCgroupPlacement;

#define URUN_CGROUP_PLACEMENT_INIT { -1, { 0 }, { NULL }, 0 }

/* Closes the fds of @placement, frees its paths and empties it. */
void urun_cgroup_placement_clear (UrunCgroupPlacement *placement);

/* Moves @pid into the cgroup v2 directory of @placement (a clone that
 * could not use CLONE_INTO_CGROUP): the slow way, by its pid. */
gboolean urun_cgroup_placement_move_pid (const UrunCgroupPlacement *placement, pid_t pid,
                                         GError **error);

/* Where a container's cgroup should go and what it should hold. */
typedef struct
{
  UrunCgroupManager manager;
  UrunCgroupHost host;
  const char *id;
  const char *state_root;         /* the resolved state root */
  gboolean state_root_is_default; /* it is the default root: names carry no digest of it */
  const UrunSpec *spec;           /* linux.cgroupsPath, linux.resources, annotations */
  /* systemd-run style options of create/run; NULL/FALSE: defaults */
  const char *unit;               /* NAME or NAME.scope */
  const char *slice;
  const char *description;
  gboolean collect;
  const char *const *properties;  /* NAME=VALUE, systemd syntax */
  /* Called by each rung of the ladder with the driver and the unit or
   * path it is about to make, before it makes it: create records them, so
   * that a urun killed meanwhile leaves a record from which `delete
   * --force` removes what was made.  A failure stops the rung.  NULL:
   * nobody is told. */
  gboolean (*about_to_make) (gpointer data, UrunCgroupDriver driver, const char *unit,
                             const char *path, GError **error);
  gpointer about_to_make_data;
  /* urun_cgroup_enter() with pid 0 fills it instead of moving a process
   * (see urun_cgroup_places_before_clone()). */
  UrunCgroupPlacement *placement;
} UrunCgroupRequest;

/* The systemd-run style options only make sense with a scope: TRUE when
 * @request uses any of them. */
gboolean urun_cgroup_request_wants_systemd (const UrunCgroupRequest *request);

/* Checks what can be checked before a process exists: the -p syntax, the
 * org.systemd.property.* annotations, the unit and slice names, and that
 * the systemd-run options are not combined with another driver.  So that a
 * typo fails before anything is spawned. */
gboolean urun_cgroup_request_check (const UrunCgroupRequest *request, GError **error);

/* TRUE when urun_cgroup_enter() for @request takes the cgroupfs driver or
 * none, which need no process: it may then run before the clone, with pid
 * 0.  Not for systemd (its scope is made around a pid), nor for urun as a
 * service's own process (init joins the service's cgroup). */
gboolean urun_cgroup_places_before_clone (const UrunCgroupRequest *request);

/* Places @pid (the container's init, still waiting for GO) in a cgroup as
 * @request says and applies the resources.  With @pid 0 (only when
 * urun_cgroup_places_before_clone()), before the clone: makes the cgroup
 * and fills @request->placement, for init to be born in it or to move
 * itself.  @request must have passed urun_cgroup_request_check() (before
 * the clone; not repeated here).  Fills @out_outcome (its fields must be
 * empty; free them with urun_cgroup_outcome_clear()).  On failure nothing
 * is left behind: no scope, no directory. */
gboolean urun_cgroup_enter (const UrunCgroupRequest *request, pid_t pid,
                            UrunCgroupOutcome *out_outcome, GPtrArray *warnings, GError **error);

/* Frees the fields of @cgroup (not @cgroup itself) and zeroes it. */
void urun_cgroup_outcome_clear (UrunCgroupOutcome *cgroup);

/* Undoes urun_cgroup_enter(): stops the scope (its processes are killed by
 * systemd) or kills what is left in the directories and removes them.  A
 * directory still busy (a task that just exited and is not released yet)
 * is retried for up to 1.5 s, all directories together; then it is an
 * error naming the directory.  A cgroup that is already gone is no error.
 * Driver "none": nothing. */
gboolean urun_cgroup_destroy (const UrunCgroupOutcome *cgroup, const UrunCgroupHost *host,
                              GError **error);

/* The same without killing anything in cgroupfs directories: for `delete`
 * without --force, which must not kill processes that are still in the
 * cgroup (it fails instead, naming the directory). */
gboolean urun_cgroup_remove (const UrunCgroupOutcome *cgroup, const UrunCgroupHost *host,
                             GError **error);

/* Freezes (@freeze) or thaws the cgroup: cgroup.freeze on v2, the freezer
 * controller on v1; waits until the kernel reports the new state.  Driver
 * "none" fails with URUN_ERROR_NOT_SUPPORTED naming the reason. */
gboolean urun_cgroup_freeze (const UrunCgroupOutcome *cgroup, gboolean freeze, GError **error);

/* TRUE when the cgroup is frozen (or freezing); FALSE without a cgroup. */
gboolean urun_cgroup_is_frozen (const UrunCgroupOutcome *cgroup);

/* Sends @signum to every process of the cgroup and its children (through
 * cgroup.kill for SIGKILL where the kernel has it).  Driver "none" fails
 * with URUN_ERROR_NOT_SUPPORTED, so that the caller can fall back. */
gboolean urun_cgroup_kill (const UrunCgroupOutcome *cgroup, int signum, GError **error);

/* The pids in the cgroup and its children, sorted (GArray of pid_t). */
GArray *urun_cgroup_pids (const UrunCgroupOutcome *cgroup, GError **error);

/* Applies new resources to a live container: SetUnitProperties plus the
 * delegated files for systemd, the files otherwise.  Limits that cannot be
 * applied become one warning. */
gboolean urun_cgroup_update (const UrunCgroupOutcome *cgroup, const UrunCgroupHost *host,
                             const UrunSpecResources *resources, GPtrArray *warnings,
                             GError **error);

/* Statistics as a JSON object {"cpu":…, "memory":…, "pids":…, "blkio":…},
 * the members whose controllers are missing left out. */
JsonNode *urun_cgroup_stats (const UrunCgroupOutcome *cgroup, GError **error);

/* An inotify fd that becomes readable when memory.events of the cgroup
 * changes (cgroup v2: the kernel notifies modifications of *.events files),
 * or -1 when there is no such file. */
int urun_cgroup_watch_events (const UrunCgroupOutcome *cgroup);

/* The current oom_kill count of memory.events (v2) or memory.oom_control
 * (v1); FALSE when there is none. */
gboolean urun_cgroup_oom_kills (const UrunCgroupOutcome *cgroup, guint64 *out_count);

G_END_DECLS
