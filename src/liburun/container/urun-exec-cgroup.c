/* urun-exec-cgroup.c: an exec's process joins the container's cgroup (see
 * urun_exec_join_cgroup() in urun-exec.h).  Zone: host side (GLib).
 *
 * Built on the cgroup module's private helpers (urun-cgroup-private.h) and
 * the outcome recorded in state.json at create time; it only ever moves a
 * process, never creates or configures a cgroup.
 */
#include "config.h"

#include "container/urun-container-cgroup.h"
#include "container/urun-exec.h"
#include "cgroup/urun-cgroup-private.h"
#include "util/urun-error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

static gboolean
check_subpath (const char *subpath, GError **error)
{
  g_auto (GStrv) parts = NULL;

  if (subpath[0] == '\0')
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT, "--cgroup: the path is empty");
  parts = g_strsplit (subpath, "/", -1);
  for (char **p = parts; *p != NULL; p++)
    if (strcmp (*p, "..") == 0 || strcmp (*p, ".") == 0)
      return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                        "--cgroup: `%s` must name a cgroup below the container's, without "
                        "`.` or `..`", subpath);
  return TRUE;
}

static gboolean
refused (int r)
{
  return r == -EACCES || r == -EPERM || r == -EROFS;
}

static gboolean
attach_with_systemd (const UrunCgroupOutcome *cg, const UrunCgroupHost *host, pid_t pid,
                     const char *subpath, int r, const char *dir, GError **error)
{
  g_autofree char *subcgroup = subpath ? g_strconcat ("/", subpath, NULL) : NULL;
  g_autoptr (GError) attach_error = NULL;

  if (cg->driver != URUN_CGROUP_DRIVER_SYSTEMD || cg->unit == NULL || !refused (r))
    return urun_fail_errno (error, r, "join the container's cgroup %s", dir);
  /* Writing cgroup.procs needs write access to the common ancestor of both
   * cgroups, which for a rootless caller in a login session is a slice of
   * root's; the manager that owns the scope can move the process (the
   * user's manager asks the system manager when it must). */
  if (!urun_systemd_attach (cg->unit, host, pid, subcgroup, &attach_error))
    return urun_fail (error, URUN_ERROR_PERMISSION_DENIED,
                      "join the container's cgroup %s: %s; and through systemd "
                      "(AttachProcessesToUnit of %s): %s", dir, urun_strerror (-r), cg->unit,
                      attach_error->message);
  return TRUE;
}

/* --cgroup, as runc takes it: one PATH (every hierarchy, or the unified
 * one), or one or more CONTROLLER[,CONTROLLER...]:PATH (cgroup v1).
 * Returns controller -> path, "" for "every controller"; NULL for no
 * --cgroup at all. */
static GHashTable *
parse_subpaths (const char *const *args, GError **error)
{
  g_autoptr (GHashTable) table = NULL;
  guint n = args != NULL ? g_strv_length ((char **) args) : 0;

  if (n == 0)
    return NULL;
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < n; i++)
    {
      g_auto (GStrv) parts = g_strsplit (args[i], ":", 3);
      g_auto (GStrv) controllers = NULL;
      const char *path;

      if (g_strv_length (parts) > 2)
        return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                          "--cgroup `%s`: expected PATH or CONTROLLER[,CONTROLLER...]:PATH",
                          args[i]), NULL;
      if (parts[1] == NULL)
        {
          if (n > 1)
            return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                              "--cgroup `%s`: with more than one --cgroup, each names its "
                              "controllers (CONTROLLER[,CONTROLLER...]:PATH)", args[i]), NULL;
          controllers = g_new0 (char *, 2);
          controllers[0] = g_strdup ("");
          path = parts[0];
        }
      else
        {
          controllers = g_strsplit (parts[0], ",", -1);
          path = parts[1];
        }
      while (*path == '/')
        path++;
      if (!check_subpath (path, error))
        return NULL;
      for (char **c = controllers; *c != NULL; c++)
        {
          if (parts[1] != NULL && **c == '\0')
            return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                              "--cgroup `%s`: empty controller name", args[i]), NULL;
          if (g_hash_table_contains (table, *c))
            return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                              "--cgroup `%s`: controller %s is given twice", args[i], *c),
                   NULL;
          g_hash_table_insert (table, g_strdup (*c), g_strdup (path));
        }
    }
  return g_steal_pointer (&table);
}

/* The hierarchy that holds @controller, by its real path: co-mounted
 * controllers (cpu and cpuacct) are reached through symlinks named after
 * each of them. */
static char *
v1_hierarchy (const char *controller)
{
  g_autofree char *mount = urun_cgroup_v1_mount (controller);
  char *real;

  if (mount == NULL)
    return NULL;
  real = realpath (mount, NULL);
  return real != NULL ? real : g_steal_pointer (&mount);
}

static gboolean
known_v1_controller (const char *name)
{
  for (gsize i = 0; i < urun_cgroup_n_v1_controllers; i++)
    if (strcmp (urun_cgroup_v1_controllers[i], name) == 0)
      return TRUE;
  return FALSE;
}

/* v1: the sub-path of @subpaths for the hierarchy mounted at @mount, which
 * may hold several controllers (cpu,cpuacct); NULL for the container's own
 * cgroup.  Fails when its controllers were given different paths. */
static gboolean
v1_subpath (GHashTable *subpaths, const char *mount, const char **out_path, GError **error)
{
  const char *found = NULL;
  const char *found_for = NULL;

  *out_path = NULL;
  if (subpaths == NULL)
    return TRUE;
  for (gsize i = 0; i < urun_cgroup_n_v1_controllers; i++)
    {
      const char *name = urun_cgroup_v1_controllers[i];
      g_autofree char *m = NULL;
      const char *path = g_hash_table_lookup (subpaths, name);

      if (path == NULL)
        continue;
      m = v1_hierarchy (name);
      if (g_strcmp0 (m, mount) != 0)
        continue;
      if (found != NULL && strcmp (found, path) != 0)
        return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                          "--cgroup: %s and %s share one hierarchy (%s) but were given "
                          "different paths", found_for, name, mount);
      found = path;
      found_for = name;
    }
  *out_path = found != NULL ? found : g_hash_table_lookup (subpaths, "");
  return TRUE;
}

/* @base's directory of the container's cgroup, with @subpath below it
 * (which must exist); NULL with @error. */
static char *
join_target (const UrunCgroupOutcome *cg, const char *base, const char *subpath, GError **error)
{
  char *dir = g_build_filename (base, cg->path, subpath, NULL);

  if (subpath != NULL && !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      urun_fail (error, URUN_ERROR_NOT_FOUND,
                 "--cgroup: %s does not exist in the container's cgroup (%s)", subpath, dir);
      g_free (dir);
      return NULL;
    }
  return dir;
}

/* What a join does in each directory. */
typedef struct
{
  const UrunCgroupOutcome *cg;
  const UrunCgroupHost *host;
  pid_t pid;
  const char *pidtext;
  gboolean moved_itself;          /* v1: the process wrote "0" into each `tasks` */
  UrunCgroupPlacement *placement; /* before the clone: the `tasks` to open */
} Join;

static gboolean
join_dir (Join *join, const char *dir, const char *subpath, GError **error)
{
  int r = urun_cgroup_write_file (dir, "cgroup.procs", join->pidtext);

  if (r < 0)
    return attach_with_systemd (join->cg, join->host, join->pid, subpath, r, dir, error);
  return TRUE;
}

/* v1 (and hybrid): every hierarchy in which the container has a
 * directory, each once (cpu and cpuacct may share one): the directory, or
 * the --cgroup sub-path below it, joined by pid (@join->pid), or (with
 * @join->placement) its `tasks` file opened for the process to write "0"
 * into, or nothing when it did (@join->moved_itself). */
static gboolean
for_each_v1_dir (const UrunCgroupOutcome *cg, GHashTable *subpaths, Join *join, GError **error)
{
  g_autoptr (GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  if (subpaths != NULL)
    {
      g_hash_table_iter_init (&iter, subpaths);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (*(const char *) key != '\0' && !known_v1_controller (key))
          return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                            "--cgroup: unknown cgroup v1 controller `%s`", (const char *) key);
    }
  for (gsize i = 0; i < urun_cgroup_n_v1_controllers; i++)
    {
      g_autofree char *mount = v1_hierarchy (urun_cgroup_v1_controllers[i]);
      g_autofree char *dir = NULL;
      g_autofree char *target = NULL;
      const char *subpath;

      if (mount == NULL || g_hash_table_contains (done, mount))
        continue;
      dir = g_build_filename (mount, cg->path, NULL);
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          if (subpaths != NULL && g_hash_table_contains (subpaths, urun_cgroup_v1_controllers[i]))
            return urun_fail (error, URUN_ERROR_NOT_FOUND,
                              "--cgroup: the container has no cgroup in the %s hierarchy",
                              urun_cgroup_v1_controllers[i]);
          continue;
        }
      if (!v1_subpath (subpaths, mount, &subpath, error)
          || (target = join_target (cg, mount, subpath, error)) == NULL)
        return FALSE;
      if (join->placement != NULL)
        {
          UrunCgroupPlacement *p = join->placement;
          char *tasks = g_build_filename (target, "tasks", NULL);
          int fd = p->n_v1_tasks_fds < URUN_CGROUP_MAX_V1_TASKS
                     ? open (tasks, O_WRONLY | O_CLOEXEC) : -1;

          if (fd < 0)
            {
              g_free (tasks);
              return urun_fail_errno (error, errno, "open the cgroup v1 tasks of %s", target);
            }
          p->v1_tasks_fds[p->n_v1_tasks_fds] = fd;
          p->v1_tasks_paths[p->n_v1_tasks_fds++] = tasks;
        }
      else if (!join->moved_itself && !join_dir (join, target, subpath, error))
        return FALSE;
      g_hash_table_add (done, g_steal_pointer (&mount));
    }
  return TRUE;
}

gboolean
urun_exec_open_cgroup_v1 (const UrunCgroupOutcome *cg, const char *const *subpath_args,
                          UrunCgroupPlacement *placement)
{
  g_autoptr (GHashTable) subpaths = parse_subpaths (subpath_args, NULL);
  Join join = { cg, NULL, 0, NULL, FALSE, placement };

  /* Bad --cgroup values, no cgroup, or a unified host: the join after
   * the clone does all, and says what is wrong. */
  if ((subpaths == NULL && subpath_args != NULL && subpath_args[0] != NULL)
      || cg->driver == URUN_CGROUP_DRIVER_NONE || cg->path == NULL
      || urun_cgroup_mode () == URUN_CGROUP_MODE_UNIFIED
      || for_each_v1_dir (cg, subpaths, &join, NULL))
    return placement->n_v1_tasks_fds > 0;
  urun_cgroup_placement_clear (placement);
  return FALSE;
}

/* The cgroup v2 directory of the join: below the unified root the
 * container's cgroup and the --cgroup path, on a hybrid host the
 * container's own (its v1 hierarchies take the sub-paths); NULL: none. */
static char *
v2_join_dir (const UrunCgroupOutcome *cg, GHashTable *subpaths)
{
  const char *v2root = urun_cgroup_v2_root ();
  const char *subpath = NULL;

  if (v2root == NULL || cg->driver == URUN_CGROUP_DRIVER_NONE || cg->path == NULL)
    return NULL;
  if (urun_cgroup_mode () == URUN_CGROUP_MODE_UNIFIED && subpaths != NULL)
    subpath = g_hash_table_lookup (subpaths, "");
  return g_build_filename (v2root, cg->path, subpath, NULL);
}

int
urun_exec_open_cgroup_v2 (const UrunCgroupOutcome *cg, const char *const *subpath_args)
{
  g_autoptr (GHashTable) subpaths = parse_subpaths (subpath_args, NULL);
  g_autofree char *dir = NULL;

  if (subpaths == NULL && subpath_args != NULL && subpath_args[0] != NULL)
    return -1;
  dir = v2_join_dir (cg, subpaths);
  return dir != NULL ? open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
}

gboolean
urun_exec_join_cgroup (const UrunCgroupOutcome *cg, const UrunCgroupHost *host, pid_t pid,
                       const char *const *subpath_args, gboolean born_in_v2,
                       gboolean moved_itself, GError **error)
{
  g_autofree char *pidtext = g_strdup_printf ("%d", (int) pid);
  Join join = { cg, host, pid, pidtext, moved_itself, NULL };
  g_autoptr (GHashTable) subpaths = NULL;
  const char *v2root;

  g_return_val_if_fail (cg != NULL, FALSE);

  subpaths = parse_subpaths (subpath_args, error);
  if (subpaths == NULL && subpath_args != NULL && subpath_args[0] != NULL)
    return FALSE;
  if (cg->driver == URUN_CGROUP_DRIVER_NONE || cg->path == NULL)
    {
      if (subpaths != NULL)
        return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                          "--cgroup: the container has no cgroup (%s)",
                          cg->reason ? cg->reason : "cgroups disabled");
      return TRUE;
    }

  v2root = urun_cgroup_v2_root ();
  if (urun_cgroup_mode () == URUN_CGROUP_MODE_UNIFIED)
    {
      const char *subpath = NULL;
      g_autofree char *target = NULL;

      if (subpaths != NULL && (g_hash_table_size (subpaths) != 1
                               || !g_hash_table_contains (subpaths, "")))
        return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                          "--cgroup: CONTROLLER:PATH is for cgroup v1 hierarchies; this host "
                          "has the unified hierarchy (cgroup v2): give only the path");
      if (subpaths != NULL)
        subpath = g_hash_table_lookup (subpaths, "");
      target = join_target (cg, v2root, subpath, error);
      if (target == NULL)
        return FALSE;
      return born_in_v2 || join_dir (&join, target, subpath, error);
    }

  if (!for_each_v1_dir (cg, subpaths, &join, error))
    return FALSE;
  if (v2root != NULL && !born_in_v2)
    {
      g_autofree char *dir = g_build_filename (v2root, cg->path, NULL);

      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          int r = urun_cgroup_write_file (dir, "cgroup.procs", pidtext);
          if (r < 0)
            return urun_fail_errno (error, r, "join the container's cgroup %s", dir);
        }
    }
  return TRUE;
}
