/* urun-doctor.h: what containers need on this machine, checked one piece
 * at a time, each with the command that fixes it (`urun doctor`).
 *
 * Zone: host side (GLib).  Probes only: nothing is changed, the kernel
 * probes run in a forked child or on throw-away fds.
 *
 * A check "fail"s when `urun run` of the default spec (`urun spec`, or
 * `spec --rootless` when unprivileged) cannot work without the fix; it
 * "warn"s when urun works around the gap (single-id map without subordinate
 * ids, a state root outside XDG_RUNTIME_DIR, no cgroup limits without a
 * delegated cgroup v2) or only configs that ask for a feature need it.
 */
#pragma once

#include <glib.h>

#include "container/urun-runtime.h"

G_BEGIN_DECLS

typedef enum
{
  URUN_DOCTOR_OK,
  URUN_DOCTOR_WARN,
  URUN_DOCTOR_FAIL,
} UrunDoctorStatus;

/* "ok", "warn" or "fail": the stable names of `doctor --json`. */
const char *urun_doctor_status_to_string (UrunDoctorStatus status);

typedef struct
{
  char *name;   /* stable identifier, e.g. "subuid", "openat2" */
  UrunDoctorStatus status;
  char *detail; /* what was found, for people */
  char *fix;    /* the command(s) that fix it, or NULL when ok */
} UrunDoctorCheck;

void urun_doctor_check_free (UrunDoctorCheck *check);

/* Runs every check for the user of @runtime, as UrunDoctorCheck *, in the
 * order `doctor` prints them.  The checks only an unprivileged user needs
 * (subordinate ids, newuidmap, XDG_RUNTIME_DIR, the user's systemd,
 * lingering, delegation) are left out for root, and for uid 0 in a user
 * namespace (rootless, but euid 0). */
GPtrArray *urun_doctor_run (const UrunRuntime *runtime);

/* TRUE when no check of @checks failed. */
gboolean urun_doctor_ready (GPtrArray *checks);

G_END_DECLS
