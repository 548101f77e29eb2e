/* urun-container-create.c: `create` and `run` (see urun-container.h): a
 * container's state directory, its init process spawned and brought to
 * READY, its cgroup, id maps, hooks, terminal, NOTIFY_SOCKET proxy and
 * seccomp notify fd; `run` then lets init go and, in the foreground,
 * monitors it and deletes the container.  Zone: host side (GLib).
 *
 * Every failure path below undoes exactly what was done, so a failed create
 * leaves nothing behind.
 */
#include "config.h"

#include "cgroup/urun-cgroup.h"
#include "cgroup/urun-cgroup-service.h"
#include "container/urun-container.h"
#include "container/urun-container-cgroup.h"
#include "container/urun-container-private.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "container/urun-hooks.h"
#include "plan/urun-idmap.h"
#include "util/urun-json-file.h"
#include "container/urun-monitor.h"
#include "container/urun-notify.h"
#include "util/urun-pid-file.h"
#include "plan/urun-plan-build.h"
#include "util/urun-proc.h"
#include "plan/urun-seccomp.h"
#include "container/urun-spawn.h"
#include "spec/urun-spec.h"
#include "state/urun-state.h"
#include "container/urun-terminal.h"
#include "util/urun-test-hook.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Everything a create in progress holds, so that a failure can undo it. */
typedef struct
{
  const UrunRuntime *runtime;
  UrunStateStore *store;
  UrunContainerState *state;
  UrunSpec *spec;
  UrunStateRecord *record;
  UrunPlanOwner *owner;
  UrunIdMapPlan idmap;
  UrunInitProcess init;
  char *bundle;
  gboolean rootless;
  gboolean foreground;           /* `run` without --detach */
  int console_fd;                /* connected --console-socket, or -1 */
  UrunNotifyProxy *notify;       /* NOTIFY_SOCKET proxy, or NULL */
  gboolean cgroup_before_clone;  /* the cgroup was made before the clone */
  UrunCgroupPlacement placement; /* its v2 directory, for the clone */
} Creation;

#define CREATION_INIT(c)                                                                   \
  do                                                                                       \
    {                                                                                      \
      (c)->init = (UrunInitProcess) URUN_INIT_PROCESS_INIT;                                \
      (c)->console_fd = -1;                                                                \
      (c)->placement = (UrunCgroupPlacement) URUN_CGROUP_PLACEMENT_INIT;                   \
    }                                                                                      \
  while (0)

static void
creation_clear (Creation *creation)
{
  urun_init_process_clear (&creation->init);
  urun_close_fdp (&creation->console_fd);
  urun_cgroup_placement_clear (&creation->placement);
  g_clear_pointer (&creation->notify, urun_notify_proxy_free);
  urun_idmap_plan_clear (&creation->idmap);
  g_clear_pointer (&creation->owner, urun_plan_owner_free);
  g_clear_pointer (&creation->record, urun_state_record_free);
  g_clear_pointer (&creation->spec, urun_spec_free);
  g_clear_pointer (&creation->state, urun_container_state_free);
  g_clear_pointer (&creation->store, urun_state_store_free);
  g_clear_pointer (&creation->bundle, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Creation, creation_clear)

/* Undoes a create that failed after the state directory existed. */
static void
creation_abort (Creation *creation)
{
  UrunCgroupHost host;

  urun_spawn_kill (&creation->init);
  urun_container_cgroup_host (creation->runtime, creation->rootless, &host);
  /* The scope or directories of the cgroup, once init is gone. */
  if (creation->record != NULL
      && !urun_cgroup_destroy (&creation->record->cgroup, &host, NULL))
    g_debug ("cleaning up the cgroup of a failed create");
  if (creation->state != NULL)
    {
      g_autoptr (GError) error = NULL;

      if (!urun_state_delete (creation->state, NULL, TRUE, urun_container_cgroup_is_frozen,
                              &error))
        g_debug ("cleaning up a failed create: %s", error->message);
      g_clear_pointer (&creation->state, urun_container_state_free);
    }
}

static gboolean
runs_as_service (const UrunRuntime *runtime)
{
  UrunCgroupHost host;
  g_autofree char *unit = NULL;

  /* Rootless or not, the service test is the same. */
  urun_container_cgroup_host (runtime, FALSE, &host);
  unit = urun_cgroup_service_of_caller (&host);
  return unit != NULL;
}

static gboolean
has_init_hooks (const UrunSpec *spec)
{
  return spec->hooks != NULL
         && (spec->hooks->n_create_container > 0 || spec->hooks->n_start_container > 0);
}

static gboolean
run_runtime_hooks (gpointer user_data, GError **error)
{
  Creation *creation = user_data;
  const UrunSpecHooks *hooks = creation->spec->hooks;
  g_autofree char *json = urun_container_record_json (creation->record, "creating");

  /* prestart is the deprecated name of the same moment; it runs first. */
  return urun_hooks_run ("prestart", hooks->prestart, hooks->n_prestart, json, error)
         && urun_hooks_run ("createRuntime", hooks->create_runtime, hooks->n_create_runtime,
                            json, error);
}

static void
copy_annotations (const UrunSpec *spec, UrunStateRecord *record)
{
  for (gsize i = 0; i < spec->n_annotations; i++)
    g_hash_table_replace (record->annotations, g_strdup (spec->annotations[i].key),
                          g_strdup (spec->annotations[i].value));
}

/* The state init's own hooks read on stdin: "creating" for createContainer,
 * then, once init is ready, "created" for startContainer, which runs after
 * create has finished (runtime.md; runc passes the same). */
static gboolean
write_state_memfd (int fd, const UrunStateRecord *record, const char *status, GError **error)
{
  g_autofree char *json = urun_container_record_json (record, status);
  gsize len = strlen (json);

  if (ftruncate (fd, 0) < 0 || pwrite (fd, json, len, 0) != (ssize_t) len)
    return urun_fail_errno (error, errno, "write the state for the hooks");
  return TRUE;
}

/* A filter with SCMP_ACT_NOTIFY: init sent its notify fd; pass it on to
 * linux.seccomp.listenerPath with the state (config-linux.md, "The
 * Container Process State"), before `create` returns.  A failure is an
 * error, as the spec requires. */
static gboolean
send_seccomp_fd (Creation *creation, GError **error)
{
  const UrunSpecSeccomp *seccomp = creation->spec->linux_ ? creation->spec->linux_->seccomp : NULL;
  g_autofree char *json = NULL;
  gboolean ok;

  if (creation->init.seccomp_fd < 0)
    return TRUE;
  if (seccomp == NULL || seccomp->listener_path == NULL)
    return urun_fail (error, URUN_ERROR_FAILED, "seccomp: a notify fd but no listenerPath");
  json = urun_container_record_json (creation->record, "creating");
  ok = urun_seccomp_send_to_listener (seccomp->listener_path, seccomp->listener_metadata,
                                      creation->init.pid, json, creation->init.seccomp_fd, error);
  /* The listener has its copy; ours would only keep notifications
   * pending should the listener go away. */
  urun_close_fdp (&creation->init.seccomp_fd);
  if (!ok)
    g_prefix_error (error, "config.json: linux.seccomp.listenerPath: ");
  return ok;
}

/* process.terminal without a foreground `run` to relay it: the pty master
 * goes to --console-socket.  Connected now, before anything exists, so
 * that a socket nobody listens on fails with nothing to undo. */
static gboolean
prepare_terminal (Creation *creation, const UrunCreateOptions *options, GError **error)
{
  const UrunSpecProcess *process = creation->spec->process;

  /* Without a terminal a console socket has nothing to receive; conmon
   * passes one only with a terminal, and runc ignores it too. */
  if (process == NULL || !process->terminal)
    return TRUE;
  if (options->console_socket == NULL)
    {
      if (creation->foreground)
        return TRUE;
      return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                        "config.json: process.terminal is true, but a detached container has "
                        "nobody to hand its terminal to: use --console-socket PATH (or set "
                        "process.terminal to false)");
    }
  creation->console_fd = urun_terminal_connect (options->console_socket, error);
  return creation->console_fd >= 0;
}

/* The pty master init sent goes to the console socket, in one message,
 * before `create` returns (conmon waits for it). */
static gboolean
hand_over_terminal (Creation *creation, GError **error)
{
  gboolean ok;

  if (creation->spec->process == NULL || !creation->spec->process->terminal)
    return TRUE;
  if (creation->init.terminal_fd < 0)
    return urun_fail (error, URUN_ERROR_FAILED, "the container's init sent no terminal");
  if (creation->console_fd < 0)
    return TRUE;
  /* The payload is the master's name, as runc sends it. */
  ok = urun_terminal_send_master (creation->console_fd, creation->init.terminal_fd, "/dev/ptmx",
                                  error);
  urun_close_fdp (&creation->init.terminal_fd);
  urun_close_fdp (&creation->console_fd);
  return ok;
}

/* Saves the record of a create in progress.  Why after each thing create
 * makes (the directory, init, the cgroup): a create killed at any point
 * leaves a record naming all it made, which `delete --force` undoes (the
 * record says "creating", and once its creator is gone "stopped"). */
static gboolean
save_progress (Creation *creation, const char *step, GError **error)
{
  if (!urun_container_state_save (creation->state, creation->record, error))
    return FALSE;
  urun_test_stop_at (step);
  return TRUE;
}

/* The record once the cgroup is placed.  Without a cgroup there is
 * nothing new for `delete --force` to undo (the save of the ready
 * container records the reason): one write less on the way to GO. */
static gboolean
save_cgroup_progress (Creation *creation, GError **error)
{
  if (creation->record->cgroup.driver != URUN_CGROUP_DRIVER_NONE)
    return save_progress (creation, "cgroup", error);
  urun_test_stop_at ("cgroup");
  return TRUE;
}

/* The cgroupfs driver's cgroup, made before the clone (UrunCgroupPlacement
 * in cgroup/urun-cgroup.h): init is to be born in its v2 directory and to
 * move itself into the v1 ones, through the `tasks` fds it keeps. */
static gboolean
make_cgroup_before_clone (Creation *creation, const UrunCreateOptions *options,
                          GPtrArray *warnings, GError **error)
{
  UrunCgroupPlacement *placement = &creation->placement;

  if (!urun_container_enter_cgroup (creation->runtime, options, creation->spec,
                                    creation->rootless, 0, placement, creation->state,
                                    creation->record, warnings, error)
      || !urun_container_plan_cgroup_tasks (creation->owner, placement, error))
    return FALSE;
  creation->owner->plan.clone_cgroup_fd = placement->v2_dirfd;
  return save_cgroup_progress (creation, error);
}

/* `run` over the record of a stopped container of the same id (its urun
 * was killed before it could clean up, e.g. a service's stop that timed
 * out): the old container is deleted, with what it left outside the state
 * directory (its cgroup or scope), so that the run can take the id.  Why
 * only `run`: `create` keeps failing with "already exists", as runc's and
 * crun's do, since podman and conmon expect it of a duplicate id; a
 * foreground or detached run has no such caller, and a service that
 * restarts would otherwise need an ExecStartPre=urun delete.  A record
 * that is busy (locked), creating, created or running is kept, and the
 * create below reports it. */
static gboolean
replace_stopped (const UrunRuntime *runtime, UrunStateStore *store, const char *id,
                 GPtrArray *warnings, GError **error)
{
  g_autoptr (UrunContainerState) state = NULL;
  g_autoptr (UrunStateRecord) record = NULL;

  state = urun_state_open (store, id, URUN_STATE_OPEN_NONBLOCK, NULL);
  if (state == NULL)
    return TRUE;
  record = urun_container_state_load (state, NULL);
  /* The status checks the pid with its start time: a reused pid does not
   * make the old container look alive. */
  if (record == NULL || record->pid <= 0
      || urun_state_status (record, urun_container_state_get_dirfd (state),
                            urun_container_cgroup_is_frozen) != URUN_STATUS_STOPPED)
    return TRUE;
  if (!urun_container_delete_opened (runtime, state, TRUE, warnings, error))
    {
      g_prefix_error (error, "replace the stopped container `%s`: ", id);
      return FALSE;
    }
  g_ptr_array_add (warnings, g_strdup_printf ("container `%s` had stopped without being deleted "
                                              "(pid %d): deleted it to run the new one",
                                              id, (int) record->pid));
  return TRUE;
}

/* Everything of create up to a READY init.  With @use_fifo init then blocks
 * on exec.fifo (create); without, it waits for urun_spawn_continue()
 * (run).  On failure everything done is undone. */
static gboolean
create_container (const UrunRuntime *runtime, const UrunCreateOptions *options,
                  gboolean use_fifo, Creation *creation, GPtrArray *warnings, GError **error)
{
  g_autofree char *config_path = NULL;
  g_autofree char *config = NULL;
  gsize config_length = 0;
  UrunPlanOptions plan_options = { 0 };
  UrunProcStat stat_of_init;
  int dirfd;
  int state_fd = -1;

  creation->bundle = g_canonicalize_filename (options->bundle ? options->bundle : ".", NULL);
  config_path = g_build_filename (creation->bundle, "config.json", NULL);
  /* Read once: the bytes validated here are the ones saved below, so that
   * nothing later sees a config.json that changed in between. */
  config = urun_json_read_at (AT_FDCWD, config_path, URUN_JSON_MAX_SIZE, URUN_JSON_READ_DEFAULT,
                              &config_length, error);
  if (config == NULL)
    return FALSE;
  creation->spec = urun_spec_load_data (config, (gssize) config_length, "config.json", error);
  if (creation->spec == NULL)
    return FALSE;
  if (!prepare_terminal (creation, options, error))
    return FALSE;

  creation->runtime = runtime;
  creation->store = urun_state_store_open (runtime->state_root, TRUE, error);
  if (creation->store == NULL)
    return FALSE;
  if (!use_fifo && !replace_stopped (runtime, creation->store, options->id, warnings, error))
    return FALSE;
  creation->state = urun_state_create (creation->store, options->id, error);
  if (creation->state == NULL)
    return FALSE;
  dirfd = urun_container_state_get_dirfd (creation->state);
  urun_test_stop_at ("state-dir");

  /* From here on the state directory exists: every failure undoes it. */
  creation->rootless = runtime->rootless;
  creation->record = urun_state_record_new (options->id, urun_runtime_user_name (runtime));
  creation->record->creating = TRUE;
  creation->record->bundle = g_strdup (creation->bundle);
  creation->record->rootless = creation->rootless;
  copy_annotations (creation->spec, creation->record);
  /* Also the size check of the record (annotations), before anything
   * exists that a record too big to read back would leave behind. */
  if (!save_progress (creation, "recorded", error))
    goto fail;
  if (!urun_container_check_cgroup (runtime, options, creation->spec, creation->rootless, error))
    goto fail;
  /* The owner's name also keys /etc/subuid and /etc/subgid (read only by
   * an unprivileged caller): one passwd lookup serves both. */
  if (!urun_idmap_plan (creation->spec, runtime->euid == 0, runtime->euid, runtime->egid,
                        creation->record->owner, NULL, &creation->idmap, warnings, error))
    goto fail;

  plan_options.id = options->id;
  plan_options.bundle = creation->bundle;
  plan_options.rootless = creation->rootless;
  plan_options.privileged = runtime->privileged;
  plan_options.euid = runtime->euid;
  plan_options.no_pivot = options->no_pivot;
  plan_options.no_new_keyring = options->no_new_keyring;
  plan_options.deny_setgroups = creation->idmap.deny_setgroups;
  plan_options.uid_mappings = creation->idmap.uid_mappings;
  plan_options.gid_mappings = creation->idmap.gid_mappings;
  plan_options.preserve_fds = options->preserve_fds;
  plan_options.listen_fds = runtime->listen_fds;
  plan_options.warnings = warnings;
  creation->owner = urun_plan_build (creation->spec, &plan_options, error);
  if (creation->owner == NULL)
    goto fail;
  if (runtime->notify_socket != NULL)
    {
      /* The proxy's socket reaches the container through a mount, and a
       * container without a mount namespace of its own gets none. */
      if (creation->owner->plan.chroot_only)
        {
          urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                     "NOTIFY_SOCKET is set, but config.json: linux.namespaces has no mount "
                     "namespace of the container's own to put its socket in: add "
                     "{\"type\": \"mount\"} to linux.namespaces, or unset NOTIFY_SOCKET");
          goto fail;
        }
      creation->notify = urun_notify_setup (creation->owner, creation->spec, dirfd,
                                            runtime->notify_socket, error);
      if (creation->notify == NULL)
        goto fail;
    }

  if (use_fifo)
    {
      int fifo_fd;

      if (!urun_container_state_make_exec_fifo (creation->state, error))
        goto fail;
      fifo_fd = openat (dirfd, "exec.fifo", O_PATH | O_CLOEXEC);
      if (fifo_fd < 0)
        {
          urun_fail_errno (error, errno, "open exec.fifo");
          goto fail;
        }
      creation->owner->plan.exec_fifo_fd = urun_plan_owner_keep_fd (creation->owner, fifo_fd,
                                                                    error);
      if (creation->owner->plan.exec_fifo_fd < 0)
        goto fail;
    }
  if (has_init_hooks (creation->spec))
    {
      state_fd = memfd_create ("urun-state", MFD_CLOEXEC);
      if (state_fd < 0)
        {
          urun_fail_errno (error, errno, "memfd_create");
          goto fail;
        }
      /* Moved, maybe: the memfd is written through its new number below. */
      state_fd = urun_plan_owner_keep_fd (creation->owner, state_fd, error);
      if (state_fd < 0)
        goto fail;
      creation->owner->plan.state_fd = state_fd;
    }
  if (!urun_container_save_config (creation->state, config, config_length, error))
    goto fail;

  creation->record->rootfs = g_strdup (creation->owner->plan.rootfs);

  /* Before the clone when the cgroupfs driver (or none) will serve: init
   * is born in its cgroup instead of being moved there by pid, which
   * waits for the kernel's global cgroup lock (urun-cgroup.h).  Not with
   * execCPUAffinity.initial: those CPUs are for init before it joins the
   * container's cgroup, so it must join later. */
  creation->cgroup_before_clone
    = creation->owner->plan.cpu_affinity_initial == NULL
      && urun_container_cgroup_before_clone (runtime, options, creation->spec,
                                             creation->rootless);
  if (creation->cgroup_before_clone
      && !make_cgroup_before_clone (creation, options, warnings, error))
    goto fail;

  urun_plan_owner_seal_fds (creation->owner);
  if (!urun_spawn_init (&creation->owner->plan, &creation->idmap, &creation->init, error))
    goto fail;
  creation->record->pid = creation->init.pid;
  /* The start time is half of init's identity: without it a later
   * command could not tell init from a process that reused its pid. */
  if (!urun_proc_stat_read (creation->init.pid, &stat_of_init, error))
    {
      g_prefix_error (error, "read the start time of the container's init: ");
      goto fail;
    }
  creation->record->init_start_time = stat_of_init.start_time;
  if (!save_progress (creation, "spawned", error))
    goto fail;
  if (creation->cgroup_before_clone)
    {
      /* A kernel or cgroup that refused CLONE_INTO_CGROUP: into the v2
       * directory by pid, still before GO. */
      if (!creation->init.born_in_cgroup
          && !urun_cgroup_placement_move_pid (&creation->placement, creation->init.pid, error))
        goto fail;
      urun_cgroup_placement_clear (&creation->placement);
    }
  else
    {
      /* Between the clone and GO: init is placed before it builds
       * anything.  The record names each cgroup or unit before it is made
       * (a kill inside this call leaves nothing that delete cannot
       * find). */
      if (!urun_container_enter_cgroup (runtime, options, creation->spec, creation->rootless,
                                        creation->init.pid, NULL, creation->state,
                                        creation->record, warnings, error)
          || !save_cgroup_progress (creation, error))
        goto fail;
    }
  /* A foreground run that systemd started as a service stays its main
   * process (it forwards signals and exits with the container): naming
   * init MAINPID would have systemd supervise a process that is not its
   * child. */
  if (creation->notify != NULL && !(creation->foreground && runs_as_service (runtime)))
    urun_notify_proxy_set_main_pid (creation->notify, creation->init.pid);

  if (state_fd >= 0 && !write_state_memfd (state_fd, creation->record, "creating", error))
    goto fail;
  /* oom_score_adj by the parent, before GO: init still runs urun's binary
   * and stops being dumpable after GO, so /proc/<init> would be the host
   * root's and out of reach of an unprivileged container's root. */
  if (creation->owner->plan.has_oom_score_adj
      && !urun_proc_write_oom_score_adj (creation->init.pid, creation->owner->plan.oom_score_adj,
                                         error))
    goto fail;
  if (!urun_spawn_go (&creation->init, error)
      || !urun_spawn_wait_ready (&creation->init, run_runtime_hooks, creation, error))
    goto fail;
  if (state_fd >= 0 && !write_state_memfd (state_fd, creation->record, "created", error))
    goto fail;
  if (!send_seccomp_fd (creation, error))
    goto fail;
  if (!hand_over_terminal (creation, error))
    goto fail;

  urun_test_stop_at ("ready");

  if (options->pid_file != NULL
      && !urun_pid_file_write (options->pid_file, creation->init.pid, error))
    goto fail;
  creation->record->creating = FALSE;
  if (!urun_container_state_save (creation->state, creation->record, error))
    goto fail;
  return TRUE;

fail:
  creation_abort (creation);
  return FALSE;
}

gboolean
urun_container_create (const UrunRuntime *runtime, const UrunCreateOptions *options,
                       GPtrArray *warnings, GError **error)
{
  g_auto (Creation) creation = { 0 };

  CREATION_INIT (&creation);
  return create_container (runtime, options, TRUE, &creation, warnings, error);
}

/* The end of a `run`: deletes the container it made (the lock was given up
 * while it ran). */
static void
delete_after_run (Creation *creation, const char *id, GPtrArray *warnings)
{
  g_autoptr (GError) cleanup_error = NULL;
  g_autoptr (UrunContainerState) state = urun_state_open (creation->store, id,
                                                          URUN_STATE_OPEN_DEFAULT,
                                                          &cleanup_error);

  /* Someone may have deleted it meanwhile (delete --force), or a new
   * run may have replaced the stopped record: fine. */
  if (state != NULL
      && !urun_container_delete_after_run (creation->runtime, state, creation->spec,
                                           creation->init.pid,
                                           creation->record->init_start_time, warnings,
                                           &cleanup_error))
    g_ptr_array_add (warnings, g_strdup (cleanup_error->message));
}

gboolean
urun_container_run (const UrunRuntime *runtime, const UrunCreateOptions *options,
                    gboolean detach, gboolean keep, int *out_exit_status, GPtrArray *warnings,
                    GError **error)
{
  g_auto (Creation) creation = { 0 };
  sigset_t saved_mask;
  int wait_status = 0;
  UrunMonitorOptions monitor_options = URUN_MONITOR_OPTIONS_INIT;

  CREATION_INIT (&creation);
  creation.foreground = !detach;
  if (!detach)
    {
      /* Orphans of a container without its own pid namespace come back to
       * us, not to the host's init; and no signal may be lost between the
       * clone and the loop that forwards them. */
      prctl (PR_SET_CHILD_SUBREAPER, 1);
      urun_monitor_block_signals (&saved_mask);
    }

  if (!create_container (runtime, options, FALSE, &creation, warnings, error))
    return FALSE;
  /* The size of urun's terminal before the payload runs and asks for it. */
  if (creation.init.terminal_fd >= 0
      && !urun_terminal_copy_size (STDIN_FILENO, creation.init.terminal_fd))
    urun_terminal_copy_size (STDOUT_FILENO, creation.init.terminal_fd);
  /* poststart hooks run once the process does, as the spec says. */
  if (!urun_spawn_continue (&creation.init, error) || !urun_spawn_wait_exec (&creation.init, error))
    {
      creation_abort (&creation);
      return FALSE;
    }
  urun_container_run_poststart_hooks (creation.spec, creation.record, warnings);

  if (detach)
    {
      *out_exit_status = 0;
      if (creation.notify != NULL)
        {
          g_clear_pointer (&creation.state, urun_container_state_free);
          if (!urun_container_wait_for_ready (creation.notify, creation.init.pidfd,
                                              options->id, warnings, error))
            {
              /* A run that failed leaves no container behind. */
              urun_spawn_kill (&creation.init);
              delete_after_run (&creation, options->id, warnings);
              return FALSE;
            }
        }
      return TRUE;
    }

  /* Let other commands (kill, state, delete --force) at the container while
   * it runs: the lock is only needed again for the cleanup. */
  g_clear_pointer (&creation.state, urun_container_state_free);
  monitor_options.terminal_fd = creation.init.terminal_fd;
  monitor_options.notify = creation.notify;
  if (!urun_monitor_wait (creation.init.pid, creation.init.pidfd, &monitor_options,
                          &wait_status, error))
    return FALSE;
  creation.init.reaped = TRUE;
  sigprocmask (SIG_SETMASK, &saved_mask, NULL);
  *out_exit_status = urun_monitor_exit_status (wait_status);

  if (!keep)
    delete_after_run (&creation, options->id, warnings);
  return TRUE;
}
