/* test-json-file.c: unit tests of the bounded JSON reader (urun-json-file.c)
 * and of the loaders that go through it: files that are not regular, too
 * large, or nested too deep are refused quickly, with their name, and
 * before json-glib's recursive parser sees them.  Also the resources
 * checks as `update` uses them, with options.
 *
 * Zone: tests.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/urun-error.h"
#include "util/urun-json-file.h"
#include "spec/urun-spec.h"
#include "state/urun-state.h"

#define DEEP 100000

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("urun-test-json-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_assert_cmpint (unlink (path), ==, 0);
    }
  g_assert_cmpint (rmdir (f->dir), ==, 0);
  g_free (f->dir);
}

/* "[" x @n, then "]" x @n. */
static char *
nested (gsize n, char open, char close)
{
  char *s = g_malloc (2 * n + 1);

  memset (s, open, n);
  memset (s + n, close, n);
  s[2 * n] = '\0';
  return s;
}

static char *
read_at (Fixture *f, const char *name, UrunJsonReadFlags flags, GError **error)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  gsize len;

  return urun_json_read_at (AT_FDCWD, path, URUN_JSON_MAX_SIZE, flags, &len, error);
}

static void
assert_error_ends (const GError *error, const char *suffix)
{
  g_assert_nonnull (error);
  if (!g_str_has_suffix (error->message, suffix))
    g_error ("\"%s\" does not end in \"%s\"", error->message, suffix);
}

/* ---- reading ------------------------------------------------------------- */

static void
test_regular (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "ok.json", NULL);
  g_autofree char *link = g_build_filename (f->dir, "link.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *via_link = NULL;
  gsize len = 0;

  g_assert_true (g_file_set_contents (path, "{\"a\": 1}", -1, NULL));
  g_assert_cmpint (symlink ("ok.json", link), ==, 0);
  text = urun_json_read_at (AT_FDCWD, path, 100, URUN_JSON_READ_DEFAULT, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "{\"a\": 1}");
  g_assert_cmpuint (len, ==, 8);
  /* A bundle's config.json may be a symlink to a regular file, as with
   * runc; state files may not. */
  via_link = read_at (f, "link.json", URUN_JSON_READ_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (via_link, ==, "{\"a\": 1}");
  g_assert_null (read_at (f, "link.json", URUN_JSON_READ_NOFOLLOW, &error));
  assert_error_ends (error, "link.json: it is a symbolic link, not a regular file");
  g_clear_error (&error);
  g_assert_null (read_at (f, "missing.json", URUN_JSON_READ_DEFAULT, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_NOT_FOUND);
  assert_error_ends (error, "missing.json: No such file or directory");
}

static void
test_fifo (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "fifo.json", NULL);
  g_autoptr (GError) error = NULL;

  /* No writer: opening it for reading would block forever. */
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  g_assert_null (read_at (f, "fifo.json", URUN_JSON_READ_DEFAULT, &error));
  g_assert_nonnull (strstr (error->message, path));
  assert_error_ends (error, "it is a FIFO, not a regular file");
}

static void
test_device (Fixture *f, gconstpointer data)
{
  g_autofree char *link = g_build_filename (f->dir, "zero.json", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (symlink ("/dev/zero", link), ==, 0);
  g_assert_null (read_at (f, "zero.json", URUN_JSON_READ_DEFAULT, &error));
  assert_error_ends (error, "zero.json: it is a character device, not a regular file");
  g_clear_error (&error);
  g_assert_null (urun_json_read_at (AT_FDCWD, f->dir, URUN_JSON_MAX_SIZE, URUN_JSON_READ_DEFAULT,
                                    &(gsize){ 0 }, &error));
  assert_error_ends (error, "it is a directory, not a regular file");
}

static void
test_too_large (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "big.json", NULL);
  g_autoptr (GError) error = NULL;
  int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  int pipefd[2];
  char buf[4096];
  gsize len;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 5 << 20), ==, 0);
  close (fd);
  g_assert_null (read_at (f, "big.json", URUN_JSON_READ_DEFAULT, &error));
  assert_error_ends (error, "big.json: it is 5242880 bytes, more than the limit of 4194304 "
                            "bytes (4 MiB)");
  g_clear_error (&error);

  /* A pipe has no size: the limit holds while reading. */
  g_assert_cmpint (pipe (pipefd), ==, 0);
  memset (buf, ' ', sizeof buf);
  g_assert_cmpint (write (pipefd[1], buf, sizeof buf), ==, sizeof buf);
  close (pipefd[1]);
  g_assert_null (urun_json_read_fd (pipefd[0], "<stdin>", 1000, &len, &error));
  g_assert_cmpstr (error->message, ==,
                   "cannot read <stdin>: it holds more than the limit of 1000 bytes");
  close (pipefd[0]);
}

/* ---- depth ------------------------------------------------------------------ */

static void
test_depth (void)
{
  g_autofree char *deep = nested (DEEP, '[', ']');
  g_autofree char *limit = nested (URUN_JSON_MAX_DEPTH, '[', ']');
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  /* Brackets in strings, escaped quotes and a line break before the one
   * that goes too deep. */
  const char *strings = "{\"a\": \"[[[[\\\"[[[\",\n \"b\": [[[\"]]]\"]]]}";

  g_assert_true (urun_json_check_depth (limit, strlen (limit), "x.json", URUN_JSON_MAX_DEPTH,
                                        NULL));
  g_assert_false (urun_json_check_depth (deep, strlen (deep), "x.json", URUN_JSON_MAX_DEPTH,
                                         &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "x.json:1:129: arrays and objects nest deeper than 128 levels here, the "
                   "limit");
  g_clear_error (&error);

  g_assert_true (urun_json_check_depth (strings, strlen (strings), "s.json", 4, NULL));
  g_assert_false (urun_json_check_depth (strings, strlen (strings), "s.json", 3, &error));
  g_assert_cmpstr (error->message, ==,
                   "s.json:2:9: arrays and objects nest deeper than 3 levels here, the limit");
  g_clear_error (&error);

  node = urun_json_parse_bounded (deep, -1, "x.json", &error);
  g_assert_null (node);
  g_assert_nonnull (strstr (error->message, "x.json:1:129:"));
}

/* Each document urun reads, nested 100000 deep, is refused with its name;
 * without the bound, json-glib overflows the stack. */
static void
test_deep_documents (Fixture *f, gconstpointer data)
{
  g_autofree char *arrays = nested (DEEP, '[', ']');
  g_autoptr (GString) objects = g_string_new (NULL);
  g_autofree char *state_path = g_build_filename (f->dir, "state.json", NULL);
  g_autoptr (GError) error = NULL;
  int dirfd;

  for (int i = 0; i < DEEP; i++)
    g_string_append (objects, "{\"a\":");
  g_string_append (objects, "1");
  for (int i = 0; i < DEEP; i++)
    g_string_append_c (objects, '}');

  g_assert_null (urun_spec_load_data (arrays, -1, "config.json", &error));
  g_assert_cmpstr (error->message, ==, "config.json:1:129: arrays and objects nest deeper than "
                                       "128 levels here, the limit");
  g_clear_error (&error);
  g_assert_null (urun_spec_load_data (objects->str, -1, "config.json", &error));
  g_assert_cmpstr (error->message, ==, "config.json:1:641: arrays and objects nest deeper than "
                                       "128 levels here, the limit");
  g_clear_error (&error);
  g_assert_null (urun_spec_process_load_data (objects->str, -1, "process.json", &error));
  g_assert_nonnull (g_strstr_len (error->message, -1, "process.json:1:641:"));
  g_clear_error (&error);
  g_assert_null (urun_spec_resources_load_data (arrays, -1, "resources.json", &error));
  g_assert_nonnull (g_strstr_len (error->message, -1, "resources.json:1:129:"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (state_path, objects->str, -1, NULL));
  dirfd = open (f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (dirfd, >=, 0);
  g_assert_null (urun_state_record_load (dirfd, &error));
  g_assert_cmpstr (error->message, ==, "state.json:1:641: arrays and objects nest deeper than "
                                       "128 levels here, the limit");
  close (dirfd);
}

/* ---- resources as `update` checks them ----------------------------------- */

static void
test_resources_accepted (void)
{
  static const char *const documents[] = {
    "{\"cpu\": {\"cpus\": \"0-3, 5,8-15:2/4\", \"mems\": \"0\", \"shares\": 0, \"quota\": 0,"
    " \"period\": 0, \"idle\": 1}}",
    "{\"cpu\": {\"quota\": -1, \"period\": 100000, \"shares\": 1024, \"burst\": 1000}}",
    "{\"cpu\": {\"quota\": 50000, \"burst\": 50000, \"realtimeRuntime\": -1,"
    " \"realtimePeriod\": 1000000}}",
    "{\"memory\": {\"limit\": -1, \"swap\": -1, \"reservation\": 0, \"kernelTCP\": -1}}",
    "{\"memory\": {\"limit\": 1048576, \"swap\": 1048576, \"swappiness\": 0}}",
    "{\"pids\": {\"limit\": 0}}",
    "{\"pids\": {\"limit\": -1}}",
    "{\"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 1}, {\"pageSize\": \"1GB\","
    " \"limit\": 1}, {\"pageSize\": \"64KB\", \"limit\": 1}]}",
    "{\"unified\": {\"hugetlb.2MB.max\": \"1\", \"memory.high\": \"max\"}}",
    "{\"devices\": [{\"allow\": false, \"access\": \"rwm\"}, {\"allow\": true, \"type\": \"c\","
    " \"major\": -1, \"minor\": -1, \"access\": \"m\"}]}",
    "{\"blockIO\": {\"weight\": 10, \"weightDevice\": [{\"major\": 8, \"minor\": 0,"
    " \"leafWeight\": 1000}], \"throttleWriteIOPSDevice\": [{\"major\": 4095,"
    " \"minor\": 1048575, \"rate\": 0}]}}",
    "{\"rdma\": {\"mlx5_0\": {\"hcaHandles\": 0, \"hcaObjects\": 2147483647}}}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (UrunSpecResources) res
        = urun_spec_resources_load_data (documents[i], -1, "resources.json", &error);

      g_assert_no_error (error);
      g_assert_nonnull (res);
    }
}

static void
test_resources_options (void)
{
  static const char *const options[] = { "cpu.period", "--cpu-period", "memory.limit",
                                         "--memory", "cpu.cpus", "--cpuset-cpus", NULL };
  g_autoptr (UrunSpecResources) res = g_new0 (UrunSpecResources, 1);
  g_autoptr (GError) error = NULL;

  res->cpu = g_new0 (UrunSpecCpu, 1);
  res->cpu->period = 1, res->cpu->has_period = TRUE;
  g_assert_false (urun_spec_resources_validate (res, "r.json", "", options, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "invalid value `1` for --cpu-period: expected 0 (not set) or an integer "
                   "between 1000 and 1000000 (microseconds)");
  g_clear_error (&error);

  res->cpu->period = 100000;
  res->cpu->cpus = g_strdup ("abc");
  g_assert_false (urun_spec_resources_validate (res, "r.json", "", options, &error));
  g_assert_cmpstr (error->message, ==,
                   "invalid value `abc` for --cpuset-cpus: expected a CPU list: numbers and "
                   "ranges such as \"0-3,6\"");
  g_clear_error (&error);
  g_clear_pointer (&res->cpu->cpus, g_free);

  /* The swap from the file, the limit from an option. */
  res->memory = g_new0 (UrunSpecMemory, 1);
  res->memory->limit = 2048, res->memory->has_limit = TRUE;
  res->memory->swap = 1024, res->memory->has_swap = TRUE;
  g_assert_false (urun_spec_resources_validate (res, "r.json", "", options, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "r.json: memory.swap: 1024 is below --memory (2048): it limits memory plus "
                   "swap, so it must be at least the memory limit");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/json-file/regular", Fixture, NULL, fixture_setup, test_regular,
              fixture_teardown);
  g_test_add ("/json-file/fifo", Fixture, NULL, fixture_setup, test_fifo, fixture_teardown);
  g_test_add ("/json-file/device", Fixture, NULL, fixture_setup, test_device, fixture_teardown);
  g_test_add ("/json-file/too-large", Fixture, NULL, fixture_setup, test_too_large,
              fixture_teardown);
  g_test_add_func ("/json-file/depth", test_depth);
  g_test_add ("/json-file/deep-documents", Fixture, NULL, fixture_setup, test_deep_documents,
              fixture_teardown);
  g_test_add_func ("/json-file/resources-accepted", test_resources_accepted);
  g_test_add_func ("/json-file/resources-options", test_resources_options);
  return g_test_run ();
}
