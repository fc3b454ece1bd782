/* sb-submission-ui.c — what the submission screens share: words, rows, a look at a document, a scan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application's screens (SbSubmissionsPage: catalogue, form, review;
 * SbSubmissionDetail: one application's status, questions and decisions)
 * speak of applications, documents and decisions in the same words and
 * show them in the same rows; those words and rows are here, once.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sb-pdf-view.h"
#include "sb-print.h"
#include "sb-submission-ui.h"

/* --- The catalogue ------------------------------------------------------- */

JsonObject *
sb_json_member_object (JsonObject *object,
                       const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
sb_json_member_array (JsonObject *object,
                      const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
sb_catalogue_find_service (JsonNode   *catalogue,
                           const char *service_id)
{
  JsonArray *services = catalogue != NULL && JSON_NODE_HOLDS_OBJECT (catalogue)
                          ? sb_json_member_array (json_node_get_object (catalogue), "services") : NULL;

  for (guint i = 0; services != NULL && i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (service, "id", ""), service_id) == 0)
        return service;
    }
  return NULL;
}

/* A catalogue text ({"de": …, "en": …}) in @language, else in German. */
char *
sb_catalogue_text (JsonObject *texts,
                   const char *language)
{
  if (texts == NULL)
    return g_strdup ("");
  if (json_object_has_member (texts, language))
    return g_strdup (json_object_get_string_member (texts, language));
  if (json_object_has_member (texts, "de"))
    return g_strdup (json_object_get_string_member (texts, "de"));
  return g_strdup ("");
}

/* The catalogue speaks German and English: German for a German-speaking clerk. */
const char *
sb_catalogue_language (void)
{
  const char * const *languages = g_get_language_names ();

  return languages[0] != NULL && g_str_has_prefix (languages[0], "de") ? "de" : "en";
}

/* --- Words ---------------------------------------------------------------- */

char *
sb_ui_format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (unix_seconds);

  return at != NULL ? g_date_time_format (at, "%d.%m.%Y %H:%M") : g_strdup ("");
}

char *
sb_ui_citizen_name (SbCitizen *citizen)
{
  return g_strstrip (g_strdup_printf ("%s %s", sb_citizen_get_given_names (citizen) != NULL
                                                  ? sb_citizen_get_given_names (citizen) : "",
                                      sb_citizen_get_family_name (citizen) != NULL
                                        ? sb_citizen_get_family_name (citizen) : ""));
}

/* The platform's status of an application, as the clerk reads it. */
const char *
sb_ui_status_words (const char *platform_status)
{
  if (platform_status == NULL)
    return NULL;
  if (g_str_equal (platform_status, "received"))
    return _("Received by the authority");
  if (g_str_equal (platform_status, "in-progress"))
    return _("Being processed");
  if (g_str_equal (platform_status, "question"))
    return _("The caseworker has a question");
  if (g_str_equal (platform_status, "decided"))
    return _("Decided: the decision is here");
  if (g_str_equal (platform_status, "withdrawn"))
    return _("Withdrawn");
  return platform_status;
}

char *
sb_ui_state_words (SbSubmission *submission,
                   const char   *platform_status)
{
  switch (sb_submission_get_state (submission))
    {
    case SB_SUBMISSION_STATE_DRAFT:
      return g_strdup (_("Draft, not submitted"));
    case SB_SUBMISSION_STATE_QUEUED:
      return g_strdup (_("Submitted, waiting to be sent (see Outbox)"));
    case SB_SUBMISSION_STATE_REJECTED:
      return g_strdup (_("Held back: the platform refused it (see Outbox)"));
    case SB_SUBMISSION_STATE_DELIVERED:
    default:
      return g_strdup (platform_status != NULL ? sb_ui_status_words (platform_status) : _("Sent to the platform"));
    }
}

const char *
sb_ui_decision_title (SbDecision *decision)
{
  return sb_decision_get_title (decision) != NULL ? sb_decision_get_title (decision) : _("Decision");
}

/* --- Rows and lists ------------------------------------------------------- */

/* The document of @documents (SbDocument) with @id, or NULL. */
SbDocument *
sb_ui_find_document (GPtrArray  *documents,
                     const char *id)
{
  for (guint i = 0; documents != NULL && i < documents->len; i++)
    if (g_str_equal (sb_document_get_id (g_ptr_array_index (documents, i)), id))
      return g_ptr_array_index (documents, i);
  return NULL;
}

void
sb_ui_clear_list (GtkListBox *list)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));

  /* The rows only: the text a list shows while it is empty (set with
   * gtk_list_box_set_placeholder) is one of its children too, and stays. */
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (GTK_IS_LIST_BOX_ROW (child))
        gtk_list_box_remove (list, child);
      child = next;
    }
}

/* A dim, wrapped line: what an empty list says, or why a picture cannot be shown. */
GtkWidget *
sb_ui_dim_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* Rows show what citizens and caseworkers typed: as text, never as markup. */
void
sb_ui_set_row_title (AdwPreferencesRow *row,
                     const char        *title)
{
  g_autofree char *escaped = g_markup_escape_text (title != NULL ? title : "", -1);

  adw_preferences_row_set_title (row, escaped);
}

void
sb_ui_set_row_subtitle (AdwActionRow *row,
                        const char   *subtitle)
{
  g_autofree char *escaped = g_markup_escape_text (subtitle != NULL ? subtitle : "", -1);

  adw_action_row_set_subtitle (row, escaped);
}

/* A button at a row's end that names what it acts on for the screen reader. */
GtkWidget *
sb_ui_row_button (const char *label,
                  const char *accessible_label,
                  const char *action,
                  const char *target)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  gtk_widget_set_tooltip_text (button, accessible_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  return button;
}

GtkWidget *
sb_ui_remove_button (const char *accessible_label,
                     const char *action,
                     const char *target)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, accessible_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  return button;
}

/* --- Toasts, and work for the store ------------------------------------- */

#define SAID_TOAST "sb-ui-said-toast"

static void
on_said_toast_dismissed (AdwToast        *toast,
                         AdwToastOverlay *overlay)
{
  if (g_object_get_data (G_OBJECT (overlay), SAID_TOAST) == toast)
    g_object_set_data (G_OBJECT (overlay), SAID_TOAST, NULL);
}

/**
 * sb_ui_toast:
 *
 * Says @message in a toast for 6 s. What is said this way replaces what
 * was said this way before and is still showing or waiting: an overlay
 * queues its toasts, and a clerk who presses Ctrl+Return ten times on a
 * form with faults would otherwise read the same words for a minute.
 * Toasts added to @overlay by other means are left as they are.
 *
 * Returns: (transfer none): the toast
 */
AdwToast *
sb_ui_toast (AdwToastOverlay *overlay,
             const char      *message)
{
  AdwToast *said = g_object_get_data (G_OBJECT (overlay), SAID_TOAST);
  AdwToast *toast = adw_toast_new (message);

  if (said != NULL)
    adw_toast_dismiss (said);  /* its ::dismissed forgets it */
  adw_toast_set_timeout (toast, 6);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_said_toast_dismissed), overlay, 0);
  g_object_set_data (G_OBJECT (overlay), SAID_TOAST, toast);
  adw_toast_overlay_add_toast (overlay, toast);
  return toast;
}

/* A worker's answer: TRUE when it did its work; its failure is said in a
 * toast, a cancellation (the citizen or the application went) silently. */
gboolean
sb_ui_task_succeeded (GAsyncResult    *result,
                      AdwToastOverlay *overlay)
{
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    return TRUE;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sb_ui_toast (overlay, error->message);
  return FALSE;
}

typedef struct
{
  SbStore          *store;
  SbStoreWriteFunc  func;
  GObject          *object;
} StoreTask;

static void
store_task_free (StoreTask *job)
{
  g_clear_object (&job->store);
  g_clear_object (&job->object);
  g_free (job);
}

static void
store_task_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  StoreTask *job = task_data;
  GError *error = NULL;

  if (job->func (job->store, job->object, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * sb_ui_store_task:
 * @source: the widget the answer is for (the result's source object)
 * @func: a write of the store that takes (store, @object, error)
 *
 * Runs @func in a worker thread; @callback gets a GTask of @source, whose
 * @object sb_ui_store_task_get_object() gives back.
 */
void
sb_ui_store_task (gpointer             source,
                  GCancellable        *cancellable,
                  SbStore             *store,
                  SbStoreWriteFunc     func,
                  gpointer             object,
                  GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, NULL);
  StoreTask *job = g_new0 (StoreTask, 1);

  job->store = g_object_ref (store);
  job->func = func;
  job->object = g_object_ref (object);
  g_task_set_task_data (task, job, (GDestroyNotify)store_task_free);
  g_task_run_in_thread (task, store_task_in_thread);
}

gpointer
sb_ui_store_task_get_object (GAsyncResult *result)
{
  return ((StoreTask *)g_task_get_task_data (G_TASK (result)))->object;
}

/* --- A look at a document ------------------------------------------------- */

/* A PDF in SbPdfView, a photo as it is; Escape closes the window. */
void
sb_ui_show_document (GtkWidget  *parent,
                     const char *title,
                     const char *media_type,
                     GBytes     *content)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  AdwWindow *window = ADW_WINDOW (adw_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 860);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_box_append (GTK_BOX (box), header);
  if (media_type == NULL || g_str_equal (media_type, "application/pdf"))
    {
      GtkWidget *view = sb_pdf_view_new ();

      gtk_widget_set_vexpand (view, TRUE);
      sb_pdf_view_load_bytes (SB_PDF_VIEW (view), content);
      gtk_box_append (GTK_BOX (box), view);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (content, &error);
      GtkWidget *picture = texture != NULL ? gtk_picture_new_for_paintable (GDK_PAINTABLE (texture))
                                           : sb_ui_dim_label (error->message);

      gtk_widget_set_vexpand (picture, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      gtk_box_append (GTK_BOX (box), picture);
    }
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Escape"),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (window), keys);
  adw_window_set_content (window, box);
  gtk_window_present (GTK_WINDOW (window));
}

typedef struct
{
  SbStore         *store;
  GObject         *item;     /* SbDocument or SbDecision */
  gboolean         print;
  AdwToastOverlay *overlay;
} Opening;

static void
opening_free (Opening *opening)
{
  g_clear_object (&opening->store);
  g_clear_object (&opening->item);
  g_clear_object (&opening->overlay);
  g_free (opening);
}

static void
open_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Opening *opening = task_data;
  GError *error = NULL;
  GBytes *content = SB_IS_DOCUMENT (opening->item)
                      ? sb_store_open_document_pdf (opening->store, SB_DOCUMENT (opening->item), &error)
                      : sb_store_open_decision (opening->store, SB_DECISION (opening->item), &error);

  if (content == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, content, (GDestroyNotify)g_bytes_unref);
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GtkWidget *parent = GTK_WIDGET (source);
  Opening *opening = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_task_propagate_pointer (G_TASK (result), &error);
  GtkRoot *root = gtk_widget_get_root (parent);
  const char *title = SB_IS_DOCUMENT (opening->item) ? sb_document_get_title (SB_DOCUMENT (opening->item))
                                                     : sb_ui_decision_title (SB_DECISION (opening->item));

  if (content == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sb_ui_toast (opening->overlay, error->message);
    }
  else if (opening->print)
    sb_print_pdf (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, content, title);
  else
    sb_ui_show_document (parent, title, SB_IS_DOCUMENT (opening->item)
                                          ? sb_document_get_media_type (SB_DOCUMENT (opening->item)) : NULL,
                         content);
}

/**
 * sb_ui_open_async:
 * @document_or_decision: an #SbDocument or #SbDecision
 * @print: print it instead of showing it
 * @overlay: where a failure is said
 *
 * Reads the (sealed) file in a worker thread, then shows it in a window of
 * its own over @parent's, or prints it. Reading is recorded in the audit log.
 */
void
sb_ui_open_async (GtkWidget       *parent,
                  SbStore         *store,
                  GObject         *document_or_decision,
                  gboolean         print,
                  GCancellable    *cancellable,
                  AdwToastOverlay *overlay)
{
  g_autoptr(GTask) task = g_task_new (parent, cancellable, on_opened, NULL);
  Opening *opening = g_new0 (Opening, 1);

  opening->store = g_object_ref (store);
  opening->item = g_object_ref (document_or_decision);
  opening->print = print;
  opening->overlay = g_object_ref (overlay);
  g_task_set_task_data (task, opening, (GDestroyNotify)opening_free);
  g_task_run_in_thread (task, open_in_thread);
}

/* --- Scanning pages for a document ---------------------------------------- */

typedef struct
{
  SbScanJob        *job;
  GPtrArray        *pages;     /* PIX */
  double            dpi;
  GObject          *progress_target;
  SbUiScanProgress  progress;
} PageScan;

static void
pix_unref (gpointer pix)
{
  pixDestroy ((PIX **)&pix);
}

static void
page_scan_free (PageScan *scan)
{
  if (scan->job != NULL)
    g_signal_handlers_disconnect_by_data (scan->job, scan);
  g_clear_object (&scan->job);
  g_clear_pointer (&scan->pages, g_ptr_array_unref);
  g_clear_object (&scan->progress_target);
  g_free (scan);
}

static void
on_page_scanned (SbScanJob  *job,
                 guint       index,
                 SbRawImage *image,
                 PageScan   *scan)
{
  g_ptr_array_add (scan->pages, sb_raw_image_to_pix (image));
  scan->dpi = image->dpi;
  if (scan->progress != NULL)
    scan->progress (scan->progress_target, scan->pages->len);
}

static void
on_scan_run (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PageScan *scan = g_task_get_task_data (task);
  GError *error = NULL;

  sb_scan_job_run_finish (SB_SCAN_JOB (source), result, &error);
  /* What was scanned before a fault is kept; the fault is said too. */
  if (error != NULL && (scan->pages->len == 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    g_task_return_error (task, error);
  else
    {
      if (error != NULL)
        g_object_set_data_full (G_OBJECT (task), "fault", error, (GDestroyNotify)g_error_free);
      g_task_return_pointer (task, g_ptr_array_ref (scan->pages), (GDestroyNotify)g_ptr_array_unref);
    }
}

/**
 * sb_ui_scan_pages_async:
 * @progress: (nullable): told on the main thread as each page comes, with
 *   @progress_target (kept alive for the scan)
 *
 * Scans with @settings and collects the pages as Leptonica images.
 */
void
sb_ui_scan_pages_async (const SbScanSettings *settings,
                        GCancellable         *cancellable,
                        GObject              *progress_target,
                        SbUiScanProgress      progress,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  PageScan *scan = g_new0 (PageScan, 1);

  g_task_set_source_tag (task, sb_ui_scan_pages_async);
  scan->job = sb_scan_job_new (settings);
  scan->pages = g_ptr_array_new_with_free_func (pix_unref);
  scan->progress_target = progress_target != NULL ? g_object_ref (progress_target) : NULL;
  scan->progress = progress;
  g_task_set_task_data (task, scan, (GDestroyNotify)page_scan_free);
  g_signal_connect (scan->job, "page-scanned", G_CALLBACK (on_page_scanned), scan);
  sb_scan_job_run_async (scan->job, cancellable, on_scan_run, task);
}

/**
 * sb_ui_scan_pages_finish:
 * @dpi: (out): the pages' resolution
 * @error: the scan's fault; set when no page came, and also when pages
 *   came before a fault (a jam after the third sheet): then those pages
 *   are returned with it
 *
 * Returns: (transfer container) (element-type PIX) (nullable): the pages
 */
GPtrArray *
sb_ui_scan_pages_finish (GAsyncResult  *result,
                         double        *dpi,
                         GError       **error)
{
  PageScan *scan = g_task_get_task_data (G_TASK (result));
  GPtrArray *pages = g_task_propagate_pointer (G_TASK (result), error);
  const GError *fault = g_object_get_data (G_OBJECT (result), "fault");

  *dpi = scan->dpi;
  if (pages != NULL && fault != NULL)
    g_propagate_error (error, g_error_copy (fault));
  return pages;
}
