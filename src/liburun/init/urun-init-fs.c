/* urun-init-fs.c: the toolbox of the root-filesystem files in init:
 * resolving container paths inside the rootfs and changing mounts (see
 * urun-init-fs.h for the rule every container path follows).
 *
 * Zone: init.  No GLib, no allocation, no stdio: raw system calls, fixed
 * buffers on the stack, every fd O_CLOEXEC.  Every function returns >= 0
 * on success and -errno on failure; the callers turn that into a
 * urun_init_fail() with the path concerned.
 */
#include "config.h"

#include "init/urun-init-fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000 /* statfs f_flags, Linux 5.10; glibc 2.36 lacks the name */
#endif

/* The atime mode bits: a mount has exactly one of the three modes. */
#define ATIME_FLAGS (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)

/* ---- small helpers ------------------------------------------------------ */

int
urun_init_openat2 (int dirfd, const char *path, uint64_t flags, uint64_t resolve)
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

/* @a + "/" + @b into @buf; -ENAMETOOLONG when it does not fit. */
int
urun_init_path_join (char *buf, size_t size, const char *a, const char *b)
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
int
urun_init_data_has_key (const char *data, const char *key)
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

/* The path a dangling symlink met on the way leads to: the link's
 * @target, taken from the directory of @prefix (the link itself, of
 * @link_len bytes at its end) unless it is absolute, then @rest, the part
 * of the path after the link.  Into @out; 0 or -ENAMETOOLONG. */
static int
follow_dangling (char out[PATH_MAX], const char *prefix, size_t link_len, const char *target,
                 const char *rest)
{
  size_t dir_len = strlen (prefix) - link_len;
  size_t target_len = strlen (target), rest_len = strlen (rest);
  size_t n = 0;

  if (target[0] == '/')
    dir_len = 0;
  if (dir_len + target_len + rest_len + 3 > PATH_MAX)
    return -ENAMETOOLONG;
  memcpy (out, prefix, dir_len);
  n = dir_len;
  out[n++] = '/';
  memcpy (out + n, target, target_len);
  n += target_len;
  out[n++] = '/';
  memcpy (out + n, rest, rest_len + 1);
  return 0;
}

/* Opens @path (absolute or not: it is always taken relative to the root)
 * inside the root @root_fd as an O_PATH fd, following symlinks only inside
 * the root.  With @create, missing components are created: directories,
 * and the last one as @create says.  Returns the fd or -errno.
 *
 * A dangling symlink on the way (a destination /etc/resolv.conf -> the
 * missing /run/resolv.conf) is followed as crun does: its target, resolved
 * inside the root like any path here, is what gets created. */
int
urun_init_open_in_root (int root_fd, const char *path, UrunInitCreate create)
{
  char current[PATH_MAX];
  char next[PATH_MAX];
  int hops = 0;
  int fd;

  fd = urun_init_openat2 (root_fd, path, O_PATH, URUN_INIT_RESOLVE_CONTAINER);
  if (fd != -ENOENT || create == URUN_INIT_CREATE_NONE)
    return fd;
  if (urun_init_strlcpy (current, path, sizeof current) >= sizeof current)
    return -ENAMETOOLONG;

restart:
  {
    char prefix[PATH_MAX];
    size_t len = 0;
    int parent;

    /* Walk it again component by component.  Each prefix is resolved from
     * the root, like the whole path above, and a missing component is
     * created with mkdirat() under its parent's fd: a name without '/'
     * cannot leave the directory it is created in. */
    parent = urun_init_openat2 (root_fd, ".", O_PATH | O_DIRECTORY, URUN_INIT_RESOLVE_CONTAINER);
    if (parent < 0)
      return parent;
    for (const char *p = current; *p != '\0';)
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

        fd = urun_init_openat2 (root_fd, prefix, O_PATH, URUN_INIT_RESOLVE_CONTAINER);
        if (fd == -ENOENT && strcmp (name, "..") != 0)
          {
            char target[PATH_MAX];
            ssize_t target_len;
            int r;

            if (!last || create == URUN_INIT_CREATE_DIR)
              r = mkdirat (parent, name, 0755);
            else
              {
                /* O_EXCL does not follow a symlink in the last component:
                 * a dangling link stays untouched, and is followed below. */
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
            /* EEXIST: somebody made it, or it is a dangling symlink: then
             * the walk starts again on the path through its target. */
            fd = urun_init_openat2 (root_fd, prefix, O_PATH, URUN_INIT_RESOLVE_CONTAINER);
            if (fd == -ENOENT
                && (target_len = readlinkat (parent, name, target, sizeof target - 1)) > 0)
              {
                close (parent);
                target[target_len] = '\0';
                /* The kernel's own limit on links in one lookup. */
                if (++hops > 40)
                  return -ELOOP;
                r = follow_dangling (next, prefix, n, target, end);
                if (r < 0)
                  return r;
                memcpy (current, next, strlen (next) + 1);
                goto restart;
              }
          }
        close (parent);
        if (fd < 0)
          return fd;
        parent = fd;
      }
    return parent;
  }
}

/* Splits @path into the directory part (into @dir) and the last name;
 * returns the name or NULL when @path has none ("/"). */
const char *
urun_init_split_path (const char *path, char dir[PATH_MAX])
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
int
urun_init_remount_bind (int mnt_fd, const char *path, unsigned long set, unsigned long clear)
{
  char buf[URUN_INIT_FD_PATH_MAX];
  unsigned long now = current_mount_flags (mnt_fd);
  unsigned long keep = now & ~clear;
  unsigned long flags;

  set &= URUN_INIT_PER_MOUNT_FLAGS;
  if (set & ATIME_FLAGS)
    keep &= ~ATIME_FLAGS;
  flags = MS_REMOUNT | MS_BIND | set | keep;
  if (path == NULL)
    path = urun_init_fd_path (buf, mnt_fd);
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
int
urun_init_set_recursive_attrs (int mnt_fd, uint64_t attr_set, uint64_t attr_clear)
{
  struct mount_attr attr;

  memset (&attr, 0, sizeof attr);
  attr.attr_set = attr_set;
  attr.attr_clr = attr_clear;
  if (mount_setattr (mnt_fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
    return -errno;
  return 0;
}

/* Attaches the detached mount @tree onto @target_fd, both by fd. */
int
urun_init_move_tree (int tree, int target_fd)
{
  if (move_mount (tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return -errno;
  return 0;
}

/* Under rootfsPropagation (r)shared, "/" keeps the peer groups it shares
 * with the caller's namespace (see root_propagation_for() in
 * urun-plan-mounts.c), and a bind of a shared source is a peer of it: a
 * mount made later on or inside the bind (/dev/pts in a bind of /dev)
 * would appear in the caller's namespace too.  So each bind urun makes
 * becomes a slave, recursively, before anything is mounted into it: it
 * still receives the caller's mounts but sends nothing back.  A bind whose
 * own options ask for shared propagation is left a peer (the plan builder
 * keeps urun's own mounts out of it).  Elsewhere "/" is a slave or private
 * already and so is every bind. */
int
urun_init_keep_bind_from_caller (const UrunInitPlan *plan, int mnt_fd)
{
  char path[URUN_INIT_FD_PATH_MAX];

  if (!(plan->root_propagation & MS_SHARED))
    return 0;
  if (mount (NULL, urun_init_fd_path (path, mnt_fd), NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return -errno;
  return 0;
}

uint64_t
urun_init_attrs_from_flags (unsigned long flags)
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
