/* urun-fd.h: small file-descriptor helpers shared by every zone.
 *
 * Zone: any.  Header-only and free of GLib so that the init child may use
 * it.  Raw helpers return >= 0 on success and -errno on failure.
 */
#pragma once

#include <errno.h>
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
