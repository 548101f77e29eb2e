/* urun-cmd-checkpoint.c: the `checkpoint` command.  urun cannot checkpoint
 * (no CRIU support); the command parses runc's option set so that callers get
 * a clear "not supported" rather than a usage error.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "util/urun-error.h"

int
urun_cmd_checkpoint (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *image_path = NULL;
  g_autofree char *work_path = NULL;
  g_autofree char *parent_path = NULL;
  gboolean leave_running = FALSE;
  gboolean tcp_established = FALSE;
  gboolean ext_unix_sk = FALSE;
  gboolean shell_job = FALSE;
  gboolean lazy_pages = FALSE;
  int status_fd = -1;
  g_autofree char *page_server = NULL;
  gboolean file_locks = FALSE;
  gboolean pre_dump = FALSE;
  g_autofree char *manage_cgroups_mode = NULL;
  g_auto (GStrv) empty_ns = NULL;
  gboolean auto_dedup = FALSE;
  gboolean help = FALSE;
  const GOptionEntry entries[] = {
    { "image-path", 0, 0, G_OPTION_ARG_FILENAME, &image_path,
      N_("Directory for the checkpoint images"), N_("DIR") },
    { "work-path", 0, 0, G_OPTION_ARG_FILENAME, &work_path,
      N_("Directory for CRIU's logs and work files"), N_("DIR") },
    { "parent-path", 0, 0, G_OPTION_ARG_FILENAME, &parent_path,
      N_("Images of a previous pre-dump, relative to the image path"), N_("DIR") },
    { "leave-running", 0, 0, G_OPTION_ARG_NONE, &leave_running,
      N_("Leave the container running after the checkpoint"), NULL },
    { "tcp-established", 0, 0, G_OPTION_ARG_NONE, &tcp_established,
      N_("Allow open TCP connections"), NULL },
    { "ext-unix-sk", 0, 0, G_OPTION_ARG_NONE, &ext_unix_sk,
      N_("Allow external Unix sockets"), NULL },
    { "shell-job", 0, 0, G_OPTION_ARG_NONE, &shell_job,
      N_("Allow shell jobs"), NULL },
    { "lazy-pages", 0, 0, G_OPTION_ARG_NONE, &lazy_pages,
      N_("Use userfaultfd to transfer memory pages lazily"), NULL },
    { "status-fd", 0, 0, G_OPTION_ARG_INT, &status_fd,
      N_("Write to FD when the lazy-pages server is ready"), N_("FD") },
    { "page-server", 0, 0, G_OPTION_ARG_STRING, &page_server,
      N_("Send memory pages to a CRIU page server"), N_("ADDRESS:PORT") },
    { "file-locks", 0, 0, G_OPTION_ARG_NONE, &file_locks,
      N_("Allow file locks"), NULL },
    { "pre-dump", 0, 0, G_OPTION_ARG_NONE, &pre_dump,
      N_("Dump only the memory, for a later full checkpoint"), NULL },
    { "manage-cgroups-mode", 0, 0, G_OPTION_ARG_STRING, &manage_cgroups_mode,
      N_("How to handle cgroups: soft, full, strict or ignore"), N_("MODE") },
    { "empty-ns", 0, 0, G_OPTION_ARG_STRING_ARRAY, &empty_ns,
      N_("Do not save this namespace's properties (repeatable)"), N_("NAMESPACE") },
    { "auto-dedup", 0, 0, G_OPTION_ARG_NONE, &auto_dedup,
      N_("Deduplicate memory pages against the parent images"), NULL },
    { NULL },
  };

  /* Why `--help` fails: podman runs `checkpoint --help` and takes exit
   * status 0 to mean that the runtime can checkpoint. */
  if (!urun_cli_parse_command_catch_help (cli, entries, FALSE, &argc, &argv, &help, error))
    return -1;
  if (!help && !urun_cli_check_args (cli, argc, 1, 1, error))
    return -1;
  urun_fail (error, URUN_ERROR_NOT_SUPPORTED, _("checkpointing is not supported by urun"));
  return -1;
}
