/* urun-systemd-bus.h: the calls of the systemd driver to the systemd
 * manager (see urun-systemd.h for the rules every call follows: the bus of
 * root or of the user, URUN_SYSTEMD_TIMEOUT_SEC, JobRemoved subscribed
 * before a job is asked for).
 *
 * Zone: host side (GLib).  Built only with libsystemd (HAVE_SYSTEMD).
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "cgroup/urun-cgroup.h"
#include "cgroup/urun-sd-bus.h"
#include "cgroup/urun-systemd.h"

G_BEGIN_DECLS

typedef struct
{
  sd_bus *bus;
  sd_bus_slot *slot;
  GHashTable *removed;         /* job path -> result */
  const UrunCgroupHost *host;  /* which bus, and its address for messages */
  gboolean broken;             /* it did not answer: no more calls on it */
} UrunSystemdBus;

/* Connects to the manager of @host (the user's when rootless), waits for
 * the handshake and subscribes to JobRemoved.  @host must outlive @bus. */
gboolean urun_systemd_bus_open (UrunSystemdBus *bus, const UrunCgroupHost *host, GError **error);
void urun_systemd_bus_clear (UrunSystemdBus *bus);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (UrunSystemdBus, urun_systemd_bus_clear)

/* The user's bus: $DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus,
 * else NULL. */
char *urun_systemd_user_bus_address (const UrunCgroupHost *host);

/* StartTransientUnit(@unit, "fail", @props, []) and its job; StopUnit
 * (@unit, "replace") and its job.  The D-Bus error name of a refusal
 * (UnitExists, NoSuchUnit) goes to @out_error_name (may be NULL). */
gboolean urun_systemd_bus_start_unit (UrunSystemdBus *bus, const char *unit, GPtrArray *props,
                                      char **out_error_name, GError **error);
gboolean urun_systemd_bus_stop_unit (UrunSystemdBus *bus, const char *unit,
                                     char **out_error_name, GError **error);

/* ResetFailedUnit, SetUnitProperties(runtime), AttachProcessesToUnit. */
gboolean urun_systemd_bus_reset_failed (UrunSystemdBus *bus, const char *unit, GError **error);
gboolean urun_systemd_bus_set_properties (UrunSystemdBus *bus, const char *unit,
                                          GPtrArray *props, GError **error);
gboolean urun_systemd_bus_attach (UrunSystemdBus *bus, const char *unit, const char *subcgroup,
                                  pid_t pid, GError **error);

G_END_DECLS
