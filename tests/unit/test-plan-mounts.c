/* test-plan-mounts.c: unit tests of urun_plan_build_mounts(): small specs
 * loaded with urun_spec_load_data() become mount plans.  Mount kinds and
 * folded flags, the default devices and their override, bind_devices,
 * bind sources (missing, relative to the bundle, file or directory), root
 * propagation, and the masked/readonly vectors. */
#include "config.h"

#include "util/urun-error.h"
#include "plan/urun-plan-parts.h"

#include <glib/gstdio.h>
#include <sys/mount.h>

typedef struct
{
  char *bundle;      /* a temporary bundle with a directory and a file */
  UrunSpec *spec;
  UrunPlanOwner *owner;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;

  f->bundle = g_dir_make_tmp ("urun-plan-mounts-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (f->bundle, "data", NULL);
  file = g_build_filename (f->bundle, "data.txt", NULL);
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_file_set_contents (file, "x", -1, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = g_build_filename (f->bundle, "data", NULL);
  g_autofree char *file = g_build_filename (f->bundle, "data.txt", NULL);

  g_rmdir (dir);
  g_unlink (file);
  g_rmdir (f->bundle);
  g_free (f->bundle);
  urun_spec_free (f->spec);
  urun_plan_owner_free (f->owner);
}

/* Loads a config whose "mounts" and "linux" members are @mounts and
 * @linux_ (JSON text, may be NULL) and builds the mount plan. */
static gboolean
build (Fixture *f, const char *mounts, const char *linux_, gboolean rootless, GError **error)
{
  g_autofree char *json = g_strdup_printf (
    "{ \"ociVersion\": \"1.2.0\","
    "  \"process\": { \"user\": { \"uid\": 0, \"gid\": 0 }, \"args\": [\"sh\"], \"cwd\": \"/\" },"
    "  \"root\": { \"path\": \"rootfs\", \"readonly\": true },"
    "  \"mounts\": %s,"
    "  \"linux\": %s }",
    mounts != NULL ? mounts : "[]", linux_ != NULL ? linux_ : "{}");
  UrunPlanOptions options = { 0 };

  options.id = "test";
  options.bundle = f->bundle;
  options.rootless = rootless;
  options.privileged = !rootless;
  g_clear_pointer (&f->spec, urun_spec_free);
  g_clear_pointer (&f->owner, urun_plan_owner_free);
  f->spec = urun_spec_load_data (json, -1, "config.json", error);
  if (f->spec == NULL)
    return FALSE;
  f->owner = urun_plan_owner_new ();
  return urun_plan_build_mounts (f->owner, f->spec, &options, error);
}

static void
build_ok (Fixture *f, const char *mounts, const char *linux_, gboolean rootless)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (build (f, mounts, linux_, rootless, &error));
  g_assert_no_error (error);
}

static void
test_kinds (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan;

  build_ok (f,
            "[ { \"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\" },"
            "  { \"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\","
            "    \"options\": [\"nosuid\", \"ro\"] },"
            "  { \"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": \"cgroup\" },"
            "  { \"destination\": \"/c2\", \"type\": \"cgroup2\", \"source\": \"cgroup2\" },"
            "  { \"destination\": \"/d\", \"type\": \"bind\", \"source\": \"/tmp\" },"
            "  { \"destination\": \"/e\", \"type\": \"none\", \"source\": \"/tmp\","
            "    \"options\": [\"rbind\", \"ro\"] },"
            "  { \"destination\": \"/t\", \"type\": \"tmpfs\","
            "    \"options\": [\"nodev\", \"mode=1777\", \"size=1m\"] } ]",
            NULL, FALSE);
  plan = &f->owner->plan;
  g_assert_cmpuint (plan->n_mounts, ==, 7);

  g_assert_cmpint (plan->mounts[0].kind, ==, URUN_PLAN_MOUNT_FS);
  g_assert_cmpstr (plan->mounts[0].type, ==, "proc");
  g_assert_cmpstr (plan->mounts[0].source, ==, "proc");
  g_assert_true (plan->mounts[0].source_is_dir);
  g_assert_cmpint (plan->mounts[0].tree_fd, ==, -1);

  g_assert_cmpint (plan->mounts[1].kind, ==, URUN_PLAN_MOUNT_SYSFS);
  g_assert_cmphex (plan->mounts[1].flags.flags, ==, MS_NOSUID | MS_RDONLY);
  g_assert_cmpint (plan->mounts[2].kind, ==, URUN_PLAN_MOUNT_CGROUP);
  g_assert_cmpint (plan->mounts[3].kind, ==, URUN_PLAN_MOUNT_CGROUP);
  g_assert_cmpstr (plan->mounts[3].type, ==, "cgroup2");

  /* type "bind" alone: a plain bind, not recursive. */
  g_assert_cmpint (plan->mounts[4].kind, ==, URUN_PLAN_MOUNT_BIND);
  g_assert_cmphex (plan->mounts[4].flags.flags, ==, MS_BIND);
  g_assert_null (plan->mounts[4].type);
  g_assert_cmpstr (plan->mounts[4].source, ==, "/tmp");
  g_assert_true (plan->mounts[4].source_is_dir);

  /* Any type with "rbind" is a bind. */
  g_assert_cmpint (plan->mounts[5].kind, ==, URUN_PLAN_MOUNT_BIND);
  g_assert_cmphex (plan->mounts[5].flags.flags, ==, MS_BIND | MS_REC | MS_RDONLY);

  /* No source: the type stands in for it; data is kept. */
  g_assert_cmpint (plan->mounts[6].kind, ==, URUN_PLAN_MOUNT_FS);
  g_assert_cmpstr (plan->mounts[6].source, ==, "tmpfs");
  g_assert_cmphex (plan->mounts[6].flags.flags, ==, MS_NODEV);
  g_assert_cmpstr (plan->mounts[6].flags.data, ==, "mode=1777,size=1m");
}

static void
test_relative_destination (Fixture *f, gconstpointer data)
{
  build_ok (f, "[ { \"destination\": \"run/x\", \"type\": \"tmpfs\", \"source\": \"tmpfs\" } ]",
            NULL, FALSE);
  g_assert_cmpstr (f->owner->plan.mounts[0].destination, ==, "/run/x");
}

static void
test_bind_sources (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = g_build_filename (f->bundle, "data", NULL);
  g_autofree char *file = g_build_filename (f->bundle, "data.txt", NULL);
  g_autofree char *mounts = g_strdup_printf (
    "[ { \"destination\": \"/a\", \"type\": \"bind\", \"source\": \"data\" },"
    "  { \"destination\": \"/b\", \"source\": \"data.txt\", \"options\": [\"bind\"] },"
    "  { \"destination\": \"/c\", \"source\": \"%s\", \"options\": [\"rbind\"] } ]", file);
  const UrunInitPlan *plan;

  build_ok (f, mounts, NULL, FALSE);
  plan = &f->owner->plan;
  /* Relative sources of binds are relative to the bundle. */
  g_assert_cmpstr (plan->mounts[0].source, ==, dir);
  g_assert_true (plan->mounts[0].source_is_dir);
  g_assert_cmpstr (plan->mounts[1].source, ==, file);
  g_assert_false (plan->mounts[1].source_is_dir);
  g_assert_cmpstr (plan->mounts[2].source, ==, file);
  g_assert_false (plan->mounts[2].source_is_dir);
}

static void
test_missing_bind_source (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (build (f,
                         "[ { \"destination\": \"/proc\", \"type\": \"proc\" },"
                         "  { \"destination\": \"/a\", \"type\": \"bind\", \"source\": \"/tmp\" },"
                         "  { \"destination\": \"/b\", \"type\": \"tmpfs\" },"
                         "  { \"destination\": \"/x\", \"type\": \"bind\","
                         "    \"source\": \"/nonexistent-urun\" } ]",
                         NULL, FALSE, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "config.json: mounts[3].source: /nonexistent-urun does not exist");
}

static void
test_missing_relative_bind_source (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("config.json: mounts[0].source: %s/nope does "
                                               "not exist", f->bundle);

  g_assert_false (build (f, "[ { \"destination\": \"/x\", \"type\": \"bind\", \"source\": \"nope\" } ]",
                         NULL, FALSE, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==, expected);
}

static const UrunPlanDevice *
find_device (const UrunInitPlan *plan, const char *path)
{
  for (gsize i = 0; i < plan->n_devices; i++)
    if (g_strcmp0 (plan->devices[i].path, path) == 0)
      return &plan->devices[i];
  return NULL;
}

static void
test_default_devices (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *path;
    unsigned major, minor;
  } expected[] = {
    { "/dev/null", 1, 3 },   { "/dev/zero", 1, 5 },    { "/dev/full", 1, 7 },
    { "/dev/random", 1, 8 }, { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
  };
  const UrunInitPlan *plan;

  build_ok (f, NULL, NULL, FALSE);
  plan = &f->owner->plan;
  g_assert_cmpuint (plan->n_devices, ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const UrunPlanDevice *dev = find_device (plan, expected[i].path);

      g_assert_nonnull (dev);
      g_assert_cmpint (dev->type, ==, 'c');
      g_assert_cmpuint (dev->major, ==, expected[i].major);
      g_assert_cmpuint (dev->minor, ==, expected[i].minor);
      g_assert_cmpuint (dev->mode, ==, 0666);
      g_assert_cmpuint (dev->uid, ==, 0);
      g_assert_cmpuint (dev->gid, ==, 0);
    }
}

static void
test_config_devices (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan;
  const UrunPlanDevice *dev;

  build_ok (f, NULL,
            "{ \"devices\": ["
            "  { \"type\": \"c\", \"path\": \"/dev/null\", \"major\": 1, \"minor\": 3,"
            "    \"fileMode\": 384, \"uid\": 5, \"gid\": 6 },"
            "  { \"type\": \"b\", \"path\": \"/dev/sda\", \"major\": 8, \"minor\": 0 },"
            "  { \"type\": \"u\", \"path\": \"/dev/net/tun\", \"major\": 10, \"minor\": 200,"
            "    \"fileMode\": 8630 },"
            "  { \"type\": \"p\", \"path\": \"/dev/fifo\" } ] }",
            FALSE);
  plan = &f->owner->plan;
  /* Six defaults, one of them replaced, plus three more. */
  g_assert_cmpuint (plan->n_devices, ==, 9);

  dev = find_device (plan, "/dev/null");
  g_assert_cmpuint (dev->mode, ==, 0600);
  g_assert_cmpuint (dev->uid, ==, 5);
  g_assert_cmpuint (dev->gid, ==, 6);
  for (gsize i = 0, n = 0; i < plan->n_devices; i++)
    {
      n += g_strcmp0 (plan->devices[i].path, "/dev/null") == 0;
      g_assert_cmpuint (n, <=, 1);
    }

  dev = find_device (plan, "/dev/sda");
  g_assert_cmpint (dev->type, ==, 'b');
  g_assert_cmpuint (dev->major, ==, 8);
  g_assert_cmpuint (dev->mode, ==, 0666);

  /* "u" is a character device; the type bits of fileMode are dropped. */
  dev = find_device (plan, "/dev/net/tun");
  g_assert_cmpint (dev->type, ==, 'c');
  g_assert_cmpuint (dev->minor, ==, 200);
  g_assert_cmpuint (dev->mode, ==, 0666);

  dev = find_device (plan, "/dev/fifo");
  g_assert_cmpint (dev->type, ==, 'p');
  g_assert_cmpuint (dev->major, ==, 0);
  g_assert_nonnull (find_device (plan, "/dev/zero"));
}

static void
test_bind_devices (Fixture *f, gconstpointer data)
{
  build_ok (f, NULL, "{ \"namespaces\": [ { \"type\": \"mount\" } ] }", FALSE);
  g_assert_false (f->owner->plan.bind_devices);

  build_ok (f, NULL, "{ \"namespaces\": [ { \"type\": \"mount\" } ] }", TRUE);
  g_assert_true (f->owner->plan.bind_devices);

  build_ok (f, NULL,
            "{ \"namespaces\": [ { \"type\": \"user\" }, { \"type\": \"mount\" } ],"
            "  \"uidMappings\": [ { \"containerID\": 0, \"hostID\": 1000, \"size\": 1 } ],"
            "  \"gidMappings\": [ { \"containerID\": 0, \"hostID\": 1000, \"size\": 1 } ] }",
            FALSE);
  g_assert_true (f->owner->plan.bind_devices);
}

static void
test_propagation (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *name;
    unsigned long root, rootfs;
  } cases[] = {
    { NULL, MS_SLAVE | MS_REC, 0 },
    { "rslave", MS_SLAVE | MS_REC, MS_SLAVE | MS_REC },
    { "slave", MS_SLAVE | MS_REC, MS_SLAVE },
    { "rshared", MS_SHARED | MS_REC, MS_SHARED | MS_REC },
    { "shared", MS_SHARED | MS_REC, MS_SHARED },
    { "rprivate", MS_PRIVATE | MS_REC, MS_PRIVATE | MS_REC },
    { "private", MS_PRIVATE | MS_REC, MS_PRIVATE },
    { "runbindable", MS_SLAVE | MS_REC, MS_UNBINDABLE | MS_REC },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *linux_ = cases[i].name != NULL
        ? g_strdup_printf ("{ \"rootfsPropagation\": \"%s\" }", cases[i].name)
        : NULL;

      build_ok (f, NULL, linux_, FALSE);
      g_assert_cmphex (f->owner->plan.root_propagation, ==, cases[i].root);
      g_assert_cmphex (f->owner->plan.rootfs_propagation, ==, cases[i].rootfs);
      g_assert_true (f->owner->plan.rootfs_readonly);
    }
}

static void
test_masked_readonly (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan;

  build_ok (f, NULL, NULL, FALSE);
  g_assert_null (f->owner->plan.masked_paths);
  g_assert_null (f->owner->plan.readonly_paths);

  build_ok (f, NULL,
            "{ \"maskedPaths\": [\"/proc/kcore\", \"/sys/firmware\"],"
            "  \"readonlyPaths\": [\"/proc/sys\"] }",
            FALSE);
  plan = &f->owner->plan;
  g_assert_nonnull (plan->masked_paths);
  g_assert_cmpstr (plan->masked_paths[0], ==, "/proc/kcore");
  g_assert_cmpstr (plan->masked_paths[1], ==, "/sys/firmware");
  g_assert_null (plan->masked_paths[2]);
  g_assert_cmpstr (plan->readonly_paths[0], ==, "/proc/sys");
  g_assert_null (plan->readonly_paths[1]);
  /* Copies, owned by the plan. */
  g_assert_true (plan->masked_paths[0] != f->spec->linux_->masked_paths[0]);
}

static void
test_mount_label (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan;

  build_ok (f,
            "[ { \"destination\": \"/t\", \"type\": \"tmpfs\", \"options\": [\"mode=755\"] },"
            "  { \"destination\": \"/dev/pts\", \"type\": \"devpts\" },"
            "  { \"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\" },"
            "  { \"destination\": \"/d\", \"type\": \"bind\", \"source\": \"/tmp\" } ]",
            "{ \"mountLabel\": \"system_u:object_r:container_file_t:s0:c1,c2\" }", FALSE);
  plan = &f->owner->plan;
  g_assert_cmpstr (plan->mounts[0].flags.data, ==,
                   "mode=755,context=\"system_u:object_r:container_file_t:s0:c1,c2\"");
  g_assert_cmpstr (plan->mounts[1].flags.data, ==,
                   "context=\"system_u:object_r:container_file_t:s0:c1,c2\"");
  /* proc takes no context; a bind keeps the label of what it shows. */
  g_assert_null (plan->mounts[2].flags.data);
  g_assert_null (plan->mounts[3].flags.data);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/plan-mounts/kinds", test_kinds);
  ADD ("/plan-mounts/relative-destination", test_relative_destination);
  ADD ("/plan-mounts/bind-sources", test_bind_sources);
  ADD ("/plan-mounts/missing-bind-source", test_missing_bind_source);
  ADD ("/plan-mounts/missing-relative-bind-source", test_missing_relative_bind_source);
  ADD ("/plan-mounts/default-devices", test_default_devices);
  ADD ("/plan-mounts/config-devices", test_config_devices);
  ADD ("/plan-mounts/bind-devices", test_bind_devices);
  ADD ("/plan-mounts/propagation", test_propagation);
  ADD ("/plan-mounts/masked-readonly", test_masked_readonly);
  ADD ("/plan-mounts/mount-label", test_mount_label);
#undef ADD
  return g_test_run ();
}
