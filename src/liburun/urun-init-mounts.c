/* urun-init-mounts.c: the container's root filesystem, built by init (see
 * urun-init.h for the two entry points and their order).
 *
 * Zone: init.  No GLib, no allocation, no stdio: raw system calls, fixed
 * buffers on the stack, every fd O_CLOEXEC, failures through
 * urun_init_fail() with the path concerned.
 *
 * The one rule of this file: a path inside the container is never resolved
 * by the host's rules.  The rootfs belongs to whoever built the image, and a
 * symlink `/evil -> /` in it must not turn the mount destination /evil/etc
 * into the host's /etc.  So every container path is resolved with
 * openat2(RESOLVE_IN_ROOT) from an O_PATH fd of the rootfs, which treats
 * absolute symlinks and ".." as the rootfs's own; missing components are
 * created one at a time with mkdirat() under an fd that was itself resolved
 * that way; and a mount lands on the resolved fd through its
 * /proc/self/fd/N path, never on a path string the kernel would resolve
 * again.
 *
 * Why mount(2) through /proc/self/fd and not the new mount API everywhere:
 * mount(2) takes the filesystem data as the one comma-separated string the
 * spec gives us (fsconfig() would need each option split out and typed),
 * and it is what every kernel and LSM policy knows.  Before pivot_root the
 * host's /proc is still visible in our mount namespace, so the fd paths
 * always resolve.  After pivot_root the container may have no /proc, so
 * maskedPaths and readonlyPaths use open_tree()/move_mount()/
 * mount_setattr(), which address mounts by fd alone (Linux 5.12).
 * Idmapped binds use them too: only mount_setattr() can attach a user
 * namespace to a mount.
 */
#include "config.h"

#include "urun-init.h"
#include "urun-fd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000 /* statfs f_flags, Linux 5.10; glibc 2.36 lacks the name */
#endif

/* How container paths are resolved: inside the root, and never through
 * /proc's magic links, which jump anywhere regardless of the root. */
#define RESOLVE_CONTAINER (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)

/* Flags of one mount (not of its filesystem) that a bind remount sets. */
#define PER_MOUNT_FLAGS                                                                  \
  (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME \
   | MS_STRICTATIME | MS_NOSYMFOLLOW)
#define ATIME_FLAGS (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)

/* tmpcopyup: how deep a tree is copied.  Each level holds a directory
 * buffer on the stack. */
#define COPYUP_MAX_DEPTH 32

/* "/proc/self/fd/" plus the digits of an int. */
#define FD_PATH_MAX 32

typedef enum
{
  CREATE_NONE,
  CREATE_DIR,
  CREATE_FILE,
} CreateMode;

/* ---- small helpers ------------------------------------------------------ */

static int
sys_openat2 (int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
  struct open_how how;
  long fd;

  memset (&how, 0, sizeof how);
  how.flags = flags | O_CLOEXEC;
  how.resolve = resolve;
  /* EAGAIN: a rename or mount raced with a RESOLVE_IN_ROOT walk; the
   * kernel asks for a retry rather than risk a wrong answer. */
  for (int tries = 0; tries < 32; tries++)
    {
      fd = syscall (SYS_openat2, dirfd, path, &how, sizeof how);
      if (fd >= 0 || errno != EAGAIN)
        break;
    }
  return fd < 0 ? -errno : (int) fd;
}

/* "/proc/self/fd/N" for @fd into @buf; no snprintf in this zone. */
static const char *
fd_path (char buf[FD_PATH_MAX], int fd)
{
  static const char prefix[] = "/proc/self/fd/";
  char digits[16];
  size_t n = 0, len = sizeof prefix - 1;

  memcpy (buf, prefix, len);
  do
    {
      digits[n++] = (char) ('0' + fd % 10);
      fd /= 10;
    }
  while (fd > 0 && n < sizeof digits);
  while (n > 0)
    buf[len++] = digits[--n];
  buf[len] = '\0';
  return buf;
}

/* @a + "/" + @b into @buf; -ENAMETOOLONG when it does not fit. */
static int
path_join (char *buf, size_t size, const char *a, const char *b)
{
  size_t la = strlen (a), lb = strlen (b);

  while (la > 0 && a[la - 1] == '/')
    la--;
  while (*b == '/')
    b++, lb--;
  if (la + 1 + lb + 1 > size)
    return -ENAMETOOLONG;
  memcpy (buf, a, la);
  buf[la] = '/';
  memcpy (buf + la + 1, b, lb + 1);
  return 0;
}

/* TRUE when the comma-separated @data has an option named @key ("mode"
 * matches "mode=755" but not "ptmxmode=0666"). */
static int
data_has_key (const char *data, const char *key)
{
  size_t klen = strlen (key);

  for (const char *p = data; p != NULL && *p != '\0';)
    {
      if (strncmp (p, key, klen) == 0 && (p[klen] == '=' || p[klen] == ',' || p[klen] == '\0'))
        return 1;
      p = strchr (p, ',');
      if (p != NULL)
        p++;
    }
  return 0;
}

/* The per-mount flags a mount has now, as MS_* (statfs reports them as
 * ST_*, with the same values for the ones that matter but spelled apart). */
static unsigned long
current_mount_flags (int fd)
{
  struct statfs st;
  unsigned long flags = 0;

  if (fstatfs (fd, &st) < 0)
    return 0;
  if (st.f_flags & ST_RDONLY)
    flags |= MS_RDONLY;
  if (st.f_flags & ST_NOSUID)
    flags |= MS_NOSUID;
  if (st.f_flags & ST_NODEV)
    flags |= MS_NODEV;
  if (st.f_flags & ST_NOEXEC)
    flags |= MS_NOEXEC;
  if (st.f_flags & ST_NODIRATIME)
    flags |= MS_NODIRATIME;
  if (st.f_flags & ST_NOSYMFOLLOW)
    flags |= MS_NOSYMFOLLOW;
  /* The atime mode is one of three; "none of the bits" is strictatime, and
   * a remount that names none of them would get relatime. */
  if (st.f_flags & ST_NOATIME)
    flags |= MS_NOATIME;
  else if (st.f_flags & ST_RELATIME)
    flags |= MS_RELATIME;
  else
    flags |= MS_STRICTATIME;
  return flags;
}

/* ---- resolving container paths ------------------------------------------ */

/* Opens @path (absolute or not: it is always taken relative to the root)
 * inside the root @root_fd as an O_PATH fd, following symlinks only inside
 * the root.  With @create, missing components are created: directories,
 * and the last one as @create says.  Returns the fd or -errno. */
static int
open_in_root (int root_fd, const char *path, CreateMode create)
{
  char prefix[PATH_MAX];
  size_t len = 0;
  int parent;
  int fd;

  fd = sys_openat2 (root_fd, path, O_PATH, RESOLVE_CONTAINER);
  if (fd != -ENOENT || create == CREATE_NONE)
    return fd;

  /* Walk it again component by component.  Each prefix is resolved from
   * the root, like the whole path above, and a missing component is created
   * with mkdirat() under its parent's fd: a name without '/' cannot leave
   * the directory it is created in. */
  parent = sys_openat2 (root_fd, ".", O_PATH | O_DIRECTORY, RESOLVE_CONTAINER);
  if (parent < 0)
    return parent;
  for (const char *p = path; *p != '\0';)
    {
      char name[NAME_MAX + 1];
      const char *end;
      size_t n;
      int last;

      while (*p == '/')
        p++;
      if (*p == '\0')
        break;
      for (end = p; *end != '\0' && *end != '/'; end++)
        ;
      n = (size_t) (end - p);
      if (n > NAME_MAX || len + n + 2 > sizeof prefix)
        {
          close (parent);
          return -ENAMETOOLONG;
        }
      memcpy (name, p, n);
      name[n] = '\0';
      p = end;
      while (*end == '/')
        end++;
      last = *end == '\0';
      if (strcmp (name, ".") == 0)
        continue;

      if (len > 0)
        prefix[len++] = '/';
      memcpy (prefix + len, name, n + 1);
      len += n;

      fd = sys_openat2 (root_fd, prefix, O_PATH, RESOLVE_CONTAINER);
      if (fd == -ENOENT && strcmp (name, "..") != 0)
        {
          int r;

          if (!last || create == CREATE_DIR)
            r = mkdirat (parent, name, 0755);
          else
            {
              /* O_EXCL does not follow a symlink in the last component:
               * a dangling link stays untouched and fails below. */
              r = openat (parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                          0644);
              if (r >= 0)
                r = close (r);
            }
          if (r < 0 && errno != EEXIST)
            {
              r = -errno;
              close (parent);
              return r;
            }
          /* EEXIST: somebody made it, or it is a dangling symlink, which
           * resolves to ENOENT again and fails. */
          fd = sys_openat2 (root_fd, prefix, O_PATH, RESOLVE_CONTAINER);
        }
      close (parent);
      if (fd < 0)
        return fd;
      parent = fd;
    }
  return parent;
}

/* Splits @path into the directory part (into @dir) and the last name;
 * returns the name or NULL when @path has none ("/"). */
static const char *
split_path (const char *path, char dir[PATH_MAX])
{
  const char *slash = strrchr (path, '/');
  size_t n;

  if (slash == NULL)
    {
      dir[0] = '.';
      dir[1] = '\0';
      return path[0] != '\0' ? path : NULL;
    }
  n = (size_t) (slash - path);
  if (n >= PATH_MAX)
    n = PATH_MAX - 1;
  memcpy (dir, path, n);
  dir[n] = '\0';
  if (n == 0)
    {
      dir[0] = '/';
      dir[1] = '\0';
    }
  return slash[1] != '\0' ? slash + 1 : NULL;
}

/* ---- changing mounts ---------------------------------------------------- */

/* Sets the per-mount flags of the bind mount whose root is @mnt_fd, reached
 * through @path (NULL: its /proc/self/fd path).
 *
 * Why this dance: MS_REMOUNT|MS_BIND sets *all* per-mount flags to the
 * ones given, and in a user namespace the kernel refuses (EPERM) to clear
 * the flags the mount had when the namespace got it (nodev, nosuid, noexec,
 * ro, the atime mode are "locked").  So the flags the mount has now are
 * kept, except those the config turned off explicitly ("dev", "rw"...);
 * when even that is refused, everything it has now is kept. */
static int
remount_bind (int mnt_fd, const char *path, unsigned long set, unsigned long clear)
{
  char buf[FD_PATH_MAX];
  unsigned long now = current_mount_flags (mnt_fd);
  unsigned long keep = now & ~clear;
  unsigned long flags;

  set &= PER_MOUNT_FLAGS;
  if (set & ATIME_FLAGS)
    keep &= ~ATIME_FLAGS;
  flags = MS_REMOUNT | MS_BIND | set | keep;
  if (path == NULL)
    path = fd_path (buf, mnt_fd);
  if (mount (NULL, path, NULL, flags, NULL) == 0)
    return 0;
  if (errno != EPERM)
    return -errno;
  flags = MS_REMOUNT | MS_BIND | (set & ~ATIME_FLAGS) | now;
  if (mount (NULL, path, NULL, flags, NULL) < 0)
    return -errno;
  return 0;
}

/* Recursive attributes (rro, rnosuid, ...) of the mount tree at @mnt_fd. */
static int
set_recursive_attrs (int mnt_fd, uint64_t attr_set, uint64_t attr_clear)
{
  struct mount_attr attr;

  memset (&attr, 0, sizeof attr);
  attr.attr_set = attr_set;
  attr.attr_clr = attr_clear;
  if (mount_setattr (mnt_fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
    return -errno;
  return 0;
}

static uint64_t
attrs_from_flags (unsigned long flags)
{
  uint64_t attrs = 0;

  if (flags & MS_RDONLY)
    attrs |= MOUNT_ATTR_RDONLY;
  if (flags & MS_NOSUID)
    attrs |= MOUNT_ATTR_NOSUID;
  if (flags & MS_NODEV)
    attrs |= MOUNT_ATTR_NODEV;
  if (flags & MS_NOEXEC)
    attrs |= MOUNT_ATTR_NOEXEC;
  return attrs;
}

/* ---- tmpcopyup ---------------------------------------------------------- */

static int
copy_file_data (int in, int out)
{
  char buf[8192];

  for (;;)
    {
      ssize_t n = read (in, buf, sizeof buf);
      ssize_t done = 0;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -errno;
      if (n == 0)
        return 0;
      while (done < n)
        {
          ssize_t w = write (out, buf + done, (size_t) (n - done));
          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            return -errno;
          done += w;
        }
    }
}

/* Owner and mode like @st.  An owner with no mapping in our user namespace
 * (EINVAL) cannot be given; the copy stays ours then. */
static int
copy_owner_mode (int fd, const struct stat *st)
{
  if (fchown (fd, st->st_uid, st->st_gid) < 0 && errno != EINVAL)
    return -errno;
  if (fchmod (fd, st->st_mode & 07777) < 0)
    return -errno;
  return 0;
}

static int
copy_symlink (int src_dir, int dst_dir, const char *name, const struct stat *st)
{
  char target[PATH_MAX];
  ssize_t n = readlinkat (src_dir, name, target, sizeof target - 1);

  if (n < 0)
    return -errno;
  target[n] = '\0';
  if (symlinkat (target, dst_dir, name) < 0)
    return -errno;
  if (fchownat (dst_dir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0
      && errno != EINVAL)
    return -errno;
  return 0;
}

static int
copy_regular (int src_dir, int dst_dir, const char *name, const struct stat *st)
{
  URUN_AUTOCLOSE int in = openat (src_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  URUN_AUTOCLOSE int out = -1;
  int r;

  if (in < 0)
    return -errno;
  out = openat (dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (out < 0)
    return -errno;
  r = copy_file_data (in, out);
  if (r < 0)
    return r;
  return copy_owner_mode (out, st);
}

/* Copies the contents of @src_dir into @dst_dir (both O_RDONLY directory
 * fds): directories, regular files, symlinks, fifos, with owners and
 * modes.  Device nodes are copied where mknod is allowed.  On failure the
 * name concerned is left in @where. */
static int
copy_tree (int src_dir, int dst_dir, int depth, char where[NAME_MAX + 1])
{
  char buf[4096] __attribute__ ((aligned (8)));

  if (depth > COPYUP_MAX_DEPTH)
    return -ELOOP;
  for (;;)
    {
      ssize_t n = getdents64 (src_dir, buf, sizeof buf);

      if (n < 0)
        return -errno;
      if (n == 0)
        return 0;
      for (ssize_t off = 0; off < n;)
        {
          struct dirent64 *entry = (struct dirent64 *) (buf + off);
          const char *name = entry->d_name;
          struct stat st;
          int r = 0;

          off += entry->d_reclen;
          if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
            continue;
          urun_init_strlcpy (where, name, NAME_MAX + 1);
          if (fstatat (src_dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            return -errno;
          if (S_ISDIR (st.st_mode))
            {
              URUN_AUTOCLOSE int sub_src = -1;
              URUN_AUTOCLOSE int sub_dst = -1;

              if (mkdirat (dst_dir, name, 0700) < 0)
                return -errno;
              sub_src = openat (src_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
              sub_dst = openat (dst_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
              if (sub_src < 0 || sub_dst < 0)
                return -errno;
              r = copy_tree (sub_src, sub_dst, depth + 1, where);
              /* The mode last, so that a read-only directory can be
               * filled first. */
              if (r == 0)
                r = copy_owner_mode (sub_dst, &st);
            }
          else if (S_ISREG (st.st_mode))
            r = copy_regular (src_dir, dst_dir, name, &st);
          else if (S_ISLNK (st.st_mode))
            r = copy_symlink (src_dir, dst_dir, name, &st);
          else if (S_ISFIFO (st.st_mode) || S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode))
            {
              /* A device node in a user namespace is EPERM: skip it, as a
               * bind of the image's node would be the only alternative. */
              if (mknodat (dst_dir, name, st.st_mode, st.st_rdev) < 0)
                r = errno == EPERM ? 0 : -errno;
              else if (fchownat (dst_dir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0
                       && errno != EINVAL)
                r = -errno;
            }
          /* Sockets are bound by a process; a copy would be meaningless. */
          if (r < 0)
            return r;
        }
    }
}

/* ---- the mounts ---------------------------------------------------------- */

/* Re-resolves @m's destination, which now names the new mount's root (the
 * fd used to mount names what it covers). */
static int
reopen_destination (int root_fd, const UrunPlanMount *m, UrunInitFailure *failure)
{
  int fd = open_in_root (root_fd, m->destination, CREATE_NONE);

  if (fd < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT_DESTINATION, fd, m->destination);
  return fd;
}

/* An rbind of @host_path at @dest_fd, read-only all the way down (plus the
 * nosuid/nodev/noexec of @flags): the fallback for sysfs and cgroup. */
static int
rbind_readonly (const char *host_path, int root_fd, int dest_fd, const UrunPlanMount *m,
                UrunInitFailure *failure)
{
  char path[FD_PATH_MAX];
  URUN_AUTOCLOSE int mnt_fd = -1;
  int r;

  if (mount (host_path, fd_path (path, dest_fd), NULL, MS_BIND | MS_REC, NULL) < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
  mnt_fd = reopen_destination (root_fd, m, failure);
  if (mnt_fd < 0)
    return mnt_fd;
  r = set_recursive_attrs (mnt_fd, MOUNT_ATTR_RDONLY | attrs_from_flags (m->flags.flags), 0);
  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT, r, m->destination);
  return 0;
}

/* Why sysfs falls back to the host's: the kernel lets a user namespace
 * mount sysfs only when the mounter's network namespace belongs to it.  A
 * container that shares the host's network has to see the host's /sys; it
 * gets it read-only. */
static int
mount_sysfs (int root_fd, int dest_fd, const UrunPlanMount *m, UrunInitFailure *failure)
{
  char path[FD_PATH_MAX];
  unsigned long flags = m->flags.flags & ~(MS_BIND | MS_REC | MS_REMOUNT);

  if (mount (m->source, fd_path (path, dest_fd), "sysfs", flags, m->flags.data) == 0)
    return 0;
  if (errno != EPERM && errno != EACCES)
    return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
  return rbind_readonly ("/sys", root_fd, dest_fd, m, failure);
}

/* Why cgroup2 only sometimes: a fresh cgroup2 mount is the container's
 * own view only when the host runs the unified hierarchy and the container
 * has a cgroup namespace (as root without one it would show the host's whole
 * tree, exactly like the bind).  On a v1 or hybrid host there is no single
 * cgroup2 tree to give, and v1 controllers cannot be mounted from a user
 * namespace, so the host's /sys/fs/cgroup is rbound, read-only: a
 * container must not write to the host's cgroups. */
static int
mount_cgroup (const UrunInitPlan *plan, int root_fd, int dest_fd, const UrunPlanMount *m,
              UrunInitFailure *failure)
{
  char path[FD_PATH_MAX];
  struct statfs st;
  unsigned long flags = m->flags.flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
  int unified = statfs ("/sys/fs/cgroup", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
  int own_ns = (plan->clone_flags & CLONE_NEWCGROUP) != 0;

  if (unified && (own_ns || !plan->new_userns))
    {
      const char *data = m->type != NULL && strcmp (m->type, "cgroup2") == 0 ? m->flags.data
                                                                             : NULL;

      if (mount ("cgroup2", fd_path (path, dest_fd), "cgroup2", flags, data) == 0)
        return 0;
      if (errno != EPERM && errno != EACCES && errno != EBUSY)
        return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
    }
  return rbind_readonly ("/sys/fs/cgroup", root_fd, dest_fd, m, failure);
}

/* An idmapped bind: a detached copy of the source, the user namespace
 * attached to it, then moved onto the destination. */
static int
mount_idmapped (int dest_fd, const UrunPlanMount *m, UrunInitFailure *failure)
{
  URUN_AUTOCLOSE int tree = -1;
  struct mount_attr attr;
  unsigned recursive = (m->flags.flags & MS_REC) ? AT_RECURSIVE : 0;

  tree = open_tree (AT_FDCWD, m->source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | recursive);
  if (tree < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->source);
  memset (&attr, 0, sizeof attr);
  attr.attr_set = MOUNT_ATTR_IDMAP;
  attr.userns_fd = (uint64_t) m->userns_fd;
  if (mount_setattr (tree, "", AT_EMPTY_PATH
                     | ((m->flags.extensions & URUN_MOUNT_EXT_RIDMAP) ? AT_RECURSIVE : 0),
                     &attr, sizeof attr) < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
  if (move_mount (tree, "", dest_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
  return 0;
}

/* tmpcopyup: the directory's original contents, read through @orig_fd
 * (taken before the mount covered them), copied into the new tmpfs. */
static int
copy_up (int orig_fd, int mnt_fd, const UrunPlanMount *m, UrunInitFailure *failure)
{
  URUN_AUTOCLOSE int src = openat (orig_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  URUN_AUTOCLOSE int dst = openat (mnt_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  char where[NAME_MAX + 1] = "";
  char detail[PATH_MAX];
  struct stat st;
  int r;

  if (src < 0 || dst < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
  r = copy_tree (src, dst, 0, where);
  /* The tmpfs's root takes the directory's owner, and its mode unless the
   * config gave one. */
  if (r == 0 && fstat (src, &st) == 0)
    {
      if (fchown (dst, st.st_uid, st.st_gid) < 0 && errno != EINVAL)
        r = -errno;
      else if (!data_has_key (m->flags.data, "mode") && fchmod (dst, st.st_mode & 07777) < 0)
        r = -errno;
    }
  if (r < 0)
    {
      if (path_join (detail, sizeof detail, m->destination, where) < 0)
        urun_init_strlcpy (detail, m->destination, sizeof detail);
      return urun_init_fail (failure, URUN_STEP_MOUNT, r, detail);
    }
  return 0;
}

static int
mount_one (const UrunInitPlan *plan, int root_fd, const UrunPlanMount *m,
           UrunInitFailure *failure)
{
  char path[FD_PATH_MAX];
  URUN_AUTOCLOSE int dest_fd = -1;
  URUN_AUTOCLOSE int mnt_fd = -1;
  unsigned long flags = m->flags.flags;
  int r;

  dest_fd = open_in_root (root_fd, m->destination,
                          m->source_is_dir ? CREATE_DIR : CREATE_FILE);
  if (dest_fd < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT_DESTINATION, dest_fd, m->destination);

  switch (m->kind)
    {
    case URUN_PLAN_MOUNT_BIND:
      if (m->userns_fd >= 0)
        r = mount_idmapped (dest_fd, m, failure);
      else if (mount (m->source, fd_path (path, dest_fd), NULL, flags & (MS_BIND | MS_REC), NULL)
               < 0)
        r = urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
      else
        r = 0;
      if (r < 0)
        return r;
      mnt_fd = reopen_destination (root_fd, m, failure);
      if (mnt_fd < 0)
        return mnt_fd;
      /* A bind ignores ro, nosuid...: they take a remount. */
      if ((flags | m->flags.clear_flags) & PER_MOUNT_FLAGS)
        {
          r = remount_bind (mnt_fd, NULL, flags, m->flags.clear_flags);
          if (r < 0)
            return urun_init_fail (failure, URUN_STEP_MOUNT, r, m->destination);
        }
      break;

    case URUN_PLAN_MOUNT_SYSFS:
      r = mount_sysfs (root_fd, dest_fd, m, failure);
      if (r < 0)
        return r;
      break;

    case URUN_PLAN_MOUNT_CGROUP:
      r = mount_cgroup (plan, root_fd, dest_fd, m, failure);
      if (r < 0)
        return r;
      break;

    case URUN_PLAN_MOUNT_FS:
    default:
      if (mount (m->source, fd_path (path, dest_fd), m->type, flags & ~MS_REC, m->flags.data)
          < 0)
        return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
      break;
    }

  if (mnt_fd < 0)
    {
      mnt_fd = reopen_destination (root_fd, m, failure);
      if (mnt_fd < 0)
        return mnt_fd;
    }
  if (m->flags.extensions & URUN_MOUNT_EXT_TMPCOPYUP)
    {
      /* dest_fd still names the directory the mount now covers. */
      r = copy_up (dest_fd, mnt_fd, m, failure);
      if (r < 0)
        return r;
    }
  if (m->flags.propagation != 0
      && mount (NULL, fd_path (path, mnt_fd), NULL, m->flags.propagation, NULL) < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
  if (m->flags.attr_set != 0 || m->flags.attr_clear != 0)
    {
      r = set_recursive_attrs (mnt_fd, m->flags.attr_set, m->flags.attr_clear);
      if (r < 0)
        return urun_init_fail (failure, URUN_STEP_MOUNT, r, m->destination);
    }
  return 0;
}

/* ---- devices ------------------------------------------------------------- */

static mode_t
device_file_type (char type)
{
  switch (type)
    {
    case 'b':
      return S_IFBLK;
    case 'p':
      return S_IFIFO;
    default:
      return S_IFCHR;
    }
}

/* With bind_devices: an empty file bound over by the host's node of the
 * same path.  Its mode and owner are the host's; a user namespace could
 * not change them anyway. */
static int
bind_device (int dir_fd, const char *name, const UrunPlanDevice *dev, UrunInitFailure *failure)
{
  char path[FD_PATH_MAX];
  URUN_AUTOCLOSE int fd = -1;
  struct stat st;

  fd = openat (dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    return urun_init_fail (failure, URUN_STEP_DEVICES, errno, dev->path);
  urun_close_fdp (&fd);
  /* Something was there (a node of the image): bind over it unless it is
   * a directory or a symlink, which could lead elsewhere. */
  fd = sys_openat2 (dir_fd, name, O_PATH | O_NOFOLLOW, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
  if (fd < 0)
    return urun_init_fail (failure, URUN_STEP_DEVICES, fd, dev->path);
  if (fstat (fd, &st) < 0)
    return urun_init_fail (failure, URUN_STEP_DEVICES, errno, dev->path);
  if (S_ISDIR (st.st_mode) || S_ISLNK (st.st_mode))
    return urun_init_fail (failure, URUN_STEP_DEVICES, EEXIST, dev->path);
  if (mount (dev->path, fd_path (path, fd), NULL, MS_BIND, NULL) < 0)
    return urun_init_fail (failure, URUN_STEP_DEVICES, errno, dev->path);
  return 0;
}

static int
make_device_node (int dir_fd, const char *name, const UrunPlanDevice *dev,
                  UrunInitFailure *failure)
{
  mode_t type = device_file_type (dev->type);
  dev_t rdev = type == S_IFIFO ? 0 : makedev (dev->major, dev->minor);

  if (mknodat (dir_fd, name, type | (dev->mode & 07777), rdev) < 0)
    {
      struct stat st;

      if (errno != EEXIST)
        return urun_init_fail (failure, URUN_STEP_DEVICES, errno, dev->path);
      /* The image has one already: keep it when it is the same device,
       * else replace it (unlinkat without AT_REMOVEDIR leaves directories
       * alone). */
      if (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return urun_init_fail (failure, URUN_STEP_DEVICES, errno, dev->path);
      if ((st.st_mode & S_IFMT) != type || (type != S_IFIFO && st.st_rdev != rdev))
        {
          if (unlinkat (dir_fd, name, 0) < 0
              || mknodat (dir_fd, name, type | (dev->mode & 07777), rdev) < 0)
            return urun_init_fail (failure, URUN_STEP_DEVICES, errno, dev->path);
        }
    }
  if ((dev->uid != 0 || dev->gid != 0)
      && fchownat (dir_fd, name, dev->uid, dev->gid, AT_SYMLINK_NOFOLLOW) < 0)
    return urun_init_fail (failure, URUN_STEP_DEVICES, errno, dev->path);
  /* mknod applied our umask; the config's mode is meant exactly. */
  if (fchmodat (dir_fd, name, dev->mode & 07777, 0) < 0)
    return urun_init_fail (failure, URUN_STEP_DEVICES, errno, dev->path);
  return 0;
}

static int
create_devices (const UrunInitPlan *plan, int root_fd, UrunInitFailure *failure)
{
  for (size_t i = 0; i < plan->n_devices; i++)
    {
      const UrunPlanDevice *dev = &plan->devices[i];
      char dir[PATH_MAX];
      const char *name = split_path (dev->path, dir);
      URUN_AUTOCLOSE int dir_fd = -1;
      int r;

      if (name == NULL || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
        return urun_init_fail (failure, URUN_STEP_DEVICES, EINVAL, dev->path);
      dir_fd = open_in_root (root_fd, dir, CREATE_DIR);
      if (dir_fd < 0)
        return urun_init_fail (failure, URUN_STEP_DEVICES, dir_fd, dev->path);
      /* A fifo is no device: mknod of one is allowed everywhere. */
      if (plan->bind_devices && dev->type != 'p')
        r = bind_device (dir_fd, name, dev, failure);
      else
        r = make_device_node (dir_fd, name, dev, failure);
      if (r < 0)
        return r;
    }
  return 0;
}

/* The links every container's /dev has.  An existing entry wins (the
 * config may have bound something there), except a ptmx node, which
 * must become the link to the container's own devpts instance. */
static int
create_dev_links (const UrunInitPlan *plan, int root_fd, UrunInitFailure *failure)
{
  static const struct
  {
    const char *name;
    const char *target;
  } links[] = {
    { "fd", "/proc/self/fd" },
    { "stdin", "/proc/self/fd/0" },
    { "stdout", "/proc/self/fd/1" },
    { "stderr", "/proc/self/fd/2" },
  };
  URUN_AUTOCLOSE int dev_fd = -1;
  URUN_AUTOCLOSE int pts_fd = -1;
  struct statfs sfs;
  struct stat st;

  dev_fd = open_in_root (root_fd, "/dev", CREATE_DIR);
  if (dev_fd < 0)
    return urun_init_fail (failure, URUN_STEP_DEVICES, dev_fd, "/dev");
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
    if (symlinkat (links[i].target, dev_fd, links[i].name) < 0 && errno != EEXIST)
      return urun_init_fail (failure, URUN_STEP_DEVICES, errno, links[i].name);

  /* /dev/ptmx -> pts/ptmx only with a devpts of our own at /dev/pts: the
   * link makes every program use the container's instance. */
  pts_fd = open_in_root (root_fd, "/dev/pts", CREATE_NONE);
  if (pts_fd >= 0 && fstatfs (pts_fd, &sfs) == 0 && sfs.f_type == DEVPTS_SUPER_MAGIC)
    {
      if (fstatat (dev_fd, "ptmx", &st, AT_SYMLINK_NOFOLLOW) == 0)
        {
          /* A mount point cannot be unlinked (EBUSY): whoever bound it
           * there meant it. */
          if (S_ISLNK (st.st_mode) || S_ISDIR (st.st_mode)
              || unlinkat (dev_fd, "ptmx", 0) < 0)
            goto console;
        }
      if (symlinkat ("pts/ptmx", dev_fd, "ptmx") < 0 && errno != EEXIST)
        return urun_init_fail (failure, URUN_STEP_DEVICES, errno, "/dev/ptmx");
    }

console:
  /* The target the console's pty is bound onto.
   * TODO(console): the bind of the pty slave belongs to the terminal code;
   * it finds this file in place. */
  if (plan->create_console)
    {
      int fd = openat (dev_fd, "console", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                       0600);
      if (fd < 0 && errno != EEXIST)
        return urun_init_fail (failure, URUN_STEP_DEVICES, errno, "/dev/console");
      if (fd >= 0)
        close (fd);
    }
  return 0;
}

/* ---- urun_init_prepare_root ---------------------------------------------- */

/* Makes the mount that holds @rootfs private, walking up from @rootfs
 * until mount(MS_PRIVATE) stops failing with EINVAL (not a mount point).
 *
 * Why: with a shared "/" the rootfs bind would propagate back to the host
 * as a new mount, and pivot_root and MS_MOVE refuse a shared parent. */
static int
make_parent_private (const char *rootfs)
{
  char path[PATH_MAX];
  size_t len = urun_init_strlcpy (path, rootfs, sizeof path);

  if (len >= sizeof path)
    return -ENAMETOOLONG;
  for (;;)
    {
      char *slash;

      if (mount (NULL, path, NULL, MS_PRIVATE, NULL) == 0)
        return 0;
      if (errno != EINVAL || strcmp (path, "/") == 0)
        return -errno;
      slash = strrchr (path, '/');
      if (slash == NULL)
        return -EINVAL;
      if (slash == path)
        slash[1] = '\0';
      else
        *slash = '\0';
    }
}

int
urun_init_prepare_root (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  URUN_AUTOCLOSE int root_fd = -1;
  int r;

  /* First "/": the mount namespace is a copy of the host's and shares its
   * propagation; until this call, every mount below would appear on the
   * host too.  The plan says slave (or shared/private, see
   * urun-plan-mounts.c). */
  if (plan->root_propagation != 0
      && mount (NULL, "/", NULL, plan->root_propagation, NULL) < 0)
    return urun_init_fail (failure, URUN_STEP_ROOT_PROPAGATION, errno, "/");
  if (plan->root_propagation & MS_SHARED)
    {
      r = make_parent_private (plan->rootfs);
      if (r < 0)
        return urun_init_fail (failure, URUN_STEP_ROOT_PROPAGATION, r, plan->rootfs);
      /* pivot_root also refuses a shared current root.  "/" is detached
       * after the pivot anyway, so nothing is lost by this. */
      if (mount (NULL, "/", NULL, MS_PRIVATE, NULL) < 0)
        return urun_init_fail (failure, URUN_STEP_ROOT_PROPAGATION, errno, "/");
    }

  /* The rootfs onto itself: pivot_root needs a mount point, and the
   * rootfs's own submounts come along (MS_REC). */
  if (mount (plan->rootfs, plan->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
    return urun_init_fail (failure, URUN_STEP_BIND_ROOTFS, errno, plan->rootfs);

  /* Opened after the bind, so that the fd names the new mount. */
  root_fd = open (plan->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    return urun_init_fail (failure, URUN_STEP_BIND_ROOTFS, errno, plan->rootfs);

  /* In the config's order: later mounts may go inside earlier ones
   * (/dev, then /dev/pts). */
  for (size_t i = 0; i < plan->n_mounts; i++)
    {
      r = mount_one (plan, root_fd, &plan->mounts[i], failure);
      if (r < 0)
        return r;
    }

  /* Devices after the mounts: /dev is usually a tmpfs among them. */
  r = create_devices (plan, root_fd, failure);
  if (r < 0)
    return r;
  return create_dev_links (plan, root_fd, failure);
}

/* ---- urun_init_enter_root ------------------------------------------------ */

/* Resolves a container path after the pivot, without following a symlink
 * in its last component.  ENOENT and a symlink are "nothing to do": 0 and
 * *out_fd -1. */
static int
open_path_nofollow (const char *path, int *out_fd, struct stat *out_st)
{
  int fd = sys_openat2 (AT_FDCWD, path, O_PATH | O_NOFOLLOW, RESOLVE_CONTAINER);

  *out_fd = -1;
  if (fd == -ENOENT || fd == -ENOTDIR)
    return 0;
  if (fd < 0)
    return fd;
  if (fstat (fd, out_st) < 0)
    {
      int r = -errno;
      close (fd);
      return r;
    }
  if (S_ISLNK (out_st->st_mode))
    {
      close (fd);
      return 0;
    }
  *out_fd = fd;
  return 0;
}

/* Moves the detached mount @tree onto @target_fd. */
static int
attach_tree (int tree, int target_fd)
{
  if (move_mount (tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return -errno;
  return 0;
}

/* A masked path: a directory gets an empty read-only tmpfs, anything else
 * /dev/null.  Both by fd, so /proc need not be mounted. */
static int
mask_path (const char *path, UrunInitFailure *failure)
{
  URUN_AUTOCLOSE int target = -1;
  URUN_AUTOCLOSE int tree = -1;
  struct stat st;
  int r = open_path_nofollow (path, &target, &st);

  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_MASK_PATH, r, path);
  if (target < 0)
    return 0;

  if (S_ISDIR (st.st_mode))
    {
      URUN_AUTOCLOSE int fs = fsopen ("tmpfs", FSOPEN_CLOEXEC);

      if (fs < 0 || fsconfig (fs, FSCONFIG_SET_STRING, "size", "0", 0) < 0
          || fsconfig (fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        return urun_init_fail (failure, URUN_STEP_MASK_PATH, errno, path);
      tree = fsmount (fs, FSMOUNT_CLOEXEC,
                      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV
                      | MOUNT_ATTR_NOEXEC);
    }
  else
    tree = open_tree (AT_FDCWD, "/dev/null", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (tree < 0)
    return urun_init_fail (failure, URUN_STEP_MASK_PATH, errno, path);
  r = attach_tree (tree, target);
  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_MASK_PATH, r, path);
  return 0;
}

/* A read-only path: a recursive bind of itself, made read-only all the way
 * down before it is attached.  mount_setattr() changes only the attribute
 * named, so the flags the kernel locks in a user namespace stay as they
 * are. */
static int
readonly_path (const char *path, UrunInitFailure *failure)
{
  URUN_AUTOCLOSE int target = -1;
  URUN_AUTOCLOSE int tree = -1;
  struct mount_attr attr;
  struct stat st;
  int r = open_path_nofollow (path, &target, &st);

  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_READONLY_PATH, r, path);
  if (target < 0)
    return 0;
  tree = open_tree (target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE
                    | AT_EMPTY_PATH);
  if (tree < 0)
    return urun_init_fail (failure, URUN_STEP_READONLY_PATH, errno, path);
  memset (&attr, 0, sizeof attr);
  attr.attr_set = MOUNT_ATTR_RDONLY;
  if (mount_setattr (tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
    return urun_init_fail (failure, URUN_STEP_READONLY_PATH, errno, path);
  r = attach_tree (tree, target);
  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_READONLY_PATH, r, path);
  return 0;
}

int
urun_init_enter_root (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  if (chdir (plan->rootfs) < 0)
    return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, plan->rootfs);

  if (plan->no_pivot)
    {
      /* --no-pivot, for filesystems where pivot_root is impossible (a
       * ramfs root).  The host's root stays reachable under the moved
       * mount; that is why it is not the default. */
      if (mount (plan->rootfs, "/", NULL, MS_MOVE, NULL) < 0)
        return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, plan->rootfs);
      if (chroot (".") < 0)
        return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, plan->rootfs);
    }
  else
    {
      /* pivot_root(".", ".") stacks the old root on top of the new one,
       * with no directory for it to live in. */
      if (syscall (SYS_pivot_root, ".", ".") < 0)
        return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, plan->rootfs);
      /* Why slave before the detach: the old root is still in the host's
       * peer group when "/" was shared, and an unmount would propagate to
       * the host and take its mounts with it. */
      if (mount (NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
        return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, "old root");
      if (umount2 (".", MNT_DETACH) < 0)
        return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, "old root");
    }
  if (chdir ("/") < 0)
    return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, "/");

  /* linux.rootfsPropagation applies to the container's "/", which exists
   * only now. */
  if (plan->rootfs_propagation != 0
      && mount (NULL, "/", NULL, plan->rootfs_propagation, NULL) < 0)
    return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, "rootfsPropagation");

  /* Masks first, so that a read-only path's recursive clone takes the
   * masks below it along (read-only as well). */
  for (size_t i = 0; plan->masked_paths != NULL && plan->masked_paths[i] != NULL; i++)
    {
      int r = mask_path (plan->masked_paths[i], failure);
      if (r < 0)
        return r;
    }
  for (size_t i = 0; plan->readonly_paths != NULL && plan->readonly_paths[i] != NULL; i++)
    {
      int r = readonly_path (plan->readonly_paths[i], failure);
      if (r < 0)
        return r;
    }

  /* root.readonly last: only "/" itself, not the mounts on it (/dev,
   * /proc... stay writable as configured). */
  if (plan->rootfs_readonly)
    {
      URUN_AUTOCLOSE int root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
      int r;

      if (root < 0)
        return urun_init_fail (failure, URUN_STEP_ROOT_READONLY, errno, "/");
      /* By path: /proc, which the fd path needs, may not be mounted. */
      r = remount_bind (root, "/", MS_RDONLY, 0);
      if (r < 0)
        return urun_init_fail (failure, URUN_STEP_ROOT_READONLY, r, "/");
    }
  return 0;
}
