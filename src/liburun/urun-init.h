/* urun-init.h: the container's init process, between clone() and execve().
 *
 * Zone: init (GLib-free, no allocation, no stdio).  Every function walks the
 * UrunInitPlan the parent prepared.  A failing step fills a UrunInitFailure
 * and returns -errno; urun_init_main() ships the failure to the parent as one
 * URUN_SYNC_ERROR message and exits.
 */
#pragma once

#include "urun-plan.h"
#include "urun-sync.h"

typedef struct
{
  UrunInitStep step;
  int errsv;                          /* positive errno, 0 if none */
  int value;                          /* step-specific: a hook's exit status */
  char detail[URUN_SYNC_DETAIL_MAX];  /* the path or name concerned */
} UrunInitFailure;

/* Records a failure and returns -@errsv (errsv may be given either sign). */
int urun_init_fail (UrunInitFailure *failure, UrunInitStep step, int errsv, const char *detail);

/* Copies @src into @dst (size @size), always NUL-terminated; returns the
 * length of @src.  No allocation. */
size_t urun_init_strlcpy (char *dst, const char *src, size_t size);

/* Runs init; never returns.  On success it ends in execve() of the process;
 * on failure it reports to the parent over plan->sync_fd and _exit()s. */
__attribute__ ((noreturn)) void urun_init_main (const UrunInitPlan *plan);

/* ---- urun-init-mounts.c ---------------------------------------------------
 * The root filesystem, in this order:
 *   urun_init_prepare_root(): propagation of "/" (plan->root_propagation),
 *     bind the rootfs onto itself, every plan->mounts[] entry (destinations
 *     resolved inside the rootfs, never through a symlink out of it),
 *     devices and the /dev links;
 *   (init runs the createRuntime/createContainer hooks here)
 *   urun_init_enter_root(): pivot_root (or move + chroot with no_pivot),
 *     rootfs propagation, root.readonly, maskedPaths, readonlyPaths.
 */
int urun_init_prepare_root (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_enter_root (const UrunInitPlan *plan, UrunInitFailure *failure);
