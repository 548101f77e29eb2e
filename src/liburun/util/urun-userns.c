/* urun-userns.c: which user namespace urun runs in (see urun-userns.h).
 * Zone: host side (GLib). */
#include "config.h"

#include "util/urun-userns.h"
#include "util/urun-file.h"

#include <stdio.h>

static gboolean
read_is_initial (void)
{
  g_autofree char *contents = NULL;
  guint64 inside, outside, count;

  /* No /proc/self/uid_map: a kernel without user namespaces. */
  if ((contents = urun_file_read ("/proc/self/uid_map", NULL, NULL)) == NULL)
    return TRUE;
  /* The initial namespace maps every id onto itself: "0 0 4294967295". */
  if (sscanf (contents, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
              &inside, &outside, &count) != 3)
    return TRUE;
  return inside == 0 && outside == 0 && count == G_MAXUINT32;
}

gboolean
urun_userns_is_initial (void)
{
  /* A process never changes its user namespace here (urun itself does not
   * call setns/unshare; init does, in its own copy of this memory), so one
   * read serves the state root, the rootless test and the privilege test
   * of a whole command. */
  static int initial = -1;

  if (initial < 0)
    initial = read_is_initial ();
  return initial;
}
