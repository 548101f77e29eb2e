/* urun-spec-check.c: the checks every part of validation uses (see
 * urun-spec-check.h).  Zone: host side (GLib).
 */
#include "config.h"

#include "spec/urun-spec-check.h"
#include "spec/urun-spec-private.h"

gboolean
urun_spec_check_fail (UrunSpecCheck *c, const char *path, const char *fmt, ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, fmt);
  message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return urun_spec_fail (c->error, c->filename, path, "%s", message);
}

/* "unknown <what> \"value\"" at @path. */
gboolean
urun_spec_check_unknown (UrunSpecCheck *c, const char *path, const char *what, const char *value)
{
  g_autofree char *quoted = urun_spec_quote (value);

  return urun_spec_check_fail (c, path, "unknown %s %s", what, quoted);
}

/* "invalid <what> \"value\"" at @path. */
gboolean
urun_spec_check_invalid (UrunSpecCheck *c, const char *path, const char *what, const char *value)
{
  g_autofree char *quoted = urun_spec_quote (value);

  return urun_spec_check_fail (c, path, "invalid %s %s", what, quoted);
}

gboolean
urun_spec_check_absolute (UrunSpecCheck *c, const char *path, const char *value)
{
  g_autofree char *quoted = NULL;

  if (value != NULL && value[0] == '/')
    return TRUE;
  quoted = urun_spec_quote (value != NULL ? value : "");
  return urun_spec_check_fail (c, path, "expected an absolute path, got %s", quoted);
}

gboolean
urun_spec_check_absolute_list (UrunSpecCheck *c, const char *path, char **values)
{
  for (gsize i = 0; values != NULL && values[i] != NULL; i++)
    if (values[i][0] != '/')
      {
        g_autofree char *where = g_strdup_printf ("%s[%zu]", path, i);

        return urun_spec_check_absolute (c, where, values[i]);
      }
  return TRUE;
}

gboolean
urun_spec_check_names (UrunSpecCheck *c, const char *path, char **values, const char *what,
                       UrunSpecKnownFunc known)
{
  for (gsize i = 0; values != NULL && values[i] != NULL; i++)
    if (!known (values[i]))
      {
        g_autofree char *where = g_strdup_printf ("%s[%zu]", path, i);

        return urun_spec_check_unknown (c, where, what, values[i]);
      }
  return TRUE;
}

gboolean
urun_spec_check_range (UrunSpecCheck *c, const char *path, gint64 value, gint64 min, gint64 max)
{
  if (value >= min && value <= max)
    return TRUE;
  return urun_spec_check_fail (c, path,
                               "expected an integer between %" G_GINT64_FORMAT
                               " and %" G_GINT64_FORMAT ", got %" G_GINT64_FORMAT,
                               min, max, value);
}

gboolean
urun_spec_check_max (UrunSpecCheck *c, const char *path, guint64 value, guint64 max)
{
  if (value <= max)
    return TRUE;
  return urun_spec_check_fail (
    c, path, "expected an unsigned integer up to %" G_GUINT64_FORMAT ", got %" G_GUINT64_FORMAT,
    max, value);
}

/* A user or group id, up to 2^31-1 as in runc.  Why a limit below the
 * type's: (uid_t) -1 means "leave unchanged" to setresuid() and its kin,
 * so 4294967295 would keep init's uid 0; ids above 2^31-1 are also
 * negative to every interface that takes a signed id. */
gboolean
urun_spec_check_id (UrunSpecCheck *c, const char *path, guint32 value)
{
  if (value <= G_MAXINT32)
    return TRUE;
  return urun_spec_check_fail (c, path, "expected an id between 0 and %d, got %u", G_MAXINT32,
                               (unsigned) value);
}

/* config-linux.md: an id mapping is a range of ids in both the container
 * and the host.  The kernel refuses a range that is empty or that wraps
 * past the last id (its end, id + size, must fit in 32 bits). */
gboolean
urun_spec_check_id_mappings (UrunSpecCheck *c, const char *path, const UrunSpecIdMapping *mappings,
                             gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      const UrunSpecIdMapping *m = &mappings[i];
      g_autofree char *where = NULL;
      const char *field = NULL;
      guint32 start = 0;

      if (m->size == 0)
        {
          where = g_strdup_printf ("%s[%zu].size", path, i);
          return urun_spec_check_fail (c, where, "expected a size of at least 1, got 0");
        }
      if ((guint64) m->container_id + m->size > G_MAXUINT32)
        field = "containerID", start = m->container_id;
      else if ((guint64) m->host_id + m->size > G_MAXUINT32)
        field = "hostID", start = m->host_id;
      if (field != NULL)
        {
          where = g_strdup_printf ("%s[%zu]", path, i);
          return urun_spec_check_fail (
            c, where, "%s %u + size %u goes past the last id: the sum must be at most %u", field,
            (unsigned) start, (unsigned) m->size, (unsigned) G_MAXUINT32);
        }
    }
  return TRUE;
}
