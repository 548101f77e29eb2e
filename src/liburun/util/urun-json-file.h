/* urun-json-file.h: the one way urun reads a JSON document it is given
 * (config.json, state.json, `exec --process`, `update --resources`):
 * bounded in size, refused unless a regular file, and bounded in nesting
 * depth before json-glib's recursive parser sees it.
 *
 * Zone: host side (GLib).
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Why 4 MiB: podman's configs are 20-50 KiB, and a config with a full
 * seccomp profile and hundreds of mounts stays below 1 MiB; json-glib's
 * tree takes some 10-20 times the text, so this bounds a hostile document
 * to well under 100 MiB of memory. */
#define URUN_JSON_MAX_SIZE ((gsize) 4 << 20)

/* Why 128: the spec's documents nest at most 7 deep (linux.seccomp.
 * syscalls[].args[]); 128 leaves room for the extension members the spec
 * says to ignore, and keeps json-glib's recursion (a few hundred bytes of
 * stack a level) far from any stack limit. */
#define URUN_JSON_MAX_DEPTH 128

typedef enum
{
  URUN_JSON_READ_DEFAULT = 0,
  /* Refuse a symbolic link as the last component (files urun wrote
   * itself, in its state directory). */
  URUN_JSON_READ_NOFOLLOW = 1 << 0,
} UrunJsonReadFlags;

/* Reads all of @path (relative to @dirfd unless absolute; AT_FDCWD for the
 * working directory) into a NUL-terminated buffer; *out_len excludes the
 * NUL.  Fails, naming @path, when it cannot be opened ("cannot read PATH:
 * <errno text>", code from the errno: ENOENT gives URUN_ERROR_NOT_FOUND),
 * when it is not a regular file (a FIFO is never opened for reading, so
 * this never blocks), or when it holds more than @max_size bytes.  The
 * caller frees the result. */
char *urun_json_read_at (int dirfd, const char *path, gsize max_size, UrunJsonReadFlags flags,
                         gsize *out_len, GError **error);

/* Reads @fd (a pipe or terminal is fine: standard input) to its end, at
 * most @max_size bytes; @name names it in messages. */
char *urun_json_read_fd (int fd, const char *name, gsize max_size, gsize *out_len,
                         GError **error);

/* Fails with "NAME:LINE:COL: ..." (URUN_ERROR_INVALID_CONFIG) at the first
 * bracket that nests arrays and objects deeper than @max_depth. */
gboolean urun_json_check_depth (const char *data, gsize len, const char *name, guint max_depth,
                                GError **error);

/* Checks the depth (URUN_JSON_MAX_DEPTH), then parses.  Returns the root
 * (a new reference), or NULL with "NAME:LINE:COL: message" for a syntax
 * error and "NAME: expected an object, got an empty document" for an
 * empty one (URUN_ERROR_INVALID_CONFIG). */
JsonNode *urun_json_parse_bounded (const char *data, gssize len, const char *name,
                                   GError **error);

G_END_DECLS
