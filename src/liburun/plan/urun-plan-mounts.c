/* urun-plan-mounts.c: the mount part of the init plan (see
 * urun-plan-parts.h): propagation of "/", the rootfs, mounts[], devices,
 * maskedPaths and readonlyPaths.
 *
 * Zone: host side (GLib).  Everything init needs to mount is decided here,
 * before the clone: kinds, folded flags, whether a bind source is a
 * directory, the device list.  Init (urun-init-mounts.c) only walks it.
 */
#include "config.h"

#include "plan/urun-plan-parts.h"

#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "plan/urun-idmap.h"
#include "plan/urun-mount-options.h"
#include "spec/urun-spec-names.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

/* Error messages name the file as the spec loader does. */
#define CONFIG_NAME "config.json"

/* The devices every container gets (runtime-spec "Default Devices"), with
 * their conventional numbers. */
static const UrunPlanDevice default_devices[] = {
  { "/dev/null", 'c', 1, 3, 0666, 0, 0, -1 },
  { "/dev/zero", 'c', 1, 5, 0666, 0, 0, -1 },
  { "/dev/full", 'c', 1, 7, 0666, 0, 0, -1 },
  { "/dev/random", 'c', 1, 8, 0666, 0, 0, -1 },
  { "/dev/urandom", 'c', 1, 9, 0666, 0, 0, -1 },
  { "/dev/tty", 'c', 5, 0, 0666, 0, 0, -1 },
};

/* Propagation of "/" in the new mount namespace, before anything is
 * mounted.
 *
 * Why slave by default: the namespace starts as a copy of the host's, with
 * the host's propagation.  As a slave it still receives the host's later
 * mounts (a USB stick, a new NFS share) but nothing the container mounts
 * reaches back to the host.
 *
 * Why shared when linux.rootfsPropagation asks for (r)shared: the point of
 * that setting is that mounts propagate between host and container (a
 * bind source under a shared host mount must stay a peer of it).  A slave
 * copy would cut the way back for good; the peer groups must be kept from
 * the start.  They are kept only where the config asks for it, though: init
 * makes the rootfs's parent mount private before it binds the rootfs, makes
 * the rootfs bind and every other bind it makes a slave before anything
 * is mounted into them (a copy of a shared submount is a peer of the
 * host's), except a bind whose own options say (r)shared, and the plan
 * builder keeps urun's own mounts out of those (check_shared_binds() in
 * urun-plan-build.c).  So /dev, /proc, devpts... never reach the host.
 * Init applies the rootfs propagation itself to "/" after pivot_root, as
 * runc does.
 *
 * Why private for (r)private: nothing should propagate in either direction,
 * not even the host's later mounts. */
static unsigned long
root_propagation_for (unsigned long rootfs_propagation)
{
  if (rootfs_propagation & MS_SHARED)
    return MS_SHARED | MS_REC;
  if (rootfs_propagation & MS_PRIVATE)
    return MS_PRIVATE | MS_REC;
  return MS_SLAVE | MS_REC;
}

static UrunPlanMountKind
mount_kind (const UrunSpecMount *mount, const UrunMountFlags *flags)
{
  if ((flags->flags & MS_BIND) || g_strcmp0 (mount->type, "bind") == 0)
    return URUN_PLAN_MOUNT_BIND;
  if (g_strcmp0 (mount->type, "sysfs") == 0)
    return URUN_PLAN_MOUNT_SYSFS;
  if (g_strcmp0 (mount->type, "cgroup") == 0 || g_strcmp0 (mount->type, "cgroup2") == 0)
    return URUN_PLAN_MOUNT_CGROUP;
  return URUN_PLAN_MOUNT_FS;
}

/* "dev/shm" -> "/dev/shm": runtime-spec 1.2 reads a relative destination as
 * relative to "/". */
static const char *
absolute_destination (UrunPlanOwner *owner, const char *destination)
{
  if (destination[0] == '/')
    return urun_plan_owner_strdup (owner, destination);
  return urun_plan_owner_keep (owner, g_strconcat ("/", destination, NULL));
}

static gboolean
plan_bind_source (UrunPlanOwner *owner, const UrunSpecMount *spec_mount, gsize index,
                  const UrunPlanOptions *options, UrunPlanMount *out, GError **error)
{
  g_autofree char *source = NULL;
  struct stat st;

  if (spec_mount->source == NULL || spec_mount->source[0] == '\0')
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      CONFIG_NAME ": mounts[%zu].source: a bind mount needs a source", index);
  /* Why against the bundle: the spec says a relative source of a bind mount
   * is relative to the bundle, not to urun's working directory. */
  if (g_path_is_absolute (spec_mount->source))
    source = g_strdup (spec_mount->source);
  else
    source = g_build_filename (options->bundle, spec_mount->source, NULL);

  /* stat(), not lstat(): a symlink to a directory is bound as the
   * directory it names, so its destination must be a directory too. */
  if (stat (source, &st) < 0)
    {
      int errsv = errno;

      if (errsv == ENOENT || errsv == ENOTDIR)
        return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                          CONFIG_NAME ": mounts[%zu].source: %s does not exist", index, source);
      return urun_fail_errno (error, errsv, CONFIG_NAME ": mounts[%zu].source: %s", index,
                              source);
    }
  out->source_is_dir = S_ISDIR (st.st_mode);
  out->source = urun_plan_owner_keep (owner, g_steal_pointer (&source));
  return TRUE;
}

static GArray *
mappings_array (const UrunSpecIdMapping *mappings, gsize n)
{
  GArray *array = g_array_sized_new (FALSE, FALSE, sizeof (UrunSpecIdMapping), (guint) n);

  g_array_append_vals (array, mappings, (guint) n);
  return array;
}

/* Makes a user namespace with the given maps and returns an O_RDONLY fd of
 * it, or -1 with @error set.
 *
 * How: a forked child unshares CLONE_NEWUSER and waits on a pipe; we write
 * its maps, open /proc/CHILD/ns/user, and let it exit.  The namespace lives
 * on through the fd.  Why a fork is safe here: the plan is built before the
 * clone, while urun still has a single thread (DESIGN.md §3), and the child
 * only makes raw system calls before _exit(). */
static int
make_userns_fd (GArray *uid_mappings, GArray *gid_mappings, GError **error)
{
  g_auto (UrunIdMapPlan) maps = { 0 };
  int ready[2], done[2];
  g_autofree char *ns_path = NULL;
  char byte;
  pid_t pid;
  int fd = -1;
  int status;

  maps.uid_mappings = uid_mappings;
  maps.gid_mappings = gid_mappings;

  if (pipe2 (ready, O_CLOEXEC) < 0)
    return urun_fail_errno (error, errno, "pipe"), -1;
  if (pipe2 (done, O_CLOEXEC) < 0)
    {
      int errsv = errno;
      close (ready[0]);
      close (ready[1]);
      return urun_fail_errno (error, errsv, "pipe"), -1;
    }
  pid = fork ();
  if (pid < 0)
    {
      int errsv = errno;
      close (ready[0]);
      close (ready[1]);
      close (done[0]);
      close (done[1]);
      return urun_fail_errno (error, errsv, "fork"), -1;
    }
  if (pid == 0)
    {
      char ok;

      /* Our copy of the write end would keep the read below from ever
       * seeing end-of-file. */
      close (done[1]);
      close (ready[0]);
      ok = unshare (CLONE_NEWUSER) == 0 ? 1 : 0;

      if (write (ready[1], &ok, 1) != 1 || !ok)
        _exit (1);
      /* Until the parent closes its end: it has what it needs then. */
      while (read (done[0], &ok, 1) > 0)
        ;
      _exit (0);
    }
  close (ready[1]);
  close (done[0]);

  if (read (ready[0], &byte, 1) != 1 || byte != 1)
    urun_fail (error, URUN_ERROR_FAILED,
               "cannot create a user namespace for an idmapped mount");
  else if (urun_idmap_apply (&maps, pid, NULL, error))
    {
      ns_path = g_strdup_printf ("/proc/%d/ns/user", (int) pid);
      fd = open (ns_path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        urun_fail_errno (error, errno, "open %s", ns_path);
    }
  close (ready[0]);
  close (done[1]);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  /* The arrays belong to the caller. */
  maps.uid_mappings = NULL;
  maps.gid_mappings = NULL;
  return fd;
}

/* The propagation a bind's clone gets before init attaches it: that of a
 * bind init would make in its namespace, whose "/" has @root_propagation
 * (see root_propagation_for()).  A clone of a shared mount is a peer of
 * it, and under the default slave "/" nothing init mounts into the bind
 * may reach the host.  Under a shared "/" the clone stays a peer, as the
 * bind would: init makes it a slave, or not, like any bind
 * (urun_init_keep_bind_from_caller()). */
static guint64
clone_propagation (unsigned long root_propagation)
{
  if (root_propagation & MS_SHARED)
    return 0;
  if (root_propagation & MS_PRIVATE)
    return MS_PRIVATE;
  return MS_SLAVE;
}

/* Clones the source of the bind @mount (recursively for rbind) into a
 * detached tree, mount->tree_fd, that init attaches to the destination
 * (urun-init-mounts.c).  Needs CAP_SYS_ADMIN over the host's mounts: the
 * parent is real root when it calls this. */
static gboolean
clone_bind_source (UrunPlanOwner *owner, gsize index, UrunPlanMount *mount, GError **error)
{
  unsigned recursive = (mount->flags.flags & MS_REC) ? AT_RECURSIVE : 0;
  struct mount_attr attr;
  int tree;

  tree = open_tree (AT_FDCWD, mount->source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | recursive);
  if (tree < 0)
    return urun_fail_errno (error, errno, CONFIG_NAME ": mounts[%zu].source: clone `%s`", index,
                            mount->source);
  tree = urun_plan_owner_keep_fd (owner, tree, error);
  if (tree < 0)
    return FALSE;
  mount->tree_fd = tree;
  memset (&attr, 0, sizeof attr);
  attr.propagation = clone_propagation (owner->plan.root_propagation);
  if (attr.propagation != 0
      && mount_setattr (tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
    return urun_fail_errno (error, errno, CONFIG_NAME ": mounts[%zu].source: `%s`", index,
                            mount->source);
  return TRUE;
}

/* An idmapped bind mount: the `idmap`/`ridmap` options or per-mount
 * uidMappings/gidMappings.  Without per-mount mappings the container's own
 * user namespace maps are used, as runtime-spec 1.2 says. */
static gboolean
plan_mount_idmap (UrunPlanOwner *owner, const UrunSpec *spec, const UrunSpecMount *spec_mount,
                  const UrunPlanOptions *options, gsize index, UrunPlanMount *mount,
                  GError **error)
{
  const UrunSpecLinux *linux_ = spec->linux_;
  g_autoptr (GArray) uid_mappings = NULL;
  g_autoptr (GArray) gid_mappings = NULL;
  struct mount_attr attr;
  URUN_AUTOCLOSE int fd = -1;

  if (!(mount->flags.extensions & (URUN_MOUNT_EXT_IDMAP | URUN_MOUNT_EXT_RIDMAP))
      && !spec_mount->has_uid_mappings && !spec_mount->has_gid_mappings)
    return TRUE;

  if (spec_mount->has_uid_mappings != spec_mount->has_gid_mappings)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      CONFIG_NAME ": mounts[%zu]: uidMappings and gidMappings go together",
                      index);
  /* The kernel lets only a holder of CAP_SYS_ADMIN over the source's mount
   * (the host's, for a bind of a host directory) idmap it, and an
   * unprivileged user cannot even write the maps of the helper namespace:
   * say so rather than fail on a write to uid_map. */
  if (options->euid != 0)
    return urun_fail (error, URUN_ERROR_PERMISSION_DENIED,
                      CONFIG_NAME ": mounts[%zu]: an idmapped mount needs root; an unprivileged "
                      "user cannot remap the host's ids of `%s` (drop the idmap option and the "
                      "mount's uidMappings/gidMappings)",
                      index, spec_mount->source ? spec_mount->source : "");
  if (spec_mount->has_uid_mappings)
    {
      uid_mappings = mappings_array (spec_mount->uid_mappings, spec_mount->n_uid_mappings);
      gid_mappings = mappings_array (spec_mount->gid_mappings, spec_mount->n_gid_mappings);
    }
  else if (linux_ != NULL && linux_->has_uid_mappings && linux_->has_gid_mappings)
    {
      uid_mappings = mappings_array (linux_->uid_mappings, linux_->n_uid_mappings);
      gid_mappings = mappings_array (linux_->gid_mappings, linux_->n_gid_mappings);
    }
  else
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      CONFIG_NAME ": mounts[%zu]: an idmapped mount needs uidMappings and "
                      "gidMappings, on the mount or in linux", index);

  /* Mappings given without the option mean an idmapped mount too. */
  if (!(mount->flags.extensions & (URUN_MOUNT_EXT_IDMAP | URUN_MOUNT_EXT_RIDMAP)))
    mount->flags.extensions |= (mount->flags.flags & MS_REC)
                               ? URUN_MOUNT_EXT_RIDMAP : URUN_MOUNT_EXT_IDMAP;
  fd = make_userns_fd (uid_mappings, gid_mappings, error);
  if (fd < 0)
    {
      g_prefix_error (error, CONFIG_NAME ": mounts[%zu]: ", index);
      return FALSE;
    }
  /* Why here, in the parent: mount_setattr(MOUNT_ATTR_IDMAP) wants
   * CAP_SYS_ADMIN over the user namespace that owns the source's mount (the
   * host's), which init, once in a user namespace of its own, has lost.  So
   * the parent clones the source and attaches the ids to the clone now;
   * init only moves it onto the destination. */
  if (!clone_bind_source (owner, index, mount, error))
    return FALSE;
  memset (&attr, 0, sizeof attr);
  attr.attr_set = MOUNT_ATTR_IDMAP;
  attr.userns_fd = (guint64) fd;
  if (mount_setattr (mount->tree_fd, "", AT_EMPTY_PATH
                     | ((mount->flags.extensions & URUN_MOUNT_EXT_RIDMAP) ? AT_RECURSIVE : 0),
                     &attr, sizeof attr) < 0)
    return urun_fail_errno (error, errno, CONFIG_NAME ": mounts[%zu]: idmap `%s`", index,
                            mount->source);
  return TRUE;
}


/* linux.mountLabel: the SELinux context of the filesystems urun creates
 * for the container (tmpfs, devpts, mqueue), given to the kernel as their
 * context= option; quoted, because a label holds commas.  Binds keep the
 * label of what they show, and proc and sysfs take none.  Whether SELinux
 * is there at all is checked with the process label (urun-plan-security.c). */
static void
add_mount_label (const UrunSpec *spec, const UrunSpecMount *spec_mount, UrunMountFlags *flags)
{
  const char *label = spec->linux_ != NULL ? spec->linux_->mount_label : NULL;
  const char *type = spec_mount->type;
  char *data;

  if (label == NULL || label[0] == '\0' || type == NULL
      || (strcmp (type, "tmpfs") != 0 && strcmp (type, "devpts") != 0
          && strcmp (type, "mqueue") != 0)
      || (flags->flags & MS_BIND) != 0 || (flags->data != NULL && strstr (flags->data, "context=")))
    return;
  data = flags->data != NULL ? g_strdup_printf ("%s,context=\"%s\"", flags->data, label)
                             : g_strdup_printf ("context=\"%s\"", label);
  g_free (flags->data);
  flags->data = data;
}

/* Ids the container's user namespace does not map (gid=5 of /dev/pts with
 * a single-id map) would make the kernel refuse the mount with EINVAL:
 * dropped, and appended as "DEST (OPTIONS)" to @unmapped for the one
 * warning of plan_mounts(). */
static void
note_unmapped_ids (const UrunSpecMount *spec_mount, const UrunPlanOptions *options,
                   UrunMountFlags *flags, GString *unmapped)
{
  g_autofree char *dropped = urun_mount_flags_drop_unmapped_ids (flags, options->uid_mappings,
                                                                options->gid_mappings);

  if (dropped == NULL)
    return;
  if (unmapped->len > 0)
    g_string_append (unmapped, "; ");
  g_string_append_printf (unmapped, "%s (%s)", spec_mount->destination, dropped);
}

static gboolean
plan_mounts (UrunPlanOwner *owner, const UrunSpec *spec, const UrunPlanOptions *options,
             GError **error)
{
  UrunInitPlan *plan = &owner->plan;
  UrunPlanMount *mounts;
  g_autoptr (GString) unmapped = g_string_new (NULL);

  plan->mounts = NULL;
  plan->n_mounts = 0;
  if (spec->n_mounts == 0)
    return TRUE;

  mounts = urun_plan_owner_keep (owner, g_new0 (UrunPlanMount, spec->n_mounts));
  for (gsize i = 0; i < spec->n_mounts; i++)
    {
      const UrunSpecMount *spec_mount = &spec->mounts[i];
      UrunPlanMount *mount = &mounts[i];

      urun_mount_flags_parse ((const char *const *) spec_mount->options, &mount->flags);
      note_unmapped_ids (spec_mount, options, &mount->flags, unmapped);
      add_mount_label (spec, spec_mount, &mount->flags);
      /* The data string belongs to the owner from now on, whatever happens
       * below. */
      urun_plan_owner_keep (owner, mount->flags.data);
      mount->kind = mount_kind (spec_mount, &mount->flags);
      mount->destination = absolute_destination (owner, spec_mount->destination);
      mount->tree_fd = -1;

      if (mount->kind == URUN_PLAN_MOUNT_BIND)
        {
          /* type "bind" without a bind option is a plain, non-recursive
           * bind, as with runc and crun. */
          mount->flags.flags |= MS_BIND;
          mount->type = NULL;
          if (!plan_bind_source (owner, spec_mount, i, options, mount, error))
            return FALSE;
          if (!plan_mount_idmap (owner, spec, spec_mount, options, i, mount, error))
            return FALSE;
          /* Why the parent clones a bind source where the container has a
           * user namespace: init, root of that namespace, has no privilege
           * over the host's files, and a source under a directory only the
           * host's root may enter (mode 0700 or 0000) is out of its reach.
           * The parent, real root still, can reach it, as with the notify
           * directory (urun-notify.c).  Rootless, the parent can do no more
           * than init: init binds by path. */
          if (mount->tree_fd < 0 && options->privileged
              && urun_spec_find_namespace (spec, "user") != NULL
              && !clone_bind_source (owner, i, mount, error))
            return FALSE;
        }
      else
        {
          if (spec_mount->type == NULL || spec_mount->type[0] == '\0')
            return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                              CONFIG_NAME ": mounts[%zu].type: missing for a mount that is "
                              "not a bind mount", i);
          if (mount->flags.extensions & (URUN_MOUNT_EXT_IDMAP | URUN_MOUNT_EXT_RIDMAP))
            return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                              CONFIG_NAME ": mounts[%zu].options: idmap is only supported "
                              "on bind mounts", i);
          mount->type = urun_plan_owner_strdup (owner, spec_mount->type);
          /* mount(2) wants a source even where the filesystem ignores it;
           * the type is what mount(8) and /proc/self/mountinfo show then. */
          mount->source = urun_plan_owner_strdup (owner, spec_mount->source != NULL
                                                  && spec_mount->source[0] != '\0'
                                                  ? spec_mount->source : spec_mount->type);
          mount->source_is_dir = TRUE;
        }
      plan->n_mounts++;
    }
  plan->mounts = mounts;
  if (unmapped->len > 0 && options->warnings != NULL)
    g_ptr_array_add (options->warnings,
                     g_strdup_printf (_("mount options dropped because the container's user "
                                        "namespace does not map their ids: %s"),
                                      unmapped->str));
  return TRUE;
}

static char
device_type (const char *type)
{
  /* Validation has checked the name; "u" (unbuffered) is a character
   * device for mknod. */
  switch (type[0])
    {
    case 'b':
      return 'b';
    case 'p':
      return 'p';
    default:
      return 'c';
    }
}

/* The host's id of the container's @id under @maps (UrunSpecIdMapping);
 * @id itself without maps.  FALSE when the maps do not have it. */
static gboolean
host_id (const GArray *maps, guint32 id, guint32 *out)
{
  if (maps == NULL)
    {
      *out = id;
      return TRUE;
    }
  for (guint i = 0; i < maps->len; i++)
    {
      const UrunSpecIdMapping *m = &g_array_index (maps, UrunSpecIdMapping, i);

      if (id >= m->container_id && id - m->container_id < m->size)
        {
          *out = m->host_id + (id - m->container_id);
          return TRUE;
        }
    }
  return FALSE;
}

/* A tmpfs mount that no path leads to (fsmount() without move_mount()),
 * where the parent makes the nodes of a user-namespaced container.  nosuid
 * and noexec; not nodev, which would make the nodes useless. */
static int
private_tmpfs (GError **error)
{
  URUN_AUTOCLOSE int fs = fsopen ("tmpfs", FSOPEN_CLOEXEC);
  int mnt;

  if (fs < 0)
    return urun_fail_errno (error, errno, "fsopen tmpfs"), -1;
  if (fsconfig (fs, FSCONFIG_SET_STRING, "size", "64k", 0) < 0
      || fsconfig (fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return urun_fail_errno (error, errno, "create a tmpfs for the devices"), -1;
  mnt = fsmount (fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
  if (mnt < 0)
    return urun_fail_errno (error, errno, "fsmount tmpfs"), -1;
  return mnt;
}

/* linux.devices[@index] as @dev for a container with a user namespace.
 *
 * Why the parent makes the node: only real root in the initial user
 * namespace may mknod a device, so init, root of the container's
 * namespace, could only bind the host's node of the same path, which may
 * not exist, and has the host's mode and owner anyway.  When urun is real
 * root, the parent makes the node itself with the config's mode and owner
 * (the host's ids that the container's maps give them) in a tmpfs of its
 * own, @tmpfs_fd, and hands init a clone of it (open_tree) to attach, like
 * a bind.  Rootless nobody can make one: the host's node must exist. */
static gboolean
plan_userns_device (UrunPlanOwner *owner, const UrunSpec *spec, const UrunPlanOptions *options,
                    gsize index, UrunPlanDevice *dev, int *tmpfs_fd, GError **error)
{
  const UrunSpecLinux *linux_ = spec->linux_;
  g_autoptr (GArray) uid_maps = NULL;
  g_autoptr (GArray) gid_maps = NULL;
  const GArray *uids = options->uid_mappings;
  const GArray *gids = options->gid_mappings;
  g_autofree char *name = g_strdup_printf ("%zu", index);
  mode_t type = dev->type == 'b' ? S_IFBLK : S_IFCHR;
  struct stat st;
  guint32 uid, gid;
  int tree;

  if (dev->type == 'p')
    return TRUE;
  if (!options->privileged)
    {
      if (lstat (dev->path, &st) == 0)
        return TRUE;
      return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                        CONFIG_NAME ": linux.devices[%zu]: %s does not exist on the host; in a "
                        "user namespace only the host's root can make a device node, so urun "
                        "binds the host's %s into the container: create it on the host, or drop "
                        "the entry", index, dev->path, dev->path);
    }

  /* A joined user namespace has no maps in the plan: those of the config,
   * if any, else the ids as they are. */
  if (uids == NULL && linux_ != NULL && linux_->has_uid_mappings)
    uids = uid_maps = mappings_array (linux_->uid_mappings, linux_->n_uid_mappings);
  if (gids == NULL && linux_ != NULL && linux_->has_gid_mappings)
    gids = gid_maps = mappings_array (linux_->gid_mappings, linux_->n_gid_mappings);
  if (!host_id (uids, dev->uid, &uid) || !host_id (gids, dev->gid, &gid))
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      CONFIG_NAME ": linux.devices[%zu]: the owner %u:%u of %s is not mapped by "
                      "the container's user namespace (linux.uidMappings, linux.gidMappings)",
                      index, (unsigned) dev->uid, (unsigned) dev->gid, dev->path);

  if (*tmpfs_fd < 0)
    {
      *tmpfs_fd = private_tmpfs (error);
      if (*tmpfs_fd < 0)
        return FALSE;
    }
  if (mknodat (*tmpfs_fd, name, type | (dev->mode & 07777), makedev (dev->major, dev->minor)) < 0
      || fchownat (*tmpfs_fd, name, uid, gid, 0) < 0
      /* mknod applied urun's umask; the config's mode is meant exactly. */
      || fchmodat (*tmpfs_fd, name, dev->mode & 07777, 0) < 0)
    return urun_fail_errno (error, errno, CONFIG_NAME ": linux.devices[%zu]: make %s", index,
                            dev->path);
  tree = open_tree (*tmpfs_fd, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (tree < 0)
    return urun_fail_errno (error, errno, CONFIG_NAME ": linux.devices[%zu]: clone %s", index,
                            dev->path);
  dev->tree_fd = urun_plan_owner_keep_fd (owner, tree, error);
  return dev->tree_fd >= 0;
}

static gboolean
plan_devices (UrunPlanOwner *owner, const UrunSpec *spec, const UrunPlanOptions *options,
              GError **error)
{
  UrunInitPlan *plan = &owner->plan;
  const UrunSpecLinux *linux_ = spec->linux_;
  gsize n_spec = linux_ != NULL ? linux_->n_devices : 0;
  UrunPlanDevice *devices = urun_plan_owner_keep (owner, g_new0 (UrunPlanDevice,
                                                                 G_N_ELEMENTS (default_devices)
                                                                 + n_spec));
  URUN_AUTOCLOSE int tmpfs_fd = -1;
  gsize n = 0;

  plan->devices = devices;
  /* The defaults first, unless linux.devices names the same path: the
   * config's entry wins, with its numbers, mode and owner. */
  for (gsize i = 0; i < G_N_ELEMENTS (default_devices); i++)
    {
      gboolean overridden = FALSE;

      for (gsize j = 0; j < n_spec && !overridden; j++)
        overridden = g_strcmp0 (linux_->devices[j].path, default_devices[i].path) == 0;
      if (!overridden)
        devices[n++] = default_devices[i];
    }
  for (gsize j = 0; j < n_spec; j++)
    {
      const UrunSpecDevice *dev = &linux_->devices[j];
      UrunPlanDevice *out = &devices[n++];

      out->path = urun_plan_owner_strdup (owner, dev->path);
      out->type = device_type (dev->type);
      out->major = dev->has_major ? (unsigned) dev->major : 0;
      out->minor = dev->has_minor ? (unsigned) dev->minor : 0;
      /* 0666 without a fileMode, as runc and crun do: the device cgroup,
       * not the file mode, is what limits access. */
      out->mode = dev->has_file_mode ? (mode_t) (dev->file_mode & 07777) : 0666;
      out->uid = dev->has_uid ? dev->uid : 0;
      out->gid = dev->has_gid ? dev->gid : 0;
      out->tree_fd = -1;
      if (plan->bind_devices
          && !plan_userns_device (owner, spec, options, j, out, &tmpfs_fd, error))
        return FALSE;
    }
  plan->n_devices = n;
  return TRUE;
}

gboolean
urun_plan_build_mounts (UrunPlanOwner *owner, const UrunSpec *spec,
                        const UrunPlanOptions *options, GError **error)
{
  UrunInitPlan *plan = &owner->plan;
  const UrunSpecLinux *linux_ = spec->linux_;
  gulong rootfs_propagation = 0;

  g_return_val_if_fail (owner != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  if (linux_ != NULL && linux_->rootfs_propagation != NULL
      && !urun_propagation_from_name (linux_->rootfs_propagation, &rootfs_propagation))
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      CONFIG_NAME ": linux.rootfsPropagation: unknown propagation \"%s\"",
                      linux_->rootfs_propagation);
  plan->rootfs_propagation = rootfs_propagation;
  plan->root_propagation = root_propagation_for (rootfs_propagation);
  plan->rootfs_readonly = spec->root != NULL && spec->root->readonly;

  if (!plan_mounts (owner, spec, options, error))
    return FALSE;
  for (gsize i = 0; i < plan->n_mounts; i++)
    if (plan->mounts[i].kind == URUN_PLAN_MOUNT_CGROUP)
      {
        if (!urun_plan_build_cgroups (owner, error))
          return FALSE;
        break;
      }
  /* Why bind instead of mknod: the kernel refuses mknod of a device node
   * to anyone but real root in the initial user namespace, so inside any
   * user namespace (created or joined) and for a rootless caller the host's
   * nodes are bind-mounted instead, or those the parent made
   * (plan_userns_device()). */
  plan->bind_devices = options->rootless || urun_spec_find_namespace (spec, "user") != NULL;
  if (!plan_devices (owner, spec, options, error))
    return FALSE;

  plan->masked_paths = linux_ != NULL
    ? (const char *const *) urun_plan_owner_strdupv (owner, linux_->masked_paths) : NULL;
  plan->readonly_paths = linux_ != NULL
    ? (const char *const *) urun_plan_owner_strdupv (owner, linux_->readonly_paths) : NULL;
  return TRUE;
}
