/* urun-plan.h: the init plan — everything the container's init process does,
 * prepared by the parent before the clone as plain data.
 *
 * Zone: shared, GLib-free.  The parent builds a UrunInitPlan from the spec
 * (urun-plan-build.c, host side); init (urun-init*.c) only walks it, so that
 * between clone() and execve() nothing is parsed and nothing is allocated.
 * Every pointer stays valid in the child because the clone copies the
 * parent's memory.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "init/urun-mount-flags.h"

typedef enum
{
  URUN_PLAN_MOUNT_FS,      /* mount(type, source) with data */
  URUN_PLAN_MOUNT_BIND,    /* bind (or rbind) a host path */
  URUN_PLAN_MOUNT_SYSFS,   /* sysfs; rbind of the host's /sys where not allowed */
  URUN_PLAN_MOUNT_CGROUP,  /* cgroup or cgroup2: the container's view (urun-init-cgroupfs.c) */
} UrunPlanMountKind;

typedef struct
{
  UrunPlanMountKind kind;
  const char *source;      /* host path for binds, fs source otherwise */
  const char *destination; /* absolute path inside the container */
  const char *type;        /* filesystem type, NULL for binds */
  UrunMountFlags flags;    /* folded options (data included) */
  bool source_is_dir;      /* create the destination as a directory, else a file */
  int tree_fd;             /* a bind the parent cloned (open_tree), idmapped or not,
                            * that init attaches; -1: init binds @source by path */
} UrunPlanMount;

/* One cgroup hierarchy the host mounts below /sys/fs/cgroup (or the cgroup2
 * mount that is /sys/fs/cgroup), for the `cgroup` mounts of the container
 * (urun-plan-cgroupfs.c finds them, urun-init-cgroupfs.c mounts them). */
typedef struct
{
  int id;                  /* the hierarchy's number in /proc/self/cgroup; 0: cgroup2 */
  const char *name;        /* its directory inside the mount: "cpu,cpuacct", "systemd",
                            * "unified" (the host's mount point's name); NULL on a
                            * unified host, where it is the mount itself */
  const char *host_mount;  /* the host's mount point: "/sys/fs/cgroup/memory" */
  const char *host_root;   /* the cgroup that mount shows: "/", unless urun itself
                            * runs in a container */
  const char *controllers; /* for a fresh v1 mount: "cpu,cpuacct", "name=systemd"; NULL: v2 */
  const char *const *links; /* symlinks to @name: one per comounted controller, or NULL */
} UrunPlanCgroup;

typedef struct
{
  const char *path;        /* absolute path inside the container */
  char type;               /* 'c', 'b', 'u' (as 'c'), 'p' */
  unsigned major;
  unsigned minor;
  mode_t mode;             /* permission bits */
  uid_t uid;
  gid_t gid;
  int tree_fd;             /* a node the parent made (open_tree of it) that init
                            * attaches; -1: mknod, or bind the host's node */
} UrunPlanDevice;

typedef struct
{
  int resource;            /* RLIMIT_* */
  const char *name;        /* "RLIMIT_NOFILE", for error messages */
  struct rlimit limit;
} UrunPlanRlimit;

typedef struct
{
  const char *path;
  char *const *argv;
  char *const *envp;
  int timeout_seconds;     /* 0: no timeout */
} UrunPlanHook;

typedef struct
{
  int nstype;              /* CLONE_NEW* */
  int fd;                  /* O_RDONLY fd of the namespace file */
} UrunPlanJoin;

typedef struct
{
  const char *key;         /* "net.ipv4.ip_forward" */
  const char *value;
} UrunPlanSysctl;

typedef struct
{
  /* Namespaces.  Without namespaces to join, the clone creates every new
   * namespace at once (the fast path).  With some, the clone creates none
   * and init goes through stages (see urun-init-stage.c): join (the user
   * namespace first), create the user namespace, create the rest, then
   * clone the real init into the new pid namespace. */
  int clone_flags;               /* CLONE_NEW* that the clone creates */
  bool staged;                   /* namespaces to join: the staged path */
  int unshare_flags;             /* staged: CLONE_NEW* init creates itself */
  UrunPlanJoin *joins;           /* existing namespaces, user namespace first */
  size_t n_joins;
  bool new_userns;               /* the parent writes maps; wait for GO */
  /* A time namespace cannot come from the clone: its offsets must be
   * written before a process enters it.  Init unshares it, writes
   * /proc/self/timens_offsets, and execve() moves the process in. */
  bool new_timens;
  /* Nor a cgroup namespace: its root is the cgroup of the process that
   * creates it, so init creates it only after the parent has placed it in
   * the container's cgroup (after GO). */
  bool new_cgroupns;
  /* The network namespace is not the clone's either (fast path only):
   * init unshares it before GO, while the parent is busy between the
   * clone and GO (urun-plan-build.c says why). */
  bool new_netns;
  const char *timens_offsets;    /* "monotonic S N\nboottime S N\n", or NULL */

  /* The root filesystem. */
  const char *rootfs;            /* absolute host path */
  /* No mount namespace of the container's own: none listed in
   * linux.namespaces (inherited, as the spec says) or one joined by path.
   * Those mounts are somebody else's (the caller's, the host's), so init
   * mounts nothing at all and enters the rootfs with chroot(2); the plan
   * builder has refused every config that would need a mount
   * (urun-plan-build.c). */
  bool chroot_only;
  bool rootfs_readonly;
  unsigned long root_propagation;   /* for "/" before anything: MS_SLAVE|MS_REC... */
  unsigned long rootfs_propagation; /* linux.rootfsPropagation, 0 = leave */
  bool no_pivot;

  UrunPlanMount *mounts;
  size_t n_mounts;
  /* The host's cgroup hierarchies, when a mount is of type cgroup(2). */
  const UrunPlanCgroup *cgroups;
  size_t n_cgroups;
  bool cgroup_unified;           /* the host's /sys/fs/cgroup is cgroup2 itself */
  UrunPlanDevice *devices;       /* default devices plus linux.devices */
  size_t n_devices;
  bool bind_devices;             /* in a user namespace mknod fails: bind instead */
  /* mounts[] binds a host directory onto /dev: init makes no device, link
   * or /dev/ptmx there, since they would be the host's files (as runc). */
  bool dev_from_host;
  bool create_console;           /* /dev/console for a terminal */
  const char *const *masked_paths;
  const char *const *readonly_paths;

  /* Identity and limits. */
  const char *hostname;
  const char *domainname;
  UrunPlanSysctl *sysctls;
  size_t n_sysctls;
  UrunPlanRlimit *rlimits;
  size_t n_rlimits;
  bool has_oom_score_adj;
  int oom_score_adj;
  uid_t uid;
  gid_t gid;
  const gid_t *additional_gids;
  size_t n_additional_gids;
  bool can_setgroups;            /* FALSE where setgroups is denied */
  bool has_umask;
  mode_t umask;
  bool new_keyring;
  const char *keyring_name;      /* "urun-<id>" */

  /* The process. */
  const char *cwd;
  char *const *argv;
  char *const *envp;
  const char *path_env;          /* PATH for the lookup of argv[0], inside */
  /* When the process env has no HOME: its "HOME=/" entry in envp, with room
   * for a path, which init fills from the container's /etc/passwd (as runc
   * and crun do); NULL when the config sets HOME itself. */
  char *home_env;

  /* The security profile of the process (urun-plan-security.c builds it,
   * urun-init-security.c applies it; the order is explained there). */
  bool has_capabilities;         /* FALSE: leave the capabilities alone */
  uint64_t cap_bounding;         /* bit N: capability N */
  uint64_t cap_effective;
  uint64_t cap_permitted;
  uint64_t cap_inheritable;
  uint64_t cap_ambient;
  int cap_last;                  /* the running kernel's last capability */
  bool no_new_privileges;
  const void *seccomp_bpf;       /* struct sock_filter[], or NULL: no filter */
  unsigned short seccomp_len;    /* number of instructions */
  unsigned seccomp_flags;        /* SECCOMP_FILTER_FLAG_* for seccomp(2) */
  bool seccomp_notify;           /* NEW_LISTENER: send the fd to the parent */
  const char *apparmor_exec;     /* "exec <profile>", or NULL */
  const char *selinux_label;     /* for /proc/self/attr/exec, or NULL */
  bool has_personality;
  unsigned long personality;
  bool has_scheduler;
  uint32_t sched_policy;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_flags;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
  bool has_ioprio;
  int ioprio;                    /* IOPRIO_PRIO_VALUE (class, level) */
  const void *cpu_affinity_initial; /* cpu_set_t bytes, or NULL */
  size_t cpu_affinity_initial_size;
  const void *cpu_affinity_final;   /* cpu_set_t bytes, or NULL: leave */
  size_t cpu_affinity_final_size;
  bool has_mempolicy;
  int mempolicy_mode;            /* MPOL_* | MPOL_F_* */
  const unsigned long *mempolicy_nodes; /* nodemask, or NULL */
  unsigned long mempolicy_maxnode;      /* as set_mempolicy(2) wants it */

  /* Hooks run by init itself: createContainer before pivot_root,
   * startContainer right before execve. */
  UrunPlanHook *create_container_hooks;
  size_t n_create_container_hooks;
  UrunPlanHook *start_container_hooks;
  size_t n_start_container_hooks;
  bool has_runtime_hooks;        /* ask the parent to run prestart/createRuntime */
  int state_fd;                  /* memfd with the state JSON for hooks, or -1 */

  /* File descriptors. */
  const int *keep_fds;           /* ascending: the parent's fds init uses, all
                                  * above the preserved ones; init closes every
                                  * other fd of urun's at once (the state
                                  * directory's flock must not live on in init
                                  * while it waits for `start`) */
  size_t n_keep_fds;
  int sync_fd;                   /* init's end of the socketpair */
  int exec_fifo_fd;              /* O_PATH fd of exec.fifo (create), or -1 (run) */
  /* A cgroupfs cgroup made before the clone (UrunCgroupPlacement in
   * cgroup/urun-cgroup.h): init is born in its v2 directory (the parent's
   * clone3 with CLONE_INTO_CGROUP) and writes "0" into each v1 hierarchy's
   * `tasks` file first thing, which moves the one thread it has without
   * the kernel's global lock that moving it by pid takes. */
  int clone_cgroup_fd;           /* the parent's: the v2 directory, or -1 */
  const int *cgroup_tasks_fds;   /* kept fds of the v1 `tasks` files */
  const char *const *cgroup_tasks_paths; /* their host paths, for messages */
  size_t n_cgroup_tasks_fds;
  int preserve_fds;              /* fds 3 .. 3+N-1 are kept for the process */

  /* The terminal (urun-init-terminal.c).  With process.terminal, init
   * opens a pty from the container's own devpts after pivot_root, sends
   * the master to the parent (URUN_SYNC_TERMINAL), binds the slave onto
   * /dev/console (the file create_console made) and makes the slave the
   * controlling terminal and fds 0-2. */
  bool terminal;
  unsigned short console_rows;   /* process.consoleSize; 0: the pty's default */
  unsigned short console_cols;

  /* NOTIFY_SOCKET (urun-notify.h).  When notify_dir is set, the parent
   * cloned `<state>/notify` as a detached read-only mount (open_tree) and
   * init attaches it there after the pivot (urun-init-notify.c): the
   * state directory is 0700 and init, once it is root of a user
   * namespace, may not walk to it by name.  Where the parent cannot clone
   * mounts (rootless), the bind is a plain entry of mounts[] instead. */
  const char *notify_dir;        /* container path, or NULL */
  int notify_tree_fd;            /* the detached mount, when notify_dir is set */
} UrunInitPlan;
