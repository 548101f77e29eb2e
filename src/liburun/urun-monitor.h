/* urun-monitor.h: the foreground side of `run`: a GMainLoop that forwards
 * signals to the container's init and reaps children until init exits.
 *
 * Zone: host side (GLib).  Every signal arrives through one signalfd watched
 * by the loop (no handlers, no GLib unix-signal sources, which would start a
 * thread).  The loop starts only after the clone.
 */
#pragma once

#include <glib.h>
#include <signal.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* Blocks the signals the monitor will read, saving the old mask in
 * @out_saved.  Call before spawning init, so that none is lost or acted
 * upon by default in between. */
void urun_monitor_block_signals (sigset_t *out_saved);

/* Runs the loop: forwards every signal but SIGCHLD to @pid (through @pidfd
 * when >= 0), reaps every child (urun is a subreaper), and returns when @pid
 * has exited, with its wait status. */
gboolean urun_monitor_wait (pid_t pid, int pidfd, int *out_wait_status, GError **error);

/* A wait status as a shell exit status: the code, or 128+N for signal N. */
int urun_monitor_exit_status (int wait_status);

G_END_DECLS
