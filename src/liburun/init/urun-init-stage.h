/* urun-init-stage.h: the namespaces of init and of the child of `exec`,
 * and the stage: the process urun cloned, which hands over to the one it
 * clones into a pid namespace (urun-init-stage.c).
 *
 * Zone: init (GLib-free, no allocation, no stdio).
 */
#pragma once

#include "init/urun-init-util.h"

/* setns() into each of plan->joins, in the plan's order (the failure names
 * the namespace).  Returns 0 or a negative value. */
int urun_init_join_namespaces (const UrunInitPlan *plan, UrunInitFailure *failure);

/* With a new user namespace whose maps are written: uid and gid 0 of it
 * (kept as they are when the maps have no 0).  Returns 0 or a negative
 * value. */
int urun_init_become_root (const UrunInitPlan *plan, UrunInitFailure *failure);

/* The staged path of init (see urun-plan.h), in the child the parent
 * cloned without namespaces: joins plan->joins, creates the user
 * namespace (the parent writes its maps on URUN_SYNC_USERNS_READY), the
 * other namespaces, and hands over to the real init.  Returns in the real
 * init; the stage exits. */
int urun_init_enter_stages (const UrunInitPlan *plan, UrunInitFailure *failure);

/* Clones the next process with CLONE_PARENT, into the pid namespace the
 * stage entered, and returns 0 in it; the stage sends its pid to the
 * parent (URUN_SYNC_INIT_PID) and exits.  A failed clone fills @failure
 * (URUN_STEP_UNSHARE, detail @what) and returns a negative value in the
 * stage. */
int urun_init_stage_hand_over (const UrunInitPlan *plan, const char *what,
                               UrunInitFailure *failure);
