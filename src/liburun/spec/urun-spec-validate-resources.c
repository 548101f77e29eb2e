/* urun-spec-validate-resources.c: linux.resources checked against what the
 * kernel accepts, before any cgroup exists (see
 * urun_spec_resources_validate() in urun-spec.h).
 *
 * Zone: host side (GLib), pure: the unit tests drive it.
 *
 * Why here and not at the cgroup write: a value the kernel refuses fails
 * there with a bare "Invalid argument", after the cgroup was made and in
 * terms of a cgroup file; here the message names the JSON path (or the
 * `update` option) and the range.  The bounds are the kernel's own, cited
 * at each; 0 is accepted where runc reads it as "not set", because Go
 * clients write the zero value.
 */
#include "config.h"

#include "spec/urun-spec-private.h"
#include "util/urun-error.h"

#include <string.h>

typedef struct
{
  const char *filename;
  const char *prefix;
  const char *const *options;
  GError **error;
} Check;

/* An accepted range, and the values accepted besides it (also_min >
 * also_max: none), as the message says them. */
typedef struct
{
  gint64 min;
  gint64 max;
  gint64 also_min;
  gint64 also_max;
  const char *also;
  const char *unit;
} Range;

/* kernel/sched/core.c: CFS periods from 1 ms to 1 s, quotas (and bursts)
 * from 1 ms to max_cfs_runtime, 2^44 - 1 us; real-time runtimes up to
 * max_rt_runtime (2^44 - 1 ns), periods up to U64_MAX ns, not 0. */
#define CFS_PERIOD_MIN G_GINT64_CONSTANT (1000)
#define CFS_PERIOD_MAX G_GINT64_CONSTANT (1000000)
#define CFS_RUNTIME_MAX ((G_GINT64_CONSTANT (1) << 44) - 1)
#define RT_RUNTIME_MAX (CFS_RUNTIME_MAX / 1000)
#define RT_PERIOD_MAX ((gint64) (G_MAXUINT64 / 1000))
/* kernel/cgroup/pids.c: pids.max takes 0 to PID_MAX_LIMIT (2^22). */
#define PIDS_MAX (G_GINT64_CONSTANT (1) << 22)
/* include/linux/kdev_t.h: a device number is 12 bits of major, 20 of minor
 * (a larger number in an "M:N" the kernel reads names another device). */
#define DEV_MAJOR_MAX G_GINT64_CONSTANT (4095)
#define DEV_MINOR_MAX G_GINT64_CONSTANT (1048575)
/* The largest NR_CPUS and MAX_NUMNODES (NODES_SHIFT 10) Linux builds with. */
#define CPUS_MAX 8192
#define MEMS_MAX 1024
/* include/rdma/ib_verbs.h: IB_DEVICE_NAME_MAX, with the NUL. */
#define RDMA_NAME_MAX 63

static const Range memory_limit = { 1, G_MAXINT64, -1, -1, "-1 (unlimited)", "bytes" };
static const Range memory_soft = { 0, G_MAXINT64, -1, -1, "-1 (unlimited)", "bytes" };
static const Range swappiness = { 0, 100, 1, 0, NULL, NULL };
static const Range cpu_shares = { 2, 262144, 0, 0, "0 (not set)", NULL };
static const Range cpu_quota = { CFS_PERIOD_MIN, CFS_RUNTIME_MAX, -1, 0,
                                 "-1 (unlimited), 0 (not set)", "microseconds" };
static const Range cpu_period = { CFS_PERIOD_MIN, CFS_PERIOD_MAX, 0, 0, "0 (not set)",
                                  "microseconds" };
static const Range cpu_burst = { 0, CFS_RUNTIME_MAX, 1, 0, NULL, "microseconds" };
static const Range rt_runtime = { 0, RT_RUNTIME_MAX, -1, -1, "-1 (unlimited)", "microseconds" };
static const Range rt_period = { 1, RT_PERIOD_MAX, 1, 0, NULL, "microseconds" };
static const Range cpu_idle = { 0, 1, 1, 0, NULL, NULL };
static const Range pids_limit = { 1, PIDS_MAX, -1, 0, "-1 (unlimited), 0 (also unlimited)", NULL };
/* config-linux.md: blockIO weights are 10 to 1000. */
static const Range blkio_weight = { 10, 1000, 1, 0, NULL, NULL };
static const Range dev_major = { 0, DEV_MAJOR_MAX, 1, 0, NULL, NULL };
static const Range dev_minor = { 0, DEV_MINOR_MAX, 1, 0, NULL, NULL };
static const Range rule_major = { 0, DEV_MAJOR_MAX, -1, -1, "-1 (any)", NULL };
static const Range rule_minor = { 0, DEV_MINOR_MAX, -1, -1, "-1 (any)", NULL };
/* kernel/cgroup/rdma.c reads the counts as an int. */
static const Range rdma_count = { 0, G_MAXINT32, 1, 0, NULL, NULL };

/* ---- messages ------------------------------------------------------------- */

static const char *
option_of (Check *c, const char *path)
{
  for (const char *const *o = c->options; o != NULL && o[0] != NULL; o += 2)
    if (strcmp (o[0], path) == 0)
      return o[1];
  return NULL;
}

/* How messages name @path: its option, or the JSON path. */
static char *
display (Check *c, const char *path)
{
  const char *option = option_of (c, path);

  return option != NULL ? g_strdup (option) : g_strconcat (c->prefix, path, NULL);
}

static gboolean
fail_at (Check *c, const char *path, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail_at (Check *c, const char *path, const char *fmt, ...)
{
  const char *option = option_of (c, path);
  g_autofree char *message = NULL;
  g_autofree char *where = NULL;
  va_list ap;

  va_start (ap, fmt);
  message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (option != NULL)
    return urun_fail (c->error, URUN_ERROR_INVALID_ARGUMENT, "%s: %s", option, message);
  where = g_strconcat (c->prefix, path, NULL);
  return urun_spec_fail (c->error, c->filename, where, "%s", message);
}

/* "PATH: EXPECTED, got VALUE" or "invalid value `VALUE` for OPTION:
 * EXPECTED".  @quote: @value is a string, quoted in a file's message. */
static gboolean
fail_expected (Check *c, const char *path, const char *value, gboolean quote,
               const char *expected)
{
  const char *option = option_of (c, path);
  g_autofree char *got = NULL;

  if (option != NULL)
    return urun_fail (c->error, URUN_ERROR_INVALID_ARGUMENT, "invalid value `%s` for %s: %s",
                      value, option, expected);
  got = quote ? urun_spec_quote (value) : g_strdup (value);
  return fail_at (c, path, "%s, got %s", expected, got);
}

/* ---- numbers -------------------------------------------------------------- */

static gboolean
fail_range (Check *c, const char *path, const Range *range, const char *value)
{
  g_autofree char *expected = NULL;

  expected = g_strdup_printf ("expected %s%san integer between %" G_GINT64_FORMAT " and %"
                              G_GINT64_FORMAT "%s%s%s",
                              range->also ? range->also : "", range->also ? " or " : "",
                              range->min, range->max, range->unit ? " (" : "",
                              range->unit ? range->unit : "", range->unit ? ")" : "");
  return fail_expected (c, path, value, FALSE, expected);
}

static gboolean
check_int (Check *c, const char *path, gint64 value, const Range *range)
{
  g_autofree char *text = NULL;

  if ((value >= range->min && value <= range->max)
      || (value >= range->also_min && value <= range->also_max))
    return TRUE;
  text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  return fail_range (c, path, range, text);
}

static gboolean
check_uint (Check *c, const char *path, guint64 value, const Range *range)
{
  g_autofree char *text = NULL;

  if (value <= (guint64) G_MAXINT64)
    return check_int (c, path, (gint64) value, range);
  text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  return fail_range (c, path, range, text);
}

/* ---- strings -------------------------------------------------------------- */

/* Reads decimal digits at *p; saturates above the largest list number. */
static gboolean
read_number (const char **p, guint64 *out)
{
  guint64 n = 0;

  if (!g_ascii_isdigit (**p))
    return FALSE;
  for (; g_ascii_isdigit (**p); (*p)++)
    n = MIN (n * 10 + (guint64) (**p - '0'), (guint64) G_MAXUINT32);
  *out = n;
  return TRUE;
}

/* The kernel's list syntax (lib/bitmap.c, bitmap_parselist()): N, N-M or
 * N-M:U/G (U of every G from N to M), separated by commas or white space;
 * every number below @limit. */
static gboolean
check_list (Check *c, const char *path, const char *list, guint64 limit, const char *what)
{
  g_autofree char *quoted = urun_spec_quote (list);
  const char *p = list;
  gboolean any = FALSE;

  while (*p != '\0')
    {
      guint64 first, last, used, group;

      if (*p == ',' || g_ascii_isspace (*p))
        {
          p++;
          continue;
        }
      if (!read_number (&p, &first))
        goto syntax;
      last = first;
      if (*p == '-')
        {
          p++;
          if (!read_number (&p, &last))
            goto syntax;
          if (*p == ':')
            {
              p++;
              if (!read_number (&p, &used) || *p != '/')
                goto syntax;
              p++;
              if (!read_number (&p, &group))
                goto syntax;
              if (group == 0 || used > group)
                return fail_at (c, path,
                                "invalid %s list %s: in a stride U/G, G must be at least 1 and "
                                "U at most G",
                                what, quoted);
            }
        }
      if (*p != '\0' && *p != ',' && !g_ascii_isspace (*p))
        goto syntax;
      if (last < first)
        return fail_at (c, path,
                        "invalid %s list %s: the range %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
                        " ends before it starts",
                        what, quoted, first, last);
      if (last >= limit)
        return fail_at (c, path,
                        "invalid %s list %s: %" G_GUINT64_FORMAT " is above %" G_GUINT64_FORMAT
                        ", the highest %s number Linux supports",
                        what, quoted, last, limit - 1, what);
      any = TRUE;
    }
  if (any)
    return TRUE;

syntax:
  {
    g_autofree char *expected = g_strdup_printf (
      "expected a %s list: numbers and ranges such as \"0-3,6\"", what);

    return fail_expected (c, path, list, TRUE, expected);
  }
}

/* mm/hugetlb_cgroup.c names the files of a size in its largest whole unit
 * ("2MB", "1GB", "64KB"), and huge page sizes are powers of two. */
static gboolean
is_hugepage_size (const char *s)
{
  guint64 n = 0;
  const char *p = s;

  if (*p < '1' || *p > '9')
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      n = n * 10 + (guint64) (*p - '0');
      if (n > (guint64) 1 << 32)
        return FALSE;
    }
  if ((n & (n - 1)) != 0)
    return FALSE;
  if (strcmp (p, "GB") == 0)
    return TRUE;
  return (strcmp (p, "MB") == 0 || strcmp (p, "KB") == 0) && n < 1024;
}

/* "controller.file" (memory.high, hugetlb.2MB.max): a name in the
 * container's cgroup directory, never a path. */
static gboolean
is_cgroup_file_name (const char *key)
{
  const char *dot = strchr (key, '.');
  gsize len = strlen (key);

  if (dot == NULL || dot == key || key[len - 1] == '.' || strstr (key, "..") != NULL)
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.' && *p != '-')
      return FALSE;
  return TRUE;
}

/* An IB device name: it is written into rdma.max before a space. */
static gboolean
is_rdma_device (const char *name)
{
  gsize len = name != NULL ? strlen (name) : 0;

  if (len == 0 || len > RDMA_NAME_MAX)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == '/' || *p == 0x7f)
      return FALSE;
  return TRUE;
}

/* ---- sections ------------------------------------------------------------- */

#define AT(...) (g_free (where), where = g_strdup_printf (__VA_ARGS__))

static gboolean
check_devices (Check *c, const UrunSpecResources *res)
{
  g_autofree char *where = NULL;

  for (gsize i = 0; i < res->n_devices; i++)
    {
      const UrunSpecDeviceCgroup *dev = &res->devices[i];

      if (dev->type != NULL && (strlen (dev->type) != 1 || strchr ("acb", dev->type[0]) == NULL))
        {
          g_autofree char *quoted = urun_spec_quote (dev->type);

          return fail_at (c, AT ("devices[%zu].type", i), "unknown device type %s", quoted);
        }
      if (dev->access != NULL && strspn (dev->access, "rwm") != strlen (dev->access))
        {
          g_autofree char *quoted = urun_spec_quote (dev->access);

          return fail_at (c, AT ("devices[%zu].access", i),
                          "invalid device access %s, expected some of \"rwm\"", quoted);
        }
      if ((dev->has_major && !check_int (c, AT ("devices[%zu].major", i), dev->major, &rule_major))
          || (dev->has_minor
              && !check_int (c, AT ("devices[%zu].minor", i), dev->minor, &rule_minor)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_memory (Check *c, const UrunSpecMemory *m)
{
  if ((m->has_limit && !check_int (c, "memory.limit", m->limit, &memory_limit))
      || (m->has_reservation && !check_int (c, "memory.reservation", m->reservation, &memory_soft))
      || (m->has_swap && !check_int (c, "memory.swap", m->swap, &memory_limit))
      || (m->has_kernel && !check_int (c, "memory.kernel", m->kernel, &memory_soft))
      || (m->has_kernel_tcp && !check_int (c, "memory.kernelTCP", m->kernel_tcp, &memory_soft))
      || (m->has_swappiness && !check_uint (c, "memory.swappiness", m->swappiness, &swappiness)))
    return FALSE;

  /* The spec's swap is memory plus swap: the kernel refuses a limit of it
   * below the memory limit, or with the memory unlimited. */
  if (m->has_swap && m->swap > 0 && m->has_limit)
    {
      g_autofree char *limit = display (c, "memory.limit");

      if (m->limit < 0)
        return fail_at (c, "memory.swap",
                        "a limit of memory plus swap (%" G_GINT64_FORMAT ") needs a memory "
                        "limit, but %s is -1 (unlimited)",
                        m->swap, limit);
      if (m->swap < m->limit)
        return fail_at (c, "memory.swap",
                        "%" G_GINT64_FORMAT " is below %s (%" G_GINT64_FORMAT "): it limits "
                        "memory plus swap, so it must be at least the memory limit",
                        m->swap, limit, m->limit);
    }
  return TRUE;
}

static gboolean
check_cpu (Check *c, const UrunSpecCpu *cpu)
{
  if ((cpu->has_shares && !check_uint (c, "cpu.shares", cpu->shares, &cpu_shares))
      || (cpu->has_quota && !check_int (c, "cpu.quota", cpu->quota, &cpu_quota))
      || (cpu->has_burst && !check_uint (c, "cpu.burst", cpu->burst, &cpu_burst))
      || (cpu->has_period && !check_uint (c, "cpu.period", cpu->period, &cpu_period))
      || (cpu->has_realtime_runtime
          && !check_int (c, "cpu.realtimeRuntime", cpu->realtime_runtime, &rt_runtime))
      || (cpu->has_realtime_period
          && !check_uint (c, "cpu.realtimePeriod", cpu->realtime_period, &rt_period))
      || (cpu->cpus != NULL && *cpu->cpus != '\0'
          && !check_list (c, "cpu.cpus", cpu->cpus, CPUS_MAX, "CPU"))
      || (cpu->mems != NULL && *cpu->mems != '\0'
          && !check_list (c, "cpu.mems", cpu->mems, MEMS_MAX, "memory node"))
      || (cpu->has_idle && !check_int (c, "cpu.idle", cpu->idle, &cpu_idle)))
    return FALSE;

  /* The kernel's tg_set_cfs_bandwidth(): a burst within the quota. */
  if (cpu->has_burst && cpu->has_quota && cpu->quota > 0 && cpu->burst > (guint64) cpu->quota)
    {
      g_autofree char *quota = display (c, "cpu.quota");

      return fail_at (c, "cpu.burst", "%" G_GUINT64_FORMAT " is above %s (%" G_GINT64_FORMAT
                      "): the burst must fit in the quota",
                      cpu->burst, quota, cpu->quota);
    }
  /* sched_rt: a group's runtime within its period. */
  if (cpu->has_realtime_runtime && cpu->has_realtime_period && cpu->realtime_runtime > 0
      && (guint64) cpu->realtime_runtime > cpu->realtime_period)
    {
      g_autofree char *period = display (c, "cpu.realtimePeriod");

      return fail_at (c, "cpu.realtimeRuntime", "%" G_GINT64_FORMAT " is above %s (%"
                      G_GUINT64_FORMAT "): the runtime must fit in the period",
                      cpu->realtime_runtime, period, cpu->realtime_period);
    }
  return TRUE;
}

static gboolean
check_device_number (Check *c, const char *at, gint64 major, gint64 minor)
{
  g_autofree char *path = g_strconcat (at, ".major", NULL);

  if (!check_int (c, path, major, &dev_major))
    return FALSE;
  g_free (path);
  path = g_strconcat (at, ".minor", NULL);
  return check_int (c, path, minor, &dev_minor);
}

static gboolean
check_throttle (Check *c, const char *name, const UrunSpecThrottleDevice *devs, gsize n)
{
  g_autofree char *where = NULL;

  for (gsize i = 0; i < n; i++)
    if (!check_device_number (c, AT ("blockIO.%s[%zu]", name, i), devs[i].major, devs[i].minor))
      return FALSE;
  return TRUE;
}

static gboolean
check_block_io (Check *c, const UrunSpecBlockIO *b)
{
  g_autofree char *where = NULL;

  if ((b->has_weight && !check_uint (c, "blockIO.weight", b->weight, &blkio_weight))
      || (b->has_leaf_weight
          && !check_uint (c, "blockIO.leafWeight", b->leaf_weight, &blkio_weight)))
    return FALSE;

  for (gsize i = 0; i < b->n_weight_device; i++)
    {
      const UrunSpecWeightDevice *dev = &b->weight_device[i];

      /* config-linux.md: at least one of weight and leafWeight. */
      if (!dev->has_weight && !dev->has_leaf_weight)
        return fail_at (c, AT ("blockIO.weightDevice[%zu]", i),
                        "missing required field weight or leafWeight");
      if (!check_device_number (c, AT ("blockIO.weightDevice[%zu]", i), dev->major, dev->minor)
          || (dev->has_weight
              && !check_uint (c, AT ("blockIO.weightDevice[%zu].weight", i), dev->weight,
                              &blkio_weight))
          || (dev->has_leaf_weight
              && !check_uint (c, AT ("blockIO.weightDevice[%zu].leafWeight", i),
                              dev->leaf_weight, &blkio_weight)))
        return FALSE;
    }
  return check_throttle (c, "throttleReadBpsDevice", b->throttle_read_bps_device,
                         b->n_throttle_read_bps_device)
         && check_throttle (c, "throttleWriteBpsDevice", b->throttle_write_bps_device,
                            b->n_throttle_write_bps_device)
         && check_throttle (c, "throttleReadIOPSDevice", b->throttle_read_iops_device,
                            b->n_throttle_read_iops_device)
         && check_throttle (c, "throttleWriteIOPSDevice", b->throttle_write_iops_device,
                            b->n_throttle_write_iops_device);
}

static gboolean
check_hugepages (Check *c, const UrunSpecResources *res)
{
  g_autofree char *where = NULL;

  for (gsize i = 0; i < res->n_hugepage_limits; i++)
    if (!is_hugepage_size (res->hugepage_limits[i].page_size))
      return fail_expected (c, AT ("hugepageLimits[%zu].pageSize", i),
                            res->hugepage_limits[i].page_size, TRUE,
                            "expected a huge page size as the kernel names it: a power of two "
                            "in KB, MB or GB, such as \"2MB\" or \"1GB\"");
  return TRUE;
}

static gboolean
check_rdma (Check *c, const UrunSpecResources *res)
{
  g_autofree char *where = NULL;

  for (gsize i = 0; i < res->n_rdma; i++)
    {
      const UrunSpecRdma *rdma = &res->rdma[i];
      g_autofree char *quoted = urun_spec_quote (rdma->device);

      if (!is_rdma_device (rdma->device))
        return fail_at (c, AT ("rdma[%s]", quoted),
                        "invalid RDMA device name %s: expected up to %d characters without "
                        "spaces or \"/\", such as \"mlx5_0\"",
                        quoted, RDMA_NAME_MAX);
      /* config-linux.md: at least one of hcaHandles and hcaObjects. */
      if (!rdma->has_hca_handles && !rdma->has_hca_objects)
        return fail_at (c, AT ("rdma[%s]", quoted),
                        "missing required field hcaHandles or hcaObjects");
      if ((rdma->has_hca_handles
           && !check_uint (c, AT ("rdma[%s].hcaHandles", quoted), rdma->hca_handles, &rdma_count))
          || (rdma->has_hca_objects
              && !check_uint (c, AT ("rdma[%s].hcaObjects", quoted), rdma->hca_objects,
                              &rdma_count)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_unified (Check *c, const UrunSpecResources *res)
{
  g_autofree char *where = NULL;

  for (gsize i = 0; i < res->n_unified; i++)
    {
      const char *key = res->unified[i].key;
      g_autofree char *quoted = urun_spec_quote (key);

      if (!is_cgroup_file_name (key))
        return fail_at (c, AT ("unified[%s]", quoted),
                        "invalid cgroup file name %s: expected CONTROLLER.FILE, such as "
                        "\"memory.high\"",
                        quoted);
    }
  return TRUE;
}

#undef AT

/* ---- entry point ------------------------------------------------------------ */

gboolean
urun_spec_resources_validate (const UrunSpecResources *res, const char *filename,
                              const char *prefix, const char *const *options, GError **error)
{
  Check c = { filename, prefix, options, error };

  g_return_val_if_fail (res != NULL, FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);
  g_return_val_if_fail (prefix != NULL, FALSE);

  return check_devices (&c, res) && (res->memory == NULL || check_memory (&c, res->memory))
         && (res->cpu == NULL || check_cpu (&c, res->cpu))
         && (res->block_io == NULL || check_block_io (&c, res->block_io))
         && check_hugepages (&c, res)
         && (res->pids == NULL || check_int (&c, "pids.limit", res->pids->limit, &pids_limit))
         && check_rdma (&c, res) && check_unified (&c, res);
}
