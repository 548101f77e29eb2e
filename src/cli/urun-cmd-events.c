/* urun-cmd-events.c: the `events` command: print resource statistics of a
 * container as JSON, once or every interval, and its OOM and exit events,
 * one JSON object per line.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "container/urun-container-cgroup.h"
#include "util/urun-error.h"
#include "cgroup/urun-systemd-property.h"

#include <stdio.h>

static gboolean
print_event (JsonNode *event, gpointer user_data)
{
  g_autofree char *text = json_to_string (event, FALSE);

  /* A reader that went away (`events | head -1`) ends the stream. */
  return printf ("%s\n", text) >= 0 && fflush (stdout) == 0;
}

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
  guint64 usec = 5 * G_USEC_PER_SEC;
  UrunRuntime runtime;

  if (!urun_cli_parse_command (cli, entries, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, 1, error))
    return -1;
  if (interval != NULL
      && (!urun_systemd_parse_usec (interval, &usec) || usec < 1000 || usec > 86400ULL * G_USEC_PER_SEC))
    {
      urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                 _("invalid value `%s` for %s: expected a duration from 1ms to 1d, such as 5s or "
                   "500ms"), interval, "--interval");
      return -1;
    }
  urun_cli_runtime (cli, &runtime);
  return urun_container_events (&runtime, argv[1], stats, (guint) (usec / 1000), print_event, NULL,
                                error) ? 0 : -1;
}
