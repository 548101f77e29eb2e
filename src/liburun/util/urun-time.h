/* urun-time.h: timestamps as the OCI tools write them.
 *
 * Zone: host side (GLib).
 */
#pragma once

#include <glib.h>
#include <time.h>

G_BEGIN_DECLS

/* @t as RFC 3339 in UTC with nanoseconds, "2026-12-04T05:06:07.000000008Z",
 * the form of runc's "created".  Newly allocated.  Why not gmtime_r(): its
 * first call loads the local time zone (/etc/localtime: 7 syscalls and a
 * parse) that a UTC time never needs. */
char *urun_time_format_rfc3339_utc (const struct timespec *t);

G_END_DECLS
