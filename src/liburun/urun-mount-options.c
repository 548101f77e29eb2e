/* urun-mount-options.c: the runtime-spec's mount option table (see
 * urun-mount-options.h).  Zone: host side. */
#include "config.h"

#include "urun-mount-options.h"

#include <string.h>
#include <sys/mount.h>

typedef enum
{
  OPT_FLAG,        /* set an MS_* flag */
  OPT_CLEAR,       /* clear an MS_* flag */
  OPT_PROPAGATION, /* set the propagation type */
  OPT_ATTR,        /* recursive attribute: attr_set / attr_clear */
  OPT_EXTENSION,   /* handled by urun itself */
} OptionKind;

typedef struct
{
  const char *name;
  OptionKind kind;
  unsigned long flag;
  uint64_t attr_set;
  uint64_t attr_clear;
} MountOption;

#define FLAG(n, f) { n, OPT_FLAG, f, 0, 0 }
#define CLEAR(n, f) { n, OPT_CLEAR, f, 0, 0 }
#define PROP(n, f) { n, OPT_PROPAGATION, f, 0, 0 }
#define ATTR(n, s, c) { n, OPT_ATTR, 0, s, c }
#define EXT(n, e) { n, OPT_EXTENSION, e, 0, 0 }

/* The table of runtime-spec 1.2 "Mount Options", plus podman's tmpcopyup. */
static const MountOption mount_options[] = {
  CLEAR ("async", MS_SYNCHRONOUS),
  CLEAR ("atime", MS_NOATIME),
  FLAG ("bind", MS_BIND),
  FLAG ("defaults", 0),
  CLEAR ("dev", MS_NODEV),
  CLEAR ("diratime", MS_NODIRATIME),
  FLAG ("dirsync", MS_DIRSYNC),
  CLEAR ("exec", MS_NOEXEC),
  FLAG ("iversion", MS_I_VERSION),
  FLAG ("lazytime", MS_LAZYTIME),
  CLEAR ("loud", MS_SILENT),
  FLAG ("mand", MS_MANDLOCK),
  FLAG ("noatime", MS_NOATIME),
  FLAG ("nodev", MS_NODEV),
  FLAG ("nodiratime", MS_NODIRATIME),
  FLAG ("noexec", MS_NOEXEC),
  CLEAR ("noiversion", MS_I_VERSION),
  CLEAR ("nolazytime", MS_LAZYTIME),
  CLEAR ("nomand", MS_MANDLOCK),
  CLEAR ("norelatime", MS_RELATIME),
  CLEAR ("nostrictatime", MS_STRICTATIME),
  FLAG ("nosuid", MS_NOSUID),
  FLAG ("nosymfollow", MS_NOSYMFOLLOW),
  PROP ("private", MS_PRIVATE),
  /* The atime modes are one field: setting one clears all of
   * MOUNT_ATTR__ATIME, as mount_setattr(2) requires.  "Access times" without
   * strictatime is relatime, the kernel's default. */
  ATTR ("ratime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME),
  FLAG ("rbind", MS_BIND | MS_REC),
  ATTR ("rdev", 0, MOUNT_ATTR_NODEV),
  ATTR ("rdiratime", 0, MOUNT_ATTR_NODIRATIME),
  FLAG ("relatime", MS_RELATIME),
  FLAG ("remount", MS_REMOUNT),
  ATTR ("rexec", 0, MOUNT_ATTR_NOEXEC),
  ATTR ("rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME),
  ATTR ("rnodev", MOUNT_ATTR_NODEV, 0),
  ATTR ("rnodiratime", MOUNT_ATTR_NODIRATIME, 0),
  ATTR ("rnoexec", MOUNT_ATTR_NOEXEC, 0),
  /* relatime is the absence of the other atime modes, so there is nothing
   * to clear: the option is accepted and changes nothing. */
  ATTR ("rnorelatime", 0, 0),
  ATTR ("rnostrictatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME),
  ATTR ("rnosuid", MOUNT_ATTR_NOSUID, 0),
  ATTR ("rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0),
  PROP ("rprivate", MS_PRIVATE | MS_REC),
  ATTR ("rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME),
  ATTR ("rro", MOUNT_ATTR_RDONLY, 0),
  ATTR ("rrw", 0, MOUNT_ATTR_RDONLY),
  PROP ("rshared", MS_SHARED | MS_REC),
  PROP ("rslave", MS_SLAVE | MS_REC),
  ATTR ("rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME),
  ATTR ("rsuid", 0, MOUNT_ATTR_NOSUID),
  ATTR ("rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW),
  PROP ("runbindable", MS_UNBINDABLE | MS_REC),
  CLEAR ("rw", MS_RDONLY),
  PROP ("shared", MS_SHARED),
  FLAG ("silent", MS_SILENT),
  PROP ("slave", MS_SLAVE),
  FLAG ("strictatime", MS_STRICTATIME),
  CLEAR ("suid", MS_NOSUID),
  CLEAR ("symfollow", MS_NOSYMFOLLOW),
  FLAG ("sync", MS_SYNCHRONOUS),
  PROP ("unbindable", MS_UNBINDABLE),
  FLAG ("ro", MS_RDONLY),
  EXT ("idmap", URUN_MOUNT_EXT_IDMAP),
  EXT ("ridmap", URUN_MOUNT_EXT_RIDMAP),
  EXT ("tmpcopyup", URUN_MOUNT_EXT_TMPCOPYUP),
};

/* Filesystem options without '=' that real configs carry (devpts, tmpfs,
 * overlay, mqueue...).  They are data for the filesystem, not flags. */
static const char *const fs_data_flags[] = {
  "newinstance", "inode32", "inode64", "noswap", "nouser_xattr", "user_xattr",
  "acl", "noacl", "redirect_dir", "userxattr", "volatile",
};

static const MountOption *
lookup (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (mount_options); i++)
    if (strcmp (mount_options[i].name, name) == 0)
      return &mount_options[i];
  return NULL;
}

gboolean
urun_mount_option_is_known (const char *name)
{
  return lookup (name) != NULL;
}

gboolean
urun_mount_option_is_fs_data (const char *name)
{
  if (strchr (name, '=') != NULL)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (fs_data_flags); i++)
    if (strcmp (fs_data_flags[i], name) == 0)
      return TRUE;
  return FALSE;
}

void
urun_mount_flags_clear (UrunMountFlags *flags)
{
  g_clear_pointer (&flags->data, g_free);
  memset (flags, 0, sizeof *flags);
}

void
urun_mount_flags_parse (const char *const *options, UrunMountFlags *out)
{
  g_autoptr (GString) data = g_string_new (NULL);

  memset (out, 0, sizeof *out);
  for (gsize i = 0; options != NULL && options[i] != NULL; i++)
    {
      const MountOption *option = lookup (options[i]);

      if (option == NULL)
        {
          if (data->len > 0)
            g_string_append_c (data, ',');
          g_string_append (data, options[i]);
          continue;
        }
      switch (option->kind)
        {
        case OPT_FLAG:
          out->flags |= option->flag;
          out->clear_flags &= ~option->flag;
          break;
        case OPT_CLEAR:
          out->flags &= ~option->flag;
          out->clear_flags |= option->flag;
          break;
        case OPT_PROPAGATION:
          out->propagation = option->flag;
          break;
        case OPT_ATTR:
          if (option->attr_clear == MOUNT_ATTR__ATIME)
            {
              out->attr_set = (out->attr_set & ~(uint64_t) MOUNT_ATTR__ATIME) | option->attr_set;
              out->attr_clear |= MOUNT_ATTR__ATIME;
            }
          else
            {
              out->attr_set = (out->attr_set & ~option->attr_clear) | option->attr_set;
              out->attr_clear = (out->attr_clear & ~option->attr_set) | option->attr_clear;
            }
          break;
        case OPT_EXTENSION:
          out->extensions |= (unsigned) option->flag;
          break;
        }
    }
  out->data = data->len > 0 ? g_string_free (g_steal_pointer (&data), FALSE) : NULL;
}
