/* urun-error.c: the URUN_ERROR domain and one-line failure helpers.
 * Zone: host side (GLib). */
#include "config.h"

#include "util/urun-error.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <string.h>

G_DEFINE_QUARK (urun-error-quark, urun_error)

gboolean
urun_fail (GError **error, UrunErrorCode code, const char *fmt, ...)
{
  va_list ap;

  if (error == NULL)
    return FALSE;
  va_start (ap, fmt);
  *error = g_error_new_valist (URUN_ERROR, code, fmt, ap);
  va_end (ap);
  return FALSE;
}

const char *
urun_strerror (int errsv)
{
  static locale_t c_locale;

  /* INT_MIN has no positive counterpart (a hostile init's sync message
   * can carry any number); strerror names it an unknown error. */
  if (errsv < 0 && errsv != INT_MIN)
    errsv = -errsv;
  /* Why the C locale: machine-read error text (podman's matching, the JSON
   * log) must not change with the user's language. */
  if (c_locale == (locale_t) 0)
    c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
  if (c_locale == (locale_t) 0)
    return strerror (errsv);
  return strerror_l (errsv, c_locale);
}

/* Why EINVAL is not INVALID_ARGUMENT: that code is for bad command-line
 * input (the CLI adds a usage hint to it); a system call's EINVAL is the
 * kernel refusing a value, which callers name themselves. */
static UrunErrorCode
code_for_errno (int errsv)
{
  switch (errsv)
    {
    case ENOENT:
    case ESRCH:
      return URUN_ERROR_NOT_FOUND;
    case EEXIST:
      return URUN_ERROR_EXISTS;
    case EACCES:
    case EPERM:
      return URUN_ERROR_PERMISSION_DENIED;
    case ENOSYS:
    case EOPNOTSUPP:
      return URUN_ERROR_NOT_SUPPORTED;
    default:
      return URUN_ERROR_FAILED;
    }
}

gboolean
urun_fail_errno (GError **error, int errsv, const char *fmt, ...)
{
  g_autofree char *prefix = NULL;
  va_list ap;

  /* INT_MIN has no positive counterpart (a hostile init's sync message
   * can carry any number); strerror names it an unknown error. */
  if (errsv < 0 && errsv != INT_MIN)
    errsv = -errsv;
  if (error == NULL)
    return FALSE;
  va_start (ap, fmt);
  prefix = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  *error = g_error_new (URUN_ERROR, code_for_errno (errsv), "%s: %s", prefix,
                        urun_strerror (errsv));
  return FALSE;
}
