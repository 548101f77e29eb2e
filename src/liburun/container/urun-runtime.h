/* urun-runtime.h: the runtime context, what urun knows of itself and of
 * its caller, resolved once by the CLI from the global options, the
 * environment and the process's identity, then handed to every lifecycle
 * call.
 *
 * Zone: host side (GLib).  The layers below container/ never see this
 * type: they are given plain values taken from it (the state root, the
 * euid, the LISTEN_FDS count), so that none of them reads the environment
 * or asks who it runs as.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "cgroup/urun-cgroup-types.h"

G_BEGIN_DECLS

typedef enum
{
  URUN_ROOTLESS_AUTO,
  URUN_ROOTLESS_TRUE,
  URUN_ROOTLESS_FALSE,
} UrunRootlessMode;

typedef struct _UrunRuntimeUser UrunRuntimeUser;

typedef struct
{
  /* Where the state lives. */
  char *state_root;              /* --root, else default_state_root; never NULL */
  char *default_state_root;      /* the caller's default (urun_state_default_root_for()) */
  gboolean state_root_is_default;

  /* Who runs urun. */
  uid_t uid;                     /* real ids: the owner a record names, the user `spec` maps */
  gid_t gid;
  uid_t euid;                    /* effective ids: those a single-id map gives root */
  gid_t egid;
  gboolean initial_userns;       /* urun runs in the initial user namespace */
  gboolean privileged;           /* euid 0 in the initial user namespace */
  gboolean rootless;             /* --rootless, with auto resolved to !privileged */
  UrunCgroupManager cgroup_manager;

  /* What the caller's environment asks for; NULL when unset or empty. */
  char *notify_socket;           /* NOTIFY_SOCKET */
  int listen_fds;                /* socket activation (urun_runtime_listen_fds_for()) */
  char *xdg_runtime_dir;         /* XDG_RUNTIME_DIR */
  char *session_bus_address;     /* DBUS_SESSION_BUS_ADDRESS */
  char *system_bus_address;      /* DBUS_SYSTEM_BUS_ADDRESS */
  gboolean service_process;      /* urun_runtime_is_service_process_for() */

  UrunRuntimeUser *user;         /* the user name, looked up when first asked */
} UrunRuntime;

/* Fills @runtime from the global options (@root_option: --root or NULL)
 * and this process's environment and identity.  Called once per command,
 * before the command runs.  Clear with urun_runtime_clear(). */
void urun_runtime_resolve (UrunRuntime *runtime, const char *root_option,
                           UrunRootlessMode rootless, UrunCgroupManager cgroup_manager);
void urun_runtime_clear (UrunRuntime *runtime);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (UrunRuntime, urun_runtime_clear)

/* The user name of runtime->uid, or the uid as decimal text.  The passwd
 * lookup (NSS: files, LDAP, sssd...) happens on the first call only, so
 * that a command that names nobody pays none.  Shared by the copies of
 * @runtime. */
const char *urun_runtime_user_name (const UrunRuntime *runtime);

/* The number of fds socket activation passed to the process @pid, given
 * its LISTEN_FDS and LISTEN_PID (NULL: unset), or 0. */
int urun_runtime_listen_fds_for (const char *listen_fds, const char *listen_pid, pid_t pid);

/* TRUE when the process @pid is the one systemd started for a service:
 * its INVOCATION_ID is set and its SYSTEMD_EXEC_PID is @pid. */
gboolean urun_runtime_is_service_process_for (const char *invocation_id, const char *exec_pid,
                                              pid_t pid);

G_END_DECLS
