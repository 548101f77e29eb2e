/* test-cgroup.c: unit tests of the pure parts of the cgroup drivers:
 * linux.resources as cgroup v2 and v1 files, as systemd properties, and
 * the names (systemd unit and slice, cgroupfs path). */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "util/urun-error.h"
#include "cgroup/urun-systemd.h"

#include <errno.h>
#include <signal.h>

static UrunSpecResources *
resources (const char *json)
{
  g_autoptr (GError) error = NULL;
  UrunSpecResources *r = urun_spec_resources_load_data (json, -1, "resources.json", &error);

  g_assert_no_error (error);
  return r;
}

/* "file=value" lines of @writes, joined with ";". */
static char *
render (GPtrArray *writes)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < writes->len; i++)
    {
      UrunCgroupWrite *w = g_ptr_array_index (writes, i);

      g_string_append_printf (s, "%s%s=%s", i ? ";" : "", w->file, w->value);
    }
  return g_string_free (s, FALSE);
}

static void
test_v2 (void)
{
  g_autoptr (UrunSpecResources) r = resources (
    "{\"memory\": {\"limit\": 1048576, \"reservation\": 524288, \"swap\": 2097152,"
    " \"swappiness\": 10},"
    " \"pids\": {\"limit\": 32},"
    " \"cpu\": {\"shares\": 1024, \"quota\": 50000, \"period\": 100000, \"cpus\": \"0-1\"},"
    " \"blockIO\": {\"weight\": 500, \"throttleReadBpsDevice\": [{\"major\": 8, \"minor\": 0,"
    " \"rate\": 1000}]},"
    " \"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 4194304}],"
    " \"unified\": {\"memory.high\": \"900000\"}}");
  g_autoptr (GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) w = urun_cgroup_resources_v2 (r, dropped, NULL);
  g_autofree char *text = render (w);

  g_assert_cmpstr (text, ==,
                   "memory.max=1048576;memory.low=524288;memory.swap.max=1048576;pids.max=32;"
                   "cpu.weight=39;cpu.max=50000 100000;cpuset.cpus=0-1;io.weight=default 4950;"
                   "io.max=8:0 rbps=1000;hugetlb.2MB.max=4194304;memory.high=900000");
  g_assert_cmpuint (dropped->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (dropped, 0), ==,
                   "memory.swappiness (cgroup v2 has no per-cgroup swappiness)");
  g_assert_true (urun_cgroup_resources_any (r));
}

static void
test_v2_unlimited (void)
{
  g_autoptr (UrunSpecResources) r = resources (
    "{\"memory\": {\"limit\": -1, \"swap\": -1}, \"pids\": {\"limit\": 0},"
    " \"cpu\": {\"quota\": -1}}");
  g_autoptr (GPtrArray) w = urun_cgroup_resources_v2 (r, NULL, NULL);
  g_autofree char *text = render (w);

  g_assert_cmpstr (text, ==, "memory.max=max;memory.swap.max=max;pids.max=max;cpu.max=max 100000");
}

static void
test_v2_errors (void)
{
  /* Built by hand: loading refuses it before the cgroup code would. */
  g_autoptr (UrunSpecResources) low = g_new0 (UrunSpecResources, 1);
  g_autoptr (UrunSpecResources) bad = resources ("{\"unified\": {\"cgroup.procs\": \"1\"}}");
  g_autoptr (GError) error = NULL;

  low->memory = g_new0 (UrunSpecMemory, 1);
  low->memory->limit = 2000, low->memory->has_limit = TRUE;
  low->memory->swap = 1000, low->memory->has_swap = TRUE;
  g_assert_null (urun_cgroup_resources_v2 (low, NULL, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "must be at least memory.limit"));
  g_clear_error (&error);
  g_assert_null (urun_cgroup_resources_v2 (bad, NULL, &error));
  g_assert_nonnull (strstr (error->message, "`cgroup.procs` is not a cgroup v2 interface file"));
}

static void
test_v1 (void)
{
  g_autoptr (UrunSpecResources) r = resources (
    "{\"memory\": {\"limit\": 1048576, \"swap\": 2097152},"
    " \"pids\": {\"limit\": 32},"
    " \"cpu\": {\"shares\": 512, \"quota\": 20000, \"period\": 100000},"
    " \"devices\": [{\"allow\": false, \"access\": \"rwm\"},"
    "               {\"allow\": true, \"type\": \"c\", \"major\": 4, \"access\": \"rw\"}]}");
  UrunSpecDevice dev = { .type = (char *) "c", .major = 10, .has_major = TRUE, .minor = 229,
                         .has_minor = TRUE };
  g_autoptr (GPtrArray) w = urun_cgroup_resources_v1 (r, &dev, 1, NULL, NULL);
  g_autofree char *text = render (w);

  g_assert_cmpstr (text, ==,
                   "memory.limit_in_bytes=1048576;memory.memsw.limit_in_bytes=2097152;pids.max=32;"
                   "cpu.shares=512;cpu.cfs_period_us=100000;cpu.cfs_quota_us=20000;"
                   "devices.deny=a;devices.allow=c 4:* rw;"
                   "devices.allow=c *:* m;devices.allow=b *:* m;devices.allow=c 1:3 rwm;"
                   "devices.allow=c 1:5 rwm;devices.allow=c 1:7 rwm;devices.allow=c 5:0 rwm;"
                   "devices.allow=c 1:8 rwm;devices.allow=c 1:9 rwm;devices.allow=c 136:* rwm;"
                   "devices.allow=c 5:2 rwm;devices.allow=c 10:200 rwm;"
                   "devices.allow=c 10:229 rwm");
}

static void
test_systemd_properties (void)
{
  g_autoptr (UrunSpecResources) r = resources (
    "{\"memory\": {\"limit\": 1048576, \"swap\": 3145728},"
    " \"pids\": {\"limit\": 32},"
    " \"cpu\": {\"shares\": 1024, \"quota\": 50000, \"period\": 100000, \"cpus\": \"1\"},"
    " \"blockIO\": {\"weight\": 10},"
    " \"devices\": [{\"allow\": false, \"access\": \"rwm\"},"
    "               {\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 3, \"access\": \"rw\"}]}");
  g_autoptr (GPtrArray) props = urun_systemd_property_list_new ();
  g_autoptr (GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  static const struct
  {
    const char *name;
    const char *value;
  } expected[] = {
    { "MemoryMax", "uint64 1048576" },     { "MemorySwapMax", "uint64 2097152" },
    { "TasksMax", "uint64 32" },           { "CPUWeight", "uint64 39" },
    { "CPUQuotaPerSecUSec", "uint64 500000" }, { "CPUQuotaPeriodUSec", "uint64 100000" },
    { "AllowedCPUs", "[byte 0x02]" },        { "IOWeight", "uint64 1" },
    { "DevicePolicy", "'strict'" },
  };

  urun_systemd_resources_properties (r, NULL, 0, FALSE, props, dropped);
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const UrunSystemdProperty *p = urun_systemd_property_list_find (props, expected[i].name);
      g_autofree char *v = NULL;

      g_test_message ("property %s", expected[i].name);
      g_assert_nonnull (p);
      v = g_variant_print (p->value, TRUE);
      g_assert_cmpstr (v, ==, expected[i].value);
    }
  {
    const UrunSystemdProperty *p = urun_systemd_property_list_find (props, "DeviceAllow");
    g_autofree char *v = g_variant_print (p->value, FALSE);

    g_assert_true (g_str_has_prefix (v, "[('/dev/char/1:3', 'rw'), ('/dev/char/1:3', 'rwm')"));
  }
  g_assert_cmpuint (dropped->len, ==, 0);

  /* Rootless: no device policy, said so. */
  g_ptr_array_set_size (props, 0);
  urun_systemd_resources_properties (r, NULL, 0, TRUE, props, dropped);
  g_assert_null (urun_systemd_property_list_find (props, "DevicePolicy"));
  g_assert_cmpuint (dropped->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (dropped, 0), "devices (the user's systemd"));
}

static UrunSpec *
spec_with_path (const char *cgroups_path)
{
  UrunSpec *spec = g_new0 (UrunSpec, 1);

  spec->linux_ = g_new0 (UrunSpecLinux, 1);
  spec->linux_->cgroups_path = g_strdup (cgroups_path);
  return spec;
}

static void
check_names (const char *cgroups_path, const char *unit_opt, const char *slice_opt,
             gboolean rootless, const char *unit, const char *slice)
{
  g_autoptr (UrunSpec) spec = spec_with_path (cgroups_path);
  UrunCgroupRequest req = { .id = "c1", .spec = spec, .unit = unit_opt, .slice = slice_opt,
                            .host.rootless = rootless };
  g_autofree char *u = NULL, *s = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (urun_cgroup_systemd_names (&req, &u, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (u, ==, unit);
  g_assert_cmpstr (s, ==, slice);
}

static void
test_names (void)
{
  check_names (NULL, NULL, NULL, FALSE, "urun-c1.scope", "machine.slice");
  check_names (NULL, NULL, NULL, TRUE, "urun-c1.scope", "app.slice");
  check_names ("machine.slice:libpod:abc", NULL, NULL, FALSE, "libpod-abc.scope", "machine.slice");
  check_names ("user.slice:libpod:abc", NULL, NULL, TRUE, "libpod-abc.scope", "user.slice");
  check_names (":urun:x", NULL, NULL, FALSE, "urun-x.scope", "machine.slice");
  check_names ("a.slice::x", NULL, NULL, FALSE, "x.scope", "a.slice");
  check_names (NULL, "myapp", NULL, TRUE, "myapp.scope", "app.slice");
  check_names (NULL, "myapp.scope", "work", TRUE, "myapp.scope", "work.slice");
  check_names ("machine.slice:libpod:abc", "mine", "other.slice", FALSE, "mine.scope",
               "other.slice");
}

/* Cgroup and unit names are host-wide, ids only unique per state root: a
 * root other than the default one puts the first 8 hex digits of its
 * SHA-256 into the default names. */
static void
test_names_state_root (void)
{
  g_autoptr (UrunSpec) spec = spec_with_path (NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "/srv/roots/a", -1);
  g_autofree char *expected = g_strdup_printf ("urun-%.8s-c1.scope", digest);
  UrunCgroupRequest req = { .id = "c1", .spec = spec, .state_root = "/srv/roots/a" };
  g_autofree char *u = NULL, *s = NULL, *u_default = NULL, *s_default = NULL;

  g_assert_true (urun_cgroup_systemd_names (&req, &u, &s, NULL));
  g_assert_cmpstr (u, ==, expected);
  req.state_root_is_default = TRUE;
  g_assert_true (urun_cgroup_systemd_names (&req, &u_default, &s_default, NULL));
  g_assert_cmpstr (u_default, ==, "urun-c1.scope");
}

/* A container without a cgroup: the "none" driver answers every
 * operation, those that need a cgroup with NOT_SUPPORTED and the reason. */
static void
test_none_driver (void)
{
  UrunCgroupOutcome cg = { .driver = URUN_CGROUP_DRIVER_NONE, .reason = (char *) "no reason" };
  UrunCgroupHost host = { 0 };
  g_autoptr (GError) error = NULL;
  guint64 ooms = 0;

  g_assert_null (urun_cgroup_pids (&cg, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "no reason"));
  g_clear_error (&error);
  g_assert_false (urun_cgroup_freeze (&cg, TRUE, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (urun_cgroup_kill (&cg, SIGTERM, NULL));
  g_assert_null (urun_cgroup_stats (&cg, NULL));
  g_assert_false (urun_cgroup_is_frozen (&cg));
  g_assert_false (urun_cgroup_oom_kills (&cg, &ooms));
  g_assert_cmpint (urun_cgroup_watch_events (&cg), ==, -1);
  g_assert_true (urun_cgroup_destroy (&cg, &host, NULL));
}

static void
test_name_errors (void)
{
  static const struct
  {
    const char *path, *unit;
    const char *expected;
  } cases[] = {
    { "/a/b", NULL, "expects `slice:prefix:name`" },
    { "s.slice:p:n.slice", NULL, "a container goes into a scope, not a slice" },
    { NULL, "x.service", "a container runs in a scope unit" },
    { NULL, "bad/name", "invalid unit name `bad/name.scope`" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (UrunSpec) spec = spec_with_path (cases[i].path);
      UrunCgroupRequest req = { .id = "c1", .spec = spec, .unit = cases[i].unit };
      g_autofree char *u = NULL, *s = NULL;
      g_autoptr (GError) error = NULL;

      g_assert_false (urun_cgroup_systemd_names (&req, &u, &s, &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].expected));
    }
}

static void
check_path (const char *cgroups_path, const char *base, const char *expected)
{
  g_autoptr (UrunSpec) spec = spec_with_path (cgroups_path);
  UrunCgroupRequest req = { .id = "c1", .spec = spec };
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok = urun_cgroup_fs_path (&req, base, &path, &error);

  if (expected == NULL)
    {
      g_assert_false (ok);
      g_test_message ("%s", error->message);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, expected);
}

static void
test_fs_path (void)
{
  check_path (NULL, "/", "/urun-c1");
  check_path (NULL, "/user.slice/user@1000.service", "/user.slice/user@1000.service/urun-c1");
  check_path ("/machine/c1", "/", "/machine/c1");
  check_path ("foo/bar", "/", "/foo/bar");
  check_path ("foo/bar", "/d", "/d/foo/bar");
  check_path ("/d/x", "/d", "/d/x");
  check_path ("/elsewhere", "/d", NULL);
  check_path ("../up", "/d", NULL);
  check_path ("/", "/", NULL);
  check_path ("machine.slice:p:n", "/", NULL);
}

/* A failed write: ENOENT drops the limit, another errno fails naming the
 * JSON path, the file and the errno, best effort drops it instead, and a
 * device rule is never dropped. */
static void
test_check_write (void)
{
  char blkio[] = "blkio", bps[] = "blkio.throttle.read_bps_device", rate[] = "259:99 1048576";
  char devices[] = "devices", deny[] = "devices.deny", all[] = "a";
  UrunCgroupWrite limit = { .controller = blkio, .file = bps, .value = rate,
                            .limit = "blockIO.throttleReadBpsDevice" };
  UrunCgroupWrite device = { .controller = devices, .file = deny, .value = all,
                             .limit = "devices" };
  g_autoptr (GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  g_assert_true (urun_cgroup_check_write (0, "/cg", &limit, FALSE, dropped, &error));
  g_assert_true (urun_cgroup_check_write (-ENOENT, "/cg", &limit, FALSE, dropped, &error));
  g_assert_cmpuint (dropped->len, ==, 1);
  g_assert_false (urun_cgroup_check_write (-ENODEV, "/cg", &limit, FALSE, dropped, &error));
  g_assert_cmpstr (error->message, ==,
                   "linux.resources.blockIO.throttleReadBpsDevice: cannot write `259:99 "
                   "1048576` to /cg/blkio.throttle.read_bps_device: No such device; to run "
                   "without the limits this host cannot apply, set the annotation "
                   "io.github.urun.cgroup-best-effort=true");
  g_clear_error (&error);
  g_assert_true (urun_cgroup_check_write (-ENODEV, "/cg", &limit, TRUE, dropped, &error));
  g_assert_cmpuint (dropped->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (dropped, 1), ==,
                   "blockIO.throttleReadBpsDevice (writing `259:99 1048576` to "
                   "/cg/blkio.throttle.read_bps_device failed: No such device)");
  g_assert_false (urun_cgroup_check_write (-EINVAL, "/cg", &device, TRUE, dropped, &error));
  g_assert_cmpstr (error->message, ==,
                   "linux.resources.devices: cannot write the device rule `a` to "
                   "/cg/devices.deny: Invalid argument");
  g_clear_error (&error);
  g_assert_false (urun_cgroup_check_write (-ENOENT, "/cg", &device, TRUE, dropped, &error));
  g_assert_cmpuint (dropped->len, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cgroup/v2", test_v2);
  g_test_add_func ("/cgroup/v2-unlimited", test_v2_unlimited);
  g_test_add_func ("/cgroup/v2-errors", test_v2_errors);
  g_test_add_func ("/cgroup/v1", test_v1);
  g_test_add_func ("/cgroup/check-write", test_check_write);
  g_test_add_func ("/cgroup/systemd-properties", test_systemd_properties);
  g_test_add_func ("/cgroup/names", test_names);
  g_test_add_func ("/cgroup/names-state-root", test_names_state_root);
  g_test_add_func ("/cgroup/none-driver", test_none_driver);
  g_test_add_func ("/cgroup/name-errors", test_name_errors);
  g_test_add_func ("/cgroup/fs-path", test_fs_path);
  return g_test_run ();
}
