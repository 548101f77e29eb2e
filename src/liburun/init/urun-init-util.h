/* urun-init-util.h: the bottom of init, which every other file of init
 * calls and which calls none of them (urun-init-util.c).
 *
 * Zone: init (GLib-free, no allocation, no stdio).  Every step walks the
 * UrunInitPlan the parent prepared.  A failing step fills a UrunInitFailure
 * and returns -errno; the process on top (urun_init_main(),
 * urun_init_exec_main()) ships the failure to the parent as one
 * URUN_SYNC_ERROR message with urun_init_report_and_exit().
 */
#pragma once

#include "init/urun-plan.h"
#include "init/urun-sync.h"

#include <stddef.h>

typedef struct
{
  UrunInitStep step;
  int errsv;                          /* positive errno, 0 if none */
  int value;                          /* step-specific: a hook's exit status */
  char detail[URUN_SYNC_DETAIL_MAX];  /* the path or name concerned */
} UrunInitFailure;

/* Records a failure and returns -@errsv (errsv may be given either sign). */
int urun_init_fail (UrunInitFailure *failure, UrunInitStep step, int errsv, const char *detail);

/* Sends @failure to the parent (over plan->sync_fd, or exec.fifo once
 * urun_init_wait_for_start() has opened it) and exits 127 for a program
 * that is not there, 126 for one that cannot be run, 1 otherwise. */
__attribute__ ((noreturn)) void urun_init_report_and_exit (const UrunInitPlan *plan,
                                                           const UrunInitFailure *failure);

/* The next message on plan->sync_fd must be @expected.  Returns 0 or a
 * negative value. */
int urun_init_wait_for_message (const UrunInitPlan *plan, UrunSyncType expected,
                                UrunInitFailure *failure);

/* Asks the parent for work only it can do (write the maps of a new user
 * namespace, run the hooks of its own namespaces) with @request, and
 * waits until it answers CONTINUE.  Returns 0 or a negative value. */
int urun_init_ask_parent (const UrunInitPlan *plan, UrunSyncType request,
                          UrunInitFailure *failure);

/* After READY: waits for `start` on exec.fifo (plan->exec_fifo_fd), or
 * for the parent's CONTINUE without one (`run`).  From then on a failure
 * is reported on exec.fifo.  Returns 0 or a negative value. */
int urun_init_wait_for_start (const UrunInitPlan *plan, UrunInitFailure *failure);

/* Copies @src into @dst (size @size), always NUL-terminated; returns the
 * length of @src.  No allocation. */
size_t urun_init_strlcpy (char *dst, const char *src, size_t size);

/* "/proc/self/fd/" plus the digits of an int. */
#define URUN_INIT_FD_PATH_MAX 32

/* Writes "/proc/self/fd/@fd" into @buf and returns @buf. */
const char *urun_init_fd_path (char buf[URUN_INIT_FD_PATH_MAX], int fd);

/* Opens init's procfs handle (an fd of /proc, checked to be procfs), first
 * thing in init and in the child of `exec`, before any namespace is
 * joined; it stays open until execve.  Returns 0 or a negative value. */
int urun_init_open_procfs (const UrunInitPlan *plan, UrunInitFailure *failure);

/* Opens @path, a "/proc/..." file (self, sys), through the procfs handle
 * with @flags (O_CLOEXEC added).  Returns a new fd or -errno. */
int urun_init_open_proc (const char *path, int flags);

/* Writes @contents to @path, a "/proc/..." file (self, sys), through the
 * procfs handle.  Returns 0 or -errno. */
int urun_init_write_proc (const char *path, const char *contents);

/* `mkdir -p` (0755) of a directory urun itself needs in the
 * container (process.cwd, NOTIFY_SOCKET's directory).  On failure it fills
 * @failure for @step; on a read-only rootfs the detail says what to create,
 * with @or_else (" or mount a tmpfs on /run", or "") appended to that
 * advice.  Returns 0 or a negative value. */
int urun_init_make_needed_directory (const char *path, UrunInitStep step, const char *or_else,
                                     UrunInitFailure *failure);

/* Default dispositions for every signal and an empty mask, for a program
 * urun is about to execve (the payload, a hook).  Async-signal-safe: also
 * the child setup of the host's hooks. */
void urun_init_reset_signals (void);
