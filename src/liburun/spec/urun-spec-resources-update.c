/* urun-spec-resources-update.c: the new resources of `update` (see
 * urun-spec-resources-update.h).  Zone: host side (GLib).
 */
#include "config.h"

#include "spec/urun-spec-resources-update.h"

/* The options given, as pairs (path below the resources, option name),
 * for urun_spec_resources_validate() to name them in its messages. */
#define GIVEN(PATH, OPTION) (g_ptr_array_add (given, (gpointer) (PATH)), \
                             g_ptr_array_add (given, (gpointer) (OPTION)))

static void
apply_memory (UrunSpecResources *res, const UrunSpecResourcesUpdate *u, GPtrArray *given)
{
  UrunSpecMemory *memory;

  if (!u->has_memory && !u->has_memory_swap && !u->has_memory_reservation && !u->kernel_memory
      && !u->has_kernel_memory_tcp)
    return;
  if (res->memory == NULL)
    res->memory = g_new0 (UrunSpecMemory, 1);
  memory = res->memory;
  if (u->has_memory)
    {
      memory->limit = u->memory, memory->has_limit = TRUE;
      GIVEN ("memory.limit", "--memory");
    }
  if (u->has_memory_swap)
    {
      memory->swap = u->memory_swap, memory->has_swap = TRUE;
      GIVEN ("memory.swap", "--memory-swap");
    }
  if (u->has_memory_reservation)
    {
      memory->reservation = u->memory_reservation, memory->has_reservation = TRUE;
      GIVEN ("memory.reservation", "--memory-reservation");
    }
  if (u->has_kernel_memory_tcp)
    {
      memory->kernel_tcp = u->kernel_memory_tcp, memory->has_kernel_tcp = TRUE;
      GIVEN ("memory.kernelTCP", "--kernel-memory-tcp");
    }
}

static void
apply_cpu (UrunSpecResources *res, const UrunSpecResourcesUpdate *u, GPtrArray *given)
{
  UrunSpecCpu *cpu;

  if (!u->has_cpu_quota && !u->has_cpu_period && !u->has_cpu_shares && !u->has_cpu_rt_period
      && !u->has_cpu_rt_runtime && u->cpuset_cpus == NULL && u->cpuset_mems == NULL)
    return;
  if (res->cpu == NULL)
    res->cpu = g_new0 (UrunSpecCpu, 1);
  cpu = res->cpu;
  /* 0 leaves the quota, period and shares as they are, as with runc (and
   * as the checks say): written, it would reset them. */
  if (u->has_cpu_quota && u->cpu_quota != 0)
    {
      cpu->quota = u->cpu_quota, cpu->has_quota = TRUE;
      GIVEN ("cpu.quota", "--cpu-quota");
    }
  if (u->has_cpu_period && u->cpu_period != 0)
    {
      cpu->period = u->cpu_period, cpu->has_period = TRUE;
      GIVEN ("cpu.period", "--cpu-period");
    }
  if (u->has_cpu_shares && u->cpu_shares != 0)
    {
      cpu->shares = u->cpu_shares, cpu->has_shares = TRUE;
      GIVEN ("cpu.shares", "--cpu-share");
    }
  if (u->has_cpu_rt_period)
    {
      cpu->realtime_period = u->cpu_rt_period, cpu->has_realtime_period = TRUE;
      GIVEN ("cpu.realtimePeriod", "--cpu-rt-period");
    }
  if (u->has_cpu_rt_runtime)
    {
      cpu->realtime_runtime = u->cpu_rt_runtime, cpu->has_realtime_runtime = TRUE;
      GIVEN ("cpu.realtimeRuntime", "--cpu-rt-runtime");
    }
  if (u->cpuset_cpus != NULL)
    {
      g_free (cpu->cpus), cpu->cpus = g_strdup (u->cpuset_cpus);
      GIVEN ("cpu.cpus", "--cpuset-cpus");
    }
  if (u->cpuset_mems != NULL)
    {
      g_free (cpu->mems), cpu->mems = g_strdup (u->cpuset_mems);
      GIVEN ("cpu.mems", "--cpuset-mems");
    }
}

UrunSpecResources *
urun_spec_resources_build_update (const char *data, gsize len, const char *filename,
                                  const UrunSpecResourcesUpdate *update, GError **error)
{
  g_autoptr (UrunSpecResources) res = NULL;
  g_autoptr (GPtrArray) given = g_ptr_array_new ();

  g_return_val_if_fail (update != NULL, NULL);
  g_return_val_if_fail (data == NULL || filename != NULL, NULL);

  if (data != NULL)
    {
      res = urun_spec_resources_load_data (data, (gssize) len, filename, error);
      if (res == NULL)
        return NULL;
    }
  else
    res = g_new0 (UrunSpecResources, 1);

  /* The options come on top of the file, as with runc. */
  apply_memory (res, update, given);
  if (update->has_pids_limit)
    {
      if (res->pids == NULL)
        res->pids = g_new0 (UrunSpecPids, 1);
      res->pids->limit = update->pids_limit;
      GIVEN ("pids.limit", "--pids-limit");
    }
  apply_cpu (res, update, given);
  if (update->has_blkio_weight)
    {
      if (res->block_io == NULL)
        res->block_io = g_new0 (UrunSpecBlockIO, 1);
      res->block_io->weight = update->blkio_weight, res->block_io->has_weight = TRUE;
      GIVEN ("blockIO.weight", "--blkio-weight");
    }

  g_ptr_array_add (given, NULL);
  if (!urun_spec_resources_validate (res, data != NULL ? filename : "update", "",
                                     (const char *const *) given->pdata, error))
    return NULL;
  return g_steal_pointer (&res);
}
