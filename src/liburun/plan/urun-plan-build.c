/* urun-plan-build.c: a validated UrunSpec becomes a UrunInitPlan (see
 * urun-plan-build.h).  Zone: host side (GLib).
 *
 * The top of plan/: it composes the parts of urun-plan-parts.h (mounts,
 * security, the process's argv, environment and limits) and covers the
 * namespaces, the rest of the process, identity, hooks and file
 * descriptors itself.
 */
#include "config.h"

#include "plan/urun-plan-build.h"
#include "plan/urun-plan-parts.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "spec/urun-spec-names.h"
#include "util/urun-file.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

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
      /* Only a mount namespace created for the container is its own; one
       * joined by path belongs to somebody else (see chroot_only). */
      if (type == URUN_NAMESPACE_MOUNT && ns->path == NULL)
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
          fd = urun_plan_owner_keep_fd (owner, fd, error);
          if (fd < 0)
            return FALSE;
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
  /* Why init makes the network namespace itself, not the clone: its
   * creation (the setup of every per-network subsystem) is most of what a
   * clone with namespaces costs, 0.3 ms of 0.4 here, and the parent keeps
   * init waiting between the clone and GO (the start time, the record,
   * the id maps of a user namespace).  Made by init in that wait, the two
   * overlap instead of adding up.  Made before GO, it belongs to the same
   * user namespace and holds the same as when the clone made it. */
  else if (plan->clone_flags & CLONE_NEWNET)
    {
      plan->clone_flags &= ~CLONE_NEWNET;
      plan->new_netns = TRUE;
    }

  /* A namespace type that is not listed is inherited, the mount
   * namespace included (runtime-spec, as runc and crun read it). */
  plan->chroot_only = !has_mount_ns;
  if (options->rootless && !options->privileged && options->euid != 0 && !has_user_ns)
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

/* TRUE when urun's own user namespace denies setgroups(2) (`unshare -r`,
 * a single-id map): then so does every namespace below it, the kernel
 * says (user_namespaces(7)). */
static gboolean
setgroups_denied_here (void)
{
  g_autofree char *text = NULL;

  return (text = urun_file_read ("/proc/self/setgroups", NULL, NULL)) != NULL
         && g_str_has_prefix (text, "deny");
}

/* TRUE when @gids (sorted or not) are exactly urun's own supplementary
 * groups, which a container in urun's user namespace keeps anyway. */
static gboolean
are_current_groups (const gid_t *gids, gsize n)
{
  g_autofree gid_t *current = g_new0 (gid_t, n + 1);
  int n_current = getgroups ((int) n + 1, current);

  /* EINVAL: more groups than @n + 1, so not the same. */
  if (n_current < 0 || (gsize) n_current != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      gboolean found = FALSE;

      for (int j = 0; j < n_current && !found; j++)
        found = current[j] == gids[i];
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* Whether init may call setgroups() at all.
 *
 * A new user namespace: decided by how its gid map gets written; only a
 * map written with "deny" in /proc/PID/setgroups (a single-id map by an
 * unprivileged caller) forbids it, and init then keeps the groups it has;
 * maps written by newgidmap or by root allow it, and then the process must
 * get exactly user.additionalGids, not urun's groups.
 *
 * Where urun's own namespace denies it, nothing below can allow it: init
 * skips the call, which is harmless while there is nothing to set (no
 * additionalGids, or urun's own groups in urun's namespace), and a config
 * that asks for other groups cannot be honoured: refused. */
static gboolean
plan_setgroups (UrunInitPlan *plan, const UrunPlanOptions *options, GError **error)
{
  GString *gids;

  plan->can_setgroups = !(plan->new_userns && options->deny_setgroups);
  if (!plan->can_setgroups || !setgroups_denied_here ())
    return TRUE;
  plan->can_setgroups = FALSE;
  if (plan->n_additional_gids == 0
      || (!plan->new_userns && !plan->staged
          && are_current_groups (plan->additional_gids, plan->n_additional_gids)))
    return TRUE;
  gids = g_string_new (NULL);
  for (gsize i = 0; i < plan->n_additional_gids; i++)
    g_string_append_printf (gids, "%s%u", i > 0 ? ", " : "", (unsigned) plan->additional_gids[i]);
  urun_fail (error, URUN_ERROR_INVALID_CONFIG,
             "config.json: process.user.additionalGids: setgroups is denied in urun's user "
             "namespace (/proc/self/setgroups is \"deny\"), so the groups %s cannot be set: "
             "drop them from process.user.additionalGids, or run urun where setgroups is "
             "allowed", gids->str);
  g_string_free (gids, TRUE);
  return FALSE;
}

static gboolean
plan_identity (UrunPlanOwner *owner, const UrunSpec *spec, const UrunPlanOptions *options,
               GError **error)
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

  plan->new_keyring = !options->no_new_keyring;
  plan->keyring_name = urun_plan_owner_keep (owner, g_strdup_printf ("urun-%s", options->id));
  plan->preserve_fds = options->preserve_fds + options->listen_fds;
  return plan_setgroups (plan, options, error);
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
      /* Without `env`, urun's own environment, as for the hooks the
       * parent runs (urun-hooks.c); copied now, since init cannot. */
      planned[i].envp = urun_plan_owner_strdupv (owner, hooks[i].env ? hooks[i].env : environ);
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

/* Why a rootfs that is the caller's own root (the same directory as "/",
 * by device and inode: "/" itself or a bind of it) is refused with a mount
 * namespace of the container's own: pivot_root cannot put the root under
 * itself (EBUSY), and before it init would have built the container's
 * /dev, /proc... on the caller's own directories: device nodes made and
 * /dev/ptmx replaced in the host's devtmpfs, which no mount namespace
 * separates, and under rootfsPropagation "shared" mounts on the host's own
 * /dev.  --no-pivot would be worse (MS_MOVE of the caller's root).  Running
 * a process in the caller's filesystem is what a config without a mount
 * namespace is for, and that is allowed (check_no_own_mount_ns()). */
static gboolean
check_rootfs_not_caller_root (const UrunInitPlan *plan, GError **error)
{
  struct stat root, rootfs;

  if (plan->chroot_only)
    return TRUE;
  if (stat ("/", &root) < 0)
    return urun_fail_errno (error, errno, "stat `/`");
  if (stat (plan->rootfs, &rootfs) < 0)
    return urun_fail_errno (error, errno, "config.json: root.path: rootfs `%s`", plan->rootfs);
  if (root.st_dev == rootfs.st_dev && root.st_ino == rootfs.st_ino)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: root.path: `%s` is the host's root directory; a container "
                      "with a mount namespace of its own needs a root filesystem of its own "
                      "(to run in the host's filesystem, leave \"mount\" out of "
                      "linux.namespaces, and the mounts with it)",
                      plan->rootfs);
  return TRUE;
}

/* Without a mount namespace of its own (chroot_only), init mounts nothing:
 * every mount would land in a namespace that outlives the container, the
 * caller's or the host's, as the /dev/pts, /dev/shm and /dev/ptmx of
 * containers once did.  So a config that asks for a mount is refused
 * rather than run with less than it asked for (a maskedPath left
 * visible).  The default devices, which no config asks for, are whatever the rootfs's
 * /dev holds already: making them would mean nodes in a filesystem the
 * caller shares. */
static gboolean
check_no_own_mount_ns (UrunInitPlan *plan, const UrunSpec *spec, GError **error)
{
  const UrunSpecLinux *linux_ = spec->linux_;
  const char *what = NULL;

  if (!plan->chroot_only)
    return TRUE;
  if (spec->n_mounts > 0)
    what = "mounts";
  else if (linux_ != NULL && linux_->masked_paths != NULL && linux_->masked_paths[0] != NULL)
    what = "linux.maskedPaths";
  else if (linux_ != NULL && linux_->readonly_paths != NULL
           && linux_->readonly_paths[0] != NULL)
    what = "linux.readonlyPaths";
  else if (linux_ != NULL && linux_->n_devices > 0)
    what = "linux.devices";
  else if (linux_ != NULL && linux_->rootfs_propagation != NULL)
    what = "linux.rootfsPropagation";
  else if (spec->root != NULL && spec->root->readonly)
    what = "root.readonly";
  if (what != NULL)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: %s: needs a mount namespace of the container's own, and "
                      "linux.namespaces has none (a mount namespace that is not listed is "
                      "the caller's, one joined by path is another's, and urun mounts nothing "
                      "there); add {\"type\": \"mount\"} to linux.namespaces, or leave %s out",
                      what, what);
  /* The terminal's /dev/console would be a bind mount too. */
  plan->create_console = FALSE;
  plan->n_devices = 0;
  plan->root_propagation = 0;
  return TRUE;
}

/* A bind onto /dev (the host's /dev, say) makes the container's /dev a
 * view of a directory that is not urun's: a device node made there, or the
 * /dev/ptmx replaced by the link to the container's devpts, would change
 * the host's own files (no unprivileged user could open a pty any more).
 * runc makes neither devices nor links then; nor does urun. */
static void
plan_dev_from_host (UrunInitPlan *plan)
{
  for (gsize i = 0; i < plan->n_mounts; i++)
    {
      g_autofree char *destination = g_canonicalize_filename (plan->mounts[i].destination, "/");

      if (plan->mounts[i].kind == URUN_PLAN_MOUNT_BIND && strcmp (destination, "/dev") == 0)
        {
          plan->dev_from_host = TRUE;
          plan->n_devices = 0;
        }
    }
}

/* TRUE when the container path @path is @dir or below it. */
static gboolean
path_is_below (const char *path, const char *dir)
{
  g_autofree char *p = g_canonicalize_filename (path, "/");
  g_autofree char *d = g_canonicalize_filename (dir, "/");
  gsize len = strlen (d);

  if (strcmp (d, "/") == 0)
    return TRUE;
  return strncmp (p, d, len) == 0 && (p[len] == '\0' || p[len] == '/');
}

/* Under rootfsPropagation (r)shared, a bind whose own options say
 * (r)shared stays a peer of its source in the caller's namespace: that is
 * what it is for (mounts the container makes there reach the host, as
 * Kubernetes' "Bidirectional").  Init makes every other bind a slave
 * (urun-init-mounts.c).  But whatever urun itself would mount inside such
 * a peer (a later entry of mounts[], devices, /dev's links, a masked or
 * read-only path) would appear in the caller's namespace too: refused. */
static gboolean
check_shared_binds (const UrunInitPlan *plan, GError **error)
{
  if (!(plan->root_propagation & MS_SHARED))
    return TRUE;
  for (gsize i = 0; i < plan->n_mounts; i++)
    {
      const UrunPlanMount *bind = &plan->mounts[i];
      const char *inside = NULL;
      g_autofree char *what = NULL;

      if (bind->kind != URUN_PLAN_MOUNT_BIND || !(bind->flags.propagation & MS_SHARED))
        continue;
      for (gsize j = i + 1; j < plan->n_mounts && inside == NULL; j++)
        if (path_is_below (plan->mounts[j].destination, bind->destination))
          {
            inside = plan->mounts[j].destination;
            what = g_strdup_printf ("mounts[%" G_GSIZE_FORMAT "]", j);
          }
      for (gsize j = 0; j < plan->n_devices && inside == NULL; j++)
        if (path_is_below (plan->devices[j].path, bind->destination)
            || path_is_below ("/dev", bind->destination))
          {
            inside = plan->devices[j].path;
            what = g_strdup ("linux.devices (or a default device)");
          }
      for (gsize j = 0; plan->masked_paths != NULL && plan->masked_paths[j] != NULL
                        && inside == NULL; j++)
        if (path_is_below (plan->masked_paths[j], bind->destination))
          {
            inside = plan->masked_paths[j];
            what = g_strdup_printf ("linux.maskedPaths[%" G_GSIZE_FORMAT "]", j);
          }
      for (gsize j = 0; plan->readonly_paths != NULL && plan->readonly_paths[j] != NULL
                        && inside == NULL; j++)
        if (path_is_below (plan->readonly_paths[j], bind->destination))
          {
            inside = plan->readonly_paths[j];
            what = g_strdup_printf ("linux.readonlyPaths[%" G_GSIZE_FORMAT "]", j);
          }
      if (inside != NULL)
        return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                          "config.json: %s: `%s` is inside mounts[%" G_GSIZE_FORMAT "] (`%s`), "
                          "a bind that stays shared with the host under "
                          "linux.rootfsPropagation \"%s\"; what urun mounts there would appear "
                          "on the host too: move it elsewhere, or drop the shared option of "
                          "mounts[%" G_GSIZE_FORMAT "]",
                          what, inside, i, bind->destination,
                          (plan->rootfs_propagation & MS_REC) ? "rshared" : "shared", i);
    }
  return TRUE;
}

UrunPlanOwner *
urun_plan_build (const UrunSpec *spec, const UrunPlanOptions *options, GError **error)
{
  g_autoptr (UrunPlanOwner) owner = urun_plan_owner_new ();

  g_return_val_if_fail (spec != NULL && options != NULL, NULL);

  if (!plan_rootfs (owner, spec, options, error)
      || !plan_namespaces (owner, spec, options, error)
      || !plan_process (owner, spec, options, error)
      || !plan_identity (owner, spec, options, error))
    return NULL;
  plan_container_hooks (owner, spec);
  if (!urun_plan_build_mounts (owner, spec, options, error)
      || !check_rootfs_not_caller_root (&owner->plan, error)
      || !check_no_own_mount_ns (&owner->plan, spec, error))
    return NULL;
  plan_dev_from_host (&owner->plan);
  if (!check_shared_binds (&owner->plan, error))
    return NULL;
  if (!urun_plan_build_security (owner, spec, options, error))
    return NULL;
  return g_steal_pointer (&owner);
}
