/* urun-spec-default.h: the default config.json written by `urun spec`.
 *
 * Zone: host side (GLib).  Pure apart from reading the subordinate id files,
 * whose paths are options so that tests can inject them.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean rootless;
  uid_t uid;               /* the caller's uid, mapped to 0 when rootless */
  gid_t gid;               /* the caller's gid, mapped to 0 when rootless */
  const char *user_name;   /* matched in the subid files; may be NULL */
  const char *subuid_path; /* NULL: /etc/subuid */
  const char *subgid_path; /* NULL: /etc/subgid */
} UrunSpecDefaultOptions;

/* Returns the default configuration (runtime-spec URUN_OCI_VERSION) as
 * pretty-printed JSON text ending in a newline.  Fails only when a subid
 * file exists but cannot be read. */
char *urun_spec_default_generate (const UrunSpecDefaultOptions *options, GError **error);

G_END_DECLS
