/* urun-mount-options.c: a mount's option list folded into mount(2) flags,
 * propagation and mount_setattr(2) attributes (see urun-mount-options.h).
 * Zone: host side. */
#include "config.h"

#include "plan/urun-idmap.h"
#include "plan/urun-mount-options.h"
#include "spec/urun-spec-names.h"

#include <string.h>

void
urun_mount_flags_clear (UrunMountFlags *flags)
{
  g_clear_pointer (&flags->data, g_free);
  memset (flags, 0, sizeof *flags);
}

static void
fold_recursive (const UrunMountOption *option, UrunMountFlags *out)
{
  /* The atime modes are one field: mount_setattr(2) wants all of
   * MOUNT_ATTR__ATIME cleared whenever one of them is set, so those bits
   * stay in attr_clear once any atime option was seen. */
  if (option->attr_clr == URUN_MOUNT_ATTR__ATIME)
    {
      out->attr_set = (out->attr_set & ~(uint64_t) URUN_MOUNT_ATTR__ATIME) | option->attr_set;
      out->attr_clear |= URUN_MOUNT_ATTR__ATIME;
      return;
    }
  out->attr_set = (out->attr_set & ~option->attr_clr) | option->attr_set;
  out->attr_clear = (out->attr_clear & ~option->attr_set) | option->attr_clr;
}

void
urun_mount_flags_parse (const char *const *options, UrunMountFlags *out)
{
  g_autoptr (GString) data = g_string_new (NULL);

  memset (out, 0, sizeof *out);
  for (gsize i = 0; options != NULL && options[i] != NULL; i++)
    {
      const UrunMountOption *option = NULL;
      UrunMountOptionKind kind = URUN_MOUNT_OPTION_DATA;

      if (!urun_mount_option_lookup (options[i], &kind, &option) || option == NULL)
        kind = URUN_MOUNT_OPTION_DATA;
      switch (kind)
        {
        case URUN_MOUNT_OPTION_FLAG:
          if (option->clear)
            {
              out->flags &= ~option->flags;
              out->clear_flags |= option->flags;
            }
          else
            {
              out->flags |= option->flags;
              out->clear_flags &= ~option->flags;
            }
          break;
        case URUN_MOUNT_OPTION_PROPAGATION:
          out->propagation = option->flags;
          break;
        case URUN_MOUNT_OPTION_RECURSIVE:
          fold_recursive (option, out);
          break;
        case URUN_MOUNT_OPTION_IDMAP:
          out->extensions |= option->flags ? URUN_MOUNT_EXT_RIDMAP : URUN_MOUNT_EXT_IDMAP;
          break;
        case URUN_MOUNT_OPTION_EXTENSION:
          if (strcmp (option->name, "tmpcopyup") == 0)
            out->extensions |= URUN_MOUNT_EXT_TMPCOPYUP;
          break;
        case URUN_MOUNT_OPTION_DATA:
        default:
          if (data->len > 0)
            g_string_append_c (data, ',');
          g_string_append (data, options[i]);
          break;
        }
    }
  out->data = data->len > 0 ? g_string_free (g_steal_pointer (&data), FALSE) : NULL;
}

/* The id of `uid=N` (@key "uid=") in @option, if it is one. */
static gboolean
id_option (const char *option, const char *key, guint32 *out_id)
{
  guint64 id;

  if (!g_str_has_prefix (option, key)
      || !g_ascii_string_to_unsigned (option + strlen (key), 10, 0, G_MAXUINT32, &id, NULL))
    return FALSE;
  *out_id = (guint32) id;
  return TRUE;
}

char *
urun_mount_flags_drop_unmapped_ids (UrunMountFlags *flags, const GArray *uid_mappings,
                                    const GArray *gid_mappings)
{
  g_auto (GStrv) options = NULL;
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();
  g_autoptr (GPtrArray) dropped = g_ptr_array_new ();
  char *result;

  if (flags->data == NULL)
    return NULL;
  options = g_strsplit (flags->data, ",", -1);
  for (char **o = options; *o != NULL; o++)
    {
      guint32 id;

      if ((uid_mappings != NULL && id_option (*o, "uid=", &id)
           && !urun_idmap_maps_container_id (uid_mappings, id))
          || (gid_mappings != NULL && id_option (*o, "gid=", &id)
              && !urun_idmap_maps_container_id (gid_mappings, id)))
        g_ptr_array_add (dropped, *o);
      else
        g_ptr_array_add (kept, *o);
    }
  if (dropped->len == 0)
    return NULL;
  g_ptr_array_add (kept, NULL);
  g_ptr_array_add (dropped, NULL);
  g_free (flags->data);
  flags->data = kept->len > 1 ? g_strjoinv (",", (char **) kept->pdata) : NULL;
  result = g_strjoinv (", ", (char **) dropped->pdata);
  return result;
}
