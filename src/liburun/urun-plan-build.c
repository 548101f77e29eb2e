/* urun-plan-build.c: a validated UrunSpec becomes a UrunInitPlan (see
 * urun-plan-build.h).  Zone: host side (GLib).
 *
 * The mount part lives in urun-plan-mounts.c; this file covers the
 * namespaces, the process, identity, limits, hooks and file descriptors.
 */
#include "config.h"

#include "urun-plan-build.h"
#include "urun-error.h"
#include "urun-fd.h"
#include "urun-spec-names.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

gpointer
urun_plan_owner_keep (UrunPlanOwner *owner, gpointer data)
{
  if (data != NULL)
    g_ptr_array_add (owner->allocations, data);
  return data;
}

const char *
urun_plan_owner_strdup (UrunPlanOwner *owner, const char *text)
{
  return urun_plan_owner_keep (owner, g_strdup (text));
}

char **
urun_plan_owner_strdupv (UrunPlanOwner *owner, char *const *vector)
{
  char **copy;
  gsize n = 0;

  if (vector == NULL)
    return NULL;
  while (vector[n] != NULL)
    n++;
  copy = urun_plan_owner_keep (owner, g_new0 (char *, n + 1));
  for (gsize i = 0; i < n; i++)
    copy[i] = (char *) urun_plan_owner_strdup (owner, vector[i]);
  return copy;
}

int
urun_plan_owner_keep_fd (UrunPlanOwner *owner, int fd)
{
  if (fd >= 0)
    g_array_append_val (owner->fds, fd);
  return fd;
}

void
urun_plan_owner_free (UrunPlanOwner *owner)
{
  if (owner == NULL)
    return;
  for (guint i = 0; owner->fds != NULL && i < owner->fds->len; i++)
    close (g_array_index (owner->fds, int, i));
  g_clear_pointer (&owner->fds, g_array_unref);
  g_clear_pointer (&owner->allocations, g_ptr_array_unref);
  g_free (owner);
}

UrunPlanOwner *
urun_plan_owner_new (void)
{
  UrunPlanOwner *owner = g_new0 (UrunPlanOwner, 1);

  owner->allocations = g_ptr_array_new_with_free_func (g_free);
  owner->fds = g_array_new (FALSE, FALSE, sizeof (int));
  owner->plan.sync_fd = -1;
  owner->plan.exec_fifo_fd = -1;
  owner->plan.state_fd = -1;
  owner->plan.notify_tree_fd = -1;
  return owner;
}

static gboolean
plan_namespaces (UrunPlanOwner *owner, const UrunSpec *spec, const UrunPlanOptions *options,
                 GError **error)
{
  UrunInitPlan *plan = &owner->plan;
  const UrunSpecLinux *linux_ = spec->linux_;
  gboolean has_mount_ns = FALSE;
  gboolean has_user_ns = FALSE;
  UrunPlanJoin *joins = urun_plan_owner_keep (owner, g_new0 (UrunPlanJoin, URUN_NAMESPACE_N_TYPES));

  for (gsize i = 0; linux_ != NULL && i < linux_->n_namespaces; i++)
    {
      const UrunSpecNamespace *ns = &linux_->namespaces[i];
      UrunNamespaceType type;
      int flag;

      if (!urun_namespace_type_from_name (ns->type, &type))
        return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                          "config.json: linux.namespaces[%" G_GSIZE_FORMAT "].type: unknown "
                          "namespace type \"%s\"", i, ns->type);
      flag = urun_namespace_type_clone_flag (type);
      if (type == URUN_NAMESPACE_MOUNT)
        has_mount_ns = TRUE;
      if (type == URUN_NAMESPACE_USER)
        has_user_ns = TRUE;

      if (ns->path != NULL)
        {
          int fd;

          fd = open (ns->path, O_RDONLY | O_CLOEXEC);
          if (fd < 0)
            return urun_fail_errno (error, errno,
                                    "config.json: linux.namespaces[%" G_GSIZE_FORMAT "].path: "
                                    "open `%s`", i, ns->path);
          urun_plan_owner_keep_fd (owner, fd);
          /* The user namespace is joined first: the others may belong to
           * it, and joining them needs the capabilities it gives. */
          if (type == URUN_NAMESPACE_USER && plan->n_joins > 0)
            {
              joins[plan->n_joins] = joins[0];
              joins[0] = (UrunPlanJoin) { flag, fd };
            }
          else
            joins[plan->n_joins] = (UrunPlanJoin) { flag, fd };
          plan->n_joins++;
        }
      else if (type == URUN_NAMESPACE_TIME)
        plan->new_timens = TRUE;
      else if (type == URUN_NAMESPACE_CGROUP)
        plan->new_cgroupns = TRUE;
      else
        plan->clone_flags |= flag;
    }
  plan->joins = joins;
  plan->new_userns = (plan->clone_flags & CLONE_NEWUSER) != 0;
  /* Why stages when joining: a namespace owned by the host (podman's
   * network namespace) can only be joined before entering a new user
   * namespace, and the new namespaces must be created after it, so that
   * they belong to it.  The clone cannot do that in one step. */
  if (plan->n_joins > 0)
    {
      plan->staged = TRUE;
      plan->unshare_flags = plan->clone_flags;
      plan->clone_flags = 0;
    }

  /* Why insist: without its own mount namespace, pivot_root would change
   * the root of the caller's namespace (the host's). */
  if (!has_mount_ns)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: linux.namespaces: a mount namespace is required");
  if (options->rootless && !options->privileged && geteuid () != 0 && !has_user_ns)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: linux.namespaces: an unprivileged user needs a user "
                      "namespace; create the config with `urun spec --rootless`");

  if (plan->new_timens && linux_->n_time_offsets > 0)
    {
      GString *offsets = g_string_new (NULL);

      for (gsize i = 0; i < linux_->n_time_offsets; i++)
        g_string_append_printf (offsets, "%s %" G_GINT64_FORMAT " %u\n",
                                linux_->time_offsets[i].clock, linux_->time_offsets[i].secs,
                                linux_->time_offsets[i].nanosecs);
      plan->timens_offsets = urun_plan_owner_keep (owner, g_string_free (offsets, FALSE));
    }
  return TRUE;
}

/* Room for the home directory init writes after "HOME=". */
#define HOME_ENV_SIZE (sizeof "HOME=" + PATH_MAX)

int
urun_plan_listen_fds_of_caller (void)
{
  const char *fds = g_getenv ("LISTEN_FDS");
  const char *pid = g_getenv ("LISTEN_PID");
  gint64 n;

  /* Socket activation passes fds only to the pid it names. */
  if (fds == NULL || (pid != NULL && g_ascii_strtoll (pid, NULL, 10) != getpid ()))
    return 0;
  n = g_ascii_strtoll (fds, NULL, 10);
  return n > 0 && n < 1024 ? (int) n : 0;
}

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

static gboolean
plan_process (UrunPlanOwner *owner, const UrunSpec *spec, const UrunPlanOptions *options,
              GError **error)
{
  UrunInitPlan *plan = &owner->plan;
  const UrunSpecProcess *process = spec->process;

  if (process == NULL)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: process: missing required field");
  if (process->args == NULL || process->args[0] == NULL || process->args[0][0] == '\0')
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: process.args: expected at least one argument, the "
                      "program to run");

  plan->terminal = process->terminal;
  plan->create_console = process->terminal;
  plan->cwd = urun_plan_owner_strdup (owner, process->cwd);
  plan->has_oom_score_adj = process->has_oom_score_adj;
  plan->oom_score_adj = process->oom_score_adj;
  return urun_plan_set_process (owner, process, options->listen_fds,
                                "config.json: process.rlimits", error);
}

static void
plan_identity (UrunPlanOwner *owner, const UrunSpec *spec, const UrunPlanOptions *options)
{
  UrunInitPlan *plan = &owner->plan;
  const UrunSpecLinux *linux_ = spec->linux_;

  plan->hostname = urun_plan_owner_strdup (owner, spec->hostname);
  plan->domainname = urun_plan_owner_strdup (owner, spec->domainname);
  if (linux_ != NULL && linux_->n_sysctl > 0)
    {
      plan->sysctls = urun_plan_owner_keep (owner, g_new0 (UrunPlanSysctl, linux_->n_sysctl));
      for (gsize i = 0; i < linux_->n_sysctl; i++)
        {
          plan->sysctls[i].key = urun_plan_owner_strdup (owner, linux_->sysctl[i].key);
          plan->sysctls[i].value = urun_plan_owner_strdup (owner, linux_->sysctl[i].value);
        }
      plan->n_sysctls = linux_->n_sysctl;
    }

  /* Whether init may call setgroups() in a new user namespace is decided
   * by how its gid map gets written: only a map written with "deny" in
   * /proc/PID/setgroups (a single-id map by an unprivileged caller) forbids
   * it, and init then keeps the groups it has; maps written by newgidmap or
   * by root allow it, and then the process must get exactly
   * user.additionalGids, not urun's groups. */
  plan->can_setgroups = !(plan->new_userns && options->deny_setgroups);

  plan->new_keyring = !options->no_new_keyring;
  plan->keyring_name = urun_plan_owner_keep (owner, g_strdup_printf ("urun-%s", options->id));
  plan->preserve_fds = options->preserve_fds + options->listen_fds;
}

static UrunPlanHook *
plan_hooks (UrunPlanOwner *owner, const UrunSpecHook *hooks, gsize n_hooks)
{
  UrunPlanHook *planned;

  if (n_hooks == 0)
    return NULL;
  planned = urun_plan_owner_keep (owner, g_new0 (UrunPlanHook, n_hooks));
  for (gsize i = 0; i < n_hooks; i++)
    {
      char *const default_argv[] = { hooks[i].path, NULL };

      planned[i].path = urun_plan_owner_strdup (owner, hooks[i].path);
      planned[i].argv = urun_plan_owner_strdupv (owner, hooks[i].args ? hooks[i].args
                                                                      : default_argv);
      planned[i].envp = hooks[i].env ? urun_plan_owner_strdupv (owner, hooks[i].env)
                                     : urun_plan_owner_keep (owner, g_new0 (char *, 1));
      planned[i].timeout_seconds = hooks[i].has_timeout ? hooks[i].timeout : 0;
    }
  return planned;
}

static void
plan_container_hooks (UrunPlanOwner *owner, const UrunSpec *spec)
{
  UrunInitPlan *plan = &owner->plan;
  const UrunSpecHooks *hooks = spec->hooks;

  if (hooks == NULL)
    return;
  plan->create_container_hooks = plan_hooks (owner, hooks->create_container,
                                             hooks->n_create_container);
  plan->n_create_container_hooks = hooks->n_create_container;
  plan->start_container_hooks = plan_hooks (owner, hooks->start_container,
                                            hooks->n_start_container);
  plan->n_start_container_hooks = hooks->n_start_container;
  plan->has_runtime_hooks = hooks->n_prestart > 0 || hooks->n_create_runtime > 0;
}

static gboolean
plan_rootfs (UrunPlanOwner *owner, const UrunSpec *spec, const UrunPlanOptions *options,
             GError **error)
{
  g_autofree char *rootfs = NULL;
  struct stat st;

  if (spec->root == NULL || spec->root->path == NULL)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: root.path: missing required field");
  rootfs = g_path_is_absolute (spec->root->path)
             ? g_canonicalize_filename (spec->root->path, NULL)
             : g_canonicalize_filename (spec->root->path, options->bundle);
  if (stat (rootfs, &st) < 0)
    return urun_fail_errno (error, errno, "config.json: root.path: rootfs `%s`", rootfs);
  if (!S_ISDIR (st.st_mode))
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: root.path: rootfs `%s` is not a directory", rootfs);
  owner->plan.rootfs = urun_plan_owner_keep (owner, g_steal_pointer (&rootfs));
  owner->plan.rootfs_readonly = spec->root->readonly;
  owner->plan.no_pivot = options->no_pivot;
  return TRUE;
}

UrunPlanOwner *
urun_plan_build (const UrunSpec *spec, const UrunPlanOptions *options, GError **error)
{
  g_autoptr (UrunPlanOwner) owner = urun_plan_owner_new ();

  g_return_val_if_fail (spec != NULL && options != NULL, NULL);

  if (!plan_rootfs (owner, spec, options, error)
      || !plan_namespaces (owner, spec, options, error)
      || !plan_process (owner, spec, options, error))
    return NULL;
  plan_identity (owner, spec, options);
  plan_container_hooks (owner, spec);
  if (!urun_plan_build_mounts (owner, spec, options, error))
    return NULL;
  if (!urun_plan_build_security (owner, spec, options, error))
    return NULL;
  return g_steal_pointer (&owner);
}
