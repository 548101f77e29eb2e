/* urun-cli-store.h: the containers of the state store, as the commands
 * that walk all of them (`list`, `gc`) read it.  Zone: CLI.
 */
#pragma once

#include <glib.h>

#include "urun-cli.h"
#include "state/urun-state.h"

G_BEGIN_DECLS

/* The store at --root opened without creating it (a missing root is an
 * empty list), and its containers as urun_state_store_list() gives them.
 * With @out_store, the caller gets the store too.  NULL with @error on
 * failure. */
GPtrArray *urun_cli_list_containers (UrunCli *cli, UrunStateStore **out_store, GError **error);

G_END_DECLS
