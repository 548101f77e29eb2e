/* urun-systemd.c: the systemd cgroup driver — transient scopes over sd-bus
 * (see urun-systemd.h and urun-cgroup-private.h).  Zone: host side (GLib).
 *
 * How a container lands in its scope, the way `systemd-run --scope` does:
 *   1. match JobRemoved on the manager (before the call: see the header);
 *   2. StartTransientUnit(unit, "fail", properties, []) with PIDs = init,
 *      Delegate=yes, DefaultDependencies=no, Slice=, Description=,
 *      accounting on, the resources that are unit properties, the
 *      org.systemd.property.* annotations and the -p options, in that
 *      order (a later one overrides an earlier one);
 *   3. a leftover unit of the same name (UnitExists) is reset with
 *      ResetFailedUnit and the call made once more;
 *   4. wait for the job; "done" is success, anything else a failure that
 *      leaves no unit behind;
 *   5. read init's cgroup back from /proc/PID/cgroup and write what no
 *      property expresses (unified entries, hugetlb, cpu.idle, ...) into
 *      the delegated cgroup.
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "util/urun-error.h"
#include "cgroup/urun-systemd.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if HAVE_SYSTEMD
#include "cgroup/urun-sd-bus.h"
#endif

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"

/* ---- resources -> properties (pure) ------------------------------------------- */

static void
set_u64 (GPtrArray *list, const char *name, guint64 value)
{
  urun_systemd_property_list_set (list, name, g_variant_new_uint64 (value));
}

/* @name ("AllowedCPUs", "AllowedMemoryNodes") from a list such as "0-3,6";
 * a list that does not parse sets nothing. */
static void
set_cpu_set (GPtrArray *list, const char *name, const char *cpus)
{
  g_autoptr (GBytes) mask = NULL;

  if (urun_systemd_parse_cpu_set (cpus, &mask))
    urun_systemd_property_list_set (list, name,
                                    g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, mask,
                                                              TRUE));
}

/* Sets (/dev/block/MAJOR:MINOR, @value) in the a(st) property @name. */
static void
add_io (GPtrArray *list, const char *name, gint64 major, gint64 minor, guint64 value)
{
  g_autofree char *path = g_strdup_printf ("/dev/block/%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                           major, minor);

  urun_systemd_property_list_set_io (list, name, path, value);
}

static void
add_throttles (GPtrArray *list, const char *name, const UrunSpecThrottleDevice *d, gsize n)
{
  for (gsize i = 0; i < n; i++)
    add_io (list, name, d[i].major, d[i].minor, d[i].rate);
}

/* The name under which /proc/devices lists @major ("pts" for 136). */
static char *
device_class_name (gboolean block, gint64 major)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean in_section = FALSE;

  if (!g_file_get_contents ("/proc/devices", &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      char *end;
      gint64 m;

      if (g_str_has_prefix (*l, "Character devices:"))
        in_section = !block;
      else if (g_str_has_prefix (*l, "Block devices:"))
        in_section = block;
      else if (in_section)
        {
          m = g_ascii_strtoll (*l, &end, 10);
          if (end != *l && m == major)
            return g_strdup (g_strstrip (end));
        }
    }
  return NULL;
}

static void
add_device_allow (GVariantBuilder *b, const char *type, gboolean has_major, gint64 major,
                  gboolean has_minor, gint64 minor, const char *access)
{
  gboolean block = g_strcmp0 (type, "b") == 0;
  g_autofree char *acc = g_strdup (access && *access ? access : "rwm");
  g_autofree char *path = NULL;

  if (!has_major || major < 0)
    return; /* "c *:* m": mknod of anything; CAP_MKNOD decides that */
  if (has_minor && minor >= 0)
    path = g_strdup_printf ("/dev/%s/%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                            block ? "block" : "char", major, minor);
  else
    {
      g_autofree char *name = device_class_name (block, major);

      if (name == NULL)
        return; /* no such driver on this host: nothing to allow */
      path = g_strdup_printf ("%s-%s", block ? "block" : "char", name);
    }
  g_variant_builder_add (b, "(ss)", path, acc);
}

static gboolean
is_wildcard_rule (const UrunSpecDeviceCgroup *d)
{
  return (d->type == NULL || strcmp (d->type, "a") == 0) && !d->has_major && !d->has_minor;
}

static void
device_properties (const UrunSpecResources *r, const UrunSpecDevice *devices, gsize n_devices,
                   GPtrArray *list, GPtrArray *dropped)
{
  GVariantBuilder b;
  gsize start;

  /* Rules of the form [deny all, allow X, allow Y...] are DevicePolicy=
   * strict plus DeviceAllow=; [allow all] (or an allow-all later, which
   * undoes what came before) is DevicePolicy=auto.  Anything else — a
   * specific deny after an allow — has no systemd equivalent. */
  if (!r->devices[0].allow && is_wildcard_rule (&r->devices[0]))
    start = 1;
  else if (r->devices[r->n_devices - 1].allow && is_wildcard_rule (&r->devices[r->n_devices - 1]))
    {
      urun_systemd_property_list_set (list, "DevicePolicy", g_variant_new_string ("auto"));
      return;
    }
  else
    {
      g_ptr_array_add (dropped, g_strdup ("devices (the rules do not start with a rule that "
                                          "denies every device, which DevicePolicy=strict "
                                          "needs)"));
      return;
    }
  g_variant_builder_init (&b, G_VARIANT_TYPE ("a(ss)"));
  for (gsize i = start; i < r->n_devices; i++)
    {
      const UrunSpecDeviceCgroup *d = &r->devices[i];

      if (is_wildcard_rule (d) && d->allow)
        {
          g_variant_builder_clear (&b);
          urun_systemd_property_list_set (list, "DevicePolicy", g_variant_new_string ("auto"));
          return;
        }
      if (!d->allow)
        {
          g_ptr_array_add (dropped, g_strdup ("devices (a deny rule after an allow rule cannot "
                                              "be expressed with DeviceAllow=)"));
          continue;
        }
      add_device_allow (&b, d->type, d->has_major, d->major, d->has_minor, d->minor, d->access);
    }
  /* The mknod-only entries of the defaults (no major) add nothing: see
   * add_device_allow(). */
  for (gsize i = 0; i < urun_cgroup_n_default_devices; i++)
    add_device_allow (&b, urun_cgroup_default_devices[i].type, TRUE,
                      urun_cgroup_default_devices[i].major,
                      urun_cgroup_default_devices[i].minor >= 0,
                      urun_cgroup_default_devices[i].minor, "rwm");
  for (gsize i = 0; i < n_devices; i++)
    if (g_strcmp0 (devices[i].type, "p") != 0)
      add_device_allow (&b, g_strcmp0 (devices[i].type, "b") == 0 ? "b" : "c",
                        devices[i].has_major, devices[i].major, devices[i].has_minor,
                        devices[i].minor, "rwm");
  urun_systemd_property_list_set (list, "DevicePolicy", g_variant_new_string ("strict"));
  urun_systemd_property_list_set (list, "DeviceAllow", g_variant_builder_end (&b));
}

void
urun_systemd_resources_properties (const UrunSpecResources *r, const UrunSpecDevice *devices,
                                   gsize n_devices, gboolean rootless, GPtrArray *list,
                                   GPtrArray *dropped)
{
  if (r == NULL)
    return;
  if (r->memory != NULL)
    {
      const UrunSpecMemory *m = r->memory;

      if (m->has_limit)
        set_u64 (list, "MemoryMax", m->limit < 0 ? G_MAXUINT64 : (guint64) m->limit);
      if (m->has_reservation)
        set_u64 (list, "MemoryLow", m->reservation < 0 ? G_MAXUINT64 : (guint64) m->reservation);
      if (m->has_swap)
        {
          if (m->swap < 0)
            set_u64 (list, "MemorySwapMax", G_MAXUINT64);
          else if (m->has_limit && m->limit >= 0 && m->swap >= m->limit)
            set_u64 (list, "MemorySwapMax", (guint64) (m->swap - m->limit));
        }
    }
  if (r->pids != NULL)
    set_u64 (list, "TasksMax", r->pids->limit > 0 ? (guint64) r->pids->limit : G_MAXUINT64);
  if (r->cpu != NULL)
    {
      const UrunSpecCpu *c = r->cpu;

      if (c->has_shares && c->shares > 0)
        set_u64 (list, "CPUWeight", urun_cgroup_shares_to_weight (c->shares));
      if (c->has_quota || c->has_period)
        {
          guint64 period = c->has_period && c->period > 0 ? c->period : 100000;

          if (c->has_quota && c->quota > 0)
            set_u64 (list, "CPUQuotaPerSecUSec", (guint64) c->quota * G_USEC_PER_SEC / period);
          else
            set_u64 (list, "CPUQuotaPerSecUSec", G_MAXUINT64);
          set_u64 (list, "CPUQuotaPeriodUSec", period);
        }
      if (c->cpus != NULL && *c->cpus)
        set_cpu_set (list, "AllowedCPUs", c->cpus);
      if (c->mems != NULL && *c->mems)
        set_cpu_set (list, "AllowedMemoryNodes", c->mems);
    }
  if (r->block_io != NULL)
    {
      const UrunSpecBlockIO *b = r->block_io;

      if (b->has_weight)
        set_u64 (list, "IOWeight", urun_cgroup_blkio_to_io_weight (b->weight));
      for (gsize i = 0; i < b->n_weight_device; i++)
        if (b->weight_device[i].has_weight)
          add_io (list, "IODeviceWeight", b->weight_device[i].major, b->weight_device[i].minor,
                  urun_cgroup_blkio_to_io_weight (b->weight_device[i].weight));
      add_throttles (list, "IOReadBandwidthMax", b->throttle_read_bps_device,
                     b->n_throttle_read_bps_device);
      add_throttles (list, "IOWriteBandwidthMax", b->throttle_write_bps_device,
                     b->n_throttle_write_bps_device);
      add_throttles (list, "IOReadIOPSMax", b->throttle_read_iops_device,
                     b->n_throttle_read_iops_device);
      add_throttles (list, "IOWriteIOPSMax", b->throttle_write_iops_device,
                     b->n_throttle_write_iops_device);
    }
  if (r->n_devices > 0)
    {
      /* Why not for rootless: a user's manager cannot load the BPF
       * program, and in a user namespace device nodes are out of reach
       * anyway (they are bind mounts of the host's). */
      if (rootless)
        {
          if (!(r->n_devices == 1 && r->devices[0].allow && is_wildcard_rule (&r->devices[0])))
            g_ptr_array_add (dropped, g_strdup ("devices (the user's systemd cannot enforce "
                                                "device rules; the user namespace keeps device "
                                                "nodes out of reach)"));
        }
      else
        device_properties (r, devices, n_devices, list, dropped);
    }
}

#if HAVE_SYSTEMD

/* ---- the bus ----------------------------------------------------------------- */

typedef struct
{
  sd_bus *bus;
  sd_bus_slot *slot;
  GHashTable *removed; /* job path -> result */
  gboolean rootless;
  gboolean broken;     /* it did not answer: no more calls on it */
} Bus;

static void
bus_clear (Bus *b)
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
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Bus, bus_clear)

static const char *
bus_name (gboolean rootless)
{
  return rootless ? "the user's systemd (session bus)" : "systemd (system bus)";
}

static char *
user_bus_address (void)
{
  const char *addr = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *xdg = g_getenv ("XDG_RUNTIME_DIR");

  if (addr != NULL && *addr != '\0')
    return g_strdup (addr);
  if (xdg != NULL && *xdg != '\0')
    return g_strdup_printf ("%s/bus", xdg);
  return NULL;
}

static gboolean
fail_bus (GError **error, gboolean rootless, int r, const char *what)
{
  const char *system = g_getenv ("DBUS_SYSTEM_BUS_ADDRESS");
  g_autofree char *addr = rootless ? user_bus_address ()
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
  Bus *b = userdata;
  const char *path = NULL, *unit = NULL, *result = NULL;
  uint32_t id;

  if (sd_bus_message_read (m, "uoss", &id, &path, &unit, &result) >= 0)
    g_hash_table_replace (b->removed, g_strdup (path), g_strdup (result));
  return 0;
}

static gboolean
bus_open (Bus *b, gboolean rootless, GError **error)
{
  int r;

  b->rootless = rootless;
  b->removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!urun_sd_bus_load (error))
    return FALSE;
  if (rootless)
    {
      g_autofree char *addr = user_bus_address ();

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
    return fail_bus (error, rootless, r, "connect");
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
            return fail_bus (error, rootless, -ETIMEDOUT, "authenticate");
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
        return fail_bus (error, rootless, r, "connect");
      }
  }
  /* Before any job is asked for: see the file's header. */
  r = sd_bus_match_signal (b->bus, &b->slot, SD_DEST, SD_PATH, SD_MANAGER, "JobRemoved",
                           on_job_removed, b);
  if (r < 0)
    return fail_bus (error, rootless, r, "subscribe to JobRemoved");
  return TRUE;
}

static gboolean
fail_call (GError **error, Bus *b, const char *method, const char *unit, sd_bus_error *e, int r)
{
  if (!sd_bus_error_is_set (e) || sd_bus_error_has_name (e, SD_BUS_ERROR_NO_REPLY)
      || sd_bus_error_has_name (e, SD_BUS_ERROR_TIMEOUT))
    b->broken = TRUE;
  if (sd_bus_error_is_set (e))
    {
      if (sd_bus_error_has_name (e, SD_BUS_ERROR_NO_REPLY)
          || sd_bus_error_has_name (e, SD_BUS_ERROR_TIMEOUT))
        return urun_fail (error, URUN_ERROR_FAILED,
                          "%s did not answer %s for %s within %d s (%s)", bus_name (b->rootless),
                          method, unit, URUN_SYSTEMD_TIMEOUT_SEC, e->message);
      return urun_fail (error, URUN_ERROR_FAILED, "%s refused %s for %s: %s",
                        bus_name (b->rootless), method, unit, e->message);
    }
  return fail_bus (error, b->rootless, r, method);
}

/* Waits for JobRemoved of @job; its result is "done" on success. */
static gboolean
wait_job (Bus *b, const char *job, const char *unit, const char *what, GError **error)
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
        return fail_bus (error, b->rootless, r, "wait for the job");
      if (r > 0)
        continue;
      if (g_get_monotonic_time () > deadline)
        return urun_fail (error, URUN_ERROR_FAILED,
                          "%s did not finish the job to %s %s within %d s",
                          bus_name (b->rootless), what, unit, URUN_SYSTEMD_TIMEOUT_SEC);
      r = sd_bus_wait (b->bus, (uint64_t) (deadline - g_get_monotonic_time ()));
      if (r < 0 && r != -EINTR)
        return fail_bus (error, b->rootless, r, "wait for the job");
    }
  if (strcmp (result, "done") != 0)
    return urun_fail (error, URUN_ERROR_FAILED,
                      "%s could not %s %s: the job ended with `%s`; see `journalctl%s -u %s`",
                      bus_name (b->rootless), what, unit, result, b->rootless ? " --user" : "",
                      unit);
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
call_manager (Bus *b, const char *method, const char *unit, FillFunc fill, gpointer data,
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
call_job (Bus *b, const char *method, const char *unit, FillFunc fill, gpointer data,
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
call_simple (Bus *b, const char *method, const char *unit, FillFunc fill, gpointer data,
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

/* ---- the driver ---------------------------------------------------------------- */

gboolean
urun_systemd_available (gboolean rootless, GError **error)
{
  g_autofree char *addr = NULL;

  if (!rootless)
    {
      /* systemd's own test for "booted with systemd" (sd_booted()). */
      if (access ("/run/systemd/system", F_OK) < 0)
        return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                          "this system does not run systemd (/run/systemd/system is missing)");
      return TRUE;
    }
  addr = user_bus_address ();
  if (addr == NULL)
    return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                      "no session bus: neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR "
                      "is set");
  if (!g_str_has_prefix (addr, "unix:") && !g_file_test (addr, G_FILE_TEST_EXISTS))
    return urun_fail (error, URUN_ERROR_NOT_SUPPORTED, "no session bus at %s", addr);
  return TRUE;
}

static void
stop_quietly (Bus *b, const char *unit)
{
  g_autoptr (GError) ignored = NULL;

  /* Each call on a bus that did not answer would wait the timeout again. */
  if (b->broken)
    return;
  call_job (b, "StopUnit", unit, fill_mode_replace, NULL, "stop", NULL, &ignored);
  g_clear_error (&ignored);
  call_simple (b, "ResetFailedUnit", unit, NULL, NULL, NULL, &ignored);
}

static gboolean
build_properties (const UrunCgroupRequest *request, pid_t pid, const char *slice,
                  GPtrArray *props, GPtrArray *dropped, GError **error)
{
  const UrunSpecLinux *lx = request->spec ? request->spec->linux_ : NULL;
  static const char *const accounting[] = { "MemoryAccounting", "TasksAccounting",
                                            "CPUAccounting", "IOAccounting" };
  guint32 pid32 = (guint32) pid;
  g_autofree char *description = request->description
                                   ? g_strdup (request->description)
                                   : g_strdup_printf ("urun container %s", request->id);

  urun_systemd_property_list_set (props, "PIDs",
                                  g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, &pid32, 1,
                                                             sizeof pid32));
  urun_systemd_property_list_set (props, "Delegate", g_variant_new_boolean (TRUE));
  urun_systemd_property_list_set (props, "DefaultDependencies", g_variant_new_boolean (FALSE));
  urun_systemd_property_list_set (props, "Slice", g_variant_new_string (slice));
  urun_systemd_property_list_set (props, "Description", g_variant_new_string (description));
  for (gsize i = 0; i < G_N_ELEMENTS (accounting); i++)
    urun_systemd_property_list_set (props, accounting[i], g_variant_new_boolean (TRUE));
  if (request->collect)
    urun_systemd_property_list_set (props, "CollectMode",
                                    g_variant_new_string ("inactive-or-failed"));
  urun_systemd_resources_properties (lx ? lx->resources : NULL, lx ? lx->devices : NULL,
                                     lx ? lx->n_devices : 0, request->rootless, props, dropped);
  if (!urun_cgroup_request_annotation_properties (request, props, error))
    return FALSE;
  for (gsize i = 0; request->properties != NULL && request->properties[i] != NULL; i++)
    if (!urun_systemd_property_parse (request->properties[i], props, error))
      return FALSE;
  return TRUE;
}

gboolean
urun_systemd_enter (const UrunCgroupRequest *request, pid_t pid, UrunStateCgroup *outcome,
                    GError **error)
{
  g_auto (Bus) b = { 0 };
  g_autoptr (GPtrArray) props = urun_systemd_property_list_new ();
  g_autoptr (GPtrArray) writes = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *slice = NULL;
  g_autofree char *error_name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autoptr (GError) local = NULL;
  const UrunSpecResources *res = urun_cgroup_request_resources (request);
  const char *v2root;

  if (!urun_cgroup_systemd_names (request, &unit, &slice, error))
    return FALSE;
  writes = urun_cgroup_resources_v2 (res, outcome->dropped_limits, error);
  if (writes == NULL)
    return FALSE;
  if (!build_properties (request, pid, slice, props, outcome->dropped_limits, error))
    return FALSE;
  /* Announced once the bus answers: a record naming a unit that never
   * came to be costs `delete` a NoSuchUnit, which it ignores. */
  if (!bus_open (&b, request->rootless, error)
      || !urun_cgroup_request_announce (request, URUN_CGROUP_DRIVER_SYSTEMD, unit, NULL, error))
    return FALSE;

  if (!call_job (&b, "StartTransientUnit", unit, fill_start, props, "start", &error_name, &local))
    {
      /* A leftover of an earlier container (failed, or not yet collected)
       * holds the name: reset it and try once more. */
      if (g_strcmp0 (error_name, "org.freedesktop.systemd1.UnitExists") != 0)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          stop_quietly (&b, unit);
          return FALSE;
        }
      g_clear_error (&local);
      g_clear_pointer (&error_name, g_free);
      call_simple (&b, "ResetFailedUnit", unit, NULL, NULL, NULL, NULL);
      if (!call_job (&b, "StartTransientUnit", unit, fill_start, props, "start", &error_name,
                     &local))
        {
          if (g_strcmp0 (error_name, "org.freedesktop.systemd1.UnitExists") == 0)
            return urun_fail (error, URUN_ERROR_EXISTS,
                              "the unit %s already exists and is in use (another container?); "
                              "pick another name with --unit or linux.cgroupsPath, or stop it "
                              "with `systemctl%s stop %s`", unit,
                              request->rootless ? " --user" : "", unit);
          g_propagate_error (error, g_steal_pointer (&local));
          stop_quietly (&b, unit);
          return FALSE;
        }
    }

  path = urun_cgroup_path_of_pid (pid, error);
  if (path == NULL)
    goto fail;
  v2root = urun_cgroup_v2_root ();
  if (v2root != NULL)
    {
      dir = g_build_filename (v2root, path, NULL);
      if (!g_str_has_suffix (path, unit))
        {
          urun_fail (error, URUN_ERROR_FAILED,
                     "systemd started %s, but the container's init is in cgroup %s, not in it",
                     unit, path);
          goto fail;
        }
      if (!urun_cgroup_apply_v2 (dir, writes, TRUE, urun_cgroup_request_best_effort (request),
                                 outcome->dropped_limits, error))
        goto fail;
      urun_cgroup_report_unenforced (dir, writes, outcome->dropped_limits);
    }
  outcome->driver = URUN_CGROUP_DRIVER_SYSTEMD;
  outcome->unit = g_steal_pointer (&unit);
  outcome->path = g_steal_pointer (&path);
  return TRUE;

fail:
  stop_quietly (&b, unit);
  return FALSE;
}

gboolean
urun_systemd_stop (const char *unit, gboolean rootless, GError **error)
{
  g_auto (Bus) b = { 0 };
  g_autofree char *error_name = NULL;
  g_autoptr (GError) local = NULL;

  if (!bus_open (&b, rootless, error))
    return FALSE;
  if (!call_job (&b, "StopUnit", unit, fill_mode_replace, NULL, "stop", &error_name, &local)
      && g_strcmp0 (error_name, "org.freedesktop.systemd1.NoSuchUnit") != 0)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* A scope whose processes were killed may end "failed"; leave no
   * leftover for the next container of the same name. */
  call_simple (&b, "ResetFailedUnit", unit, NULL, NULL, NULL, NULL);
  return TRUE;
}

gboolean
urun_systemd_update (const char *unit, gboolean rootless, const UrunSpecResources *resources,
                     GPtrArray *dropped, GError **error)
{
  g_auto (Bus) b = { 0 };
  g_autoptr (GPtrArray) props = urun_systemd_property_list_new ();

  urun_systemd_resources_properties (resources, NULL, 0, rootless, props, dropped);
  if (props->len == 0)
    return TRUE;
  if (!bus_open (&b, rootless, error))
    return FALSE;
  return call_simple (&b, "SetUnitProperties", unit, fill_set_properties, props, NULL, error);
}

gboolean
urun_systemd_attach (const char *unit, gboolean rootless, pid_t pid, const char *subcgroup,
                     GError **error)
{
  g_auto (Bus) b = { 0 };
  AttachData data = { subcgroup, pid };

  if (!bus_open (&b, rootless, error))
    return FALSE;
  return call_simple (&b, "AttachProcessesToUnit", unit, fill_attach, &data, NULL, error);
}

#else /* !HAVE_SYSTEMD */

static gboolean
fail_unbuilt (GError **error)
{
  return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                    "urun was built without libsystemd (-Dsystemd=disabled): the systemd cgroup "
                    "driver is not available; use --cgroup-manager cgroupfs");
}

gboolean
urun_systemd_available (gboolean rootless, GError **error)
{
  return fail_unbuilt (error);
}

gboolean
urun_systemd_enter (const UrunCgroupRequest *request, pid_t pid, UrunStateCgroup *outcome,
                    GError **error)
{
  return fail_unbuilt (error);
}

gboolean
urun_systemd_stop (const char *unit, gboolean rootless, GError **error)
{
  return fail_unbuilt (error);
}

gboolean
urun_systemd_update (const char *unit, gboolean rootless, const UrunSpecResources *resources,
                     GPtrArray *dropped, GError **error)
{
  return fail_unbuilt (error);
}

gboolean
urun_systemd_attach (const char *unit, gboolean rootless, pid_t pid, const char *subcgroup,
                     GError **error)
{
  return fail_unbuilt (error);
}

#endif
