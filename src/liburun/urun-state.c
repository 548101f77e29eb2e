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

#include "urun-state.h"
#include "urun-userns.h"
#include "urun-error.h"
#include "urun-fd.h"
#include "urun-id.h"
#include "urun-proc.h"

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

/* The largest state.json we agree to read. */
#define STATE_FILE_MAX (16 * 1024 * 1024)

struct _UrunStateStore
{
  char *root;
  int rootfd; /* -1 when the root does not exist (read-only open) */
};

struct _UrunContainerState
{
  char *id;
  int rootfd; /* F_DUPFD_CLOEXEC of the store's, so the handle outlives it */
  int dirfd;
  gboolean locked;
};

static const char *const status_names[] = { "creating", "created", "running", "paused",
                                            "stopped" };
static const char *const driver_names[] = { "none", "systemd", "cgroupfs" };

const char *
urun_container_status_to_string (UrunContainerStatus status)
{
  g_return_val_if_fail (status <= URUN_STATUS_STOPPED, "stopped");
  return status_names[status];
}

const char *
urun_cgroup_driver_to_string (UrunCgroupDriver driver)
{
  g_return_val_if_fail (driver <= URUN_CGROUP_DRIVER_CGROUPFS, "none");
  return driver_names[driver];
}

gboolean
urun_cgroup_driver_from_string (const char *name, UrunCgroupDriver *out_driver)
{
  for (guint i = 0; i < G_N_ELEMENTS (driver_names); i++)
    if (g_strcmp0 (name, driver_names[i]) == 0)
      {
        *out_driver = (UrunCgroupDriver) i;
        return TRUE;
      }
  return FALSE;
}

/* ---- record ------------------------------------------------------------ */

static void
cleanup_item_free (UrunCleanupItem *item)
{
  g_free (item->kind);
  g_free (item->path);
  g_free (item);
}

static UrunStateRecord *
record_alloc (void)
{
  UrunStateRecord *record = g_new0 (UrunStateRecord, 1);

  record->annotations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  record->cgroup.dropped_limits = g_ptr_array_new_with_free_func (g_free);
  record->cleanup = g_ptr_array_new_with_free_func ((GDestroyNotify) cleanup_item_free);
  return record;
}

char *
urun_state_now_rfc3339 (void)
{
  struct timespec now;
  struct tm tm;
  char seconds[32];

  clock_gettime (CLOCK_REALTIME, &now);
  gmtime_r (&now.tv_sec, &tm);
  strftime (seconds, sizeof seconds, "%Y-%m-%dT%H:%M:%S", &tm);
  return g_strdup_printf ("%s.%09ldZ", seconds, (long) now.tv_nsec);
}

char *
urun_state_owner_name (uid_t uid)
{
  struct passwd pw, *result = NULL;
  char buffer[4096];

  if (getpwuid_r (uid, &pw, buffer, sizeof buffer, &result) == 0 && result != NULL
      && result->pw_name != NULL && result->pw_name[0] != '\0')
    return g_strdup (result->pw_name);
  return g_strdup_printf ("%u", (unsigned) uid);
}

UrunStateRecord *
urun_state_record_new (const char *id)
{
  UrunStateRecord *record = record_alloc ();

  g_return_val_if_fail (id != NULL, NULL);

  record->oci_version = g_strdup (URUN_OCI_VERSION);
  record->id = g_strdup (id);
  record->created = urun_state_now_rfc3339 ();
  record->owner = urun_state_owner_name (getuid ());
  record->cgroup.driver = URUN_CGROUP_DRIVER_NONE;
  record->cgroup.reason = g_strdup ("cgroups are not implemented yet");
  return record;
}

void
urun_state_record_free (UrunStateRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->oci_version);
  g_free (record->id);
  g_free (record->bundle);
  g_free (record->rootfs);
  g_free (record->created);
  g_free (record->owner);
  g_clear_pointer (&record->annotations, g_hash_table_unref);
  g_free (record->cgroup.unit);
  g_free (record->cgroup.path);
  g_free (record->cgroup.reason);
  g_clear_pointer (&record->cgroup.dropped_limits, g_ptr_array_unref);
  g_clear_pointer (&record->cleanup, g_ptr_array_unref);
  g_free (record);
}

void
urun_state_record_add_cleanup (UrunStateRecord *record, const char *kind, const char *path)
{
  UrunCleanupItem *item = g_new0 (UrunCleanupItem, 1);

  item->kind = g_strdup (kind);
  item->path = g_strdup (path);
  g_ptr_array_add (record->cleanup, item);
}

static void
add_string_or_null (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
urun_state_record_to_json (const UrunStateRecord *record, const char *status)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GList) keys = NULL;
  g_autofree char *start_time = g_strdup_printf ("%" G_GUINT64_FORMAT, record->init_start_time);

  json_builder_begin_object (builder);
  add_string_or_null (builder, "ociVersion", record->oci_version);
  add_string_or_null (builder, "id", record->id);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, record->pid);
  if (status != NULL)
    add_string_or_null (builder, "status", status);
  add_string_or_null (builder, "bundle", record->bundle ? record->bundle : "");
  add_string_or_null (builder, "rootfs", record->rootfs ? record->rootfs : "");
  add_string_or_null (builder, "created", record->created);
  add_string_or_null (builder, "owner", record->owner ? record->owner : "");

  /* Sorted so that the output is stable. */
  json_builder_set_member_name (builder, "annotations");
  json_builder_begin_object (builder);
  keys = g_list_sort (g_hash_table_get_keys (record->annotations), (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    add_string_or_null (builder, l->data, g_hash_table_lookup (record->annotations, l->data));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "urun");
  json_builder_begin_object (builder);
  /* A string: a uint64 does not survive every JSON reader's doubles. */
  add_string_or_null (builder, "initStartTime", start_time);
  json_builder_set_member_name (builder, "rootless");
  json_builder_add_boolean_value (builder, record->rootless);

  json_builder_set_member_name (builder, "cgroup");
  json_builder_begin_object (builder);
  add_string_or_null (builder, "driver", urun_cgroup_driver_to_string (record->cgroup.driver));
  if (record->cgroup.unit != NULL)
    add_string_or_null (builder, "unit", record->cgroup.unit);
  if (record->cgroup.path != NULL)
    add_string_or_null (builder, "path", record->cgroup.path);
  if (record->cgroup.reason != NULL)
    add_string_or_null (builder, "reason", record->cgroup.reason);
  json_builder_set_member_name (builder, "droppedLimits");
  json_builder_begin_array (builder);
  for (guint i = 0; i < record->cgroup.dropped_limits->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (record->cgroup.dropped_limits, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "cleanup");
  json_builder_begin_array (builder);
  for (guint i = 0; i < record->cleanup->len; i++)
    {
      const UrunCleanupItem *item = g_ptr_array_index (record->cleanup, i);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "kind", item->kind);
      add_string_or_null (builder, "path", item->path);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder); /* urun */
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Reads member @name of @object as a string into *@out (copied).  Absent or
 * null leaves *@out alone unless @required. */
static gboolean
get_string (JsonObject *object, const char *path, const char *name, gboolean required,
            char **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return urun_fail (error, URUN_ERROR_FAILED, "state.json: `%s%s` is missing", path, name);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return urun_fail (error, URUN_ERROR_FAILED, "state.json: `%s%s` must be a string", path,
                      name);
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static JsonObject *
get_object (JsonObject *object, const char *path, const char *name, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      urun_fail (error, URUN_ERROR_FAILED, "state.json: `%s%s` must be an object", path, name);
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonArray *
get_array (JsonObject *object, const char *path, const char *name, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      urun_fail (error, URUN_ERROR_FAILED, "state.json: `%s%s` must be an array", path, name);
      return NULL;
    }
  return json_node_get_array (node);
}

static gboolean
parse_urun_object (UrunStateRecord *record, JsonObject *urun, GError **error)
{
  g_autofree char *start_time = NULL;
  g_autofree char *driver = NULL;
  GError *local_error = NULL;
  JsonObject *cgroup;
  JsonArray *array;
  JsonNode *node;

  if (!get_string (urun, "urun.", "initStartTime", FALSE, &start_time, error))
    return FALSE;
  if (start_time != NULL
      && !g_ascii_string_to_unsigned (start_time, 10, 0, G_MAXUINT64, &record->init_start_time,
                                      NULL))
    return urun_fail (error, URUN_ERROR_FAILED,
                      "state.json: `urun.initStartTime` must be a decimal number");

  node = json_object_get_member (urun, "rootless");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return urun_fail (error, URUN_ERROR_FAILED,
                          "state.json: `urun.rootless` must be a boolean");
      record->rootless = json_node_get_boolean (node);
    }

  cgroup = get_object (urun, "urun.", "cgroup", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (cgroup != NULL)
    {
      g_clear_pointer (&record->cgroup.reason, g_free);
      if (!get_string (cgroup, "urun.cgroup.", "driver", TRUE, &driver, error)
          || !get_string (cgroup, "urun.cgroup.", "unit", FALSE, &record->cgroup.unit, error)
          || !get_string (cgroup, "urun.cgroup.", "path", FALSE, &record->cgroup.path, error)
          || !get_string (cgroup, "urun.cgroup.", "reason", FALSE, &record->cgroup.reason,
                          error))
        return FALSE;
      if (!urun_cgroup_driver_from_string (driver, &record->cgroup.driver))
        return urun_fail (error, URUN_ERROR_FAILED,
                          "state.json: unknown cgroup driver `%s` in `urun.cgroup.driver`",
                          driver);
      array = get_array (cgroup, "urun.cgroup.", "droppedLimits", &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          const char *limit = json_node_get_string (json_array_get_element (array, i));

          if (limit == NULL)
            return urun_fail (error, URUN_ERROR_FAILED,
                              "state.json: `urun.cgroup.droppedLimits[%u]` must be a string", i);
          g_ptr_array_add (record->cgroup.dropped_limits, g_strdup (limit));
        }
    }

  array = get_array (urun, "urun.", "cleanup", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *kind = NULL;
      g_autofree char *path = NULL;
      g_autofree char *where = g_strdup_printf ("urun.cleanup[%u].", i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return urun_fail (error, URUN_ERROR_FAILED,
                          "state.json: `urun.cleanup[%u]` must be an object", i);
      if (!get_string (json_node_get_object (element), where, "kind", TRUE, &kind, error)
          || !get_string (json_node_get_object (element), where, "path", TRUE, &path, error))
        return FALSE;
      urun_state_record_add_cleanup (record, kind, path);
    }
  return TRUE;
}

UrunStateRecord *
urun_state_record_from_json (JsonNode *node, GError **error)
{
  g_autoptr (UrunStateRecord) record = record_alloc ();
  GError *local_error = NULL;
  JsonObject *object, *annotations, *urun;
  JsonNode *pid;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      urun_fail (error, URUN_ERROR_FAILED, "state.json: the top level must be an object");
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_string (object, "", "ociVersion", TRUE, &record->oci_version, error)
      || !get_string (object, "", "id", TRUE, &record->id, error)
      || !get_string (object, "", "bundle", FALSE, &record->bundle, error)
      || !get_string (object, "", "rootfs", FALSE, &record->rootfs, error)
      || !get_string (object, "", "created", FALSE, &record->created, error)
      || !get_string (object, "", "owner", FALSE, &record->owner, error))
    return NULL;

  pid = json_object_get_member (object, "pid");
  if (pid != NULL)
    {
      gint64 value;

      if (!JSON_NODE_HOLDS_VALUE (pid) || json_node_get_value_type (pid) != G_TYPE_INT64)
        {
          urun_fail (error, URUN_ERROR_FAILED, "state.json: `pid` must be an integer");
          return NULL;
        }
      value = json_node_get_int (pid);
      if (value < 0 || value > G_MAXINT32)
        {
          urun_fail (error, URUN_ERROR_FAILED, "state.json: `pid` %" G_GINT64_FORMAT
                     " is out of range", value);
          return NULL;
        }
      record->pid = (pid_t) value;
    }

  annotations = get_object (object, "", "annotations", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (annotations != NULL)
    {
      g_autoptr (GList) members = json_object_get_members (annotations);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *value = json_object_get_string_member_with_default (annotations, l->data,
                                                                          NULL);

          if (value == NULL)
            {
              urun_fail (error, URUN_ERROR_FAILED,
                         "state.json: `annotations.%s` must be a string", (char *) l->data);
              return NULL;
            }
          g_hash_table_replace (record->annotations, g_strdup (l->data), g_strdup (value));
        }
    }

  urun = get_object (object, "", "urun", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (urun != NULL && !parse_urun_object (record, urun, error))
    return NULL;
  return g_steal_pointer (&record);
}

static gboolean
write_all (int fd, const char *data, size_t len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      data += n;
      len -= (size_t) n;
    }
  return TRUE;
}

gboolean
urun_state_record_save (const UrunStateRecord *record, int dirfd, GError **error)
{
  g_autoptr (JsonNode) node = urun_state_record_to_json (record, NULL);
  g_autofree char *text = json_to_string (node, TRUE);
  g_autofree char *tmp_name = NULL;
  URUN_AUTOCLOSE int fd = -1;
  int errsv;

  g_return_val_if_fail (dirfd >= 0, FALSE);

  for (int attempt = 0; fd < 0; attempt++)
    {
      g_free (tmp_name);
      tmp_name = g_strdup_printf (".%s.%08x", URUN_STATE_FILE, g_random_int ());
      fd = openat (dirfd, tmp_name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (fd < 0 && (errno != EEXIST || attempt > 100))
        return urun_fail_errno (error, errno, "create a temporary file for %s", URUN_STATE_FILE);
    }

  /* Why fsync before rename: after a crash the name must point at complete
   * contents, never at an empty file. */
  if (!write_all (fd, text, strlen (text)) || !write_all (fd, "\n", 1) || fsync (fd) < 0)
    {
      errsv = errno;
      unlinkat (dirfd, tmp_name, 0);
      return urun_fail_errno (error, errsv, "write %s", URUN_STATE_FILE);
    }
  if (renameat (dirfd, tmp_name, dirfd, URUN_STATE_FILE) < 0)
    {
      errsv = errno;
      unlinkat (dirfd, tmp_name, 0);
      return urun_fail_errno (error, errsv, "rename %s into place", URUN_STATE_FILE);
    }
  /* Makes the rename itself durable; on tmpfs (/run) it costs nothing. */
  if (fsync (dirfd) < 0 && errno != EINVAL)
    return urun_fail_errno (error, errno, "sync the state directory");
  return TRUE;
}

static char *
read_file_at (int dirfd, const char *name, gsize *out_len, GError **error)
{
  URUN_AUTOCLOSE int fd = -1;
  g_autoptr (GByteArray) data = g_byte_array_new ();
  guint8 buffer[8192];

  fd = openat (dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
  if (fd < 0)
    {
      urun_fail_errno (error, errno, "open %s", name);
      return NULL;
    }
  for (;;)
    {
      ssize_t n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          urun_fail_errno (error, errno, "read %s", name);
          return NULL;
        }
      if (n == 0)
        break;
      if (data->len + (gsize) n > STATE_FILE_MAX)
        {
          urun_fail (error, URUN_ERROR_FAILED, "%s is larger than %d bytes", name,
                     STATE_FILE_MAX);
          return NULL;
        }
      g_byte_array_append (data, buffer, (guint) n);
    }
  *out_len = data->len;
  g_byte_array_append (data, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&data), FALSE);
}

UrunStateRecord *
urun_state_record_load (int dirfd, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  GError *local_error = NULL;
  gsize len = 0;

  g_return_val_if_fail (dirfd >= 0, NULL);

  text = read_file_at (dirfd, URUN_STATE_FILE, &len, error);
  if (text == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local_error))
    {
      urun_fail (error, URUN_ERROR_FAILED, "%s: %s", URUN_STATE_FILE, local_error->message);
      g_error_free (local_error);
      return NULL;
    }
  return urun_state_record_from_json (json_parser_get_root (parser), error);
}

/* ---- status ------------------------------------------------------------ */

/* TODO(cgroup): read cgroup.freeze (v2) or freezer.state (v1) of
 * record->cgroup.path once urun places containers in cgroups. */
static gboolean
cgroup_is_frozen (const UrunStateRecord *record)
{
  return FALSE;
}

UrunContainerStatus
urun_state_status (const UrunStateRecord *record, int dirfd)
{
  struct stat st;

  g_return_val_if_fail (record != NULL, URUN_STATUS_STOPPED);

  if (record->pid <= 0)
    return URUN_STATUS_CREATING;
  /* Why the start time: pids are reused, and a container whose init died
   * long ago must not read "running" because some other process now has
   * its pid. */
  if (!urun_proc_is_alive (record->pid, record->init_start_time))
    return URUN_STATUS_STOPPED;
  if (dirfd >= 0 && fstatat (dirfd, URUN_STATE_EXEC_FIFO, &st, AT_SYMLINK_NOFOLLOW) == 0
      && S_ISFIFO (st.st_mode))
    return URUN_STATUS_CREATED;
  if (cgroup_is_frozen (record))
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
   * refuses (see check_planted_root()). */
  {
    g_autofree char *name = g_strdup_printf ("urun-%u", (unsigned) uid);

    return g_build_filename (tmpdir != NULL && tmpdir[0] != '\0' ? tmpdir : "/tmp", name, NULL);
  }
}

char *
urun_state_default_root (void)
{
  return urun_state_default_root_for (getuid (), g_getenv ("XDG_RUNTIME_DIR"),
                                      urun_userns_is_initial (), "/run/user",
                                      g_getenv ("TMPDIR"));
}

/* ---- store ------------------------------------------------------------- */

/* Why: a root inside a world-writable sticky directory (the /tmp fallback)
 * could have been created by another user, who would then see and tamper
 * with our state.  Refuse it unless we own it and nobody else can write to
 * it.  Elsewhere the parent directories are trusted. */
static gboolean
check_planted_root (const char *root, int rootfd, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (root);
  struct stat parent_st, st;

  if (stat (parent, &parent_st) < 0)
    return TRUE;
  if (!((parent_st.st_mode & S_ISVTX) && (parent_st.st_mode & S_IWOTH)))
    return TRUE;
  if (fstat (rootfd, &st) < 0)
    return urun_fail_errno (error, errno, "stat `%s`", root);
  if (st.st_uid != geteuid () || (st.st_mode & (S_IWGRP | S_IWOTH)))
    return urun_fail (error, URUN_ERROR_PERMISSION_DENIED,
                      "refusing state root `%s`: it is in a shared directory and is owned by "
                      "uid %u or writable by others",
                      root, (unsigned) st.st_uid);
  return TRUE;
}

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
  if (!check_planted_root (root, store->rootfd, error))
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

static gboolean
fail_not_found (GError **error, const char *id)
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
static gboolean
still_linked (int rootfd, const char *id, int dirfd)
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
      fail_not_found (error, id);
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
            fail_not_found (error, id);
          else if (errno == ENOTDIR || errno == ELOOP)
            urun_fail (error, URUN_ERROR_FAILED,
                       "state of container `%s` is not a directory", id);
          else
            urun_fail_errno (error, errno, "open state directory of container `%s`", id);
          return NULL;
        }
      if ((flags & URUN_STATE_OPEN_NO_LOCK) || still_linked (store->rootfd, id, dirfd))
        return container_state_new (id, store->rootfd, &dirfd,
                                    !(flags & URUN_STATE_OPEN_NO_LOCK), error);
    }
  fail_not_found (error, id);
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
urun_state_store_list (UrunStateStore *store, GError **error)
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
      record = urun_state_record_load (dirfd, &local_error);
      if (record == NULL)
        {
          g_debug ("state root: skipping `%s`: %s", dent->d_name, local_error->message);
          continue;
        }
      if (g_strcmp0 (record->id, dent->d_name) != 0)
        {
          g_debug ("state root: skipping `%s`: its state.json names `%s`", dent->d_name,
                   record->id);
          continue;
        }
      entry = g_new0 (UrunStateListEntry, 1);
      entry->status = urun_state_status (record, dirfd);
      entry->record = g_steal_pointer (&record);
      g_ptr_array_add (entries, entry);
    }
  closedir (dir);
  g_ptr_array_sort (entries, compare_entries);
  return g_steal_pointer (&entries);
}

/* ---- delete ------------------------------------------------------------ */

static int
sys_pidfd_open (pid_t pid)
{
#ifdef SYS_pidfd_open
  return (int) syscall (SYS_pidfd_open, pid, 0);
#else
  errno = ENOSYS;
  return -1;
#endif
}

static int
sys_pidfd_send_signal (int pidfd, int sig)
{
#ifdef SYS_pidfd_send_signal
  return (int) syscall (SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
#else
  errno = ENOSYS;
  return -1;
#endif
}

/* Kills the recorded init and waits for it to be gone (a zombie counts as
 * gone: its reaper is the caller of create, not us). */
static gboolean
kill_init (const char *id, pid_t pid, guint64 start_time, GError **error)
{
  URUN_AUTOCLOSE int pidfd = sys_pidfd_open (pid);
  gint64 deadline = g_get_monotonic_time () + URUN_STATE_KILL_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  if (pidfd < 0 && errno == ESRCH)
    return TRUE;
  if (pidfd < 0 && errno != ENOSYS && errno != EPERM)
    return urun_fail_errno (error, errno, "container `%s`: pidfd_open of init %d", id,
                            (int) pid);

  /* Why check after pidfd_open: the pidfd pins the process it was opened
   * on; if that process still has the recorded start time now, the signal
   * below cannot reach a newcomer that reused the pid. */
  if (!urun_proc_is_alive (pid, start_time))
    return TRUE;

  if (pidfd >= 0)
    {
      if (sys_pidfd_send_signal (pidfd, SIGKILL) < 0 && errno != ESRCH)
        return urun_fail_errno (error, errno, "container `%s`: kill init %d", id, (int) pid);
      for (;;)
        {
          struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
          gint64 left_ms = (deadline - g_get_monotonic_time ()) / G_TIME_SPAN_MILLISECOND;
          int r;

          if (left_ms <= 0)
            break;
          r = poll (&pfd, 1, (int) left_ms);
          if (r < 0 && errno == EINTR)
            continue;
          if (r < 0)
            return urun_fail_errno (error, errno, "container `%s`: wait for init %d", id,
                                    (int) pid);
          if (r > 0)
            return TRUE;
        }
    }
  else
    {
      /* No pidfd (kernel < 5.3): a small window for pid reuse remains
       * between the check above and kill(). */
      if (kill (pid, SIGKILL) < 0 && errno != ESRCH)
        return urun_fail_errno (error, errno, "container `%s`: kill init %d", id, (int) pid);
      while (g_get_monotonic_time () < deadline)
        {
          if (!urun_proc_is_alive (pid, start_time))
            return TRUE;
          g_usleep (10 * G_TIME_SPAN_MILLISECOND);
        }
    }
  if (!urun_proc_is_alive (pid, start_time))
    return TRUE;
  return urun_fail (error, URUN_ERROR_FAILED,
                    "container `%s`: init %d did not exit within %d ms of SIGKILL", id,
                    (int) pid, URUN_STATE_KILL_TIMEOUT_MS);
}

static gboolean
run_cleanup (const char *id, const UrunStateRecord *record, GError **error)
{
  for (guint i = 0; i < record->cleanup->len; i++)
    {
      const UrunCleanupItem *item = g_ptr_array_index (record->cleanup, i);

      if (g_strcmp0 (item->kind, URUN_CLEANUP_UNMOUNT) == 0)
        {
          /* MNT_DETACH: a mount still busy must not keep the state alive. */
          if (umount2 (item->path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL
              && errno != ENOENT)
            return urun_fail_errno (error, errno, "container `%s`: unmount `%s`", id,
                                    item->path);
        }
      else if (g_strcmp0 (item->kind, URUN_CLEANUP_REMOVE) == 0)
        {
          if (unlink (item->path) < 0 && errno != ENOENT)
            return urun_fail_errno (error, errno, "container `%s`: remove `%s`", id,
                                    item->path);
        }
      else
        g_debug ("container `%s`: skipping unknown cleanup kind `%s` for `%s`", id, item->kind,
                 item->path);
    }
  return TRUE;
}

/* Removes everything inside @dirfd, depth first.  Returns 0 or -errno. */
static int
remove_contents (int dirfd)
{
  int fd = openat (dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct dirent *dent;
  DIR *dir;
  int ret = 0;

  if (fd < 0)
    return -errno;
  dir = fdopendir (fd);
  if (dir == NULL)
    {
      ret = -errno;
      close (fd);
      return ret;
    }
  while ((errno = 0, dent = readdir (dir)) != NULL)
    {
      if (strcmp (dent->d_name, ".") == 0 || strcmp (dent->d_name, "..") == 0)
        continue;
      if (unlinkat (dirfd, dent->d_name, 0) == 0 || errno == ENOENT)
        continue;
      if (errno == EISDIR)
        {
          URUN_AUTOCLOSE int subfd
            = openat (dirfd, dent->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

          if (subfd < 0 || (ret = remove_contents (subfd)) < 0)
            {
              if (ret == 0)
                ret = -errno;
              break;
            }
          if (unlinkat (dirfd, dent->d_name, AT_REMOVEDIR) == 0 || errno == ENOENT)
            continue;
        }
      ret = -errno;
      break;
    }
  if (ret == 0 && errno != 0)
    ret = -errno;
  closedir (dir);
  return ret;
}

gboolean
urun_state_delete (UrunContainerState *state, gboolean force, GError **error)
{
  g_autoptr (UrunStateRecord) record = NULL;
  g_autoptr (GError) local_error = NULL;
  int r;

  g_return_val_if_fail (state != NULL && state->dirfd >= 0, FALSE);
  g_return_val_if_fail (state->locked, FALSE);

  record = urun_state_record_load (state->dirfd, &local_error);
  if (record == NULL && !g_error_matches (local_error, URUN_ERROR, URUN_ERROR_NOT_FOUND)
      && !force)
    /* Without a readable record we cannot tell whether init still runs. */
    return urun_fail (error, URUN_ERROR_FAILED,
                      "cannot read the state of container `%s` (%s): use --force to delete it "
                      "anyway",
                      state->id, local_error->message);
  /* No record: the creator died before writing one (we hold its lock, so it
   * is not running) and there is no init to stop.  A corrupt record with
   * --force is removed the same way. */
  if (record != NULL)
    {
      UrunContainerStatus status = urun_state_status (record, state->dirfd);

      switch (status)
        {
        case URUN_STATUS_CREATED:
        case URUN_STATUS_RUNNING:
        case URUN_STATUS_PAUSED:
          if (!force)
            return urun_fail (error, URUN_ERROR_WRONG_STATE,
                              "cannot delete container `%s` that is %s: stop it first or use "
                              "--force",
                              state->id, urun_container_status_to_string (status));
          /* TODO(cgroup): a paused container must be thawed for SIGKILL to
           * take effect, and without a pid namespace the other processes of
           * the container need a cgroup kill. */
          if (!kill_init (state->id, record->pid, record->init_start_time, error))
            return FALSE;
          break;
        case URUN_STATUS_CREATING:
        case URUN_STATUS_STOPPED:
          break;
        }
      /* Why cleanup before removing the directory: if it fails the record
       * stays, so that a second `delete` can retry it. */
      if (!run_cleanup (state->id, record, error))
        return FALSE;
    }

  r = remove_contents (state->dirfd);
  if (r < 0)
    return urun_fail_errno (error, r, "remove state of container `%s`", state->id);
  if (!still_linked (state->rootfd, state->id, state->dirfd))
    return fail_not_found (error, state->id);
  if (unlinkat (state->rootfd, state->id, AT_REMOVEDIR) < 0)
    return urun_fail_errno (error, errno, "remove state directory of container `%s`",
                            state->id);
  urun_close_fdp (&state->dirfd);
  state->locked = FALSE;
  return TRUE;
}
