/* sb-json-schema.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keywords the service forms use, from JSON Schema 2020-12: type, enum,
 * const, properties, required, additionalProperties, items, minItems,
 * maxItems, minLength, maxLength, pattern, format (date, email, uuid),
 * minimum, maximum, allOf, if/then/else and local $ref into $defs. An
 * unknown keyword in a schema is refused by sb_json_schema_check(), so a
 * form never silently checks less than it says.
 */
#include "sb-json-schema.h"

#include <stdio.h>
#include <string.h>

typedef struct
{
  JsonNode  *root;
  GPtrArray *errors;
  guint      depth;
} Validation;

static const char *known_keywords[] = {
  "$schema", "$id", "$defs", "$ref", "$comment", "title", "description", "examples", "default",
  "type", "enum", "const", "properties", "required", "additionalProperties", "items",
  "minItems", "maxItems", "minLength", "maxLength", "pattern", "format", "minimum", "maximum",
  "allOf", "if", "then", "else", "x-labels", "x-order", "x-options", "x-widget", "readOnly",
  NULL
};

void
sb_schema_error_free (SbSchemaError *error)
{
  if (error == NULL)
    return;
  g_free (error->pointer);
  g_free (error->keyword);
  g_free (error->detail);
  g_free (error);
}

char *
sb_json_pointer_append (const char *pointer,
                        const char *token)
{
  GString *out = g_string_new (pointer);

  g_string_append_c (out, '/');
  for (const char *p = token; *p != '\0'; p++)
    {
      if (*p == '~')
        g_string_append (out, "~0");
      else if (*p == '/')
        g_string_append (out, "~1");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

G_GNUC_PRINTF (4, 5)
static void
add_error (Validation *v,
           const char *pointer,
           const char *keyword,
           const char *format,
           ...)
{
  SbSchemaError *error = g_new0 (SbSchemaError, 1);
  va_list args;

  va_start (args, format);
  error->pointer = g_strdup (pointer);
  error->keyword = g_strdup (keyword);
  error->detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (v->errors, error);
}

static const char *
type_of (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "object";
    case JSON_NODE_ARRAY:
      return "array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return "boolean";
    case G_TYPE_INT64:
      return "integer";
    case G_TYPE_DOUBLE:
      {
        double value = json_node_get_double (node);
        return value == (double)(gint64)value ? "integer" : "number";
      }
    case G_TYPE_STRING:
      return "string";
    default:
      return "unknown";
    }
}

static gboolean
type_matches (JsonNode   *node,
              const char *wanted)
{
  const char *actual = type_of (node);

  return g_str_equal (actual, wanted) || (g_str_equal (wanted, "number") && g_str_equal (actual, "integer"));
}

static double
number_of (JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double)json_node_get_int (node);
  return json_node_get_double (node);
}

static gboolean
is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gboolean
format_matches (const char *format,
                const char *value)
{
  if (g_str_equal (format, "date"))
    {
      int year, month, day;
      char tail;

      if (strlen (value) != 10 || sscanf (value, "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3)
        return FALSE;
      return value[4] == '-' && value[7] == '-' && g_date_valid_dmy (day, month, year);
    }
  if (g_str_equal (format, "email"))
    {
      const char *at = strchr (value, '@');

      return at != NULL && at != value && strchr (at + 1, '@') == NULL &&
             strchr (at + 1, '.') != NULL && at[1] != '.' && !g_str_has_suffix (value, ".") &&
             strpbrk (value, " \t\r\n<>()[],;:\"") == NULL;
    }
  if (g_str_equal (format, "uuid"))
    return g_uuid_string_is_valid (value);

  return TRUE; /* formats are annotations unless known */
}

static void validate (Validation *v, JsonNode *schema, JsonNode *instance, const char *pointer);

static JsonNode *
resolve_ref (Validation *v,
             const char *ref)
{
  g_auto(GStrv) parts = NULL;
  JsonNode *node = v->root;

  if (!g_str_has_prefix (ref, "#/"))
    return NULL;

  parts = g_strsplit (ref + 2, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node) || !json_object_has_member (json_node_get_object (node), parts[i]))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    }
  return node;
}

static gboolean
valid_against (Validation *v,
               JsonNode   *schema,
               JsonNode   *instance)
{
  Validation probe = { v->root, g_ptr_array_new_with_free_func ((GDestroyNotify)sb_schema_error_free), v->depth };
  gboolean valid;

  validate (&probe, schema, instance, "");
  valid = probe.errors->len == 0;
  g_ptr_array_unref (probe.errors);
  return valid;
}

static void
validate_object (Validation *v,
                 JsonObject *schema,
                 JsonObject *object,
                 const char *pointer)
{
  JsonObject *properties = json_object_has_member (schema, "properties")
                             ? json_object_get_object_member (schema, "properties") : NULL;
  g_autoptr(GList) members = json_object_get_members (object);

  if (json_object_has_member (schema, "required"))
    {
      JsonArray *required = json_object_get_array_member (schema, "required");

      for (guint i = 0; i < json_array_get_length (required); i++)
        {
          const char *name = json_array_get_string_element (required, i);
          JsonNode *value = json_object_get_member (object, name);

          if (value == NULL || JSON_NODE_HOLDS_NULL (value) ||
              (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
               json_node_get_string (value)[0] == '\0'))
            {
              g_autofree char *at = sb_json_pointer_append (pointer, name);

              add_error (v, at, "required", "This field is required");
            }
        }
    }

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (object, name);
      g_autofree char *at = sb_json_pointer_append (pointer, name);

      if (properties != NULL && json_object_has_member (properties, name))
        {
          /* Empty optional fields are as good as absent. */
          if (JSON_NODE_HOLDS_NULL (value))
            continue;
          validate (v, json_object_get_member (properties, name), value, at);
        }
      else if (json_object_has_member (schema, "additionalProperties"))
        {
          JsonNode *additional = json_object_get_member (schema, "additionalProperties");

          if (JSON_NODE_HOLDS_VALUE (additional) && !json_node_get_boolean (additional))
            add_error (v, at, "additionalProperties", "Unknown field '%s'", name);
          else if (JSON_NODE_HOLDS_OBJECT (additional))
            validate (v, additional, value, at);
        }
    }
}

static void
validate (Validation *v,
          JsonNode   *schema_node,
          JsonNode   *instance,
          const char *pointer)
{
  JsonObject *schema;

  if (JSON_NODE_HOLDS_VALUE (schema_node) && json_node_get_value_type (schema_node) == G_TYPE_BOOLEAN)
    {
      if (!json_node_get_boolean (schema_node))
        add_error (v, pointer, "false", "No value is allowed here");
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (schema_node) || v->depth > 64)
    return;

  schema = json_node_get_object (schema_node);
  v->depth++;

  if (json_object_has_member (schema, "$ref"))
    {
      JsonNode *target = resolve_ref (v, json_object_get_string_member (schema, "$ref"));

      if (target != NULL)
        validate (v, target, instance, pointer);
    }

  if (json_object_has_member (schema, "type"))
    {
      JsonNode *type = json_object_get_member (schema, "type");
      gboolean matches = FALSE;
      const char *wanted;

      if (JSON_NODE_HOLDS_ARRAY (type))
        {
          JsonArray *types = json_node_get_array (type);

          wanted = json_array_get_string_element (types, 0);
          for (guint i = 0; i < json_array_get_length (types) && !matches; i++)
            matches = type_matches (instance, json_array_get_string_element (types, i));
        }
      else
        {
          wanted = json_node_get_string (type);
          matches = type_matches (instance, wanted);
        }
      if (!matches)
        {
          add_error (v, pointer, "type", "Expected %s %s, got %s",
                     strchr ("aeiou", wanted[0]) ? "an" : "a", wanted, type_of (instance));
          v->depth--;
          return;
        }
    }

  if (json_object_has_member (schema, "enum"))
    {
      JsonArray *values = json_object_get_array_member (schema, "enum");
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (values) && !found; i++)
        found = json_node_equal (json_array_get_element (values, i), instance);
      if (!found)
        add_error (v, pointer, "enum", "Not one of the allowed values");
    }

  if (json_object_has_member (schema, "const") &&
      !json_node_equal (json_object_get_member (schema, "const"), instance))
    add_error (v, pointer, "const", "Not the required value");

  if (JSON_NODE_HOLDS_VALUE (instance) && json_node_get_value_type (instance) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (instance);
      glong length = g_utf8_strlen (text, -1);

      if (json_object_has_member (schema, "minLength") && length < json_object_get_int_member (schema, "minLength"))
        add_error (v, pointer, "minLength", "Must be at least %" G_GINT64_FORMAT " characters",
                   json_object_get_int_member (schema, "minLength"));
      if (json_object_has_member (schema, "maxLength") && length > json_object_get_int_member (schema, "maxLength"))
        add_error (v, pointer, "maxLength", "Must be at most %" G_GINT64_FORMAT " characters",
                   json_object_get_int_member (schema, "maxLength"));
      if (json_object_has_member (schema, "pattern"))
        {
          const char *pattern = json_object_get_string_member (schema, "pattern");
          g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, NULL);

          if (regex != NULL && !g_regex_match (regex, text, 0, NULL))
            add_error (v, pointer, "pattern", "Not in the expected form");
        }
      if (json_object_has_member (schema, "format") &&
          !format_matches (json_object_get_string_member (schema, "format"), text))
        add_error (v, pointer, "format", "Not a valid %s", json_object_get_string_member (schema, "format"));
    }

  if (is_number (instance))
    {
      double value = number_of (instance);

      if (json_object_has_member (schema, "minimum") &&
          value < number_of (json_object_get_member (schema, "minimum")))
        add_error (v, pointer, "minimum", "Must be at least %g", number_of (json_object_get_member (schema, "minimum")));
      if (json_object_has_member (schema, "maximum") &&
          value > number_of (json_object_get_member (schema, "maximum")))
        add_error (v, pointer, "maximum", "Must be at most %g", number_of (json_object_get_member (schema, "maximum")));
    }

  if (JSON_NODE_HOLDS_OBJECT (instance))
    validate_object (v, schema, json_node_get_object (instance), pointer);

  if (JSON_NODE_HOLDS_ARRAY (instance))
    {
      JsonArray *array = json_node_get_array (instance);
      guint n = json_array_get_length (array);

      if (json_object_has_member (schema, "minItems") && n < json_object_get_int_member (schema, "minItems"))
        add_error (v, pointer, "minItems", "Needs at least %" G_GINT64_FORMAT " entries",
                   json_object_get_int_member (schema, "minItems"));
      if (json_object_has_member (schema, "maxItems") && n > json_object_get_int_member (schema, "maxItems"))
        add_error (v, pointer, "maxItems", "Allows at most %" G_GINT64_FORMAT " entries",
                   json_object_get_int_member (schema, "maxItems"));
      if (json_object_has_member (schema, "items"))
        for (guint i = 0; i < n; i++)
          {
            char index[16];
            g_autofree char *at = NULL;

            g_snprintf (index, sizeof index, "%u", i);
            at = sb_json_pointer_append (pointer, index);
            validate (v, json_object_get_member (schema, "items"), json_array_get_element (array, i), at);
          }
    }

  if (json_object_has_member (schema, "allOf"))
    {
      JsonArray *all = json_object_get_array_member (schema, "allOf");

      for (guint i = 0; i < json_array_get_length (all); i++)
        validate (v, json_array_get_element (all, i), instance, pointer);
    }

  if (json_object_has_member (schema, "if"))
    {
      if (valid_against (v, json_object_get_member (schema, "if"), instance))
        {
          if (json_object_has_member (schema, "then"))
            validate (v, json_object_get_member (schema, "then"), instance, pointer);
        }
      else if (json_object_has_member (schema, "else"))
        validate (v, json_object_get_member (schema, "else"), instance, pointer);
    }

  v->depth--;
}

/**
 * sb_json_schema_validate:
 *
 * Returns: (transfer full) (element-type SbSchemaError): every fault of
 * @instance against @schema, in document order; empty if it fits.
 */
GPtrArray *
sb_json_schema_validate (JsonNode *schema,
                         JsonNode *instance)
{
  Validation v = { schema, g_ptr_array_new_with_free_func ((GDestroyNotify)sb_schema_error_free), 0 };

  g_return_val_if_fail (schema != NULL && instance != NULL, v.errors);

  validate (&v, schema, instance, "");
  return v.errors;
}

static gboolean
check_keywords (JsonNode   *node,
                const char *where,
                GError    **error)
{
  JsonObject *schema;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;

  schema = json_node_get_object (node);
  members = json_object_get_members (schema);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *keyword = l->data;
      JsonNode *value = json_object_get_member (schema, keyword);

      if (!g_strv_contains (known_keywords, keyword))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "%s: the keyword '%s' is not supported", where, keyword);
          return FALSE;
        }
      if (g_str_equal (keyword, "pattern"))
        {
          g_autoptr(GError) regex_error = NULL;
          g_autoptr(GRegex) regex = g_regex_new (json_node_get_string (value), 0, 0, &regex_error);

          if (regex == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: bad pattern: %s", where, regex_error->message);
              return FALSE;
            }
        }
      if (g_str_equal (keyword, "properties") || g_str_equal (keyword, "$defs"))
        {
          JsonObject *children = json_node_get_object (value);
          g_autoptr(GList) names = json_object_get_members (children);

          for (GList *n = names; n != NULL; n = n->next)
            {
              g_autofree char *at = sb_json_pointer_append (where, n->data);

              if (!check_keywords (json_object_get_member (children, n->data), at, error))
                return FALSE;
            }
        }
      else if (g_str_equal (keyword, "allOf"))
        {
          JsonArray *all = json_node_get_array (value);

          for (guint i = 0; i < json_array_get_length (all); i++)
            if (!check_keywords (json_array_get_element (all, i), where, error))
              return FALSE;
        }
      else if (g_str_equal (keyword, "items") || g_str_equal (keyword, "additionalProperties") ||
               g_str_equal (keyword, "if") || g_str_equal (keyword, "then") || g_str_equal (keyword, "else"))
        {
          if (!check_keywords (value, where, error))
            return FALSE;
        }
    }
  return TRUE;
}

/**
 * sb_json_schema_check:
 *
 * Makes sure @schema uses only keywords this validator knows, with
 * patterns that compile.
 */
gboolean
sb_json_schema_check (JsonNode *schema,
                      GError  **error)
{
  return check_keywords (schema, "", error);
}

/**
 * sb_json_nesting_exceeds:
 *
 * Whether the JSON text @data nests arrays and objects deeper than
 * @max_depth; checked before parsing, so a hostile document cannot exhaust
 * the parser's stack.
 */
gboolean
sb_json_nesting_exceeds (const char *data,
                         gsize       length,
                         guint       max_depth)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return TRUE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return FALSE;
}

static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char)*p);
        }
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, (char)*p);
    }
  g_string_append_c (out, '"');
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (a, b);
}

static void
append_canonical (GString  *out,
                  JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        GList *names = g_list_sort (json_object_get_members (object), compare_names);

        g_string_append_c (out, '{');
        for (GList *l = names; l != NULL; l = l->next)
          {
            if (l != names)
              g_string_append_c (out, ',');
            append_string (out, l->data);
            g_string_append_c (out, ':');
            append_canonical (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
        g_list_free (names);
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_canonical (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
          }
          break;
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
          break;
        }
      break;
    default:
      break;
    }
}

/**
 * sb_json_canonical:
 *
 * Returns: (transfer full): @node as compact JSON with object members in
 * byte order, the same text for the same content, to hash and compare.
 */
char *
sb_json_canonical (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  append_canonical (out, node);
  return g_string_free (out, FALSE);
}
