/* urun-proc.h: processes through /proc: /proc/PID/stat, the members of a
 * pid namespace, the one verified identity (pid, start time, pidfd) that
 * every signal and liveness check of a container's init goes through, and
 * init's oom_score_adj.
 *
 * Zone: host side (GLib).  urun_proc_stat_parse() follows the raw-helper
 * convention (no allocation, -errno on failure); urun_proc_stat_read() is
 * its GLib wrapper.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct
{
  char state;          /* field 3: R, S, D, Z, T, t, X, I, ... */
  pid_t ppid;          /* field 4 */
  uint64_t start_time; /* field 22: clock ticks after boot */
} UrunProcStat;

/* Parses the text of /proc/PID/stat (@len bytes, need not be NUL-terminated).
 * The comm field may contain spaces and ')', so fields are counted from the
 * last ')'.  Returns 0 and fills @out_stat, or -EINVAL. */
int urun_proc_stat_parse (const char *text, size_t len, UrunProcStat *out_stat);

/* Reads and parses /proc/@pid/stat.  A process that does not exist fails
 * with URUN_ERROR_NOT_FOUND. */
gboolean urun_proc_stat_read (pid_t pid, UrunProcStat *out_stat, GError **error);

/* TRUE when @pid exists, is not a zombie and (unless @start_time is 0,
 * "unknown") started at @start_time: the test for "this is still the process
 * we recorded" rather than some later process that reused the pid. */
gboolean urun_proc_is_alive (pid_t pid, uint64_t start_time);

/* The one way urun reaches a process it recorded (a container's init):
 * a pidfd of @pid, verified after it is taken to be the process that
 * started at @start_time (0: unknown, not checked).  Returns the pidfd
 * (close-on-exec), or -1 with errno: ESRCH when @pid is gone or is
 * another process now. */
int urun_proc_pidfd_open_verified (pid_t pid, uint64_t start_time);

/* Sends @signum to @pid through urun_proc_pidfd_open_verified(), so that a
 * reused pid is never signalled.  FALSE with errno on failure. */
gboolean urun_proc_signal (pid_t pid, uint64_t start_time, int signum);

/* Writes @value to /proc/@pid/oom_score_adj: the parent does it for init,
 * before GO, with its own privileges (lowering the value below the
 * caller's needs CAP_SYS_RESOURCE of the host, which no user namespace
 * gives).  Fails with URUN_ERROR_INIT_FAILED naming the value. */
gboolean urun_proc_write_oom_score_adj (pid_t pid, int value, GError **error);

/* Appends to @pids every process in @init's pid namespace other than
 * @init, when @init has a pid namespace of its own (not urun's); appends
 * nothing otherwise. */
void urun_proc_pid_namespace_others (pid_t init, GArray *pids);

/* Sends @signum to every other process of @init's pid namespace (when it
 * has one of its own), through pidfds, each checked after it is taken to
 * be in that namespace still; nothing when @init is not the process that
 * started at @init_start_time. */
void urun_proc_signal_pid_namespace_others (pid_t init, uint64_t init_start_time, int signum);

/* Sorts @pids (an array of pid_t) in ascending order. */
void urun_proc_sort_pids (GArray *pids);

G_END_DECLS
