/* sb-pdf-writer.h — compact, archival (PDF/A-2b), deterministic PDFs of pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-page-encoder.h"

G_BEGIN_DECLS

#define SB_TYPE_PDF_WRITER (sb_pdf_writer_get_type ())

G_DECLARE_FINAL_TYPE (SbPdfWriter, sb_pdf_writer, SB, PDF_WRITER, GObject)

SbPdfWriter *sb_pdf_writer_new           (void);
void         sb_pdf_writer_set_pdfa      (SbPdfWriter    *self,
                                          gboolean        pdfa);
void         sb_pdf_writer_set_title     (SbPdfWriter    *self,
                                          const char     *title);
void         sb_pdf_writer_set_date      (SbPdfWriter    *self,
                                          GDateTime      *date);
void         sb_pdf_writer_add_page      (SbPdfWriter    *self,
                                          SbEncodedImage *image);
guint        sb_pdf_writer_get_n_pages   (SbPdfWriter    *self);
GBytes      *sb_pdf_writer_finish        (SbPdfWriter    *self,
                                          GError        **error);

G_END_DECLS
