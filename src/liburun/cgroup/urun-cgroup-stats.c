/* urun-cgroup-stats.c: what a container's cgroup reports: the `events
 * --stats` statistics (from the v2 or the v1 files, as JSON), the OOM kill
 * count and the file descriptor that signals new OOM events.  Zone: host
 * side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "util/urun-fd.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

static void
member_u64 (JsonBuilder *b, const char *name, guint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, (gint64) MIN (value, (guint64) G_MAXINT64));
}

/* A limit file: "max" (or a huge v1 value) leaves the member out. */
static void
member_limit (JsonBuilder *b, const char *name, const char *dir, const char *file)
{
  g_autofree char *v = dir ? urun_cgroup_read_file (dir, file) : NULL;
  guint64 n;

  if (v == NULL || strcmp (v, "max") == 0)
    return;
  n = g_ascii_strtoull (v, NULL, 10);
  if (n >= (guint64) G_MAXINT64 - 4096 * 2) /* v1's "unlimited" */
    return;
  member_u64 (b, name, n);
}

static gboolean
read_u64 (const char *dir, const char *file, guint64 *out)
{
  g_autofree char *v = dir ? urun_cgroup_read_file (dir, file) : NULL;

  if (v == NULL || !g_ascii_isdigit (*v))
    return FALSE;
  *out = g_ascii_strtoull (v, NULL, 10);
  return TRUE;
}

static void
begin_member_object (JsonBuilder *b, const char *name)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
}

/* runc's memory "cache" and "raw": every counter of the flat-keyed
 * memory.stat, and @cache_key's value as "cache" (v1 "cache", v2
 * "file"). */
/* The "usage" member of "memory": @usage, the limit of @limit_file, the
 * peak of @max_file, and @failcnt when known. */
static void
member_memory_usage (JsonBuilder *b, guint64 usage, const char *dir, const char *limit_file,
                     const char *max_file, const guint64 *failcnt)
{
  guint64 v;

  begin_member_object (b, "usage");
  member_u64 (b, "usage", usage);
  member_limit (b, "limit", dir, limit_file);
  if (read_u64 (dir, max_file, &v))
    member_u64 (b, "max", v);
  if (failcnt != NULL)
    member_u64 (b, "failcnt", *failcnt);
  json_builder_end_object (b);
}

static void
member_memory_stat (JsonBuilder *b, const char *dir, const char *cache_key)
{
  g_autofree char *text = urun_cgroup_read_file (dir, "memory.stat");
  g_auto (GStrv) lines = NULL;
  guint64 v;

  if (text == NULL)
    return;
  if (urun_cgroup_read_keyed (dir, "memory.stat", cache_key, &v))
    member_u64 (b, "cache", v);
  lines = g_strsplit (text, "\n", -1);
  begin_member_object (b, "raw");
  for (char **l = lines; *l != NULL; l++)
    {
      char *space = strchr (*l, ' ');

      if (space == NULL || !g_ascii_isdigit (space[1]))
        continue;
      *space = '\0';
      member_u64 (b, *l, g_ascii_strtoull (space + 1, NULL, 10));
    }
  json_builder_end_object (b);
}

/* "pids": the same files on v1 and v2. */
static void
stats_pids (JsonBuilder *b, const char *dir)
{
  guint64 v;

  if (!read_u64 (dir, "pids.current", &v))
    return;
  begin_member_object (b, "pids");
  member_u64 (b, "current", v);
  member_limit (b, "limit", dir, "pids.max");
  json_builder_end_object (b);
}

/* One entry of blkio.ioServiceBytesRecursive, the same on v1 and v2. */
static void
add_io_service_bytes (JsonBuilder *b, guint major, guint minor, const char *op, guint64 value)
{
  json_builder_begin_object (b);
  member_u64 (b, "major", major);
  member_u64 (b, "minor", minor);
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, op);
  member_u64 (b, "value", value);
  json_builder_end_object (b);
}

static void
stats_v2 (JsonBuilder *b, const char *d)
{
  g_autofree char *io = NULL;
  guint64 v, u, s;

  begin_member_object (b, "cpu");
  begin_member_object (b, "usage");
  if (urun_cgroup_read_keyed (d, "cpu.stat", "usage_usec", &v))
    member_u64 (b, "total", v * 1000);
  if (urun_cgroup_read_keyed (d, "cpu.stat", "user_usec", &u))
    member_u64 (b, "user", u * 1000);
  if (urun_cgroup_read_keyed (d, "cpu.stat", "system_usec", &s))
    member_u64 (b, "kernel", s * 1000);
  json_builder_end_object (b);
  if (urun_cgroup_read_keyed (d, "cpu.stat", "nr_periods", &v))
    {
      begin_member_object (b, "throttling");
      member_u64 (b, "periods", v);
      if (urun_cgroup_read_keyed (d, "cpu.stat", "nr_throttled", &v))
        member_u64 (b, "throttledPeriods", v);
      if (urun_cgroup_read_keyed (d, "cpu.stat", "throttled_usec", &v))
        member_u64 (b, "throttledTime", v * 1000);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  if (read_u64 (d, "memory.current", &v))
    {
      /* runc's failcnt on v2: the times the limit was hit. */
      guint64 hits;
      gboolean counted = urun_cgroup_read_keyed (d, "memory.events", "max", &hits);

      begin_member_object (b, "memory");
      member_memory_usage (b, v, d, "memory.max", "memory.peak", counted ? &hits : NULL);
      if (read_u64 (d, "memory.swap.current", &v))
        {
          begin_member_object (b, "swap");
          member_u64 (b, "usage", v);
          member_limit (b, "limit", d, "memory.swap.max");
          json_builder_end_object (b);
        }
      if (urun_cgroup_read_keyed (d, "memory.events", "oom_kill", &v))
        member_u64 (b, "oomKills", v);
      member_memory_stat (b, d, "file");
      json_builder_end_object (b);
    }
  stats_pids (b, d);
  io = urun_cgroup_read_file (d, "io.stat");
  if (io != NULL)
    {
      g_auto (GStrv) lines = g_strsplit (io, "\n", -1);

      begin_member_object (b, "blkio");
      json_builder_set_member_name (b, "ioServiceBytesRecursive");
      json_builder_begin_array (b);
      for (char **l = lines; *l; l++)
        {
          g_auto (GStrv) f = g_strsplit (*l, " ", -1);
          guint maj, min;

          if (f[0] == NULL || sscanf (f[0], "%u:%u", &maj, &min) != 2)
            continue;
          for (char **kv = f + 1; *kv; kv++)
            {
              const char *op = g_str_has_prefix (*kv, "rbytes=") ? "read"
                               : g_str_has_prefix (*kv, "wbytes=") ? "write" : NULL;

              if (op != NULL)
                add_io_service_bytes (b, maj, min, op,
                                      g_ascii_strtoull (strchr (*kv, '=') + 1, NULL, 10));
            }
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
}

static void
stats_v1 (JsonBuilder *b, const char *path)
{
  g_autofree char *cpuacct = urun_cgroup_v1_dir ("cpuacct", path);
  g_autofree char *memory = urun_cgroup_v1_dir ("memory", path);
  g_autofree char *pids = urun_cgroup_v1_dir ("pids", path);
  g_autofree char *blkio = urun_cgroup_v1_dir ("blkio", path);
  g_autofree char *io = NULL;
  guint64 v;
  long hz = sysconf (_SC_CLK_TCK);

  if (read_u64 (cpuacct, "cpuacct.usage", &v))
    {
      begin_member_object (b, "cpu");
      begin_member_object (b, "usage");
      member_u64 (b, "total", v);
      if (urun_cgroup_read_keyed (cpuacct, "cpuacct.stat", "user", &v) && hz > 0)
        member_u64 (b, "user", v * (1000000000 / (guint64) hz));
      if (urun_cgroup_read_keyed (cpuacct, "cpuacct.stat", "system", &v) && hz > 0)
        member_u64 (b, "kernel", v * (1000000000 / (guint64) hz));
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  if (read_u64 (memory, "memory.usage_in_bytes", &v))
    {
      guint64 failcnt;
      gboolean counted = read_u64 (memory, "memory.failcnt", &failcnt);

      begin_member_object (b, "memory");
      member_memory_usage (b, v, memory, "memory.limit_in_bytes", "memory.max_usage_in_bytes",
                           counted ? &failcnt : NULL);
      if (urun_cgroup_read_keyed (memory, "memory.oom_control", "oom_kill", &v))
        member_u64 (b, "oomKills", v);
      member_memory_stat (b, memory, "cache");
      json_builder_end_object (b);
    }
  stats_pids (b, pids);
  if (blkio != NULL)
    io = urun_cgroup_read_file (blkio, "blkio.throttle.io_service_bytes_recursive");
  if (io != NULL)
    {
      g_auto (GStrv) lines = g_strsplit (io, "\n", -1);

      begin_member_object (b, "blkio");
      json_builder_set_member_name (b, "ioServiceBytesRecursive");
      json_builder_begin_array (b);
      for (char **l = lines; *l; l++)
        {
          guint maj, min;
          char op[16];
          guint64 value;

          if (sscanf (*l, "%u:%u %15s %" G_GUINT64_FORMAT, &maj, &min, op, &value) == 4)
            {
              g_autofree char *lower = g_ascii_strdown (op, -1);

              add_io_service_bytes (b, maj, min, lower, value);
            }
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
}

/* The builder's object as a node. */
static JsonNode *
read_stats (void (*fill) (JsonBuilder *b, const char *where), const char *where)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  fill (b, where);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
urun_cgroup_read_stats_v2 (const char *dir)
{
  return read_stats (stats_v2, dir);
}

JsonNode *
urun_cgroup_read_stats_v1 (const char *path)
{
  return read_stats (stats_v1, path);
}

gboolean
urun_cgroup_read_oom_kills (const UrunCgroupOutcome *cg, guint64 *out_count)
{
  g_autofree char *d2 = NULL;
  g_autofree char *d1 = NULL;

  d2 = urun_cgroup_v2_dir (cg->path);
  if (d2 != NULL && urun_cgroup_read_keyed (d2, "memory.events", "oom_kill", out_count))
    return TRUE;
  d1 = urun_cgroup_v1_dir ("memory", cg->path);
  return d1 != NULL && urun_cgroup_read_keyed (d1, "memory.oom_control", "oom_kill", out_count);
}

int
urun_cgroup_watch_memory_events (const UrunCgroupOutcome *cg)
{
  g_autofree char *d2 = NULL;
  g_autofree char *d1 = NULL;

  d2 = urun_cgroup_v2_dir (cg->path);
  if (d2 != NULL)
    {
      g_autofree char *f = g_build_filename (d2, "memory.events", NULL);

      if (g_file_test (f, G_FILE_TEST_EXISTS))
        {
          int fd = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);

          if (fd >= 0 && inotify_add_watch (fd, f, IN_MODIFY) >= 0)
            return fd;
          if (fd >= 0)
            close (fd);
        }
    }
  /* v1: an eventfd registered for memory.oom_control through
   * cgroup.event_control, which the kernel signals on every OOM. */
  d1 = urun_cgroup_v1_dir ("memory", cg->path);
  if (d1 != NULL)
    {
      g_autofree char *oc = g_build_filename (d1, "memory.oom_control", NULL);
      URUN_AUTOCLOSE int ofd = open (oc, O_RDONLY | O_CLOEXEC);
      int efd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
      g_autofree char *line = NULL;

      if (ofd >= 0 && efd >= 0)
        {
          line = g_strdup_printf ("%d %d", efd, ofd);
          if (urun_cgroup_write_file (d1, "cgroup.event_control", line) == 0)
            return efd;
        }
      if (efd >= 0)
        close (efd);
    }
  return -1;
}
