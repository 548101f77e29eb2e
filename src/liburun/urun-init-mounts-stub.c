/* urun-init-mounts-stub.c: TEMPORARY minimal root setup, used by meson only
 * while urun-init-mounts.c (the real, safe implementation) is not in the
 * tree.  Delete this file once urun-init-mounts.c lands.  Zone: init. */
#include "config.h"

#include "urun-init.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void
mkdir_p (char *path)
{
  for (char *p = path + 1; *p; p++)
    if (*p == '/')
      {
        *p = '\0';
        mkdir (path, 0755);
        *p = '/';
      }
  mkdir (path, 0755);
}

int
urun_init_prepare_root (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  if (mount (NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return urun_init_fail (failure, URUN_STEP_ROOT_PROPAGATION, errno, "/");
  if (mount (plan->rootfs, plan->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
    return urun_init_fail (failure, URUN_STEP_BIND_ROOTFS, errno, plan->rootfs);
  for (size_t i = 0; i < plan->n_mounts; i++)
    {
      const UrunPlanMount *m = &plan->mounts[i];
      char target[PATH_MAX];
      unsigned long flags = m->flags.flags;

      snprintf (target, sizeof target, "%s%s", plan->rootfs, m->destination);
      mkdir_p (target);
      if (m->kind == URUN_PLAN_MOUNT_CGROUP || m->kind == URUN_PLAN_MOUNT_SYSFS)
        {
          const char *host = m->kind == URUN_PLAN_MOUNT_SYSFS ? "/sys" : "/sys/fs/cgroup";
          if (mount (host, target, NULL, MS_BIND | MS_REC, NULL) < 0)
            return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
          continue;
        }
      if (mount (m->source, target, m->type, flags & ~MS_RDONLY, m->flags.data) < 0)
        return urun_init_fail (failure, URUN_STEP_MOUNT, errno, m->destination);
    }
  return 0;
}

int
urun_init_enter_root (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  if (chdir (plan->rootfs) < 0)
    return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, plan->rootfs);
  if (syscall (SYS_pivot_root, ".", ".") < 0)
    return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, plan->rootfs);
  mount (NULL, ".", NULL, MS_SLAVE | MS_REC, NULL);
  if (umount2 (".", MNT_DETACH) < 0)
    return urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, "old root");
  return chdir ("/") < 0 ? urun_init_fail (failure, URUN_STEP_PIVOT_ROOT, errno, "/") : 0;
}
