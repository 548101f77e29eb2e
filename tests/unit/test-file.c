/* test-file.c: unit tests of urun_file_read(): a file larger than its
 * first read, an empty one, procfs, and a missing file's errno and
 * message. */
#include "config.h"

#include "util/urun-error.h"
#include "util/urun-file.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static char *
temp_file_with (const char *contents, gssize len)
{
  g_autoptr (GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("urun-test-file.XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, contents, len, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_large (void)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *read = NULL;
  gsize len = 0;

  /* Past the first chunk and two doublings of the buffer, with a NUL. */
  for (int i = 0; i < 3000; i++)
    g_string_append_printf (text, "line %d\n", i);
  text->str[10] = '\0';
  path = temp_file_with (text->str, (gssize) text->len);
  read = urun_file_read (path, &len, NULL);
  g_assert_nonnull (read);
  g_assert_cmpuint (len, ==, text->len);
  g_assert_cmpmem (read, len, text->str, text->len);
  g_assert_cmpint (read[len], ==, '\0');
  g_unlink (path);
}

static void
test_empty (void)
{
  g_autofree char *path = temp_file_with ("", 0);
  g_autofree char *read = NULL;
  gsize len = 1;

  read = urun_file_read (path, &len, NULL);
  g_assert_cmpstr (read, ==, "");
  g_assert_cmpuint (len, ==, 0);
  g_unlink (path);
}

/* procfs files give no size: the read goes to the end all the same. */
static void
test_procfs (void)
{
  g_autofree char *read = urun_file_read ("/proc/self/mountinfo", NULL, NULL);
  g_autofree char *reference = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/mountinfo", &reference, NULL, NULL));
  g_assert_cmpstr (read, ==, reference);
}

static void
test_missing (void)
{
  g_autoptr (GError) error = NULL;

  errno = 0;
  g_assert_null (urun_file_read ("/nonexistent/urun-test", NULL, &error));
  g_assert_cmpint (errno, ==, ENOENT);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "read `/nonexistent/urun-test`: No such file or directory");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/file/large", test_large);
  g_test_add_func ("/file/empty", test_empty);
  g_test_add_func ("/file/procfs", test_procfs);
  g_test_add_func ("/file/missing", test_missing);
  return g_test_run ();
}
