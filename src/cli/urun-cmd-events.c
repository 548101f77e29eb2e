/* urun-cmd-events.c: the `events` command: print resource statistics of a
 * container as JSON, once or every interval, and its OOM events.
 * Zone: CLI. */
#include "config.h"

#include "urun-cli.h"

int
urun_cmd_events (UrunCli *cli, int argc, char **argv, GError **error)
{
  gboolean stats = FALSE;
  g_autofree char *interval = NULL;
  const GOptionEntry entries[] = {
    { "stats", 0, 0, G_OPTION_ARG_NONE, &stats,
      N_("Print the statistics once and exit"), NULL },
    { "interval", 0, 0, G_OPTION_ARG_STRING, &interval,
      N_("Time between two statistics records (default: 5s)"), N_("DURATION") },
    { NULL },
  };

  if (!urun_cli_parse_command (cli, entries, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, 1, error))
    return -1;
  return urun_cli_not_implemented (cli, error);
}
