/* urun-mount-flags.h: a mount's options folded into numbers.
 *
 * Zone: shared, GLib-free, so that init can read it.  The parent fills it
 * with urun_mount_flags_parse() (urun-mount-options.h).
 */
#pragma once

#include <stdint.h>

typedef enum
{
  URUN_MOUNT_EXT_NONE = 0,
  URUN_MOUNT_EXT_TMPCOPYUP = 1 << 0, /* podman: copy the image's files into a tmpfs */
  URUN_MOUNT_EXT_IDMAP = 1 << 1,     /* idmapped mount of the source */
  URUN_MOUNT_EXT_RIDMAP = 1 << 2,    /* idmapped, recursively */
} UrunMountExtension;

typedef struct
{
  unsigned long flags;       /* MS_* for mount(2), MS_BIND/MS_REC for binds */
  unsigned long clear_flags; /* MS_* an option turned off (rw, suid, exec...) */
  unsigned long propagation; /* MS_SHARED/MS_SLAVE/... (| MS_REC), or 0 */
  uint64_t attr_set;         /* MOUNT_ATTR_* to set recursively */
  uint64_t attr_clear;       /* MOUNT_ATTR_* to clear recursively */
  unsigned extensions;       /* UrunMountExtension */
  char *data;                /* filesystem options, comma-separated, or NULL */
} UrunMountFlags;
