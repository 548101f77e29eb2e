/* urun-fd.h: small file-descriptor helpers shared by every zone.
 *
 * Zone: any.  Header-only and free of GLib so that the init child may use
 * it.  Raw helpers return >= 0 on success and -errno on failure.
 */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <unistd.h>

/* Closes *fdp if it is open and sets it to -1, keeping errno intact.  Used
 * through URUN_AUTOCLOSE for scope-bound fds. */
static inline void
urun_close_fdp (int *fdp)
{
  if (*fdp >= 0)
    {
      int saved_errno = errno;
      close (*fdp);
      errno = saved_errno;
      *fdp = -1;
    }
}

#define URUN_AUTOCLOSE __attribute__ ((cleanup (urun_close_fdp)))

/* Returns the fd and leaves -1 behind, to hand ownership on. */
static inline int
urun_steal_fd (int *fdp)
{
  int fd = *fdp;
  *fdp = -1;
  return fd;
}

/* Writes all @len bytes of @data to @fd, retrying on EINTR and on short
 * writes.  Returns 0, or -errno with errno set (EIO when write() returned
 * 0). */
static inline int
urun_write_all (int fd, const void *data, size_t len)
{
  const char *p = data;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -errno;
      if (n == 0)
        {
          errno = EIO;
          return -EIO;
        }
      p += n;
      len -= (size_t) n;
    }
  return 0;
}

/* Moves @fd to the lowest free number >= @floor (close-on-exec), closing
 * @fd; an @fd already there is returned as it is.  Why: fds 3 ..
 * @floor-1 are the caller's (--preserve-fds, LISTEN_FDS) for the
 * container's process, and none of urun's own may sit between them.
 * Returns the fd, or -errno (and @fd is closed). */
static inline int
urun_fd_move_above (int fd, int floor)
{
  int high;

  if (fd < 0 || fd >= floor)
    return fd;
  high = fcntl (fd, F_DUPFD_CLOEXEC, floor);
  if (high < 0)
    {
      int errsv = errno;

      close (fd);
      errno = errsv;
      return -errsv;
    }
  close (fd);
  return high;
}
