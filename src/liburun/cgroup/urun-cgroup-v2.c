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

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The top-most cgroup v2 directory above urun's own cgroup that the caller
 * owns: the subtree systemd (or an admin) delegated to this user. */
static char *
delegated_base (uid_t euid, GError **error)
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

      if (stat (dir, &st) < 0 || st.st_uid != euid || access (procs, W_OK) < 0)
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
                 own, (unsigned) euid);
      return NULL;
    }
  return g_steal_pointer (&base);
}

gboolean
urun_cgroup_v2_enter_below (const UrunCgroupRequest *request, pid_t pid, const char *base,
                            gboolean enable, GPtrArray *writes, UrunCgroupOutcome *outcome,
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
          urun_cgroup_enable_controllers (walk, writes);
          next = g_build_filename (walk, *p, NULL);
          g_free (walk);
          walk = next;
        }
    }
  if (!urun_cgroup_apply_v2 (dir, writes, FALSE, urun_cgroup_request_best_effort (request),
                             outcome->dropped_limits, error))
    goto fail;
  if (pid == 0)
    {
      /* Before the clone: init is to be born in it (CLONE_INTO_CGROUP). */
      request->placement->v2_dirfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (request->placement->v2_dirfd < 0)
        {
          urun_fail_errno (error, errno, "open %s", dir);
          goto fail;
        }
    }
  else
    {
      /* A subtree the user may write but not move processes into (the
       * common ancestor's cgroup.procs is not theirs) is no cgroup
       * either. */
      r = urun_cgroup_write_file (dir, "cgroup.procs", pidtext);
      if (r < 0)
        {
          *out_unavailable = urun_cgroup_errno_unavailable (r);
          urun_fail_errno (error, r, "move the container's init into cgroup %s", dir);
          goto fail;
        }
    }
  outcome->driver = URUN_CGROUP_DRIVER_CGROUPFS;
  outcome->path = g_steal_pointer (&path);
  return TRUE;

fail:
  urun_cgroup_remove_dirs (created);
  return FALSE;
}

static gboolean
v2_enter (const UrunCgroupRequest *request, pid_t pid, UrunCgroupOutcome *outcome,
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
      if (!request->host.rootless)
        return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                          "linux.resources.devices: urun's cgroupfs driver cannot enforce "
                          "device rules on cgroup v2 (that needs a BPF program); use the "
                          "systemd driver (--systemd-cgroup), or --cgroup-manager disabled to "
                          "run without a cgroup and without device rules");
      urun_cgroup_drop_devices (outcome->dropped_limits,
                                "cgroup v2 device rules need BPF, which urun's cgroupfs driver "
                                "does not load; rootless, the container can open only the "
                                "device nodes it was given, with the user's own permissions");
    }
  if (request->host.rootless)
    {
      base = delegated_base (request->host.euid, error);
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

static gboolean
v2_update (const UrunCgroupOutcome *cg, const UrunCgroupHost *host,
           const UrunSpecResources *resources, GPtrArray *dropped, GError **error)
{
  g_autofree char *d2 = urun_cgroup_v2_dir (cg->path);
  g_autoptr (GPtrArray) writes = urun_cgroup_resources_v2 (resources, dropped, error);

  return writes != NULL && urun_cgroup_apply_v2 (d2, writes, FALSE, FALSE, dropped, error);
}

static JsonNode *
v2_stats (const UrunCgroupOutcome *cg, GError **error)
{
  g_autofree char *d2 = urun_cgroup_v2_dir (cg->path);

  return urun_cgroup_read_stats_v2 (d2);
}

const UrunCgroupDriverOps urun_cgroup_v2_driver = {
  .enter = v2_enter,
  .update = v2_update,
  .freeze = urun_cgroup_tree_freeze,
  .is_frozen = urun_cgroup_tree_is_frozen,
  .kill = urun_cgroup_tree_kill,
  .pids = urun_cgroup_tree_pids,
  .stats = v2_stats,
  .oom_kills = urun_cgroup_read_oom_kills,
  .watch_events = urun_cgroup_watch_memory_events,
  .remove = urun_cgroup_tree_remove_cgroupfs,
};
