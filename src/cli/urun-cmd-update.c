/* urun-cmd-update.c: the `update` command: change the resource limits of a
 * container, from a JSON file (linux.resources of the spec) or from the
 * options.  Zone: CLI: it parses the flags; the library builds the
 * resources (spec/urun-spec-resources-update.h). */
#include "config.h"

#include "urun-cli.h"
#include "container/urun-container-cgroup.h"
#include "util/urun-error.h"
#include "util/urun-json-file.h"
#include "spec/urun-spec-resources-update.h"
#include "cgroup/urun-systemd-property.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Not given: the options keep what the container has. */
#define UNSET G_MININT64
#define UNSET_INT G_MININT

/* FILE, or standard input for "-"; bounded as every JSON document urun
 * reads. */
static char *
read_resources (const char *path, gsize *out_len, GError **error)
{
  if (strcmp (path, "-") == 0)
    return urun_json_read_fd (STDIN_FILENO, "<stdin>", URUN_JSON_MAX_SIZE, out_len, error);
  return urun_json_read_at (AT_FDCWD, path, URUN_JSON_MAX_SIZE, URUN_JSON_READ_DEFAULT, out_len,
                            error);
}

/* An option for an unsigned field (UNSET: not given): the range is
 * checked with the rest of the resources, but a negative value must not
 * wrap around on the way. */
static gboolean
unsigned_option (const char *option, gint64 value, guint64 max, gboolean *out_given,
                 guint64 *out, GError **error)
{
  if (value == UNSET)
    return TRUE;
  if (value < 0 || (guint64) value > max)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      _("invalid value `%lld` for %s: expected a number from 0 to %llu"),
                      (long long) value, option, (unsigned long long) max);
  *out = (guint64) value;
  *out_given = TRUE;
  return TRUE;
}

/* "512m", "1G", "1048576", "-1" (unlimited). */
static gboolean
parse_bytes (const char *option, const char *text, gint64 *out, GError **error)
{
  guint64 n;

  if (strcmp (text, "-1") == 0)
    {
      *out = -1;
      return TRUE;
    }
  if (!urun_systemd_parse_size (text, &n) || n > (guint64) G_MAXINT64)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      _("invalid value `%s` for %s: expected bytes, optionally with a k, m or g "
                        "suffix%s"), text, option, _(", or -1 for unlimited"));
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
  int blkio_weight = UNSET_INT;
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
  UrunSpecResourcesUpdate update = { 0 };
  guint64 weight = 0;
  g_autoptr (UrunSpecResources) res = NULL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;
  gsize len = 0;
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
      data = read_resources (resources, &len, error);
      if (data == NULL)
        return -1;
      name = strcmp (resources, "-") == 0 ? g_strdup ("<stdin>") : g_path_get_basename (resources);
    }
  if ((memory && !parse_bytes ("--memory", memory, &update.memory, error))
      || (memory_swap && !parse_bytes ("--memory-swap", memory_swap, &update.memory_swap, error))
      || (memory_reservation && !parse_bytes ("--memory-reservation", memory_reservation,
                                              &update.memory_reservation, error))
      || (kernel_memory_tcp && !parse_bytes ("--kernel-memory-tcp", kernel_memory_tcp,
                                             &update.kernel_memory_tcp, error)))
    return -1;
  update.has_memory = memory != NULL;
  update.has_memory_swap = memory_swap != NULL;
  update.has_memory_reservation = memory_reservation != NULL;
  update.kernel_memory = kernel_memory != NULL;
  update.has_kernel_memory_tcp = kernel_memory_tcp != NULL;
  update.has_pids_limit = pids_limit != UNSET, update.pids_limit = pids_limit;
  update.has_cpu_quota = cpu_quota != UNSET, update.cpu_quota = cpu_quota;
  update.has_cpu_rt_runtime = cpu_rt_runtime != UNSET, update.cpu_rt_runtime = cpu_rt_runtime;
  update.cpuset_cpus = cpuset_cpus;
  update.cpuset_mems = cpuset_mems;
  if (!unsigned_option ("--cpu-period", cpu_period, G_MAXUINT64, &update.has_cpu_period,
                        &update.cpu_period, error)
      || !unsigned_option ("--cpu-share", cpu_share, G_MAXUINT64, &update.has_cpu_shares,
                           &update.cpu_shares, error)
      || !unsigned_option ("--cpu-rt-period", cpu_rt_period, G_MAXUINT64,
                           &update.has_cpu_rt_period, &update.cpu_rt_period, error)
      || !unsigned_option ("--blkio-weight", blkio_weight == UNSET_INT ? UNSET : blkio_weight,
                           G_MAXUINT16, &update.has_blkio_weight, &weight, error))
    return -1;
  update.blkio_weight = (guint16) weight;

  res = urun_spec_resources_build_update (data, len, name, &update, error);
  if (res == NULL)
    return -1;
  urun_cli_runtime (cli, &runtime);
  ok = urun_container_update (&runtime, argv[1], res, warnings, error);
  urun_cli_print_warnings (warnings);
  return ok ? 0 : -1;
}
