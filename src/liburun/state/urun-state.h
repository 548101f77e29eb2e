/* urun-state.h: the state store.
 *
 * Zone: host side (GLib).  The state root (default
 * $XDG_RUNTIME_DIR/urun or /run/urun) holds one directory per container,
 * `<root>/<id>`, mode 0700, holding:
 *   state.json  the record below, replaced atomically (temp + rename);
 *   exec.fifo   present between `create` and `start`.
 * A UrunContainerState holds a directory fd of `<root>/<id>` and, unless
 * opened with URUN_STATE_OPEN_NO_LOCK, an exclusive flock on it; every file
 * access goes through `*at()` calls relative to that fd.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sys/types.h>

#include "cgroup/urun-cgroup-types.h"

G_BEGIN_DECLS

#define URUN_STATE_FILE "state.json"
#define URUN_STATE_EXEC_FIFO "exec.fifo"

/* How long a forced delete waits for the killed init to disappear. */
#define URUN_STATE_KILL_TIMEOUT_MS 5000

typedef enum
{
  URUN_STATUS_CREATING,
  URUN_STATUS_CREATED,
  URUN_STATUS_RUNNING,
  URUN_STATUS_PAUSED,
  URUN_STATUS_STOPPED,
} UrunContainerStatus;

/* "creating", "created", "running", "paused" or "stopped". */
const char *urun_container_status_to_string (UrunContainerStatus status);

/* The contents of state.json.  The OCI fields sit at the top level; urun's
 * own fields live under an "urun" object so that `state` can show both
 * without mixing them.  The status is not stored: it is derived each time by
 * urun_state_status(). */
typedef struct
{
  char *oci_version;
  char *id;
  pid_t pid;                /* 0 until init exists ("creating") */
  char *bundle;             /* absolute path */
  char *rootfs;             /* absolute path */
  char *created;            /* RFC 3339, UTC, nanoseconds */
  char *owner;              /* user name, or the uid as text */
  GHashTable *annotations;  /* char * -> char * */

  /* urun-private */
  gboolean creating;        /* create has not finished (or died before it did) */
  guint64 init_start_time;  /* field 22 of /proc/PID/stat; 0 = unknown */
  gboolean rootless;
  UrunCgroupOutcome cgroup;
} UrunStateRecord;

/* A record for @id with ociVersion, created (now), @owner (the creator's
 * user name, urun_state_owner_name(); NULL: none) and the cgroup outcome
 * "none" filled in.  Free with urun_state_record_free(). */
UrunStateRecord *urun_state_record_new (const char *id, const char *owner);
void urun_state_record_free (UrunStateRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UrunStateRecord, urun_state_record_free)

/* The record as a JSON object node (transfer full).  @status, when not NULL,
 * is included as "status" after "pid", the order of the OCI state output. */
JsonNode *urun_state_record_to_json (const UrunStateRecord *record, const char *status);

/* Parses a record; errors name the offending field. */
UrunStateRecord *urun_state_record_from_json (JsonNode *node, GError **error);

/* Writes @record as state.json in @dirfd atomically: a 0600 temp file in the
 * same directory, then renameat over state.json.  A reader sees the old or
 * the new file, never a torn one.  Not fsync()ed (see there). */
gboolean urun_state_record_save (const UrunStateRecord *record, int dirfd, GError **error);

/* Reads state.json from @dirfd.  A missing file fails with
 * URUN_ERROR_NOT_FOUND. */
UrunStateRecord *urun_state_record_load (int dirfd, GError **error);

/* TRUE when the cgroup of an outcome is frozen.  Whether a container is
 * paused is the container layer's question (it knows the cgroup drivers,
 * the state store does not): it passes its answer in as this probe. */
typedef gboolean (*UrunStateFrozenFunc) (const UrunCgroupOutcome *cgroup);

/* Derives the status: a record of a create that has not finished (no pid
 * yet, or record->creating) -> creating while its creator still holds the
 * container's lock in @dirfd, else (the creator died) stopped; init gone,
 * a zombie, or a different process with the same pid (start time differs)
 * -> stopped; exec.fifo present in @dirfd -> created; @is_frozen says the
 * cgroup is frozen -> paused; else running.  @is_frozen NULL: never
 * paused. */
UrunContainerStatus urun_state_status (const UrunStateRecord *record, int dirfd,
                                       UrunStateFrozenFunc is_frozen);

/* The user name of @uid, or the uid as decimal text. */
char *urun_state_owner_name (uid_t uid);

/* The default state root (see urun-state.c for the rules) of a process
 * with these inputs; the runtime context (container/urun-runtime.h) passes
 * its own.  @run_user_base is normally "/run/user", @tmpdir $TMPDIR
 * (NULL or "" means /tmp). */
char *urun_state_default_root_for (uid_t uid, const char *xdg_runtime_dir,
                                   gboolean initial_userns, const char *run_user_base,
                                   const char *tmpdir);

typedef struct _UrunStateStore UrunStateStore;
typedef struct _UrunContainerState UrunContainerState;

/* Opens the state root @root.  With @create, the root and its missing
 * parents are created with mode 0700.  Without @create, a missing root is
 * not an error: the store is empty (list gives nothing, open gives "does not
 * exist"), so that read-only commands never create directories. */
UrunStateStore *urun_state_store_open (const char *root, gboolean create, GError **error);
void urun_state_store_free (UrunStateStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UrunStateStore, urun_state_store_free)

const char *urun_state_store_get_root (UrunStateStore *store);

/* TRUE when `<root>/<id>` exists (whatever its state). */
gboolean urun_state_exists (UrunStateStore *store, const char *id);

typedef struct
{
  UrunStateRecord *record;
  UrunContainerStatus status;
} UrunStateListEntry;

void urun_state_list_entry_free (UrunStateListEntry *entry);

/* The containers of the store, sorted by id, as UrunStateListEntry *.
 * Entries that are not directories or not the caller's are skipped with a
 * g_debug(); a directory without a readable state.json (a create that
 * has not written one yet, or died) is listed with a record holding only
 * its id, "creating" or "stopped" as for urun_state_status() (which
 * gets @is_frozen).  Takes no locks. */
GPtrArray *urun_state_store_list (UrunStateStore *store, UrunStateFrozenFunc is_frozen,
                                  GError **error);

typedef enum
{
  URUN_STATE_OPEN_DEFAULT = 0,       /* wait for the exclusive lock */
  URUN_STATE_OPEN_NO_LOCK = 1 << 0,  /* read-only use: take no lock */
  URUN_STATE_OPEN_NONBLOCK = 1 << 1, /* fail with WRONG_STATE when busy */
} UrunStateOpenFlags;

/* Creates `<root>/<id>` (mode 0700) atomically and returns it locked.  The
 * store must have been opened with @create.  An existing id fails with
 * URUN_ERROR_EXISTS "container `ID` already exists"; an invalid id with
 * URUN_ERROR_INVALID_ARGUMENT. */
UrunContainerState *urun_state_create (UrunStateStore *store, const char *id, GError **error);

/* Opens `<root>/<id>`.  A missing one fails with URUN_ERROR_NOT_FOUND
 * "container `ID` does not exist". */
UrunContainerState *urun_state_open (UrunStateStore *store, const char *id,
                                     UrunStateOpenFlags flags, GError **error);

/* Closes the directory fd, which releases the lock. */
void urun_container_state_free (UrunContainerState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UrunContainerState, urun_container_state_free)

const char *urun_container_state_get_id (UrunContainerState *state);

/* The directory fd of `<root>/<id>`, owned by @state. */
int urun_container_state_get_dirfd (UrunContainerState *state);

/* Loads state.json and checks that it belongs to this id.  A directory
 * without state.json (a create in progress, or one that died) fails with
 * URUN_ERROR_WRONG_STATE. */
UrunStateRecord *urun_container_state_load (UrunContainerState *state, GError **error);

/* urun_state_record_save() into this container's directory; the record's id
 * must be this container's. */
gboolean urun_container_state_save (UrunContainerState *state, const UrunStateRecord *record,
                                    GError **error);

/* Creates exec.fifo (mode 0600) in the container directory. */
gboolean urun_container_state_make_exec_fifo (UrunContainerState *state, GError **error);

/* Deletes the container: its directory and everything in it.  @state
 * must hold the lock.  A container whose init still runs (created,
 * running, paused, or a create that died half-way) fails with
 * URUN_ERROR_WRONG_STATE unless @force, which kills init with SIGKILL
 * first and waits (at most URUN_STATE_KILL_TIMEOUT_MS) for it to go.
 * @record is the container's record as the caller read it under the
 * same lock, or NULL for it to be read here.  @is_frozen names a paused
 * container's status in that error (see urun_state_status()).  After
 * success @state refers to nothing and may only be freed. */
gboolean urun_state_delete (UrunContainerState *state, const UrunStateRecord *record,
                            gboolean force, UrunStateFrozenFunc is_frozen, GError **error);

G_END_DECLS
