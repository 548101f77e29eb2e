/* urun-spec-names.h: the closed vocabularies of an OCI config, as tables.
 *
 * Zone: host side (GLib).  Capabilities, rlimits, signals, namespace types,
 * seccomp actions/operators/architectures/flags, mount options, propagation,
 * scheduler policies, I/O priority classes, memory policies, personality
 * domains.  Each vocabulary maps a spec name to the kernel (or libseccomp)
 * value.  Lookups are exact and case-sensitive, as the spec spells them,
 * except for signals, where the command line is more forgiving.
 *
 * The *_from_name() functions return FALSE for an unknown name and leave
 * the out-parameter alone; the *_to_name() functions return NULL for an
 * unknown value.  Returned names are static strings.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Capabilities: "CAP_CHOWN" (0) .. "CAP_CHECKPOINT_RESTORE" (40). */
#define URUN_CAP_LAST 40
gboolean urun_capability_from_name (const char *name, int *out_cap);
const char *urun_capability_to_name (int cap);

/* Resource limits: "RLIMIT_CPU" .. "RLIMIT_RTTIME", values as RLIMIT_*. */
gboolean urun_rlimit_from_name (const char *name, int *out_resource);
const char *urun_rlimit_to_name (int resource);

/* Signals.  Accepts "KILL", "SIGKILL", "kill", "9", "RTMIN+3", "SIGRTMAX-1";
 * the real-time range is the C library's SIGRTMIN..SIGRTMAX.  Fails with
 * URUN_ERROR_INVALID_ARGUMENT and `unknown signal "X"`. */
gboolean urun_signal_from_name (const char *name, int *out_signum, GError **error);
/* "SIGKILL", "SIGRTMIN+3"; a number as text for anything else.  Free with
 * g_free(). */
char *urun_signal_to_name (int signum);

typedef enum
{
  URUN_NAMESPACE_PID,
  URUN_NAMESPACE_NETWORK,
  URUN_NAMESPACE_MOUNT,
  URUN_NAMESPACE_IPC,
  URUN_NAMESPACE_UTS,
  URUN_NAMESPACE_USER,
  URUN_NAMESPACE_CGROUP,
  URUN_NAMESPACE_TIME,
  URUN_NAMESPACE_N_TYPES,
} UrunNamespaceType;

/* "pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time". */
gboolean urun_namespace_type_from_name (const char *name, UrunNamespaceType *out_type);
const char *urun_namespace_type_to_name (UrunNamespaceType type);
/* The CLONE_NEW* flag of @type. */
int urun_namespace_type_clone_flag (UrunNamespaceType type);
/* The file name under /proc/PID/ns/ ("net", "mnt", ...). */
const char *urun_namespace_type_proc_name (UrunNamespaceType type);

typedef enum
{
  URUN_SECCOMP_ACT_KILL,         /* = KILL_THREAD */
  URUN_SECCOMP_ACT_KILL_PROCESS,
  URUN_SECCOMP_ACT_KILL_THREAD,
  URUN_SECCOMP_ACT_TRAP,
  URUN_SECCOMP_ACT_ERRNO,
  URUN_SECCOMP_ACT_TRACE,
  URUN_SECCOMP_ACT_ALLOW,
  URUN_SECCOMP_ACT_LOG,
  URUN_SECCOMP_ACT_NOTIFY,
} UrunSeccompAction;

gboolean urun_seccomp_action_from_name (const char *name, UrunSeccompAction *out_action);
/* Whether errnoRet may go with @action (ERRNO and TRACE only). */
gboolean urun_seccomp_action_takes_errno (UrunSeccompAction action);

typedef enum
{
  URUN_SECCOMP_CMP_NE = 1,  /* the libseccomp values */
  URUN_SECCOMP_CMP_LT,
  URUN_SECCOMP_CMP_LE,
  URUN_SECCOMP_CMP_EQ,
  URUN_SECCOMP_CMP_GE,
  URUN_SECCOMP_CMP_GT,
  URUN_SECCOMP_CMP_MASKED_EQ,
} UrunSeccompOperator;

gboolean urun_seccomp_operator_from_name (const char *name, UrunSeccompOperator *out_op);

/* "SCMP_ARCH_X86_64" -> "x86_64": the name libseccomp's
 * seccomp_arch_resolve_name() understands. */
gboolean urun_seccomp_arch_from_name (const char *name, const char **out_libseccomp_name);

/* "SECCOMP_FILTER_FLAG_TSYNC" -> SECCOMP_FILTER_FLAG_TSYNC (the kernel's
 * value). */
gboolean urun_seccomp_flag_from_name (const char *name, guint *out_flag);

/* Propagation: "private", "rprivate", "shared", "rshared", "slave",
 * "rslave", "unbindable", "runbindable" -> MS_PRIVATE [| MS_REC] ... */
gboolean urun_propagation_from_name (const char *name, gulong *out_flags);

typedef enum
{
  /* A mount(2) flag: set or clear @flags in mountflags. */
  URUN_MOUNT_OPTION_FLAG,
  /* A propagation change (MS_SHARED, MS_PRIVATE, ... maybe | MS_REC), done
   * with a second mount(2) call. */
  URUN_MOUNT_OPTION_PROPAGATION,
  /* A recursive attribute for mount_setattr(2) with AT_RECURSIVE: set
   * @attr_set and clear @attr_clr (URUN_MOUNT_ATTR_* values). */
  URUN_MOUNT_OPTION_RECURSIVE,
  /* "idmap" / "ridmap": an idmapped mount, recursive for ridmap. */
  URUN_MOUNT_OPTION_IDMAP,
  /* A runtime extension handled by urun itself: "tmpcopyup". */
  URUN_MOUNT_OPTION_EXTENSION,
  /* Filesystem data passed in mount(2)'s data argument ("mode=755",
   * "newinstance"). */
  URUN_MOUNT_OPTION_DATA,
} UrunMountOptionKind;

/* mount_setattr(2) attributes, spelled out here so that this header does
 * not depend on the kernel headers' <linux/mount.h>. */
#define URUN_MOUNT_ATTR_RDONLY 0x00000001
#define URUN_MOUNT_ATTR_NOSUID 0x00000002
#define URUN_MOUNT_ATTR_NODEV 0x00000004
#define URUN_MOUNT_ATTR_NOEXEC 0x00000008
#define URUN_MOUNT_ATTR__ATIME 0x00000070
#define URUN_MOUNT_ATTR_RELATIME 0x00000000
#define URUN_MOUNT_ATTR_NOATIME 0x00000010
#define URUN_MOUNT_ATTR_STRICTATIME 0x00000020
#define URUN_MOUNT_ATTR_NODIRATIME 0x00000080
#define URUN_MOUNT_ATTR_IDMAP 0x00100000
#define URUN_MOUNT_ATTR_NOSYMFOLLOW 0x00200000

typedef struct
{
  const char *name;
  UrunMountOptionKind kind;
  gboolean clear;    /* FLAG: clear @flags instead of setting them */
  gulong flags;      /* FLAG, PROPAGATION: MS_* bits; IDMAP: 1 when recursive */
  guint64 attr_set;  /* RECURSIVE */
  guint64 attr_clr;  /* RECURSIVE */
} UrunMountOption;

/* Classifies one entry of mounts[].options.  Known options fill
 * *out_option with their table entry; filesystem data (anything with '=',
 * and flags such as "newinstance") give URUN_MOUNT_OPTION_DATA with
 * *out_option NULL.  Returns FALSE for an unknown option. */
gboolean urun_mount_option_lookup (const char *option, UrunMountOptionKind *out_kind,
                                   const UrunMountOption **out_option);

/* process.scheduler.policy: "SCHED_OTHER" .. "SCHED_DEADLINE" -> SCHED_*. */
gboolean urun_sched_policy_from_name (const char *name, int *out_policy);
/* process.scheduler.flags: "SCHED_FLAG_RESET_ON_FORK" ... -> SCHED_FLAG_*. */
gboolean urun_sched_flag_from_name (const char *name, guint64 *out_flag);
/* process.ioPriority.class: "IOPRIO_CLASS_RT" -> 1, BE -> 2, IDLE -> 3. */
gboolean urun_ioprio_class_from_name (const char *name, int *out_class);
/* linux.memoryPolicy.mode: "MPOL_DEFAULT" .. -> MPOL_*. */
gboolean urun_mempolicy_mode_from_name (const char *name, int *out_mode);
/* linux.memoryPolicy.flags: "MPOL_F_STATIC_NODES" ... -> MPOL_F_*. */
gboolean urun_mempolicy_flag_from_name (const char *name, guint *out_flag);
/* linux.personality.domain: "LINUX" -> PER_LINUX, "LINUX32" -> PER_LINUX32. */
gboolean urun_personality_domain_from_name (const char *name, gulong *out_persona);

/* Every name of a vocabulary, for `features`: a NULL-terminated array of
 * static strings; free the array (not the strings) with g_free(). */
const char **urun_seccomp_arch_names (void);
const char **urun_seccomp_flag_names (void);
const char **urun_mount_option_names (void);

G_END_DECLS
