/* urun-cgroup-v2.c: the cgroupfs driver on a unified (cgroup v2) host:
 * the container's directory below / (root) or below the subtree delegated
 * to the user (rootless), its controllers enabled level by level, its
 * limits written; and the v2 writes the systemd driver and `update` share.
 * Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "util/urun-test-hook.h"
#include "util/urun-error.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Enables in @dir's subtree_control the controllers we want that @dir
 * has; best effort: what cannot be enabled shows as "not available" in the
 * child. */
static void
enable_controllers (const char *dir, GPtrArray *writes)
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

/* The top-most cgroup v2 directory above urun's own cgroup that the caller
 * owns: the subtree systemd (or an admin) delegated to this user. */
static char *
delegated_base (GError **error)
{
  const char *root = urun_cgroup_v2_root ();
  g_autofree char *own = NULL;
  g_autofree char *base = NULL;
  g_autofree char *walk = NULL;

  if (root == NULL)
    {
      urun_fail (error, URUN_ERROR_NOT_SUPPORTED, "no cgroup v2 hierarchy is mounted");
      return NULL;
    }
  own = urun_cgroup_path_of_pid (getpid (), error);
  if (own == NULL)
    return NULL;
  walk = g_strdup (own);
  for (;;)
    {
      g_autofree char *dir = g_build_filename (root, walk, NULL);
      g_autofree char *procs = g_build_filename (dir, "cgroup.procs", NULL);
      struct stat st;

      if (stat (dir, &st) < 0 || st.st_uid != geteuid () || access (procs, W_OK) < 0)
        break;
      g_free (base);
      base = g_strdup (walk);
      if (strcmp (walk, "/") == 0)
        break;
      {
        char *up = g_path_get_dirname (walk);

        g_free (walk);
        walk = up;
      }
    }
  if (base == NULL)
    {
      urun_fail (error, URUN_ERROR_PERMISSION_DENIED,
                 "urun's cgroup %s%s is not delegated to uid %u (it is not owned by it)", root,
                 own, (unsigned) geteuid ());
      return NULL;
    }
  return g_steal_pointer (&base);
}

gboolean
urun_cgroup_v2_enter_below (const UrunCgroupRequest *request, pid_t pid, const char *base,
                            gboolean enable, GPtrArray *writes, UrunStateCgroup *outcome,
                            gboolean *out_unavailable, GError **error)
{
  const char *root = urun_cgroup_v2_root ();
  g_autoptr (GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pidtext = g_strdup_printf ("%d", (int) pid);
  int r;

  if (!urun_cgroup_fs_path (request, base, &path, error)
      || !urun_cgroup_request_announce (request, URUN_CGROUP_DRIVER_CGROUPFS, NULL, path, error))
    return FALSE;
  dir = g_build_filename (root, path, NULL);
  if (!urun_cgroup_check_unused (dir, path, error))
    return FALSE;
  if (!urun_cgroup_make_path (root, path, FALSE, created, out_unavailable, error))
    goto fail;
  urun_test_stop_at ("cgroup-made");
  /* Controllers: each level from the base down to the parent. */
  if (enable)
    {
      g_autofree char *walk = g_build_filename (root, base, NULL);
      g_autofree char *rel = g_strdup (path + strlen (base));
      g_auto (GStrv) parts = g_strsplit (rel, "/", -1);

      for (char **p = parts; *p; p++)
        {
          char *next;

          if (**p == '\0')
            continue;
          enable_controllers (walk, writes);
          next = g_build_filename (walk, *p, NULL);
          g_free (walk);
          walk = next;
        }
    }
  if (!urun_cgroup_apply_v2 (dir, writes, FALSE, urun_cgroup_request_best_effort (request),
                             outcome->dropped_limits, error))
    goto fail;
  /* A subtree the user may write but not move processes into (the
   * common ancestor's cgroup.procs is not theirs) is no cgroup either. */
  r = urun_cgroup_write_file (dir, "cgroup.procs", pidtext);
  if (r < 0)
    {
      *out_unavailable = urun_cgroup_errno_unavailable (r);
      urun_fail_errno (error, r, "move the container's init into cgroup %s", dir);
      goto fail;
    }
  outcome->driver = URUN_CGROUP_DRIVER_CGROUPFS;
  outcome->path = g_steal_pointer (&path);
  return TRUE;

fail:
  urun_cgroup_remove_dirs (created);
  return FALSE;
}

gboolean
urun_cgroup_fs_enter_v2 (const UrunCgroupRequest *request, pid_t pid, UrunStateCgroup *outcome,
                         gboolean *out_unavailable, GError **error)
{
  const UrunSpecResources *res = urun_cgroup_request_resources (request);
  g_autoptr (GPtrArray) writes = NULL;
  g_autofree char *base = NULL;

  writes = urun_cgroup_resources_v2 (res, outcome->dropped_limits, error);
  if (writes == NULL)
    return FALSE;
  /* Devices on v2 need a BPF program, which only the systemd driver has.
   * Root in the container could mknod and open any device without it:
   * refused before anything is made.  Rootless, the kernel refuses mknod
   * in a user namespace, and the device nodes bound in open with the
   * user's own permissions: the rules are dropped, and said so. */
  if (res != NULL && res->n_devices > 0)
    {
      if (!request->rootless)
        return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                          "linux.resources.devices: urun's cgroupfs driver cannot enforce "
                          "device rules on cgroup v2 (that needs a BPF program); use the "
                          "systemd driver (--systemd-cgroup), or --cgroup-manager disabled to "
                          "run without a cgroup and without device rules");
      g_ptr_array_add (outcome->dropped_limits,
                       g_strdup ("devices (not enforced: cgroup v2 device rules need BPF, "
                                 "which urun's cgroupfs driver does not load; rootless, the "
                                 "container can open only the device nodes it was given, with "
                                 "the user's own permissions)"));
    }
  if (request->rootless)
    {
      base = delegated_base (error);
      if (base == NULL)
        {
          *out_unavailable = TRUE;
          return FALSE;
        }
    }
  else
    base = g_strdup ("/");
  return urun_cgroup_v2_enter_below (request, pid, base, TRUE, writes, outcome, out_unavailable,
                                     error);
}
