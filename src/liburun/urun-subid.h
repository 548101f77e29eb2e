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

G_END_DECLS
