/* urun-init-terminal.h: process.terminal in init (urun-init-terminal.c).
 *
 * Zone: init (GLib-free, no allocation, no stdio).
 *
 * With plan->terminal (after urun_init_enter_root(), as the container's
 * root): a pty from the container's devpts; consoleSize; the slave bound
 * onto /dev/console and owned by the process's user; the master sent to the
 * parent (URUN_SYNC_TERMINAL); setsid, TIOCSCTTY, and the slave as fds 0-2.
 * Does nothing without plan->terminal.
 */
#pragma once

#include "init/urun-init-util.h"

int urun_init_setup_terminal (const UrunInitPlan *plan, UrunInitFailure *failure);
