/* urun-cmd-run.c: the `run` command: create and start a container, then, in
 * the foreground, wait for it and exit with its status.  With --rootfs the
 * container comes from a root file system alone (urun-cli-rootfs.c).
 * Zone: CLI. */
#include "config.h"

#include "urun-cli-create.h"

int
urun_cmd_run (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_auto (UrunCliCreateArgs) args = { 0 };
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  UrunCreateOptions options;
  UrunRuntime runtime;
  int exit_status = 0;
  gboolean ok;

  if (!urun_cli_create_parse (cli, &args, TRUE, &argc, &argv, error))
    return -1;
  if (args.rootfs != NULL)
    return urun_cli_run_rootfs (cli, &args, argc, argv, error);
  if (!urun_cli_create_options (&args, argv[1], &options, error))
    return -1;
  urun_cli_runtime (cli, &runtime);
  ok = urun_container_run (&runtime, &options, args.detach, args.keep, &exit_status, warnings,
                           error);
  urun_cli_print_warnings (warnings);
  return ok ? exit_status : -1;
}
