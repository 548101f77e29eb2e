/* urun-cli.h: what the command-line front end shares between urun-main.c and
 * the one-file-per-command urun-cmd-<verb>.c files.
 *
 * Zone: CLI, the only code that prints.  A command returns its exit status
 * (>= 0) or -1 with @error set; urun-main.c prints the error once and maps it
 * to an exit code.
 */
#pragma once

#include <glib.h>
#include <glib/gi18n.h>

#include "container/urun-container.h"
#include "urun-log.h"
#include "state/urun-state.h"

G_BEGIN_DECLS

/* The global options, given before the command. */
typedef struct
{
  char *root;
  char *log_path;
  UrunLogFormat log_format;
  UrunLogLevel log_level;
  gboolean log_level_set;
  gboolean debug;
  UrunCgroupManager cgroup_manager;
  UrunRootlessMode rootless;
  gboolean show_version;
} UrunGlobalOptions;

typedef struct UrunCommand UrunCommand;

/* The exit status of `exec` when urun (not the process) failed. */
#define URUN_EXIT_EXEC_FAILURE 255

typedef struct
{
  UrunGlobalOptions global;
  UrunRuntime runtime;  /* resolved from @global by urun_cli_resolve_runtime() */
  const UrunCommand *command;
  int failure_status;   /* exit status for a failure past the usage checks, or 0 */
} UrunCli;

typedef int (*UrunCommandFunc) (UrunCli *cli, int argc, char **argv, GError **error);

struct UrunCommand
{
  const char *name;
  const char *parameters; /* e.g. "CONTAINER-ID", shown in usage */
  const char *summary;    /* one line, marked with N_() */
  UrunCommandFunc run;
};

/* The command table, in the order `urun --help` lists it. */
const UrunCommand *urun_cli_commands (guint *out_n_commands);
const UrunCommand *urun_cli_find_command (const char *name);

void urun_global_options_clear (UrunGlobalOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (UrunGlobalOptions, urun_global_options_clear)

void urun_cli_clear (UrunCli *cli);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (UrunCli, urun_cli_clear)

/* Parses the global options at the front of @argv and stops at the first
 * non-option (the command).  Accepts `--opt=value` and `--opt value`.  On
 * return argc and argv start at the command.  `--help` prints and exits. */
gboolean urun_cli_parse_global (UrunGlobalOptions *options, int *argc, char ***argv,
                                GError **error);

/* Parses a command's own options.  @entries may be NULL.  When
 * @stop_at_positional is TRUE, parsing stops at the first positional
 * argument, so that `exec ID ls -l` keeps `-l` for the payload.  On return
 * (*argv)[0] is the command name and the positional arguments follow. */
gboolean urun_cli_parse_command (UrunCli *cli, const GOptionEntry *entries,
                                 gboolean stop_at_positional, int *argc, char ***argv,
                                 GError **error);

/* Like urun_cli_parse_command(), but `--help`/`-h` does not exit: the help
 * goes to stdout, *@out_help is set to TRUE and the caller decides the exit
 * status.  For commands whose `--help` must fail (`checkpoint`, which podman
 * probes to detect support).  @out_help is written only on success. */
gboolean urun_cli_parse_command_catch_help (UrunCli *cli, const GOptionEntry *entries,
                                            gboolean stop_at_positional, int *argc,
                                            char ***argv, gboolean *out_help, GError **error);

/* Checks that the command got between @min and @max positional arguments
 * (@max < 0: unlimited).  @argc counts the command name. */
gboolean urun_cli_check_args (UrunCli *cli, int argc, int min, int max, GError **error);

/* Resolves cli->runtime from the global options and the environment,
 * once, before the command runs. */
void urun_cli_resolve_runtime (UrunCli *cli);

/* The library's view of the global options and the environment: a copy of
 * cli->runtime that points into @cli (never cleared by the caller). */
void urun_cli_runtime (UrunCli *cli, UrunRuntime *out_runtime);

/* The state store at the runtime's state root; @create makes the root
 * when it is missing (a command that only reads passes FALSE, so that it
 * never creates one).  NULL with @error on failure. */
UrunStateStore *urun_cli_open_store (UrunCli *cli, gboolean create, GError **error);

/* Prints each warning of a library call once, through the log writer. */
void urun_cli_print_warnings (GPtrArray *warnings);

/* The text `urun --version` prints. */
char *urun_cli_version_text (void);

/* Command handlers, one file each. */
int urun_cmd_create (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_start (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_run (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_exec (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_kill (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_delete (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_state (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_list (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_ps (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_pause (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_resume (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_update (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_events (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_doctor (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_gc (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_spec (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_features (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_checkpoint (UrunCli *cli, int argc, char **argv, GError **error);
int urun_cmd_restore (UrunCli *cli, int argc, char **argv, GError **error);

G_END_DECLS
