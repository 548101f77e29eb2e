/* urun-log.c: the one log writer of urun (see urun-log.h).  Zone: CLI. */
#include "config.h"

#include "urun-log.h"
#include "util/urun-fd.h"
#include "util/urun-error.h"

#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const level_names[] = { "error", "warning", "info", "debug" };

static struct
{
  int file_fd;
  UrunLogFormat format;
  UrunLogLevel stderr_level;
  UrunLogLevel file_level;
  gboolean glib_writer_installed;
} log_state = { -1, URUN_LOG_FORMAT_TEXT, URUN_LOG_LEVEL_WARNING, URUN_LOG_LEVEL_ERROR, FALSE };

gboolean
urun_log_level_from_string (const char *name, UrunLogLevel *out_level)
{
  for (guint i = 0; i < G_N_ELEMENTS (level_names); i++)
    if (g_ascii_strcasecmp (name, level_names[i]) == 0)
      {
        *out_level = (UrunLogLevel) i;
        return TRUE;
      }
  /* runc and podman also say "warn" and "fatal". */
  if (g_ascii_strcasecmp (name, "warn") == 0)
    {
      *out_level = URUN_LOG_LEVEL_WARNING;
      return TRUE;
    }
  if (g_ascii_strcasecmp (name, "fatal") == 0 || g_ascii_strcasecmp (name, "panic") == 0)
    {
      *out_level = URUN_LOG_LEVEL_ERROR;
      return TRUE;
    }
  return FALSE;
}

const char *
urun_log_level_to_string (UrunLogLevel level)
{
  g_return_val_if_fail (level <= URUN_LOG_LEVEL_DEBUG, "error");
  return level_names[level];
}

gboolean
urun_log_format_from_string (const char *name, UrunLogFormat *out_format)
{
  if (g_strcmp0 (name, "text") == 0)
    *out_format = URUN_LOG_FORMAT_TEXT;
  else if (g_strcmp0 (name, "json") == 0)
    *out_format = URUN_LOG_FORMAT_JSON;
  else
    return FALSE;
  return TRUE;
}

static char *
format_time (GDateTime *time)
{
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GDateTime) utc = NULL;

  if (time == NULL)
    time = now = g_date_time_new_now_utc ();
  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");
}

char *
urun_log_format_json (UrunLogLevel level, const char *msg, GDateTime *time)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *stamp = format_time (time);
  g_autofree char *line = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "msg");
  json_builder_add_string_value (builder, msg);
  json_builder_set_member_name (builder, "level");
  json_builder_add_string_value (builder, urun_log_level_to_string (level));
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, stamp);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  return g_strconcat (line, "\n", NULL);
}

char *
urun_log_format_text (UrunLogLevel level, const char *msg, GDateTime *time)
{
  g_autofree char *stamp = format_time (time);

  return g_strdup_printf ("%s %s: %s\n", stamp, urun_log_level_to_string (level), msg);
}

static void
log_message (UrunLogLevel level, const char *msg)
{
  if (level <= log_state.stderr_level)
    {
      g_autofree char *line = NULL;

      /* Errors read "urun: MSG", the way people expect a tool to speak;
       * lesser records name their level. */
      if (level == URUN_LOG_LEVEL_ERROR)
        line = g_strdup_printf ("urun: %s\n", msg);
      else
        line = g_strdup_printf ("urun: %s: %s\n", urun_log_level_to_string (level), msg);
      (void) urun_write_all (STDERR_FILENO, line, strlen (line));
    }
  if (log_state.file_fd >= 0 && level <= log_state.file_level)
    {
      g_autofree char *line = log_state.format == URUN_LOG_FORMAT_JSON
                                ? urun_log_format_json (level, msg, NULL)
                                : urun_log_format_text (level, msg, NULL);
      (void) urun_write_all (log_state.file_fd, line, strlen (line));
    }
}

void
urun_log (UrunLogLevel level, const char *fmt, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  log_message (level, msg);
}

static GLogWriterOutput
glib_writer (GLogLevelFlags log_level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  UrunLogLevel level;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      message = fields[i].value;
  if (message == NULL)
    return G_LOG_WRITER_UNHANDLED;

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    level = URUN_LOG_LEVEL_ERROR;
  else if (log_level & G_LOG_LEVEL_WARNING)
    level = URUN_LOG_LEVEL_WARNING;
  else if (log_level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
    level = URUN_LOG_LEVEL_INFO;
  else
    level = URUN_LOG_LEVEL_DEBUG;
  log_message (level, message);
  return G_LOG_WRITER_HANDLED;
}

gboolean
urun_log_setup (const char *path, UrunLogFormat format, UrunLogLevel level, gboolean level_set,
                GError **error)
{
  log_state.format = format;
  log_state.stderr_level = level_set ? level : URUN_LOG_LEVEL_WARNING;
  log_state.file_level = level_set ? level : URUN_LOG_LEVEL_ERROR;

  if (path != NULL && *path != '\0')
    {
      int fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
      if (fd < 0)
        return urun_fail_errno (error, errno, "open log file `%s`", path);
      urun_log_shutdown ();
      log_state.file_fd = fd;
      /* A client that names a log file hands urun the container's own
       * stdio: containerd's shim and conmon pass the process's pipes as
       * urun's stdin/stdout/stderr, so a warning there would end up in the
       * container's output.  Only the fatal error still goes to both, as
       * runc does; lesser records go to the file when the level admits
       * them. */
      log_state.stderr_level = URUN_LOG_LEVEL_ERROR;
    }
  /* GLib accepts one writer per process; setup may run again (tests). */
  if (!log_state.glib_writer_installed)
    {
      g_log_set_writer_func (glib_writer, NULL, NULL);
      log_state.glib_writer_installed = TRUE;
    }
  return TRUE;
}

void
urun_log_shutdown (void)
{
  if (log_state.file_fd >= 0)
    close (log_state.file_fd);
  log_state.file_fd = -1;
}
