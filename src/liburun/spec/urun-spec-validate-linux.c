/* urun-spec-validate-linux.c: the checks of the config's `linux` object:
 * namespaces, sysctl, id mappings, time offsets, devices, resources (in
 * urun-spec-validate-resources.c), Intel RDT, seccomp, propagation, paths,
 * personality, memory policy and network devices (see urun-spec-check.h).
 *
 * Zone: host side (GLib).
 */
#include "config.h"

#include "spec/urun-spec-check.h"
#include "spec/urun-spec-names.h"
#include "spec/urun-spec-private.h"

#include <string.h>

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
validate_namespaces (UrunSpecCheck *c, const UrunSpecLinux *linux_)
{
  guint seen = 0;

  for (gsize i = 0; i < linux_->n_namespaces; i++)
    {
      const UrunSpecNamespace *ns = &linux_->namespaces[i];
      g_autofree char *where = g_strdup_printf ("linux.namespaces[%zu].type", i);
      UrunNamespaceType type;

      if (!urun_namespace_type_from_name (ns->type, &type))
        return urun_spec_check_unknown (c, where, "namespace type", ns->type);
      /* config-linux.md: duplicated namespace types are an error. */
      if (seen & (1u << type))
        {
          g_autofree char *quoted = urun_spec_quote (ns->type);

          return urun_spec_check_fail (c, where, "duplicate namespace type %s", quoted);
        }
      seen |= 1u << type;
      if (ns->path != NULL)
        {
          g_free (where);
          where = g_strdup_printf ("linux.namespaces[%zu].path", i);
          if (!urun_spec_check_absolute (c, where, ns->path))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate_devices (UrunSpecCheck *c, const UrunSpecLinux *linux_)
{
  for (gsize i = 0; i < linux_->n_devices; i++)
    {
      const UrunSpecDevice *dev = &linux_->devices[i];
      g_autofree char *where = NULL;

      where = g_strdup_printf ("linux.devices[%zu].type", i);
      if (dev->type == NULL || strlen (dev->type) != 1 || strchr ("cbup", dev->type[0]) == NULL)
        return urun_spec_check_unknown (c, where, "device type", dev->type);
      g_free (where);
      where = g_strdup_printf ("linux.devices[%zu].path", i);
      if (!urun_spec_check_absolute (c, where, dev->path))
        return FALSE;
      /* config-linux.md: major and minor are required unless type is p. */
      if (dev->type[0] != 'p' && (!dev->has_major || !dev->has_minor))
        {
          g_free (where);
          where = g_strdup_printf ("linux.devices[%zu].%s", i, dev->has_major ? "minor" : "major");
          return urun_spec_check_fail (c, where, "missing required field");
        }
    }
  return TRUE;
}

static gboolean
validate_resources (UrunSpecCheck *c, const UrunSpecResources *res)
{
  return urun_spec_resources_validate (res, c->filename, "linux.resources.", NULL, c->error);
}

static gboolean
validate_seccomp (UrunSpecCheck *c, const UrunSpecSeccomp *seccomp)
{
  g_autofree char *where = NULL;
  UrunSeccompAction action;

#define AT(...) (g_free (where), where = g_strdup_printf (__VA_ARGS__))

  if (!urun_seccomp_action_from_name (seccomp->default_action, &action))
    return urun_spec_check_unknown (c, "linux.seccomp.defaultAction", "seccomp action",
                                    seccomp->default_action);
  /* config-linux.md: errnoRet with an action that takes no errno is an
   * error. */
  if (seccomp->has_default_errno_ret && !urun_seccomp_action_takes_errno (action))
    {
      g_autofree char *quoted = urun_spec_quote (seccomp->default_action);

      return urun_spec_check_fail (c, "linux.seccomp.defaultErrnoRet", "not allowed with action %s",
                                   quoted);
    }
  if (!urun_spec_check_names (c, "linux.seccomp.architectures", seccomp->architectures,
                              "seccomp architecture", known_seccomp_arch))
    return FALSE;
  if (!urun_spec_check_names (c, "linux.seccomp.flags", seccomp->flags, "seccomp flag",
                              known_seccomp_flag))
    return FALSE;
  if (seccomp->listener_metadata != NULL && seccomp->listener_path == NULL)
    return urun_spec_check_fail (c, "linux.seccomp.listenerMetadata",
                                 "not allowed without listenerPath");

  for (gsize i = 0; i < seccomp->n_syscalls; i++)
    {
      const UrunSpecSyscall *sc = &seccomp->syscalls[i];

      if (sc->names == NULL || sc->names[0] == NULL)
        return urun_spec_check_fail (c, AT ("linux.seccomp.syscalls[%zu].names", i),
                                     "expected at least one syscall name");
      if (!urun_seccomp_action_from_name (sc->action, &action))
        return urun_spec_check_unknown (c, AT ("linux.seccomp.syscalls[%zu].action", i),
                                        "seccomp action", sc->action);
      if (sc->has_errno_ret && !urun_seccomp_action_takes_errno (action))
        {
          g_autofree char *quoted = urun_spec_quote (sc->action);

          return urun_spec_check_fail (c, AT ("linux.seccomp.syscalls[%zu].errnoRet", i),
                                       "not allowed with action %s", quoted);
        }
      for (gsize j = 0; j < sc->n_args; j++)
        {
          UrunSeccompOperator op;

          /* A system call has six arguments. */
          if (!urun_spec_check_max (c, AT ("linux.seccomp.syscalls[%zu].args[%zu].index", i, j),
                                    sc->args[j].index, 5))
            return FALSE;
          if (!urun_seccomp_operator_from_name (sc->args[j].op, &op))
            return urun_spec_check_unknown (c,
                                            AT ("linux.seccomp.syscalls[%zu].args[%zu].op", i, j),
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
validate_sysctl (UrunSpecCheck *c, const UrunSpecLinux *linux_)
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

          return urun_spec_check_fail (c, where,
                                       "not allowed: it conflicts with the \"%s\" field; set "
                                       "\"%s\" instead and drop %s from linux.sysctl",
                                       field, field, quoted);
        }
      if (needed == URUN_NAMESPACE_N_TYPES)
        return urun_spec_check_fail (
          c, where, "%s is not a namespaced sysctl: it would change the host", quoted);
      ns_name = needed == URUN_NAMESPACE_IPC ? "ipc" : "network";
      if (!has_namespace (linux_, needed))
        return urun_spec_check_fail (c, where, "%s needs a %s namespace in linux.namespaces",
                                     quoted, ns_name);
    }
  return TRUE;
}

gboolean
urun_spec_check_linux (UrunSpecCheck *c, const UrunSpecLinux *linux_)
{
  g_autofree char *where = NULL;

#define AT(...) (g_free (where), where = g_strdup_printf (__VA_ARGS__))

  if (!validate_namespaces (c, linux_))
    return FALSE;
  if (!validate_sysctl (c, linux_))
    return FALSE;
  if (!urun_spec_check_id_mappings (c, "linux.uidMappings", linux_->uid_mappings,
                                    linux_->n_uid_mappings)
      || !urun_spec_check_id_mappings (c, "linux.gidMappings", linux_->gid_mappings,
                                       linux_->n_gid_mappings))
    return FALSE;

  for (gsize i = 0; i < linux_->n_time_offsets; i++)
    {
      const UrunSpecTimeOffset *offset = &linux_->time_offsets[i];
      g_autofree char *quoted = urun_spec_quote (offset->clock);

      if (g_strcmp0 (offset->clock, "monotonic") != 0 && g_strcmp0 (offset->clock, "boottime") != 0)
        return urun_spec_check_unknown (c, AT ("linux.timeOffsets[%s]", quoted), "clock",
                                        offset->clock);
      if (!urun_spec_check_max (c, AT ("linux.timeOffsets[%s].nanosecs", quoted), offset->nanosecs,
                                999999999))
        return FALSE;
    }
  /* config-linux.md: the offsets are those of the container's time
   * namespace.  Without a new one there is nothing to set them on (a
   * joined one is in use and can no longer take them): they would be
   * dropped unseen. */
  if (linux_->n_time_offsets > 0 && !has_new_namespace (linux_, URUN_NAMESPACE_TIME))
    return urun_spec_check_fail (
      c, "linux.timeOffsets",
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

          return urun_spec_check_fail (
            c, "linux.intelRdt.memBwSchema",
            "expected a schema starting with \"MB:\" on one line, got %s", quoted);
        }
    }
  /* Why refuse rather than ignore: a container asked for cache and
   * memory-bandwidth isolation, and `features` says urun has none. */
  if (linux_->intel_rdt != NULL)
    return urun_spec_check_fail (c, "linux.intelRdt",
                                 "Intel RDT is not supported by urun: remove linux.intelRdt");

  if (linux_->seccomp != NULL && !validate_seccomp (c, linux_->seccomp))
    return FALSE;

  if (linux_->rootfs_propagation != NULL)
    {
      gulong flags;

      if (!urun_propagation_from_name (linux_->rootfs_propagation, &flags))
        return urun_spec_check_unknown (c, "linux.rootfsPropagation", "propagation",
                                        linux_->rootfs_propagation);
    }

  if (!urun_spec_check_absolute_list (c, "linux.maskedPaths", linux_->masked_paths)
      || !urun_spec_check_absolute_list (c, "linux.readonlyPaths", linux_->readonly_paths))
    return FALSE;

  if (linux_->personality != NULL)
    {
      gulong persona;

      if (!urun_personality_domain_from_name (linux_->personality->domain, &persona))
        return urun_spec_check_unknown (c, "linux.personality.domain", "personality domain",
                                        linux_->personality->domain);
      /* config-linux.md: "Currently no flag values are supported." */
      if (!urun_spec_check_names (c, "linux.personality.flags", linux_->personality->flags,
                                  "personality flag", known_nothing))
        return FALSE;
    }

  if (linux_->memory_policy != NULL)
    {
      int mode;

      if (!urun_mempolicy_mode_from_name (linux_->memory_policy->mode, &mode))
        return urun_spec_check_unknown (c, "linux.memoryPolicy.mode", "memory policy mode",
                                        linux_->memory_policy->mode);
      if (!urun_spec_check_names (c, "linux.memoryPolicy.flags", linux_->memory_policy->flags,
                                  "memory policy flag", known_mempolicy_flag))
        return FALSE;
    }

  for (gsize i = 0; i < linux_->n_net_devices; i++)
    {
      const UrunSpecNetDevice *dev = &linux_->net_devices[i];
      g_autofree char *quoted = urun_spec_quote (dev->host_name);

      if (!is_ifname (dev->host_name))
        return urun_spec_check_invalid (c, AT ("linux.netDevices[%s]", quoted),
                                        "network interface name", dev->host_name);
      if (dev->name != NULL && !is_ifname (dev->name))
        return urun_spec_check_invalid (c, AT ("linux.netDevices[%s].name", quoted),
                                        "network interface name", dev->name);
      /* Why refuse: urun does not move interfaces into the container, and a
       * container started without the interface it asked for would fail
       * later and far from the cause. */
      return urun_spec_check_fail (
        c, AT ("linux.netDevices[%s]", quoted),
        "moving a network interface into the container is not supported by urun: "
        "remove linux.netDevices");
    }

#undef AT
  return TRUE;
}
