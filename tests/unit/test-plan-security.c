/* test-plan-security.c: unit tests of urun_plan_build_security(): small
 * specs become the security part of the init plan.  Capability masks and
 * the one warning for capabilities the kernel lacks (through the cap_last
 * seam), noNewPrivileges, the seccomp program, LSM labels asked for
 * without the LSM, personality, scheduler, I/O priority, CPU and node
 * lists. */
#include "config.h"

#include "util/urun-error.h"
#include "plan/urun-plan-parts.h"

#include <errno.h>
#include <sched.h>
#include <sys/personality.h>

typedef struct
{
  UrunSpec *spec;
  UrunPlanOwner *owner;
  GPtrArray *warnings;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->warnings = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  urun_spec_free (f->spec);
  urun_plan_owner_free (f->owner);
  g_ptr_array_unref (f->warnings);
}

static UrunPlanOwner *
owner_new (void)
{
  UrunPlanOwner *owner = g_new0 (UrunPlanOwner, 1);

  owner->allocations = g_ptr_array_new_with_free_func (g_free);
  owner->fds = g_array_new (FALSE, FALSE, sizeof (int));
  return owner;
}

/* Loads a config with @process_extra spliced into "process" and @linux_
 * as "linux", and builds the security plan with the kernel's last
 * capability @cap_last (0: the running kernel's). */
static gboolean
build (Fixture *f, const char *process_extra, const char *linux_, int cap_last, GError **error)
{
  g_autofree char *json = g_strdup_printf (
    "{ \"ociVersion\": \"1.2.0\","
    "  \"process\": { \"user\": { \"uid\": 0, \"gid\": 0 }, \"args\": [\"sh\"], \"cwd\": \"/\" %s%s },"
    "  \"root\": { \"path\": \"rootfs\" },"
    "  \"linux\": %s }",
    process_extra != NULL ? "," : "", process_extra != NULL ? process_extra : "",
    linux_ != NULL ? linux_ : "{}");
  UrunPlanOptions options = { 0 };

  options.id = "test";
  options.bundle = "/nonexistent";
  options.warnings = f->warnings;
  options.cap_last = cap_last;
  g_clear_pointer (&f->spec, urun_spec_free);
  g_clear_pointer (&f->owner, urun_plan_owner_free);
  g_ptr_array_set_size (f->warnings, 0);
  f->spec = urun_spec_load_data (json, -1, "config.json", error);
  if (f->spec == NULL)
    return FALSE;
  f->owner = owner_new ();
  return urun_plan_build_security (f->owner, f->spec, &options, error);
}

static const UrunInitPlan *
build_ok (Fixture *f, const char *process_extra, const char *linux_, int cap_last)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (build (f, process_extra, linux_, cap_last, &error));
  g_assert_no_error (error);
  return &f->owner->plan;
}

static void
build_fails (Fixture *f, const char *process_extra, const char *linux_, UrunErrorCode code,
             const char *message_part)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (build (f, process_extra, linux_, 0, &error));
  g_assert_error (error, URUN_ERROR, (gint) code);
  if (strstr (error->message, message_part) == NULL)
    g_error ("\"%s\" not in \"%s\"", message_part, error->message);
}

#define BIT(n) (G_GUINT64_CONSTANT (1) << (n))

static void
test_capabilities (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan;

  /* Absent: leave the process's capabilities alone. */
  plan = build_ok (f, NULL, NULL, 0);
  g_assert_false (plan->has_capabilities);
  g_assert_cmpint (plan->cap_last, >=, 36);

  plan = build_ok (f,
                   "\"capabilities\": {"
                   "  \"bounding\": [\"CAP_CHOWN\", \"CAP_KILL\", \"CAP_NET_RAW\", \"CAP_SYS_ADMIN\"],"
                   "  \"permitted\": [\"CAP_CHOWN\", \"CAP_KILL\", \"CAP_NET_RAW\"],"
                   "  \"effective\": [\"CAP_KILL\"],"
                   "  \"inheritable\": [\"CAP_NET_RAW\", \"CAP_KILL\"],"
                   "  \"ambient\": [\"CAP_NET_RAW\"] }",
                   NULL, 40);
  g_assert_true (plan->has_capabilities);
  g_assert_cmpint (plan->cap_last, ==, 40);
  g_assert_cmphex (plan->cap_bounding, ==, BIT (0) | BIT (5) | BIT (13) | BIT (21));
  g_assert_cmphex (plan->cap_permitted, ==, BIT (0) | BIT (5) | BIT (13));
  g_assert_cmphex (plan->cap_effective, ==, BIT (5));
  g_assert_cmphex (plan->cap_inheritable, ==, BIT (5) | BIT (13));
  g_assert_cmphex (plan->cap_ambient, ==, BIT (13));
  g_assert_cmpuint (f->warnings->len, ==, 0);

  /* An object with no sets: every set empty. */
  plan = build_ok (f, "\"capabilities\": {}", NULL, 40);
  g_assert_true (plan->has_capabilities);
  g_assert_cmphex (plan->cap_bounding | plan->cap_permitted | plan->cap_effective
                     | plan->cap_inheritable | plan->cap_ambient, ==, 0);
}

static void
test_capabilities_unknown_to_kernel (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan;
  const char *warning;

  /* A kernel whose last capability is CAP_AUDIT_READ (37): the three
   * newer ones are skipped, with one warning naming each once. */
  plan = build_ok (f,
                   "\"capabilities\": {"
                   "  \"bounding\": [\"CAP_CHOWN\", \"CAP_BPF\", \"CAP_PERFMON\", \"CAP_AUDIT_READ\"],"
                   "  \"permitted\": [\"CAP_CHOWN\", \"CAP_BPF\", \"CAP_CHECKPOINT_RESTORE\"],"
                   "  \"effective\": [\"CAP_BPF\"] }",
                   NULL, 37);
  g_assert_cmphex (plan->cap_bounding, ==, BIT (0) | BIT (37));
  g_assert_cmphex (plan->cap_permitted, ==, BIT (0));
  g_assert_cmphex (plan->cap_effective, ==, 0);
  g_assert_cmpuint (f->warnings->len, ==, 1);
  warning = g_ptr_array_index (f->warnings, 0);
  g_assert_nonnull (strstr (warning, "CAP_BPF, CAP_PERFMON, CAP_CHECKPOINT_RESTORE"));
  g_assert_nonnull (strstr (warning, "37"));
  g_assert_null (strstr (strstr (warning, "CAP_BPF") + 1, "CAP_BPF"));
}

static void
test_capabilities_not_capabilities (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan;
  const char *warning;

  /* Names that are no capability at all (runtime-spec 1.1: not an error):
   * ignored, with one warning naming each once. */
  plan = build_ok (f,
                   "\"capabilities\": {"
                   "  \"bounding\": [\"CAP_CHOWN\", \"CAP_FOO\", \"cap_kill\"],"
                   "  \"permitted\": [\"CAP_CHOWN\", \"CAP_FOO\"],"
                   "  \"ambient\": [\"CAP_41\"] }",
                   NULL, 40);
  g_assert_cmphex (plan->cap_bounding, ==, BIT (0));
  g_assert_cmphex (plan->cap_permitted, ==, BIT (0));
  g_assert_cmphex (plan->cap_ambient, ==, 0);
  g_assert_cmpuint (f->warnings->len, ==, 1);
  warning = g_ptr_array_index (f->warnings, 0);
  g_assert_cmpstr (warning, ==, "unknown capabilities, ignored: CAP_FOO, cap_kill, CAP_41");
}

static void
test_capabilities_refused (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan;

  /* What the kernel would refuse is left out, each kind with a warning. */
  plan = build_ok (f,
                   "\"capabilities\": {"
                   "  \"bounding\": [\"CAP_KILL\"],"
                   "  \"permitted\": [\"CAP_KILL\"],"
                   "  \"effective\": [\"CAP_KILL\", \"CAP_CHOWN\"],"
                   "  \"inheritable\": [\"CAP_KILL\", \"CAP_NET_RAW\"],"
                   "  \"ambient\": [\"CAP_KILL\", \"CAP_SETUID\"] }",
                   NULL, 40);
  g_assert_cmphex (plan->cap_effective, ==, BIT (5));
  g_assert_cmphex (plan->cap_inheritable, ==, BIT (5));
  g_assert_cmphex (plan->cap_ambient, ==, BIT (5));
  g_assert_cmpuint (f->warnings->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (f->warnings, 0), "CAP_CHOWN"));
  g_assert_nonnull (strstr (g_ptr_array_index (f->warnings, 1), "CAP_NET_RAW"));
  g_assert_nonnull (strstr (g_ptr_array_index (f->warnings, 2), "CAP_SETUID"));
}

static void
test_no_new_privileges_and_seccomp (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan;

  plan = build_ok (f, "\"noNewPrivileges\": true", NULL, 0);
  g_assert_true (plan->no_new_privileges);
  g_assert_null (plan->seccomp_bpf);

#if HAVE_SECCOMP
  plan = build_ok (f, NULL,
                   "{ \"seccomp\": { \"defaultAction\": \"SCMP_ACT_ALLOW\","
                   "  \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"],"
                   "  \"syscalls\": [ { \"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\" } ] } }",
                   0);
  g_assert_false (plan->no_new_privileges);
  g_assert_nonnull (plan->seccomp_bpf);
  g_assert_cmpuint (plan->seccomp_len, >, 3);
  g_assert_cmphex (plan->seccomp_flags, ==, 2);
  g_assert_false (plan->seccomp_notify);

  plan = build_ok (f, NULL,
                   "{ \"seccomp\": { \"defaultAction\": \"SCMP_ACT_ALLOW\","
                   "  \"listenerPath\": \"/run/l.sock\", \"listenerMetadata\": \"m\","
                   "  \"syscalls\": [ { \"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\" } ] } }",
                   0);
  g_assert_true (plan->seccomp_notify);
  g_assert_cmphex (plan->seccomp_flags, ==, 8);
#endif
}

static void
test_lsm_absent (Fixture *f, gconstpointer data)
{
  if (g_file_test ("/sys/module/apparmor/parameters/enabled", G_FILE_TEST_EXISTS))
    g_test_message ("AppArmor module present: the absent-LSM case may not apply");
  else
    build_fails (f, "\"apparmorProfile\": \"urun-test\"", NULL, URUN_ERROR_NOT_SUPPORTED,
                 "AppArmor is not enabled");

  if (g_file_test ("/sys/fs/selinux/enforce", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("SELinux is enabled here");
      return;
    }
  build_fails (f, "\"selinuxLabel\": \"system_u:system_r:container_t:s0\"", NULL,
               URUN_ERROR_NOT_SUPPORTED, "SELinux is not enabled");
  build_fails (f, NULL, "{ \"mountLabel\": \"system_u:object_r:container_file_t:s0\" }",
               URUN_ERROR_NOT_SUPPORTED, "linux.mountLabel");
  /* Empty labels ask for nothing. */
  build_ok (f, "\"selinuxLabel\": \"\", \"apparmorProfile\": \"\"", NULL, 0);
}

static void
test_personality_scheduler_ioprio (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan;

  plan = build_ok (f,
                   "\"scheduler\": { \"policy\": \"SCHED_BATCH\", \"nice\": 5,"
                   "  \"flags\": [\"SCHED_FLAG_RESET_ON_FORK\"] },"
                   "\"ioPriority\": { \"class\": \"IOPRIO_CLASS_BE\", \"priority\": 6 }",
                   "{ \"personality\": { \"domain\": \"LINUX32\" } }", 0);
  g_assert_true (plan->has_personality);
  g_assert_cmpuint (plan->personality, ==, PER_LINUX32);
  g_assert_true (plan->has_scheduler);
  g_assert_cmpuint (plan->sched_policy, ==, SCHED_BATCH);
  g_assert_cmpint (plan->sched_nice, ==, 5);
  g_assert_cmphex (plan->sched_flags, ==, 1);
  g_assert_true (plan->has_ioprio);
  g_assert_cmphex (plan->ioprio, ==, (2 << 13) | 6);

  plan = build_ok (f, NULL, NULL, 0);
  g_assert_false (plan->has_personality);
  g_assert_false (plan->has_scheduler);
  g_assert_false (plan->has_ioprio);
}

static void
test_id_lists (void)
{
  g_autoptr (GError) error = NULL;
  gulong *mask = NULL;
  gsize nbits = 0;
  const char *bad[] = { "x", "1-", "-1", "3-1", "1,,2", "1 ,2", "0-99999999", "," };

  g_assert_true (urun_plan_parse_id_list ("0-3,7", "w", &mask, &nbits, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (nbits, ==, 8);
  g_assert_cmphex (mask[0], ==, 0x8f);
  g_free (mask);

  g_assert_true (urun_plan_parse_id_list ("70,1", "w", &mask, &nbits, &error));
  g_assert_cmpuint (nbits, ==, 71);
  g_assert_cmphex (mask[0], ==, 2);
  g_assert_cmphex (mask[1], ==, G_GUINT64_CONSTANT (1) << 6);
  g_free (mask);

  g_assert_true (urun_plan_parse_id_list ("", "w", &mask, &nbits, &error));
  g_assert_null (mask);
  g_assert_cmpuint (nbits, ==, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (urun_plan_parse_id_list (bad[i], "some.path", &mask, &nbits, &error));
      g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
      g_assert_nonnull (strstr (error->message, "some.path"));
      g_clear_error (&error);
    }
}

static void
test_cpu_affinity_and_mempolicy (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan;
  const gulong *mask;

  plan = build_ok (f, "\"execCPUAffinity\": { \"initial\": \"0\", \"final\": \"0-1\" }",
                   "{ \"memoryPolicy\": { \"mode\": \"MPOL_BIND\", \"nodes\": \"0\","
                   "  \"flags\": [\"MPOL_F_STATIC_NODES\"] } }", 0);
  mask = plan->cpu_affinity_initial;
  g_assert_nonnull (mask);
  g_assert_cmpuint (plan->cpu_affinity_initial_size, ==, sizeof (gulong));
  g_assert_cmphex (mask[0], ==, 1);
  mask = plan->cpu_affinity_final;
  g_assert_cmphex (mask[0], ==, 3);
  g_assert_true (plan->has_mempolicy);
  g_assert_cmpint (plan->mempolicy_mode, ==, 2 | (1 << 15));
  g_assert_cmphex (plan->mempolicy_nodes[0], ==, 1);
  g_assert_cmpuint (plan->mempolicy_maxnode, ==, 2);

  /* initial without final: afterwards every CPU the cgroup allows. */
  plan = build_ok (f, "\"execCPUAffinity\": { \"initial\": \"1\" }", NULL, 0);
  mask = plan->cpu_affinity_final;
  g_assert_nonnull (mask);
  g_assert_cmpuint (plan->cpu_affinity_final_size, >=, 1024 / 8);
  g_assert_cmphex (mask[0], ==, G_MAXULONG);

  plan = build_ok (f, NULL, "{ \"memoryPolicy\": { \"mode\": \"MPOL_LOCAL\" } }", 0);
  g_assert_true (plan->has_mempolicy);
  g_assert_null (plan->mempolicy_nodes);
  g_assert_cmpuint (plan->mempolicy_maxnode, ==, 0);

  build_fails (f, NULL, "{ \"memoryPolicy\": { \"mode\": \"MPOL_DEFAULT\", \"nodes\": \"0\" } }",
               URUN_ERROR_INVALID_CONFIG, "must be empty");
  build_fails (f, NULL, "{ \"memoryPolicy\": { \"mode\": \"MPOL_INTERLEAVE\" } }",
               URUN_ERROR_INVALID_CONFIG, "needs at least one node");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/plan-security/capabilities", test_capabilities);
  ADD ("/plan-security/capabilities-unknown-to-kernel", test_capabilities_unknown_to_kernel);
  ADD ("/plan-security/capabilities-not-capabilities", test_capabilities_not_capabilities);
  ADD ("/plan-security/capabilities-refused", test_capabilities_refused);
  ADD ("/plan-security/no-new-privileges-and-seccomp", test_no_new_privileges_and_seccomp);
  ADD ("/plan-security/lsm-absent", test_lsm_absent);
  ADD ("/plan-security/personality-scheduler-ioprio", test_personality_scheduler_ioprio);
  ADD ("/plan-security/cpu-affinity-and-mempolicy", test_cpu_affinity_and_mempolicy);
#undef ADD
  g_test_add_func ("/plan-security/id-lists", test_id_lists);
  return g_test_run ();
}
