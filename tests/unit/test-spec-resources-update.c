/* test-spec-resources-update.c: unit tests of
 * urun_spec_resources_build_update(): `update`'s options on top of a
 * --resources document, as runc applies them, and the errors that name
 * the option a bad value came from.
 *
 * Zone: tests.
 */
#include "config.h"

#include <string.h>

#include "util/urun-error.h"
#include "spec/urun-spec-resources-update.h"

static UrunSpecResources *
build (const char *data, const UrunSpecResourcesUpdate *update, GError **error)
{
  return urun_spec_resources_build_update (data, data ? strlen (data) : 0, "r.json", update,
                                           error);
}

/* Options alone: each makes the object it belongs to, and only that. */
static void
test_options_alone (void)
{
  g_autoptr (GError) error = NULL;
  UrunSpecResourcesUpdate u = { 0 };
  g_autoptr (UrunSpecResources) res = NULL;

  u.has_memory = TRUE, u.memory = 64 << 20;
  u.has_memory_swap = TRUE, u.memory_swap = -1;
  u.has_pids_limit = TRUE, u.pids_limit = 60;
  u.cpuset_cpus = "0";
  u.has_blkio_weight = TRUE, u.blkio_weight = 500;
  res = build (NULL, &u, &error);
  g_assert_no_error (error);
  g_assert_nonnull (res->memory);
  g_assert_true (res->memory->has_limit);
  g_assert_cmpint (res->memory->limit, ==, 64 << 20);
  g_assert_true (res->memory->has_swap);
  g_assert_cmpint (res->memory->swap, ==, -1);
  g_assert_false (res->memory->has_reservation);
  g_assert_nonnull (res->pids);
  g_assert_cmpint (res->pids->limit, ==, 60);
  g_assert_nonnull (res->cpu);
  g_assert_cmpstr (res->cpu->cpus, ==, "0");
  g_assert_false (res->cpu->has_quota);
  g_assert_nonnull (res->block_io);
  g_assert_true (res->block_io->has_weight);
  g_assert_cmpuint (res->block_io->weight, ==, 500);
  g_assert_null (res->hugepage_limits);
}

/* No option and no document: empty resources, nothing to write. */
static void
test_nothing (void)
{
  g_autoptr (GError) error = NULL;
  UrunSpecResourcesUpdate u = { 0 };
  g_autoptr (UrunSpecResources) res = build (NULL, &u, &error);

  g_assert_no_error (error);
  g_assert_null (res->memory);
  g_assert_null (res->cpu);
  g_assert_null (res->pids);
  g_assert_null (res->block_io);
}

/* --kernel-memory is ignored (cgroup v1 only) but, as with runc, still
 * makes a memory object. */
static void
test_kernel_memory (void)
{
  g_autoptr (GError) error = NULL;
  UrunSpecResourcesUpdate u = { 0 };
  g_autoptr (UrunSpecResources) res = NULL;

  u.kernel_memory = TRUE;
  res = build (NULL, &u, &error);
  g_assert_no_error (error);
  g_assert_nonnull (res->memory);
  g_assert_false (res->memory->has_limit);
}

/* The options come on top of the document; what they leave out stays. */
static void
test_on_top_of_document (void)
{
  g_autoptr (GError) error = NULL;
  UrunSpecResourcesUpdate u = { 0 };
  g_autoptr (UrunSpecResources) res = NULL;

  u.has_pids_limit = TRUE, u.pids_limit = 36;
  u.cpuset_mems = "0";
  res = build ("{\"pids\": {\"limit\": 20}, \"memory\": {\"limit\": 41943040},"
               " \"cpu\": {\"cpus\": \"0\", \"mems\": \"0-1\"}}", &u, &error);
  g_assert_no_error (error);
  g_assert_cmpint (res->pids->limit, ==, 36);
  g_assert_cmpint (res->memory->limit, ==, 41943040);
  g_assert_cmpstr (res->cpu->cpus, ==, "0");
  g_assert_cmpstr (res->cpu->mems, ==, "0");
}

/* 0 leaves the quota, period and shares as they are (runc); for the
 * real-time period 0 is a value, which the kernel refuses. */
static void
test_zero_leaves_cpu (void)
{
  g_autoptr (GError) error = NULL;
  UrunSpecResourcesUpdate u = { 0 };
  g_autoptr (UrunSpecResources) res = NULL;

  u.has_cpu_quota = TRUE, u.cpu_quota = 0;
  u.has_cpu_period = TRUE, u.cpu_period = 0;
  u.has_cpu_shares = TRUE, u.cpu_shares = 0;
  res = build ("{\"cpu\": {\"quota\": 50000, \"period\": 100000}}", &u, &error);
  g_assert_no_error (error);
  g_assert_cmpint (res->cpu->quota, ==, 50000);
  g_assert_cmpuint (res->cpu->period, ==, 100000);
  g_assert_false (res->cpu->has_shares);

  u.has_cpu_rt_period = TRUE, u.cpu_rt_period = 0;
  g_assert_null (build (NULL, &u, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "invalid value `0` for --cpu-rt-period"));
}

/* A bad value from an option names the option and is a usage error; one
 * from the document names the file and the field. */
static void
test_errors (void)
{
  g_autoptr (GError) error = NULL;
  UrunSpecResourcesUpdate u = { 0 };

  u.cpuset_cpus = "3-1";
  g_assert_null (build (NULL, &u, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "--cpuset-cpus: invalid CPU list \"3-1\""));
  g_clear_error (&error);

  u = (UrunSpecResourcesUpdate) { 0 };
  u.has_memory = TRUE, u.memory = 1 << 20;
  u.has_memory_swap = TRUE, u.memory_swap = 512 << 10;
  g_assert_null (build (NULL, &u, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "--memory-swap: 524288 is below --memory"));
  g_clear_error (&error);

  u = (UrunSpecResourcesUpdate) { 0 };
  g_assert_null (build ("{\"cpu\": {\"period\": 1}}", &u, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "r.json: cpu.period: "));
  g_clear_error (&error);

  g_assert_null (build ("{\"pids\": 1}", &u, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spec/resources-update/options-alone", test_options_alone);
  g_test_add_func ("/spec/resources-update/nothing", test_nothing);
  g_test_add_func ("/spec/resources-update/kernel-memory", test_kernel_memory);
  g_test_add_func ("/spec/resources-update/on-top-of-document", test_on_top_of_document);
  g_test_add_func ("/spec/resources-update/zero-leaves-cpu", test_zero_leaves_cpu);
  g_test_add_func ("/spec/resources-update/errors", test_errors);
  return g_test_run ();
}
