/* urun-init.h: the container's init process, between clone() and execve()
 * (urun-init.c, on top of the other files of init).
 *
 * Zone: init (GLib-free, no allocation, no stdio).  init walks the
 * UrunInitPlan the parent prepared; a failing step is shipped to the
 * parent as one URUN_SYNC_ERROR message, and init exits.
 */
#pragma once

#include "init/urun-plan.h"

/* Runs init; never returns.  On success it ends in execve() of the process;
 * on failure it reports to the parent over plan->sync_fd and _exit()s. */
__attribute__ ((noreturn)) void urun_init_main (const UrunInitPlan *plan);
