/* urun-spec-rootfs.h: the config.json of `urun run --rootfs DIR -- CMD`:
 * the default spec of `urun spec` (the rootless variant when
 * unprivileged) with the command line's few choices applied.
 *
 * Zone: host side (GLib).  Pure apart from what urun_spec_default_generate()
 * reads and the checks that the rootfs and bind sources exist.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean rootless;
  uid_t uid;                /* the caller's ids (see UrunSpecDefaultOptions) */
  gid_t gid;
  const char *user_name;
  const char *rootfs;       /* the root file system directory */
  const char *const *args;  /* the command; NULL or empty: the default shell */
  gboolean terminal;
  const char *const *binds; /* SRC:DST[:ro|:rw] */
  const char *const *env;   /* NAME=VALUE, replacing the default of NAME */
  const char *workdir;      /* absolute, or NULL */
  const char *user;         /* UID[:GID], numeric, or NULL */
  const char *network;      /* "none" (a new network namespace), "host" or NULL */
} UrunSpecRootfsOptions;

/* The configuration as JSON text.  Errors name the option and the fix:
 * URUN_ERROR_INVALID_ARGUMENT for a malformed value, URUN_ERROR_NOT_FOUND
 * for a rootfs or bind source that does not exist. */
char *urun_spec_rootfs_generate (const UrunSpecRootfsOptions *options, GError **error);

G_END_DECLS
