/* urun-cmd-update.c: the `update` command: change the resource limits of a
 * container, from a JSON file (linux.resources of the spec) or from the
 * options.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "urun-container-cgroup.h"
#include "urun-error.h"
#include "urun-spec.h"
#include "urun-systemd-property.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Not given: the options keep what the container has. */
#define UNSET G_MININT64

static char *
read_all (const char *path, gsize *out_len, GError **error)
{
  g_autoptr (GByteArray) buf = NULL;
  char chunk[8192];
  ssize_t n;

  if (strcmp (path, "-") != 0)
    {
      char *data = NULL;

      if (!g_file_get_contents (path, &data, out_len, error))
        return NULL;
      return data;
    }
  buf = g_byte_array_new ();
  while ((n = read (STDIN_FILENO, chunk, sizeof chunk)) != 0)
    {
      if (n < 0)
        {
          urun_fail_errno (error, errno, _("read the resources from standard input"));
          return NULL;
        }
      g_byte_array_append (buf, (const guint8 *) chunk, (guint) n);
    }
  *out_len = buf->len;
  g_byte_array_append (buf, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&buf), FALSE);
}

/* "512m", "1G", "1048576", "-1" (unlimited, where allowed). */
static gboolean
parse_bytes (const char *option, const char *text, gboolean allow_unlimited, gint64 *out,
             GError **error)
{
  guint64 n;

  if (allow_unlimited && strcmp (text, "-1") == 0)
    {
      *out = -1;
      return TRUE;
    }
  if (!urun_systemd_parse_size (text, &n) || n > (guint64) G_MAXINT64)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      _("invalid value `%s` for %s: expected bytes, optionally with a k, m or g "
                        "suffix%s"), text, option, allow_unlimited ? _(", or -1 for unlimited") : "");
  *out = (gint64) n;
  return TRUE;
}

int
urun_cmd_update (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *resources = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *memory_swap = NULL;
  g_autofree char *memory_reservation = NULL;
  g_autofree char *kernel_memory = NULL;
  g_autofree char *kernel_memory_tcp = NULL;
  gint64 pids_limit = UNSET;
  gint64 cpu_quota = UNSET;
  gint64 cpu_period = UNSET;
  gint64 cpu_share = UNSET;
  gint64 cpu_rt_period = UNSET;
  gint64 cpu_rt_runtime = UNSET;
  g_autofree char *cpuset_cpus = NULL;
  g_autofree char *cpuset_mems = NULL;
  int blkio_weight = -1;
  g_autofree char *l3_cache_schema = NULL;
  g_autofree char *mem_bw_schema = NULL;
  const GOptionEntry entries[] = {
    { "resources", 'r', 0, G_OPTION_ARG_FILENAME, &resources,
      N_("Read the new resources from a JSON file (- for standard input)"), N_("FILE") },
    { "memory", 0, 0, G_OPTION_ARG_STRING, &memory,
      N_("Memory limit, in bytes or with a suffix (k, m, g)"), N_("BYTES") },
    { "memory-swap", 0, 0, G_OPTION_ARG_STRING, &memory_swap,
      N_("Limit of memory plus swap (-1: unlimited)"), N_("BYTES") },
    { "memory-reservation", 0, 0, G_OPTION_ARG_STRING, &memory_reservation,
      N_("Soft memory limit"), N_("BYTES") },
    { "kernel-memory", 0, 0, G_OPTION_ARG_STRING, &kernel_memory,
      N_("Kernel memory limit (cgroup v1 only; ignored on v2)"), N_("BYTES") },
    { "kernel-memory-tcp", 0, 0, G_OPTION_ARG_STRING, &kernel_memory_tcp,
      N_("Kernel TCP buffer limit (cgroup v1 only; ignored on v2)"), N_("BYTES") },
    { "pids-limit", 0, 0, G_OPTION_ARG_INT64, &pids_limit,
      N_("Maximum number of processes (-1: unlimited)"), N_("N") },
    { "cpu-quota", 0, 0, G_OPTION_ARG_INT64, &cpu_quota,
      N_("CPU time allowed per period, in microseconds"), N_("USEC") },
    { "cpu-period", 0, 0, G_OPTION_ARG_INT64, &cpu_period,
      N_("Length of the CPU quota period, in microseconds"), N_("USEC") },
    { "cpu-share", 0, 0, G_OPTION_ARG_INT64, &cpu_share,
      N_("Relative CPU weight, in cgroup v1 shares"), N_("SHARES") },
    { "cpu-rt-period", 0, 0, G_OPTION_ARG_INT64, &cpu_rt_period,
      N_("Real-time scheduling period, in microseconds"), N_("USEC") },
    { "cpu-rt-runtime", 0, 0, G_OPTION_ARG_INT64, &cpu_rt_runtime,
      N_("Real-time run time allowed per period, in microseconds"), N_("USEC") },
    { "cpuset-cpus", 0, 0, G_OPTION_ARG_STRING, &cpuset_cpus,
      N_("CPUs the container may run on (e.g. 0-3,6)"), N_("LIST") },
    { "cpuset-mems", 0, 0, G_OPTION_ARG_STRING, &cpuset_mems,
      N_("Memory nodes the container may use (e.g. 0,1)"), N_("LIST") },
    { "blkio-weight", 0, 0, G_OPTION_ARG_INT, &blkio_weight,
      N_("Relative block I/O weight, 10 to 1000"), N_("WEIGHT") },
    { "l3-cache-schema", 0, 0, G_OPTION_ARG_STRING, &l3_cache_schema,
      N_("Intel RDT L3 cache schema"), N_("SCHEMA") },
    { "mem-bw-schema", 0, 0, G_OPTION_ARG_STRING, &mem_bw_schema,
      N_("Intel RDT memory bandwidth schema"), N_("SCHEMA") },
    { NULL },
  };
  g_autoptr (UrunSpecResources) res = NULL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  UrunRuntime runtime;
  gboolean ok;

  if (!urun_cli_parse_command (cli, entries, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, 1, error))
    return -1;
  if (l3_cache_schema != NULL || mem_bw_schema != NULL)
    {
      urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                 _("--l3-cache-schema and --mem-bw-schema need Intel RDT, which urun does not "
                   "support"));
      return -1;
    }

  if (resources != NULL)
    {
      gsize len = 0;
      g_autofree char *data = read_all (resources, &len, error);
      g_autofree char *name = NULL;

      if (data == NULL)
        return -1;
      name = strcmp (resources, "-") == 0 ? g_strdup ("<stdin>") : g_path_get_basename (resources);
      res = urun_spec_resources_load_data (data, (gssize) len, name, error);
      if (res == NULL)
        return -1;
    }
  else
    res = g_new0 (UrunSpecResources, 1);

  /* The options come on top of the file, as with runc. */
  if (memory || memory_swap || memory_reservation || kernel_memory || kernel_memory_tcp)
    {
      if (res->memory == NULL)
        res->memory = g_new0 (UrunSpecMemory, 1);
      if (memory && !parse_bytes ("--memory", memory, TRUE, &res->memory->limit, error))
        return -1;
      res->memory->has_limit |= memory != NULL;
      if (memory_swap && !parse_bytes ("--memory-swap", memory_swap, TRUE, &res->memory->swap, error))
        return -1;
      res->memory->has_swap |= memory_swap != NULL;
      if (memory_reservation
          && !parse_bytes ("--memory-reservation", memory_reservation, TRUE,
                           &res->memory->reservation, error))
        return -1;
      res->memory->has_reservation |= memory_reservation != NULL;
      if (kernel_memory_tcp
          && !parse_bytes ("--kernel-memory-tcp", kernel_memory_tcp, TRUE,
                           &res->memory->kernel_tcp, error))
        return -1;
      res->memory->has_kernel_tcp |= kernel_memory_tcp != NULL;
    }
  if (pids_limit != UNSET)
    {
      if (res->pids == NULL)
        res->pids = g_new0 (UrunSpecPids, 1);
      res->pids->limit = pids_limit;
    }
  if (cpu_quota != UNSET || cpu_period != UNSET || cpu_share != UNSET || cpu_rt_period != UNSET
      || cpu_rt_runtime != UNSET || cpuset_cpus || cpuset_mems)
    {
      if (res->cpu == NULL)
        res->cpu = g_new0 (UrunSpecCpu, 1);
      if (cpu_quota != UNSET)
        res->cpu->quota = cpu_quota, res->cpu->has_quota = TRUE;
      if (cpu_period != UNSET)
        {
          if (cpu_period <= 0)
            {
              urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                         _("invalid value `%lld` for %s: expected a positive "
                           "number of microseconds"), (long long) cpu_period, "--cpu-period");
              return -1;
            }
          res->cpu->period = (guint64) cpu_period, res->cpu->has_period = TRUE;
        }
      if (cpu_share != UNSET)
        {
          if (cpu_share < 0)
            {
              urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                         _("invalid value `%lld` for %s: expected a positive "
                           "number of shares"), (long long) cpu_share, "--cpu-share");
              return -1;
            }
          res->cpu->shares = (guint64) cpu_share, res->cpu->has_shares = TRUE;
        }
      if (cpu_rt_period != UNSET)
        res->cpu->realtime_period = (guint64) MAX (cpu_rt_period, 0),
        res->cpu->has_realtime_period = TRUE;
      if (cpu_rt_runtime != UNSET)
        res->cpu->realtime_runtime = cpu_rt_runtime, res->cpu->has_realtime_runtime = TRUE;
      if (cpuset_cpus)
        g_free (res->cpu->cpus), res->cpu->cpus = g_strdup (cpuset_cpus);
      if (cpuset_mems)
        g_free (res->cpu->mems), res->cpu->mems = g_strdup (cpuset_mems);
    }
  if (blkio_weight >= 0)
    {
      if (blkio_weight < 10 || blkio_weight > 1000)
        {
          urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                     _("invalid value `%d` for %s: expected a weight from 10 to 1000"),
                     blkio_weight, "--blkio-weight");
          return -1;
        }
      if (res->block_io == NULL)
        res->block_io = g_new0 (UrunSpecBlockIO, 1);
      res->block_io->weight = (guint16) blkio_weight;
      res->block_io->has_weight = TRUE;
    }

  urun_cli_runtime (cli, &runtime);
  ok = urun_container_update (&runtime, argv[1], res, warnings, error);
  urun_cli_print_warnings (warnings);
  return ok ? 0 : -1;
}
