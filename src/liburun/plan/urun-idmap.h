/* urun-idmap.h: deciding and writing the uid/gid maps of a container's user
 * namespace.
 *
 * Zone: host side (GLib).  The parent plans the maps before the clone and
 * writes them once the child exists, before it lets the child go on.
 *
 * Three ways to write a map, in order of preference:
 * - directly into /proc/PID/{uid,gid}_map when the caller is privileged over
 *   the ids (real root, or root inside a user namespace such as rootless
 *   podman's, whose maps are relative to that namespace);
 * - directly, for an unprivileged caller whose map is just its own id, after
 *   writing "deny" to /proc/PID/setgroups as the kernel requires;
 * - through the setuid helpers newuidmap/newgidmap, which check the ranges
 *   of /etc/subuid and /etc/subgid, for everything else.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "spec/urun-spec.h"

G_BEGIN_DECLS

typedef struct
{
  GArray *uid_mappings;   /* UrunSpecIdMapping */
  GArray *gid_mappings;   /* UrunSpecIdMapping */
  gboolean use_helpers;   /* newuidmap/newgidmap */
  gboolean deny_setgroups; /* write "deny" to setgroups before gid_map */
} UrunIdMapPlan;

void urun_idmap_plan_clear (UrunIdMapPlan *plan);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (UrunIdMapPlan, urun_idmap_plan_clear)

/* Where the helpers and the range files are; tests point them elsewhere. */
typedef struct
{
  const char *newuidmap;  /* NULL: search PATH, then /usr/bin */
  const char *newgidmap;
  const char *subuid_path; /* NULL: /etc/subuid */
  const char *subgid_path;
} UrunIdMapTools;

/* The helper @name (newuidmap, newgidmap) as urun_idmap_apply() runs it:
 * @configured when it is executable, else from PATH, else from the usual
 * system directories; NULL when there is none.  Free with g_free(). */
char *urun_idmap_find_helper (const char *configured, const char *name);

/* Plans the maps for @spec's user namespace.  @privileged is FALSE for an
 * unprivileged caller (euid != 0).  An unprivileged caller whose maps need
 * the helpers but has no subordinate ranges (or no helpers) gets the
 * single-id map instead, keeping the config's container id for its own uid;
 * a warning saying how to add ranges is appended to @warnings.  @tools may be
 * NULL for the defaults. */
gboolean urun_idmap_plan (const UrunSpec *spec, gboolean privileged, uid_t euid, gid_t egid,
                          const char *user_name, const UrunIdMapTools *tools,
                          UrunIdMapPlan *out_plan, GPtrArray *warnings, GError **error);

/* Writes the planned maps for the process @pid (which must have created its
 * user namespace and be waiting). */
gboolean urun_idmap_apply (const UrunIdMapPlan *plan, pid_t pid, const UrunIdMapTools *tools,
                           GError **error);

/* TRUE when @mappings (UrunSpecIdMapping) give the container id @id a
 * host id. */
gboolean urun_idmap_maps_container_id (const GArray *mappings, guint32 id);

G_END_DECLS
