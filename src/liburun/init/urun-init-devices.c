/* urun-init-devices.c: linux.devices and the links every container's /dev
 * has, made by init inside the rootfs after the mounts (see
 * urun_init_create_devices() in urun-init-fs.h).
 *
 * Zone: init.  No GLib, no allocation, no stdio.  Every path is resolved
 * inside the rootfs (urun_init_open_in_root()); failures through
 * urun_init_fail() with the device's path.
 */
#include "config.h"

#include "init/urun-init-fs.h"
#include "util/urun-fd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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

/* With bind_devices: an empty file bound over by the node the parent made
 * (dev->tree_fd, with the config's mode and owner) or else by the host's
 * node of the same path, whose mode and owner are the host's; a user
 * namespace could not change them anyway. */
static int
bind_device (const UrunInitPlan *plan, int dir_fd, const char *name, const UrunPlanDevice *dev,
             UrunInitFailure *failure)
{
  char path[URUN_INIT_FD_PATH_MAX];
  URUN_AUTOCLOSE int fd = -1;
  struct stat st;
  int r;

  fd = openat (dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    return urun_init_fail (failure, URUN_STEP_DEVICES, errno, dev->path);
  urun_close_fdp (&fd);
  /* Something was there (a node of the image): bind over it unless it is
   * a directory or a symlink, which could lead elsewhere. */
  fd = urun_init_openat2 (dir_fd, name, O_PATH | O_NOFOLLOW, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
  if (fd < 0)
    return urun_init_fail (failure, URUN_STEP_DEVICES, fd, dev->path);
  if (fstat (fd, &st) < 0)
    return urun_init_fail (failure, URUN_STEP_DEVICES, errno, dev->path);
  if (S_ISDIR (st.st_mode) || S_ISLNK (st.st_mode))
    return urun_init_fail (failure, URUN_STEP_DEVICES, EEXIST, dev->path);
  if (dev->tree_fd >= 0)
    {
      r = urun_init_move_tree (dev->tree_fd, fd);
      if (r < 0)
        return urun_init_fail (failure, URUN_STEP_DEVICES, r, dev->path);
    }
  else if (mount (dev->path, urun_init_fd_path (path, fd), NULL, MS_BIND, NULL) < 0)
    return urun_init_fail (failure, URUN_STEP_DEVICES, errno, dev->path);
  /* The bind of the host's node is a peer of the host's /dev when "/" is
   * shared: reopened, it names the new mount. */
  urun_close_fdp (&fd);
  fd = urun_init_openat2 (dir_fd, name, O_PATH | O_NOFOLLOW, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
  if (fd < 0)
    return urun_init_fail (failure, URUN_STEP_DEVICES, fd, dev->path);
  r = urun_init_keep_bind_from_caller (plan, fd);
  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_DEVICES, r, dev->path);
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

int
urun_init_create_devices (const UrunInitPlan *plan, int root_fd, UrunInitFailure *failure)
{
  for (size_t i = 0; i < plan->n_devices; i++)
    {
      const UrunPlanDevice *dev = &plan->devices[i];
      char dir[PATH_MAX];
      const char *name = urun_init_split_path (dev->path, dir);
      URUN_AUTOCLOSE int dir_fd = -1;
      int r;

      if (name == NULL || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
        return urun_init_fail (failure, URUN_STEP_DEVICES, EINVAL, dev->path);
      dir_fd = urun_init_open_in_root (root_fd, dir, URUN_INIT_CREATE_DIR);
      if (dir_fd < 0)
        return urun_init_fail (failure, URUN_STEP_DEVICES, dir_fd, dev->path);
      /* A fifo is no device: mknod of one is allowed everywhere. */
      if (plan->bind_devices && dev->type != 'p')
        r = bind_device (plan, dir_fd, name, dev, failure);
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
int
urun_init_create_dev_links (const UrunInitPlan *plan, int root_fd, UrunInitFailure *failure)
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

  dev_fd = urun_init_open_in_root (root_fd, "/dev", URUN_INIT_CREATE_DIR);
  if (dev_fd < 0)
    return urun_init_fail (failure, URUN_STEP_DEVICES, dev_fd, "/dev");
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
    if (symlinkat (links[i].target, dev_fd, links[i].name) < 0 && errno != EEXIST)
      return urun_init_fail (failure, URUN_STEP_DEVICES, errno, links[i].name);

  /* /dev/ptmx -> pts/ptmx only with a devpts of our own at /dev/pts: the
   * link makes every program use the container's instance. */
  pts_fd = urun_init_open_in_root (root_fd, "/dev/pts", URUN_INIT_CREATE_NONE);
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
  /* The target the console's pty is bound onto (urun-init-terminal.c). */
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
