/* urun-cgroup-v1.c: the cgroupfs driver on a legacy (cgroup v1) or
 * hybrid host, as root: a directory in each mounted v1 hierarchy (and in
 * the cgroup2 one of a hybrid host), the limits written per hierarchy.
 * Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "util/urun-test-hook.h"
#include "util/urun-error.h"
#include "util/urun-file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Where @pid is in each v1 hierarchy, from /proc/PID/cgroup: mount point
 * of the hierarchy -> the directory holding @pid.  So that a failed create
 * puts it back where it was (the caller's cgroups), never higher. */
static GHashTable *
cgroups_of_pid (const char *pidtext)
{
  GHashTable *where = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *file = g_strdup_printf ("/proc/%s/cgroup", pidtext);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if ((text = urun_file_read (file, NULL, NULL)) == NULL)
    return where;
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      g_auto (GStrv) f = g_strsplit (*l, ":", 3);
      g_auto (GStrv) controllers = NULL;

      if (g_strv_length (f) != 3 || *f[1] == '\0')
        continue;
      controllers = g_strsplit (f[1], ",", -1);
      for (char **c = controllers; *c; c++)
        {
          g_autofree char *mount = urun_cgroup_v1_mount (*c);

          if (mount != NULL && !g_hash_table_contains (where, mount))
            g_hash_table_insert (where, g_strdup (mount), g_build_filename (mount, f[2], NULL));
        }
    }
  return where;
}

/* Opens, for a cgroup @path made before the clone, each v1 hierarchy's
 * `tasks` file once (co-mounted controllers share one) and the v2
 * directory of a hybrid host, into @placement. */
static gboolean
open_placement (const char *path, const char *v2root, UrunCgroupPlacement *placement,
                GError **error)
{
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < urun_cgroup_n_v1_controllers; i++)
    {
      g_autofree char *dir = urun_cgroup_v1_dir (urun_cgroup_v1_controllers[i], path);
      g_autofree char *tasks = NULL;
      int fd;

      if (dir == NULL || g_ptr_array_find_with_equal_func (seen, dir, g_str_equal, NULL))
        continue;
      if (placement->n_v1_tasks_fds == URUN_CGROUP_MAX_V1_TASKS)
        return urun_fail (error, URUN_ERROR_FAILED, "more than %d cgroup v1 hierarchies",
                          URUN_CGROUP_MAX_V1_TASKS);
      tasks = g_build_filename (dir, "tasks", NULL);
      fd = open (tasks, O_WRONLY | O_CLOEXEC);
      if (fd < 0)
        return urun_fail_errno (error, errno, "open %s", tasks);
      placement->v1_tasks_fds[placement->n_v1_tasks_fds] = fd;
      placement->v1_tasks_paths[placement->n_v1_tasks_fds++] = g_steal_pointer (&tasks);
      g_ptr_array_add (seen, g_steal_pointer (&dir));
    }
  if (v2root != NULL)
    {
      g_autofree char *d2 = g_build_filename (v2root, path, NULL);

      placement->v2_dirfd = open (d2, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (placement->v2_dirfd < 0)
        return urun_fail_errno (error, errno, "open %s", d2);
    }
  return TRUE;
}

static gboolean
v1_enter (const UrunCgroupRequest *request, pid_t pid, UrunCgroupOutcome *outcome,
          gboolean *out_unavailable, GError **error)
{
  const UrunSpecResources *res = urun_cgroup_request_resources (request);
  const UrunSpecLinux *lx = request->spec ? request->spec->linux_ : NULL;
  gboolean best_effort = urun_cgroup_request_best_effort (request);
  g_autoptr (GPtrArray) writes = NULL;
  g_autoptr (GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) origin = NULL;
  g_autofree char *path = NULL;
  g_autofree char *pidtext = g_strdup_printf ("%d", (int) pid);
  const char *v2root = urun_cgroup_v2_root ();
  gboolean any = FALSE;

  /* Why root only: the v1 hierarchies belong to root, and nothing
   * delegates a v1 subtree to a user. */
  if (request->host.rootless)
    {
      *out_unavailable = TRUE;
      return urun_fail (error, URUN_ERROR_PERMISSION_DENIED,
                        "the cgroup v1 hierarchies of this host are owned by root and none is "
                        "delegated to uid %u", (unsigned) request->host.euid);
    }
  writes = urun_cgroup_resources_v1 (res, lx ? lx->devices : NULL, lx ? lx->n_devices : 0,
                                     outcome->dropped_limits, error);
  if (writes == NULL)
    return FALSE;
  if (!urun_cgroup_fs_path (request, "/", &path, error)
      || !urun_cgroup_request_announce (request, URUN_CGROUP_DRIVER_CGROUPFS, NULL, path, error))
    return FALSE;
  /* Before the clone (pid 0) there is nobody to move back on failure. */
  origin = pid > 0 ? cgroups_of_pid (pidtext)
                   : g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

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
                                     created, out_unavailable, error))
        goto fail;
      any = TRUE;
    }
  if (!any)
    {
      *out_unavailable = TRUE;
      return urun_fail (error, URUN_ERROR_NOT_SUPPORTED, "no cgroup v1 controller is mounted");
    }
  urun_test_stop_at ("cgroup-made");
  /* On hybrid hosts the cgroup2 hierarchy has no controllers worth the
   * name, but it has cgroup.kill, cgroup.freeze and cgroup.events: the
   * container gets a directory there too, for those. */
  if (v2root != NULL
      && !urun_cgroup_make_path (v2root, path, FALSE, created, out_unavailable, error))
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
          if (!urun_cgroup_apply_v2 (d2, huge, FALSE, best_effort, outcome->dropped_limits,
                                     error))
            goto fail;
        }
    }
  if (!urun_cgroup_apply_v1 (path, writes, best_effort, outcome->dropped_limits, error))
    goto fail;
  if (pid == 0)
    {
      /* Before the clone: what init needs to be born in the v2 directory
       * and to move itself into the v1 ones. */
      if (!open_placement (path, v2root, request->placement, error))
        goto fail;
    }
  else
    {
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
    }
  outcome->driver = URUN_CGROUP_DRIVER_CGROUPFS;
  outcome->path = g_steal_pointer (&path);
  return TRUE;

fail:
  /* Init must leave the directories before they can go: back into the
   * cgroups it came from, which are the caller's (it is still waiting for
   * GO).  Never the root of a hierarchy: that would take it out of the
   * limits the caller itself is under. */
  {
    GHashTableIter iter;
    gpointer dir;

    g_hash_table_iter_init (&iter, origin);
    while (g_hash_table_iter_next (&iter, NULL, &dir))
      urun_cgroup_write_file (dir, "cgroup.procs", pidtext);
  }
  if (pid == 0)
    urun_cgroup_placement_clear (request->placement);
  urun_cgroup_remove_dirs (created);
  return FALSE;
}

static gboolean
v1_update (const UrunCgroupOutcome *cg, const UrunCgroupHost *host,
           const UrunSpecResources *resources, GPtrArray *dropped, GError **error)
{
  return urun_cgroup_apply_v1_resources (cg->path, resources, dropped, error);
}

static JsonNode *
v1_stats (const UrunCgroupOutcome *cg, GError **error)
{
  return urun_cgroup_read_stats_v1 (cg->path);
}

const UrunCgroupDriverOps urun_cgroup_v1_driver = {
  .enter = v1_enter,
  .update = v1_update,
  .freeze = urun_cgroup_tree_freeze,
  .is_frozen = urun_cgroup_tree_is_frozen,
  .kill = urun_cgroup_tree_kill,
  .pids = urun_cgroup_tree_pids,
  .stats = v1_stats,
  .oom_kills = urun_cgroup_read_oom_kills,
  .watch_events = urun_cgroup_watch_memory_events,
  .remove = urun_cgroup_tree_remove_cgroupfs,
};
