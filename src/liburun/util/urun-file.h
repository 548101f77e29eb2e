/* urun-file.h: reading the small files of /proc, cgroupfs and /etc.
 *
 * Zone: host side (GLib).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The whole of @path, NUL-terminated, its length in *@out_len (may be
 * NULL).  On failure NULL, errno set, and @error (may be NULL) naming the
 * path: "read `/proc/self/mountinfo`: Permission denied".  Why not
 * g_file_get_contents(): it spends 7 syscalls on a file (two fstat() and an
 * fcntl() besides open, read, read, close) where 4 do, and a run reads a
 * dozen of these. */
char *urun_file_read (const char *path, gsize *out_len, GError **error);

G_END_DECLS
