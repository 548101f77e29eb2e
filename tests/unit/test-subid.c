/* test-subid.c: unit tests of the /etc/subuid and /etc/subgid parser and
 * of the free range the single-id hint suggests. */
#include "config.h"

#include "util/urun-subid.h"

#include <glib/gstdio.h>

static char *
write_temp (const char *contents)
{
  g_autoptr (GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("urun-subid-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
assert_range (GArray *ranges, guint i, guint32 start, guint32 count)
{
  g_assert_cmpuint (i, <, ranges->len);
  g_assert_cmpuint (g_array_index (ranges, UrunSubidRange, i).start, ==, start);
  g_assert_cmpuint (g_array_index (ranges, UrunSubidRange, i).count, ==, count);
}

static void
test_parse (void)
{
  g_autofree char *path = write_temp ("# comment\n"
                                      "\n"
                                      "alice:100000:65536\n"
                                      "bob:165536:65536\n"
                                      "  1000:300000:10  \n"
                                      "alice:400000:5\n"
                                      "alice:broken\n"
                                      "alice:1:0\n"
                                      "alice:x:5\n"
                                      "alice:4294967295:2\n"
                                      "alice:4294967295:1\n"
                                      ":1:1\n"
                                      "alice:500000:7"); /* no final newline */
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ranges = urun_subid_ranges (path, "alice", 1000, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ranges->len, ==, 5);
  assert_range (ranges, 0, 100000, 65536);
  assert_range (ranges, 1, 300000, 10);
  assert_range (ranges, 2, 400000, 5);
  assert_range (ranges, 3, 4294967295u, 1);
  assert_range (ranges, 4, 500000, 7);
  g_unlink (path);
}

/* The first 65536-aligned start from 100000 that no user has in either
 * file: ranges of anyone count, partial overlaps too. */
static void
test_free_start (void)
{
  g_autofree char *uids = write_temp ("alice:100000:65536\n"
                                      "bob:165536:10\n"
                                      "# carol:231072:65536\n"
                                      "broken line\n");
  g_autofree char *gids = write_temp ("alice:100000:65536\n"
                                      "dave:231000:100\n");
  g_autofree char *empty = write_temp ("");
  g_autofree char *full = write_temp ("x:0:4294967295\n");

  g_assert_cmpuint (urun_subid_free_start (uids, gids, 65536), ==, 296608);
  g_assert_cmpuint (urun_subid_free_start (uids, empty, 65536), ==, 231072);
  g_assert_cmpuint (urun_subid_free_start (empty, empty, 65536), ==, 100000);
  g_assert_cmpuint (urun_subid_free_start ("/nonexistent/subuid", "/nonexistent/subgid", 65536),
                    ==, 100000);
  g_assert_cmpuint (urun_subid_free_start (full, empty, 65536), ==, 0);
  g_unlink (uids);
  g_unlink (gids);
  g_unlink (empty);
  g_unlink (full);
}

static void
test_by_uid_only (void)
{
  g_autofree char *path = write_temp ("alice:100000:65536\n2000:200000:1000\n");
  g_autoptr (GArray) ranges = urun_subid_ranges (path, NULL, 2000, NULL);

  g_assert_nonnull (ranges);
  g_assert_cmpuint (ranges->len, ==, 1);
  assert_range (ranges, 0, 200000, 1000);
  g_unlink (path);
}

static void
test_no_match (void)
{
  g_autofree char *path = write_temp ("alice:100000:65536\n");
  g_autoptr (GArray) ranges = urun_subid_ranges (path, "carol", 3000, NULL);

  g_assert_nonnull (ranges);
  g_assert_cmpuint (ranges->len, ==, 0);
  g_unlink (path);
}

static void
test_missing_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ranges = urun_subid_ranges ("/nonexistent/subuid", "alice", 1000, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ranges);
  g_assert_cmpuint (ranges->len, ==, 0);
}

static void
test_unreadable (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ranges = urun_subid_ranges ("/", "alice", 1000, &error);

  g_assert_null (ranges);
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/subid/parse", test_parse);
  g_test_add_func ("/subid/free-start", test_free_start);
  g_test_add_func ("/subid/by-uid-only", test_by_uid_only);
  g_test_add_func ("/subid/no-match", test_no_match);
  g_test_add_func ("/subid/missing-file", test_missing_file);
  g_test_add_func ("/subid/unreadable", test_unreadable);
  return g_test_run ();
}
