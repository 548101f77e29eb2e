/* test-seccomp.c: unit tests of urun_seccomp_compile() and the seccomp
 * notify hand-over.  Filters are compiled from small linux.seccomp
 * documents and then loaded for real in a forked child (no_new_privs makes
 * that possible without privileges), which reports what its syscalls did:
 * every action, errnoRet, default actions, argument operators (MASKED_EQ
 * included), several args on one index, unknown names, architectures and
 * flags. */
#include "config.h"

#include "util/urun-error.h"
#include "plan/urun-seccomp.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* Builds a spec around @seccomp (the JSON of linux.seccomp) and compiles
 * it into @out. */
static gboolean
compile (const char *seccomp, UrunSeccompProgram *out, GError **error)
{
  g_autofree char *json = g_strdup_printf (
    "{ \"ociVersion\": \"1.2.0\","
    "  \"process\": { \"user\": { \"uid\": 0, \"gid\": 0 }, \"args\": [\"sh\"], \"cwd\": \"/\" },"
    "  \"root\": { \"path\": \"rootfs\" },"
    "  \"linux\": { \"seccomp\": %s } }",
    seccomp);
  g_autoptr (UrunSpec) spec = urun_spec_load_data (json, -1, "config.json", error);

  if (spec == NULL)
    return FALSE;
  return urun_seccomp_compile (spec->linux_->seccomp, out, error);
}

static void
compile_ok (const char *seccomp, UrunSeccompProgram *out)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (compile (seccomp, out, &error));
  g_assert_no_error (error);
  g_assert_nonnull (out->bpf);
  g_assert_cmpuint (out->n_instructions, >, 0);
}

typedef int (*ChildFunc) (void);

/* Forks; the child loads @program and returns func()'s value as its exit
 * status.  Returns the wait status. */
static int
run_filtered (const UrunSeccompProgram *program, ChildFunc func)
{
  pid_t pid;
  int status = 0;

  fflush (NULL);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      struct sock_fprog prog = {
        .len = (unsigned short) program->n_instructions,
        .filter = (struct sock_filter *) program->bpf,
      };

      if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        _exit (200);
      if (syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                   program->flags & ~SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog) < 0)
        _exit (201);
      _exit (func ());
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return status;
}

/* The errno of a raw syscall that must fail, or 0 if it succeeded. */
#define ERRNO_OF(call) ((call) < 0 ? errno : 0)

static int
child_getppid_errno (void)
{
  return ERRNO_OF (syscall (SYS_getppid));
}

static int
child_getpriority_masked (void)
{
  /* (arg0 & 0xf0) == 0x10 is blocked with 11; other "which" values reach
   * the kernel, which says EINVAL (22) for these. */
  if (ERRNO_OF (syscall (SYS_getpriority, 0x13, 0)) != 11)
    return 1;
  if (ERRNO_OF (syscall (SYS_getpriority, 0x1f, 0)) != 11)
    return 2;
  if (ERRNO_OF (syscall (SYS_getpriority, 0x23, 0)) != EINVAL)
    return 3;
  return 0;
}

static int
child_getpriority_or (void)
{
  if (ERRNO_OF (syscall (SYS_getpriority, 5, 0)) != 12)
    return 1;
  if (ERRNO_OF (syscall (SYS_getpriority, 6, 0)) != 12)
    return 2;
  if (ERRNO_OF (syscall (SYS_getpriority, 7, 0)) != EINVAL)
    return 3;
  return 0;
}

static int
child_getpriority_and (void)
{
  if (ERRNO_OF (syscall (SYS_getpriority, 5, 9)) != 13)
    return 1;
  if (ERRNO_OF (syscall (SYS_getpriority, 5, 8)) != EINVAL)
    return 2;
  if (ERRNO_OF (syscall (SYS_getpriority, 6, 9)) != EINVAL)
    return 3;
  return 0;
}

static int
child_getpriority_ops (void)
{
  /* GT 10 / LT 3 / GE / LE / NE on arg1 (who), each with its own errno. */
  if (ERRNO_OF (syscall (SYS_getpriority, 100, 11)) != 31)
    return 1;
  if (ERRNO_OF (syscall (SYS_getpriority, 101, 2)) != 32)
    return 2;
  if (ERRNO_OF (syscall (SYS_getpriority, 102, 7)) != 33)
    return 3;
  if (ERRNO_OF (syscall (SYS_getpriority, 102, 6)) != EINVAL)
    return 4;
  if (ERRNO_OF (syscall (SYS_getpriority, 103, 4)) != 34)
    return 5;
  if (ERRNO_OF (syscall (SYS_getpriority, 103, 5)) != EINVAL)
    return 6;
  if (ERRNO_OF (syscall (SYS_getpriority, 104, 1)) != 35)
    return 7;
  if (ERRNO_OF (syscall (SYS_getpriority, 104, 0)) != EINVAL)
    return 8;
  return 0;
}

static int
child_getppid_ok (void)
{
  return syscall (SYS_getppid) > 0 ? 0 : 1;
}

static volatile sig_atomic_t trapped_code;

static void
on_sigsys (int sig, siginfo_t *info, void *context)
{
  trapped_code = info->si_code;
}

static int
child_trap (void)
{
  struct sigaction action = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };

  sigaction (SIGSYS, &action, NULL);
  syscall (SYS_getppid);
  /* SYS_SECCOMP is 1. */
  return trapped_code == 1 ? 0 : 1;
}

static void
test_errno_ret (void)
{
  UrunSeccompProgram program = { 0 };
  int status;

  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
              "  \"syscalls\": [ { \"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\","
              "                    \"errnoRet\": 42 } ] }",
              &program);
  g_assert_false (program.uses_notify);
  g_assert_cmpuint (program.flags, ==, 0);
  status = run_filtered (&program, child_getppid_errno);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 42);
  urun_seccomp_program_clear (&program);

  /* Without errnoRet: EPERM. */
  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
              "  \"syscalls\": [ { \"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\" } ] }",
              &program);
  status = run_filtered (&program, child_getppid_errno);
  g_assert_cmpint (WEXITSTATUS (status), ==, EPERM);
  urun_seccomp_program_clear (&program);
}

static void
test_default_errno (void)
{
  UrunSeccompProgram program = { 0 };
  int status;

  /* A default ERRNO with an allow list: what the child needs to exit is
   * allowed (with what a sanitizer's runtime may call on the way),
   * getppid gets the default's number. */
  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 77,"
              "  \"syscalls\": [ { \"names\": [\"exit_group\", \"exit\", \"write\","
              "    \"writev\", \"mmap\", \"munmap\", \"mprotect\", \"madvise\","
              "    \"rt_sigaction\", \"rt_sigprocmask\", \"sigaltstack\", \"getpid\","
              "    \"gettid\", \"tgkill\", \"futex\", \"sched_yield\", \"prctl\","
              "    \"prlimit64\", \"getrlimit\", \"readlink\", \"readlinkat\", \"open\","
              "    \"openat\", \"close\", \"read\", \"pread64\", \"fstat\", \"newfstatat\","
              "    \"ioctl\", \"clock_gettime\"],"
              "                    \"action\": \"SCMP_ACT_ALLOW\" } ] }",
              &program);
  status = run_filtered (&program, child_getppid_errno);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 77);
  urun_seccomp_program_clear (&program);
}

static void
test_kill_and_trap (void)
{
  UrunSeccompProgram program = { 0 };
  const char *kills[] = { "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL" };
  int status;

  for (gsize i = 0; i < G_N_ELEMENTS (kills); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
        "  \"syscalls\": [ { \"names\": [\"getppid\"], \"action\": \"%s\" } ] }",
        kills[i]);

      compile_ok (json, &program);
      status = run_filtered (&program, child_getppid_ok);
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGSYS);
      urun_seccomp_program_clear (&program);
    }

  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
              "  \"syscalls\": [ { \"names\": [\"getppid\"], \"action\": \"SCMP_ACT_TRAP\" } ] }",
              &program);
  status = run_filtered (&program, child_trap);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  urun_seccomp_program_clear (&program);
}

static void
test_log_trace_allow (void)
{
  UrunSeccompProgram program = { 0 };
  int status;

  /* LOG lets the call through (and logs it). */
  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
              "  \"syscalls\": [ { \"names\": [\"getppid\"], \"action\": \"SCMP_ACT_LOG\" } ] }",
              &program);
  status = run_filtered (&program, child_getppid_ok);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  urun_seccomp_program_clear (&program);

  /* TRACE without a tracer: the kernel answers ENOSYS. */
  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
              "  \"syscalls\": [ { \"names\": [\"getppid\"], \"action\": \"SCMP_ACT_TRACE\","
              "                    \"errnoRet\": 5 } ] }",
              &program);
  status = run_filtered (&program, child_getppid_errno);
  g_assert_cmpint (WEXITSTATUS (status), ==, ENOSYS);
  urun_seccomp_program_clear (&program);

  /* A rule that repeats the default action is left out, not an error;
   * an ALLOW rule under a LOG default lets the call through. */
  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_LOG\","
              "  \"syscalls\": [ { \"names\": [\"getppid\"], \"action\": \"SCMP_ACT_LOG\" },"
              "                  { \"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\" } ] }",
              &program);
  status = run_filtered (&program, child_getppid_ok);
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  urun_seccomp_program_clear (&program);
}

static void
test_conditions (void)
{
  UrunSeccompProgram program = { 0 };
  int status;

  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
              "  \"syscalls\": [ { \"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\","
              "    \"errnoRet\": 11, \"args\": [ { \"index\": 0, \"value\": 240,"
              "    \"valueTwo\": 16, \"op\": \"SCMP_CMP_MASKED_EQ\" } ] } ] }",
              &program);
  status = run_filtered (&program, child_getpriority_masked);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  urun_seccomp_program_clear (&program);

  /* Two args on index 0: each its own rule, so either value matches. */
  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
              "  \"syscalls\": [ { \"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\","
              "    \"errnoRet\": 12, \"args\": ["
              "      { \"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_EQ\" },"
              "      { \"index\": 0, \"value\": 6, \"op\": \"SCMP_CMP_EQ\" } ] } ] }",
              &program);
  status = run_filtered (&program, child_getpriority_or);
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  urun_seccomp_program_clear (&program);

  /* Args on different indexes: one rule, all must match. */
  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
              "  \"syscalls\": [ { \"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\","
              "    \"errnoRet\": 13, \"args\": ["
              "      { \"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_EQ\" },"
              "      { \"index\": 1, \"value\": 9, \"op\": \"SCMP_CMP_EQ\" } ] } ] }",
              &program);
  status = run_filtered (&program, child_getpriority_and);
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  urun_seccomp_program_clear (&program);

  /* The other operators, on arg1, told apart by arg0. */
  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
              "  { \"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 31,"
              "    \"args\": [ { \"index\": 0, \"value\": 100, \"op\": \"SCMP_CMP_EQ\" },"
              "                { \"index\": 1, \"value\": 10, \"op\": \"SCMP_CMP_GT\" } ] },"
              "  { \"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 32,"
              "    \"args\": [ { \"index\": 0, \"value\": 101, \"op\": \"SCMP_CMP_EQ\" },"
              "                { \"index\": 1, \"value\": 3, \"op\": \"SCMP_CMP_LT\" } ] },"
              "  { \"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 33,"
              "    \"args\": [ { \"index\": 0, \"value\": 102, \"op\": \"SCMP_CMP_EQ\" },"
              "                { \"index\": 1, \"value\": 7, \"op\": \"SCMP_CMP_GE\" } ] },"
              "  { \"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 34,"
              "    \"args\": [ { \"index\": 0, \"value\": 103, \"op\": \"SCMP_CMP_EQ\" },"
              "                { \"index\": 1, \"value\": 4, \"op\": \"SCMP_CMP_LE\" } ] },"
              "  { \"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 35,"
              "    \"args\": [ { \"index\": 0, \"value\": 104, \"op\": \"SCMP_CMP_EQ\" },"
              "                { \"index\": 1, \"value\": 0, \"op\": \"SCMP_CMP_NE\" } ] } ] }",
              &program);
  status = run_filtered (&program, child_getpriority_ops);
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  urun_seccomp_program_clear (&program);
}

static void
test_unknown_names_and_archs (void)
{
  UrunSeccompProgram program = { 0 };
  UrunSeccompProgram native = { 0 };
  int status;

  /* An unknown name is skipped; the known one in the same entry works. */
  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
              "  \"syscalls\": [ { \"names\": [\"no_such_syscall_at_all\", \"getppid\"],"
              "                    \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 9 } ] }",
              &native);
  status = run_filtered (&native, child_getppid_errno);
  g_assert_cmpint (WEXITSTATUS (status), ==, 9);

  /* More architectures make a longer program that still works. */
  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
              "  \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\","
              "                      \"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\"],"
              "  \"syscalls\": [ { \"names\": [\"no_such_syscall_at_all\", \"getppid\"],"
              "                    \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 9 } ] }",
              &program);
  g_assert_cmpuint (program.n_instructions, >, native.n_instructions);
  status = run_filtered (&program, child_getppid_errno);
  g_assert_cmpint (WEXITSTATUS (status), ==, 9);
  urun_seccomp_program_clear (&program);
  urun_seccomp_program_clear (&native);
}

static void
test_flags_and_notify (void)
{
  UrunSeccompProgram program = { 0 };
  g_autoptr (GError) error = NULL;

  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
              "  \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\","
              "             \"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],"
              "  \"syscalls\": [ { \"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\" } ] }",
              &program);
  /* WAIT_KILLABLE_RECV means nothing without a listener: dropped. */
  g_assert_cmphex (program.flags, ==, SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW);
  urun_seccomp_program_clear (&program);

  compile_ok ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/x.sock\","
              "  \"flags\": [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],"
              "  \"syscalls\": [ { \"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\" } ] }",
              &program);
  g_assert_true (program.uses_notify);
  g_assert_cmphex (program.flags, ==, SECCOMP_FILTER_FLAG_NEW_LISTENER | (1U << 5));
  urun_seccomp_program_clear (&program);

  /* NOTIFY with nobody to answer is refused. */
  g_assert_false (compile ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\","
                           "  \"syscalls\": [ { \"names\": [\"mkdir\"],"
                           "                    \"action\": \"SCMP_ACT_NOTIFY\" } ] }",
                           &program, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "listenerPath"));
  g_assert_null (program.bpf);
}

static void
test_process_state_json (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = urun_seccomp_process_state_json (
    4422, "MKNOD=/dev/null", "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"status\":\"creating\","
                             "\"pid\":4422,\"bundle\":\"/b\"}",
    &error);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root, *state;
  JsonArray *fds;

  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "ociVersion"), ==, URUN_OCI_VERSION);
  g_assert_cmpint (json_object_get_int_member (root, "pid"), ==, 4422);
  g_assert_cmpstr (json_object_get_string_member (root, "metadata"), ==, "MKNOD=/dev/null");
  fds = json_object_get_array_member (root, "fds");
  g_assert_cmpuint (json_array_get_length (fds), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (fds, 0), ==, "seccompFd");
  state = json_object_get_object_member (root, "state");
  g_assert_cmpstr (json_object_get_string_member (state, "id"), ==, "c1");
  g_assert_cmpstr (json_object_get_string_member (state, "status"), ==, "creating");

  g_clear_pointer (&json, g_free);
  json = urun_seccomp_process_state_json (1, NULL, "[1]", &error);
  g_assert_null (json);
  g_assert_nonnull (error);
}

static void
test_send_to_listener (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("urun-seccomp-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "listener.sock", NULL);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int server = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int passed[2], conn, received = -1;
  char buffer[4096] = { 0 };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = buffer, .iov_len = sizeof buffer - 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                        .msg_controllen = sizeof control.buf };
  struct cmsghdr *cmsg;
  struct stat st_sent, st_received;

  g_assert_cmpint (server, >=, 0);
  g_strlcpy (addr.sun_path, path, sizeof addr.sun_path);
  g_assert_cmpint (bind (server, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (server, 1), ==, 0);
  g_assert_cmpint (pipe (passed), ==, 0);

  g_assert_true (urun_seccomp_send_to_listener (path, "meta", 7,
                                                "{\"id\":\"c\",\"status\":\"creating\"}",
                                                passed[0], &error));
  g_assert_no_error (error);
  conn = accept (server, NULL, NULL);
  g_assert_cmpint (conn, >=, 0);
  g_assert_cmpint (recvmsg (conn, &msg, MSG_CMSG_CLOEXEC), >, 0);
  cmsg = CMSG_FIRSTHDR (&msg);
  g_assert_nonnull (cmsg);
  g_assert_cmpint (cmsg->cmsg_type, ==, SCM_RIGHTS);
  memcpy (&received, CMSG_DATA (cmsg), sizeof received);
  g_assert_cmpint (fstat (received, &st_received), ==, 0);
  g_assert_cmpint (fstat (passed[0], &st_sent), ==, 0);
  g_assert_cmpuint (st_received.st_ino, ==, st_sent.st_ino);
  g_assert_nonnull (strstr (buffer, "\"seccompFd\""));
  g_assert_nonnull (strstr (buffer, "\"metadata\":\"meta\""));
  /* One state per connection, then closed. */
  g_assert_cmpint (read (conn, buffer, sizeof buffer), ==, 0);

  close (received);
  close (conn);
  close (passed[0]);
  close (passed[1]);

  /* Nobody listening: a loud error. */
  close (server);
  g_unlink (path);
  g_assert_false (urun_seccomp_send_to_listener (path, NULL, 7, "{}", 0, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "connect"));
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#if HAVE_SECCOMP
  g_test_add_func ("/seccomp/errno-ret", test_errno_ret);
  g_test_add_func ("/seccomp/default-errno", test_default_errno);
  g_test_add_func ("/seccomp/kill-and-trap", test_kill_and_trap);
  g_test_add_func ("/seccomp/log-trace-allow", test_log_trace_allow);
  g_test_add_func ("/seccomp/conditions", test_conditions);
  g_test_add_func ("/seccomp/unknown-names-and-archs", test_unknown_names_and_archs);
  g_test_add_func ("/seccomp/flags-and-notify", test_flags_and_notify);
#endif
  g_test_add_func ("/seccomp/process-state-json", test_process_state_json);
  g_test_add_func ("/seccomp/send-to-listener", test_send_to_listener);
  return g_test_run ();
}
