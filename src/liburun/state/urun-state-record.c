/* urun-state-record.c: the record of a container (state.json): building
 * it, JSON in and out, and atomic saving (see urun-state.h).
 * Zone: host side (GLib). */
#include "config.h"

#include "state/urun-state-private.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "util/urun-id.h"
#include "util/urun-json-file.h"
#include "util/urun-proc.h"
#include "util/urun-time.h"

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
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The largest state.json we agree to read. */
#define STATE_FILE_MAX (16 * 1024 * 1024)

static const char *const status_names[] = { "creating", "created", "running", "paused",
                                            "stopped" };
static const char *const driver_names[] = { "none", "systemd", "cgroupfs" };

const char *
urun_container_status_to_string (UrunContainerStatus status)
{
  g_return_val_if_fail (status <= URUN_STATUS_STOPPED, "stopped");
  return status_names[status];
}

static const char *
urun_cgroup_driver_to_string (UrunCgroupDriver driver)
{
  g_return_val_if_fail (driver <= URUN_CGROUP_DRIVER_CGROUPFS, "none");
  return driver_names[driver];
}

static gboolean
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

static UrunStateRecord *
record_alloc (void)
{
  UrunStateRecord *record = g_new0 (UrunStateRecord, 1);

  record->annotations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  record->cgroup.dropped_limits = g_ptr_array_new_with_free_func (g_free);
  return record;
}

static char *
urun_state_now_rfc3339 (void)
{
  struct timespec now;

  clock_gettime (CLOCK_REALTIME, &now);
  return urun_time_format_rfc3339_utc (&now);
}

/* A random suffix for a temporary file.  Why getrandom(2) first: one
 * syscall, where g_random_int() opens and reads /dev/urandom and seeds a
 * generator on its first call.  The writer holds the container's lock, so
 * a suffix only has to miss what a killed writer left. */
static guint32
temp_suffix (void)
{
  guint32 value;

  if (getrandom (&value, sizeof value, GRND_NONBLOCK) == (ssize_t) sizeof value)
    return value;
  return g_random_int ();
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
urun_state_record_new (const char *id, const char *owner)
{
  UrunStateRecord *record = record_alloc ();

  g_return_val_if_fail (id != NULL, NULL);

  record->oci_version = g_strdup (URUN_OCI_VERSION);
  record->id = g_strdup (id);
  record->created = urun_state_now_rfc3339 ();
  record->owner = g_strdup (owner);
  record->cgroup.driver = URUN_CGROUP_DRIVER_NONE;
  record->cgroup.reason = g_strdup ("not placed in a cgroup yet");
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
  g_free (record);
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
  json_builder_set_member_name (builder, "creating");
  json_builder_add_boolean_value (builder, record->creating);
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

  json_builder_end_object (builder); /* urun */
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The string @node holds, or NULL when it holds anything else (json-glib's
 * getters assert the node's type: a critical, not an answer). */
static const char *
string_of (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
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
  if (string_of (node) == NULL)
    return urun_fail (error, URUN_ERROR_FAILED, "state.json: `%s%s` must be a string", path,
                      name);
  g_free (*out);
  *out = g_strdup (string_of (node));
  return TRUE;
}

/* Member @name of @object as a boolean into *@out; absent leaves it. */
static gboolean
get_boolean (JsonObject *object, const char *path, const char *name, gboolean *out,
             GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return urun_fail (error, URUN_ERROR_FAILED, "state.json: `%s%s` must be a boolean", path,
                      name);
  *out = json_node_get_boolean (node);
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

/* A cgroup path below the hierarchy's root: absolute, with no "." or ".."
 * component that would lead out of it. */
static gboolean
is_cgroup_path (const char *path)
{
  g_auto (GStrv) parts = NULL;

  if (path[0] != '/')
    return FALSE;
  parts = g_strsplit (path, "/", -1);
  for (char **p = parts; *p != NULL; p++)
    if (strcmp (*p, ".") == 0 || strcmp (*p, "..") == 0)
      return FALSE;
  return TRUE;
}

/* Why check what the cgroup driver recorded: `delete` removes that cgroup
 * and, for the systemd driver, stops that unit with the caller's
 * privileges, so a record must not be able to name the host's own cgroups
 * or services.  urun only ever records a path below the hierarchy's root,
 * and a unit that it stops only as a scope of its own; any other driver's
 * unit (the service a container runs in, urun-cgroup-service.c) is never
 * stopped, only shown. */
static gboolean
check_cgroup (const UrunCgroupOutcome *cgroup, GError **error)
{
  gboolean stopped_by_delete = cgroup->driver == URUN_CGROUP_DRIVER_SYSTEMD;

  if (cgroup->path != NULL && !is_cgroup_path (cgroup->path))
    return urun_fail (error, URUN_ERROR_FAILED,
                      "state.json: `urun.cgroup.path` `%s` is not a cgroup path below the root",
                      cgroup->path);
  if (cgroup->unit != NULL
      && ((stopped_by_delete && !g_str_has_suffix (cgroup->unit, ".scope"))
          || strchr (cgroup->unit, '/') != NULL))
    return urun_fail (error, URUN_ERROR_FAILED,
                      "state.json: `urun.cgroup.unit` `%s` is not a scope unit", cgroup->unit);
  return TRUE;
}

static gboolean
parse_urun_object (UrunStateRecord *record, JsonObject *urun, GError **error)
{
  g_autofree char *start_time = NULL;
  g_autofree char *driver = NULL;
  GError *local_error = NULL;
  JsonObject *cgroup;
  JsonArray *array;

  if (!get_string (urun, "urun.", "initStartTime", FALSE, &start_time, error))
    return FALSE;
  if (start_time != NULL
      && !g_ascii_string_to_unsigned (start_time, 10, 0, G_MAXUINT64, &record->init_start_time,
                                      NULL))
    return urun_fail (error, URUN_ERROR_FAILED,
                      "state.json: `urun.initStartTime` must be a decimal number");

  if (!get_boolean (urun, "urun.", "rootless", &record->rootless, error)
      || !get_boolean (urun, "urun.", "creating", &record->creating, error))
    return FALSE;

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
      if (!check_cgroup (&record->cgroup, error))
        return FALSE;
      array = get_array (cgroup, "urun.cgroup.", "droppedLimits", &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          const char *limit = string_of (json_array_get_element (array, i));

          if (limit == NULL)
            return urun_fail (error, URUN_ERROR_FAILED,
                              "state.json: `urun.cgroup.droppedLimits[%u]` must be a string", i);
          g_ptr_array_add (record->cgroup.dropped_limits, g_strdup (limit));
        }
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
          const char *value = string_of (json_object_get_member (annotations, l->data));

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

gboolean
urun_state_record_save (const UrunStateRecord *record, int dirfd, GError **error)
{
  g_autoptr (JsonNode) node = urun_state_record_to_json (record, NULL);
  g_autofree char *text = json_to_string (node, TRUE);
  g_autofree char *tmp_name = NULL;
  URUN_AUTOCLOSE int fd = -1;
  int errsv;

  g_return_val_if_fail (dirfd >= 0, FALSE);

  /* A record that every later command would refuse to read would leave
   * its container out of reach of `delete`: refuse to write it. */
  if (strlen (text) + 1 > STATE_FILE_MAX)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "%s would take %zu bytes, more than the %d that urun reads back: make "
                      "the annotations smaller",
                      URUN_STATE_FILE, strlen (text) + 1, STATE_FILE_MAX);

  for (int attempt = 0; fd < 0; attempt++)
    {
      g_free (tmp_name);
      tmp_name = g_strdup_printf (".%s.%08x", URUN_STATE_FILE, temp_suffix ());
      fd = openat (dirfd, tmp_name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (fd < 0 && (errno != EEXIST || attempt > 100))
        return urun_fail_errno (error, errno, "create a temporary file for %s", URUN_STATE_FILE);
    }

  /* Why no fsync (of the file or of the directory): the record describes
   * processes and cgroups, which a crash of the machine ends anyway, so
   * durability buys nothing; the rename alone keeps concurrent readers
   * from a torn file.  What a crash can leave (an empty or missing
   * state.json) reads as a stopped container that `delete --force`
   * removes.  Each fsync cost 1 to 10 ms on a disk-backed state root
   * (bench/README.md). */
  if (urun_write_all (fd, text, strlen (text)) < 0 || urun_write_all (fd, "\n", 1) < 0)
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
  return TRUE;
}

UrunStateRecord *
urun_state_record_load (int dirfd, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  URUN_AUTOCLOSE int fd = -1;
  struct stat st;
  gsize len = 0;

  g_return_val_if_fail (dirfd >= 0, NULL);

  /* The owner first (see urun_state_check_owned()).  Nobody else can put
   * another file in its place before the read: the directory is ours and
   * writable by nobody else.  What is missing or not a regular file is
   * the reader's to report. */
  fd = openat (dirfd, URUN_STATE_FILE, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0 && fstat (fd, &st) == 0 && S_ISREG (st.st_mode)
      && !urun_state_check_owned (fd, "state file", URUN_STATE_FILE, error))
    return NULL;
  text = urun_json_read_at (dirfd, URUN_STATE_FILE, STATE_FILE_MAX, URUN_JSON_READ_NOFOLLOW,
                            &len, error);
  if (text == NULL)
    return NULL;
  root = urun_json_parse_bounded (text, (gssize) len, URUN_STATE_FILE, error);
  if (root == NULL)
    return NULL;
  return urun_state_record_from_json (root, error);
}
