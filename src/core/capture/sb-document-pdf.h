/* sb-document-pdf.h — what a citizen hands in, as the platform takes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-page-encoder.h"
#include "sb-page-ops.h"

G_BEGIN_DECLS

GBytes *sb_document_from_file  (GBytes              *file,
                                const char * const  *accepted,
                                char               **media_type,
                                GError             **error);
GBytes *sb_document_from_scans (GPtrArray           *pages,
                                double               dpi,
                                SbPdfMode            mode,
                                gboolean             drop_blank,
                                const char * const  *accepted,
                                char               **media_type,
                                guint               *n_pages,
                                GError             **error);

G_END_DECLS
