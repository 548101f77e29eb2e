/* urun-init-security.c: the security profile of the container's process,
 * applied by init (see urun-init-security.h for the four entry points and when
 * urun_init_main() calls them).
 *
 * Zone: init.  No GLib, no allocation, no stdio: the parent resolved every
 * name into masks and numbers and compiled the seccomp filter to BPF
 * (urun-plan-security.c); this file only makes the system calls.
 *
 * The order, and why:
 *   start          execCPUAffinity.initial: the runtime's own work (building
 *                  the root, hooks) runs on the CPUs meant for it.
 *   before_user    still uid 0 with every capability of the namespace:
 *                  scheduler and ioPriority (a real-time policy, a negative
 *                  nice and the RT I/O class need CAP_SYS_NICE/SYS_ADMIN);
 *                  the bounding set (PR_CAPBSET_DROP needs CAP_SETPCAP);
 *                  PR_SET_KEEPCAPS so that the permitted set survives the
 *                  uid change; and the seccomp filter when noNewPrivileges
 *                  is not set, because then the kernel only lets a holder of
 *                  CAP_SYS_ADMIN load it, and the uid change drops it.
 *   (set_user in urun-init-process.c: setgroups, setresgid, setresuid)
 *   after_user     capset() of effective/permitted/inheritable (the uid
 *                  change cleared effective), then ambient (a capability
 *                  must be permitted and inheritable to be raised).  A
 *                  filter with SCMP_ACT_NOTIFY under noNewPrivileges loads
 *                  here: its fd has to reach the parent before READY, since
 *                  after `create` returns nobody on the other end could pass
 *                  it to the listener.
 *   before_exec    right before execve, after the startContainer hooks:
 *                  personality, memory policy, execCPUAffinity.final, the
 *                  LSM labels for the exec, no_new_privs, and last the
 *                  seccomp filter under noNewPrivileges, so that it has to
 *                  allow nothing of init's own work but execve itself.
 */
#include "config.h"

#include "init/urun-init-security.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif
#define IOPRIO_WHO_PROCESS 1

/* struct sched_attr as of Linux 3.14 (SCHED_ATTR_SIZE_VER0); the spec has
 * no utilization clamps, so the later fields are not sent. */
struct urun_sched_attr
{
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
};

/* Where the filter is loaded (see the file's comment). */
static bool
seccomp_before_user (const UrunInitPlan *plan)
{
  return plan->seccomp_bpf != NULL && !plan->no_new_privileges;
}

static bool
seccomp_after_user (const UrunInitPlan *plan)
{
  return plan->seccomp_bpf != NULL && plan->no_new_privileges && plan->seccomp_notify;
}

static bool
seccomp_before_exec (const UrunInitPlan *plan)
{
  return plan->seccomp_bpf != NULL && plan->no_new_privileges && !plan->seccomp_notify;
}

static int
load_seccomp (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  struct sock_fprog prog = {
    .len = plan->seccomp_len,
    .filter = (struct sock_filter *) plan->seccomp_bpf,
  };
  long r = syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, plan->seccomp_flags, &prog);
  int sent;

  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_SECCOMP, errno, NULL);
  if (!plan->seccomp_notify)
    return 0;
  /* With SECCOMP_FILTER_FLAG_NEW_LISTENER the result is the notify fd.
   * The parent passes it on to the listener; init must not keep it, or
   * the payload would inherit the power to answer its own syscalls. */
  sent = urun_sync_send_fd (plan->sync_fd, URUN_SYNC_SECCOMP_FD, (int) r, NULL);
  close ((int) r);
  if (sent < 0)
    return urun_init_fail (failure, URUN_STEP_SECCOMP, sent, "send the notify fd");
  return 0;
}

int
urun_init_security_start (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  if (plan->cpu_affinity_initial != NULL
      && sched_setaffinity (0, plan->cpu_affinity_initial_size,
                            (const cpu_set_t *) plan->cpu_affinity_initial) < 0)
    return urun_init_fail (failure, URUN_STEP_CPU_AFFINITY, errno, "execCPUAffinity.initial");
  return 0;
}

int
urun_init_security_before_user (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  if (plan->has_scheduler)
    {
      struct urun_sched_attr attr;

      memset (&attr, 0, sizeof attr);
      attr.size = sizeof attr;
      attr.sched_policy = plan->sched_policy;
      attr.sched_flags = plan->sched_flags;
      attr.sched_nice = plan->sched_nice;
      attr.sched_priority = plan->sched_priority;
      attr.sched_runtime = plan->sched_runtime;
      attr.sched_deadline = plan->sched_deadline;
      attr.sched_period = plan->sched_period;
      if (syscall (SYS_sched_setattr, 0, &attr, 0) < 0)
        return urun_init_fail (failure, URUN_STEP_SCHEDULER, errno, NULL);
    }

  /* IOPRIO_WHO_PROCESS rather than the process group the spec mentions:
   * until the payload calls setsid, init's group may be the caller's, whose
   * other members are not ours to change; the container's processes inherit
   * the priority from init all the same. */
  if (plan->has_ioprio && syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, plan->ioprio) < 0)
    return urun_init_fail (failure, URUN_STEP_IOPRIO, errno, NULL);

  if (plan->has_capabilities)
    {
      for (int cap = 0; cap <= plan->cap_last && cap < 64; cap++)
        {
          if (plan->cap_bounding & ((uint64_t) 1 << cap))
            continue;
          /* Already out (an outer runtime dropped it): nothing to do, and
           * without CAP_SETPCAP the drop itself would fail. */
          if (prctl (PR_CAPBSET_READ, cap, 0, 0, 0) == 0)
            continue;
          if (prctl (PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
            return urun_init_fail (failure, URUN_STEP_CAPABILITIES, errno, "bounding set");
        }
      if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
        return urun_init_fail (failure, URUN_STEP_CAPABILITIES, errno, "keepcaps");
    }

  if (seccomp_before_user (plan))
    return load_seccomp (plan, failure);
  return 0;
}

int
urun_init_security_after_user (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  if (plan->has_capabilities)
    {
      struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
      struct __user_cap_data_struct data[2];

      memset (data, 0, sizeof data);
      data[0].effective = (uint32_t) plan->cap_effective;
      data[1].effective = (uint32_t) (plan->cap_effective >> 32);
      data[0].permitted = (uint32_t) plan->cap_permitted;
      data[1].permitted = (uint32_t) (plan->cap_permitted >> 32);
      data[0].inheritable = (uint32_t) plan->cap_inheritable;
      data[1].inheritable = (uint32_t) (plan->cap_inheritable >> 32);
      if (syscall (SYS_capset, &header, data) < 0)
        return urun_init_fail (failure, URUN_STEP_CAPABILITIES, errno, "capset");
      prctl (PR_SET_KEEPCAPS, 0, 0, 0, 0);

      /* Clear first: ambient capabilities inherited from urun's caller
       * must not reach the container. */
      if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0
          && (errno != EINVAL || plan->cap_ambient != 0))
        return urun_init_fail (failure, URUN_STEP_CAPABILITIES, errno, "ambient");
      for (int cap = 0; cap <= plan->cap_last && cap < 64; cap++)
        if ((plan->cap_ambient & ((uint64_t) 1 << cap))
            && prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
          return urun_init_fail (failure, URUN_STEP_CAPABILITIES, errno, "ambient");
    }

  if (seccomp_after_user (plan))
    {
      if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return urun_init_fail (failure, URUN_STEP_NO_NEW_PRIVS, errno, NULL);
      return load_seccomp (plan, failure);
    }
  return 0;
}

int
urun_init_security_before_exec (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  int r;

  if (plan->has_personality && personality (plan->personality) < 0)
    return urun_init_fail (failure, URUN_STEP_PERSONALITY, errno, NULL);

  if (plan->has_mempolicy
      && syscall (SYS_set_mempolicy, plan->mempolicy_mode, plan->mempolicy_nodes,
                  plan->mempolicy_maxnode) < 0)
    return urun_init_fail (failure, URUN_STEP_MEMORY_POLICY, errno, NULL);

  if (plan->cpu_affinity_final != NULL
      && sched_setaffinity (0, plan->cpu_affinity_final_size,
                            (const cpu_set_t *) plan->cpu_affinity_final) < 0)
    return urun_init_fail (failure, URUN_STEP_CPU_AFFINITY, errno, "execCPUAffinity.final");

  /* The labels apply at the next execve: that of the process. */
  if (plan->apparmor_exec != NULL)
    {
      r = urun_init_write_proc ("/proc/self/attr/apparmor/exec", plan->apparmor_exec);
      if (r == -ENOENT)
        r = urun_init_write_proc ("/proc/self/attr/exec", plan->apparmor_exec);
      if (r < 0)
        return urun_init_fail (failure, URUN_STEP_APPARMOR, r, plan->apparmor_exec + 5);
    }
  if (plan->selinux_label != NULL)
    {
      r = urun_init_write_proc ("/proc/self/attr/exec", plan->selinux_label);
      if (r < 0)
        return urun_init_fail (failure, URUN_STEP_SELINUX, r, plan->selinux_label);
    }

  if (plan->no_new_privileges && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return urun_init_fail (failure, URUN_STEP_NO_NEW_PRIVS, errno, NULL);

  /* Last: from here only execve (and, should it fail, the report to the
   * parent) runs under the filter. */
  if (seccomp_before_exec (plan))
    return load_seccomp (plan, failure);
  return 0;
}
