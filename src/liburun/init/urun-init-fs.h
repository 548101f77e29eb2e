/* urun-init-fs.h: what the files that build the container's root
 * filesystem in init share: urun-init-fs.c (resolving container paths,
 * changing mounts), which the others use; urun-init-copyup.c,
 * urun-init-cgroupfs.c, urun-init-devices.c and urun-init-paths.c, which
 * urun-init-mounts.c uses, and which call nothing of each other.  Private
 * to those files and init's own urun-init.c (urun_init_open_host_null()).
 *
 * Zone: init.  No GLib, no allocation, no stdio.  Raw helpers return >= 0
 * on success and -errno on failure; the functions that take a
 * UrunInitFailure fill it (urun_init_fail()) and return -errno.
 *
 * The one rule of these files: a path inside the container is never
 * resolved by the host's rules.  The rootfs belongs to whoever built the
 * image, and a symlink `/evil -> /` in it must not turn the mount
 * destination /evil/etc into the host's /etc.  So every container path is
 * resolved with openat2(RESOLVE_IN_ROOT) from an O_PATH fd of the rootfs,
 * which treats absolute symlinks and ".." as the rootfs's own; missing
 * components are created one at a time with mkdirat() under an fd that was
 * itself resolved that way; and a mount lands on the resolved fd through
 * its /proc/self/fd/N path, never on a path string the kernel would
 * resolve again.
 */
#pragma once

#include "init/urun-init-util.h"

#include <limits.h>
#include <linux/openat2.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mount.h>

/* How container paths are resolved: inside the root, and never through
 * /proc's magic links, which jump anywhere regardless of the root. */
#define URUN_INIT_RESOLVE_CONTAINER (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)

/* Flags of one mount (not of its filesystem) that a bind remount sets. */
#define URUN_INIT_PER_MOUNT_FLAGS                                                          \
  (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME \
   | MS_STRICTATIME | MS_NOSYMFOLLOW)

/* What urun_init_open_in_root() creates when a component is missing. */
typedef enum
{
  URUN_INIT_CREATE_NONE,
  URUN_INIT_CREATE_DIR,
  URUN_INIT_CREATE_FILE,
} UrunInitCreate;

/* ---- urun-init-fs.c: small helpers -------------------------------------- */

/* openat2() with O_CLOEXEC added, retried on EAGAIN.  Returns a new fd
 * (the caller closes it) or -errno. */
int urun_init_openat2 (int dirfd, const char *path, uint64_t flags, uint64_t resolve);

/* @a + "/" + @b into @buf (size @size); 0 or -ENAMETOOLONG. */
int urun_init_path_join (char *buf, size_t size, const char *a, const char *b);

/* 1 when the comma-separated mount data @data (may be NULL) has an option
 * named @key, else 0. */
int urun_init_data_has_key (const char *data, const char *key);

/* ---- urun-init-fs.c: resolving container paths -------------------------- */

/* Opens @path inside the root @root_fd as an O_PATH fd, creating missing
 * components as @create says.  Returns a new fd (the caller closes it) or
 * -errno. */
int urun_init_open_in_root (int root_fd, const char *path, UrunInitCreate create);

/* Splits @path into its directory (written to @dir) and its last name,
 * which points into @path; NULL when there is none ("/"). */
const char *urun_init_split_path (const char *path, char dir[PATH_MAX]);

/* ---- urun-init-fs.c: changing mounts ------------------------------------ */

/* Sets the per-mount flags @set, clearing @clear, on the bind mount @mnt_fd
 * (reached through @path, or its /proc/self/fd path when NULL), keeping the
 * flags a user namespace has locked.  0 or -errno. */
int urun_init_remount_bind (int mnt_fd, const char *path, unsigned long set, unsigned long clear);

/* mount_setattr() of @attr_set/@attr_clear (MOUNT_ATTR_*) on the whole tree
 * at @mnt_fd.  0 or -errno. */
int urun_init_set_recursive_attrs (int mnt_fd, uint64_t attr_set, uint64_t attr_clear);

/* move_mount() of the detached mount @tree onto @target_fd.  0 or
 * -errno. */
int urun_init_move_tree (int tree, int target_fd);

/* Under a shared "/" (rootfsPropagation (r)shared), makes the new bind
 * @mnt_fd a slave recursively, so that nothing mounted on or in it reaches
 * the caller's namespace; elsewhere nothing to do.  0 or -errno. */
int urun_init_keep_bind_from_caller (const UrunInitPlan *plan, int mnt_fd);

/* The MOUNT_ATTR_* of ro, nosuid, nodev and noexec in the MS_* @flags. */
uint64_t urun_init_attrs_from_flags (unsigned long flags);

/* ---- urun-init-copyup.c -------------------------------------------------- */

/* tmpcopyup of @m: copies the directory @orig_fd (the one the new mount
 * covers) into the mount @mnt_fd, with owners and modes.  Borrows both
 * fds.  0, or -errno with @failure filled (detail: the path that failed). */
int urun_init_copy_up (int orig_fd, int mnt_fd, const UrunPlanMount *m, UrunInitFailure *failure);

/* ---- urun-init-cgroupfs.c ------------------------------------------------ */

/* The `cgroup`/`cgroup2` mount @m on @dest_fd (resolved in @root_fd): the
 * container's own cgroups, or its cgroup namespace's root, read-only unless
 * @m says rw.  After GO: init must be in its final cgroup.  0 or -errno
 * with @failure filled. */
int urun_init_mount_cgroup (const UrunInitPlan *plan, int root_fd, int dest_fd,
                            const UrunPlanMount *m, UrunInitFailure *failure);

/* ---- urun-init-devices.c ------------------------------------------------- */

/* plan->devices[] inside the root @root_fd: nodes, or binds of the host's
 * with plan->bind_devices.  0 or -errno with @failure filled. */
int urun_init_create_devices (const UrunInitPlan *plan, int root_fd, UrunInitFailure *failure);

/* /dev/fd, /dev/std{in,out,err}, /dev/ptmx (with a devpts of the
 * container's own) and, with plan->create_console, the /dev/console file
 * the terminal code binds the pty onto.  0 or -errno with @failure
 * filled. */
int urun_init_create_dev_links (const UrunInitPlan *plan, int root_fd, UrunInitFailure *failure);

/* ---- urun-init-paths.c --------------------------------------------------- */

/* Before the rootfs is built (init's mount namespace, the host's "/"):
 * takes the host's /dev/null, checked to be the character device 1:3, for
 * urun_init_mask_path(), numbered above the fds the process is given.  0
 * or -errno with @failure filled. */
int urun_init_open_host_null (const UrunInitPlan *plan, UrunInitFailure *failure);

/* After the pivot, with the container's "/" as root: masks @path (a
 * missing path or a symlink is left alone).  0 or -errno with @failure
 * filled. */
int urun_init_mask_path (const char *path, UrunInitFailure *failure);

/* After the pivot: makes @path read-only, recursively (a missing path or a
 * symlink is left alone).  0 or -errno with @failure filled. */
int urun_init_readonly_path (const char *path, UrunInitFailure *failure);
