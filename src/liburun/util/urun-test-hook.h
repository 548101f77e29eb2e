/* urun-test-hook.h: URUN_TEST_STOP_AT, the test hook that stops a create
 * at a named step.
 *
 * Zone: host side (GLib).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* SIGKILLs urun itself when URUN_TEST_STOP_AT names @step, so that a test
 * can check what `list` and `delete --force` make of a create that died
 * exactly there (tests/integration/test-security-input.sh).  Steps:
 * state-dir, recorded, spawned, cgroup-made (inside the cgroup ladder,
 * after the cgroupfs directories are made), cgroup, ready. */
void urun_test_stop_at (const char *step);

G_END_DECLS
