/* urun-cgroup-service.h: urun started by systemd as a service's own
 * process (ExecStart=urun run ...): the container then belongs to that
 * service, not to a scope of its own.
 *
 * Zone: host side (GLib).
 *
 * The rule (all of it must hold):
 *   - $INVOCATION_ID is set (systemd sets it for the processes of a unit);
 *   - $SYSTEMD_EXEC_PID is urun's own pid: systemd forked urun itself for
 *     an Exec*= line, so urun is the service's process (its main process
 *     for ExecStart=), not a child of a shell the service runs;
 *   - urun's cgroup v2 path ends in NAME.service: urun still is in the
 *     service's own cgroup, not in a scope or a sub-cgroup of it.
 * A process of a login session, a scope (systemd-run --scope) or a shell
 * started by a service is none of that, and keeps the normal ladder.
 * The variables are those of the request's UrunCgroupHost.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "cgroup/urun-cgroup.h"

G_BEGIN_DECLS

/* The unit name ("web.service") when urun is a service's own process by the
 * rule above, else NULL.  Free with g_free(). */
char *urun_cgroup_service_of_caller (const UrunCgroupHost *host);

/* TRUE when the default ladder should put the container in the caller's
 * service: urun is a service's process, and @request names no cgroup of its
 * own (no --cgroup-manager, no systemd-run style options, no
 * linux.cgroupsPath). */
gboolean urun_cgroup_service_applies (const UrunCgroupRequest *request);

/* Places @pid in the service's cgroup: a sub-cgroup of it named like the
 * cgroupfs driver's (driver "cgroupfs") when the unit has Delegate=yes and
 * the host is cgroup v2 only, else the service's cgroup itself, where init
 * already is as urun's child (driver "none": urun manages no cgroup, and
 * the limits are the service's).  Either way @outcome's unit is the
 * service and its reason says why.  On failure nothing is left. */
gboolean urun_cgroup_service_enter (const UrunCgroupRequest *request, pid_t pid,
                                    UrunCgroupOutcome *outcome, GError **error);

G_END_DECLS
