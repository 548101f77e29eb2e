/* test-log.c: unit tests of the CLI's log writer: level and format names,
 * the JSON line podman reads, and which records reach the log file. */
#include "config.h"

#include "urun-log.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

static void
test_level_names (void)
{
  UrunLogLevel level;
  UrunLogFormat format;

  g_assert_true (urun_log_level_from_string ("debug", &level));
  g_assert_cmpint (level, ==, URUN_LOG_LEVEL_DEBUG);
  g_assert_true (urun_log_level_from_string ("WARN", &level));
  g_assert_cmpint (level, ==, URUN_LOG_LEVEL_WARNING);
  g_assert_true (urun_log_level_from_string ("fatal", &level));
  g_assert_cmpint (level, ==, URUN_LOG_LEVEL_ERROR);
  g_assert_false (urun_log_level_from_string ("loud", &level));
  g_assert_cmpstr (urun_log_level_to_string (URUN_LOG_LEVEL_INFO), ==, "info");

  g_assert_true (urun_log_format_from_string ("json", &format));
  g_assert_cmpint (format, ==, URUN_LOG_FORMAT_JSON);
  g_assert_false (urun_log_format_from_string ("JSON ", &format));
}

static void
test_json_line (void)
{
  g_autoptr (GDateTime) when = g_date_time_new_utc (2026, 11, 29, 7, 30, 1.25);
  g_autofree char *line = urun_log_format_json (URUN_LOG_LEVEL_ERROR,
                                                "container `a\"b` does not exist", when);

  g_assert_cmpstr (line, ==,
                   "{\"msg\":\"container `a\\\"b` does not exist\",\"level\":\"error\","
                   "\"time\":\"2026-11-29T07:30:01.250000Z\"}\n");
}

static void
test_text_line (void)
{
  g_autoptr (GDateTime) when = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  g_autofree char *line = urun_log_format_text (URUN_LOG_LEVEL_WARNING, "careful", when);

  g_assert_cmpstr (line, ==, "2026-01-02T03:04:05.000000Z warning: careful\n");
}

/* Writes one record at each level through a configured writer and returns
 * the lines of the log file. */
static char **
log_all_levels (UrunLogFormat format, UrunLogLevel level, gboolean level_set)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("urun-test-log-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "log.json", NULL);
  g_assert_true (urun_log_setup (path, format, level, level_set, &error));
  g_assert_no_error (error);

  urun_log (URUN_LOG_LEVEL_DEBUG, "a debug record");
  urun_log (URUN_LOG_LEVEL_INFO, "an info record");
  urun_log (URUN_LOG_LEVEL_WARNING, "a warning record");
  urun_log (URUN_LOG_LEVEL_ERROR, "the fatal error");
  urun_log_shutdown ();

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_unlink (path);
  g_rmdir (dir);
  return g_strsplit (g_strchomp (contents), "\n", -1);
}

static void
test_default_file_holds_only_the_error (void)
{
  /* podman reads the whole log file as the error, so by default nothing but
   * the fatal error may land there. */
  g_auto (GStrv) lines = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *object;

  lines = log_all_levels (URUN_LOG_FORMAT_JSON, URUN_LOG_LEVEL_WARNING, FALSE);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_true (json_parser_load_from_data (parser, lines[0], -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "msg"), ==, "the fatal error");
  g_assert_cmpstr (json_object_get_string_member (object, "level"), ==, "error");
  g_assert_true (json_object_has_member (object, "time"));
}

static void
test_debug_level_logs_everything (void)
{
  g_auto (GStrv) lines = log_all_levels (URUN_LOG_FORMAT_TEXT, URUN_LOG_LEVEL_DEBUG, TRUE);

  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_nonnull (strstr (lines[0], "debug: a debug record"));
  g_assert_nonnull (strstr (lines[3], "error: the fatal error"));
}

static void
test_unwritable_log_file (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (urun_log_setup ("/nonexistent-dir/log", URUN_LOG_FORMAT_JSON,
                                  URUN_LOG_LEVEL_ERROR, FALSE, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==,
                   "open log file `/nonexistent-dir/log`: No such file or directory");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/log/level-names", test_level_names);
  g_test_add_func ("/log/json-line", test_json_line);
  g_test_add_func ("/log/text-line", test_text_line);
  g_test_add_func ("/log/default-file-holds-only-the-error", test_default_file_holds_only_the_error);
  g_test_add_func ("/log/debug-level-logs-everything", test_debug_level_logs_everything);
  g_test_add_func ("/log/unwritable-log-file", test_unwritable_log_file);
  return g_test_run ();
}
