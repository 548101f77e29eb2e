/* urun-cgroup-types.h: the cgroup outcome of a container and the names of
 * the drivers, as the state store records them and the cgroup code fills
 * them.  Types only: no liburun include, no function, so that state/ can
 * record an outcome without calling any cgroup code.
 *
 * Zone: host side (GLib).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the user asked for (--cgroup-manager). */
typedef enum
{
  URUN_CGROUP_MANAGER_DEFAULT,  /* not chosen: pick the best that works */
  URUN_CGROUP_MANAGER_SYSTEMD,
  URUN_CGROUP_MANAGER_CGROUPFS,
  URUN_CGROUP_MANAGER_DISABLED,
} UrunCgroupManager;

/* What placed the container's cgroup. */
typedef enum
{
  URUN_CGROUP_DRIVER_NONE,
  URUN_CGROUP_DRIVER_SYSTEMD,
  URUN_CGROUP_DRIVER_CGROUPFS,
} UrunCgroupDriver;

/* The cgroup outcome of a container: which driver placed it, where, and
 * what could not be applied.  Shown by `state` so that a user can see why
 * limits are not enforced. */
typedef struct
{
  UrunCgroupDriver driver;
  char *unit;                /* systemd scope unit (e.g. urun-ID.scope), or NULL */
  char *path;                /* cgroup path below the hierarchy root, or NULL */
  char *reason;              /* why this driver (always set for "none"), or NULL */
  GPtrArray *dropped_limits; /* char *: limits that were requested but not applied */
} UrunCgroupOutcome;

G_END_DECLS
