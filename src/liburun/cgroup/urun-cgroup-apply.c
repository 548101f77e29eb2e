/* urun-cgroup-apply.c: the steps of making a cgroup in the cgroup file
 * systems and writing limits into it, shared by the drivers (the cgroupfs
 * ones make the directories; systemd writes what no unit property
 * expresses).  Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "util/urun-error.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static gboolean
urun_cgroup_write_is_device_rule (const UrunCgroupWrite *w)
{
  return g_strcmp0 (w->controller, "devices") == 0;
}

gboolean
urun_cgroup_errno_unavailable (int errsv)
{
  errsv = ABS (errsv);
  return errsv == EACCES || errsv == EPERM || errsv == EROFS;
}

/* The outcome @r of writing @w into @dir.  Why a failure is an error and
 * not a reason to go on without the cgroup: the user set that limit, and a
 * container without it (or without any cgroup: no limits at all, every
 * device allowed) is more than the config allows. */
gboolean
urun_cgroup_check_write (int r, const char *dir, const UrunCgroupWrite *w, gboolean best_effort,
                         GPtrArray *dropped, GError **error)
{
  if (r == 0)
    return TRUE;
  if (r == -ENOENT && !urun_cgroup_write_is_device_rule (w))
    g_ptr_array_add (dropped, g_strdup_printf ("%s (%s/%s does not exist on this kernel)",
                                               w->limit, dir, w->file));
  else if (best_effort && !urun_cgroup_write_is_device_rule (w))
    g_ptr_array_add (dropped, g_strdup_printf ("%s (writing `%s` to %s/%s failed: %s)", w->limit,
                                               w->value, dir, w->file, urun_strerror (r)));
  else if (urun_cgroup_write_is_device_rule (w))
    return urun_fail_errno (error, r, "linux.resources.devices: cannot write the device rule "
                            "`%s` to %s/%s", w->value, dir, w->file);
  else
    {
      if (r == -EINVAL || r == -ERANGE)
        /* The kernel refused the value: the user's limit to fix. */
        urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                   "linux.resources.%s: the kernel refused `%s` for %s in %s: %s", w->limit,
                   w->value, w->file, dir, urun_strerror (r));
      else
        urun_fail_errno (error, r, "linux.resources.%s: cannot write `%s` to %s/%s", w->limit,
                         w->value, dir, w->file);
      if (error != NULL && *error != NULL)
        {
          char *message = g_strconcat ((*error)->message, "; to run without the limits this "
                                       "host cannot apply, set the annotation "
                                       URUN_CGROUP_BEST_EFFORT_ANNOTATION "=true", NULL);

          g_free ((*error)->message);
          (*error)->message = message;
        }
      return FALSE;
    }
  return TRUE;
}

/* Directories created so far, removed in reverse on failure. */
void
urun_cgroup_remove_dirs (GPtrArray *created)
{
  for (guint i = created->len; i > 0; i--)
    g_rmdir (g_ptr_array_index (created, i - 1));
}

/* mkdir -p of @root/@path; the new directories are appended to @created.
 * With @cpuset, each new directory gets its parent's cpus and mems (v1
 * cpuset starts empty, and an empty cpuset admits no task). */
gboolean
urun_cgroup_make_path (const char *root, const char *path, gboolean cpuset, GPtrArray *created,
                       gboolean *out_unavailable, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  g_autofree char *dir = g_strdup (root);

  for (char **p = parts; *p; p++)
    {
      char *next;

      if (**p == '\0')
        continue;
      next = g_build_filename (dir, *p, NULL);
      g_free (dir);
      dir = next;
      if (mkdir (dir, 0755) == 0)
        {
          g_ptr_array_add (created, g_strdup (dir));
          if (cpuset)
            {
              g_autofree char *parent = g_path_get_dirname (dir);

              for (int k = 0; k < 2; k++)
                {
                  const char *file = k == 0 ? "cpuset.cpus" : "cpuset.mems";
                  g_autofree char *v = urun_cgroup_read_file (parent, file);

                  if (v != NULL && *v != '\0')
                    urun_cgroup_write_file (dir, file, v);
                }
            }
        }
      else if (errno != EEXIST)
        {
          int errsv = errno;

          if (out_unavailable != NULL)
            *out_unavailable = urun_cgroup_errno_unavailable (errsv);
          return urun_fail_errno (error, errsv, "create cgroup %s", dir);
        }
    }
  return TRUE;
}

/* Fails when @dir exists and holds processes: @path (the container's
 * cgroup path) belongs to someone else. */
gboolean
urun_cgroup_check_unused (const char *dir, const char *path, GError **error)
{
  g_autofree char *procs = NULL;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  procs = urun_cgroup_read_file (dir, "cgroup.procs");
  if (procs != NULL && *procs != '\0')
    return urun_fail (error, URUN_ERROR_EXISTS,
                      "cgroup %s already exists and has processes: is another container "
                      "using linux.cgroupsPath `%s`?", dir, path);
  return TRUE;
}

gboolean
urun_cgroup_move_init (const char *dir, const char *pidtext, GError **error)
{
  int r = urun_cgroup_write_file (dir, "cgroup.procs", pidtext);

  if (r < 0)
    return urun_fail_errno (error, r, "move the container's init into cgroup %s", dir);
  return TRUE;
}

static gboolean
has_word (const char *list, const char *word)
{
  g_auto (GStrv) words = NULL;

  if (list == NULL)
    return FALSE;
  words = g_strsplit_set (list, " \n", -1);
  return g_strv_contains ((const char *const *) words, word);
}

static const char *const stat_controllers[] = { "cpu", "memory", "pids", "io" };

gboolean
urun_cgroup_apply_v2 (const char *dir, GPtrArray *writes, gboolean skip_systemd,
                      gboolean best_effort, GPtrArray *dropped, GError **error)
{
  g_autofree char *available = urun_cgroup_read_file (dir, "cgroup.controllers");

  for (guint i = 0; i < writes->len; i++)
    {
      UrunCgroupWrite *w = g_ptr_array_index (writes, i);

      if (skip_systemd && w->systemd)
        continue;
      if (w->controller != NULL && !has_word (available, w->controller))
        {
          g_ptr_array_add (dropped,
                           g_strdup_printf ("%s (the %s controller is not available in %s)",
                                            w->limit, w->controller, dir));
          continue;
        }
      if (!urun_cgroup_check_write (urun_cgroup_write_file (dir, w->file, w->value), dir, w,
                                    best_effort, dropped, error))
        return FALSE;
    }
  return TRUE;
}

void
urun_cgroup_report_unenforced (const char *dir, GPtrArray *writes, GPtrArray *dropped)
{
  g_autofree char *available = urun_cgroup_read_file (dir, "cgroup.controllers");

  for (guint i = 0; i < writes->len; i++)
    {
      UrunCgroupWrite *w = g_ptr_array_index (writes, i);

      if (w->systemd && w->controller != NULL && !has_word (available, w->controller))
        g_ptr_array_add (dropped,
                         g_strdup_printf ("%s (systemd took the property, but the %s "
                                          "controller is not available in %s)",
                                          w->limit, w->controller, dir));
    }
}

void
urun_cgroup_enable_controllers (const char *dir, GPtrArray *writes)
{
  g_autofree char *available = urun_cgroup_read_file (dir, "cgroup.controllers");
  g_autoptr (GPtrArray) wanted = g_ptr_array_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (stat_controllers); i++)
    g_ptr_array_add (wanted, (gpointer) stat_controllers[i]);
  for (guint i = 0; writes != NULL && i < writes->len; i++)
    {
      UrunCgroupWrite *w = g_ptr_array_index (writes, i);

      if (w->controller != NULL)
        g_ptr_array_add (wanted, w->controller);
    }
  for (guint i = 0; i < wanted->len; i++)
    {
      const char *c = g_ptr_array_index (wanted, i);
      g_autofree char *plus = g_strconcat ("+", c, NULL);

      if (has_word (available, c))
        urun_cgroup_write_file (dir, "cgroup.subtree_control", plus);
    }
}

gboolean
urun_cgroup_apply_v1 (const char *path, GPtrArray *writes, gboolean best_effort,
                      GPtrArray *dropped, GError **error)
{
  gboolean memsw_deferred = FALSE;

  for (guint i = 0; i < writes->len; i++)
    {
      UrunCgroupWrite *w = g_ptr_array_index (writes, i);
      g_autofree char *dir = urun_cgroup_v1_dir (w->controller, path);
      gboolean mounted = dir != NULL && g_file_test (dir, G_FILE_TEST_IS_DIR);
      int r;

      if (!mounted && urun_cgroup_write_is_device_rule (w))
        return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                          "linux.resources.devices: no cgroup v1 devices hierarchy is mounted, "
                          "so the device rules cannot be enforced");
      if (!mounted)
        {
          g_ptr_array_add (dropped, g_strdup_printf ("%s (no cgroup v1 %s hierarchy is mounted)",
                                                     w->limit, w->controller));
          continue;
        }
      r = urun_cgroup_write_file (dir, w->file, w->value);
      /* Raising memory+swap above the old memory+swap limit must come
       * before raising the memory limit, lowering after: retry once in
       * the other order. */
      if (r == -EINVAL && strcmp (w->file, "memory.limit_in_bytes") == 0 && !memsw_deferred)
        {
          for (guint j = i + 1; j < writes->len; j++)
            {
              UrunCgroupWrite *s = g_ptr_array_index (writes, j);

              if (strcmp (s->file, "memory.memsw.limit_in_bytes") == 0)
                {
                  urun_cgroup_write_file (dir, s->file, s->value);
                  memsw_deferred = TRUE;
                }
            }
          r = urun_cgroup_write_file (dir, w->file, w->value);
        }
      if (!urun_cgroup_check_write (r, dir, w, best_effort, dropped, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
urun_cgroup_apply_v1_resources (const char *path, const UrunSpecResources *resources,
                                GPtrArray *dropped, GError **error)
{
  g_autoptr (GPtrArray) writes = urun_cgroup_resources_v1 (resources, NULL, 0, dropped, error);

  return writes != NULL && urun_cgroup_apply_v1 (path, writes, FALSE, dropped, error);
}
