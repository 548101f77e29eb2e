/* urun-cmd-exec.c: the `exec` command: start one more process inside a
 * running container, from the command line or from a process.json.
 * Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "util/urun-error.h"
#include "container/urun-exec.h"

int
urun_cmd_exec (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *console_socket = NULL;
  g_autofree char *cwd = NULL;
  g_auto (GStrv) env = NULL;
  gboolean tty = FALSE;
  g_autofree char *user = NULL;
  g_auto (GStrv) additional_gids = NULL;
  g_autofree char *process = NULL;
  gboolean detach = FALSE;
  g_autofree char *pid_file = NULL;
  g_autofree char *process_label = NULL;
  g_autofree char *apparmor = NULL;
  gboolean no_new_privs = FALSE;
  g_auto (GStrv) caps = NULL;
  int preserve_fds = 0;
  g_auto (GStrv) cgroup = NULL;
  gboolean ignore_paused = FALSE;
  const GOptionEntry entries[] = {
    { "console-socket", 0, 0, G_OPTION_ARG_FILENAME, &console_socket,
      N_("Send the pseudo-terminal master to the AF_UNIX socket at PATH"), N_("PATH") },
    { "cwd", 0, 0, G_OPTION_ARG_FILENAME, &cwd,
      N_("Working directory of the new process, inside the container"), N_("DIR") },
    { "env", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &env,
      N_("Set an environment variable (repeatable)"), N_("NAME=VALUE") },
    { "tty", 't', 0, G_OPTION_ARG_NONE, &tty,
      N_("Give the process a pseudo-terminal"), NULL },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user,
      N_("Run as this user (and group) inside the container"), N_("UID[:GID]") },
    { "additional-gids", 'g', 0, G_OPTION_ARG_STRING_ARRAY, &additional_gids,
      N_("Add a supplementary group (repeatable)"), N_("GID") },
    { "process", 'p', 0, G_OPTION_ARG_FILENAME, &process,
      N_("Read the process to run from FILE, in the OCI process JSON format"), N_("FILE") },
    { "detach", 'd', 0, G_OPTION_ARG_NONE, &detach,
      N_("Return once the process has started instead of waiting for it"), NULL },
    { "pid-file", 0, 0, G_OPTION_ARG_FILENAME, &pid_file,
      N_("Write the pid of the new process to FILE"), N_("FILE") },
    { "process-label", 0, 0, G_OPTION_ARG_STRING, &process_label,
      N_("SELinux label of the new process"), N_("LABEL") },
    { "apparmor", 0, 0, G_OPTION_ARG_STRING, &apparmor,
      N_("AppArmor profile of the new process"), N_("PROFILE") },
    { "no-new-privs", 0, 0, G_OPTION_ARG_NONE, &no_new_privs,
      N_("Set no_new_privs on the new process"), NULL },
    { "cap", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &caps,
      N_("Add a capability to the new process (repeatable)"), N_("CAP") },
    { "preserve-fds", 0, 0, G_OPTION_ARG_INT, &preserve_fds,
      N_("Pass N more file descriptors (from 3 on) to the process"), N_("N") },
    { "cgroup", 0, 0, G_OPTION_ARG_STRING_ARRAY, &cgroup,
      N_("Run the process in this sub-cgroup of the container; on cgroup v1 per controller, "
         "repeatable"), N_("[CONTROLLER[,CONTROLLER…]:]SUBPATH") },
    { "ignore-paused", 0, 0, G_OPTION_ARG_NONE, &ignore_paused,
      N_("Allow exec into a paused container; the process starts once it is resumed"), NULL },
    { NULL },
  };

  /* Why stop at the first positional: in `exec ID ls -l`, `-l` belongs to
   * the payload, not to urun. */
  if (!urun_cli_parse_command (cli, entries, TRUE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, -1, error))
    return -1;
  if (process == NULL && argc < 3)
    {
      urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                 _("`exec` needs a command to run, or --process FILE"));
      return -1;
    }
  if (process != NULL && argc > 2)
    {
      urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                 _("`exec` takes either a command or --process FILE, not both"));
      return -1;
    }
  {
    g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GPtrArray) command = g_ptr_array_new ();
    UrunExecOptions options = {
      .process_file = process,
      .cwd = cwd,
      .env = (const char *const *) env,
      .user = user,
      .additional_gids = (const char *const *) additional_gids,
      .caps = (const char *const *) caps,
      .no_new_privs = no_new_privs,
      .apparmor = apparmor,
      .process_label = process_label,
      .tty = tty,
      .console_socket = console_socket,
      .detach = detach,
      .pid_file = pid_file,
      .preserve_fds = preserve_fds,
      .cgroup = (const char *const *) cgroup,
      .ignore_paused = ignore_paused,
    };
    UrunRuntime runtime;
    int exit_status = 0;
    gboolean ok;

    /* `exec ID -- CMD ARGS`, as runc accepts it. */
    for (int i = argc > 2 && g_strcmp0 (argv[2], "--") == 0 ? 3 : 2; i < argc; i++)
      g_ptr_array_add (command, argv[i]);
    g_ptr_array_add (command, NULL);
    if (process == NULL && command->len == 1)
      {
        urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                   _("`exec` needs a command to run, or --process FILE"));
        return -1;
      }
    options.args = process == NULL ? (const char *const *) command->pdata : NULL;
    urun_cli_runtime (cli, &runtime);
    /* runc's status for an exec that failed in the runtime (not in the
     * process, and not a missing or non-executable program: 127 and 126,
     * which podman's conmon also expects), which callers tell apart from
     * any status of the process. */
    cli->failure_status = URUN_EXIT_EXEC_FAILURE;
    ok = urun_container_exec (&runtime, argv[1], &options, &exit_status, warnings, error);
    urun_cli_print_warnings (warnings);
    return ok ? exit_status : -1;
  }
}
