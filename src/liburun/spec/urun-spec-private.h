/* urun-spec-private.h: what the urun-spec*.c files share and nobody else
 * needs: the field tables that describe each struct of urun-spec.h (used by
 * the parser and by the generic free), and the JSON reading helpers.
 *
 * Zone: host side (GLib).
 */
#pragma once

#include <json-glib/json-glib.h>
#include <stddef.h>

#include "spec/urun-spec.h"

G_BEGIN_DECLS

/* ---- field tables --------------------------------------------------------- */

typedef enum
{
  URUN_FIELD_STRING,        /* char * */
  URUN_FIELD_BOOL,          /* gboolean */
  URUN_FIELD_INT32,         /* gint32 */
  URUN_FIELD_UINT16,        /* guint16 */
  URUN_FIELD_UINT32,        /* guint32 */
  URUN_FIELD_INT64,         /* gint64 */
  URUN_FIELD_UINT64,        /* guint64 */
  URUN_FIELD_STRV,          /* char **, NULL-terminated */
  URUN_FIELD_UINT32_ARRAY,  /* guint32 * + gsize n_ */
  URUN_FIELD_OBJECT,        /* T * */
  URUN_FIELD_OBJECT_ARRAY,  /* T * + gsize n_ */
  URUN_FIELD_STRING_MAP,    /* UrunSpecKeyValue * + gsize n_ */
  URUN_FIELD_OBJECT_MAP,    /* T * + gsize n_, the key in T at type->key_offset */
} UrunFieldKind;

typedef struct UrunSpecType UrunSpecType;

typedef struct
{
  const char *key;            /* JSON member name */
  UrunFieldKind kind;
  gsize offset;               /* of the value in the struct */
  gssize has_offset;          /* of the gboolean has_ flag, or -1 */
  gssize n_offset;            /* of the gsize count for arrays and maps, or -1 */
  gboolean required;
  const UrunSpecType *type;   /* element type of OBJECT, OBJECT_ARRAY, OBJECT_MAP */
} UrunSpecField;

struct UrunSpecType
{
  gsize size;
  gssize key_offset;          /* OBJECT_MAP elements: char * receiving the key, or -1 */
  const UrunSpecField *fields; /* terminated by a NULL key */
};

extern const UrunSpecType urun_spec_type_spec;
extern const UrunSpecType urun_spec_type_process;
extern const UrunSpecType urun_spec_type_resources;

/* Frees what @obj (a struct described by @type) owns, not @obj itself. */
void urun_spec_type_clear (const UrunSpecType *type, gpointer obj);

/* ---- JSON reading ----------------------------------------------------------- */

typedef struct
{
  const char *filename;
  /* JsonNode * -> const char * (the literal as written, in numbers_buf),
   * for every number in the document, or NULL when the document could not
   * be matched up (json-glib folds integers into gint64, so that -1 and
   * 18446744073709551615 look alike). */
  GHashTable *number_literals;
  GString *numbers_buf;
} UrunJsonContext;

/* Parses @data into a root node; fails with `FILE:LINE:COL: message` for a
 * syntax error.  Fills ctx's number table. */
JsonNode *urun_json_parse (UrunJsonContext *ctx, const char *data, gssize len, GError **error);
void urun_json_context_clear (UrunJsonContext *ctx);

/* Describes @node for "got ..." ("\"x\"", "12", "true", "an object", "null"). */
char *urun_json_describe (UrunJsonContext *ctx, JsonNode *node);

/* `FILE: PATH: message`, or `FILE: message` when @path is empty. */
gboolean urun_spec_fail (GError **error, const char *filename, const char *path, const char *fmt,
                         ...) G_GNUC_PRINTF (4, 5);

/* Reads an integer node.  Returns FALSE (no error set) when @node is not an
 * integer.  *out_negative and *out_magnitude give the value; *out_overflow
 * is TRUE when it does not fit 64 bits.  *out_exact is FALSE when the
 * literal was not available: a negative value may then be a literal in
 * 2^63..2^64-1 that json-glib wrapped around. */
gboolean urun_json_get_integer (UrunJsonContext *ctx, JsonNode *node, gboolean *out_negative,
                                guint64 *out_magnitude, gboolean *out_overflow,
                                gboolean *out_exact);

/* Shared by validation: a quoted, escaped copy of @s for messages. */
char *urun_spec_quote (const char *s);

G_END_DECLS
