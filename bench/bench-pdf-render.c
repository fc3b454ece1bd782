/* bench-pdf-render.c — time to the first rendered page of a PDF and peak
 * memory, the way the app's preview opens a document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-pdf-render FILE.pdf DPI   prints "first-page-ms=N max-rss-kb=N"
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "sb-pdf-document.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SbPdfDocument) document = NULL;
  cairo_surface_t *surface;
  struct rusage usage;
  gint64 start;

  if (argc != 3)
    {
      fprintf (stderr, "usage: bench-pdf-render FILE.pdf DPI\n");
      return 2;
    }

  start = g_get_monotonic_time ();
  file = g_file_new_for_commandline_arg (argv[1]);
  bytes = g_file_load_bytes (file, NULL, NULL, &error);
  if (bytes != NULL)
    document = sb_pdf_document_new_from_bytes (bytes, NULL, &error);
  if (document == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  surface = sb_pdf_document_render_page (document, 0, atof (argv[2]) / 72.0, 0, &error);
  if (surface == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  cairo_surface_flush (surface);

  getrusage (RUSAGE_SELF, &usage);
  printf ("first-page-ms=%.1f max-rss-kb=%ld\n", (g_get_monotonic_time () - start) / 1000.0, usage.ru_maxrss);
  cairo_surface_destroy (surface);

  return 0;
}
