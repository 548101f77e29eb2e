/* urun-cmd-exec.c: the `exec` command.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"

int
urun_cmd_exec (UrunCli *cli, int argc, char **argv, GError **error)
{
  if (!urun_cli_parse_command (cli, NULL, FALSE, &argc, &argv, error))
    return -1;
  return urun_cli_not_implemented (cli, error);
}
