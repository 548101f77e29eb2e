/* urun-systemd-syntax.c: systemd's value syntax, one parser per kind of
 * value (booleans, sizes, time spans, percentages, CPU sets; see
 * urun-systemd-property.h).  Zone: host side (GLib), pure.
 */
#include "config.h"

#include "cgroup/urun-systemd-property.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

gboolean
urun_systemd_parse_boolean (const char *text, gboolean *out_value)
{
  static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
  static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_ascii_strcasecmp (text, yes[i]) == 0)
      {
        *out_value = TRUE;
        return TRUE;
      }
  for (gsize i = 0; i < G_N_ELEMENTS (no); i++)
    if (g_ascii_strcasecmp (text, no[i]) == 0)
      {
        *out_value = FALSE;
        return TRUE;
      }
  return FALSE;
}

/* Parses "DIGITS[.DIGITS]" at *p; the fraction is returned over 10^9. */
static gboolean
parse_decimal (const char **p, guint64 *out_whole, guint64 *out_frac_nano)
{
  const char *s = *p;
  guint64 whole = 0, frac = 0, scale = 100000000;
  gboolean any = FALSE;

  while (g_ascii_isdigit (*s))
    {
      if (whole > (G_MAXUINT64 - 9) / 10)
        return FALSE;
      whole = whole * 10 + (guint64) (*s - '0');
      s++;
      any = TRUE;
    }
  if (*s == '.')
    {
      s++;
      while (g_ascii_isdigit (*s))
        {
          frac += (guint64) (*s - '0') * scale;
          scale /= 10;
          s++;
          any = TRUE;
        }
    }
  if (!any)
    return FALSE;
  *out_whole = whole;
  *out_frac_nano = frac;
  *p = s;
  return TRUE;
}

/* whole.frac * factor, failing on overflow. */
static gboolean
scale_decimal (guint64 whole, guint64 frac_nano, guint64 factor, guint64 *out)
{
  unsigned __int128 v = (unsigned __int128) whole * factor
                        + (unsigned __int128) frac_nano * factor / 1000000000u;

  if (v > G_MAXUINT64)
    return FALSE;
  *out = (guint64) v;
  return TRUE;
}

gboolean
urun_systemd_parse_size (const char *text, guint64 *out_bytes)
{
  static const char suffixes[] = "KMGTPE";
  const char *p = text;
  guint64 whole, frac, factor = 1, value;

  if (g_strcmp0 (text, "infinity") == 0)
    {
      *out_bytes = G_MAXUINT64;
      return TRUE;
    }
  if (text == NULL || !parse_decimal (&p, &whole, &frac))
    return FALSE;
  if (*p != '\0')
    {
      const char *s = strchr (suffixes, g_ascii_toupper (*p));

      if (s == NULL || *p == '\0')
        {
          if (g_ascii_toupper (*p) != 'B' || p[1] != '\0')
            return FALSE;
        }
      else
        {
          factor = (guint64) 1 << (10 * (s - suffixes + 1));
          p++;
          /* "1G", "1GB" and "1GiB" alike. */
          if (g_ascii_strcasecmp (p, "B") == 0 || g_ascii_strcasecmp (p, "iB") == 0)
            p += strlen (p);
          if (*p != '\0')
            return FALSE;
        }
    }
  else if (frac != 0)
    return FALSE; /* a fraction of a byte */
  if (!scale_decimal (whole, frac, factor, &value))
    return FALSE;
  *out_bytes = value;
  return TRUE;
}

typedef struct
{
  const char *suffix;
  guint64 usec;
} TimeUnit;

static const TimeUnit time_units[] = {
  { "seconds", G_USEC_PER_SEC }, { "second", G_USEC_PER_SEC }, { "sec", G_USEC_PER_SEC },
  { "s", G_USEC_PER_SEC },       { "minutes", 60ULL * G_USEC_PER_SEC },
  { "minute", 60ULL * G_USEC_PER_SEC }, { "min", 60ULL * G_USEC_PER_SEC },
  { "months", 2629800ULL * G_USEC_PER_SEC }, { "month", 2629800ULL * G_USEC_PER_SEC },
  { "msec", 1000 },              { "ms", 1000 },
  { "m", 60ULL * G_USEC_PER_SEC },  { "hours", 3600ULL * G_USEC_PER_SEC },
  { "hour", 3600ULL * G_USEC_PER_SEC }, { "hr", 3600ULL * G_USEC_PER_SEC },
  { "h", 3600ULL * G_USEC_PER_SEC }, { "days", 86400ULL * G_USEC_PER_SEC },
  { "day", 86400ULL * G_USEC_PER_SEC }, { "d", 86400ULL * G_USEC_PER_SEC },
  { "weeks", 604800ULL * G_USEC_PER_SEC }, { "week", 604800ULL * G_USEC_PER_SEC },
  { "w", 604800ULL * G_USEC_PER_SEC }, { "M", 2629800ULL * G_USEC_PER_SEC },
  { "years", 31557600ULL * G_USEC_PER_SEC }, { "year", 31557600ULL * G_USEC_PER_SEC },
  { "y", 31557600ULL * G_USEC_PER_SEC }, { "usec", 1 }, { "us", 1 }, { "µs", 1 },
  { "nsec", 0 }, { "ns", 0 },
};

gboolean
urun_systemd_parse_usec (const char *text, guint64 *out_usec)
{
  const char *p = text;
  guint64 total = 0;
  gboolean any = FALSE;

  if (text == NULL)
    return FALSE;
  if (strcmp (text, "infinity") == 0)
    {
      *out_usec = G_MAXUINT64;
      return TRUE;
    }
  for (;;)
    {
      guint64 whole, frac, factor = G_USEC_PER_SEC, value;
      gsize len = 0;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;
      if (!parse_decimal (&p, &whole, &frac))
        return FALSE;
      while (g_ascii_isspace (*p))
        p++;
      /* Longest unit first: the table is ordered so that a prefix never
       * shadows a longer unit ("ms" before "m", "min" before "m"). */
      for (gsize i = 0; i < G_N_ELEMENTS (time_units); i++)
        {
          gsize n = strlen (time_units[i].suffix);

          if (strncmp (p, time_units[i].suffix, n) == 0
              && !g_ascii_isalpha (p[n]) && n > len)
            {
              len = n;
              factor = time_units[i].usec;
            }
        }
      p += len;
      if (factor == 0)
        value = (whole + 999) / 1000; /* nanoseconds, rounded up */
      else if (!scale_decimal (whole, frac, factor, &value))
        return FALSE;
      if (total > G_MAXUINT64 - value)
        return FALSE;
      total += value;
      any = TRUE;
      if (*p != '\0' && !g_ascii_isspace (*p) && !g_ascii_isdigit (*p))
        return FALSE;
    }
  if (!any)
    return FALSE;
  *out_usec = total;
  return TRUE;
}

gboolean
urun_systemd_parse_percent (const char *text, guint64 *out_permyriad)
{
  const char *p = text;
  guint64 whole, frac, value;

  if (text == NULL || !parse_decimal (&p, &whole, &frac) || strcmp (p, "%") != 0)
    return FALSE;
  if (frac % 10000000 != 0) /* more than two decimals */
    return FALSE;
  if (whole > G_MAXUINT64 / 100)
    return FALSE;
  value = whole * 100 + frac / 10000000;
  *out_permyriad = value;
  return TRUE;
}

gboolean
urun_systemd_parse_cpu_set (const char *text, GBytes **out_mask)
{
  g_autoptr (GByteArray) mask = g_byte_array_new ();
  g_auto (GStrv) items = NULL;

  if (text == NULL)
    return FALSE;
  items = g_strsplit_set (text, ", \t", -1);
  for (char **item = items; *item != NULL; item++)
    {
      char *end;
      guint64 first, last;

      if (**item == '\0')
        continue;
      if (!g_ascii_isdigit (**item))
        return FALSE;
      first = g_ascii_strtoull (*item, &end, 10);
      last = first;
      if (*end == '-')
        {
          if (!g_ascii_isdigit (end[1]))
            return FALSE;
          last = g_ascii_strtoull (end + 1, &end, 10);
        }
      /* 8192 is the kernel's largest NR_CPUS. */
      if (*end != '\0' || last < first || last >= 8192)
        return FALSE;
      for (guint64 cpu = first; cpu <= last; cpu++)
        {
          guint8 zero = 0;

          while (mask->len <= cpu / 8)
            g_byte_array_append (mask, &zero, 1);
          mask->data[cpu / 8] |= (guint8) (1u << (cpu % 8));
        }
    }
  *out_mask = g_byte_array_free_to_bytes (g_steal_pointer (&mask));
  return TRUE;
}
