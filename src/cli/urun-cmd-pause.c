/* urun-cmd-pause.c: the `pause` command: freeze every process of a container
 * through its cgroup.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "container/urun-container-cgroup.h"

int
urun_cmd_pause (UrunCli *cli, int argc, char **argv, GError **error)
{
  UrunRuntime runtime;

  if (!urun_cli_parse_command (cli, NULL, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, 1, error))
    return -1;
  urun_cli_runtime (cli, &runtime);
  return urun_container_pause (&runtime, argv[1], error) ? 0 : -1;
}
