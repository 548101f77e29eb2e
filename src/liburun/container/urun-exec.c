/* urun-exec.c: `exec` (see urun-exec.h).  Zone: host side (GLib).
 *
 * The order, and why:
 *   1. the record: the container must be running (not created, paused or
 *      stopped); no lock is taken, so that 20 execs, `kill` and `state`
 *      run side by side with a foreground `run` that holds none either;
 *   2. the process and its plan, built before anything exists, so that a
 *      bad option or process.json spawns nothing;
 *   3. init's namespaces and root, opened here through a pidfd of init,
 *      and init's start time checked after they are open: the fds are then
 *      known to be the container's, not those of a process that reused
 *      the pid;
 *   4. the console socket connected (a dead one fails before the clone);
 *   5. the clone of the stage (urun-init-exec.c) while urun has one
 *      thread; the stage put in the container's cgroup, then GO; the
 *      stage joins, forks the process into the pid namespace and reports
 *      its pid; the process reports its pty, a seccomp notify fd, or a
 *      failure; end-of-file of the socket means it ran execve;
 *   6. the pty to the console socket or the foreground relay, the pid file,
 *      and in the foreground the GMainLoop of `run` (urun-monitor.c) until
 *      the process exits.
 */
#include "config.h"

#include "container/urun-exec.h"
#include "container/urun-container-cgroup.h"
#include "container/urun-container-private.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "init/urun-init-exec.h"
#include "util/urun-json-file.h"
#include "container/urun-monitor.h"
#include "util/urun-pid-file.h"
#include "util/urun-proc.h"
#include "plan/urun-seccomp.h"
#include "container/urun-spawn.h"
#include "init/urun-sync.h"
#include "container/urun-terminal.h"
#include "util/urun-file.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

typedef struct
{
  const char *name;  /* in /proc/PID/ns */
  int nstype;
} Namespace;

/* Every namespace a process has; the user namespace is handled first. */
static const Namespace namespaces[] = {
  { "user", CLONE_NEWUSER },   { "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS },
  { "net", CLONE_NEWNET },     { "pid", CLONE_NEWPID }, { "cgroup", CLONE_NEWCGROUP },
  { "time", CLONE_NEWTIME },   { "mnt", CLONE_NEWNS },
};

/* Everything an exec in progress holds. */
typedef struct
{
  UrunStateStore *store;
  UrunContainerState *state;
  UrunStateRecord *record;
  UrunSpec *spec;
  UrunSpecProcess *process;
  UrunPlanOwner *owner;
  UrunExecPlan plan;
  UrunInitProcess child;     /* the stage, then the process */
  int init_pidfd;
  int console_fd;
  UrunCgroupPlacement placement; /* the v1 `tasks` the process moves itself with */
} Exec;

static void
exec_clear (Exec *exec)
{
  urun_init_process_clear (&exec->child);
  urun_close_fdp (&exec->init_pidfd);
  urun_close_fdp (&exec->console_fd);
  urun_cgroup_placement_clear (&exec->placement);
  g_clear_pointer (&exec->owner, urun_plan_owner_free);
  g_clear_pointer (&exec->process, urun_spec_process_free);
  g_clear_pointer (&exec->spec, urun_spec_free);
  g_clear_pointer (&exec->record, urun_state_record_free);
  g_clear_pointer (&exec->state, urun_container_state_free);
  g_clear_pointer (&exec->store, urun_state_store_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Exec, exec_clear)

static gboolean
check_options (const UrunExecOptions *options, GError **error)
{
  if (options->preserve_fds < 0)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "--preserve-fds: expected a number >= 0, got %d", options->preserve_fds);
  if (options->process_file == NULL && (options->args == NULL || options->args[0] == NULL))
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "exec needs a command to run, or --process FILE");
  /* The -t of a --process object is only known later; see prepare_terminal(). */
  return TRUE;
}

/* 1. The record, and the status check. */
static gboolean
load_container (const UrunRuntime *runtime, const char *id, gboolean ignore_paused, Exec *exec,
                GError **error)
{
  g_auto (UrunContainerLoaded) loaded = { 0 };
  UrunContainerStatus status;

  /* No lock: concurrent execs, `kill` and `state` must not queue. */
  if (!urun_container_load (runtime, id, URUN_STATE_OPEN_NO_LOCK, &loaded, error))
    return FALSE;
  exec->store = g_steal_pointer (&loaded.store);
  exec->state = g_steal_pointer (&loaded.state);
  exec->record = g_steal_pointer (&loaded.record);
  status = loaded.status;
  switch (status)
    {
    case URUN_STATUS_RUNNING:
      return TRUE;
    case URUN_STATUS_PAUSED:
      /* --ignore-paused: the process joins the frozen cgroup and is frozen
       * with it; the wait for its setup (bounded, urun-timeout.h) lasts
       * until `resume`, as with runc. */
      if (ignore_paused)
        return TRUE;
      /* runc's wording, which scripts match. */
      return urun_fail (error, URUN_ERROR_WRONG_STATE,
                        "cannot exec in a paused container (`%s`): resume it first, or use "
                        "--ignore-paused", id);
    case URUN_STATUS_CREATED:
      return urun_fail (error, URUN_ERROR_WRONG_STATE,
                        "cannot exec in container `%s`: it is created, not running; start it "
                        "first", id);
    case URUN_STATUS_CREATING:
    case URUN_STATUS_STOPPED:
    default:
      return urun_fail (error, URUN_ERROR_WRONG_STATE,
                        "cannot exec in container `%s`: it is %s, not running", id,
                        urun_container_status_to_string (status));
    }
}

static JsonNode *
parse_json (const char *data, gssize length, const char *filename, GError **error)
{
  g_autoptr (JsonNode) root = urun_json_parse_bounded (data, length, filename, error);

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG, "%s: expected a JSON object",
                      filename), NULL;
  if (!urun_spec_check_nul (data, length < 0 ? strlen (data) : (gsize) length, filename, error))
    return NULL;
  return g_steal_pointer (&root);
}

/* 2. The process (runc's exec semantics) and its plan. */
static gboolean
build_process (const UrunRuntime *runtime, Exec *exec, const UrunExecOptions *options,
               GPtrArray *warnings, GError **error)
{
  g_autoptr (JsonNode) config_root = NULL;
  g_autoptr (JsonNode) given_root = NULL;
  g_autofree char *filename = NULL;
  JsonNode *config_process;
  UrunPlanOptions plan_options = { 0 };

  /* The config.json that create validated and saved, never the bundle's:
   * the bundle may have changed since. */
  exec->spec = urun_container_read_saved_config (exec->state, &config_root, error);
  if (exec->spec == NULL)
    return FALSE;
  config_process = json_object_get_member (json_node_get_object (config_root), "process");
  if (config_process != NULL && !JSON_NODE_HOLDS_OBJECT (config_process))
    config_process = NULL;

  if (options->process_file != NULL)
    {
      g_autofree char *data = NULL;
      gsize data_length;

      data = urun_json_read_at (AT_FDCWD, options->process_file, URUN_JSON_MAX_SIZE,
                                URUN_JSON_READ_DEFAULT, &data_length, error);
      if (data == NULL)
        {
          g_prefix_error (error, "--process: ");
          return FALSE;
        }
      filename = g_path_get_basename (options->process_file);
      given_root = parse_json (data, (gssize) data_length, filename, error);
      if (given_root == NULL)
        return FALSE;
    }
  exec->process = urun_exec_process_build (
    config_process ? json_node_get_object (config_process) : NULL,
    given_root ? json_node_get_object (given_root) : NULL, options,
    filename ? filename : "exec", error);
  if (exec->process == NULL)
    return FALSE;

  plan_options.id = exec->record->id;
  plan_options.bundle = exec->record->bundle;
  plan_options.rootless = exec->record->rootless;
  plan_options.privileged = runtime->privileged;
  plan_options.euid = runtime->euid;
  plan_options.preserve_fds = options->preserve_fds;
  plan_options.listen_fds = runtime->listen_fds;
  plan_options.warnings = warnings;
  exec->owner = urun_plan_exec_build (exec->spec, exec->process, &plan_options, error);
  return exec->owner != NULL;
}

static gboolean
same_file (const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* 3. init's namespaces (those that differ from ours) and root.  The joins
 * are ordered for the stage: namespaces that the container's user
 * namespace does not own first (joining a new user namespace gives every
 * capability in it, and none over namespaces owned by its ancestors), then
 * the user namespace, then the others. */
static gboolean
open_namespaces (Exec *exec, GError **error)
{
  UrunPlanOwner *owner = exec->owner;
  UrunInitPlan *plan = &owner->plan;
  pid_t pid = exec->record->pid;
  UrunPlanJoin before[G_N_ELEMENTS (namespaces)], after[G_N_ELEMENTS (namespaces)];
  gsize n_before = 0, n_after = 0;
  struct stat userns = { 0 };
  gboolean join_userns = FALSE;
  UrunPlanJoin user_join = { 0, -1 };
  UrunPlanJoin *joins;
  g_autofree char *root_path = g_strdup_printf ("/proc/%d/root", (int) pid);

  exec->init_pidfd = urun_proc_pidfd_open_verified (pid, exec->record->init_start_time);
  if (exec->init_pidfd < 0 && errno != ENOSYS)
    return urun_fail (error, URUN_ERROR_WRONG_STATE,
                      "cannot exec in container `%s`: its init is gone", exec->record->id);

  for (gsize i = 0; i < G_N_ELEMENTS (namespaces); i++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/ns/%s", (int) pid, namespaces[i].name);
      g_autofree char *own_path = g_strdup_printf ("/proc/self/ns/%s", namespaces[i].name);
      struct stat theirs, ours;
      int fd = open (path, O_RDONLY | O_CLOEXEC);

      if (fd < 0 && errno == ENOENT && stat (own_path, &ours) < 0)
        continue; /* a namespace type this kernel does not have */
      if (fd < 0)
        return urun_fail_errno (error, errno, "open %s of container `%s`", path,
                                exec->record->id);
      fd = urun_plan_owner_keep_fd (owner, fd, error);
      if (fd < 0)
        return FALSE;
      if (fstat (fd, &theirs) < 0)
        return urun_fail_errno (error, errno, "stat %s", path);
      /* Already ours (no namespace of that type in the config): nothing
       * to join, and setns() refuses our own user namespace anyway. */
      if (stat (own_path, &ours) == 0 && same_file (&theirs, &ours))
        continue;
      if (namespaces[i].nstype == CLONE_NEWUSER)
        {
          userns = theirs;
          join_userns = TRUE;
          user_join = (UrunPlanJoin) { CLONE_NEWUSER, fd };
          continue;
        }
      {
        URUN_AUTOCLOSE int owner_fd = join_userns ? ioctl (fd, NS_GET_USERNS) : -1;
        struct stat owner_st;

        if (owner_fd >= 0 && fstat (owner_fd, &owner_st) == 0 && !same_file (&owner_st, &userns))
          before[n_before++] = (UrunPlanJoin) { namespaces[i].nstype, fd };
        else
          after[n_after++] = (UrunPlanJoin) { namespaces[i].nstype, fd };
      }
    }

  joins = urun_plan_owner_keep (owner, g_new0 (UrunPlanJoin, G_N_ELEMENTS (namespaces)));
  memcpy (joins, before, n_before * sizeof *joins);
  plan->n_joins = n_before;
  if (join_userns)
    joins[plan->n_joins++] = user_join;
  memcpy (joins + plan->n_joins, after, n_after * sizeof *joins);
  plan->n_joins += n_after;
  plan->joins = joins;

  exec->plan.root_fd = open (root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (exec->plan.root_fd < 0)
    return urun_fail_errno (error, errno, "open the root of container `%s`", exec->record->id);
  exec->plan.root_fd = urun_plan_owner_keep_fd (owner, exec->plan.root_fd, error);
  if (exec->plan.root_fd < 0)
    return FALSE;

  /* The fds are init's only if init is still the process we recorded. */
  if (!urun_proc_is_alive (pid, exec->record->init_start_time))
    return urun_fail (error, URUN_ERROR_WRONG_STATE,
                      "cannot exec in container `%s`: it stopped", exec->record->id);
  return TRUE;
}

/* Whether setgroups(2) works in the container: not when its user
 * namespace's gid map was written by an unprivileged process, which had to
 * deny it (/proc/PID/setgroups). */
static void
decide_setgroups (Exec *exec, GPtrArray *warnings)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/setgroups", (int) exec->record->pid);
  g_autofree char *text = NULL;
  UrunInitPlan *plan = &exec->owner->plan;

  plan->can_setgroups = !((text = urun_file_read (path, NULL, NULL)) != NULL
                          && g_str_has_prefix (text, "deny"));
  if (!plan->can_setgroups && plan->n_additional_gids > 0)
    g_ptr_array_add (warnings,
                     g_strdup ("additional gids ignored: the container's user namespace "
                               "denies setgroups (its gid map has a single id)"));
}

/* 4. The terminal: to --console-socket (connected now), or relayed by a
 * foreground exec. */
static gboolean
prepare_terminal (Exec *exec, const UrunExecOptions *options, GError **error)
{
  UrunInitPlan *plan = &exec->owner->plan;

  if (!plan->terminal)
    return TRUE;
  if (options->console_socket != NULL)
    {
      exec->console_fd = urun_terminal_connect (options->console_socket, error);
      return exec->console_fd >= 0;
    }
  if (options->detach)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "a detached exec with a terminal has nobody to hand it to: use "
                      "--console-socket PATH (or drop -t / process.terminal)");
  /* The size of urun's terminal before the process can ask for it; the
   * monitor follows later changes. */
  if (plan->console_rows == 0 || plan->console_cols == 0)
    {
      struct winsize size;

      if (ioctl (STDIN_FILENO, TIOCGWINSZ, &size) == 0
          || ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0)
        {
          plan->console_rows = size.ws_row;
          plan->console_cols = size.ws_col;
        }
    }
  return TRUE;
}

static void
run_exec_child (gpointer plan)
{
  urun_init_exec_main (plan);
}

/* 5. The clone of the stage.  Signals are blocked across it: the child
 * must not run urun's handlers; the process resets them before execve. */
static gboolean
spawn_stage (Exec *exec, const UrunExecOptions *options, GError **error)
{
  URUN_AUTOCLOSE int cgroup_fd = urun_exec_open_cgroup_v2 (&exec->record->cgroup,
                                                          options->cgroup);

  return urun_spawn_child (0, cgroup_fd, &exec->plan.process.sync_fd,
                           3 + exec->plan.process.preserve_fds, run_exec_child, &exec->plan,
                           "clone the exec process", &exec->child, error);
}

/* A seccomp filter with SCMP_ACT_NOTIFY: the process's own listener fd
 * goes to linux.seccomp.listenerPath, as the container's did. */
static gboolean
send_seccomp_fd (Exec *exec, GError **error)
{
  const UrunSpecSeccomp *seccomp = exec->spec->linux_ ? exec->spec->linux_->seccomp : NULL;
  g_autofree char *json = NULL;
  gboolean ok;

  if (exec->child.seccomp_fd < 0)
    return TRUE;
  if (seccomp == NULL || seccomp->listener_path == NULL)
    return urun_fail (error, URUN_ERROR_FAILED, "seccomp: a notify fd but no listenerPath");
  json = urun_container_record_json (exec->record, "running");
  ok = urun_seccomp_send_to_listener (seccomp->listener_path, seccomp->listener_metadata,
                                      exec->child.pid, json, exec->child.seccomp_fd, error);
  urun_close_fdp (&exec->child.seccomp_fd);
  return ok;
}

gboolean
urun_container_exec (const UrunRuntime *runtime, const char *id, const UrunExecOptions *options,
                     int *out_exit_status, GPtrArray *warnings, GError **error)
{
  g_auto (Exec) exec = { 0 };
  UrunMonitorOptions monitor_options = URUN_MONITOR_OPTIONS_INIT;
  sigset_t saved_mask;
  gboolean foreground = !options->detach;
  int wait_status = 0;
  UrunCgroupHost cgroup_host;

  g_return_val_if_fail (runtime != NULL && id != NULL && options != NULL, FALSE);
  exec.child = (UrunInitProcess) URUN_INIT_PROCESS_INIT;
  exec.init_pidfd = -1;
  exec.console_fd = -1;
  exec.placement = (UrunCgroupPlacement) URUN_CGROUP_PLACEMENT_INIT;
  exec.plan.root_fd = -1;

  if (!check_options (options, error) || !load_container (runtime, id, options->ignore_paused, &exec, error)
      || !build_process (runtime, &exec, options, warnings, error)
      || !open_namespaces (&exec, error))
    return FALSE;
  decide_setgroups (&exec, warnings);
  if (!prepare_terminal (&exec, options, error))
    return FALSE;

  /* Into the v1 hierarchies the process moves itself, as init does
   * (urun-cgroup.h: moving it by pid waits for the kernel's global cgroup
   * lock). */
  if (urun_exec_open_cgroup_v1 (&exec.record->cgroup, options->cgroup, &exec.placement)
      && !urun_container_plan_cgroup_tasks (exec.owner, &exec.placement, error))
    return FALSE;
  /* The stage closes every other fd of urun's at once: the state
   * directory's, init's pidfd, the console socket. */
  urun_plan_owner_seal_fds (exec.owner);
  exec.plan.process = exec.owner->plan;

  if (foreground)
    {
      /* Orphans of a process in a container without its own pid namespace
       * come back to us; and no signal may be lost between the clone and
       * the loop that forwards them. */
      prctl (PR_SET_CHILD_SUBREAPER, 1);
      urun_monitor_block_signals (&saved_mask);
    }

  if (!spawn_stage (&exec, options, error))
    goto fail;
  urun_container_cgroup_host (runtime, exec.record->rootless, &cgroup_host);
  if (!urun_exec_join_cgroup (&exec.record->cgroup, &cgroup_host, exec.child.pid,
                              options->cgroup, exec.child.born_in_cgroup,
                              exec.owner->plan.n_cgroup_tasks_fds > 0, error))
    {
      g_prefix_error (error, "container `%s`: ", id);
      goto fail;
    }
  /* The child's messages until end-of-file (see urun-init-exec.h). */
  if (!urun_spawn_go (&exec.child, error)
      || !urun_spawn_follow_stage (&exec.child, URUN_STAGE_UNTIL_EXEC, NULL, "the exec process",
                                   error))
    goto fail;
  g_debug ("container `%s`: the exec process %d runs", id, (int) exec.child.pid);

  if (!send_seccomp_fd (&exec, error))
    goto fail;
  if (exec.owner->plan.terminal && exec.child.terminal_fd < 0)
    {
      urun_fail (error, URUN_ERROR_FAILED, "the exec process sent no terminal");
      goto fail;
    }
  if (exec.console_fd >= 0)
    {
      /* The payload is the master's name, as runc sends it. */
      if (!urun_terminal_send_master (exec.console_fd, exec.child.terminal_fd, "/dev/ptmx",
                                      error))
        goto fail;
      urun_close_fdp (&exec.child.terminal_fd);
      urun_close_fdp (&exec.console_fd);
    }
  if (options->pid_file != NULL && !urun_pid_file_write (options->pid_file, exec.child.pid, error))
    goto fail;

  if (!foreground)
    {
      *out_exit_status = 0;
      return TRUE;
    }

  /* Nothing of the state store is needed any more. */
  g_clear_pointer (&exec.state, urun_container_state_free);
  monitor_options.terminal_fd = exec.child.terminal_fd;
  if (!urun_monitor_wait (exec.child.pid, exec.child.pidfd, &monitor_options, &wait_status,
                          error))
    goto fail;
  exec.child.reaped = TRUE;
  sigprocmask (SIG_SETMASK, &saved_mask, NULL);
  *out_exit_status = urun_monitor_exit_status (wait_status);
  return TRUE;

fail:
  /* Kills and reaps whichever child is left (the process, or the stage). */
  urun_spawn_kill (&exec.child);
  if (foreground)
    sigprocmask (SIG_SETMASK, &saved_mask, NULL);
  return FALSE;
}
