/* urun-mount-options.h: the runtime-spec's mount options, mapped onto mount(2)
 * flags, propagation types and mount_setattr(2) attributes.
 *
 * Zone: host side.  The parent turns each mount's option list into a
 * UrunMountFlags before the clone; init only copies numbers.  The table of
 * option names itself is urun_mount_option_lookup() in urun-spec-names.h,
 * which validation uses too.
 */
#pragma once

#include <glib.h>
#include "init/urun-mount-flags.h"

G_BEGIN_DECLS

void urun_mount_flags_clear (UrunMountFlags *flags);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (UrunMountFlags, urun_mount_flags_clear)

/* Folds @options (NULL-terminated, may be NULL) into @out.  Later options
 * win over earlier ones, as in mount(8).  Filesystem data ("mode=755") is
 * joined into out->data; unknown options too, though validation has
 * rejected them before. */
void urun_mount_flags_parse (const char *const *options, UrunMountFlags *out);

/* Removes from @flags->data every `uid=N` and `gid=N` whose N the maps of
 * the container's user namespace (UrunSpecIdMapping) do not map: the
 * kernel refuses such a mount (devpts, tmpfs) with EINVAL.  Returns the
 * removed options joined by ", " (free with g_free()), or NULL when
 * nothing was removed. */
char *urun_mount_flags_drop_unmapped_ids (UrunMountFlags *flags, const GArray *uid_mappings,
                                          const GArray *gid_mappings);

G_END_DECLS
