/* urun-cmd-restore.c: the `restore` command.  urun cannot restore from a
 * checkpoint (no CRIU support); the command parses runc's option set so that
 * callers get a clear "not supported" rather than a usage error.
 * Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "util/urun-error.h"

int
urun_cmd_restore (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *image_path = NULL;
  g_autofree char *work_path = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *console_socket = NULL;
  g_autofree char *pid_file = NULL;
  gboolean detach = FALSE;
  gboolean no_pivot = FALSE;
  gboolean no_subreaper = FALSE;
  gboolean tcp_established = FALSE;
  gboolean ext_unix_sk = FALSE;
  gboolean shell_job = FALSE;
  gboolean file_locks = FALSE;
  gboolean lazy_pages = FALSE;
  g_autofree char *manage_cgroups_mode = NULL;
  g_auto (GStrv) empty_ns = NULL;
  gboolean auto_dedup = FALSE;
  g_autofree char *lsm_profile = NULL;
  g_autofree char *lsm_mount_context = NULL;
  const GOptionEntry entries[] = {
    { "image-path", 0, 0, G_OPTION_ARG_FILENAME, &image_path,
      N_("Directory that holds the checkpoint images"), N_("DIR") },
    { "work-path", 0, 0, G_OPTION_ARG_FILENAME, &work_path,
      N_("Directory for CRIU's logs and work files"), N_("DIR") },
    { "bundle", 'b', 0, G_OPTION_ARG_FILENAME, &bundle,
      N_("Bundle directory holding config.json (default: the current directory)"), N_("DIR") },
    { "console-socket", 0, 0, G_OPTION_ARG_FILENAME, &console_socket,
      N_("Send the pseudo-terminal master to the AF_UNIX socket at PATH"), N_("PATH") },
    { "pid-file", 0, 0, G_OPTION_ARG_FILENAME, &pid_file,
      N_("Write the pid of the container's init process to FILE"), N_("FILE") },
    { "detach", 'd', 0, G_OPTION_ARG_NONE, &detach,
      N_("Return once the container is running instead of waiting for it"), NULL },
    { "no-pivot", 0, 0, G_OPTION_ARG_NONE, &no_pivot,
      N_("Do not use pivot_root to enter the root file system"), NULL },
    { "no-subreaper", 0, 0, G_OPTION_ARG_NONE, &no_subreaper,
      N_("Do not make urun a child subreaper while it waits"), NULL },
    { "tcp-established", 0, 0, G_OPTION_ARG_NONE, &tcp_established,
      N_("Allow open TCP connections"), NULL },
    { "ext-unix-sk", 0, 0, G_OPTION_ARG_NONE, &ext_unix_sk,
      N_("Allow external Unix sockets"), NULL },
    { "shell-job", 0, 0, G_OPTION_ARG_NONE, &shell_job,
      N_("Allow shell jobs"), NULL },
    { "file-locks", 0, 0, G_OPTION_ARG_NONE, &file_locks,
      N_("Allow file locks"), NULL },
    { "lazy-pages", 0, 0, G_OPTION_ARG_NONE, &lazy_pages,
      N_("Use userfaultfd to transfer memory pages lazily"), NULL },
    { "manage-cgroups-mode", 0, 0, G_OPTION_ARG_STRING, &manage_cgroups_mode,
      N_("How to handle cgroups: soft, full, strict or ignore"), N_("MODE") },
    { "empty-ns", 0, 0, G_OPTION_ARG_STRING_ARRAY, &empty_ns,
      N_("Do not restore this namespace's properties (repeatable)"), N_("NAMESPACE") },
    { "auto-dedup", 0, 0, G_OPTION_ARG_NONE, &auto_dedup,
      N_("Deduplicate memory pages against the parent images"), NULL },
    { "lsm-profile", 0, 0, G_OPTION_ARG_STRING, &lsm_profile,
      N_("Restore with this LSM profile instead of the checkpointed one"), N_("TYPE:LABEL") },
    { "lsm-mount-context", 0, 0, G_OPTION_ARG_STRING, &lsm_mount_context,
      N_("Restore mounts with this SELinux mount context"), N_("CONTEXT") },
    { NULL },
  };

  if (!urun_cli_parse_command (cli, entries, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, 1, error))
    return -1;
  urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
             _("restoring from a checkpoint is not supported by urun"));
  return -1;
}
