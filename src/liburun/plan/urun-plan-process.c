/* urun-plan-process.c: the process part of a plan, alike for init and an
 * exec (see urun-plan-parts.h).  Zone: host side (GLib).
 */
#include "config.h"

#include "plan/urun-plan-parts.h"
#include "util/urun-error.h"
#include "spec/urun-spec-names.h"

#include <limits.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Room for the home directory init writes after "HOME=". */
#define HOME_ENV_SIZE (sizeof "HOME=" + PATH_MAX)

/* Sets plan->envp from @process_env (copied into @owner).  With
 * @listen_fds > 0, LISTEN_FDS is that count and LISTEN_PID=1 (the payload is
 * pid 1 of socket activation inside).  Without HOME, adds the entry init
 * fills from the container's /etc/passwd (plan->home_env). */
static void
set_environment (UrunPlanOwner *owner, char *const *process_env, int listen_fds)
{
  g_autoptr (GPtrArray) env = g_ptr_array_new ();
  g_autofree char *listen = listen_fds > 0 ? g_strdup_printf ("LISTEN_FDS=%d", listen_fds) : NULL;
  gboolean has_home = FALSE;
  char **envp;

  for (gsize i = 0; process_env != NULL && process_env[i] != NULL; i++)
    {
      /* Socket activation: the caller's count, and the payload, which is
       * pid 1 inside, as the receiver. */
      if (listen_fds > 0 && (g_str_has_prefix (process_env[i], "LISTEN_FDS=")
                             || g_str_has_prefix (process_env[i], "LISTEN_PID=")))
        continue;
      if (g_str_has_prefix (process_env[i], "HOME="))
        has_home = TRUE;
      g_ptr_array_add (env, process_env[i]);
    }
  if (listen != NULL)
    {
      g_ptr_array_add (env, listen);
      g_ptr_array_add (env, (gpointer) "LISTEN_PID=1");
    }
  /* Each string copied into the owner; the HOME entry is the owner's own,
   * writable buffer, which init fills in its copy of this memory. */
  envp = urun_plan_owner_keep (owner, g_new0 (char *, env->len + 2));
  for (guint i = 0; i < env->len; i++)
    envp[i] = (char *) urun_plan_owner_strdup (owner, g_ptr_array_index (env, i));
  if (!has_home)
    {
      owner->plan.home_env = urun_plan_owner_keep (owner, g_malloc0 (HOME_ENV_SIZE));
      g_strlcpy (owner->plan.home_env, "HOME=/", HOME_ENV_SIZE);
      envp[env->len] = owner->plan.home_env;
    }
  owner->plan.envp = envp;
}

gboolean
urun_plan_set_process (UrunPlanOwner *owner, const UrunSpecProcess *process, int listen_fds,
                       const char *rlimits_what, GError **error)
{
  UrunInitPlan *plan = &owner->plan;
  const char *path;

  if (process->terminal && process->console_size != NULL)
    {
      plan->console_rows = (unsigned short) MIN (process->console_size->height, G_MAXUSHORT);
      plan->console_cols = (unsigned short) MIN (process->console_size->width, G_MAXUSHORT);
    }

  plan->argv = urun_plan_owner_strdupv (owner, process->args);
  set_environment (owner, process->env, listen_fds);
  path = g_environ_getenv ((char **) process->env, "PATH");
  plan->path_env = urun_plan_owner_strdup (owner, path ? path : DEFAULT_PATH);

  plan->uid = process->user->uid;
  plan->gid = process->user->gid;
  if (process->user->n_additional_gids > 0)
    plan->additional_gids = urun_plan_owner_keep (
      owner, g_memdup2 (process->user->additional_gids,
                        sizeof (gid_t) * process->user->n_additional_gids));
  plan->n_additional_gids = process->user->n_additional_gids;
  plan->has_umask = process->user->has_umask;
  plan->umask = process->user->umask;

  if (process->n_rlimits > 0)
    {
      plan->rlimits = urun_plan_owner_keep (owner, g_new0 (UrunPlanRlimit, process->n_rlimits));
      for (gsize i = 0; i < process->n_rlimits; i++)
        {
          if (!urun_rlimit_from_name (process->rlimits[i].type, &plan->rlimits[i].resource))
            return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                              "%s[%" G_GSIZE_FORMAT "].type: unknown rlimit \"%s\"",
                              rlimits_what, i, process->rlimits[i].type);
          plan->rlimits[i].name = urun_plan_owner_strdup (owner, process->rlimits[i].type);
          plan->rlimits[i].limit.rlim_cur = process->rlimits[i].soft;
          plan->rlimits[i].limit.rlim_max = process->rlimits[i].hard;
        }
      plan->n_rlimits = process->n_rlimits;
    }
  return TRUE;
}
