/* test-state.c: unit tests of the state store: root selection, create/open,
 * state.json round trip and permissions, status derivation against real
 * processes, list, delete, and creators racing for one id.  Also the
 * /proc/PID/stat parser the status relies on. */
#include "config.h"

#include "util/urun-error.h"
#include "util/urun-proc.h"
#include "state/urun-state.h"
#include "util/urun-userns.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  char *tmp;
  char *root;
  UrunStateStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->tmp = g_dir_make_tmp ("urun-test-state-XXXXXX", &error);
  g_assert_no_error (error);
  /* Two levels that do not exist yet: the store makes its parents. */
  f->root = g_build_filename (f->tmp, "run", "urun", NULL);
  f->store = urun_state_store_open (f->root, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->tmp);

  urun_state_store_free (f->store);
  g_assert_cmpint (system (command), ==, 0);
  g_free (f->root);
  g_free (f->tmp);
}

/* A child that sleeps until killed. */
static pid_t
spawn_sleeper (void)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      for (;;)
        pause ();
    }
  return pid;
}

static void
reap (pid_t pid)
{
  int status;

  kill (pid, SIGKILL);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
}

static UrunStateRecord *
record_for (const char *id, pid_t pid)
{
  UrunStateRecord *record = urun_state_record_new (id, "tester");
  UrunProcStat stat;

  record->bundle = g_strdup ("/bundle");
  record->rootfs = g_strdup ("/bundle/rootfs");
  if (pid > 0)
    {
      g_assert_true (urun_proc_stat_read (pid, &stat, NULL));
      record->pid = pid;
      record->init_start_time = stat.start_time;
    }
  return record;
}

/* Creates a container entry for @pid and returns it locked. */
static UrunContainerState *
make_container (Fixture *f, const char *id, pid_t pid)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunStateRecord) record = record_for (id, pid);
  UrunContainerState *state = urun_state_create (f->store, id, &error);

  g_assert_no_error (error);
  g_assert_true (urun_container_state_save (state, record, &error));
  g_assert_no_error (error);
  return state;
}

/* ---- /proc/PID/stat ---------------------------------------------------- */

static void
test_proc_parse (void)
{
  const char *tail = " 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 424242 19 20\n";
  g_autofree char *plain = g_strconcat ("77 (sleep) S", tail, NULL);
  g_autofree char *nasty = g_strconcat ("77 (a) Z 9 (b) c) R", tail, NULL);
  g_autofree char *empty = g_strconcat ("77 () S", tail, NULL);
  UrunProcStat stat;

  g_assert_cmpint (urun_proc_stat_parse (plain, strlen (plain), &stat), ==, 0);
  g_assert_cmpint (stat.state, ==, 'S');
  g_assert_cmpint (stat.ppid, ==, 1);
  g_assert_cmpuint (stat.start_time, ==, 424242);

  /* comm is "a) Z 9 (b) c": only the last ')' ends it. */
  g_assert_cmpint (urun_proc_stat_parse (nasty, strlen (nasty), &stat), ==, 0);
  g_assert_cmpint (stat.state, ==, 'R');
  g_assert_cmpuint (stat.start_time, ==, 424242);

  g_assert_cmpint (urun_proc_stat_parse (empty, strlen (empty), &stat), ==, 0);
  g_assert_cmpuint (stat.start_time, ==, 424242);

  g_assert_cmpint (urun_proc_stat_parse ("77 (x) S 1 2 3", 14, &stat), ==, -EINVAL);
  g_assert_cmpint (urun_proc_stat_parse ("no paren", 8, &stat), ==, -EINVAL);
  g_assert_cmpint (urun_proc_stat_parse ("", 0, &stat), ==, -EINVAL);
}

static void
test_proc_self (void)
{
  UrunProcStat stat;
  g_autoptr (GError) error = NULL;

  g_assert_true (urun_proc_stat_read (getpid (), &stat, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat.ppid, ==, getppid ());
  g_assert_cmpuint (stat.start_time, >, 0);
  g_assert_true (urun_proc_is_alive (getpid (), stat.start_time));
  g_assert_false (urun_proc_is_alive (getpid (), stat.start_time + 1));
}

/* ---- root selection ---------------------------------------------------- */

static void
test_default_root (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("urun-test-root-XXXXXX", &error);
  g_autofree char *run_user_1000 = g_build_filename (tmp, "1000", NULL);
  g_autofree char *expected = NULL;
  char *root;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (run_user_1000, 0700), ==, 0);

#define CHECK(want, ...)                                                                        \
  do                                                                                            \
    {                                                                                           \
      root = urun_state_default_root_for (__VA_ARGS__);                                         \
      g_assert_cmpstr (root, ==, want);                                                         \
      g_free (root);                                                                            \
    }                                                                                           \
  while (0)

  /* Root in the initial user namespace: /run/urun, whatever XDG says. */
  CHECK ("/run/urun", 0, NULL, TRUE, tmp, NULL);
  CHECK ("/run/urun", 0, "", TRUE, tmp, NULL);
  CHECK ("/run/urun", 0, "/run/user/0", TRUE, tmp, NULL);
  /* uid 0 in rootless podman's user namespace. */
  CHECK ("/run/user/1000/urun", 0, "/run/user/1000", FALSE, tmp, NULL);
  /* ...but podman as root sets XDG_RUNTIME_DIR to "". */
  CHECK ("/run/urun", 0, "", FALSE, tmp, NULL);
  /* A user with XDG_RUNTIME_DIR. */
  CHECK ("/xdg/urun", 1000, "/xdg", TRUE, tmp, NULL);
  /* Empty XDG_RUNTIME_DIR counts as unset: /run/user/<uid> if it exists. */
  expected = g_build_filename (run_user_1000, "urun", NULL);
  CHECK (expected, 1000, "", TRUE, tmp, NULL);
  CHECK (expected, 1000, NULL, TRUE, tmp, "/var/tmp");
  /* No runtime directory at all: the temporary directory. */
  CHECK ("/tmp/urun-1001", 1001, NULL, TRUE, tmp, NULL);
  CHECK ("/tmp/urun-1001", 1001, "", TRUE, tmp, "");
  CHECK ("/var/tmp/urun-1001", 1001, NULL, TRUE, tmp, "/var/tmp");
#undef CHECK

  g_rmdir (run_user_1000);
  g_rmdir (tmp);
}

static void
test_store_missing_root (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunStateStore) store = urun_state_store_open ("/nonexistent/urun/root", FALSE,
                                                            &error);
  g_autoptr (UrunContainerState) state = NULL;
  g_autoptr (GPtrArray) list = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_false (urun_state_exists (store, "a"));
  list = urun_state_store_list (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  state = urun_state_open (store, "a", URUN_STATE_OPEN_DEFAULT, &error);
  g_assert_null (state);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "container `a` does not exist");
  g_assert_false (g_file_test ("/nonexistent/urun", G_FILE_TEST_EXISTS));
}

/* ---- create, open, save, load ------------------------------------------ */

static void
test_create_open (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunContainerState) state = NULL;
  g_autoptr (UrunContainerState) again = NULL;
  g_autoptr (UrunContainerState) opened = NULL;
  g_autofree char *dir = g_build_filename (f->root, "c1", NULL);
  struct stat st;

  g_assert_false (urun_state_exists (f->store, "c1"));
  state = urun_state_create (f->store, "c1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (urun_container_state_get_id (state), ==, "c1");
  g_assert_cmpint (urun_container_state_get_dirfd (state), >=, 0);
  g_assert_true (urun_state_exists (f->store, "c1"));

  /* Permissions: nobody else may look in. */
  g_assert_cmpint (stat (f->root, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0700);
  g_assert_cmpint (stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0700);
  /* Every fd is close-on-exec. */
  g_assert_cmpint (fcntl (urun_container_state_get_dirfd (state), F_GETFD) & FD_CLOEXEC, !=, 0);

  again = urun_state_create (f->store, "c1", &error);
  g_assert_null (again);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "container `c1` already exists");
  g_clear_error (&error);

  /* Held by @state: a non-blocking open reports it busy. */
  opened = urun_state_open (f->store, "c1", URUN_STATE_OPEN_NONBLOCK, &error);
  g_assert_null (opened);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_WRONG_STATE);
  g_clear_error (&error);
  opened = urun_state_open (f->store, "c1", URUN_STATE_OPEN_NO_LOCK, &error);
  g_assert_no_error (error);
  g_clear_pointer (&opened, urun_container_state_free);

  /* No state.json yet. */
  g_assert_null (urun_container_state_load (state, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_WRONG_STATE);
  g_clear_error (&error);

  g_clear_pointer (&state, urun_container_state_free);
  opened = urun_state_open (f->store, "c1", URUN_STATE_OPEN_NONBLOCK, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opened);
  g_clear_pointer (&opened, urun_container_state_free);

  opened = urun_state_open (f->store, "nope", URUN_STATE_OPEN_DEFAULT, &error);
  g_assert_null (opened);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "container `nope` does not exist");
  g_clear_error (&error);

  opened = urun_state_open (f->store, "../escape", URUN_STATE_OPEN_DEFAULT, &error);
  g_assert_null (opened);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (urun_state_create (f->store, ".hidden", &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_ARGUMENT);
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunContainerState) state = urun_state_create (f->store, "rt", &error);
  g_autoptr (UrunStateRecord) record = urun_state_record_new ("rt", "tester");
  g_autoptr (UrunStateRecord) loaded = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autofree char *dir_path = g_build_filename (f->root, "rt", NULL);
  g_autofree char *file_path = g_build_filename (dir_path, URUN_STATE_FILE, NULL);
  const char *name;
  struct stat st;

  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z$",
                                       record->created, 0, 0));
  g_assert_cmpstr (record->oci_version, ==, "1.2.0");
  g_assert_cmpstr (record->owner, ==, "tester");
  g_assert_cmpint (record->cgroup.driver, ==, URUN_CGROUP_DRIVER_NONE);
  g_assert_cmpstr (record->cgroup.reason, ==, "not placed in a cgroup yet");

  record->pid = 4242;
  record->bundle = g_strdup ("/b \"quoted\"");
  record->rootfs = g_strdup ("/b/rootfs");
  record->init_start_time = G_MAXUINT64;
  record->rootless = TRUE;
  record->cgroup.driver = URUN_CGROUP_DRIVER_SYSTEMD;
  g_clear_pointer (&record->cgroup.reason, g_free);
  record->cgroup.unit = g_strdup ("urun-rt.scope");
  record->cgroup.path = g_strdup ("/user.slice/urun-rt.scope");
  g_ptr_array_add (record->cgroup.dropped_limits, g_strdup ("memory.swap"));
  g_hash_table_insert (record->annotations, g_strdup ("b"), g_strdup ("2"));
  g_hash_table_insert (record->annotations, g_strdup ("a"), g_strdup ("1"));

  g_assert_true (urun_container_state_save (state, record, &error));
  g_assert_no_error (error);
  /* Saving again replaces the file atomically. */
  record->pid = 4343;
  g_assert_true (urun_container_state_save (state, record, &error));
  g_assert_no_error (error);

  g_assert_cmpint (stat (file_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  /* No temporary file left behind. */
  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_cmpstr (name, ==, URUN_STATE_FILE);

  loaded = urun_container_state_load (state, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->oci_version, ==, "1.2.0");
  g_assert_cmpstr (loaded->id, ==, "rt");
  g_assert_cmpint (loaded->pid, ==, 4343);
  g_assert_cmpstr (loaded->bundle, ==, "/b \"quoted\"");
  g_assert_cmpstr (loaded->rootfs, ==, "/b/rootfs");
  g_assert_cmpstr (loaded->created, ==, record->created);
  g_assert_cmpstr (loaded->owner, ==, record->owner);
  g_assert_cmpuint (loaded->init_start_time, ==, G_MAXUINT64);
  g_assert_true (loaded->rootless);
  g_assert_cmpint (loaded->cgroup.driver, ==, URUN_CGROUP_DRIVER_SYSTEMD);
  g_assert_cmpstr (loaded->cgroup.unit, ==, "urun-rt.scope");
  g_assert_cmpstr (loaded->cgroup.path, ==, "/user.slice/urun-rt.scope");
  g_assert_null (loaded->cgroup.reason);
  g_assert_cmpuint (loaded->cgroup.dropped_limits->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (loaded->cgroup.dropped_limits, 0), ==, "memory.swap");
  g_assert_cmpuint (g_hash_table_size (loaded->annotations), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (loaded->annotations, "a"), ==, "1");
}

static void
test_json_shape (void)
{
  g_autoptr (UrunStateRecord) record = urun_state_record_new ("shape", "tester");
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr (UrunStateRecord) parsed = NULL;
  g_autoptr (GList) members = NULL;
  const char *const order[] = { "ociVersion", "id", "pid", "status", "bundle", "rootfs",
                                "created", "owner", "annotations", "urun", NULL };
  JsonObject *object, *urun;
  guint i = 0;

  node = urun_state_record_to_json (record, "stopped");
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, order[i]);
  g_assert_null (order[i]);
  urun = json_object_get_object_member (object, "urun");
  g_assert_cmpstr (json_object_get_string_member (urun, "initStartTime"), ==, "0");
  g_assert_cmpstr (
    json_object_get_string_member (json_object_get_object_member (urun, "cgroup"), "driver"), ==,
    "none");

  /* Bad records name the field. */
  text = g_strdup ("{\"ociVersion\":\"1.2.0\",\"id\":\"x\",\"pid\":\"12\"}");
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string (text, NULL);
  parsed = urun_state_record_from_json (node, &error);
  g_assert_null (parsed);
  g_assert_nonnull (strstr (error->message, "`pid`"));
  g_clear_error (&error);

  g_clear_pointer (&node, json_node_unref);
  node = json_from_string ("{\"ociVersion\":\"1.2.0\",\"id\":\"x\",\"urun\":{\"cgroup\":"
                           "{\"driver\":\"magic\"}}}",
                           NULL);
  parsed = urun_state_record_from_json (node, &error);
  g_assert_null (parsed);
  g_assert_nonnull (strstr (error->message, "urun.cgroup.driver"));
  g_clear_error (&error);

  /* What delete removes or stops must stay a container's (issue 19): a
   * path below the hierarchy's root, a scope unit. */
  {
    const char *const bad[][2] = {
      { "{\"driver\":\"cgroupfs\",\"path\":\"/a/../../etc\"}", "urun.cgroup.path" },
      { "{\"driver\":\"cgroupfs\",\"path\":\"relative\"}", "urun.cgroup.path" },
      { "{\"driver\":\"systemd\",\"unit\":\"sshd.service\"}", "urun.cgroup.unit" },
      { "{\"driver\":\"none\",\"unit\":\"../x.service\"}", "urun.cgroup.unit" },
    };

    for (gsize k = 0; k < G_N_ELEMENTS (bad); k++)
      {
        g_autofree char *json = g_strdup_printf (
          "{\"ociVersion\":\"1.2.0\",\"id\":\"x\",\"urun\":{\"cgroup\":%s}}", bad[k][0]);

        g_clear_pointer (&node, json_node_unref);
        node = json_from_string (json, NULL);
        parsed = urun_state_record_from_json (node, &error);
        g_assert_null (parsed);
        g_assert_nonnull (strstr (error->message, bad[k][1]));
        g_clear_error (&error);
      }
  }

  /* The service a container runs in is shown, never stopped: any unit
   * name is fine for a driver other than systemd. */
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string ("{\"ociVersion\":\"1.2.0\",\"id\":\"x\",\"urun\":{\"cgroup\":"
                           "{\"driver\":\"none\",\"unit\":\"web.service\"}}}",
                           NULL);
  parsed = urun_state_record_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (parsed);
  g_clear_pointer (&parsed, urun_state_record_free);

  g_clear_pointer (&node, json_node_unref);
  node = json_from_string ("{\"ociVersion\":\"1.2.0\",\"pid\":1}", NULL);
  parsed = urun_state_record_from_json (node, &error);
  g_assert_null (parsed);
  g_assert_nonnull (strstr (error->message, "`id` is missing"));
}

/* ---- status ------------------------------------------------------------ */

static gboolean
always_frozen (const UrunCgroupOutcome *cgroup)
{
  return TRUE;
}

static void
test_status (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  pid_t child = spawn_sleeper ();
  g_autoptr (UrunContainerState) state = make_container (f, "st", child);
  g_autoptr (UrunStateRecord) record = urun_container_state_load (state, &error);
  int dirfd = urun_container_state_get_dirfd (state);

  g_assert_no_error (error);
  g_assert_cmpint (urun_state_status (record, dirfd, NULL), ==, URUN_STATUS_RUNNING);
  /* Paused is what the container layer's probe says. */
  g_assert_cmpint (urun_state_status (record, dirfd, always_frozen), ==, URUN_STATUS_PAUSED);

  /* exec.fifo: init waits for `start`. */
  g_assert_true (urun_container_state_make_exec_fifo (state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (urun_state_status (record, dirfd, NULL), ==, URUN_STATUS_CREATED);
  g_assert_cmpint (unlinkat (dirfd, URUN_STATE_EXEC_FIFO, 0), ==, 0);

  /* A different start time: the pid now belongs to someone else. */
  record->init_start_time++;
  g_assert_cmpint (urun_state_status (record, dirfd, NULL), ==, URUN_STATUS_STOPPED);
  record->init_start_time--;

  /* Killed but not reaped: a zombie is stopped. */
  kill (child, SIGKILL);
  for (int i = 0; i < 500 && urun_proc_is_alive (child, 0); i++)
    g_usleep (1000);
  g_assert_cmpint (urun_state_status (record, dirfd, NULL), ==, URUN_STATUS_STOPPED);

  reap (child);
  g_assert_cmpint (urun_state_status (record, dirfd, NULL), ==, URUN_STATUS_STOPPED);

  /* exec.fifo does not revive a dead init. */
  g_assert_true (urun_container_state_make_exec_fifo (state, NULL));
  g_assert_cmpint (urun_state_status (record, dirfd, NULL), ==, URUN_STATUS_STOPPED);

  record->pid = 0;
  g_assert_cmpint (urun_state_status (record, dirfd, NULL), ==, URUN_STATUS_CREATING);

  g_assert_cmpstr (urun_container_status_to_string (URUN_STATUS_PAUSED), ==, "paused");
}

/* ---- list -------------------------------------------------------------- */

static void
test_list (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  pid_t child = spawn_sleeper ();
  g_autoptr (UrunContainerState) b = make_container (f, "b-running", child);
  g_autoptr (UrunContainerState) a = make_container (f, "a-stopped", 0);
  g_autoptr (UrunContainerState) creating = urun_state_create (f->store, "no-record", NULL);
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *junk_file = g_build_filename (f->root, "junk", NULL);
  g_autofree char *bad_dir = g_build_filename (f->root, "bad", NULL);
  g_autofree char *bad_json = g_build_filename (bad_dir, URUN_STATE_FILE, NULL);
  g_autoptr (UrunStateRecord) stopped = record_for ("a-stopped", 0);
  const UrunStateListEntry *entry;

  /* a-stopped: a pid that cannot be ours. */
  stopped->pid = G_MAXINT32 - 1;
  stopped->init_start_time = 1;
  g_assert_true (urun_container_state_save (a, stopped, NULL));

  g_assert_true (g_file_set_contents (junk_file, "x", -1, NULL));
  g_assert_cmpint (g_mkdir (bad_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (bad_json, "{not json", -1, NULL));

  list = urun_state_store_list (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);
  entry = g_ptr_array_index (list, 0);
  g_assert_cmpstr (entry->record->id, ==, "a-stopped");
  g_assert_cmpint (entry->status, ==, URUN_STATUS_STOPPED);
  entry = g_ptr_array_index (list, 1);
  g_assert_cmpstr (entry->record->id, ==, "b-running");
  g_assert_cmpint (entry->status, ==, URUN_STATUS_RUNNING);
  g_assert_cmpint (entry->record->pid, ==, child);
  /* No readable record: listed, not hidden (issue 19), as what delete has
   * to clean up.  Nobody holds its lock: stopped. */
  entry = g_ptr_array_index (list, 2);
  g_assert_cmpstr (entry->record->id, ==, "bad");
  g_assert_cmpint (entry->status, ==, URUN_STATUS_STOPPED);
  g_assert_cmpint (entry->record->pid, ==, 0);
  /* Its creator holds the lock: creating; once it is gone, stopped. */
  entry = g_ptr_array_index (list, 3);
  g_assert_cmpstr (entry->record->id, ==, "no-record");
  g_assert_cmpint (entry->status, ==, URUN_STATUS_CREATING);
  g_clear_pointer (&creating, urun_container_state_free);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = urun_state_store_list (f->store, NULL, &error);
  g_assert_no_error (error);
  entry = g_ptr_array_index (list, 3);
  g_assert_cmpint (entry->status, ==, URUN_STATUS_STOPPED);
  reap (child);
}

/* A record of a create that has not finished: creating while its creator
 * holds the lock, stopped once it died. */
static void
test_status_unfinished (Fixture *f, gconstpointer data)
{
  g_autoptr (UrunContainerState) state = make_container (f, "half", 0);
  g_autoptr (UrunStateRecord) record = record_for ("half", getpid ());
  g_autoptr (UrunContainerState) reopened = NULL;

  record->creating = TRUE;
  g_assert_true (urun_container_state_save (state, record, NULL));
  g_assert_cmpint (urun_state_status (record, urun_container_state_get_dirfd (state), NULL), ==,
                   URUN_STATUS_CREATING);
  g_clear_pointer (&state, urun_container_state_free);
  reopened = urun_state_open (f->store, "half", URUN_STATE_OPEN_NO_LOCK, NULL);
  g_assert_nonnull (reopened);
  g_assert_cmpint (urun_state_status (record, urun_container_state_get_dirfd (reopened), NULL), ==,
                   URUN_STATUS_STOPPED);
  /* The flag survives the round trip. */
  g_clear_pointer (&record, urun_state_record_free);
  record = urun_container_state_load (reopened, NULL);
  g_assert_nonnull (record);
  g_assert_true (record->creating);
}

/* Only the caller's own directories and files are trusted (issue 19): a
 * state.json planted by another user would steer kill and delete. */
static void
test_ownership (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunContainerState) state = make_container (f, "planted", 0);
  g_autoptr (UrunStateRecord) record = record_for ("planted", 0);
  g_autoptr (UrunContainerState) opened = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (UrunStateStore) store = NULL;
  g_autofree char *dir = g_build_filename (f->root, "planted", NULL);
  g_autofree char *file = g_build_filename (dir, URUN_STATE_FILE, NULL);

  g_assert_true (urun_container_state_save (state, record, NULL));
  g_clear_pointer (&state, urun_container_state_free);

  /* Writable by others: refused, whoever we are. */
  g_assert_cmpint (chmod (file, 0646), ==, 0);
  opened = urun_state_open (f->store, "planted", URUN_STATE_OPEN_NO_LOCK, &error);
  g_assert_nonnull (opened);
  g_assert_null (urun_container_state_load (opened, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "lets others write to it"));
  g_clear_error (&error);
  g_clear_pointer (&opened, urun_container_state_free);
  g_assert_cmpint (chmod (file, 0600), ==, 0);

  g_assert_cmpint (chmod (dir, 0777), ==, 0);
  g_assert_null (urun_state_open (f->store, "planted", URUN_STATE_OPEN_DEFAULT, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "state directory"));
  g_assert_nonnull (strstr (error->message, "0777"));
  g_clear_error (&error);
  list = urun_state_store_list (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_cmpint (chmod (dir, 0700), ==, 0);

  g_assert_cmpint (chmod (f->root, 0757), ==, 0);
  store = urun_state_store_open (f->root, FALSE, &error);
  g_assert_null (store);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "state root"));
  g_clear_error (&error);
  g_assert_cmpint (chmod (f->root, 0700), ==, 0);

  if (geteuid () != 0)
    {
      g_test_skip ("changing the owner needs root");
      return;
    }
  g_assert_cmpint (chown (dir, 12345, 12345), ==, 0);
  g_assert_null (urun_state_open (f->store, "planted", URUN_STATE_OPEN_DEFAULT, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "owned by uid 12345, not by uid 0"));
  g_clear_error (&error);
  g_assert_cmpint (chown (dir, 0, 0), ==, 0);
  g_assert_cmpint (chown (f->root, 12345, 12345), ==, 0);
  store = urun_state_store_open (f->root, FALSE, &error);
  g_assert_null (store);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_PERMISSION_DENIED);
  g_assert_cmpint (chown (f->root, 0, 0), ==, 0);
}

/* A record that could not be read back is never written (issue 19). */
static void
test_save_too_big (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunContainerState) state = make_container (f, "big", 0);
  g_autoptr (UrunStateRecord) record = record_for ("big", 0);
  g_autoptr (UrunStateRecord) loaded = NULL;
  char *value = g_malloc (17 * 1024 * 1024);

  memset (value, 'x', 17 * 1024 * 1024 - 1);
  value[17 * 1024 * 1024 - 1] = '\0';
  g_hash_table_insert (record->annotations, g_strdup ("huge"), value);
  g_assert_false (urun_container_state_save (state, record, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "more than the 16777216 that urun reads back"));
  g_clear_error (&error);
  /* The record written before stays, readable. */
  loaded = urun_container_state_load (state, &error);
  g_assert_no_error (error);
  g_assert_null (g_hash_table_lookup (loaded->annotations, "huge"));
}

/* ---- delete ------------------------------------------------------------ */

static void
test_delete (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunContainerState) state = make_container (f, "gone", 0);
  g_autoptr (UrunContainerState) reopened = NULL;
  g_autofree char *dir = g_build_filename (f->root, "gone", NULL);
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autofree char *subfile = g_build_filename (sub, "f", NULL);

  /* Extra files and directories go too. */
  g_assert_true (urun_container_state_make_exec_fifo (state, NULL));
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (subfile, "x", -1, NULL));

  g_assert_true (urun_state_delete (state, NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_false (urun_state_exists (f->store, "gone"));

  reopened = urun_state_open (f->store, "gone", URUN_STATE_OPEN_DEFAULT, &error);
  g_assert_null (reopened);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The id is free again. */
  g_clear_pointer (&state, urun_container_state_free);
  state = urun_state_create (f->store, "gone", &error);
  g_assert_no_error (error);

  /* A directory whose creator died before writing state.json. */
  g_assert_true (urun_state_delete (state, NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
}

static void
test_delete_running (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  pid_t child = spawn_sleeper ();
  g_autoptr (UrunContainerState) state = make_container (f, "live", child);
  g_autofree char *dir = g_build_filename (f->root, "live", NULL);
  int status;

  g_assert_false (urun_state_delete (state, NULL, FALSE, NULL, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_WRONG_STATE);
  g_assert_nonnull (strstr (error->message, "container `live`"));
  g_assert_nonnull (strstr (error->message, "running"));
  g_assert_nonnull (strstr (error->message, "--force"));
  g_clear_error (&error);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_assert_true (urun_proc_is_alive (child, 0));

  /* Created (exec.fifo) is refused the same way. */
  g_assert_true (urun_container_state_make_exec_fifo (state, NULL));
  g_assert_false (urun_state_delete (state, NULL, FALSE, NULL, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_WRONG_STATE);
  g_assert_nonnull (strstr (error->message, "created"));
  g_clear_error (&error);

  g_assert_true (urun_state_delete (state, NULL, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_false (urun_proc_is_alive (child, 0));
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
}

static void
test_delete_force_reused_pid (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  pid_t child = spawn_sleeper ();
  g_autoptr (UrunContainerState) state = urun_state_create (f->store, "reused", &error);
  g_autoptr (UrunStateRecord) record = record_for ("reused", child);

  /* The recorded start time is not the child's: it stands for a process
   * that reused the pid, which a forced delete must not kill. */
  record->init_start_time++;
  g_assert_true (urun_container_state_save (state, record, &error));
  g_assert_true (urun_state_delete (state, NULL, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (urun_proc_is_alive (child, 0));
  reap (child);
}

/* An opener waiting for the lock of a container that gets deleted must not
 * come back with the dead directory. */
static void
test_open_waits_for_delete (Fixture *f, gconstpointer data)
{
  g_autoptr (UrunContainerState) state = make_container (f, "waited", 0);
  int ready[2];
  pid_t child;
  int status;
  char c;

  g_assert_cmpint (pipe2 (ready, O_CLOEXEC), ==, 0);
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (UrunStateStore) store = urun_state_store_open (f->root, FALSE, NULL);
      UrunContainerState *opened;

      close (ready[0]);
      close (ready[1]);
      /* The inherited fd shares the parent's lock (flock belongs to the
       * open file description): drop it, or we would wait for ourselves. */
      close (urun_container_state_get_dirfd (state));
      opened = urun_state_open (store, "waited", URUN_STATE_OPEN_DEFAULT, &error);
      _exit (opened == NULL && g_error_matches (error, URUN_ERROR, URUN_ERROR_NOT_FOUND) ? 0 : 1);
    }
  close (ready[1]);
  /* Give the child time to block on the lock; the test is valid (if
   * weaker) when it has not got there yet. */
  g_usleep (100 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (urun_state_delete (state, NULL, FALSE, NULL, NULL));
  g_clear_pointer (&state, urun_container_state_free);
  g_assert_cmpint (read (ready[0], &c, 1), ==, 0);
  close (ready[0]);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* ---- racing creators --------------------------------------------------- */

#define N_RACERS 8

static void
test_create_race (Fixture *f, gconstpointer data)
{
  pid_t children[N_RACERS];
  int go[2];
  int winners = 0, losers = 0;

  for (int round = 0; round < 5; round++)
    {
      g_autofree char *id = g_strdup_printf ("race-%d", round);

      winners = losers = 0;
      g_assert_cmpint (pipe2 (go, O_CLOEXEC), ==, 0);
      for (int i = 0; i < N_RACERS; i++)
        {
          children[i] = fork ();
          g_assert_cmpint (children[i], >=, 0);
          if (children[i] == 0)
            {
              g_autoptr (GError) error = NULL;
              g_autoptr (UrunStateStore) store = NULL;
              g_autoptr (UrunContainerState) state = NULL;
              char c;

              close (go[1]);
              /* Each racer opens the store itself, as separate urun
               * processes would. */
              store = urun_state_store_open (f->root, TRUE, &error);
              if (store == NULL)
                _exit (3);
              /* Wait for the starting gun: EOF when the parent closes. */
              if (read (go[0], &c, 1) != 0)
                _exit (4);
              state = urun_state_create (store, id, &error);
              if (state != NULL)
                {
                  g_autoptr (UrunStateRecord) record = urun_state_record_new (id, "tester");

                  _exit (urun_container_state_save (state, record, NULL) ? 0 : 5);
                }
              _exit (g_error_matches (error, URUN_ERROR, URUN_ERROR_EXISTS) ? 1 : 2);
            }
        }
      close (go[0]);
      close (go[1]);
      for (int i = 0; i < N_RACERS; i++)
        {
          int status;

          g_assert_cmpint (waitpid (children[i], &status, 0), ==, children[i]);
          g_assert_true (WIFEXITED (status));
          if (WEXITSTATUS (status) == 0)
            winners++;
          else if (WEXITSTATUS (status) == 1)
            losers++;
          else
            g_error ("racer %d exited with %d", i, WEXITSTATUS (status));
        }
      g_assert_cmpint (winners, ==, 1);
      g_assert_cmpint (losers, ==, N_RACERS - 1);
      g_assert_true (urun_state_exists (f->store, id));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/proc/parse", test_proc_parse);
  g_test_add_func ("/proc/self", test_proc_self);
  g_test_add_func ("/state/default-root", test_default_root);
  g_test_add_func ("/state/missing-root", test_store_missing_root);
  g_test_add_func ("/state/json-shape", test_json_shape);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/state/create-open", test_create_open);
  ADD ("/state/round-trip", test_round_trip);
  ADD ("/state/status", test_status);
  ADD ("/state/list", test_list);
  ADD ("/state/status-unfinished", test_status_unfinished);
  ADD ("/state/ownership", test_ownership);
  ADD ("/state/save-too-big", test_save_too_big);
  ADD ("/state/delete", test_delete);
  ADD ("/state/delete-running", test_delete_running);
  ADD ("/state/delete-force-reused-pid", test_delete_force_reused_pid);
  ADD ("/state/open-waits-for-delete", test_open_waits_for_delete);
  ADD ("/state/create-race", test_create_race);
#undef ADD
  return g_test_run ();
}
