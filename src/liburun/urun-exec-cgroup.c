/* urun-exec-cgroup.c: an exec's process joins the container's cgroup (see
 * urun_exec_join_cgroup() in urun-exec.h).  Zone: host side (GLib).
 *
 * Built on the cgroup module's private helpers (urun-cgroup-private.h) and
 * the outcome recorded in state.json at create time; it only ever moves a
 * process, never creates or configures a cgroup.
 */
#include "config.h"

#include "urun-exec.h"
#include "urun-cgroup-private.h"
#include "urun-error.h"

#include <errno.h>
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
attach_with_systemd (const UrunStateCgroup *cg, gboolean rootless, pid_t pid,
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
  if (!urun_systemd_attach (cg->unit, rootless, pid, subcgroup, &attach_error))
    return urun_fail (error, URUN_ERROR_PERMISSION_DENIED,
                      "join the container's cgroup %s: %s; and through systemd "
                      "(AttachProcessesToUnit of %s): %s", dir, urun_strerror (-r), cg->unit,
                      attach_error->message);
  return TRUE;
}

gboolean
urun_exec_join_cgroup (const UrunStateCgroup *cg, gboolean rootless, pid_t pid,
                       const char *subpath, GError **error)
{
  g_autofree char *pidtext = g_strdup_printf ("%d", (int) pid);
  const char *v2root;

  g_return_val_if_fail (cg != NULL, FALSE);

  if (subpath != NULL)
    {
      while (*subpath == '/')
        subpath++;
      if (!check_subpath (subpath, error))
        return FALSE;
    }
  if (cg->driver == URUN_CGROUP_DRIVER_NONE || cg->path == NULL)
    {
      if (subpath != NULL)
        return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                          "--cgroup: the container has no cgroup (%s)",
                          cg->reason ? cg->reason : "cgroups disabled");
      return TRUE;
    }

  v2root = urun_cgroup_v2_root ();
  if (urun_cgroup_mode () == URUN_CGROUP_MODE_UNIFIED)
    {
      g_autofree char *dir = g_build_filename (v2root, cg->path, subpath, NULL);
      int r;

      if (subpath != NULL && !g_file_test (dir, G_FILE_TEST_IS_DIR))
        return urun_fail (error, URUN_ERROR_NOT_FOUND,
                          "--cgroup: %s does not exist in the container's cgroup", subpath);
      r = urun_cgroup_write_file (dir, "cgroup.procs", pidtext);
      if (r < 0)
        return attach_with_systemd (cg, rootless, pid, subpath, r, dir, error);
      return TRUE;
    }

  if (subpath != NULL)
    return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                      "--cgroup needs the unified hierarchy (cgroup v2); this host has "
                      "cgroup v1 controllers");
  /* v1 (and hybrid): every hierarchy of the cgroupfs driver in which the
   * container has a directory, then the unified one of a hybrid host. */
  for (gsize i = 0; i < urun_cgroup_n_v1_controllers; i++)
    {
      g_autofree char *mount = urun_cgroup_v1_mount (urun_cgroup_v1_controllers[i]);
      g_autofree char *dir = NULL;
      int r;

      if (mount == NULL)
        continue;
      dir = g_build_filename (mount, cg->path, NULL);
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        continue;
      r = urun_cgroup_write_file (dir, "cgroup.procs", pidtext);
      if (r < 0)
        return attach_with_systemd (cg, rootless, pid, NULL, r, dir, error);
    }
  if (v2root != NULL)
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
