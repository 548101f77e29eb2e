/* urun-cmd-gc.c: the `gc` command: removes what containers whose processes
 * are gone left behind (status "stopped"), through the normal delete path
 * so that their scopes, cgroups and poststop hooks are handled as by
 * `urun delete`, and the private bundles of `run --rootfs` runs that were
 * killed.  One line per removal; running, paused and created containers
 * are never touched.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "urun-cli-store.h"
#include "container/urun-container-cgroup.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "state/urun-state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define ROOTFS_BUNDLE_PREFIX ".rootfs-"

/* Removes `<root>/.rootfs-ID` directories whose run is gone: no run holds
 * their lock (see urun-cli-rootfs.c) and no container ID exists. */
static void
collect_rootfs_bundles (UrunStateStore *store, gboolean dry_run)
{
  const char *root = urun_state_store_get_root (store);
  g_autoptr (GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      URUN_AUTOCLOSE int fd = -1;
      const char *id = name + strlen (ROOTFS_BUNDLE_PREFIX);

      if (!g_str_has_prefix (name, ROOTFS_BUNDLE_PREFIX) || urun_state_exists (store, id))
        continue;
      path = g_build_filename (root, name, NULL);
      fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
      /* Held by a live run (between mkdir and create, or while it runs). */
      if (fd < 0 || flock (fd, LOCK_EX | LOCK_NB) < 0)
        continue;
      if (!dry_run)
        {
          unlinkat (fd, "config.json", 0);
          if (rmdir (path) < 0)
            {
              urun_log (URUN_LOG_LEVEL_WARNING, _("cannot remove `%s`: %s"), path,
                        urun_strerror (errno));
              continue;
            }
        }
      g_print (dry_run ? _("would remove the bundle %s of a killed `run --rootfs`\n")
                       : _("removed the bundle %s of a killed `run --rootfs`\n"),
               path);
    }
}

/* The status of @id now, as `list` derives it; FALSE when it is gone. */
static gboolean
status_now (UrunStateStore *store, const char *id, UrunContainerStatus *out_status)
{
  g_autoptr (UrunContainerState) state = urun_state_open (store, id, URUN_STATE_OPEN_NO_LOCK,
                                                          NULL);
  g_autoptr (UrunStateRecord) record = NULL;

  if (state == NULL || (record = urun_container_state_load (state, NULL)) == NULL)
    return FALSE;
  *out_status = urun_state_status (record, urun_container_state_get_dirfd (state),
                                   urun_container_cgroup_is_frozen);
  return TRUE;
}

/* Deletes the stopped container @id.  Without --force first: the delete
 * path checks the status again under the container's lock, so a container
 * that changed since the list is left alone.  A create that died half-way
 * is refused that way while its init (blocked, never to be started) still
 * exists; when the status is still "stopped" it is forced, which is what
 * `delete --force` would do. */
static gboolean
remove_stopped (const UrunRuntime *runtime, UrunStateStore *store, const char *id,
                GPtrArray *warnings, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  UrunContainerStatus status;

  if (urun_container_delete (runtime, id, FALSE, warnings, &local_error))
    return TRUE;
  if (!g_error_matches (local_error, URUN_ERROR, URUN_ERROR_WRONG_STATE)
      || !status_now (store, id, &status) || status != URUN_STATUS_STOPPED)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return urun_container_delete (runtime, id, TRUE, warnings, error);
}

int
urun_cmd_gc (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr (UrunStateStore) store = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  gboolean dry_run = FALSE;
  gboolean failed = FALSE;
  UrunRuntime runtime;
  const GOptionEntry options[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Only print what would be removed"), NULL },
    { NULL },
  };

  if (!urun_cli_parse_command (cli, options, FALSE, &argc, &argv, error)
      || !urun_cli_check_args (cli, argc, 0, 0, error))
    return -1;

  entries = urun_cli_list_containers (cli, &store, error);
  if (entries == NULL)
    return -1;
  urun_cli_runtime (cli, &runtime);

  for (guint i = 0; i < entries->len; i++)
    {
      const UrunStateListEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GError) local_error = NULL;
      const char *id = entry->record->id;

      if (entry->status != URUN_STATUS_STOPPED)
        continue;
      if (dry_run)
        {
          g_print (_("would remove %s\n"), id);
          continue;
        }
      if (!remove_stopped (&runtime, store, id, warnings, &local_error))
        {
          urun_cli_print_warnings (warnings);
          urun_log (URUN_LOG_LEVEL_WARNING, _("cannot remove %s: %s"), id,
                    local_error->message);
          failed = TRUE;
          continue;
        }
      urun_cli_print_warnings (warnings);
      g_print (_("removed %s\n"), id);
    }
  collect_rootfs_bundles (store, dry_run);
  return failed ? 1 : 0;
}
