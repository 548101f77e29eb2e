/* urun-cgroup-resources.c: linux.resources of the spec as the cgroup files
 * to write, for cgroup v2 and v1, and the names of the container's cgroup
 * (systemd unit and slice, cgroupfs path).  Zone: host side (GLib), pure:
 * the unit tests drive it.
 *
 * The v1 -> v2 conversions (shares -> cpu.weight, blkio weight -> io.weight,
 * swap as memory+swap -> memory.swap.max) are the ones the OCI runtimes
 * agree on, so that a spec written for v1 behaves the same on v2.
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "util/urun-error.h"

#include <string.h>

static void
urun_cgroup_write_free (UrunCgroupWrite *write)
{
  if (write == NULL)
    return;
  g_free (write->controller);
  g_free (write->file);
  g_free (write->value);
  g_free (write);
}

static void
add (GPtrArray *writes, const char *controller, const char *file, char *value,
     const char *limit, gboolean systemd)
{
  UrunCgroupWrite *w = g_new0 (UrunCgroupWrite, 1);

  w->controller = g_strdup (controller);
  w->file = g_strdup (file);
  w->value = value;
  w->limit = limit;
  w->systemd = systemd;
  g_ptr_array_add (writes, w);
}

static void
drop (GPtrArray *dropped, const char *limit, const char *reason)
{
  if (dropped != NULL)
    g_ptr_array_add (dropped, g_strdup_printf ("%s (%s)", limit, reason));
}

static char *
max_or (gint64 value)
{
  return value < 0 ? g_strdup ("max") : g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static GPtrArray *
writes_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) urun_cgroup_write_free);
}

/* memory.limit and memory.reservation, under the file names and in the
 * syntax of v2 ("max" for no limit; systemd has them as properties) or of
 * v1 (-1). */
static void
add_memory_limits (GPtrArray *w, const UrunSpecMemory *m, gboolean v2)
{
  if (m->has_limit)
    add (w, "memory", v2 ? "memory.max" : "memory.limit_in_bytes",
         v2 ? max_or (m->limit) : g_strdup_printf ("%" G_GINT64_FORMAT, m->limit), "memory.limit",
         v2);
  if (m->has_reservation)
    add (w, "memory", v2 ? "memory.low" : "memory.soft_limit_in_bytes",
         v2 ? max_or (m->reservation) : g_strdup_printf ("%" G_GINT64_FORMAT, m->reservation),
         "memory.reservation", v2);
}

gboolean
urun_cgroup_resources_any (const UrunSpecResources *r)
{
  if (r == NULL)
    return FALSE;
  if (r->memory != NULL)
    {
      const UrunSpecMemory *m = r->memory;

      if (m->has_limit || m->has_reservation || m->has_swap || m->has_swappiness
          || m->has_disable_oom_killer || m->has_kernel_tcp)
        return TRUE;
    }
  if (r->cpu != NULL)
    {
      const UrunSpecCpu *c = r->cpu;

      if (c->has_shares || c->has_quota || c->has_period || c->has_burst
          || c->has_realtime_period || c->has_realtime_runtime || c->has_idle
          || (c->cpus && *c->cpus) || (c->mems && *c->mems))
        return TRUE;
    }
  if (r->block_io != NULL)
    {
      const UrunSpecBlockIO *b = r->block_io;

      if (b->has_weight || b->has_leaf_weight || b->n_weight_device
          || b->n_throttle_read_bps_device || b->n_throttle_write_bps_device
          || b->n_throttle_read_iops_device || b->n_throttle_write_iops_device)
        return TRUE;
    }
  return r->pids != NULL || r->n_hugepage_limits > 0 || r->n_unified > 0 || r->n_rdma > 0
         || r->n_devices > 0
         || (r->network != NULL && (r->network->has_class_id || r->network->n_priorities));
}

/* The OCI swap limit is memory+swap; v2's memory.swap.max is swap alone. */
static gboolean
swap_v2 (const UrunSpecMemory *m, char **out, GError **error)
{
  if (m->swap < 0)
    {
      *out = g_strdup ("max");
      return TRUE;
    }
  if (!m->has_limit || m->limit < 0)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "linux.resources.memory.swap (%" G_GINT64_FORMAT ") needs a "
                      "memory.limit on cgroup v2: swap is memory plus swap there",
                      m->swap);
  if (m->swap < m->limit)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "linux.resources.memory.swap (%" G_GINT64_FORMAT ") must be at least "
                      "memory.limit (%" G_GINT64_FORMAT "): it counts memory plus swap",
                      m->swap, m->limit);
  *out = g_strdup_printf ("%" G_GINT64_FORMAT, m->swap - m->limit);
  return TRUE;
}

guint64
urun_cgroup_shares_to_weight (guint64 shares)
{
  shares = CLAMP (shares, 2, 262144);
  return 1 + ((shares - 2) * 9999) / 262142;
}

guint64
urun_cgroup_blkio_to_io_weight (guint64 weight)
{
  weight = CLAMP (weight, 10, 1000);
  return 1 + ((weight - 10) * 9999) / 990;
}

static void
add_throttle (GPtrArray *writes, const char *controller, const char *file,
              const UrunSpecThrottleDevice *devs, gsize n, const char *key, const char *limit)
{
  for (gsize i = 0; i < n; i++)
    {
      char *value = key != NULL
                      ? g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT " %s=%" G_GUINT64_FORMAT,
                                         devs[i].major, devs[i].minor, key, devs[i].rate)
                      : g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT " %" G_GUINT64_FORMAT,
                                         devs[i].major, devs[i].minor, devs[i].rate);
      add (writes, controller, file, value, limit, TRUE);
    }
}

/* "memory.high" -> "memory"; core files ("cgroup.*") have no controller. */
static char *
controller_of (const char *file)
{
  const char *dot = strchr (file, '.');

  if (dot == NULL || g_str_has_prefix (file, "cgroup."))
    return NULL;
  return g_strndup (file, (gsize) (dot - file));
}

GPtrArray *
urun_cgroup_resources_v2 (const UrunSpecResources *r, GPtrArray *dropped, GError **error)
{
  g_autoptr (GPtrArray) w = writes_new ();

  if (r == NULL)
    return g_steal_pointer (&w);

  if (r->memory != NULL)
    {
      const UrunSpecMemory *m = r->memory;

      add_memory_limits (w, m, TRUE);
      if (m->has_swap)
        {
          char *value = NULL;

          if (!swap_v2 (m, &value, error))
            return NULL;
          add (w, "memory", "memory.swap.max", value, "memory.swap", TRUE);
        }
      if (m->has_swappiness)
        drop (dropped, "memory.swappiness", "cgroup v2 has no per-cgroup swappiness");
      if (m->has_disable_oom_killer && m->disable_oom_killer)
        drop (dropped, "memory.disableOOMKiller", "cgroup v2 cannot disable the OOM killer");
      /* kernel and kernelTCP: deprecated by the spec, and gone from v2; as
       * runc and crun, they are ignored rather than reported. */
    }
  if (r->pids != NULL)
    add (w, "pids", "pids.max", r->pids->limit > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, r->pids->limit)
                                                    : g_strdup ("max"),
         "pids.limit", TRUE);
  if (r->cpu != NULL)
    {
      const UrunSpecCpu *c = r->cpu;

      if (c->has_shares && c->shares > 0)
        add (w, "cpu", "cpu.weight",
             g_strdup_printf ("%" G_GUINT64_FORMAT, urun_cgroup_shares_to_weight (c->shares)),
             "cpu.shares", TRUE);
      if (c->has_quota || c->has_period)
        {
          char *quota = c->has_quota && c->quota > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, c->quota)
                                                     : g_strdup ("max");
          guint64 period = c->has_period && c->period > 0 ? c->period : 100000;

          add (w, "cpu", "cpu.max", g_strdup_printf ("%s %" G_GUINT64_FORMAT, quota, period),
               "cpu.quota", TRUE);
          g_free (quota);
        }
      if (c->has_burst)
        add (w, "cpu", "cpu.max.burst", g_strdup_printf ("%" G_GUINT64_FORMAT, c->burst),
             "cpu.burst", FALSE);
      if (c->has_idle)
        add (w, "cpu", "cpu.idle", g_strdup_printf ("%" G_GINT64_FORMAT, c->idle), "cpu.idle",
             FALSE);
      if (c->has_realtime_period || c->has_realtime_runtime)
        drop (dropped, "cpu.realtimeRuntime", "cgroup v2 has no real-time CPU budget");
      if (c->cpus != NULL && *c->cpus)
        add (w, "cpuset", "cpuset.cpus", g_strdup (c->cpus), "cpu.cpus", TRUE);
      if (c->mems != NULL && *c->mems)
        add (w, "cpuset", "cpuset.mems", g_strdup (c->mems), "cpu.mems", TRUE);
    }
  if (r->block_io != NULL)
    {
      const UrunSpecBlockIO *b = r->block_io;

      if (b->has_weight)
        add (w, "io", "io.weight",
             g_strdup_printf ("default %" G_GUINT64_FORMAT,
                              urun_cgroup_blkio_to_io_weight (b->weight)),
             "blockIO.weight", TRUE);
      for (gsize i = 0; i < b->n_weight_device; i++)
        if (b->weight_device[i].has_weight)
          add (w, "io", "io.weight",
               g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT " %" G_GUINT64_FORMAT,
                                b->weight_device[i].major, b->weight_device[i].minor,
                                urun_cgroup_blkio_to_io_weight (b->weight_device[i].weight)),
               "blockIO.weightDevice", TRUE);
      if (b->has_leaf_weight)
        drop (dropped, "blockIO.leafWeight", "cgroup v2 has no leaf weight");
      add_throttle (w, "io", "io.max", b->throttle_read_bps_device, b->n_throttle_read_bps_device,
                    "rbps", "blockIO.throttleReadBpsDevice");
      add_throttle (w, "io", "io.max", b->throttle_write_bps_device,
                    b->n_throttle_write_bps_device, "wbps", "blockIO.throttleWriteBpsDevice");
      add_throttle (w, "io", "io.max", b->throttle_read_iops_device,
                    b->n_throttle_read_iops_device, "riops", "blockIO.throttleReadIOPSDevice");
      add_throttle (w, "io", "io.max", b->throttle_write_iops_device,
                    b->n_throttle_write_iops_device, "wiops", "blockIO.throttleWriteIOPSDevice");
    }
  for (gsize i = 0; i < r->n_hugepage_limits; i++)
    {
      g_autofree char *file = g_strdup_printf ("hugetlb.%s.max", r->hugepage_limits[i].page_size);

      add (w, "hugetlb", file, g_strdup_printf ("%" G_GUINT64_FORMAT, r->hugepage_limits[i].limit),
           "hugepageLimits", FALSE);
    }
  for (gsize i = 0; i < r->n_rdma; i++)
    {
      const UrunSpecRdma *d = &r->rdma[i];
      g_autofree char *handles = d->has_hca_handles ? g_strdup_printf ("%u", d->hca_handles)
                                                    : g_strdup ("max");
      g_autofree char *objects = d->has_hca_objects ? g_strdup_printf ("%u", d->hca_objects)
                                                    : g_strdup ("max");

      add (w, "rdma", "rdma.max",
           g_strdup_printf ("%s hca_handle=%s hca_object=%s", d->device, handles, objects),
           "rdma", FALSE);
    }
  if (r->network != NULL && (r->network->has_class_id || r->network->n_priorities > 0))
    drop (dropped, "network", "net_cls and net_prio exist only on cgroup v1");
  for (gsize i = 0; i < r->n_unified; i++)
    {
      const char *key = r->unified[i].key;

      if (strchr (key, '/') != NULL || strcmp (key, "cgroup.procs") == 0
          || strcmp (key, "cgroup.threads") == 0 || strcmp (key, "cgroup.subtree_control") == 0)
        {
          urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                     "linux.resources.unified: `%s` is not a cgroup v2 interface file urun "
                     "may write; name a file such as memory.high", key);
          return NULL;
        }
      {
        g_autofree char *controller = controller_of (key);

        add (w, controller, key, g_strdup (r->unified[i].value), "unified", FALSE);
      }
    }
  return g_steal_pointer (&w);
}

static char *
device_rule (const char *type, gboolean has_major, gint64 major, gboolean has_minor,
             gint64 minor, const char *access)
{
  g_autofree char *maj = has_major && major >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, major)
                                                 : g_strdup ("*");
  g_autofree char *min = has_minor && minor >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, minor)
                                                 : g_strdup ("*");

  if (type == NULL || strcmp (type, "a") == 0)
    return g_strdup ("a"); /* "a" takes no numbers */
  return g_strdup_printf ("%s %s:%s %s", type, maj, min, access && *access ? access : "rwm");
}

const UrunCgroupDefaultDevice urun_cgroup_default_devices[] = {
  { "c", -1, -1, "m" }, { "b", -1, -1, "m" },   /* mknod of anything; no I/O */
  { "c", 1, 3, "rwm" }, { "c", 1, 5, "rwm" },   { "c", 1, 7, "rwm" }, /* null zero full */
  { "c", 5, 0, "rwm" }, { "c", 1, 8, "rwm" },   { "c", 1, 9, "rwm" }, /* tty random urandom */
  { "c", 136, -1, "rwm" }, { "c", 5, 2, "rwm" }, /* pts ptmx */
  { "c", 10, 200, "rwm" },                      /* tun */
};
const gsize urun_cgroup_n_default_devices = G_N_ELEMENTS (urun_cgroup_default_devices);

GPtrArray *
urun_cgroup_resources_v1 (const UrunSpecResources *r, const UrunSpecDevice *devices,
                          gsize n_devices, GPtrArray *dropped, GError **error)
{
  g_autoptr (GPtrArray) w = writes_new ();

  if (r == NULL)
    return g_steal_pointer (&w);

  if (r->memory != NULL)
    {
      const UrunSpecMemory *m = r->memory;

      add_memory_limits (w, m, FALSE);
      if (m->has_swap)
        add (w, "memory", "memory.memsw.limit_in_bytes",
             g_strdup_printf ("%" G_GINT64_FORMAT, m->swap), "memory.swap", FALSE);
      if (m->has_swappiness)
        add (w, "memory", "memory.swappiness", g_strdup_printf ("%" G_GUINT64_FORMAT, m->swappiness),
             "memory.swappiness", FALSE);
      if (m->has_disable_oom_killer)
        add (w, "memory", "memory.oom_control", g_strdup (m->disable_oom_killer ? "1" : "0"),
             "memory.disableOOMKiller", FALSE);
      if (m->has_kernel_tcp)
        add (w, "memory", "memory.kmem.tcp.limit_in_bytes",
             g_strdup_printf ("%" G_GINT64_FORMAT, m->kernel_tcp), "memory.kernelTCP", FALSE);
    }
  if (r->pids != NULL)
    add (w, "pids", "pids.max", r->pids->limit > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, r->pids->limit)
                                                    : g_strdup ("max"),
         "pids.limit", FALSE);
  if (r->cpu != NULL)
    {
      const UrunSpecCpu *c = r->cpu;

      if (c->has_shares && c->shares > 0)
        add (w, "cpu", "cpu.shares", g_strdup_printf ("%" G_GUINT64_FORMAT, c->shares), "cpu.shares",
             FALSE);
      if (c->has_period && c->period > 0)
        add (w, "cpu", "cpu.cfs_period_us", g_strdup_printf ("%" G_GUINT64_FORMAT, c->period),
             "cpu.period", FALSE);
      if (c->has_quota)
        add (w, "cpu", "cpu.cfs_quota_us",
             g_strdup_printf ("%" G_GINT64_FORMAT, c->quota > 0 ? c->quota : -1), "cpu.quota", FALSE);
      if (c->has_burst)
        add (w, "cpu", "cpu.cfs_burst_us", g_strdup_printf ("%" G_GUINT64_FORMAT, c->burst),
             "cpu.burst", FALSE);
      if (c->has_realtime_period)
        add (w, "cpu", "cpu.rt_period_us", g_strdup_printf ("%" G_GUINT64_FORMAT, c->realtime_period),
             "cpu.realtimePeriod", FALSE);
      if (c->has_realtime_runtime)
        add (w, "cpu", "cpu.rt_runtime_us",
             g_strdup_printf ("%" G_GINT64_FORMAT, c->realtime_runtime), "cpu.realtimeRuntime", FALSE);
      if (c->has_idle)
        add (w, "cpu", "cpu.idle", g_strdup_printf ("%" G_GINT64_FORMAT, c->idle), "cpu.idle", FALSE);
      if (c->cpus != NULL && *c->cpus)
        add (w, "cpuset", "cpuset.cpus", g_strdup (c->cpus), "cpu.cpus", FALSE);
      if (c->mems != NULL && *c->mems)
        add (w, "cpuset", "cpuset.mems", g_strdup (c->mems), "cpu.mems", FALSE);
    }
  if (r->block_io != NULL)
    {
      const UrunSpecBlockIO *b = r->block_io;

      if (b->has_weight)
        add (w, "blkio", "blkio.weight", g_strdup_printf ("%u", b->weight), "blockIO.weight", FALSE);
      if (b->has_leaf_weight)
        add (w, "blkio", "blkio.leaf_weight", g_strdup_printf ("%u", b->leaf_weight),
             "blockIO.leafWeight", FALSE);
      for (gsize i = 0; i < b->n_weight_device; i++)
        if (b->weight_device[i].has_weight)
          add (w, "blkio", "blkio.weight_device",
               g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT " %u",
                                b->weight_device[i].major, b->weight_device[i].minor,
                                b->weight_device[i].weight),
               "blockIO.weightDevice", FALSE);
      add_throttle (w, "blkio", "blkio.throttle.read_bps_device", b->throttle_read_bps_device,
                    b->n_throttle_read_bps_device, NULL, "blockIO.throttleReadBpsDevice");
      add_throttle (w, "blkio", "blkio.throttle.write_bps_device", b->throttle_write_bps_device,
                    b->n_throttle_write_bps_device, NULL, "blockIO.throttleWriteBpsDevice");
      add_throttle (w, "blkio", "blkio.throttle.read_iops_device", b->throttle_read_iops_device,
                    b->n_throttle_read_iops_device, NULL, "blockIO.throttleReadIOPSDevice");
      add_throttle (w, "blkio", "blkio.throttle.write_iops_device", b->throttle_write_iops_device,
                    b->n_throttle_write_iops_device, NULL, "blockIO.throttleWriteIOPSDevice");
    }
  for (gsize i = 0; i < r->n_hugepage_limits; i++)
    {
      g_autofree char *file = g_strdup_printf ("hugetlb.%s.limit_in_bytes",
                                               r->hugepage_limits[i].page_size);

      add (w, "hugetlb", file, g_strdup_printf ("%" G_GUINT64_FORMAT, r->hugepage_limits[i].limit),
           "hugepageLimits", FALSE);
    }
  if (r->network != NULL)
    {
      if (r->network->has_class_id)
        add (w, "net_cls", "net_cls.classid", g_strdup_printf ("%u", r->network->class_id),
             "network.classID", FALSE);
      for (gsize i = 0; i < r->network->n_priorities; i++)
        add (w, "net_prio", "net_prio.ifpriomap",
             g_strdup_printf ("%s %u", r->network->priorities[i].name,
                              r->network->priorities[i].priority),
             "network.priorities", FALSE);
    }
  if (r->n_unified > 0)
    drop (dropped, "unified", "this host's controllers are on cgroup v1");
  if (r->n_rdma > 0)
    drop (dropped, "rdma", "not supported by urun on cgroup v1");
  if (r->n_devices > 0)
    {
      for (gsize i = 0; i < r->n_devices; i++)
        {
          const UrunSpecDeviceCgroup *d = &r->devices[i];

          add (w, "devices", d->allow ? "devices.allow" : "devices.deny",
               device_rule (d->type, d->has_major, d->major, d->has_minor, d->minor, d->access),
               "devices", FALSE);
        }
      for (gsize i = 0; i < urun_cgroup_n_default_devices; i++)
        add (w, "devices", "devices.allow",
             device_rule (urun_cgroup_default_devices[i].type, TRUE,
                          urun_cgroup_default_devices[i].major, TRUE,
                          urun_cgroup_default_devices[i].minor,
                          urun_cgroup_default_devices[i].access),
             "devices", FALSE);
      for (gsize i = 0; i < n_devices; i++)
        if (g_strcmp0 (devices[i].type, "c") == 0 || g_strcmp0 (devices[i].type, "b") == 0
            || g_strcmp0 (devices[i].type, "u") == 0)
          add (w, "devices", "devices.allow",
               device_rule (g_strcmp0 (devices[i].type, "b") == 0 ? "b" : "c", devices[i].has_major,
                            devices[i].major, devices[i].has_minor, devices[i].minor, "rwm"),
               "devices", FALSE);
    }
  return g_steal_pointer (&w);
}

/* ---- names --------------------------------------------------------------------- */

static gboolean
valid_unit_word (const char *s)
{
  if (s == NULL || *s == '\0' || strlen (s) > 200)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr (":-_.\\@", *p) == NULL)
      return FALSE;
  return TRUE;
}


/* The cgroup and scope name of a container without linux.cgroupsPath:
 * "urun-<id>".  Ids are unique within one state root only, while cgroup
 * and unit names are host-wide; so a container of another root (--root)
 * also carries the first 8 hex digits of its root's SHA-256, and two roots
 * may hold the same id without their cgroups colliding. */
static char *
default_name (const UrunCgroupRequest *request)
{
  g_autofree char *digest = NULL;

  if (request->state_root_is_default || request->state_root == NULL)
    return g_strdup_printf ("urun-%s", request->id);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, request->state_root, -1);
  digest[8] = '\0';
  return g_strdup_printf ("urun-%s-%s", digest, request->id);
}

gboolean
urun_cgroup_systemd_names (const UrunCgroupRequest *request, char **out_unit, char **out_slice,
                           GError **error)
{
  const char *path = request->spec && request->spec->linux_ ? request->spec->linux_->cgroups_path
                                                             : NULL;
  g_autofree char *unit = NULL;
  g_autofree char *slice = NULL;

  if (path != NULL && *path != '\0')
    {
      g_auto (GStrv) parts = g_strsplit (path, ":", -1);

      if (g_strv_length (parts) != 3)
        return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                          "linux.cgroupsPath `%s`: the systemd cgroup driver expects "
                          "`slice:prefix:name` (e.g. machine.slice:urun:%s); use "
                          "--cgroup-manager cgroupfs for a path", path, request->id);
      if (*parts[0] != '\0')
        slice = g_strdup (parts[0]);
      if (g_str_has_suffix (parts[2], ".scope") || g_str_has_suffix (parts[2], ".slice"))
        {
          if (g_str_has_suffix (parts[2], ".slice"))
            return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                              "linux.cgroupsPath `%s`: a container goes into a scope, not a "
                              "slice; name it `%s:%s:NAME`", path, parts[0], parts[1]);
          unit = g_strdup (parts[2]);
        }
      else if (*parts[1] != '\0')
        unit = g_strdup_printf ("%s-%s.scope", parts[1], parts[2]);
      else
        unit = g_strdup_printf ("%s.scope", parts[2]);
    }
  if (request->unit != NULL)
    {
      g_clear_pointer (&unit, g_free);
      if (g_str_has_suffix (request->unit, ".scope"))
        unit = g_strdup (request->unit);
      else if (strchr (request->unit, '.') != NULL
               && (g_str_has_suffix (request->unit, ".service")
                   || g_str_has_suffix (request->unit, ".slice")))
        return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                          "--unit `%s`: a container runs in a scope unit; give NAME or "
                          "NAME.scope", request->unit);
      else
        unit = g_strdup_printf ("%s.scope", request->unit);
    }
  if (unit == NULL)
    {
      g_autofree char *name = default_name (request);
      unit = g_strconcat (name, ".scope", NULL);
    }
  if (request->slice != NULL)
    {
      g_clear_pointer (&slice, g_free);
      slice = g_str_has_suffix (request->slice, ".slice") ? g_strdup (request->slice)
                                                           : g_strdup_printf ("%s.slice",
                                                                              request->slice);
    }
  /* Why these slices: machine.slice is where systemd puts containers and
   * VMs (machinectl, systemd-cgtop group them there); in a user's manager
   * app.slice is where applications go, which is what a desktop user's
   * `urun run` is. */
  if (slice == NULL)
    slice = g_strdup (request->host.rootless ? "app.slice" : "machine.slice");

  if (!valid_unit_word (unit))
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "invalid unit name `%s`: use letters, digits and `:-_.\\@`", unit);
  if (!valid_unit_word (slice) || strlen (slice) <= strlen (".slice"))
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "invalid slice name `%s`: use letters, digits and `:-_.\\@`, ending in "
                      ".slice", slice);
  *out_unit = g_steal_pointer (&unit);
  *out_slice = g_steal_pointer (&slice);
  return TRUE;
}

gboolean
urun_cgroup_fs_path (const UrunCgroupRequest *request, const char *base, char **out_path,
                     GError **error)
{
  const char *path = request->spec && request->spec->linux_ ? request->spec->linux_->cgroups_path
                                                             : NULL;
  g_autofree char *result = NULL;
  g_auto (GStrv) parts = NULL;
  g_autofree char *name = default_name (request);

  if (path == NULL || *path == '\0')
    result = g_build_filename ("/", base, name, NULL);
  else if (strchr (path, ':') != NULL && path[0] != '/')
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "linux.cgroupsPath `%s` is a systemd `slice:prefix:name`, but the "
                      "cgroupfs driver was chosen; use --systemd-cgroup or a path", path);
  else if (path[0] == '/')
    result = g_strdup (path);
  else
    result = g_build_filename ("/", base, path, NULL);

  /* No "..", no empty result: the container must stay below the root. */
  parts = g_strsplit (result, "/", -1);
  for (char **p = parts; *p; p++)
    if (strcmp (*p, "..") == 0 || strcmp (*p, ".") == 0)
      return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                        "linux.cgroupsPath `%s` must not contain `.` or `..`", path);
  {
    g_autofree char *canon = g_canonicalize_filename (result, "/");

    if (strcmp (canon, "/") == 0)
      return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                        "linux.cgroupsPath `%s` names the root cgroup; give the container "
                        "a cgroup of its own", path ? path : "");
    if (base != NULL && strcmp (base, "/") != 0 && path != NULL && path[0] == '/'
        && !g_str_has_prefix (canon, base))
      return urun_fail (error, URUN_ERROR_PERMISSION_DENIED,
                        "linux.cgroupsPath `%s` is outside the cgroup subtree delegated to "
                        "this user (%s); use a relative path", path, base);
    *out_path = g_steal_pointer (&canon);
  }
  return TRUE;
}
