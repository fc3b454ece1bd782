/* test-json-schema.c: the form validator shared by app and platform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sb-json-schema.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static char *
faults (const char *schema_text,
        const char *instance_text)
{
  g_autoptr(JsonNode) schema = parse (schema_text);
  g_autoptr(JsonNode) instance = parse (instance_text);
  g_autoptr(JsonNode) form = sb_json_form_pruned (instance);
  g_autoptr(GPtrArray) errors = sb_json_schema_validate (schema, form);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < errors->len; i++)
    {
      SbSchemaError *error = g_ptr_array_index (errors, i);

      g_string_append_printf (out, "%s%s:%s", out->len > 0 ? " " : "", error->pointer, error->keyword);
    }
  return g_string_free (out, FALSE);
}

#define assert_faults(schema, instance, expected) \
  G_STMT_START { \
    g_autofree char *got = faults (schema, instance); \
    g_assert_cmpstr (got, ==, expected); \
  } G_STMT_END

static const char *form =
  "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"name\",\"born\",\"kind\"],"
  "\"properties\":{\"name\":{\"type\":\"string\",\"minLength\":2,\"maxLength\":5},"
  "\"born\":{\"type\":\"string\",\"format\":\"date\"},\"mail\":{\"type\":\"string\",\"format\":\"email\"},"
  "\"kind\":{\"enum\":[\"a\",\"b\"]},\"count\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3},"
  "\"zip\":{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\"},"
  "\"items\":{\"type\":\"array\",\"maxItems\":2,\"items\":{\"type\":\"string\"}},"
  "\"travel\":{\"type\":\"boolean\"},\"where\":{\"type\":\"string\"},"
  "\"a/b\":{\"$ref\":\"#/$defs/short\"}},"
  "\"$defs\":{\"short\":{\"type\":\"string\",\"maxLength\":1}},"
  "\"if\":{\"properties\":{\"travel\":{\"const\":true}},\"required\":[\"travel\"]},\"then\":{\"required\":[\"where\"]}}";

static void
test_schema_valid (void)
{
  assert_faults (form, "{\"name\":\"Ali\",\"born\":\"2000-02-29\",\"kind\":\"a\",\"count\":2,\"zip\":\"90402\","
                       "\"mail\":\"a@b.de\",\"items\":[\"x\"],\"travel\":false,\"a/b\":\"x\",\"where\":null}", "");
}

static void
test_schema_faults (void)
{
  /* Each fault is found, at its pointer, in document order. */
  assert_faults (form, "{}", "/name:required /born:required /kind:required");
  assert_faults (form, "{\"name\":\"\",\"born\":\"2001-02-29\",\"kind\":\"c\"}",
                 "/name:required /born:format /kind:enum");
  assert_faults (form, "{\"name\":\"Ağaoğlu\",\"born\":\"1990-01-01\",\"kind\":\"a\",\"count\":4,\"zip\":\"9040\","
                       "\"mail\":\"a@b\",\"items\":[\"x\",1,\"z\"],\"shoe\":42}",
                 "/name:maxLength /count:maximum /zip:pattern /mail:format /items:maxItems /items/1:type /shoe:additionalProperties");
  /* Conditional requirements and JSON Pointer escaping (RFC 6901). */
  assert_faults (form, "{\"name\":\"Ali\",\"born\":\"1990-01-01\",\"kind\":\"b\",\"travel\":true,\"a/b\":\"xy\"}",
                 "/a~1b:maxLength /where:required");
  assert_faults (form, "[]", ":type"); /* the root is the empty pointer */
}

/* Both pointers of every fault, as the specification's output formats name
 * them: the instance's place and the keyword's path through the schema. */
static char *
schema_pointers (const char *schema_text,
                 const char *instance_text)
{
  g_autoptr(JsonNode) schema = parse (schema_text);
  g_autoptr(JsonNode) instance = parse (instance_text);
  g_autoptr(GPtrArray) errors = sb_json_schema_validate (schema, instance);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < errors->len; i++)
    {
      SbSchemaError *error = g_ptr_array_index (errors, i);

      g_string_append_printf (out, "%s%s@%s", out->len > 0 ? " " : "", error->pointer, error->schema_pointer);
    }
  return g_string_free (out, FALSE);
}

static void
test_schema_pointers (void)
{
  g_autofree char *plain = schema_pointers (form, "{\"name\":\"Ali\",\"born\":\"x\",\"kind\":\"a\",\"a/b\":\"xy\","
                                                  "\"travel\":true}");
  g_autofree char *branches = NULL;

  g_assert_cmpstr (plain, ==, "/born@/properties/born/format /a~1b@/properties/a~1b/$ref/maxLength "
                              "/where@/then/required");

  branches = schema_pointers ("{\"oneOf\":[{\"type\":\"array\"},{\"minItems\":1}],"
                              "\"items\":{\"exclusiveMaximum\":6},\"allOf\":[{\"maxItems\":1}]}", "[5,6]");
  g_assert_cmpstr (branches, ==, "/1@/items/exclusiveMaximum @/allOf/0/maxItems @/oneOf");
}

/* A form picks an alternative of oneOf by a choice (a member the branch
 * fixes with "const"): when that alternative does not fit, its own faults
 * are said, so the clerk is taken to the field to fill. Valid or not is
 * unchanged; without a choice, or with an ambiguous one, one fault at oneOf. */
static void
test_schema_chosen_alternative (void)
{
  const char *schema = "{\"type\":\"object\",\"properties\":{\"from\":{\"enum\":[\"de\",\"abroad\"]}},"
                       "\"oneOf\":[{\"properties\":{\"from\":{\"const\":\"de\"}},\"required\":[\"address\"]},"
                       "{\"properties\":{\"from\":{\"const\":\"abroad\"}},\"required\":[\"country\"]}]}";
  g_autofree char *abroad = schema_pointers (schema, "{\"from\":\"abroad\"}");
  g_autofree char *none = schema_pointers (schema, "{}");
  g_autofree char *fits = schema_pointers (schema, "{\"from\":\"abroad\",\"country\":\"UKR\"}");

  g_assert_cmpstr (abroad, ==, "/country@/oneOf/1/required");
  g_assert_cmpstr (none, ==, "@/oneOf");
  g_assert_cmpstr (fits, ==, "");
}

static void
test_schema_alternatives (void)
{
  const char *choice = "{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":2}]}";
  const char *bounds = "{\"exclusiveMinimum\":1,\"exclusiveMaximum\":3}";

  assert_faults (choice, "1", "");          /* only the first fits */
  assert_faults (choice, "2.5", "");        /* only the second */
  assert_faults (choice, "3", ":oneOf");    /* both: exactly one must */
  assert_faults (choice, "1.5", ":oneOf");  /* neither */
  assert_faults ("{\"anyOf\":[{\"const\":1},{\"const\":2}]}", "2.0", ""); /* 2.0 is 2 */
  assert_faults (bounds, "1", ":exclusiveMinimum");
  assert_faults (bounds, "2", "");
  assert_faults (bounds, "3", ":exclusiveMaximum");
  assert_faults ("{\"$ref\":\"#/$defs/missing\"}", "1", ":$ref"); /* never silently passes */
  assert_faults ("{\"$defs\":{\"a b\":{\"const\":1}},\"$ref\":\"#/$defs/a%20b\"}", "2", ":const");
}

static void
test_schema_check (void)
{
  g_autoptr(JsonNode) good = parse (form);
  g_autoptr(JsonNode) unknown = parse ("{\"type\":\"object\",\"properties\":{\"a\":{\"minimumm\":1}}}");
  g_autoptr(JsonNode) bad_pattern = parse ("{\"type\":\"string\",\"pattern\":\"([\"}");
  g_autoptr(GError) error = NULL;

  g_assert_true (sb_json_schema_check (good, &error));
  g_assert_no_error (error);
  g_assert_false (sb_json_schema_check (unknown, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "minimumm"));
  g_clear_error (&error);
  g_assert_false (sb_json_schema_check (bad_pattern, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* A keyword with a value of the wrong kind is refused, by its place: a
   * draft-04 boolean bound is not 2020-12's number, a tuple is not "items". */
  {
    const char *wrong[][2] = {
      { "{\"properties\":{\"n\":{\"exclusiveMinimum\":true}}}", "/properties/n/exclusiveMinimum" },
      { "{\"items\":[{\"type\":\"string\"}]}", "/items" },
      { "{\"oneOf\":[]}", "/oneOf" },
      { "{\"type\":\"text\"}", "/type" },
      { "{\"required\":\"name\"}", "/required" },
      { "{\"maxLength\":-1}", "/maxLength" },
      { "{\"$ref\":\"other.json#/a\"}", "/$ref" },
      { "{\"allOf\":[{\"minimum\":\"1\"}]}", "/allOf/0/minimum" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
      {
        g_autoptr(JsonNode) schema = parse (wrong[i][0]);

        g_assert_false (sb_json_schema_check (schema, &error));
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
        g_assert_true (g_str_has_prefix (error->message, wrong[i][1]));
        g_clear_error (&error);
      }
  }
}

static void
test_form_pruned (void)
{
  g_autoptr(JsonNode) blanks = parse ("{\"a\":\"\",\"b\":null,\"c\":{\"d\":\"\"},\"e\":[\"\",{\"f\":null}],\"g\":0}");
  g_autoptr(JsonNode) pruned = sb_json_form_pruned (blanks);
  g_autofree char *text = sb_json_canonical (pruned);

  g_assert_cmpstr (text, ==, "{\"e\":[\"\",{}],\"g\":0}");
}

static void
test_nesting_and_canonical (void)
{
  g_autoptr(JsonNode) a = parse ("{\"b\":[1,2.5,{\"z\":null,\"y\":\"\\u00e4\\\"\"}],\"a\":true}");
  g_autoptr(JsonNode) b = parse ("{ \"a\" : true, \"b\" : [ 1, 2.5, { \"y\" : \"ä\\\"\", \"z\" : null } ] }");
  g_autofree char *ca = sb_json_canonical (a);
  g_autofree char *cb = sb_json_canonical (b);
  g_autofree char *deep = g_strnfill (40, '[');

  g_assert_cmpstr (ca, ==, "{\"a\":true,\"b\":[1,2.5,{\"y\":\"ä\\\"\",\"z\":null}]}");
  g_assert_cmpstr (ca, ==, cb);
  g_assert_true (sb_json_nesting_exceeds (deep, strlen (deep), 32));
  g_assert_false (sb_json_nesting_exceeds ("[[\"[[[[\"]]", 10, 2));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-schema/valid", test_schema_valid);
  g_test_add_func ("/json-schema/faults", test_schema_faults);
  g_test_add_func ("/json-schema/pointers", test_schema_pointers);
  g_test_add_func ("/json-schema/alternatives", test_schema_alternatives);
  g_test_add_func ("/json-schema/chosen-alternative", test_schema_chosen_alternative);
  g_test_add_func ("/json-schema/check", test_schema_check);
  g_test_add_func ("/json-schema/form-pruned", test_form_pruned);
  g_test_add_func ("/json-schema/nesting-and-canonical", test_nesting_and_canonical);

  return g_test_run ();
}
