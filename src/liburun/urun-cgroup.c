/* urun-cgroup.c: the driver-neutral cgroup API (see urun-cgroup.h): the
 * fallback ladder, the cgroupfs driver for cgroup v2 and v1/hybrid, and the
 * operations on a container's cgroup once it exists (freeze, kill, pids,
 * update, stats, removal).  Zone: host side (GLib).
 *
 * Files are addressed by absolute path under /sys/fs/cgroup.  The cgroup
 * path kept in the state ("/machine.slice/urun-ID.scope", "/urun-ID") is the
 * same in every hierarchy: cgroup2, and each v1 controller on hybrid and
 * legacy hosts, which is how both systemd and urun's cgroupfs driver lay
 * them out.
 */
#include "config.h"

#include "urun-cgroup-private.h"
#include "urun-error.h"
#include "urun-fd.h"
#include "urun-proc.h"
#include "urun-systemd-property.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

/* How long freeze/thaw and the emptying of a cgroup may take. */
#define SETTLE_TIMEOUT_MS 5000

/* The v1 hierarchies the cgroupfs driver places a container in.  Not
 * name=systemd: that one is systemd's own bookkeeping. */
static const char *const v1_controllers[] = {
  "memory", "pids", "cpu", "cpuacct", "cpuset", "blkio", "devices", "freezer", "hugetlb",
  "net_cls", "net_prio",
};

/* ---- files -------------------------------------------------------------------- */

int
urun_cgroup_write_file (const char *dir, const char *file, const char *value)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  URUN_AUTOCLOSE int fd = open (path, O_WRONLY | O_CLOEXEC);
  size_t len = strlen (value);
  ssize_t n;

  if (fd < 0)
    return -errno;
  do
    n = write (fd, value, len);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -errno;
  return (size_t) n == len ? 0 : -EIO;
}

char *
urun_cgroup_read_file (const char *dir, const char *file)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    {
      if (errno == 0)
        errno = ENOENT;
      return NULL;
    }
  while (len > 0 && contents[len - 1] == '\n')
    contents[--len] = '\0';
  return g_steal_pointer (&contents);
}

/* The value of "KEY N" in a flat-keyed file such as memory.events. */
static gboolean
read_keyed (const char *dir, const char *file, const char *key, guint64 *out_value)
{
  g_autofree char *text = urun_cgroup_read_file (dir, file);
  g_auto (GStrv) lines = NULL;
  gsize klen = strlen (key);

  if (text == NULL)
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    if (strncmp (*l, key, klen) == 0 && (*l)[klen] == ' ')
      {
        *out_value = g_ascii_strtoull (*l + klen + 1, NULL, 10);
        return TRUE;
      }
  return FALSE;
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

/* ---- layout ----------------------------------------------------------------- */

static gboolean
is_fs (const char *path, long magic)
{
  struct statfs st;

  return statfs (path, &st) == 0 && (long) st.f_type == magic;
}

UrunCgroupMode
urun_cgroup_mode (void)
{
  if (is_fs (CGROUP_ROOT, CGROUP2_SUPER_MAGIC))
    return URUN_CGROUP_MODE_UNIFIED;
  if (!is_fs (CGROUP_ROOT, TMPFS_MAGIC))
    return URUN_CGROUP_MODE_NONE;
  for (gsize i = 0; i < G_N_ELEMENTS (v1_controllers); i++)
    {
      g_autofree char *m = urun_cgroup_v1_mount (v1_controllers[i]);

      if (m != NULL)
        return is_fs (CGROUP_ROOT "/unified", CGROUP2_SUPER_MAGIC) ? URUN_CGROUP_MODE_HYBRID
                                                                   : URUN_CGROUP_MODE_LEGACY;
    }
  return is_fs (CGROUP_ROOT "/unified", CGROUP2_SUPER_MAGIC) ? URUN_CGROUP_MODE_HYBRID
                                                             : URUN_CGROUP_MODE_NONE;
}

const char *
urun_cgroup_v2_root (void)
{
  switch (urun_cgroup_mode ())
    {
    case URUN_CGROUP_MODE_UNIFIED:
      return CGROUP_ROOT;
    case URUN_CGROUP_MODE_HYBRID:
      return CGROUP_ROOT "/unified";
    default:
      return NULL;
    }
}

char *
urun_cgroup_v1_mount (const char *controller)
{
  g_autofree char *mounts = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/mounts", &mounts, NULL, NULL))
    return NULL;
  lines = g_strsplit (mounts, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      g_auto (GStrv) f = g_strsplit (*l, " ", -1);
      g_auto (GStrv) opts = NULL;

      if (g_strv_length (f) < 4 || strcmp (f[2], "cgroup") != 0)
        continue;
      opts = g_strsplit (f[3], ",", -1);
      if (g_strv_contains ((const char *const *) opts, controller))
        return g_strdup (f[1]);
    }
  return NULL;
}

char *
urun_cgroup_path_of_pid (pid_t pid, GError **error)
{
  g_autofree char *file = g_strdup_printf ("/proc/%d/cgroup", (int) pid);
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (file, &text, NULL, &local))
    {
      urun_fail (error, URUN_ERROR_NOT_FOUND, "read %s: %s", file, local->message);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    if (g_str_has_prefix (*l, "0::"))
      return g_strdup (*l + 3);
  urun_fail (error, URUN_ERROR_NOT_SUPPORTED, "%s has no cgroup v2 line", file);
  return NULL;
}

static char *
v2_dir (const char *path)
{
  const char *root = urun_cgroup_v2_root ();

  if (root == NULL || path == NULL)
    return NULL;
  return g_build_filename (root, path, NULL);
}

static char *
v1_dir (const char *controller, const char *path)
{
  g_autofree char *mount = urun_cgroup_v1_mount (controller);

  if (mount == NULL || path == NULL)
    return NULL;
  return g_build_filename (mount, path, NULL);
}

/* The directory that holds the container's processes for listing and
 * killing: the v2 one, else a v1 one. */
static char *
procs_dir (const UrunStateCgroup *cg)
{
  static const char *const order[] = { "pids", "freezer", "memory", "devices", "cpu" };
  g_autofree char *d = v2_dir (cg->path);

  if (d != NULL && g_file_test (d, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&d);
  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autofree char *v1 = v1_dir (order[i], cg->path);

      if (v1 != NULL && g_file_test (v1, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&v1);
    }
  return NULL;
}

/* ---- outcome ----------------------------------------------------------------- */

void
urun_state_cgroup_clear (UrunStateCgroup *cg)
{
  g_clear_pointer (&cg->unit, g_free);
  g_clear_pointer (&cg->path, g_free);
  g_clear_pointer (&cg->reason, g_free);
  g_clear_pointer (&cg->dropped_limits, g_ptr_array_unref);
  cg->driver = URUN_CGROUP_DRIVER_NONE;
}

static gboolean
fail_no_cgroup (const UrunStateCgroup *cg, const char *what, GError **error)
{
  return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                    "cannot %s: it has no cgroup (%s); create it with a cgroup manager "
                    "that works here (--cgroup-manager systemd or cgroupfs)",
                    what, cg->reason ? cg->reason : "cgroup manager disabled");
}

/* ---- request ----------------------------------------------------------------- */

gboolean
urun_cgroup_request_wants_systemd (const UrunCgroupRequest *request)
{
  return request->unit != NULL || request->slice != NULL || request->description != NULL
         || request->collect || (request->properties != NULL && request->properties[0] != NULL);
}

const UrunSpecResources *
urun_cgroup_request_resources (const UrunCgroupRequest *request)
{
  return request->spec && request->spec->linux_ ? request->spec->linux_->resources : NULL;
}

gboolean
urun_cgroup_request_annotation_properties (const UrunCgroupRequest *request, GPtrArray *props,
                                           GError **error)
{
  if (request->spec == NULL)
    return TRUE;
  for (gsize i = 0; i < request->spec->n_annotations; i++)
    {
      const char *key = request->spec->annotations[i].key;

      if (g_str_has_prefix (key, "org.systemd.property.")
          && !urun_systemd_property_parse_annotation (key + strlen ("org.systemd.property."),
                                                      request->spec->annotations[i].value,
                                                      props, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
urun_cgroup_request_check (const UrunCgroupRequest *request, GError **error)
{
  g_autoptr (GPtrArray) props = urun_systemd_property_list_new ();
  g_autofree char *unit = NULL;
  g_autofree char *slice = NULL;

  if (urun_cgroup_request_wants_systemd (request)
      && (request->manager == URUN_CGROUP_MANAGER_CGROUPFS
          || request->manager == URUN_CGROUP_MANAGER_DISABLED))
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "--unit, --slice, --property, --description and --collect set up a "
                      "systemd scope, but --cgroup-manager %s was given; drop one or the other",
                      request->manager == URUN_CGROUP_MANAGER_CGROUPFS ? "cgroupfs" : "disabled");
  for (gsize i = 0; request->properties != NULL && request->properties[i] != NULL; i++)
    if (!urun_systemd_property_parse (request->properties[i], props, error))
      return FALSE;
  if (!urun_cgroup_request_annotation_properties (request, props, error))
    return FALSE;
  if (urun_cgroup_request_wants_systemd (request)
      || request->manager == URUN_CGROUP_MANAGER_SYSTEMD)
    return urun_cgroup_systemd_names (request, &unit, &slice, error);
  return TRUE;
}

/* The spec's names of every limit @resources asks for, for the warning of
 * a container that got no cgroup. */
static void
requested_limits (const UrunSpecResources *resources, GPtrArray *out)
{
  g_autoptr (GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) writes = urun_cgroup_resources_v2 (resources, dropped, NULL);

  for (guint i = 0; writes != NULL && i < writes->len; i++)
    {
      UrunCgroupWrite *w = g_ptr_array_index (writes, i);

      if (!g_ptr_array_find_with_equal_func (out, w->limit, g_str_equal, NULL))
        g_ptr_array_add (out, g_strdup (w->limit));
    }
  for (guint i = 0; i < dropped->len; i++)
    {
      char *d = g_ptr_array_index (dropped, i);
      char *space = strchr (d, ' ');

      g_ptr_array_add (out, space ? g_strndup (d, (gsize) (space - d)) : g_strdup (d));
    }
  if (resources != NULL && resources->n_devices > 0)
    g_ptr_array_add (out, g_strdup ("devices"));
}

/* ---- cgroupfs driver: v2 ---------------------------------------------------------- */

static const char *const stat_controllers[] = { "cpu", "memory", "pids", "io" };

/* The outcome @r of writing @w into @dir: a file this kernel does not have
 * drops the limit; any other failure is an error. */
static gboolean
check_write (int r, const char *dir, const UrunCgroupWrite *w, GPtrArray *dropped,
             GError **error)
{
  if (r == -ENOENT)
    g_ptr_array_add (dropped, g_strdup_printf ("%s (%s/%s does not exist on this kernel)",
                                               w->limit, dir, w->file));
  else if (r < 0)
    return urun_fail_errno (error, r, "set %s (%s) to `%s` in %s", w->limit, w->file, w->value,
                            dir);
  return TRUE;
}

gboolean
urun_cgroup_apply_v2 (const char *dir, GPtrArray *writes, gboolean skip_systemd,
                      GPtrArray *dropped, GError **error)
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
      if (!check_write (urun_cgroup_write_file (dir, w->file, w->value), dir, w, dropped, error))
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

/* Directories created so far, removed in reverse on failure. */
static void
remove_dirs (GPtrArray *created)
{
  for (guint i = created->len; i > 0; i--)
    g_rmdir (g_ptr_array_index (created, i - 1));
}

/* mkdir -p of @root/@path; the new directories are appended to @created.
 * With @cpuset, each new directory gets its parent's cpus and mems (v1
 * cpuset starts empty, and an empty cpuset admits no task). */
static gboolean
make_path (const char *root, const char *path, gboolean cpuset, GPtrArray *created,
           GError **error)
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
        return urun_fail_errno (error, errno, "create cgroup %s", dir);
    }
  return TRUE;
}

/* Fails when @dir exists and holds processes: @path (the container's
 * cgroup path) belongs to someone else. */
static gboolean
check_unused (const char *dir, const char *path, GError **error)
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

static gboolean
move_init (const char *dir, const char *pidtext, GError **error)
{
  int r = urun_cgroup_write_file (dir, "cgroup.procs", pidtext);

  if (r < 0)
    return urun_fail_errno (error, r, "move the container's init into cgroup %s", dir);
  return TRUE;
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

static gboolean
enter_fs_v2 (const UrunCgroupRequest *request, pid_t pid, UrunStateCgroup *outcome,
             GError **error)
{
  const char *root = urun_cgroup_v2_root ();
  const UrunSpecResources *res = urun_cgroup_request_resources (request);
  g_autoptr (GPtrArray) writes = NULL;
  g_autoptr (GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pidtext = g_strdup_printf ("%d", (int) pid);
  g_autofree char *walk = NULL;

  writes = urun_cgroup_resources_v2 (res, outcome->dropped_limits, error);
  if (writes == NULL)
    return FALSE;
  if (request->rootless)
    {
      base = delegated_base (error);
      if (base == NULL)
        return FALSE;
    }
  else
    base = g_strdup ("/");
  if (!urun_cgroup_fs_path (request, base, &path, error))
    return FALSE;
  dir = g_build_filename (root, path, NULL);
  if (!check_unused (dir, path, error))
    return FALSE;
  if (!make_path (root, path, FALSE, created, error))
    goto fail;
  /* Controllers: each level from the base down to the parent. */
  walk = g_build_filename (root, base, NULL);
  {
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
  /* Devices on v2 need a BPF program; only the systemd driver has one. */
  if (res != NULL && res->n_devices > 0)
    g_ptr_array_add (outcome->dropped_limits,
                     g_strdup ("devices (cgroup v2 device rules need BPF, which urun's "
                               "cgroupfs driver does not load; use the systemd driver)"));
  if (!urun_cgroup_apply_v2 (dir, writes, FALSE, outcome->dropped_limits, error)
      || !move_init (dir, pidtext, error))
    goto fail;
  outcome->driver = URUN_CGROUP_DRIVER_CGROUPFS;
  outcome->path = g_steal_pointer (&path);
  return TRUE;

fail:
  remove_dirs (created);
  return FALSE;
}

/* ---- cgroupfs driver: v1 (and the v2 part of hybrid) ------------------------------ */

static gboolean
apply_v1 (const char *path, GPtrArray *writes, GPtrArray *dropped, GError **error)
{
  gboolean memsw_deferred = FALSE;

  for (guint i = 0; i < writes->len; i++)
    {
      UrunCgroupWrite *w = g_ptr_array_index (writes, i);
      g_autofree char *dir = v1_dir (w->controller, path);
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
      if (!check_write (r, dir, w, dropped, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
enter_fs_v1 (const UrunCgroupRequest *request, pid_t pid, UrunStateCgroup *outcome,
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

  for (gsize i = 0; i < G_N_ELEMENTS (v1_controllers); i++)
    {
      g_autofree char *mount = urun_cgroup_v1_mount (v1_controllers[i]);
      g_autofree char *dir = NULL;

      if (mount == NULL)
        continue;
      dir = g_build_filename (mount, path, NULL);
      if (g_ptr_array_find_with_equal_func (created, dir, g_str_equal, NULL))
        continue; /* co-mounted controllers (cpu,cpuacct) share a directory */
      if (!check_unused (dir, path, error)
          || !make_path (mount, path, strcmp (v1_controllers[i], "cpuset") == 0, created, error))
        goto fail;
      any = TRUE;
    }
  if (!any)
    return urun_fail (error, URUN_ERROR_NOT_SUPPORTED, "no cgroup v1 controller is mounted");
  /* On hybrid hosts the cgroup2 hierarchy has no controllers worth the
   * name, but it has cgroup.kill, cgroup.freeze and cgroup.events: the
   * container gets a directory there too, for those. */
  if (v2root != NULL && !make_path (v2root, path, FALSE, created, error))
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
  if (!apply_v1 (path, writes, outcome->dropped_limits, error))
    goto fail;
  /* Move init: every v1 hierarchy, then v2. */
  for (gsize i = 0; i < G_N_ELEMENTS (v1_controllers); i++)
    {
      g_autofree char *dir = v1_dir (v1_controllers[i], path);

      if (dir != NULL && !move_init (dir, pidtext, error))
        goto fail;
    }
  if (v2root != NULL)
    {
      g_autofree char *d2 = g_build_filename (v2root, path, NULL);

      if (!move_init (d2, pidtext, error))
        goto fail;
    }
  outcome->driver = URUN_CGROUP_DRIVER_CGROUPFS;
  outcome->path = g_steal_pointer (&path);
  return TRUE;

fail:
  /* Init must leave the directories before they can go: back to the root
   * of each hierarchy it was moved into (it is still waiting for GO). */
  for (gsize i = 0; i < G_N_ELEMENTS (v1_controllers); i++)
    {
      g_autofree char *mount = urun_cgroup_v1_mount (v1_controllers[i]);

      if (mount != NULL)
        urun_cgroup_write_file (mount, "cgroup.procs", pidtext);
    }
  remove_dirs (created);
  return FALSE;
}

static gboolean
enter_fs (const UrunCgroupRequest *request, pid_t pid, UrunStateCgroup *outcome, GError **error)
{
  switch (urun_cgroup_mode ())
    {
    case URUN_CGROUP_MODE_UNIFIED:
      return enter_fs_v2 (request, pid, outcome, error);
    case URUN_CGROUP_MODE_HYBRID:
    case URUN_CGROUP_MODE_LEGACY:
      return enter_fs_v1 (request, pid, outcome, error);
    case URUN_CGROUP_MODE_NONE:
    default:
      return urun_fail (error, URUN_ERROR_NOT_SUPPORTED, "no cgroup file system is mounted at "
                        CGROUP_ROOT);
    }
}

/* ---- the ladder ---------------------------------------------------------------- */

static void
warn_dropped (const UrunStateCgroup *cg, GPtrArray *warnings)
{
  g_autofree char *list = NULL;

  if (cg->dropped_limits == NULL || cg->dropped_limits->len == 0 || warnings == NULL)
    return;
  g_ptr_array_add (cg->dropped_limits, NULL);
  list = g_strjoinv (", ", (char **) cg->dropped_limits->pdata);
  g_ptr_array_remove_index (cg->dropped_limits, cg->dropped_limits->len - 1);
  if (cg->driver == URUN_CGROUP_DRIVER_NONE)
    g_ptr_array_add (warnings,
                     g_strdup_printf ("resource limits dropped because the container has no "
                                      "cgroup (%s): %s", cg->reason, list));
  else
    g_ptr_array_add (warnings, g_strdup_printf ("resource limits not applied: %s", list));
}

static void
reset_outcome (UrunStateCgroup *outcome)
{
  urun_state_cgroup_clear (outcome);
  outcome->dropped_limits = g_ptr_array_new_with_free_func (g_free);
}

gboolean
urun_cgroup_enter (const UrunCgroupRequest *request, pid_t pid, UrunStateCgroup *out_outcome,
                   GPtrArray *warnings, GError **error)
{
  const UrunSpecResources *res = urun_cgroup_request_resources (request);
  UrunStateCgroup outcome = { 0 };
  g_autoptr (GString) reasons = g_string_new (NULL);
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (pid > 0, FALSE);

  if (!urun_cgroup_request_check (request, error))
    return FALSE;
  reset_outcome (&outcome);

  switch (request->manager)
    {
    case URUN_CGROUP_MANAGER_SYSTEMD:
      if (!urun_systemd_enter (request, pid, &outcome, error))
        {
          urun_state_cgroup_clear (&outcome);
          return FALSE;
        }
      break;
    case URUN_CGROUP_MANAGER_CGROUPFS:
      if (!enter_fs (request, pid, &outcome, error))
        {
          urun_state_cgroup_clear (&outcome);
          return FALSE;
        }
      break;
    case URUN_CGROUP_MANAGER_DISABLED:
      outcome.reason = g_strdup ("cgroups disabled with --cgroup-manager disabled");
      requested_limits (res, outcome.dropped_limits);
      break;
    case URUN_CGROUP_MANAGER_DEFAULT:
    default:
      /* The systemd-run options ask for a scope: no silent fallback. */
      if (urun_cgroup_request_wants_systemd (request))
        {
          if (!urun_systemd_enter (request, pid, &outcome, error))
            {
              urun_state_cgroup_clear (&outcome);
              return FALSE;
            }
          break;
        }
      if (urun_systemd_available (request->rootless, &local)
          && urun_systemd_enter (request, pid, &outcome, &local))
        break;
      g_string_append_printf (reasons, "%s systemd: %s",
                              request->rootless ? "the user's" : "the system's",
                              local ? local->message : "not available");
      g_clear_error (&local);
      reset_outcome (&outcome);
      if (enter_fs (request, pid, &outcome, &local))
        {
          /* Why not the first rung: worth a line in `state`. */
          outcome.reason = g_string_free (g_steal_pointer (&reasons), FALSE);
          break;
        }
      g_string_append_printf (reasons, "; cgroupfs: %s", local->message);
      /* A limit the user set that makes the write fail is their error,
       * not a reason to run without limits. */
      if (g_error_matches (local, URUN_ERROR, URUN_ERROR_INVALID_CONFIG)
          || g_error_matches (local, URUN_ERROR, URUN_ERROR_INVALID_ARGUMENT)
          || g_error_matches (local, URUN_ERROR, URUN_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          urun_state_cgroup_clear (&outcome);
          return FALSE;
        }
      reset_outcome (&outcome);
      outcome.reason = g_string_free (g_steal_pointer (&reasons), FALSE);
      requested_limits (res, outcome.dropped_limits);
      break;
    }
  warn_dropped (&outcome, warnings);
  *out_outcome = outcome;
  return TRUE;
}

/* ---- operations on an existing cgroup ------------------------------------------ */

static void
collect_pids (const char *dir, GArray *pids)
{
  g_autofree char *procs = urun_cgroup_read_file (dir, "cgroup.procs");
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

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
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *sub = g_build_filename (dir, name, NULL);

      if (g_file_test (sub, G_FILE_TEST_IS_DIR) && !g_file_test (sub, G_FILE_TEST_IS_SYMLINK))
        collect_pids (sub, pids);
    }
}

GArray *
urun_cgroup_pids (const UrunStateCgroup *cg, GError **error)
{
  g_autofree char *dir = NULL;
  GArray *pids;

  if (cg->driver == URUN_CGROUP_DRIVER_NONE)
    {
      fail_no_cgroup (cg, "list the processes through the cgroup", error);
      return NULL;
    }
  dir = procs_dir (cg);
  pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  if (dir != NULL)
    collect_pids (dir, pids);
  urun_proc_sort_pids (pids);
  return pids;
}

static gboolean
v1_frozen (const UrunStateCgroup *cg)
{
  g_autofree char *dir = v1_dir ("freezer", cg->path);
  g_autofree char *state = dir ? urun_cgroup_read_file (dir, "freezer.state") : NULL;

  return state != NULL && strcmp (state, "THAWED") != 0;
}

gboolean
urun_cgroup_is_frozen (const UrunStateCgroup *cg)
{
  g_autofree char *d2 = NULL;
  g_autofree char *freeze = NULL;

  if (cg == NULL || cg->driver == URUN_CGROUP_DRIVER_NONE || cg->path == NULL)
    return FALSE;
  d2 = v2_dir (cg->path);
  freeze = d2 ? urun_cgroup_read_file (d2, "cgroup.freeze") : NULL;
  if (freeze != NULL)
    return strcmp (freeze, "1") == 0;
  return v1_frozen (cg);
}

gboolean
urun_cgroup_freeze (const UrunStateCgroup *cg, gboolean freeze, GError **error)
{
  g_autofree char *d2 = NULL;
  g_autofree char *d1 = NULL;
  gint64 deadline = g_get_monotonic_time () + SETTLE_TIMEOUT_MS * 1000;
  int r;

  if (cg->driver == URUN_CGROUP_DRIVER_NONE)
    return fail_no_cgroup (cg, freeze ? "pause" : "resume", error);
  d2 = v2_dir (cg->path);
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

              if (!read_keyed (d2, "cgroup.events", "frozen", &frozen)
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
  d1 = v1_dir ("freezer", cg->path);
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
urun_cgroup_kill (const UrunStateCgroup *cg, int signum, GError **error)
{
  g_autofree char *d2 = NULL;
  g_autoptr (GArray) pids = NULL;

  if (cg->driver == URUN_CGROUP_DRIVER_NONE)
    return fail_no_cgroup (cg, "signal every process through the cgroup", error);
  d2 = v2_dir (cg->path);
  /* cgroup.kill (Linux 5.14) kills the whole subtree at once, forks in
   * flight included; other signals go pid by pid. */
  if (signum == SIGKILL && d2 != NULL && urun_cgroup_write_file (d2, "cgroup.kill", "1") == 0)
    return TRUE;
  pids = urun_cgroup_pids (cg, error);
  if (pids == NULL)
    return FALSE;
  for (guint i = 0; i < pids->len; i++)
    kill (g_array_index (pids, pid_t, i), signum);
  /* A v1-frozen task does not die until it is thawed. */
  if (signum == SIGKILL && v1_frozen (cg))
    {
      g_autofree char *d1 = v1_dir ("freezer", cg->path);

      urun_cgroup_write_file (d1, "freezer.state", "THAWED");
    }
  return TRUE;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *sub = g_build_filename (dir, name, NULL);

      if (g_file_test (sub, G_FILE_TEST_IS_DIR) && !g_file_test (sub, G_FILE_TEST_IS_SYMLINK))
        remove_tree (sub);
    }
  g_rmdir (dir);
}

/* Kills what is left and waits until the cgroup is empty. */
static void
empty_cgroup (const UrunStateCgroup *cg)
{
  gint64 deadline = g_get_monotonic_time () + SETTLE_TIMEOUT_MS * 1000;

  for (;;)
    {
      g_autoptr (GArray) pids = urun_cgroup_pids (cg, NULL);

      if (pids == NULL || pids->len == 0 || g_get_monotonic_time () > deadline)
        return;
      urun_cgroup_kill (cg, SIGKILL, NULL);
      g_usleep (10000);
    }
}

gboolean
urun_cgroup_destroy (const UrunStateCgroup *cg, gboolean rootless, GError **error)
{
  g_autofree char *d2 = NULL;
  gboolean ok = TRUE;

  if (cg == NULL || cg->driver == URUN_CGROUP_DRIVER_NONE || cg->path == NULL)
    {
      if (cg != NULL && cg->driver == URUN_CGROUP_DRIVER_SYSTEMD && cg->unit != NULL)
        return urun_systemd_stop (cg->unit, rootless, error);
      return TRUE;
    }
  if (cg->driver == URUN_CGROUP_DRIVER_SYSTEMD && cg->unit != NULL)
    ok = urun_systemd_stop (cg->unit, rootless, error);
  /* Whatever systemd did not remove (sub-cgroups of a scope that could
   * not be stopped) and every cgroupfs directory. */
  if (cg->driver == URUN_CGROUP_DRIVER_CGROUPFS || !ok)
    empty_cgroup (cg);
  d2 = v2_dir (cg->path);
  if (d2 != NULL && g_file_test (d2, G_FILE_TEST_IS_DIR))
    remove_tree (d2);
  if (cg->driver == URUN_CGROUP_DRIVER_CGROUPFS)
    for (gsize i = 0; i < G_N_ELEMENTS (v1_controllers); i++)
      {
        g_autofree char *d1 = v1_dir (v1_controllers[i], cg->path);

        if (d1 != NULL && g_file_test (d1, G_FILE_TEST_IS_DIR))
          {
            /* Thaw first: a frozen v1 cgroup keeps its dead tasks. */
            if (strcmp (v1_controllers[i], "freezer") == 0)
              urun_cgroup_write_file (d1, "freezer.state", "THAWED");
            remove_tree (d1);
          }
      }
  if (ok && d2 != NULL && g_file_test (d2, G_FILE_TEST_IS_DIR))
    return urun_fail (error, URUN_ERROR_FAILED,
                      "could not remove the cgroup %s: processes are still in it", d2);
  return ok;
}

gboolean
urun_cgroup_update (const UrunStateCgroup *cg, gboolean rootless,
                    const UrunSpecResources *resources, GPtrArray *warnings, GError **error)
{
  g_autoptr (GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  UrunStateCgroup report = { 0 };

  if (cg->driver == URUN_CGROUP_DRIVER_NONE)
    return fail_no_cgroup (cg, "update the resource limits", error);

  if (urun_cgroup_v2_root () != NULL && (cg->driver == URUN_CGROUP_DRIVER_SYSTEMD
                                         || urun_cgroup_mode () == URUN_CGROUP_MODE_UNIFIED))
    {
      g_autofree char *d2 = v2_dir (cg->path);
      g_autoptr (GPtrArray) writes = urun_cgroup_resources_v2 (resources, dropped, error);
      gboolean systemd = cg->driver == URUN_CGROUP_DRIVER_SYSTEMD && cg->unit != NULL;

      if (writes == NULL)
        return FALSE;
      if (systemd && !urun_systemd_update (cg->unit, rootless, resources, dropped, error))
        return FALSE;
      if (!urun_cgroup_apply_v2 (d2, writes, systemd, dropped, error))
        return FALSE;
      /* systemd accepts properties it cannot enforce: say so. */
      if (systemd)
        urun_cgroup_report_unenforced (d2, writes, dropped);
    }
  else
    {
      g_autoptr (GPtrArray) writes = urun_cgroup_resources_v1 (resources, NULL, 0, dropped, error);

      if (writes == NULL || !apply_v1 (cg->path, writes, dropped, error))
        return FALSE;
    }
  report.driver = cg->driver;
  report.dropped_limits = dropped;
  warn_dropped (&report, warnings);
  return TRUE;
}

/* ---- statistics and events -------------------------------------------------------- */

static void
member_u64 (JsonBuilder *b, const char *name, guint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, (gint64) MIN (value, (guint64) G_MAXINT64));
}

/* A limit file: "max" (or a huge v1 value) leaves the member out. */
static void
member_limit (JsonBuilder *b, const char *name, const char *dir, const char *file)
{
  g_autofree char *v = dir ? urun_cgroup_read_file (dir, file) : NULL;
  guint64 n;

  if (v == NULL || strcmp (v, "max") == 0)
    return;
  n = g_ascii_strtoull (v, NULL, 10);
  if (n >= (guint64) G_MAXINT64 - 4096 * 2) /* v1's "unlimited" */
    return;
  member_u64 (b, name, n);
}

static gboolean
read_u64 (const char *dir, const char *file, guint64 *out)
{
  g_autofree char *v = dir ? urun_cgroup_read_file (dir, file) : NULL;

  if (v == NULL || !g_ascii_isdigit (*v))
    return FALSE;
  *out = g_ascii_strtoull (v, NULL, 10);
  return TRUE;
}

static void
begin_member_object (JsonBuilder *b, const char *name)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
}

/* "stats": those of @keys that the flat-keyed @file (memory.stat) has. */
static void
member_keyed_stats (JsonBuilder *b, const char *dir, const char *file, const char *const *keys,
                    gsize n_keys)
{
  guint64 v;

  begin_member_object (b, "stats");
  for (gsize i = 0; i < n_keys; i++)
    if (read_keyed (dir, file, keys[i], &v))
      member_u64 (b, keys[i], v);
  json_builder_end_object (b);
}

/* "pids": the same files on v1 and v2. */
static void
stats_pids (JsonBuilder *b, const char *dir)
{
  guint64 v;

  if (!read_u64 (dir, "pids.current", &v))
    return;
  begin_member_object (b, "pids");
  member_u64 (b, "current", v);
  member_limit (b, "limit", dir, "pids.max");
  json_builder_end_object (b);
}

/* One entry of blkio.ioServiceBytesRecursive, the same on v1 and v2. */
static void
add_io_service_bytes (JsonBuilder *b, guint major, guint minor, const char *op, guint64 value)
{
  json_builder_begin_object (b);
  member_u64 (b, "major", major);
  member_u64 (b, "minor", minor);
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, op);
  member_u64 (b, "value", value);
  json_builder_end_object (b);
}

static void
stats_v2 (JsonBuilder *b, const char *d)
{
  static const char *const memory_keys[] = { "anon", "file", "kernel", "sock", "shmem",
                                              "file_mapped", "file_dirty", "pgfault",
                                              "pgmajfault" };
  g_autofree char *io = NULL;
  guint64 v, u, s;

  begin_member_object (b, "cpu");
  begin_member_object (b, "usage");
  if (read_keyed (d, "cpu.stat", "usage_usec", &v))
    member_u64 (b, "total", v * 1000);
  if (read_keyed (d, "cpu.stat", "user_usec", &u))
    member_u64 (b, "user", u * 1000);
  if (read_keyed (d, "cpu.stat", "system_usec", &s))
    member_u64 (b, "kernel", s * 1000);
  json_builder_end_object (b);
  if (read_keyed (d, "cpu.stat", "nr_periods", &v))
    {
      begin_member_object (b, "throttling");
      member_u64 (b, "periods", v);
      if (read_keyed (d, "cpu.stat", "nr_throttled", &v))
        member_u64 (b, "throttledPeriods", v);
      if (read_keyed (d, "cpu.stat", "throttled_usec", &v))
        member_u64 (b, "throttledTime", v * 1000);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  if (read_u64 (d, "memory.current", &v))
    {
      begin_member_object (b, "memory");
      begin_member_object (b, "usage");
      member_u64 (b, "usage", v);
      member_limit (b, "limit", d, "memory.max");
      if (read_u64 (d, "memory.peak", &v))
        member_u64 (b, "max", v);
      json_builder_end_object (b);
      if (read_u64 (d, "memory.swap.current", &v))
        {
          begin_member_object (b, "swap");
          member_u64 (b, "usage", v);
          member_limit (b, "limit", d, "memory.swap.max");
          json_builder_end_object (b);
        }
      if (read_keyed (d, "memory.events", "oom_kill", &v))
        member_u64 (b, "oomKills", v);
      member_keyed_stats (b, d, "memory.stat", memory_keys, G_N_ELEMENTS (memory_keys));
      json_builder_end_object (b);
    }
  stats_pids (b, d);
  io = urun_cgroup_read_file (d, "io.stat");
  if (io != NULL)
    {
      g_auto (GStrv) lines = g_strsplit (io, "\n", -1);

      begin_member_object (b, "blkio");
      json_builder_set_member_name (b, "ioServiceBytesRecursive");
      json_builder_begin_array (b);
      for (char **l = lines; *l; l++)
        {
          g_auto (GStrv) f = g_strsplit (*l, " ", -1);
          guint maj, min;

          if (f[0] == NULL || sscanf (f[0], "%u:%u", &maj, &min) != 2)
            continue;
          for (char **kv = f + 1; *kv; kv++)
            {
              const char *op = g_str_has_prefix (*kv, "rbytes=") ? "read"
                               : g_str_has_prefix (*kv, "wbytes=") ? "write" : NULL;

              if (op != NULL)
                add_io_service_bytes (b, maj, min, op,
                                      g_ascii_strtoull (strchr (*kv, '=') + 1, NULL, 10));
            }
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
}

static void
stats_v1 (JsonBuilder *b, const char *path)
{
  static const char *const memory_keys[] = { "cache", "rss", "shmem", "mapped_file", "dirty",
                                              "pgfault", "pgmajfault" };
  g_autofree char *cpuacct = v1_dir ("cpuacct", path);
  g_autofree char *memory = v1_dir ("memory", path);
  g_autofree char *pids = v1_dir ("pids", path);
  g_autofree char *blkio = v1_dir ("blkio", path);
  g_autofree char *io = NULL;
  guint64 v;
  long hz = sysconf (_SC_CLK_TCK);

  if (read_u64 (cpuacct, "cpuacct.usage", &v))
    {
      begin_member_object (b, "cpu");
      begin_member_object (b, "usage");
      member_u64 (b, "total", v);
      if (read_keyed (cpuacct, "cpuacct.stat", "user", &v) && hz > 0)
        member_u64 (b, "user", v * (1000000000 / (guint64) hz));
      if (read_keyed (cpuacct, "cpuacct.stat", "system", &v) && hz > 0)
        member_u64 (b, "kernel", v * (1000000000 / (guint64) hz));
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  if (read_u64 (memory, "memory.usage_in_bytes", &v))
    {
      begin_member_object (b, "memory");
      begin_member_object (b, "usage");
      member_u64 (b, "usage", v);
      member_limit (b, "limit", memory, "memory.limit_in_bytes");
      if (read_u64 (memory, "memory.max_usage_in_bytes", &v))
        member_u64 (b, "max", v);
      if (read_u64 (memory, "memory.failcnt", &v))
        member_u64 (b, "failcnt", v);
      json_builder_end_object (b);
      if (read_keyed (memory, "memory.oom_control", "oom_kill", &v))
        member_u64 (b, "oomKills", v);
      member_keyed_stats (b, memory, "memory.stat", memory_keys, G_N_ELEMENTS (memory_keys));
      json_builder_end_object (b);
    }
  stats_pids (b, pids);
  if (blkio != NULL)
    io = urun_cgroup_read_file (blkio, "blkio.throttle.io_service_bytes_recursive");
  if (io != NULL)
    {
      g_auto (GStrv) lines = g_strsplit (io, "\n", -1);

      begin_member_object (b, "blkio");
      json_builder_set_member_name (b, "ioServiceBytesRecursive");
      json_builder_begin_array (b);
      for (char **l = lines; *l; l++)
        {
          guint maj, min;
          char op[16];
          guint64 value;

          if (sscanf (*l, "%u:%u %15s %" G_GUINT64_FORMAT, &maj, &min, op, &value) == 4)
            {
              g_autofree char *lower = g_ascii_strdown (op, -1);

              add_io_service_bytes (b, maj, min, lower, value);
            }
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
}

JsonNode *
urun_cgroup_stats (const UrunStateCgroup *cg, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *d2 = NULL;

  if (cg->driver == URUN_CGROUP_DRIVER_NONE)
    {
      fail_no_cgroup (cg, "read statistics", error);
      return NULL;
    }
  d2 = v2_dir (cg->path);
  json_builder_begin_object (b);
  if (urun_cgroup_mode () == URUN_CGROUP_MODE_UNIFIED
      || (cg->driver == URUN_CGROUP_DRIVER_SYSTEMD && d2 != NULL))
    stats_v2 (b, d2);
  else
    stats_v1 (b, cg->path);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
urun_cgroup_oom_kills (const UrunStateCgroup *cg, guint64 *out_count)
{
  g_autofree char *d2 = NULL;
  g_autofree char *d1 = NULL;

  if (cg->driver == URUN_CGROUP_DRIVER_NONE)
    return FALSE;
  d2 = v2_dir (cg->path);
  if (d2 != NULL && read_keyed (d2, "memory.events", "oom_kill", out_count))
    return TRUE;
  d1 = v1_dir ("memory", cg->path);
  return d1 != NULL && read_keyed (d1, "memory.oom_control", "oom_kill", out_count);
}

int
urun_cgroup_watch_events (const UrunStateCgroup *cg)
{
  g_autofree char *d2 = NULL;
  g_autofree char *d1 = NULL;

  if (cg->driver == URUN_CGROUP_DRIVER_NONE)
    return -1;
  d2 = v2_dir (cg->path);
  if (d2 != NULL)
    {
      g_autofree char *f = g_build_filename (d2, "memory.events", NULL);

      if (g_file_test (f, G_FILE_TEST_EXISTS))
        {
          int fd = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);

          if (fd >= 0 && inotify_add_watch (fd, f, IN_MODIFY) >= 0)
            return fd;
          if (fd >= 0)
            close (fd);
        }
    }
  /* v1: an eventfd registered for memory.oom_control through
   * cgroup.event_control, which the kernel signals on every OOM. */
  d1 = v1_dir ("memory", cg->path);
  if (d1 != NULL)
    {
      g_autofree char *oc = g_build_filename (d1, "memory.oom_control", NULL);
      URUN_AUTOCLOSE int ofd = open (oc, O_RDONLY | O_CLOEXEC);
      int efd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
      g_autofree char *line = NULL;

      if (ofd >= 0 && efd >= 0)
        {
          line = g_strdup_printf ("%d %d", efd, ofd);
          if (urun_cgroup_write_file (d1, "cgroup.event_control", line) == 0)
            return efd;
        }
      if (efd >= 0)
        close (efd);
    }
  return -1;
}
