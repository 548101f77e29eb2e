/* urun-cgroup-tree.c: the operations on a container's existing cgroup
 * directories that the drivers share (systemd's scope and cgroupfs'
 * directories alike): its processes, freeze and thaw, signals, removal.
 * Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "util/urun-error.h"
#include "util/urun-proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long freeze/thaw and the emptying of a cgroup may take. */
#define SETTLE_TIMEOUT_MS 5000

/* How long the removal of a cgroup's directories may retry EBUSY, all
 * directories together: the kernel releases a task that just exited a
 * little after its parent sees it die (a delete 6 ms after the exit found
 * every directory busy).  runc retries for about as long. */
#define REMOVE_TIMEOUT_MS 1500

/* The existing directories of the cgroup: the v2 one first, then one per
 * v1 hierarchy (co-mounted controllers share one), for listing, killing
 * and removal. */
static GPtrArray *
cgroup_dirs (const UrunCgroupOutcome *cg)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  char *d = urun_cgroup_v2_dir (cg->path);

  if (d != NULL && g_file_test (d, G_FILE_TEST_IS_DIR))
    g_ptr_array_add (dirs, d);
  else
    g_free (d);
  for (gsize i = 0; i < urun_cgroup_n_v1_controllers; i++)
    {
      d = urun_cgroup_v1_dir (urun_cgroup_v1_controllers[i], cg->path);
      if (d != NULL && g_file_test (d, G_FILE_TEST_IS_DIR)
          && !g_ptr_array_find_with_equal_func (dirs, d, g_str_equal, NULL))
        g_ptr_array_add (dirs, d);
      else
        g_free (d);
    }
  return dirs;
}

/* The directories right below @dir (not symlinks to one), as paths.  Why
 * from each entry's d_type: a cgroup directory holds dozens of control
 * files, and a stat() of each made some 450 syscalls of every cgroupfs
 * delete on a v1 host.  A file system that gives no d_type gets a
 * stat(). */
static GPtrArray *
subdirectories (const char *dir)
{
  GPtrArray *subs = g_ptr_array_new_with_free_func (g_free);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *d = fd >= 0 ? fdopendir (fd) : NULL;
  struct dirent *entry;

  if (d == NULL)
    {
      if (fd >= 0)
        close (fd);
      return subs;
    }
  while ((entry = readdir (d)) != NULL)
    {
      struct stat st;

      if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
        continue;
      if (entry->d_type == DT_DIR
          || (entry->d_type == DT_UNKNOWN
              && fstatat (dirfd (d), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0
              && S_ISDIR (st.st_mode)))
        g_ptr_array_add (subs, g_build_filename (dir, entry->d_name, NULL));
    }
  closedir (d);
  return subs;
}

static void
collect_pids (const char *dir, GArray *pids)
{
  g_autofree char *procs = urun_cgroup_read_file (dir, "cgroup.procs");
  g_autoptr (GPtrArray) subs = subdirectories (dir);

  if (procs != NULL)
    {
      g_auto (GStrv) lines = g_strsplit (procs, "\n", -1);

      for (char **l = lines; *l; l++)
        if (**l != '\0')
          {
            pid_t p = (pid_t) g_ascii_strtoll (*l, NULL, 10);

            if (p > 0)
              g_array_append_val (pids, p);
          }
    }
  for (guint i = 0; i < subs->len; i++)
    collect_pids (g_ptr_array_index (subs, i), pids);
}

GArray *
urun_cgroup_tree_pids (const UrunCgroupOutcome *cg, GError **error)
{
  g_autoptr (GPtrArray) dirs = NULL;
  GArray *pids;

  /* Every hierarchy: on a v1 host a process may sit in some of the
   * container's cgroups and not in the others. */
  dirs = cgroup_dirs (cg);
  pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  for (guint i = 0; i < dirs->len; i++)
    collect_pids (g_ptr_array_index (dirs, i), pids);
  urun_proc_sort_pids (pids);
  for (guint i = pids->len; i > 1; i--)
    if (g_array_index (pids, pid_t, i - 1) == g_array_index (pids, pid_t, i - 2))
      g_array_remove_index (pids, i - 1);
  return pids;
}

static gboolean
v1_frozen (const UrunCgroupOutcome *cg)
{
  g_autofree char *dir = urun_cgroup_v1_dir ("freezer", cg->path);
  g_autofree char *state = dir ? urun_cgroup_read_file (dir, "freezer.state") : NULL;

  return state != NULL && strcmp (state, "THAWED") != 0;
}

gboolean
urun_cgroup_tree_is_frozen (const UrunCgroupOutcome *cg)
{
  g_autofree char *d2 = NULL;
  g_autofree char *freeze = NULL;

  if (cg->path == NULL)
    return FALSE;
  d2 = urun_cgroup_v2_dir (cg->path);
  freeze = d2 ? urun_cgroup_read_file (d2, "cgroup.freeze") : NULL;
  if (freeze != NULL)
    return strcmp (freeze, "1") == 0;
  return v1_frozen (cg);
}

gboolean
urun_cgroup_tree_freeze (const UrunCgroupOutcome *cg, gboolean freeze, GError **error)
{
  g_autofree char *d2 = NULL;
  g_autofree char *d1 = NULL;
  gint64 deadline = g_get_monotonic_time () + SETTLE_TIMEOUT_MS * 1000;
  int r;

  d2 = urun_cgroup_v2_dir (cg->path);
  if (d2 != NULL && g_file_test (d2, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *f = g_build_filename (d2, "cgroup.freeze", NULL);

      if (g_file_test (f, G_FILE_TEST_EXISTS))
        {
          r = urun_cgroup_write_file (d2, "cgroup.freeze", freeze ? "1" : "0");
          if (r < 0)
            return urun_fail_errno (error, r, "write %s", f);
          /* The kernel reports the settled state in cgroup.events. */
          for (;;)
            {
              guint64 frozen = 0;

              if (!urun_cgroup_read_keyed (d2, "cgroup.events", "frozen", &frozen)
                  || (frozen != 0) == (freeze != 0))
                return TRUE;
              if (g_get_monotonic_time () > deadline)
                return urun_fail (error, URUN_ERROR_FAILED,
                                  "the cgroup %s did not %s within %d s", d2,
                                  freeze ? "freeze" : "thaw", SETTLE_TIMEOUT_MS / 1000);
              g_usleep (5000);
            }
        }
    }
  d1 = urun_cgroup_v1_dir ("freezer", cg->path);
  if (d1 == NULL || !g_file_test (d1, G_FILE_TEST_IS_DIR))
    return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                      "cannot %s: neither cgroup.freeze (cgroup v2) nor a freezer cgroup (v1) "
                      "exists for %s", freeze ? "pause" : "resume", cg->path);
  r = urun_cgroup_write_file (d1, "freezer.state", freeze ? "FROZEN" : "THAWED");
  if (r < 0)
    return urun_fail_errno (error, r, "write %s/freezer.state", d1);
  for (;;)
    {
      g_autofree char *state = urun_cgroup_read_file (d1, "freezer.state");

      if (state == NULL || strcmp (state, freeze ? "FROZEN" : "THAWED") == 0)
        return TRUE;
      if (g_get_monotonic_time () > deadline)
        return urun_fail (error, URUN_ERROR_FAILED, "the freezer cgroup %s is still %s", d1,
                          state);
      urun_cgroup_write_file (d1, "freezer.state", freeze ? "FROZEN" : "THAWED");
      g_usleep (5000);
    }
}

gboolean
urun_cgroup_tree_kill (const UrunCgroupOutcome *cg, int signum, GError **error)
{
  g_autofree char *d2 = NULL;
  g_autoptr (GArray) pids = NULL;

  d2 = urun_cgroup_v2_dir (cg->path);
  /* cgroup.kill (Linux 5.14) kills the whole subtree at once, forks in
   * flight included; other signals go pid by pid.  On a hybrid host it
   * reaches only the v2 directory: what sits in the container's v1
   * cgroups alone is signalled pid by pid below. */
  if (signum == SIGKILL && d2 != NULL && urun_cgroup_write_file (d2, "cgroup.kill", "1") == 0
      && urun_cgroup_mode () == URUN_CGROUP_MODE_UNIFIED)
    return TRUE;
  pids = urun_cgroup_tree_pids (cg, error);
  for (guint i = 0; i < pids->len; i++)
    kill (g_array_index (pids, pid_t, i), signum);
  /* A v1-frozen task does not die until it is thawed. */
  if (signum == SIGKILL && v1_frozen (cg))
    {
      g_autofree char *d1 = urun_cgroup_v1_dir ("freezer", cg->path);

      urun_cgroup_write_file (d1, "freezer.state", "THAWED");
    }
  return TRUE;
}

/* rmdir of @dir and what is below it, depth first, retrying EBUSY until
 * @deadline; 0 or -errno, with the directory that failed in
 * @out_failed. */
static int
remove_tree (const char *dir, gint64 deadline, char **out_failed)
{
  g_autoptr (GPtrArray) subs = subdirectories (dir);
  gulong delay_us = 5000;

  for (guint i = 0; i < subs->len; i++)
    {
      int r = remove_tree (g_ptr_array_index (subs, i), deadline, out_failed);

      if (r < 0)
        return r;
    }
  for (;;)
    {
      int errsv;

      if (rmdir (dir) == 0 || errno == ENOENT)
        return 0;
      errsv = errno;
      if (errsv != EBUSY || g_get_monotonic_time () >= deadline)
        {
          *out_failed = g_strdup (dir);
          return -errsv;
        }
      g_usleep (delay_us);
      delay_us = MIN (delay_us * 2, 100000);
    }
}

/* Kills what is left and waits until the cgroup is empty. */
static void
empty_cgroup (const UrunCgroupOutcome *cg)
{
  gint64 deadline = g_get_monotonic_time () + SETTLE_TIMEOUT_MS * 1000;

  for (;;)
    {
      g_autoptr (GArray) pids = urun_cgroup_tree_pids (cg, NULL);

      if (pids == NULL || pids->len == 0 || g_get_monotonic_time () > deadline)
        return;
      urun_cgroup_tree_kill (cg, SIGKILL, NULL);
      g_usleep (10000);
    }
}

gboolean
urun_cgroup_tree_remove (const UrunCgroupOutcome *cg, gboolean every_hierarchy,
                         gboolean kill_left, GError **error)
{
  g_autoptr (GPtrArray) dirs = NULL;
  gint64 deadline;

  if (cg->path == NULL)
    return TRUE;
  if (kill_left)
    empty_cgroup (cg);
  if (every_hierarchy)
    dirs = cgroup_dirs (cg);
  else
    {
      char *d2 = urun_cgroup_v2_dir (cg->path);

      dirs = g_ptr_array_new_with_free_func (g_free);
      if (d2 != NULL && g_file_test (d2, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (dirs, d2);
      else
        g_free (d2);
    }
  /* Why one deadline for every directory: nine v1 hierarchies each
   * retrying for the whole time would make a failing delete wait nine
   * times as long. */
  deadline = g_get_monotonic_time () + REMOVE_TIMEOUT_MS * 1000;
  for (guint i = 0; i < dirs->len; i++)
    {
      const char *dir = g_ptr_array_index (dirs, i);
      g_autofree char *failed = NULL;
      int r;

      /* Thaw first: a frozen v1 cgroup keeps its dead tasks. */
      urun_cgroup_write_file (dir, "freezer.state", "THAWED");
      r = remove_tree (dir, deadline, &failed);
      if (r == -EBUSY)
        return urun_fail_errno (error, r, "cannot remove the cgroup %s (processes are still "
                                "in it%s)", failed,
                                kill_left ? "" : "; `delete --force` kills them");
      if (r < 0)
        return urun_fail_errno (error, r, "cannot remove the cgroup %s", failed);
    }
  return TRUE;
}

gboolean
urun_cgroup_tree_remove_cgroupfs (const UrunCgroupOutcome *cg, const UrunCgroupHost *host,
                                  gboolean kill_left, GError **error)
{
  return urun_cgroup_tree_remove (cg, TRUE, kill_left, error);
}
