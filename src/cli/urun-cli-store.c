/* urun-cli-store.c: the containers of the state store (see
 * urun-cli-store.h).  Zone: CLI. */
#include "config.h"

#include "urun-cli-store.h"
#include "container/urun-container-cgroup.h"

GPtrArray *
urun_cli_list_containers (UrunCli *cli, UrunStateStore **out_store, GError **error)
{
  g_autoptr (UrunStateStore) store = NULL;
  GPtrArray *entries;

  /* Listing never creates the root. */
  store = urun_cli_open_store (cli, FALSE, error);
  if (store == NULL)
    return NULL;
  entries = urun_state_store_list (store, urun_container_cgroup_is_frozen, error);
  if (entries != NULL && out_store != NULL)
    *out_store = g_steal_pointer (&store);
  return entries;
}
