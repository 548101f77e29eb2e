/* urun-init-paths.c: maskedPaths and readonlyPaths, after the pivot (see
 * urun_init_mask_path() in urun-init-fs.h).
 *
 * Zone: init.  No GLib, no allocation, no stdio.
 *
 * Why the new mount API here: after pivot_root the container may have no
 * /proc, so these paths cannot be mounted on through /proc/self/fd/N as the
 * other mounts are.  open_tree()/move_mount()/mount_setattr() address
 * mounts by fd alone (Linux 5.12).
 */
#include "config.h"

#include "init/urun-init-fs.h"
#include "util/urun-fd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/sysmacros.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* Resolves a container path after the pivot, symlinks included, inside
 * the container's root: an absolute or ".." link can lead anywhere in the
 * container but never out of it (RESOLVE_IN_ROOT).  Why follow the last
 * link: a mask on the link itself would leave its target readable under
 * its own name, so /etc/secret -> /data/secret in maskedPaths would mask
 * nothing.  ENOENT (a missing path or a dangling link, as runc) and
 * ENOTDIR are "nothing to do": 0 and *out_fd -1. */
static int
open_path_in_root (const char *path, int *out_fd, struct stat *out_st)
{
  int fd = urun_init_openat2 (AT_FDCWD, path, O_PATH, URUN_INIT_RESOLVE_CONTAINER);

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
  *out_fd = fd;
  return 0;
}

/* The /dev/null that masks files: a detached clone of the host's, made
 * before the pivot, while "/" is still the host's (or the joined mount
 * namespace's), never the rootfs's /dev/null, which the image may have
 * made a regular file or a link to anything.  The first mask attaches
 * this very mount; once attached, it is in the container's mount
 * namespace, and every later mask clones it (older kernels refuse to
 * clone a detached mount). */
static int null_tree = -1;
static bool null_tree_attached;

int
urun_init_open_host_null (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  struct stat st;
  int fd = open_tree (AT_FDCWD, "/dev/null", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

  if (fd < 0)
    return urun_init_fail (failure, URUN_STEP_MASK_PATH, errno, "/dev/null");
  if (fstat (fd, &st) < 0 || !S_ISCHR (st.st_mode) || st.st_rdev != makedev (1, 3))
    {
      close (fd);
      return urun_init_fail (failure, URUN_STEP_MASK_PATH, ENODEV,
                             "/dev/null (not the character device 1:3)");
    }
  /* Kept until execve: above the fds the process is given. */
  fd = urun_fd_move_above (fd, 3 + plan->preserve_fds);
  if (fd < 0)
    return urun_init_fail (failure, URUN_STEP_MASK_PATH, -fd, "/dev/null");
  null_tree = fd;
  return 0;
}

/* A masked path: a directory gets an empty read-only tmpfs, anything else
 * the host's /dev/null.  Both by fd, so /proc need not be mounted. */
int
urun_init_mask_path (const char *path, UrunInitFailure *failure)
{
  URUN_AUTOCLOSE int target = -1;
  URUN_AUTOCLOSE int tree = -1;
  struct stat st;
  int r = open_path_in_root (path, &target, &st);

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
  else if (null_tree < 0)
    return urun_init_fail (failure, URUN_STEP_MASK_PATH, EBADF, "/dev/null");
  else if (!null_tree_attached)
    {
      r = urun_init_move_tree (null_tree, target);
      if (r < 0)
        return urun_init_fail (failure, URUN_STEP_MASK_PATH, r, path);
      null_tree_attached = true;
      return 0;
    }
  else
    tree = open_tree (null_tree, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
  if (tree < 0)
    return urun_init_fail (failure, URUN_STEP_MASK_PATH, errno, path);
  r = urun_init_move_tree (tree, target);
  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_MASK_PATH, r, path);
  return 0;
}

/* A read-only path: a recursive bind of itself, made read-only all the way
 * down before it is attached.  mount_setattr() changes only the attribute
 * named, so the flags the kernel locks in a user namespace stay as they
 * are. */
int
urun_init_readonly_path (const char *path, UrunInitFailure *failure)
{
  URUN_AUTOCLOSE int target = -1;
  URUN_AUTOCLOSE int tree = -1;
  struct stat st;
  int r = open_path_in_root (path, &target, &st);

  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_READONLY_PATH, r, path);
  if (target < 0)
    return 0;
  tree = open_tree (target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE
                    | AT_EMPTY_PATH);
  if (tree < 0)
    return urun_init_fail (failure, URUN_STEP_READONLY_PATH, errno, path);
  r = urun_init_set_recursive_attrs (tree, MOUNT_ATTR_RDONLY, 0);
  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_READONLY_PATH, r, path);
  r = urun_init_move_tree (tree, target);
  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_READONLY_PATH, r, path);
  return 0;
}
