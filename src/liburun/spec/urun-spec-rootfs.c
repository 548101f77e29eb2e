/* urun-spec-rootfs.c: the config of `run --rootfs` (see urun-spec-rootfs.h).
 *
 * Zone: host side (GLib).  Starts from the text of `urun spec` so that the
 * two cannot drift apart, and edits the parsed tree.
 */
#include "config.h"

#include "spec/urun-spec-rootfs.h"
#include "util/urun-error.h"
#include "spec/urun-spec-default.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

static gboolean
fail_option (GError **error, const char *option, const char *value, const char *expected)
{
  return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT, "invalid value `%s` for %s: %s", value,
                    option, expected);
}

static JsonArray *
string_array (const char *const *values)
{
  JsonArray *array = json_array_new ();

  for (gsize i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  return array;
}

/* An absolute, canonical host path for the bind source @src. */
static char *
bind_source (const char *spec, const char *src, GError **error)
{
  g_autofree char *abs = g_canonicalize_filename (src, NULL);
  char *real = realpath (abs, NULL);

  if (real == NULL)
    {
      urun_fail_errno (error, errno, "--bind `%s`: source `%s` cannot be used (create it first)",
                       spec, src);
      return NULL;
    }
  return real;
}

static gboolean
add_binds (JsonArray *mounts, const char *const *binds, GError **error)
{
  for (gsize i = 0; binds != NULL && binds[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (binds[i], ":", -1);
      guint n = g_strv_length (parts);
      gboolean ro = FALSE;
      g_autofree char *src = NULL;
      JsonObject *mount;
      JsonArray *options;

      if (n == 3 && (strcmp (parts[2], "ro") == 0 || strcmp (parts[2], "rw") == 0))
        ro = strcmp (parts[2], "ro") == 0;
      else if (n != 2)
        return fail_option (error, "--bind", binds[i],
                            "expected SRC:DST, SRC:DST:ro or SRC:DST:rw");
      if (parts[0][0] == '\0' || parts[1][0] != '/')
        return fail_option (error, "--bind", binds[i],
                            "expected SRC:DST with an absolute DST inside the container, e.g. "
                            "--bind $PWD:/work");
      src = bind_source (binds[i], parts[0], error);
      if (src == NULL)
        return FALSE;
      mount = json_object_new ();
      json_object_set_string_member (mount, "destination", parts[1]);
      json_object_set_string_member (mount, "type", "bind");
      json_object_set_string_member (mount, "source", src);
      options = json_array_new ();
      json_array_add_string_element (options, "rbind");
      json_array_add_string_element (options, ro ? "ro" : "rw");
      json_object_set_array_member (mount, "options", options);
      json_array_add_object_element (mounts, mount);
    }
  return TRUE;
}

static gboolean
apply_env (JsonObject *process, const char *const *env, GError **error)
{
  JsonArray *old = json_object_get_array_member (process, "env");
  JsonArray *merged = json_array_new ();

  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *eq = strchr (env[i], '=');

      if (eq == NULL || eq == env[i])
        {
          json_array_unref (merged);
          return fail_option (error, "--env", env[i], "expected NAME=VALUE");
        }
    }
  /* The defaults first, minus the names the command line sets. */
  for (guint i = 0; i < json_array_get_length (old); i++)
    {
      const char *entry = json_array_get_string_element (old, i);
      gsize len = strcspn (entry, "=");
      gboolean replaced = FALSE;

      for (gsize j = 0; env != NULL && env[j] != NULL && !replaced; j++)
        replaced = strncmp (env[j], entry, len + 1) == 0;
      if (!replaced)
        json_array_add_string_element (merged, entry);
    }
  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    json_array_add_string_element (merged, env[i]);
  json_object_set_array_member (process, "env", merged);
  return TRUE;
}

static gboolean
apply_user (JsonObject *process, const char *user, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (user, ":", 2);
  guint64 uid, gid;
  JsonObject *object = json_object_new ();

  if (!g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXUINT32 - 1, &uid, NULL)
      || (parts[1] != NULL
          && !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXUINT32 - 1, &gid, NULL)))
    {
      json_object_unref (object);
      return fail_option (error, "--user", user, "expected UID or UID:GID (numbers)");
    }
  if (parts[1] == NULL)
    gid = uid;
  json_object_set_int_member (object, "uid", (gint64) uid);
  json_object_set_int_member (object, "gid", (gint64) gid);
  json_object_set_object_member (process, "user", object);
  return TRUE;
}

/* Host networking: no network namespace.  Then a rootless container may
 * not mount a fresh sysfs (the kernel wants the network namespace to
 * belong to the container's user namespace), so /sys becomes a read-only
 * bind of the host's, as rootless runtimes do. */
static void
apply_host_network (JsonObject *config, gboolean rootless)
{
  JsonObject *linux_ = json_object_get_object_member (config, "linux");
  JsonArray *namespaces = json_object_get_array_member (linux_, "namespaces");
  JsonArray *kept = json_array_new ();
  JsonArray *mounts = json_object_get_array_member (config, "mounts");

  for (guint i = 0; i < json_array_get_length (namespaces); i++)
    {
      JsonObject *ns = json_array_get_object_element (namespaces, i);

      if (g_strcmp0 (json_object_get_string_member (ns, "type"), "network") != 0)
        json_array_add_object_element (kept, json_object_ref (ns));
    }
  json_object_set_array_member (linux_, "namespaces", kept);

  if (!rootless)
    return;
  for (guint i = 0; i < json_array_get_length (mounts); i++)
    {
      JsonObject *m = json_array_get_object_element (mounts, i);

      if (g_strcmp0 (json_object_get_string_member (m, "destination"), "/sys") == 0)
        {
          static const char *const options[] = { "rbind", "nosuid", "noexec", "nodev", "ro",
                                                  NULL };

          json_object_set_string_member (m, "type", "bind");
          json_object_set_string_member (m, "source", "/sys");
          json_object_set_array_member (m, "options", string_array (options));
        }
    }
}

char *
urun_spec_rootfs_generate (const UrunSpecRootfsOptions *options, GError **error)
{
  UrunSpecDefaultOptions defaults = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *rootfs = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  JsonObject *config, *process, *root;

  g_return_val_if_fail (options != NULL && options->rootfs != NULL, NULL);

  rootfs = g_canonicalize_filename (options->rootfs, NULL);
  if (!g_file_test (rootfs, G_FILE_TEST_IS_DIR))
    {
      urun_fail (error, URUN_ERROR_NOT_FOUND,
                 "--rootfs `%s` is not a directory: give the directory holding the container's "
                 "root file system (with /bin, /usr, ...)",
                 options->rootfs);
      return NULL;
    }
  if (options->workdir != NULL && options->workdir[0] != '/')
    {
      fail_option (error, "--workdir", options->workdir,
                   "expected an absolute path inside the container");
      return NULL;
    }
  if (options->network != NULL && strcmp (options->network, "host") != 0
      && strcmp (options->network, "none") != 0)
    {
      fail_option (error, "--network", options->network, "expected host or none");
      return NULL;
    }

  defaults.rootless = options->rootless;
  defaults.uid = options->uid;
  defaults.gid = options->gid;
  defaults.user_name = options->user_name;
  text = urun_spec_default_generate (&defaults, error);
  if (text == NULL || !json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  config = json_node_get_object (json_parser_get_root (parser));
  process = json_object_get_object_member (config, "process");
  root = json_object_get_object_member (config, "root");

  json_object_set_string_member (root, "path", rootfs);
  json_object_set_boolean_member (process, "terminal", options->terminal);
  if (options->args != NULL && options->args[0] != NULL)
    json_object_set_array_member (process, "args", string_array (options->args));
  if (options->workdir != NULL)
    json_object_set_string_member (process, "cwd", options->workdir);
  if (!apply_env (process, options->env, error))
    return NULL;
  if (options->user != NULL && !apply_user (process, options->user, error))
    return NULL;
  if (!add_binds (json_object_get_array_member (config, "mounts"), options->binds, error))
    return NULL;
  if (g_strcmp0 (options->network, "host") == 0)
    apply_host_network (config, options->rootless);

  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}
