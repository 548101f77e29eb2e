/* test-plan-cgroupfs.c: unit tests of urun_plan_cgroups_from_text(): the
 * host's cgroup hierarchies, from mountinfo and /proc/self/cgroup texts of
 * a hybrid host (this test machine's), one with comounted controllers, a
 * unified one, and urun inside a container (mount roots, hidden mounts). */
#include "config.h"

#include "plan/urun-plan-parts.h"

static const char hybrid_mountinfo[] =
  "23 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
  "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
  "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
  "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
  "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
  "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
  "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw\n"
  "50 23 0:32 / /srv/other/memory rw,relatime - cgroup cgroup rw,memory\n";

static const char hybrid_cgroup[] =
  "9:name=systemd:/\n"
  "8:pids:/\n"
  "4:memory:/process_api/abc\n"
  "1:cpu:/\n"
  "0::/\n";

static UrunPlanOwner *
cgroups_of (const char *mountinfo, const char *cgroup)
{
  UrunPlanOwner *owner = urun_plan_owner_new ();

  urun_plan_cgroups_from_text (owner, mountinfo, cgroup);
  return owner;
}

static void
test_hybrid (void)
{
  g_autoptr (UrunPlanOwner) owner = cgroups_of (hybrid_mountinfo, hybrid_cgroup);
  const UrunInitPlan *plan = &owner->plan;

  g_assert_false (plan->cgroup_unified);
  /* Only those right below /sys/fs/cgroup, in the host's order. */
  g_assert_cmpuint (plan->n_cgroups, ==, 5);
  g_assert_cmpstr (plan->cgroups[0].name, ==, "cpu");
  g_assert_cmpint (plan->cgroups[0].id, ==, 1);
  g_assert_cmpstr (plan->cgroups[0].controllers, ==, "cpu");
  g_assert_null (plan->cgroups[0].links);
  g_assert_cmpstr (plan->cgroups[1].name, ==, "memory");
  g_assert_cmpint (plan->cgroups[1].id, ==, 4);
  g_assert_cmpstr (plan->cgroups[1].host_mount, ==, "/sys/fs/cgroup/memory");
  g_assert_cmpstr (plan->cgroups[1].host_root, ==, "/");
  g_assert_cmpstr (plan->cgroups[2].name, ==, "pids");
  g_assert_cmpint (plan->cgroups[2].id, ==, 8);
  /* A named hierarchy: found by its name= option, mounted fresh with it. */
  g_assert_cmpstr (plan->cgroups[3].name, ==, "systemd");
  g_assert_cmpint (plan->cgroups[3].id, ==, 9);
  g_assert_cmpstr (plan->cgroups[3].controllers, ==, "name=systemd");
  g_assert_null (plan->cgroups[3].links);
  /* The v2 one of a hybrid host. */
  g_assert_cmpstr (plan->cgroups[4].name, ==, "unified");
  g_assert_cmpint (plan->cgroups[4].id, ==, 0);
  g_assert_null (plan->cgroups[4].controllers);
}

static void
test_comounted (void)
{
  static const char mountinfo[] =
    "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
    "33 31 0:30 / /sys/fs/cgroup/net_cls,net_prio rw - cgroup cgroup rw,net_cls,net_prio\n"
    "34 31 0:31 / /sys/fs/cgroup/net_cls rw - cgroup cgroup rw,net_cls,net_prio\n";
  static const char cgroup[] = "3:net_cls,net_prio:/a\n2:cpu,cpuacct:/a\n";
  g_autoptr (UrunPlanOwner) owner = cgroups_of (mountinfo, cgroup);
  const UrunInitPlan *plan = &owner->plan;
  const char *const cpu_links[] = { "cpu", "cpuacct", NULL };
  const char *const net_links[] = { "net_prio", NULL };

  g_assert_cmpuint (plan->n_cgroups, ==, 3);
  g_assert_cmpstr (plan->cgroups[0].name, ==, "cpu,cpuacct");
  g_assert_cmpint (plan->cgroups[0].id, ==, 2);
  g_assert_cmpstr (plan->cgroups[0].controllers, ==, "cpu,cpuacct");
  g_assert_true (g_strv_equal ((const char *const *) plan->cgroups[0].links, cpu_links));
  /* No link where the host mounts the hierarchy under that name too. */
  g_assert_cmpstr (plan->cgroups[1].name, ==, "net_cls,net_prio");
  g_assert_true (g_strv_equal ((const char *const *) plan->cgroups[1].links, net_links));
  g_assert_cmpstr (plan->cgroups[2].name, ==, "net_cls");
  g_assert_cmpint (plan->cgroups[2].id, ==, 3);
  g_assert_null (plan->cgroups[2].links);
}

static void
test_unified (void)
{
  static const char mountinfo[] =
    "23 1 254:0 / / rw - ext4 /dev/vda rw\n"
    "26 23 0:24 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
  g_autoptr (UrunPlanOwner) owner = cgroups_of (mountinfo, "0::/user.slice/x.scope\n");
  const UrunInitPlan *plan = &owner->plan;

  g_assert_true (plan->cgroup_unified);
  g_assert_cmpuint (plan->n_cgroups, ==, 1);
  g_assert_null (plan->cgroups[0].name);
  g_assert_cmpint (plan->cgroups[0].id, ==, 0);
  g_assert_cmpstr (plan->cgroups[0].host_mount, ==, "/sys/fs/cgroup");
}

static void
test_in_a_container (void)
{
  /* urun inside a container: the mounts show a subtree (their root), an
   * escaped mount point, a hierarchy that /proc/self/cgroup does not know,
   * one mount hidden by a later one on the same point, and a cgroup2 over
   * /sys/fs/cgroup that hides everything mounted below it before. */
  static const char mountinfo[] =
    "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
    "33 31 0:30 /outer /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
    "34 31 0:31 / /sys/fs/cgroup/odd\\040name rw - cgroup cgroup rw,freezer\n"
    "35 31 0:32 / /sys/fs/cgroup/gone rw - cgroup cgroup rw,blkio\n"
    "36 31 0:33 / /sys/fs/cgroup/pids rw - tmpfs tmpfs rw\n";
  static const char cgroup[] = "5:freezer:/outer/c\n4:memory:/outer/c\n1:pids:/\n";
  g_autoptr (UrunPlanOwner) owner = cgroups_of (mountinfo, cgroup);
  const UrunInitPlan *plan = &owner->plan;
  g_autoptr (UrunPlanOwner) hidden = NULL;

  g_assert_false (plan->cgroup_unified);
  g_assert_cmpuint (plan->n_cgroups, ==, 2);
  g_assert_cmpstr (plan->cgroups[0].name, ==, "memory");
  g_assert_cmpstr (plan->cgroups[0].host_root, ==, "/outer");
  g_assert_cmpstr (plan->cgroups[1].name, ==, "odd name");
  g_assert_cmpstr (plan->cgroups[1].host_mount, ==, "/sys/fs/cgroup/odd name");
  g_assert_cmpint (plan->cgroups[1].id, ==, 5);

  hidden = cgroups_of ("31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
                       "32 31 0:29 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
                       "40 23 0:40 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
                       "bad line\n",
                       "1:pids:/\n0::/\n");
  g_assert_true (hidden->plan.cgroup_unified);
  g_assert_cmpuint (hidden->plan.n_cgroups, ==, 1);
}

static void
test_none (void)
{
  g_autoptr (UrunPlanOwner) owner = cgroups_of ("23 1 254:0 / / rw - ext4 /dev/vda rw\n", NULL);

  g_assert_false (owner->plan.cgroup_unified);
  g_assert_cmpuint (owner->plan.n_cgroups, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plan-cgroupfs/hybrid", test_hybrid);
  g_test_add_func ("/plan-cgroupfs/comounted", test_comounted);
  g_test_add_func ("/plan-cgroupfs/unified", test_unified);
  g_test_add_func ("/plan-cgroupfs/in-a-container", test_in_a_container);
  g_test_add_func ("/plan-cgroupfs/none", test_none);
  return g_test_run ();
}
