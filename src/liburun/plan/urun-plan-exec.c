/* urun-plan-exec.c: the process of an `exec` and its plan (see
 * urun-plan-exec.h).  Zone: host side (GLib).
 *
 * Why the merge works on JSON: the command line's options are edits of the
 * container's `process` object, and --process gives another such object.
 * Editing the JSON and parsing the result once gives a UrunSpecProcess that
 * owns all it holds and went through the same validation as any
 * process.json, instead of a hand-made struct of borrowed pointers.
 */
#include "config.h"

#include "plan/urun-plan-exec.h"
#include "plan/urun-plan-parts.h"
#include "util/urun-error.h"
#include "spec/urun-spec-names.h"

#include <string.h>

/* What a --process object that leaves them out takes from the container's
 * process, as runc's exec does (the libcontainer process falls back to the
 * container's config for these). */
static const char *const inherited_members[] = {
  "capabilities", "rlimits", "apparmorProfile", "selinuxLabel",
  "scheduler", "ioPriority", "execCPUAffinity",
};

static JsonObject *
copy_object (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  g_autoptr (GList) members = object ? json_object_get_members (object) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            json_node_copy (json_object_get_member (object, l->data)));
  return copy;
}

static JsonObject *
ensure_object (JsonObject *parent, const char *name)
{
  JsonNode *node = json_object_get_member (parent, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      json_object_set_object_member (parent, name, json_object_new ());
      node = json_object_get_member (parent, name);
    }
  return json_node_get_object (node);
}

static JsonArray *
ensure_array (JsonObject *parent, const char *name)
{
  JsonNode *node = json_object_get_member (parent, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      json_object_set_array_member (parent, name, json_array_new ());
      node = json_object_get_member (parent, name);
    }
  return json_node_get_array (node);
}

static void
merge_given (JsonObject *result, JsonObject *config_process)
{
  JsonNode *config_user;

  if (config_process == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (inherited_members); i++)
    {
      const char *name = inherited_members[i];
      JsonNode *node = json_object_get_member (result, name);

      if ((node == NULL || JSON_NODE_HOLDS_NULL (node)
           || (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
               && json_node_get_string (node)[0] == '\0'))
          && json_object_has_member (config_process, name))
        json_object_set_member (result, name,
                                json_node_copy (json_object_get_member (config_process, name)));
    }
  /* The umask is the container's unless the process gives one. */
  config_user = json_object_get_member (config_process, "user");
  if (config_user != NULL && JSON_NODE_HOLDS_OBJECT (config_user)
      && json_object_has_member (json_node_get_object (config_user), "umask"))
    {
      JsonNode *user = json_object_get_member (result, "user");

      if (user != NULL && JSON_NODE_HOLDS_OBJECT (user)
          && !json_object_has_member (json_node_get_object (user), "umask"))
        json_object_set_member (
          json_node_get_object (user), "umask",
          json_node_copy (json_object_get_member (json_node_get_object (config_user), "umask")));
    }
}

static gboolean
parse_id (const char *text, const char *option, const char *whole, guint64 *out_id,
          GError **error)
{
  g_autoptr (GError) parse_error = NULL;

  /* The range of process.user in the spec's validation: (uid_t) -1 would
   * leave the process root (see urun-spec-validate.c). */
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, out_id, &parse_error))
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "%s: expected a numeric id between 0 and %d, got `%s`", option, G_MAXINT32,
                      whole);
  return TRUE;
}

static gboolean
apply_env (JsonObject *result, const char *const *env, GError **error)
{
  JsonArray *array;

  if (env == NULL || env[0] == NULL)
    return TRUE;
  array = ensure_array (result, "env");
  for (gsize i = 0; env[i] != NULL; i++)
    {
      const char *eq = strchr (env[i], '=');
      gsize name_len;
      gboolean replaced = FALSE;

      if (eq == NULL || eq == env[i])
        return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                          "--env: expected NAME=VALUE, got `%s`", env[i]);
      name_len = (gsize) (eq - env[i]) + 1;
      /* A name given again replaces the earlier value where it stood, so
       * that the process never sees the same name twice. */
      for (guint j = 0; j < json_array_get_length (array); j++)
        {
          const char *old = json_array_get_string_element (array, j);

          if (old != NULL && strncmp (old, env[i], name_len) == 0)
            {
              json_array_remove_element (array, j);
              /* JsonArray has no insert: rebuild the tail. */
              {
                g_autoptr (JsonArray) rebuilt = json_array_new ();

                for (guint k = 0; k < json_array_get_length (array); k++)
                  {
                    if (k == j)
                      json_array_add_string_element (rebuilt, env[i]);
                    json_array_add_element (rebuilt,
                                            json_node_copy (json_array_get_element (array, k)));
                  }
                if (j == json_array_get_length (array))
                  json_array_add_string_element (rebuilt, env[i]);
                json_object_set_array_member (result, "env", json_array_ref (rebuilt));
                array = json_node_get_array (json_object_get_member (result, "env"));
              }
              replaced = TRUE;
              break;
            }
        }
      if (!replaced)
        json_array_add_string_element (array, env[i]);
    }
  return TRUE;
}

static gboolean
apply_user (JsonObject *result, const UrunExecOptions *options, GError **error)
{
  JsonObject *user;

  if (options->user == NULL
      && (options->additional_gids == NULL || options->additional_gids[0] == NULL))
    return TRUE;
  user = ensure_object (result, "user");
  if (!json_object_has_member (user, "uid"))
    json_object_set_int_member (user, "uid", 0);
  if (!json_object_has_member (user, "gid"))
    json_object_set_int_member (user, "gid", 0);

  if (options->user != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (options->user, ":", 2);
      guint64 uid, gid;

      if (!parse_id (parts[0], "--user", options->user, &uid, error))
        return FALSE;
      json_object_set_int_member (user, "uid", (gint64) uid);
      if (parts[1] != NULL)
        {
          if (!parse_id (parts[1], "--user", options->user, &gid, error))
            return FALSE;
          json_object_set_int_member (user, "gid", (gint64) gid);
        }
    }
  for (gsize i = 0; options->additional_gids != NULL && options->additional_gids[i] != NULL; i++)
    {
      const char *text = options->additional_gids[i];
      guint64 gid;

      if (!parse_id (text, "--additional-gids", text, &gid, error))
        return FALSE;
      json_array_add_int_element (ensure_array (user, "additionalGids"), (gint64) gid);
    }
  return TRUE;
}

/* "CAP_NET_ADMIN" or "net_admin" -> "CAP_NET_ADMIN".  A name that is no
 * capability goes into the sets all the same: the plan warns about it and
 * ignores it, as it does for the config's (urun-plan-security.c). */
static char *
capability_name (const char *text)
{
  g_autofree char *upper = g_ascii_strup (text, -1);

  return g_str_has_prefix (upper, "CAP_") ? g_strdup (upper) : g_strconcat ("CAP_", upper, NULL);
}

static void
add_to_set (JsonObject *caps, const char *set, const char *name)
{
  JsonArray *array = ensure_array (caps, set);

  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), name) == 0)
      return;
  json_array_add_string_element (array, name);
}

static gboolean
apply_caps (JsonObject *result, const char *const *caps, GError **error)
{
  JsonNode *node = json_object_get_member (result, "capabilities");
  JsonObject *object;
  gboolean ambient;

  if (caps == NULL || caps[0] == NULL)
    return TRUE;
  /* Without a capabilities object the process keeps every capability its
   * user has: there is nothing to add to. */
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  object = json_node_get_object (node);
  /* Ambient needs the capability inheritable too, which --cap does not
   * add: raise it there only when the process has an inheritable set. */
  ambient = json_object_has_member (object, "inheritable")
            && JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "inheritable"));
  for (gsize i = 0; caps[i] != NULL; i++)
    {
      g_autofree char *name = capability_name (caps[i]);

      add_to_set (object, "bounding", name);
      add_to_set (object, "effective", name);
      add_to_set (object, "permitted", name);
      if (ambient)
        add_to_set (object, "ambient", name);
    }
  return TRUE;
}

/* The options that change a process, whichever way it was given. */
static gboolean
apply_overrides (JsonObject *result, const UrunExecOptions *options, GError **error)
{
  if (options->cwd != NULL)
    json_object_set_string_member (result, "cwd", options->cwd);
  if (options->apparmor != NULL)
    json_object_set_string_member (result, "apparmorProfile", options->apparmor);
  if (options->process_label != NULL)
    json_object_set_string_member (result, "selinuxLabel", options->process_label);
  if (options->no_new_privs)
    json_object_set_boolean_member (result, "noNewPrivileges", TRUE);
  return apply_env (result, options->env, error) && apply_user (result, options, error)
         && apply_caps (result, options->caps, error);
}

static void
apply_command_line (JsonObject *result, const UrunExecOptions *options)
{
  JsonArray *args = json_array_new ();

  for (gsize i = 0; options->args != NULL && options->args[i] != NULL; i++)
    json_array_add_string_element (args, options->args[i]);
  json_object_set_array_member (result, "args", args);
  /* runc: the container's terminal setting never carries over to exec;
   * only -t gives one. */
  json_object_set_boolean_member (result, "terminal", options->tty);
  /* Init's own business, not applied to an exec. */
  json_object_remove_member (result, "oomScoreAdj");
  if (!json_object_has_member (result, "cwd"))
    json_object_set_string_member (result, "cwd", "/");
}

UrunSpecProcess *
urun_exec_process_build (JsonObject *config_process, JsonObject *given,
                         const UrunExecOptions *options, const char *filename, GError **error)
{
  g_autoptr (JsonObject) result = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (options != NULL && filename != NULL, NULL);

  if (given != NULL)
    {
      result = copy_object (given);
      merge_given (result, config_process);
      /* Beyond runc, which ignores them with --process: the options the
       * user gave still apply on top of the file. */
      if (options->tty)
        json_object_set_boolean_member (result, "terminal", TRUE);
    }
  else
    {
      result = copy_object (config_process);
      apply_command_line (result, options);
    }
  if (!apply_overrides (result, options, error))
    return NULL;
  root = json_node_init_object (json_node_alloc (), result);
  text = json_to_string (root, FALSE);
  return urun_spec_process_load_data (text, -1, filename, error);
}

UrunPlanOwner *
urun_plan_exec_build (const UrunSpec *spec, const UrunSpecProcess *process,
                      const UrunPlanOptions *options, GError **error)
{
  g_autoptr (UrunPlanOwner) owner = urun_plan_owner_new ();
  UrunInitPlan *plan = &owner->plan;
  UrunSpec with_process;

  g_return_val_if_fail (spec != NULL && process != NULL && options != NULL, NULL);

  if (process->args == NULL || process->args[0] == NULL || process->args[0][0] == '\0')
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "exec: expected at least one argument, the program to run"), NULL;

  plan->terminal = process->terminal;
  /* /dev/console is the terminal of the container's init, not ours. */
  plan->create_console = FALSE;
  plan->cwd = urun_plan_owner_strdup (owner, process->cwd ? process->cwd : "/");
  if (!urun_plan_set_process (owner, process, options->listen_fds, "exec: rlimits", error))
    return NULL;
  plan->preserve_fds = options->preserve_fds + options->listen_fds;

  /* The security profile exactly as init gets it, from the exec's process
   * and the container's linux.seccomp, personality and memoryPolicy. */
  with_process = *spec;
  with_process.process = (UrunSpecProcess *) process;
  if (!urun_plan_build_security (owner, &with_process, options, error))
    return NULL;
  return g_steal_pointer (&owner);
}
