/* urun-cmd-create.c: the `create` command: set a container up from a bundle
 * and leave its init blocked on exec.fifo until `start`.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"

int
urun_cmd_create (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *bundle = NULL;
  g_autofree char *console_socket = NULL;
  g_autofree char *pid_file = NULL;
  gboolean no_pivot = FALSE;
  gboolean no_new_keyring = FALSE;
  int preserve_fds = 0;
  g_autofree char *unit = NULL;
  g_autofree char *slice = NULL;
  g_auto (GStrv) properties = NULL;
  g_autofree char *description = NULL;
  gboolean collect = FALSE;
  const GOptionEntry entries[] = {
    { "bundle", 'b', 0, G_OPTION_ARG_FILENAME, &bundle,
      N_("Bundle directory holding config.json (default: the current directory)"), N_("DIR") },
    { "console-socket", 0, 0, G_OPTION_ARG_FILENAME, &console_socket,
      N_("Send the pseudo-terminal master to the AF_UNIX socket at PATH"), N_("PATH") },
    { "pid-file", 0, 0, G_OPTION_ARG_FILENAME, &pid_file,
      N_("Write the pid of the container's init process to FILE"), N_("FILE") },
    { "no-pivot", 0, 0, G_OPTION_ARG_NONE, &no_pivot,
      N_("Do not use pivot_root to enter the root file system"), NULL },
    { "no-new-keyring", 0, 0, G_OPTION_ARG_NONE, &no_new_keyring,
      N_("Do not give the container a new session keyring"), NULL },
    { "preserve-fds", 0, 0, G_OPTION_ARG_INT, &preserve_fds,
      N_("Pass N more file descriptors (from 3 on) to the container"), N_("N") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit,
      N_("Name of the systemd scope unit for the container"), N_("NAME") },
    { "slice", 0, 0, G_OPTION_ARG_STRING, &slice,
      N_("Put the scope unit in this systemd slice"), N_("SLICE") },
    { "property", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &properties,
      N_("Set a property on the scope unit (repeatable)"), N_("NAME=VALUE") },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description,
      N_("Description of the scope unit"), N_("TEXT") },
    { "collect", 0, 0, G_OPTION_ARG_NONE, &collect,
      N_("Let systemd garbage-collect the scope unit even if it failed"), NULL },
    { NULL },
  };

  if (!urun_cli_parse_command (cli, entries, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, 1, error))
    return -1;
  return urun_cli_not_implemented (cli, error);
}
