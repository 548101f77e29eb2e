/* urun-state-private.h: what the files of the state store share and nobody
 * else sees.  Zone: host side (GLib). */
#pragma once

#include "state/urun-state.h"

struct _UrunStateStore
{
  char *root;
  int rootfd; /* -1 when the root does not exist (read-only open) */
};

struct _UrunContainerState
{
  char *id;
  int rootfd; /* F_DUPFD_CLOEXEC of the store's, so the handle outlives it */
  int dirfd;
  gboolean locked;
};

/* Fails with URUN_ERROR_PERMISSION_DENIED, naming @what ("state root",
 * "state directory", ...), @path, the owner and the fix, unless @fd is
 * owned by the effective uid and writable by nobody else. */
gboolean urun_state_check_owned (int fd, const char *what, const char *path, GError **error);

/* Fails with URUN_ERROR_NOT_FOUND "container `ID` does not exist". */
gboolean urun_state_fail_not_found (GError **error, const char *id);

/* TRUE when @dirfd is still the directory linked at `<root>/<id>`: a
 * delete may have removed it, and a create made a new one, meanwhile. */
gboolean urun_state_still_linked (int rootfd, const char *id, int dirfd);
