/* sb-pdf-view.c — preview of a PDF: pages, thumbnails, zoom, password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening and rendering happen in worker threads (SbPdfDocument locks each
 * document); the main loop only places textures. Pages are list items, so
 * only those on screen exist and are rendered; rendered pages are kept in a
 * cache with a memory budget, oldest out first.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "sb-pdf-view.h"

#define PAGE_MARGIN       12    /* the CSS padding of a page row */
#define THUMBNAIL_WIDTH   100
#define CACHE_BUDGET      (192 * 1024 * 1024)
#define ZOOM_STEP         1.2
#define ZOOM_MIN          0.1
#define ZOOM_MAX          8.0

typedef enum
{
  ZOOM_FIT_WIDTH,
  ZOOM_FIT_PAGE,
  ZOOM_FREE,
} ZoomMode;

/* A page of the list models: the page's number, nothing else. */
#define SB_TYPE_PDF_PAGE_ITEM (sb_pdf_page_item_get_type ())
G_DECLARE_FINAL_TYPE (SbPdfPageItem, sb_pdf_page_item, SB, PDF_PAGE_ITEM, GObject)

struct _SbPdfPageItem
{
  GObject parent_instance;
  guint   index;
};

G_DEFINE_FINAL_TYPE (SbPdfPageItem, sb_pdf_page_item, G_TYPE_OBJECT)

static void sb_pdf_page_item_class_init (SbPdfPageItemClass *klass) { }
static void sb_pdf_page_item_init (SbPdfPageItem *self) { }

typedef struct
{
  char       *key;
  GdkTexture *texture;
  gsize       size;
} CacheEntry;

struct _SbPdfView
{
  GtkWidget        parent_instance;

  GtkStack        *stack;
  AdwStatusPage   *error_page;
  AdwStatusPage   *password_page;
  GtkPasswordEntry *password_entry;
  GtkSpinner      *spinner;
  GtkListView     *thumbnails;
  GtkListView     *pages;
  GtkScrolledWindow *scroller;
  GtkScrolledWindow *thumbnail_scroller;
  GtkSearchBar    *search_bar;
  GtkSearchEntry  *search_entry;
  GtkLabel        *search_status;

  GBytes          *bytes;
  SbPdfDocument   *document;
  GListStore      *items;
  GCancellable    *cancellable;
  char            *message;

  ZoomMode         zoom_mode;
  double           zoom;        /* logical pixels per point */
  int              rotation;
  guint            page;
  double           page_target; /* where set_page scrolled to, or -1 once the user scrolls */
  double           row_extra;   /* a row's height beyond its page, as laid out */
  double           widest;      /* points, after rotation */
  double           tallest;

  char            *found_text;  /* what was found last, on found_page */
  guint            found_page;
  GArray          *found_marks;
  guint            found_serial;
  GCancellable    *search_cancellable;
  guint            zoom_idle;
  guint            render_tick;
  GHashTable      *bound_pages;      /* page index → GtkPicture, while bound */
  GHashTable      *bound_thumbnails;
  GHashTable      *cache;       /* key → CacheEntry, in order */
  GQueue           cache_order; /* keys, oldest first */
  gsize            cache_size;
};

G_DEFINE_FINAL_TYPE (SbPdfView, sb_pdf_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PAGE,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cache_entry_free (CacheEntry *entry)
{
  g_object_unref (entry->texture);
  g_free (entry->key);
  g_free (entry);
}

static void
cache_clear (SbPdfView *self)
{
  g_queue_clear_full (&self->cache_order, g_free);
  g_hash_table_remove_all (self->cache);
  self->cache_size = 0;
}

static void
cache_add (SbPdfView  *self,
           const char *key,
           GdkTexture *texture)
{
  CacheEntry *entry;

  if (g_hash_table_contains (self->cache, key))
    return;

  entry = g_new0 (CacheEntry, 1);
  entry->key = g_strdup (key);
  entry->texture = g_object_ref (texture);
  entry->size = (gsize)gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4;
  g_hash_table_insert (self->cache, entry->key, entry);
  g_queue_push_tail (&self->cache_order, g_strdup (key));
  self->cache_size += entry->size;

  while (self->cache_size > CACHE_BUDGET && self->cache_order.length > 1)
    {
      g_autofree char *oldest = g_queue_pop_head (&self->cache_order);
      CacheEntry *old = g_hash_table_lookup (self->cache, oldest);

      if (old != NULL)
        {
          self->cache_size -= old->size;
          g_hash_table_remove (self->cache, oldest);
        }
    }
}

static void
page_size (SbPdfView *self,
           guint      index,
           double    *width,
           double    *height)
{
  double w = 595, h = 842;

  sb_pdf_document_get_page_size (self->document, index, &w, &h);
  if (self->rotation == 90 || self->rotation == 270)
    {
      *width = h;
      *height = w;
    }
  else
    {
      *width = w;
      *height = h;
    }
}

typedef struct
{
  SbPdfDocument *document;
  guint          index;
  double         scale;
  int            rotation;
  GArray        *marks;
} RenderJob;

static void
render_job_free (RenderJob *job)
{
  g_object_unref (job->document);
  g_clear_pointer (&job->marks, g_array_unref);
  g_free (job);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  GError *error = NULL;
  cairo_surface_t *surface;
  g_autoptr(GBytes) pixels = NULL;
  GdkTexture *texture;

  if (g_task_return_error_if_cancelled (task))
    return;

  surface = sb_pdf_document_render_page_marked (job->document, job->index, job->scale, job->rotation,
                                                job->marks, &error);
  if (surface == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  cairo_surface_flush (surface);
  pixels = g_bytes_new (cairo_image_surface_get_data (surface),
                        (gsize)cairo_image_surface_get_stride (surface) * cairo_image_surface_get_height (surface));
  texture = gdk_memory_texture_new (cairo_image_surface_get_width (surface),
                                    cairo_image_surface_get_height (surface),
                                    GDK_MEMORY_DEFAULT, pixels,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);

  g_task_return_pointer (task, texture, g_object_unref);
}

typedef struct
{
  SbPdfView  *view;
  GtkPicture *picture;
  char       *key;
} Placement;

static void
placement_free (Placement *placement)
{
  g_object_unref (placement->view);
  g_object_unref (placement->picture);
  g_free (placement->key);
  g_free (placement);
}

static void
on_rendered (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Placement *placement = user_data;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), NULL);

  /* The row may show another page by now: place only what it still waits for. */
  if (texture != NULL)
    {
      cache_add (placement->view, placement->key, texture);
      if (g_strcmp0 (g_object_get_data (G_OBJECT (placement->picture), "sb-page-key"), placement->key) == 0)
        {
          gtk_picture_set_paintable (placement->picture, GDK_PAINTABLE (texture));
          g_object_set_data (G_OBJECT (placement->picture), "sb-render", NULL);
        }
    }

  placement_free (placement);
}

static void
start_render (SbPdfView  *self,
              GtkPicture *picture,
              guint       index,
              double      scale)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;
  RenderJob *job;
  Placement *placement;
  const char *key = g_object_get_data (G_OBJECT (picture), "sb-page-key");

  if (key == NULL || g_object_get_data (G_OBJECT (picture), "sb-render") != NULL ||
      gtk_picture_get_paintable (picture) != NULL)
    return;

  cancellable = g_cancellable_new ();
  job = g_new0 (RenderJob, 1);
  placement = g_new0 (Placement, 1);
  job->document = g_object_ref (self->document);
  job->index = index;
  job->scale = scale;
  job->rotation = self->rotation;
  if (self->found_marks != NULL && index == self->found_page && !g_object_get_data (G_OBJECT (picture), "sb-thumbnail"))
    job->marks = g_array_ref (self->found_marks);
  placement->view = g_object_ref (self);
  placement->picture = g_object_ref (picture);
  placement->key = g_strdup (key);

  g_object_set_data_full (G_OBJECT (picture), "sb-render", cancellable, g_object_unref);
  task = g_task_new (NULL, cancellable, on_rendered, placement);
  g_task_set_task_data (task, job, (GDestroyNotify)render_job_free);
  g_task_run_in_thread (task, render_thread);
}

/* Sizes a row for page @index at @zoom and shows the page from the cache;
 * rendering waits until the row is on screen (GTK 4.8 list views keep up
 * to 200 rows bound, most of them far off screen). */
static void
place_page (SbPdfView  *self,
            GtkPicture *picture,
            guint       index,
            double      zoom)
{
  double width, height;
  int logical_width, logical_height, scale_factor;
  g_autofree char *key = NULL;
  CacheEntry *entry;
  GCancellable *previous;

  page_size (self, index, &width, &height);
  logical_width = MAX (1, (int)round (width * zoom));
  logical_height = MAX (1, (int)round (height * zoom));
  scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  gtk_widget_set_size_request (GTK_WIDGET (picture), logical_width, logical_height);
  key = g_strdup_printf ("%u:%d:%d:%u", index, logical_width * scale_factor, self->rotation,
                         self->found_marks != NULL && index == self->found_page ? self->found_serial : 0);
  g_object_set_data_full (G_OBJECT (picture), "sb-page-key", g_strdup (key), g_free);
  g_object_set_data (G_OBJECT (picture), "sb-page-scale", GINT_TO_POINTER ((int)round (zoom * scale_factor * 10000)));

  previous = g_object_get_data (G_OBJECT (picture), "sb-render");
  if (previous != NULL)
    {
      g_cancellable_cancel (previous);
      g_object_set_data (G_OBJECT (picture), "sb-render", NULL);
    }

  entry = g_hash_table_lookup (self->cache, key);
  gtk_picture_set_paintable (picture, entry ? GDK_PAINTABLE (entry->texture) : NULL);
}

/* Starts rendering the bound rows that are on screen or about to be.
 * Returns whether some row is not laid out yet, to look again next frame. */
static gboolean
render_visible (SbPdfView     *self,
                GHashTable    *bound,
                GtkScrolledWindow *scroller)
{
  gboolean pending = FALSE;
  GtkWidget *list = gtk_scrolled_window_get_child (scroller);
  double visible = gtk_widget_get_height (list);
  GHashTableIter iter;
  gpointer key, value;

  if (self->document == NULL)
    return FALSE;

  g_hash_table_iter_init (&iter, bound);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GtkWidget *picture = value;
      graphene_rect_t bounds;
      double scale = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (picture), "sb-page-scale")) / 10000.0;

      /* A list view places its rows relative to what it shows: a row is on
       * screen, or a screen away, by its position in the list widget. */
      /* Off screen a row is not mapped; a row just bound is not placed
       * yet: look again next frame. */
      if (!gtk_widget_get_mapped (picture))
        continue;
      if (!gtk_widget_compute_bounds (picture, list, &bounds))
        {
          pending = TRUE;
          continue;
        }

      /* What the theme adds around a page, measured on a real row. */
      if (bound == self->bound_pages && gtk_widget_get_parent (picture) != NULL)
        self->row_extra = gtk_widget_get_height (gtk_widget_get_parent (picture)) - gtk_widget_get_height (picture);
      if (bounds.origin.y + bounds.size.height < -visible || bounds.origin.y > 2 * visible)
        continue;

      start_render (self, GTK_PICTURE (picture), GPOINTER_TO_UINT (key), scale);
    }

  return pending;
}

static gboolean
render_visible_tick (GtkWidget     *widget,
                     GdkFrameClock *frame_clock,
                     gpointer       user_data)
{
  SbPdfView *self = SB_PDF_VIEW (widget);
  gboolean pending;

  pending = render_visible (self, self->bound_pages, self->scroller);
  pending |= render_visible (self, self->bound_thumbnails, self->thumbnail_scroller);
  if (pending)
    return G_SOURCE_CONTINUE;

  self->render_tick = 0;
  return G_SOURCE_REMOVE;
}

/* Once per frame, after layout (only then do rows know where they are),
 * until every bound row on screen is rendered or rendering. */
static void
queue_render_visible (SbPdfView *self)
{
  if (self->render_tick == 0)
    self->render_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), render_visible_tick, NULL, NULL);
}

static void
setup_page (SbPdfView    *self,
            GtkListItem  *item,
            gpointer      user_data)
{
  GtkWidget *picture = gtk_picture_new ();

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_set_halign (picture, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (picture, "pdf-page");
  /* A row coming on screen is mapped: then it is time to render it. */
  g_signal_connect_object (picture, "map", G_CALLBACK (queue_render_visible), self, G_CONNECT_SWAPPED);
  gtk_list_item_set_child (item, picture);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_page (SbPdfView   *self,
           GtkListItem *item,
           gpointer     user_data)
{
  SbPdfPageItem *page = gtk_list_item_get_item (item);
  GtkPicture *picture = GTK_PICTURE (gtk_list_item_get_child (item));
  g_autofree char *name = g_strdup_printf (_("Page %u"), page->index + 1);

  place_page (self, picture, page->index, self->zoom);
  g_hash_table_insert (self->bound_pages, GUINT_TO_POINTER (page->index), picture);
  queue_render_visible (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
bind_thumbnail (SbPdfView   *self,
                GtkListItem *item,
                gpointer     user_data)
{
  SbPdfPageItem *page = gtk_list_item_get_item (item);
  GtkPicture *picture = GTK_PICTURE (gtk_list_item_get_child (item));
  double width, height;
  g_autofree char *name = g_strdup_printf (_("Page %u"), page->index + 1);

  page_size (self, page->index, &width, &height);
  g_object_set_data (G_OBJECT (picture), "sb-thumbnail", GINT_TO_POINTER (TRUE));
  place_page (self, picture, page->index, THUMBNAIL_WIDTH / MAX (width, 1));
  g_hash_table_insert (self->bound_thumbnails, GUINT_TO_POINTER (page->index), picture);
  queue_render_visible (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
unbind_page (SbPdfView   *self,
             GtkListItem *item,
             gpointer     user_data)
{
  GtkWidget *picture = gtk_list_item_get_child (item);
  SbPdfPageItem *page = gtk_list_item_get_item (item);
  GCancellable *render = g_object_get_data (G_OBJECT (picture), "sb-render");

  if (render != NULL)
    g_cancellable_cancel (render);
  g_object_set_data (G_OBJECT (picture), "sb-render", NULL);
  g_object_set_data (G_OBJECT (picture), "sb-page-key", NULL);
  if (page != NULL)
    {
      if (g_hash_table_lookup (self->bound_pages, GUINT_TO_POINTER (page->index)) == picture)
        g_hash_table_remove (self->bound_pages, GUINT_TO_POINTER (page->index));
      if (g_hash_table_lookup (self->bound_thumbnails, GUINT_TO_POINTER (page->index)) == picture)
        g_hash_table_remove (self->bound_thumbnails, GUINT_TO_POINTER (page->index));
    }
}

/* Where page @index starts, in the scroller's coordinates. */
static double
page_offset (SbPdfView *self,
             guint      index)
{
  double offset = 0;

  for (guint i = 0; i < index; i++)
    {
      double width, height;

      page_size (self, i, &width, &height);
      offset += round (height * self->zoom) + self->row_extra;
    }

  return offset;
}

static void
update_zoom (SbPdfView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->scroller));
  int height = gtk_widget_get_height (GTK_WIDGET (self->scroller));
  double zoom = self->zoom;
  guint n;

  if (self->document == NULL)
    return;

  if (self->zoom_mode == ZOOM_FIT_WIDTH && width > 0)
    zoom = (width - 2 * PAGE_MARGIN - 16) / MAX (self->widest, 1);
  else if (self->zoom_mode == ZOOM_FIT_PAGE && width > 0 && height > 0)
    zoom = MIN ((width - 2 * PAGE_MARGIN - 16) / MAX (self->widest, 1),
                (height - 2 * PAGE_MARGIN) / MAX (self->tallest, 1));

  zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  if (fabs (zoom - self->zoom) < 0.005)
    return;

  self->zoom = zoom;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  /* Rebind every row at the new size; the scroll position follows the page. */
  g_list_model_items_changed (G_LIST_MODEL (self->items), 0, n, n);
  sb_pdf_view_set_page (self, self->page);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static void
measure_document (SbPdfView *self)
{
  self->widest = self->tallest = 1;
  for (guint i = 0; i < sb_pdf_document_get_n_pages (self->document); i++)
    {
      double width, height;

      page_size (self, i, &width, &height);
      self->widest = MAX (self->widest, width);
      self->tallest = MAX (self->tallest, height);
    }
}

static void
on_scrolled (SbPdfView     *self,
             GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);
  double page_size_px = gtk_adjustment_get_page_size (adjustment);
  double top = value + page_size_px / 3;
  guint n, page = 0;
  double offset = 0;

  if (self->document == NULL)
    return;

  /* A page shown on purpose (search, Page Down, a thumbnail) stays the
   * current page while the view is where that put it, even when it is one
   * of the last pages, which cannot scroll to the top. */
  if (self->page_target >= 0)
    {
      double reachable = MIN (self->page_target, gtk_adjustment_get_upper (adjustment) - page_size_px);

      if (fabs (value - MAX (reachable, 0)) < 1)
        {
          queue_render_visible (self);
          return;
        }
      self->page_target = -1;
    }

  n = sb_pdf_document_get_n_pages (self->document);
  for (guint i = 0; i < n; i++)
    {
      double width, height;

      page_size (self, i, &width, &height);
      offset += round (height * self->zoom) + self->row_extra;
      page = i;
      if (offset > top)
        break;
    }

  if (page != self->page)
    {
      self->page = page;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
    }

  queue_render_visible (self);
}

static void
show_state (SbPdfView  *self,
            const char *state)
{
  gtk_stack_set_visible_child_name (self->stack, state);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SbPdfView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbPdfDocument) document = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_pointer (&self->message, g_free);

  if (document == NULL)
    {
      self->message = g_strdup (error->message);
      if (g_error_matches (error, SB_PDF_ERROR, SB_PDF_ERROR_NEEDS_PASSWORD) ||
          g_error_matches (error, SB_PDF_ERROR, SB_PDF_ERROR_WRONG_PASSWORD))
        {
          adw_status_page_set_description (self->password_page, error->message);
          show_state (self, "password");
          gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
        }
      else
        {
          adw_status_page_set_description (self->error_page, error->message);
          show_state (self, "error");
        }
      return;
    }

  self->document = g_steal_pointer (&document);
  measure_document (self);
  self->page = 0;
  self->page_target = -1;
  self->zoom = 1;
  for (guint i = 0; i < sb_pdf_document_get_n_pages (self->document); i++)
    {
      g_autoptr(SbPdfPageItem) item = g_object_new (SB_TYPE_PDF_PAGE_ITEM, NULL);

      item->index = i;
      g_list_store_append (self->items, item);
    }

  show_state (self, "document");
  update_zoom (self);
}

typedef struct
{
  GBytes *bytes;
  char   *password;
} OpenJob;

static void
open_job_free (OpenJob *job)
{
  g_bytes_unref (job->bytes);
  if (job->password != NULL)
    memset (job->password, 0, strlen (job->password));
  g_free (job->password);
  g_free (job);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenJob *job = task_data;
  GError *error = NULL;
  SbPdfDocument *document = sb_pdf_document_new_from_bytes (job->bytes, job->password, &error);

  if (document == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, document, g_object_unref);
}

static void
open_document (SbPdfView  *self,
               const char *password)
{
  g_autoptr(GTask) task = NULL;
  OpenJob *job = g_new0 (OpenJob, 1);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_list_store_remove_all (self->items);
  g_clear_object (&self->document);
  g_clear_pointer (&self->found_marks, g_array_unref);
  g_clear_pointer (&self->found_text, g_free);
  cache_clear (self);
  show_state (self, "loading");

  job->bytes = g_bytes_ref (self->bytes);
  job->password = g_strdup (password);
  task = g_task_new (NULL, self->cancellable, on_opened, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify)open_job_free);
  g_task_run_in_thread (task, open_thread);
}

static void
on_password_activate (SbPdfView *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));

  if (self->bytes == NULL || password[0] == '\0')
    return;

  open_document (self, password);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
}

static void
on_thumbnail_activate (SbPdfView *self,
                       guint      position)
{
  sb_pdf_view_set_page (self, position);
}

typedef struct
{
  SbPdfDocument *document;
  char          *text;
  guint          start;
  guint          page;
  GArray        *marks;
} Search;

static void
search_free (Search *search)
{
  g_object_unref (search->document);
  g_free (search->text);
  g_clear_pointer (&search->marks, g_array_unref);
  g_free (search);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Search *search = task_data;
  guint n = sb_pdf_document_get_n_pages (search->document);

  for (guint i = 0; i < n && !g_cancellable_is_cancelled (cancellable); i++)
    {
      guint page = (search->start + i) % n;
      g_autoptr(GArray) marks = sb_pdf_document_find_text (search->document, page, search->text);

      if (marks->len > 0)
        {
          search->page = page;
          search->marks = g_steal_pointer (&marks);
          g_task_return_boolean (task, TRUE);
          return;
        }
    }

  g_task_return_boolean (task, FALSE);
}

/* Rebinds one page's rows, so they show it anew (with or without marks). */
static void
refresh_page (SbPdfView *self,
              guint      index)
{
  if (index < g_list_model_get_n_items (G_LIST_MODEL (self->items)))
    g_list_model_items_changed (G_LIST_MODEL (self->items), index, 1, 1);
}

static gboolean
show_found_page (gpointer user_data)
{
  g_autoptr(SbPdfView) self = user_data;

  if (self->found_marks != NULL)
    sb_pdf_view_set_page (self, self->found_page);

  return G_SOURCE_REMOVE;
}

static void
on_searched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SbPdfView) self = user_data;
  Search *search = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean found = g_task_propagate_boolean (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->document != search->document)
    return;

  if (self->found_marks != NULL)
    {
      g_clear_pointer (&self->found_marks, g_array_unref);
      refresh_page (self, self->found_page);
    }
  g_free (self->found_text);
  self->found_text = g_strdup (search->text);

  if (!found)
    {
      gtk_label_set_label (self->search_status, _("Not found in this document"));
      return;
    }

  {
    g_autofree char *status = g_strdup_printf (ngettext ("Found on page %u (%u time)",
                                                         "Found on page %u (%u times)",
                                                         search->marks->len),
                                               search->page + 1, search->marks->len);

    gtk_label_set_label (self->search_status, status);
  }
  self->found_page = search->page;
  self->found_marks = g_steal_pointer (&search->marks);
  self->found_serial++;
  refresh_page (self, self->found_page);
  /* Scroll once the rebound row is laid out. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, show_found_page, g_object_ref (self), NULL);
}

/* Enter finds the next page with the text, after the one found last. */
static void
on_search_activate (SbPdfView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GTask) task = NULL;
  Search *search;

  if (self->document == NULL || text[0] == '\0')
    return;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  self->search_cancellable = g_cancellable_new ();

  search = g_new0 (Search, 1);
  search->document = g_object_ref (self->document);
  search->text = g_strdup (text);
  search->start = self->found_marks != NULL && g_strcmp0 (self->found_text, text) == 0
                    ? self->found_page + 1 : self->page;
  gtk_label_set_label (self->search_status, _("Searching…"));

  task = g_task_new (NULL, self->search_cancellable, on_searched, g_object_ref (self));
  g_task_set_task_data (task, search, (GDestroyNotify)search_free);
  g_task_run_in_thread (task, search_thread);
}

static void
zoom_by (SbPdfView *self,
         double     factor)
{
  self->zoom_mode = ZOOM_FREE;
  {
    double zoom = CLAMP (self->zoom * factor, ZOOM_MIN, ZOOM_MAX);
    guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

    if (fabs (zoom - self->zoom) < 0.001)
      return;
    self->zoom = zoom;
    g_list_model_items_changed (G_LIST_MODEL (self->items), 0, n, n);
    sb_pdf_view_set_page (self, self->page);
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  }
}

static void
pdf_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SbPdfView *self = SB_PDF_VIEW (widget);
  guint n;

  if (self->document == NULL)
    return;

  n = sb_pdf_document_get_n_pages (self->document);

  if (g_str_equal (action_name, "pdf.find"))
    {
      gtk_search_bar_set_search_mode (self->search_bar, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
    }
  else if (g_str_equal (action_name, "pdf.zoom-in"))
    zoom_by (self, ZOOM_STEP);
  else if (g_str_equal (action_name, "pdf.zoom-out"))
    zoom_by (self, 1 / ZOOM_STEP);
  else if (g_str_equal (action_name, "pdf.zoom-fit-width") || g_str_equal (action_name, "pdf.zoom-fit-page"))
    {
      self->zoom_mode = g_str_equal (action_name, "pdf.zoom-fit-width") ? ZOOM_FIT_WIDTH : ZOOM_FIT_PAGE;
      update_zoom (self);
    }
  else if (g_str_equal (action_name, "pdf.rotate"))
    {
      guint count = g_list_model_get_n_items (G_LIST_MODEL (self->items));

      self->rotation = (self->rotation + 90) % 360;
      measure_document (self);
      g_list_model_items_changed (G_LIST_MODEL (self->items), 0, count, count);
      update_zoom (self);
      sb_pdf_view_set_page (self, self->page);
    }
  else if (g_str_equal (action_name, "pdf.next-page"))
    sb_pdf_view_set_page (self, MIN (self->page + 1, n - 1));
  else if (g_str_equal (action_name, "pdf.previous-page"))
    sb_pdf_view_set_page (self, self->page > 0 ? self->page - 1 : 0);
  else if (g_str_equal (action_name, "pdf.first-page"))
    sb_pdf_view_set_page (self, 0);
  else if (g_str_equal (action_name, "pdf.last-page"))
    sb_pdf_view_set_page (self, n - 1);
}

static void
sb_pdf_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  SbPdfView *self = SB_PDF_VIEW (widget);

  gtk_widget_measure (GTK_WIDGET (self->stack), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static gboolean
update_zoom_idle (gpointer user_data)
{
  SbPdfView *self = user_data;

  self->zoom_idle = 0;
  update_zoom (self);

  return G_SOURCE_REMOVE;
}

/* No layout manager: a widget with one does not get this call, and fitting
 * the page to the width needs it. The zoom changes after this allocation,
 * not during it: changing the pages now would invalidate what is being
 * allocated. */
static void
sb_pdf_view_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  SbPdfView *self = SB_PDF_VIEW (widget);

  gtk_widget_allocate (GTK_WIDGET (self->stack), width, height, baseline, NULL);

  if (self->zoom_mode != ZOOM_FREE && self->zoom_idle == 0 && self->document != NULL)
    self->zoom_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_zoom_idle, self, NULL);
}

static void
sb_pdf_view_dispose (GObject *object)
{
  SbPdfView *self = (SbPdfView *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_pointer (&self->found_marks, g_array_unref);
  g_clear_pointer (&self->found_text, g_free);
  g_clear_handle_id (&self->zoom_idle, g_source_remove);
  if (self->render_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->render_tick);
      self->render_tick = 0;
    }
  g_clear_pointer (&self->bound_pages, g_hash_table_unref);
  g_clear_pointer (&self->bound_thumbnails, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_PDF_VIEW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->document);
  g_clear_object (&self->items);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->message, g_free);
  if (self->cache != NULL)
    cache_clear (self);
  g_clear_pointer (&self->cache, g_hash_table_unref);

  G_OBJECT_CLASS (sb_pdf_view_parent_class)->dispose (object);
}

static void
sb_pdf_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SbPdfView *self = SB_PDF_VIEW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      g_value_set_uint (value, self->page);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_pdf_view_class_init (SbPdfViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const actions[] = {
    "pdf.find", "pdf.zoom-in", "pdf.zoom-out", "pdf.zoom-fit-width", "pdf.zoom-fit-page", "pdf.rotate",
    "pdf.next-page", "pdf.previous-page", "pdf.first-page", "pdf.last-page",
  };

  object_class->dispose = sb_pdf_view_dispose;
  object_class->get_property = sb_pdf_view_get_property;

  widget_class->measure = sb_pdf_view_measure;
  widget_class->size_allocate = sb_pdf_view_size_allocate;

  properties[PROP_PAGE] =
    g_param_spec_uint ("page", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0, ZOOM_MAX, 1,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/sb-pdf-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SbPdfView, stack);
  gtk_widget_class_bind_template_child (widget_class, SbPdfView, error_page);
  gtk_widget_class_bind_template_child (widget_class, SbPdfView, password_page);
  gtk_widget_class_bind_template_child (widget_class, SbPdfView, password_entry);
  gtk_widget_class_bind_template_child (widget_class, SbPdfView, spinner);
  gtk_widget_class_bind_template_child (widget_class, SbPdfView, thumbnails);
  gtk_widget_class_bind_template_child (widget_class, SbPdfView, pages);
  gtk_widget_class_bind_template_child (widget_class, SbPdfView, scroller);
  gtk_widget_class_bind_template_child (widget_class, SbPdfView, thumbnail_scroller);
  gtk_widget_class_bind_template_child (widget_class, SbPdfView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SbPdfView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SbPdfView, search_status);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_thumbnail_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i], NULL, pdf_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "pdf.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "pdf.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "pdf.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "pdf.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "pdf.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "pdf.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "pdf.zoom-fit-width", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "pdf.rotate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "pdf.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "pdf.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_CONTROL_MASK, "pdf.first-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, GDK_CONTROL_MASK, "pdf.last-page", NULL);

  gtk_widget_class_set_css_name (widget_class, "pdfview");
}

static void
sb_pdf_view_init (SbPdfView *self)
{
  GtkListItemFactory *pages = gtk_signal_list_item_factory_new ();
  GtkListItemFactory *thumbnails = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->page_target = -1;
  self->items = g_list_store_new (SB_TYPE_PDF_PAGE_ITEM);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)cache_entry_free);
  g_queue_init (&self->cache_order);
  self->cancellable = g_cancellable_new ();
  self->zoom = 1;
  self->row_extra = 2 * PAGE_MARGIN;
  self->bound_pages = g_hash_table_new (NULL, NULL);
  self->bound_thumbnails = g_hash_table_new (NULL, NULL);

  g_signal_connect_object (pages, "setup", G_CALLBACK (setup_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pages, "bind", G_CALLBACK (bind_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pages, "unbind", G_CALLBACK (unbind_page), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_factory (self->pages, pages);
  gtk_list_view_set_model (self->pages, GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->items)))));

  g_signal_connect_object (thumbnails, "setup", G_CALLBACK (setup_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (thumbnails, "bind", G_CALLBACK (bind_thumbnail), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (thumbnails, "unbind", G_CALLBACK (unbind_page), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_factory (self->thumbnails, thumbnails);
  gtk_list_view_set_model (self->thumbnails,
                           GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->items)))));

  g_object_unref (pages);
  g_object_unref (thumbnails);

  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (on_scrolled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->thumbnail_scroller), "value-changed",
                           G_CALLBACK (queue_render_visible), self, G_CONNECT_SWAPPED);

  /* Typing anywhere in the view starts a search. */
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}

GtkWidget *
sb_pdf_view_new (void)
{
  return g_object_new (SB_TYPE_PDF_VIEW, NULL);
}

/**
 * sb_pdf_view_load_bytes:
 *
 * Opens @pdf in a worker thread and shows it; asks for a password if it
 * has one, and says in words what is wrong if it cannot be shown.
 */
void
sb_pdf_view_load_bytes (SbPdfView *self,
                        GBytes    *pdf)
{
  g_return_if_fail (SB_IS_PDF_VIEW (self));
  g_return_if_fail (pdf != NULL);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  self->bytes = g_bytes_ref (pdf);
  self->zoom_mode = ZOOM_FIT_WIDTH;
  self->rotation = 0;
  open_document (self, NULL);
}

/**
 * sb_pdf_view_get_document:
 *
 * Returns: (transfer none) (nullable): the open document
 */
SbPdfDocument *
sb_pdf_view_get_document (SbPdfView *self)
{
  g_return_val_if_fail (SB_IS_PDF_VIEW (self), NULL);

  return self->document;
}

/**
 * sb_pdf_view_get_state:
 *
 * Returns: "empty", "loading", "error", "password" or "document"
 */
const char *
sb_pdf_view_get_state (SbPdfView *self)
{
  g_return_val_if_fail (SB_IS_PDF_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * sb_pdf_view_get_message:
 *
 * Returns: (nullable): why the document is not shown, in words for the clerk
 */
const char *
sb_pdf_view_get_message (SbPdfView *self)
{
  g_return_val_if_fail (SB_IS_PDF_VIEW (self), NULL);

  return self->message;
}

guint
sb_pdf_view_get_page (SbPdfView *self)
{
  g_return_val_if_fail (SB_IS_PDF_VIEW (self), 0);

  return self->page;
}

void
sb_pdf_view_set_page (SbPdfView *self,
                      guint      page)
{
  GtkAdjustment *adjustment;

  g_return_if_fail (SB_IS_PDF_VIEW (self));

  if (self->document == NULL)
    return;

  page = MIN (page, sb_pdf_document_get_n_pages (self->document) - 1);
  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  self->page_target = page_offset (self, page);
  gtk_adjustment_set_value (adjustment, self->page_target);

  if (self->page != page)
    {
      self->page = page;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
    }
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (self->thumbnails)), page);
}

double
sb_pdf_view_get_zoom (SbPdfView *self)
{
  g_return_val_if_fail (SB_IS_PDF_VIEW (self), 1);

  return self->zoom;
}

int
sb_pdf_view_get_rotation (SbPdfView *self)
{
  g_return_val_if_fail (SB_IS_PDF_VIEW (self), 0);

  return self->rotation;
}

/**
 * sb_pdf_view_find:
 *
 * Finds @text, as if typed into the search field and Enter pressed: shows
 * the next page that has it, highlighted.
 */
void
sb_pdf_view_find (SbPdfView  *self,
                  const char *text)
{
  g_return_if_fail (SB_IS_PDF_VIEW (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  on_search_activate (self);
}

/**
 * sb_pdf_view_get_search_status:
 *
 * Returns: what the search bar says about the last search
 */
const char *
sb_pdf_view_get_search_status (SbPdfView *self)
{
  g_return_val_if_fail (SB_IS_PDF_VIEW (self), NULL);

  return gtk_label_get_label (self->search_status);
}
