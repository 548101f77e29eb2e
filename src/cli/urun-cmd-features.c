/* urun-cmd-features.c: the `features` command: print, as JSON, what this
 * build of urun supports.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "spec/urun-features.h"

#include <stdio.h>

int
urun_cmd_features (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr (JsonNode) features = NULL;
  g_autofree char *text = NULL;

  if (!urun_cli_parse_command (cli, NULL, FALSE, &argc, &argv, error)
      || !urun_cli_check_args (cli, argc, 0, 0, error))
    return -1;
  features = urun_features_build ();
  text = json_to_string (features, TRUE);
  puts (text);
  return 0;
}
