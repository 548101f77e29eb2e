/* urun-container.c: create, start, run, kill and delete (see
 * urun-container.h).  Zone: host side (GLib).
 *
 * A container's life on the host is its directory in the state store
 * (state.json, exec.fifo, and config.json when it has hooks to run later),
 * its init process, and (later) its cgroup.  Every failure path below undoes
 * exactly what was done, so a failed create leaves nothing behind.
 */
#include "config.h"

#include "urun-container.h"
#include "urun-error.h"
#include "urun-fd.h"
#include "urun-hooks.h"
#include "urun-idmap.h"
#include "urun-monitor.h"
#include "urun-plan-build.h"
#include "urun-proc.h"
#include "urun-spawn.h"
#include "urun-spec.h"
#include "urun-state.h"
#include "urun-userns.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* A copy of the bundle's config.json kept in the state directory when the
 * container has poststart or poststop hooks: `start` and `delete` must run
 * them even if the bundle changed or went away. */
#define SAVED_CONFIG "config.json"

/* How long `start` waits for init to take the exec.fifo byte. */
#define START_TIMEOUT_MS 10000

/* Everything a create in progress holds, so that a failure can undo it. */
typedef struct
{
  UrunStateStore *store;
  UrunContainerState *state;
  UrunSpec *spec;
  UrunStateRecord *record;
  UrunPlanOwner *owner;
  UrunIdMapPlan idmap;
  UrunInitProcess init;
  char *bundle;
  gboolean rootless;
} Creation;

static void
creation_clear (Creation *creation)
{
  urun_init_process_clear (&creation->init);
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
  urun_spawn_kill (&creation->init);
  if (creation->state != NULL)
    {
      g_autoptr (GError) error = NULL;

      if (!urun_state_delete (creation->state, TRUE, &error))
        g_debug ("cleaning up a failed create: %s", error->message);
      g_clear_pointer (&creation->state, urun_container_state_free);
    }
}

static char *
default_root (const UrunRuntime *runtime)
{
  return runtime->state_root ? g_strdup (runtime->state_root) : urun_state_default_root ();
}

static gboolean
resolve_rootless (const UrunRuntime *runtime)
{
  switch (runtime->rootless)
    {
    case URUN_ROOTLESS_TRUE:
      return TRUE;
    case URUN_ROOTLESS_FALSE:
      return FALSE;
    case URUN_ROOTLESS_AUTO:
    default:
      return urun_userns_caller_is_rootless ();
    }
}

static char *
state_json (const UrunStateRecord *record, const char *status)
{
  g_autoptr (JsonNode) node = urun_state_record_to_json (record, status);

  return json_to_string (node, FALSE);
}

static gboolean
has_late_hooks (const UrunSpec *spec)
{
  return spec->hooks != NULL && (spec->hooks->n_poststart > 0 || spec->hooks->n_poststop > 0);
}

static gboolean
has_init_hooks (const UrunSpec *spec)
{
  return spec->hooks != NULL
         && (spec->hooks->n_create_container > 0 || spec->hooks->n_start_container > 0);
}

static gboolean
save_config_copy (Creation *creation, GError **error)
{
  g_autofree char *source = g_build_filename (creation->bundle, "config.json", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  int dirfd = urun_container_state_get_dirfd (creation->state);
  URUN_AUTOCLOSE int fd = -1;

  if (!g_file_get_contents (source, &contents, &length, error))
    return FALSE;
  fd = openat (dirfd, SAVED_CONFIG, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, contents, length) != (ssize_t) length)
    return urun_fail_errno (error, errno, "save a copy of config.json");
  return TRUE;
}

/* The spec saved at create time, or NULL when the container has no hooks
 * that run after create. */
static UrunSpec *
load_saved_config (UrunContainerState *state, GError **error)
{
  g_autofree char *contents = NULL;
  int dirfd = urun_container_state_get_dirfd (state);
  URUN_AUTOCLOSE int fd = openat (dirfd, SAVED_CONFIG, O_RDONLY | O_CLOEXEC);
  g_autoptr (GIOChannel) channel = NULL;
  gsize length;

  if (fd < 0)
    {
      if (errno != ENOENT)
        urun_fail_errno (error, errno, "read the saved config.json");
      return NULL;
    }
  channel = g_io_channel_unix_new (fd);
  g_io_channel_set_encoding (channel, NULL, NULL);
  if (g_io_channel_read_to_end (channel, &contents, &length, error) != G_IO_STATUS_NORMAL)
    return NULL;
  return urun_spec_load_data (contents, (gssize) length, SAVED_CONFIG, error);
}

static gboolean
write_pid_file (const char *path, pid_t pid, GError **error)
{
  g_autofree char *contents = g_strdup_printf ("%d", (int) pid);

  /* g_file_set_contents() writes a temporary file and renames it: a
   * reader such as conmon never sees a partial pid. */
  if (!g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    {
      g_prefix_error (error, "write the pid file: ");
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_runtime_hooks (gpointer user_data, GError **error)
{
  Creation *creation = user_data;
  const UrunSpecHooks *hooks = creation->spec->hooks;
  g_autofree char *json = state_json (creation->record, "creating");

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

static int
listen_fds_of_caller (void)
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

static gboolean
write_state_memfd (int fd, const UrunStateRecord *record, GError **error)
{
  g_autofree char *json = state_json (record, "creating");
  gsize len = strlen (json);

  if (ftruncate (fd, 0) < 0 || pwrite (fd, json, len, 0) != (ssize_t) len)
    return urun_fail_errno (error, errno, "write the state for the hooks");
  return TRUE;
}

/* Everything of create up to a READY init.  With @use_fifo init then blocks
 * on exec.fifo (create); without, it waits for urun_spawn_continue()
 * (run).  On failure everything done is undone. */
static gboolean
create_container (const UrunRuntime *runtime, const UrunCreateOptions *options,
                  gboolean use_fifo, Creation *creation, GPtrArray *warnings, GError **error)
{
  g_autofree char *root = default_root (runtime);
  g_autofree char *config_path = NULL;
  g_autofree char *user_name = NULL;
  struct passwd *pw;
  UrunPlanOptions plan_options = { 0 };
  UrunProcStat stat_of_init;
  int dirfd;
  int state_fd = -1;

  creation->bundle = g_canonicalize_filename (options->bundle ? options->bundle : ".", NULL);
  config_path = g_build_filename (creation->bundle, "config.json", NULL);
  creation->spec = urun_spec_load_file (config_path, error);
  if (creation->spec == NULL)
    return FALSE;

  creation->store = urun_state_store_open (root, TRUE, error);
  if (creation->store == NULL)
    return FALSE;
  creation->state = urun_state_create (creation->store, options->id, error);
  if (creation->state == NULL)
    return FALSE;
  dirfd = urun_container_state_get_dirfd (creation->state);

  /* From here on the state directory exists: every failure undoes it. */
  creation->rootless = resolve_rootless (runtime);
  pw = getpwuid (geteuid ());
  user_name = g_strdup (pw ? pw->pw_name : NULL);
  if (!urun_idmap_plan (creation->spec, geteuid () == 0, geteuid (), getegid (), user_name,
                        NULL, &creation->idmap, warnings, error))
    goto fail;

  plan_options.id = options->id;
  plan_options.bundle = creation->bundle;
  plan_options.rootless = creation->rootless;
  plan_options.privileged = geteuid () == 0 && urun_userns_is_initial ();
  plan_options.no_pivot = options->no_pivot;
  plan_options.no_new_keyring = options->no_new_keyring;
  plan_options.preserve_fds = options->preserve_fds;
  plan_options.listen_fds = listen_fds_of_caller ();
  creation->owner = urun_plan_build (creation->spec, &plan_options, error);
  if (creation->owner == NULL)
    goto fail;
  creation->owner->plan.child_close_fds = urun_plan_owner_keep (creation->owner,
                                                                g_memdup2 (&dirfd, sizeof dirfd));
  creation->owner->plan.n_child_close_fds = 1;

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
      creation->owner->plan.exec_fifo_fd = urun_plan_owner_keep_fd (creation->owner, fifo_fd);
    }
  if (has_init_hooks (creation->spec))
    {
      state_fd = memfd_create ("urun-state", MFD_CLOEXEC);
      if (state_fd < 0)
        {
          urun_fail_errno (error, errno, "memfd_create");
          goto fail;
        }
      creation->owner->plan.state_fd = urun_plan_owner_keep_fd (creation->owner, state_fd);
    }
  if (has_late_hooks (creation->spec) && !save_config_copy (creation, error))
    goto fail;

  creation->record = urun_state_record_new (options->id);
  creation->record->bundle = g_strdup (creation->bundle);
  creation->record->rootfs = g_strdup (creation->owner->plan.rootfs);
  creation->record->rootless = creation->rootless;
  copy_annotations (creation->spec, creation->record);

  if (!urun_spawn_init (&creation->owner->plan, &creation->idmap, &creation->init, error))
    goto fail;
  creation->record->pid = creation->init.pid;
  if (urun_proc_stat_read (creation->init.pid, &stat_of_init, NULL))
    creation->record->init_start_time = stat_of_init.start_time;

  if (!urun_container_state_save (creation->state, creation->record, error))
    goto fail;
  if (state_fd >= 0 && !write_state_memfd (state_fd, creation->record, error))
    goto fail;
  if (!urun_spawn_go (&creation->init, error)
      || !urun_spawn_wait_ready (&creation->init, run_runtime_hooks, creation, error))
    goto fail;

  if (options->pid_file != NULL && !write_pid_file (options->pid_file, creation->init.pid, error))
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

  creation.init = (UrunInitProcess) URUN_INIT_PROCESS_INIT;
  return create_container (runtime, options, TRUE, &creation, warnings, error);
}

static void
run_poststart_hooks (const UrunSpec *spec, const UrunStateRecord *record, GPtrArray *warnings)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;

  if (spec == NULL || spec->hooks == NULL || spec->hooks->n_poststart == 0)
    return;
  json = state_json (record, "running");
  /* The spec: a failing poststart hook is a warning; the container runs. */
  if (!urun_hooks_run ("poststart", spec->hooks->poststart, spec->hooks->n_poststart, json,
                       &error))
    g_ptr_array_add (warnings, g_strdup (error->message));
}

static void
run_poststop_hooks (const UrunSpec *spec, const UrunStateRecord *record, GPtrArray *warnings)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;

  if (spec == NULL || spec->hooks == NULL || spec->hooks->n_poststop == 0)
    return;
  json = state_json (record, "stopped");
  if (!urun_hooks_run ("poststop", spec->hooks->poststop, spec->hooks->n_poststop, json,
                       &error))
    g_ptr_array_add (warnings, g_strdup (error->message));
}

/* Waits for init to take the byte of exec.fifo, or to die. */
static gboolean
release_init (UrunContainerState *state, const UrunStateRecord *record, GError **error)
{
  int dirfd = urun_container_state_get_dirfd (state);
  URUN_AUTOCLOSE int fifo = openat (dirfd, "exec.fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  URUN_AUTOCLOSE int pidfd = (int) syscall (SYS_pidfd_open, record->pid, 0);
  struct pollfd fds[2];
  char byte;
  int r;

  if (fifo < 0)
    return urun_fail_errno (error, errno, "open exec.fifo of container `%s`", record->id);

  fds[0] = (struct pollfd) { .fd = fifo, .events = POLLIN };
  fds[1] = (struct pollfd) { .fd = pidfd, .events = POLLIN };
  do
    r = poll (fds, pidfd >= 0 ? 2 : 1, START_TIMEOUT_MS);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return urun_fail_errno (error, errno, "wait for container `%s`", record->id);
  if (r > 0 && (fds[0].revents & POLLIN) && read (fifo, &byte, 1) == 1)
    {
      unlinkat (dirfd, "exec.fifo", 0);
      return TRUE;
    }
  if (r == 0)
    return urun_fail (error, URUN_ERROR_FAILED,
                      "container `%s` did not start within %d s", record->id,
                      START_TIMEOUT_MS / 1000);
  return urun_fail (error, URUN_ERROR_WRONG_STATE,
                    "the init process of container `%s` died before it could start",
                    record->id);
}

gboolean
urun_container_start (const UrunRuntime *runtime, const char *id, GPtrArray *warnings,
                      GError **error)
{
  g_autofree char *root = default_root (runtime);
  g_autoptr (UrunStateStore) store = urun_state_store_open (root, FALSE, error);
  g_autoptr (UrunContainerState) state = NULL;
  g_autoptr (UrunStateRecord) record = NULL;
  g_autoptr (UrunSpec) spec = NULL;
  UrunContainerStatus status;

  if (store == NULL)
    return FALSE;
  state = urun_state_open (store, id, URUN_STATE_OPEN_DEFAULT, error);
  if (state == NULL)
    return FALSE;
  record = urun_container_state_load (state, error);
  if (record == NULL)
    return FALSE;
  status = urun_state_status (record, urun_container_state_get_dirfd (state));
  if (status != URUN_STATUS_CREATED)
    return urun_fail (error, URUN_ERROR_WRONG_STATE,
                      "cannot start container `%s`: it is %s, not created", id,
                      urun_container_status_to_string (status));
  spec = load_saved_config (state, error);
  if (spec == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (!release_init (state, record, error))
    return FALSE;
  run_poststart_hooks (spec, record, warnings);
  return TRUE;
}

static gboolean
delete_container (UrunContainerState *state, gboolean force, GPtrArray *warnings,
                  GError **error)
{
  g_autoptr (UrunStateRecord) record = urun_container_state_load (state, NULL);
  g_autoptr (UrunSpec) spec = NULL;
  g_autoptr (GError) config_error = NULL;

  /* Read the saved config before the directory goes. */
  spec = load_saved_config (state, &config_error);
  if (config_error != NULL)
    g_ptr_array_add (warnings, g_strdup_printf ("poststop hooks not run: %s",
                                                config_error->message));
  if (!urun_state_delete (state, force, error))
    return FALSE;
  if (record != NULL)
    run_poststop_hooks (spec, record, warnings);
  return TRUE;
}

gboolean
urun_container_delete (const UrunRuntime *runtime, const char *id, gboolean force,
                       GPtrArray *warnings, GError **error)
{
  g_autofree char *root = default_root (runtime);
  g_autoptr (UrunStateStore) store = urun_state_store_open (root, FALSE, error);
  g_autoptr (UrunContainerState) state = NULL;

  g_autoptr (GError) open_error = NULL;

  if (store == NULL)
    return FALSE;
  state = urun_state_open (store, id, URUN_STATE_OPEN_DEFAULT, &open_error);
  if (state == NULL)
    {
      /* With --force the goal is "this container is gone", which is already
       * true: podman and conmon clean up this way, as with runc. */
      if (force && g_error_matches (open_error, URUN_ERROR, URUN_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&open_error));
      return FALSE;
    }
  return delete_container (state, force, warnings, error);
}

gboolean
urun_container_run (const UrunRuntime *runtime, const UrunCreateOptions *options,
                    gboolean detach, gboolean keep, int *out_exit_status, GPtrArray *warnings,
                    GError **error)
{
  g_auto (Creation) creation = { 0 };
  sigset_t saved_mask;
  int wait_status = 0;

  creation.init = (UrunInitProcess) URUN_INIT_PROCESS_INIT;
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
  if (!urun_spawn_continue (&creation.init, error))
    {
      creation_abort (&creation);
      return FALSE;
    }
  run_poststart_hooks (creation.spec, creation.record, warnings);

  if (detach)
    {
      *out_exit_status = 0;
      return TRUE;
    }

  /* Let other commands (kill, state, delete --force) at the container while
   * it runs: the lock is only needed again for the cleanup. */
  g_clear_pointer (&creation.state, urun_container_state_free);
  if (!urun_monitor_wait (creation.init.pid, creation.init.pidfd, &wait_status, error))
    return FALSE;
  creation.init.reaped = TRUE;
  sigprocmask (SIG_SETMASK, &saved_mask, NULL);
  *out_exit_status = urun_monitor_exit_status (wait_status);

  if (!keep)
    {
      g_autoptr (GError) cleanup_error = NULL;
      g_autoptr (UrunContainerState) state = urun_state_open (creation.store, options->id,
                                                              URUN_STATE_OPEN_DEFAULT,
                                                              &cleanup_error);

      /* Someone may have deleted it meanwhile (delete --force): fine. */
      if (state != NULL && !delete_container (state, TRUE, warnings, &cleanup_error))
        g_ptr_array_add (warnings, g_strdup (cleanup_error->message));
    }
  return TRUE;
}

static gboolean
signal_process (pid_t pid, guint64 start_time, int signum)
{
  URUN_AUTOCLOSE int pidfd = (int) syscall (SYS_pidfd_open, pid, 0);

  /* Check the start time after taking the pidfd: from then on the pid
   * cannot be reused under us. */
  if (pidfd < 0 || !urun_proc_is_alive (pid, start_time))
    return FALSE;
  return syscall (SYS_pidfd_send_signal, pidfd, signum, NULL, 0) == 0;
}

/* Signals every process in init's pid namespace other than init, when init
 * has a pid namespace of its own. */
static void
signal_pid_namespace (pid_t init_pid, int signum)
{
  g_autofree char *init_ns_path = g_strdup_printf ("/proc/%d/ns/pid", (int) init_pid);
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  struct stat init_ns, own_ns;
  const char *name;

  if (proc == NULL || stat (init_ns_path, &init_ns) < 0 || stat ("/proc/self/ns/pid", &own_ns) < 0
      || init_ns.st_ino == own_ns.st_ino)
    return;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *ns_path = NULL;
      struct stat st;
      gint64 pid = g_ascii_strtoll (name, NULL, 10);

      if (pid <= 0 || pid == init_pid)
        continue;
      ns_path = g_strdup_printf ("/proc/%s/ns/pid", name);
      if (stat (ns_path, &st) == 0 && st.st_ino == init_ns.st_ino && st.st_dev == init_ns.st_dev)
        kill ((pid_t) pid, signum);
    }
}

gboolean
urun_container_kill (const UrunRuntime *runtime, const char *id, int signum, gboolean all,
                     GError **error)
{
  g_autofree char *root = default_root (runtime);
  g_autoptr (UrunStateStore) store = urun_state_store_open (root, FALSE, error);
  g_autoptr (UrunContainerState) state = NULL;
  g_autoptr (UrunStateRecord) record = NULL;

  if (store == NULL)
    return FALSE;
  /* No lock: a kill must get through while a foreground run or a slow
   * delete holds it. */
  state = urun_state_open (store, id, URUN_STATE_OPEN_NO_LOCK, error);
  if (state == NULL)
    return FALSE;
  record = urun_container_state_load (state, error);
  if (record == NULL)
    return FALSE;
  if (record->pid <= 0 || !urun_proc_is_alive (record->pid, record->init_start_time))
    return urun_fail (error, URUN_ERROR_WRONG_STATE, "container `%s` is not running", id);
  if (all)
    signal_pid_namespace (record->pid, signum);
  if (!signal_process (record->pid, record->init_start_time, signum))
    return urun_fail_errno (error, errno ? errno : ESRCH, "kill container `%s`", id);
  return TRUE;
}
