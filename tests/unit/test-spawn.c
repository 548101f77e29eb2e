/* test-spawn.c: unit tests of a stage's handshake, both halves: the
 * stage's hand-over to the process it clones (urun_init_stage_hand_over())
 * and the parent's loop that follows it (urun_spawn_follow_stage()), in
 * its two modes: init's staged path and exec. */
#include "config.h"

#include "container/urun-spawn.h"
#include "init/urun-init-stage.h"
#include "init/urun-sync.h"
#include "util/urun-error.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* What the forked stage does with its end of the sync socket; plain
 * system calls only, then _exit(0) when it returns. */
typedef void (*StageFunc) (int fd);

static UrunInitProcess
spawn (StageFunc stage)
{
  UrunInitProcess process = URUN_INIT_PROCESS_INIT;
  int sv[2];
  pid_t pid;

  g_assert_no_errno (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv));
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (sv[0]);
      stage (sv[1]);
      _exit (0);
    }
  close (sv[1]);
  process.pid = pid;
  process.sync_fd = sv[0];
  return process;
}

/* Returns in the process the stage cloned, once the stage has reported
 * its pid (the stage's end of a pipe closes when it exits), so that what
 * the process sends comes after URUN_SYNC_INIT_PID. */
static void
hand_over (int fd)
{
  UrunInitPlan plan;
  UrunInitFailure failure;
  int stage_alive[2];
  char c;

  memset (&plan, 0, sizeof plan);
  plan.sync_fd = fd;
  if (pipe (stage_alive) < 0 || urun_init_stage_hand_over (&plan, "clone", &failure) < 0)
    _exit (2);
  close (stage_alive[1]);
  while (read (stage_alive[0], &c, 1) < 0 && errno == EINTR)
    ;
  close (stage_alive[0]);
}

static void
stage_sends_terminal (int fd)
{
  int pipefd[2];

  hand_over (fd);
  if (pipe (pipefd) < 0
      || urun_sync_send_fd (fd, URUN_SYNC_TERMINAL, pipefd[0], "/dev/pts/0") < 0)
    _exit (1);
}

static void
stage_fails_in_process (int fd)
{
  hand_over (fd);
  urun_sync_send (fd, URUN_SYNC_ERROR, URUN_STEP_CWD, ENOENT, 0, "/nowhere");
  _exit (1);
}

static void
stage_dies (int fd)
{
  (void) fd;
  _exit (3);
}

static void
stage_sends_terminal_at_once (int fd)
{
  urun_sync_send_fd (fd, URUN_SYNC_TERMINAL, STDIN_FILENO, NULL);
}

static void
test_exec_runs (void)
{
  g_autoptr (GError) error = NULL;
  UrunInitProcess process = spawn (stage_sends_terminal);
  pid_t stage = process.pid;
  struct stat st;
  int status = 0;

  g_assert_true (urun_spawn_follow_stage (&process, URUN_STAGE_UNTIL_EXEC, NULL,
                                          "the exec process", &error));
  g_assert_no_error (error);
  /* The stage was reaped at the hand-over; the process is our child. */
  g_assert_cmpint (process.pid, !=, stage);
  g_assert_cmpint (waitpid (stage, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (waitpid (process.pid, &status, 0), ==, process.pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_cmpint (process.terminal_fd, >=, 0);
  g_assert_no_errno (fstat (process.terminal_fd, &st));
  g_assert_true (S_ISFIFO (st.st_mode));
  process.reaped = TRUE;
  urun_init_process_clear (&process);
}

static void
test_exec_fails (void)
{
  g_autoptr (GError) error = NULL;
  UrunInitProcess process = spawn (stage_fails_in_process);

  g_assert_false (urun_spawn_follow_stage (&process, URUN_STAGE_UNTIL_EXEC, NULL,
                                           "the exec process", &error));
  g_assert_nonnull (strstr (error->message, "change directory `/nowhere`"));
  /* The sender, the process itself, is reaped. */
  g_assert_true (process.reaped);
  g_assert_cmpint (WEXITSTATUS (process.wait_status), ==, 1);
  urun_init_process_clear (&process);
}

static void
test_exec_stage_dies (void)
{
  g_autoptr (GError) error = NULL;
  UrunInitProcess process = spawn (stage_dies);

  g_assert_false (urun_spawn_follow_stage (&process, URUN_STAGE_UNTIL_EXEC, NULL,
                                           "the exec process", &error));
  g_assert_cmpstr (error->message, ==, "the exec process died before it ran (status 3)");
  g_assert_true (process.reaped);
  urun_init_process_clear (&process);
}

static void
test_init_hand_over (void)
{
  g_autoptr (GError) error = NULL;
  UrunInitProcess process = spawn (hand_over);
  pid_t stage = process.pid;

  g_assert_true (urun_spawn_follow_stage (&process, URUN_STAGE_UNTIL_INIT_PID, NULL,
                                          "the container's init", &error));
  g_assert_no_error (error);
  g_assert_cmpint (process.pid, !=, stage);
  g_assert_false (process.reaped);
  g_assert_cmpint (waitpid (process.pid, NULL, 0), ==, process.pid);
  process.reaped = TRUE;
  urun_init_process_clear (&process);
}

static void
test_init_stage_dies (void)
{
  g_autoptr (GError) error = NULL;
  UrunInitProcess process = spawn (stage_dies);

  g_assert_false (urun_spawn_follow_stage (&process, URUN_STAGE_UNTIL_INIT_PID, NULL,
                                           "the container's init", &error));
  g_assert_cmpstr (error->message, ==,
                   "the container's init exited while entering its namespaces");
  g_assert_true (process.reaped);
  urun_init_process_clear (&process);
}

static void
test_init_refuses_a_terminal (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("unexpected message %u from the container's init",
                                               (unsigned) URUN_SYNC_TERMINAL);
  UrunInitProcess process = spawn (stage_sends_terminal_at_once);

  /* A pty master has no place in init's stages. */
  g_assert_false (urun_spawn_follow_stage (&process, URUN_STAGE_UNTIL_INIT_PID, NULL,
                                           "the container's init", &error));
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpint (process.terminal_fd, ==, -1);
  g_assert_cmpint (waitpid (process.pid, NULL, 0), ==, process.pid);
  process.reaped = TRUE;
  urun_init_process_clear (&process);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stage/exec-runs", test_exec_runs);
  g_test_add_func ("/stage/exec-fails", test_exec_fails);
  g_test_add_func ("/stage/exec-stage-dies", test_exec_stage_dies);
  g_test_add_func ("/stage/init-hand-over", test_init_hand_over);
  g_test_add_func ("/stage/init-stage-dies", test_init_stage_dies);
  g_test_add_func ("/stage/init-refuses-a-terminal", test_init_refuses_a_terminal);
  return g_test_run ();
}
