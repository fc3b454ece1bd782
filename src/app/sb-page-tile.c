/* sb-page-tile.c — one page of the scan tray in the page grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page's picture, turned as the clerk turned it, its number, and where
 * it stands: a bar while it is scanned, a spinner while it is processed, a
 * warning when it failed.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sb-page-tile.h"

#define TILE_SIZE 180

struct _SbPageTile
{
  GtkWidget       parent_instance;

  SbTrayPage     *page;
  guint           number;
  GtkWidget      *picture;
  GtkWidget      *progress;
  GtkWidget      *spinner;
  GtkWidget      *caption;
};

G_DEFINE_FINAL_TYPE (SbPageTile, sb_page_tile, GTK_TYPE_WIDGET)

static void
update_picture (SbPageTile *self)
{
  guint width = 0, height = 0;
  g_autoptr(GBytes) rgba = sb_tray_page_get_thumbnail (self->page, &width, &height);
  g_autoptr(GdkTexture) texture = NULL;

  if (rgba == NULL)
    {
      gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);
      return;
    }
  texture = gdk_memory_texture_new ((int)width, (int)height, GDK_MEMORY_R8G8B8A8, rgba, (gsize)width * 4);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
}

/**
 * sb_page_tile_describe:
 *
 * Returns: (transfer full): the page in words, for the caption and for
 *   screen readers: "Page 3", "Page 4, being scanned", …
 */
char *
sb_page_tile_describe (SbPageTile *self)
{
  g_return_val_if_fail (SB_IS_PAGE_TILE (self), NULL);

  switch (sb_tray_page_get_state (self->page))
    {
    case SB_TRAY_PAGE_SCANNING:
      /* Translators: a page in the grid of scanned pages */
      return g_strdup_printf (_("Page %u, being scanned"), self->number);
    case SB_TRAY_PAGE_PROCESSING:
      return g_strdup_printf (_("Page %u, being saved"), self->number);
    case SB_TRAY_PAGE_FAILED:
      return g_strdup_printf (_("Page %u, failed: %s"), self->number,
                              sb_tray_page_get_problem (self->page) ? sb_tray_page_get_problem (self->page) : "");
    case SB_TRAY_PAGE_READY:
    default:
      if (sb_tray_page_get_blank (self->page))
        return g_strdup_printf (_("Page %u, empty"), self->number);
      return g_strdup_printf (_("Page %u"), self->number);
    }
}

static void
update_state (SbPageTile *self)
{
  SbTrayPageState state = sb_tray_page_get_state (self->page);
  g_autofree char *text = NULL;
  double progress = sb_tray_page_get_progress (self->page);

  gtk_widget_set_visible (self->progress, state == SB_TRAY_PAGE_SCANNING);
  if (progress >= 0)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), progress);
  else
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress));
  gtk_widget_set_visible (self->spinner, state == SB_TRAY_PAGE_PROCESSING);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), state == SB_TRAY_PAGE_PROCESSING);

  if (state == SB_TRAY_PAGE_FAILED)
    gtk_widget_add_css_class (self->caption, "error");
  else
    gtk_widget_remove_css_class (self->caption, "error");

  text = g_strdup_printf (state == SB_TRAY_PAGE_READY && !sb_tray_page_get_blank (self->page) ? _("Page %u")
                          : state == SB_TRAY_PAGE_READY ? _("Page %u (empty)")
                          : state == SB_TRAY_PAGE_FAILED ? _("Page %u failed")
                          : _("Page %u …"), self->number);
  gtk_label_set_text (GTK_LABEL (self->caption), text);
  if (state == SB_TRAY_PAGE_FAILED)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), sb_tray_page_get_problem (self->page));
}

static void
sb_page_tile_dispose (GObject *object)
{
  SbPageTile *self = SB_PAGE_TILE (object);
  GtkWidget *child;

  if (self->page != NULL)
    g_signal_handlers_disconnect_by_data (self->page, self);
  g_clear_object (&self->page);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sb_page_tile_parent_class)->dispose (object);
}

static void
sb_page_tile_class_init (SbPageTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_page_tile_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sb-page-tile");
}

static void
sb_page_tile_init (SbPageTile *self)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  self->picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (self->picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (self->picture, TILE_SIZE, TILE_SIZE);
  gtk_widget_add_css_class (self->picture, "page-thumbnail");
  gtk_overlay_set_child (GTK_OVERLAY (overlay), self->picture);

  self->progress = gtk_progress_bar_new ();
  gtk_widget_set_valign (self->progress, GTK_ALIGN_END);
  gtk_widget_set_margin_start (self->progress, 12);
  gtk_widget_set_margin_end (self->progress, 12);
  gtk_widget_set_margin_bottom (self->progress, 12);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->progress);

  self->spinner = gtk_spinner_new ();
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (self->spinner, 32, 32);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->spinner);

  gtk_widget_set_parent (overlay, GTK_WIDGET (self));

  self->caption = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->caption, "caption");
  gtk_widget_set_parent (self->caption, GTK_WIDGET (self));
}

GtkWidget *
sb_page_tile_new (SbTrayPage *page)
{
  SbPageTile *self;

  g_return_val_if_fail (SB_IS_TRAY_PAGE (page), NULL);

  self = g_object_new (SB_TYPE_PAGE_TILE, NULL);
  self->page = g_object_ref (page);
  g_signal_connect_object (page, "notify::thumbnail", G_CALLBACK (update_picture), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::state", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::progress", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::blank", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  update_picture (self);
  update_state (self);
  return GTK_WIDGET (self);
}

SbTrayPage *
sb_page_tile_get_page (SbPageTile *self)
{
  g_return_val_if_fail (SB_IS_PAGE_TILE (self), NULL);
  return self->page;
}

void
sb_page_tile_set_number (SbPageTile *self,
                         guint       number)
{
  g_return_if_fail (SB_IS_PAGE_TILE (self));

  if (self->number == number)
    return;
  self->number = number;
  update_state (self);
}
