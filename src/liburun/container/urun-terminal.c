/* urun-terminal.c: console socket, raw mode and window sizes (see
 * urun-terminal.h).  Zone: host side (GLib). */
#include "config.h"

#include "container/urun-terminal.h"
#include "init/urun-sync.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "util/urun-timeout.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int
connect_path (int fd, const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int r;

  if (strlen (path) >= sizeof addr.sun_path)
    return -ENAMETOOLONG;
  strcpy (addr.sun_path, path);
  do
    r = connect (fd, (struct sockaddr *) &addr, sizeof addr);
  while (r < 0 && errno == EINTR);
  return r < 0 ? -errno : 0;
}

int
urun_terminal_connect (const char *path, GError **error)
{
  URUN_AUTOCLOSE int fd = -1;
  URUN_AUTOCLOSE int path_fd = -1;
  char proc_path[64];
  guint timeout = urun_peer_timeout (URUN_TIMEOUT_CONSOLE_SOCKET_S);
  int r;

  g_return_val_if_fail (path != NULL, -1);

  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return urun_fail_errno (error, errno, "console socket"), -1;
  /* Why a send timeout: connect(2) to a listener that never accepts and
   * whose backlog is full waits for SO_SNDTIMEO, which is forever by
   * default; the same bound then covers sending the master. */
  r = urun_socket_set_timeout (fd, SO_SNDTIMEO, timeout);
  if (r < 0)
    return urun_fail_errno (error, r, "console socket `%s`", path), -1;
  r = connect_path (fd, path);
  if (r == -ENAMETOOLONG)
    {
      /* conmon's sockets live in deep directories: go through an O_PATH
       * fd, whose /proc name is short. */
      path_fd = open (path, O_PATH | O_CLOEXEC);
      if (path_fd < 0)
        r = -errno;
      else
        {
          snprintf (proc_path, sizeof proc_path, "/proc/self/fd/%d", path_fd);
          r = connect_path (fd, proc_path);
        }
    }
  if (r == -EAGAIN)
    return urun_fail (error, URUN_ERROR_FAILED,
                      "console socket `%s`: the receiver did not accept the connection within "
                      "%u s",
                      path, timeout),
           -1;
  if (r < 0)
    return urun_fail_errno (error, r, "connect to the console socket `%s`", path), -1;
  return urun_steal_fd (&fd);
}

gboolean
urun_terminal_send_master (int socket_fd, int master_fd, const char *name, GError **error)
{
  const char *payload = name != NULL && name[0] != '\0' ? name : "/dev/ptmx";
  ssize_t n = urun_send_with_fd (socket_fd, payload, strlen (payload), master_fd);

  if (n == -EAGAIN)
    return urun_fail (error, URUN_ERROR_FAILED,
                      "console socket: the receiver did not take the terminal within %u s",
                      urun_peer_timeout (URUN_TIMEOUT_CONSOLE_SOCKET_S));
  if (n < 0)
    return urun_fail_errno (error, (int) n, "send the pty master to the console socket");
  if ((size_t) n != strlen (payload))
    return urun_fail (error, URUN_ERROR_FAILED,
                      "send the pty master to the console socket: short write");
  return TRUE;
}

gboolean
urun_terminal_make_raw (int fd, UrunTerminalMode *mode, GError **error)
{
  struct termios raw;

  mode->fd = -1;
  if (!isatty (fd))
    return TRUE;
  if (tcgetattr (fd, &mode->saved) < 0)
    return urun_fail_errno (error, errno, "read the terminal's modes");
  raw = mode->saved;
  cfmakeraw (&raw);
  if (tcsetattr (fd, TCSANOW, &raw) < 0)
    return urun_fail_errno (error, errno, "put the terminal in raw mode");
  mode->fd = fd;
  return TRUE;
}

void
urun_terminal_restore (UrunTerminalMode *mode)
{
  if (mode->fd < 0)
    return;
  /* TCSADRAIN: what urun wrote (the container's last output) reaches the
   * screen under the modes it was meant for. */
  while (tcsetattr (mode->fd, TCSADRAIN, &mode->saved) < 0 && errno == EINTR)
    ;
  mode->fd = -1;
}

gboolean
urun_terminal_copy_size (int from_fd, int to_fd)
{
  struct winsize size;

  if (ioctl (from_fd, TIOCGWINSZ, &size) < 0 || size.ws_row == 0 || size.ws_col == 0)
    return FALSE;
  return ioctl (to_fd, TIOCSWINSZ, &size) == 0;
}
