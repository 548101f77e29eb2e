/* urun-pid-file.c: the --pid-file of create, run and exec (see
 * urun-pid-file.h).  Zone: host side (GLib). */
#include "config.h"

#include "util/urun-pid-file.h"

gboolean
urun_pid_file_write (const char *path, pid_t pid, GError **error)
{
  g_autofree char *contents = g_strdup_printf ("%d", (int) pid);

  if (!g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    {
      g_prefix_error (error, "write the pid file: ");
      return FALSE;
    }
  return TRUE;
}
