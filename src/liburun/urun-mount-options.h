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
#include "urun-mount-flags.h"

G_BEGIN_DECLS

void urun_mount_flags_clear (UrunMountFlags *flags);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (UrunMountFlags, urun_mount_flags_clear)

/* Folds @options (NULL-terminated, may be NULL) into @out.  Later options
 * win over earlier ones, as in mount(8).  Filesystem data ("mode=755") is
 * joined into out->data; unknown options too, though validation has
 * rejected them before. */
void urun_mount_flags_parse (const char *const *options, UrunMountFlags *out);

G_END_DECLS
