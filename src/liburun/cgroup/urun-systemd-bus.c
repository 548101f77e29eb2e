/* urun-systemd-bus.c: the systemd manager over sd-bus, for the systemd
 * driver (see urun-systemd-bus.h): connecting with a bounded handshake,
 * marshalling properties, calling Manager methods and waiting for their
 * jobs.  Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-systemd-bus.h"
#include "util/urun-error.h"

#include <errno.h>
#include <string.h>

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"

void
urun_systemd_bus_clear (UrunSystemdBus *b)
{
  g_clear_pointer (&b->slot, sd_bus_slot_unref);
  if (b->bus != NULL)
    {
      /* Flushing waits for a handshake that a mute bus never gives. */
      if (!b->broken)
        sd_bus_flush (b->bus);
      g_clear_pointer (&b->bus, sd_bus_close_unref);
    }
  g_clear_pointer (&b->removed, g_hash_table_unref);
}

static const char *
bus_name (gboolean rootless)
{
  return rootless ? "the user's systemd (session bus)" : "systemd (system bus)";
}

char *
urun_systemd_user_bus_address (const UrunCgroupHost *host)
{
  const char *addr = host->session_bus;
  const char *xdg = host->runtime_dir;

  if (addr != NULL && *addr != '\0')
    return g_strdup (addr);
  if (xdg != NULL && *xdg != '\0')
    return g_strdup_printf ("%s/bus", xdg);
  return NULL;
}

static gboolean
fail_bus (GError **error, const UrunCgroupHost *host, int r, const char *what)
{
  gboolean rootless = host->rootless;
  const char *system = host->system_bus;
  g_autofree char *addr = rootless ? urun_systemd_user_bus_address (host)
                                   : g_strdup (system && *system ? system
                                                                 : "/run/dbus/system_bus_socket");

  return urun_fail (error, r == -EACCES || r == -EPERM ? URUN_ERROR_PERMISSION_DENIED
                                                       : URUN_ERROR_NOT_SUPPORTED,
                    "%s does not answer at %s (%s: %s); %s", bus_name (rootless),
                    addr ? addr : "(no DBUS_SESSION_BUS_ADDRESS or XDG_RUNTIME_DIR)", what,
                    urun_strerror (-r),
                    rootless ? "log in with a systemd user session (or `loginctl enable-linger`) "
                               "or pass --cgroup-manager cgroupfs or disabled"
                             : "start systemd, or pass --cgroup-manager cgroupfs");
}

static int
on_job_removed (sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
  UrunSystemdBus *b = userdata;
  const char *path = NULL, *unit = NULL, *result = NULL;
  uint32_t id;

  if (sd_bus_message_read (m, "uoss", &id, &path, &unit, &result) >= 0)
    g_hash_table_replace (b->removed, g_strdup (path), g_strdup (result));
  return 0;
}

gboolean
urun_systemd_bus_open (UrunSystemdBus *b, const UrunCgroupHost *host, GError **error)
{
  gboolean rootless = host->rootless;
  int r;

  b->host = host;
  b->removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!urun_sd_bus_load (error))
    return FALSE;
  if (rootless)
    {
      g_autofree char *addr = urun_systemd_user_bus_address (host);

      if (addr == NULL)
        return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                          "the user's systemd cannot be reached: neither "
                          "DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set; run urun in a "
                          "systemd user session or pass --cgroup-manager cgroupfs or disabled");
      r = sd_bus_open_user (&b->bus);
    }
  else
    r = sd_bus_open_system (&b->bus);
  if (r < 0)
    return fail_bus (error, host, r, "connect");
  sd_bus_set_method_call_timeout (b->bus, URUN_SYSTEMD_TIMEOUT_SEC * G_USEC_PER_SEC);
  /* sd-bus waits for the authentication with its own, long timeout (not
   * the method call timeout): a socket that accepts and never talks would
   * hold urun for minutes.  Wait for the handshake with ours. */
  {
    gint64 deadline = g_get_monotonic_time () + URUN_SYSTEMD_TIMEOUT_SEC * G_USEC_PER_SEC;

    while ((r = sd_bus_is_ready (b->bus)) == 0)
      {
        gint64 left = deadline - g_get_monotonic_time ();

        if (left <= 0)
          {
            b->broken = TRUE;
            return fail_bus (error, host, -ETIMEDOUT, "authenticate");
          }
        r = sd_bus_process (b->bus, NULL);
        if (r < 0)
          break;
        if (r == 0)
          r = sd_bus_wait (b->bus, (uint64_t) left);
        if (r < 0 && r != -EINTR)
          break;
      }
    if (r < 0)
      {
        b->broken = TRUE;
        return fail_bus (error, host, r, "connect");
      }
  }
  /* Before any job is asked for: see the file's header. */
  r = sd_bus_match_signal (b->bus, &b->slot, SD_DEST, SD_PATH, SD_MANAGER, "JobRemoved",
                           on_job_removed, b);
  if (r < 0)
    return fail_bus (error, host, r, "subscribe to JobRemoved");
  return TRUE;
}

static gboolean
fail_call (GError **error, UrunSystemdBus *b, const char *method, const char *unit,
           sd_bus_error *e, int r)
{
  if (!sd_bus_error_is_set (e) || sd_bus_error_has_name (e, SD_BUS_ERROR_NO_REPLY)
      || sd_bus_error_has_name (e, SD_BUS_ERROR_TIMEOUT))
    b->broken = TRUE;
  if (sd_bus_error_is_set (e))
    {
      if (sd_bus_error_has_name (e, SD_BUS_ERROR_NO_REPLY)
          || sd_bus_error_has_name (e, SD_BUS_ERROR_TIMEOUT))
        return urun_fail (error, URUN_ERROR_FAILED,
                          "%s did not answer %s for %s within %d s (%s)",
                          bus_name (b->host->rootless), method, unit, URUN_SYSTEMD_TIMEOUT_SEC,
                          e->message);
      return urun_fail (error, URUN_ERROR_FAILED, "%s refused %s for %s: %s",
                        bus_name (b->host->rootless), method, unit, e->message);
    }
  return fail_bus (error, b->host, r, method);
}

/* Waits for JobRemoved of @job; its result is "done" on success. */
static gboolean
wait_job (UrunSystemdBus *b, const char *job, const char *unit, const char *what, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + URUN_SYSTEMD_TIMEOUT_SEC * G_USEC_PER_SEC;
  const char *result;

  for (;;)
    {
      int r;

      result = g_hash_table_lookup (b->removed, job);
      if (result != NULL)
        break;
      r = sd_bus_process (b->bus, NULL);
      if (r < 0)
        return fail_bus (error, b->host, r, "wait for the job");
      if (r > 0)
        continue;
      if (g_get_monotonic_time () > deadline)
        return urun_fail (error, URUN_ERROR_FAILED,
                          "%s did not finish the job to %s %s within %d s",
                          bus_name (b->host->rootless), what, unit, URUN_SYSTEMD_TIMEOUT_SEC);
      r = sd_bus_wait (b->bus, (uint64_t) (deadline - g_get_monotonic_time ()));
      if (r < 0 && r != -EINTR)
        return fail_bus (error, b->host, r, "wait for the job");
    }
  if (strcmp (result, "done") != 0)
    return urun_fail (error, URUN_ERROR_FAILED,
                      "%s could not %s %s: the job ended with `%s`; see `journalctl%s -u %s`",
                      bus_name (b->host->rootless), what, unit, result,
                      b->host->rootless ? " --user" : "", unit);
  return TRUE;
}

/* Appends @v (any GVariant) to @m as the D-Bus value of the same type. */
static int
append_gvariant (sd_bus_message *m, GVariant *v)
{
  const char *type = g_variant_get_type_string (v);
  int r;

  switch (type[0])
    {
    case 'b':
    case 'y':
    case 'n':
    case 'q':
    case 'i':
    case 'u':
    case 'x':
    case 't':
    case 'd':
      {
        /* g_variant_get() stores each of these as the C type that sd-bus
         * reads for the same type code (a gboolean is the int of 'b'). */
        union
        {
          gboolean b;
          guint8 y;
          gint16 n;
          guint16 q;
          gint32 i;
          guint32 u;
          gint64 x;
          guint64 t;
          double d;
        } x;

        g_variant_get (v, type, &x);
        return sd_bus_message_append_basic (m, type[0], &x);
      }
    case 's':
    case 'o':
    case 'g':
      return sd_bus_message_append_basic (m, type[0], g_variant_get_string (v, NULL));
    case 'v':
      {
        g_autoptr (GVariant) inner = g_variant_get_variant (v);

        r = sd_bus_message_open_container (m, 'v', g_variant_get_type_string (inner));
        if (r >= 0)
          r = append_gvariant (m, inner);
        return r < 0 ? r : sd_bus_message_close_container (m);
      }
    case 'a':
    case '(':
    case '{':
      {
        char kind = type[0] == 'a' ? 'a' : type[0] == '(' ? 'r' : 'e';
        g_autofree char *contents = type[0] == 'a' ? g_strdup (type + 1)
                                                   : g_strndup (type + 1, strlen (type) - 2);
        GVariantIter iter;
        GVariant *child;

        r = sd_bus_message_open_container (m, kind, contents);
        if (r < 0)
          return r;
        g_variant_iter_init (&iter, v);
        while ((child = g_variant_iter_next_value (&iter)) != NULL)
          {
            r = append_gvariant (m, child);
            g_variant_unref (child);
            if (r < 0)
              return r;
          }
        return sd_bus_message_close_container (m);
      }
    default:
      return -EINVAL;
    }
}

static int
append_properties (sd_bus_message *m, GPtrArray *props)
{
  int r = sd_bus_message_open_container (m, 'a', "(sv)");

  for (guint i = 0; r >= 0 && i < props->len; i++)
    {
      UrunSystemdProperty *p = g_ptr_array_index (props, i);

      r = sd_bus_message_open_container (m, 'r', "sv");
      if (r >= 0)
        r = sd_bus_message_append_basic (m, 's', p->name);
      if (r >= 0)
        r = sd_bus_message_open_container (m, 'v', g_variant_get_type_string (p->value));
      if (r >= 0)
        r = append_gvariant (m, p->value);
      if (r >= 0)
        r = sd_bus_message_close_container (m);
      if (r >= 0)
        r = sd_bus_message_close_container (m);
    }
  return r < 0 ? r : sd_bus_message_close_container (m);
}

typedef int (*FillFunc) (sd_bus_message *m, gpointer data);

/* Calls the Manager method @method on @unit (and maybe more arguments,
 * appended by @fill); returns its reply, or NULL.  UnitExists and
 * NoSuchUnit come back as GErrors the callers look at by name through
 * @out_error_name. */
static sd_bus_message *
call_manager (UrunSystemdBus *b, const char *method, const char *unit, FillFunc fill, gpointer data,
              char **out_error_name, GError **error)
{
  sd_bus_message *m = NULL;
  sd_bus_message *reply = NULL;
  sd_bus_error e = SD_BUS_ERROR_NULL;
  int r;

  r = sd_bus_message_new_method_call (b->bus, &m, SD_DEST, SD_PATH, SD_MANAGER, method);
  if (r >= 0)
    r = sd_bus_message_append_basic (m, 's', unit);
  if (r >= 0 && fill != NULL)
    r = fill (m, data);
  if (r < 0)
    urun_fail_errno (error, r, "build the %s call for %s", method, unit);
  else if ((r = sd_bus_call (b->bus, m, 0, &e, &reply)) < 0)
    {
      if (out_error_name != NULL && sd_bus_error_is_set (&e))
        *out_error_name = g_strdup (e.name);
      fail_call (error, b, method, unit, &e, r);
      reply = sd_bus_message_unref (reply);
    }
  sd_bus_error_free (&e);
  sd_bus_message_unref (m);
  return reply;
}

/* A method that returns a job path (StartTransientUnit, StopUnit): waits
 * for the job, which is to @what @unit. */
static gboolean
call_job (UrunSystemdBus *b, const char *method, const char *unit, FillFunc fill, gpointer data,
          const char *what, char **out_error_name, GError **error)
{
  sd_bus_message *reply = call_manager (b, method, unit, fill, data, out_error_name, error);
  g_autofree char *job = NULL;
  const char *path = NULL;
  int r;

  if (reply == NULL)
    return FALSE;
  r = sd_bus_message_read (reply, "o", &path);
  if (r >= 0)
    job = g_strdup (path);
  sd_bus_message_unref (reply);
  if (r < 0)
    return urun_fail_errno (error, r, "read the reply of %s for %s", method, unit);
  return wait_job (b, job, unit, what, error);
}

/* A method without a job (ResetFailedUnit, SetUnitProperties, ...). */
static gboolean
call_simple (UrunSystemdBus *b, const char *method, const char *unit, FillFunc fill, gpointer data,
             char **out_error_name, GError **error)
{
  sd_bus_message *reply = call_manager (b, method, unit, fill, data, out_error_name, error);

  if (reply == NULL)
    return FALSE;
  sd_bus_message_unref (reply);
  return TRUE;
}

static int
fill_start (sd_bus_message *m, gpointer data)
{
  GPtrArray *props = data;
  int r = sd_bus_message_append_basic (m, 's', "fail");

  if (r >= 0)
    r = append_properties (m, props);
  if (r >= 0)
    r = sd_bus_message_open_container (m, 'a', "(sa(sv))");
  return r < 0 ? r : sd_bus_message_close_container (m);
}

static int
fill_mode_replace (sd_bus_message *m, gpointer data)
{
  return sd_bus_message_append_basic (m, 's', "replace");
}

static int
fill_set_properties (sd_bus_message *m, gpointer data)
{
  int runtime = TRUE;
  int r = sd_bus_message_append_basic (m, 'b', &runtime);

  return r < 0 ? r : append_properties (m, data);
}

typedef struct
{
  const char *subcgroup;
  pid_t pid;
} AttachData;

static int
fill_attach (sd_bus_message *m, gpointer data)
{
  AttachData *a = data;
  guint32 pid = (guint32) a->pid;
  int r = sd_bus_message_append_basic (m, 's', a->subcgroup ? a->subcgroup : "");

  if (r >= 0)
    r = sd_bus_message_open_container (m, 'a', "u");
  if (r >= 0)
    r = sd_bus_message_append_basic (m, 'u', &pid);
  return r < 0 ? r : sd_bus_message_close_container (m);
}

gboolean
urun_systemd_bus_start_unit (UrunSystemdBus *b, const char *unit, GPtrArray *props,
                             char **out_error_name, GError **error)
{
  return call_job (b, "StartTransientUnit", unit, fill_start, props, "start", out_error_name,
                   error);
}

gboolean
urun_systemd_bus_stop_unit (UrunSystemdBus *b, const char *unit, char **out_error_name,
                            GError **error)
{
  return call_job (b, "StopUnit", unit, fill_mode_replace, NULL, "stop", out_error_name, error);
}

gboolean
urun_systemd_bus_reset_failed (UrunSystemdBus *b, const char *unit, GError **error)
{
  return call_simple (b, "ResetFailedUnit", unit, NULL, NULL, NULL, error);
}

gboolean
urun_systemd_bus_set_properties (UrunSystemdBus *b, const char *unit, GPtrArray *props,
                                 GError **error)
{
  return call_simple (b, "SetUnitProperties", unit, fill_set_properties, props, NULL, error);
}

gboolean
urun_systemd_bus_attach (UrunSystemdBus *b, const char *unit, const char *subcgroup, pid_t pid,
                         GError **error)
{
  AttachData data = { subcgroup, pid };

  return call_simple (b, "AttachProcessesToUnit", unit, fill_attach, &data, NULL, error);
}

