/* test-spec-default.c: unit tests of the default config.json: the shape of
 * the root config, and the rootless id maps built from injected subuid and
 * subgid files. */
#include "config.h"

#include "spec/urun-spec-default.h"
#include "spec/urun-spec.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

static char *
write_temp (const char *contents)
{
  g_autoptr (GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("urun-spec-default-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static JsonNode *
generate (const UrunSpecDefaultOptions *options, char **out_text)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = urun_spec_default_generate (options, &error);
  JsonNode *node;

  g_assert_no_error (error);
  g_assert_nonnull (text);
  g_assert_true (g_str_has_suffix (text, "}\n"));
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  if (out_text != NULL)
    *out_text = g_steal_pointer (&text);
  return node;
}

static JsonNode *
at (JsonNode *root, const char *path)
{
  g_autoptr (JsonNode) result = json_path_query (path, root, NULL);
  JsonArray *matches = json_node_get_array (result);

  if (json_array_get_length (matches) == 0)
    return NULL;
  return json_node_copy (json_array_get_element (matches, 0));
}

static char *
string_at (JsonNode *root, const char *path)
{
  g_autoptr (JsonNode) node = at (root, path);

  return node != NULL ? g_strdup (json_node_get_string (node)) : NULL;
}

static gint64
int_at (JsonNode *root, const char *path)
{
  g_autoptr (JsonNode) node = at (root, path);

  g_assert_nonnull (node);
  return json_node_get_int (node);
}

static gboolean
has_namespace (JsonNode *root, const char *type)
{
  JsonArray *namespaces = json_object_get_array_member (
    json_object_get_object_member (json_node_get_object (root), "linux"), "namespaces");

  for (guint i = 0; i < json_array_get_length (namespaces); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (namespaces, i),
                                                  "type"),
                   type)
        == 0)
      return TRUE;
  return FALSE;
}

static JsonObject *
find_mount (JsonNode *root, const char *destination)
{
  JsonArray *mounts = json_object_get_array_member (json_node_get_object (root), "mounts");

  for (guint i = 0; i < json_array_get_length (mounts); i++)
    {
      JsonObject *mount = json_array_get_object_element (mounts, i);

      if (g_strcmp0 (json_object_get_string_member (mount, "destination"), destination) == 0)
        return mount;
    }
  return NULL;
}

static gboolean
mount_has_option (JsonObject *mount, const char *option)
{
  JsonArray *options = json_object_has_member (mount, "options")
                         ? json_object_get_array_member (mount, "options")
                         : NULL;

  for (guint i = 0; options != NULL && i < json_array_get_length (options); i++)
    if (g_strcmp0 (json_array_get_string_element (options, i), option) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_mapping (JsonNode *root, const char *name, guint i, gint64 container_id, gint64 host_id,
                gint64 size)
{
  JsonArray *maps = json_object_get_array_member (
    json_object_get_object_member (json_node_get_object (root), "linux"), name);
  JsonObject *map;

  g_assert_nonnull (maps);
  g_assert_cmpuint (i, <, json_array_get_length (maps));
  map = json_array_get_object_element (maps, i);
  g_assert_cmpint (json_object_get_int_member (map, "containerID"), ==, container_id);
  g_assert_cmpint (json_object_get_int_member (map, "hostID"), ==, host_id);
  g_assert_cmpint (json_object_get_int_member (map, "size"), ==, size);
}

static guint
n_mappings (JsonNode *root, const char *name)
{
  JsonObject *linux_ = json_object_get_object_member (json_node_get_object (root), "linux");

  if (!json_object_has_member (linux_, name))
    return 0;
  return json_array_get_length (json_object_get_array_member (linux_, name));
}

/* The generated text must load and validate with the real config parser. */
static void
check_with_parser (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpec) spec = urun_spec_load_data (text, -1, "config.json", &error);

  g_assert_no_error (error);
  g_assert_nonnull (spec);
  g_assert_true (urun_spec_validate (spec, "config.json", &error));
  g_assert_no_error (error);
}

static void
test_root (void)
{
  UrunSpecDefaultOptions options = { .uid = 0, .gid = 0, .user_name = "root" };
  g_autofree char *text = NULL;
  g_autoptr (JsonNode) root = generate (&options, &text);
  g_autofree char *oci = string_at (root, "$.ociVersion");
  g_autofree char *arg0 = string_at (root, "$.process.args[0]");
  g_autofree char *cwd = string_at (root, "$.process.cwd");
  g_autofree char *root_path = string_at (root, "$.root.path");
  g_autofree char *hostname = string_at (root, "$.hostname");
  g_autofree char *rlimit = string_at (root, "$.process.rlimits[0].type");
  g_autofree char *device_access = string_at (root, "$.linux.resources.devices[0].access");
  g_autoptr (JsonNode) terminal = at (root, "$.process.terminal");
  g_autoptr (JsonNode) nnp = at (root, "$.process.noNewPrivileges");
  g_autoptr (JsonNode) readonly = at (root, "$.root.readonly");
  g_autoptr (JsonNode) allow = at (root, "$.linux.resources.devices[0].allow");
  g_autoptr (JsonNode) ambient = at (root, "$.process.capabilities.ambient");
  g_autoptr (JsonNode) bounding = at (root, "$.process.capabilities.bounding");
  g_autoptr (JsonNode) masked = at (root, "$.linux.maskedPaths");
  g_autoptr (JsonNode) readonly_paths = at (root, "$.linux.readonlyPaths");
  JsonObject *mount;

  g_assert_cmpstr (oci, ==, "1.2.0");
  g_assert_cmpstr (arg0, ==, "sh");
  g_assert_cmpstr (cwd, ==, "/");
  g_assert_cmpstr (root_path, ==, "rootfs");
  g_assert_cmpstr (hostname, ==, "urun");
  g_assert_false (json_node_get_boolean (terminal));
  g_assert_true (json_node_get_boolean (nnp));
  g_assert_true (json_node_get_boolean (readonly));
  g_assert_cmpint (int_at (root, "$.process.user.uid"), ==, 0);
  g_assert_cmpint (int_at (root, "$.process.user.gid"), ==, 0);
  g_assert_cmpstr (rlimit, ==, "RLIMIT_NOFILE");
  g_assert_cmpint (int_at (root, "$.process.rlimits[0].hard"), ==, 1024);
  g_assert_cmpint (int_at (root, "$.process.rlimits[0].soft"), ==, 1024);
  g_assert_null (ambient);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (bounding)), ==, 3);
  g_assert_cmpstr (device_access, ==, "rwm");
  g_assert_false (json_node_get_boolean (allow));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (masked)), ==, 11);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (readonly_paths)), ==, 5);

  g_assert_true (has_namespace (root, "pid"));
  g_assert_true (has_namespace (root, "network"));
  g_assert_true (has_namespace (root, "ipc"));
  g_assert_true (has_namespace (root, "uts"));
  g_assert_true (has_namespace (root, "mount"));
  g_assert_true (has_namespace (root, "cgroup"));
  g_assert_false (has_namespace (root, "user"));
  g_assert_cmpuint (n_mappings (root, "uidMappings"), ==, 0);

  mount = find_mount (root, "/dev/pts");
  g_assert_nonnull (mount);
  g_assert_true (mount_has_option (mount, "gid=5"));
  g_assert_true (mount_has_option (mount, "newinstance"));
  mount = find_mount (root, "/dev");
  g_assert_true (mount_has_option (mount, "size=65536k"));
  g_assert_nonnull (find_mount (root, "/proc"));
  g_assert_nonnull (find_mount (root, "/dev/shm"));
  g_assert_nonnull (find_mount (root, "/dev/mqueue"));
  g_assert_nonnull (find_mount (root, "/sys"));
  g_assert_nonnull (find_mount (root, "/sys/fs/cgroup"));
  check_with_parser (text);
}

static void
test_rootless_ranges (void)
{
  g_autofree char *subuid = write_temp ("alice:100000:65536\n"
                                        "bob:1:2\n"
                                        "1000:300000:10\n");
  g_autofree char *subgid = write_temp ("alice:200000:1000\n"
                                        "1000:400000:3\n");
  UrunSpecDefaultOptions options = { .rootless = TRUE, .uid = 1000, .gid = 1001,
                                     .user_name = "alice", .subuid_path = subuid,
                                     .subgid_path = subgid };
  g_autofree char *text = NULL;
  g_autoptr (JsonNode) root = generate (&options, &text);
  g_autoptr (JsonNode) resources = at (root, "$.linux.resources");

  g_assert_true (has_namespace (root, "user"));
  g_assert_true (has_namespace (root, "network"));
  g_assert_null (resources);

  g_assert_cmpuint (n_mappings (root, "uidMappings"), ==, 3);
  assert_mapping (root, "uidMappings", 0, 0, 1000, 1);
  assert_mapping (root, "uidMappings", 1, 1, 100000, 65536);
  assert_mapping (root, "uidMappings", 2, 65537, 300000, 10);

  g_assert_cmpuint (n_mappings (root, "gidMappings"), ==, 3);
  assert_mapping (root, "gidMappings", 0, 0, 1001, 1);
  assert_mapping (root, "gidMappings", 1, 1, 200000, 1000);
  assert_mapping (root, "gidMappings", 2, 1001, 400000, 3);

  /* gid 5 is mapped, so devpts keeps it. */
  g_assert_true (mount_has_option (find_mount (root, "/dev/pts"), "gid=5"));
  check_with_parser (text);
  g_unlink (subuid);
  g_unlink (subgid);
}

static void
test_rootless_single_id (void)
{
  g_autofree char *subuid = write_temp ("bob:100000:65536\n");
  UrunSpecDefaultOptions options = { .rootless = TRUE, .uid = 1000, .gid = 1000,
                                     .user_name = "alice", .subuid_path = subuid,
                                     .subgid_path = "/nonexistent/subgid" };
  g_autofree char *text = NULL;
  g_autoptr (JsonNode) root = generate (&options, &text);

  g_assert_cmpuint (n_mappings (root, "uidMappings"), ==, 1);
  assert_mapping (root, "uidMappings", 0, 0, 1000, 1);
  g_assert_cmpuint (n_mappings (root, "gidMappings"), ==, 1);
  assert_mapping (root, "gidMappings", 0, 0, 1000, 1);
  /* Only gid 0 exists in the container: devpts must not ask for gid 5. */
  g_assert_false (mount_has_option (find_mount (root, "/dev/pts"), "gid=5"));
  g_assert_true (mount_has_option (find_mount (root, "/dev/pts"), "newinstance"));
  check_with_parser (text);
  g_unlink (subuid);
}

static void
test_rootless_small_gid_range (void)
{
  g_autofree char *subgid = write_temp ("alice:200000:4\n");
  UrunSpecDefaultOptions options = { .rootless = TRUE, .uid = 1000, .gid = 1000,
                                     .user_name = "alice", .subuid_path = "/nonexistent",
                                     .subgid_path = subgid };
  g_autoptr (JsonNode) root = generate (&options, NULL);

  /* Container gids 0..4: 5 is not mapped. */
  g_assert_false (mount_has_option (find_mount (root, "/dev/pts"), "gid=5"));
  g_unlink (subgid);
}

static void
test_rootless_unreadable_subid (void)
{
  g_autoptr (GError) error = NULL;
  UrunSpecDefaultOptions options = { .rootless = TRUE, .uid = 1000, .gid = 1000,
                                     .user_name = "alice", .subuid_path = "/",
                                     .subgid_path = "/nonexistent" };
  g_autofree char *text = urun_spec_default_generate (&options, &error);

  g_assert_null (text);
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spec-default/root", test_root);
  g_test_add_func ("/spec-default/rootless-ranges", test_rootless_ranges);
  g_test_add_func ("/spec-default/rootless-single-id", test_rootless_single_id);
  g_test_add_func ("/spec-default/rootless-small-gid-range", test_rootless_small_gid_range);
  g_test_add_func ("/spec-default/rootless-unreadable-subid", test_rootless_unreadable_subid);
  return g_test_run ();
}
