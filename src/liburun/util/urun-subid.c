/* urun-subid.c: parse /etc/subuid and /etc/subgid (see urun-subid.h).
 * Zone: host side (GLib). */
#include "config.h"

#include "util/urun-subid.h"
#include "util/urun-error.h"
#include "util/urun-file.h"

#include <errno.h>
#include <string.h>

static gboolean
parse_u32 (const char *text, guint64 max, guint64 *out_value)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL))
    return FALSE;
  *out_value = value;
  return TRUE;
}

/* The ranges of @path whose owner is @user_name or @id, or of every owner
 * with @all. */
static GArray *
read_ranges (const char *path, const char *user_name, guint32 id, gboolean all, GError **error)
{
  g_autoptr (GArray) ranges = g_array_new (FALSE, FALSE, sizeof (UrunSubidRange));
  g_autoptr (GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *id_text = g_strdup_printf ("%" G_GUINT32_FORMAT, id);
  g_auto (GStrv) lines = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  contents = urun_file_read (path, NULL, &local_error);
  if (contents == NULL)
    {
      if (g_error_matches (local_error, URUN_ERROR, URUN_ERROR_NOT_FOUND))
        return g_steal_pointer (&ranges);
      urun_fail (error, URUN_ERROR_FAILED, "%s", local_error->message);
      return NULL;
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = NULL;
      char *line = g_strstrip (lines[i]);
      guint64 start, count;
      UrunSubidRange range;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      fields = g_strsplit (line, ":", -1);
      if (g_strv_length (fields) != 3 || fields[0][0] == '\0')
        {
          g_debug ("%s:%u: skipping malformed line", path, i + 1);
          continue;
        }
      if (!all && g_strcmp0 (fields[0], user_name) != 0 && strcmp (fields[0], id_text) != 0)
        continue;
      /* A range must fit in the 32-bit id space: start + count <= 2^32. */
      if (!parse_u32 (fields[1], G_MAXUINT32, &start)
          || !parse_u32 (fields[2], G_MAXUINT32, &count) || count == 0
          || start + count > (guint64) G_MAXUINT32 + 1)
        {
          g_debug ("%s:%u: skipping malformed range", path, i + 1);
          continue;
        }
      range.start = (guint32) start;
      range.count = (guint32) count;
      g_array_append_val (ranges, range);
    }
  return g_steal_pointer (&ranges);
}

GArray *
urun_subid_ranges (const char *path, const char *user_name, guint32 id, GError **error)
{
  return read_ranges (path, user_name, id, FALSE, error);
}

static gboolean
overlaps (const GArray *ranges, guint64 start, guint64 count)
{
  for (guint i = 0; ranges != NULL && i < ranges->len; i++)
    {
      const UrunSubidRange *r = &g_array_index (ranges, UrunSubidRange, i);

      if (start < (guint64) r->start + r->count && (guint64) r->start < start + count)
        return TRUE;
    }
  return FALSE;
}

guint32
urun_subid_free_start (const char *subuid_path, const char *subgid_path, guint32 count)
{
  g_autoptr (GArray) uids = read_ranges (subuid_path, NULL, 0, TRUE, NULL);
  g_autoptr (GArray) gids = read_ranges (subgid_path, NULL, 0, TRUE, NULL);
  guint64 start;

  /* 100000 is where useradd starts (SUB_UID_MIN); steps of 65536 keep
   * ranges aligned the way it hands them out. */
  for (start = 100000; start + count <= (guint64) G_MAXUINT32 + 1; start += 65536)
    if (!overlaps (uids, start, count) && !overlaps (gids, start, count))
      return (guint32) start;
  return 0;
}
