/* test-features.c: the features document tells the truth: every mount
 * option, capability, namespace and seccomp name it lists is one the config
 * parser accepts. */
#include "config.h"

#include "spec/urun-features.h"
#include "spec/urun-spec.h"

static JsonObject *
features (void)
{
  static JsonNode *node;

  if (node == NULL)
    node = urun_features_build ();
  return json_node_get_object (node);
}

static JsonArray *
array_at (const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *object = features ();
  guint i;

  for (i = 0; parts[i + 1] != NULL; i++)
    object = json_object_get_object_member (object, parts[i]);
  return json_object_get_array_member (object, parts[i]);
}

/* Loads a config whose @fragment (JSON members) is spliced into a minimal
 * valid config, and asserts that it validates. */
static void
assert_accepted (const char *what, const char *fragment)
{
  g_autofree char *config = g_strdup_printf (
    "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"},"
    "\"process\":{\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"sh\"]}%s}",
    fragment);
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpec) spec = urun_spec_load_data (config, -1, "config.json", &error);

  if (error != NULL)
    g_test_message ("%s: %s", what, error->message);
  g_assert_no_error (error);
  g_assert_nonnull (spec);
}

static void
test_mount_options (void)
{
  JsonArray *options = array_at ("mountOptions");

  g_assert_cmpuint (json_array_get_length (options), >, 50);
  for (guint i = 0; i < json_array_get_length (options); i++)
    {
      const char *option = json_array_get_string_element (options, i);
      g_autofree char *fragment = g_strdup_printf (
        ",\"mounts\":[{\"destination\":\"/mnt\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
        "\"options\":[\"%s\"]}]",
        option);
      assert_accepted (option, fragment);
    }
}

static void
test_capabilities (void)
{
  JsonArray *caps = array_at ("linux.capabilities");

  g_assert_cmpuint (json_array_get_length (caps), ==, 41);
  for (guint i = 0; i < json_array_get_length (caps); i++)
    {
      const char *cap = json_array_get_string_element (caps, i);
      g_autofree char *config = g_strdup_printf (
        "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"process\":{\"cwd\":\"/\","
        "\"user\":{\"uid\":0,\"gid\":0},\"capabilities\":{\"bounding\":[\"%s\"]}}}",
        cap);
      g_autoptr (GError) error = NULL;
      g_autoptr (UrunSpec) spec = urun_spec_load_data (config, -1, "config.json", &error);

      g_assert_no_error (error);
      g_assert_nonnull (spec);
    }
}

static void
test_namespaces (void)
{
  JsonArray *namespaces = array_at ("linux.namespaces");

  g_assert_cmpuint (json_array_get_length (namespaces), ==, 8);
  for (guint i = 0; i < json_array_get_length (namespaces); i++)
    {
      const char *type = json_array_get_string_element (namespaces, i);
      g_autofree char *fragment = g_strdup_printf (
        ",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}%s%s%s]}",
        g_str_equal (type, "mount") ? "" : ",{\"type\":\"", g_str_equal (type, "mount") ? "" : type,
        g_str_equal (type, "mount") ? "" : "\"}");
      assert_accepted (type, fragment);
    }
}

static void
test_seccomp (void)
{
  const char *const sets[] = { "linux.seccomp.actions", "linux.seccomp.archs",
                               "linux.seccomp.knownFlags", "linux.seccomp.operators" };

  for (gsize s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      JsonArray *names = array_at (sets[s]);

      g_assert_cmpuint (json_array_get_length (names), >, 0);
      for (guint i = 0; i < json_array_get_length (names); i++)
        {
          const char *name = json_array_get_string_element (names, i);
          g_autofree char *fragment = NULL;

          if (s == 0)
            fragment = g_strdup_printf (
              ",\"linux\":{\"seccomp\":{\"defaultAction\":\"%s\"%s}}", name,
              g_str_equal (name, "SCMP_ACT_NOTIFY") ? ",\"listenerPath\":\"/l\"" : "");
          else if (s == 1)
            fragment = g_strdup_printf (
              ",\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\","
              "\"architectures\":[\"%s\"]}}",
              name);
          else if (s == 2)
            fragment = g_strdup_printf (
              ",\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\","
              "\"flags\":[\"%s\"]}}",
              name);
          else
            fragment = g_strdup_printf (
              ",\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
              "{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,"
              "\"value\":1,\"valueTwo\":1,\"op\":\"%s\"}]}]}}",
              name);
          assert_accepted (name, fragment);
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/features/mount-options", test_mount_options);
  g_test_add_func ("/features/capabilities", test_capabilities);
  g_test_add_func ("/features/namespaces", test_namespaces);
  g_test_add_func ("/features/seccomp", test_seccomp);
  return g_test_run ();
}
