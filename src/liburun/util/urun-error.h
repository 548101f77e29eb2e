/* urun-error.h: the URUN_ERROR domain and one-line failure helpers.
 *
 * Zone: host side (GLib).  Every fallible liburun function returns a
 * gboolean (or a pointer) with a GError ** last; these helpers set the error
 * and return FALSE so that a failure is one `return` line.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define URUN_ERROR (urun_error_quark ())

typedef enum
{
  URUN_ERROR_FAILED,            /* anything without a better category */
  URUN_ERROR_INVALID_ARGUMENT,  /* bad command line input */
  URUN_ERROR_INVALID_CONFIG,    /* config.json is malformed or invalid */
  URUN_ERROR_NOT_FOUND,         /* container or file does not exist */
  URUN_ERROR_EXISTS,            /* container id already taken */
  URUN_ERROR_WRONG_STATE,       /* operation not valid in this status */
  URUN_ERROR_PERMISSION_DENIED, /* EACCES/EPERM */
  URUN_ERROR_NOT_SUPPORTED,     /* not implemented or not available */
  URUN_ERROR_INIT_FAILED,       /* the container's init reported failure */
  URUN_ERROR_COMMAND_NOT_FOUND, /* the process's program does not exist (127) */
  URUN_ERROR_COMMAND_NOT_EXECUTABLE, /* it exists but cannot be run (126) */
} UrunErrorCode;

GQuark urun_error_quark (void);

/* Sets @error (if not NULL) to @code with a printf-style message; returns
 * FALSE so callers can `return urun_fail (...)`. */
gboolean urun_fail (GError **error, UrunErrorCode code, const char *fmt, ...)
  G_GNUC_PRINTF (3, 4);

/* Like urun_fail() but for a failed system call: the message is
 * "<prefix>: <strerror(errsv)>" and the code is derived from @errsv
 * (ENOENT -> NOT_FOUND, EEXIST -> EXISTS, EACCES/EPERM -> PERMISSION_DENIED).
 * @errsv may be negative (a -errno from a raw helper).  The errno text is the
 * untranslated C-locale text, because podman matches it. */
gboolean urun_fail_errno (GError **error, int errsv, const char *fmt, ...)
  G_GNUC_PRINTF (3, 4);

/* The C-locale strerror() text for @errsv, never translated. */
const char *urun_strerror (int errsv);

G_END_DECLS
