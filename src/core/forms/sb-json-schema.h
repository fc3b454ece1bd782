/* sb-json-schema.h: validates JSON against a JSON Schema (2020-12 subset)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the app (to check a form before it is submitted) and the
 * platform (to refuse what does not fit), so both say the same thing about
 * the same input.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SbSchemaError:
 * @pointer: JSON Pointer (RFC 6901) to the value at fault, "" for the root
 *   (the specification's instanceLocation)
 * @schema_pointer: JSON Pointer to the keyword that failed, by the path
 *   taken through the schema, through "$ref" too (keywordLocation)
 * @keyword: the schema keyword that failed ("required", "pattern", …)
 * @detail: what is wrong, in English, for logs and API clients
 */
typedef struct
{
  char *pointer;
  char *schema_pointer;
  char *keyword;
  char *detail;
} SbSchemaError;

void       sb_schema_error_free      (SbSchemaError *error);
GPtrArray *sb_json_schema_validate   (JsonNode      *schema,
                                      JsonNode      *instance);
JsonNode  *sb_json_form_pruned       (JsonNode      *form);
gboolean   sb_json_schema_check      (JsonNode      *schema,
                                      GError       **error);
gboolean   sb_json_nesting_exceeds   (const char    *data,
                                      gsize          length,
                                      guint          max_depth);
char      *sb_json_pointer_append    (const char    *pointer,
                                      const char    *token);
char      *sb_json_canonical         (JsonNode      *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSchemaError, sb_schema_error_free)

G_END_DECLS
