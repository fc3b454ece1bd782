/* sb-schema-form.c — a form generated from a service's JSON Schema
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each object of the schema becomes a group of rows: text and dates in entry
 * rows, "enum" in a combo row with the catalogue's labels (x-options), a
 * boolean in a switch row, numbers in entry rows that accept digits; "const"
 * is set without a row, "readOnly" is shown but not editable, "default"
 * fills what the data leaves empty. A list ("array") is a group per entry
 * with Add and Remove. Fields that only a condition requires (if/then/else,
 * or one branch of oneOf) are shown while that condition holds, and what a
 * hidden field holds is not part of the data.
 *
 * The data is checked with sb-json-schema, the same code the platform runs,
 * as the clerk types; a field's fault is shown under its group, in words,
 * once the clerk has left the field or asked for all faults (Review).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-json-schema.h"
#include "sb-schema-form.h"

typedef enum
{
  FIELD_OBJECT,
  FIELD_ARRAY,
  FIELD_TEXT,
  FIELD_DATE,
  FIELD_CHOICE,
  FIELD_BOOLEAN,
  FIELD_INTEGER,
  FIELD_NUMBER,
  FIELD_CONST,
} FieldKind;

typedef struct _Field Field;

struct _Field
{
  SbSchemaForm        *form;
  Field               *parent;
  char                *name;        /* member name, NULL for the root and list entries */
  char                *label;
  JsonObject          *schema;      /* after $ref; a boolean schema is an empty one */
  FieldKind            kind;
  gboolean             required;
  gboolean             touched;     /* left by the clerk once: its faults are shown */
  GtkWidget           *row;         /* the row, or the group of an object or list */
  GtkWidget           *holder;      /* a list entry: its group in the list */
  GtkWidget           *remove;      /* a list entry: its Remove button */
  GtkSwitch           *toggle;      /* FIELD_BOOLEAN */
  GPtrArray           *choices;     /* FIELD_CHOICE: the values (JsonNode), index 0 is "not chosen" */
  AdwPreferencesGroup *group;       /* FIELD_OBJECT, FIELD_ARRAY */
  GtkLabel            *problems;    /* under the group */
  GtkBox              *entries;     /* FIELD_ARRAY: the entries' groups */
  GPtrArray           *children;    /* Field */
  GPtrArray           *conditions;  /* JsonNode schemas; visible when one holds, NULL: always */
};

struct _SbSchemaForm
{
  GtkWidget  parent_instance;

  GtkBox    *box;
  JsonNode  *schema;
  char      *language;
  Field     *root;
  guint      check_source;
  gboolean   show_all;
  gboolean   loading;
};

G_DEFINE_FINAL_TYPE (SbSchemaForm, sb_schema_form, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void field_free (Field *field);
static Field *build_field (SbSchemaForm *self, Field *parent, const char *name, JsonNode *schema,
                           gboolean required, GtkBox *container, AdwPreferencesGroup *group);
static JsonNode *field_value (Field *field);
static void field_set_value (Field *field, JsonNode *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Field, field_free)

static void
field_free (Field *field)
{
  if (field == NULL)
    return;
  g_free (field->name);
  g_free (field->label);
  g_clear_pointer (&field->schema, json_object_unref);
  g_clear_pointer (&field->choices, g_ptr_array_unref);
  g_clear_pointer (&field->children, g_ptr_array_unref);
  g_clear_pointer (&field->conditions, g_ptr_array_unref);
  g_free (field);
}

static JsonObject *
resolve (SbSchemaForm *self,
         JsonNode     *schema)
{
  for (guint hops = 0; hops < 16 && JSON_NODE_HOLDS_OBJECT (schema); hops++)
    {
      JsonObject *object = json_node_get_object (schema);
      const char *ref = json_object_has_member (object, "$ref") ? json_object_get_string_member (object, "$ref") : NULL;
      g_auto(GStrv) parts = NULL;
      JsonNode *target = self->schema;

      if (ref == NULL || !g_str_has_prefix (ref, "#"))
        return object;
      parts = g_strsplit (ref[1] == '/' ? ref + 2 : "", "/", -1);
      for (guint i = 0; parts[i] != NULL && parts[i][0] != '\0' && target != NULL; i++)
        target = JSON_NODE_HOLDS_OBJECT (target) ? json_object_get_member (json_node_get_object (target), parts[i]) : NULL;
      if (target == NULL)
        return object;
      schema = target;
    }
  return JSON_NODE_HOLDS_OBJECT (schema) ? json_node_get_object (schema) : NULL;
}

/* A text of the catalogue in the form's language: x-labels, then title. */
static char *
localized (SbSchemaForm *self,
           JsonObject   *labels,
           const char   *fallback)
{
  if (labels != NULL && json_object_has_member (labels, self->language))
    return g_strdup (json_object_get_string_member (labels, self->language));
  if (labels != NULL && json_object_has_member (labels, "en"))
    return g_strdup (json_object_get_string_member (labels, "en"));
  if (labels != NULL && json_object_has_member (labels, "de"))
    return g_strdup (json_object_get_string_member (labels, "de"));
  return g_strdup (fallback);
}

static char *
field_label (SbSchemaForm *self,
             JsonObject   *schema,
             const char   *name)
{
  JsonObject *labels = json_object_has_member (schema, "x-labels") ? json_object_get_object_member (schema, "x-labels")
                                                                   : NULL;

  return localized (self, labels, json_object_has_member (schema, "title")
                                    ? json_object_get_string_member (schema, "title") : name);
}

static const char *
schema_type (JsonObject *schema)
{
  JsonNode *type = json_object_get_member (schema, "type");

  if (type == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (type))
    return json_array_get_length (json_node_get_array (type)) > 0
             ? json_array_get_string_element (json_node_get_array (type), 0) : NULL;
  return json_node_get_string (type);
}

static gboolean
read_only (JsonObject *schema)
{
  return json_object_has_member (schema, "readOnly") && json_object_get_boolean_member (schema, "readOnly");
}

/* --- Conditions ---------------------------------------------------------- */

static JsonNode *
data_at (Field *field)
{
  /* The data of the object a field belongs to, as it stands now. */
  return field_value (field->parent != NULL ? field->parent : field);
}

static gboolean
holds (JsonNode *condition,
       JsonNode *data)
{
  g_autoptr(GPtrArray) faults = sb_json_schema_validate (condition, data);

  return faults->len == 0;
}

static gboolean
field_is_shown (Field *field)
{
  g_autoptr(JsonNode) data = NULL;

  if (field->conditions == NULL)
    return TRUE;
  data = data_at (field);
  if (data == NULL)
    return FALSE;
  for (guint i = 0; i < field->conditions->len; i++)
    if (holds (g_ptr_array_index (field->conditions, i), data))
      return TRUE;
  return FALSE;
}

/* Members that @branch requires or describes and the object itself does not
 * always require get @condition: they are shown when it holds. */
static void
note_conditional (GHashTable *conditional,
                  JsonObject *object_schema,
                  JsonNode   *branch,
                  JsonNode   *condition)
{
  JsonObject *branch_object = JSON_NODE_HOLDS_OBJECT (branch) ? json_node_get_object (branch) : NULL;
  JsonArray *always = json_object_has_member (object_schema, "required")
                        ? json_object_get_array_member (object_schema, "required") : NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  if (branch_object == NULL)
    return;
  if (json_object_has_member (branch_object, "required"))
    {
      JsonArray *required = json_object_get_array_member (branch_object, "required");

      for (guint i = 0; i < json_array_get_length (required); i++)
        g_ptr_array_add (names, (gpointer)json_array_get_string_element (required, i));
    }
  if (json_object_has_member (branch_object, "properties"))
    {
      JsonObject *properties = json_object_get_object_member (branch_object, "properties");
      g_autoptr(GList) members = json_object_get_members (properties);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (properties, l->data);

          /* A member fixed by "const" picks the branch; it is not the branch's field. */
          if (!(JSON_NODE_HOLDS_OBJECT (member) && json_object_has_member (json_node_get_object (member), "const")))
            g_ptr_array_add (names, l->data);
        }
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      GPtrArray *conditions;
      gboolean always_required = FALSE;

      for (guint r = 0; always != NULL && r < json_array_get_length (always); r++)
        always_required |= g_str_equal (json_array_get_string_element (always, r), name);
      if (always_required)
        continue;
      conditions = g_hash_table_lookup (conditional, name);
      if (conditions == NULL)
        {
          conditions = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
          g_hash_table_insert (conditional, g_strdup (name), conditions);
        }
      g_ptr_array_add (conditions, json_node_ref (condition));
    }
}

/* A "oneOf" branch holds when the members it fixes with "const" have those
 * values: that is how a form picks a branch. */
static JsonNode *
branch_selector (JsonNode *branch)
{
  JsonObject *selector = json_object_new ();
  JsonObject *properties = json_object_new ();
  JsonArray *required = json_array_new ();
  JsonObject *branch_object = json_node_get_object (branch);
  JsonNode *node;

  if (json_object_has_member (branch_object, "properties"))
    {
      JsonObject *members = json_object_get_object_member (branch_object, "properties");
      g_autoptr(GList) names = json_object_get_members (members);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (members, l->data);

          if (JSON_NODE_HOLDS_OBJECT (member) && json_object_has_member (json_node_get_object (member), "const"))
            {
              JsonObject *fixed = json_object_new ();

              json_object_set_member (fixed, "const",
                                      json_node_copy (json_object_get_member (json_node_get_object (member), "const")));
              json_object_set_object_member (properties, l->data, fixed);
              json_array_add_string_element (required, l->data);
            }
        }
    }
  json_object_set_object_member (selector, "properties", properties);
  json_object_set_array_member (selector, "required", required);
  node = json_node_init_object (json_node_alloc (), selector);
  json_object_unref (selector);
  return node;
}

static void
collect_conditions (JsonObject *object_schema,
                    JsonObject *where,
                    GHashTable *conditional)
{
  if (json_object_has_member (where, "if"))
    {
      JsonNode *condition = json_object_get_member (where, "if");

      if (json_object_has_member (where, "then"))
        note_conditional (conditional, object_schema, json_object_get_member (where, "then"), condition);
      if (json_object_has_member (where, "else"))
        {
          /* "else" holds when "if" does not. */
          g_autoptr(JsonObject) negation = json_object_new ();
          g_autoptr(JsonNode) otherwise = NULL;
          JsonArray *branches = json_array_new ();
          g_autoptr(JsonNode) truth = json_node_init_boolean (json_node_alloc (), TRUE);

          /* oneOf [if, true] fits exactly when "if" does not. */
          json_array_add_element (branches, json_node_copy (condition));
          json_array_add_element (branches, json_node_copy (truth));
          json_object_set_array_member (negation, "oneOf", branches);
          otherwise = json_node_init_object (json_node_alloc (), negation);
          note_conditional (conditional, object_schema, json_object_get_member (where, "else"), otherwise);
        }
    }
  if (json_object_has_member (where, "oneOf"))
    {
      JsonArray *branches = json_object_get_array_member (where, "oneOf");

      for (guint i = 0; i < json_array_get_length (branches); i++)
        {
          JsonNode *branch = json_array_get_element (branches, i);
          g_autoptr(JsonNode) selector = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (branch))
            continue;
          selector = branch_selector (branch);
          note_conditional (conditional, object_schema, branch, selector);
        }
    }
  if (json_object_has_member (where, "allOf"))
    {
      JsonArray *all = json_object_get_array_member (where, "allOf");

      for (guint i = 0; i < json_array_get_length (all); i++)
        if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (all, i)))
          collect_conditions (object_schema, json_array_get_object_element (all, i), conditional);
    }
}

/* Every member an object can have: its properties, then those that only
 * a oneOf branch or a then/else describes. */
static void
collect_members (JsonObject *where,
                 GPtrArray  *names,
                 GHashTable *schemas)
{
  const char *parts[] = { "then", "else", NULL };

  if (json_object_has_member (where, "properties"))
    {
      JsonObject *properties = json_object_get_object_member (where, "properties");
      g_autoptr(GList) members = json_object_get_members (properties);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (properties, l->data);
          JsonNode *known = g_hash_table_lookup (schemas, l->data);

          /* A branch's "const" only picks the branch; the object's own schema has the field. */
          if (known != NULL)
            continue;
          g_ptr_array_add (names, l->data);
          g_hash_table_insert (schemas, l->data, member);
        }
    }
  for (guint p = 0; parts[p] != NULL; p++)
    if (json_object_has_member (where, parts[p]) && JSON_NODE_HOLDS_OBJECT (json_object_get_member (where, parts[p])))
      collect_members (json_object_get_object_member (where, parts[p]), names, schemas);
  for (guint k = 0; k < 2; k++)
    {
      const char *keyword = k == 0 ? "oneOf" : "allOf";
      JsonArray *branches = json_object_has_member (where, keyword) ? json_object_get_array_member (where, keyword)
                                                                    : NULL;

      for (guint i = 0; branches != NULL && i < json_array_get_length (branches); i++)
        if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (branches, i)))
          collect_members (json_array_get_object_element (branches, i), names, schemas);
    }
}

/* --- Building ------------------------------------------------------------ */

static void
schedule_check (SbSchemaForm *self);

static void
on_edited (Field *field)
{
  SbSchemaForm *self = field->form;

  if (self->loading)
    return;
  schedule_check (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_focus_left (GtkEventControllerFocus *controller,
               Field                   *field)
{
  field->touched = TRUE;
  schedule_check (field->form);
}

static void
watch_focus (Field     *field,
             GtkWidget *widget)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_left), field);
  gtk_widget_add_controller (widget, focus);
}

static char *
optional_label (Field *field)
{
  if (field->required || field->kind == FIELD_BOOLEAN)
    return g_strdup (field->label);
  /* Translators: a form field's label for a field the citizen may leave empty */
  return g_strdup_printf (_("%s (optional)"), field->label);
}

static void
build_choice (Field *field)
{
  SbSchemaForm *self = field->form;
  JsonArray *values = json_object_get_array_member (field->schema, "enum");
  JsonObject *options = json_object_has_member (field->schema, "x-options")
                          ? json_object_get_object_member (field->schema, "x-options") : NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
  g_autofree char *title = optional_label (field);

  field->choices = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  /* Nothing is chosen until the clerk chooses: no value slips in unasked. */
  g_ptr_array_add (field->choices, json_node_init_null (json_node_alloc ()));
  gtk_string_list_append (labels, _("Not chosen"));
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonNode *value = json_array_get_element (values, i);
      const char *text = JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
                           ? json_node_get_string (value) : NULL;
      g_autofree char *fallback = text != NULL ? g_strdup (text) : json_to_string (value, FALSE);
      JsonObject *option = options != NULL && text != NULL && json_object_has_member (options, text)
                             ? json_object_get_object_member (options, text) : NULL;
      g_autofree char *label = localized (self, option, fallback);

      g_ptr_array_add (field->choices, json_node_copy (value));
      gtk_string_list_append (labels, label);
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (row), !read_only (field->schema));
  g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (on_edited), field);
  field->row = GTK_WIDGET (row);
}

static void
build_boolean (Field *field)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  field->toggle = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (field->toggle), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field->toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, field->label, -1);
  adw_action_row_add_suffix (row, GTK_WIDGET (field->toggle));
  adw_action_row_set_activatable_widget (row, GTK_WIDGET (field->toggle));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field->label);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (field->toggle), !read_only (field->schema));
  g_signal_connect_swapped (field->toggle, "notify::active", G_CALLBACK (on_edited), field);
  field->row = GTK_WIDGET (row);
}

static void
build_entry (Field *field)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
  g_autofree char *title = NULL;

  if (field->kind == FIELD_DATE)
    {
      /* Translators: a date field's label; the example shows the format the clerk types */
      g_autofree char *label = g_strdup_printf (_("%s (day.month.year)"), field->label);

      g_free (field->label);
      field->label = g_steal_pointer (&label);
    }
  title = optional_label (field);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  if (field->kind == FIELD_INTEGER || field->kind == FIELD_NUMBER)
    adw_entry_row_set_input_purpose (row, field->kind == FIELD_INTEGER ? GTK_INPUT_PURPOSE_DIGITS : GTK_INPUT_PURPOSE_NUMBER);
  else if (json_object_has_member (field->schema, "format") &&
           g_str_equal (json_object_get_string_member (field->schema, "format"), "email"))
    adw_entry_row_set_input_purpose (row, GTK_INPUT_PURPOSE_EMAIL);
  if (read_only (field->schema))
    gtk_editable_set_editable (GTK_EDITABLE (row), FALSE);
  if (json_object_has_member (field->schema, "description"))
    gtk_widget_set_tooltip_text (GTK_WIDGET (row), json_object_get_string_member (field->schema, "description"));
  g_signal_connect_swapped (row, "changed", G_CALLBACK (on_edited), field);
  watch_focus (field, GTK_WIDGET (row));
  field->row = GTK_WIDGET (row);
}

static AdwPreferencesGroup *
new_group (Field      *field,
           GtkBox     *container,
           const char *title)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  if (title != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (title, -1);

      adw_preferences_group_set_title (group, escaped);
    }
  if (json_object_has_member (field->schema, "description"))
    {
      g_autofree char *escaped = g_markup_escape_text (json_object_get_string_member (field->schema, "description"), -1);

      adw_preferences_group_set_description (group, escaped);
    }
  /* Faults stand under the group's rows. */
  field->problems = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (field->problems, TRUE);
  gtk_label_set_xalign (field->problems, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (field->problems), 6);
  gtk_widget_add_css_class (GTK_WIDGET (field->problems), "error");
  gtk_widget_set_visible (GTK_WIDGET (field->problems), FALSE);
  adw_preferences_group_add (group, GTK_WIDGET (field->problems));
  gtk_box_append (container, GTK_WIDGET (group));
  return group;
}

static void add_array_entry (Field *array, JsonNode *value);

/* Each entry of a list titled by its place ("Persons moving in too 2"),
 * its Remove button saying which one it removes. */
static void
number_entries (Field *array)
{
  for (guint i = 0; i < array->children->len; i++)
    {
      Field *entry = g_ptr_array_index (array->children, i);
      g_autofree char *title = g_strdup_printf ("%s %u", array->label, i + 1);
      g_autofree char *escaped = g_markup_escape_text (title, -1);
      g_autofree char *remove_label = g_strdup_printf (_("Remove %s"), title);

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (entry->holder), escaped);
      if (entry->kind != FIELD_OBJECT && entry->kind != FIELD_ARRAY && ADW_IS_PREFERENCES_ROW (entry->row))
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry->row), escaped);
      gtk_widget_set_tooltip_text (entry->remove, remove_label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry->remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
    }
}

static void
on_add_entry (GtkButton *button,
              Field     *array)
{
  add_array_entry (array, NULL);
  on_edited (array);
}

static void
on_remove_entry (GtkButton *button,
                 Field     *entry)
{
  Field *array = entry->parent;

  gtk_box_remove (array->entries, entry->holder);
  g_ptr_array_remove (array->children, entry);
  number_entries (array);
  on_edited (array);
}

static void
add_array_entry (Field    *array,
                 JsonNode *value)
{
  SbSchemaForm *self = array->form;
  JsonNode *items = json_object_get_member (array->schema, "items");
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  Field *entry;

  gtk_widget_add_css_class (remove, "flat");
  adw_preferences_group_set_header_suffix (group, remove);
  gtk_box_append (array->entries, GTK_WIDGET (group));

  entry = build_field (self, array, NULL, items, TRUE, array->entries, group);
  entry->holder = GTK_WIDGET (group);
  if (entry->kind == FIELD_ARRAY)
    {
      /* A list in a list: build_field made a group of its own; the entry's group held just the button. */
      g_object_ref (remove);
      adw_preferences_group_set_header_suffix (group, NULL);
      gtk_box_remove (array->entries, GTK_WIDGET (group));
      adw_preferences_group_set_header_suffix (entry->group, remove);
      g_object_unref (remove);
      entry->holder = GTK_WIDGET (entry->group);
    }
  /* An object's rows went into the entry's group itself, a plain value's row too. */
  entry->remove = remove;
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_entry), entry);
  g_ptr_array_add (array->children, entry);
  number_entries (array);
  if (value != NULL)
    field_set_value (entry, value);
}

static void
build_array (Field  *field,
             GtkBox *container)
{
  AdwPreferencesGroup *group = new_group (field, container, field->label);
  GtkWidget *add = gtk_button_new_with_label (_("Add"));
  g_autofree char *add_label = g_strdup_printf (_("Add to %s"), field->label);

  gtk_widget_add_css_class (add, "flat");
  gtk_widget_set_tooltip_text (add, add_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL, add_label, -1);
  adw_preferences_group_set_header_suffix (group, add);
  g_signal_connect (add, "clicked", G_CALLBACK (on_add_entry), field);
  field->group = group;
  field->entries = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  gtk_box_append (container, GTK_WIDGET (field->entries));
  field->row = GTK_WIDGET (group);
}

static void
build_object (Field               *field,
              GtkBox              *container,
              AdwPreferencesGroup *group)
{
  SbSchemaForm *self = field->form;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) schemas = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) conditional = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            (GDestroyNotify)g_ptr_array_unref);
  JsonArray *required = json_object_has_member (field->schema, "required")
                          ? json_object_get_array_member (field->schema, "required") : NULL;
  JsonArray *order = json_object_has_member (field->schema, "x-order")
                       ? json_object_get_array_member (field->schema, "x-order") : NULL;
  g_autoptr(GPtrArray) ordered = g_ptr_array_new ();

  field->group = group != NULL ? group : new_group (field, container, field->parent != NULL ? field->label : NULL);
  if (group != NULL && field->problems == NULL)
    {
      field->problems = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_wrap (field->problems, TRUE);
      gtk_label_set_xalign (field->problems, 0);
      gtk_widget_add_css_class (GTK_WIDGET (field->problems), "error");
      gtk_widget_set_visible (GTK_WIDGET (field->problems), FALSE);
      adw_preferences_group_add (group, GTK_WIDGET (field->problems));
    }
  field->row = GTK_WIDGET (field->group);

  collect_members (field->schema, names, schemas);
  collect_conditions (field->schema, field->schema, conditional);

  /* x-order first, then the rest as the schema lists them. */
  for (guint i = 0; order != NULL && i < json_array_get_length (order); i++)
    {
      const char *name = json_array_get_string_element (order, i);

      if (g_hash_table_contains (schemas, name) && !g_ptr_array_find_with_equal_func (ordered, name, g_str_equal, NULL))
        g_ptr_array_add (ordered, (gpointer)name);
    }
  for (guint i = 0; i < names->len; i++)
    if (!g_ptr_array_find_with_equal_func (ordered, names->pdata[i], g_str_equal, NULL))
      g_ptr_array_add (ordered, names->pdata[i]);

  /* Rows of plain values in this object's group; nested objects and lists in groups of their own below. */
  for (guint i = 0; i < ordered->len; i++)
    {
      const char *name = ordered->pdata[i];
      gboolean is_required = FALSE;
      Field *child;
      GPtrArray *conditions = g_hash_table_lookup (conditional, name);

      for (guint r = 0; required != NULL && r < json_array_get_length (required); r++)
        is_required |= g_str_equal (json_array_get_string_element (required, r), name);
      /* A field a condition requires is required while it is shown. */
      child = build_field (self, field, name, g_hash_table_lookup (schemas, name), is_required || conditions != NULL,
                           container, field->group);
      if (conditions != NULL)
        child->conditions = g_ptr_array_ref (conditions);
      g_ptr_array_add (field->children, child);
    }
}

static Field *
build_field (SbSchemaForm        *self,
             Field               *parent,
             const char          *name,
             JsonNode            *schema_node,
             gboolean             required,
             GtkBox              *container,
             AdwPreferencesGroup *group)
{
  Field *field = g_new0 (Field, 1);
  JsonObject *schema = resolve (self, schema_node);
  const char *type;

  field->form = self;
  field->parent = parent;
  field->name = g_strdup (name);
  field->required = required;
  field->schema = schema != NULL ? json_object_ref (schema) : json_object_new ();
  field->children = g_ptr_array_new_with_free_func ((GDestroyNotify)field_free);
  field->label = field_label (self, field->schema, name != NULL ? name : "");
  type = schema_type (field->schema);

  if (json_object_has_member (field->schema, "const"))
    field->kind = FIELD_CONST;
  else if (json_object_has_member (field->schema, "enum"))
    field->kind = FIELD_CHOICE;
  else if (g_strcmp0 (type, "object") == 0 || (type == NULL && json_object_has_member (field->schema, "properties")))
    field->kind = FIELD_OBJECT;
  else if (g_strcmp0 (type, "array") == 0)
    field->kind = FIELD_ARRAY;
  else if (g_strcmp0 (type, "boolean") == 0)
    field->kind = FIELD_BOOLEAN;
  else if (g_strcmp0 (type, "integer") == 0)
    field->kind = FIELD_INTEGER;
  else if (g_strcmp0 (type, "number") == 0)
    field->kind = FIELD_NUMBER;
  else if (json_object_has_member (field->schema, "format") &&
           g_str_equal (json_object_get_string_member (field->schema, "format"), "date"))
    field->kind = FIELD_DATE;
  else
    field->kind = FIELD_TEXT;

  switch (field->kind)
    {
    case FIELD_OBJECT:
      /* A nested object gets its own group; the root and a list entry use the one given. */
      build_object (field, container, parent == NULL || (parent->kind == FIELD_ARRAY) ? group : NULL);
      return field;
    case FIELD_ARRAY:
      build_array (field, container);
      return field;
    case FIELD_CONST:
      return field;
    case FIELD_CHOICE:
      build_choice (field);
      break;
    case FIELD_BOOLEAN:
      build_boolean (field);
      break;
    case FIELD_TEXT:
    case FIELD_DATE:
    case FIELD_INTEGER:
    case FIELD_NUMBER:
    default:
      build_entry (field);
      break;
    }

  adw_preferences_group_add (group, field->row);
  /* Keep the faults' label last in the group. */
  if (parent != NULL && parent->problems != NULL && group == parent->group)
    {
      g_object_ref (parent->problems);
      adw_preferences_group_remove (group, GTK_WIDGET (parent->problems));
      adw_preferences_group_add (group, GTK_WIDGET (parent->problems));
      g_object_unref (parent->problems);
    }
  if (json_object_has_member (field->schema, "default"))
    {
      self->loading = TRUE;
      field_set_value (field, json_object_get_member (field->schema, "default"));
      self->loading = FALSE;
    }
  return field;
}

/* --- Values -------------------------------------------------------------- */

static char *
date_to_iso (const char *text)
{
  int day, month, year;
  char tail;

  if (sscanf (text, "%d.%d.%d%c", &day, &month, &year, &tail) == 3 && year >= 1000 && g_date_valid_dmy (day, month, year))
    return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
  return g_strdup (text); /* as typed: the check says what is wrong */
}

static char *
date_from_iso (const char *iso)
{
  int day, month, year;
  char tail;

  if (sscanf (iso, "%4d-%2d-%2d%c", &year, &month, &day, &tail) == 3)
    return g_strdup_printf ("%02d.%02d.%04d", day, month, year);
  return g_strdup (iso);
}

static JsonNode *
text_value (Field *field)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (field->row))));

  if (text[0] == '\0')
    return NULL;
  if (field->kind == FIELD_DATE)
    {
      g_autofree char *iso = date_to_iso (text);

      return json_node_init_string (json_node_alloc (), iso);
    }
  if (field->kind == FIELD_INTEGER || field->kind == FIELD_NUMBER)
    {
      g_autofree char *number = g_strdup (text);
      char *end = NULL;
      double value;

      g_strdelimit (number, ",", '.'); /* German decimal comma */
      value = g_ascii_strtod (number, &end);
      if (end != NULL && *end == '\0' && end != number)
        {
          if (field->kind == FIELD_INTEGER && value == (double)(gint64)value)
            return json_node_init_int (json_node_alloc (), (gint64)value);
          return json_node_init_double (json_node_alloc (), value);
        }
      /* Not a number: kept as text, so the check says "a number". */
    }
  return json_node_init_string (json_node_alloc (), text);
}

static JsonNode *
field_value (Field *field)
{
  switch (field->kind)
    {
    case FIELD_OBJECT:
      {
        JsonObject *object = json_object_new ();
        JsonNode *node;

        for (guint i = 0; i < field->children->len; i++)
          {
            Field *child = g_ptr_array_index (field->children, i);
            JsonNode *value;

            /* Conditions look at the other members only; a hidden field has no value. */
            if (child->conditions != NULL)
              continue;
            value = field_value (child);
            if (value != NULL)
              json_object_set_member (object, child->name, value);
          }
        node = json_node_init_object (json_node_alloc (), object);
        for (guint i = 0; i < field->children->len; i++)
          {
            Field *child = g_ptr_array_index (field->children, i);
            JsonNode *value;
            gboolean shown = FALSE;

            if (child->conditions == NULL)
              continue;
            for (guint c = 0; c < child->conditions->len && !shown; c++)
              shown = holds (g_ptr_array_index (child->conditions, c), node);
            if (shown && (value = field_value (child)) != NULL)
              json_object_set_member (object, child->name, value);
          }
        json_object_unref (object);
        return node;
      }
    case FIELD_ARRAY:
      {
        JsonArray *array = json_array_new ();

        for (guint i = 0; i < field->children->len; i++)
          {
            JsonNode *value = field_value (g_ptr_array_index (field->children, i));

            json_array_add_element (array, value != NULL ? value : json_node_init_null (json_node_alloc ()));
          }
        return json_node_init_array (json_node_alloc (), array);
      }
    case FIELD_CONST:
      return json_node_copy (json_object_get_member (field->schema, "const"));
    case FIELD_CHOICE:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (field->row));
        JsonNode *value = selected < field->choices->len ? g_ptr_array_index (field->choices, selected) : NULL;

        return value != NULL && !JSON_NODE_HOLDS_NULL (value) ? json_node_copy (value) : NULL;
      }
    case FIELD_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), gtk_switch_get_active (field->toggle));
    case FIELD_TEXT:
    case FIELD_DATE:
    case FIELD_INTEGER:
    case FIELD_NUMBER:
    default:
      return text_value (field);
    }
}

static void
field_set_value (Field    *field,
                 JsonNode *value)
{
  switch (field->kind)
    {
    case FIELD_OBJECT:
      if (JSON_NODE_HOLDS_OBJECT (value))
        for (guint i = 0; i < field->children->len; i++)
          {
            Field *child = g_ptr_array_index (field->children, i);
            JsonNode *member = json_object_get_member (json_node_get_object (value), child->name);

            if (member != NULL)
              field_set_value (child, member);
          }
      break;
    case FIELD_ARRAY:
      while (field->children->len > 0)
        {
          Field *entry = g_ptr_array_index (field->children, field->children->len - 1);

          gtk_box_remove (field->entries, entry->holder);
          g_ptr_array_remove_index (field->children, field->children->len - 1);
        }
      if (JSON_NODE_HOLDS_ARRAY (value))
        for (guint i = 0; i < json_array_get_length (json_node_get_array (value)); i++)
          add_array_entry (field, json_array_get_element (json_node_get_array (value), i));
      break;
    case FIELD_CONST:
      break;
    case FIELD_CHOICE:
      for (guint i = 1; i < field->choices->len; i++)
        if (json_node_equal (g_ptr_array_index (field->choices, i), value))
          adw_combo_row_set_selected (ADW_COMBO_ROW (field->row), i);
      break;
    case FIELD_BOOLEAN:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
        gtk_switch_set_active (field->toggle, json_node_get_boolean (value));
      break;
    case FIELD_DATE:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        {
          g_autofree char *shown = date_from_iso (json_node_get_string (value));

          gtk_editable_set_text (GTK_EDITABLE (field->row), shown);
        }
      break;
    case FIELD_TEXT:
    case FIELD_INTEGER:
    case FIELD_NUMBER:
    default:
      if (JSON_NODE_HOLDS_VALUE (value))
        {
          g_autofree char *text = json_node_get_value_type (value) == G_TYPE_STRING
                                    ? g_strdup (json_node_get_string (value)) : json_to_string (value, FALSE);

          gtk_editable_set_text (GTK_EDITABLE (field->row), text);
        }
      break;
    }
}

/* --- Checking ------------------------------------------------------------ */

static Field *
field_at (Field      *field,
          const char *pointer)
{
  const char *slash;
  g_autofree char *token = NULL;

  if (pointer[0] == '\0')
    return field;
  if (pointer[0] != '/')
    return NULL;
  slash = strchr (pointer + 1, '/');
  token = slash != NULL ? g_strndup (pointer + 1, slash - pointer - 1) : g_strdup (pointer + 1);
  for (guint i = 0; i < field->children->len; i++)
    {
      Field *child = g_ptr_array_index (field->children, i);
      g_autofree char *index = g_strdup_printf ("%u", i);
      gboolean match = field->kind == FIELD_ARRAY ? g_str_equal (index, token)
                                                  : g_strcmp0 (child->name, token) == 0;

      if (match)
        return slash != NULL ? field_at (child, slash) : child;
    }
  return NULL;
}

/* The fault in words the clerk can act on. */
static char *
describe_fault (Field         *field,
                SbSchemaError *fault)
{
  const char *keyword = fault->keyword;
  JsonObject *schema = field->schema;

  if (g_str_equal (keyword, "required") && field->kind == FIELD_CHOICE)
    return g_strdup_printf (_("%s: choose one of the options."), field->label);
  if (g_str_equal (keyword, "required"))
    return g_strdup_printf (_("%s: fill this in."), field->label);
  if (g_str_equal (keyword, "format") && field->kind == FIELD_DATE)
    return g_strdup_printf (_("%s: type a date like 31.01.2027."), field->label);
  if (g_str_equal (keyword, "format"))
    return g_strdup_printf (_("%s: type an e-mail address like name@example.org."), field->label);
  if (g_str_equal (keyword, "pattern"))
    {
      const char *pattern = json_object_get_string_member (schema, "pattern");

      /* Say what a simple pattern means; otherwise show it for IT staff. */
      if (g_str_equal (pattern, "^[0-9]{5}$"))
        return g_strdup_printf (_("%s: type five digits."), field->label);
      if (g_str_equal (pattern, "^[A-Z0-9]{9}$"))
        return g_strdup_printf (_("%s: type the nine letters and digits as printed, capital letters, no spaces."),
                                field->label);
      return g_strdup_printf (_("%s: not in the expected form (%s)."), field->label, pattern);
    }
  if (g_str_equal (keyword, "minLength"))
    {
      gint64 n = json_object_get_int_member (schema, "minLength");

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: type at least %d character.",
                                           "%s: type at least %d characters.", (gulong)n), field->label, (int)n);
    }
  if (g_str_equal (keyword, "maxLength"))
    {
      gint64 n = json_object_get_int_member (schema, "maxLength");

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: at most %d character, shorten it.",
                                           "%s: at most %d characters, shorten it.", (gulong)n), field->label, (int)n);
    }
  if (g_str_equal (keyword, "type") && (field->kind == FIELD_INTEGER || field->kind == FIELD_NUMBER))
    return g_strdup_printf (field->kind == FIELD_INTEGER ? _("%s: type a whole number.") : _("%s: type a number."),
                            field->label);
  if (g_str_equal (keyword, "minimum") || g_str_equal (keyword, "exclusiveMinimum"))
    {
      char bound[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (bound, sizeof bound, "%g", json_object_get_double_member (schema, keyword));
      return g_strdup_printf (g_str_equal (keyword, "minimum") ? _("%s: must be at least %s.")
                                                               : _("%s: must be more than %s."), field->label, bound);
    }
  if (g_str_equal (keyword, "maximum") || g_str_equal (keyword, "exclusiveMaximum"))
    {
      char bound[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (bound, sizeof bound, "%g", json_object_get_double_member (schema, keyword));
      return g_strdup_printf (g_str_equal (keyword, "maximum") ? _("%s: must be at most %s.")
                                                               : _("%s: must be less than %s."), field->label, bound);
    }
  if (g_str_equal (keyword, "enum") || g_str_equal (keyword, "oneOf") || g_str_equal (keyword, "anyOf"))
    return g_strdup_printf (_("%s: choose one of the options."), field->label);
  if (g_str_equal (keyword, "minItems"))
    return g_strdup_printf (_("%s: add at least %d."), field->label, (int)json_object_get_int_member (schema, "minItems"));
  if (g_str_equal (keyword, "maxItems"))
    return g_strdup_printf (_("%s: at most %d, remove one."), field->label,
                            (int)json_object_get_int_member (schema, "maxItems"));
  /* Translators: %s is the field, the second %s the platform's words (in English) */
  return g_strdup_printf (_("%s: %s."), field->label, fault->detail);
}

static void
clear_marks (Field *field)
{
  if (field->problems != NULL)
    {
      gtk_label_set_text (field->problems, "");
      gtk_widget_set_visible (GTK_WIDGET (field->problems), FALSE);
    }
  if (field->row != NULL && field->kind != FIELD_OBJECT && field->kind != FIELD_ARRAY)
    {
      gtk_widget_remove_css_class (field->row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (field->row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_FALSE, -1);
    }
  if (field->row != NULL && field->kind != FIELD_CONST)
    gtk_widget_set_visible (field->row, field_is_shown (field));
  for (guint i = 0; i < field->children->len; i++)
    clear_marks (g_ptr_array_index (field->children, i));
}

static Field *
group_of (Field *field)
{
  Field *owner = field->parent;

  if (field->kind == FIELD_OBJECT || field->kind == FIELD_ARRAY)
    return field;
  while (owner != NULL && owner->problems == NULL)
    owner = owner->parent;
  return owner;
}

static void
mark (Field      *field,
      const char *message)
{
  Field *owner = group_of (field);

  if (field->row != NULL && field->kind != FIELD_OBJECT && field->kind != FIELD_ARRAY)
    {
      gtk_widget_add_css_class (field->row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (field->row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  if (owner != NULL && owner->problems != NULL)
    {
      const char *before = gtk_label_get_text (owner->problems);
      g_autofree char *text = before[0] != '\0' ? g_strconcat (before, "\n", message, NULL) : g_strdup (message);

      gtk_label_set_text (owner->problems, text);
      gtk_widget_set_visible (GTK_WIDGET (owner->problems), TRUE);
    }
}

static gboolean
shown_to (Field    *field,
          gboolean  show_all)
{
  for (Field *f = field; f != NULL; f = f->parent)
    if (f->touched)
      return TRUE;
  return show_all;
}

/* Whether another of @faults lies inside @field, the object @fault is about. */
static gboolean
fault_inside (GPtrArray     *faults,
              Field         *field,
              SbSchemaError *fault)
{
  for (guint i = 0; i < faults->len; i++)
    {
      SbSchemaError *other = g_ptr_array_index (faults, i);

      if (other != fault && g_str_has_prefix (other->pointer, fault->pointer) &&
          strlen (other->pointer) > strlen (fault->pointer) && field_at (field->form->root, other->pointer) != field)
        return TRUE;
    }
  return FALSE;
}

/**
 * sb_schema_form_check:
 * @show_all: show every fault, not only those of fields the clerk has left
 *
 * Returns: how many faults the data has (shown or not).
 */
guint
sb_schema_form_check (SbSchemaForm *self,
                      gboolean      show_all)
{
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(JsonNode) pruned = NULL;
  g_autoptr(GPtrArray) faults = NULL;

  g_return_val_if_fail (SB_IS_SCHEMA_FORM (self), 0);

  g_clear_handle_id (&self->check_source, g_source_remove);
  self->show_all |= show_all;
  data = field_value (self->root);
  pruned = sb_json_form_pruned (data);
  faults = sb_json_schema_validate (self->schema, pruned);

  clear_marks (self->root);
  for (guint i = 0; i < faults->len; i++)
    {
      SbSchemaError *fault = g_ptr_array_index (faults, i);
      Field *field = field_at (self->root, fault->pointer);
      g_autofree char *message = NULL;

      if (field == NULL)
        field = self->root;
      if (!shown_to (field, self->show_all))
        continue;
      if (field->kind == FIELD_OBJECT && (g_str_equal (fault->keyword, "oneOf") || g_str_equal (fault->keyword, "anyOf")) &&
          fault_inside (faults, field, fault))
        continue;  /* the choice inside that picks the alternative is named: that is what to do */
      if (field->kind == FIELD_OBJECT && g_str_equal (fault->keyword, "required"))
        {
          /* A group left blank: the fields it needs are what the clerk fills in. */
          g_autoptr(JsonNode) schema = json_node_init_object (json_node_alloc (), field->schema);
          g_autoptr(JsonObject) nothing = json_object_new ();
          g_autoptr(JsonNode) empty = json_node_init_object (json_node_alloc (), nothing);
          g_autoptr(GPtrArray) inner = sb_json_schema_validate (schema, empty);

          for (guint k = 0; k < inner->len; k++)
            {
              SbSchemaError *missing = g_ptr_array_index (inner, k);
              Field *member = field_at (field, missing->pointer);
              g_autofree char *text = NULL;

              if (member == NULL || member == field)
                continue;
              text = describe_fault (member, missing);
              mark (member, text);
            }
          continue;
        }
      message = describe_fault (field, fault);
      mark (field, message);
    }
  return faults->len;
}

static gboolean
on_check_due (gpointer user_data)
{
  SbSchemaForm *self = user_data;

  self->check_source = 0;
  sb_schema_form_check (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
schedule_check (SbSchemaForm *self)
{
  g_clear_handle_id (&self->check_source, g_source_remove);
  self->check_source = g_timeout_add (150, on_check_due, self);
}

/* The topmost field at fault, as the form shows them: an object's own rows
 * first, then the groups of its nested objects and lists below. */
static gboolean
focus_first_error (Field *field)
{
  if (field->row != NULL && field->kind != FIELD_OBJECT && field->kind != FIELD_ARRAY &&
      gtk_widget_has_css_class (field->row, "error") && gtk_widget_get_visible (field->row))
    {
      gtk_widget_grab_focus (field->row);
      return TRUE;
    }
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < field->children->len; i++)
      {
        Field *child = g_ptr_array_index (field->children, i);
        gboolean nested = child->kind == FIELD_OBJECT || child->kind == FIELD_ARRAY;

        if ((pass == 0) != nested && focus_first_error (child))
          return TRUE;
      }
  return FALSE;
}

gboolean
sb_schema_form_focus_first_error (SbSchemaForm *self)
{
  g_return_val_if_fail (SB_IS_SCHEMA_FORM (self), FALSE);

  return focus_first_error (self->root);
}

/**
 * sb_schema_form_get_data:
 *
 * Returns: (transfer full): what the form holds, blank fields left out.
 */
JsonNode *
sb_schema_form_get_data (SbSchemaForm *self)
{
  g_autoptr(JsonNode) data = NULL;

  g_return_val_if_fail (SB_IS_SCHEMA_FORM (self), NULL);

  data = field_value (self->root);
  return sb_json_form_pruned (data);
}

void
sb_schema_form_set_data (SbSchemaForm *self,
                         JsonNode     *data)
{
  g_return_if_fail (SB_IS_SCHEMA_FORM (self));

  self->loading = TRUE;
  if (data != NULL)
    field_set_value (self->root, data);
  self->loading = FALSE;
  clear_marks (self->root);
}

/**
 * sb_schema_form_prefill:
 * @pointer: where, as a JSON Pointer ("/address/postalCode")
 *
 * Puts @value into the field at @pointer when the form has that field and
 * it is empty; what the clerk typed is never overwritten.
 */
void
sb_schema_form_prefill (SbSchemaForm *self,
                        const char   *pointer,
                        const char   *value)
{
  Field *field;
  g_autoptr(JsonNode) current = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (SB_IS_SCHEMA_FORM (self));

  field = field_at (self->root, pointer);
  if (field == NULL || value == NULL || value[0] == '\0' || read_only (field->schema) ||
      (field->kind != FIELD_TEXT && field->kind != FIELD_DATE && field->kind != FIELD_CHOICE))
    return;
  current = field_value (field);
  if (current != NULL)
    return;
  node = json_node_init_string (json_node_alloc (), value);
  self->loading = TRUE;
  field_set_value (field, node);
  self->loading = FALSE;
}

static void
describe (Field     *field,
          GPtrArray *lines)
{
  if (field->kind == FIELD_OBJECT || field->kind == FIELD_ARRAY)
    {
      for (guint i = 0; i < field->children->len; i++)
        {
          Field *child = g_ptr_array_index (field->children, i);

          if (child->kind != FIELD_CONST && field_is_shown (child))
            describe (child, lines);
        }
      return;
    }
  if (field->kind == FIELD_CONST)
    return;

  {
    g_autoptr(JsonNode) value = field_value (field);
    g_autofree char *text = NULL;

    if (value == NULL)
      text = g_strdup ("—");
    else if (field->kind == FIELD_CHOICE)
      text = g_strdup (adw_combo_row_get_selected_item (ADW_COMBO_ROW (field->row)) != NULL
                         ? gtk_string_object_get_string (adw_combo_row_get_selected_item (ADW_COMBO_ROW (field->row)))
                         : "—");
    else if (field->kind == FIELD_BOOLEAN)
      text = g_strdup (json_node_get_boolean (value) ? _("Yes") : _("No"));
    else if (field->kind == FIELD_DATE)
      text = date_from_iso (json_node_get_string (value));
    else
      text = json_node_get_value_type (value) == G_TYPE_STRING ? g_strdup (json_node_get_string (value))
                                                               : json_to_string (value, FALSE);
    g_ptr_array_add (lines, g_strdup (field->label));
    g_ptr_array_add (lines, g_steal_pointer (&text));
  }
}

/**
 * sb_schema_form_describe:
 *
 * Returns: (transfer full) (element-type utf8): label, value, label, value…
 * of every field shown, as the clerk reads them back to the citizen.
 */
GPtrArray *
sb_schema_form_describe (SbSchemaForm *self)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (SB_IS_SCHEMA_FORM (self), lines);

  describe (self->root, lines);
  return lines;
}

/* --- Object -------------------------------------------------------------- */

static void
sb_schema_form_dispose (GObject *object)
{
  SbSchemaForm *self = SB_SCHEMA_FORM (object);

  g_clear_handle_id (&self->check_source, g_source_remove);
  g_clear_pointer ((GtkWidget **)&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->root, field_free);

  G_OBJECT_CLASS (sb_schema_form_parent_class)->dispose (object);
}

static void
sb_schema_form_finalize (GObject *object)
{
  SbSchemaForm *self = SB_SCHEMA_FORM (object);

  g_clear_pointer (&self->schema, json_node_unref);
  g_free (self->language);

  G_OBJECT_CLASS (sb_schema_form_parent_class)->finalize (object);
}

static void
sb_schema_form_class_init (SbSchemaFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_schema_form_dispose;
  object_class->finalize = sb_schema_form_finalize;

  /**
   * SbSchemaForm::changed:
   *
   * The clerk changed a field (not emitted while data is loaded).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sb_schema_form_init (SbSchemaForm *self)
{
  self->box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 24));
  gtk_widget_set_parent (GTK_WIDGET (self->box), GTK_WIDGET (self));
}

/**
 * sb_schema_form_new:
 * @schema: the service's form, a JSON Schema that sb_json_schema_check() took
 * @language: "de" or "en": which of the catalogue's labels to show
 */
SbSchemaForm *
sb_schema_form_new (JsonNode   *schema,
                    const char *language)
{
  SbSchemaForm *self = g_object_new (SB_TYPE_SCHEMA_FORM, NULL);
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  self->schema = json_node_ref (schema);
  self->language = g_strdup (language);
  gtk_box_append (self->box, GTK_WIDGET (group));
  self->root = build_field (self, NULL, NULL, schema, TRUE, self->box, group);
  if (self->root->kind != FIELD_OBJECT)
    {
      /* A form is an object of fields; anything else cannot be filled in. */
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("This service's form is not an object of fields and cannot be filled in here. "
                                       "Tell IT staff; file the application on the platform meanwhile."));
      adw_preferences_group_add (group, GTK_WIDGET (row));
    }
  clear_marks (self->root);
  return self;
}
