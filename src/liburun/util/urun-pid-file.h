/* urun-pid-file.h: the --pid-file of create, run and exec.
 *
 * Zone: host side (GLib).
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* Writes @pid (decimal, no newline) to @path through a temporary file and a
 * rename, so that a reader such as conmon never sees a partial pid. */
gboolean urun_pid_file_write (const char *path, pid_t pid, GError **error);

G_END_DECLS
