/* urun-cmd-kill.c: the `kill` command: send a signal (by default SIGTERM) to
 * the init process of a container, or to all its processes.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "spec/urun-spec-names.h"

#include <signal.h>

int
urun_cmd_kill (UrunCli *cli, int argc, char **argv, GError **error)
{
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all,
      N_("Send the signal to every process of the container"), NULL },
    { NULL },
  };
  UrunRuntime runtime;
  int signum = SIGTERM;

  if (!urun_cli_parse_command (cli, entries, FALSE, &argc, &argv, error)
      || !urun_cli_check_args (cli, argc, 1, 2, error))
    return -1;
  if (argc > 2 && !urun_signal_from_name (argv[2], &signum, error))
    return -1;
  urun_cli_runtime (cli, &runtime);
  return urun_container_kill (&runtime, argv[1], signum, all, error) ? 0 : -1;
}
