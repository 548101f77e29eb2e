/* urun-state.c: the state store (see urun-state.h).
 *
 * Zone: host side (GLib).
 *
 * Locking.  Two flocks, each taken on a fresh open file description (not a
 * dup) so that processes sharing fds through fork() still exclude each other:
 *  - the root lock, a flock on the state root directory itself, held only
 *    for non-blocking steps: LOCK_EX by create around mkdirat + openat +
 *    flock of the new directory, LOCK_SH by open around its openat.  So no
 *    one can lock a fresh container directory before its creator has, and a
 *    delete can never remove a directory whose creator has not written
 *    state.json yet.  It is never held while waiting for a container lock,
 *    so there is no lock-order deadlock with delete.
 *  - the container lock, a flock on `<root>/<id>` itself, LOCK_EX, held by
 *    the UrunContainerState for its life.  After waiting for it, open checks
 *    that the directory is still the one linked at `<root>/<id>`: a delete
 *    may have removed it meanwhile, and a create may have made a new one.
 * A directory fd is a fine target for flock(), so no lock files are needed
 * and nothing but the container directories lives in the root.
 */
#include "config.h"

#include "state/urun-state-private.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "util/urun-id.h"
#include "util/urun-proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* ---- status ------------------------------------------------------------ */

/* TRUE when someone holds the container lock of @dirfd: a fresh open
 * file description conflicts with every other, ours included. */
static gboolean
lock_is_held (int dirfd)
{
  URUN_AUTOCLOSE int fd = dirfd >= 0 ? openat (dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                                     : -1;

  if (fd < 0)
    return FALSE;
  return flock (fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
}

/* A create that has not finished holds the container lock for all of its
 * life (urun_state_create()); a record it left without the lock is one
 * whose creator died half-way: what it made is stopped, and only
 * `delete` has anything to do with it. */
static UrunContainerStatus
unfinished_status (int dirfd)
{
  return lock_is_held (dirfd) ? URUN_STATUS_CREATING : URUN_STATUS_STOPPED;
}

UrunContainerStatus
urun_state_status (const UrunStateRecord *record, int dirfd, UrunStateFrozenFunc is_frozen)
{
  struct stat st;

  g_return_val_if_fail (record != NULL, URUN_STATUS_STOPPED);

  if (record->pid <= 0 || record->creating)
    return unfinished_status (dirfd);
  /* Why the start time: pids are reused, and a container whose init died
   * long ago must not read "running" because some other process now has
   * its pid. */
  if (!urun_proc_is_alive (record->pid, record->init_start_time))
    return URUN_STATUS_STOPPED;
  if (dirfd >= 0 && fstatat (dirfd, URUN_STATE_EXEC_FIFO, &st, AT_SYMLINK_NOFOLLOW) == 0
      && S_ISFIFO (st.st_mode))
    return URUN_STATUS_CREATED;
  if (is_frozen != NULL && is_frozen (&record->cgroup))
    return URUN_STATUS_PAUSED;
  return URUN_STATUS_RUNNING;
}

/* ---- default root ------------------------------------------------------ */

char *
urun_state_default_root_for (uid_t uid, const char *xdg_runtime_dir, gboolean initial_userns,
                             const char *run_user_base, const char *tmpdir)
{
  g_autofree char *run_user = NULL;

  /* An empty XDG_RUNTIME_DIR counts as unset: podman running as root sets
   * it to "" on purpose. */
  if (xdg_runtime_dir != NULL && xdg_runtime_dir[0] == '\0')
    xdg_runtime_dir = NULL;

  if (uid == 0)
    {
      /* Why: rootless podman runs us as uid 0 inside its user namespace, with
       * XDG_RUNTIME_DIR set to the user's directory.  /run/urun is not
       * writable there, and the state belongs to that user anyway. */
      if (xdg_runtime_dir != NULL && !initial_userns)
        return g_build_filename (xdg_runtime_dir, "urun", NULL);
      return g_strdup ("/run/urun");
    }

  if (xdg_runtime_dir != NULL)
    return g_build_filename (xdg_runtime_dir, "urun", NULL);

  /* Why /run/user/<uid>: `su`/`sudo -u` and cron drop XDG_RUNTIME_DIR while
   * logind still provides the user's runtime directory; using it keeps the
   * state in the same place as in the user's sessions, so a container made
   * from one is visible from the other. */
  run_user = g_strdup_printf ("%s/%u", run_user_base ? run_user_base : "/run/user",
                              (unsigned) uid);
  if (g_file_test (run_user, G_FILE_TEST_IS_DIR))
    return g_build_filename (run_user, "urun", NULL);

  /* Last resort, with no runtime directory at all (containers, CI): a
   * per-uid directory in the temporary directory.  A shared /tmp lets
   * another user plant that directory first, which urun_state_store_open()
   * refuses (see urun_state_check_owned()). */
  {
    g_autofree char *name = g_strdup_printf ("urun-%u", (unsigned) uid);

    return g_build_filename (tmpdir != NULL && tmpdir[0] != '\0' ? tmpdir : "/tmp", name, NULL);
  }
}

/* ---- store ------------------------------------------------------------- */

UrunStateStore *
urun_state_store_open (const char *root, gboolean create, GError **error)
{
  g_autoptr (UrunStateStore) store = g_new0 (UrunStateStore, 1);

  g_return_val_if_fail (root != NULL && root[0] != '\0', NULL);

  store->root = g_strdup (root);
  store->rootfd = -1;
  /* 0700: the state names pids and bundles and its files steer delete;
   * nobody else has business reading or changing it. */
  if (create && g_mkdir_with_parents (root, 0700) < 0)
    {
      urun_fail_errno (error, errno, "create state root `%s`", root);
      return NULL;
    }
  store->rootfd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (store->rootfd < 0)
    {
      if (errno == ENOENT && !create)
        return g_steal_pointer (&store);
      urun_fail_errno (error, errno, "open state root `%s`", root);
      return NULL;
    }
  if (!urun_state_check_owned (store->rootfd, "state root", root, error))
    return NULL;
  return g_steal_pointer (&store);
}

void
urun_state_store_free (UrunStateStore *store)
{
  if (store == NULL)
    return;
  urun_close_fdp (&store->rootfd);
  g_free (store->root);
  g_free (store);
}

const char *
urun_state_store_get_root (UrunStateStore *store)
{
  return store->root;
}

gboolean
urun_state_exists (UrunStateStore *store, const char *id)
{
  struct stat st;

  if (store->rootfd < 0 || !urun_id_validate (id, NULL))
    return FALSE;
  return fstatat (store->rootfd, id, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR (st.st_mode);
}

gboolean
urun_state_fail_not_found (GError **error, const char *id)
{
  /* Not translated: podman matches this phrase. */
  return urun_fail (error, URUN_ERROR_NOT_FOUND, "container `%s` does not exist", id);
}

/* Opens the root again (a new open file description, see the header
 * comment) and flocks it with @operation. */
static int
lock_root (int rootfd, int operation, GError **error)
{
  URUN_AUTOCLOSE int fd = openat (rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return urun_fail_errno (error, errno, "open the state root"), -1;
  while (flock (fd, operation) < 0)
    if (errno != EINTR)
      return urun_fail_errno (error, errno, "lock the state root"), -1;
  return urun_steal_fd (&fd);
}

static UrunContainerState *
container_state_new (const char *id, int rootfd, int *dirfdp, gboolean locked, GError **error)
{
  UrunContainerState *state;
  int rootfd_copy = fcntl (rootfd, F_DUPFD_CLOEXEC, 3);

  if (rootfd_copy < 0)
    {
      urun_fail_errno (error, errno, "duplicate the state root fd");
      return NULL;
    }
  state = g_new0 (UrunContainerState, 1);
  state->id = g_strdup (id);
  state->rootfd = rootfd_copy;
  state->dirfd = urun_steal_fd (dirfdp);
  state->locked = locked;
  return state;
}

UrunContainerState *
urun_state_create (UrunStateStore *store, const char *id, GError **error)
{
  URUN_AUTOCLOSE int lockfd = -1;
  URUN_AUTOCLOSE int dirfd = -1;

  g_return_val_if_fail (store != NULL && id != NULL, NULL);

  if (!urun_id_validate (id, error))
    return NULL;
  if (store->rootfd < 0)
    {
      urun_fail (error, URUN_ERROR_FAILED, "state root `%s` does not exist", store->root);
      return NULL;
    }

  lockfd = lock_root (store->rootfd, LOCK_EX, error);
  if (lockfd < 0)
    return NULL;
  /* mkdirat is the atomic claim on the id: of several racing creators
   * exactly one succeeds, the rest get EEXIST. */
  if (mkdirat (store->rootfd, id, 0700) < 0)
    {
      if (errno == EEXIST)
        {
          /* Not translated: podman matches this phrase. */
          urun_fail (error, URUN_ERROR_EXISTS, "container `%s` already exists", id);
          return NULL;
        }
      urun_fail_errno (error, errno, "create state directory for container `%s`", id);
      return NULL;
    }
  dirfd = openat (store->rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  /* Nobody else can hold this lock: openers need the root lock to reach the
   * directory, and we hold it exclusively. */
  if (dirfd < 0 || flock (dirfd, LOCK_EX | LOCK_NB) < 0)
    {
      int errsv = errno;

      unlinkat (store->rootfd, id, AT_REMOVEDIR);
      urun_fail_errno (error, errsv, "open state directory of container `%s`", id);
      return NULL;
    }
  return container_state_new (id, store->rootfd, &dirfd, TRUE, error);
}

/* TRUE when @dirfd is still the directory linked at `<root>/<id>`. */
gboolean
urun_state_still_linked (int rootfd, const char *id, int dirfd)
{
  struct stat linked, held;

  if (fstat (dirfd, &held) < 0 || held.st_nlink == 0)
    return FALSE;
  if (fstatat (rootfd, id, &linked, AT_SYMLINK_NOFOLLOW) < 0)
    return FALSE;
  return linked.st_dev == held.st_dev && linked.st_ino == held.st_ino;
}

UrunContainerState *
urun_state_open (UrunStateStore *store, const char *id, UrunStateOpenFlags flags,
                 GError **error)
{
  g_return_val_if_fail (store != NULL && id != NULL, NULL);

  if (!urun_id_validate (id, error))
    return NULL;
  if (store->rootfd < 0)
    {
      urun_state_fail_not_found (error, id);
      return NULL;
    }

  /* A delete may remove the directory while we wait for its lock and a
   * create may then make a new one: retry a few times before giving up. */
  for (int attempt = 0; attempt < 8; attempt++)
    {
      URUN_AUTOCLOSE int dirfd = -1;

      if (flags & URUN_STATE_OPEN_NO_LOCK)
        dirfd = openat (store->rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
      else
        {
          URUN_AUTOCLOSE int lockfd = lock_root (store->rootfd, LOCK_SH, error);
          int operation = LOCK_EX | ((flags & URUN_STATE_OPEN_NONBLOCK) ? LOCK_NB : 0);

          if (lockfd < 0)
            return NULL;
          dirfd = openat (store->rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
          /* Released before waiting for the container lock: its holder may
           * be a delete that needs nothing from us but time. */
          urun_close_fdp (&lockfd);
          if (dirfd >= 0)
            while (flock (dirfd, operation) < 0)
              {
                if (errno == EWOULDBLOCK)
                  {
                    urun_fail (error, URUN_ERROR_WRONG_STATE,
                               "container `%s` is busy: another urun process holds it", id);
                    return NULL;
                  }
                if (errno != EINTR)
                  {
                    urun_fail_errno (error, errno, "lock container `%s`", id);
                    return NULL;
                  }
              }
        }
      if (dirfd < 0)
        {
          if (errno == ENOENT)
            urun_state_fail_not_found (error, id);
          else if (errno == ENOTDIR || errno == ELOOP)
            urun_fail (error, URUN_ERROR_FAILED,
                       "state of container `%s` is not a directory", id);
          else
            urun_fail_errno (error, errno, "open state directory of container `%s`", id);
          return NULL;
        }
      if ((flags & URUN_STATE_OPEN_NO_LOCK) || urun_state_still_linked (store->rootfd, id, dirfd))
        {
          g_autofree char *path = g_build_filename (store->root, id, NULL);

          if (!urun_state_check_owned (dirfd, "state directory", path, error))
            return NULL;
          return container_state_new (id, store->rootfd, &dirfd,
                                      !(flags & URUN_STATE_OPEN_NO_LOCK), error);
        }
    }
  urun_state_fail_not_found (error, id);
  return NULL;
}

void
urun_container_state_free (UrunContainerState *state)
{
  if (state == NULL)
    return;
  urun_close_fdp (&state->dirfd);
  urun_close_fdp (&state->rootfd);
  g_free (state->id);
  g_free (state);
}

const char *
urun_container_state_get_id (UrunContainerState *state)
{
  return state->id;
}

int
urun_container_state_get_dirfd (UrunContainerState *state)
{
  return state->dirfd;
}

UrunStateRecord *
urun_container_state_load (UrunContainerState *state, GError **error)
{
  g_autoptr (UrunStateRecord) record = NULL;
  GError *local_error = NULL;

  record = urun_state_record_load (state->dirfd, &local_error);
  if (record == NULL)
    {
      if (g_error_matches (local_error, URUN_ERROR, URUN_ERROR_NOT_FOUND))
        {
          urun_fail (error, URUN_ERROR_WRONG_STATE,
                     "container `%s` has no state yet: it is being created, or its creation "
                     "failed",
                     state->id);
          g_error_free (local_error);
        }
      else
        {
          g_prefix_error (&local_error, "container `%s`: ", state->id);
          g_propagate_error (error, local_error);
        }
      return NULL;
    }
  /* The directory name is what the id is looked up by; a record naming
   * another id has been tampered with or copied. */
  if (g_strcmp0 (record->id, state->id) != 0)
    {
      urun_fail (error, URUN_ERROR_FAILED, "container `%s`: state.json names id `%s`",
                 state->id, record->id);
      return NULL;
    }
  return g_steal_pointer (&record);
}

gboolean
urun_container_state_save (UrunContainerState *state, const UrunStateRecord *record,
                           GError **error)
{
  g_return_val_if_fail (g_strcmp0 (record->id, state->id) == 0, FALSE);

  if (!urun_state_record_save (record, state->dirfd, error))
    {
      g_prefix_error (error, "container `%s`: ", state->id);
      return FALSE;
    }
  return TRUE;
}

gboolean
urun_container_state_make_exec_fifo (UrunContainerState *state, GError **error)
{
  if (mkfifoat (state->dirfd, URUN_STATE_EXEC_FIFO, 0600) < 0)
    return urun_fail_errno (error, errno, "create %s of container `%s`", URUN_STATE_EXEC_FIFO,
                            state->id);
  /* Why writable by others: init opens the fifo (through its O_PATH fd)
   * after it has become the container's user, e.g. uid 1000 for podman's
   * --user; with 0600 that open fails and init dies unseen after `create`
   * returned.  Only init's fd reaches the fifo: the state directory is
   * 0700.  fchmodat, not the mode of mkfifoat, which the umask trims. */
  if (fchmodat (state->dirfd, URUN_STATE_EXEC_FIFO, 0622, 0) < 0)
    return urun_fail_errno (error, errno, "chmod %s of container `%s`", URUN_STATE_EXEC_FIFO,
                            state->id);
  return TRUE;
}

/* ---- list -------------------------------------------------------------- */

void
urun_state_list_entry_free (UrunStateListEntry *entry)
{
  if (entry == NULL)
    return;
  urun_state_record_free (entry->record);
  g_free (entry);
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const UrunStateListEntry *ea = *(UrunStateListEntry *const *) a;
  const UrunStateListEntry *eb = *(UrunStateListEntry *const *) b;

  return strcmp (ea->record->id, eb->record->id);
}

GPtrArray *
urun_state_store_list (UrunStateStore *store, UrunStateFrozenFunc is_frozen, GError **error)
{
  g_autoptr (GPtrArray) entries
    = g_ptr_array_new_with_free_func ((GDestroyNotify) urun_state_list_entry_free);
  DIR *dir;
  struct dirent *dent;
  int fd;

  if (store->rootfd < 0)
    return g_steal_pointer (&entries);

  fd = openat (store->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || (dir = fdopendir (fd)) == NULL)
    {
      int errsv = errno;

      if (fd >= 0)
        close (fd);
      urun_fail_errno (error, errsv, "read state root `%s`", store->root);
      return NULL;
    }
  while ((errno = 0, dent = readdir (dir)) != NULL)
    {
      g_autoptr (UrunStateRecord) record = NULL;
      g_autoptr (GError) local_error = NULL;
      URUN_AUTOCLOSE int dirfd = -1;
      UrunStateListEntry *entry;

      if (dent->d_name[0] == '.' || !urun_id_validate (dent->d_name, NULL))
        continue;
      dirfd = openat (store->rootfd, dent->d_name,
                      O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
      if (dirfd < 0)
        {
          g_debug ("state root: skipping `%s`: %s", dent->d_name, urun_strerror (errno));
          continue;
        }
      {
        g_autofree char *path = g_build_filename (store->root, dent->d_name, NULL);

        if (!urun_state_check_owned (dirfd, "state directory", path, &local_error))
          {
            g_debug ("state root: skipping `%s`: %s", dent->d_name, local_error->message);
            continue;
          }
      }
      record = urun_state_record_load (dirfd, &local_error);
      if (record == NULL)
        {
          /* Listed all the same: hiding it would hide what `delete` has
           * to clean up. */
          g_debug ("state root: `%s` has no readable state: %s", dent->d_name,
                   local_error->message);
          entry = g_new0 (UrunStateListEntry, 1);
          entry->record = urun_state_record_new (dent->d_name, NULL);
          g_clear_pointer (&entry->record->created, g_free);
          entry->status = unfinished_status (dirfd);
          g_ptr_array_add (entries, entry);
          continue;
        }
      if (g_strcmp0 (record->id, dent->d_name) != 0)
        {
          g_debug ("state root: skipping `%s`: its state.json names `%s`", dent->d_name,
                   record->id);
          continue;
        }
      entry = g_new0 (UrunStateListEntry, 1);
      entry->status = urun_state_status (record, dirfd, is_frozen);
      entry->record = g_steal_pointer (&record);
      g_ptr_array_add (entries, entry);
    }
  closedir (dir);
  g_ptr_array_sort (entries, compare_entries);
  return g_steal_pointer (&entries);
}

