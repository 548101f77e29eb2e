/* urun-cmd-pause.c: the `pause` and `resume` commands: freeze every
 * process of a container through its cgroup, and thaw them.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "container/urun-container-cgroup.h"

typedef gboolean (*ContainerAction) (const UrunRuntime *runtime, const char *id, GError **error);

/* A command that takes no option and one container id. */
static int
run_on_container (UrunCli *cli, int argc, char **argv, ContainerAction action, GError **error)
{
  UrunRuntime runtime;

  if (!urun_cli_parse_command (cli, NULL, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, 1, error))
    return -1;
  urun_cli_runtime (cli, &runtime);
  return action (&runtime, argv[1], error) ? 0 : -1;
}

int
urun_cmd_pause (UrunCli *cli, int argc, char **argv, GError **error)
{
  return run_on_container (cli, argc, argv, urun_container_pause, error);
}

int
urun_cmd_resume (UrunCli *cli, int argc, char **argv, GError **error)
{
  return run_on_container (cli, argc, argv, urun_container_resume, error);
}
