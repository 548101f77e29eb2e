/* urun-terminal.h: the host side of process.terminal: the console socket,
 * raw mode of urun's own terminal, and window sizes.
 *
 * Zone: host side (GLib).  The pty itself is opened by init inside the
 * container (urun-init-terminal.c says why); its master reaches the parent
 * over the sync socket.
 *
 * The console socket protocol (runc's --console-socket, which conmon,
 * containerd and podman implement): urun connects to the AF_UNIX stream
 * socket at the given path and sends ONE message whose SCM_RIGHTS carries
 * the master, and whose payload is a name for it.  runc sends the name of
 * the master file ("/dev/ptmx"); receivers ignore it or use it as a label.
 * urun sends the slave's path inside the container ("/dev/pts/0"), which is
 * the more useful label and is as opaque to conmon and runc's recvtty.
 */
#pragma once

#include <glib.h>
#include <termios.h>

G_BEGIN_DECLS

/* Connects to the console socket at @path (a path longer than sun_path is
 * reached through /proc/self/fd).  Returns the connected fd (O_CLOEXEC),
 * or -1 with @error set: a socket nobody listens on fails here, before
 * anything else is done, and so does one that does not accept within
 * URUN_TIMEOUT_CONSOLE_SOCKET_S (urun-timeout.h), which also bounds
 * urun_terminal_send_master() on the returned fd. */
int urun_terminal_connect (const char *path, GError **error);

/* Sends @master_fd over @socket_fd in one message with SCM_RIGHTS and
 * @name as its payload. */
gboolean urun_terminal_send_master (int socket_fd, int master_fd, const char *name,
                                    GError **error);

/* The saved modes of a terminal put in raw mode. */
typedef struct
{
  int fd;                  /* -1: nothing to restore */
  struct termios saved;
} UrunTerminalMode;

#define URUN_TERMINAL_MODE_INIT { -1, { 0 } }

/* When @fd is a terminal, saves its modes in @mode and makes it raw
 * (cfmakeraw: no echo, no line editing, no signals from ^C, no output
 * processing), so that every byte goes to the container's terminal, whose
 * own line discipline does all that.  Returns FALSE (and sets @error)
 * only when a terminal could not be switched; a non-terminal leaves
 * @mode->fd at -1. */
gboolean urun_terminal_make_raw (int fd, UrunTerminalMode *mode, GError **error);

/* Restores what urun_terminal_make_raw() saved; safe to call twice. */
void urun_terminal_restore (UrunTerminalMode *mode);

/* Copies the window size of the terminal @from_fd onto @to_fd (a pty
 * master: the kernel then sends SIGWINCH to the pty's foreground process
 * group).  FALSE when @from_fd is no terminal. */
gboolean urun_terminal_copy_size (int from_fd, int to_fd);

G_END_DECLS
