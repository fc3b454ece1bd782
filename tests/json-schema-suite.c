/* json-schema-suite.c: runs the JSON Schema Test Suite against sb-json-schema
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: json-schema-suite DIRECTORY-OR-FILE…
 *
 * Each DIRECTORY holds files in the suite's format (a list of groups, each a
 * schema and cases with "data" and "valid"): the official suite's draft-04
 * files for the keywords whose meaning did not change, and
 * tests/json-schema-2020-12/ for the keywords draft-04 lacks. A group whose
 * schema sb_json_schema_check() refuses (a keyword or a keyword's form this
 * validator does not claim, like draft-04's boolean exclusiveMinimum) is
 * skipped and named with the reason; every case of every other group must
 * pass. Output is TAP.
 */
#include "sb-json-schema.h"

#include <stdio.h>
#include <stdlib.h>

static guint tap_number;
static guint failures;

static void
run_group (const char *file,
           JsonObject *group)
{
  JsonNode *schema = json_object_get_member (group, "schema");
  JsonArray *cases = json_object_get_array_member (group, "tests");
  const char *title = json_object_get_string_member (group, "description");
  g_autoptr(GError) refused = NULL;

  if (!sb_json_schema_check (schema, &refused))
    {
      printf ("ok %u - %s: %s # SKIP not claimed: %s\n", ++tap_number, file, title, refused->message);
      return;
    }

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *test = json_array_get_object_element (cases, i);
      g_autoptr(GPtrArray) errors = sb_json_schema_validate (schema, json_object_get_member (test, "data"));
      gboolean expected = json_object_get_boolean_member (test, "valid");
      gboolean passed = (errors->len == 0) == expected;

      printf ("%s %u - %s: %s: %s\n", passed ? "ok" : "not ok", ++tap_number, file, title,
              json_object_get_string_member (test, "description"));
      if (!passed)
        {
          failures++;
          for (guint e = 0; e < errors->len; e++)
            {
              SbSchemaError *error = g_ptr_array_index (errors, e);

              printf ("#   %s at '%s' (%s): %s\n", error->keyword, error->pointer, error->schema_pointer,
                      error->detail);
            }
          if (errors->len == 0)
            printf ("#   found valid, the suite says invalid\n");
        }
    }
}

static void
run_file (const char *path,
          const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *groups;

  if (!json_parser_load_from_file (parser, path, &error))
    {
      printf ("not ok %u - %s: %s\n", ++tap_number, name, error->message);
      failures++;
      return;
    }
  groups = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (groups); i++)
    run_group (name, json_array_get_object_element (groups, i));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *)a, *(char * const *)b);
}

int
main (int   argc,
      char *argv[])
{
  guint files = 0;

  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s DIRECTORY-OR-FILE…\n", argv[0]);
      return 2;
    }

  for (int a = 1; a < argc; a++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = g_dir_open (argv[a], 0, &error);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL && g_file_test (argv[a], G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *folder = g_path_get_dirname (argv[a]);
          g_autofree char *folder_name = g_path_get_basename (folder);
          g_autofree char *file_name = g_path_get_basename (argv[a]);
          g_autofree char *label = g_strdup_printf ("%s/%s", folder_name, file_name);

          run_file (argv[a], label);
          files++;
          continue;
        }
      if (dir == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".json"))
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *path = g_build_filename (argv[a], names->pdata[i], NULL);
          g_autofree char *folder = g_path_get_basename (argv[a]);
          g_autofree char *label = g_strdup_printf ("%s/%s", folder, (char *)names->pdata[i]);

          run_file (path, label);
          files++;
        }
    }

  printf ("1..%u\n", tap_number);
  printf ("# %u files, %u failures\n", files, failures);
  return failures == 0 && files > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
