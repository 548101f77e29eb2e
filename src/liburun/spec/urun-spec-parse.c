/* urun-spec-parse.c: config.json (json-glib) -> the structs of urun-spec.h,
 * driven by the field tables of urun-spec.c.
 *
 * Zone: host side (GLib).
 *
 * This file checks shape only: types, ranges of the C types, required
 * members.  Unknown members are ignored, as the spec requires.  A null
 * value for an optional member counts as absent (Go-written configs emit
 * `"mounts": null`).  What a value means is checked afterwards by
 * urun-spec-validate.c.
 *
 * Each struct is attached to its parent as soon as it is allocated, and
 * counts are set before elements are filled, so that on an error the
 * half-built spec can be freed by the generic destructor.
 */
#include "config.h"

#include "spec/urun-spec-private.h"
#include "util/urun-error.h"
#include "util/urun-json-file.h"

#include <fcntl.h>
#include <string.h>

typedef struct
{
  UrunJsonContext json;
  GString *path;              /* JSON path of the node being read */
} Parser;

#define MEMBER(obj, offset, T) ((T *) (gpointer) ((char *) (obj) + (offset)))

static gboolean parse_object (Parser *p, const UrunSpecType *type, JsonNode *node, gpointer obj,
                              GError **error);

static gboolean
fail_here (Parser *p, GError **error, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail_here (Parser *p, GError **error, const char *fmt, ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, fmt);
  message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return urun_spec_fail (error, p->json.filename, p->path->str, "%s", message);
}

static gboolean
fail_type (Parser *p, const char *expected, JsonNode *node, GError **error)
{
  g_autofree char *got = urun_json_describe (&p->json, node);

  return fail_here (p, error, "expected %s, got %s", expected, got);
}

static gboolean
is_value_of (JsonNode *node, GType type)
{
  return JSON_NODE_TYPE (node) == JSON_NODE_VALUE && json_node_get_value_type (node) == type;
}

/* Path building: ".key" (or "key" at the top), "[i]", "[\"key\"]". */
static void
path_push_member (GString *path, const char *key)
{
  if (path->len > 0)
    g_string_append_c (path, '.');
  g_string_append (path, key);
}

static void
path_push_index (GString *path, guint i)
{
  g_string_append_printf (path, "[%u]", i);
}

static void
path_push_map_key (GString *path, const char *key)
{
  g_autofree char *quoted = urun_spec_quote (key);

  g_string_append_printf (path, "[%s]", quoted);
}

/* ---- scalars -------------------------------------------------------------- */

static gboolean
read_string (Parser *p, JsonNode *node, char **out_value, GError **error)
{
  if (!is_value_of (node, G_TYPE_STRING))
    return fail_type (p, "a string", node, error);
  *out_value = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_unsigned (Parser *p, JsonNode *node, guint64 max, guint64 *out_value, GError **error)
{
  gboolean negative, overflow, exact;
  guint64 magnitude;

  if (!urun_json_get_integer (&p->json, node, &negative, &magnitude, &overflow, &exact))
    return fail_type (p, "an unsigned integer", node, error);
  /* Without the literal, a negative value is more likely a large uint64
   * (RLIM_INFINITY) that json-glib wrapped than a mistake. */
  if (negative && !exact && max == G_MAXUINT64)
    {
      *out_value = (guint64) 0 - magnitude;
      return TRUE;
    }
  if (negative)
    return fail_type (p, "an unsigned integer", node, error);
  if (overflow || magnitude > max)
    {
      g_autofree char *got = urun_json_describe (&p->json, node);

      return fail_here (p, error, "expected an unsigned integer up to %" G_GUINT64_FORMAT
                        ", got %s", max, got);
    }
  *out_value = magnitude;
  return TRUE;
}

static gboolean
read_signed (Parser *p, JsonNode *node, gint64 min, gint64 max, gint64 *out_value, GError **error)
{
  gboolean negative, overflow, exact;
  guint64 magnitude;
  /* -(min) computed without overflowing for G_MININT64. */
  guint64 min_magnitude = (guint64) (-(min + 1)) + 1;

  if (!urun_json_get_integer (&p->json, node, &negative, &magnitude, &overflow, &exact))
    return fail_type (p, "an integer", node, error);
  if (overflow || (negative ? magnitude > min_magnitude : magnitude > (guint64) max))
    {
      g_autofree char *got = urun_json_describe (&p->json, node);

      return fail_here (p, error,
                        "expected an integer between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
                        ", got %s",
                        min, max, got);
    }
  *out_value = negative ? -(gint64) (magnitude - 1) - 1 : (gint64) magnitude;
  return TRUE;
}

static gboolean
read_scalar (Parser *p, const UrunSpecField *f, JsonNode *node, gpointer obj, GError **error)
{
  guint64 u = 0;
  gint64 s = 0;

  switch (f->kind)
    {
    case URUN_FIELD_STRING:
      return read_string (p, node, MEMBER (obj, f->offset, char *), error);
    case URUN_FIELD_BOOL:
      if (!is_value_of (node, G_TYPE_BOOLEAN))
        return fail_type (p, "a boolean", node, error);
      *MEMBER (obj, f->offset, gboolean) = json_node_get_boolean (node);
      return TRUE;
    case URUN_FIELD_UINT16:
      if (!read_unsigned (p, node, G_MAXUINT16, &u, error))
        return FALSE;
      *MEMBER (obj, f->offset, guint16) = (guint16) u;
      return TRUE;
    case URUN_FIELD_UINT32:
      if (!read_unsigned (p, node, G_MAXUINT32, &u, error))
        return FALSE;
      *MEMBER (obj, f->offset, guint32) = (guint32) u;
      return TRUE;
    case URUN_FIELD_UINT64:
      if (!read_unsigned (p, node, G_MAXUINT64, &u, error))
        return FALSE;
      *MEMBER (obj, f->offset, guint64) = u;
      return TRUE;
    case URUN_FIELD_INT32:
      if (!read_signed (p, node, G_MININT32, G_MAXINT32, &s, error))
        return FALSE;
      *MEMBER (obj, f->offset, gint32) = (gint32) s;
      return TRUE;
    case URUN_FIELD_INT64:
      if (!read_signed (p, node, G_MININT64, G_MAXINT64, &s, error))
        return FALSE;
      *MEMBER (obj, f->offset, gint64) = s;
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* ---- arrays and maps -------------------------------------------------------- */

static gboolean
read_strv (Parser *p, JsonNode *node, char ***out_strv, GError **error)
{
  JsonArray *array;
  guint n;
  char **strv;

  if (JSON_NODE_TYPE (node) != JSON_NODE_ARRAY)
    return fail_type (p, "an array", node, error);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  strv = *out_strv = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      gsize len = p->path->len;

      path_push_index (p->path, i);
      if (!read_string (p, json_array_get_element (array, i), &strv[i], error))
        return FALSE;
      g_string_truncate (p->path, len);
    }
  return TRUE;
}

static gboolean
read_uint32_array (Parser *p, const UrunSpecField *f, JsonNode *node, gpointer obj,
                   GError **error)
{
  JsonArray *array;
  guint n;
  guint32 *values;

  if (JSON_NODE_TYPE (node) != JSON_NODE_ARRAY)
    return fail_type (p, "an array", node, error);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  values = *MEMBER (obj, f->offset, guint32 *) = g_new0 (guint32, MAX (n, 1));
  *MEMBER (obj, f->n_offset, gsize) = n;
  for (guint i = 0; i < n; i++)
    {
      gsize len = p->path->len;
      guint64 v;

      path_push_index (p->path, i);
      if (!read_unsigned (p, json_array_get_element (array, i), G_MAXUINT32, &v, error))
        return FALSE;
      values[i] = (guint32) v;
      g_string_truncate (p->path, len);
    }
  return TRUE;
}

static gboolean
read_object_array (Parser *p, const UrunSpecField *f, JsonNode *node, gpointer obj,
                   GError **error)
{
  JsonArray *array;
  guint n;
  char *elements;

  if (JSON_NODE_TYPE (node) != JSON_NODE_ARRAY)
    return fail_type (p, "an array", node, error);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  elements = *MEMBER (obj, f->offset, char *) = g_malloc0 (MAX (n, 1) * f->type->size);
  *MEMBER (obj, f->n_offset, gsize) = n;
  for (guint i = 0; i < n; i++)
    {
      gsize len = p->path->len;

      path_push_index (p->path, i);
      if (!parse_object (p, f->type, json_array_get_element (array, i),
                         elements + i * f->type->size, error))
        return FALSE;
      g_string_truncate (p->path, len);
    }
  return TRUE;
}

/* STRING_MAP and OBJECT_MAP: a JSON object read in document order. */
static gboolean
read_map (Parser *p, const UrunSpecField *f, JsonNode *node, gpointer obj, GError **error)
{
  gsize element_size = f->kind == URUN_FIELD_STRING_MAP ? sizeof (UrunSpecKeyValue)
                                                        : f->type->size;
  JsonObject *object;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  char *elements;
  gsize i = 0;

  if (JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    return fail_type (p, "an object", node, error);
  object = json_node_get_object (node);
  elements = *MEMBER (obj, f->offset, char *)
    = g_malloc0 (MAX (json_object_get_size (object), 1) * element_size);

#if JSON_CHECK_VERSION(1, 6, 0)
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &key, &value))
#else
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
#endif
    {
      gpointer element = elements + i * element_size;
      gsize len = p->path->len;

      /* Count first, so that a failure below frees this element too. */
      *MEMBER (obj, f->n_offset, gsize) = ++i;
      path_push_map_key (p->path, key);
      if (f->kind == URUN_FIELD_STRING_MAP)
        {
          UrunSpecKeyValue *kv = element;

          kv->key = g_strdup (key);
          if (!read_string (p, value, &kv->value, error))
            return FALSE;
        }
      else
        {
          *MEMBER (element, f->type->key_offset, char *) = g_strdup (key);
          if (!parse_object (p, f->type, value, element, error))
            return FALSE;
        }
      g_string_truncate (p->path, len);
    }
  return TRUE;
}

/* ---- objects ------------------------------------------------------------------ */

static gboolean
parse_field (Parser *p, const UrunSpecField *f, JsonNode *node, gpointer obj, GError **error)
{
  switch (f->kind)
    {
    case URUN_FIELD_STRV:
      if (!read_strv (p, node, MEMBER (obj, f->offset, char **), error))
        return FALSE;
      break;
    case URUN_FIELD_UINT32_ARRAY:
      if (!read_uint32_array (p, f, node, obj, error))
        return FALSE;
      break;
    case URUN_FIELD_OBJECT:
      {
        gpointer child = g_malloc0 (f->type->size);

        *MEMBER (obj, f->offset, gpointer) = child;
        if (!parse_object (p, f->type, node, child, error))
          return FALSE;
      }
      break;
    case URUN_FIELD_OBJECT_ARRAY:
      if (!read_object_array (p, f, node, obj, error))
        return FALSE;
      break;
    case URUN_FIELD_STRING_MAP:
    case URUN_FIELD_OBJECT_MAP:
      if (!read_map (p, f, node, obj, error))
        return FALSE;
      break;
    case URUN_FIELD_STRING:
    case URUN_FIELD_BOOL:
    case URUN_FIELD_INT32:
    case URUN_FIELD_UINT16:
    case URUN_FIELD_UINT32:
    case URUN_FIELD_INT64:
    case URUN_FIELD_UINT64:
    default:
      if (!read_scalar (p, f, node, obj, error))
        return FALSE;
      break;
    }

  if (f->has_offset >= 0)
    *MEMBER (obj, f->has_offset, gboolean) = TRUE;
  return TRUE;
}

static gboolean
parse_object (Parser *p, const UrunSpecType *type, JsonNode *node, gpointer obj, GError **error)
{
  JsonObject *object;

  if (JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    return fail_type (p, "an object", node, error);
  object = json_node_get_object (node);

  for (const UrunSpecField *f = type->fields; f->key != NULL; f++)
    {
      JsonNode *member = json_object_get_member (object, f->key);
      gsize len = p->path->len;

      path_push_member (p->path, f->key);
      if (member == NULL || (JSON_NODE_HOLDS_NULL (member) && !f->required))
        {
          if (f->required)
            return fail_here (p, error, "missing required field");
        }
      else if (!parse_field (p, f, member, obj, error))
        return FALSE;
      g_string_truncate (p->path, len);
    }
  return TRUE;
}

/* ---- loading --------------------------------------------------------------------- */

/* Parses @data as an object of @type into a new struct; with @out_root,
 * also gives the root node it came from. */
static gpointer
load (const UrunSpecType *type, const char *data, gssize len, const char *filename,
      JsonNode **out_root, GError **error)
{
  Parser p = { { filename, NULL, NULL }, NULL };
  g_autoptr (JsonNode) root = NULL;
  gpointer obj = NULL;

  root = urun_json_parse (&p.json, data, len, error);
  if (root != NULL && !urun_spec_check_nul (data, len < 0 ? strlen (data) : (gsize) len,
                                            filename, error))
    g_clear_pointer (&root, json_node_unref);
  if (root != NULL)
    {
      p.path = g_string_new (NULL);
      obj = g_malloc0 (type->size);
      if (!parse_object (&p, type, root, obj, error))
        {
          urun_spec_type_clear (type, obj);
          g_clear_pointer (&obj, g_free);
        }
      g_string_free (p.path, TRUE);
    }
  urun_json_context_clear (&p.json);
  if (obj != NULL && out_root != NULL)
    *out_root = g_steal_pointer (&root);
  return obj;
}

/* Reads @path for a loader: its bytes, and in *out_filename its basename,
 * the name errors use. */
static char *
read_file (const char *path, gsize *out_len, char **out_filename, GError **error)
{
  char *data;

  data = urun_json_read_at (AT_FDCWD, path, URUN_JSON_MAX_SIZE, URUN_JSON_READ_DEFAULT, out_len,
                            error);
  if (data != NULL)
    *out_filename = g_path_get_basename (path);
  return data;
}

UrunSpec *
urun_spec_load_data_with_root (const char *data, gssize len, const char *filename,
                               JsonNode **out_root, GError **error)
{
  g_autoptr (UrunSpec) spec = NULL;
  g_autoptr (JsonNode) root = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  spec = load (&urun_spec_type_spec, data, len, filename, out_root ? &root : NULL, error);
  if (spec == NULL || !urun_spec_validate (spec, filename, error))
    return NULL;
  if (out_root != NULL)
    *out_root = g_steal_pointer (&root);
  return g_steal_pointer (&spec);
}

UrunSpec *
urun_spec_load_data (const char *data, gssize len, const char *filename, GError **error)
{
  return urun_spec_load_data_with_root (data, len, filename, NULL, error);
}

UrunSpec *
urun_spec_load_file (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  g_autofree char *filename = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  data = read_file (path, &len, &filename, error);
  if (data == NULL)
    return NULL;
  return urun_spec_load_data (data, (gssize) len, filename, error);
}

UrunSpecProcess *
urun_spec_process_load_data (const char *data, gssize len, const char *filename, GError **error)
{
  g_autoptr (UrunSpecProcess) process = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  process = load (&urun_spec_type_process, data, len, filename, NULL, error);
  if (process == NULL || !urun_spec_process_validate (process, filename, error))
    return NULL;
  return g_steal_pointer (&process);
}

UrunSpecResources *
urun_spec_resources_load_data (const char *data, gssize len, const char *filename,
                               GError **error)
{
  g_autoptr (UrunSpecResources) resources = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  resources = load (&urun_spec_type_resources, data, len, filename, NULL, error);
  if (resources == NULL || !urun_spec_resources_validate (resources, filename, "", NULL, error))
    return NULL;
  return g_steal_pointer (&resources);
}
