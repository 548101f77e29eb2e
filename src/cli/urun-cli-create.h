/* urun-cli-create.h: the options `create` and `run` share.  Zone: CLI. */
#pragma once

#include "urun-cli.h"

G_BEGIN_DECLS

typedef struct
{
  char *bundle;
  char *console_socket;
  char *pid_file;
  gboolean no_pivot;
  gboolean no_new_keyring;
  int preserve_fds;
  char *unit;
  char *slice;
  char **properties;
  char *description;
  gboolean collect;
  /* run only */
  gboolean detach;
  gboolean keep;
  gboolean no_subreaper;
  /* run --rootfs only (urun-cli-rootfs.c) */
  char *rootfs;
  char *name;
  gboolean tty;
  char **binds;
  char **env;
  char *workdir;
  char *user;
  char *network;
} UrunCliCreateArgs;

void urun_cli_create_args_clear (UrunCliCreateArgs *args);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (UrunCliCreateArgs, urun_cli_create_args_clear)

/* Parses the options of `create` (or `run`, with @for_run) into @args and
 * checks for the one CONTAINER-ID, which ends up in argv[1]. */
gboolean urun_cli_create_parse (UrunCli *cli, UrunCliCreateArgs *args, gboolean for_run,
                                int *argc, char ***argv, GError **error);

/* The library's view of @args for container @id; points into @args. */
gboolean urun_cli_create_options (const UrunCliCreateArgs *args, const char *id,
                                  UrunCreateOptions *out_options, GError **error);

/* TRUE when @argv (a `run` command line) asks for --rootfs before any
 * `--`: then the positional arguments are the command to run. */
gboolean urun_cli_wants_rootfs (int argc, char **argv);

/* `run --rootfs DIR [OPTION…] [--] [COMMAND [ARG…]]` once parsed: writes the
 * generated config into a private bundle directory under the state root,
 * runs the container in the foreground, removes both, and returns the
 * container's exit status (or -1 with @error). */
int urun_cli_run_rootfs (UrunCli *cli, UrunCliCreateArgs *args, int argc, char **argv,
                         GError **error);

G_END_DECLS
