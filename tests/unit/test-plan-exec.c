/* test-plan-exec.c: unit tests of the process an `exec` runs and its plan
 * (urun_exec_process_build(), urun_plan_exec_build()): runc's semantics
 * for the command line on top of the container's process (args, -t never
 * inherited, cwd, -e appended and replacing, -u, -g, --cap into bounding,
 * effective, permitted and ambient only with an inheritable set,
 * --no-new-privs, --apparmor, --process-label), --process objects taking
 * what they leave out from the container, bad options, and the plan's
 * fields (argv, envp, PATH, user, rlimits, terminal without /dev/console,
 * capability masks, preserved fds). */
#include "config.h"

#include "util/urun-error.h"
#include "plan/urun-plan-exec.h"

#include <string.h>
#include <sys/resource.h>

#define CONFIG_PROCESS                                                                      \
  "{ \"terminal\": true, \"consoleSize\": { \"height\": 10, \"width\": 40 },"               \
  "  \"user\": { \"uid\": 0, \"gid\": 0, \"umask\": 18, \"additionalGids\": [ 10 ] },"      \
  "  \"args\": [ \"init\" ], \"cwd\": \"/srv\","                                             \
  "  \"env\": [ \"PATH=/bin:/sbin\", \"HOME=/root\", \"TERM=xterm\" ],"                     \
  "  \"capabilities\": { \"bounding\": [ \"CAP_KILL\" ], \"effective\": [ \"CAP_KILL\" ],"   \
  "                      \"permitted\": [ \"CAP_KILL\" ] },"                                 \
  "  \"rlimits\": [ { \"type\": \"RLIMIT_NOFILE\", \"soft\": 100, \"hard\": 200 } ],"        \
  "  \"noNewPrivileges\": false, \"oomScoreAdj\": 5 }"

static JsonObject *
object_from (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static UrunSpecProcess *
build_cli (const char *config, const UrunExecOptions *options, GError **error)
{
  g_autoptr (JsonObject) object = config ? object_from (config) : NULL;

  return urun_exec_process_build (object, NULL, options, "exec", error);
}

static gboolean
strv_equal (char **got, const char *const *want)
{
  return g_strv_equal ((const char *const *) got, want);
}

static void
test_command_line_defaults (void)
{
  const char *const args[] = { "ls", "-l", NULL };
  UrunExecOptions options = { .args = args };
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpecProcess) p = build_cli (CONFIG_PROCESS, &options, &error);
  const char *const env[] = { "PATH=/bin:/sbin", "HOME=/root", "TERM=xterm", NULL };

  g_assert_no_error (error);
  g_assert_true (strv_equal (p->args, args));
  /* The container's terminal never carries over: only -t gives one. */
  g_assert_false (p->terminal);
  g_assert_cmpstr (p->cwd, ==, "/srv");
  g_assert_true (strv_equal (p->env, env));
  g_assert_cmpuint (p->user->uid, ==, 0);
  g_assert_true (p->user->has_umask);
  g_assert_cmpuint (p->user->umask, ==, 18);
  g_assert_cmpuint (p->n_rlimits, ==, 1);
  g_assert_false (p->has_oom_score_adj);
  g_assert_nonnull (p->capabilities);
  g_assert_false (p->no_new_privileges);
}

static void
test_command_line_overrides (void)
{
  const char *const args[] = { "id", NULL };
  const char *const env[] = { "FOO=1", "HOME=/home/x", "FOO=2", NULL };
  const char *const gids[] = { "20", "30", NULL };
  const char *const caps[] = { "CAP_NET_ADMIN", "sys_time", "CAP_KILL", NULL };
  UrunExecOptions options = {
    .args = args, .cwd = "/tmp", .env = env, .user = "1000:1001", .additional_gids = gids,
    .caps = caps, .no_new_privs = TRUE, .apparmor = "prof", .process_label = "lab",
    .tty = TRUE,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpecProcess) p = build_cli (CONFIG_PROCESS, &options, &error);
  const char *const want_env[] = { "PATH=/bin:/sbin", "HOME=/home/x", "TERM=xterm", "FOO=2",
                                   NULL };
  const char *const want_caps[] = { "CAP_KILL", "CAP_NET_ADMIN", "CAP_SYS_TIME", NULL };

  g_assert_no_error (error);
  g_assert_true (p->terminal);
  g_assert_cmpstr (p->cwd, ==, "/tmp");
  /* Appended; a name given again replaces the value where it stood. */
  g_assert_true (strv_equal (p->env, want_env));
  g_assert_cmpuint (p->user->uid, ==, 1000);
  g_assert_cmpuint (p->user->gid, ==, 1001);
  g_assert_cmpuint (p->user->n_additional_gids, ==, 3);
  g_assert_cmpuint (p->user->additional_gids[0], ==, 10);
  g_assert_cmpuint (p->user->additional_gids[1], ==, 20);
  g_assert_cmpuint (p->user->additional_gids[2], ==, 30);
  g_assert_true (strv_equal (p->capabilities->bounding, want_caps));
  g_assert_true (strv_equal (p->capabilities->effective, want_caps));
  g_assert_true (strv_equal (p->capabilities->permitted, want_caps));
  /* No inheritable set in the container's process: no ambient either. */
  g_assert_null (p->capabilities->ambient);
  g_assert_true (p->no_new_privileges);
  g_assert_cmpstr (p->apparmor_profile, ==, "prof");
  g_assert_cmpstr (p->selinux_label, ==, "lab");
}

static void
test_command_line_uid_only (void)
{
  const char *const args[] = { "id", NULL };
  UrunExecOptions options = { .args = args, .user = "7" };
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpecProcess) p =
    build_cli ("{ \"user\": { \"uid\": 1, \"gid\": 2 }, \"cwd\": \"/\", \"args\": [\"x\"] }",
               &options, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (p->user->uid, ==, 7);
  g_assert_cmpuint (p->user->gid, ==, 2);
}

static void
test_cap_ambient_with_inheritable (void)
{
  const char *const args[] = { "id", NULL };
  const char *const caps[] = { "CAP_CHOWN", NULL };
  const char *const want[] = { "CAP_CHOWN", NULL };
  UrunExecOptions options = { .args = args, .caps = caps };
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpecProcess) p = build_cli (
    "{ \"user\": { \"uid\": 0, \"gid\": 0 }, \"cwd\": \"/\", \"args\": [\"x\"],"
    "  \"capabilities\": { \"inheritable\": [] } }", &options, &error);

  g_assert_no_error (error);
  g_assert_true (strv_equal (p->capabilities->ambient, want));
  g_assert_true (strv_equal (p->capabilities->bounding, want));
  g_assert_cmpuint (g_strv_length (p->capabilities->inheritable), ==, 0);
}

static void
test_bad_options (void)
{
  const char *const args[] = { "id", NULL };
  const char *const bad_env[] = { "NOEQUALS", NULL };
  const char *const bad_gid[] = { "wheel", NULL };
  const char *const big_gid[] = { "4294967295", NULL };
  struct
  {
    UrunExecOptions options;
    const char *message;
  } cases[] = {
    { { .args = args, .user = "root" }, "--user: expected a numeric id between 0 and 2147483647, got `root`" },
    { { .args = args, .user = "1:x" }, "--user: expected a numeric id between 0 and 2147483647, got `1:x`" },
    /* (uid_t) -1 would leave the process root (issue 19). */
    { { .args = args, .user = "4294967295" },
      "--user: expected a numeric id between 0 and 2147483647, got `4294967295`" },
    { { .args = args, .user = "0:2147483648" },
      "--user: expected a numeric id between 0 and 2147483647, got `0:2147483648`" },
    { { .args = args, .additional_gids = big_gid },
      "--additional-gids: expected a numeric id between 0 and 2147483647, got `4294967295`" },
    { { .args = args, .env = bad_env }, "--env: expected NAME=VALUE, got `NOEQUALS`" },
    { { .args = args, .additional_gids = bad_gid },
      "--additional-gids: expected a numeric id between 0 and 2147483647, got `wheel`" },
    { { .args = args, .cwd = "relative" }, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (UrunSpecProcess) p = build_cli (CONFIG_PROCESS, &cases[i].options, &error);

      g_assert_null (p);
      g_assert_nonnull (error);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      else
        g_assert_true (g_str_has_prefix (error->message, "exec: cwd"));
    }
}

/* A --process file goes through the spec's validation: no id that set*id
 * would take as "unchanged" (issue 19). */
static void
test_process_file_big_ids (void)
{
  const char *const files[][2] = {
    { "{ \"user\": { \"uid\": 4294967295, \"gid\": 0 }, \"args\": [\"id\"], \"cwd\": \"/\" }",
      "process.json: user.uid: expected an id between 0 and 2147483647, got 4294967295" },
    { "{ \"user\": { \"uid\": 0, \"gid\": 2147483648 }, \"args\": [\"id\"], \"cwd\": \"/\" }",
      "process.json: user.gid: expected an id between 0 and 2147483647, got 2147483648" },
    { "{ \"user\": { \"uid\": 0, \"gid\": 0, \"additionalGids\": [1, 4294967295] },"
      "  \"args\": [\"id\"], \"cwd\": \"/\" }",
      "process.json: user.additionalGids[1]: expected an id between 0 and 2147483647, got "
      "4294967295" },
    { "{ \"user\": { \"uid\": 0, \"gid\": 0 }, \"args\": [\"sh\", \"-c\\u0000rm\"], \"cwd\": \"/\" }",
      "process.json: args[1]: the string holds a NUL character (\\u0000), which would cut it "
      "short: remove it" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr (JsonObject) given = object_from (files[i][0]);
      UrunExecOptions options = { .process_file = "process.json" };
      g_autoptr (GError) error = NULL;
      g_autoptr (UrunSpecProcess) p = NULL;

      /* NUL: the file's own text is what gets scanned. */
      if (strstr (files[i][0], "\\u0000") != NULL)
        p = urun_spec_process_load_data (files[i][0], -1, "process.json", &error);
      else
        p = urun_exec_process_build (NULL, given, &options, "process.json", &error);
      g_assert_null (p);
      g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
      g_assert_cmpstr (error->message, ==, files[i][1]);
    }
}

static void
test_process_file_inherits (void)
{
  g_autoptr (JsonObject) config = object_from (CONFIG_PROCESS);
  g_autoptr (JsonObject) given = object_from (
    "{ \"user\": { \"uid\": 5, \"gid\": 5 }, \"args\": [\"top\"], \"cwd\": \"/\","
    "  \"env\": [ \"A=b\" ], \"terminal\": false, \"apparmorProfile\": \"\" }");
  UrunExecOptions options = { .process_file = "process.json" };
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpecProcess) p = urun_exec_process_build (config, given, &options,
                                                           "process.json", &error);
  const char *const env[] = { "A=b", NULL };

  g_assert_no_error (error);
  g_assert_cmpuint (p->user->uid, ==, 5);
  g_assert_true (strv_equal (p->env, env));
  /* What the object leaves out comes from the container's process. */
  g_assert_nonnull (p->capabilities);
  g_assert_cmpuint (p->n_rlimits, ==, 1);
  g_assert_true (p->user->has_umask);
  g_assert_cmpuint (p->user->umask, ==, 18);
  /* What it gives stays. */
  g_assert_null (p->user->additional_gids);
  g_assert_false (p->terminal);
}

static void
test_process_file_overrides (void)
{
  g_autoptr (JsonObject) config = object_from (CONFIG_PROCESS);
  g_autoptr (JsonObject) given = object_from (
    "{ \"user\": { \"uid\": 5, \"gid\": 5 }, \"args\": [\"top\"], \"cwd\": \"/\","
    "  \"env\": [ \"A=b\" ] }");
  const char *const env[] = { "A=c", "B=d", NULL };
  UrunExecOptions options = { .process_file = "process.json", .cwd = "/tmp", .env = env,
                              .user = "6:7", .tty = TRUE, .no_new_privs = TRUE };
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpecProcess) p = urun_exec_process_build (config, given, &options,
                                                           "process.json", &error);

  g_assert_no_error (error);
  /* Options given with --process still apply on top of the file. */
  g_assert_true (strv_equal (p->env, env));
  g_assert_cmpstr (p->cwd, ==, "/tmp");
  g_assert_cmpuint (p->user->uid, ==, 6);
  g_assert_cmpuint (p->user->gid, ==, 7);
  g_assert_true (p->terminal);
  g_assert_true (p->no_new_privileges);
  g_assert_cmpstr (p->args[0], ==, "top");
}

static void
test_process_file_invalid (void)
{
  g_autoptr (JsonObject) given = object_from ("{ \"args\": [\"top\"], \"cwd\": \"/\" }");
  UrunExecOptions options = { .process_file = "p.json" };
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpecProcess) p = urun_exec_process_build (NULL, given, &options, "p.json",
                                                           &error);

  g_assert_null (p);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "p.json: user"));
}

static void
test_plan (void)
{
  const char *const args[] = { "ls", NULL };
  const char *const caps[] = { "CAP_NET_ADMIN", NULL };
  UrunExecOptions exec_options = { .args = args, .tty = TRUE, .caps = caps };
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpecProcess) p = build_cli (CONFIG_PROCESS, &exec_options, &error);
  g_autoptr (UrunSpec) spec = urun_spec_load_data (
    "{ \"ociVersion\": \"1.2.0\", \"root\": { \"path\": \"rootfs\" },"
    "  \"process\": " CONFIG_PROCESS " }", -1, "config.json", &error);
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  UrunPlanOptions options = { .preserve_fds = 2, .warnings = warnings, .cap_last = 40 };
  g_autoptr (UrunPlanOwner) owner = NULL;
  const UrunInitPlan *plan;

  g_assert_no_error (error);
  owner = urun_plan_exec_build (spec, p, &options, &error);
  g_assert_no_error (error);
  plan = &owner->plan;
  g_assert_cmpstr (plan->argv[0], ==, "ls");
  g_assert_null (plan->argv[1]);
  g_assert_cmpstr (plan->envp[0], ==, "PATH=/bin:/sbin");
  g_assert_cmpstr (plan->path_env, ==, "/bin:/sbin");
  g_assert_cmpstr (plan->cwd, ==, "/srv");
  g_assert_true (plan->terminal);
  g_assert_false (plan->create_console);
  g_assert_cmpuint (plan->console_rows, ==, 10);
  g_assert_cmpuint (plan->console_cols, ==, 40);
  g_assert_cmpuint (plan->n_additional_gids, ==, 1);
  g_assert_true (plan->has_umask);
  g_assert_cmpuint (plan->n_rlimits, ==, 1);
  g_assert_cmpint (plan->rlimits[0].resource, ==, RLIMIT_NOFILE);
  g_assert_cmpuint (plan->rlimits[0].limit.rlim_cur, ==, 100);
  g_assert_true (plan->has_capabilities);
  g_assert_cmphex (plan->cap_bounding, ==, (1u << 5) | (1u << 12));
  g_assert_cmphex (plan->cap_effective, ==, (1u << 5) | (1u << 12));
  g_assert_cmpint (plan->preserve_fds, ==, 2);
  g_assert_cmpuint (plan->n_joins, ==, 0);
  g_assert_cmpint (plan->sync_fd, ==, -1);
  g_assert_cmpuint (plan->n_mounts, ==, 0);
  g_assert_null (plan->hostname);
  g_assert_cmpuint (warnings->len, ==, 0);
}

static void
test_plan_default_path (void)
{
  const char *const args[] = { "ls", NULL };
  UrunExecOptions exec_options = { .args = args };
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpecProcess) p =
    build_cli ("{ \"user\": { \"uid\": 0, \"gid\": 0 }, \"cwd\": \"/\", \"args\": [\"x\"] }",
               &exec_options, &error);
  g_autoptr (UrunSpec) spec = urun_spec_load_data (
    "{ \"ociVersion\": \"1.2.0\", \"root\": { \"path\": \"rootfs\" } }", -1, "config.json",
    &error);
  UrunPlanOptions options = { .cap_last = 40 };
  g_autoptr (UrunPlanOwner) owner = NULL;

  g_assert_no_error (error);
  owner = urun_plan_exec_build (spec, p, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (owner->plan.path_env, ==,
                   "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  /* No env at all: only the HOME entry init fills from /etc/passwd. */
  g_assert_nonnull (owner->plan.envp);
  g_assert_cmpstr (owner->plan.envp[0], ==, "HOME=/");
  g_assert_true (owner->plan.envp[0] == owner->plan.home_env);
  g_assert_null (owner->plan.envp[1]);
  g_assert_false (owner->plan.has_capabilities);
  g_assert_false (owner->plan.terminal);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plan-exec/command-line/defaults", test_command_line_defaults);
  g_test_add_func ("/plan-exec/command-line/overrides", test_command_line_overrides);
  g_test_add_func ("/plan-exec/command-line/uid-only", test_command_line_uid_only);
  g_test_add_func ("/plan-exec/command-line/cap-ambient", test_cap_ambient_with_inheritable);
  g_test_add_func ("/plan-exec/command-line/bad", test_bad_options);
  g_test_add_func ("/plan-exec/process-file/inherits", test_process_file_inherits);
  g_test_add_func ("/plan-exec/process-file/big-ids", test_process_file_big_ids);
  g_test_add_func ("/plan-exec/process-file/overrides", test_process_file_overrides);
  g_test_add_func ("/plan-exec/process-file/invalid", test_process_file_invalid);
  g_test_add_func ("/plan-exec/plan", test_plan);
  g_test_add_func ("/plan-exec/plan/default-path", test_plan_default_path);
  return g_test_run ();
}
