/* urun-timeout.c: the bounds on waits for peers (see urun-timeout.h).
 * Zone: host side (GLib). */
#include "config.h"

#include "util/urun-timeout.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>

guint
urun_peer_timeout (guint default_seconds)
{
  /* A tuning knob read where the wait is, not in the runtime context: the
   * waits sit in layers that never see it (cgroup/, the terminal relay).
   * secure_getenv(): a setuid urun must not let the caller stretch or
   * shrink its waits. */
  const char *value = secure_getenv ("URUN_PEER_TIMEOUT");
  guint64 seconds;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 1, 86400, &seconds, NULL))
    return default_seconds;
  return (guint) seconds;
}

int
urun_socket_set_timeout (int fd, int option, guint seconds)
{
  struct timeval tv = { .tv_sec = seconds, .tv_usec = 0 };

  return setsockopt (fd, SOL_SOCKET, option, &tv, sizeof tv) < 0 ? -errno : 0;
}
