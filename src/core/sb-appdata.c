/* sb-appdata.c — what the AppStream metainfo says about the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libadwaita 1.5 reads the metainfo itself (adw_about_window_new_from_appdata);
 * Debian 12 has 1.2, so the About window is filled from here. The metainfo in
 * the resource is the translated one msgfmt merged: every translatable element
 * is followed by siblings carrying xml:lang, and we pick the best of them.
 */

#include "config.h"

#include <string.h>

#include "sb-appdata.h"

G_DEFINE_QUARK (sb-appdata-error-quark, sb_appdata_error)
G_DEFINE_BOXED_TYPE (SbAppdata, sb_appdata, sb_appdata_copy, sb_appdata_free)

typedef struct _Node Node;
struct _Node
{
  char      *name;      /* NULL for a text node */
  char      *lang;
  char      *type;
  char      *version;
  char      *date;
  GString   *text;
  GPtrArray *children;
  Node      *parent;
};

static void
node_free (Node *node)
{
  g_free (node->name);
  g_free (node->lang);
  g_free (node->type);
  g_free (node->version);
  g_free (node->date);
  if (node->text)
    g_string_free (node->text, TRUE);
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node);
}

static Node *
node_new (const char *name,
          Node       *parent)
{
  Node *node = g_new0 (Node, 1);

  node->name = g_strdup (name);
  node->parent = parent;
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify)node_free);
  if (parent)
    g_ptr_array_add (parent->children, node);

  return node;
}

static void
on_start_element (GMarkupParseContext  *context,
                  const char           *element_name,
                  const char          **attribute_names,
                  const char          **attribute_values,
                  gpointer              user_data,
                  GError              **error)
{
  Node **current = user_data;
  Node *node = node_new (element_name, *current);

  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      char **field = NULL;

      if (g_str_equal (attribute_names[i], "xml:lang"))
        field = &node->lang;
      else if (g_str_equal (attribute_names[i], "type"))
        field = &node->type;
      else if (g_str_equal (attribute_names[i], "version"))
        field = &node->version;
      else if (g_str_equal (attribute_names[i], "date"))
        field = &node->date;

      if (field != NULL)
        {
          g_free (*field);
          *field = g_strdup (attribute_values[i]);
        }
    }

  *current = node;
}

static void
on_end_element (GMarkupParseContext  *context,
                const char           *element_name,
                gpointer              user_data,
                GError              **error)
{
  Node **current = user_data;

  *current = (*current)->parent;
}

static void
on_text (GMarkupParseContext  *context,
         const char           *text,
         gsize                 text_len,
         gpointer              user_data,
         GError              **error)
{
  Node **current = user_data;
  Node *node;

  if ((*current)->parent == NULL)
    return;

  node = node_new (NULL, *current);
  node->text = g_string_new_len (text, text_len);
}

static const GMarkupParser parser = {
  .start_element = on_start_element,
  .end_element = on_end_element,
  .text = on_text,
};

static Node *
child_element (Node       *node,
               const char *name)
{
  for (guint i = 0; i < node->children->len; i++)
    {
      Node *child = g_ptr_array_index (node->children, i);

      if (g_strcmp0 (child->name, name) == 0 && child->lang == NULL)
        return child;
    }

  return NULL;
}

/* The sibling translating @node into the first of @languages that has one;
 * @node itself when none does. */
static Node *
localized (Node               *node,
           const char * const *languages)
{
  Node *parent = node->parent;
  guint start;

  if (!g_ptr_array_find (parent->children, node, &start))
    g_assert_not_reached ();

  for (guint l = 0; languages && languages[l] != NULL; l++)
    {
      if (g_str_equal (languages[l], "C"))
        return node;

      for (guint i = start + 1; i < parent->children->len; i++)
        {
          Node *sibling = g_ptr_array_index (parent->children, i);

          if (sibling->name == NULL)
            continue;
          if (g_strcmp0 (sibling->name, node->name) != 0 || sibling->lang == NULL)
            break;
          if (g_str_equal (sibling->lang, languages[l]))
            return sibling;
        }
    }

  return node;
}

static void
collect_text (Node    *node,
              GString *out)
{
  for (guint i = 0; i < node->children->len; i++)
    {
      Node *child = g_ptr_array_index (node->children, i);

      if (child->name == NULL)
        g_string_append_len (out, child->text->str, child->text->len);
      else
        collect_text (child, out);
    }
}

static char *
normalized_text (Node *node)
{
  g_autoptr(GString) raw = g_string_new (NULL);
  g_auto(GStrv) words = NULL;

  collect_text (node, raw);
  words = g_strsplit_set (g_strstrip (raw->str), " \t\n\r", -1);

  {
    g_autoptr(GString) out = g_string_new (NULL);

    for (guint i = 0; words[i] != NULL; i++)
      {
        if (words[i][0] == '\0')
          continue;
        if (out->len > 0)
          g_string_append_c (out, ' ');
        g_string_append (out, words[i]);
      }

    return g_string_free (g_steal_pointer (&out), FALSE);
  }
}

static char *
localized_text (Node               *parent,
                const char         *name,
                const char * const *languages)
{
  Node *node = child_element (parent, name);

  if (node == NULL)
    return NULL;

  return normalized_text (localized (node, languages));
}

static void
append_description (Node               *node,
                    const char * const *languages,
                    GString            *out)
{
  static const char * const allowed[] = { "p", "ul", "ol", "li", "em", "code", NULL };

  for (guint i = 0; i < node->children->len; i++)
    {
      Node *child = g_ptr_array_index (node->children, i);
      Node *chosen;

      if (child->name == NULL || child->lang != NULL)
        continue;
      if (!g_strv_contains (allowed, child->name))
        continue;

      chosen = localized (child, languages);
      g_string_append_printf (out, "<%s>", chosen->name);

      if (g_str_equal (chosen->name, "ul") || g_str_equal (chosen->name, "ol"))
        {
          append_description (chosen, languages, out);
        }
      else
        {
          g_autofree char *text = normalized_text (chosen);
          g_autofree char *escaped = g_markup_escape_text (text, -1);

          g_string_append (out, escaped);
        }

      g_string_append_printf (out, "</%s>", chosen->name);
    }
}

static char *
url_of_type (Node       *component,
             const char *type)
{
  for (guint i = 0; i < component->children->len; i++)
    {
      Node *child = g_ptr_array_index (component->children, i);

      if (g_strcmp0 (child->name, "url") == 0 && g_strcmp0 (child->type, type) == 0)
        return normalized_text (child);
    }

  return NULL;
}

/**
 * sb_appdata_parse:
 * @xml: an AppStream metainfo document
 * @languages: (nullable): preferred languages, best first, as
 *   g_get_language_names() gives them
 *
 * Returns: (transfer full): the app's data, or %NULL with @error set
 */
SbAppdata *
sb_appdata_parse (GBytes             *xml,
                  const char * const *languages,
                  GError            **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(SbAppdata) appdata = NULL;
  Node *root = node_new ("#document", NULL);
  Node *current = root;
  Node *component;
  Node *releases;
  gsize len;
  const char *data;

  g_return_val_if_fail (xml != NULL, NULL);

  data = g_bytes_get_data (xml, &len);
  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &current, NULL);

  if (!g_markup_parse_context_parse (context, data, len, error) ||
      !g_markup_parse_context_end_parse (context, error))
    {
      node_free (root);
      return NULL;
    }

  component = child_element (root, "component");
  if (component == NULL)
    {
      node_free (root);
      g_set_error_literal (error, SB_APPDATA_ERROR, SB_APPDATA_ERROR_INVALID,
                           "The metainfo has no <component> element");
      return NULL;
    }

  appdata = g_new0 (SbAppdata, 1);
  appdata->id = localized_text (component, "id", NULL);
  appdata->name = localized_text (component, "name", languages);
  appdata->summary = localized_text (component, "summary", languages);
  appdata->developer_name = localized_text (component, "developer_name", languages);
  appdata->project_license = localized_text (component, "project_license", NULL);
  appdata->homepage = url_of_type (component, "homepage");
  appdata->bugtracker = url_of_type (component, "bugtracker");

  releases = child_element (component, "releases");
  if (releases != NULL)
    {
      Node *newest = child_element (releases, "release");

      if (newest != NULL)
        {
          Node *description = child_element (newest, "description");

          appdata->release_version = g_strdup (newest->version);
          appdata->release_date = g_strdup (newest->date);

          if (description != NULL)
            {
              GString *notes = g_string_new (NULL);

              append_description (description, languages, notes);
              appdata->release_notes = g_string_free (notes, FALSE);
            }
        }
    }

  node_free (root);

  if (appdata->id == NULL || appdata->name == NULL)
    {
      g_set_error_literal (error, SB_APPDATA_ERROR, SB_APPDATA_ERROR_INVALID,
                           "The metainfo names no <id> or <name>");
      return NULL;
    }

  return g_steal_pointer (&appdata);
}

SbAppdata *
sb_appdata_copy (const SbAppdata *appdata)
{
  SbAppdata *copy;

  g_return_val_if_fail (appdata != NULL, NULL);

  copy = g_new0 (SbAppdata, 1);
  copy->id = g_strdup (appdata->id);
  copy->name = g_strdup (appdata->name);
  copy->summary = g_strdup (appdata->summary);
  copy->developer_name = g_strdup (appdata->developer_name);
  copy->project_license = g_strdup (appdata->project_license);
  copy->homepage = g_strdup (appdata->homepage);
  copy->bugtracker = g_strdup (appdata->bugtracker);
  copy->release_version = g_strdup (appdata->release_version);
  copy->release_date = g_strdup (appdata->release_date);
  copy->release_notes = g_strdup (appdata->release_notes);

  return copy;
}

void
sb_appdata_free (SbAppdata *appdata)
{
  if (appdata == NULL)
    return;

  g_free (appdata->id);
  g_free (appdata->name);
  g_free (appdata->summary);
  g_free (appdata->developer_name);
  g_free (appdata->project_license);
  g_free (appdata->homepage);
  g_free (appdata->bugtracker);
  g_free (appdata->release_version);
  g_free (appdata->release_date);
  g_free (appdata->release_notes);
  g_free (appdata);
}
