/* urun-spec-names.c: the closed vocabularies of an OCI config, as tables.
 *
 * Zone: host side (GLib).  Pure lookups, no allocation except in
 * urun_signal_to_name().
 */
#include "config.h"

#include "spec/urun-spec-names.h"
#include "util/urun-error.h"

#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>

typedef struct
{
  const char *name;
  gint64 value;
} NameValue;

static const NameValue *
find_name (const NameValue *table, gsize n, const char *name)
{
  if (name == NULL)
    return NULL;
  for (gsize i = 0; i < n; i++)
    if (strcmp (table[i].name, name) == 0)
      return &table[i];
  return NULL;
}

static const char *
find_value (const NameValue *table, gsize n, gint64 value)
{
  for (gsize i = 0; i < n; i++)
    if (table[i].value == value)
      return table[i].name;
  return NULL;
}

#define LOOKUP(table, name) find_name (table, G_N_ELEMENTS (table), name)

/* ---- capabilities ---------------------------------------------------- */

/* Indexed by capability number, see capabilities(7). */
static const char *const capability_names[URUN_CAP_LAST + 1] = {
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
};

gboolean
urun_capability_from_name (const char *name, int *out_cap)
{
  if (name == NULL)
    return FALSE;
  for (int i = 0; i <= URUN_CAP_LAST; i++)
    if (strcmp (capability_names[i], name) == 0)
      {
        *out_cap = i;
        return TRUE;
      }
  return FALSE;
}

const char *
urun_capability_to_name (int cap)
{
  if (cap < 0 || cap > URUN_CAP_LAST)
    return NULL;
  return capability_names[cap];
}

/* ---- rlimits ---------------------------------------------------------- */

static const NameValue rlimits[] = {
  { "RLIMIT_CPU", RLIMIT_CPU },
  { "RLIMIT_FSIZE", RLIMIT_FSIZE },
  { "RLIMIT_DATA", RLIMIT_DATA },
  { "RLIMIT_STACK", RLIMIT_STACK },
  { "RLIMIT_CORE", RLIMIT_CORE },
  { "RLIMIT_RSS", RLIMIT_RSS },
  { "RLIMIT_NPROC", RLIMIT_NPROC },
  { "RLIMIT_NOFILE", RLIMIT_NOFILE },
  { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
  { "RLIMIT_AS", RLIMIT_AS },
  { "RLIMIT_LOCKS", RLIMIT_LOCKS },
  { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
  { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
  { "RLIMIT_NICE", RLIMIT_NICE },
  { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
  { "RLIMIT_RTTIME", RLIMIT_RTTIME },
};

gboolean
urun_rlimit_from_name (const char *name, int *out_resource)
{
  const NameValue *nv = LOOKUP (rlimits, name);

  if (nv == NULL)
    return FALSE;
  *out_resource = (int) nv->value;
  return TRUE;
}

const char *
urun_rlimit_to_name (int resource)
{
  return find_value (rlimits, G_N_ELEMENTS (rlimits), resource);
}

/* ---- signals ---------------------------------------------------------- */

/* The first name of a number is the canonical one for to_name(). */
static const NameValue signals[] = {
  { "HUP", SIGHUP },
  { "INT", SIGINT },
  { "QUIT", SIGQUIT },
  { "ILL", SIGILL },
  { "TRAP", SIGTRAP },
  { "ABRT", SIGABRT },
  { "IOT", SIGIOT },
  { "BUS", SIGBUS },
  { "FPE", SIGFPE },
  { "KILL", SIGKILL },
  { "USR1", SIGUSR1 },
  { "SEGV", SIGSEGV },
  { "USR2", SIGUSR2 },
  { "PIPE", SIGPIPE },
  { "ALRM", SIGALRM },
  { "TERM", SIGTERM },
#ifdef SIGSTKFLT
  { "STKFLT", SIGSTKFLT },
#endif
  { "CHLD", SIGCHLD },
  { "CLD", SIGCHLD },
  { "CONT", SIGCONT },
  { "STOP", SIGSTOP },
  { "TSTP", SIGTSTP },
  { "TTIN", SIGTTIN },
  { "TTOU", SIGTTOU },
  { "URG", SIGURG },
  { "XCPU", SIGXCPU },
  { "XFSZ", SIGXFSZ },
  { "VTALRM", SIGVTALRM },
  { "PROF", SIGPROF },
  { "WINCH", SIGWINCH },
  { "IO", SIGIO },
  { "POLL", SIGPOLL },
#ifdef SIGPWR
  { "PWR", SIGPWR },
#endif
  { "SYS", SIGSYS },
};

static gboolean
parse_small_uint (const char *s, int *out_value)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT, &v, NULL))
    return FALSE;
  *out_value = (int) v;
  return TRUE;
}

gboolean
urun_signal_from_name (const char *name, int *out_signum, GError **error)
{
  g_autofree char *upper = NULL;
  const char *s;
  int n;

  g_return_val_if_fail (name != NULL, FALSE);

  if (parse_small_uint (name, &n))
    {
      if (n < 1 || n > SIGRTMAX)
        return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT, "unknown signal \"%s\"", name);
      *out_signum = n;
      return TRUE;
    }

  upper = g_ascii_strup (name, -1);
  s = g_str_has_prefix (upper, "SIG") ? upper + 3 : upper;

  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    if (strcmp (signals[i].name, s) == 0)
      {
        *out_signum = (int) signals[i].value;
        return TRUE;
      }

  /* Why at run time: SIGRTMIN depends on how many real-time signals the C
   * library keeps for itself. */
  if (strcmp (s, "RTMIN") == 0)
    n = SIGRTMIN;
  else if (strcmp (s, "RTMAX") == 0)
    n = SIGRTMAX;
  else if (g_str_has_prefix (s, "RTMIN+") && parse_small_uint (s + 6, &n) && n <= SIGRTMAX)
    n = SIGRTMIN + n;
  else if (g_str_has_prefix (s, "RTMAX-") && parse_small_uint (s + 6, &n) && n <= SIGRTMAX)
    n = SIGRTMAX - n;
  else
    n = -1;

  if (n < SIGRTMIN || n > SIGRTMAX)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT, "unknown signal \"%s\"", name);
  *out_signum = n;
  return TRUE;
}

char *
urun_signal_to_name (int signum)
{
  const char *name = find_value (signals, G_N_ELEMENTS (signals), signum);

  if (name != NULL)
    return g_strconcat ("SIG", name, NULL);
  if (signum == SIGRTMIN)
    return g_strdup ("SIGRTMIN");
  if (signum == SIGRTMAX)
    return g_strdup ("SIGRTMAX");
  if (signum > SIGRTMIN && signum < SIGRTMAX)
    return g_strdup_printf ("SIGRTMIN+%d", signum - SIGRTMIN);
  return g_strdup_printf ("%d", signum);
}

/* ---- namespaces ------------------------------------------------------- */

static const struct
{
  const char *name;
  const char *proc_name;
  int clone_flag;
} namespaces[URUN_NAMESPACE_N_TYPES] = {
  [URUN_NAMESPACE_PID] = { "pid", "pid", CLONE_NEWPID },
  [URUN_NAMESPACE_NETWORK] = { "network", "net", CLONE_NEWNET },
  [URUN_NAMESPACE_MOUNT] = { "mount", "mnt", CLONE_NEWNS },
  [URUN_NAMESPACE_IPC] = { "ipc", "ipc", CLONE_NEWIPC },
  [URUN_NAMESPACE_UTS] = { "uts", "uts", CLONE_NEWUTS },
  [URUN_NAMESPACE_USER] = { "user", "user", CLONE_NEWUSER },
  [URUN_NAMESPACE_CGROUP] = { "cgroup", "cgroup", CLONE_NEWCGROUP },
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
  [URUN_NAMESPACE_TIME] = { "time", "time", CLONE_NEWTIME },
};

gboolean
urun_namespace_type_from_name (const char *name, UrunNamespaceType *out_type)
{
  if (name == NULL)
    return FALSE;
  for (int i = 0; i < URUN_NAMESPACE_N_TYPES; i++)
    if (strcmp (namespaces[i].name, name) == 0)
      {
        *out_type = (UrunNamespaceType) i;
        return TRUE;
      }
  return FALSE;
}

const char *
urun_namespace_type_to_name (UrunNamespaceType type)
{
  g_return_val_if_fail ((guint) type < URUN_NAMESPACE_N_TYPES, NULL);
  return namespaces[type].name;
}

int
urun_namespace_type_clone_flag (UrunNamespaceType type)
{
  g_return_val_if_fail ((guint) type < URUN_NAMESPACE_N_TYPES, 0);
  return namespaces[type].clone_flag;
}

const char *
urun_namespace_type_proc_name (UrunNamespaceType type)
{
  g_return_val_if_fail ((guint) type < URUN_NAMESPACE_N_TYPES, NULL);
  return namespaces[type].proc_name;
}

/* ---- seccomp ---------------------------------------------------------- */

static const NameValue seccomp_actions[] = {
  { "SCMP_ACT_KILL", URUN_SECCOMP_ACT_KILL },
  { "SCMP_ACT_KILL_PROCESS", URUN_SECCOMP_ACT_KILL_PROCESS },
  { "SCMP_ACT_KILL_THREAD", URUN_SECCOMP_ACT_KILL_THREAD },
  { "SCMP_ACT_TRAP", URUN_SECCOMP_ACT_TRAP },
  { "SCMP_ACT_ERRNO", URUN_SECCOMP_ACT_ERRNO },
  { "SCMP_ACT_TRACE", URUN_SECCOMP_ACT_TRACE },
  { "SCMP_ACT_ALLOW", URUN_SECCOMP_ACT_ALLOW },
  { "SCMP_ACT_LOG", URUN_SECCOMP_ACT_LOG },
  { "SCMP_ACT_NOTIFY", URUN_SECCOMP_ACT_NOTIFY },
};

gboolean
urun_seccomp_action_from_name (const char *name, UrunSeccompAction *out_action)
{
  const NameValue *nv = LOOKUP (seccomp_actions, name);

  if (nv == NULL)
    return FALSE;
  *out_action = (UrunSeccompAction) nv->value;
  return TRUE;
}

gboolean
urun_seccomp_action_takes_errno (UrunSeccompAction action)
{
  return action == URUN_SECCOMP_ACT_ERRNO || action == URUN_SECCOMP_ACT_TRACE;
}

static const NameValue seccomp_operators[] = {
  { "SCMP_CMP_NE", URUN_SECCOMP_CMP_NE },
  { "SCMP_CMP_LT", URUN_SECCOMP_CMP_LT },
  { "SCMP_CMP_LE", URUN_SECCOMP_CMP_LE },
  { "SCMP_CMP_EQ", URUN_SECCOMP_CMP_EQ },
  { "SCMP_CMP_GE", URUN_SECCOMP_CMP_GE },
  { "SCMP_CMP_GT", URUN_SECCOMP_CMP_GT },
  { "SCMP_CMP_MASKED_EQ", URUN_SECCOMP_CMP_MASKED_EQ },
};

gboolean
urun_seccomp_operator_from_name (const char *name, UrunSeccompOperator *out_op)
{
  const NameValue *nv = LOOKUP (seccomp_operators, name);

  if (nv == NULL)
    return FALSE;
  *out_op = (UrunSeccompOperator) nv->value;
  return TRUE;
}

/* The spec's list (libseccomp v2.5) plus the architectures libseccomp has
 * gained since. */
static const struct
{
  const char *name;
  const char *libseccomp_name;
} seccomp_archs[] = {
  { "SCMP_ARCH_X86", "x86" },
  { "SCMP_ARCH_X86_64", "x86_64" },
  { "SCMP_ARCH_X32", "x32" },
  { "SCMP_ARCH_ARM", "arm" },
  { "SCMP_ARCH_AARCH64", "aarch64" },
  { "SCMP_ARCH_MIPS", "mips" },
  { "SCMP_ARCH_MIPS64", "mips64" },
  { "SCMP_ARCH_MIPS64N32", "mips64n32" },
  { "SCMP_ARCH_MIPSEL", "mipsel" },
  { "SCMP_ARCH_MIPSEL64", "mipsel64" },
  { "SCMP_ARCH_MIPSEL64N32", "mipsel64n32" },
  { "SCMP_ARCH_PPC", "ppc" },
  { "SCMP_ARCH_PPC64", "ppc64" },
  { "SCMP_ARCH_PPC64LE", "ppc64le" },
  { "SCMP_ARCH_S390", "s390" },
  { "SCMP_ARCH_S390X", "s390x" },
  { "SCMP_ARCH_PARISC", "parisc" },
  { "SCMP_ARCH_PARISC64", "parisc64" },
  { "SCMP_ARCH_RISCV64", "riscv64" },
  { "SCMP_ARCH_LOONGARCH64", "loongarch64" },
  { "SCMP_ARCH_M68K", "m68k" },
  { "SCMP_ARCH_SH", "sh" },
  { "SCMP_ARCH_SHEB", "sheb" },
};

gboolean
urun_seccomp_arch_from_name (const char *name, const char **out_libseccomp_name)
{
  if (name == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (seccomp_archs); i++)
    if (strcmp (seccomp_archs[i].name, name) == 0)
      {
        *out_libseccomp_name = seccomp_archs[i].libseccomp_name;
        return TRUE;
      }
  return FALSE;
}

/* Values from <linux/seccomp.h>, spelled out because old headers lack the
 * newer ones. */
static const NameValue seccomp_flags[] = {
  { "SECCOMP_FILTER_FLAG_TSYNC", 1 << 0 },
  { "SECCOMP_FILTER_FLAG_LOG", 1 << 1 },
  { "SECCOMP_FILTER_FLAG_SPEC_ALLOW", 1 << 2 },
  { "SECCOMP_FILTER_FLAG_NEW_LISTENER", 1 << 3 },
  { "SECCOMP_FILTER_FLAG_TSYNC_ESRCH", 1 << 4 },
  { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 1 << 5 },
};

gboolean
urun_seccomp_flag_from_name (const char *name, guint *out_flag)
{
  const NameValue *nv = LOOKUP (seccomp_flags, name);

  if (nv == NULL)
    return FALSE;
  *out_flag = (guint) nv->value;
  return TRUE;
}

/* ---- mounts ----------------------------------------------------------- */

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef MS_LAZYTIME
#define MS_LAZYTIME (1 << 25)
#endif

#define FLAG_SET(n, f) { n, URUN_MOUNT_OPTION_FLAG, FALSE, f, 0, 0 }
#define FLAG_CLR(n, f) { n, URUN_MOUNT_OPTION_FLAG, TRUE, f, 0, 0 }
#define PROPAGATION(n, f) { n, URUN_MOUNT_OPTION_PROPAGATION, FALSE, f, 0, 0 }
#define RECURSIVE(n, set, clr) { n, URUN_MOUNT_OPTION_RECURSIVE, FALSE, 0, set, clr }

/* The mount options table of the runtime spec (config.md, "Mounts"). */
static const UrunMountOption mount_options[] = {
  FLAG_CLR ("async", MS_SYNCHRONOUS),
  FLAG_CLR ("atime", MS_NOATIME),
  FLAG_SET ("bind", MS_BIND),
  FLAG_SET ("defaults", 0),
  FLAG_CLR ("dev", MS_NODEV),
  FLAG_CLR ("diratime", MS_NODIRATIME),
  FLAG_SET ("dirsync", MS_DIRSYNC),
  FLAG_CLR ("exec", MS_NOEXEC),
  FLAG_SET ("iversion", MS_I_VERSION),
  FLAG_SET ("lazytime", MS_LAZYTIME),
  FLAG_CLR ("loud", MS_SILENT),
  FLAG_SET ("mand", MS_MANDLOCK),
  FLAG_SET ("noatime", MS_NOATIME),
  FLAG_SET ("nodev", MS_NODEV),
  FLAG_SET ("nodiratime", MS_NODIRATIME),
  FLAG_SET ("noexec", MS_NOEXEC),
  FLAG_CLR ("noiversion", MS_I_VERSION),
  FLAG_CLR ("nolazytime", MS_LAZYTIME),
  FLAG_CLR ("nomand", MS_MANDLOCK),
  FLAG_CLR ("norelatime", MS_RELATIME),
  FLAG_CLR ("nostrictatime", MS_STRICTATIME),
  FLAG_SET ("nosuid", MS_NOSUID),
  FLAG_SET ("nosymfollow", MS_NOSYMFOLLOW),
  FLAG_SET ("rbind", MS_BIND | MS_REC),
  FLAG_SET ("relatime", MS_RELATIME),
  FLAG_SET ("remount", MS_REMOUNT),
  FLAG_SET ("ro", MS_RDONLY),
  FLAG_CLR ("rw", MS_RDONLY),
  FLAG_SET ("silent", MS_SILENT),
  FLAG_SET ("strictatime", MS_STRICTATIME),
  FLAG_CLR ("suid", MS_NOSUID),
  FLAG_CLR ("symfollow", MS_NOSYMFOLLOW),
  FLAG_SET ("sync", MS_SYNCHRONOUS),

  PROPAGATION ("private", MS_PRIVATE),
  PROPAGATION ("rprivate", MS_PRIVATE | MS_REC),
  PROPAGATION ("shared", MS_SHARED),
  PROPAGATION ("rshared", MS_SHARED | MS_REC),
  PROPAGATION ("slave", MS_SLAVE),
  PROPAGATION ("rslave", MS_SLAVE | MS_REC),
  PROPAGATION ("unbindable", MS_UNBINDABLE),
  PROPAGATION ("runbindable", MS_UNBINDABLE | MS_REC),

  /* The atime family is one field in mount_setattr(2): changing it means
   * clearing the whole field (_ATIME) and setting the new mode. */
  RECURSIVE ("rro", URUN_MOUNT_ATTR_RDONLY, 0),
  RECURSIVE ("rrw", 0, URUN_MOUNT_ATTR_RDONLY),
  RECURSIVE ("rnosuid", URUN_MOUNT_ATTR_NOSUID, 0),
  RECURSIVE ("rsuid", 0, URUN_MOUNT_ATTR_NOSUID),
  RECURSIVE ("rnodev", URUN_MOUNT_ATTR_NODEV, 0),
  RECURSIVE ("rdev", 0, URUN_MOUNT_ATTR_NODEV),
  RECURSIVE ("rnoexec", URUN_MOUNT_ATTR_NOEXEC, 0),
  RECURSIVE ("rexec", 0, URUN_MOUNT_ATTR_NOEXEC),
  RECURSIVE ("rnodiratime", URUN_MOUNT_ATTR_NODIRATIME, 0),
  RECURSIVE ("rdiratime", 0, URUN_MOUNT_ATTR_NODIRATIME),
  RECURSIVE ("rnosymfollow", URUN_MOUNT_ATTR_NOSYMFOLLOW, 0),
  RECURSIVE ("rsymfollow", 0, URUN_MOUNT_ATTR_NOSYMFOLLOW),
  RECURSIVE ("rrelatime", URUN_MOUNT_ATTR_RELATIME, URUN_MOUNT_ATTR__ATIME),
  /* relatime is the absence of the other modes: nothing to set or clear. */
  RECURSIVE ("rnorelatime", 0, 0),
  RECURSIVE ("rnoatime", URUN_MOUNT_ATTR_NOATIME, URUN_MOUNT_ATTR__ATIME),
  RECURSIVE ("ratime", 0, URUN_MOUNT_ATTR__ATIME),
  RECURSIVE ("rstrictatime", URUN_MOUNT_ATTR_STRICTATIME, URUN_MOUNT_ATTR__ATIME),
  RECURSIVE ("rnostrictatime", 0, URUN_MOUNT_ATTR__ATIME),

  { "idmap", URUN_MOUNT_OPTION_IDMAP, FALSE, 0, URUN_MOUNT_ATTR_IDMAP, 0 },
  { "ridmap", URUN_MOUNT_OPTION_IDMAP, FALSE, 1, URUN_MOUNT_ATTR_IDMAP, 0 },

  { "tmpcopyup", URUN_MOUNT_OPTION_EXTENSION, FALSE, 0, 0, 0 },
};

/* Filesystem-specific flags without a value that real configs pass
 * (devpts, overlay, tmpfs, xfs); anything with '=' is data as well. */
static const char *const fs_data_flags[] = {
  "newinstance", "userxattr", "user_xattr", "nouser_xattr", "acl", "noacl",
  "inode64", "noinode64", "volatile", "norecovery", "discard", "nodiscard",
  "nouuid", "quota", "noquota", "usrquota", "grpquota", "prjquota",
};

gboolean
urun_mount_option_lookup (const char *option, UrunMountOptionKind *out_kind,
                          const UrunMountOption **out_option)
{
  if (option == NULL || *option == '\0')
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (mount_options); i++)
    if (strcmp (mount_options[i].name, option) == 0)
      {
        *out_kind = mount_options[i].kind;
        *out_option = &mount_options[i];
        return TRUE;
      }
  if (strchr (option, '=') != NULL && option[0] != '=')
    goto data;
  for (gsize i = 0; i < G_N_ELEMENTS (fs_data_flags); i++)
    if (strcmp (fs_data_flags[i], option) == 0)
      goto data;
  return FALSE;

data:
  *out_kind = URUN_MOUNT_OPTION_DATA;
  *out_option = NULL;
  return TRUE;
}

gboolean
urun_propagation_from_name (const char *name, gulong *out_flags)
{
  UrunMountOptionKind kind;
  const UrunMountOption *option;

  if (!urun_mount_option_lookup (name, &kind, &option) || kind != URUN_MOUNT_OPTION_PROPAGATION)
    return FALSE;
  *out_flags = option->flags;
  return TRUE;
}

/* ---- process scheduling, I/O priority, memory policy, personality ----- */

/* Values from sched(7) and <linux/sched.h>; spelled out because older
 * headers lack the newer ones. */
static const NameValue sched_policies[] = {
  { "SCHED_OTHER", 0 }, { "SCHED_FIFO", 1 }, { "SCHED_RR", 2 },     { "SCHED_BATCH", 3 },
  { "SCHED_ISO", 4 },   { "SCHED_IDLE", 5 }, { "SCHED_DEADLINE", 6 },
};

static const NameValue sched_flags[] = {
  { "SCHED_FLAG_RESET_ON_FORK", 0x01 }, { "SCHED_FLAG_RECLAIM", 0x02 },
  { "SCHED_FLAG_DL_OVERRUN", 0x04 },    { "SCHED_FLAG_KEEP_POLICY", 0x08 },
  { "SCHED_FLAG_KEEP_PARAMS", 0x10 },   { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
  { "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 },
};

static const NameValue ioprio_classes[] = {
  { "IOPRIO_CLASS_RT", 1 },
  { "IOPRIO_CLASS_BE", 2 },
  { "IOPRIO_CLASS_IDLE", 3 },
};

static const NameValue mempolicy_modes[] = {
  { "MPOL_DEFAULT", 0 },        { "MPOL_PREFERRED", 1 }, { "MPOL_BIND", 2 },
  { "MPOL_INTERLEAVE", 3 },     { "MPOL_LOCAL", 4 },     { "MPOL_PREFERRED_MANY", 5 },
  { "MPOL_WEIGHTED_INTERLEAVE", 6 },
};

static const NameValue mempolicy_flags[] = {
  { "MPOL_F_NUMA_BALANCING", 1 << 13 },
  { "MPOL_F_RELATIVE_NODES", 1 << 14 },
  { "MPOL_F_STATIC_NODES", 1 << 15 },
};

static const NameValue personality_domains[] = {
  { "LINUX", PER_LINUX },
  { "LINUX32", PER_LINUX32 },
};

gboolean
urun_sched_policy_from_name (const char *name, int *out_policy)
{
  const NameValue *nv = LOOKUP (sched_policies, name);

  if (nv == NULL)
    return FALSE;
  *out_policy = (int) nv->value;
  return TRUE;
}

gboolean
urun_sched_flag_from_name (const char *name, guint64 *out_flag)
{
  const NameValue *nv = LOOKUP (sched_flags, name);

  if (nv == NULL)
    return FALSE;
  *out_flag = (guint64) nv->value;
  return TRUE;
}

gboolean
urun_ioprio_class_from_name (const char *name, int *out_class)
{
  const NameValue *nv = LOOKUP (ioprio_classes, name);

  if (nv == NULL)
    return FALSE;
  *out_class = (int) nv->value;
  return TRUE;
}

gboolean
urun_mempolicy_mode_from_name (const char *name, int *out_mode)
{
  const NameValue *nv = LOOKUP (mempolicy_modes, name);

  if (nv == NULL)
    return FALSE;
  *out_mode = (int) nv->value;
  return TRUE;
}

gboolean
urun_mempolicy_flag_from_name (const char *name, guint *out_flag)
{
  const NameValue *nv = LOOKUP (mempolicy_flags, name);

  if (nv == NULL)
    return FALSE;
  *out_flag = (guint) nv->value;
  return TRUE;
}

gboolean
urun_personality_domain_from_name (const char *name, gulong *out_persona)
{
  const NameValue *nv = LOOKUP (personality_domains, name);

  if (nv == NULL)
    return FALSE;
  *out_persona = (gulong) nv->value;
  return TRUE;
}

/* ---- listing, for `features` -------------------------------------------- */

#define LIST_NAMES(table, field)                                              \
  G_STMT_START                                                                \
  {                                                                           \
    GPtrArray *names = g_ptr_array_sized_new (G_N_ELEMENTS (table) + 1);      \
    for (gsize i = 0; i < G_N_ELEMENTS (table); i++)                          \
      g_ptr_array_add (names, (gpointer) table[i].field);                     \
    g_ptr_array_add (names, NULL);                                            \
    return (const char **) g_ptr_array_free (names, FALSE);                   \
  }                                                                           \
  G_STMT_END

const char **
urun_seccomp_arch_names (void)
{
  LIST_NAMES (seccomp_archs, name);
}

const char **
urun_seccomp_flag_names (void)
{
  LIST_NAMES (seccomp_flags, name);
}

const char **
urun_mount_option_names (void)
{
  LIST_NAMES (mount_options, name);
}
