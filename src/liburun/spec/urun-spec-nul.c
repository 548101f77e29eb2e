/* urun-spec-nul.c: strings a C string cannot hold, found in the JSON text
 * before json-glib cuts them short (see urun_spec_check_nul() in
 * urun-spec.h).
 *
 * Zone: host side (GLib).
 */
#include "config.h"

#include "spec/urun-spec-private.h"

#include <string.h>

/* One open object or array while scanning: the member or element that is
 * being read, for the JSON path of a message. */
typedef struct
{
  gboolean is_array;
  guint index;               /* arrays: the current element */
  const char *key;           /* objects: the current member name, as written */
  gsize key_len;
  gboolean want_key;         /* objects: the next string is a member name */
} ScanLevel;

static char *
scan_path (GArray *levels)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < levels->len; i++)
    {
      const ScanLevel *l = &g_array_index (levels, ScanLevel, i);

      if (l->is_array)
        g_string_append_printf (path, "[%u]", l->index);
      else if (l->key != NULL)
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append_len (path, l->key, (gssize) l->key_len);
        }
    }
  return g_string_free (path, FALSE);
}

/* Scans the string token that starts at @data[*i] (its opening quote) and
 * moves *i past it.  TRUE when it holds a NUL: a \u0000 escape or a raw
 * zero byte. */
static gboolean
scan_string (const char *data, gsize len, gsize *i)
{
  char quote = data[(*i)++];
  gboolean nul = FALSE;

  while (*i < len && data[*i] != quote)
    {
      if (data[*i] == '\0')
        nul = TRUE;
      if (data[*i] == '\\' && *i + 1 < len)
        {
          (*i)++;
          if (data[*i] == 'u' && *i + 4 < len && strncmp (data + *i + 1, "0000", 4) == 0)
            nul = TRUE;
        }
      (*i)++;
    }
  (*i)++;
  return nul;
}

gboolean
urun_spec_check_nul (const char *data, gsize len, const char *filename, GError **error)
{
  g_autoptr (GArray) levels = g_array_new (FALSE, TRUE, sizeof (ScanLevel));
  gsize i = 0;

  /* Why scan the text: json-glib decodes \u0000 and hands out C strings,
   * so "rm\u0000 -rf" would come out as "rm" with no trace.  The document
   * has already parsed, so a small walk over its tokens is enough; it
   * skips comments the way scan_numbers() in urun-spec-json.c does. */
  while (i < len)
    {
      char ch = data[i];
      ScanLevel *top = levels->len > 0 ? &g_array_index (levels, ScanLevel, levels->len - 1)
                                       : NULL;

      if (ch == '"' || ch == '\'')
        {
          gsize start = i + 1;
          gboolean is_key = top != NULL && !top->is_array && top->want_key;
          gboolean nul = scan_string (data, len, &i);

          if (is_key)
            {
              top->key = data + start;
              top->key_len = i - 1 - start;
              top->want_key = FALSE;
            }
          if (nul)
            {
              g_autofree char *path = scan_path (levels);

              return urun_spec_fail (error, filename, path,
                                     "%s holds a NUL character (\\u0000), which would cut it "
                                     "short: remove it",
                                     is_key ? "the member name" : "the string");
            }
        }
      else if (ch == '/' && i + 1 < len && data[i + 1] == '*')
        {
          for (i += 2; i + 1 < len && !(data[i] == '*' && data[i + 1] == '/'); i++)
            ;
          i += 2;
        }
      else if (ch == '/' && i + 1 < len && data[i + 1] == '/')
        {
          while (i < len && data[i] != '\n')
            i++;
        }
      else
        {
          if (ch == '{' || ch == '[')
            {
              ScanLevel level = { ch == '[', 0, NULL, 0, ch == '{' };

              g_array_append_val (levels, level);
            }
          else if ((ch == '}' || ch == ']') && levels->len > 0)
            g_array_set_size (levels, levels->len - 1);
          else if (ch == ',' && top != NULL)
            {
              if (top->is_array)
                top->index++;
              else
                top->want_key = TRUE;
            }
          i++;
        }
    }
  return TRUE;
}

