/* sb-schema-form.h — a form generated from a service's JSON Schema
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SB_TYPE_SCHEMA_FORM (sb_schema_form_get_type ())

G_DECLARE_FINAL_TYPE (SbSchemaForm, sb_schema_form, SB, SCHEMA_FORM, GtkWidget)

SbSchemaForm *sb_schema_form_new          (JsonNode     *schema,
                                           const char   *language);
void          sb_schema_form_set_data     (SbSchemaForm *self,
                                           JsonNode     *data);
void          sb_schema_form_prefill      (SbSchemaForm *self,
                                           const char   *pointer,
                                           const char   *value);
JsonNode     *sb_schema_form_get_data     (SbSchemaForm *self);
guint         sb_schema_form_check        (SbSchemaForm *self,
                                           gboolean      show_all);
GPtrArray    *sb_schema_form_describe     (SbSchemaForm *self);
gboolean      sb_schema_form_focus_first_error (SbSchemaForm *self);

G_END_DECLS
