/* test-spec-rootfs.c: unit tests of the config of `run --rootfs`: the
 * command line's choices land where the runtime reads them, the result
 * passes the spec validator, and bad values fail naming the option. */
#include "config.h"

#include "util/urun-error.h"
#include "spec/urun-spec-rootfs.h"
#include "spec/urun-spec.h"

#include <json-glib/json-glib.h>
#include <string.h>

static JsonObject *
generate (const UrunSpecRootfsOptions *options, JsonNode **out_node)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = urun_spec_rootfs_generate (options, &error);
  g_autoptr (UrunSpec) spec = NULL;

  g_assert_no_error (error);
  spec = urun_spec_load_data (text, -1, "config.json", &error);
  g_assert_no_error (error);
  g_assert_true (urun_spec_validate (spec, "config.json", &error));
  *out_node = json_from_string (text, &error);
  g_assert_no_error (error);
  return json_node_get_object (*out_node);
}

static void
test_choices (void)
{
  const char *const args[] = { "sh", "-c", "echo hi", NULL };
  const char *const env[] = { "PATH=/bin", "A=1", NULL };
  const char *const binds[] = { "/tmp:/work:ro", "/:/host", NULL };
  UrunSpecRootfsOptions options = { .rootfs = "/", .args = args, .env = env, .binds = binds,
                                    .workdir = "/work", .user = "7:8", .network = "host",
                                    .terminal = TRUE };
  g_autoptr (JsonNode) node = NULL;
  JsonObject *c = generate (&options, &node);
  JsonObject *process = json_object_get_object_member (c, "process");
  JsonArray *mounts = json_object_get_array_member (c, "mounts");
  JsonArray *e = json_object_get_array_member (process, "env");
  JsonArray *ns = json_object_get_array_member (json_object_get_object_member (c, "linux"),
                                                "namespaces");
  JsonObject *last = json_array_get_object_element (mounts, json_array_get_length (mounts) - 1);
  JsonObject *ro = json_array_get_object_element (mounts, json_array_get_length (mounts) - 2);

  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (c, "root"),
                                                  "path"),
                   ==, "/");
  g_assert_true (json_object_get_boolean_member (process, "terminal"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (process, "args"), 2),
                   ==, "echo hi");
  g_assert_cmpstr (json_object_get_string_member (process, "cwd"), ==, "/work");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (process, "user"),
                                               "uid"),
                   ==, 7);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (process, "user"),
                                               "gid"),
                   ==, 8);
  /* PATH replaced, not doubled; TERM kept; A added. */
  g_assert_cmpuint (json_array_get_length (e), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (e, 0), ==, "TERM=xterm");
  g_assert_cmpstr (json_array_get_string_element (e, 1), ==, "PATH=/bin");
  g_assert_cmpstr (json_object_get_string_member (ro, "destination"), ==, "/work");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (ro, "options"), 1),
                   ==, "ro");
  g_assert_cmpstr (json_object_get_string_member (last, "source"), ==, "/");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (last, "options"), 1),
                   ==, "rw");
  for (guint i = 0; i < json_array_get_length (ns); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ns, i), "type"),
                     !=, "network");
}

static void
test_bad_values (void)
{
  static const struct
  {
    const char *bind, *env, *user, *network, *workdir, *rootfs, *message;
  } cases[] = {
    { "/tmp", NULL, NULL, NULL, NULL, "/", "invalid value `/tmp` for --bind" },
    { "/tmp:/a:x", NULL, NULL, NULL, NULL, "/", "invalid value `/tmp:/a:x` for --bind" },
    { ":/a", NULL, NULL, NULL, NULL, "/", "invalid value `:/a` for --bind" },
    { "/nonexistent-urun:/a", NULL, NULL, NULL, NULL, "/", "source `/nonexistent-urun`" },
    { NULL, "=x", NULL, NULL, NULL, "/", "invalid value `=x` for --env" },
    { NULL, NULL, "1:x", NULL, NULL, "/", "invalid value `1:x` for --user" },
    { NULL, NULL, NULL, "bridge", NULL, "/", "invalid value `bridge` for --network" },
    { NULL, NULL, NULL, NULL, "rel", "/", "invalid value `rel` for --workdir" },
    { NULL, NULL, NULL, NULL, NULL, "/nonexistent-urun", "--rootfs `/nonexistent-urun`" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *binds[] = { cases[i].bind, NULL };
      const char *env[] = { cases[i].env, NULL };
      UrunSpecRootfsOptions options = { .rootfs = cases[i].rootfs, .binds = binds, .env = env,
                                        .user = cases[i].user, .network = cases[i].network,
                                        .workdir = cases[i].workdir };
      g_autoptr (GError) error = NULL;
      g_autofree char *text = urun_spec_rootfs_generate (&options, &error);

      g_assert_null (text);
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %zu: `%s` lacks `%s`", i, error->message, cases[i].message);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spec-rootfs/choices", test_choices);
  g_test_add_func ("/spec-rootfs/bad-values", test_bad_values);
  return g_test_run ();
}
