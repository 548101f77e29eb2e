/* urun-spec-validate-process.c: the checks of a process object, the
 * config's `process` or an exec's process.json (see urun-spec-check.h).
 *
 * Zone: host side (GLib).
 */
#include "config.h"

#include "spec/urun-spec-check.h"
#include "spec/urun-spec-names.h"
#include "spec/urun-spec-private.h"

#include <string.h>

static gboolean
known_sched_flag (const char *name)
{
  guint64 v;

  return urun_sched_flag_from_name (name, &v);
}

static gboolean
is_cpu_list (const char *s)
{
  return strspn (s, "0123456789, -") == strlen (s);
}

gboolean
urun_spec_check_process (UrunSpecCheck *c, const char *prefix, const UrunSpecProcess *process)
{
  g_autofree char *where = NULL;

#define AT(...) (g_free (where), where = g_strdup_printf (__VA_ARGS__))

  if (!urun_spec_check_absolute (c, AT ("%scwd", prefix), process->cwd))
    return FALSE;

  if (process->args != NULL && process->args[0] == NULL)
    return urun_spec_check_fail (c, AT ("%sargs", prefix), "expected at least one argument");

  if (process->user != NULL)
    {
      const UrunSpecUser *user = process->user;

      if (!urun_spec_check_id (c, AT ("%suser.uid", prefix), user->uid)
          || !urun_spec_check_id (c, AT ("%suser.gid", prefix), user->gid))
        return FALSE;
      for (gsize i = 0; i < user->n_additional_gids; i++)
        if (!urun_spec_check_id (c, AT ("%suser.additionalGids[%zu]", prefix, i),
                                 user->additional_gids[i]))
          return FALSE;
    }

  /* process.capabilities: an unknown name is no error (runtime-spec 1.1:
   * the runtime logs it and goes on); the plan warns about it
   * (urun-plan-security.c). */

  /* config.md: duplicated rlimit types are an error. */
  for (gsize i = 0; i < process->n_rlimits; i++)
    {
      const char *type = process->rlimits[i].type;
      int resource;

      if (!urun_rlimit_from_name (type, &resource))
        return urun_spec_check_unknown (c, AT ("%srlimits[%zu].type", prefix, i), "rlimit type",
                                        type);
      for (gsize j = 0; j < i; j++)
        if (g_strcmp0 (process->rlimits[j].type, type) == 0)
          {
            g_autofree char *quoted = urun_spec_quote (type);

            return urun_spec_check_fail (c, AT ("%srlimits[%zu].type", prefix, i),
                                         "duplicate rlimit type %s", quoted);
          }
    }

  if (process->has_oom_score_adj
      && !urun_spec_check_range (c, AT ("%soomScoreAdj", prefix), process->oom_score_adj, -1000,
                                 1000))
    return FALSE;

  if (process->scheduler != NULL)
    {
      int policy;

      if (!urun_sched_policy_from_name (process->scheduler->policy, &policy))
        return urun_spec_check_unknown (c, AT ("%sscheduler.policy", prefix), "scheduler policy",
                                        process->scheduler->policy);
      if (!urun_spec_check_names (c, AT ("%sscheduler.flags", prefix), process->scheduler->flags,
                                  "scheduler flag", known_sched_flag))
        return FALSE;
    }

  if (process->io_priority != NULL)
    {
      int klass;

      if (!urun_ioprio_class_from_name (process->io_priority->class_, &klass))
        return urun_spec_check_unknown (c, AT ("%sioPriority.class", prefix), "I/O priority class",
                                        process->io_priority->class_);
      if (process->io_priority->has_priority
          && !urun_spec_check_range (c, AT ("%sioPriority.priority", prefix),
                                     process->io_priority->priority, 0, 7))
        return FALSE;
    }

  if (process->exec_cpu_affinity != NULL)
    {
      const UrunSpecCpuAffinity *affinity = process->exec_cpu_affinity;

      if (affinity->initial != NULL && !is_cpu_list (affinity->initial))
        return urun_spec_check_invalid (c, AT ("%sexecCPUAffinity.initial", prefix), "CPU list",
                                        affinity->initial);
      if (affinity->final != NULL && !is_cpu_list (affinity->final))
        return urun_spec_check_invalid (c, AT ("%sexecCPUAffinity.final", prefix), "CPU list",
                                        affinity->final);
    }

#undef AT
  return TRUE;
}

gboolean
urun_spec_process_validate (const UrunSpecProcess *process, const char *filename, GError **error)
{
  UrunSpecCheck c = { filename, error };

  g_return_val_if_fail (process != NULL, FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  if (process->cwd == NULL)
    return urun_spec_check_fail (&c, "cwd", "missing required field");
  if (process->user == NULL)
    return urun_spec_check_fail (&c, "user", "missing required field");
  return urun_spec_check_process (&c, "", process);
}
