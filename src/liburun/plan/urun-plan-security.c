/* urun-plan-security.c: the security profile part of the init plan (see
 * urun-plan-build.h).  Zone: host side (GLib).
 *
 * Everything init applies between clone() and execve() to confine the
 * process is resolved here into numbers and bit masks: capability names,
 * the seccomp filter (compiled to BPF), LSM labels, scheduler, I/O priority,
 * CPU and NUMA node lists.  urun-init-security.c applies them.
 */
#include "config.h"

#include "plan/urun-plan-parts.h"
#include "util/urun-error.h"
#include "plan/urun-seccomp.h"
#include "spec/urun-spec-names.h"
#include "util/urun-file.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#define CAP_LAST_CAP_PATH "/proc/sys/kernel/cap_last_cap"
#define APPARMOR_ENABLED_PATH "/sys/module/apparmor/parameters/enabled"
#define SELINUX_ENFORCE_PATH "/sys/fs/selinux/enforce"

/* The kernel's limit on a filter (BPF_MAXINSNS). */
#define SECCOMP_MAX_INSTRUCTIONS 4096

/* Bounds a CPU or node number, so that a typo cannot make us allocate
 * gigabytes; the kernel's own limits are far below. */
#define MAX_ID_IN_LIST 65535

/* What a CPU mask without a list covers: every CPU the C library knows of
 * (CPU_SETSIZE), and more when the machine has more. */
#define ALL_CPUS_MIN 1024

#define BITS_PER_LONG (8 * sizeof (gulong))

static int
read_cap_last (void)
{
  g_autofree char *text = NULL;
  gint64 value;

  if ((text = urun_file_read (CAP_LAST_CAP_PATH, NULL, NULL)) == NULL)
    return URUN_CAP_LAST;
  value = g_ascii_strtoll (text, NULL, 10);
  return value > 0 && value < 64 ? (int) value : URUN_CAP_LAST;
}

static void
note_once (GPtrArray *names, char *name)
{
  if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
    g_ptr_array_add (names, name);
}

static void
add_caps (char **names, int cap_last, guint64 *mask, GPtrArray *skipped, GPtrArray *unknown)
{
  for (gsize i = 0; names != NULL && names[i] != NULL; i++)
    {
      int cap;

      if (!urun_capability_from_name (names[i], &cap))
        note_once (unknown, names[i]);
      else if (cap > cap_last)
        note_once (skipped, names[i]);
      else
        *mask |= G_GUINT64_CONSTANT (1) << cap;
    }
}

/* "A, B" of @names (which it ends), or NULL when it is empty. */
static char *
joined_names (GPtrArray *names)
{
  if (names->len == 0)
    return NULL;
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

static char *
cap_mask_names (guint64 mask)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  for (int cap = 0; cap < 64; cap++)
    if (mask & (G_GUINT64_CONSTANT (1) << cap))
      g_ptr_array_add (names, (gpointer) (urun_capability_to_name (cap) ?: "?"));
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

static void
warn (const UrunPlanOptions *options, char *message)
{
  if (options->warnings != NULL)
    g_ptr_array_add (options->warnings, message);
  else
    {
      g_debug ("%s", message);
      g_free (message);
    }
}

/* process.capabilities.  Absent: init leaves the capabilities alone, so
 * that the process keeps what its user has, as before (the spec gives no
 * default).  Present: each set is what it lists, an absent set being
 * empty.  config.md: a capability that "cannot be granted" is logged as a
 * warning, and runtimes SHOULD NOT fail for it; so one that the running
 * kernel does not know, a name that is no capability at all (CAP_FOO, as
 * runc 1.1 and crun ignore it), or one that the kernel would refuse in its
 * set (see below), is left out with a warning. */
static void
plan_capabilities (UrunPlanOwner *owner, const UrunSpecProcess *process,
                   const UrunPlanOptions *options)
{
  UrunInitPlan *plan = &owner->plan;
  const UrunSpecCapabilities *caps = process->capabilities;
  g_autoptr (GPtrArray) skipped = g_ptr_array_new ();
  g_autoptr (GPtrArray) unknown = g_ptr_array_new ();
  g_autofree char *kernel_unknown = NULL;
  g_autofree char *not_capabilities = NULL;
  guint64 refused;

  plan->cap_last = options->cap_last > 0 ? options->cap_last : read_cap_last ();
  if (caps == NULL)
    return;
  plan->has_capabilities = TRUE;
  add_caps (caps->bounding, plan->cap_last, &plan->cap_bounding, skipped, unknown);
  add_caps (caps->effective, plan->cap_last, &plan->cap_effective, skipped, unknown);
  add_caps (caps->permitted, plan->cap_last, &plan->cap_permitted, skipped, unknown);
  add_caps (caps->inheritable, plan->cap_last, &plan->cap_inheritable, skipped, unknown);
  add_caps (caps->ambient, plan->cap_last, &plan->cap_ambient, skipped, unknown);
  kernel_unknown = joined_names (skipped);
  if (kernel_unknown != NULL)
    warn (options, g_strdup_printf (_("capabilities unknown to the running kernel (its last "
                                      "is %d), skipped: %s"), plan->cap_last, kernel_unknown));
  not_capabilities = joined_names (unknown);
  if (not_capabilities != NULL)
    warn (options, g_strdup_printf (_("unknown capabilities, ignored: %s"), not_capabilities));

  /* capset(2) refuses an effective capability that is not permitted and,
   * once the uid changed, an inheritable one outside the bounding set;
   * PR_CAP_AMBIENT_RAISE one that is not both permitted and inheritable. */
  refused = plan->cap_effective & ~plan->cap_permitted;
  if (refused != 0)
    {
      g_autofree char *names = cap_mask_names (refused);
      warn (options, g_strdup_printf (_("effective capabilities that are not permitted, "
                                        "skipped: %s"), names));
      plan->cap_effective &= plan->cap_permitted;
    }
  refused = plan->cap_inheritable & ~plan->cap_bounding;
  if (refused != 0)
    {
      g_autofree char *names = cap_mask_names (refused);
      warn (options, g_strdup_printf (_("inheritable capabilities outside the bounding set, "
                                        "skipped: %s"), names));
      plan->cap_inheritable &= plan->cap_bounding;
    }
  refused = plan->cap_ambient & ~(plan->cap_permitted & plan->cap_inheritable);
  if (refused != 0)
    {
      g_autofree char *names = cap_mask_names (refused);
      warn (options, g_strdup_printf (_("ambient capabilities that are not both permitted "
                                        "and inheritable, skipped: %s"), names));
      plan->cap_ambient &= plan->cap_permitted & plan->cap_inheritable;
    }
}

static gboolean
plan_seccomp (UrunPlanOwner *owner, const UrunSpec *spec, GError **error)
{
  UrunInitPlan *plan = &owner->plan;
  UrunSeccompProgram program = { 0 };

  if (spec->linux_ == NULL || spec->linux_->seccomp == NULL)
    return TRUE;
  if (!urun_seccomp_compile (spec->linux_->seccomp, &program, error))
    return FALSE;
  if (program.n_instructions > SECCOMP_MAX_INSTRUCTIONS)
    {
      urun_seccomp_program_clear (&program);
      return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                        "config.json: linux.seccomp: the filter compiles to %" G_GSIZE_FORMAT
                        " BPF instructions, more than the kernel's limit of %d",
                        program.n_instructions, SECCOMP_MAX_INSTRUCTIONS);
    }
  plan->seccomp_bpf = urun_plan_owner_keep (owner, g_steal_pointer (&program.bpf));
  plan->seccomp_len = (unsigned short) program.n_instructions;
  plan->seccomp_flags = program.flags;
  plan->seccomp_notify = program.uses_notify;
  return TRUE;
}

static gboolean
apparmor_enabled (void)
{
  g_autofree char *text = NULL;

  return (text = urun_file_read (APPARMOR_ENABLED_PATH, NULL, NULL)) != NULL && text[0] == 'Y';
}

static gboolean
selinux_enabled (void)
{
  return g_file_test (SELINUX_ENFORCE_PATH, G_FILE_TEST_EXISTS);
}

/* config.md asks for the label when the LSM is there; a label that cannot
 * be applied is an error rather than a container that silently runs
 * unconfined. */
static gboolean
plan_lsm (UrunPlanOwner *owner, const UrunSpec *spec, GError **error)
{
  UrunInitPlan *plan = &owner->plan;
  const UrunSpecProcess *process = spec->process;
  const char *mount_label = spec->linux_ != NULL ? spec->linux_->mount_label : NULL;

  if (process->apparmor_profile != NULL && process->apparmor_profile[0] != '\0')
    {
      if (!apparmor_enabled ())
        return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                          "config.json: process.apparmorProfile: \"%s\" is set but AppArmor is "
                          "not enabled on this host", process->apparmor_profile);
      plan->apparmor_exec = urun_plan_owner_keep (
        owner, g_strdup_printf ("exec %s", process->apparmor_profile));
    }
  if (process->selinux_label != NULL && process->selinux_label[0] != '\0')
    {
      if (!selinux_enabled ())
        return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                          "config.json: process.selinuxLabel: \"%s\" is set but SELinux is not "
                          "enabled on this host", process->selinux_label);
      plan->selinux_label = urun_plan_owner_strdup (owner, process->selinux_label);
    }
  /* The mount label itself goes into the mounts' context= option (the
   * mount part of the plan); here only the check that it can apply. */
  if (mount_label != NULL && mount_label[0] != '\0' && !selinux_enabled ())
    return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                      "config.json: linux.mountLabel: \"%s\" is set but SELinux is not enabled "
                      "on this host", mount_label);
  return TRUE;
}

gboolean
urun_plan_parse_id_list (const char *list, const char *what, gulong **out_mask,
                         gsize *out_nbits, GError **error)
{
  g_auto (GStrv) items = NULL;
  g_autofree gulong *mask = NULL;
  guint64 highest = 0;
  gboolean any = FALSE;

  if (list == NULL || list[0] == '\0')
    {
      *out_mask = NULL;
      *out_nbits = 0;
      return TRUE;
    }
  items = g_strsplit (list, ",", -1);
  /* Two passes: the highest number sizes the mask. */
  for (int pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        mask = g_new0 (gulong, highest / BITS_PER_LONG + 1);
      for (gsize i = 0; items[i] != NULL; i++)
        {
          const char *item = items[i];
          const char *dash = strchr (item, '-');
          g_autofree char *first_text = g_strndup (item, dash ? (gsize) (dash - item) : strlen (item));
          guint64 first, last;

          if (!g_ascii_string_to_unsigned (first_text, 10, 0, MAX_ID_IN_LIST, &first, NULL)
              || (dash != NULL
                  && !g_ascii_string_to_unsigned (dash + 1, 10, 0, MAX_ID_IN_LIST, &last, NULL)))
            return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                              "config.json: %s: invalid list \"%s\": expected numbers and "
                              "ranges such as \"0-3,7\"", what, list);
          if (dash == NULL)
            last = first;
          if (last < first)
            return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                              "config.json: %s: invalid range \"%s\" in \"%s\"", what, item, list);
          if (pass == 0)
            highest = MAX (highest, last);
          else
            for (guint64 id = first; id <= last; id++)
              mask[id / BITS_PER_LONG] |= 1UL << (id % BITS_PER_LONG);
          any = TRUE;
        }
    }
  g_assert (any);
  *out_mask = g_steal_pointer (&mask);
  *out_nbits = highest + 1;
  return TRUE;
}

/* process.execCPUAffinity.  config.md: `initial` is where the runtime's
 * process runs before it moves into the container's cgroup, `final` where
 * the process runs after; without `final` it gets the cgroup's CPUs, which
 * a mask of every CPU asks for (the kernel intersects it with the cpuset).
 * The spec writes this for `exec`; urun applies it to the container's own
 * process too, the way it would to an exec'd one (see urun-init-security.c). */
static gboolean
plan_cpu_affinity (UrunPlanOwner *owner, const UrunSpecProcess *process, GError **error)
{
  UrunInitPlan *plan = &owner->plan;
  const UrunSpecCpuAffinity *affinity = process->exec_cpu_affinity;
  gulong *mask = NULL;
  gsize nbits = 0;

  if (affinity == NULL)
    return TRUE;
  if (!urun_plan_parse_id_list (affinity->initial, "process.execCPUAffinity.initial", &mask,
                                &nbits, error))
    return FALSE;
  if (mask != NULL)
    {
      plan->cpu_affinity_initial = urun_plan_owner_keep (owner, mask);
      plan->cpu_affinity_initial_size = (nbits + BITS_PER_LONG - 1) / BITS_PER_LONG * sizeof (gulong);
    }
  if (!urun_plan_parse_id_list (affinity->final, "process.execCPUAffinity.final", &mask, &nbits,
                                error))
    return FALSE;
  if (mask == NULL && plan->cpu_affinity_initial != NULL)
    {
      long configured = sysconf (_SC_NPROCESSORS_CONF);

      nbits = MAX (ALL_CPUS_MIN, configured > 0 ? (gsize) configured : 0);
      nbits = (nbits + BITS_PER_LONG - 1) / BITS_PER_LONG * BITS_PER_LONG;
      mask = g_malloc (nbits / 8);
      memset (mask, 0xff, nbits / 8);
    }
  if (mask != NULL)
    {
      plan->cpu_affinity_final = urun_plan_owner_keep (owner, mask);
      plan->cpu_affinity_final_size = (nbits + BITS_PER_LONG - 1) / BITS_PER_LONG * sizeof (gulong);
    }
  return TRUE;
}

/* linux.memoryPolicy -> set_mempolicy(2) arguments. */
static gboolean
plan_memory_policy (UrunPlanOwner *owner, const UrunSpecMemoryPolicy *policy, GError **error)
{
  UrunInitPlan *plan = &owner->plan;
  gulong *nodes = NULL;
  gsize nbits = 0;
  int mode;

  if (policy == NULL)
    return TRUE;
  if (!urun_mempolicy_mode_from_name (policy->mode, &mode))
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: linux.memoryPolicy.mode: unknown mode \"%s\"", policy->mode);
  for (gsize i = 0; policy->flags != NULL && policy->flags[i] != NULL; i++)
    {
      guint flag;

      if (!urun_mempolicy_flag_from_name (policy->flags[i], &flag))
        return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                          "config.json: linux.memoryPolicy.flags[%" G_GSIZE_FORMAT "]: unknown "
                          "flag \"%s\"", i, policy->flags[i]);
      mode |= (int) flag;
    }
  if (!urun_plan_parse_id_list (policy->nodes, "linux.memoryPolicy.nodes", &nodes, &nbits,
                                error))
    return FALSE;

  /* set_mempolicy(2): MPOL_DEFAULT and MPOL_LOCAL take no nodes; the
   * policies that place memory on nodes need at least one (MPOL_PREFERRED
   * without nodes means "local"). */
  if (g_strcmp0 (policy->mode, "MPOL_DEFAULT") == 0 || g_strcmp0 (policy->mode, "MPOL_LOCAL") == 0)
    {
      if (nodes != NULL)
        {
          g_free (nodes);
          return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                            "config.json: linux.memoryPolicy.nodes: must be empty with %s",
                            policy->mode);
        }
    }
  else if (nodes == NULL && g_strcmp0 (policy->mode, "MPOL_PREFERRED") != 0)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: linux.memoryPolicy.nodes: %s needs at least one node",
                      policy->mode);

  plan->has_mempolicy = TRUE;
  plan->mempolicy_mode = mode;
  plan->mempolicy_nodes = urun_plan_owner_keep (owner, nodes);
  /* The kernel reads maxnode - 1 bits (a historical off-by-one that
   * numactl also feeds). */
  plan->mempolicy_maxnode = nodes != NULL ? nbits + 1 : 0;
  return TRUE;
}

static gboolean
plan_scheduling (UrunPlanOwner *owner, const UrunSpecProcess *process, GError **error)
{
  UrunInitPlan *plan = &owner->plan;

  if (process->scheduler != NULL)
    {
      const UrunSpecScheduler *sched = process->scheduler;
      int policy;

      if (!urun_sched_policy_from_name (sched->policy, &policy))
        return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                          "config.json: process.scheduler.policy: unknown policy \"%s\"",
                          sched->policy);
      plan->has_scheduler = TRUE;
      plan->sched_policy = (guint32) policy;
      plan->sched_nice = sched->nice;
      plan->sched_priority = (guint32) sched->priority;
      plan->sched_runtime = sched->runtime;
      plan->sched_deadline = sched->deadline;
      plan->sched_period = sched->period;
      for (gsize i = 0; sched->flags != NULL && sched->flags[i] != NULL; i++)
        {
          guint64 flag;

          if (!urun_sched_flag_from_name (sched->flags[i], &flag))
            return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                              "config.json: process.scheduler.flags[%" G_GSIZE_FORMAT "]: "
                              "unknown flag \"%s\"", i, sched->flags[i]);
          plan->sched_flags |= flag;
        }
    }

  if (process->io_priority != NULL)
    {
      int klass;

      if (!urun_ioprio_class_from_name (process->io_priority->class_, &klass))
        return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                          "config.json: process.ioPriority.class: unknown class \"%s\"",
                          process->io_priority->class_);
      plan->has_ioprio = TRUE;
      /* IOPRIO_PRIO_VALUE(class, level); without a level, 4, the kernel's
       * own default level of the best-effort class. */
      plan->ioprio = (klass << 13)
                     | (process->io_priority->has_priority ? process->io_priority->priority : 4);
    }
  return TRUE;
}

static gboolean
plan_personality (UrunPlanOwner *owner, const UrunSpec *spec, GError **error)
{
  const UrunSpecPersonality *personality = spec->linux_ ? spec->linux_->personality : NULL;
  gulong persona;

  if (personality == NULL)
    return TRUE;
  if (!urun_personality_domain_from_name (personality->domain, &persona))
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: linux.personality.domain: unknown domain \"%s\"",
                      personality->domain);
  /* config-linux.md: "Currently no flag values are supported"; validation
   * rejects any. */
  owner->plan.has_personality = TRUE;
  owner->plan.personality = persona;
  return TRUE;
}

gboolean
urun_plan_build_security (UrunPlanOwner *owner, const UrunSpec *spec,
                          const UrunPlanOptions *options, GError **error)
{
  const UrunSpecProcess *process = spec->process;

  g_return_val_if_fail (owner != NULL && spec != NULL && spec->process != NULL, FALSE);

  plan_capabilities (owner, process, options);
  owner->plan.no_new_privileges = process->no_new_privileges;
  return plan_lsm (owner, spec, error)
         && plan_seccomp (owner, spec, error)
         && plan_personality (owner, spec, error)
         && plan_scheduling (owner, process, error)
         && plan_cpu_affinity (owner, process, error)
         && plan_memory_policy (owner, spec->linux_ ? spec->linux_->memory_policy : NULL, error);
}
