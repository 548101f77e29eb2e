/* urun-init-cgroupfs.c: what a `cgroup` or `cgroup2` mount shows inside the
 * container (urun_init_mount_cgroup() in urun-init-fs.h).
 *
 * Zone: init.  No GLib, no allocation, no stdio.  The hierarchies come from
 * the plan (urun-plan-cgroupfs.c); init's own cgroup in each is read here
 * from /proc/self/cgroup, after GO, when the parent has moved init into the
 * container's cgroup.
 *
 * The layout is runc's and crun's:
 * - on a unified host, and for a `cgroup2` mount on a hybrid one, the v2
 *   hierarchy at the destination;
 * - on a v1 or hybrid host, a tmpfs at the destination with one directory
 *   per hierarchy of the host: each set of v1 controllers, the named ones
 *   (name=systemd), the v2 one ("unified"), and a symlink per controller of
 *   a comounted set (cpu -> cpu,cpuacct).
 * What a hierarchy shows:
 * - with a cgroup namespace, created or joined, the namespace's root: that
 *   is what a fresh mount of it inside the namespace shows.  The kernel
 *   allows one also to the root of a user namespace that owns the cgroup
 *   namespace, v1 hierarchies included, as long as the host has mounted
 *   them already (it has: they come from its mountinfo).  A refused fresh
 *   mount is an error, not a fallback to a bind: from inside a namespace,
 *   /proc/self/cgroup is relative to the namespace, so the container's
 *   directory on the host's mount cannot be found, and the host's whole
 *   tree is what this file exists not to show;
 * - without one, the container's own cgroup: a bind of the host's mount
 *   point plus the path in /proc/self/cgroup.  Rootless without a delegated
 *   cgroup the container is in its caller's cgroup; it sees that one, as
 *   with crun and runc: what the caller itself can read, and nothing above
 *   it (a caller in a hierarchy's root cgroup shows that whole hierarchy,
 *   read-only, and its files belong to ids the user namespace does not
 *   map).
 * Read-only unless the mount says rw, and nosuid, nodev, noexec always: the
 * container must never write to the host's cgroups above its own.  A bind
 * cannot climb above its source, so ".." at a hierarchy's root stays there.
 */
#include "config.h"

#include "init/urun-init-fs.h"
#include "util/urun-fd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* /proc/self/cgroup: a dozen lines of "ID:CONTROLLERS:PATH". */
#define OWN_CGROUPS_MAX 16384

typedef struct
{
  const UrunInitPlan *plan;
  const UrunPlanMount *m;
  int root_fd;
  bool in_ns;             /* a cgroup namespace, created or joined */
  unsigned long flags;    /* per-mount MS_* of every mount made here */
  unsigned long clear;    /* per-mount MS_* the spec turned off (never nosuid...) */
  char own[OWN_CGROUPS_MAX]; /* /proc/self/cgroup, without a cgroup namespace */
} View;

static int
fail_at (const View *v, UrunInitFailure *failure, int errsv, const char *name)
{
  char detail[URUN_SYNC_DETAIL_MAX];

  if (name == NULL || urun_init_path_join (detail, sizeof detail, v->m->destination, name) < 0)
    urun_init_strlcpy (detail, v->m->destination, sizeof detail);
  return urun_init_fail (failure, URUN_STEP_MOUNT, errsv, detail);
}

static bool
has_cgroup_namespace (const UrunInitPlan *plan)
{
  if (plan->new_cgroupns)
    return true;
  for (size_t i = 0; i < plan->n_joins; i++)
    if (plan->joins[i].nstype == CLONE_NEWCGROUP)
      return true;
  return false;
}

static int
read_own_cgroups (char *buf, size_t size)
{
  URUN_AUTOCLOSE int fd = urun_init_open_proc ("/proc/self/cgroup", O_RDONLY);
  size_t len = 0;

  if (fd < 0)
    return fd;
  for (;;)
    {
      ssize_t n = read (fd, buf + len, size - 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -errno;
      if (n == 0)
        break;
      len += (size_t) n;
      if (len == size - 1)
        return -E2BIG;
    }
  buf[len] = '\0';
  return 0;
}

/* The path of hierarchy @id in the /proc/self/cgroup text @text (v2: the
 * "0::" line), pointing into @text, its length in *@len; NULL without one. */
static const char *
own_path (const char *text, int id, size_t *len)
{
  for (const char *p = text; *p != '\0';)
    {
      const char *eol = strchr (p, '\n');
      const char *colon;
      char *end;
      long n;

      if (eol == NULL)
        eol = p + strlen (p);
      n = strtol (p, &end, 10);
      if (end != p && *end == ':' && n == id
          && (colon = memchr (end + 1, ':', (size_t) (eol - end - 1))) != NULL
          && (id != 0 || colon == end + 1))
        {
          *len = (size_t) (eol - colon - 1);
          return colon + 1;
        }
      p = *eol != '\0' ? eol + 1 : eol;
    }
  return NULL;
}

/* The host directory of the container's own cgroup in @c, into @buf:
 * the host's mount point plus the path below that mount's root.  -ENOENT
 * when init has no cgroup there that this mount shows. */
static int
own_directory (const View *v, const UrunPlanCgroup *c, char buf[PATH_MAX])
{
  size_t len = 0, root_len = strlen (c->host_root), mount_len = strlen (c->host_mount);
  const char *path = own_path (v->own, c->id, &len);

  if (strcmp (c->host_root, "/") == 0)
    root_len = 0;
  if (path == NULL || len < root_len || memcmp (path, c->host_root, root_len) != 0
      || (len > root_len && path[root_len] != '/'))
    return -ENOENT;
  path += root_len;
  len -= root_len;
  if (mount_len + len + 1 > PATH_MAX)
    return -ENAMETOOLONG;
  memcpy (buf, c->host_mount, mount_len);
  memcpy (buf + mount_len, path, len);
  buf[mount_len + len] = '\0';
  return 0;
}

/* The directory @name in @parent_fd, or the destination when @name is
 * NULL: after a mount, the mount's root. */
static int
reopen (const View *v, int parent_fd, const char *name)
{
  int fd;

  if (name == NULL)
    return urun_init_open_in_root (v->root_fd, v->m->destination, URUN_INIT_CREATE_NONE);
  fd = openat (parent_fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  return fd < 0 ? -errno : fd;
}

/* Mounts @c (NULL: a fresh cgroup2 in the namespace, when the host has no
 * v2 mount) on @parent_fd/@name, or on the destination @target_fd when
 * @name is NULL.  0 or -errno. */
static int
mount_hierarchy (const View *v, const UrunPlanCgroup *c, int parent_fd, const char *name,
                 int target_fd, const char *v2_data)
{
  char path[URUN_INIT_FD_PATH_MAX];
  char source[PATH_MAX];
  URUN_AUTOCLOSE int mnt_fd = -1;
  int r;

  if (v->in_ns)
    {
      const char *type = c != NULL && c->controllers != NULL ? "cgroup" : "cgroup2";
      const char *data = c != NULL && c->controllers != NULL ? c->controllers : v2_data;

      if (mount (type, urun_init_fd_path (path, target_fd), type, v->flags, data) < 0)
        return -errno;
      return 0;
    }
  if (c == NULL)
    return -ENOENT;
  r = own_directory (v, c, source);
  if (r < 0)
    return r;
  if (mount (source, urun_init_fd_path (path, target_fd), NULL, MS_BIND, NULL) < 0)
    return -errno;
  /* A bind takes the flags of its source (the host's, read-write): they
   * take a remount. */
  mnt_fd = reopen (v, parent_fd, name);
  if (mnt_fd < 0)
    return mnt_fd;
  /* Like every bind urun makes: a peer of the host's hierarchy under a
   * shared "/" would carry mounts made in it back (urun-init-mounts.c). */
  r = urun_init_keep_bind_from_caller (v->plan, mnt_fd);
  if (r < 0)
    return r;
  return urun_init_remount_bind (mnt_fd, NULL, v->flags, v->clear);
}

/* The v2 hierarchy at the destination. */
static int
mount_v2 (const View *v, int dest_fd, UrunInitFailure *failure)
{
  const UrunPlanCgroup *c = NULL;
  const char *data = v->m->type != NULL && strcmp (v->m->type, "cgroup2") == 0
                     ? v->m->flags.data : NULL;
  int r;

  for (size_t i = 0; i < v->plan->n_cgroups && c == NULL; i++)
    if (v->plan->cgroups[i].controllers == NULL)
      c = &v->plan->cgroups[i];
  r = mount_hierarchy (v, c, -1, NULL, dest_fd, data);
  if (r < 0)
    return fail_at (v, failure, r, NULL);
  return 0;
}

/* A tmpfs at the destination with a directory per hierarchy. */
static int
mount_v1 (const View *v, int dest_fd, UrunInitFailure *failure)
{
  char path[URUN_INIT_FD_PATH_MAX];
  URUN_AUTOCLOSE int tmpfs_fd = -1;
  int r;

  /* Writable until the directories and links are in. */
  if (mount ("tmpfs", urun_init_fd_path (path, dest_fd), "tmpfs", v->flags & ~MS_RDONLY,
             "mode=755,size=64k")
      < 0)
    return fail_at (v, failure, errno, NULL);
  tmpfs_fd = reopen (v, -1, NULL);
  if (tmpfs_fd < 0)
    return fail_at (v, failure, tmpfs_fd, NULL);

  for (size_t i = 0; i < v->plan->n_cgroups; i++)
    {
      const UrunPlanCgroup *c = &v->plan->cgroups[i];
      URUN_AUTOCLOSE int dir_fd = -1;

      if (mkdirat (tmpfs_fd, c->name, 0755) < 0)
        return fail_at (v, failure, errno, c->name);
      dir_fd = reopen (v, tmpfs_fd, c->name);
      if (dir_fd < 0)
        return fail_at (v, failure, dir_fd, c->name);
      r = mount_hierarchy (v, c, tmpfs_fd, c->name, dir_fd, NULL);
      /* A hierarchy the kernel no longer has (ENODEV), or in which init
       * has no cgroup this mount shows (ENOENT, urun itself in a
       * container), is left out, as crun does. */
      if (r == -ENOENT || r == -ENODEV)
        {
          unlinkat (tmpfs_fd, c->name, AT_REMOVEDIR);
          continue;
        }
      if (r < 0)
        return fail_at (v, failure, r, c->name);
      for (size_t j = 0; c->links != NULL && c->links[j] != NULL; j++)
        if (symlinkat (c->name, tmpfs_fd, c->links[j]) < 0 && errno != EEXIST)
          return fail_at (v, failure, errno, c->links[j]);
    }

  if (v->flags & MS_RDONLY)
    {
      r = urun_init_remount_bind (tmpfs_fd, NULL, v->flags, 0);
      if (r < 0)
        return fail_at (v, failure, r, NULL);
    }
  return 0;
}

int
urun_init_mount_cgroup (const UrunInitPlan *plan, int root_fd, int dest_fd,
                        const UrunPlanMount *m, UrunInitFailure *failure)
{
  View v;
  const unsigned long forced = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  bool rw = !(m->flags.flags & MS_RDONLY) && (m->flags.clear_flags & MS_RDONLY);
  int r;

  v.plan = plan;
  v.m = m;
  v.root_fd = root_fd;
  v.in_ns = has_cgroup_namespace (plan);
  v.flags = (m->flags.flags & (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME))
            | forced | (rw ? 0 : MS_RDONLY);
  v.clear = m->flags.clear_flags & URUN_INIT_PER_MOUNT_FLAGS & ~forced & ~MS_RDONLY;
  v.own[0] = '\0';
  if (!v.in_ns)
    {
      r = read_own_cgroups (v.own, sizeof v.own);
      if (r < 0)
        return urun_init_fail (failure, URUN_STEP_MOUNT, r, "/proc/self/cgroup");
    }

  if (plan->cgroup_unified || (m->type != NULL && strcmp (m->type, "cgroup2") == 0))
    return mount_v2 (&v, dest_fd, failure);
  return mount_v1 (&v, dest_fd, failure);
}
