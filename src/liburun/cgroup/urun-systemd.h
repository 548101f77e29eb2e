/* urun-systemd.h: transient scopes of systemd over D-Bus (sd-bus).
 *
 * Zone: host side (GLib).  sd-bus is single-threaded and starts no
 * threads, which matters because urun clones after talking to the bus in
 * `exec` (see DESIGN.md §3).  The bus is the system bus for root and the
 * user's bus (DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus, as the
 * request's UrunCgroupHost gives them) when rootless.  Every call waits at
 * most URUN_SYSTEMD_TIMEOUT_SEC; a bus that does not answer is an error
 * that names the bus and the way out.
 *
 * The calls that start or stop units subscribe to JobRemoved *before* they
 * ask, then wait for their job: a job that ends between the reply and a
 * late subscription would otherwise be missed.
 *
 * The driver itself is urun_cgroup_systemd_driver (urun-cgroup-private.h);
 * this header carries what other modules may use.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "spec/urun-spec.h"
#include "cgroup/urun-systemd-property.h"

G_BEGIN_DECLS

#define URUN_SYSTEMD_TIMEOUT_SEC 10

/* The properties urun sends for @resources (linux.resources) with the
 * systemd driver, appended to @list; resources systemd cannot express
 * are left to the delegated cgroup files; device rules it cannot express
 * are named in @dropped.  Pure: the unit tests drive it. */
void urun_systemd_resources_properties (const UrunSpecResources *resources,
                                        const UrunSpecDevice *devices, gsize n_devices,
                                        gboolean rootless, GPtrArray *list, GPtrArray *dropped);

G_END_DECLS
