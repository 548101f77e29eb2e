/* urun-cmd-delete.c: the `delete` command.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"

int
urun_cmd_delete (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr (GError) pending = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force,
      N_("Delete the container whatever its state, killing its processes first"), NULL },
    { NULL },
  };
  UrunRuntime runtime;

  if (!urun_cli_parse_command (cli, entries, FALSE, &argc, &argv, error)
      || !urun_cli_check_args (cli, argc, 1, -1, error))
    return -1;
  urun_cli_runtime (cli, &runtime);

  /* Every id is tried even after a failure.  Each failure but the last is
   * logged here; the last goes back to main(), which reports it and sets
   * the exit status: one record per failure. */
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
      GError *local_error = NULL;
      gboolean ok = urun_container_delete (&runtime, argv[i], force, warnings, &local_error);

      urun_cli_print_warnings (warnings);
      if (ok)
        continue;
      if (pending != NULL)
        urun_log (URUN_LOG_LEVEL_ERROR, "%s", pending->message);
      g_clear_error (&pending);
      pending = local_error;
    }
  if (pending != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&pending));
      return -1;
    }
  return 0;
}
