/* urun-cmd-update.c: the `update` command: change the resource limits of a
 * container, from a JSON file (linux.resources of the spec) or from the
 * options.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"

int
urun_cmd_update (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *resources = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *memory_swap = NULL;
  g_autofree char *memory_reservation = NULL;
  g_autofree char *kernel_memory = NULL;
  g_autofree char *kernel_memory_tcp = NULL;
  gint64 pids_limit = 0;
  gint64 cpu_quota = 0;
  gint64 cpu_period = 0;
  gint64 cpu_share = 0;
  gint64 cpu_rt_period = 0;
  gint64 cpu_rt_runtime = 0;
  g_autofree char *cpuset_cpus = NULL;
  g_autofree char *cpuset_mems = NULL;
  int blkio_weight = 0;
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

  if (!urun_cli_parse_command (cli, entries, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, 1, error))
    return -1;
  return urun_cli_not_implemented (cli, error);
}
