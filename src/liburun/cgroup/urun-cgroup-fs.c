/* urun-cgroup-fs.c: the host's cgroup file systems, for every other file
 * of cgroup/: their layout (probed once per process), reading and writing
 * cgroup files, the directory of a cgroup path in each hierarchy, and the
 * placement of a cgroup made before the clone.  Zone: host side (GLib).
 *
 * Files are addressed by absolute path under /sys/fs/cgroup.  The cgroup
 * path kept in the state ("/machine.slice/urun-ID.scope", "/urun-ID") is the
 * same in every hierarchy: cgroup2, and each v1 controller on hybrid and
 * legacy hosts, which is how both systemd and urun's cgroupfs driver lay
 * them out.
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "util/urun-file.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

/* The v1 hierarchies the cgroupfs driver places a container in.  Not
 * name=systemd: that one is systemd's own bookkeeping. */
const char *const urun_cgroup_v1_controllers[] = {
  "memory", "pids", "cpu", "cpuacct", "cpuset", "blkio", "devices", "freezer", "hugetlb",
  "net_cls", "net_prio",
};

const gsize urun_cgroup_n_v1_controllers = G_N_ELEMENTS (urun_cgroup_v1_controllers);

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

  contents = urun_file_read (path, &len, NULL);
  if (contents == NULL)
    return NULL;
  while (len > 0 && contents[len - 1] == '\n')
    contents[--len] = '\0';
  return g_steal_pointer (&contents);
}

/* The value of "KEY N" in a flat-keyed file such as memory.events. */
gboolean
urun_cgroup_read_keyed (const char *dir, const char *file, const char *key, guint64 *out_value)
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

/* ---- layout ----------------------------------------------------------------- */

static gboolean
is_fs (const char *path, long magic)
{
  struct statfs st;

  return statfs (path, &st) == 0 && (long) st.f_type == magic;
}

/* The host's layout, probed once per process: the mounts do not change
 * under one urun command, and a create asks for them many times (the
 * mode, then each v1 hierarchy for the directories, the limits and the
 * move of init). */
typedef struct
{
  UrunCgroupMode mode;
  GHashTable *v1_mounts; /* option of a "cgroup" mount ("memory") -> its mount point */
} Layout;

static GHashTable *
read_v1_mounts (void)
{
  GHashTable *mounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if ((text = urun_file_read ("/proc/self/mounts", NULL, NULL)) == NULL)
    return mounts;
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      g_auto (GStrv) f = g_strsplit (*l, " ", -1);
      g_auto (GStrv) opts = NULL;

      if (g_strv_length (f) < 4 || strcmp (f[2], "cgroup") != 0)
        continue;
      opts = g_strsplit (f[3], ",", -1);
      /* The first mount of a controller wins. */
      for (char **o = opts; *o; o++)
        if (!g_hash_table_contains (mounts, *o))
          g_hash_table_insert (mounts, g_strdup (*o), g_strdup (f[1]));
    }
  return mounts;
}

static UrunCgroupMode
probe_mode (GHashTable *v1_mounts)
{
  if (is_fs (CGROUP_ROOT, CGROUP2_SUPER_MAGIC))
    return URUN_CGROUP_MODE_UNIFIED;
  if (!is_fs (CGROUP_ROOT, TMPFS_MAGIC))
    return URUN_CGROUP_MODE_NONE;
  for (gsize i = 0; i < urun_cgroup_n_v1_controllers; i++)
    if (g_hash_table_contains (v1_mounts, urun_cgroup_v1_controllers[i]))
      return is_fs (CGROUP_ROOT "/unified", CGROUP2_SUPER_MAGIC) ? URUN_CGROUP_MODE_HYBRID
                                                                 : URUN_CGROUP_MODE_LEGACY;
  return is_fs (CGROUP_ROOT "/unified", CGROUP2_SUPER_MAGIC) ? URUN_CGROUP_MODE_HYBRID
                                                             : URUN_CGROUP_MODE_NONE;
}

static const Layout *
layout (void)
{
  static Layout l;
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      l.v1_mounts = read_v1_mounts ();
      l.mode = probe_mode (l.v1_mounts);
      g_once_init_leave (&done, 1);
    }
  return &l;
}

UrunCgroupMode
urun_cgroup_mode (void)
{
  return layout ()->mode;
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
  return g_strdup (g_hash_table_lookup (layout ()->v1_mounts, controller));
}

char *
urun_cgroup_path_of_pid (pid_t pid, GError **error)
{
  g_autofree char *file = g_strdup_printf ("/proc/%d/cgroup", (int) pid);
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) lines = NULL;

  text = urun_file_read (file, NULL, &local);
  if (text == NULL)
    {
      urun_fail (error, URUN_ERROR_NOT_FOUND, "%s", local->message);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    if (g_str_has_prefix (*l, "0::"))
      return g_strdup (*l + 3);
  urun_fail (error, URUN_ERROR_NOT_SUPPORTED, "%s has no cgroup v2 line", file);
  return NULL;
}

char *
urun_cgroup_v2_dir (const char *path)
{
  const char *root = urun_cgroup_v2_root ();

  if (root == NULL || path == NULL)
    return NULL;
  return g_build_filename (root, path, NULL);
}

char *
urun_cgroup_v1_dir (const char *controller, const char *path)
{
  g_autofree char *mount = urun_cgroup_v1_mount (controller);

  if (mount == NULL || path == NULL)
    return NULL;
  return g_build_filename (mount, path, NULL);
}

/* ---- a cgroup made before the clone (urun-cgroup.h) ---------------------------- */

void
urun_cgroup_placement_clear (UrunCgroupPlacement *placement)
{
  urun_close_fdp (&placement->v2_dirfd);
  for (size_t i = 0; i < placement->n_v1_tasks_fds; i++)
    {
      urun_close_fdp (&placement->v1_tasks_fds[i]);
      g_clear_pointer (&placement->v1_tasks_paths[i], g_free);
    }
  placement->n_v1_tasks_fds = 0;
}

gboolean
urun_cgroup_placement_move_pid (const UrunCgroupPlacement *placement, pid_t pid,
                                GError **error)
{
  g_autofree char *pidtext = g_strdup_printf ("%d", (int) pid);
  URUN_AUTOCLOSE int fd = -1;

  if (placement->v2_dirfd < 0)
    return TRUE;
  fd = openat (placement->v2_dirfd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
  if (fd < 0 || urun_write_all (fd, pidtext, strlen (pidtext)) < 0)
    return urun_fail_errno (error, errno, "move the container's init into its cgroup v2");
  return TRUE;
}
