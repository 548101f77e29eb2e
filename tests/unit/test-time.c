/* test-time.c: unit tests of urun_time_format_rfc3339_utc(), against the C
 * library's gmtime_r() over four centuries of days, leap days and the
 * turns of centuries included. */
#include "config.h"

#include "util/urun-time.h"

#include <string.h>

static char *
expected (const struct timespec *t)
{
  struct tm tm;
  char seconds[64];

  g_assert_nonnull (gmtime_r (&t->tv_sec, &tm));
  strftime (seconds, sizeof seconds, "%Y-%m-%dT%H:%M:%S", &tm);
  return g_strdup_printf ("%s.%09ldZ", seconds, (long) t->tv_nsec);
}

static void
assert_formats (time_t seconds, long nanoseconds)
{
  struct timespec t = { seconds, nanoseconds };
  g_autofree char *want = expected (&t);
  g_autofree char *got = urun_time_format_rfc3339_utc (&t);

  g_assert_cmpstr (got, ==, want);
}

static void
test_known (void)
{
  struct timespec t = { 0, 8 };
  g_autofree char *epoch = urun_time_format_rfc3339_utc (&t);

  g_assert_cmpstr (epoch, ==, "1970-01-01T00:00:00.000000008Z");
  t.tv_sec = 951782400; /* the leap day of 2000, a century divisible by 400 */
  t.tv_nsec = 999999999;
  g_free (epoch);
  epoch = urun_time_format_rfc3339_utc (&t);
  g_assert_cmpstr (epoch, ==, "2000-02-29T00:00:00.999999999Z");
}

/* Every day of 1900 to 2300 at a second that moves through the day, and
 * the last second of each: 1900 and 2100 have no leap day, 2000 has. */
static void
test_against_gmtime (void)
{
  const gint64 first = -2208988800; /* 1900-01-01 */
  const gint64 last = 10413792000;  /* 2300-01-01 */

  for (gint64 day = first; day < last; day += 86400)
    {
      assert_formats ((time_t) (day + (day / 86400 % 86400 + 86400) % 86400), 123);
      assert_formats ((time_t) (day + 86399), 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/time/known", test_known);
  g_test_add_func ("/time/against-gmtime", test_against_gmtime);
  return g_test_run ();
}
