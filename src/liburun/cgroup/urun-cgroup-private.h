/* urun-cgroup-private.h: what the files of cgroup/ share, bottom up:
 *   urun-cgroup-fs.c        the host's cgroup file systems: layout, files,
 *                           directories;
 *   urun-cgroup-outcome.c   clearing and reporting an outcome;
 *   urun-systemd-syntax.c, urun-systemd-property.c
 *                           systemd's property syntax (pure);
 *   urun-cgroup-resources.c linux.resources as cgroup writes, and the names
 *                           of a container's cgroup and scope;
 *   urun-cgroup-request.c   what a request asks for, and its checks;
 *   urun-cgroup-apply.c     making directories and writing limits into them;
 *   urun-cgroup-tree.c      the operations on an existing cgroup's
 *                           directories that the drivers share;
 *   urun-cgroup-stats.c     statistics and OOM events;
 *   the drivers, each a UrunCgroupDriverOps: urun-systemd.c (systemd, on
 *     urun-systemd-resources.c and urun-systemd-bus.c over urun-sd-bus.c),
 *     urun-cgroup-v2.c and urun-cgroup-v1.c (cgroupfs), urun-cgroup-none.c;
 *     no driver calls another;
 *   urun-cgroup-service.c   the rung of a service's own process;
 *   urun-cgroup-ops.c       the operations of urun-cgroup.h, dispatched to
 *                           the driver of the outcome;
 *   urun-cgroup.c           the ladder that picks a driver.
 * A file calls only the files above it in this list.
 *
 * Zone: host side (GLib).
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cgroup/urun-cgroup.h"

G_BEGIN_DECLS

/* ---- urun-cgroup-fs.c: the host's cgroup file systems -------------------------- */

/* The layout of the cgroup file systems on this host. */
typedef enum
{
  URUN_CGROUP_MODE_UNIFIED, /* /sys/fs/cgroup is cgroup2 */
  URUN_CGROUP_MODE_HYBRID,  /* v1 controllers, cgroup2 at /sys/fs/cgroup/unified */
  URUN_CGROUP_MODE_LEGACY,  /* v1 only */
  URUN_CGROUP_MODE_NONE,    /* no cgroup file system mounted */
} UrunCgroupMode;

/* Detected with statfs() (never from /proc/self/cgroup, which shows the
 * host's lines inside a container) and /proc/self/mounts, once per
 * process. */
UrunCgroupMode urun_cgroup_mode (void);

/* The cgroup2 mount point (/sys/fs/cgroup or /sys/fs/cgroup/unified), or
 * NULL in legacy mode.  Owned by the module. */
const char *urun_cgroup_v2_root (void);

/* The mount point of the v1 hierarchy holding @controller, or NULL
 * (from the same once-per-process read of /proc/self/mounts). */
char *urun_cgroup_v1_mount (const char *controller);

/* The cgroup v2 path of @pid from /proc/PID/cgroup (the "0::" line). */
char *urun_cgroup_path_of_pid (pid_t pid, GError **error);

/* Writes @value to @dir/@file.  Raw helper style: 0 or -errno. */
int urun_cgroup_write_file (const char *dir, const char *file, const char *value);

/* Reads @dir/@file, trailing newline removed; NULL (errno set) on failure. */
char *urun_cgroup_read_file (const char *dir, const char *file);

/* The v1 hierarchies the cgroupfs driver places a container in (not
 * name=systemd, which is systemd's own bookkeeping). */
extern const char *const urun_cgroup_v1_controllers[];
extern const gsize urun_cgroup_n_v1_controllers;

/* The value of "KEY N" in the flat-keyed @dir/@file (memory.events);
 * FALSE when the file or the key is missing. */
gboolean urun_cgroup_read_keyed (const char *dir, const char *file, const char *key,
                                 guint64 *out_value);

/* The directory of the cgroup @path in the cgroup2 hierarchy, or in the v1
 * hierarchy of @controller; NULL when that hierarchy is not mounted or
 * @path is NULL.  Not checked for existence. */
char *urun_cgroup_v2_dir (const char *path);
char *urun_cgroup_v1_dir (const char *controller, const char *path);

/* ---- urun-cgroup-outcome.c ----------------------------------------------------- */

/* Appends to @dropped the device rules that are not enforced, and why. */
void urun_cgroup_drop_devices (GPtrArray *dropped, const char *why);

/* Fails with URUN_ERROR_NOT_SUPPORTED: the container of @cg has no cgroup
 * to @what with (and the reason it has none).  Always FALSE. */
gboolean urun_cgroup_fail_no_cgroup (const UrunCgroupOutcome *cg, const char *what, GError **error);

/* Appends to @warnings (may be NULL) one line listing @cg's dropped limits,
 * if there are any. */
void urun_cgroup_warn_dropped (const UrunCgroupOutcome *cg, GPtrArray *warnings);

/* ---- urun-cgroup-resources.c: limits as writes, names -------------------------- */

/* One file to write into a cgroup. */
typedef struct
{
  char *controller;   /* "memory", "cpu", ... (v1: the hierarchy), NULL: core */
  char *file;         /* "memory.max" */
  char *value;
  const char *limit;  /* the spec's name of the limit, "memory.limit", for messages */
  gboolean systemd;   /* also expressed as a systemd unit property */
} UrunCgroupWrite;

/* The writes that apply @resources on cgroup v2, in order.  Limits that v2
 * cannot express are appended to @dropped as "LIMIT (REASON)".  Device rules
 * are not included (v2 needs BPF: systemd's DevicePolicy, or dropped).
 * Invalid combinations (a swap limit below the memory limit) fail. */
GPtrArray *urun_cgroup_resources_v2 (const UrunSpecResources *resources, GPtrArray *dropped,
                                     GError **error);

/* The same for cgroup v1; the device rules of the spec are followed by the
 * devices every container may use (null, zero, full, tty, random, urandom,
 * pts, ptmx, tun) and by @devices (linux.devices), as runc and crun do. */
GPtrArray *urun_cgroup_resources_v1 (const UrunSpecResources *resources,
                                     const UrunSpecDevice *devices, gsize n_devices,
                                     GPtrArray *dropped, GError **error);

/* TRUE when @resources asks for any limit at all (device rules included). */
gboolean urun_cgroup_resources_any (const UrunSpecResources *resources);

/* The v1 -> v2 weight conversions the OCI runtimes agree on, for the
 * cgroupfs files and the systemd properties alike: cpu.shares (clamped to
 * 2..262144) -> cpu.weight and CPUWeight, blkio weight (clamped to
 * 10..1000) -> io.weight and IOWeight; both 1..10000. */
guint64 urun_cgroup_shares_to_weight (guint64 shares);
guint64 urun_cgroup_blkio_to_io_weight (guint64 weight);

/* The devices any container may use: what runc's and crun's defaults
 * allow besides the spec's own rules (null, zero, full, tty, random,
 * urandom, pts, ptmx, tun, and mknod of anything). */
typedef struct
{
  const char *type;
  gint64 major, minor; /* -1: any */
  const char *access;
} UrunCgroupDefaultDevice;

extern const UrunCgroupDefaultDevice urun_cgroup_default_devices[];
extern const gsize urun_cgroup_n_default_devices;

/* The systemd unit name and slice for @request: --unit, or
 * `slice:prefix:name` of linux.cgroupsPath, or urun-<id>.scope; --slice,
 * or the slice of cgroupsPath, or the default (machine.slice for root,
 * app.slice for rootless).  Errors name the bad input. */
gboolean urun_cgroup_systemd_names (const UrunCgroupRequest *request, char **out_unit,
                                    char **out_slice, GError **error);

/* The cgroupfs path (below the hierarchy root, starting with "/") for
 * @request, given @base: the directory that relative paths and the default
 * name are placed in ("/" for root, the delegated subtree when rootless). */
gboolean urun_cgroup_fs_path (const UrunCgroupRequest *request, const char *base,
                              char **out_path, GError **error);

/* ---- urun-cgroup-request.c ----------------------------------------------------- */

/* linux.resources of @request's spec, or NULL. */
const UrunSpecResources *urun_cgroup_request_resources (const UrunCgroupRequest *request);

/* Appends to @props the properties of the spec's org.systemd.property.*
 * annotations.  Errors name the annotation. */
gboolean urun_cgroup_request_annotation_properties (const UrunCgroupRequest *request,
                                                    GPtrArray *props, GError **error);

/* Tells the request's about_to_make (if any) what a rung will make; see
 * urun-cgroup.h.  TRUE when there is nobody to tell. */
gboolean urun_cgroup_request_announce (const UrunCgroupRequest *request, UrunCgroupDriver driver,
                                       const char *unit, const char *path, GError **error);

/* The annotation that asks for best effort: resource limits that cannot
 * be applied are dropped with a warning instead of failing create.  Device
 * rules are never dropped this way. */
#define URUN_CGROUP_BEST_EFFORT_ANNOTATION "io.github.urun.cgroup-best-effort"

/* TRUE when @request's spec sets URUN_CGROUP_BEST_EFFORT_ANNOTATION to
 * "true" (urun_cgroup_request_check() refuses values other than true and
 * false). */
gboolean urun_cgroup_request_best_effort (const UrunCgroupRequest *request);

/* ---- urun-cgroup-apply.c: directories and the writes into them ----------------- */

/* Applies @writes into the v2 directory @dir; writes whose controller is
 * not in @dir's cgroup.controllers are recorded in @dropped, a failed write
 * is handled by urun_cgroup_check_write() (@best_effort). */
gboolean urun_cgroup_apply_v2 (const char *dir, GPtrArray *writes, gboolean skip_systemd,
                               gboolean best_effort, GPtrArray *dropped, GError **error);

/* The limits systemd accepted but cannot enforce, because the controller
 * is not enabled in the scope's v2 directory @dir (a container without
 * controllers, a user manager that is delegated none): the systemd
 * @writes whose controller @dir lacks are truthfully reported in
 * @dropped. */
void urun_cgroup_report_unenforced (const char *dir, GPtrArray *writes, GPtrArray *dropped);

/* Enables in @dir's cgroup.subtree_control the controllers that
 * statistics and @writes need and @dir has; best effort: what cannot be
 * enabled shows as "not available" in the child. */
void urun_cgroup_enable_controllers (const char *dir, GPtrArray *writes);

/* Applies @writes (from urun_cgroup_resources_v1()) to the cgroup @path in
 * each v1 hierarchy; a hierarchy that is not mounted drops the limit into
 * @dropped (a device rule fails instead), a failed write is handled by
 * urun_cgroup_check_write() (@best_effort). */
gboolean urun_cgroup_apply_v1 (const char *path, GPtrArray *writes, gboolean best_effort,
                               GPtrArray *dropped, GError **error);

/* New limits for a live v1 cgroup @path: urun_cgroup_resources_v1() of
 * @resources, applied by urun_cgroup_apply_v1(). */
gboolean urun_cgroup_apply_v1_resources (const char *path, const UrunSpecResources *resources,
                                         GPtrArray *dropped, GError **error);

/* TRUE for the errors that mean "no cgroup can be made here at all" (the
 * hierarchy is not ours to write: EACCES, EPERM, EROFS), as opposed to a
 * cgroup that exists but refuses what the spec asks for. */
gboolean urun_cgroup_errno_unavailable (int errsv);

/* The cgroupfs driver's common steps, for urun-cgroup-v2.c and -v1.c.
 * urun_cgroup_check_write: the outcome @r (0 or -errno) of writing @w into
 * @dir.  ENOENT (a file this kernel does not have) drops the limit into
 * @dropped; any other failure is an error naming the JSON path, the file
 * and the errno, or, with @best_effort, one more entry in @dropped.  A
 * device rule that fails is always an error. */
gboolean urun_cgroup_check_write (int r, const char *dir, const UrunCgroupWrite *w,
                                  gboolean best_effort, GPtrArray *dropped, GError **error);

/* Removes the directories in @created, last first. */
void urun_cgroup_remove_dirs (GPtrArray *created);

/* mkdir -p of @root/@path, appending the new directories to @created;
 * @cpuset copies the parent's cpus and mems into each new one.  On
 * failure *@out_unavailable (may be NULL) tells whether the errno was one
 * of urun_cgroup_errno_unavailable(). */
gboolean urun_cgroup_make_path (const char *root, const char *path, gboolean cpuset,
                                GPtrArray *created, gboolean *out_unavailable,
                                GError **error);

/* Fails (URUN_ERROR_EXISTS) when @dir exists and holds processes. */
gboolean urun_cgroup_check_unused (const char *dir, const char *path, GError **error);

/* Writes @pidtext into @dir/cgroup.procs. */
gboolean urun_cgroup_move_init (const char *dir, const char *pidtext, GError **error);

/* ---- the drivers ------------------------------------------------------------- */

/* What a driver does; every operation of urun-cgroup.h goes to the driver
 * of the outcome (urun_cgroup_driver_ops()). */
typedef struct
{
  /* Creates the container's cgroup per @request, applies the spec's
   * limits and moves @pid into it; fills @outcome's driver, unit, path and
   * dropped limits.  On failure nothing it made is left, and
   * *@out_unavailable says whether the failure means that no cgroup can
   * be made here at all (no hierarchy, none delegated, EACCES/EPERM/EROFS
   * making the directory or moving @pid), the only case in which the
   * ladder may go on without a cgroup. */
  gboolean (*enter) (const UrunCgroupRequest *request, pid_t pid, UrunCgroupOutcome *outcome,
                     gboolean *out_unavailable, GError **error);
  /* New limits for a live cgroup; what cannot be applied goes to @dropped. */
  gboolean (*update) (const UrunCgroupOutcome *cg, const UrunCgroupHost *host,
                      const UrunSpecResources *resources, GPtrArray *dropped, GError **error);
  gboolean (*freeze) (const UrunCgroupOutcome *cg, gboolean freeze, GError **error);
  gboolean (*is_frozen) (const UrunCgroupOutcome *cg);
  gboolean (*kill) (const UrunCgroupOutcome *cg, int signum, GError **error);
  GArray *(*pids) (const UrunCgroupOutcome *cg, GError **error);
  JsonNode *(*stats) (const UrunCgroupOutcome *cg, GError **error);
  gboolean (*oom_kills) (const UrunCgroupOutcome *cg, guint64 *out_count);
  int (*watch_events) (const UrunCgroupOutcome *cg);
  /* Removes the cgroup; @kill_left kills what is still in it first. */
  gboolean (*remove) (const UrunCgroupOutcome *cg, const UrunCgroupHost *host,
                      gboolean kill_left, GError **error);
} UrunCgroupDriverOps;

extern const UrunCgroupDriverOps urun_cgroup_systemd_driver; /* urun-systemd.c */
extern const UrunCgroupDriverOps urun_cgroup_v2_driver;      /* urun-cgroup-v2.c */
extern const UrunCgroupDriverOps urun_cgroup_v1_driver;      /* urun-cgroup-v1.c */
extern const UrunCgroupDriverOps urun_cgroup_none_driver;    /* urun-cgroup-none.c */

/* The operations of @driver on this host: cgroupfs is the v2 driver on a
 * unified host, the v1 one on a hybrid or legacy host (urun-cgroup-ops.c). */
const UrunCgroupDriverOps *urun_cgroup_driver_ops (UrunCgroupDriver driver);

/* ---- urun-cgroup-tree.c: what the drivers share on an existing cgroup --------- */

/* The pids in @cg's directories (every hierarchy) and below, sorted. */
GArray *urun_cgroup_tree_pids (const UrunCgroupOutcome *cg, GError **error);

/* cgroup.freeze (v2) when the directory has it, else the v1 freezer;
 * waits until the kernel reports the new state. */
gboolean urun_cgroup_tree_freeze (const UrunCgroupOutcome *cg, gboolean freeze, GError **error);
gboolean urun_cgroup_tree_is_frozen (const UrunCgroupOutcome *cg);

/* cgroup.kill for SIGKILL where the kernel has it, else pid by pid; a
 * v1-frozen cgroup is thawed so that SIGKILL takes effect. */
gboolean urun_cgroup_tree_kill (const UrunCgroupOutcome *cg, int signum, GError **error);

/* Removes @cg's directories: in every hierarchy with @every_hierarchy,
 * else the v2 one only (and what is below them); @kill_left first kills
 * what is left and waits for the cgroup to empty.  EBUSY is retried for
 * up to 1.5 s, all directories together.  Nothing to do without a path. */
gboolean urun_cgroup_tree_remove (const UrunCgroupOutcome *cg, gboolean every_hierarchy,
                                  gboolean kill_left, GError **error);

/* The remove operation of both cgroupfs drivers: every directory of a
 * cgroupfs container is urun's. */
gboolean urun_cgroup_tree_remove_cgroupfs (const UrunCgroupOutcome *cg,
                                           const UrunCgroupHost *host, gboolean kill_left,
                                           GError **error);

/* ---- urun-cgroup-stats.c ---------------------------------------------------------- */

/* Statistics as urun_cgroup_stats() returns them, from the v2 directory
 * @dir, or from the v1 hierarchies of the cgroup @path. */
JsonNode *urun_cgroup_read_stats_v2 (const char *dir);
JsonNode *urun_cgroup_read_stats_v1 (const char *path);

/* urun_cgroup_oom_kills() and urun_cgroup_watch_events() on @cg's
 * directories (memory.events on v2, memory.oom_control on v1). */
gboolean urun_cgroup_read_oom_kills (const UrunCgroupOutcome *cg, guint64 *out_count);
int urun_cgroup_watch_memory_events (const UrunCgroupOutcome *cg);

/* ---- urun-cgroup-v2.c, urun-cgroup-v1.c: the cgroupfs driver ---------------- */

/* The cgroupfs v2 rung below @base: names the container's cgroup there
 * (urun_cgroup_fs_path()), announces it, makes it, with @enable the
 * controllers @writes need enabled on each level from @base down, applies
 * @writes and moves init (@pid) in.  On failure what it made is removed,
 * and *@out_unavailable says whether no cgroup can be had there at all.
 * Shared by the plain v2 rung and a service's sub-cgroup
 * (urun-cgroup-service.c). */
gboolean urun_cgroup_v2_enter_below (const UrunCgroupRequest *request, pid_t pid,
                                     const char *base, gboolean enable, GPtrArray *writes,
                                     UrunCgroupOutcome *outcome, gboolean *out_unavailable,
                                     GError **error);

/* ---- urun-cgroup-none.c ---------------------------------------------------------- */

/* Puts into @dropped the spec's name of every limit @resources asks for:
 * the limits of a container that has no cgroup. */
void urun_cgroup_none_list_limits (const UrunSpecResources *resources, gboolean rootless,
                                   GPtrArray *dropped);

/* ---- urun-systemd.c ------------------------------------------------------- */

/* TRUE when the manager of that kind is reachable: the system manager must
 * be running (/run/systemd/system) and its bus answer. */
gboolean urun_systemd_available (const UrunCgroupHost *host, GError **error);

/* Moves @pid into @unit (AttachProcessesToUnit, below @subcgroup or at its
 * top when NULL); for processes joining a running container. */
gboolean urun_systemd_attach (const char *unit, const UrunCgroupHost *host, pid_t pid,
                              const char *subcgroup, GError **error);

G_END_DECLS
