/* urun-id.c: validation of container ids (see urun-id.h).
 * Zone: host side (GLib). */
#include "config.h"

#include "util/urun-id.h"
#include "util/urun-error.h"

#include <string.h>

gboolean
urun_id_validate (const char *id, GError **error)
{
  size_t length;

  g_return_val_if_fail (id != NULL, FALSE);

  length = strlen (id);
  if (length == 0)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "invalid container id ``: an id must not be empty");
  if (strcmp (id, ".") == 0 || strcmp (id, "..") == 0)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "invalid container id `%s`: `.` and `..` are not ids", id);
  /* Checked before any text of the id is echoed back, so that an error
   * message never carries a terminal escape sequence. */
  for (const char *p = id; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;

      if (c < 0x20 || c == 0x7f)
        return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                          "invalid container id: byte %zu is the control character 0x%02x",
                          (size_t) (p - id), c);
    }
  /* Why: the id is a directory name under the state root; a '/' would reach
   * outside it or into another container. */
  if (strchr (id, '/') != NULL)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "invalid container id `%s`: an id must not contain `/`", id);
  /* The characters runc allows (^[\w+.-]+$, \w being ASCII): an id also
   * names cgroups, systemd units and files of other tools, and a space,
   * `*` or a non-ASCII byte breaks some of them or a shell that quotes it
   * badly. */
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_+-.", *p) == NULL)
      {
        /* Not echoed: it may not even be UTF-8. */
        if ((unsigned char) *p >= 0x80)
          return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                            "invalid container id: byte %zu is not ASCII; an id may hold only "
                            "ASCII letters, digits and `_+-.`",
                            (size_t) (p - id));
        return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                          "invalid container id `%s`: `%c` is not allowed; an id may hold only "
                          "ASCII letters, digits and `_+-.`",
                          id, *p);
      }
  if (length > URUN_ID_MAX_LENGTH)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "invalid container id `%.32s…`: %zu bytes long, the limit is %d", id,
                      length, URUN_ID_MAX_LENGTH);
  /* Why: names starting with '.' are reserved for urun's own files in the
   * state root, and would be hidden from `ls`. */
  if (id[0] == '.')
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "invalid container id `%s`: an id must not start with `.`", id);
  return TRUE;
}
