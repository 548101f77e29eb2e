/* urun-plan-build.h: turning a validated UrunSpec into a UrunInitPlan.
 *
 * Zone: host side (GLib).  Everything init will need is resolved here,
 * before the clone: names become numbers, strings become ready vectors, and
 * files init must reach on the host (namespace paths, exec.fifo) become open
 * fds.  The parts are built by the files of urun-plan-parts.h, into the
 * UrunPlanOwner of urun-plan-owner.h.
 */
#pragma once

#include <glib.h>

#include "plan/urun-plan-owner.h"
#include "spec/urun-spec.h"

G_BEGIN_DECLS

/* Builds the plan.  The rootfs, the process and the namespaces must make
 * sense (a missing rootfs, for example, fails here with a message naming
 * it).  Returns a new owner, free with urun_plan_owner_free(). */
UrunPlanOwner *urun_plan_build (const UrunSpec *spec, const UrunPlanOptions *options,
                                GError **error);


G_END_DECLS
