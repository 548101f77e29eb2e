/* urun-mount-options.h: the runtime-spec's mount options, mapped onto mount(2)
 * flags, propagation types and mount_setattr(2) attributes.
 *
 * Zone: host side.  The parent turns each mount's option list into a
 * UrunMountFlags before the clone; init only copies numbers.
 */
#pragma once

#include <glib.h>
#include "urun-mount-flags.h"

G_BEGIN_DECLS

void urun_mount_flags_clear (UrunMountFlags *flags);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (UrunMountFlags, urun_mount_flags_clear)

/* TRUE if @name is an option of the spec's table (or a urun extension);
 * filesystem data such as "mode=755" is not. */
gboolean urun_mount_option_is_known (const char *name);

/* TRUE if @name is passed to the filesystem as data: anything of the form
 * key=value, and the few flag-like filesystem options in common use
 * (newinstance, inode64, ...). */
gboolean urun_mount_option_is_fs_data (const char *name);

/* Folds @options (NULL-terminated, may be NULL) into @out.  Later options
 * win over earlier ones, as in mount(8).  Unknown options are passed as
 * filesystem data; validation rejects them earlier. */
void urun_mount_flags_parse (const char *const *options, UrunMountFlags *out);

G_END_DECLS
