/* urun-cmd-features.c: the `features` command: print, as JSON, what this
 * build of urun supports.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"

int
urun_cmd_features (UrunCli *cli, int argc, char **argv, GError **error)
{
  if (!urun_cli_parse_command (cli, NULL, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 0, 0, error))
    return -1;
  return urun_cli_not_implemented (cli, error);
}
