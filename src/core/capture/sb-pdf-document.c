/* sb-pdf-document.c — a PDF opened for showing, safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Poppler is not thread-safe per document: every call into one document
 * holds that document's lock (what Evince and Papers learned), so pages can
 * be rendered in worker threads. Sizes are bounded before anything is
 * allocated: a file too large, too many pages, or a page whose rendering
 * would need more than SB_PDF_MAX_RENDER_PIXELS is refused or scaled down.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <poppler.h>
#include <string.h>

#include "sb-pdf-document.h"

struct _SbPdfDocument
{
  GObject           parent_instance;

  GMutex            lock;
  PopplerDocument  *document;
  GBytes           *bytes;
  guint             n_pages;
  double           *sizes;     /* width, height per page, read once at open */
};

G_DEFINE_QUARK (sb-pdf-error-quark, sb_pdf_error)
G_DEFINE_FINAL_TYPE (SbPdfDocument, sb_pdf_document, G_TYPE_OBJECT)

static void
sb_pdf_document_finalize (GObject *object)
{
  SbPdfDocument *self = (SbPdfDocument *)object;

  g_clear_object (&self->document);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->sizes, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sb_pdf_document_parent_class)->finalize (object);
}

static void
sb_pdf_document_class_init (SbPdfDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_pdf_document_finalize;
}

static void
sb_pdf_document_init (SbPdfDocument *self)
{
  g_mutex_init (&self->lock);
}

/**
 * sb_pdf_document_new_from_bytes:
 * @password: (nullable): the password, for a protected PDF
 *
 * Returns: (transfer full): the document, or %NULL with @error set to a
 *   message that says what to do (SB_PDF_ERROR_NEEDS_PASSWORD: ask for it)
 */
SbPdfDocument *
sb_pdf_document_new_from_bytes (GBytes      *pdf,
                                const char  *password,
                                GError     **error)
{
  g_autoptr(SbPdfDocument) self = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;

  g_return_val_if_fail (pdf != NULL, NULL);

  len = g_bytes_get_size (pdf);
  if (len > SB_PDF_MAX_BYTES)
    {
      g_set_error (error, SB_PDF_ERROR, SB_PDF_ERROR_TOO_LARGE,
                   _("This PDF is too large to show (%lu MB; at most %d MB). Ask for it in smaller parts."),
                   (gulong)(len / (1024 * 1024)), SB_PDF_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  /* A PDF says so in its first kilobyte; anything else never reaches the
   * parser (and poppler must not be handed an empty buffer). */
  if (len < 8 || memmem (g_bytes_get_data (pdf, NULL), MIN (len, 1024), "%PDF-", 5) == NULL)
    {
      g_set_error_literal (error, SB_PDF_ERROR, SB_PDF_ERROR_DAMAGED,
                           _("This file is not a PDF, or it is damaged and cannot be shown. Ask the sender "
                             "for a new copy, or scan the paper document instead."));
      return NULL;
    }

  self = g_object_new (SB_TYPE_PDF_DOCUMENT, NULL);
  self->bytes = g_bytes_ref (pdf);
  /* With poppler 22.12, poppler_document_new_from_bytes() crashed when
   * called again on the same GBytes after a failed attempt (a wrong
   * password); reading through a memory stream over our bytes does not. */
  {
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (self->bytes);

    self->document = poppler_document_new_from_stream (stream, (goffset)len, password, NULL, &local_error);
  }

  if (self->document == NULL)
    {
      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        {
          if (password == NULL || *password == '\0')
            g_set_error_literal (error, SB_PDF_ERROR, SB_PDF_ERROR_NEEDS_PASSWORD,
                                 _("This PDF is protected by a password. Ask the citizen for it and enter it."));
          else
            g_set_error_literal (error, SB_PDF_ERROR, SB_PDF_ERROR_WRONG_PASSWORD,
                                 _("The password does not open this PDF. Check it with the citizen and try again."));
        }
      else
        {
          g_set_error_literal (error, SB_PDF_ERROR, SB_PDF_ERROR_DAMAGED,
                               _("This PDF is damaged and cannot be shown. Ask the sender for a new copy, "
                                 "or scan the paper document instead."));
        }
      return NULL;
    }

  self->n_pages = poppler_document_get_n_pages (self->document);
  if (self->n_pages == 0)
    {
      g_set_error_literal (error, SB_PDF_ERROR, SB_PDF_ERROR_DAMAGED,
                           _("This PDF has no pages that can be shown. Ask the sender for a new copy, "
                             "or scan the paper document instead."));
      return NULL;
    }
  if (self->n_pages > SB_PDF_MAX_PAGES)
    {
      g_set_error (error, SB_PDF_ERROR, SB_PDF_ERROR_TOO_MANY_PAGES,
                   _("This PDF has %u pages, more than the %d that can be handled at the counter. "
                     "Ask for the pages that matter."), self->n_pages, SB_PDF_MAX_PAGES);
      return NULL;
    }

  /* Layout needs every page's size: read them here, in the opening thread,
   * so that a view never waits for poppler on its main loop. */
  self->sizes = g_new0 (double, 2 * self->n_pages);
  for (guint i = 0; i < self->n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (self->document, i);

      self->sizes[2 * i] = 595.0;
      self->sizes[2 * i + 1] = 842.0;
      if (page != NULL)
        {
          poppler_page_get_size (page, &self->sizes[2 * i], &self->sizes[2 * i + 1]);
          g_object_unref (page);
        }
    }

  return g_steal_pointer (&self);
}

guint
sb_pdf_document_get_n_pages (SbPdfDocument *self)
{
  g_return_val_if_fail (SB_IS_PDF_DOCUMENT (self), 0);

  return self->n_pages;
}

/**
 * sb_pdf_document_get_page_size:
 * @width: (out): in points
 * @height: (out): in points
 *
 * Never waits: the sizes were read when the document was opened.
 */
gboolean
sb_pdf_document_get_page_size (SbPdfDocument *self,
                               guint          index,
                               double        *width,
                               double        *height)
{
  g_return_val_if_fail (SB_IS_PDF_DOCUMENT (self), FALSE);

  if (index >= self->n_pages)
    return FALSE;

  *width = self->sizes[2 * index];
  *height = self->sizes[2 * index + 1];

  return TRUE;
}

/**
 * sb_pdf_document_render_page:
 * @scale: device pixels per point (2 for 144 dpi, say)
 * @rotation: 0, 90, 180 or 270, clockwise
 *
 * Renders a page on an opaque white background (ARGB32, so it can become
 * a GdkMemoryTexture as it is), from any thread. A rendering
 * larger than SB_PDF_MAX_RENDER_PIXELS is scaled down to fit.
 *
 * Returns: (transfer full): an image surface, or %NULL with @error set
 */
cairo_surface_t *
sb_pdf_document_render_page (SbPdfDocument  *self,
                             guint           index,
                             double          scale,
                             int             rotation,
                             GError        **error)
{
  return sb_pdf_document_render_page_marked (self, index, scale, rotation, NULL, error);
}

/**
 * sb_pdf_document_find_text:
 *
 * Finds @text on a page, ignoring case.
 *
 * Returns: (transfer full) (element-type cairo_rectangle_t): where it is, in
 *   points from the page's top left corner (empty when it is not there)
 */
GArray *
sb_pdf_document_find_text (SbPdfDocument *self,
                           guint          index,
                           const char    *text)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  PopplerPage *page;
  GList *rectangles;

  g_return_val_if_fail (SB_IS_PDF_DOCUMENT (self), found);

  if (index >= self->n_pages || text == NULL || text[0] == '\0')
    return found;

  g_mutex_lock (&self->lock);
  page = poppler_document_get_page (self->document, index);
  rectangles = page ? poppler_page_find_text (page, text) : NULL;
  for (GList *l = rectangles; l != NULL; l = l->next)
    {
      PopplerRectangle *r = l->data;
      /* Poppler counts from the bottom, as PDF does. */
      cairo_rectangle_t box = {
        MIN (r->x1, r->x2), self->sizes[2 * index + 1] - MAX (r->y1, r->y2),
        fabs (r->x2 - r->x1), fabs (r->y2 - r->y1),
      };

      g_array_append_val (found, box);
    }
  g_list_free_full (rectangles, (GDestroyNotify)poppler_rectangle_free);
  g_clear_object (&page);
  g_mutex_unlock (&self->lock);

  return found;
}

/**
 * sb_pdf_document_render_page_marked:
 * @marks: (nullable) (element-type cairo_rectangle_t): areas to highlight,
 *   in points from the page's top left corner (found text, say)
 *
 * As sb_pdf_document_render_page(), with @marks highlighted.
 */
cairo_surface_t *
sb_pdf_document_render_page_marked (SbPdfDocument  *self,
                                    guint           index,
                                    double          scale,
                                    int             rotation,
                                    GArray         *marks,
                                    GError        **error)
{
  PopplerPage *page;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width = 0, height = 0, pixels;
  int surface_width, surface_height;

  g_return_val_if_fail (SB_IS_PDF_DOCUMENT (self), NULL);
  g_return_val_if_fail (scale > 0, NULL);
  g_return_val_if_fail (rotation % 90 == 0, NULL);

  rotation = ((rotation % 360) + 360) % 360;

  if (index >= self->n_pages)
    {
      g_set_error (error, SB_PDF_ERROR, SB_PDF_ERROR_NO_SUCH_PAGE,
                   _("This PDF has no page %u."), index + 1);
      return NULL;
    }

  g_mutex_lock (&self->lock);

  page = poppler_document_get_page (self->document, index);
  if (page == NULL)
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, SB_PDF_ERROR, SB_PDF_ERROR_DAMAGED,
                   _("Page %u of this PDF is damaged and cannot be shown."), index + 1);
      return NULL;
    }

  poppler_page_get_size (page, &width, &height);
  if (!(width > 0 && height > 0 && isfinite (width) && isfinite (height)))
    width = height = 1;

  pixels = width * scale * height * scale;
  if (pixels > SB_PDF_MAX_RENDER_PIXELS)
    scale *= sqrt (SB_PDF_MAX_RENDER_PIXELS / pixels);

  surface_width = MAX (1, (int)ceil (width * scale));
  surface_height = MAX (1, (int)ceil (height * scale));
  if (rotation == 90 || rotation == 270)
    {
      int swap = surface_width;

      surface_width = surface_height;
      surface_height = swap;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, surface_width, surface_height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  switch (rotation)
    {
    case 90:
      cairo_translate (cr, surface_width, 0);
      break;
    case 180:
      cairo_translate (cr, surface_width, surface_height);
      break;
    case 270:
      cairo_translate (cr, 0, surface_height);
      break;
    default:
      break;
    }
  cairo_rotate (cr, rotation * G_PI / 180.0);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  g_object_unref (page);

  for (guint i = 0; marks != NULL && i < marks->len; i++)
    {
      const cairo_rectangle_t *mark = &g_array_index (marks, cairo_rectangle_t, i);

      cairo_rectangle (cr, mark->x - 1, mark->y - 1, mark->width + 2, mark->height + 2);
    }
  cairo_set_operator (cr, CAIRO_OPERATOR_MULTIPLY);
  cairo_set_source_rgb (cr, 1.0, 0.85, 0.2);
  cairo_fill (cr);

  g_mutex_unlock (&self->lock);

  cairo_destroy (cr);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, SB_PDF_ERROR, SB_PDF_ERROR_TOO_LARGE,
                   _("Page %u is too large to show."), index + 1);
      return NULL;
    }

  return surface;
}
