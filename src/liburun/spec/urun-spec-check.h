/* urun-spec-check.h: what the parts of validation share: the place a
 * check reports to (file name, error) and the checks every part uses, each
 * failing with `FILE: JSON.PATH: message` (urun-spec-check.c), and the
 * parts that urun-spec-validate.c calls.
 *
 * Zone: host side (GLib).  Private to spec/.
 */
#pragma once

#include <glib.h>

#include "spec/urun-spec.h"

G_BEGIN_DECLS

typedef struct
{
  const char *filename;
  GError **error;
} UrunSpecCheck;

/* Each fails at @path (the JSON path) and returns FALSE. */
gboolean urun_spec_check_fail (UrunSpecCheck *c, const char *path, const char *fmt, ...)
  G_GNUC_PRINTF (3, 4);
/* "unknown <what> \"value\"". */
gboolean urun_spec_check_unknown (UrunSpecCheck *c, const char *path, const char *what,
                                  const char *value);
/* "invalid <what> \"value\"". */
gboolean urun_spec_check_invalid (UrunSpecCheck *c, const char *path, const char *what,
                                  const char *value);

/* Each returns TRUE when the value passes, otherwise fails at @path. */
gboolean urun_spec_check_absolute (UrunSpecCheck *c, const char *path, const char *value);
gboolean urun_spec_check_absolute_list (UrunSpecCheck *c, const char *path, char **values);
/* Checks each name of @values with @known; fails with "unknown WHAT". */
typedef gboolean (*UrunSpecKnownFunc) (const char *name);
gboolean urun_spec_check_names (UrunSpecCheck *c, const char *path, char **values,
                                const char *what, UrunSpecKnownFunc known);
gboolean urun_spec_check_range (UrunSpecCheck *c, const char *path, gint64 value, gint64 min,
                                gint64 max);
gboolean urun_spec_check_max (UrunSpecCheck *c, const char *path, guint64 value, guint64 max);
/* A user or group id, up to 2^31-1. */
gboolean urun_spec_check_id (UrunSpecCheck *c, const char *path, guint32 value);
/* Id mappings: not empty, not past the last id. */
gboolean urun_spec_check_id_mappings (UrunSpecCheck *c, const char *path,
                                      const UrunSpecIdMapping *mappings, gsize n);

/* urun-spec-validate-process.c: a process object; @prefix is the JSON path
 * of the object ("process." in a config, "" for a process.json). */
gboolean urun_spec_check_process (UrunSpecCheck *c, const char *prefix,
                                  const UrunSpecProcess *process);

/* urun-spec-validate-linux.c: the config's `linux` object. */
gboolean urun_spec_check_linux (UrunSpecCheck *c, const UrunSpecLinux *linux_);

G_END_DECLS
