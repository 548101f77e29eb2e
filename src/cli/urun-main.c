/* urun-main.c: entry point of the urun command.
 *
 * Zone: CLI.  Sets up the locale, parses the global options, installs the one
 * log writer, dispatches to the command and turns a GError into one log
 * record and an exit code.  Nothing else in urun prints errors.
 */
#include "config.h"

#include "urun-cli.h"
#include "urun-cli-hint.h"
#include "util/urun-error.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

/* Exit status for failures of urun itself.  Foreground run/exec return the
 * container's own status instead. */
#define URUN_EXIT_FAILURE 1

static gboolean
is_usage_error (const GError *error)
{
  return error->domain == G_OPTION_ERROR
         || g_error_matches (error, URUN_ERROR, URUN_ERROR_INVALID_ARGUMENT);
}

static void
print_usage_hint (const UrunCommand *command)
{
  if (command != NULL)
    fprintf (stderr, _("Try `urun %s --help` for more information.\n"), command->name);
  else
    fprintf (stderr, _("Try `urun --help` for more information.\n"));
}

static int
report_failure (const UrunCommand *command, int failure_status, GError *error)
{
  urun_log (URUN_LOG_LEVEL_ERROR, "%s", error->message);
  if (is_usage_error (error))
    print_usage_hint (command);
  /* The shell's codes for a program that is missing or cannot be run, as
   * runc and crun give them: callers tell the two apart from other
   * failures by the status alone. */
  if (g_error_matches (error, URUN_ERROR, URUN_ERROR_COMMAND_NOT_FOUND))
    return 127;
  if (g_error_matches (error, URUN_ERROR, URUN_ERROR_COMMAND_NOT_EXECUTABLE))
    return 126;
  if (failure_status > 0 && !is_usage_error (error))
    return failure_status;
  return URUN_EXIT_FAILURE;
}

/* Where the message catalogs are: URUN_LOCALEDIR from the environment, so
 * that tests can use catalogs that are not installed, else the compiled-in
 * directory.  secure_getenv(): ignored in secure-execution (setuid) mode.
 * Read here, not in the runtime context: the catalogs are bound before the
 * options are parsed, so that --help and their errors are translated. */
static const char *
locale_dir (void)
{
  const char *dir = secure_getenv ("URUN_LOCALEDIR");

  return dir != NULL && *dir != '\0' ? dir : URUN_LOCALEDIR;
}

int
main (int argc, char **argv)
{
  g_auto (UrunCli) cli = { 0 };
  g_autoptr (GError) error = NULL;
  int status;

  /* Only the messages and their characters follow the locale.  Why not
   * LC_ALL: urun prints numbers, times and ids for scripts, which must read
   * the same in every locale; and each category is a file to load (13 of
   * them for C.UTF-8: 25 syscalls and 95,000 instructions on every run,
   * bench/README.md). */
  setlocale (LC_CTYPE, "");
  setlocale (LC_MESSAGES, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  cli.global.log_level = URUN_LOG_LEVEL_WARNING;
  if (!urun_cli_parse_global (&cli.global, &argc, &argv, &error))
    return report_failure (NULL, 0, error);

  if (!urun_log_setup (cli.global.log_path, cli.global.log_format, cli.global.log_level,
                       cli.global.log_level_set, &error))
    return report_failure (NULL, 0, error);

  if (cli.global.show_version)
    {
      g_autofree char *text = urun_cli_version_text ();
      fputs (text, stdout);
      return 0;
    }

  if (argc < 1)
    {
      urun_fail (&error, URUN_ERROR_INVALID_ARGUMENT, _("missing command"));
      return report_failure (NULL, 0, error);
    }

  cli.command = urun_cli_find_command (argv[0]);
  if (cli.command == NULL)
    {
      urun_fail (&error, URUN_ERROR_INVALID_ARGUMENT, _("unknown command `%s`"), argv[0]);
      return report_failure (NULL, 0, error);
    }

  /* After the options (--root, --rootless), before anything of the
   * command: every command sees the one resolved environment. */
  urun_cli_resolve_runtime (&cli);
  status = cli.command->run (&cli, argc, argv, &error);
  if (status < 0)
    {
      g_assert (error != NULL);
      /* For people only: with --log-format json the reader is a program
       * (podman), whose users the hints would mislead. */
      if (cli.global.log_format == URUN_LOG_FORMAT_TEXT)
        urun_cli_add_hint (&cli.runtime, error);
      status = report_failure (cli.command, cli.failure_status, error);
    }
  urun_log_shutdown ();
  return status;
}
