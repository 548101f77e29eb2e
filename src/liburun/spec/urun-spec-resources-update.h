/* urun-spec-resources-update.h: the new resources of `update`: a
 * --resources document with the command line's options on top, as runc
 * builds them.
 *
 * Zone: host side (GLib), pure: the unit tests drive it.  The CLI parses
 * the flags into a UrunSpecResourcesUpdate (sizes, ranges of its integer
 * types); what they mean for the resources is decided here.
 */
#pragma once

#include <glib.h>

#include "spec/urun-spec.h"

G_BEGIN_DECLS

/* The options of `update`; each value counts only with its has_ flag. */
typedef struct
{
  gboolean has_memory;
  gint64 memory;                     /* --memory, bytes; -1: unlimited */
  gboolean has_memory_swap;
  gint64 memory_swap;                /* --memory-swap */
  gboolean has_memory_reservation;
  gint64 memory_reservation;         /* --memory-reservation */
  gboolean kernel_memory;            /* --kernel-memory given: cgroup v1 only, ignored */
  gboolean has_kernel_memory_tcp;
  gint64 kernel_memory_tcp;          /* --kernel-memory-tcp */
  gboolean has_pids_limit;
  gint64 pids_limit;                 /* --pids-limit; -1: unlimited */
  gboolean has_cpu_quota;
  gint64 cpu_quota;                  /* --cpu-quota, us; 0: left as it is */
  gboolean has_cpu_period;
  guint64 cpu_period;                /* --cpu-period, us; 0: left as it is */
  gboolean has_cpu_shares;
  guint64 cpu_shares;                /* --cpu-share; 0: left as it is */
  gboolean has_cpu_rt_period;
  guint64 cpu_rt_period;             /* --cpu-rt-period, us */
  gboolean has_cpu_rt_runtime;
  gint64 cpu_rt_runtime;             /* --cpu-rt-runtime, us */
  const char *cpuset_cpus;           /* --cpuset-cpus, or NULL */
  const char *cpuset_mems;           /* --cpuset-mems, or NULL */
  gboolean has_blkio_weight;
  guint16 blkio_weight;              /* --blkio-weight */
} UrunSpecResourcesUpdate;

/* The resources `update` writes: the --resources document @data (@len
 * bytes, named @filename in errors; NULL: none, an empty one) with the
 * options of @update on top, checked as a whole with
 * urun_spec_resources_validate() before anything is written (a value the
 * kernel refuses would fail halfway, with some limits already changed).
 * A bad value from an option is URUN_ERROR_INVALID_ARGUMENT naming the
 * option; without a document, the file name of messages is "update".
 * Free with urun_spec_resources_free(). */
UrunSpecResources *urun_spec_resources_build_update (const char *data, gsize len,
                                                     const char *filename,
                                                     const UrunSpecResourcesUpdate *update,
                                                     GError **error);

G_END_DECLS
