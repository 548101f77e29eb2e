/* urun-cli.c: global and per-command option parsing, the command table and
 * the version text.  Zone: CLI.  Kept apart from main() so that the unit tests
 * can drive the parser. */
#include "config.h"

#include "urun-cli.h"
#include "util/urun-error.h"

#include <stdio.h>
#include <string.h>

static const UrunCommand commands[] = {
  { "create", N_("CONTAINER-ID"), N_("Create a container from a bundle; start runs it"), urun_cmd_create },
  { "start", N_("CONTAINER-ID"), N_("Run the process of a created container"), urun_cmd_start },
  { "run", N_("CONTAINER-ID | --rootfs DIR [--] [COMMAND [ARG…]]"), N_("Create and start a container"), urun_cmd_run },
  { "exec", N_("CONTAINER-ID [COMMAND [ARG…]]"), N_("Run a new process inside a running container"), urun_cmd_exec },
  { "kill", N_("CONTAINER-ID [SIGNAL]"), N_("Send a signal to the container's init process"), urun_cmd_kill },
  { "delete", N_("CONTAINER-ID…"), N_("Delete a container and everything it holds"), urun_cmd_delete },
  { "state", N_("CONTAINER-ID"), N_("Print the OCI state of a container as JSON"), urun_cmd_state },
  { "list", "", N_("List the containers in the state root"), urun_cmd_list },
  { "ps", N_("CONTAINER-ID"), N_("List the processes of a container"), urun_cmd_ps },
  { "pause", N_("CONTAINER-ID"), N_("Freeze every process of a container"), urun_cmd_pause },
  { "resume", N_("CONTAINER-ID"), N_("Thaw a paused container"), urun_cmd_resume },
  { "update", N_("CONTAINER-ID"), N_("Change the resource limits of a container"), urun_cmd_update },
  { "events", N_("CONTAINER-ID"), N_("Show resource statistics and events of a container"), urun_cmd_events },
  { "spec", "", N_("Write a default config.json into a bundle"), urun_cmd_spec },
  { "features", "", N_("Print the features this runtime supports, as JSON"), urun_cmd_features },
  { "doctor", "", N_("Check what containers need on this machine and how to fix it"), urun_cmd_doctor },
  { "gc", "", N_("Remove the state of containers whose processes are gone"), urun_cmd_gc },
  { "checkpoint", N_("CONTAINER-ID"), N_("Checkpoint a running container (unsupported)"), urun_cmd_checkpoint },
  { "restore", N_("CONTAINER-ID"), N_("Restore a container from a checkpoint (unsupported)"), urun_cmd_restore },
};

const UrunCommand *
urun_cli_commands (guint *out_n_commands)
{
  *out_n_commands = G_N_ELEMENTS (commands);
  return commands;
}

const UrunCommand *
urun_cli_find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

void
urun_global_options_clear (UrunGlobalOptions *options)
{
  g_clear_pointer (&options->root, g_free);
  g_clear_pointer (&options->log_path, g_free);
}

void
urun_cli_clear (UrunCli *cli)
{
  urun_global_options_clear (&cli->global);
  urun_runtime_clear (&cli->runtime);
}

void
urun_cli_resolve_runtime (UrunCli *cli)
{
  urun_runtime_resolve (&cli->runtime, cli->global.root, cli->global.rootless,
                        cli->global.cgroup_manager);
}

void
urun_cli_runtime (UrunCli *cli, UrunRuntime *out_runtime)
{
  *out_runtime = cli->runtime;
}

UrunStateStore *
urun_cli_open_store (UrunCli *cli, gboolean create, GError **error)
{
  return urun_state_store_open (cli->runtime.state_root, create, error);
}

void
urun_cli_print_warnings (GPtrArray *warnings)
{
  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    urun_log (URUN_LOG_LEVEL_WARNING, "%s", (const char *) g_ptr_array_index (warnings, i));
}

char *
urun_cli_version_text (void)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "urun version %s\n", URUN_VERSION);
  g_string_append_printf (text, "spec: %s\n", URUN_OCI_VERSION);
  g_string_append (text, HAVE_SYSTEMD ? "+SYSTEMD" : "-SYSTEMD");
  g_string_append (text, HAVE_SECCOMP ? " +SECCOMP" : " -SECCOMP");
  g_string_append (text, " +USERNS +CGROUPFS +JSON-LOG\n");
  return g_string_free (text, FALSE);
}

static gboolean
invalid_value (GError **error, const char *option, const char *value, const char *expected)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("invalid value `%s` for %s: expected %s"), value, option, expected);
  return FALSE;
}

static gboolean
parse_log_format (const char *name, const char *value, gpointer data, GError **error)
{
  UrunGlobalOptions *options = data;

  if (!urun_log_format_from_string (value, &options->log_format))
    return invalid_value (error, name, value, "text, json");
  return TRUE;
}

static gboolean
parse_log_level (const char *name, const char *value, gpointer data, GError **error)
{
  UrunGlobalOptions *options = data;

  if (!urun_log_level_from_string (value, &options->log_level))
    return invalid_value (error, name, value, "error, warning, info, debug");
  options->log_level_set = TRUE;
  return TRUE;
}

static gboolean
parse_cgroup_manager (const char *name, const char *value, gpointer data, GError **error)
{
  UrunGlobalOptions *options = data;

  if (g_strcmp0 (value, "systemd") == 0)
    options->cgroup_manager = URUN_CGROUP_MANAGER_SYSTEMD;
  else if (g_strcmp0 (value, "cgroupfs") == 0)
    options->cgroup_manager = URUN_CGROUP_MANAGER_CGROUPFS;
  else if (g_strcmp0 (value, "disabled") == 0)
    options->cgroup_manager = URUN_CGROUP_MANAGER_DISABLED;
  else
    return invalid_value (error, name, value, "systemd, cgroupfs, disabled");
  return TRUE;
}

static gboolean
parse_systemd_cgroup (const char *name, const char *value, gpointer data, GError **error)
{
  UrunGlobalOptions *options = data;

  options->cgroup_manager = URUN_CGROUP_MANAGER_SYSTEMD;
  return TRUE;
}

static gboolean
parse_rootless (const char *name, const char *value, gpointer data, GError **error)
{
  UrunGlobalOptions *options = data;

  if (g_strcmp0 (value, "auto") == 0)
    options->rootless = URUN_ROOTLESS_AUTO;
  else if (g_strcmp0 (value, "true") == 0)
    options->rootless = URUN_ROOTLESS_TRUE;
  else if (g_strcmp0 (value, "false") == 0)
    options->rootless = URUN_ROOTLESS_FALSE;
  else
    return invalid_value (error, name, value, "true, false, auto");
  return TRUE;
}

static char *
commands_description (void)
{
  GString *text = g_string_new (_("Commands:"));

  g_string_append_c (text, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append (text, "\n");
  g_string_append (text, _("Run `urun COMMAND --help` for the options of a command."));
  return g_string_free (text, FALSE);
}

gboolean
urun_cli_parse_global (UrunGlobalOptions *options, int *argc, char ***argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "root", 0, 0, G_OPTION_ARG_FILENAME, &options->root,
      N_("Directory for container state (default: $XDG_RUNTIME_DIR/urun, or /run/urun as root)"),
      N_("DIR") },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &options->log_path,
      N_("Also write log records to FILE"), N_("FILE") },
    { "log-format", 0, 0, G_OPTION_ARG_CALLBACK, parse_log_format,
      N_("Format of the log file: text or json"), N_("FORMAT") },
    { "log-level", 0, 0, G_OPTION_ARG_CALLBACK, parse_log_level,
      N_("Least severe level to log: error, warning, info or debug"), N_("LEVEL") },
    { "debug", 0, 0, G_OPTION_ARG_NONE, &options->debug,
      N_("Log at debug level"), NULL },
    { "systemd-cgroup", 0, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, parse_systemd_cgroup,
      N_("Use systemd for cgroups (same as --cgroup-manager=systemd)"), NULL },
    { "cgroup-manager", 0, 0, G_OPTION_ARG_CALLBACK, parse_cgroup_manager,
      N_("Cgroup manager: systemd, cgroupfs or disabled"), N_("MANAGER") },
    { "rootless", 0, 0, G_OPTION_ARG_CALLBACK, parse_rootless,
      N_("Run rootless: true, false or auto"), N_("MODE") },
    { "version", 'v', 0, G_OPTION_ARG_NONE, &options->show_version,
      N_("Print the version and the compiled-in features"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_("COMMAND [OPTION…]"));
  g_autofree char *description = commands_description ();
  GOptionGroup *group;

  group = g_option_group_new ("urun", "", "", options, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, group);
  g_option_context_set_summary (context, _("urun runs OCI containers, rootless first."));
  g_option_context_set_description (context, description);
  /* Why strict POSIX: global options come before the command, and the
   * command's own options must reach the command untouched. */
  g_option_context_set_strict_posix (context, TRUE);
  g_set_prgname ("urun");

  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (options->debug)
    {
      options->log_level = URUN_LOG_LEVEL_DEBUG;
      options->log_level_set = TRUE;
    }

  /* Drop the program name so that (*argv)[0] is the command. */
  if (*argc > 0)
    {
      (*argc)--;
      (*argv)++;
    }
  return TRUE;
}

static GOptionContext *
command_context (UrunCli *cli, const GOptionEntry *entries, gboolean stop_at_positional)
{
  GOptionContext *context;
  const char *parameters = cli->command->parameters;
  g_autofree char *prgname = g_strdup_printf ("urun %s", cli->command->name);

  context = g_option_context_new (parameters && *parameters ? _(parameters) : NULL);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(cli->command->summary));
  g_option_context_set_strict_posix (context, stop_at_positional);
  g_set_prgname (prgname);
  return context;
}

gboolean
urun_cli_parse_command (UrunCli *cli, const GOptionEntry *entries, gboolean stop_at_positional,
                        int *argc, char ***argv, GError **error)
{
  g_autoptr (GOptionContext) context = command_context (cli, entries, stop_at_positional);

  return g_option_context_parse (context, argc, argv, error);
}

gboolean
urun_cli_parse_command_catch_help (UrunCli *cli, const GOptionEntry *entries,
                                   gboolean stop_at_positional, int *argc, char ***argv,
                                   gboolean *out_help, GError **error)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GArray) all = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  gboolean help = FALSE;
  const GOptionEntry help_entry = { "help", 'h', 0, G_OPTION_ARG_NONE, &help,
                                    N_("Show help options"), NULL };

  for (const GOptionEntry *e = entries; e != NULL && e->long_name != NULL; e++)
    g_array_append_val (all, *e);
  g_array_append_val (all, help_entry);

  /* Why our own --help: GOption's exits 0 from inside the parser, and some
   * callers (podman probing `checkpoint --help`) read the exit status as
   * "this command is supported". */
  context = command_context (cli, (const GOptionEntry *) (void *) all->data, stop_at_positional);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (help)
    {
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);
      fputs (text, stdout);
      fflush (stdout);
    }
  *out_help = help;
  return TRUE;
}

gboolean
urun_cli_check_args (UrunCli *cli, int argc, int min, int max, GError **error)
{
  int given = argc - 1;
  const char *parameters = cli->command->parameters;

  if (given < min)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT, _("missing argument %s for `%s`"),
                      parameters && *parameters ? _(parameters) : "", cli->command->name);
  if (max >= 0 && given > max)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      _("`%s` takes at most %d argument(s), got %d"), cli->command->name, max,
                      given);
  return TRUE;
}
