/* urun-systemd-resources.c: linux.resources as the unit properties of the
 * systemd driver (see urun-systemd.h).  Pure: no bus, no cgroup files
 * (/proc/devices only, for the names of device classes).
 * Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "cgroup/urun-systemd.h"
#include "util/urun-file.h"

#include <string.h>

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

  if ((text = urun_file_read ("/proc/devices", NULL, NULL)) == NULL)
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
