/* urun-init-notify.h: NOTIFY_SOCKET's directory in the container
 * (urun-init-notify.c).
 *
 * Zone: init (GLib-free, no allocation, no stdio).
 */
#pragma once

#include "init/urun-init-util.h"

/* NOTIFY_SOCKET's directory in the container, when there is a proxy
 * socket to attach.  Returns 0 or a negative value. */
int urun_init_make_notify_directory (const UrunInitPlan *plan, UrunInitFailure *failure);

/* After the pivot: attaches the parent's detached mount of the
 * NOTIFY_SOCKET directory at plan->notify_dir (when set). */
int urun_init_attach_notify (const UrunInitPlan *plan, UrunInitFailure *failure);
