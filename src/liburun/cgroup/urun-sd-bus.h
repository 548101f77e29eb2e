/* urun-sd-bus.h: sd-bus from libsystemd, loaded on first use.
 *
 * Zone: host side (GLib).  Why not link libsystemd: it pulls six more
 * libraries (gcrypt, lz4, zstd, lzma, ...) into every urun process, and
 * most invocations (state, kill, delete, start, exec, podman's polling)
 * never speak D-Bus.  So urun-systemd.c includes this header after
 * <systemd/sd-bus.h>: every sd_bus_* call below goes through a table that
 * urun_sd_bus_load() fills with dlopen()/dlsym() the first time a bus is
 * opened.
 */
#pragma once

#include <glib.h>
#include <systemd/sd-bus.h>

G_BEGIN_DECLS

#define URUN_SD_BUS_FUNCTIONS(X)                                              \
  X (sd_bus_call)                                                             \
  X (sd_bus_close_unref)                                                      \
  X (sd_bus_error_free)                                                       \
  X (sd_bus_error_has_name)                                                   \
  X (sd_bus_error_is_set)                                                     \
  X (sd_bus_flush)                                                            \
  X (sd_bus_is_ready)                                                         \
  X (sd_bus_match_signal)                                                     \
  X (sd_bus_message_append_basic)                                             \
  X (sd_bus_message_close_container)                                          \
  X (sd_bus_message_new_method_call)                                          \
  X (sd_bus_message_open_container)                                           \
  X (sd_bus_message_read)                                                     \
  X (sd_bus_message_unref)                                                    \
  X (sd_bus_open_system)                                                      \
  X (sd_bus_open_user)                                                        \
  X (sd_bus_process)                                                          \
  X (sd_bus_set_method_call_timeout)                                          \
  X (sd_bus_slot_unref)                                                       \
  X (sd_bus_wait)

typedef struct
{
#define URUN_SD_BUS_MEMBER(name) __typeof__ (name) *name;
  URUN_SD_BUS_FUNCTIONS (URUN_SD_BUS_MEMBER)
#undef URUN_SD_BUS_MEMBER
} UrunSdBus;

extern UrunSdBus urun_sd_bus;

/* Loads libsystemd.so.0 and resolves the table, once.  Fails, naming the
 * library, where it is missing. */
gboolean urun_sd_bus_load (GError **error);

#ifndef URUN_SD_BUS_NO_REDIRECT
#define sd_bus_call (urun_sd_bus.sd_bus_call)
#define sd_bus_close_unref (urun_sd_bus.sd_bus_close_unref)
#define sd_bus_error_free (urun_sd_bus.sd_bus_error_free)
#define sd_bus_error_has_name (urun_sd_bus.sd_bus_error_has_name)
#define sd_bus_error_is_set (urun_sd_bus.sd_bus_error_is_set)
#define sd_bus_flush (urun_sd_bus.sd_bus_flush)
#define sd_bus_is_ready (urun_sd_bus.sd_bus_is_ready)
#define sd_bus_match_signal (urun_sd_bus.sd_bus_match_signal)
#define sd_bus_message_append_basic (urun_sd_bus.sd_bus_message_append_basic)
#define sd_bus_message_close_container (urun_sd_bus.sd_bus_message_close_container)
#define sd_bus_message_new_method_call (urun_sd_bus.sd_bus_message_new_method_call)
#define sd_bus_message_open_container (urun_sd_bus.sd_bus_message_open_container)
#define sd_bus_message_read (urun_sd_bus.sd_bus_message_read)
#define sd_bus_message_unref (urun_sd_bus.sd_bus_message_unref)
#define sd_bus_open_system (urun_sd_bus.sd_bus_open_system)
#define sd_bus_open_user (urun_sd_bus.sd_bus_open_user)
#define sd_bus_process (urun_sd_bus.sd_bus_process)
#define sd_bus_set_method_call_timeout (urun_sd_bus.sd_bus_set_method_call_timeout)
#define sd_bus_slot_unref (urun_sd_bus.sd_bus_slot_unref)
#define sd_bus_wait (urun_sd_bus.sd_bus_wait)
#endif

G_END_DECLS
