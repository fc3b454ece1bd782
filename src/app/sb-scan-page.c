/* sb-scan-page.c — scanning and importing at the counter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Left, what to scan with and how (a document type sets the rest); right,
 * the pages as they arrive, to be turned, moved, deleted and combined from
 * the keyboard or with the mouse. Every page is kept in the store the
 * moment it is scanned; the scanner runs in a helper process, so a faulty
 * one costs a message, never the pages or the app.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sb-page-tile.h"
#include "sb-scan-job.h"
#include "sb-scan-page.h"

typedef enum
{
  PRESET_TEXT,
  PRESET_CARD,
  PRESET_PHOTO,
} Preset;

static const guint resolutions[] = { 150, 200, 300, 600 };

struct _SbScanPage
{
  GtkWidget        parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwComboRow     *device_row;
  AdwComboRow     *preset_row;
  AdwComboRow     *source_row;
  AdwComboRow     *mode_row;
  AdwComboRow     *resolution_row;
  AdwComboRow     *size_row;
  GtkWidget       *scan_button;
  GtkWidget       *stop_button;
  GtkLabel        *status_label;
  GtkRevealer     *problem_revealer;
  GtkLabel        *problem_label;
  GtkStack        *stack;
  AdwStatusPage   *empty_page;
  GtkFlowBox      *pages_box;
  GtkLabel        *count_label;

  SbScanTray      *tray;
  GPtrArray       *devices;       /* SbScannerInfo, as in device_row */
  GSettings       *settings;
  GCancellable    *cancellable;   /* the page's life */
  GCancellable    *scan_cancellable;
  SbScanJob       *job;
  SbTrayPage      *scanning_page;
  SbPdfMode        scan_mode;
  SbProcessFlags   scan_flags;
  guint            importing;
  gboolean         searching;
};

G_DEFINE_FINAL_TYPE (SbScanPage, sb_scan_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SCANNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_actions (SbScanPage *self);

static void
show_toast (SbScanPage *self,
            const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
show_problem (SbScanPage *self,
              const char *text)
{
  gtk_label_set_text (self->problem_label, text);
  gtk_revealer_set_reveal_child (self->problem_revealer, TRUE);
}

static void
set_status (SbScanPage *self,
            const char *text)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
}

gboolean
sb_scan_page_get_scanning (SbScanPage *self)
{
  g_return_val_if_fail (SB_IS_SCAN_PAGE (self), FALSE);
  return self->job != NULL;
}

SbScanTray *
sb_scan_page_get_tray (SbScanPage *self)
{
  g_return_val_if_fail (SB_IS_SCAN_PAGE (self), NULL);
  return self->tray;
}

/* The pages the clerk chose, in the tray's order. */
static GPtrArray *
selected_pages (SbScanPage *self)
{
  GPtrArray *pages = g_ptr_array_new ();
  g_autoptr(GList) selected = gtk_flow_box_get_selected_children (self->pages_box);

  for (int i = 0;; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->pages_box, i);

      if (child == NULL)
        break;
      if (gtk_flow_box_child_is_selected (child))
        g_ptr_array_add (pages, sb_page_tile_get_page (SB_PAGE_TILE (gtk_flow_box_child_get_child (child))));
    }
  return pages;
}

static void
select_page (SbScanPage *self,
             SbTrayPage *page)
{
  int index = sb_scan_tray_index_of (self->tray, page);
  GtkFlowBoxChild *child = index >= 0 ? gtk_flow_box_get_child_at_index (self->pages_box, index) : NULL;

  if (child == NULL)
    return;
  gtk_flow_box_unselect_all (self->pages_box);
  gtk_flow_box_select_child (self->pages_box, child);
  gtk_widget_grab_focus (GTK_WIDGET (child));
}

static void
renumber (SbScanPage *self)
{
  guint n = self->tray != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->tray)) : 0;
  g_autofree char *count = NULL;

  for (guint i = 0; i < n; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->pages_box, (int)i);
      SbPageTile *tile;
      g_autofree char *description = NULL;

      if (child == NULL)
        break;
      tile = SB_PAGE_TILE (gtk_flow_box_child_get_child (child));
      sb_page_tile_set_number (tile, i + 1);
      description = sb_page_tile_describe (tile);
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
    }

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "pages" : "empty");
  /* Translators: below the grid of scanned pages */
  count = n > 0 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", n), n) : g_strdup ("");
  gtk_label_set_text (self->count_label, count);
  update_actions (self);
}

static void
on_page_state_changed (SbScanPage *self)
{
  renumber (self);
}

static gboolean
on_tile_drop (GtkDropTarget *target,
              const GValue  *value,
              double         x,
              double         y,
              SbScanPage    *self)
{
  GtkWidget *tile = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  const char *dragged_id = g_value_get_string (value);
  SbTrayPage *onto = sb_page_tile_get_page (SB_PAGE_TILE (tile));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tray));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SbTrayPage) page = g_list_model_get_item (G_LIST_MODEL (self->tray), i);

      if (g_strcmp0 (sb_tray_page_get_id (page), dragged_id) == 0 && page != onto)
        {
          sb_scan_tray_move (self->tray, page, (guint)sb_scan_tray_index_of (self->tray, onto));
          select_page (self, page);
          return TRUE;
        }
    }
  return FALSE;
}

static GdkContentProvider *
on_tile_drag_prepare (GtkDragSource *source,
                      double         x,
                      double         y,
                      SbPageTile    *tile)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (GTK_WIDGET (tile));

  gtk_drag_source_set_icon (source, paintable, (int)x, (int)y);
  g_object_unref (paintable);
  return gdk_content_provider_new_typed (G_TYPE_STRING, sb_tray_page_get_id (sb_page_tile_get_page (tile)));
}

static GtkWidget *
create_tile (gpointer item,
             gpointer user_data)
{
  SbScanPage *self = user_data;
  GtkWidget *tile = sb_page_tile_new (item);
  GtkDragSource *drag = gtk_drag_source_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);

  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_tile_drag_prepare), tile);
  gtk_widget_add_controller (tile, GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (drop, "drop", G_CALLBACK (on_tile_drop), self);
  gtk_widget_add_controller (tile, GTK_EVENT_CONTROLLER (drop));
  /* Tiles come and go as pages move; the page is watched once. */
  if (g_object_get_data (item, "sb-scan-page-watched") == NULL)
    {
      g_signal_connect_object (item, "notify::state", G_CALLBACK (on_page_state_changed), self, G_CONNECT_SWAPPED);
      g_object_set_data (item, "sb-scan-page-watched", GINT_TO_POINTER (1));
    }
  return tile;
}

static void
on_items_changed (SbScanPage *self)
{
  renumber (self);
}

static void
on_tray_problem (SbScanPage *self,
                 const char *message)
{
  show_problem (self, message);
}

static void
on_page_dropped (SbScanPage *self,
                 SbTrayPage *page)
{
  AdwToast *toast = adw_toast_new (_("An empty page was left out"));

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "scan.undo");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_tray_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SbScanPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sb_scan_tray_load_finish (SB_SCAN_TRAY (object), result, &error) &&
      self->cancellable != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_problem (self, error->message);
}

void
sb_scan_page_set_store (SbScanPage *self,
                        SbStore    *store)
{
  g_return_if_fail (SB_IS_SCAN_PAGE (self));

  if (self->tray != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tray, self);
      gtk_flow_box_bind_model (self->pages_box, NULL, NULL, NULL, NULL);
      g_clear_object (&self->tray);
    }

  if (store != NULL && !sb_store_get_read_only (store))
    {
      self->tray = sb_scan_tray_new (store);
      gtk_flow_box_bind_model (self->pages_box, G_LIST_MODEL (self->tray), create_tile, self, NULL);
      g_signal_connect_object (self->tray, "items-changed", G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->tray, "notify::can-undo", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->tray, "problem", G_CALLBACK (on_tray_problem), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->tray, "page-dropped", G_CALLBACK (on_page_dropped), self, G_CONNECT_SWAPPED);
      sb_scan_tray_load_async (self->tray, self->cancellable, on_tray_loaded, g_object_ref (self));
      adw_status_page_set_description (self->empty_page,
                                       _("Put the document on the glass or in the feeder and press Scan "
                                         "(Ctrl+Enter), or drop photos and PDFs here."));
    }
  else
    {
      adw_status_page_set_description (self->empty_page,
                                       _("Scanning needs this desk’s encrypted store, which is not available. "
                                         "See the message at the top of the window."));
    }

  renumber (self);
}

static void
update_actions (SbScanPage *self)
{
  g_autoptr(GPtrArray) selected = self->tray != NULL ? selected_pages (self) : g_ptr_array_new ();
  gboolean scanning = self->job != NULL;
  gboolean have_device = self->devices != NULL && self->devices->len > 0;
  gboolean all_kept = selected->len > 0;

  for (guint i = 0; i < selected->len; i++)
    all_kept &= sb_tray_page_get_state (g_ptr_array_index (selected, i)) == SB_TRAY_PAGE_READY;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scan.start", self->tray != NULL && have_device && !scanning);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scan.stop", scanning);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scan.import", self->tray != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scan.search", !self->searching && !scanning);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scan.undo",
                                 self->tray != NULL && sb_scan_tray_get_can_undo (self->tray));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.rotate-left", all_kept);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.rotate-right", all_kept);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.delete", selected->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.move-earlier", selected->len == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.move-later", selected->len == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.combine-card", selected->len == 2 && all_kept);

  gtk_widget_set_visible (self->stop_button, scanning);
  gtk_widget_set_visible (self->scan_button, !scanning);
}

static void
apply_preset (SbScanPage *self)
{
  switch ((Preset)adw_combo_row_get_selected (self->preset_row))
    {
    case PRESET_CARD:
      adw_combo_row_set_selected (self->source_row, SB_SCAN_SOURCE_FLATBED);
      adw_combo_row_set_selected (self->mode_row, SB_SCAN_MODE_COLOR);
      adw_combo_row_set_selected (self->resolution_row, 2);
      adw_combo_row_set_selected (self->size_row, SB_PAGE_SIZE_AUTO);
      set_status (self, _("Scan the front, then the back. Then choose both pages and put them on one page "
                          "with Ctrl+J."));
      break;

    case PRESET_PHOTO:
      adw_combo_row_set_selected (self->source_row, SB_SCAN_SOURCE_FLATBED);
      adw_combo_row_set_selected (self->mode_row, SB_SCAN_MODE_COLOR);
      adw_combo_row_set_selected (self->resolution_row, 2);
      adw_combo_row_set_selected (self->size_row, SB_PAGE_SIZE_AUTO);
      set_status (self, NULL);
      break;

    case PRESET_TEXT:
    default:
      adw_combo_row_set_selected (self->source_row, SB_SCAN_SOURCE_DUPLEX);
      adw_combo_row_set_selected (self->mode_row, SB_SCAN_MODE_GRAY);
      adw_combo_row_set_selected (self->resolution_row, 2);
      adw_combo_row_set_selected (self->size_row, SB_PAGE_SIZE_A4);
      set_status (self, _("Empty backs of one-sided pages are left out."));
      break;
    }
}

/* The keyboard where the work starts, unless it is on this page already:
 * on Scan (Stop while scanning). Scan can take it only once a scanner is
 * there, so this runs again when the scanners are found. */
static void
focus_start (SbScanPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    return;
  gtk_widget_grab_focus (self->job != NULL ? self->stop_button : self->scan_button);
}

static void
set_devices (SbScanPage *self,
             GPtrArray  *devices)
{
  g_autofree char *wanted = g_settings_get_string (self->settings, "scanner");
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint selected = 0;

  g_clear_pointer (&self->devices, g_ptr_array_unref);
  self->devices = devices != NULL ? g_ptr_array_ref (devices) : NULL;

  for (guint i = 0; self->devices != NULL && i < self->devices->len; i++)
    {
      SbScannerInfo *info = g_ptr_array_index (self->devices, i);
      g_autofree char *label = sb_scanner_info_get_label (info);

      gtk_string_list_append (labels, label);
      if (g_strcmp0 (info->name, wanted) == 0)
        selected = i;
    }
  if (self->devices == NULL || self->devices->len == 0)
    gtk_string_list_append (labels, self->searching ? _("Searching…") : _("No scanner found"));

  adw_combo_row_set_model (self->device_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->device_row, selected);
  update_actions (self);
  focus_start (self);
}

static void
on_devices_listed (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SbScanPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = sb_scan_list_devices_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->searching = FALSE;
  if (devices == NULL)
    {
      show_problem (self, error->message);
      set_devices (self, self->devices);
      return;
    }

  set_devices (self, devices);
  if (devices->len == 0)
    set_status (self, _("No scanner was found. Check that it is switched on and connected, then search again."));
}

static void
search_devices (SbScanPage *self)
{
  self->searching = TRUE;
  if (self->devices == NULL || self->devices->len == 0)
    set_devices (self, NULL);
  update_actions (self);
  sb_scan_list_devices_async (self->cancellable, on_devices_listed, self);
}

static void
on_device_selected (SbScanPage *self)
{
  guint selected = adw_combo_row_get_selected (self->device_row);

  if (self->devices != NULL && selected < self->devices->len)
    g_settings_set_string (self->settings, "scanner", ((SbScannerInfo *)g_ptr_array_index (self->devices, selected))->name);
}

static void
on_page_started (SbScanPage *self,
                 guint       number,
                 guint       width,
                 int         height,
                 SbScanJob  *job)
{
  g_autofree char *status = g_strdup_printf (_("Scanning page %u…"), number);

  self->scanning_page = sb_scan_tray_begin_page (self->tray);
  set_status (self, status);
}

static void
on_page_progress (SbScanPage *self,
                  guint       number,
                  double      fraction,
                  SbScanJob  *job)
{
  if (self->scanning_page != NULL)
    sb_tray_page_set_progress (self->scanning_page, fraction);
}

static void
on_page_scanned (SbScanPage *self,
                 guint       number,
                 SbRawImage *image,
                 SbScanJob  *job)
{
  if (self->scanning_page == NULL)
    return;
  sb_scan_tray_finish_page (self->tray, self->scanning_page, image, self->scan_mode, self->scan_flags);
  self->scanning_page = NULL;
}

static void
on_notice (SbScanPage *self,
           const char *message,
           SbScanJob  *job)
{
  show_toast (self, message);
}

static void
on_scan_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SbScanPage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint pages = sb_scan_job_run_finish (SB_SCAN_JOB (object), result, &error);

  /* The page went away while the scanner stopped: nothing to show. */
  if (self->cancellable == NULL)
    {
      g_clear_object (&self->job);
      return;
    }

  /* A page the scanner never finished has nothing to keep. */
  if (self->scanning_page != NULL && self->tray != NULL)
    sb_scan_tray_abandon_page (self->tray, self->scanning_page);
  self->scanning_page = NULL;
  g_clear_object (&self->job);
  g_clear_object (&self->scan_cancellable);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_status (self, _("Scanning stopped. The pages scanned before are kept."));
  else if (error != NULL)
    {
      set_status (self, NULL);
      show_problem (self, error->message);
    }
  else
    {
      g_autofree char *status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page scanned.",
                                                              "%u pages scanned.", pages), pages);

      set_status (self, status);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNING]);
  update_actions (self);
  gtk_widget_grab_focus (self->scan_button);
}

static void
scan_start (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SbScanPage *self = SB_SCAN_PAGE (widget);
  SbScanSettings settings = { 0 };
  guint device = adw_combo_row_get_selected (self->device_row);
  guint resolution = adw_combo_row_get_selected (self->resolution_row);
  Preset preset = adw_combo_row_get_selected (self->preset_row);

  if (self->job != NULL || self->tray == NULL || self->devices == NULL || device >= self->devices->len)
    return;

  settings.device = ((SbScannerInfo *)g_ptr_array_index (self->devices, device))->name;
  settings.source = adw_combo_row_get_selected (self->source_row);
  settings.mode = adw_combo_row_get_selected (self->mode_row);
  settings.resolution = resolutions[MIN (resolution, G_N_ELEMENTS (resolutions) - 1)];
  settings.page_size = adw_combo_row_get_selected (self->size_row);

  self->scan_mode = settings.mode == SB_SCAN_MODE_BW ? SB_PDF_MODE_BW
                  : settings.mode == SB_SCAN_MODE_GRAY ? SB_PDF_MODE_GRAY : SB_PDF_MODE_COLOR;
  self->scan_flags = (preset == PRESET_TEXT ? SB_PROCESS_DESKEW : 0) |
                     (settings.page_size == SB_PAGE_SIZE_AUTO ? SB_PROCESS_CROP : 0) |
                     (settings.source == SB_SCAN_SOURCE_DUPLEX ? SB_PROCESS_DETECT_BLANK : 0);

  gtk_revealer_set_reveal_child (self->problem_revealer, FALSE);
  self->job = sb_scan_job_new (&settings);
  self->scan_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->job, "page-started", G_CALLBACK (on_page_started), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "page-progress", G_CALLBACK (on_page_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "page-scanned", G_CALLBACK (on_page_scanned), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "notice", G_CALLBACK (on_notice), self, G_CONNECT_SWAPPED);
  set_status (self, _("Starting the scanner…"));
  sb_scan_job_run_async (self->job, self->scan_cancellable, on_scan_done, g_object_ref (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNING]);
  update_actions (self);
  gtk_widget_grab_focus (self->stop_button);
}

static void
scan_stop (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  SbScanPage *self = SB_SCAN_PAGE (widget);

  if (self->scan_cancellable != NULL)
    {
      set_status (self, _("Stopping the scanner…"));
      g_cancellable_cancel (self->scan_cancellable);
    }
}

static void
on_imported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SbScanPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup (g_object_get_data (G_OBJECT (result), "file-name"));

  sb_scan_tray_import_finish (SB_SCAN_TRAY (object), result, &error);
  self->importing--;
  if (self->cancellable == NULL)
    return;
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: %s is a file name, then what is wrong with it */
      g_autofree char *message = g_strdup_printf (_("%s: %s"), name != NULL ? name : "", error->message);

      show_problem (self, message);
    }
  if (self->importing == 0)
    set_status (self, NULL);
}

static void
import_file (SbScanPage *self,
             GFile      *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *status = g_strdup_printf (_("Importing %s…"), name);

  if (self->tray == NULL)
    return;
  self->importing++;
  set_status (self, status);
  sb_scan_tray_import_async (self->tray, file, self->cancellable, on_imported, g_object_ref (self));
}

static void
on_import_response (GtkNativeDialog *dialog,
                    int              response,
                    SbScanPage      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          import_file (self, file);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
scan_import (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SbScanPage *self = SB_SCAN_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Import Photos or PDFs"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
  gtk_file_filter_set_name (filter, _("Photos, scans and PDFs"));
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/tiff");
  gtk_file_filter_add_mime_type (filter, "image/heic");
  gtk_file_filter_add_mime_type (filter, "image/heif");
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_import_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static gboolean
on_files_dropped (GtkDropTarget *target,
                  const GValue  *value,
                  double         x,
                  double         y,
                  SbScanPage    *self)
{
  GSList *files = g_value_get_boxed (value);

  if (self->tray == NULL)
    return FALSE;
  for (GSList *l = files; l != NULL; l = l->next)
    import_file (self, l->data);
  return files != NULL;
}

static void
scan_search (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  search_devices (SB_SCAN_PAGE (widget));
}

static void
scan_undo (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  SbScanPage *self = SB_SCAN_PAGE (widget);

  if (self->tray != NULL && sb_scan_tray_undo (self->tray))
    renumber (self);
}

static void
scan_dismiss (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_revealer_set_reveal_child (SB_SCAN_PAGE (widget)->problem_revealer, FALSE);
}

static void
page_rotate (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SbScanPage *self = SB_SCAN_PAGE (widget);
  g_autoptr(GPtrArray) pages = selected_pages (self);
  int turns = g_str_equal (action_name, "page.rotate-left") ? -1 : 1;

  for (guint i = 0; i < pages->len; i++)
    sb_scan_tray_rotate (self->tray, g_ptr_array_index (pages, i), turns);
}

static void
page_move (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  SbScanPage *self = SB_SCAN_PAGE (widget);
  g_autoptr(GPtrArray) pages = selected_pages (self);
  SbTrayPage *page;
  int index;

  if (pages->len != 1)
    return;
  page = g_ptr_array_index (pages, 0);
  index = sb_scan_tray_index_of (self->tray, page);
  if (g_str_equal (action_name, "page.move-earlier") && index > 0)
    sb_scan_tray_move (self->tray, page, (guint)index - 1);
  else if (g_str_equal (action_name, "page.move-later"))
    sb_scan_tray_move (self->tray, page, (guint)index + 1);
  select_page (self, page);
}

static void
page_delete (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SbScanPage *self = SB_SCAN_PAGE (widget);
  g_autoptr(GPtrArray) pages = selected_pages (self);
  int first = pages->len > 0 ? sb_scan_tray_index_of (self->tray, g_ptr_array_index (pages, 0)) : -1;
  guint n;
  AdwToast *toast;
  g_autofree char *text = NULL;

  if (pages->len == 0)
    return;
  for (guint i = 0; i < pages->len; i++)
    sb_scan_tray_delete (self->tray, g_ptr_array_index (pages, i));

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page deleted", "%u pages deleted", pages->len), pages->len);
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "scan.undo");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  /* Keep the keyboard where it was: on the next page, or the last. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->tray));
  if (n > 0 && first >= 0)
    {
      g_autoptr(SbTrayPage) next = g_list_model_get_item (G_LIST_MODEL (self->tray), MIN ((guint)first, n - 1));

      select_page (self, next);
    }
}

static void
page_combine_card (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SbScanPage *self = SB_SCAN_PAGE (widget);
  g_autoptr(GPtrArray) pages = selected_pages (self);
  g_autoptr(GError) error = NULL;

  if (pages->len != 2)
    {
      show_problem (self, _("Choose exactly two pages — the front and the back of the card — with Ctrl and a click, or Ctrl+Space."));
      return;
    }
  if (!sb_scan_tray_combine_card (self->tray, g_ptr_array_index (pages, 0), g_ptr_array_index (pages, 1), &error))
    show_problem (self, error->message);
}

static void
sb_scan_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SCANNING:
      g_value_set_boolean (value, sb_scan_page_get_scanning (SB_SCAN_PAGE (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_scan_page_dispose (GObject *object)
{
  SbScanPage *self = SB_SCAN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->scan_cancellable != NULL)
    g_cancellable_cancel (self->scan_cancellable);
  if (self->tray != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tray, self);
      gtk_flow_box_bind_model (self->pages_box, NULL, NULL, NULL, NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_SCAN_PAGE);
  g_clear_object (&self->tray);
  g_clear_object (&self->job);
  g_clear_object (&self->scan_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->devices, g_ptr_array_unref);

  G_OBJECT_CLASS (sb_scan_page_parent_class)->dispose (object);
}

/* Coming to this page, the keyboard is where the work starts. */
static void
sb_scan_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sb_scan_page_parent_class)->map (widget);
  focus_start (SB_SCAN_PAGE (widget));
}

static void
sb_scan_page_class_init (SbScanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_scan_page_dispose;
  object_class->get_property = sb_scan_page_get_property;
  widget_class->map = sb_scan_page_map;

  properties[PROP_SCANNING] = g_param_spec_boolean ("scanning", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/sb-scan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, device_row);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, preset_row);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, source_row);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, mode_row);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, resolution_row);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, size_row);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, scan_button);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, pages_box);
  gtk_widget_class_bind_template_child (widget_class, SbScanPage, count_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "scan.start", NULL, scan_start);
  gtk_widget_class_install_action (widget_class, "scan.stop", NULL, scan_stop);
  gtk_widget_class_install_action (widget_class, "scan.import", NULL, scan_import);
  gtk_widget_class_install_action (widget_class, "scan.search", NULL, scan_search);
  gtk_widget_class_install_action (widget_class, "scan.undo", NULL, scan_undo);
  gtk_widget_class_install_action (widget_class, "scan.dismiss", NULL, scan_dismiss);
  gtk_widget_class_install_action (widget_class, "page.rotate-left", NULL, page_rotate);
  gtk_widget_class_install_action (widget_class, "page.rotate-right", NULL, page_rotate);
  gtk_widget_class_install_action (widget_class, "page.move-earlier", NULL, page_move);
  gtk_widget_class_install_action (widget_class, "page.move-later", NULL, page_move);
  gtk_widget_class_install_action (widget_class, "page.delete", NULL, page_delete);
  gtk_widget_class_install_action (widget_class, "page.combine-card", NULL, page_combine_card);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "scan.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "scan.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "scan.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "scan.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "scan.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, 0, "page.rotate-right", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_R, GDK_SHIFT_MASK, "page.rotate-left", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "page.move-earlier", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "page.move-later", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "page.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, GDK_CONTROL_MASK, "page.combine-card", NULL);
}

static void
sb_scan_page_init (SbScanPage *self)
{
  GtkDropTarget *files = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_autoptr(GPtrArray) cached = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);

  g_signal_connect (files, "drop", G_CALLBACK (on_files_dropped), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (files));

  g_signal_connect_object (self->preset_row, "notify::selected", G_CALLBACK (apply_preset), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->device_row, "notify::selected", G_CALLBACK (on_device_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pages_box, "selected-children-changed", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  apply_preset (self);

  /* The scanners found last time at once; a fresh search behind them. */
  cached = sb_scan_load_device_cache ();
  set_devices (self, cached);
  search_devices (self);
  renumber (self);
}
