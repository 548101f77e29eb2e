/* urun-subid.h: the subordinate id ranges of /etc/subuid and /etc/subgid.
 *
 * Zone: host side (GLib).  Used to build the user namespace maps of a
 * rootless container; newuidmap/newgidmap enforce the same files.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

#define URUN_SUBUID_PATH "/etc/subuid"
#define URUN_SUBGID_PATH "/etc/subgid"

typedef struct
{
  guint32 start;
  guint32 count;
} UrunSubidRange;

/* Returns the ranges of @path (lines `name_or_id:start:count`) whose first
 * field is @user_name (may be NULL) or the decimal @id, in file order, as a
 * GArray of UrunSubidRange (possibly empty).  Comments and blank lines are
 * skipped; malformed lines are skipped with a g_debug().  A missing file
 * gives an empty array, since having no subordinate ids is a normal setup;
 * other read errors fail. */
GArray *urun_subid_ranges (const char *path, const char *user_name, guint32 id, GError **error);

/* The lowest start of a free range of @count ids for a new user: the
 * first of 100000, 165536, 231072, ... that overlaps no range of any user
 * in @subuid_path and @subgid_path, so that one start serves both files.
 * Unreadable files count as empty; 0 when no such range fits in 32 bits. */
guint32 urun_subid_free_start (const char *subuid_path, const char *subgid_path, guint32 count);

G_END_DECLS
