/* fuzz-sync.c: libFuzzer target for the sync messages between urun and the
 * container's init: the input is sent as one SOCK_SEQPACKET datagram and
 * received as the host side receives it, and an accepted URUN_SYNC_ERROR
 * is turned into its message as urun reports it.  A datagram of any size,
 * type, step or errno (a hostile or broken init) must be refused or
 * reported, never read out of bounds. */
#include "fuzz-common.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "container/urun-spawn.h"
#include "init/urun-sync.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static int fds[2] = { -1, -1 };
  UrunSyncMessage message;
  int passed_fd = -1;
  int r;

  /* One socketpair for the whole run: the fuzzer runs millions of inputs. */
  if (fds[0] < 0 && socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
    abort ();
  /* Datagrams above the socket's buffer fail to send; that is no finding. */
  if (send (fds[1], data, size, MSG_DONTWAIT) != (ssize_t) size)
    return 0;
  r = urun_sync_receive_fd (fds[0], &message, &passed_fd);
  if (r == 0)
    {
      g_autoptr (GError) error = NULL;

      if (passed_fd >= 0)
        abort ();
      if (message.type < URUN_SYNC_GO || message.type >= URUN_SYNC_LAST_
          || memchr (message.detail, '\0', sizeof message.detail) == NULL)
        abort ();
      if (message.type == URUN_SYNC_ERROR)
        {
          if (urun_spawn_fail_from_message (&message, &error))
            abort ();
          urun_fuzz_check_outcome (FALSE, error);
        }
      else
        (void) urun_init_step_name (message.step);
    }
  else if (r != -EBADMSG && r != -EPIPE)
    abort ();
  return 0;
}
