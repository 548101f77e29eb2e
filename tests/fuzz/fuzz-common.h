/* fuzz-common.h: what every fuzz target shares: the libFuzzer entry point's
 * prototype (-Werror=missing-prototypes) and the check that a refusal
 * comes with a message.
 *
 * The targets build twice: under clang's libFuzzer (-Dfuzzing=true), and in
 * every build linked with replay-main.c, which runs the seed corpus and the
 * kept regression inputs through them as a unit test. */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* An input is either accepted (@ok, no error) or refused with an error
 * that has a message; anything else is a bug, reported as a crash. */
static inline void
urun_fuzz_check_outcome (gboolean ok, const GError *error)
{
  if (ok ? error != NULL : error == NULL || error->message == NULL || error->message[0] == '\0')
    abort ();
}
