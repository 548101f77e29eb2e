/* urun-systemd-property.h: systemd unit properties as urun sends them to
 * StartTransientUnit/SetUnitProperties, and the parsers for systemd's value
 * syntax (`-p MemoryMax=512M`, `CPUQuota=50%`, `TasksMax=infinity`,
 * `RuntimeMaxSec=1min 30s`, ...).
 *
 * Zone: host side (GLib).  Pure: no bus, no files; the unit tests drive it.
 * A property's value is a GVariant whose type string is the D-Bus signature
 * systemd expects (`t` for MemoryMax, `ay` for AllowedCPUs, `a(st)` for
 * IOReadBandwidthMax, ...); urun-systemd.c marshals it onto the bus.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *name;       /* the D-Bus property name, e.g. "CPUQuotaPerSecUSec" */
  GVariant *value;  /* owned; type = the D-Bus signature */
} UrunSystemdProperty;

/* Copies @name and takes @value over, floating or not (g_variant_take_ref). */
UrunSystemdProperty *urun_systemd_property_new (const char *name, GVariant *value);
void urun_systemd_property_free (UrunSystemdProperty *property);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UrunSystemdProperty, urun_systemd_property_free)

/* A new GPtrArray of UrunSystemdProperty * that frees its elements. */
GPtrArray *urun_systemd_property_list_new (void);

/* Appends the property @name = @value (sunk, as by
 * urun_systemd_property_new()) to @list, replacing an earlier one of the
 * same name (the last assignment wins, as with systemd-run). */
void urun_systemd_property_list_set (GPtrArray *list, const char *name, GVariant *value);

/* The property of that name in @list, or NULL. */
const UrunSystemdProperty *urun_systemd_property_list_find (GPtrArray *list, const char *name);

/* Sets the entry (@path, @value) of the a(st) property @name
 * (IODeviceWeight, IOReadBandwidthMax, ...) in @list: an entry for the
 * same @path is replaced, the others are kept. */
void urun_systemd_property_list_set_io (GPtrArray *list, const char *name, const char *path,
                                        guint64 value);

/* Parses one `NAME=VALUE` assignment in systemd's syntax and appends the
 * properties it stands for to @list (CPUQuota=50% becomes
 * CPUQuotaPerSecUSec; MemoryMax=50% becomes MemoryMaxScale).  Errors are
 * URUN_ERROR_INVALID_ARGUMENT and name the property and what was expected:
 * an unknown NAME, a missing `=`, a malformed VALUE. */
gboolean urun_systemd_property_parse (const char *assignment, GPtrArray *list, GError **error);

/* Parses the value of an `org.systemd.property.NAME` annotation: GVariant
 * text format (`uint64 1000`, `'inactive-or-failed'`, `true`), the form runc
 * and crun accept, or, for a property urun knows, systemd's syntax.
 * Errors name the annotation. */
gboolean urun_systemd_property_parse_annotation (const char *name, const char *value,
                                                 GPtrArray *list, GError **error);

/* ---- systemd's value syntax, one parser per kind --------------------------- */

/* "yes/no", "true/false", "on/off", "1/0", "y/n", "t/f". */
gboolean urun_systemd_parse_boolean (const char *text, gboolean *out_value);

/* A size in bytes with an optional binary suffix K, M, G, T, P, E (1024
 * based, as systemd's resource-control settings), decimals allowed
 * ("1.5G"); "infinity" gives G_MAXUINT64. */
gboolean urun_systemd_parse_size (const char *text, guint64 *out_bytes);

/* A time span: "5s", "100ms", "1min 30s", "2h", a bare number of seconds;
 * "infinity" gives G_MAXUINT64.  In microseconds. */
gboolean urun_systemd_parse_usec (const char *text, guint64 *out_usec);

/* "50%" or "12.5%" (up to two decimals) in permyriad (1/10000);
 * values above 100% are allowed (CPUQuota=200%). */
gboolean urun_systemd_parse_percent (const char *text, guint64 *out_permyriad);

/* A CPU or memory node list ("0-3,6", "1 2 5") as the bitmask systemd takes
 * for AllowedCPUs/AllowedMemoryNodes: bit N of byte N/8 for CPU N.  The
 * empty list gives an empty array. */
gboolean urun_systemd_parse_cpu_set (const char *text, GBytes **out_mask);

G_END_DECLS
