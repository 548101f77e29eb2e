/* urun-cmd-create.c: the `create` command: set a container up from a bundle
 * and leave its init blocked on exec.fifo until `start`.  Zone: CLI. */
#include "config.h"

#include "urun-cli-create.h"

int
urun_cmd_create (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_auto (UrunCliCreateArgs) args = { 0 };
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  UrunCreateOptions options;
  UrunRuntime runtime;
  gboolean ok;

  if (!urun_cli_create_parse (cli, &args, FALSE, &argc, &argv, error)
      || !urun_cli_create_options (&args, argv[1], &options, error))
    return -1;
  urun_cli_runtime (cli, &runtime);
  ok = urun_container_create (&runtime, &options, warnings, error);
  urun_cli_print_warnings (warnings);
  return ok ? 0 : -1;
}
