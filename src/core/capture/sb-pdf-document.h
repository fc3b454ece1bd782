/* sb-pdf-document.h — a PDF opened for showing, safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define SB_PDF_ERROR (sb_pdf_error_quark ())

typedef enum
{
  SB_PDF_ERROR_NEEDS_PASSWORD,
  SB_PDF_ERROR_WRONG_PASSWORD,
  SB_PDF_ERROR_DAMAGED,
  SB_PDF_ERROR_TOO_LARGE,
  SB_PDF_ERROR_TOO_MANY_PAGES,
  SB_PDF_ERROR_NO_SUCH_PAGE,
} SbPdfError;

/* Limits that keep a hostile or broken file from taking the desk down. */
#define SB_PDF_MAX_BYTES        (256 * 1024 * 1024)
#define SB_PDF_MAX_PAGES        2000
#define SB_PDF_MAX_RENDER_PIXELS (40 * 1000 * 1000)

#define SB_TYPE_PDF_DOCUMENT (sb_pdf_document_get_type ())

G_DECLARE_FINAL_TYPE (SbPdfDocument, sb_pdf_document, SB, PDF_DOCUMENT, GObject)

GQuark           sb_pdf_error_quark               (void);
SbPdfDocument   *sb_pdf_document_new_from_bytes   (GBytes         *pdf,
                                                   const char     *password,
                                                   GError        **error);
guint            sb_pdf_document_get_n_pages      (SbPdfDocument  *self);
gboolean         sb_pdf_document_get_page_size    (SbPdfDocument  *self,
                                                   guint           index,
                                                   double         *width,
                                                   double         *height);
cairo_surface_t *sb_pdf_document_render_page      (SbPdfDocument  *self,
                                                   guint           index,
                                                   double          scale,
                                                   int             rotation,
                                                   GError        **error);
cairo_surface_t *sb_pdf_document_render_page_marked (SbPdfDocument *self,
                                                     guint          index,
                                                     double         scale,
                                                     int            rotation,
                                                     GArray        *marks,
                                                     GError       **error);
GArray          *sb_pdf_document_find_text        (SbPdfDocument  *self,
                                                   guint           index,
                                                   const char     *text);

G_END_DECLS
