/* urun-init-mounts.h: the container's root filesystem, built by init
 * (urun-init-mounts.c), in this order:
 *   urun_init_prepare_root(): propagation of "/" (plan->root_propagation),
 *     bind the rootfs onto itself, every plan->mounts[] entry (destinations
 *     resolved inside the rootfs, never through a symlink out of it),
 *     devices and the /dev links;
 *   (init runs the createRuntime/createContainer hooks here)
 *   urun_init_enter_root(): pivot_root (or move + chroot with no_pivot),
 *     rootfs propagation, root.readonly, maskedPaths, readonlyPaths.
 *
 * Zone: init (GLib-free, no allocation, no stdio).
 */
#pragma once

#include "init/urun-init-util.h"

int urun_init_prepare_root (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_enter_root (const UrunInitPlan *plan, UrunInitFailure *failure);
