/* urun-cli-hint.h: hints for the errors a person can cause.  Zone: CLI. */
#pragma once

#include "urun-cli.h"

G_BEGIN_DECLS

/* Appends to @error's message what to do next, when urun knows it (an
 * unknown or taken id, a bundle without config.json, a missing rootfs, a
 * rootless state root without XDG_RUNTIME_DIR in @runtime).  The message
 * itself is kept as it was: clients match it. */
void urun_cli_add_hint (const UrunRuntime *runtime, GError *error);

G_END_DECLS
