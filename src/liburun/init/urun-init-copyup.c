/* urun-init-copyup.c: tmpcopyup, the image's contents of a directory
 * copied into the tmpfs mounted over it (see urun_init_copy_up() in
 * urun-init-fs.h).
 *
 * Zone: init.  No GLib, no allocation, no stdio: the tree is walked with
 * getdents64() into buffers on the stack, one per level.
 */
#include "config.h"

#include "init/urun-init-fs.h"
#include "util/urun-fd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* tmpcopyup: how deep a tree is copied.  Each level holds a directory
 * buffer on the stack. */
#define COPYUP_MAX_DEPTH 32

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

/* tmpcopyup: the directory's original contents, read through @orig_fd
 * (taken before the mount covered them), copied into the new tmpfs. */
int
urun_init_copy_up (int orig_fd, int mnt_fd, const UrunPlanMount *m, UrunInitFailure *failure)
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
      else if (!urun_init_data_has_key (m->flags.data, "mode")
               && fchmod (dst, st.st_mode & 07777) < 0)
        r = -errno;
    }
  if (r < 0)
    {
      if (urun_init_path_join (detail, sizeof detail, m->destination, where) < 0)
        urun_init_strlcpy (detail, m->destination, sizeof detail);
      return urun_init_fail (failure, URUN_STEP_MOUNT, r, detail);
    }
  return 0;
}
