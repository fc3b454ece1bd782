/* sb-document-checklist.c — the documents an application needs, scanned or added as files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A group of rows, one per document type of the service (and the power of
 * attorney when an authorised person applies), each saying whether it is
 * missing, with Scan (glass), Scan Batch (feeder) and Add File…; below each
 * type, the documents added, to look at or remove. Each document becomes a
 * file of a media type its type accepts (sb-document-pdf) and is stored
 * with the draft at once, in a worker thread.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sb-document-checklist.h"
#include "sb-document-pdf.h"
#include "sb-submission-ui.h"

struct _SbDocumentChecklist
{
  AdwPreferencesGroup  parent_instance;

  SbStore             *store;
  AdwToastOverlay     *toast_overlay;
  GSettings           *settings;
  GCancellable        *cancellable;      /* this application's work */
  GCancellable        *scan_cancellable; /* while a document is scanned */
  char                *scan_type;
  gboolean             scan_from_feeder;

  SbSubmission        *submission;
  JsonObject          *service;
  char                *language;
  SbRepresentation     representation;
  GPtrArray           *documents;        /* SbDocument */
  JsonArray           *document_types;   /* the service's, and the power of attorney */
  GPtrArray           *document_rows;    /* rows in the group, rebuilt */
};

G_DEFINE_FINAL_TYPE (SbDocumentChecklist, sb_document_checklist, ADW_TYPE_PREFERENCES_GROUP)

enum
{
  ATTACHING,
  STATUS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_status (SbDocumentChecklist *self,
            const char          *text)
{
  g_signal_emit (self, signals[STATUS], 0, text);
}

static JsonObject *
document_type (JsonArray  *types,
               const char *type)
{
  for (guint i = 0; types != NULL && i < json_array_get_length (types); i++)
    {
      JsonObject *candidate = json_array_get_object_element (types, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (candidate, "type", ""), type) == 0)
        return candidate;
    }
  return NULL;
}

static GStrv
accepted_media_types (JsonObject *type)
{
  JsonArray *media = sb_json_member_array (type, "mediaTypes");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; media != NULL && i < json_array_get_length (media); i++)
    g_strv_builder_add (builder, json_array_get_string_element (media, i));
  if (media == NULL)
    g_strv_builder_add (builder, "application/pdf");
  return g_strv_builder_end (builder);
}

static guint
documents_of_type (SbDocumentChecklist *self,
                   const char          *type)
{
  guint n = 0;

  for (guint i = 0; self->documents != NULL && i < self->documents->len; i++)
    n += g_strcmp0 (sb_document_get_kind (g_ptr_array_index (self->documents, i)), type) == 0;
  return n;
}

static void
add_document_row (SbDocumentChecklist *self,
                  GtkWidget           *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->document_rows, row);
}

/* The documents the service asks for and, when an authorised person acts
 * for the citizen, their power of attorney (sent as the representation's
 * "authorization"). One added stays listed, to be removed, if the choice
 * changes back. */
static void
update_document_types (SbDocumentChecklist *self)
{
  JsonArray *service_types = sb_json_member_array (self->service, "documents");
  gboolean authorised = self->representation == SB_REPRESENTATION_AUTHORISED_PERSON;
  JsonArray *types = json_array_new ();

  for (guint i = 0; service_types != NULL && i < json_array_get_length (service_types); i++)
    json_array_add_element (types, json_node_copy (json_array_get_element (service_types, i)));
  if (authorised || documents_of_type (self, SB_DOCUMENT_KIND_AUTHORIZATION) > 0)
    {
      JsonObject *power = json_object_new ();
      JsonObject *title = json_object_new ();
      JsonArray *media = json_array_new ();

      json_object_set_string_member (title, "de", "Vollmacht");
      json_object_set_string_member (title, "en", "Power of attorney");
      json_array_add_string_element (media, "application/pdf");
      json_object_set_string_member (power, "type", SB_DOCUMENT_KIND_AUTHORIZATION);
      json_object_set_object_member (power, "title", title);
      json_object_set_int_member (power, "min", authorised ? 1 : 0);
      json_object_set_int_member (power, "max", 1);
      json_object_set_array_member (power, "mediaTypes", media);
      json_array_add_object_element (types, power);
    }
  g_clear_pointer (&self->document_types, json_array_unref);
  self->document_types = types;
}

static void
rebuild (SbDocumentChecklist *self)
{
  JsonArray *types;

  update_document_types (self);
  types = self->document_types;

  for (guint i = 0; i < self->document_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->document_rows, i));
  g_ptr_array_set_size (self->document_rows, 0);

  for (guint t = 0; types != NULL && t < json_array_get_length (types); t++)
    {
      JsonObject *type = json_array_get_object_element (types, t);
      const char *kind = json_object_get_string_member_with_default (type, "type", "");
      g_autofree char *title = sb_catalogue_text (sb_json_member_object (type, "title"), self->language);
      gint64 min = json_object_get_int_member_with_default (type, "min", 0);
      gint64 max = json_object_get_int_member_with_default (type, "max", 1);
      guint have = documents_of_type (self, kind);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *status = NULL;
      g_autofree char *scan_label = g_strdup_printf (_("Scan %s from the glass"), title);
      g_autofree char *batch_label = g_strdup_printf (_("Scan %s from the feeder"), title);
      g_autofree char *file_label = g_strdup_printf (_("Add a file as %s"), title);

      if (have == 0 && min > 0)
        status = g_strdup (_("Missing — required"));
      else if (have == 0)
        status = g_strdup (_("Optional"));
      else
        /* Translators: documents added of this kind, of how many allowed */
        status = g_strdup_printf (_("%u of at most %d added"), have, (int)max);
      sb_ui_set_row_title (ADW_PREFERENCES_ROW (row), title);
      sb_ui_set_row_subtitle (row, status);
      if (have == 0 && min > 0)
        gtk_widget_add_css_class (GTK_WIDGET (row), "missing-document");
      if (have < max)
        {
          adw_action_row_add_suffix (row, sb_ui_row_button (_("_Scan"), scan_label, "checklist.scan-document", kind));
          adw_action_row_add_suffix (row, sb_ui_row_button (_("Scan _Batch"), batch_label, "checklist.scan-batch", kind));
          adw_action_row_add_suffix (row, sb_ui_row_button (_("Add _File…"), file_label, "checklist.add-file", kind));
        }
      add_document_row (self, GTK_WIDGET (row));

      for (guint i = 0; self->documents != NULL && i < self->documents->len; i++)
        {
          SbDocument *document = g_ptr_array_index (self->documents, i);
          AdwActionRow *item;
          g_autofree char *open_label = NULL;
          g_autofree char *remove_label = NULL;

          if (g_strcmp0 (sb_document_get_kind (document), kind) != 0)
            continue;
          item = ADW_ACTION_ROW (adw_action_row_new ());
          open_label = g_strdup_printf (_("Look at %s"), sb_document_get_title (document));
          remove_label = g_strdup_printf (_("Remove %s"), sb_document_get_title (document));
          sb_ui_set_row_title (ADW_PREFERENCES_ROW (item), sb_document_get_title (document));
          sb_ui_set_row_subtitle (item, g_str_equal (sb_document_get_media_type (document), "application/pdf")
                                          ? _("PDF — Enter to look at it") : _("Photo — Enter to look at it"));
          gtk_widget_set_margin_start (GTK_WIDGET (item), 24);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (item), "checklist.open-document");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (item), "s", sb_document_get_id (document));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (item), TRUE);
          gtk_accessible_update_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, open_label, -1);
          adw_action_row_add_suffix (item, sb_ui_row_button (_("_Look"), open_label, "checklist.open-document",
                                                             sb_document_get_id (document)));
          adw_action_row_add_suffix (item, sb_ui_remove_button (remove_label, "checklist.remove-document",
                                                                sb_document_get_id (document)));
          add_document_row (self, GTK_WIDGET (item));
        }
    }
  if (types == NULL || json_array_get_length (types) == 0)
    {
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("This service needs no documents."));
      add_document_row (self, GTK_WIDGET (row));
    }
}

/**
 * sb_document_checklist_describe_missing:
 *
 * Returns: (nullable): the required documents not added yet, one "• title"
 *   per line; %NULL when nothing is missing
 */
char *
sb_document_checklist_describe_missing (SbDocumentChecklist *self)
{
  JsonArray *types = self->document_types;
  g_autoptr(GString) missing = g_string_new (NULL);

  for (guint t = 0; types != NULL && t < json_array_get_length (types); t++)
    {
      JsonObject *type = json_array_get_object_element (types, t);
      gint64 min = json_object_get_int_member_with_default (type, "min", 0);

      if ((gint64)documents_of_type (self, json_object_get_string_member (type, "type")) < min)
        {
          g_autofree char *title = sb_catalogue_text (sb_json_member_object (type, "title"), self->language);

          g_string_append_printf (missing, "%s• %s", missing->len > 0 ? "\n" : "", title);
        }
    }
  return missing->len > 0 ? g_string_free (g_steal_pointer (&missing), FALSE) : NULL;
}

typedef struct
{
  SbSubmission *submission;
  SbDocument   *document;
  GBytes       *file;         /* a file's bytes, or NULL for scans */
  GPtrArray    *pages;        /* PIX from the scanner */
  double        dpi;
  gboolean      from_feeder;  /* empty backs are left out */
  GStrv         accepted;
  gint64        max_bytes;
} Attach;

static void
attach_free (Attach *attach)
{
  g_clear_object (&attach->submission);
  g_clear_object (&attach->document);
  g_clear_pointer (&attach->file, g_bytes_unref);
  g_clear_pointer (&attach->pages, g_ptr_array_unref);
  g_strfreev (attach->accepted);
  g_free (attach);
}

static void
attach_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SbDocumentChecklist *self = source_object;
  Attach *attach = task_data;
  g_autofree char *media_type = NULL;
  g_autoptr(GBytes) content = NULL;
  GError *error = NULL;

  content = attach->file != NULL
              ? sb_document_from_file (attach->file, (const char * const *)attach->accepted, &media_type, &error)
              : sb_document_from_scans (attach->pages, attach->dpi, SB_PDF_MODE_GRAY, attach->from_feeder,
                                        (const char * const *)attach->accepted, &media_type, NULL, &error);
  if (content == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (attach->max_bytes > 0 && (gint64)g_bytes_get_size (content) > attach->max_bytes)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("This document is %.1f MB; the platform takes at most %.1f MB of it. Scan it in gray "
                                 "or choose a smaller file."),
                               g_bytes_get_size (content) / 1e6, attach->max_bytes / 1e6);
      return;
    }
  sb_document_set_media_type (attach->document, media_type);
  /* The draft first (it may not be stored yet), then the document with its file. */
  if (!sb_store_save_submission (self->store, attach->submission, &error) ||
      !sb_store_attach_pdf (self->store, attach->document, content, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_attached (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SbDocumentChecklist *self = SB_DOCUMENT_CHECKLIST (source);
  Attach *attach = g_task_get_task_data (G_TASK (result));

  if (!sb_ui_task_succeeded (result, self->toast_overlay))
    return;
  if (self->submission == NULL || g_strcmp0 (sb_submission_get_id (self->submission),
                                             sb_submission_get_id (attach->submission)) != 0)
    return;
  g_ptr_array_add (self->documents, g_object_ref (attach->document));
  rebuild (self);
  {
    /* Translators: %s is the document's title */
    g_autofree char *message = g_strdup_printf (_("%s added."), sb_document_get_title (attach->document));

    sb_ui_toast (self->toast_overlay, message);
  }
}

static void
attach_document (SbDocumentChecklist *self,
                 const char          *type,
                 GBytes              *file,
                 GPtrArray           *pages,
                 double               dpi,
                 gboolean             from_feeder)
{
  JsonObject *wanted = document_type (self->document_types, type);
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_attached, NULL);
  Attach *attach = g_new0 (Attach, 1);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *title = sb_catalogue_text (sb_json_member_object (wanted, "title"), self->language);
  guint have = documents_of_type (self, type);
  g_autofree char *numbered = have > 0 ? g_strdup_printf ("%s (%u)", title, have + 1) : g_strdup (title);

  g_signal_emit (self, signals[ATTACHING], 0);  /* the draft as the clerk typed it, stored with the document */
  attach->submission = g_object_ref (self->submission);
  attach->document = sb_document_new ();
  sb_document_set_id (attach->document, id);
  sb_document_set_submission_id (attach->document, sb_submission_get_id (self->submission));
  sb_document_set_kind (attach->document, type);
  sb_document_set_title (attach->document, numbered);
  sb_document_set_created_at (attach->document, g_get_real_time () / G_USEC_PER_SEC);
  attach->file = file != NULL ? g_bytes_ref (file) : NULL;
  attach->pages = pages != NULL ? g_ptr_array_ref (pages) : NULL;
  attach->dpi = dpi;
  attach->from_feeder = from_feeder;
  attach->accepted = accepted_media_types (wanted);
  attach->max_bytes = json_object_get_int_member_with_default (wanted, "maxBytes", 0);
  g_task_set_task_data (task, attach, (GDestroyNotify)attach_free);
  g_task_run_in_thread (task, attach_in_thread);
}

static gboolean
room_for_document (SbDocumentChecklist *self,
                   const char          *type)
{
  JsonObject *wanted = document_type (self->document_types, type);

  if (wanted == NULL || self->submission == NULL)
    return FALSE;
  if ((gint64)documents_of_type (self, type) >= json_object_get_int_member_with_default (wanted, "max", 1))
    {
      sb_ui_toast (self->toast_overlay,
                   _("There are as many documents of this kind as the service takes. Remove one to add another."));
      return FALSE;
    }
  return TRUE;
}

static void
on_file_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autofree char *type = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  SbDocumentChecklist *self = g_object_get_data (source, "checklist");

  if (self == NULL || self->submission == NULL)
    return;
  if (bytes == NULL)
    {
      sb_ui_toast (self->toast_overlay, error->message);
      return;
    }
  attach_document (self, type, bytes, NULL, 0, FALSE);
}

static void
on_file_chosen (GtkNativeDialog *dialog,
                int              response,
                gpointer         user_data)
{
  SbDocumentChecklist *self = SB_DOCUMENT_CHECKLIST (user_data);
  char *type = g_object_steal_data (G_OBJECT (dialog), "document-type");

  if (response == GTK_RESPONSE_ACCEPT && self->submission != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_object_set_data_full (G_OBJECT (file), "checklist", g_object_ref (self), g_object_unref);
      g_file_load_bytes_async (file, self->cancellable, on_file_loaded, type);
    }
  else
    g_free (type);
  g_object_unref (dialog);
}

static void
add_file (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  SbDocumentChecklist *self = SB_DOCUMENT_CHECKLIST (widget);
  const char *type = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (!room_for_document (self, type))
    return;
  dialog = gtk_file_chooser_native_new (_("Add a Document"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PDF files and images"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/tiff");
  gtk_file_filter_add_mime_type (filter, "image/heic");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "document-type", g_strdup (type), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_scan_progress (GObject *target,
                  guint    n_pages)
{
  SbDocumentChecklist *self = SB_DOCUMENT_CHECKLIST (target);
  /* Translators: %u counts pages */
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Scanning: %u page…", "Scanning: %u pages…",
                                                        n_pages), n_pages);

  if (self->scan_cancellable != NULL)
    set_status (self, text);
}

static void
on_scan_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SbDocumentChecklist) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = g_steal_pointer (&self->scan_type);
  double dpi = 0;
  g_autoptr(GPtrArray) pages = sb_ui_scan_pages_finish (result, &dpi, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the application or the citizen went */
  g_clear_object (&self->scan_cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checklist.scan-document", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checklist.scan-batch", TRUE);
  set_status (self, "");
  if (self->submission == NULL)
    return;
  if (pages == NULL || pages->len == 0)
    {
      sb_ui_toast (self->toast_overlay,
                   error != NULL ? error->message
                                 : _("The scanner delivered no page. Put the document on the glass and scan again."));
      return;
    }
  if (error != NULL)
    sb_ui_toast (self->toast_overlay, error->message); /* what was scanned before the fault is kept */
  attach_document (self, type, NULL, pages, dpi, self->scan_from_feeder);
}

static void
scan_into (SbDocumentChecklist *self,
           const char          *type,
           SbScanSource         source)
{
  g_autofree char *device = g_settings_get_string (self->settings, "scanner");
  JsonObject *wanted = document_type (self->document_types, type);
  g_auto(GStrv) accepted = accepted_media_types (wanted);
  gboolean paper = g_strv_contains ((const char * const *)accepted, "application/pdf");
  SbScanSettings settings = { 0 };

  if (self->scan_cancellable != NULL || !room_for_document (self, type))
    return;
  if (device[0] == '\0')
    {
      sb_ui_toast (self->toast_overlay,
                   _("No scanner is chosen yet. Choose one in the Scan area, or add the document as a file."));
      return;
    }
  settings.device = device;
  settings.source = source;
  /* A photo in colour, found on the glass; papers in gray, as a caseworker reads them. */
  settings.mode = paper ? SB_SCAN_MODE_GRAY : SB_SCAN_MODE_COLOR;
  settings.resolution = 300;
  settings.page_size = paper ? SB_PAGE_SIZE_A4 : SB_PAGE_SIZE_AUTO;
  /* Its own cancellable: going to another application or citizen stops the scan. */
  self->scan_cancellable = g_cancellable_new ();
  self->scan_type = g_strdup (type);
  self->scan_from_feeder = source == SB_SCAN_SOURCE_FEEDER;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checklist.scan-document", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checklist.scan-batch", FALSE);
  set_status (self, _("Scanning…"));
  sb_ui_scan_pages_async (&settings, self->scan_cancellable, G_OBJECT (self), on_scan_progress, on_scan_done,
                          g_object_ref (self));
}

static void
scan_document (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SbDocumentChecklist *self = SB_DOCUMENT_CHECKLIST (widget);

  scan_into (self, g_variant_get_string (parameter, NULL),
             g_str_equal (action_name, "checklist.scan-batch") ? SB_SCAN_SOURCE_FEEDER : SB_SCAN_SOURCE_FLATBED);
}

static void
on_document_removed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SbDocumentChecklist *self = SB_DOCUMENT_CHECKLIST (source);
  SbDocument *document = sb_ui_store_task_get_object (result);

  if (!sb_ui_task_succeeded (result, self->toast_overlay))
    return;
  if (self->documents != NULL && g_ptr_array_remove (self->documents, document))
    rebuild (self);
}

static void
remove_document (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SbDocumentChecklist *self = SB_DOCUMENT_CHECKLIST (widget);
  SbDocument *document = sb_ui_find_document (self->documents, g_variant_get_string (parameter, NULL));

  if (document != NULL)
    sb_ui_store_task (self, self->cancellable, self->store, (SbStoreWriteFunc)sb_store_remove_document, document,
                      on_document_removed);
}

static void
open_document (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SbDocumentChecklist *self = SB_DOCUMENT_CHECKLIST (widget);
  SbDocument *document = sb_ui_find_document (self->documents, g_variant_get_string (parameter, NULL));

  if (document != NULL)
    sb_ui_open_async (widget, self->store, G_OBJECT (document), FALSE, self->cancellable, self->toast_overlay);
}

/* --- The checklist's life -------------------------------------------------- */

/**
 * sb_document_checklist_show:
 * @submission: the draft; the documents are stored with it
 * @service: its service in the catalogue (the document types)
 * @documents: (element-type SbDocument): its documents so far (kept)
 * @language: "de" or "en", for the catalogue's titles
 */
void
sb_document_checklist_show (SbDocumentChecklist *self,
                            SbSubmission        *submission,
                            JsonObject          *service,
                            GPtrArray           *documents,
                            const char          *language)
{
  g_return_if_fail (SB_IS_DOCUMENT_CHECKLIST (self));

  sb_document_checklist_clear (self);
  self->submission = g_object_ref (submission);
  self->service = json_object_ref (service);
  self->documents = g_ptr_array_ref (documents);
  g_free (self->language);
  self->language = g_strdup (language);
  self->representation = sb_submission_get_representation (submission);
  rebuild (self);
}

/**
 * sb_document_checklist_clear:
 *
 * Forgets the application; a scan in progress is stopped, a document being
 * stored is still stored (it is the draft's) but no longer shown.
 */
void
sb_document_checklist_clear (SbDocumentChecklist *self)
{
  g_return_if_fail (SB_IS_DOCUMENT_CHECKLIST (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->scan_cancellable != NULL)
    g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->scan_cancellable);
  g_clear_pointer (&self->scan_type, g_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checklist.scan-document", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checklist.scan-batch", TRUE);
  g_clear_object (&self->submission);
  g_clear_pointer (&self->service, json_object_unref);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  for (guint i = 0; i < self->document_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->document_rows, i));
  g_ptr_array_set_size (self->document_rows, 0);
}

/* Who applies: an authorised person needs their power of attorney. */
void
sb_document_checklist_set_representation (SbDocumentChecklist *self,
                                          SbRepresentation     representation)
{
  g_return_if_fail (SB_IS_DOCUMENT_CHECKLIST (self));

  if (self->representation == representation)
    return;
  self->representation = representation;
  if (self->service != NULL)
    rebuild (self);
}

/**
 * sb_document_checklist_get_documents:
 *
 * Returns: (transfer none) (element-type SbDocument) (nullable): the
 *   documents added, in the order they were
 */
GPtrArray *
sb_document_checklist_get_documents (SbDocumentChecklist *self)
{
  g_return_val_if_fail (SB_IS_DOCUMENT_CHECKLIST (self), NULL);

  return self->documents;
}

void
sb_document_checklist_set_context (SbDocumentChecklist *self,
                                   SbStore             *store,
                                   AdwToastOverlay     *toast_overlay)
{
  g_return_if_fail (SB_IS_DOCUMENT_CHECKLIST (self));

  g_set_object (&self->store, store);
  g_set_object (&self->toast_overlay, toast_overlay);
}

static void
sb_document_checklist_dispose (GObject *object)
{
  SbDocumentChecklist *self = SB_DOCUMENT_CHECKLIST (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->scan_cancellable != NULL)
    g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->scan_cancellable);
  g_clear_pointer (&self->scan_type, g_free);
  g_clear_object (&self->submission);
  g_clear_pointer (&self->service, json_object_unref);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  g_clear_pointer (&self->document_types, json_array_unref);
  g_clear_pointer (&self->document_rows, g_ptr_array_unref);
  g_clear_pointer (&self->language, g_free);
  g_clear_object (&self->store);
  g_clear_object (&self->toast_overlay);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sb_document_checklist_parent_class)->dispose (object);
}

static void
sb_document_checklist_class_init (SbDocumentChecklistClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_document_checklist_dispose;

  /**
   * SbDocumentChecklist::attaching:
   *
   * A document is about to be stored with the draft: bring the draft up to
   * date (it is stored first, with the document).
   */
  signals[ATTACHING] = g_signal_new ("attaching", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 0);
  /**
   * SbDocumentChecklist::status:
   * @text: what a scan is doing ("Scanning: 2 pages…"), "" when it is done
   */
  signals[STATUS] = g_signal_new ("status", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "checklist.scan-document", "s", scan_document);
  gtk_widget_class_install_action (widget_class, "checklist.scan-batch", "s", scan_document);
  gtk_widget_class_install_action (widget_class, "checklist.add-file", "s", add_file);
  gtk_widget_class_install_action (widget_class, "checklist.remove-document", "s", remove_document);
  gtk_widget_class_install_action (widget_class, "checklist.open-document", "s", open_document);
}

static void
sb_document_checklist_init (SbDocumentChecklist *self)
{
  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  self->document_rows = g_ptr_array_new ();
  self->representation = SB_REPRESENTATION_NONE;
}
