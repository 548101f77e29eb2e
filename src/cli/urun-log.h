/* urun-log.h: the one log writer of urun.
 *
 * Zone: CLI.  Records go to stderr as text and, with --log FILE, to that file
 * as text or as one JSON object per line ({"msg","level","time"}), the format
 * runc writes and podman reads.  GLib's structured logging (g_debug() and
 * friends from liburun) is routed here too.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  URUN_LOG_LEVEL_ERROR,
  URUN_LOG_LEVEL_WARNING,
  URUN_LOG_LEVEL_INFO,
  URUN_LOG_LEVEL_DEBUG,
} UrunLogLevel;

typedef enum
{
  URUN_LOG_FORMAT_TEXT,
  URUN_LOG_FORMAT_JSON,
} UrunLogFormat;

gboolean urun_log_level_from_string (const char *name, UrunLogLevel *out_level);
const char *urun_log_level_to_string (UrunLogLevel level);
gboolean urun_log_format_from_string (const char *name, UrunLogFormat *out_format);

/* Formats one record as a JSON line (with the trailing newline).  Pure, so
 * the unit tests can check it.  @time may be NULL for "now". */
char *urun_log_format_json (UrunLogLevel level, const char *msg, GDateTime *time);

/* Formats one record as a text line for a log file. */
char *urun_log_format_text (UrunLogLevel level, const char *msg, GDateTime *time);

/* Configures the writer.  @level_set says whether --log-level/--debug was
 * given: without it, stderr shows warnings and above while the log file gets
 * errors only, because podman reads that file whole and expects just the
 * fatal error.  With a log file, stderr (the container's, for containerd
 * and conmon) gets the fatal error only, whatever the level.  Fails when
 * @path cannot be opened. */
gboolean urun_log_setup (const char *path, UrunLogFormat format, UrunLogLevel level,
                         gboolean level_set, GError **error);

/* Writes one record to every sink whose threshold admits @level. */
void urun_log (UrunLogLevel level, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* Closes the log file, if any. */
void urun_log_shutdown (void);

G_END_DECLS
