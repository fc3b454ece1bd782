/* fuzz-pdf-open.c — libFuzzer target on the path a PDF takes to the screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built with -Dfuzzing=true and clang; the test command runs it for a
 * bounded time under AddressSanitizer and UndefinedBehaviorSanitizer.
 */

#include "config.h"

#include <stdint.h>

#include "sb-pdf-document.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
discard (const char     *domain,
         GLogLevelFlags  level,
         const char     *message,
         gpointer        user_data)
{
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* Poppler reports every syntax error it meets; millions of inputs later
   * that is only noise. */
  g_log_set_handler ("Poppler", G_LOG_LEVEL_MASK, discard, NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(SbPdfDocument) document = sb_pdf_document_new_from_bytes (bytes, NULL, NULL);

  if (document == NULL)
    return 0;

  for (guint i = 0; i < MIN (3u, sb_pdf_document_get_n_pages (document)); i++)
    {
      double width = 0, height = 0;
      cairo_surface_t *surface;

      sb_pdf_document_get_page_size (document, i, &width, &height);
      surface = sb_pdf_document_render_page (document, i, 0.1, (int)(i * 90), NULL);
      if (surface != NULL)
        cairo_surface_destroy (surface);
    }

  return 0;
}
