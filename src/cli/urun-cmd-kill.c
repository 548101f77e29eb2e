/* urun-cmd-kill.c: the `kill` command: send a signal (by default SIGTERM) to
 * the init process of a container, or to all its processes.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"

int
urun_cmd_kill (UrunCli *cli, int argc, char **argv, GError **error)
{
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all,
      N_("Send the signal to every process of the container"), NULL },
    { NULL },
  };

  if (!urun_cli_parse_command (cli, entries, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, 2, error))
    return -1;
  return urun_cli_not_implemented (cli, error);
}
