/* test-spec.c: unit tests of the OCI config model (urun-spec*.c).
 *
 * Zone: tests.  Every spec-corpus/NAME.json must fail to load with exactly
 * the message in NAME.err (one test case each); spec-valid/ holds full
 * configs whose parsed structs are checked field by field.
 */
#include "config.h"

#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "util/urun-error.h"
#include "spec/urun-spec.h"
#include "spec/urun-spec-default.h"
#include "spec/urun-spec-names.h"

static char *
data_path (const char *dir, const char *name)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");

  if (srcdir == NULL)
    srcdir = URUN_TEST_SRCDIR;
  return g_build_filename (srcdir, dir, name, NULL);
}

static UrunSpec *
load_valid (const char *name)
{
  g_autofree char *path = data_path ("spec-valid", name);
  g_autoptr (GError) error = NULL;
  UrunSpec *spec = urun_spec_load_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (spec);
  return spec;
}

/* ---- the corpus of bad configs -------------------------------------------- */

static void
test_corpus_case (gconstpointer user_data)
{
  const char *json_path = user_data;
  g_autofree char *base = g_strndup (json_path, strlen (json_path) - strlen (".json"));
  g_autofree char *err_path = g_strconcat (base, ".err", NULL);
  g_autofree char *data = NULL;
  g_autofree char *expected = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpec) spec = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (json_path, &data, &len, NULL));
  g_assert_true (g_file_get_contents (err_path, &expected, NULL, NULL));
  g_strchomp (expected);

  spec = urun_spec_load_data (data, (gssize) len, "config.json", &error);
  g_assert_null (spec);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==, expected);
}

/* g_ptr_array_sort() passes pointers to the elements. */
static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Registers one case per NAME.json; returns how many. */
static guint
add_corpus_cases (void)
{
  g_autofree char *dir_path = data_path ("spec-corpus", NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *json_name = names->pdata[i];
      g_autofree char *stem = g_strndup (json_name, strlen (json_name) - strlen (".json"));
      g_autofree char *test_path = g_strconcat ("/spec/corpus/", stem, NULL);

      g_test_add_data_func_full (test_path, g_build_filename (dir_path, json_name, NULL),
                                 test_corpus_case, g_free);
    }
  return names->len;
}

static void
test_corpus_complete (void)
{
  g_autofree char *dir_path = data_path ("spec-corpus", NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n_json = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *stem = NULL;
      g_autofree char *sibling = NULL;

      if (g_str_has_suffix (name, ".json"))
        {
          n_json++;
          stem = g_strndup (name, strlen (name) - strlen (".json"));
          sibling = g_strconcat (dir_path, "/", stem, ".err", NULL);
        }
      else if (g_str_has_suffix (name, ".err"))
        {
          stem = g_strndup (name, strlen (name) - strlen (".err"));
          sibling = g_strconcat (dir_path, "/", stem, ".json", NULL);
        }
      else
        g_error ("stray file in spec-corpus: %s", name);
      if (!g_file_test (sibling, G_FILE_TEST_EXISTS))
        g_error ("%s has no sibling %s", name, sibling);
    }
  g_assert_cmpuint (n_json, >=, 70);
}

/* ---- full valid configs ----------------------------------------------------- */

static void
test_valid_podman (void)
{
  g_autoptr (UrunSpec) spec = load_valid ("podman.json");
  const UrunSpecProcess *p = spec->process;
  const UrunSpecLinux *l = spec->linux_;
  const UrunSpecResources *r;
  const UrunSpecSeccomp *s;

  g_assert_cmpstr (spec->oci_version, ==, "1.2.0");
  g_assert_cmpstr (spec->hostname, ==, "web1");
  g_assert_cmpstr (spec->domainname, ==, "example.test");
  g_assert_cmpstr (spec->root->path, ==,
                   "/home/user/.local/share/containers/storage/overlay/4f1c/merged");
  g_assert_false (spec->root->readonly);

  /* process */
  g_assert_nonnull (p);
  g_assert_true (p->terminal);
  g_assert_cmpuint (p->console_size->height, ==, 40);
  g_assert_cmpuint (p->console_size->width, ==, 120);
  g_assert_cmpuint (p->user->uid, ==, 1000);
  g_assert_cmpuint (p->user->gid, ==, 1000);
  g_assert_true (p->user->has_umask);
  g_assert_cmpuint (p->user->umask, ==, 022);
  g_assert_cmpuint (p->user->n_additional_gids, ==, 2);
  g_assert_cmpuint (p->user->additional_gids[1], ==, 10);
  g_assert_null (p->user->username);
  g_assert_cmpuint (g_strv_length (p->args), ==, 3);
  g_assert_cmpstr (p->args[2], ==, "exec sleep infinity");
  g_assert_cmpuint (g_strv_length (p->env), ==, 5);
  g_assert_cmpstr (p->env[2], ==, "container=podman");
  g_assert_cmpstr (p->cwd, ==, "/home/app");
  g_assert_cmpuint (g_strv_length (p->capabilities->bounding), ==, 11);
  g_assert_cmpstr (p->capabilities->bounding[10], ==, "CAP_SYS_CHROOT");
  g_assert_nonnull (p->capabilities->inheritable);
  g_assert_null (p->capabilities->inheritable[0]);
  g_assert_cmpstr (p->capabilities->ambient[1], ==, "CAP_CHECKPOINT_RESTORE");
  g_assert_cmpuint (p->n_rlimits, ==, 3);
  g_assert_cmpstr (p->rlimits[0].type, ==, "RLIMIT_NOFILE");
  g_assert_cmpuint (p->rlimits[0].soft, ==, 524288);
  /* RLIM_INFINITY as written by podman: above G_MAXINT64, kept exact. */
  g_assert_cmpuint (p->rlimits[2].hard, ==, G_MAXUINT64);
  g_assert_cmpuint (p->rlimits[2].soft, ==, 0);
  g_assert_true (p->no_new_privileges);
  g_assert_true (p->has_oom_score_adj);
  g_assert_cmpint (p->oom_score_adj, ==, -500);
  g_assert_cmpstr (p->selinux_label, ==, "system_u:system_r:container_t:s0:c123,c456");
  g_assert_cmpstr (p->apparmor_profile, ==, "containers-default-0.57.0");
  g_assert_cmpstr (p->scheduler->policy, ==, "SCHED_BATCH");
  g_assert_cmpint (p->scheduler->nice, ==, -5);
  g_assert_cmpstr (p->scheduler->flags[0], ==, "SCHED_FLAG_RESET_ON_FORK");
  g_assert_cmpstr (p->io_priority->class_, ==, "IOPRIO_CLASS_BE");
  g_assert_true (p->io_priority->has_priority);
  g_assert_cmpint (p->io_priority->priority, ==, 4);
  g_assert_cmpstr (p->exec_cpu_affinity->final, ==, "0-3,6");

  /* mounts */
  g_assert_cmpuint (spec->n_mounts, ==, 14);
  g_assert_cmpstr (spec->mounts[0].destination, ==, "/proc");
  g_assert_cmpstr (spec->mounts[0].type, ==, "proc");
  g_assert_cmpstr (spec->mounts[3].options[3], ==, "ptmxmode=0666");
  g_assert_cmpstr (spec->mounts[6].source, ==,
                   "/home/user/.local/share/containers/storage/overlay-containers/4f1c/userdata/shm");
  g_assert_cmpstr (spec->mounts[10].options[4], ==, "tmpcopyup");
  g_assert_cmpstr (spec->mounts[11].options[1], ==, "rro");
  g_assert_false (spec->mounts[11].has_uid_mappings);
  g_assert_true (spec->mounts[12].has_uid_mappings);
  g_assert_cmpuint (spec->mounts[12].n_uid_mappings, ==, 2);
  g_assert_cmpuint (spec->mounts[12].uid_mappings[1].host_id, ==, 100000);
  g_assert_cmpuint (spec->mounts[12].uid_mappings[1].size, ==, 65536);
  g_assert_cmpuint (spec->mounts[12].n_gid_mappings, ==, 1);
  g_assert_cmpstr (spec->mounts[13].destination, ==, "relative/dir");
  g_assert_null (spec->mounts[13].options);

  /* hooks */
  g_assert_cmpuint (spec->hooks->n_prestart, ==, 1);
  g_assert_cmpstr (spec->hooks->prestart[0].path, ==, "/usr/libexec/oci/hooks.d/oci-systemd-hook");
  g_assert_true (spec->hooks->prestart[0].has_timeout);
  g_assert_cmpint (spec->hooks->prestart[0].timeout, ==, 10);
  g_assert_cmpstr (spec->hooks->prestart[0].env[0], ==, "stage=prestart");
  g_assert_cmpuint (spec->hooks->n_create_runtime, ==, 1);
  g_assert_false (spec->hooks->create_runtime[0].has_timeout);
  g_assert_cmpuint (spec->hooks->n_create_container, ==, 0);
  g_assert_cmpuint (spec->hooks->n_poststop, ==, 1);
  g_assert_cmpstr (spec->hooks->poststop[0].args[5], ==, "4f1c");

  /* annotations, in document order */
  g_assert_cmpuint (spec->n_annotations, ==, 5);
  g_assert_cmpstr (spec->annotations[0].key, ==, "io.container.manager");
  g_assert_cmpstr (spec->annotations[4].key, ==, "io.kubernetes.cri-o.ContainerType");
  g_assert_cmpstr (urun_spec_get_annotation (spec, "org.opencontainers.image.stopSignal"), ==,
                   "15");
  g_assert_null (urun_spec_get_annotation (spec, "nope"));

  /* linux */
  g_assert_cmpuint (l->n_sysctl, ==, 2);
  g_assert_cmpstr (urun_spec_map_lookup (l->sysctl, l->n_sysctl, "net.ipv4.ping_group_range"), ==,
                   "0 0");
  g_assert_cmpstr (l->cgroups_path, ==, "user.slice:libpod:4f1c");
  g_assert_cmpuint (l->n_namespaces, ==, 8);
  g_assert_cmpstr (l->namespaces[1].type, ==, "network");
  g_assert_cmpstr (l->namespaces[1].path, ==, "/run/user/1000/netns/netns-1234");
  g_assert_null (l->namespaces[0].path);
  g_assert_nonnull (urun_spec_find_namespace (spec, "time"));
  g_assert_true (l->has_uid_mappings);
  g_assert_cmpuint (l->n_uid_mappings, ==, 2);
  g_assert_cmpuint (l->uid_mappings[0].container_id, ==, 0);
  g_assert_cmpuint (l->uid_mappings[0].host_id, ==, 1000);
  g_assert_cmpuint (l->gid_mappings[1].size, ==, 65536);
  g_assert_cmpuint (l->n_time_offsets, ==, 2);
  g_assert_cmpstr (l->time_offsets[0].clock, ==, "monotonic");
  g_assert_cmpint (l->time_offsets[0].secs, ==, -3600);
  g_assert_cmpuint (l->time_offsets[0].nanosecs, ==, 5);
  g_assert_cmpint (l->time_offsets[1].secs, ==, 86400);
  g_assert_cmpuint (l->n_devices, ==, 2);
  g_assert_cmpstr (l->devices[0].type, ==, "c");
  g_assert_cmpint (l->devices[0].major, ==, 10);
  g_assert_cmpint (l->devices[0].minor, ==, 229);
  g_assert_true (l->devices[0].has_file_mode);
  g_assert_cmpuint (l->devices[0].file_mode, ==, 0666);
  g_assert_true (l->devices[0].has_uid);
  g_assert_false (l->devices[1].has_major);
  g_assert_false (l->devices[1].has_uid);

  r = l->resources;
  g_assert_cmpuint (r->n_devices, ==, 3);
  g_assert_false (r->devices[0].allow);
  g_assert_null (r->devices[0].type);
  g_assert_false (r->devices[0].has_major);
  g_assert_cmpstr (r->devices[1].type, ==, "c");
  g_assert_true (r->devices[2].has_major);
  g_assert_false (r->devices[2].has_minor);
  g_assert_true (r->memory->has_limit);
  g_assert_cmpint (r->memory->limit, ==, 536870912);
  g_assert_true (r->memory->has_swap);
  g_assert_cmpint (r->memory->swap, ==, -1);
  g_assert_false (r->memory->has_kernel);
  g_assert_cmpuint (r->memory->swappiness, ==, 60);
  g_assert_true (r->memory->has_disable_oom_killer);
  g_assert_false (r->memory->disable_oom_killer);
  g_assert_false (r->memory->has_use_hierarchy);
  g_assert_true (r->memory->check_before_update);
  g_assert_cmpuint (r->cpu->shares, ==, 1024);
  g_assert_cmpint (r->cpu->quota, ==, 150000);
  g_assert_cmpuint (r->cpu->burst, ==, 10000);
  g_assert_cmpuint (r->cpu->period, ==, 100000);
  g_assert_false (r->cpu->has_realtime_runtime);
  g_assert_cmpstr (r->cpu->cpus, ==, "0-3");
  g_assert_true (r->cpu->has_idle);
  g_assert_cmpuint (r->block_io->weight, ==, 500);
  g_assert_false (r->block_io->has_leaf_weight);
  g_assert_false (r->block_io->weight_device[0].has_weight);
  g_assert_cmpuint (r->block_io->weight_device[0].leaf_weight, ==, 300);
  g_assert_cmpuint (r->block_io->throttle_read_bps_device[0].rate, ==, 104857600);
  g_assert_cmpuint (r->block_io->n_throttle_write_bps_device, ==, 0);
  g_assert_cmpint (r->block_io->throttle_write_iops_device[0].minor, ==, 16);
  g_assert_cmpstr (r->hugepage_limits[0].page_size, ==, "2MB");
  g_assert_cmpuint (r->network->class_id, ==, 1048577);
  g_assert_cmpstr (r->network->priorities[0].name, ==, "eth0");
  g_assert_cmpint (r->pids->limit, ==, 2048);
  g_assert_cmpuint (r->n_rdma, ==, 2);
  g_assert_cmpstr (r->rdma[1].device, ==, "mlx4_0");
  g_assert_false (r->rdma[1].has_hca_handles);
  g_assert_cmpuint (r->rdma[1].hca_objects, ==, 1000);
  g_assert_cmpuint (r->n_unified, ==, 2);
  g_assert_cmpstr (r->unified[1].value, ==, "259:0 rbps=2097152 wiops=120\n253:0 rbps=2097152 wiops=120");

  s = l->seccomp;
  g_assert_cmpstr (s->default_action, ==, "SCMP_ACT_ERRNO");
  g_assert_true (s->has_default_errno_ret);
  g_assert_cmpuint (s->default_errno_ret, ==, 38);
  g_assert_cmpuint (g_strv_length (s->architectures), ==, 3);
  g_assert_cmpstr (s->flags[0], ==, "SECCOMP_FILTER_FLAG_SPEC_ALLOW");
  g_assert_cmpstr (s->listener_path, ==, "/run/seccomp-agent.sock");
  g_assert_cmpstr (s->listener_metadata, ==, "MKNOD=/dev/null");
  g_assert_cmpuint (s->n_syscalls, ==, 7);
  g_assert_cmpuint (g_strv_length (s->syscalls[0].names), ==, 6);
  g_assert_cmpuint (s->syscalls[1].n_args, ==, 1);
  g_assert_cmpuint (s->syscalls[2].args[0].value, ==, 4294967295u);
  g_assert_cmpuint (s->syscalls[3].args[0].index, ==, 0);
  g_assert_cmpuint (s->syscalls[3].args[0].value, ==, 2114060288);
  g_assert_cmpstr (s->syscalls[3].args[0].op, ==, "SCMP_CMP_MASKED_EQ");
  g_assert_cmpstr (s->syscalls[4].action, ==, "SCMP_ACT_NOTIFY");
  g_assert_true (s->syscalls[5].has_errno_ret);
  g_assert_cmpuint (s->syscalls[5].errno_ret, ==, 1);
  g_assert_false (s->syscalls[6].has_errno_ret);

  g_assert_cmpstr (l->rootfs_propagation, ==, "rslave");
  g_assert_cmpuint (g_strv_length (l->masked_paths), ==, 11);
  g_assert_cmpstr (l->readonly_paths[5], ==, "/proc/sysrq-trigger");
  g_assert_cmpstr (l->mount_label, ==, "system_u:object_r:container_file_t:s0:c123,c456");
  g_assert_cmpstr (l->personality->domain, ==, "LINUX");
  g_assert_null (l->personality->flags);
  g_assert_cmpstr (l->memory_policy->mode, ==, "MPOL_BIND");
  g_assert_cmpstr (l->memory_policy->nodes, ==, "0-1");
  /* netDevices and intelRdt are refused (the corpus has a case for each). */
  g_assert_cmpuint (l->n_net_devices, ==, 0);
  g_assert_null (l->intel_rdt);
}

static void
test_valid_runc (void)
{
  g_autoptr (UrunSpec) spec = load_valid ("runc.json");

  g_assert_cmpstr (spec->oci_version, ==, "1.2.0");
  g_assert_true (spec->process->terminal);
  g_assert_null (spec->process->console_size);
  g_assert_cmpuint (spec->process->user->uid, ==, 0);
  g_assert_false (spec->process->user->has_umask);
  g_assert_cmpuint (spec->process->user->n_additional_gids, ==, 0);
  g_assert_cmpstr (spec->process->args[0], ==, "sh");
  g_assert_null (spec->process->args[1]);
  g_assert_null (spec->process->capabilities->inheritable);
  g_assert_null (spec->process->capabilities->ambient);
  g_assert_cmpstr (spec->process->capabilities->permitted[2], ==, "CAP_NET_BIND_SERVICE");
  g_assert_cmpuint (spec->process->rlimits[0].hard, ==, 1024);
  g_assert_false (spec->process->has_oom_score_adj);
  g_assert_null (spec->process->scheduler);
  g_assert_cmpstr (spec->root->path, ==, "rootfs");
  g_assert_true (spec->root->readonly);
  g_assert_cmpstr (spec->hostname, ==, "runc");
  g_assert_null (spec->domainname);
  g_assert_cmpuint (spec->n_mounts, ==, 7);
  g_assert_cmpstr (spec->mounts[6].destination, ==, "/sys/fs/cgroup");
  g_assert_cmpstr (spec->mounts[6].options[4], ==, "ro");
  g_assert_null (spec->hooks);
  g_assert_cmpuint (spec->n_annotations, ==, 0);
  g_assert_cmpuint (spec->linux_->n_namespaces, ==, 6);
  g_assert_null (urun_spec_find_namespace (spec, "user"));
  g_assert_nonnull (urun_spec_find_namespace (spec, "cgroup"));
  g_assert_false (spec->linux_->has_uid_mappings);
  g_assert_cmpuint (spec->linux_->resources->n_devices, ==, 1);
  g_assert_cmpstr (spec->linux_->resources->devices[0].access, ==, "rwm");
  g_assert_null (spec->linux_->resources->memory);
  g_assert_null (spec->linux_->seccomp);
  g_assert_cmpuint (g_strv_length (spec->linux_->masked_paths), ==, 10);
  g_assert_cmpuint (g_strv_length (spec->linux_->readonly_paths), ==, 5);
}

/* What `urun spec` writes must load here, as root and rootless. */
static void
test_valid_default (void)
{
  for (int rootless = 0; rootless <= 1; rootless++)
    {
      UrunSpecDefaultOptions options = { .rootless = rootless, .uid = rootless ? 1000 : 0,
                                         .gid = rootless ? 1000 : 0, .user_name = "nobody-here",
                                         .subuid_path = "/nonexistent/subuid",
                                         .subgid_path = "/nonexistent/subgid" };
      g_autoptr (GError) error = NULL;
      g_autofree char *text = urun_spec_default_generate (&options, &error);
      g_autoptr (UrunSpec) spec = NULL;

      g_assert_no_error (error);
      spec = urun_spec_load_data (text, -1, "config.json", &error);
      g_assert_no_error (error);
      g_assert_nonnull (spec->root);
      g_assert_nonnull (spec->process);
      g_assert_cmpuint (spec->n_mounts, >, 0);
      if (rootless)
        g_assert_nonnull (urun_spec_find_namespace (spec, "user"));
    }
}

/* ---- smaller behaviours ----------------------------------------------------- */

static void
test_unknown_keys_and_nulls (void)
{
  const char *json = "{\"ociVersion\": \"1.0.2-dev\", \"root\": {\"path\": \"/r\", \"x\": 1},"
                     " \"mounts\": null, \"annotations\": null, \"process\": null,"
                     " \"solaris\": {\"milestone\": 3}, \"linux\": {\"seccomp\": null,"
                     " \"namespaces\": [{\"type\": \"pid\", \"extra\": [true]}]}}";
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpec) spec = urun_spec_load_data (json, -1, "config.json", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (spec->oci_version, ==, "1.0.2-dev");
  g_assert_null (spec->process);
  g_assert_null (spec->mounts);
  g_assert_cmpuint (spec->n_mounts, ==, 0);
  g_assert_null (spec->linux_->seccomp);
  g_assert_cmpuint (spec->linux_->n_namespaces, ==, 1);
}

/* json-glib keeps the last of duplicate keys at the place of the first;
 * the exact-number table cannot be matched then, and numbers fall back to
 * json-glib's values. */
static void
test_duplicate_keys (void)
{
  const char *json = "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"/r\"},"
                     " \"process\": {\"cwd\": \"/\", \"user\": {\"uid\": 1, \"gid\": 2, \"uid\": 7},"
                     " \"rlimits\": [{\"type\": \"RLIMIT_CORE\", \"soft\": 1,"
                     " \"hard\": 18446744073709551615}]}}";
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpec) spec = urun_spec_load_data (json, -1, "config.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (spec->process->user->uid, ==, 7);
  g_assert_cmpuint (spec->process->user->gid, ==, 2);
  g_assert_cmpuint (spec->process->rlimits[0].hard, ==, G_MAXUINT64);
}

static void
test_load_file_names_basename (void)
{
  g_autofree char *path = data_path ("spec-corpus", "process-cwd-relative.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpec) spec = urun_spec_load_file (path, &error);

  g_assert_null (spec);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "process-cwd-relative.json: process.cwd: expected an absolute path, got \"tmp\"");
}

static void
test_load_file_missing (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpec) spec = urun_spec_load_file ("/nonexistent/urun/config.json", &error);

  g_assert_null (spec);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "cannot read /nonexistent/urun/config.json: No such file or directory");
}

static void
test_process_file (void)
{
  const char *good = "{\"user\": {\"uid\": 5, \"gid\": 6}, \"cwd\": \"/w\", \"args\": [\"ls\"],"
                     " \"env\": [\"A=1\"], \"terminal\": false}";
  const char *bad = "{\"user\": {\"uid\": 5, \"gid\": 6}, \"cwd\": \"w\", \"args\": [\"ls\"]}";
  const char *bad_type = "{\"user\": {\"uid\": 5, \"gid\": 6}, \"cwd\": \"/\", \"args\": [1]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpecProcess) process = NULL;

  process = urun_spec_process_load_data (good, -1, "process.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (process->user->uid, ==, 5);
  g_assert_cmpstr (process->cwd, ==, "/w");
  g_clear_pointer (&process, urun_spec_process_free);

  process = urun_spec_process_load_data (bad, -1, "process.json", &error);
  g_assert_null (process);
  g_assert_cmpstr (error->message, ==, "process.json: cwd: expected an absolute path, got \"w\"");
  g_clear_error (&error);

  process = urun_spec_process_load_data (bad_type, -1, "process.json", &error);
  g_assert_null (process);
  g_assert_cmpstr (error->message, ==, "process.json: args[0]: expected a string, got 1");
}

static void
test_free_null (void)
{
  UrunSpec *half = g_new0 (UrunSpec, 1);

  urun_spec_free (NULL);
  urun_spec_process_free (NULL);
  /* A half-built spec: a mounts array whose elements are still empty. */
  half->mounts = g_new0 (UrunSpecMount, 2);
  half->n_mounts = 2;
  half->mounts[0].destination = g_strdup ("/x");
  half->linux_ = g_new0 (UrunSpecLinux, 1);
  urun_spec_free (half);
}

static void
test_validate_direct (void)
{
  g_autoptr (GError) error = NULL;
  UrunSpec spec = { 0 };
  UrunSpecRoot root = { (char *) "rootfs", FALSE };

  spec.oci_version = (char *) "1.2.0";
  spec.root = &root;
  g_assert_true (urun_spec_validate (&spec, "config.json", &error));
  g_assert_no_error (error);

  spec.oci_version = (char *) "one";
  g_assert_false (urun_spec_validate (&spec, "config.json", &error));
  g_assert_cmpstr (error->message, ==,
                   "config.json: ociVersion: expected a SemVer version, got \"one\"");
}

/* ---- names ---------------------------------------------------------------------- */

static void
test_names_signals (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  int sig = 0;

  g_assert_true (urun_signal_from_name ("KILL", &sig, NULL));
  g_assert_cmpint (sig, ==, SIGKILL);
  g_assert_true (urun_signal_from_name ("SIGTERM", &sig, NULL));
  g_assert_cmpint (sig, ==, SIGTERM);
  g_assert_true (urun_signal_from_name ("hup", &sig, NULL));
  g_assert_cmpint (sig, ==, SIGHUP);
  g_assert_true (urun_signal_from_name ("9", &sig, NULL));
  g_assert_cmpint (sig, ==, 9);
  g_assert_true (urun_signal_from_name ("RTMIN+3", &sig, NULL));
  g_assert_cmpint (sig, ==, SIGRTMIN + 3);
  g_assert_true (urun_signal_from_name ("SIGRTMAX-1", &sig, NULL));
  g_assert_cmpint (sig, ==, SIGRTMAX - 1);
  g_assert_true (urun_signal_from_name ("SIGRTMIN", &sig, NULL));
  g_assert_cmpint (sig, ==, SIGRTMIN);

  sig = 123;
  g_assert_false (urun_signal_from_name ("SIGFOO", &sig, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "unknown signal \"SIGFOO\"");
  g_assert_cmpint (sig, ==, 123);
  g_clear_error (&error);
  g_assert_false (urun_signal_from_name ("0", &sig, NULL));
  g_assert_false (urun_signal_from_name ("65", &sig, NULL));
  g_assert_false (urun_signal_from_name ("RTMIN+99", &sig, NULL));
  g_assert_false (urun_signal_from_name ("", &sig, NULL));

  name = urun_signal_to_name (SIGKILL);
  g_assert_cmpstr (name, ==, "SIGKILL");
  g_free (name);
  name = urun_signal_to_name (SIGRTMIN + 2);
  g_assert_cmpstr (name, ==, "SIGRTMIN+2");
  g_free (name);
  name = urun_signal_to_name (SIGRTMAX);
  g_assert_cmpstr (name, ==, "SIGRTMAX");
}

static void
test_names_tables (void)
{
  UrunMountOptionKind kind;
  const UrunMountOption *option;
  UrunNamespaceType ns;
  UrunSeccompAction action;
  UrunSeccompOperator op;
  const char *arch;
  gulong flags;
  guint flag;
  int v;

  g_assert_true (urun_capability_from_name ("CAP_CHOWN", &v));
  g_assert_cmpint (v, ==, 0);
  g_assert_true (urun_capability_from_name ("CAP_CHECKPOINT_RESTORE", &v));
  g_assert_cmpint (v, ==, 40);
  g_assert_true (urun_capability_from_name ("CAP_SYS_ADMIN", &v));
  g_assert_cmpint (v, ==, 21);
  g_assert_false (urun_capability_from_name ("CAP_FOO", &v));
  g_assert_cmpstr (urun_capability_to_name (39), ==, "CAP_BPF");
  g_assert_null (urun_capability_to_name (41));

  g_assert_true (urun_rlimit_from_name ("RLIMIT_NOFILE", &v));
  g_assert_cmpint (v, ==, RLIMIT_NOFILE);
  g_assert_cmpstr (urun_rlimit_to_name (RLIMIT_RTTIME), ==, "RLIMIT_RTTIME");

  g_assert_true (urun_namespace_type_from_name ("network", &ns));
  g_assert_cmpint (ns, ==, URUN_NAMESPACE_NETWORK);
  g_assert_cmpstr (urun_namespace_type_proc_name (ns), ==, "net");
  g_assert_cmpint (urun_namespace_type_clone_flag (URUN_NAMESPACE_USER), ==, CLONE_NEWUSER);
  g_assert_false (urun_namespace_type_from_name ("net", &ns));

  g_assert_true (urun_seccomp_action_from_name ("SCMP_ACT_KILL_PROCESS", &action));
  g_assert_cmpint (action, ==, URUN_SECCOMP_ACT_KILL_PROCESS);
  g_assert_true (urun_seccomp_action_takes_errno (URUN_SECCOMP_ACT_TRACE));
  g_assert_false (urun_seccomp_action_takes_errno (URUN_SECCOMP_ACT_LOG));
  g_assert_true (urun_seccomp_operator_from_name ("SCMP_CMP_MASKED_EQ", &op));
  g_assert_cmpint (op, ==, URUN_SECCOMP_CMP_MASKED_EQ);
  g_assert_true (urun_seccomp_arch_from_name ("SCMP_ARCH_AARCH64", &arch));
  g_assert_cmpstr (arch, ==, "aarch64");
  g_assert_true (urun_seccomp_flag_from_name ("SECCOMP_FILTER_FLAG_LOG", &flag));
  g_assert_cmpuint (flag, ==, 2);

  g_assert_true (urun_mount_option_lookup ("nosuid", &kind, &option));
  g_assert_cmpint (kind, ==, URUN_MOUNT_OPTION_FLAG);
  g_assert_false (option->clear);
  g_assert_cmpuint (option->flags, ==, MS_NOSUID);
  g_assert_true (urun_mount_option_lookup ("rw", &kind, &option));
  g_assert_true (option->clear);
  g_assert_cmpuint (option->flags, ==, MS_RDONLY);
  g_assert_true (urun_mount_option_lookup ("rbind", &kind, &option));
  g_assert_cmpuint (option->flags, ==, MS_BIND | MS_REC);
  g_assert_true (urun_mount_option_lookup ("rslave", &kind, &option));
  g_assert_cmpint (kind, ==, URUN_MOUNT_OPTION_PROPAGATION);
  g_assert_cmpuint (option->flags, ==, MS_SLAVE | MS_REC);
  g_assert_true (urun_mount_option_lookup ("rro", &kind, &option));
  g_assert_cmpint (kind, ==, URUN_MOUNT_OPTION_RECURSIVE);
  g_assert_cmpuint (option->attr_set, ==, URUN_MOUNT_ATTR_RDONLY);
  g_assert_true (urun_mount_option_lookup ("rnoatime", &kind, &option));
  g_assert_cmpuint (option->attr_clr, ==, URUN_MOUNT_ATTR__ATIME);
  g_assert_true (urun_mount_option_lookup ("ridmap", &kind, &option));
  g_assert_cmpint (kind, ==, URUN_MOUNT_OPTION_IDMAP);
  g_assert_true (urun_mount_option_lookup ("tmpcopyup", &kind, &option));
  g_assert_cmpint (kind, ==, URUN_MOUNT_OPTION_EXTENSION);
  g_assert_true (urun_mount_option_lookup ("size=65536k", &kind, &option));
  g_assert_cmpint (kind, ==, URUN_MOUNT_OPTION_DATA);
  g_assert_null (option);
  g_assert_true (urun_mount_option_lookup ("newinstance", &kind, &option));
  g_assert_cmpint (kind, ==, URUN_MOUNT_OPTION_DATA);
  g_assert_false (urun_mount_option_lookup ("bogus", &kind, &option));
  g_assert_false (urun_mount_option_lookup ("=x", &kind, &option));

  g_assert_true (urun_propagation_from_name ("runbindable", &flags));
  g_assert_cmpuint (flags, ==, MS_UNBINDABLE | MS_REC);
  g_assert_false (urun_propagation_from_name ("ro", &flags));

  g_assert_true (urun_sched_policy_from_name ("SCHED_DEADLINE", &v));
  g_assert_cmpint (v, ==, 6);
  g_assert_true (urun_ioprio_class_from_name ("IOPRIO_CLASS_IDLE", &v));
  g_assert_cmpint (v, ==, 3);
  g_assert_true (urun_mempolicy_mode_from_name ("MPOL_PREFERRED_MANY", &v));
  g_assert_cmpint (v, ==, 5);
  g_assert_true (urun_personality_domain_from_name ("LINUX32", &flags));
  g_assert_cmpuint (flags, ==, 0x0008);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_corpus_cases ();
  g_test_add_func ("/spec/corpus-complete", test_corpus_complete);
  g_test_add_func ("/spec/valid/podman", test_valid_podman);
  g_test_add_func ("/spec/valid/runc", test_valid_runc);
  g_test_add_func ("/spec/valid/default", test_valid_default);
  g_test_add_func ("/spec/unknown-keys-and-nulls", test_unknown_keys_and_nulls);
  g_test_add_func ("/spec/duplicate-keys", test_duplicate_keys);
  g_test_add_func ("/spec/load-file/basename", test_load_file_names_basename);
  g_test_add_func ("/spec/load-file/missing", test_load_file_missing);
  g_test_add_func ("/spec/process-file", test_process_file);
  g_test_add_func ("/spec/free-null", test_free_null);
  g_test_add_func ("/spec/validate-direct", test_validate_direct);
  g_test_add_func ("/spec/names/signals", test_names_signals);
  g_test_add_func ("/spec/names/tables", test_names_tables);
  return g_test_run ();
}
