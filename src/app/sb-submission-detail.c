/* sb-submission-detail.c — one application: timeline, questions and answers, decisions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the clerk sees of an application after it was submitted: a timeline
 * of what happened at the desk and every status the platform gave it; the
 * caseworker's questions, answered here with text and new scans; the
 * decisions, opened in SbPdfView and printed.
 *
 * Scans for an answer are stored the moment they are taken (as documents
 * of the application, of kind SB_DOCUMENT_KIND_ANSWER), so a clerk who
 * goes away before sending finds them again; sending the answer names
 * them, and the sync engine uploads each (tus) before the message.
 *
 * Everything that touches the store runs in a worker thread; the
 * cancellable is renewed for each application shown, and an answer that
 * comes for one no longer shown is dropped.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sb-document-pdf.h"
#include "sb-print.h"
#include "sb-submission-detail.h"
#include "sb-submission-ui.h"

#define MAX_ANSWER_DOCUMENTS 20  /* the platform's limit (MessageInput.attachments) */

struct _SbSubmissionDetail
{
  GtkWidget            parent_instance;

  AdwToastOverlay     *toast_overlay;
  GtkScrolledWindow   *scroller;
  GtkLabel            *heading;
  GtkLabel            *summary;
  GtkListBox          *timeline_list;
  GtkListBox          *messages_list;
  AdwPreferencesGroup *answer_group;
  AdwEntryRow         *answer_row;
  AdwActionRow        *scan_row;
  GtkListBox          *attachments_list;
  GtkListBox          *decisions_list;
  GtkButton           *next_citizen_button;

  SbStore             *store;
  SbSyncService       *sync_service;
  GSettings           *settings;
  GCancellable        *cancellable;   /* the application shown */

  SbCitizen           *citizen;
  JsonNode            *catalogue;
  char                *submission_id; /* shown or being loaded */
  SbSubmission        *submission;
  GPtrArray           *documents;     /* SbDocument of it */
  GPtrArray           *decisions;     /* SbDecision of it */
  GPtrArray           *pending;       /* SbDocument scanned for the answer, not sent yet */
  gboolean             scanning;
  gboolean             scan_from_feeder;
  gboolean             answerable;      /* the caseworker waits for an answer */
};

G_DEFINE_FINAL_TYPE (SbSubmissionDetail, sb_submission_detail, GTK_TYPE_WIDGET)

enum
{
  OPEN_DRAFT,
  READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void reload            (SbSubmissionDetail *self);
static void on_answer_changed (SbSubmissionDetail *self);

static GTask *
new_task (SbSubmissionDetail  *self,
          GAsyncReadyCallback  callback)
{
  return g_task_new (self, self->cancellable, callback, NULL);
}

/* --- Loading -------------------------------------------------------------- */

typedef struct
{
  char         *submission_id;
  SbSubmission *submission;
  char         *platform_status;
  GPtrArray    *documents;   /* SbDocument */
  GPtrArray    *messages;    /* SbMessage */
  GPtrArray    *decisions;   /* SbDecision */
  GPtrArray    *changes;     /* SbStatusChange */
} Load;

static void
load_free (Load *load)
{
  g_free (load->submission_id);
  g_clear_object (&load->submission);
  g_free (load->platform_status);
  g_clear_pointer (&load->documents, g_ptr_array_unref);
  g_clear_pointer (&load->messages, g_ptr_array_unref);
  g_clear_pointer (&load->decisions, g_ptr_array_unref);
  g_clear_pointer (&load->changes, g_ptr_array_unref);
  g_free (load);
}

static GPtrArray *
array_of (GListModel *model)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (array, g_list_model_get_item (model, i));
  return array;
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SbSubmissionDetail *self = source_object;
  Load *load = task_data;
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(GListModel) decisions = NULL;
  GError *error = NULL;

  load->submission = sb_store_load_submission (self->store, load->submission_id, &error);
  if (load->submission == NULL ||
      (documents = sb_store_list_documents (self->store, load->submission_id, &error)) == NULL ||
      (messages = sb_store_list_messages (self->store, load->submission_id, &error)) == NULL ||
      (decisions = sb_store_list_decisions (self->store, load->submission_id, &error)) == NULL ||
      (load->changes = sb_store_list_status_changes (self->store, load->submission_id, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  load->platform_status = sb_store_get_platform_status (self->store, load->submission_id);
  load->documents = array_of (documents);
  load->messages = array_of (messages);
  load->decisions = array_of (decisions);
  g_task_return_boolean (task, TRUE);
}

/* --- The timeline --------------------------------------------------------- */

typedef struct
{
  gint64  at;
  char   *what;
  char   *detail;
} Moment;

static void
moment_free (Moment *moment)
{
  g_free (moment->what);
  g_free (moment->detail);
  g_free (moment);
}

static int
compare_moments (gconstpointer a,
                 gconstpointer b)
{
  const Moment *x = *(Moment **)a, *y = *(Moment **)b;

  return x->at < y->at ? -1 : x->at > y->at;
}

static void
add_moment (GPtrArray  *moments,
            gint64      at,
            const char *what,
            const char *detail)
{
  Moment *moment = g_new0 (Moment, 1);

  moment->at = at;
  moment->what = g_strdup (what);
  moment->detail = g_strdup (detail);
  g_ptr_array_add (moments, moment);
}

/* What happened at the desk, and every status the platform gave it. */
static void
fill_timeline (SbSubmissionDetail *self,
               Load               *load,
               const char         *state)
{
  g_autoptr(GPtrArray) moments = g_ptr_array_new_with_free_func ((GDestroyNotify)moment_free);
  SbSubmission *submission = load->submission;
  SbStatusChange *last = load->changes->len > 0 ? g_ptr_array_index (load->changes, load->changes->len - 1) : NULL;
  gboolean said_by_platform = last != NULL && sb_submission_get_state (submission) == SB_SUBMISSION_STATE_DELIVERED &&
                              g_strcmp0 (last->status, load->platform_status) == 0;

  add_moment (moments, sb_submission_get_created_at (submission), _("Taken at the desk"), NULL);
  add_moment (moments, sb_submission_get_updated_at (submission), _("Submitted; receipt printed"), NULL);
  if (sb_submission_get_delivered_at (submission) > 0)
    add_moment (moments, sb_submission_get_delivered_at (submission), _("Received by the platform"), NULL);
  for (guint i = 0; i < load->changes->len; i++)
    {
      SbStatusChange *change = g_ptr_array_index (load->changes, i);

      add_moment (moments, change->at, sb_ui_status_words (change->status), _("from the platform"));
    }
  for (guint i = 0; i < load->messages->len; i++)
    {
      SbMessage *message = g_ptr_array_index (load->messages, i);

      add_moment (moments, sb_message_get_created_at (message),
                  sb_message_get_direction (message) == SB_MESSAGE_INCOMING ? _("Question from the caseworker")
                                                                            : _("Answered at the desk"),
                  sb_message_get_body (message));
    }
  for (guint i = 0; i < load->decisions->len; i++)
    add_moment (moments, sb_decision_get_received_at (g_ptr_array_index (load->decisions, i)), _("Decision arrived"),
                sb_ui_decision_title (g_ptr_array_index (load->decisions, i)));
  g_ptr_array_sort (moments, compare_moments);

  sb_ui_clear_list (self->timeline_list);
  for (guint i = 0; i < moments->len; i++)
    {
      Moment *moment = g_ptr_array_index (moments, i);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *when = sb_ui_format_time (moment->at);
      g_autofree char *subtitle = moment->detail != NULL ? g_strdup_printf ("%s · %s", when, moment->detail)
                                                         : g_strdup (when);

      sb_ui_set_row_title (ADW_PREFERENCES_ROW (row), moment->what);
      sb_ui_set_row_subtitle (row, subtitle);
      gtk_list_box_append (self->timeline_list, GTK_WIDGET (row));
    }
  /* Where it stands now, unless the platform's last word above says it. */
  if (!said_by_platform)
    {
      AdwActionRow *now = ADW_ACTION_ROW (adw_action_row_new ());

      sb_ui_set_row_title (ADW_PREFERENCES_ROW (now), state);
      /* Translators: the application's state now, last in its timeline */
      sb_ui_set_row_subtitle (now, _("Now"));
      gtk_widget_add_css_class (GTK_WIDGET (now), "current-status");
      gtk_list_box_append (self->timeline_list, GTK_WIDGET (now));
    }
}

/* --- Questions and answers ------------------------------------------------ */

static void
fill_messages (SbSubmissionDetail *self,
               Load               *load)
{
  sb_ui_clear_list (self->messages_list);
  for (guint i = 0; i < load->messages->len; i++)
    {
      SbMessage *message = g_ptr_array_index (load->messages, i);
      const char * const *attached = sb_message_get_attachments (message);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *when = sb_ui_format_time (sb_message_get_created_at (message));
      g_autoptr(GString) who = g_string_new (NULL);

      g_string_printf (who, "%s · %s", sb_message_get_direction (message) == SB_MESSAGE_INCOMING
                                         ? _("Caseworker") : _("Desk"), when);
      for (guint a = 0; attached != NULL && attached[a] != NULL; a++)
        {
          SbDocument *document = sb_ui_find_document (load->documents, attached[a]);
          g_autofree char *open_label = NULL;

          if (document == NULL)
            continue;
          g_string_append_printf (who, " · %s", sb_document_get_title (document));
          open_label = g_strdup_printf (_("Look at %s"), sb_document_get_title (document));
          adw_action_row_add_suffix (row, sb_ui_row_button (_("_Look"), open_label, "detail.open-document",
                                                            sb_document_get_id (document)));
        }
      sb_ui_set_row_title (ADW_PREFERENCES_ROW (row), sb_message_get_body (message));
      adw_action_row_set_title_lines (row, 0);
      sb_ui_set_row_subtitle (row, who->str);
      gtk_list_box_append (self->messages_list, GTK_WIDGET (row));
    }
}

/* The scans waiting to go with the answer, each to look at or remove. */
static void
fill_attachments (SbSubmissionDetail *self)
{
  sb_ui_clear_list (self->attachments_list);
  for (guint i = 0; i < self->pending->len; i++)
    {
      SbDocument *document = g_ptr_array_index (self->pending, i);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *open_label = g_strdup_printf (_("Look at %s"), sb_document_get_title (document));
      g_autofree char *remove_label = g_strdup_printf (_("Remove %s"), sb_document_get_title (document));

      sb_ui_set_row_title (ADW_PREFERENCES_ROW (row), sb_document_get_title (document));
      sb_ui_set_row_subtitle (row, _("PDF — goes with the answer"));
      adw_action_row_add_suffix (row, sb_ui_row_button (_("_Look"), open_label, "detail.open-document",
                                                        sb_document_get_id (document)));
      adw_action_row_add_suffix (row, sb_ui_remove_button (remove_label, "detail.remove-attachment",
                                                           sb_document_get_id (document)));
      gtk_list_box_append (self->attachments_list, GTK_WIDGET (row));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_list), self->pending->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.scan-attachment",
                                 !self->scanning && self->pending->len < MAX_ANSWER_DOCUMENTS);
  on_answer_changed (self);
}

/* --- Decisions ------------------------------------------------------------ */

static void
fill_decisions (SbSubmissionDetail *self)
{
  sb_ui_clear_list (self->decisions_list);
  for (guint i = 0; i < self->decisions->len; i++)
    {
      SbDecision *decision = g_ptr_array_index (self->decisions, i);
      const char *title = sb_ui_decision_title (decision);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *when = sb_ui_format_time (sb_decision_get_received_at (decision));
      g_autofree char *print_label = g_strdup_printf (_("Print %s"), title);
      g_autofree char *open_label = g_strdup_printf (_("Open %s"), title);

      sb_ui_set_row_title (ADW_PREFERENCES_ROW (row), title);
      sb_ui_set_row_subtitle (row, when);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "decision-id", g_strdup (sb_decision_get_id (decision)), g_free);
      adw_action_row_add_suffix (row, sb_ui_row_button (_("_Open"), open_label, "detail.open-decision",
                                                        sb_decision_get_id (decision)));
      adw_action_row_add_suffix (row, sb_ui_row_button (_("_Print"), print_label, "detail.print-decision",
                                                        sb_decision_get_id (decision)));
      gtk_list_box_append (self->decisions_list, GTK_WIDGET (row));
    }
}

/* --- Showing it ----------------------------------------------------------- */

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SbSubmissionDetail *self = SB_SUBMISSION_DETAIL (source);
  Load *load = g_task_get_task_data (G_TASK (result));
  JsonObject *service;
  g_autofree char *title = NULL;
  g_autofree char *state = NULL;
  gboolean answerable;
  gboolean first;

  if (!sb_ui_task_succeeded (result, self->toast_overlay))
    return;

  /* A draft opens as the form it is, in the page. */
  if (sb_submission_get_state (load->submission) == SB_SUBMISSION_STATE_DRAFT)
    {
      g_signal_emit (self, signals[OPEN_DRAFT], 0, load->submission, load->documents);
      return;
    }

  first = self->submission == NULL;
  g_set_object (&self->submission, load->submission);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  self->documents = g_ptr_array_ref (load->documents);
  g_clear_pointer (&self->decisions, g_ptr_array_unref);
  self->decisions = g_ptr_array_ref (load->decisions);
  g_ptr_array_set_size (self->pending, 0);
  for (guint i = 0; i < load->documents->len; i++)
    if (g_strcmp0 (sb_document_get_kind (g_ptr_array_index (load->documents, i)), SB_DOCUMENT_KIND_ANSWER) == 0)
      g_ptr_array_add (self->pending, g_object_ref (g_ptr_array_index (load->documents, i)));

  service = sb_catalogue_find_service (self->catalogue, sb_submission_get_service_id (load->submission));
  title = service != NULL ? sb_catalogue_text (sb_json_member_object (service, "title"), sb_catalogue_language ())
                          : g_strdup (sb_submission_get_service_id (load->submission));
  state = sb_ui_state_words (load->submission, load->platform_status);
  gtk_label_set_text (self->heading, title);
  {
    g_autofree char *name = self->citizen != NULL ? sb_ui_citizen_name (self->citizen) : g_strdup ("");
    g_autofree char *taken = sb_ui_format_time (sb_submission_get_created_at (load->submission));
    /* Translators: citizen's name, state of the application, date and time it was taken */
    g_autofree char *summary = g_strdup_printf (_("%s · %s · taken %s"), name, state, taken);

    gtk_label_set_text (self->summary, summary);
  }

  fill_timeline (self, load, state);
  fill_messages (self, load);
  fill_attachments (self);
  fill_decisions (self);
  answerable = sb_submission_get_state (load->submission) == SB_SUBMISSION_STATE_DELIVERED &&
               g_strcmp0 (load->platform_status, "question") == 0;
  gtk_widget_set_visible (GTK_WIDGET (self->answer_group), answerable || self->pending->len > 0);

  g_signal_emit (self, signals[READY], 0);
  /* The keyboard goes to what comes next when the application is opened or
   * a question arrives; a reload after a sync round leaves it where it is. */
  if (!first && answerable == self->answerable)
    return;
  self->answerable = answerable;
  if (answerable)
    gtk_widget_grab_focus (GTK_WIDGET (self->answer_row));
  else if (load->decisions->len > 0)
    gtk_widget_grab_focus (gtk_widget_get_first_child (GTK_WIDGET (self->decisions_list)));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->next_citizen_button)); /* what usually comes next */
}

static void
reload (SbSubmissionDetail *self)
{
  g_autoptr(GTask) task = NULL;
  Load *load;

  if (self->store == NULL || self->submission_id == NULL)
    return;
  task = new_task (self, on_loaded);
  load = g_new0 (Load, 1);
  load->submission_id = g_strdup (self->submission_id);
  g_task_set_task_data (task, load, (GDestroyNotify)load_free);
  g_task_run_in_thread (task, load_in_thread);
}

/**
 * sb_submission_detail_show:
 * @citizen: whose application it is
 * @catalogue: (nullable): the catalogue, for the service's title
 *
 * Loads the application and shows it; ::ready says when. A draft is not
 * shown: ::open-draft hands it back for the form.
 */
void
sb_submission_detail_show (SbSubmissionDetail *self,
                           const char         *submission_id,
                           SbCitizen          *citizen,
                           JsonNode           *catalogue)
{
  g_return_if_fail (SB_IS_SUBMISSION_DETAIL (self));
  g_return_if_fail (submission_id != NULL);

  if (g_strcmp0 (self->submission_id, submission_id) != 0)
    sb_submission_detail_clear (self);
  g_set_object (&self->citizen, citizen);
  if (catalogue != self->catalogue)
    {
      g_clear_pointer (&self->catalogue, json_node_unref);
      self->catalogue = catalogue != NULL ? json_node_ref (catalogue) : NULL;
    }
  g_free (self->submission_id);
  self->submission_id = g_strdup (submission_id);
  reload (self);
}

/**
 * sb_submission_detail_clear:
 *
 * Nothing of the application stays on the screen; work in progress for it
 * (a load, a scan) is cancelled. Scans already taken are kept in the store.
 */
void
sb_submission_detail_clear (SbSubmissionDetail *self)
{
  g_return_if_fail (SB_IS_SUBMISSION_DETAIL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->scanning = FALSE;
  self->answerable = FALSE;
  g_clear_pointer (&self->submission_id, g_free);
  g_clear_object (&self->submission);
  g_clear_object (&self->citizen);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  g_clear_pointer (&self->decisions, g_ptr_array_unref);
  g_ptr_array_set_size (self->pending, 0);
  sb_ui_clear_list (self->timeline_list);
  sb_ui_clear_list (self->messages_list);
  sb_ui_clear_list (self->attachments_list);
  sb_ui_clear_list (self->decisions_list);
  gtk_label_set_text (self->heading, "");
  gtk_label_set_text (self->summary, "");
  gtk_editable_set_text (GTK_EDITABLE (self->answer_row), "");
  adw_action_row_set_subtitle (self->scan_row, _("Scanned pages go with the answer as one PDF per scan"));
}

SbSubmission *
sb_submission_detail_get_submission (SbSubmissionDetail *self)
{
  g_return_val_if_fail (SB_IS_SUBMISSION_DETAIL (self), NULL);

  return self->submission;
}

/* A sync round brought statuses, questions or decisions: show them,
 * unless the clerk is in the middle of an answer. */
static void
on_outbox_changed (SbSubmissionDetail *self)
{
  if (self->submission != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)) && !self->scanning &&
      gtk_editable_get_text (GTK_EDITABLE (self->answer_row))[0] == '\0')
    reload (self);
}

void
sb_submission_detail_set_context (SbSubmissionDetail *self,
                                  SbStore            *store,
                                  SbSyncService      *sync_service)
{
  g_return_if_fail (SB_IS_SUBMISSION_DETAIL (self));

  if (self->sync_service != NULL)
    g_signal_handlers_disconnect_by_data (self->sync_service, self);
  g_set_object (&self->store, store);
  g_set_object (&self->sync_service, sync_service);
  if (sync_service != NULL)
    g_signal_connect_object (sync_service, "outbox-changed", G_CALLBACK (on_outbox_changed), self, G_CONNECT_SWAPPED);
}

/* --- Looking at a document or decision, printing a decision --------------- */

static SbDecision *
find_decision (SbSubmissionDetail *self,
               const char         *id)
{
  for (guint i = 0; self->decisions != NULL && i < self->decisions->len; i++)
    if (g_str_equal (sb_decision_get_id (g_ptr_array_index (self->decisions, i)), id))
      return g_ptr_array_index (self->decisions, i);
  return NULL;
}

/* detail.open-decision and detail.print-decision */
static void
open_decision (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SbSubmissionDetail *self = SB_SUBMISSION_DETAIL (widget);
  SbDecision *decision = find_decision (self, g_variant_get_string (parameter, NULL));

  if (decision != NULL)
    sb_ui_open_async (widget, self->store, G_OBJECT (decision), g_str_equal (action_name, "detail.print-decision"),
                      self->cancellable, self->toast_overlay);
}

static void
on_decision_activated (SbSubmissionDetail *self,
                       GtkListBoxRow      *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "decision-id");

  if (id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "detail.open-decision", "s", id);
}

static void
open_document (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SbSubmissionDetail *self = SB_SUBMISSION_DETAIL (widget);
  SbDocument *document = sb_ui_find_document (self->documents, g_variant_get_string (parameter, NULL));

  if (document == NULL)
    document = sb_ui_find_document (self->pending, g_variant_get_string (parameter, NULL));
  if (document != NULL)
    sb_ui_open_async (widget, self->store, G_OBJECT (document), FALSE, self->cancellable, self->toast_overlay);
}

/* --- Scans for the answer ------------------------------------------------- */

typedef struct
{
  SbDocument *document;
  GPtrArray  *pages;       /* PIX */
  double      dpi;
  gboolean    from_feeder; /* empty backs are left out */
} AnswerScan;

static void
answer_scan_free (AnswerScan *scan)
{
  g_clear_object (&scan->document);
  g_clear_pointer (&scan->pages, g_ptr_array_unref);
  g_free (scan);
}

static void
keep_scan_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SbSubmissionDetail *self = source_object;
  AnswerScan *scan = task_data;
  const char *pdf_only[] = { "application/pdf", NULL };
  g_autofree char *media_type = NULL;
  g_autoptr(GBytes) pdf = NULL;
  GError *error = NULL;

  pdf = sb_document_from_scans (scan->pages, scan->dpi, SB_PDF_MODE_GRAY, scan->from_feeder, pdf_only,
                                &media_type, NULL, &error);
  if (pdf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sb_document_set_media_type (scan->document, media_type);
  if (!sb_store_attach_pdf (self->store, scan->document, pdf, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_scan_kept (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SbSubmissionDetail *self = SB_SUBMISSION_DETAIL (source);
  AnswerScan *scan = g_task_get_task_data (G_TASK (result));

  if (!sb_ui_task_succeeded (result, self->toast_overlay))
    return;
  g_ptr_array_add (self->pending, g_object_ref (scan->document));
  fill_attachments (self);
  {
    /* Translators: %s is the scanned document's title */
    g_autofree char *message = g_strdup_printf (_("%s added to the answer."), sb_document_get_title (scan->document));

    sb_ui_toast (self->toast_overlay, message);
  }
}

static void
on_scan_progress (GObject *target,
                  guint    n_pages)
{
  SbSubmissionDetail *self = SB_SUBMISSION_DETAIL (target);
  /* Translators: %u counts pages */
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Scanning: %u page…", "Scanning: %u pages…",
                                                        n_pages), n_pages);

  if (self->scanning)
    adw_action_row_set_subtitle (self->scan_row, text);
}

static void
on_scanned (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SbSubmissionDetail) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  AnswerScan *scan;
  double dpi = 0;
  guint n_answer = 0;

  pages = sb_ui_scan_pages_finish (result, &dpi, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->submission == NULL)
    return;  /* another application is shown */
  self->scanning = FALSE;
  adw_action_row_set_subtitle (self->scan_row, _("Scanned pages go with the answer as one PDF per scan"));
  fill_attachments (self);
  if (pages == NULL)
    {
      sb_ui_toast (self->toast_overlay, error->message);
      return;
    }
  if (error != NULL)
    sb_ui_toast (self->toast_overlay, error->message);  /* what was scanned before the fault is kept */

  /* Numbered after those sent with earlier answers and those waiting for this one. */
  for (guint i = 0; self->documents != NULL && i < self->documents->len; i++)
    n_answer += g_strcmp0 (sb_document_get_kind (g_ptr_array_index (self->documents, i)),
                           SB_DOCUMENT_KIND_ANSWER_SENT) == 0;
  n_answer += self->pending->len;
  id = g_uuid_string_random ();
  /* Translators: %u numbers the documents scanned for answers to the caseworker */
  title = g_strdup_printf (_("Document for the caseworker %u"), n_answer + 1);
  scan = g_new0 (AnswerScan, 1);
  scan->document = sb_document_new ();
  sb_document_set_id (scan->document, id);
  sb_document_set_submission_id (scan->document, sb_submission_get_id (self->submission));
  sb_document_set_kind (scan->document, SB_DOCUMENT_KIND_ANSWER);
  sb_document_set_title (scan->document, title);
  sb_document_set_created_at (scan->document, g_get_real_time () / G_USEC_PER_SEC);
  scan->pages = g_steal_pointer (&pages);
  scan->dpi = dpi;
  scan->from_feeder = self->scan_from_feeder;
  task = new_task (self, on_scan_kept);
  g_task_set_task_data (task, scan, (GDestroyNotify)answer_scan_free);
  g_task_run_in_thread (task, keep_scan_in_thread);
}

/* detail.scan-attachment: 'flatbed' or 'feeder'; papers in gray, as a caseworker reads them. */
static void
scan_attachment (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SbSubmissionDetail *self = SB_SUBMISSION_DETAIL (widget);
  g_autofree char *device = g_settings_get_string (self->settings, "scanner");
  gboolean from_feeder = g_str_equal (g_variant_get_string (parameter, NULL), "feeder");
  SbScanSettings settings = { 0 };

  if (self->submission == NULL || self->scanning)
    return;
  if (self->pending->len >= MAX_ANSWER_DOCUMENTS)
    {
      sb_ui_toast (self->toast_overlay, _("An answer takes at most 20 documents. Send this answer, then scan the rest for another."));
      return;
    }
  if (device[0] == '\0')
    {
      sb_ui_toast (self->toast_overlay, _("No scanner is chosen yet. Choose one in the Scan area, then scan again."));
      return;
    }
  settings.device = device;
  settings.source = from_feeder ? SB_SCAN_SOURCE_FEEDER : SB_SCAN_SOURCE_FLATBED;
  settings.mode = SB_SCAN_MODE_GRAY;
  settings.resolution = 300;
  settings.page_size = SB_PAGE_SIZE_A4;
  self->scanning = TRUE;
  fill_attachments (self);
  adw_action_row_set_subtitle (self->scan_row, _("Scanning…"));
  self->scan_from_feeder = from_feeder;
  sb_ui_scan_pages_async (&settings, self->cancellable, G_OBJECT (self), on_scan_progress, on_scanned,
                          g_object_ref (self));
}

static void
on_attachment_removed (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  SbSubmissionDetail *self = SB_SUBMISSION_DETAIL (source);
  SbDocument *document = sb_ui_store_task_get_object (result);

  if (!sb_ui_task_succeeded (result, self->toast_overlay))
    return;
  g_ptr_array_remove (self->pending, document);
  fill_attachments (self);
  if (self->pending->len == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->answer_row));
}

static void
remove_attachment (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SbSubmissionDetail *self = SB_SUBMISSION_DETAIL (widget);
  SbDocument *document = sb_ui_find_document (self->pending, g_variant_get_string (parameter, NULL));

  if (document != NULL)
    sb_ui_store_task (self, self->cancellable, self->store, (SbStoreWriteFunc)sb_store_remove_document, document,
                      on_attachment_removed);
}

/* --- Sending the answer --------------------------------------------------- */

static void
on_answer_changed (SbSubmissionDetail *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->answer_row))));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.send-answer", text[0] != '\0' && !self->scanning);
}

static void
on_answer_queued (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SbSubmissionDetail *self = SB_SUBMISSION_DETAIL (source);

  if (!sb_ui_task_succeeded (result, self->toast_overlay))
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->answer_row), "");
  if (self->sync_service != NULL)
    sb_sync_service_sync_now (self->sync_service);
  sb_ui_toast (self->toast_overlay, _("Answer queued: it goes to the caseworker with the next sync."));
  reload (self);
}

static void
send_answer (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SbSubmissionDetail *self = SB_SUBMISSION_DETAIL (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->answer_row))));
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(GStrvBuilder) attachments = g_strv_builder_new ();
  g_auto(GStrv) attachment_ids = NULL;
  g_autoptr(SbMessage) message = NULL;

  if (self->submission == NULL || self->scanning)
    return;
  if (text[0] == '\0')
    {
      sb_ui_toast (self->toast_overlay, _("Type the answer first: the caseworker gets documents only with a few words."));
      gtk_widget_grab_focus (GTK_WIDGET (self->answer_row));
      return;
    }
  for (guint i = 0; i < self->pending->len; i++)
    g_strv_builder_add (attachments, sb_document_get_id (g_ptr_array_index (self->pending, i)));
  attachment_ids = g_strv_builder_end (attachments);
  message = sb_message_new ();
  sb_message_set_id (message, id);
  sb_message_set_submission_id (message, sb_submission_get_id (self->submission));
  sb_message_set_direction (message, SB_MESSAGE_OUTGOING);
  sb_message_set_body (message, text);
  sb_message_set_attachments (message, (const char * const *)attachment_ids);
  sb_message_set_created_at (message, g_get_real_time () / G_USEC_PER_SEC);
  sb_ui_store_task (self, self->cancellable, self->store, (SbStoreWriteFunc)sb_store_send_message, message,
                    on_answer_queued);
}

static void
on_answer_activated (SbSubmissionDetail *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "detail.send-answer", NULL);
}

/* --- The widget ----------------------------------------------------------- */

static void
sb_submission_detail_dispose (GObject *object)
{
  SbSubmissionDetail *self = SB_SUBMISSION_DETAIL (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->submission_id, g_free);
  g_clear_object (&self->submission);
  g_clear_object (&self->citizen);
  g_clear_pointer (&self->catalogue, json_node_unref);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  g_clear_pointer (&self->decisions, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->sync_service);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_SUBMISSION_DETAIL);

  G_OBJECT_CLASS (sb_submission_detail_parent_class)->dispose (object);
}

static void
sb_submission_detail_class_init (SbSubmissionDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_submission_detail_dispose;

  /**
   * SbSubmissionDetail::open-draft:
   * @submission: the application, a draft
   * @documents: (element-type SbDocument): its documents
   *
   * The application asked for is a draft: it is not shown here.
   */
  signals[OPEN_DRAFT] = g_signal_new ("open-draft", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                      NULL, G_TYPE_NONE, 2, SB_TYPE_SUBMISSION, G_TYPE_PTR_ARRAY);
  /**
   * SbSubmissionDetail::ready:
   *
   * The application is shown and can be brought on screen.
   */
  signals[READY] = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/servicebuero/Servicebuero/ui/sb-submission-detail.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_bind_template_child (widget_class, SbSubmissionDetail, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionDetail, scroller);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionDetail, heading);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionDetail, summary);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionDetail, timeline_list);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionDetail, messages_list);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionDetail, answer_group);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionDetail, answer_row);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionDetail, scan_row);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionDetail, attachments_list);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionDetail, decisions_list);
  gtk_widget_class_bind_template_child (widget_class, SbSubmissionDetail, next_citizen_button);
  gtk_widget_class_bind_template_callback (widget_class, on_answer_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_answer_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_decision_activated);

  gtk_widget_class_install_action (widget_class, "detail.send-answer", NULL, send_answer);
  gtk_widget_class_install_action (widget_class, "detail.scan-attachment", "s", scan_attachment);
  gtk_widget_class_install_action (widget_class, "detail.remove-attachment", "s", remove_attachment);
  gtk_widget_class_install_action (widget_class, "detail.open-document", "s", open_document);
  gtk_widget_class_install_action (widget_class, "detail.open-decision", "s", open_decision);
  gtk_widget_class_install_action (widget_class, "detail.print-decision", "s", open_decision);
}

static void
sb_submission_detail_init (SbSubmissionDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  /* What an empty list means and what comes next, shown while it has no rows
   * (GTK calls it the list's placeholder): set once, not with every reload. */
  gtk_list_box_set_placeholder (self->messages_list,
                                sb_ui_dim_label (_("The caseworker has asked nothing. A question appears here "
                                                   "with the next sync, and the answer field with it.")));
  gtk_list_box_set_placeholder (self->decisions_list,
                                sb_ui_dim_label (_("The authority has not decided yet. The decision appears here "
                                                   "with the next sync, to open and print.")));
  /* A long application follows the keyboard: what has focus is scrolled into view. */
  if (GTK_IS_VIEWPORT (gtk_scrolled_window_get_child (self->scroller)))
    gtk_viewport_set_scroll_to_focus (GTK_VIEWPORT (gtk_scrolled_window_get_child (self->scroller)), TRUE);
  on_answer_changed (self);
}
