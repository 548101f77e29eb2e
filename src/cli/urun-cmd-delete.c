/* urun-cmd-delete.c: the `delete` command.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "urun-error.h"
#include "urun-state.h"

static gboolean
delete_one (UrunStateStore *store, const char *id, gboolean force, GError **error)
{
  g_autoptr (UrunContainerState) state = NULL;
  GError *local_error = NULL;

  state = urun_state_open (store, id, URUN_STATE_OPEN_DEFAULT, &local_error);
  if (state == NULL)
    {
      /* Why: with --force the goal is "this container is gone", which is
       * already true; callers such as podman clean up this way. */
      if (force && g_error_matches (local_error, URUN_ERROR, URUN_ERROR_NOT_FOUND))
        {
          g_debug ("%s", local_error->message);
          g_error_free (local_error);
          return TRUE;
        }
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return urun_state_delete (state, force, error);
}

int
urun_cmd_delete (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL;
  g_autoptr (UrunStateStore) store = NULL;
  g_autoptr (GError) pending = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force,
      N_("Delete the container whatever its state, killing its processes first"), NULL },
    { NULL },
  };

  if (!urun_cli_parse_command (cli, entries, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, -1, error))
    return -1;

  root = cli->global.root != NULL ? g_strdup (cli->global.root) : urun_state_default_root ();
  store = urun_state_store_open (root, FALSE, error);
  if (store == NULL)
    return -1;

  /* Every id is tried even after a failure.  Each failure but the last is
   * logged here; the last goes back to main(), which reports it and sets
   * the exit status: one record per failure. */
  for (int i = 1; i < argc; i++)
    {
      GError *local_error = NULL;

      if (delete_one (store, argv[i], force, &local_error))
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
