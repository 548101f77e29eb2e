/* urun-sd-bus.c: loading sd-bus on first use (see urun-sd-bus.h).
 * Zone: host side (GLib). */
#include "config.h"

#define URUN_SD_BUS_NO_REDIRECT
#include "cgroup/urun-sd-bus.h"
#include "util/urun-error.h"

#include <dlfcn.h>

UrunSdBus urun_sd_bus;

gboolean
urun_sd_bus_load (GError **error)
{
  static void *handle;
  UrunSdBus table = { 0 };

  if (handle != NULL)
    return TRUE;
  /* RTLD_LOCAL: its symbols serve only this table.  No RTLD_NODELETE
   * games: the library stays loaded for the life of the process. */
  handle = dlopen ("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL)
    return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                      "the systemd cgroup driver needs libsystemd.so.0: %s", dlerror ());

#define URUN_SD_BUS_RESOLVE(name)                                                    \
  table.name = (__typeof__ (table.name)) dlsym (handle, #name);                      \
  if (table.name == NULL)                                                            \
    {                                                                                \
      dlclose (handle);                                                              \
      handle = NULL;                                                                 \
      return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,                             \
                        "libsystemd.so.0 has no %s: it is older than urun needs", #name); \
    }
  URUN_SD_BUS_FUNCTIONS (URUN_SD_BUS_RESOLVE)
#undef URUN_SD_BUS_RESOLVE

  urun_sd_bus = table;
  return TRUE;
}
