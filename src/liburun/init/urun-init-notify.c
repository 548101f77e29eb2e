/* urun-init-notify.c: attaches the NOTIFY_SOCKET directory the parent
 * cloned (see urun-init-notify.h and urun-notify.h).
 *
 * Zone: init.  No GLib, no allocation, no stdio.
 */
#include "config.h"

#include "init/urun-init-notify.h"
#include "init/urun-init-fs.h"

#include <errno.h>
#include <limits.h>
#include <sys/mount.h>
#include <unistd.h>

int
urun_init_make_notify_directory (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  char parent[PATH_MAX];
  char or_else[PATH_MAX + 32];
  size_t n;

  if (plan->notify_dir == NULL)
    return 0;
  /* After the pivot every component resolves inside the container's
   * root. */
  urun_init_split_path (plan->notify_dir, parent);
  n = urun_init_strlcpy (or_else, " or mount a tmpfs on ", sizeof or_else);
  urun_init_strlcpy (or_else + n, parent, sizeof or_else - n);
  return urun_init_make_needed_directory (plan->notify_dir, URUN_STEP_MOUNT_DESTINATION, or_else,
                                          failure);
}

int
urun_init_attach_notify (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  if (plan->notify_dir == NULL)
    return 0;
  if (urun_init_make_notify_directory (plan, failure) < 0)
    return -1;
  /* The tree is read-only, nosuid, nodev and noexec already: the parent
   * set that on it before the clone. */
  if (move_mount (plan->notify_tree_fd, "", AT_FDCWD, plan->notify_dir, MOVE_MOUNT_F_EMPTY_PATH)
      < 0)
    return urun_init_fail (failure, URUN_STEP_MOUNT, errno, plan->notify_dir);
  return 0;
}
