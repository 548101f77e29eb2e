/* urun-cgroup-v1.c: the cgroupfs driver on a legacy (cgroup v1) or
 * hybrid host, as root: a directory in each mounted v1 hierarchy (and in
 * the cgroup2 one of a hybrid host), the limits written per hierarchy.
 * Zone: host side (GLib).
 */
#include "config.h"

#include "urun-cgroup-private.h"
#include "urun-error.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

gboolean
urun_cgroup_apply_v1 (const char *path, GPtrArray *writes, GPtrArray *dropped, GError **error)
{
  gboolean memsw_deferred = FALSE;

  for (guint i = 0; i < writes->len; i++)
    {
      UrunCgroupWrite *w = g_ptr_array_index (writes, i);
      g_autofree char *dir = urun_cgroup_v1_dir (w->controller, path);
      int r;

      if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
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
      if (!urun_cgroup_check_write (r, dir, w, dropped, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
urun_cgroup_fs_enter_v1 (const UrunCgroupRequest *request, pid_t pid, UrunStateCgroup *outcome,
                         GError **error)
{
  const UrunSpecResources *res = urun_cgroup_request_resources (request);
  const UrunSpecLinux *lx = request->spec ? request->spec->linux_ : NULL;
  g_autoptr (GPtrArray) writes = NULL;
  g_autoptr (GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = NULL;
  g_autofree char *pidtext = g_strdup_printf ("%d", (int) pid);
  const char *v2root = urun_cgroup_v2_root ();
  gboolean any = FALSE;

  /* Why root only: the v1 hierarchies belong to root, and nothing
   * delegates a v1 subtree to a user. */
  if (request->rootless)
    return urun_fail (error, URUN_ERROR_PERMISSION_DENIED,
                      "the cgroup v1 hierarchies of this host are owned by root and none is "
                      "delegated to uid %u", (unsigned) geteuid ());
  writes = urun_cgroup_resources_v1 (res, lx ? lx->devices : NULL, lx ? lx->n_devices : 0,
                                     outcome->dropped_limits, error);
  if (writes == NULL)
    return FALSE;
  if (!urun_cgroup_fs_path (request, "/", &path, error))
    return FALSE;

  for (gsize i = 0; i < urun_cgroup_n_v1_controllers; i++)
    {
      g_autofree char *mount = urun_cgroup_v1_mount (urun_cgroup_v1_controllers[i]);
      g_autofree char *dir = NULL;

      if (mount == NULL)
        continue;
      dir = g_build_filename (mount, path, NULL);
      if (g_ptr_array_find_with_equal_func (created, dir, g_str_equal, NULL))
        continue; /* co-mounted controllers (cpu,cpuacct) share a directory */
      if (!urun_cgroup_check_unused (dir, path, error)
          || !urun_cgroup_make_path (mount, path,
                                     strcmp (urun_cgroup_v1_controllers[i], "cpuset") == 0,
                                     created, error))
        goto fail;
      any = TRUE;
    }
  if (!any)
    return urun_fail (error, URUN_ERROR_NOT_SUPPORTED, "no cgroup v1 controller is mounted");
  /* On hybrid hosts the cgroup2 hierarchy has no controllers worth the
   * name, but it has cgroup.kill, cgroup.freeze and cgroup.events: the
   * container gets a directory there too, for those. */
  if (v2root != NULL && !urun_cgroup_make_path (v2root, path, FALSE, created, error))
    goto fail;
  if (res != NULL && res->n_hugepage_limits > 0 && v2root != NULL)
    {
      /* hugetlb may live on the v2 side of a hybrid host. */
      g_autoptr (GPtrArray) w2 = urun_cgroup_resources_v2 (res, NULL, NULL);
      g_autoptr (GPtrArray) huge = g_ptr_array_new ();
      g_autofree char *v1huge = urun_cgroup_v1_mount ("hugetlb");

      if (v1huge == NULL && w2 != NULL)
        {
          g_autofree char *d2 = g_build_filename (v2root, path, NULL);
          g_autofree char *parent = g_path_get_dirname (d2);

          for (guint i = 0; i < w2->len; i++)
            if (g_strcmp0 (((UrunCgroupWrite *) g_ptr_array_index (w2, i))->controller,
                           "hugetlb") == 0)
              g_ptr_array_add (huge, g_ptr_array_index (w2, i));
          for (guint i = writes->len; i > 0; i--)
            if (g_strcmp0 (((UrunCgroupWrite *) g_ptr_array_index (writes, i - 1))->controller,
                           "hugetlb") == 0)
              g_ptr_array_remove_index (writes, i - 1);
          urun_cgroup_write_file (parent, "cgroup.subtree_control", "+hugetlb");
          if (!urun_cgroup_apply_v2 (d2, huge, FALSE, outcome->dropped_limits, error))
            goto fail;
        }
    }
  if (!urun_cgroup_apply_v1 (path, writes, outcome->dropped_limits, error))
    goto fail;
  /* Move init: every v1 hierarchy, then v2. */
  for (gsize i = 0; i < urun_cgroup_n_v1_controllers; i++)
    {
      g_autofree char *dir = urun_cgroup_v1_dir (urun_cgroup_v1_controllers[i], path);

      if (dir != NULL && !urun_cgroup_move_init (dir, pidtext, error))
        goto fail;
    }
  if (v2root != NULL)
    {
      g_autofree char *d2 = g_build_filename (v2root, path, NULL);

      if (!urun_cgroup_move_init (d2, pidtext, error))
        goto fail;
    }
  outcome->driver = URUN_CGROUP_DRIVER_CGROUPFS;
  outcome->path = g_steal_pointer (&path);
  return TRUE;

fail:
  /* Init must leave the directories before they can go: back to the root
   * of each hierarchy it was moved into (it is still waiting for GO). */
  for (gsize i = 0; i < urun_cgroup_n_v1_controllers; i++)
    {
      g_autofree char *mount = urun_cgroup_v1_mount (urun_cgroup_v1_controllers[i]);

      if (mount != NULL)
        urun_cgroup_write_file (mount, "cgroup.procs", pidtext);
    }
  urun_cgroup_remove_dirs (created);
  return FALSE;
}
