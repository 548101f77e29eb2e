/* urun-monitor.h: the foreground side of `run`: a GMainLoop that forwards
 * signals to the container's init, reaps children, relays the container's
 * terminal and serves the NOTIFY_SOCKET proxy until init exits.
 *
 * Zone: host side (GLib).  Every signal arrives through one signalfd watched
 * by the loop (no handlers, no GLib unix-signal sources, which would start a
 * thread).  The loop starts only after the clone.
 */
#pragma once

#include <glib.h>
#include <signal.h>
#include <sys/types.h>

#include "container/urun-notify.h"

G_BEGIN_DECLS

/* Blocks the signals the monitor will read, saving the old mask in
 * @out_saved.  Call before spawning init, so that none is lost or acted
 * upon by default in between. */
void urun_monitor_block_signals (sigset_t *out_saved);

typedef struct
{
  /* The pty master of process.terminal, or -1.  The monitor relays it
   * with urun's stdin and stdout; when stdin (else stdout) is a terminal,
   * that terminal is put in raw mode for the loop's length (restored on
   * every way out of urun_monitor_wait()) and its window size is copied
   * onto the pty, at once and on every SIGWINCH.  Borrowed. */
  int terminal_fd;
  /* The NOTIFY_SOCKET proxy to serve, or NULL.  Borrowed. */
  UrunNotifyProxy *notify;
} UrunMonitorOptions;

#define URUN_MONITOR_OPTIONS_INIT { -1, NULL }

/* Runs the loop: forwards every signal but SIGCHLD to @pid (through @pidfd
 * when >= 0), reaps every child (urun is a subreaper), relays as @options
 * (may be NULL) say, and returns when @pid has exited, with its wait
 * status.  SIGWINCH is not forwarded while a terminal is relayed: the
 * resize of the pty signals the container itself.  Signals urun raised
 * against itself (SIGPIPE of a closed stdout) are not forwarded. */
gboolean urun_monitor_wait (pid_t pid, int pidfd, const UrunMonitorOptions *options,
                            int *out_wait_status, GError **error);

/* A wait status as a shell exit status: the code, or 128+N for signal N. */
int urun_monitor_exit_status (int wait_status);

G_END_DECLS
