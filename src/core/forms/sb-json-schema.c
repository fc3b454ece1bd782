/* sb-json-schema.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keywords the service forms use, with JSON Schema 2020-12's meaning:
 * type, enum, const, properties, required, additionalProperties, items (one
 * schema for every entry), minItems, maxItems, minLength, maxLength,
 * pattern, format (date, email, uuid asserted), minimum, maximum,
 * exclusiveMinimum, exclusiveMaximum, allOf, anyOf, oneOf, if/then/else and
 * $ref to a JSON Pointer inside the same schema ("#", "#/$defs/…"). An
 * unknown keyword in a schema is refused by sb_json_schema_check(), so a
 * form never silently checks less than it says. docs/json-schema.md lists
 * what is left out and how the official test suite is run against this.
 *
 * Every fault carries two pointers, as the specification's output formats
 * do: where in the instance (instanceLocation) and which keyword of the
 * schema, by the path taken through it (keywordLocation).
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

/* Where validation stands: the instance's pointer and the schema's. */
typedef struct
{
  const char *instance;
  const char *schema;
} Location;

static const char *known_keywords[] = {
  "$schema", "$id", "$defs", "$ref", "$comment", "title", "description", "examples", "default",
  "type", "enum", "const", "properties", "required", "additionalProperties", "items",
  "minItems", "maxItems", "minLength", "maxLength", "pattern", "format", "minimum", "maximum",
  "exclusiveMinimum", "exclusiveMaximum", "allOf", "anyOf", "oneOf", "if", "then", "else", "x-labels", "x-order", "x-options", "x-widget", "readOnly",
  NULL
};

/* Formats are asserted, not annotations: a schema with another is refused. */
static const char *checked_formats[] = { "date", "email", "uuid", NULL };

void
sb_schema_error_free (SbSchemaError *error)
{
  if (error == NULL)
    return;
  g_free (error->pointer);
  g_free (error->schema_pointer);
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
add_error (Validation     *v,
           const Location *at,
           const char     *keyword,
           const char     *format,
           ...)
{
  SbSchemaError *error = g_new0 (SbSchemaError, 1);
  va_list args;

  va_start (args, format);
  error->pointer = g_strdup (at->instance);
  /* The false schema has no keyword: its own location is the fault's. */
  error->schema_pointer = g_str_equal (keyword, "false") ? g_strdup (at->schema)
                                                         : sb_json_pointer_append (at->schema, keyword);
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

  return TRUE; /* sb_json_schema_check() refuses every other format */
}

static void validate (Validation *v, JsonNode *schema, JsonNode *instance, const Location *at);

/* JSON equality as the specification means it: 1 and 1.0 are the same
 * number, object members in any order. */
static gboolean
json_equal (JsonNode *a,
            JsonNode *b)
{
  if (is_number (a) && is_number (b))
    return number_of (a) == number_of (b);
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;

  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_ARRAY:
      {
        JsonArray *x = json_node_get_array (a), *y = json_node_get_array (b);

        if (json_array_get_length (x) != json_array_get_length (y))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (x); i++)
          if (!json_equal (json_array_get_element (x, i), json_array_get_element (y, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *x = json_node_get_object (a), *y = json_node_get_object (b);
        g_autoptr(GList) names = json_object_get_members (x);

        if (json_object_get_size (x) != json_object_get_size (y))
          return FALSE;
        for (GList *l = names; l != NULL; l = l->next)
          if (!json_object_has_member (y, l->data) ||
              !json_equal (json_object_get_member (x, l->data), json_object_get_member (y, l->data)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return FALSE;
      if (json_node_get_value_type (a) == G_TYPE_BOOLEAN)
        return json_node_get_boolean (a) == json_node_get_boolean (b);
      return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
    default:
      return FALSE;
    }
}

/* A reference inside this schema: "#" or "#/a/b" with RFC 6901's ~0 and ~1
 * and the URI fragment's percent-encoding. */
static JsonNode *
resolve_ref (Validation *v,
             const char *ref)
{
  g_auto(GStrv) parts = NULL;
  JsonNode *node = v->root;

  if (g_str_equal (ref, "#"))
    return node;
  if (!g_str_has_prefix (ref, "#/"))
    return NULL;

  parts = g_strsplit (ref + 2, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *decoded = g_uri_unescape_string (parts[i], NULL);
      g_autoptr(GString) token = g_string_new (decoded != NULL ? decoded : parts[i]);

      g_string_replace (token, "~1", "/", 0);
      g_string_replace (token, "~0", "~", 0);
      if (JSON_NODE_HOLDS_OBJECT (node) && json_object_has_member (json_node_get_object (node), token->str))
        node = json_object_get_member (json_node_get_object (node), token->str);
      else if (JSON_NODE_HOLDS_ARRAY (node) && g_ascii_isdigit (token->str[0]) &&
               g_ascii_strtoull (token->str, NULL, 10) < json_array_get_length (json_node_get_array (node)))
        node = json_array_get_element (json_node_get_array (node), g_ascii_strtoull (token->str, NULL, 10));
      else
        return NULL;
    }
  return node;
}

static gboolean
valid_against (Validation     *v,
               JsonNode       *schema,
               JsonNode       *instance,
               const Location *at)
{
  Validation probe = { v->root, g_ptr_array_new_with_free_func ((GDestroyNotify)sb_schema_error_free), v->depth };
  gboolean valid;

  validate (&probe, schema, instance, at);
  valid = probe.errors->len == 0;
  g_ptr_array_unref (probe.errors);
  return valid;
}

/* Validates @instance against the subschema @keyword (/@token) of @schema. */
static void
validate_in (Validation     *v,
             JsonNode       *subschema,
             JsonNode       *instance,
             const Location *at,
             const char     *keyword,
             const char     *token,
             const char     *instance_token)
{
  g_autofree char *keyword_at = sb_json_pointer_append (at->schema, keyword);
  g_autofree char *schema_at = token != NULL ? sb_json_pointer_append (keyword_at, token) : g_strdup (keyword_at);
  g_autofree char *instance_at = instance_token != NULL ? sb_json_pointer_append (at->instance, instance_token)
                                                        : g_strdup (at->instance);
  Location inner = { instance_at, schema_at };

  validate (v, subschema, instance, &inner);
}

static void
validate_object (Validation     *v,
                 JsonObject     *schema,
                 JsonObject     *object,
                 const Location *at)
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

          if (!json_object_has_member (object, name))
            {
              g_autofree char *missing = sb_json_pointer_append (at->instance, name);
              Location there = { missing, at->schema };

              add_error (v, &there, "required", "This field is required");
            }
        }
    }

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (object, name);

      if (properties != NULL && json_object_has_member (properties, name))
        validate_in (v, json_object_get_member (properties, name), value, at, "properties", name, name);
      else if (json_object_has_member (schema, "additionalProperties"))
        {
          JsonNode *additional = json_object_get_member (schema, "additionalProperties");
          g_autofree char *member_at = sb_json_pointer_append (at->instance, name);
          Location there = { member_at, at->schema };

          if (JSON_NODE_HOLDS_VALUE (additional) && !json_node_get_boolean (additional))
            add_error (v, &there, "additionalProperties", "Unknown field '%s'", name);
          else if (JSON_NODE_HOLDS_OBJECT (additional))
            validate_in (v, additional, value, at, "additionalProperties", NULL, name);
        }
    }
}

static void
validate_string (Validation     *v,
                 JsonObject     *schema,
                 const char     *text,
                 const Location *at)
{
  glong length = g_utf8_strlen (text, -1);

  if (json_object_has_member (schema, "minLength") && length < json_object_get_int_member (schema, "minLength"))
    add_error (v, at, "minLength", "Must be at least %" G_GINT64_FORMAT " characters",
               json_object_get_int_member (schema, "minLength"));
  if (json_object_has_member (schema, "maxLength") && length > json_object_get_int_member (schema, "maxLength"))
    add_error (v, at, "maxLength", "Must be at most %" G_GINT64_FORMAT " characters",
               json_object_get_int_member (schema, "maxLength"));
  if (json_object_has_member (schema, "pattern"))
    {
      const char *pattern = json_object_get_string_member (schema, "pattern");
      g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);

      if (regex != NULL && !g_regex_match (regex, text, 0, NULL))
        add_error (v, at, "pattern", "Not in the expected form");
    }
  if (json_object_has_member (schema, "format") &&
      !format_matches (json_object_get_string_member (schema, "format"), text))
    add_error (v, at, "format", "Not a valid %s", json_object_get_string_member (schema, "format"));
}

static void
validate_number (Validation     *v,
                 JsonObject     *schema,
                 double          value,
                 const Location *at)
{
  struct { const char *keyword; gboolean below; gboolean exclusive; const char *message; } bounds[] = {
    { "minimum", TRUE, FALSE, "Must be at least" },
    { "exclusiveMinimum", TRUE, TRUE, "Must be more than" },
    { "maximum", FALSE, FALSE, "Must be at most" },
    { "exclusiveMaximum", FALSE, TRUE, "Must be less than" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
    {
      double bound;
      gboolean outside;

      if (!json_object_has_member (schema, bounds[i].keyword))
        continue;
      bound = number_of (json_object_get_member (schema, bounds[i].keyword));
      if (bounds[i].below)
        outside = bounds[i].exclusive ? value <= bound : value < bound;
      else
        outside = bounds[i].exclusive ? value >= bound : value > bound;
      if (outside)
        add_error (v, at, bounds[i].keyword, "%s %g", bounds[i].message, bound);
    }
}

static void
validate_array (Validation     *v,
                JsonObject     *schema,
                JsonArray      *array,
                const Location *at)
{
  guint n = json_array_get_length (array);

  if (json_object_has_member (schema, "minItems") && n < json_object_get_int_member (schema, "minItems"))
    add_error (v, at, "minItems", "Needs at least %" G_GINT64_FORMAT " entries",
               json_object_get_int_member (schema, "minItems"));
  if (json_object_has_member (schema, "maxItems") && n > json_object_get_int_member (schema, "maxItems"))
    add_error (v, at, "maxItems", "Allows at most %" G_GINT64_FORMAT " entries",
               json_object_get_int_member (schema, "maxItems"));
  if (json_object_has_member (schema, "items"))
    for (guint i = 0; i < n; i++)
      {
        char index[16];

        g_snprintf (index, sizeof index, "%u", i);
        validate_in (v, json_object_get_member (schema, "items"), json_array_get_element (array, i), at,
                     "items", NULL, index);
      }
}

/* The one alternative whose "const" members the instance has, as a form
 * picks a branch of oneOf by a choice; -1 when none or several are. */
static int
chosen_branch (JsonArray *branches,
               JsonNode  *instance)
{
  int chosen = -1;

  if (!JSON_NODE_HOLDS_OBJECT (instance))
    return -1;
  for (guint i = 0; i < json_array_get_length (branches); i++)
    {
      JsonNode *branch = json_array_get_element (branches, i);
      JsonObject *members = JSON_NODE_HOLDS_OBJECT (branch) &&
                            json_object_has_member (json_node_get_object (branch), "properties")
                              ? json_object_get_object_member (json_node_get_object (branch), "properties") : NULL;
      g_autoptr(GList) names = members != NULL ? json_object_get_members (members) : NULL;
      guint fixed = 0;
      gboolean holds = TRUE;

      for (GList *l = names; l != NULL && holds; l = l->next)
        {
          JsonNode *member = json_object_get_member (members, l->data);
          JsonNode *value = json_object_get_member (json_node_get_object (instance), l->data);

          if (!JSON_NODE_HOLDS_OBJECT (member) || !json_object_has_member (json_node_get_object (member), "const"))
            continue;
          fixed++;
          holds = value != NULL && json_equal (value, json_object_get_member (json_node_get_object (member), "const"));
        }
      if (fixed > 0 && holds)
        {
          if (chosen >= 0)
            return -1;
          chosen = (int)i;
        }
    }
  return chosen;
}

/* allOf, anyOf, oneOf: the faults of allOf's branches are the instance's;
 * for anyOf and oneOf the branches are tried and one fault says how many
 * fitted. */
static void
validate_combinations (Validation     *v,
                       JsonObject     *schema,
                       JsonNode       *instance,
                       const Location *at)
{
  if (json_object_has_member (schema, "allOf"))
    {
      JsonArray *all = json_object_get_array_member (schema, "allOf");

      for (guint i = 0; i < json_array_get_length (all); i++)
        {
          char index[16];

          g_snprintf (index, sizeof index, "%u", i);
          validate_in (v, json_array_get_element (all, i), instance, at, "allOf", index, NULL);
        }
    }

  for (guint k = 0; k < 2; k++)
    {
      const char *keyword = k == 0 ? "anyOf" : "oneOf";
      JsonArray *branches;
      guint fitting = 0;
      int chosen;

      if (!json_object_has_member (schema, keyword))
        continue;
      branches = json_object_get_array_member (schema, keyword);
      for (guint i = 0; i < json_array_get_length (branches); i++)
        if (valid_against (v, json_array_get_element (branches, i), instance, at))
          fitting++;
      if (fitting == 0 && (chosen = chosen_branch (branches, instance)) >= 0)
        {
          char index[16];

          /* The instance picked an alternative by its "const" members: what
           * is wrong is said as that alternative's faults (the field to fill). */
          g_snprintf (index, sizeof index, "%d", chosen);
          validate_in (v, json_array_get_element (branches, (guint)chosen), instance, at, keyword, index, NULL);
        }
      else if (fitting == 0)
        add_error (v, at, keyword, "Fits none of the %u alternatives", json_array_get_length (branches));
      else if (k == 1 && fitting > 1)
        add_error (v, at, keyword, "Fits %u alternatives where exactly one must fit", fitting);
    }

  if (json_object_has_member (schema, "if"))
    {
      if (valid_against (v, json_object_get_member (schema, "if"), instance, at))
        {
          if (json_object_has_member (schema, "then"))
            validate_in (v, json_object_get_member (schema, "then"), instance, at, "then", NULL, NULL);
        }
      else if (json_object_has_member (schema, "else"))
        validate_in (v, json_object_get_member (schema, "else"), instance, at, "else", NULL, NULL);
    }
}

static void
validate (Validation     *v,
          JsonNode       *schema_node,
          JsonNode       *instance,
          const Location *at)
{
  JsonObject *schema;

  if (JSON_NODE_HOLDS_VALUE (schema_node) && json_node_get_value_type (schema_node) == G_TYPE_BOOLEAN)
    {
      if (!json_node_get_boolean (schema_node))
        add_error (v, at, "false", "No value is allowed here");
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
        validate_in (v, target, instance, at, "$ref", NULL, NULL);
      else
        add_error (v, at, "$ref", "The schema refers to '%s', which it does not have",
                   json_object_get_string_member (schema, "$ref"));
    }

  if (json_object_has_member (schema, "type"))
    {
      JsonNode *type = json_object_get_member (schema, "type");
      gboolean matches = FALSE;
      const char *wanted;

      if (JSON_NODE_HOLDS_ARRAY (type))
        {
          JsonArray *types = json_node_get_array (type);

          wanted = json_array_get_length (types) > 0 ? json_array_get_string_element (types, 0) : "nothing";
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
          /* Nothing else said about a value of the wrong type helps. */
          add_error (v, at, "type", "Expected %s %s, got %s",
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
        found = json_equal (json_array_get_element (values, i), instance);
      if (!found)
        add_error (v, at, "enum", "Not one of the allowed values");
    }

  if (json_object_has_member (schema, "const") && !json_equal (json_object_get_member (schema, "const"), instance))
    add_error (v, at, "const", "Not the required value");

  if (JSON_NODE_HOLDS_VALUE (instance) && json_node_get_value_type (instance) == G_TYPE_STRING)
    validate_string (v, schema, json_node_get_string (instance), at);
  if (is_number (instance))
    validate_number (v, schema, number_of (instance), at);
  if (JSON_NODE_HOLDS_OBJECT (instance))
    validate_object (v, schema, json_node_get_object (instance), at);
  if (JSON_NODE_HOLDS_ARRAY (instance))
    validate_array (v, schema, json_node_get_array (instance), at);

  validate_combinations (v, schema, instance, at);

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
  Location root = { "", "" };

  g_return_val_if_fail (schema != NULL && instance != NULL, v.errors);

  validate (&v, schema, instance, &root);
  return v.errors;
}

static gboolean check_schema (JsonNode *node, const char *where, GError **error);

static gboolean
is_count (JsonNode *value)
{
  return JSON_NODE_HOLDS_VALUE (value) && is_number (value) && number_of (value) >= 0 &&
         g_str_equal (type_of (value), "integer");
}

static gboolean
is_string_array (JsonNode *value)
{
  if (!JSON_NODE_HOLDS_ARRAY (value))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (value)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (value), i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return FALSE;
    }
  return TRUE;
}

/* Whether @value is what @keyword takes, with its subschemas checked too. */
static gboolean
check_keyword (const char *keyword,
               JsonNode   *value,
               const char *at,
               GError    **error)
{
  static const char *types[] = { "object", "array", "string", "number", "integer", "boolean", "null", NULL };
  static const char *counts[] = { "minItems", "maxItems", "minLength", "maxLength", NULL };
  static const char *bounds[] = { "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", NULL };
  static const char *subschemas[] = { "items", "additionalProperties", "if", "then", "else", NULL };
  const char *expected = NULL;

  if (g_str_equal (keyword, "type"))
    {
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
          g_strv_contains (types, json_node_get_string (value)))
        return TRUE;
      if (is_string_array (value))
        {
          gboolean known = TRUE;

          for (guint i = 0; i < json_array_get_length (json_node_get_array (value)); i++)
            known &= g_strv_contains (types, json_array_get_string_element (json_node_get_array (value), i));
          if (known)
            return TRUE;
        }
      expected = "a type name or a list of them";
    }
  else if (g_str_equal (keyword, "properties") || g_str_equal (keyword, "$defs"))
    {
      g_autoptr(GList) names = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (value))
        expected = "an object of schemas";
      else
        names = json_object_get_members (json_node_get_object (value));
      for (GList *n = names; n != NULL; n = n->next)
        {
          g_autofree char *child = sb_json_pointer_append (at, n->data);

          if (!check_schema (json_object_get_member (json_node_get_object (value), n->data), child, error))
            return FALSE;
        }
    }
  else if (g_strv_contains (subschemas, keyword))
    return check_schema (value, at, error);
  else if (g_str_equal (keyword, "allOf") || g_str_equal (keyword, "anyOf") || g_str_equal (keyword, "oneOf"))
    {
      if (!JSON_NODE_HOLDS_ARRAY (value) || json_array_get_length (json_node_get_array (value)) == 0)
        expected = "a non-empty list of schemas";
      else
        for (guint i = 0; i < json_array_get_length (json_node_get_array (value)); i++)
          {
            char index[16];
            g_autofree char *child = NULL;

            g_snprintf (index, sizeof index, "%u", i);
            child = sb_json_pointer_append (at, index);
            if (!check_schema (json_array_get_element (json_node_get_array (value), i), child, error))
              return FALSE;
          }
    }
  else if (g_str_equal (keyword, "required"))
    expected = is_string_array (value) ? NULL : "a list of names";
  else if (g_str_equal (keyword, "enum"))
    expected = JSON_NODE_HOLDS_ARRAY (value) ? NULL : "a list of values";
  else if (g_strv_contains (counts, keyword))
    expected = is_count (value) ? NULL : "a non-negative integer";
  else if (g_strv_contains (bounds, keyword))
    expected = is_number (value) ? NULL : "a number";
  else if (g_str_equal (keyword, "readOnly"))
    expected = JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN
                 ? NULL : "true or false";
  else if (g_str_equal (keyword, "pattern") || g_str_equal (keyword, "format") || g_str_equal (keyword, "$ref") ||
           g_str_equal (keyword, "title") || g_str_equal (keyword, "description"))
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        expected = "a string";
      else if (g_str_equal (keyword, "$ref") && !g_str_has_prefix (json_node_get_string (value), "#"))
        expected = "a reference inside this schema (\"#…\")";
      else if (g_str_equal (keyword, "format") && !g_strv_contains (checked_formats, json_node_get_string (value)))
        expected = "one of the formats checked here: date, email, uuid";
      else if (g_str_equal (keyword, "pattern"))
        {
          g_autoptr(GError) regex_error = NULL;
          g_autoptr(GRegex) regex = g_regex_new (json_node_get_string (value), 0, 0, &regex_error);

          if (regex == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: bad pattern: %s", at,
                           regex_error->message);
              return FALSE;
            }
        }
    }

  if (expected != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: '%s' must be %s", at, keyword, expected);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_schema (JsonNode   *node,
              const char *where,
              GError    **error)
{
  JsonObject *schema;
  g_autoptr(GList) members = NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: a schema must be an object or a boolean",
                   where[0] != '\0' ? where : "/");
      return FALSE;
    }

  schema = json_node_get_object (node);
  members = json_object_get_members (schema);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *keyword = l->data;
      g_autofree char *at = sb_json_pointer_append (where, keyword);

      if (!g_strv_contains (known_keywords, keyword))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "%s: the keyword '%s' is not supported", at, keyword);
          return FALSE;
        }
      if (!check_keyword (keyword, json_object_get_member (schema, keyword), at, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_blank (JsonNode *value)
{
  return JSON_NODE_HOLDS_NULL (value) ||
         (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
          json_node_get_string (value)[0] == '\0') ||
         (JSON_NODE_HOLDS_OBJECT (value) && json_object_get_size (json_node_get_object (value)) == 0);
}

/**
 * sb_json_form_pruned:
 *
 * Returns: (transfer full): a copy of @form without the object members that
 * are null, an empty string or an object left empty by this: a form's field
 * left blank is a field not given. The app and the platform both prune
 * before they validate, so a blank required field is "required", not a
 * short string. @form may be immutable (as a parser's nodes are).
 */
JsonNode *
sb_json_form_pruned (JsonNode *form)
{
  if (JSON_NODE_HOLDS_ARRAY (form))
    {
      JsonArray *source = json_node_get_array (form);
      JsonArray *copy = json_array_sized_new (json_array_get_length (source));

      for (guint i = 0; i < json_array_get_length (source); i++)
        json_array_add_element (copy, sb_json_form_pruned (json_array_get_element (source, i)));
      return json_node_init_array (json_node_alloc (), copy);
    }
  if (JSON_NODE_HOLDS_OBJECT (form))
    {
      JsonObject *source = json_node_get_object (form);
      JsonObject *copy = json_object_new ();
      g_autoptr(GList) names = json_object_get_members (source);
      JsonNode *node;

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *value = sb_json_form_pruned (json_object_get_member (source, l->data));

          if (is_blank (value))
            json_node_unref (value);
          else
            json_object_set_member (copy, l->data, value);
        }
      node = json_node_init_object (json_node_alloc (), copy);
      json_object_unref (copy);
      return node;
    }
  return json_node_copy (form);
}

/**
 * sb_json_schema_check:
 *
 * Makes sure @schema uses only keywords this validator knows, each with a
 * value of the kind it takes (a number for "minimum", a list of schemas for
 * "oneOf", …) and patterns that compile. The error names the place by its
 * JSON Pointer into @schema.
 */
gboolean
sb_json_schema_check (JsonNode *schema,
                      GError  **error)
{
  return check_schema (schema, "", error);
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
