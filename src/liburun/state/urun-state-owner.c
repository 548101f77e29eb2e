/* urun-state-owner.c: the ownership check every directory and file of the
 * state store passes before it is used (see urun-state-private.h); shared
 * by the store (urun-state.c) and the record reader (urun-state-record.c).
 * Zone: host side (GLib).
 */
#include "config.h"

#include "state/urun-state-private.h"
#include "util/urun-error.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

/* Why every directory and file of the store must be the caller's and
 * writable by nobody else: their contents steer what urun does with the
 * caller's privileges.  A state.json planted by another user would have
 * root's `kill` signal a host process of that user's choosing, and root's
 * `delete` remove a cgroup of that user's choosing; a shared /tmp (the
 * rootless fallback) lets anyone create the root before us.  So the
 * owner must be our effective uid (in our user namespace: rootless podman
 * runs us as its uid 0) and neither group nor others may write. */
gboolean
urun_state_check_owned (int fd, const char *what, const char *path, GError **error)
{
  struct stat st;

  if (fstat (fd, &st) < 0)
    return urun_fail_errno (error, errno, "stat %s `%s`", what, path);
  if (st.st_uid != geteuid ())
    return urun_fail (error, URUN_ERROR_PERMISSION_DENIED,
                      "refusing %s `%s`: it is owned by uid %u, not by uid %u who runs urun; "
                      "use a state root of your own (--root) or remove it",
                      what, path, (unsigned) st.st_uid, (unsigned) geteuid ());
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    return urun_fail (error, URUN_ERROR_PERMISSION_DENIED,
                      "refusing %s `%s`: its mode %04o lets others write to it; "
                      "run `chmod go-w` on it or use another state root (--root)",
                      what, path, (unsigned) (st.st_mode & 07777));
  return TRUE;
}
