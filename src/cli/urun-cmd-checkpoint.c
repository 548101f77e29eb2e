/* urun-cmd-checkpoint.c: the `checkpoint` and `restore` commands.  urun
 * cannot checkpoint or restore (no CRIU support): both fail with "not
 * supported", whatever options of runc they get.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "util/urun-error.h"

#include <string.h>

static gboolean
asks_for_help (int argc, char **argv)
{
  for (int i = 1; i < argc && strcmp (argv[i], "--") != 0; i++)
    if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
      return TRUE;
  return FALSE;
}

/* Why no option table: every option of runc's would be parsed only to be
 * ignored, and an unknown one must not turn "not supported" into a usage
 * error.  --help prints the usage; with @help_fails it still fails. */
static int
refuse (UrunCli *cli, int argc, char **argv, gboolean help_fails, const char *message,
        GError **error)
{
  if (asks_for_help (argc, argv))
    {
      char *help_argv[] = { argv[0], (char *) "--help", NULL };
      char **help_args = help_argv;
      int help_argc = 2;
      gboolean help = FALSE;

      if (!urun_cli_parse_command_catch_help (cli, NULL, FALSE, &help_argc, &help_args, &help,
                                              error))
        return -1;
      if (!help_fails)
        return 0;
    }
  else if (!urun_cli_check_args (cli, argc, 1, -1, error))
    return -1;
  urun_fail (error, URUN_ERROR_NOT_SUPPORTED, "%s", message);
  return -1;
}

int
urun_cmd_checkpoint (UrunCli *cli, int argc, char **argv, GError **error)
{
  /* Why `--help` fails: podman runs `checkpoint --help` and takes exit
   * status 0 to mean that the runtime can checkpoint. */
  return refuse (cli, argc, argv, TRUE, _("checkpointing is not supported by urun"), error);
}

int
urun_cmd_restore (UrunCli *cli, int argc, char **argv, GError **error)
{
  return refuse (cli, argc, argv, FALSE,
                 _("restoring from a checkpoint is not supported by urun"), error);
}
