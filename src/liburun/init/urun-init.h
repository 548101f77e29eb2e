/* urun-init.h: the container's init process, between clone() and execve().
 *
 * Zone: init (GLib-free, no allocation, no stdio).  Every function walks the
 * UrunInitPlan the parent prepared.  A failing step fills a UrunInitFailure
 * and returns -errno; urun_init_main() ships the failure to the parent as one
 * URUN_SYNC_ERROR message and exits.
 */
#pragma once

#include "init/urun-plan.h"
#include "init/urun-sync.h"

typedef struct
{
  UrunInitStep step;
  int errsv;                          /* positive errno, 0 if none */
  int value;                          /* step-specific: a hook's exit status */
  char detail[URUN_SYNC_DETAIL_MAX];  /* the path or name concerned */
} UrunInitFailure;

/* Records a failure and returns -@errsv (errsv may be given either sign). */
int urun_init_fail (UrunInitFailure *failure, UrunInitStep step, int errsv, const char *detail);

/* Copies @src into @dst (size @size), always NUL-terminated; returns the
 * length of @src.  No allocation. */
size_t urun_init_strlcpy (char *dst, const char *src, size_t size);

/* "/proc/self/fd/" plus the digits of an int. */
#define URUN_INIT_FD_PATH_MAX 32

/* Writes "/proc/self/fd/@fd" into @buf and returns @buf (urun-init-fs.c). */
const char *urun_init_fd_path (char buf[URUN_INIT_FD_PATH_MAX], int fd);

/* Creates the directory @path and its missing parents, 0755, like
 * `mkdir -p`.  Returns 0 or -errno. */
int urun_init_make_directories (const char *path);

/* urun_init_make_directories() of a directory urun itself needs in the
 * container (process.cwd, NOTIFY_SOCKET's directory).  On failure it fills
 * @failure for @step; on a read-only rootfs the detail says what to create,
 * with @or_else (" or mount a tmpfs on /run", or "") appended to that
 * advice.  Returns 0 or a negative value. */
int urun_init_make_needed_directory (const char *path, UrunInitStep step, const char *or_else,
                                     UrunInitFailure *failure);

/* With root.readonly, urun_init_enter_root() calls this just before "/"
 * becomes read-only: the cwd and NOTIFY_SOCKET's directory are created
 * while they still can be, as runc does (after the remount, making them
 * would mean lifting read-only again, which would also lift a read-only
 * bind made outside urun).  Returns 0 or a negative value. */
int urun_init_make_needed_directories (const UrunInitPlan *plan, UrunInitFailure *failure);

/* NOTIFY_SOCKET's directory in the container, when there is a proxy
 * socket to attach (urun-init-notify.c).  Returns 0 or a negative value. */
int urun_init_make_notify_directory (const UrunInitPlan *plan, UrunInitFailure *failure);

/* Opens init's procfs handle (an fd of /proc, checked to be procfs), first
 * thing in init and in the child of `exec`, before any namespace is
 * joined; it stays open until execve.  Returns 0 or a negative value. */
int urun_init_open_procfs (const UrunInitPlan *plan, UrunInitFailure *failure);

/* Writes @contents to @path, a "/proc/self/..." file, through the procfs
 * handle.  Returns 0 or -errno. */
int urun_init_write_proc_self (const char *path, const char *contents);

/* Opens @path, a "/proc/self/..." file, for reading through the procfs
 * handle.  Returns a new fd (close-on-exec) or -errno. */
int urun_init_read_proc_self (const char *path);

/* Default dispositions for every signal and an empty mask, for a program
 * urun is about to execve (the payload, a hook).  Async-signal-safe: also
 * the child setup of the host's hooks. */
void urun_init_reset_signals (void);

/* Runs init; never returns.  On success it ends in execve() of the process;
 * on failure it reports to the parent over plan->sync_fd and _exit()s. */
__attribute__ ((noreturn)) void urun_init_main (const UrunInitPlan *plan);

/* ---- urun-init-mounts.c ---------------------------------------------------
 * The root filesystem, in this order:
 *   urun_init_prepare_root(): propagation of "/" (plan->root_propagation),
 *     bind the rootfs onto itself, every plan->mounts[] entry (destinations
 *     resolved inside the rootfs, never through a symlink out of it),
 *     devices and the /dev links;
 *   (init runs the createRuntime/createContainer hooks here)
 *   urun_init_enter_root(): pivot_root (or move + chroot with no_pivot),
 *     rootfs propagation, root.readonly, maskedPaths, readonlyPaths.
 */
int urun_init_prepare_root (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_enter_root (const UrunInitPlan *plan, UrunInitFailure *failure);

/* ---- urun-init-security.c -------------------------------------------------
 * The process's security profile, in four parts that urun_init_main()
 * calls at the points where each must happen (the file explains why):
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
 * A NOTIFY filter's fd goes to the parent as URUN_SYNC_SECCOMP_FD. */
int urun_init_security_start (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_security_before_user (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_security_after_user (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_security_before_exec (const UrunInitPlan *plan, UrunInitFailure *failure);

/* ---- urun-init-terminal.c -------------------------------------------------
 * With plan->terminal (after urun_init_enter_root(), as the container's
 * root): a pty from the container's devpts; consoleSize; the slave bound
 * onto /dev/console and owned by the process's user; the master sent to the
 * parent (URUN_SYNC_TERMINAL); setsid, TIOCSCTTY, and the slave as fds 0-2.
 * Does nothing without plan->terminal. */
int urun_init_setup_terminal (const UrunInitPlan *plan, UrunInitFailure *failure);

/* ---- urun-init-notify.c ---------------------------------------------------
 * After the pivot: attaches the parent's detached mount of the
 * NOTIFY_SOCKET directory at plan->notify_dir (when set). */
int urun_init_attach_notify (const UrunInitPlan *plan, UrunInitFailure *failure);

/* ---- urun-init.c: steps that `exec` shares with init ----------------------
 * (urun-init-exec.c; the same code, so that both apply a process alike)
 *   urun_init_take_fds(): first thing: closes plan->child_close_fds and
 *     marks every fd from 3+preserve_fds up close-on-exec (of 3 ..
 *     3+preserve_fds-1, the caller's fds are kept across execve, urun's
 *     own close there);
 *   urun_init_join_namespaces(): setns() into each of plan->joins, in
 *     the plan's order (the failure names the namespace);
 *   urun_init_report_and_exit(): sends @failure to the parent (over
 *     plan->sync_fd, or exec.fifo once `start` released init) and exits
 *     127 for a program that is not there, 126 for one that cannot be
 *     run, 1 otherwise;
 *   urun_init_wait_for_message(): the next message on plan->sync_fd must
 *     be @expected;
 *   urun_init_set_rlimits(): setrlimit of each of plan->rlimits;
 *   urun_init_prepare_process(), in this order: chdir to plan->cwd
 *     (created when missing); the security profile's part before the uid
 *     change, setgroups (when can_setgroups), setresgid, setresuid, umask,
 *     the part after it; argv[0] looked up in plan->path_env into
 *     @executable (a failure is URUN_STEP_EXEC_NOT_FOUND when it is
 *     nowhere, URUN_STEP_EXEC when it is not executable);
 *   urun_init_execute(): default signal dispositions and an empty mask,
 *     the security profile's last part, execve() of @executable; returns
 *     only on failure. */
int urun_init_take_fds (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_join_namespaces (const UrunInitPlan *plan, UrunInitFailure *failure);
__attribute__ ((noreturn)) void urun_init_report_and_exit (const UrunInitPlan *plan,
                                                           const UrunInitFailure *failure);
int urun_init_wait_for_message (const UrunInitPlan *plan, UrunSyncType expected,
                                UrunInitFailure *failure);
int urun_init_set_rlimits (const UrunInitPlan *plan, UrunInitFailure *failure);
int urun_init_prepare_process (const UrunInitPlan *plan, char *executable, size_t size,
                               UrunInitFailure *failure);
int urun_init_execute (const UrunInitPlan *plan, const char *executable,
                       UrunInitFailure *failure);
