/* urun-spec-validate.c: the semantic checks of a parsed config: what the
 * runtime spec requires beyond types (absolute paths, known names, no
 * duplicate namespaces or rlimits, cross-field rules).
 *
 * Zone: host side (GLib).  Messages follow the parser's style,
 * `FILE: JSON.PATH: message`, with the offending value quoted.
 */
#include "config.h"

#include "spec/urun-spec-private.h"
#include "spec/urun-spec-names.h"
#include "util/urun-error.h"

#include <string.h>

/* Each check gets the file name and the JSON path prefix of the object it
 * looks at ("" at the top, "process." inside a config). */
typedef struct
{
  const char *filename;
  GError **error;
} Check;

static gboolean
fail_at (Check *c, const char *path, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail_at (Check *c, const char *path, const char *fmt, ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, fmt);
  message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return urun_spec_fail (c->error, c->filename, path, "%s", message);
}

/* "unknown <what> \"value\"" at @path. */
static gboolean
fail_unknown (Check *c, const char *path, const char *what, const char *value)
{
  g_autofree char *quoted = urun_spec_quote (value);

  return fail_at (c, path, "unknown %s %s", what, quoted);
}

/* "invalid <what> \"value\"" at @path. */
static gboolean
fail_invalid (Check *c, const char *path, const char *what, const char *value)
{
  g_autofree char *quoted = urun_spec_quote (value);

  return fail_at (c, path, "invalid %s %s", what, quoted);
}

static gboolean
check_absolute (Check *c, const char *path, const char *value)
{
  g_autofree char *quoted = NULL;

  if (value != NULL && value[0] == '/')
    return TRUE;
  quoted = urun_spec_quote (value != NULL ? value : "");
  return fail_at (c, path, "expected an absolute path, got %s", quoted);
}

static gboolean
check_absolute_list (Check *c, const char *path, char **values)
{
  for (gsize i = 0; values != NULL && values[i] != NULL; i++)
    if (values[i][0] != '/')
      {
        g_autofree char *where = g_strdup_printf ("%s[%zu]", path, i);

        return check_absolute (c, where, values[i]);
      }
  return TRUE;
}

/* Checks each name of @values with @known; fails with "unknown WHAT". */
typedef gboolean (*KnownFunc) (const char *name);

static gboolean
check_names (Check *c, const char *path, char **values, const char *what, KnownFunc known)
{
  for (gsize i = 0; values != NULL && values[i] != NULL; i++)
    if (!known (values[i]))
      {
        g_autofree char *where = g_strdup_printf ("%s[%zu]", path, i);

        return fail_unknown (c, where, what, values[i]);
      }
  return TRUE;
}

static gboolean
known_sched_flag (const char *name)
{
  guint64 v;

  return urun_sched_flag_from_name (name, &v);
}

static gboolean
known_seccomp_arch (const char *name)
{
  const char *v;

  return urun_seccomp_arch_from_name (name, &v);
}

static gboolean
known_seccomp_flag (const char *name)
{
  guint v;

  return urun_seccomp_flag_from_name (name, &v);
}

static gboolean
known_mount_option (const char *name)
{
  UrunMountOptionKind kind;
  const UrunMountOption *option;

  return urun_mount_option_lookup (name, &kind, &option);
}

static gboolean
known_mempolicy_flag (const char *name)
{
  guint v;

  return urun_mempolicy_flag_from_name (name, &v);
}

static gboolean
known_nothing (const char *name)
{
  return FALSE;
}

static gboolean
check_range (Check *c, const char *path, gint64 value, gint64 min, gint64 max)
{
  if (value >= min && value <= max)
    return TRUE;
  return fail_at (c, path,
                  "expected an integer between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
                  ", got %" G_GINT64_FORMAT,
                  min, max, value);
}

static gboolean
check_max (Check *c, const char *path, guint64 value, guint64 max)
{
  if (value <= max)
    return TRUE;
  return fail_at (c, path,
                  "expected an unsigned integer up to %" G_GUINT64_FORMAT ", got %" G_GUINT64_FORMAT,
                  max, value);
}

/* A user or group id, up to 2^31-1 as in runc.  Why a limit below the
 * type's: (uid_t) -1 means "leave unchanged" to setresuid() and its kin,
 * so 4294967295 would keep init's uid 0; ids above 2^31-1 are also
 * negative to every interface that takes a signed id. */
static gboolean
check_id (Check *c, const char *path, guint32 value)
{
  if (value <= G_MAXINT32)
    return TRUE;
  return fail_at (c, path, "expected an id between 0 and %d, got %u", G_MAXINT32,
                  (unsigned) value);
}

/* config-linux.md: an id mapping is a range of ids in both the container
 * and the host.  The kernel refuses a range that is empty or that wraps
 * past the last id (its end, id + size, must fit in 32 bits). */
static gboolean
check_id_mappings (Check *c, const char *path, const UrunSpecIdMapping *mappings, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      const UrunSpecIdMapping *m = &mappings[i];
      g_autofree char *where = NULL;
      const char *field = NULL;
      guint32 start = 0;

      if (m->size == 0)
        {
          where = g_strdup_printf ("%s[%zu].size", path, i);
          return fail_at (c, where, "expected a size of at least 1, got 0");
        }
      if ((guint64) m->container_id + m->size > G_MAXUINT32)
        field = "containerID", start = m->container_id;
      else if ((guint64) m->host_id + m->size > G_MAXUINT32)
        field = "hostID", start = m->host_id;
      if (field != NULL)
        {
          where = g_strdup_printf ("%s[%zu]", path, i);
          return fail_at (c, where,
                          "%s %u + size %u goes past the last id: the sum must be at most %u",
                          field, (unsigned) start, (unsigned) m->size, (unsigned) G_MAXUINT32);
        }
    }
  return TRUE;
}

/* ---- top level -------------------------------------------------------------- */

/* SemVer 2.0.0: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]. */
static gboolean
is_semver (const char *v)
{
  for (int part = 0; part < 3; part++)
    {
      const char *start = v;

      while (g_ascii_isdigit (*v))
        v++;
      if (v == start || (*start == '0' && v - start > 1))
        return FALSE;
      if (part < 2 && *v++ != '.')
        return FALSE;
    }
  if (*v == '-')
    {
      v++;
      if (*v == '\0' || *v == '+')
        return FALSE;
      while (g_ascii_isalnum (*v) || *v == '-' || *v == '.')
        v++;
    }
  if (*v == '+')
    {
      v++;
      if (*v == '\0')
        return FALSE;
      while (g_ascii_isalnum (*v) || *v == '-' || *v == '.')
        v++;
    }
  return *v == '\0';
}

/* ---- process ------------------------------------------------------------------ */

static gboolean
is_cpu_list (const char *s)
{
  return strspn (s, "0123456789, -") == strlen (s);
}

static gboolean
validate_process (Check *c, const char *prefix, const UrunSpecProcess *process)
{
  g_autofree char *where = NULL;

#define AT(...) (g_free (where), where = g_strdup_printf (__VA_ARGS__))

  if (!check_absolute (c, AT ("%scwd", prefix), process->cwd))
    return FALSE;

  if (process->args != NULL && process->args[0] == NULL)
    return fail_at (c, AT ("%sargs", prefix), "expected at least one argument");

  if (process->user != NULL)
    {
      const UrunSpecUser *user = process->user;

      if (!check_id (c, AT ("%suser.uid", prefix), user->uid)
          || !check_id (c, AT ("%suser.gid", prefix), user->gid))
        return FALSE;
      for (gsize i = 0; i < user->n_additional_gids; i++)
        if (!check_id (c, AT ("%suser.additionalGids[%zu]", prefix, i), user->additional_gids[i]))
          return FALSE;
    }

  /* process.capabilities: an unknown name is no error (runtime-spec 1.1:
   * the runtime logs it and goes on); the plan warns about it
   * (urun-plan-security.c). */

  /* config.md: duplicated rlimit types are an error. */
  for (gsize i = 0; i < process->n_rlimits; i++)
    {
      const char *type = process->rlimits[i].type;
      int resource;

      if (!urun_rlimit_from_name (type, &resource))
        return fail_unknown (c, AT ("%srlimits[%zu].type", prefix, i), "rlimit type", type);
      for (gsize j = 0; j < i; j++)
        if (g_strcmp0 (process->rlimits[j].type, type) == 0)
          {
            g_autofree char *quoted = urun_spec_quote (type);

            return fail_at (c, AT ("%srlimits[%zu].type", prefix, i), "duplicate rlimit type %s",
                            quoted);
          }
    }

  if (process->has_oom_score_adj
      && !check_range (c, AT ("%soomScoreAdj", prefix), process->oom_score_adj, -1000, 1000))
    return FALSE;

  if (process->scheduler != NULL)
    {
      int policy;

      if (!urun_sched_policy_from_name (process->scheduler->policy, &policy))
        return fail_unknown (c, AT ("%sscheduler.policy", prefix), "scheduler policy",
                             process->scheduler->policy);
      if (!check_names (c, AT ("%sscheduler.flags", prefix), process->scheduler->flags,
                        "scheduler flag", known_sched_flag))
        return FALSE;
    }

  if (process->io_priority != NULL)
    {
      int klass;

      if (!urun_ioprio_class_from_name (process->io_priority->class_, &klass))
        return fail_unknown (c, AT ("%sioPriority.class", prefix), "I/O priority class",
                             process->io_priority->class_);
      if (process->io_priority->has_priority
          && !check_range (c, AT ("%sioPriority.priority", prefix),
                           process->io_priority->priority, 0, 7))
        return FALSE;
    }

  if (process->exec_cpu_affinity != NULL)
    {
      const UrunSpecCpuAffinity *affinity = process->exec_cpu_affinity;

      if (affinity->initial != NULL && !is_cpu_list (affinity->initial))
        return fail_invalid (c, AT ("%sexecCPUAffinity.initial", prefix), "CPU list",
                             affinity->initial);
      if (affinity->final != NULL && !is_cpu_list (affinity->final))
        return fail_invalid (c, AT ("%sexecCPUAffinity.final", prefix), "CPU list",
                             affinity->final);
    }

#undef AT
  return TRUE;
}

/* ---- mounts, hooks, annotations ------------------------------------------------ */

static gboolean
validate_mounts (Check *c, const UrunSpec *spec)
{
  for (gsize i = 0; i < spec->n_mounts; i++)
    {
      const UrunSpecMount *mount = &spec->mounts[i];
      g_autofree char *where = NULL;

      /* Why a relative destination passes: runtime-spec 1.2 allows it on
       * Linux (deprecated) and says it is relative to "/". */
      if (mount->destination == NULL || mount->destination[0] == '\0')
        {
          where = g_strdup_printf ("mounts[%zu].destination", i);
          return fail_at (c, where, "expected a non-empty path");
        }
      where = g_strdup_printf ("mounts[%zu].options", i);
      if (!check_names (c, where, mount->options, "mount option", known_mount_option))
        return FALSE;
      g_free (where);
      where = g_strdup_printf ("mounts[%zu].uidMappings", i);
      if (!check_id_mappings (c, where, mount->uid_mappings, mount->n_uid_mappings))
        return FALSE;
      g_free (where);
      where = g_strdup_printf ("mounts[%zu].gidMappings", i);
      if (!check_id_mappings (c, where, mount->gid_mappings, mount->n_gid_mappings))
        return FALSE;
    }
  return TRUE;
}

/* The longest hook timeout accepted, in seconds.  A hook holds up create
 * or start while it runs: more than a day is a mistake (or a wish for no
 * timeout, which is what leaving it out means), not a plan. */
#define HOOK_TIMEOUT_MAX 86400

static gboolean
validate_hooks (Check *c, const UrunSpecHooks *hooks)
{
  struct
  {
    const char *name;
    const UrunSpecHook *hooks;
    gsize n_hooks;
  } lists[] = {
    { "prestart", hooks->prestart, hooks->n_prestart },
    { "createRuntime", hooks->create_runtime, hooks->n_create_runtime },
    { "createContainer", hooks->create_container, hooks->n_create_container },
    { "startContainer", hooks->start_container, hooks->n_start_container },
    { "poststart", hooks->poststart, hooks->n_poststart },
    { "poststop", hooks->poststop, hooks->n_poststop },
  };

  for (gsize l = 0; l < G_N_ELEMENTS (lists); l++)
    for (gsize i = 0; i < lists[l].n_hooks; i++)
      {
        const UrunSpecHook *hook = &lists[l].hooks[i];
        g_autofree char *where = NULL;

        where = g_strdup_printf ("hooks.%s[%zu].path", lists[l].name, i);
        if (!check_absolute (c, where, hook->path))
          return FALSE;
        if (hook->has_timeout && (hook->timeout <= 0 || hook->timeout > HOOK_TIMEOUT_MAX))
          {
            g_free (where);
            where = g_strdup_printf ("hooks.%s[%zu].timeout", lists[l].name, i);
            return fail_at (c, where,
                            "expected a number of seconds from 1 to %d (one day), got %d",
                            HOOK_TIMEOUT_MAX, (int) hook->timeout);
          }
      }
  return TRUE;
}

/* ---- linux ----------------------------------------------------------------------- */

static gboolean
validate_namespaces (Check *c, const UrunSpecLinux *linux_)
{
  guint seen = 0;

  for (gsize i = 0; i < linux_->n_namespaces; i++)
    {
      const UrunSpecNamespace *ns = &linux_->namespaces[i];
      g_autofree char *where = g_strdup_printf ("linux.namespaces[%zu].type", i);
      UrunNamespaceType type;

      if (!urun_namespace_type_from_name (ns->type, &type))
        return fail_unknown (c, where, "namespace type", ns->type);
      /* config-linux.md: duplicated namespace types are an error. */
      if (seen & (1u << type))
        {
          g_autofree char *quoted = urun_spec_quote (ns->type);

          return fail_at (c, where, "duplicate namespace type %s", quoted);
        }
      seen |= 1u << type;
      if (ns->path != NULL)
        {
          g_free (where);
          where = g_strdup_printf ("linux.namespaces[%zu].path", i);
          if (!check_absolute (c, where, ns->path))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate_devices (Check *c, const UrunSpecLinux *linux_)
{
  for (gsize i = 0; i < linux_->n_devices; i++)
    {
      const UrunSpecDevice *dev = &linux_->devices[i];
      g_autofree char *where = NULL;

      where = g_strdup_printf ("linux.devices[%zu].type", i);
      if (dev->type == NULL || strlen (dev->type) != 1 || strchr ("cbup", dev->type[0]) == NULL)
        return fail_unknown (c, where, "device type", dev->type);
      g_free (where);
      where = g_strdup_printf ("linux.devices[%zu].path", i);
      if (!check_absolute (c, where, dev->path))
        return FALSE;
      /* config-linux.md: major and minor are required unless type is p. */
      if (dev->type[0] != 'p' && (!dev->has_major || !dev->has_minor))
        {
          g_free (where);
          where = g_strdup_printf ("linux.devices[%zu].%s", i, dev->has_major ? "minor" : "major");
          return fail_at (c, where, "missing required field");
        }
    }
  return TRUE;
}

static gboolean
validate_resources (Check *c, const UrunSpecResources *res)
{
  return urun_spec_resources_validate (res, c->filename, "linux.resources.", NULL, c->error);
}

static gboolean
validate_seccomp (Check *c, const UrunSpecSeccomp *seccomp)
{
  g_autofree char *where = NULL;
  UrunSeccompAction action;

#define AT(...) (g_free (where), where = g_strdup_printf (__VA_ARGS__))

  if (!urun_seccomp_action_from_name (seccomp->default_action, &action))
    return fail_unknown (c, "linux.seccomp.defaultAction", "seccomp action",
                         seccomp->default_action);
  /* config-linux.md: errnoRet with an action that takes no errno is an
   * error. */
  if (seccomp->has_default_errno_ret && !urun_seccomp_action_takes_errno (action))
    {
      g_autofree char *quoted = urun_spec_quote (seccomp->default_action);

      return fail_at (c, "linux.seccomp.defaultErrnoRet", "not allowed with action %s", quoted);
    }
  if (!check_names (c, "linux.seccomp.architectures", seccomp->architectures,
                    "seccomp architecture", known_seccomp_arch))
    return FALSE;
  if (!check_names (c, "linux.seccomp.flags", seccomp->flags, "seccomp flag", known_seccomp_flag))
    return FALSE;
  if (seccomp->listener_metadata != NULL && seccomp->listener_path == NULL)
    return fail_at (c, "linux.seccomp.listenerMetadata", "not allowed without listenerPath");

  for (gsize i = 0; i < seccomp->n_syscalls; i++)
    {
      const UrunSpecSyscall *sc = &seccomp->syscalls[i];

      if (sc->names == NULL || sc->names[0] == NULL)
        return fail_at (c, AT ("linux.seccomp.syscalls[%zu].names", i),
                        "expected at least one syscall name");
      if (!urun_seccomp_action_from_name (sc->action, &action))
        return fail_unknown (c, AT ("linux.seccomp.syscalls[%zu].action", i), "seccomp action",
                             sc->action);
      if (sc->has_errno_ret && !urun_seccomp_action_takes_errno (action))
        {
          g_autofree char *quoted = urun_spec_quote (sc->action);

          return fail_at (c, AT ("linux.seccomp.syscalls[%zu].errnoRet", i),
                          "not allowed with action %s", quoted);
        }
      for (gsize j = 0; j < sc->n_args; j++)
        {
          UrunSeccompOperator op;

          /* A system call has six arguments. */
          if (!check_max (c, AT ("linux.seccomp.syscalls[%zu].args[%zu].index", i, j),
                          sc->args[j].index, 5))
            return FALSE;
          if (!urun_seccomp_operator_from_name (sc->args[j].op, &op))
            return fail_unknown (c, AT ("linux.seccomp.syscalls[%zu].args[%zu].op", i, j),
                                 "seccomp operator", sc->args[j].op);
        }
    }

#undef AT
  return TRUE;
}

/* What the kernel accepts as an interface name (dev_valid_name()). */
static gboolean
is_ifname (const char *name)
{
  gsize len = name != NULL ? strlen (name) : 0;

  if (len == 0 || len > 15 || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (*p == '/' || *p == ':' || g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static gboolean
has_namespace (const UrunSpecLinux *linux_, UrunNamespaceType wanted)
{
  for (gsize i = 0; i < linux_->n_namespaces; i++)
    {
      UrunNamespaceType type;

      if (urun_namespace_type_from_name (linux_->namespaces[i].type, &type) && type == wanted)
        return TRUE;
    }
  return FALSE;
}

/* A namespace of @wanted that the container creates (no path). */
static gboolean
has_new_namespace (const UrunSpecLinux *linux_, UrunNamespaceType wanted)
{
  for (gsize i = 0; i < linux_->n_namespaces; i++)
    {
      UrunNamespaceType type;

      if (urun_namespace_type_from_name (linux_->namespaces[i].type, &type) && type == wanted
          && linux_->namespaces[i].path == NULL)
        return TRUE;
    }
  return FALSE;
}

/* config-linux.md: linux.sysctl sets kernel parameters "in the container".
 * Only the keys that belong to a namespace the container has are that; any
 * other key would change the host (init writes it as root).  The list is
 * the kernel's namespaced sysctls: the IPC ones and the network ones; the
 * two names of the UTS namespace have fields of their own. */
static gboolean
validate_sysctl (Check *c, const UrunSpecLinux *linux_)
{
  static const char *const ipc_keys[] = {
    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
    "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
  };

  for (gsize i = 0; i < linux_->n_sysctl; i++)
    {
      const char *key = linux_->sysctl[i].key;
      g_autofree char *quoted = urun_spec_quote (key);
      g_autofree char *where = g_strdup_printf ("linux.sysctl[%s]", quoted);
      UrunNamespaceType needed = URUN_NAMESPACE_N_TYPES;
      const char *ns_name = NULL;

      if (g_str_has_prefix (key, "fs.mqueue."))
        needed = URUN_NAMESPACE_IPC;
      for (gsize k = 0; k < G_N_ELEMENTS (ipc_keys); k++)
        if (strcmp (key, ipc_keys[k]) == 0)
          needed = URUN_NAMESPACE_IPC;
      if (g_str_has_prefix (key, "net."))
        needed = URUN_NAMESPACE_NETWORK;
      /* Why refused rather than applied: the config has fields of its own
       * for them, which init would set after the sysctls, and two places
       * for one value is one too many (runc refuses kernel.hostname too). */
      if (strcmp (key, "kernel.hostname") == 0 || strcmp (key, "kernel.domainname") == 0)
        {
          const char *field = strcmp (key, "kernel.hostname") == 0 ? "hostname" : "domainname";

          return fail_at (c, where, "not allowed: it conflicts with the \"%s\" field; set "
                          "\"%s\" instead and drop %s from linux.sysctl", field, field, quoted);
        }
      if (needed == URUN_NAMESPACE_N_TYPES)
        return fail_at (c, where, "%s is not a namespaced sysctl: it would change the host",
                        quoted);
      ns_name = needed == URUN_NAMESPACE_IPC ? "ipc" : "network";
      if (!has_namespace (linux_, needed))
        return fail_at (c, where, "%s needs a %s namespace in linux.namespaces", quoted,
                        ns_name);
    }
  return TRUE;
}

static gboolean
validate_linux (Check *c, const UrunSpecLinux *linux_)
{
  g_autofree char *where = NULL;

#define AT(...) (g_free (where), where = g_strdup_printf (__VA_ARGS__))

  if (!validate_namespaces (c, linux_))
    return FALSE;
  if (!validate_sysctl (c, linux_))
    return FALSE;
  if (!check_id_mappings (c, "linux.uidMappings", linux_->uid_mappings, linux_->n_uid_mappings)
      || !check_id_mappings (c, "linux.gidMappings", linux_->gid_mappings,
                             linux_->n_gid_mappings))
    return FALSE;

  for (gsize i = 0; i < linux_->n_time_offsets; i++)
    {
      const UrunSpecTimeOffset *offset = &linux_->time_offsets[i];
      g_autofree char *quoted = urun_spec_quote (offset->clock);

      if (g_strcmp0 (offset->clock, "monotonic") != 0 && g_strcmp0 (offset->clock, "boottime") != 0)
        return fail_unknown (c, AT ("linux.timeOffsets[%s]", quoted), "clock", offset->clock);
      if (!check_max (c, AT ("linux.timeOffsets[%s].nanosecs", quoted), offset->nanosecs,
                      999999999))
        return FALSE;
    }
  /* config-linux.md: the offsets are those of the container's time
   * namespace.  Without a new one there is nothing to set them on (a
   * joined one is in use and can no longer take them): they would be
   * dropped unseen. */
  if (linux_->n_time_offsets > 0 && !has_new_namespace (linux_, URUN_NAMESPACE_TIME))
    return fail_at (c, "linux.timeOffsets",
                    "needs a new time namespace: add {\"type\": \"time\"} without a path to "
                    "linux.namespaces");

  if (!validate_devices (c, linux_))
    return FALSE;
  if (linux_->resources != NULL && !validate_resources (c, linux_->resources))
    return FALSE;

  if (linux_->intel_rdt != NULL && linux_->intel_rdt->mem_bw_schema != NULL)
    {
      const char *schema = linux_->intel_rdt->mem_bw_schema;

      /* config-linux.md: MUST start with "MB:" and MUST NOT contain
       * newlines. */
      if (!g_str_has_prefix (schema, "MB:") || strchr (schema, '\n') != NULL)
        {
          g_autofree char *quoted = urun_spec_quote (schema);

          return fail_at (c, "linux.intelRdt.memBwSchema",
                          "expected a schema starting with \"MB:\" on one line, got %s", quoted);
        }
    }
  /* Why refuse rather than ignore: a container asked for cache and
   * memory-bandwidth isolation, and `features` says urun has none. */
  if (linux_->intel_rdt != NULL)
    return fail_at (c, "linux.intelRdt",
                    "Intel RDT is not supported by urun: remove linux.intelRdt");

  if (linux_->seccomp != NULL && !validate_seccomp (c, linux_->seccomp))
    return FALSE;

  if (linux_->rootfs_propagation != NULL)
    {
      gulong flags;

      if (!urun_propagation_from_name (linux_->rootfs_propagation, &flags))
        return fail_unknown (c, "linux.rootfsPropagation", "propagation",
                             linux_->rootfs_propagation);
    }

  if (!check_absolute_list (c, "linux.maskedPaths", linux_->masked_paths)
      || !check_absolute_list (c, "linux.readonlyPaths", linux_->readonly_paths))
    return FALSE;

  if (linux_->personality != NULL)
    {
      gulong persona;

      if (!urun_personality_domain_from_name (linux_->personality->domain, &persona))
        return fail_unknown (c, "linux.personality.domain", "personality domain",
                             linux_->personality->domain);
      /* config-linux.md: "Currently no flag values are supported." */
      if (!check_names (c, "linux.personality.flags", linux_->personality->flags,
                        "personality flag", known_nothing))
        return FALSE;
    }

  if (linux_->memory_policy != NULL)
    {
      int mode;

      if (!urun_mempolicy_mode_from_name (linux_->memory_policy->mode, &mode))
        return fail_unknown (c, "linux.memoryPolicy.mode", "memory policy mode",
                             linux_->memory_policy->mode);
      if (!check_names (c, "linux.memoryPolicy.flags", linux_->memory_policy->flags,
                        "memory policy flag", known_mempolicy_flag))
        return FALSE;
    }

  for (gsize i = 0; i < linux_->n_net_devices; i++)
    {
      const UrunSpecNetDevice *dev = &linux_->net_devices[i];
      g_autofree char *quoted = urun_spec_quote (dev->host_name);

      if (!is_ifname (dev->host_name))
        return fail_invalid (c, AT ("linux.netDevices[%s]", quoted), "network interface name",
                             dev->host_name);
      if (dev->name != NULL && !is_ifname (dev->name))
        return fail_invalid (c, AT ("linux.netDevices[%s].name", quoted), "network interface name",
                             dev->name);
      /* Why refuse: urun does not move interfaces into the container, and a
       * container started without the interface it asked for would fail
       * later and far from the cause. */
      return fail_at (c, AT ("linux.netDevices[%s]", quoted),
                      "moving a network interface into the container is not supported by urun: "
                      "remove linux.netDevices");
    }

#undef AT
  return TRUE;
}

/* config.md: the hostname and domainname are those of the container's UTS
 * namespace.  Without one listed they would be set on the runtime's own
 * namespace, the host's: refuse, as runc and crun do.  A namespace joined by
 * path counts, since it is the container's. */
static gboolean
validate_uts_names (Check *c, const UrunSpec *spec)
{
  const char *field = spec->hostname != NULL ? "hostname" : "domainname";

  if (spec->hostname == NULL && spec->domainname == NULL)
    return TRUE;
  if (spec->linux_ != NULL)
    for (gsize i = 0; i < spec->linux_->n_namespaces; i++)
      {
        UrunNamespaceType type;

        if (urun_namespace_type_from_name (spec->linux_->namespaces[i].type, &type)
            && type == URUN_NAMESPACE_UTS)
          return TRUE;
      }
  return fail_at (c, field, "setting the %s needs a uts namespace in linux.namespaces", field);
}

/* ---- entry points ----------------------------------------------------------------- */

gboolean
urun_spec_validate (const UrunSpec *spec, const char *filename, GError **error)
{
  Check c = { filename, error };

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  if (spec->oci_version == NULL)
    return fail_at (&c, "ociVersion", "missing required field");
  if (!is_semver (spec->oci_version))
    {
      g_autofree char *quoted = urun_spec_quote (spec->oci_version);

      return fail_at (&c, "ociVersion", "expected a SemVer version, got %s", quoted);
    }

  if (spec->root == NULL)
    return fail_at (&c, "root", "missing required field");
  if (spec->root->path == NULL || spec->root->path[0] == '\0')
    return fail_at (&c, "root.path", "expected a non-empty path");

  if (spec->process != NULL && !validate_process (&c, "process.", spec->process))
    return FALSE;
  if (!validate_mounts (&c, spec))
    return FALSE;
  if (spec->hooks != NULL && !validate_hooks (&c, spec->hooks))
    return FALSE;
  for (gsize i = 0; i < spec->n_annotations; i++)
    if (spec->annotations[i].key == NULL || spec->annotations[i].key[0] == '\0')
      return fail_at (&c, "annotations[\"\"]", "expected a non-empty key");
  if (spec->linux_ != NULL && !validate_linux (&c, spec->linux_))
    return FALSE;
  if (!validate_uts_names (&c, spec))
    return FALSE;
  return TRUE;
}

gboolean
urun_spec_process_validate (const UrunSpecProcess *process, const char *filename, GError **error)
{
  Check c = { filename, error };

  g_return_val_if_fail (process != NULL, FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  if (process->cwd == NULL)
    return fail_at (&c, "cwd", "missing required field");
  if (process->user == NULL)
    return fail_at (&c, "user", "missing required field");
  return validate_process (&c, "", process);
}

/* ---- strings a C string cannot hold ----------------------------------------- */

/* One open object or array while scanning: the member or element that is
 * being read, for the JSON path of a message. */
typedef struct
{
  gboolean is_array;
  guint index;               /* arrays: the current element */
  const char *key;           /* objects: the current member name, as written */
  gsize key_len;
  gboolean want_key;         /* objects: the next string is a member name */
} ScanLevel;

static char *
scan_path (GArray *levels)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < levels->len; i++)
    {
      const ScanLevel *l = &g_array_index (levels, ScanLevel, i);

      if (l->is_array)
        g_string_append_printf (path, "[%u]", l->index);
      else if (l->key != NULL)
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append_len (path, l->key, (gssize) l->key_len);
        }
    }
  return g_string_free (path, FALSE);
}

/* Scans the string token that starts at @data[*i] (its opening quote) and
 * moves *i past it.  TRUE when it holds a NUL: a \u0000 escape or a raw
 * zero byte. */
static gboolean
scan_string (const char *data, gsize len, gsize *i)
{
  char quote = data[(*i)++];
  gboolean nul = FALSE;

  while (*i < len && data[*i] != quote)
    {
      if (data[*i] == '\0')
        nul = TRUE;
      if (data[*i] == '\\' && *i + 1 < len)
        {
          (*i)++;
          if (data[*i] == 'u' && *i + 4 < len && strncmp (data + *i + 1, "0000", 4) == 0)
            nul = TRUE;
        }
      (*i)++;
    }
  (*i)++;
  return nul;
}

gboolean
urun_spec_check_nul (const char *data, gsize len, const char *filename, GError **error)
{
  g_autoptr (GArray) levels = g_array_new (FALSE, TRUE, sizeof (ScanLevel));
  gsize i = 0;

  /* Why scan the text: json-glib decodes \u0000 and hands out C strings,
   * so "rm\u0000 -rf" would come out as "rm" with no trace.  The document
   * has already parsed, so a small walk over its tokens is enough; it
   * skips comments the way scan_numbers() in urun-spec-json.c does. */
  while (i < len)
    {
      char ch = data[i];
      ScanLevel *top = levels->len > 0 ? &g_array_index (levels, ScanLevel, levels->len - 1)
                                       : NULL;

      if (ch == '"' || ch == '\'')
        {
          gsize start = i + 1;
          gboolean is_key = top != NULL && !top->is_array && top->want_key;
          gboolean nul = scan_string (data, len, &i);

          if (is_key)
            {
              top->key = data + start;
              top->key_len = i - 1 - start;
              top->want_key = FALSE;
            }
          if (nul)
            {
              g_autofree char *path = scan_path (levels);

              return urun_spec_fail (error, filename, path,
                                     "%s holds a NUL character (\\u0000), which would cut it "
                                     "short: remove it",
                                     is_key ? "the member name" : "the string");
            }
        }
      else if (ch == '/' && i + 1 < len && data[i + 1] == '*')
        {
          for (i += 2; i + 1 < len && !(data[i] == '*' && data[i + 1] == '/'); i++)
            ;
          i += 2;
        }
      else if (ch == '/' && i + 1 < len && data[i + 1] == '/')
        {
          while (i < len && data[i] != '\n')
            i++;
        }
      else
        {
          if (ch == '{' || ch == '[')
            {
              ScanLevel level = { ch == '[', 0, NULL, 0, ch == '{' };

              g_array_append_val (levels, level);
            }
          else if ((ch == '}' || ch == ']') && levels->len > 0)
            g_array_set_size (levels, levels->len - 1);
          else if (ch == ',' && top != NULL)
            {
              if (top->is_array)
                top->index++;
              else
                top->want_key = TRUE;
            }
          i++;
        }
    }
  return TRUE;
}
