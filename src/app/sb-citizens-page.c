/* sb-citizens-page.c — find a citizen, or add one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One search field. This desk's citizens are found in the store's blind
 * index as the clerk types (in a worker thread; the newest search wins);
 * the platform's accounts are asked for a moment later, when the desk is
 * signed in, and listed below those. Keyboard first: type, Down or Enter,
 * Ctrl+N for someone new.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-citizen-editor.h"
#include "sb-citizens-page.h"
#include "sb-countries.h"
#include "sb-field-check.h"

#define PLATFORM_SEARCH_DELAY_MS 350

struct _SbCitizensPage
{
  GtkWidget        parent_instance;

  GtkStack        *stack;
  GtkSearchEntry  *search_entry;
  GtkLabel        *status_label;
  GtkListBox      *results;
  AdwBin          *editor_slot;
  SbCitizenEditor *editor;         /* made when first needed */

  SbStore         *store;
  SbSyncService   *sync_service;
  GCancellable    *search_cancellable;
  guint            platform_timeout;
  guint            generation;
  guint            n_local;
  GHashTable      *local_accounts; /* platform account ids of this desk's citizens */
  GPtrArray       *local_found;    /* of the current search */
  JsonArray       *platform_found;
  char            *platform_note;
  gint64           search_started;
};

G_DEFINE_FINAL_TYPE (SbCitizensPage, sb_citizens_page, GTK_TYPE_WIDGET)

typedef struct
{
  SbCitizen *citizen;
  int        account_state;   /* -1: no account */
  char      *account_id;
} Found;

static void
found_free (Found *found)
{
  g_clear_object (&found->citizen);
  g_free (found->account_id);
  g_free (found);
}

static char *
german_date (const char *iso)
{
  if (iso == NULL)
    return g_strdup ("");
  if (strlen (iso) == 10)
    return g_strdup_printf ("%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
  if (strlen (iso) == 7)
    return g_strdup_printf ("%.2s.%.4s", iso + 5, iso);
  return g_strdup (iso);
}

static void
clear_results (SbCitizensPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_list_box_remove (self->results, child);
}

static void
set_status (SbCitizensPage *self,
            const char     *text)
{
  gtk_label_set_label (self->status_label, text);
}

static void
update_status (SbCitizensPage *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->results)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n++;
  if (query[0] == '\0')
    g_string_append (text, _("Type to search this desk’s citizens and the platform’s accounts. No match? Press Ctrl+N."));
  else if (n == 0)
    g_string_append (text, _("No one found. Check the spelling, search by birth date or document number, or press "
                             "Ctrl+N to add the citizen."));
  else
    /* Translators: how many were found; Down or Enter opens them */
    g_string_append_printf (text, ngettext ("%u found — Enter opens it.", "%u found — Down to choose, Enter opens the "
                                            "first.", n), n);
  if (self->platform_note != NULL && query[0] != '\0')
    g_string_append_printf (text, " %s", self->platform_note);
  set_status (self, text->str);
}

static GtkWidget *
add_row (SbCitizensPage *self,
         const char     *title,
         const char     *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_subtitle = g_markup_escape_text (subtitle, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_widget_set_visible (arrow, TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  gtk_list_box_append (self->results, row);
  return row;
}

static char *
citizen_title (SbCitizen *citizen)
{
  g_autofree char *name = g_strdup_printf ("%s %s", sb_citizen_get_given_names (citizen) ?: "",
                                           sb_citizen_get_family_name (citizen) ?: "");
  const char *latin_family = sb_citizen_get_family_name_latin (citizen);

  g_strstrip (name);
  if (latin_family != NULL && g_strcmp0 (latin_family, sb_citizen_get_family_name (citizen)) != 0)
    return g_strdup_printf ("%s (%s %s)", name, sb_citizen_get_given_names_latin (citizen) ?: "", latin_family);
  return g_steal_pointer (&name);
}

static const char *
account_words (int state)
{
  switch (state)
    {
    case -1:
      return _("no online account");
    case SB_ACCOUNT_STATE_CREATED:
      return _("online account");
    default:
      return _("account waiting for the platform");
    }
}

static void
show_local (SbCitizensPage *self,
            GPtrArray      *found)
{
  g_hash_table_remove_all (self->local_accounts);
  self->n_local = found->len;
  for (guint i = 0; i < found->len; i++)
    {
      Found *f = g_ptr_array_index (found, i);
      g_autofree char *title = citizen_title (f->citizen);
      g_autofree char *birth = german_date (sb_citizen_get_birth_date (f->citizen));
      const SbCountry *country = sb_country_lookup (sb_citizen_get_nationality (f->citizen));
      /* Translators: birth date · nationality · account state, "at this desk" */
      g_autofree char *subtitle = g_strdup_printf (_("born %s · %s · %s · at this desk"), birth,
                                                   country != NULL ? country->german : "—",
                                                   account_words (f->account_state));
      GtkWidget *row = add_row (self, title, subtitle);

      g_object_set_data_full (G_OBJECT (row), "citizen", g_object_ref (f->citizen), g_object_unref);
      if (f->account_id != NULL)
        g_hash_table_add (self->local_accounts, g_strdup (f->account_id));
    }
}

static void
show_platform (SbCitizensPage *self,
               JsonArray      *accounts)
{
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);
      const char *id = json_object_get_string_member_with_default (account, "id", "");
      g_autofree char *title = NULL;
      g_autofree char *birth = NULL;
      g_autofree char *subtitle = NULL;
      const SbCountry *country;
      GtkWidget *row;

      if (g_hash_table_contains (self->local_accounts, id))
        continue;
      title = g_strdup_printf ("%s %s", json_object_get_string_member_with_default (account, "givenNames", ""),
                               json_object_get_string_member_with_default (account, "familyName", ""));
      birth = german_date (json_object_get_string_member_with_default (account, "birthDate", NULL));
      country = sb_country_lookup (json_object_get_string_member_with_default (account, "nationality", NULL));
      /* Translators: birth date · nationality, of an account found on the platform */
      subtitle = g_strdup_printf (_("born %s · %s · on the platform"), birth, country != NULL ? country->german : "—");
      row = add_row (self, title, subtitle);
      g_object_set_data_full (G_OBJECT (row), "platform-account", json_object_ref (account),
                              (GDestroyNotify)json_object_unref);
    }
}

/* This desk's citizens first, then what only the platform knows. */
static void
render (SbCitizensPage *self)
{
  clear_results (self);
  if (self->local_found != NULL)
    show_local (self, self->local_found);
  if (self->platform_found != NULL)
    show_platform (self, self->platform_found);
  gtk_widget_set_visible (GTK_WIDGET (self->results), gtk_widget_get_first_child (GTK_WIDGET (self->results)) != NULL);
  update_status (self);
}

/* The local search, in a worker thread */

typedef struct
{
  SbStore *store;
  char    *query;
} SearchJob;

static void
search_job_free (SearchJob *job)
{
  g_clear_object (&job->store);
  g_free (job->query);
  g_free (job);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchJob *job = task_data;
  GError *error = NULL;
  g_autoptr(GListModel) citizens = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify)found_free);
  g_autofree char *trimmed = g_strstrip (g_strdup (job->query));

  /* An account id finds its citizen. */
  if (g_uuid_string_is_valid (trimmed))
    {
      g_autofree char *citizen_id = sb_store_account_citizen_id (job->store, trimmed);
      SbCitizen *citizen = citizen_id != NULL ? sb_store_load_citizen (job->store, citizen_id, NULL) : NULL;
      GListStore *one = g_list_store_new (SB_TYPE_CITIZEN);

      if (citizen != NULL)
        {
          g_list_store_append (one, citizen);
          g_object_unref (citizen);
        }
      citizens = G_LIST_MODEL (one);
    }
  else
    citizens = sb_store_search_citizens (job->store, trimmed, &error);

  if (citizens == NULL)
    {
      g_ptr_array_unref (found);
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (citizens) && !g_cancellable_is_cancelled (cancellable); i++)
    {
      Found *f = g_new0 (Found, 1);
      g_autoptr(SbAccount) account = NULL;

      f->citizen = g_list_model_get_item (citizens, i);
      account = sb_store_load_account (job->store, sb_citizen_get_id (f->citizen), NULL);
      f->account_state = account != NULL ? (int)sb_account_get_state (account) : -1;
      if (account != NULL)
        f->account_id = g_strdup (sb_account_get_platform_id (account) ?: sb_account_get_id (account));
      g_ptr_array_add (found, f);
    }
  g_task_return_pointer (task, found, (GDestroyNotify)g_ptr_array_unref);
}

static void
on_local_found (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SbCitizensPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = g_task_propagate_pointer (G_TASK (result), &error);
  guint generation = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "generation"));

  if (generation != self->generation || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (found == NULL)
    {
      clear_results (self);
      set_status (self, error->message);
      return;
    }
  g_debug ("Local search: %u found in %.1f ms", found->len,
           (g_get_monotonic_time () - self->search_started) / 1000.0);
  g_clear_pointer (&self->local_found, g_ptr_array_unref);
  self->local_found = g_steal_pointer (&found);
  render (self);
}

/* The platform, a moment later */

static char *
platform_query (const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_autofree char *date = NULL;
  g_autofree char *escaped = NULL;
  gboolean has_digit = strpbrk (trimmed, "0123456789") != NULL;
  gboolean alnum = TRUE;

  for (const char *p = trimmed; *p != '\0'; p++)
    alnum &= g_ascii_isalnum (*p);
  escaped = g_uri_escape_string (trimmed, NULL, FALSE);
  if (strchr (trimmed, '@') != NULL)
    return g_strdup_printf ("email=%s", escaped);
  date = sb_parse_birth_date (trimmed);
  if (date != NULL && strlen (date) == 10)
    return g_strdup_printf ("birthDate=%s", date);
  if (has_digit && alnum && strlen (trimmed) >= 6)
    {
      g_autofree char *upper = g_ascii_strup (escaped, -1);

      return g_strdup_printf ("documentNumber=%s", upper);
    }
  if (!has_digit && g_utf8_strlen (trimmed, -1) >= 2 && !g_uuid_string_is_valid (trimmed))
    return g_strdup_printf ("name=%s", escaped);
  return NULL;
}

typedef struct
{
  SbCitizensPage *self;
  guint           generation;
} PlatformSearch;

static void
on_platform_found (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PlatformSearch *search = user_data;
  g_autoptr(SbCitizensPage) self = search->self;
  guint generation = search->generation;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) accounts = sb_sync_service_find_accounts_finish (SB_SYNC_SERVICE (source), result, &error);

  g_free (search);
  if (generation != self->generation || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_pointer (&self->platform_note, g_free);
  g_clear_pointer (&self->platform_found, json_array_unref);
  if (accounts == NULL)
    self->platform_note = g_strdup (error->message);
  else
    self->platform_found = g_steal_pointer (&accounts);
  render (self);
}

static gboolean
search_platform (gpointer user_data)
{
  SbCitizensPage *self = user_data;
  g_autofree char *query = platform_query (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  PlatformSearch *search;

  self->platform_timeout = 0;
  if (query == NULL || self->sync_service == NULL)
    return G_SOURCE_REMOVE;
  if (!sb_sync_service_get_signed_in (self->sync_service))
    {
      g_free (self->platform_note);
      self->platform_note = g_strdup (_("Not signed in: only this desk’s citizens are shown."));
      update_status (self);
      return G_SOURCE_REMOVE;
    }
  search = g_new0 (PlatformSearch, 1);
  search->self = g_object_ref (self);
  search->generation = self->generation;
  sb_sync_service_find_accounts_async (self->sync_service, query, self->search_cancellable, on_platform_found, search);
  return G_SOURCE_REMOVE;
}

static void
on_search_changed (SbCitizensPage *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GTask) task = NULL;
  SearchJob *job;

  self->generation++;
  if (self->search_cancellable != NULL)
    g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_handle_id (&self->platform_timeout, g_source_remove);
  g_clear_pointer (&self->platform_note, g_free);
  g_clear_pointer (&self->platform_found, json_array_unref);

  if (query[0] == '\0' || self->store == NULL)
    {
      g_clear_pointer (&self->local_found, g_ptr_array_unref);
      render (self);
      return;
    }
  self->search_cancellable = g_cancellable_new ();
  self->search_started = g_get_monotonic_time ();
  job = g_new0 (SearchJob, 1);
  job->store = g_object_ref (self->store);
  job->query = g_strdup (query);
  task = g_task_new (NULL, self->search_cancellable, on_local_found, g_object_ref (self));
  g_object_set_data (G_OBJECT (task), "generation", GUINT_TO_POINTER (self->generation));
  g_task_set_task_data (task, job, (GDestroyNotify)search_job_free);
  g_task_run_in_thread (task, search_thread);

  self->platform_timeout = g_timeout_add (PLATFORM_SEARCH_DELAY_MS, search_platform, self);
}

/**
 * sb_citizens_page_get_citizen_id:
 *
 * Returns: (nullable): the saved citizen whose form is open
 */
const char *
sb_citizens_page_get_citizen_id (SbCitizensPage *self)
{
  g_return_val_if_fail (SB_IS_CITIZENS_PAGE (self), NULL);

  if (self->editor == NULL || !g_str_equal (gtk_stack_get_visible_child_name (self->stack), "citizen"))
    return NULL;
  return sb_citizen_editor_get_saved_id (self->editor);
}

/**
 * sb_citizens_page_next_citizen:
 *
 * Closes the citizen's form and empties the search, ready for the next
 * person. Returns %FALSE, and leaves the form open, when it has unsaved
 * changes.
 */
gboolean
sb_citizens_page_next_citizen (SbCitizensPage *self)
{
  g_return_val_if_fail (SB_IS_CITIZENS_PAGE (self), FALSE);

  if (self->editor != NULL && g_str_equal (gtk_stack_get_visible_child_name (self->stack), "citizen") &&
      sb_citizen_editor_get_dirty (self->editor))
    return FALSE;
  if (self->editor != NULL)
    sb_citizen_editor_clear (self->editor);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_stack_set_visible_child_name (self->stack, "search");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return TRUE;
}

/* Opening */

static void
on_editor_done (SbCitizensPage *self)
{
  gtk_stack_set_visible_child_name (self->stack, "search");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  on_search_changed (self);
}

static SbCitizenEditor *
ensure_editor (SbCitizensPage *self)
{
  if (self->editor == NULL)
    {
      self->editor = g_object_new (SB_TYPE_CITIZEN_EDITOR, NULL);
      sb_citizen_editor_set_context (self->editor, self->store, self->sync_service);
      g_signal_connect_object (self->editor, "done", G_CALLBACK (on_editor_done), self, G_CONNECT_SWAPPED);
      adw_bin_set_child (self->editor_slot, GTK_WIDGET (self->editor));
    }
  return self->editor;
}

static void
open_row (SbCitizensPage *self,
          GtkListBoxRow  *row)
{
  SbCitizen *citizen = g_object_get_data (G_OBJECT (row), "citizen");
  JsonObject *account = g_object_get_data (G_OBJECT (row), "platform-account");
  SbCitizenEditor *editor = ensure_editor (self);

  gtk_stack_set_visible_child_name (self->stack, "citizen");
  if (citizen != NULL)
    sb_citizen_editor_edit (editor, citizen, NULL);
  else if (account != NULL)
    sb_citizen_editor_adopt (editor, account);
}

static void
on_row_activated (SbCitizensPage *self,
                  GtkListBoxRow  *row)
{
  open_row (self, row);
}

static void
on_search_activate (SbCitizensPage *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->results, 0);

  if (first != NULL)
    open_row (self, first);
}

static void
on_stop_search (SbCitizensPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static gboolean
on_entry_key (GtkEventControllerKey *controller,
              guint                  keyval,
              guint                  keycode,
              GdkModifierType        state,
              SbCitizensPage        *self)
{
  GtkListBoxRow *first;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  first = gtk_list_box_get_row_at_index (self->results, 0);
  if (first == NULL)
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (first));
  return TRUE;
}

static gboolean
on_results_keynav_failed (SbCitizensPage   *self,
                          GtkDirectionType  direction)
{
  if (direction != GTK_DIR_UP)
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return TRUE;
}

static void
new_citizen (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SbCitizensPage *self = SB_CITIZENS_PAGE (widget);
  SbCitizenEditor *editor;

  if (self->store == NULL)
    return;
  editor = ensure_editor (self);
  gtk_stack_set_visible_child_name (self->stack, "citizen");
  sb_citizen_editor_edit (editor, NULL, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
focus_search (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SbCitizensPage *self = SB_CITIZENS_PAGE (widget);

  if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "search"))
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
sb_citizens_page_map (GtkWidget *widget)
{
  SbCitizensPage *self = SB_CITIZENS_PAGE (widget);

  GTK_WIDGET_CLASS (sb_citizens_page_parent_class)->map (widget);
  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "search"))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
sb_citizens_page_dispose (GObject *object)
{
  SbCitizensPage *self = SB_CITIZENS_PAGE (object);

  if (self->search_cancellable != NULL)
    g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_handle_id (&self->platform_timeout, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->sync_service);
  g_clear_pointer (&self->local_accounts, g_hash_table_unref);
  g_clear_pointer (&self->local_found, g_ptr_array_unref);
  g_clear_pointer (&self->platform_found, json_array_unref);
  g_clear_pointer (&self->platform_note, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), SB_TYPE_CITIZENS_PAGE);
  /* The template's outermost child has no name to be disposed by. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sb_citizens_page_parent_class)->dispose (object);
}

static void
sb_citizens_page_class_init (SbCitizensPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_citizens_page_dispose;
  widget_class->map = sb_citizens_page_map;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/sb-citizens-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbCitizensPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SbCitizensPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SbCitizensPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SbCitizensPage, results);
  gtk_widget_class_bind_template_child (widget_class, SbCitizensPage, editor_slot);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "citizens.new", NULL, new_citizen);
  gtk_widget_class_install_action (widget_class, "citizens.find", NULL, focus_search);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "citizens.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "citizens.find", NULL);

  g_type_ensure (SB_TYPE_CITIZEN_EDITOR);
}

static void
sb_citizens_page_init (SbCitizensPage *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->local_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_entry_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  g_signal_connect_object (self->results, "keynav-failed", G_CALLBACK (on_results_keynav_failed), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "citizens.new", FALSE);
}

/**
 * sb_citizens_page_set_context:
 * @store: (nullable): the desk's store, once it is open
 * @sync_service: (nullable): to search the platform
 */
void
sb_citizens_page_set_context (SbCitizensPage *self,
                              SbStore        *store,
                              SbSyncService  *sync_service)
{
  g_return_if_fail (SB_IS_CITIZENS_PAGE (self));

  g_set_object (&self->store, store);
  g_set_object (&self->sync_service, sync_service);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "citizens.new", store != NULL);
  if (self->editor != NULL)
    sb_citizen_editor_set_context (self->editor, store, sync_service);
}
