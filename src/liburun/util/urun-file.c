/* urun-file.c: reading small files (see urun-file.h).  Zone: host side
 * (GLib).
 */
#include "config.h"

#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "util/urun-file.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* Enough for most of them at once: /proc/self/mountinfo of a desktop is
 * a few KiB; procfs files report no size to allocate from. */
#define FIRST_CHUNK 4096

char *
urun_file_read (const char *path, gsize *out_len, GError **error)
{
  URUN_AUTOCLOSE int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  gsize size = FIRST_CHUNK, len = 0;
  char *buffer;
  int errsv;

  g_return_val_if_fail (path != NULL, NULL);

  if (fd < 0)
    {
      errsv = errno;
      urun_fail_errno (error, errsv, "read `%s`", path);
      errno = errsv;
      return NULL;
    }
  buffer = g_malloc (size + 1);
  for (;;)
    {
      ssize_t n = read (fd, buffer + len, size - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          errsv = errno;
          g_free (buffer);
          urun_fail_errno (error, errsv, "read `%s`", path);
          errno = errsv;
          return NULL;
        }
      if (n == 0)
        break;
      len += (gsize) n;
      if (len == size)
        {
          size *= 2;
          buffer = g_realloc (buffer, size + 1);
        }
    }
  buffer[len] = '\0';
  if (out_len != NULL)
    *out_len = len;
  return buffer;
}
