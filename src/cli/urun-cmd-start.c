/* urun-cmd-start.c: the `start` command: let a created container's init run
 * its process.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"

int
urun_cmd_start (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  UrunRuntime runtime;
  gboolean ok;

  if (!urun_cli_parse_command (cli, NULL, FALSE, &argc, &argv, error)
      || !urun_cli_check_args (cli, argc, 1, 1, error))
    return -1;
  urun_cli_runtime (cli, &runtime);
  ok = urun_container_start (&runtime, argv[1], warnings, error);
  urun_cli_print_warnings (warnings);
  return ok ? 0 : -1;
}
