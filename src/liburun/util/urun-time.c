/* urun-time.c: timestamps (see urun-time.h).  Zone: host side (GLib).
 */
#include "config.h"

#include "util/urun-time.h"

/* The proleptic Gregorian date of day @days since 1970-01-01: the
 * calendar repeats every 400 years (146097 days), counted here from
 * 0000-03-01 so that a leap day ends its year. */
static void
date_of_day (gint64 days, gint64 *out_year, int *out_month, int *out_day)
{
  gint64 shifted = days + 719468; /* days from 0000-03-01 to 1970-01-01 */
  gint64 era = (shifted >= 0 ? shifted : shifted - 146096) / 146097;
  gint64 day_of_era = shifted - era * 146097;                             /* [0, 146096] */
  gint64 year_of_era
    = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  gint64 day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  gint64 month_from_march = (5 * day_of_year + 2) / 153;                  /* [0, 11] */

  *out_day = (int) (day_of_year - (153 * month_from_march + 2) / 5 + 1);
  *out_month = (int) (month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  *out_year = year_of_era + era * 400 + (*out_month <= 2);
}

char *
urun_time_format_rfc3339_utc (const struct timespec *t)
{
  gint64 seconds = t->tv_sec;
  gint64 days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  gint64 second_of_day = seconds - days * 86400;
  gint64 year;
  int month, day;

  date_of_day (days, &year, &month, &day);
  return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02d-%02dT%02d:%02d:%02d.%09ldZ", year, month,
                          day, (int) (second_of_day / 3600), (int) (second_of_day / 60 % 60),
                          (int) (second_of_day % 60), (long) t->tv_nsec);
}
