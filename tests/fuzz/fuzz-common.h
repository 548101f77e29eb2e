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

/* A g_return_if_fail() that fires, or any critical or warning logged, is a
 * bug the input found (liburun logs nothing above debug): print it and
 * abort(), so that libFuzzer keeps the input (it catches SIGABRT, not the
 * SIGTRAP of GLib's own fatal logs) and the replay test fails on it. */
static void
urun_fuzz_log_handler (const char *domain, GLogLevelFlags level, const char *message,
                       gpointer data)
{
  g_log_default_handler (domain, level, message, data);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
}

__attribute__ ((constructor)) static void
urun_fuzz_fatal_criticals (void)
{
  g_log_set_default_handler (urun_fuzz_log_handler, NULL);
}

/* An input is either accepted (@ok, no error) or refused with an error
 * that has a message; anything else is a bug, reported as a crash. */
static inline void
urun_fuzz_check_outcome (gboolean ok, const GError *error)
{
  if (ok ? error != NULL : error == NULL || error->message == NULL || error->message[0] == '\0')
    abort ();
}
