/* urun-init-security.h: the process's security profile
 * (urun-init-security.c), in four parts that init calls at the points
 * where each must happen (the file explains why):
 *   urun_init_security_start(): first thing, execCPUAffinity.initial;
 *   urun_init_security_before_user(): still uid 0 with every capability:
 *     scheduler, ioPriority, the bounding set, PR_SET_KEEPCAPS, and the
 *     seccomp filter without noNewPrivileges;
 *   urun_init_security_after_user(): after setresuid: capset() of the
 *     effective, permitted and inheritable sets, ambient; a NOTIFY filter
 *     under noNewPrivileges (its fd must reach the parent before READY);
 *   urun_init_security_before_exec(): right before execve: personality,
 *     memory policy, execCPUAffinity.final, AppArmor/SELinux exec labels,
 *     no_new_privs, and the seccomp filter under noNewPrivileges.
 * A NOTIFY filter's fd goes to the parent as URUN_SYNC_SECCOMP_FD.
 *
 * Zone: init (GLib-free, no allocation, no stdio).
 */
#pragma once

#include "init/urun-init-util.h"

int urun_init_security_start (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_security_before_user (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_security_after_user (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_security_before_exec (const UrunInitPlan *plan, UrunInitFailure *failure);
