/* urun-spec-validate.c: the semantic checks of a parsed config: what the
 * runtime spec requires beyond types (absolute paths, known names, no
 * duplicate namespaces or rlimits, cross-field rules).  This file checks
 * the top level, mounts, hooks and annotations and calls the parts:
 * urun-spec-validate-process.c, urun-spec-validate-linux.c; the shared
 * checks are in urun-spec-check.c.
 *
 * Zone: host side (GLib).  Messages follow the parser's style,
 * `FILE: JSON.PATH: message`, with the offending value quoted.
 */
#include "config.h"

#include "spec/urun-spec-check.h"
#include "spec/urun-spec-names.h"
#include "spec/urun-spec-private.h"

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

static gboolean
known_mount_option (const char *name)
{
  UrunMountOptionKind kind;
  const UrunMountOption *option;

  return urun_mount_option_lookup (name, &kind, &option);
}

/* ---- mounts, hooks, annotations ------------------------------------------------ */

static gboolean
validate_mounts (UrunSpecCheck *c, const UrunSpec *spec)
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
          return urun_spec_check_fail (c, where, "expected a non-empty path");
        }
      where = g_strdup_printf ("mounts[%zu].options", i);
      if (!urun_spec_check_names (c, where, mount->options, "mount option", known_mount_option))
        return FALSE;
      g_free (where);
      where = g_strdup_printf ("mounts[%zu].uidMappings", i);
      if (!urun_spec_check_id_mappings (c, where, mount->uid_mappings, mount->n_uid_mappings))
        return FALSE;
      g_free (where);
      where = g_strdup_printf ("mounts[%zu].gidMappings", i);
      if (!urun_spec_check_id_mappings (c, where, mount->gid_mappings, mount->n_gid_mappings))
        return FALSE;
    }
  return TRUE;
}

/* The longest hook timeout accepted, in seconds.  A hook holds up create
 * or start while it runs: more than a day is a mistake (or a wish for no
 * timeout, which is what leaving it out means), not a plan. */
#define HOOK_TIMEOUT_MAX 86400

static gboolean
validate_hooks (UrunSpecCheck *c, const UrunSpecHooks *hooks)
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
        if (!urun_spec_check_absolute (c, where, hook->path))
          return FALSE;
        if (hook->has_timeout && (hook->timeout <= 0 || hook->timeout > HOOK_TIMEOUT_MAX))
          {
            g_free (where);
            where = g_strdup_printf ("hooks.%s[%zu].timeout", lists[l].name, i);
            return urun_spec_check_fail (
              c, where, "expected a number of seconds from 1 to %d (one day), got %d",
              HOOK_TIMEOUT_MAX, (int) hook->timeout);
          }
      }
  return TRUE;
}

/* config.md: the hostname and domainname are those of the container's UTS
 * namespace.  Without one listed they would be set on the runtime's own
 * namespace, the host's: refuse, as runc and crun do.  A namespace joined by
 * path counts, since it is the container's. */
static gboolean
validate_uts_names (UrunSpecCheck *c, const UrunSpec *spec)
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
  return urun_spec_check_fail (c, field, "setting the %s needs a uts namespace in linux.namespaces",
                               field);
}

/* ---- entry points ----------------------------------------------------------------- */

gboolean
urun_spec_validate (const UrunSpec *spec, const char *filename, GError **error)
{
  UrunSpecCheck c = { filename, error };

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  if (spec->oci_version == NULL)
    return urun_spec_check_fail (&c, "ociVersion", "missing required field");
  if (!is_semver (spec->oci_version))
    {
      g_autofree char *quoted = urun_spec_quote (spec->oci_version);

      return urun_spec_check_fail (&c, "ociVersion", "expected a SemVer version, got %s", quoted);
    }

  if (spec->root == NULL)
    return urun_spec_check_fail (&c, "root", "missing required field");
  if (spec->root->path == NULL || spec->root->path[0] == '\0')
    return urun_spec_check_fail (&c, "root.path", "expected a non-empty path");

  if (spec->process != NULL && !urun_spec_check_process (&c, "process.", spec->process))
    return FALSE;
  if (!validate_mounts (&c, spec))
    return FALSE;
  if (spec->hooks != NULL && !validate_hooks (&c, spec->hooks))
    return FALSE;
  for (gsize i = 0; i < spec->n_annotations; i++)
    if (spec->annotations[i].key == NULL || spec->annotations[i].key[0] == '\0')
      return urun_spec_check_fail (&c, "annotations[\"\"]", "expected a non-empty key");
  if (spec->linux_ != NULL && !urun_spec_check_linux (&c, spec->linux_))
    return FALSE;
  if (!validate_uts_names (&c, spec))
    return FALSE;
  return TRUE;
}

