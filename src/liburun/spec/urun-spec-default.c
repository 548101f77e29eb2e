/* urun-spec-default.c: the default config.json (see urun-spec-default.h).
 *
 * Zone: host side (GLib).  The shape follows what OCI runtimes
 * conventionally emit for `spec`, with the choices below explained where
 * they differ.
 */
#include "config.h"

#include "spec/urun-spec-default.h"
#include "util/urun-subid.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* The default capability set: writing to the audit log (many login-ish
 * programs fail without it), signalling processes of the container and
 * binding ports below 1024.  Everything else must be asked for. */
static const char *const default_capabilities[] = {
  "CAP_AUDIT_WRITE",
  "CAP_KILL",
  "CAP_NET_BIND_SERVICE",
};

static const char *const masked_paths[] = {
  "/proc/acpi",
  "/proc/asound",
  "/proc/kcore",
  "/proc/keys",
  "/proc/latency_stats",
  "/proc/timer_list",
  "/proc/timer_stats",
  "/proc/sched_debug",
  "/sys/firmware",
  "/proc/scsi",
  "/sys/devices/virtual/powercap",
};

static const char *const readonly_paths[] = {
  "/proc/bus",
  "/proc/fs",
  "/proc/irq",
  "/proc/sys",
  "/proc/sysrq-trigger",
};

/* The tty group conventionally owns /dev/pts entries. */
#define TTY_GID 5

static void
add_string_array (JsonBuilder *builder, const char *name, const char *const *values, gsize n)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (gsize i = 0; i < n; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
add_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_process (JsonBuilder *builder)
{
  static const char *const args[] = { "sh" };
  static const char *const env[] = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "TERM=xterm",
  };
  /* Why no inheritable set: capabilities in the inheritable set combine
   * with file capabilities on execve, so a binary in the image could gain
   * them beyond the bounding intent (CVE-2022-29162); runtimes dropped it
   * from their defaults.  Ambient stays empty so that an unprivileged user
   * in the container does not get them either. */
  static const char *const cap_sets[] = { "bounding", "effective", "permitted" };

  json_builder_set_member_name (builder, "process");
  json_builder_begin_object (builder);
  /* Why false where `runc spec` says true: with a terminal, `urun run` needs
   * a tty on stdin or a console socket and fails in scripts, CI and pipes.
   * Without one it just works; ask for a terminal when you want one. */
  json_builder_set_member_name (builder, "terminal");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "user");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "uid");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "gid");
  json_builder_add_int_value (builder, 0);
  json_builder_end_object (builder);
  add_string_array (builder, "args", args, G_N_ELEMENTS (args));
  add_string_array (builder, "env", env, G_N_ELEMENTS (env));
  add_string (builder, "cwd", "/");

  json_builder_set_member_name (builder, "capabilities");
  json_builder_begin_object (builder);
  for (gsize i = 0; i < G_N_ELEMENTS (cap_sets); i++)
    add_string_array (builder, cap_sets[i], default_capabilities,
                      G_N_ELEMENTS (default_capabilities));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "rlimits");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string (builder, "type", "RLIMIT_NOFILE");
  json_builder_set_member_name (builder, "hard");
  json_builder_add_int_value (builder, 1024);
  json_builder_set_member_name (builder, "soft");
  json_builder_add_int_value (builder, 1024);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "noNewPrivileges");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
}

static void
add_mount (JsonBuilder *builder, const char *destination, const char *type, const char *source,
           const char *const *options)
{
  json_builder_begin_object (builder);
  add_string (builder, "destination", destination);
  add_string (builder, "type", type);
  add_string (builder, "source", source);
  if (options != NULL)
    add_string_array (builder, "options", options, g_strv_length ((char **) options));
  json_builder_end_object (builder);
}

static void
add_mounts (JsonBuilder *builder, gboolean tty_gid_mapped)
{
  static const char *const dev[] = { "nosuid", "strictatime", "mode=755", "size=65536k", NULL };
  static const char *const pts[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                                     "mode=0620", "gid=5", NULL };
  static const char *const pts_nogid[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                                           "mode=0620", NULL };
  static const char *const shm[] = { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k",
                                     NULL };
  static const char *const mqueue[] = { "nosuid", "noexec", "nodev", NULL };
  static const char *const sys[] = { "nosuid", "noexec", "nodev", "ro", NULL };
  static const char *const cgroup[] = { "nosuid", "noexec", "nodev", "relatime", "ro", NULL };

  json_builder_set_member_name (builder, "mounts");
  json_builder_begin_array (builder);
  add_mount (builder, "/proc", "proc", "proc", NULL);
  add_mount (builder, "/dev", "tmpfs", "tmpfs", dev);
  /* Why gid=5 only when mapped: devpts refuses a gid that has no mapping in
   * the container's user namespace, and a rootless container with a single
   * mapped id has no group 5. */
  add_mount (builder, "/dev/pts", "devpts", "devpts", tty_gid_mapped ? pts : pts_nogid);
  add_mount (builder, "/dev/shm", "tmpfs", "shm", shm);
  add_mount (builder, "/dev/mqueue", "mqueue", "mqueue", mqueue);
  /* Why sysfs stays a real sysfs even when rootless: the kernel lets a user
   * namespace mount sysfs when the mounter's network namespace belongs to
   * that user namespace, and the default config keeps a new network
   * namespace, so a fresh sysfs works and shows the container's own
   * network devices instead of the host's (an rbind of the host's /sys
   * would show those). */
  add_mount (builder, "/sys", "sysfs", "sysfs", sys);
  /* Likewise, a cgroup mount is allowed inside the container's own cgroup
   * namespace, which the default config asks for in both modes. */
  add_mount (builder, "/sys/fs/cgroup", "cgroup", "cgroup", cgroup);
  json_builder_end_array (builder);
}

static void
add_id_mappings (JsonBuilder *builder, const char *name, guint32 own_id, GArray *ranges)
{
  guint64 container_id = 1;

  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  /* Container root is the caller: files the caller owns stay the caller's
   * on the host, and no privilege is needed for this line. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "containerID");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "hostID");
  json_builder_add_int_value (builder, own_id);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, 1);
  json_builder_end_object (builder);
  /* Then every subordinate range, in file order, packed after it; ids past
   * 2^32-1 cannot exist in the container and are cut off. */
  for (guint i = 0; i < ranges->len && container_id <= G_MAXUINT32; i++)
    {
      const UrunSubidRange *range = &g_array_index (ranges, UrunSubidRange, i);
      guint64 size = MIN ((guint64) range->count, (guint64) G_MAXUINT32 + 1 - container_id);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "containerID");
      json_builder_add_int_value (builder, (gint64) container_id);
      json_builder_set_member_name (builder, "hostID");
      json_builder_add_int_value (builder, range->start);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, (gint64) size);
      json_builder_end_object (builder);
      container_id += size;
    }
  json_builder_end_array (builder);
}

static guint64
mapped_size (GArray *ranges)
{
  guint64 total = 1;

  for (guint i = 0; i < ranges->len; i++)
    total += g_array_index (ranges, UrunSubidRange, i).count;
  return total;
}

static void
add_linux (JsonBuilder *builder, const UrunSpecDefaultOptions *options, GArray *subuids,
           GArray *subgids)
{
  /* The network namespace stays in rootless mode too: creating one needs
   * nothing but the user namespace, it isolates the container from the
   * host's network (loopback only) and it is what makes the sysfs mount
   * legal.  Use a netns path or drop it from the list to share the host's. */
  static const char *const namespaces[] = { "pid", "network", "ipc", "uts", "mount", "cgroup" };

  json_builder_set_member_name (builder, "linux");
  json_builder_begin_object (builder);

  if (options->rootless)
    {
      add_id_mappings (builder, "uidMappings", (guint32) options->uid, subuids);
      add_id_mappings (builder, "gidMappings", (guint32) options->gid, subgids);
    }
  else
    {
      /* Why no resources when rootless: without a delegated cgroup every
       * limit, the device rules included, would be dropped with a warning;
       * the user namespace already keeps device nodes out of reach. */
      json_builder_set_member_name (builder, "resources");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "devices");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "allow");
      json_builder_add_boolean_value (builder, FALSE);
      add_string (builder, "access", "rwm");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "namespaces");
  json_builder_begin_array (builder);
  for (gsize i = 0; i < G_N_ELEMENTS (namespaces); i++)
    {
      json_builder_begin_object (builder);
      add_string (builder, "type", namespaces[i]);
      json_builder_end_object (builder);
    }
  if (options->rootless)
    {
      json_builder_begin_object (builder);
      add_string (builder, "type", "user");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_string_array (builder, "maskedPaths", masked_paths, G_N_ELEMENTS (masked_paths));
  add_string_array (builder, "readonlyPaths", readonly_paths, G_N_ELEMENTS (readonly_paths));
  json_builder_end_object (builder);
}

char *
urun_spec_default_generate (const UrunSpecDefaultOptions *options, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GArray) subuids = NULL;
  g_autoptr (GArray) subgids = NULL;
  g_autofree char *text = NULL;
  gboolean tty_gid_mapped = TRUE;

  g_return_val_if_fail (options != NULL, NULL);

  if (options->rootless)
    {
      subuids = urun_subid_ranges (options->subuid_path ? options->subuid_path : URUN_SUBUID_PATH,
                                   options->user_name, (guint32) options->uid, error);
      if (subuids == NULL)
        return NULL;
      /* /etc/subgid is keyed by the user (name or uid), not by a group:
       * that is how newgidmap looks it up. */
      subgids = urun_subid_ranges (options->subgid_path ? options->subgid_path : URUN_SUBGID_PATH,
                                   options->user_name, (guint32) options->uid, error);
      if (subgids == NULL)
        return NULL;
      tty_gid_mapped = mapped_size (subgids) > TTY_GID;
    }

  json_builder_begin_object (builder);
  add_string (builder, "ociVersion", URUN_OCI_VERSION);
  add_process (builder);
  json_builder_set_member_name (builder, "root");
  json_builder_begin_object (builder);
  add_string (builder, "path", "rootfs");
  json_builder_set_member_name (builder, "readonly");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  add_string (builder, "hostname", "urun");
  add_mounts (builder, tty_gid_mapped);
  add_linux (builder, options, subuids, subgids);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}
