/* test-options.c: unit tests of the command-line parser: the global options
 * in both `--opt=value` and `--opt value` forms, the stop at the command, bad
 * values, and a command's own options and argument counts. */
#include "config.h"

#include "urun-cli.h"
#include "util/urun-error.h"

typedef struct
{
  UrunGlobalOptions options;
  int argc;
  char **argv;  /* the unparsed rest, inside `array` */
  char **array; /* GOption rearranges it: keep it to free */
  GStrv owned;  /* the strings */
} ParsedGlobal;

static gboolean
parse_global (ParsedGlobal *parsed, const char *const *args, GError **error)
{
  memset (parsed, 0, sizeof *parsed);
  parsed->owned = g_strdupv ((char **) args);
  parsed->argc = (int) g_strv_length (parsed->owned);
  parsed->array = g_memdup2 (parsed->owned, sizeof (char *) * (parsed->argc + 1));
  parsed->argv = parsed->array;
  return urun_cli_parse_global (&parsed->options, &parsed->argc, &parsed->argv, error);
}

static void
parsed_global_clear (ParsedGlobal *parsed)
{
  urun_global_options_clear (&parsed->options);
  g_free (parsed->array);
  g_strfreev (parsed->owned);
}

static void
test_both_value_forms (void)
{
  const char *const args[] = { "urun", "--log", "/tmp/log.json", "--log-format=json", "--root=/r",
                               "--cgroup-manager", "disabled", "state", "--all", "id", NULL };
  g_autoptr (GError) error = NULL;
  ParsedGlobal parsed;

  g_assert_true (parse_global (&parsed, args, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (parsed.options.log_path, ==, "/tmp/log.json");
  g_assert_cmpint (parsed.options.log_format, ==, URUN_LOG_FORMAT_JSON);
  g_assert_cmpstr (parsed.options.root, ==, "/r");
  g_assert_cmpint (parsed.options.cgroup_manager, ==, URUN_CGROUP_MANAGER_DISABLED);
  /* Parsing stopped at the command: its options are left for it. */
  g_assert_cmpint (parsed.argc, ==, 3);
  g_assert_cmpstr (parsed.argv[0], ==, "state");
  g_assert_cmpstr (parsed.argv[1], ==, "--all");
  g_assert_cmpstr (parsed.argv[2], ==, "id");
  parsed_global_clear (&parsed);
}

static void
test_flags (void)
{
  const char *const args[] = { "urun", "--debug", "--systemd-cgroup", "--rootless", "true",
                               "list", NULL };
  g_autoptr (GError) error = NULL;
  ParsedGlobal parsed;

  g_assert_true (parse_global (&parsed, args, &error));
  g_assert_no_error (error);
  g_assert_true (parsed.options.debug);
  g_assert_true (parsed.options.log_level_set);
  g_assert_cmpint (parsed.options.log_level, ==, URUN_LOG_LEVEL_DEBUG);
  g_assert_cmpint (parsed.options.cgroup_manager, ==, URUN_CGROUP_MANAGER_SYSTEMD);
  g_assert_cmpint (parsed.options.rootless, ==, URUN_ROOTLESS_TRUE);
  g_assert_cmpint (parsed.argc, ==, 1);
  parsed_global_clear (&parsed);
}

static void
test_log_level (void)
{
  const char *const args[] = { "urun", "--log-level=info", "list", NULL };
  g_autoptr (GError) error = NULL;
  ParsedGlobal parsed;

  g_assert_true (parse_global (&parsed, args, &error));
  g_assert_true (parsed.options.log_level_set);
  g_assert_cmpint (parsed.options.log_level, ==, URUN_LOG_LEVEL_INFO);
  parsed_global_clear (&parsed);
}

static void
test_bad_values (void)
{
  const struct
  {
    const char *option;
    const char *value;
    const char *message;
  } cases[] = {
    { "--log-format", "xml", "invalid value `xml` for --log-format: expected text, json" },
    { "--log-level", "loud", "invalid value `loud` for --log-level: expected error, warning, info, debug" },
    { "--cgroup-manager", "v1", "invalid value `v1` for --cgroup-manager: expected systemd, cgroupfs, disabled" },
    { "--rootless", "maybe", "invalid value `maybe` for --rootless: expected true, false, auto" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "urun", cases[i].option, cases[i].value, "list", NULL };
      g_autoptr (GError) error = NULL;
      ParsedGlobal parsed;

      g_assert_false (parse_global (&parsed, args, &error));
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      parsed_global_clear (&parsed);
    }
}

static void
test_unknown_option (void)
{
  const char *const args[] = { "urun", "--frobnicate", "list", NULL };
  g_autoptr (GError) error = NULL;
  ParsedGlobal parsed;

  g_assert_false (parse_global (&parsed, args, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION);
  g_assert_nonnull (strstr (error->message, "--frobnicate"));
  parsed_global_clear (&parsed);
}

static void
test_missing_value (void)
{
  const char *const args[] = { "urun", "--root", NULL };
  g_autoptr (GError) error = NULL;
  ParsedGlobal parsed;

  g_assert_false (parse_global (&parsed, args, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_assert_nonnull (strstr (error->message, "--root"));
  parsed_global_clear (&parsed);
}

static void
test_command_table (void)
{
  const char *const expected[] = { "create", "start", "run", "exec", "kill", "delete",
                                   "state", "list", "ps", "pause", "resume", "update",
                                   "events", "spec", "features", "doctor", "gc", "checkpoint",
                                   "restore" };
  guint n_commands;
  const UrunCommand *commands = urun_cli_commands (&n_commands);

  g_assert_cmpuint (n_commands, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpstr (commands[i].name, ==, expected[i]);
      g_assert_true (urun_cli_find_command (expected[i]) == &commands[i]);
      g_assert_nonnull (commands[i].run);
    }
  g_assert_null (urun_cli_find_command ("frobnicate"));
}

static void
test_command_options (void)
{
  gboolean force = FALSE;
  char *format = NULL;
  const GOptionEntry entries[] = {
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force, "force", NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "format", "FORMAT" },
    { NULL },
  };
  g_auto (GStrv) args = g_strsplit ("delete id1 --force --format=json id2", " ", -1);
  g_autofree char **argv_copy = g_memdup2 (args, sizeof (char *) * 6);
  char **argv = argv_copy;
  int argc = 5;
  UrunCli cli = { .command = urun_cli_find_command ("delete") };
  g_autoptr (GError) error = NULL;

  g_assert_true (urun_cli_parse_command (&cli, entries, FALSE, &argc, &argv, &error));
  g_assert_no_error (error);
  g_assert_true (force);
  g_assert_cmpstr (format, ==, "json");
  g_assert_cmpint (argc, ==, 3);
  g_assert_cmpstr (argv[1], ==, "id1");
  g_assert_cmpstr (argv[2], ==, "id2");
  g_assert_true (urun_cli_check_args (&cli, argc, 1, -1, &error));
  g_assert_false (urun_cli_check_args (&cli, argc, 1, 1, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_ARGUMENT);
  g_free (format);
}

static void
test_stop_at_positional (void)
{
  gboolean tty = FALSE;
  const GOptionEntry entries[] = {
    { "tty", 't', 0, G_OPTION_ARG_NONE, &tty, "tty", NULL },
    { NULL },
  };
  g_auto (GStrv) args = g_strsplit ("exec -t id ls -l", " ", -1);
  g_autofree char **argv_copy = g_memdup2 (args, sizeof (char *) * 6);
  char **argv = argv_copy;
  int argc = 5;
  UrunCli cli = { .command = urun_cli_find_command ("exec") };
  g_autoptr (GError) error = NULL;

  g_assert_true (urun_cli_parse_command (&cli, entries, TRUE, &argc, &argv, &error));
  g_assert_true (tty);
  g_assert_cmpint (argc, ==, 4);
  g_assert_cmpstr (argv[3], ==, "-l");
}

static void
test_missing_argument (void)
{
  UrunCli cli = { .command = urun_cli_find_command ("state") };
  g_autoptr (GError) error = NULL;

  g_assert_false (urun_cli_check_args (&cli, 1, 1, 1, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "missing argument CONTAINER-ID for `state`");
}

static void
test_version_text (void)
{
  g_autofree char *text = urun_cli_version_text ();

  g_assert_true (g_str_has_prefix (text, "urun version " URUN_VERSION "\n"));
  g_assert_nonnull (strstr (text, "spec: 1.2.0\n"));
  g_assert_nonnull (strstr (text, HAVE_SYSTEMD ? "+SYSTEMD" : "-SYSTEMD"));
  g_assert_nonnull (strstr (text, HAVE_SECCOMP ? "+SECCOMP" : "-SECCOMP"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/options/both-value-forms", test_both_value_forms);
  g_test_add_func ("/options/flags", test_flags);
  g_test_add_func ("/options/log-level", test_log_level);
  g_test_add_func ("/options/bad-values", test_bad_values);
  g_test_add_func ("/options/unknown-option", test_unknown_option);
  g_test_add_func ("/options/missing-value", test_missing_value);
  g_test_add_func ("/options/command-table", test_command_table);
  g_test_add_func ("/options/command-options", test_command_options);
  g_test_add_func ("/options/stop-at-positional", test_stop_at_positional);
  g_test_add_func ("/options/missing-argument", test_missing_argument);
  g_test_add_func ("/options/version-text", test_version_text);
  return g_test_run ();
}
