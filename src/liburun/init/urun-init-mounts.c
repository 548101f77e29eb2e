/* urun-init-mounts.c: the container's root filesystem, built by init (see
 * urun-init-mounts.h for the two entry points and their order).
 *
 * Zone: init.  No GLib, no allocation, no stdio: raw system calls, fixed
 * buffers on the stack, every fd O_CLOEXEC, failures through
 * urun_init_fail() with the path concerned.
 *
 * The rule of urun-init-fs.h holds here: a mount lands on its destination
 * resolved inside the rootfs, through that fd's /proc/self/fd/N path.  The
 * devices, tmpcopyup, the cgroup mounts and the masked/read-only paths have
 * their own files (urun-init-devices.c, urun-init-copyup.c,
 * urun-init-cgroupfs.c, urun-init-paths.c).
 *
 * Why mount(2) through /proc/self/fd and not the new mount API everywhere:
 * mount(2) takes the filesystem data as the one comma-separated string the
 * spec gives us (fsconfig() would need each option split out and typed),
 * and it is what every kernel and LSM policy knows.  Before pivot_root the
 * host's /proc is still visible in our mount namespace, so the fd paths
 * always resolve.  After pivot_root the container may have no /proc, so
 * maskedPaths and readonlyPaths (urun-init-paths.c) use open_tree()/
 * move_mount()/mount_setattr(), which address mounts by fd alone (Linux
 * 5.12).
 * Binds the parent cloned (idmapped ones, and every bind of a container
 * with a user namespace when urun is root) are attached with move_mount().
 */
#include "config.h"

#include "init/urun-init-mounts.h"
#include "init/urun-init-fs.h"
#include "init/urun-init-notify.h"
#include "util/urun-fd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- the mounts ---------------------------------------------------------- */

/* Re-resolves @m's destination, which now names the new mount's root (the
 * fd used to mount names what it covers). */
static int
reopen_destination (int root_fd, const UrunPlanMount *m, UrunInitFailure *failure)
{
  int fd = urun_init_open_in_root (root_fd, m->destination, URUN_INIT_CREATE_NONE);

  if (fd < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT_DESTINATION, fd, m->destination);
  return fd;
}

/* An rbind of @host_path at @dest_fd, read-only all the way down (plus the
 * nosuid/nodev/noexec of @flags): the fallback for sysfs. */
static int
rbind_readonly (const UrunInitPlan *plan, const char *host_path, int root_fd, int dest_fd,
                const UrunPlanMount *m, UrunInitFailure *failure)
{
  char path[URUN_INIT_FD_PATH_MAX];
  URUN_AUTOCLOSE int mnt_fd = -1;
  int r;

  if (mount (host_path, urun_init_fd_path (path, dest_fd), NULL, MS_BIND | MS_REC, NULL) < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
  mnt_fd = reopen_destination (root_fd, m, failure);
  if (mnt_fd < 0)
    return mnt_fd;
  r = urun_init_keep_bind_from_caller (plan, mnt_fd);
  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT, r, m->destination);
  r = urun_init_set_recursive_attrs (mnt_fd,
                                     MOUNT_ATTR_RDONLY
                                     | urun_init_attrs_from_flags (m->flags.flags),
                                     0);
  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT, r, m->destination);
  return 0;
}

/* Why sysfs falls back to the host's: the kernel lets a user namespace
 * mount sysfs only when the mounter's network namespace belongs to it.  A
 * container that shares the host's network has to see the host's /sys; it
 * gets it read-only. */
static int
mount_sysfs (const UrunInitPlan *plan, int root_fd, int dest_fd, const UrunPlanMount *m,
             UrunInitFailure *failure)
{
  char path[URUN_INIT_FD_PATH_MAX];
  unsigned long flags = m->flags.flags & ~(MS_BIND | MS_REC | MS_REMOUNT);

  if (mount (m->source, urun_init_fd_path (path, dest_fd), "sysfs", flags, m->flags.data) == 0)
    return 0;
  if (errno != EPERM && errno != EACCES)
    return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
  return rbind_readonly (plan, "/sys", root_fd, dest_fd, m, failure);
}

/* proc and sysfs are refused on a destination that is itself a symlink
 * (CVE-2019-16884, runc's "must be mounted on ordinary directory"): the
 * rootfs would choose where they land, e.g. a /proc -> /fakeproc whose
 * real directory the payload later covers, so that what urun and the LSMs
 * take for procfs is a tree the image controls.  A missing destination is
 * created as a directory by the caller. */
static int
refuse_symlink_destination (int root_fd, const UrunPlanMount *m, UrunInitFailure *failure)
{
  URUN_AUTOCLOSE int fd = -1;
  struct stat st;

  if (m->kind != URUN_PLAN_MOUNT_SYSFS
      && !(m->kind == URUN_PLAN_MOUNT_FS && m->type != NULL && strcmp (m->type, "proc") == 0))
    return 0;
  fd = urun_init_openat2 (root_fd, m->destination, O_PATH | O_NOFOLLOW | O_CLOEXEC,
                          URUN_INIT_RESOLVE_CONTAINER);
  if (fd == -ENOENT)
    return 0;
  if (fd < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT_DESTINATION, fd, m->destination);
  if (fstat (fd, &st) < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT_DESTINATION, errno, m->destination);
  if (S_ISLNK (st.st_mode))
    return urun_init_fail (failure, URUN_STEP_MOUNT_ON_SYMLINK, ELOOP, m->destination);
  return 0;
}

static int
mount_one (const UrunInitPlan *plan, int root_fd, const UrunPlanMount *m,
           UrunInitFailure *failure)
{
  char path[URUN_INIT_FD_PATH_MAX];
  URUN_AUTOCLOSE int dest_fd = -1;
  URUN_AUTOCLOSE int mnt_fd = -1;
  unsigned long flags = m->flags.flags;
  int r;

  r = refuse_symlink_destination (root_fd, m, failure);
  if (r < 0)
    return r;
  dest_fd = urun_init_open_in_root (root_fd, m->destination,
                                    m->source_is_dir ? URUN_INIT_CREATE_DIR
                                                     : URUN_INIT_CREATE_FILE);
  if (dest_fd < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT_DESTINATION, dest_fd, m->destination);

  switch (m->kind)
    {
    case URUN_PLAN_MOUNT_BIND:
      /* A clone the parent made (idmapped, or of a source a user namespace
       * could not reach: urun-plan-mounts.c) is attached as it is. */
      if (m->tree_fd >= 0)
        {
          r = urun_init_move_tree (m->tree_fd, dest_fd);
          if (r < 0)
            r = urun_init_fail (failure, URUN_STEP_MOUNT, r, m->destination);
        }
      else if (mount (m->source, urun_init_fd_path (path, dest_fd), NULL,
                      flags & (MS_BIND | MS_REC), NULL)
               < 0)
        r = urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
      else
        r = 0;
      if (r < 0)
        return r;
      mnt_fd = reopen_destination (root_fd, m, failure);
      if (mnt_fd < 0)
        return mnt_fd;
      if (!(m->flags.propagation & MS_SHARED))
        {
          r = urun_init_keep_bind_from_caller (plan, mnt_fd);
          if (r < 0)
            return urun_init_fail (failure, URUN_STEP_MOUNT, r, m->destination);
        }
      /* A bind ignores ro, nosuid...: they take a remount. */
      if ((flags | m->flags.clear_flags) & URUN_INIT_PER_MOUNT_FLAGS)
        {
          r = urun_init_remount_bind (mnt_fd, NULL, flags, m->flags.clear_flags);
          if (r < 0)
            return urun_init_fail (failure, URUN_STEP_MOUNT, r, m->destination);
        }
      break;

    case URUN_PLAN_MOUNT_SYSFS:
      r = mount_sysfs (plan, root_fd, dest_fd, m, failure);
      if (r < 0)
        return r;
      break;

    case URUN_PLAN_MOUNT_CGROUP:
      r = urun_init_mount_cgroup (plan, root_fd, dest_fd, m, failure);
      if (r < 0)
        return r;
      break;

    case URUN_PLAN_MOUNT_FS:
    default:
      if (mount (m->source, urun_init_fd_path (path, dest_fd), m->type, flags & ~MS_REC,
                 m->flags.data)
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
      r = urun_init_copy_up (dest_fd, mnt_fd, m, failure);
      if (r < 0)
        return r;
    }
  if (m->flags.propagation != 0
      && mount (NULL, urun_init_fd_path (path, mnt_fd), NULL, m->flags.propagation, NULL) < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
  if (m->flags.attr_set != 0 || m->flags.attr_clear != 0)
    {
      r = urun_init_set_recursive_attrs (mnt_fd, m->flags.attr_set, m->flags.attr_clear);
      if (r < 0)
        return urun_init_fail (failure, URUN_STEP_MOUNT, r, m->destination);
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

  /* Not our mount namespace: nothing is mounted in it, whatever ended up
   * in the plan (the plan builder refused the config's mounts; this
   * catches one added later, such as the notify directory's bind). */
  if (plan->chroot_only)
    {
      if (plan->n_mounts > 0 || plan->notify_dir != NULL)
        return urun_init_fail (failure, URUN_STEP_BIND_ROOTFS, EPERM,
                               "a mount in a mount namespace that is not the container's");
      return 0;
    }

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
  /* The rootfs's own submounts came along as peers of the caller's when
   * "/" is shared: cut the way back before /dev, /proc... land on them. */
  r = urun_init_keep_bind_from_caller (plan, root_fd);
  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_BIND_ROOTFS, r, plan->rootfs);

  /* In the config's order: later mounts may go inside earlier ones
   * (/dev, then /dev/pts). */
  for (size_t i = 0; i < plan->n_mounts; i++)
    {
      r = mount_one (plan, root_fd, &plan->mounts[i], failure);
      if (r < 0)
        return r;
    }

  /* Devices after the mounts: /dev is usually a tmpfs among them. */
  if (plan->dev_from_host)
    return 0;
  r = urun_init_create_devices (plan, root_fd, failure);
  if (r < 0)
    return r;
  return urun_init_create_dev_links (plan, root_fd, failure);
}

/* ---- urun_init_enter_root ------------------------------------------------ */

/* With root.readonly, called just before "/" becomes read-only: the cwd
 * and NOTIFY_SOCKET's directory are created while they still can be, as
 * runc does (after the remount, making them would mean lifting read-only
 * again, which would also lift a read-only bind made outside urun). */
static int
make_needed_directories (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  if (plan->cwd != NULL
      && urun_init_make_needed_directory (plan->cwd, URUN_STEP_CWD, "", failure) < 0)
    return -1;
  return urun_init_make_notify_directory (plan, failure);
}

int
urun_init_enter_root (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  if (chdir (plan->rootfs) < 0)
    return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, plan->rootfs);

  if (plan->chroot_only)
    {
      /* chroot(2), as runc does without a mount namespace: pivot_root
       * would change the root of every process of that namespace, and
       * there is nothing to mask or make read-only, since no mount may
       * be made there (urun_init_prepare_root()). */
      if (chroot (".") < 0)
        return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, plan->rootfs);
      if (chdir ("/") < 0)
        return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, "/");
      return 0;
    }

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
      URUN_AUTOCLOSE int old_root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

      if (old_root < 0)
        return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, "/");
      /* pivot_root(".", ".") stacks the old root on top of the new one,
       * with no directory for it to live in. */
      if (syscall (SYS_pivot_root, ".", ".") < 0)
        return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, plan->rootfs);
      /* Why slave before the detach: under a shared "/" the old root's
       * submounts are still in the host's peer groups, and their unmount
       * would propagate to the host and take its mounts with it.  Why
       * through the old root's fd: the cwd is the new root, and "." from
       * there names the new root itself, not the old root stacked on it;
       * made a slave, the new root would lose the peers that
       * rootfsPropagation "shared" keeps on purpose. */
      if (fchdir (old_root) < 0)
        return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, "old root");
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
      int r = urun_init_mask_path (plan->masked_paths[i], failure);
      if (r < 0)
        return r;
    }
  for (size_t i = 0; plan->readonly_paths != NULL && plan->readonly_paths[i] != NULL; i++)
    {
      int r = urun_init_readonly_path (plan->readonly_paths[i], failure);
      if (r < 0)
        return r;
    }

  /* root.readonly last: only "/" itself, not the mounts on it (/dev,
   * /proc... stay writable as configured). */
  if (plan->rootfs_readonly)
    {
      URUN_AUTOCLOSE int root = -1;
      int r;

      if (make_needed_directories (plan, failure) < 0)
        return -1;
      root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (root < 0)
        return urun_init_fail (failure, URUN_STEP_ROOT_READONLY, errno, "/");
      /* By path: /proc, which the fd path needs, may not be mounted. */
      r = urun_init_remount_bind (root, "/", MS_RDONLY, 0);
      if (r < 0)
        return urun_init_fail (failure, URUN_STEP_ROOT_READONLY, r, "/");
    }
  return 0;
}
