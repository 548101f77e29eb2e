/* urun-cmd-ps.c: the `ps` command: list the processes of a container, as a
 * ps(1) table or as a JSON array of pids.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "urun-error.h"

int
urun_cmd_ps (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("Output format: table (run ps) or json (pids only)"), N_("FORMAT") },
    { NULL },
  };

  /* Why stop at the first positional: in `ps ID -ef` (or `ps ID -- -ef`),
   * `-ef` belongs to ps(1). */
  if (!urun_cli_parse_command (cli, entries, TRUE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, -1, error))
    return -1;
  if (format != NULL && g_strcmp0 (format, "table") != 0 && g_strcmp0 (format, "json") != 0)
    {
      urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                 _("invalid value `%s` for %s: expected %s"), format, "--format", "table, json");
      return -1;
    }
  return urun_cli_not_implemented (cli, error);
}
