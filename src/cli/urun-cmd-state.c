/* urun-cmd-state.c: the `state` command, which prints the OCI state of a
 * container as JSON, with urun's own details (cgroup outcome, rootless)
 * under "urun".  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "container/urun-container-cgroup.h"
#include "state/urun-state.h"

#include <stdio.h>

int
urun_cmd_state (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr (UrunStateStore) store = NULL;
  g_autoptr (UrunContainerState) state = NULL;
  g_autoptr (UrunStateRecord) record = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *text = NULL;
  UrunContainerStatus status;

  if (!urun_cli_parse_command (cli, NULL, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, 1, error))
    return -1;

  /* Read-only: no root is created and no lock is taken, so `state` never
   * waits for a long-running holder of the container. */
  store = urun_cli_open_store (cli, FALSE, error);
  if (store == NULL)
    return -1;
  state = urun_state_open (store, argv[1], URUN_STATE_OPEN_NO_LOCK, error);
  if (state == NULL)
    return -1;
  record = urun_container_state_load (state, error);
  if (record == NULL)
    return -1;

  status = urun_state_status (record, urun_container_state_get_dirfd (state),
                              urun_container_cgroup_is_frozen);
  /* A stopped container has no pid: showing the old one would invite a
   * caller to signal whatever process reused it. */
  if (status == URUN_STATUS_STOPPED)
    record->pid = 0;
  node = urun_state_record_to_json (record, urun_container_status_to_string (status));
  text = json_to_string (node, TRUE);
  g_print ("%s\n", text);
  return 0;
}
