/* sb-pdf-view.h — preview of a PDF: pages, thumbnails, zoom, password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sb-pdf-document.h"

G_BEGIN_DECLS

#define SB_TYPE_PDF_VIEW (sb_pdf_view_get_type ())

G_DECLARE_FINAL_TYPE (SbPdfView, sb_pdf_view, SB, PDF_VIEW, GtkWidget)

GtkWidget     *sb_pdf_view_new          (void);
void           sb_pdf_view_load_bytes   (SbPdfView  *self,
                                         GBytes     *pdf);
SbPdfDocument *sb_pdf_view_get_document (SbPdfView  *self);
const char    *sb_pdf_view_get_state    (SbPdfView  *self);
const char    *sb_pdf_view_get_message  (SbPdfView  *self);
guint          sb_pdf_view_get_page     (SbPdfView  *self);
void           sb_pdf_view_set_page     (SbPdfView  *self,
                                         guint       page);
double         sb_pdf_view_get_zoom     (SbPdfView  *self);
int            sb_pdf_view_get_rotation (SbPdfView  *self);
void           sb_pdf_view_find         (SbPdfView  *self,
                                         const char *text);
const char    *sb_pdf_view_get_search_status (SbPdfView *self);

G_END_DECLS
