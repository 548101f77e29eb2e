/* urun-json-file.c: bounded reading and parsing of the JSON documents urun
 * is given (see urun-json-file.h).
 *
 * Zone: host side (GLib).
 *
 * Why a pre-scan for depth: json-glib's parser recurses once per array or
 * object, so `[` x 100000 overflows the stack before it reports anything.
 * The scan counts brackets outside double-quoted strings.  It may count
 * more than json-glib would (brackets in a comment or a single-quoted
 * string, which json-glib's scanner may skip), never fewer: json-glib stops
 * at the first token it does not accept, and every bracket before that
 * token was counted.
 */
#include "config.h"

#include "util/urun-json-file.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- reading ------------------------------------------------------------- */

static const char *
describe_mode (mode_t mode)
{
  switch (mode & S_IFMT)
    {
    case S_IFDIR:
      return "a directory";
    case S_IFIFO:
      return "a FIFO";
    case S_IFCHR:
      return "a character device";
    case S_IFBLK:
      return "a block device";
    case S_IFSOCK:
      return "a socket";
    case S_IFLNK:
      return "a symbolic link";
    default:
      return "a special file";
    }
}

static gboolean
fail_too_large (GError **error, const char *name, guint64 size, gsize max_size)
{
  const gsize mib = (gsize) 1 << 20;
  g_autofree char *limit = max_size % mib == 0
                             ? g_strdup_printf (" (%" G_GSIZE_FORMAT " MiB)", max_size / mib)
                             : g_strdup ("");

  if (size > 0)
    return urun_fail (error, URUN_ERROR_FAILED,
                      "cannot read %s: it is %" G_GUINT64_FORMAT " bytes, more than the limit "
                      "of %" G_GSIZE_FORMAT " bytes%s",
                      name, size, max_size, limit);
  return urun_fail (error, URUN_ERROR_FAILED,
                    "cannot read %s: it holds more than the limit of %" G_GSIZE_FORMAT " bytes%s",
                    name, max_size, limit);
}

char *
urun_json_read_fd (int fd, const char *name, gsize max_size, gsize *out_len, GError **error)
{
  g_autoptr (GByteArray) buf = g_byte_array_new ();

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (;;)
    {
      guint8 chunk[8192];
      ssize_t n = read (fd, chunk, sizeof chunk);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          urun_fail_errno (error, errno, "cannot read %s", name);
          return NULL;
        }
      if (n == 0)
        break;
      /* A file can grow after fstat(), and a pipe has no size at all. */
      if ((gsize) n > max_size - buf->len)
        {
          fail_too_large (error, name, 0, max_size);
          return NULL;
        }
      g_byte_array_append (buf, chunk, (guint) n);
    }
  *out_len = buf->len;
  g_byte_array_append (buf, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&buf), FALSE);
}

char *
urun_json_read_at (int dirfd, const char *path, gsize max_size, UrunJsonReadFlags flags,
                   gsize *out_len, GError **error)
{
  URUN_AUTOCLOSE int pathfd = -1;
  URUN_AUTOCLOSE int fd = -1;
  char proc_path[64];
  struct stat st;

  g_return_val_if_fail (path != NULL, NULL);

  /* Why O_PATH and a reopen: opening a FIFO for reading blocks until a
   * writer comes, and opening some devices acts (a watchdog starts
   * counting).  O_PATH opens nothing; only a regular file is reopened,
   * through its fd, so a rename in between cannot swap it. */
  pathfd = openat (dirfd, path,
                   O_PATH | O_CLOEXEC | ((flags & URUN_JSON_READ_NOFOLLOW) ? O_NOFOLLOW : 0));
  if (pathfd < 0)
    {
      urun_fail_errno (error, errno, "cannot read %s", path);
      return NULL;
    }
  if (fstat (pathfd, &st) < 0)
    {
      urun_fail_errno (error, errno, "cannot read %s", path);
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      urun_fail (error, URUN_ERROR_FAILED, "cannot read %s: it is %s, not a regular file", path,
                 describe_mode (st.st_mode));
      return NULL;
    }
  if ((guint64) st.st_size > max_size)
    {
      fail_too_large (error, path, (guint64) st.st_size, max_size);
      return NULL;
    }
  g_snprintf (proc_path, sizeof proc_path, "/proc/self/fd/%d", pathfd);
  fd = open (proc_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      urun_fail_errno (error, errno, "cannot read %s: reopen it through %s", path, proc_path);
      return NULL;
    }
  return urun_json_read_fd (fd, path, max_size, out_len, error);
}

/* ---- parsing ------------------------------------------------------------- */

gboolean
urun_json_check_depth (const char *data, gsize len, const char *name, guint max_depth,
                       GError **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;
  gsize line = 1, line_start = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (c == '\n')
        {
          line++;
          line_start = i + 1;
        }
      else if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\' && i + 1 < len && data[i + 1] != '\n')
            i++;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                              "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT ": arrays and objects "
                              "nest deeper than %u levels here, the limit",
                              name, line, i - line_start + 1, max_depth);
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

/* json-glib quotes the offending token, which may span lines (an
 * unterminated string); an error message stays on one line. */
static char *
escape_controls (const char *message)
{
  GString *out = g_string_new (NULL);

  for (const char *p = message; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '\t')
        g_string_append (out, "\\t");
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\x%02x", (guint) (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* json-glib says "<data>:LINE:COL: Parse error: MESSAGE"; we say
 * "NAME:LINE:COL: MESSAGE". */
static gboolean
fail_syntax (GError **error, const char *name, const GError *json_error)
{
  const char *message = json_error->message;
  int line, column, consumed = 0;

  if (g_str_has_prefix (message, "<data>:")
      && sscanf (message + strlen ("<data>:"), "%d:%d: %n", &line, &column, &consumed) == 2
      && consumed > 0)
    {
      g_autofree char *oneline = NULL;

      message += strlen ("<data>:") + consumed;
      if (g_str_has_prefix (message, "Parse error: "))
        message += strlen ("Parse error: ");
      oneline = escape_controls (message);
      return urun_fail (error, URUN_ERROR_INVALID_CONFIG, "%s:%d:%d: %s", name, line, column,
                        oneline);
    }
  return urun_fail (error, URUN_ERROR_INVALID_CONFIG, "%s: %s", name, message);
}

JsonNode *
urun_json_parse_bounded (const char *data, gssize len, const char *name, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (len < 0)
    len = (gssize) strlen (data);
  if (!urun_json_check_depth (data, (gsize) len, name, URUN_JSON_MAX_DEPTH, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      fail_syntax (error, name, local_error);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      urun_fail (error, URUN_ERROR_INVALID_CONFIG, "%s: expected an object, got an empty document",
                 name);
      return NULL;
    }
  return json_node_ref (root);
}
