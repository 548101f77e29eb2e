/* urun-test-hook.c: URUN_TEST_STOP_AT (see urun-test-hook.h).
 *
 * Zone: host side (GLib).
 *
 * Why always built in, with no option to turn it off: it gives the caller
 * nothing that `kill -9` does not already give, since the environment is
 * the caller's own and urun runs with the caller's privileges; only the
 * moment is exact.
 */
#include "config.h"

#include "util/urun-test-hook.h"

#include <signal.h>
#include <string.h>

void
urun_test_stop_at (const char *step)
{
  /* Read here, not in the runtime context: a test knob that every layer's
   * steps (cgroup/ too) reach, which no production path may depend on. */
  const char *wanted = g_getenv ("URUN_TEST_STOP_AT");

  if (wanted != NULL && strcmp (wanted, step) == 0)
    raise (SIGKILL);
}
