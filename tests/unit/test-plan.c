/* test-plan.c: unit tests of urun_plan_build(), the spec -> init plan step
 * (DESIGN.md calls it the main unit-test target): namespaces (the fast and
 * the staged path, the user namespace joined first, cgroup and time
 * namespaces left to init), the process (argv, environment, PATH,
 * socket-activation fds), limits, hooks, and the errors of a plan that
 * cannot work. */
#include "config.h"

#include "util/urun-error.h"
#include "plan/urun-plan-build.h"

#include <glib/gstdio.h>
#include <sched.h>
#include <sys/resource.h>

typedef struct
{
  char *bundle; /* a temporary bundle with an empty rootfs/ */
  const char *root_path; /* root.path, "rootfs" when NULL */
  UrunSpec *spec;
  UrunPlanOwner *owner;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *rootfs = NULL;

  f->bundle = g_dir_make_tmp ("urun-plan-XXXXXX", &error);
  g_assert_no_error (error);
  rootfs = g_build_filename (f->bundle, "rootfs", NULL);
  g_assert_cmpint (g_mkdir (rootfs, 0755), ==, 0);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *rootfs = g_build_filename (f->bundle, "rootfs", NULL);

  g_rmdir (rootfs);
  g_rmdir (f->bundle);
  g_free (f->bundle);
  urun_spec_free (f->spec);
  urun_plan_owner_free (f->owner);
}

/* Builds the plan of a config with @process and @linux_ (JSON members,
 * NULL for defaults) and optional @extra top-level members. */
static gboolean
build (Fixture *f, const char *process, const char *linux_, const char *extra,
       const UrunPlanOptions *given, GError **error)
{
  g_autofree char *json = g_strdup_printf (
    "{ \"ociVersion\": \"1.2.0\", \"root\": { \"path\": \"%s\" },"
    "  \"process\": %s, \"linux\": %s %s }",
    f->root_path != NULL ? f->root_path : "rootfs",
    process != NULL ? process
                    : "{ \"user\": { \"uid\": 0, \"gid\": 0 }, \"args\": [\"sh\"], \"cwd\": \"/\" }",
    linux_ != NULL ? linux_ : "{ \"namespaces\": [ { \"type\": \"mount\" } ] }",
    extra != NULL ? extra : "");
  UrunPlanOptions options = { 0 };

  if (given != NULL)
    options = *given;
  options.id = "t";
  options.bundle = f->bundle;
  options.privileged = TRUE;
  g_clear_pointer (&f->spec, urun_spec_free);
  g_clear_pointer (&f->owner, urun_plan_owner_free);
  f->spec = urun_spec_load_data (json, -1, "config.json", error);
  if (f->spec == NULL)
    return FALSE;
  f->owner = urun_plan_build (f->spec, &options, error);
  return f->owner != NULL;
}

static const UrunInitPlan *
build_ok (Fixture *f, const char *process, const char *linux_, const char *extra,
          const UrunPlanOptions *options)
{
  g_autoptr (GError) error = NULL;

  gboolean ok = build (f, process, linux_, extra, options, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  return &f->owner->plan;
}

static void
test_fast_path (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan = build_ok (
    f, NULL,
    "{ \"namespaces\": [ {\"type\":\"pid\"}, {\"type\":\"mount\"}, {\"type\":\"ipc\"},"
    "  {\"type\":\"uts\"}, {\"type\":\"network\"}, {\"type\":\"cgroup\"}, {\"type\":\"user\"} ],"
    "  \"uidMappings\": [ {\"containerID\":0, \"hostID\":1000, \"size\":1} ],"
    "  \"gidMappings\": [ {\"containerID\":0, \"hostID\":1000, \"size\":1} ] }",
    NULL, NULL);

  g_assert_false (plan->staged);
  g_assert_cmpint (plan->n_joins, ==, 0);
  g_assert_cmphex (plan->clone_flags, ==,
                   CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWUSER);
  g_assert_true (plan->new_userns);
  /* The network namespace is init's to make, while it waits for GO. */
  g_assert_true (plan->new_netns);
  /* The cgroup namespace waits until init is in its cgroup. */
  g_assert_true (plan->new_cgroupns);
  g_assert_false (plan->new_timens);
}

static void
test_staged_path (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan = build_ok (
    f, NULL,
    "{ \"namespaces\": [ {\"type\":\"pid\"}, {\"type\":\"mount\"},"
    "  {\"type\":\"network\", \"path\": \"/proc/self/ns/net\"},"
    "  {\"type\":\"uts\", \"path\": \"/proc/self/ns/uts\"},"
    "  {\"type\":\"user\", \"path\": \"/proc/self/ns/user\"} ] }",
    NULL, NULL);

  g_assert_true (plan->staged);
  g_assert_cmpint (plan->clone_flags, ==, 0);
  g_assert_cmphex (plan->unshare_flags, ==, CLONE_NEWPID | CLONE_NEWNS);
  g_assert_false (plan->new_netns);
  g_assert_cmpint (plan->n_joins, ==, 3);
  /* The user namespace is joined first, whatever the config's order. */
  g_assert_cmphex (plan->joins[0].nstype, ==, CLONE_NEWUSER);
  g_assert_cmphex (plan->joins[1].nstype | plan->joins[2].nstype, ==,
                   CLONE_NEWNET | CLONE_NEWUTS);
  for (gsize i = 0; i < plan->n_joins; i++)
    g_assert_cmpint (plan->joins[i].fd, >=, 0);
  g_assert_false (plan->new_userns);
}

static void
test_time_namespace (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan = build_ok (
    f, NULL,
    "{ \"namespaces\": [ {\"type\":\"mount\"}, {\"type\":\"time\"} ],"
    "  \"timeOffsets\": { \"monotonic\": { \"secs\": 3600, \"nanosecs\": 5 } } }",
    NULL, NULL);

  /* Init unshares it and writes the offsets; the clone does not. */
  g_assert_true (plan->new_timens);
  g_assert_cmphex (plan->clone_flags, ==, CLONE_NEWNS);
  g_assert_cmpstr (plan->timens_offsets, ==, "monotonic 3600 5\n");
}

/* A namespace type that is not listed is inherited, the mount namespace
 * too: the container runs in the caller's with chroot semantics, and init
 * mounts nothing (no devices, no /dev/console for a terminal). */
static void
test_no_mount_namespace (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan = build_ok (
    f, "{ \"user\": { \"uid\": 0, \"gid\": 0 }, \"args\": [\"sh\"], \"cwd\": \"/\","
       "  \"terminal\": true }",
    "{ \"namespaces\": [ {\"type\":\"pid\"} ] }", NULL, NULL);

  g_assert_true (plan->chroot_only);
  g_assert_cmphex (plan->clone_flags, ==, CLONE_NEWPID);
  g_assert_cmpint (plan->n_mounts, ==, 0);
  g_assert_cmpint (plan->n_devices, ==, 0);
  g_assert_false (plan->create_console);
  g_assert_true (plan->terminal);
  g_assert_cmphex (plan->root_propagation, ==, 0);
}

/* A mount namespace joined by path is somebody else's: the same. */
static void
test_joined_mount_namespace (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan = build_ok (
    f, NULL, "{ \"namespaces\": [ {\"type\":\"mount\", \"path\": \"/proc/self/ns/mnt\"} ] }",
    NULL, NULL);

  g_assert_true (plan->chroot_only);
  g_assert_true (plan->staged);
  g_assert_cmpint (plan->n_joins, ==, 1);
  g_assert_cmphex (plan->joins[0].nstype, ==, CLONE_NEWNS);
  g_assert_cmpint (plan->n_devices, ==, 0);

  plan = build_ok (f, NULL, NULL, NULL, NULL);
  g_assert_false (plan->chroot_only);
  g_assert_cmpint (plan->n_devices, >, 0);
}

/* Whatever would be a mount in a namespace that is not the container's is
 * refused, naming the field. */
static void
test_no_mount_namespace_refuses_mounts (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *linux_extra;
    const char *extra;
    const char *what;
  } cases[] = {
    { "", ", \"mounts\": [ { \"destination\": \"/proc\", \"type\": \"proc\" } ]", "mounts" },
    { ", \"maskedPaths\": [\"/proc/kcore\"]", "", "linux.maskedPaths" },
    { ", \"readonlyPaths\": [\"/proc/sys\"]", "", "linux.readonlyPaths" },
    { ", \"devices\": [ { \"path\": \"/dev/fuse\", \"type\": \"c\", \"major\": 10,"
      " \"minor\": 229 } ]", "", "linux.devices" },
    { ", \"rootfsPropagation\": \"shared\"", "", "linux.rootfsPropagation" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    for (gsize joined = 0; joined < 2; joined++)
      {
        g_autoptr (GError) error = NULL;
        g_autofree char *linux_ = g_strdup_printf (
          "{ \"namespaces\": [ %s ] %s }",
          joined ? "{\"type\":\"mount\", \"path\": \"/proc/self/ns/mnt\"}" : "{\"type\":\"pid\"}",
          cases[i].linux_extra);
        g_autofree char *expected = g_strdup_printf (
          "config.json: %s: needs a mount namespace of the container's own, and "
          "linux.namespaces has none (a mount namespace that is not listed is the caller's, "
          "one joined by path is another's, and urun mounts nothing there); add "
          "{\"type\": \"mount\"} to linux.namespaces, or leave %s out",
          cases[i].what, cases[i].what);

        g_assert_false (build (f, NULL, linux_, cases[i].extra, NULL, &error));
        g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
        g_assert_cmpstr (error->message, ==, expected);
      }
}

/* The caller's root as the rootfs: refused with a mount namespace of the
 * container's own, allowed (chroot to "/") without one. */
static void
test_rootfs_is_caller_root (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const UrunInitPlan *plan;

  f->root_path = "/";
  g_assert_false (build (f, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "config.json: root.path: `/` is the host's root directory; a container "
                   "with a mount namespace of its own needs a root filesystem of its own (to "
                   "run in the host's filesystem, leave \"mount\" out of linux.namespaces, "
                   "and the mounts with it)");

  plan = build_ok (f, NULL, "{ \"namespaces\": [ {\"type\":\"pid\"} ] }", NULL, NULL);
  g_assert_true (plan->chroot_only);
  g_assert_cmpstr (plan->rootfs, ==, "/");
  f->root_path = NULL;
}

/* A bind onto /dev: no devices or links are made in what it shows. */
static void
test_dev_from_host (Fixture *f, gconstpointer data)
{
  g_autofree char *mounts = g_strdup_printf (
    ", \"mounts\": [ { \"destination\": \"/dev/\", \"type\": \"bind\", \"source\": \"%s\","
    "  \"options\": [\"rbind\"] } ]", f->bundle);
  const UrunInitPlan *plan = build_ok (f, NULL, NULL, mounts, NULL);

  g_assert_true (plan->dev_from_host);
  g_assert_cmpint (plan->n_devices, ==, 0);

  plan = build_ok (f, NULL, NULL, ", \"mounts\": [ { \"destination\": \"/dev\", \"type\": \"tmpfs\","
                   "  \"source\": \"tmpfs\" } ]", NULL);
  g_assert_false (plan->dev_from_host);
  g_assert_cmpint (plan->n_devices, >, 0);
}

/* mounts[]: a bind of the bundle at /vol with @propagation, a tmpfs in it. */
static char *
shared_bind_mounts (Fixture *f, const char *propagation)
{
  return g_strdup_printf (
    ", \"mounts\": [ { \"destination\": \"/vol\", \"type\": \"bind\", \"source\": \"%s\","
    "  \"options\": [\"rbind\", \"%s\"] },"
    "  { \"destination\": \"/vol/sub\", \"type\": \"tmpfs\", \"source\": \"tmpfs\" } ]",
    f->bundle, propagation);
}

/* Under rootfsPropagation shared, a bind that asks to stay shared is a
 * peer of the host's mount: nothing of urun's may be mounted inside it. */
static void
test_shared_bind_keeps_urun_out (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *shared = shared_bind_mounts (f, "rshared");
  g_autofree char *slave = shared_bind_mounts (f, "rslave");
  const char *linux_ = "{ \"namespaces\": [ {\"type\":\"mount\"} ], \"rootfsPropagation\": \"rshared\" }";

  g_assert_false (build (f, NULL, linux_, shared, NULL, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "config.json: mounts[1]: `/vol/sub` is inside mounts[0] (`/vol`), a bind "
                   "that stays shared with the host under linux.rootfsPropagation \"rshared\"; "
                   "what urun mounts there would appear on the host too: move it elsewhere, or "
                   "drop the shared option of mounts[0]");
  g_clear_error (&error);

  /* A bind that is no peer of the host's, or no shared "/": fine. */
  build_ok (f, NULL, linux_, slave, NULL);
  build_ok (f, NULL, NULL, shared, NULL);
}

static void
test_missing_rootfs (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *rootfs = g_build_filename (f->bundle, "rootfs", NULL);
  g_autofree char *expected = NULL;

  g_rmdir (rootfs);
  g_assert_false (build (f, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_NOT_FOUND);
  expected = g_strdup_printf ("config.json: root.path: rootfs `%s`: No such file or directory",
                              rootfs);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpint (g_mkdir (rootfs, 0755), ==, 0);
}

static void
test_process (Fixture *f, gconstpointer data)
{
  UrunPlanOptions options = { 0 };
  const UrunInitPlan *plan;

  options.preserve_fds = 2;
  options.listen_fds = 1;
  plan = build_ok (
    f,
    "{ \"user\": { \"uid\": 1000, \"gid\": 100, \"additionalGids\": [5, 6], \"umask\": 63 },"
    "  \"args\": [\"prog\", \"-x\"], \"cwd\": \"/work\","
    "  \"env\": [\"A=1\", \"LISTEN_PID=77\", \"LISTEN_FDS=9\"],"
    "  \"rlimits\": [ { \"type\": \"RLIMIT_NOFILE\", \"soft\": 10, \"hard\": 20 } ],"
    "  \"oomScoreAdj\": 100 }",
    "{ \"namespaces\": [ {\"type\":\"mount\"}, {\"type\":\"uts\"} ] }",
    ", \"hostname\": \"box\"", &options);

  g_assert_cmpstr (plan->argv[0], ==, "prog");
  g_assert_cmpstr (plan->argv[1], ==, "-x");
  g_assert_null (plan->argv[2]);
  g_assert_cmpstr (plan->cwd, ==, "/work");
  /* Socket activation: the caller's count, and the payload is pid 1. */
  g_assert_cmpstr (plan->envp[0], ==, "A=1");
  g_assert_cmpstr (plan->envp[1], ==, "LISTEN_FDS=1");
  g_assert_cmpstr (plan->envp[2], ==, "LISTEN_PID=1");
  /* No HOME in the config: an entry init fills from /etc/passwd. */
  g_assert_cmpstr (plan->envp[3], ==, "HOME=/");
  g_assert_true (plan->envp[3] == plan->home_env);
  g_assert_null (plan->envp[4]);
  g_assert_cmpint (plan->preserve_fds, ==, 3);
  /* No PATH in the config: the conventional one for the lookup. */
  g_assert_nonnull (strstr (plan->path_env, "/usr/bin"));
  g_assert_cmpint (plan->uid, ==, 1000);
  g_assert_cmpint (plan->gid, ==, 100);
  g_assert_cmpuint (plan->n_additional_gids, ==, 2);
  g_assert_cmpint (plan->additional_gids[1], ==, 6);
  g_assert_true (plan->has_umask);
  g_assert_cmpint (plan->umask, ==, 63);
  g_assert_cmpuint (plan->n_rlimits, ==, 1);
  g_assert_cmpint (plan->rlimits[0].resource, ==, RLIMIT_NOFILE);
  g_assert_cmpstr (plan->rlimits[0].name, ==, "RLIMIT_NOFILE");
  g_assert_cmpuint (plan->rlimits[0].limit.rlim_cur, ==, 10);
  g_assert_cmpuint (plan->rlimits[0].limit.rlim_max, ==, 20);
  g_assert_true (plan->has_oom_score_adj);
  g_assert_cmpint (plan->oom_score_adj, ==, 100);
  g_assert_cmpstr (plan->hostname, ==, "box");
  g_assert_cmpstr (plan->keyring_name, ==, "urun-t");
  /* Every fd field starts closed. */
  g_assert_cmpint (plan->sync_fd, ==, -1);
  g_assert_cmpint (plan->exec_fifo_fd, ==, -1);
  g_assert_cmpint (plan->state_fd, ==, -1);
  g_assert_cmpint (plan->notify_tree_fd, ==, -1);
}

static void
test_path_from_config (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan = build_ok (
    f,
    "{ \"user\": { \"uid\": 0, \"gid\": 0 }, \"args\": [\"sh\"], \"cwd\": \"/\","
    "  \"env\": [\"PATH=/opt/bin:/bin\", \"HOME=/h\"] }",
    NULL, NULL, NULL);

  g_assert_cmpstr (plan->path_env, ==, "/opt/bin:/bin");
  g_assert_null (plan->home_env);
}

static void
test_no_args (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (build (f, "{ \"user\": { \"uid\": 0, \"gid\": 0 }, \"cwd\": \"/\" }", NULL,
                         NULL, NULL, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "config.json: process.args: expected at least one argument, the program "
                   "to run");
}

static void
test_container_hooks (Fixture *f, gconstpointer data)
{
  const UrunInitPlan *plan = build_ok (
    f, NULL, NULL,
    ", \"hooks\": { \"createContainer\": [ { \"path\": \"/bin/hook\", \"timeout\": 5 } ],"
    "  \"startContainer\": [ { \"path\": \"/bin/s\", \"args\": [\"s\", \"1\"],"
    "                          \"env\": [\"X=1\"] } ],"
    "  \"createRuntime\": [ { \"path\": \"/bin/r\" } ] }",
    NULL);

  g_assert_cmpuint (plan->n_create_container_hooks, ==, 1);
  g_assert_cmpstr (plan->create_container_hooks[0].path, ==, "/bin/hook");
  /* Without args, argv is the path alone. */
  g_assert_cmpstr (plan->create_container_hooks[0].argv[0], ==, "/bin/hook");
  g_assert_null (plan->create_container_hooks[0].argv[1]);
  /* Without env, urun's own environment. */
  g_assert_cmpuint (g_strv_length ((char **) plan->create_container_hooks[0].envp), ==,
                    g_strv_length (environ));
  g_assert_cmpint (plan->create_container_hooks[0].timeout_seconds, ==, 5);
  g_assert_cmpuint (plan->n_start_container_hooks, ==, 1);
  g_assert_cmpstr (plan->start_container_hooks[0].argv[1], ==, "1");
  g_assert_cmpstr (plan->start_container_hooks[0].envp[0], ==, "X=1");
  /* createRuntime runs in the parent: init only has to ask for it. */
  g_assert_true (plan->has_runtime_hooks);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/plan/fast-path", test_fast_path);
  ADD ("/plan/staged-path", test_staged_path);
  ADD ("/plan/time-namespace", test_time_namespace);
  ADD ("/plan/no-mount-namespace", test_no_mount_namespace);
  ADD ("/plan/joined-mount-namespace", test_joined_mount_namespace);
  ADD ("/plan/no-mount-namespace-refuses-mounts", test_no_mount_namespace_refuses_mounts);
  ADD ("/plan/rootfs-is-caller-root", test_rootfs_is_caller_root);
  ADD ("/plan/shared-bind-keeps-urun-out", test_shared_bind_keeps_urun_out);
  ADD ("/plan/dev-from-host", test_dev_from_host);
  ADD ("/plan/missing-rootfs", test_missing_rootfs);
  ADD ("/plan/process", test_process);
  ADD ("/plan/path-from-config", test_path_from_config);
  ADD ("/plan/no-args", test_no_args);
  ADD ("/plan/container-hooks", test_container_hooks);
#undef ADD
  return g_test_run ();
}
