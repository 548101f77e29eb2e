/* urun-cli-create.c: the options `create` and `run` share (see
 * urun-cli-create.h).  Zone: CLI. */
#include "config.h"

#include "urun-cli-create.h"
#include "util/urun-error.h"

void
urun_cli_create_args_clear (UrunCliCreateArgs *args)
{
  g_clear_pointer (&args->bundle, g_free);
  g_clear_pointer (&args->console_socket, g_free);
  g_clear_pointer (&args->pid_file, g_free);
  g_clear_pointer (&args->unit, g_free);
  g_clear_pointer (&args->slice, g_free);
  g_clear_pointer (&args->properties, g_strfreev);
  g_clear_pointer (&args->description, g_free);
  g_clear_pointer (&args->rootfs, g_free);
  g_clear_pointer (&args->name, g_free);
  g_clear_pointer (&args->binds, g_strfreev);
  g_clear_pointer (&args->env, g_strfreev);
  g_clear_pointer (&args->workdir, g_free);
  g_clear_pointer (&args->user, g_free);
  g_clear_pointer (&args->network, g_free);
}

gboolean
urun_cli_create_parse (UrunCli *cli, UrunCliCreateArgs *args, gboolean for_run, int *argc,
                       char ***argv, GError **error)
{
  const GOptionEntry common[] = {
    { "bundle", 'b', 0, G_OPTION_ARG_FILENAME, &args->bundle,
      N_("Bundle directory holding config.json (default: the current directory)"), N_("DIR") },
    { "console-socket", 0, 0, G_OPTION_ARG_FILENAME, &args->console_socket,
      N_("Send the pseudo-terminal master to the AF_UNIX socket at PATH"), N_("PATH") },
    { "pid-file", 0, 0, G_OPTION_ARG_FILENAME, &args->pid_file,
      N_("Write the pid of the container's init process to FILE"), N_("FILE") },
    { "no-pivot", 0, 0, G_OPTION_ARG_NONE, &args->no_pivot,
      N_("Do not use pivot_root to enter the root file system"), NULL },
    { "no-new-keyring", 0, 0, G_OPTION_ARG_NONE, &args->no_new_keyring,
      N_("Do not give the container a new session keyring"), NULL },
    { "preserve-fds", 0, 0, G_OPTION_ARG_INT, &args->preserve_fds,
      N_("Pass N more file descriptors (from 3 on) to the container"), N_("N") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &args->unit,
      N_("Name of the systemd scope unit for the container"), N_("NAME") },
    { "slice", 0, 0, G_OPTION_ARG_STRING, &args->slice,
      N_("Put the scope unit in this systemd slice"), N_("SLICE") },
    { "property", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &args->properties,
      N_("Set a property on the scope unit (repeatable)"), N_("NAME=VALUE") },
    { "description", 0, 0, G_OPTION_ARG_STRING, &args->description,
      N_("Description of the scope unit"), N_("TEXT") },
    { "collect", 0, 0, G_OPTION_ARG_NONE, &args->collect,
      N_("Let systemd garbage-collect the scope unit even if it failed"), NULL },
    { NULL },
  };
  const GOptionEntry run_only[] = {
    { "detach", 'd', 0, G_OPTION_ARG_NONE, &args->detach,
      N_("Return once the container is running instead of waiting for it"), NULL },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &args->keep,
      N_("Keep the container's state after it exits"), NULL },
    { "no-subreaper", 0, 0, G_OPTION_ARG_NONE, &args->no_subreaper,
      N_("Do not make urun a child subreaper while it waits"), NULL },
    { "rootfs", 0, 0, G_OPTION_ARG_FILENAME, &args->rootfs,
      N_("Run COMMAND in the root file system DIR, with no bundle or config.json"), N_("DIR") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &args->name,
      N_("With --rootfs: the container's id (default: a new unique one)"), N_("ID") },
    { "tty", 't', 0, G_OPTION_ARG_NONE, &args->tty,
      N_("With --rootfs: give the command a terminal even when stdin is none"), NULL },
    { "bind", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args->binds,
      N_("With --rootfs: bind-mount SRC at DST, read-only with :ro (repeatable)"),
      N_("SRC:DST[:ro]") },
    { "env", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &args->env,
      N_("With --rootfs: set an environment variable (repeatable)"), N_("NAME=VALUE") },
    { "workdir", 'w', 0, G_OPTION_ARG_FILENAME, &args->workdir,
      N_("With --rootfs: the command's working directory"), N_("DIR") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &args->user,
      N_("With --rootfs: run the command as UID[:GID]"), N_("UID[:GID]") },
    { "network", 0, 0, G_OPTION_ARG_STRING, &args->network,
      N_("With --rootfs: none (a private network namespace, the default) or host"),
      N_("MODE") },
    { NULL },
  };
  g_autoptr (GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  gboolean rootfs;

  g_array_append_vals (entries, common, G_N_ELEMENTS (common) - 1);
  if (for_run)
    g_array_append_vals (entries, run_only, G_N_ELEMENTS (run_only) - 1);

  /* With --rootfs the positional arguments are the payload's command
   * line, whose options must stay its own. */
  rootfs = for_run && urun_cli_wants_rootfs (*argc, *argv);
  if (!urun_cli_parse_command (cli, (const GOptionEntry *) entries->data, rootfs, argc, argv,
                               error))
    return FALSE;
  if (rootfs)
    return TRUE;
  if (for_run && args->rootfs == NULL
      && (args->name || args->tty || args->binds || args->env || args->workdir || args->user
          || args->network))
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      _("--name, --tty, --bind, --env, --workdir, --user and --network go with "
                        "--rootfs DIR; for a bundle, set them in its config.json"));
  return urun_cli_check_args (cli, *argc, 1, 1, error);
}

gboolean
urun_cli_create_options (const UrunCliCreateArgs *args, const char *id,
                         UrunCreateOptions *out_options, GError **error)
{
  UrunCreateOptions options = { 0 };

  if (args->preserve_fds < 0)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      _("invalid value `%d` for --preserve-fds: expected a count of 0 or more"),
                      args->preserve_fds);

  options.id = id;
  options.bundle = args->bundle;
  options.pid_file = args->pid_file;
  options.console_socket = args->console_socket;
  options.no_pivot = args->no_pivot;
  options.no_new_keyring = args->no_new_keyring;
  options.preserve_fds = args->preserve_fds;
  /* The systemd-run style options: checked and mapped onto the scope by
   * the cgroup module (urun-cgroup.h), before anything is spawned. */
  options.unit = args->unit;
  options.slice = args->slice;
  options.description = args->description;
  options.collect = args->collect;
  options.properties = (const char *const *) args->properties;
  *out_options = options;
  return TRUE;
}
