/* sb-submissions-page.c — a citizen's applications: file, follow, answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The counter's main job, for the citizen chosen in the Citizens area:
 * their applications; the catalogue (kept in the store by the sync engine,
 * so it works offline) to start a new one; the service's form, generated
 * from its JSON Schema, with the document checklist and who applies, saved
 * as a draft as the clerk types; a review with the citizen's consent;
 * submitting, which queues it in the outbox (offline too) and prints the
 * receipt. One application's status, questions and decisions are
 * SbSubmissionDetail's, shown in this page's "detail" step.
 *
 * Everything that touches the store runs in a worker thread; the page's
 * cancellable is cancelled when the citizen changes or the page closes,
 * and an answer that comes after that is dropped.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-citizen-letter.h"
#include "sb-document-checklist.h"
#include "sb-digest.h"
#include "sb-document-pdf.h"
#include "sb-json-schema.h"
#include "sb-model.h"
#include "sb-pdf-view.h"
#include "sb-print.h"
#include "sb-scan-job.h"
#include "sb-schema-form.h"
#include "sb-submission-detail.h"
#include "sb-submission-ui.h"
#include "sb-submissions-page.h"

struct _SbSubmissionsPage
{
  GtkWidget            parent_instance;

  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  GtkLabel            *citizen_heading;
  GtkButton           *new_button;
  GtkListBox          *applications_list;
  GtkSearchEntry      *catalogue_search;
  GtkLabel            *catalogue_status;
  GtkListBox          *services_list;
  GtkScrolledWindow   *form_scroller;
  GtkScrolledWindow   *review_scroller;
  GtkLabel            *service_heading;
  GtkLabel            *service_details;
  GtkBox              *form_holder;
  SbDocumentChecklist *checklist;
  AdwComboRow         *representation_row;
  AdwEntryRow         *representative_row;
  GtkLabel            *draft_status;
  GtkLabel            *review_heading;
  GtkBox              *review_box;
  GtkSwitch           *consent_switch;
  SbSubmissionDetail  *detail;

  SbStore             *store;
  SbSyncService       *sync_service;
  GSettings           *settings;
  GCancellable        *cancellable;     /* this citizen's work; cancelled when they go */
  char                *language;        /* "de" or "en": the catalogue's labels the clerk reads */

  SbCitizen           *citizen;
  char                *citizen_id;      /* shown or being loaded */
  JsonNode            *catalogue;
  JsonObject          *service;         /* of the catalogue */
  SbSubmission        *submission;      /* the one open */
  SbSchemaForm        *form;
  guint                autosave_source;
  gboolean             loading;
  gboolean             submitting;

};

G_DEFINE_FINAL_TYPE (SbSubmissionsPage, sb_submissions_page, GTK_TYPE_WIDGET)

static void show_detail (SbSubmissionsPage *self, const char *submission_id);

/* --- Small helpers ------------------------------------------------------- */

static char *
catalogue_text (SbSubmissionsPage *self,
                JsonObject        *texts)
{
  return sb_catalogue_text (texts, self->language);
}

static char *
service_title (SbSubmissionsPage *self,
               const char        *service_id)
{
  JsonObject *service = sb_catalogue_find_service (self->catalogue, service_id);

  return service != NULL ? catalogue_text (self, sb_json_member_object (service, "title")) : g_strdup (service_id);
}

/* --- The citizen and their applications ---------------------------------- */

typedef struct
{
  char       *citizen_id;
  SbCitizen  *citizen;
  JsonNode   *catalogue;
  GPtrArray  *submissions;     /* SbSubmission */
  GPtrArray  *statuses;        /* char*, platform status or NULL */
} CitizenLoad;

static void
citizen_load_free (CitizenLoad *load)
{
  g_free (load->citizen_id);
  g_clear_object (&load->citizen);
  g_clear_pointer (&load->catalogue, json_node_unref);
  g_clear_pointer (&load->submissions, g_ptr_array_unref);
  g_clear_pointer (&load->statuses, g_ptr_array_unref);
  g_free (load);
}

/* The catalogue as the sync engine keeps it: the list, and each service
 * with its form and documents under "service/ID". */
static JsonNode *
read_catalogue (SbStore *store)
{
  g_autofree char *text = sb_store_get_sync_value (store, "catalogue");
  g_autoptr(JsonNode) list = text != NULL ? json_from_string (text, NULL) : NULL;
  JsonArray *services = list != NULL && JSON_NODE_HOLDS_OBJECT (list)
                          ? sb_json_member_array (json_node_get_object (list), "services") : NULL;
  JsonArray *complete = json_array_new ();
  JsonObject *catalogue = json_object_new ();
  JsonNode *node;

  for (guint i = 0; services != NULL && i < json_array_get_length (services); i++)
    {
      const char *id = json_object_get_string_member_with_default (json_array_get_object_element (services, i), "id", "");
      g_autofree char *key = g_strconcat ("service/", id, NULL);
      g_autofree char *full = sb_store_get_sync_value (store, key);
      g_autoptr(JsonNode) service = full != NULL ? json_from_string (full, NULL) : NULL;

      /* A service whose form has not come yet cannot be filed here. */
      if (service != NULL && JSON_NODE_HOLDS_OBJECT (service) &&
          json_object_has_member (json_node_get_object (service), "form"))
        json_array_add_element (complete, json_node_ref (service));
    }
  json_object_set_array_member (catalogue, "services", complete);
  node = list != NULL ? json_node_init_object (json_node_alloc (), catalogue) : NULL;
  json_object_unref (catalogue);
  return node;
}

static void
load_citizen_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  SbSubmissionsPage *self = source_object;
  CitizenLoad *load = task_data;
  g_autoptr(GListModel) submissions = NULL;
  GError *error = NULL;

  load->citizen = sb_store_load_citizen (self->store, load->citizen_id, &error);
  if (load->citizen == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  load->catalogue = read_catalogue (self->store);
  submissions = sb_store_list_submissions (self->store, load->citizen_id, &error);
  if (submissions == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  load->submissions = g_ptr_array_new_with_free_func (g_object_unref);
  load->statuses = g_ptr_array_new_with_free_func (g_free);
  for (guint i = g_list_model_get_n_items (submissions); i > 0; i--)
    {
      SbSubmission *submission = g_list_model_get_item (submissions, i - 1);

      g_ptr_array_add (load->submissions, submission);
      g_ptr_array_add (load->statuses, sb_store_get_platform_status (self->store, sb_submission_get_id (submission)));
    }
  g_task_return_boolean (task, TRUE);
}

static void choose_service (SbSubmissionsPage *self, JsonObject *service);
static void fill_catalogue (SbSubmissionsPage *self);

static void
on_citizen_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SbSubmissionsPage *self = SB_SUBMISSIONS_PAGE (source);
  gboolean new_application = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;
  CitizenLoad *load = g_task_get_task_data (G_TASK (result));
  g_autofree char *name = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          sb_ui_toast (self->toast_overlay, error->message);
          gtk_stack_set_visible_child_name (self->stack, "none");
        }
      return;
    }

  g_set_object (&self->citizen, load->citizen);
  g_clear_pointer (&self->catalogue, json_node_unref);
  self->catalogue = load->catalogue != NULL ? json_node_ref (load->catalogue) : NULL;

  name = sb_ui_citizen_name (self->citizen);
  gtk_label_set_text (self->citizen_heading, name);
  sb_ui_clear_list (self->applications_list);
  for (guint i = 0; i < load->submissions->len; i++)
    {
      SbSubmission *submission = g_ptr_array_index (load->submissions, i);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *title = service_title (self, sb_submission_get_service_id (submission));
      g_autofree char *state = sb_ui_state_words (submission, g_ptr_array_index (load->statuses, i));
      g_autofree char *when = sb_ui_format_time (sb_submission_get_created_at (submission));
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", state, when);

      sb_ui_set_row_title (ADW_PREFERENCES_ROW (row), title);
      sb_ui_set_row_subtitle (row, subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (row, gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "submission-id", g_strdup (sb_submission_get_id (submission)), g_free);
      gtk_list_box_append (self->applications_list, GTK_WIDGET (row));
    }
  if (load->submissions->len == 0)
    gtk_list_box_set_placeholder (self->applications_list,
                                  sb_ui_dim_label (_("No applications yet. Press Ctrl+N to file one.")));

  if (new_application)
    {
      fill_catalogue (self);
      gtk_stack_set_visible_child_name (self->stack, "catalogue");
      gtk_widget_grab_focus (GTK_WIDGET (self->catalogue_search));
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "citizen");
      gtk_widget_grab_focus (GTK_WIDGET (self->new_button));
    }
}

static void
drop_current (SbSubmissionsPage *self)
{
  g_clear_handle_id (&self->autosave_source, g_source_remove);
  g_clear_object (&self->submission);
  sb_document_checklist_clear (self->checklist);
  self->service = NULL;
  if (self->form != NULL)
    {
      gtk_box_remove (self->form_holder, GTK_WIDGET (self->form));
      self->form = NULL;
    }
}

static void
reload_citizen (SbSubmissionsPage *self,
                gboolean           new_application)
{
  g_autoptr(GTask) task = NULL;
  CitizenLoad *load;

  if (self->citizen == NULL)
    return;
  load = g_new0 (CitizenLoad, 1);
  load->citizen_id = g_strdup (sb_citizen_get_id (self->citizen));
  task = g_task_new (self, self->cancellable, on_citizen_loaded, GINT_TO_POINTER (new_application));
  g_task_set_task_data (task, load, (GDestroyNotify)citizen_load_free);
  g_task_run_in_thread (task, load_citizen_in_thread);
}

/**
 * sb_submissions_page_show_citizen:
 * @new_application: go straight to the catalogue
 *
 * Shows @citizen_id's applications; what was open for another citizen is
 * closed (its draft is saved as the clerk typed).
 */
void
sb_submissions_page_show_citizen (SbSubmissionsPage *self,
                                  const char        *citizen_id,
                                  gboolean           new_application)
{
  g_autoptr(GTask) task = NULL;
  CitizenLoad *load;

  g_return_if_fail (SB_IS_SUBMISSIONS_PAGE (self));
  g_return_if_fail (citizen_id != NULL);

  if (self->store == NULL)
    return;
  if (g_strcmp0 (self->citizen_id, citizen_id) != 0)
    sb_submissions_page_close (self);
  else if (!new_application)
    return; /* the same citizen: what is open stays open */
  g_free (self->citizen_id);
  self->citizen_id = g_strdup (citizen_id);

  load = g_new0 (CitizenLoad, 1);
  load->citizen_id = g_strdup (citizen_id);
  task = g_task_new (self, self->cancellable, on_citizen_loaded, GINT_TO_POINTER (new_application));
  g_task_set_task_data (task, load, (GDestroyNotify)citizen_load_free);
  g_task_run_in_thread (task, load_citizen_in_thread);
}

const char *
sb_submissions_page_get_citizen_id (SbSubmissionsPage *self)
{
  g_return_val_if_fail (SB_IS_SUBMISSIONS_PAGE (self), NULL);

  return self->citizen_id;
}

static void save_draft_now (SbSubmissionsPage *self);

/**
 * sb_submissions_page_close:
 *
 * "Next citizen": everything of this citizen goes from the screen; an open
 * draft is saved first, a scan in progress is stopped.
 */
void
sb_submissions_page_close (SbSubmissionsPage *self)
{
  g_return_if_fail (SB_IS_SUBMISSIONS_PAGE (self));

  if (self->autosave_source != 0)
    save_draft_now (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  drop_current (self);
  g_clear_object (&self->citizen);
  g_clear_pointer (&self->citizen_id, g_free);
  sb_ui_clear_list (self->applications_list);
  sb_submission_detail_clear (self->detail);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self->review_box))) != NULL;)
    gtk_box_remove (self->review_box, child);
  gtk_editable_set_text (GTK_EDITABLE (self->catalogue_search), "");
  gtk_label_set_text (self->citizen_heading, "");
  gtk_stack_set_visible_child_name (self->stack, "none");
}

static void
on_application_activated (SbSubmissionsPage *self,
                          GtkListBoxRow     *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "submission-id");

  if (id != NULL)
    show_detail (self, id);
}

/* --- The catalogue -------------------------------------------------------- */

static char *
folded (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text != NULL ? text : "", "de");

  return g_utf8_casefold (ascii, -1);
}

/* Everything a clerk might type to find a service: titles and
 * descriptions in German and English, keywords, the legal basis. */
static char *
search_text_of (JsonObject *service)
{
  GString *out = g_string_new (json_object_get_string_member_with_default (service, "id", ""));
  const char *parts[] = { "title", "description", NULL };
  JsonArray *keywords = sb_json_member_array (service, "keywords");

  for (guint p = 0; parts[p] != NULL; p++)
    {
      JsonObject *texts = sb_json_member_object (service, parts[p]);
      g_autoptr(GList) languages = texts != NULL ? json_object_get_members (texts) : NULL;

      for (GList *l = languages; l != NULL; l = l->next)
        g_string_append_printf (out, " %s", json_object_get_string_member (texts, l->data));
    }
  for (guint i = 0; keywords != NULL && i < json_array_get_length (keywords); i++)
    {
      JsonNode *keyword = json_array_get_element (keywords, i);

      if (JSON_NODE_HOLDS_VALUE (keyword))
        g_string_append_printf (out, " %s", json_node_get_string (keyword));
      else if (JSON_NODE_HOLDS_OBJECT (keyword))
        {
          g_autoptr(GList) languages = json_object_get_members (json_node_get_object (keyword));

          for (GList *l = languages; l != NULL; l = l->next)
            g_string_append_printf (out, " %s", json_object_get_string_member (json_node_get_object (keyword), l->data));
        }
    }
  g_string_append_printf (out, " %s", json_object_get_string_member_with_default (service, "legalBasis", ""));
  {
    g_autofree char *text = g_string_free (out, FALSE);

    return folded (text);
  }
}

static void
authority_header (GtkListBoxRow *row,
                  GtkListBoxRow *before,
                  gpointer       user_data)
{
  const char *authority = g_object_get_data (G_OBJECT (row), "authority");
  const char *previous = before != NULL ? g_object_get_data (G_OBJECT (before), "authority") : NULL;
  GtkWidget *header;

  if (g_strcmp0 (authority, previous) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (authority);
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_label_set_wrap (GTK_LABEL (header), TRUE);
  gtk_widget_set_margin_top (header, 12);
  gtk_widget_set_margin_bottom (header, 6);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_add_css_class (header, "heading");
  gtk_list_box_row_set_header (row, header);
}

static gboolean
service_visible (GtkListBoxRow *row,
                 gpointer       user_data)
{
  SbSubmissionsPage *self = user_data;
  g_autofree char *query = folded (gtk_editable_get_text (GTK_EDITABLE (self->catalogue_search)));
  const char *haystack = g_object_get_data (G_OBJECT (row), "search-text");
  g_auto(GStrv) words = g_strsplit (query, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0' && (haystack == NULL || strstr (haystack, words[i]) == NULL))
      return FALSE;
  return TRUE;
}

static int
compare_services (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  SbSubmissionsPage *self = user_data;
  JsonObject *x = *(JsonObject **)a, *y = *(JsonObject **)b;
  g_autofree char *ax = catalogue_text (self, sb_json_member_object (sb_json_member_object (x, "authority"), "name"));
  g_autofree char *ay = catalogue_text (self, sb_json_member_object (sb_json_member_object (y, "authority"), "name"));
  g_autofree char *tx = catalogue_text (self, sb_json_member_object (x, "title"));
  g_autofree char *ty = catalogue_text (self, sb_json_member_object (y, "title"));
  int by_authority = g_utf8_collate (ax, ay);

  return by_authority != 0 ? by_authority : g_utf8_collate (tx, ty);
}

static void
update_catalogue_status (SbSubmissionsPage *self)
{
  guint shown = 0, total = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->services_list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      {
        total++;
        shown += gtk_widget_get_child_visible (child) ? 1 : 0;
      }
  if (self->catalogue == NULL)
    gtk_label_set_text (self->catalogue_status,
                        _("The catalogue of services is not here yet: it comes with the first sync. Connect to the "
                          "platform and choose Sync Now in the main menu."));
  else if (shown == 0)
    gtk_label_set_text (self->catalogue_status, _("No service matches. Try a shorter word, in German or English."));
  else
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u service. Enter chooses the first; ↓ goes to the list.",
                                                            "%u of %u services. Enter chooses the first; ↓ goes to the list.", shown),
                                               shown, total);

      gtk_label_set_text (self->catalogue_status, text);
    }
}

static void
fill_catalogue (SbSubmissionsPage *self)
{
  JsonArray *services = self->catalogue != NULL ? sb_json_member_array (json_node_get_object (self->catalogue), "services")
                                                : NULL;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  sb_ui_clear_list (self->services_list);
  for (guint i = 0; services != NULL && i < json_array_get_length (services); i++)
    g_ptr_array_add (sorted, json_array_get_object_element (services, i));
  g_ptr_array_sort_with_data (sorted, compare_services, self);

  for (guint i = 0; i < sorted->len; i++)
    {
      JsonObject *service = g_ptr_array_index (sorted, i);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *title = catalogue_text (self, sb_json_member_object (service, "title"));
      g_autofree char *authority = catalogue_text (self, sb_json_member_object (sb_json_member_object (service, "authority"), "name"));
      JsonObject *fee = sb_json_member_object (service, "fee");
      g_autofree char *subtitle = fee != NULL
                                    ? g_strdup_printf ("%s · %s %s", json_object_get_string_member_with_default (service, "legalBasis", ""),
                                                       json_object_get_string_member_with_default (fee, "amount", ""),
                                                       json_object_get_string_member_with_default (fee, "currency", ""))
                                    : g_strdup (json_object_get_string_member_with_default (service, "legalBasis", ""));

      sb_ui_set_row_title (ADW_PREFERENCES_ROW (row), title);
      sb_ui_set_row_subtitle (row, subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "service", service);
      g_object_set_data_full (G_OBJECT (row), "authority", g_steal_pointer (&authority), g_free);
      g_object_set_data_full (G_OBJECT (row), "search-text", search_text_of (service), g_free);
      gtk_list_box_append (self->services_list, GTK_WIDGET (row));
    }
  gtk_list_box_invalidate_filter (self->services_list);
  update_catalogue_status (self);
}

static void
on_catalogue_search_changed (SbSubmissionsPage *self)
{
  gtk_list_box_invalidate_filter (self->services_list);
  gtk_list_box_invalidate_headers (self->services_list);
  update_catalogue_status (self);
}

static GtkListBoxRow *
first_shown_row (GtkListBox *list)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_child_visible (child))
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

static void
on_catalogue_search_activate (SbSubmissionsPage *self)
{
  GtkListBoxRow *row = first_shown_row (self->services_list);

  if (row != NULL)
    choose_service (self, g_object_get_data (G_OBJECT (row), "service"));
}

static void
on_catalogue_stop_search (SbSubmissionsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "submission.back", NULL);
}

static void
on_service_activated (SbSubmissionsPage *self,
                      GtkListBoxRow     *row)
{
  choose_service (self, g_object_get_data (G_OBJECT (row), "service"));
}

static gboolean
on_search_key (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               SbSubmissionsPage     *self)
{
  GtkListBoxRow *row;

  if (keyval != GDK_KEY_Down || (row = first_shown_row (self->services_list)) == NULL)
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (row));
  return TRUE;
}

/* --- The form ------------------------------------------------------------- */

static void
on_draft_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SbSubmissionsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sb_store_save_submission_finish (SB_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s says why */
          g_autofree char *message = g_strdup_printf (_("The draft could not be saved: %s"), error->message);

          gtk_label_set_text (self->draft_status, message);
          sb_ui_toast (self->toast_overlay, message);
        }
      return;
    }
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *time = g_date_time_format (now, "%H:%M:%S");
    /* Translators: %s is a time of day */
    g_autofree char *text = g_strdup_printf (_("Draft saved at %s"), time);

    gtk_label_set_text (self->draft_status, text);
  }
}

static SbRepresentation
chosen_representation (SbSubmissionsPage *self)
{
  switch (adw_combo_row_get_selected (self->representation_row))
    {
    case 1:
      return SB_REPRESENTATION_AUTHORISED_PERSON;
    case 2:
      return SB_REPRESENTATION_LEGAL_REPRESENTATIVE;
    default:
      return SB_REPRESENTATION_NONE;
    }
}

/* What the clerk sees, into the submission object. */
static void
take_form (SbSubmissionsPage *self)
{
  g_autoptr(JsonNode) data = NULL;
  g_autofree char *text = NULL;
  g_autofree char *representative = NULL;

  if (self->submission == NULL || self->form == NULL)
    return;
  data = sb_schema_form_get_data (self->form);
  text = json_to_string (data, FALSE);
  sb_submission_set_form_data (self->submission, text);
  sb_submission_set_representation (self->submission, chosen_representation (self));
  representative = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->representative_row))));
  sb_submission_set_representative_name (self->submission, chosen_representation (self) != SB_REPRESENTATION_NONE &&
                                                           representative[0] != '\0' ? representative : NULL);
  sb_submission_set_updated_at (self->submission, g_get_real_time () / G_USEC_PER_SEC);
}

static void
save_draft_now (SbSubmissionsPage *self)
{
  g_clear_handle_id (&self->autosave_source, g_source_remove);
  if (self->submission == NULL || sb_submission_get_state (self->submission) != SB_SUBMISSION_STATE_DRAFT)
    return;
  take_form (self);
  sb_store_save_submission_async (self->store, self->submission, NULL, on_draft_saved, g_object_ref (self));
}

static gboolean
on_autosave_due (gpointer user_data)
{
  SbSubmissionsPage *self = user_data;

  self->autosave_source = 0;
  save_draft_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_autosave (SbSubmissionsPage *self)
{
  if (self->loading || self->submission == NULL)
    return;
  g_clear_handle_id (&self->autosave_source, g_source_remove);
  self->autosave_source = g_timeout_add (600, on_autosave_due, self);
  gtk_label_set_text (self->draft_status, _("Unsaved changes…"));
}

static void
on_representation_changed (SbSubmissionsPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->representative_row), chosen_representation (self) != SB_REPRESENTATION_NONE);
  sb_document_checklist_set_representation (self->checklist, chosen_representation (self));
  schedule_autosave (self);
}

/* The citizen's details where the form asks for them, never over what was typed. */
static void
prefill_from_citizen (SbSubmissionsPage *self)
{
  SbCitizen *c = self->citizen;
  const char *street = sb_citizen_get_street (c);
  g_autofree char *street_name = NULL;
  const char *house_number = NULL;

  /* "Hauptmarkt 18 a": the number is where the last word starts with a digit. */
  if (street != NULL)
    {
      const char *p = street + strlen (street);

      while (p > street && !(g_ascii_isdigit (*p) && *(p - 1) == ' '))
        p--;
      if (p > street)
        {
          street_name = g_strstrip (g_strndup (street, p - street));
          house_number = p;
        }
      else
        street_name = g_strdup (street);
    }

  sb_schema_form_prefill (self->form, "/email", sb_citizen_get_email (c));
  sb_schema_form_prefill (self->form, "/phone", sb_citizen_get_phone (c));
  sb_schema_form_prefill (self->form, "/familyName", sb_citizen_get_family_name (c));
  sb_schema_form_prefill (self->form, "/givenNames", sb_citizen_get_given_names (c));
  sb_schema_form_prefill (self->form, "/birthDate", sb_citizen_get_birth_date (c));
  sb_schema_form_prefill (self->form, "/nationality", sb_citizen_get_nationality (c));
  sb_schema_form_prefill (self->form, "/address/street", street_name);
  sb_schema_form_prefill (self->form, "/address/houseNumber", house_number);
  sb_schema_form_prefill (self->form, "/address/postalCode", sb_citizen_get_postal_code (c));
  sb_schema_form_prefill (self->form, "/address/city", sb_citizen_get_city (c));
}


static void
on_form_changed (SbSubmissionsPage *self)
{
  schedule_autosave (self);
}

static void
show_form (SbSubmissionsPage *self,
           JsonNode          *data,
           GPtrArray         *documents)
{
  JsonObject *service = self->service;
  g_autofree char *title = catalogue_text (self, sb_json_member_object (service, "title"));
  g_autofree char *description = catalogue_text (self, sb_json_member_object (service, "description"));
  JsonObject *fee = sb_json_member_object (service, "fee");
  g_autofree char *fee_note = fee != NULL ? catalogue_text (self, sb_json_member_object (fee, "note")) : g_strdup ("");
  g_autofree char *authority = catalogue_text (self, sb_json_member_object (sb_json_member_object (service, "authority"), "name"));
  g_autofree char *details = NULL;
  JsonNode *schema = json_object_get_member (service, "form");

  if (self->form != NULL)
    gtk_box_remove (self->form_holder, GTK_WIDGET (self->form));
  self->loading = TRUE;
  self->form = sb_schema_form_new (schema, self->language);
  gtk_box_append (self->form_holder, GTK_WIDGET (self->form));
  if (data != NULL)
    sb_schema_form_set_data (self->form, data);
  prefill_from_citizen (self);
  g_signal_connect_swapped (self->form, "changed", G_CALLBACK (on_form_changed), self);

  switch (sb_submission_get_representation (self->submission))
    {
    case SB_REPRESENTATION_AUTHORISED_PERSON:
      adw_combo_row_set_selected (self->representation_row, 1);
      break;
    case SB_REPRESENTATION_LEGAL_REPRESENTATIVE:
      adw_combo_row_set_selected (self->representation_row, 2);
      break;
    case SB_REPRESENTATION_NONE:
    default:
      adw_combo_row_set_selected (self->representation_row, 0);
      break;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->representative_row),
                         sb_submission_get_representative_name (self->submission) != NULL
                           ? sb_submission_get_representative_name (self->submission) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->representative_row), chosen_representation (self) != SB_REPRESENTATION_NONE);
  self->loading = FALSE;

  gtk_label_set_text (self->service_heading, title);
  details = fee != NULL
              ? g_strdup_printf ("%s\n%s · %s · %s %s. %s", description, authority,
                                 json_object_get_string_member_with_default (service, "legalBasis", ""),
                                 json_object_get_string_member_with_default (fee, "amount", ""),
                                 json_object_get_string_member_with_default (fee, "currency", ""), fee_note)
              : g_strdup_printf ("%s\n%s · %s", description, authority,
                                 json_object_get_string_member_with_default (service, "legalBasis", ""));
  gtk_label_set_text (self->service_details, details);
  gtk_label_set_text (self->draft_status, "");
  sb_document_checklist_show (self->checklist, self->submission, service, documents, self->language);
  gtk_stack_set_visible_child_name (self->stack, "form");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->form_scroller), 0);
  gtk_widget_child_focus (GTK_WIDGET (self->form), GTK_DIR_TAB_FORWARD);
}

static void
choose_service (SbSubmissionsPage *self,
                JsonObject        *service)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (service == NULL || self->citizen == NULL)
    return;
  drop_current (self);
  self->service = service;
  self->submission = sb_submission_new ();
  sb_submission_set_id (self->submission, id);
  sb_submission_set_citizen_id (self->submission, sb_citizen_get_id (self->citizen));
  sb_submission_set_service_id (self->submission, json_object_get_string_member (service, "id"));
  sb_submission_set_state (self->submission, SB_SUBMISSION_STATE_DRAFT);
  sb_submission_set_representation (self->submission, SB_REPRESENTATION_NONE);
  sb_submission_set_created_at (self->submission, now);
  sb_submission_set_updated_at (self->submission, now);
  show_form (self, NULL, documents);
  /* The draft exists from the start: a crash loses nothing. */
  save_draft_now (self);
}

/* --- Documents: SbDocumentChecklist ------------------------------------------ */

/* A document is about to be stored with the draft: the draft goes as typed. */
static void
on_checklist_attaching (SbSubmissionsPage *self)
{
  take_form (self);
}

static void
on_checklist_status (SbSubmissionsPage *self,
                     const char        *text)
{
  gtk_label_set_text (self->draft_status, text);
}

/* --- Review and submit ---------------------------------------------------- */

static GtkWidget *
summary_row (const char *title,
             const char *value)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  sb_ui_set_row_title (ADW_PREFERENCES_ROW (row), value);
  sb_ui_set_row_subtitle (row, title);
  gtk_widget_add_css_class (GTK_WIDGET (row), "property");
  return GTK_WIDGET (row);
}

static void
update_submit (SbSubmissionsPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "submission.submit",
                                 !self->submitting && gtk_switch_get_active (self->consent_switch));
}

static void
on_consent_changed (SbSubmissionsPage *self)
{
  update_submit (self);
}

static void
review (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  SbSubmissionsPage *self = SB_SUBMISSIONS_PAGE (widget);
  g_autofree char *missing = NULL;
  g_autofree char *title = NULL;
  g_autofree char *representative = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  AdwPreferencesGroup *group;
  GtkWidget *child;
  GPtrArray *documents = sb_document_checklist_get_documents (self->checklist);
  guint faults;

  if (self->submission == NULL || self->form == NULL)
    return;
  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "review"))
    return;

  faults = sb_schema_form_check (self->form, TRUE);
  missing = sb_document_checklist_describe_missing (self->checklist);
  if (faults > 0)
    {
      sb_schema_form_focus_first_error (self->form);
      sb_ui_toast (self->toast_overlay,
                   g_dngettext (GETTEXT_PACKAGE, "One field needs attention: it is marked, with what to do.",
                                "Some fields need attention: they are marked, with what to do.", faults));
      return;
    }
  if (missing != NULL)
    {
      /* Translators: %s lists the missing documents, one per line */
      g_autofree char *message = g_strdup_printf (_("Still missing:\n%s"), missing);
      AdwMessageDialog *dialog;
      GtkRoot *root = gtk_widget_get_root (widget);

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                           _("Documents Missing"), message));
      adw_message_dialog_add_response (dialog, "ok", _("_Add Them"));
      adw_message_dialog_set_default_response (dialog, "ok");
      adw_message_dialog_set_close_response (dialog, "ok");
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  representative = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->representative_row))));
  if (chosen_representation (self) != SB_REPRESENTATION_NONE && representative[0] == '\0')
    {
      sb_ui_toast (self->toast_overlay, _("Type the representative’s full name, as on their identity document."));
      gtk_widget_grab_focus (GTK_WIDGET (self->representative_row));
      return;
    }
  save_draft_now (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->review_box))) != NULL)
    gtk_box_remove (self->review_box, child);

  title = catalogue_text (self, sb_json_member_object (self->service, "title"));
  gtk_label_set_text (self->review_heading, title);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Form"));
  adw_preferences_group_set_description (group, _("Read it back to the citizen."));
  lines = sb_schema_form_describe (self->form);
  for (guint i = 0; i + 1 < lines->len; i += 2)
    adw_preferences_group_add (group, summary_row (g_ptr_array_index (lines, i), g_ptr_array_index (lines, i + 1)));
  gtk_box_append (self->review_box, GTK_WIDGET (group));

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Documents"));
  for (guint i = 0; i < documents->len; i++)
    {
      SbDocument *document = g_ptr_array_index (documents, i);

      adw_preferences_group_add (group, summary_row (g_str_equal (sb_document_get_media_type (document), "application/pdf")
                                                       ? _("PDF") : _("Photo"), sb_document_get_title (document)));
    }
  if (documents->len == 0)
    adw_preferences_group_add (group, summary_row (_("Documents"), _("None")));
  gtk_box_append (self->review_box, GTK_WIDGET (group));

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Who Applies"));
  {
    g_autofree char *name = sb_ui_citizen_name (self->citizen);
    GtkStringObject *chosen = adw_combo_row_get_selected_item (self->representation_row);

    adw_preferences_group_add (group, summary_row (_("Citizen"), name));
    adw_preferences_group_add (group, summary_row (_("Applying"), gtk_string_object_get_string (chosen)));
    if (chosen_representation (self) != SB_REPRESENTATION_NONE)
      adw_preferences_group_add (group, summary_row (_("Representative"),
                                                     gtk_editable_get_text (GTK_EDITABLE (self->representative_row))));
    adw_preferences_group_add (group, summary_row (_("Filed by (staff)"), sb_store_get_staff (self->store)));
  }
  gtk_box_append (self->review_box, GTK_WIDGET (group));

  gtk_switch_set_active (self->consent_switch, FALSE);
  update_submit (self);
  gtk_stack_set_visible_child_name (self->stack, "review");
  gtk_widget_grab_focus (GTK_WIDGET (self->consent_switch));
}

typedef struct
{
  SbSubmission *submission;
  char         *citizen_name;
  char         *language;
  char         *service;
  char         *service_local;
  char         *authority;
  char         *desk;
  char         *staff;
  char         *status_url;
  gboolean      submit;      /* queue it first */
} ReceiptJob;

static void
receipt_job_free (ReceiptJob *job)
{
  g_clear_object (&job->submission);
  g_free (job->citizen_name);
  g_free (job->language);
  g_free (job->service);
  g_free (job->service_local);
  g_free (job->authority);
  g_free (job->desk);
  g_free (job->staff);
  g_free (job->status_url);
  g_free (job);
}

/* Submits (when asked) and renders the receipt of what the store holds:
 * the digests are of the very files that will be sent. */
static void
receipt_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SbSubmissionsPage *self = source_object;
  ReceiptJob *job = task_data;
  const char *id = sb_submission_get_id (job->submission);
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (SbReceiptDocument));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *receipt_key = g_strconcat ("receipt/", id, NULL);
  g_autofree char *platform_receipt = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *representative = NULL;
  SbReceipt receipt = { 0 };
  GError *error = NULL;
  GBytes *pdf;

  if (job->submit && !sb_store_submit (self->store, job->submission, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  documents = sb_store_list_documents (self->store, id, &error);
  if (documents == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(SbDocument) document = g_list_model_get_item (documents, i);
      g_autoptr(GBytes) content = NULL;
      SbReceiptDocument entry;

      if (sb_document_is_for_answer (document))
        continue;  /* sent later, with an answer: not part of what was received */
      content = sb_store_open_document_pdf (self->store, document, &error);
      if (content == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (strings, g_strdup (sb_document_get_title (document)));
      entry.title = g_ptr_array_index (strings, strings->len - 1);
      g_ptr_array_add (strings, sb_sha256_hex (g_bytes_get_data (content, NULL), g_bytes_get_size (content)));
      entry.sha256 = g_ptr_array_index (strings, strings->len - 1);
      g_array_append_val (entries, entry);
    }

  /* The platform's reference once it answered; until then this desk's. */
  platform_receipt = sb_store_get_sync_value (self->store, receipt_key);
  if (platform_receipt != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (platform_receipt, NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        reference = g_strdup (json_object_get_string_member_with_default (json_node_get_object (node), "reference", NULL));
    }
  if (reference == NULL)
    {
      g_autofree char *upper = g_ascii_strup (id, 8);

      reference = g_strdup_printf ("SB-%s", upper);
    }
  if (sb_submission_get_representation (job->submission) != SB_REPRESENTATION_NONE)
    representative = g_strdup (sb_submission_get_representative_name (job->submission));

  receipt.citizen_name = job->citizen_name;
  receipt.language = job->language;
  receipt.reference = reference;
  receipt.service = job->service;
  receipt.service_local = job->service_local;
  receipt.authority = job->authority;
  receipt.received_at = sb_submission_get_updated_at (job->submission);
  receipt.desk = job->desk;
  receipt.staff = job->staff;
  receipt.representative = representative;
  receipt.documents = (SbReceiptDocument *)entries->data;
  receipt.n_documents = entries->len;
  receipt.status_url = job->status_url;
  pdf = sb_receipt_render (&receipt, &error);
  if (pdf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sb_store_record_audit (self->store, sb_submission_get_citizen_id (job->submission), "receipt.print", id, NULL);
  g_task_return_pointer (task, pdf, (GDestroyNotify)g_bytes_unref);
}

static void
on_receipt_ready (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SbSubmissionsPage *self = SB_SUBMISSIONS_PAGE (source);
  ReceiptJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = g_task_propagate_pointer (G_TASK (result), &error);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (job->submit)
    {
      self->submitting = FALSE;
      update_submit (self);
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (job->submit && sb_submission_get_state (job->submission) == SB_SUBMISSION_STATE_QUEUED)
    {
      /* Submitted, whatever happens to the printout. */
      show_detail (self, sb_submission_get_id (job->submission));
      if (self->sync_service != NULL)
        sb_sync_service_sync_now (self->sync_service);
      sb_ui_toast (self->toast_overlay, _("Submitted. It goes to the platform with the next sync; the receipt is printing."));
    }
  if (pdf == NULL)
    {
      sb_ui_toast (self->toast_overlay, error->message);
      return;
    }
  sb_print_pdf (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, pdf, _("Receipt"));
}

static void
start_receipt (SbSubmissionsPage *self,
               SbSubmission      *submission,
               gboolean           submit)
{
  JsonObject *service = sb_catalogue_find_service (self->catalogue, sb_submission_get_service_id (submission));
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_receipt_ready, NULL);
  ReceiptJob *job = g_new0 (ReceiptJob, 1);
  g_autofree char *desk = g_settings_get_string (self->settings, "desk-name");
  const char *language = sb_citizen_get_preferred_language (self->citizen);
  JsonObject *titles = sb_json_member_object (service, "title");

  job->submission = g_object_ref (submission);
  job->submit = submit;
  job->citizen_name = sb_ui_citizen_name (self->citizen);
  job->language = g_strdup (language != NULL ? language : "de");
  job->service = g_strdup (titles != NULL && json_object_has_member (titles, "de")
                             ? json_object_get_string_member (titles, "de") : sb_submission_get_service_id (submission));
  job->service_local = titles != NULL && json_object_has_member (titles, job->language)
                         ? g_strdup (json_object_get_string_member (titles, job->language))
                         : titles != NULL && !g_str_equal (job->language, "de") && json_object_has_member (titles, "en")
                             ? g_strdup (json_object_get_string_member (titles, "en")) : NULL;
  job->authority = g_strdup (json_object_get_string_member_with_default (
                               sb_json_member_object (sb_json_member_object (service, "authority"), "name"), "de", ""));
  job->desk = desk[0] != '\0' ? g_strdup_printf ("Servicebüro %s", desk) : g_strdup ("Servicebüro");
  job->staff = g_strdup (sb_store_get_staff (self->store));
  job->status_url = sb_status_url (self->sync_service != NULL ? sb_sync_service_get_url (self->sync_service) : "",
                                   sb_submission_get_id (submission));
  g_task_set_task_data (task, job, (GDestroyNotify)receipt_job_free);
  g_task_run_in_thread (task, receipt_in_thread);
}

static void
submit (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  SbSubmissionsPage *self = SB_SUBMISSIONS_PAGE (widget);
  g_autoptr(SbConsent) consent = sb_consent_new ();
  const char *language = sb_citizen_get_preferred_language (self->citizen);
  GListStore *consents;

  if (self->submission == NULL || self->submitting || !gtk_switch_get_active (self->consent_switch))
    return;
  take_form (self);
  consents = G_LIST_STORE (sb_submission_get_consents (self->submission));
  g_list_store_remove_all (consents);
  sb_consent_set_kind (consent, SB_CONSENT_DATA_PROCESSING);
  sb_consent_set_language (consent, language != NULL ? language : "de");
  sb_consent_set_staff (consent, sb_store_get_staff (self->store));
  sb_consent_set_given_at (consent, g_get_real_time () / G_USEC_PER_SEC);
  g_list_store_append (consents, consent);
  sb_submission_set_updated_at (self->submission, g_get_real_time () / G_USEC_PER_SEC);
  g_clear_handle_id (&self->autosave_source, g_source_remove);
  self->submitting = TRUE;
  update_submit (self);
  start_receipt (self, self->submission, TRUE);
}

/* --- One application ------------------------------------------------------ */

static void
show_detail (SbSubmissionsPage *self,
             const char        *submission_id)
{
  sb_submission_detail_show (self->detail, submission_id, self->citizen, self->catalogue);
}

/* The application asked for is a draft: it opens as the form it is. */
static void
on_detail_open_draft (SbSubmissionsPage *self,
                      SbSubmission      *submission,
                      GPtrArray         *documents)
{
  g_autoptr(JsonNode) data = sb_submission_get_form_data (submission) != NULL
                               ? json_from_string (sb_submission_get_form_data (submission), NULL) : NULL;
  JsonObject *service = sb_catalogue_find_service (self->catalogue, sb_submission_get_service_id (submission));

  if (service == NULL)
    {
      sb_ui_toast (self->toast_overlay, _("This draft’s service is no longer in the catalogue. File the application anew."));
      return;
    }
  drop_current (self);
  self->service = service;
  self->submission = g_object_ref (submission);
  show_form (self, data, documents);
}

static void
on_detail_ready (SbSubmissionsPage *self)
{
  drop_current (self);
  gtk_stack_set_visible_child_name (self->stack, "detail");
}

static void
print_receipt (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SbSubmissionsPage *self = SB_SUBMISSIONS_PAGE (widget);

  SbSubmission *shown = sb_submission_detail_get_submission (self->detail);

  if (shown != NULL && g_str_equal (gtk_stack_get_visible_child_name (self->stack), "detail"))
    start_receipt (self, shown, FALSE);
}

/* --- Navigation ----------------------------------------------------------- */

static void
new_application (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SbSubmissionsPage *self = SB_SUBMISSIONS_PAGE (widget);

  if (self->citizen == NULL)
    return;
  fill_catalogue (self);
  gtk_editable_set_text (GTK_EDITABLE (self->catalogue_search), "");
  gtk_stack_set_visible_child_name (self->stack, "catalogue");
  gtk_widget_grab_focus (GTK_WIDGET (self->catalogue_search));
}

static void
go_back (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  SbSubmissionsPage *self = SB_SUBMISSIONS_PAGE (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_str_equal (page, "review"))
    {
      gtk_stack_set_visible_child_name (self->stack, "form");
      gtk_widget_child_focus (GTK_WIDGET (self->form), GTK_DIR_TAB_FORWARD);
      return;
    }
  if (g_str_equal (page, "form"))
    save_draft_now (self);
  if (g_str_equal (page, "detail"))
    sb_submission_detail_clear (self->detail);
  if (g_str_equal (page, "form") || g_str_equal (page, "detail") || g_str_equal (page, "catalogue"))
    {
      drop_current (self);
      reload_citizen (self, FALSE);
    }
}

static void
on_stack_page_changed (SbSubmissionsPage *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "submission.review", g_str_equal (page, "form"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "submission.new", g_str_equal (page, "citizen"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "submission.print-receipt", g_str_equal (page, "detail"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "submission.back", !g_str_equal (page, "none") &&
                                                                         !g_str_equal (page, "citizen"));
  update_submit (self);
  if (!g_str_equal (page, "review"))
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "submission.submit", FALSE);
}

/* Ctrl+Return: the next step from where the clerk is. */
static void
next_step (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  SbSubmissionsPage *self = SB_SUBMISSIONS_PAGE (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_str_equal (page, "form"))
    gtk_widget_activate_action (widget, "submission.review", NULL);
  else if (g_str_equal (page, "review"))
    gtk_widget_activate_action (widget, "submission.submit", NULL);
}

void
sb_submissions_page_set_context (SbSubmissionsPage *self,
                                 SbStore           *store,
                                 SbSyncService     *sync_service)
{
  g_return_if_fail (SB_IS_SUBMISSIONS_PAGE (self));

  g_set_object (&self->store, store);
  g_set_object (&self->sync_service, sync_service);
  sb_submission_detail_set_context (self->detail, store, sync_service);
  sb_document_checklist_set_context (self->checklist, store, self->toast_overlay);
}

static void
sb_submissions_page_dispose (GObject *object)
{
  SbSubmissionsPage *self = SB_SUBMISSIONS_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->autosave_source, g_source_remove);
  drop_current (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->citizen);
  g_clear_pointer (&self->citizen_id, g_free);
  g_clear_pointer (&self->catalogue, json_node_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->sync_service);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->language, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_SUBMISSIONS_PAGE);

  G_OBJECT_CLASS (sb_submissions_page_parent_class)->dispose (object);
}

static void
sb_submissions_page_class_init (SbSubmissionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_submissions_page_dispose;

  g_type_ensure (SB_TYPE_SUBMISSION_DETAIL);
  g_type_ensure (SB_TYPE_DOCUMENT_CHECKLIST);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/servicebuero/Servicebuero/ui/sb-submissions-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, citizen_heading);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, applications_list);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, catalogue_search);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, catalogue_status);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, services_list);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, form_scroller);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, review_scroller);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, service_heading);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, service_details);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, form_holder);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, checklist);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, representation_row);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, representative_row);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, draft_status);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, review_heading);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, review_box);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, consent_switch);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionsPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, on_application_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_catalogue_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_catalogue_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_catalogue_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_service_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_representation_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_consent_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_checklist_attaching);
  gtk_widget_class_bind_template_callback (widget_class, on_checklist_status);
  gtk_widget_class_bind_template_callback (widget_class, on_detail_open_draft);
  gtk_widget_class_bind_template_callback (widget_class, on_detail_ready);

  gtk_widget_class_install_action (widget_class, "submission.new", NULL, new_application);
  gtk_widget_class_install_action (widget_class, "submission.back", NULL, go_back);
  gtk_widget_class_install_action (widget_class, "submission.review", NULL, review);
  gtk_widget_class_install_action (widget_class, "submission.submit", NULL, submit);
  gtk_widget_class_install_action (widget_class, "submission.next-step", NULL, next_step);
  gtk_widget_class_install_action (widget_class, "submission.print-receipt", NULL, print_receipt);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "submission.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "submission.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "submission.next-step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "submission.next-step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "submission.print-receipt", NULL);
}

static void
sb_submissions_page_init (SbSubmissionsPage *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  self->language = g_strdup (sb_catalogue_language ());

  /* Long pages follow the keyboard: what has focus is scrolled into view. */
  {
    GtkScrolledWindow *scrollers[] = { self->form_scroller, self->review_scroller };

    for (guint i = 0; i < G_N_ELEMENTS (scrollers); i++)
      if (GTK_IS_VIEWPORT (gtk_scrolled_window_get_child (scrollers[i])))
        gtk_viewport_set_scroll_to_focus (GTK_VIEWPORT (gtk_scrolled_window_get_child (scrollers[i])), TRUE);
  }
  gtk_list_box_set_header_func (self->services_list, authority_header, NULL, NULL);
  gtk_list_box_set_filter_func (self->services_list, service_visible, self, NULL);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_search_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->catalogue_search), keys);
  g_signal_connect_object (self->stack, "notify::visible-child-name", G_CALLBACK (on_stack_page_changed), self,
                           G_CONNECT_SWAPPED);
  on_stack_page_changed (self);
}
