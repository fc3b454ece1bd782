/* test-pdf-document.c — opening PDFs for showing: good ones, damaged ones,
 * protected ones, hostile ones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <leptonica/allheaders.h>
#include <locale.h>
#include <string.h>

#include "sb-pdf-document.h"
#include "sb-pdf-writer.h"

/* A real two-page PDF from our own writer: a gray page and a text-like page. */
static GBytes *
make_pdf (void)
{
  g_autoptr(SbPdfWriter) writer = sb_pdf_writer_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      PIX *pix = pixCreate (620, 877, 8);
      l_uint8 *png = NULL;
      size_t len = 0;
      g_autoptr(GBytes) bytes = NULL;
      SbEncodedImage *page;

      pixSetAll (pix);
      pixSetAllArbitrary (pix, 255);
      for (int y = 100; y < 800; y += 40)
        pixRasterop (pix, 60, y, 400 + (y % 120), 12, PIX_CLR, NULL, 0, 0);
      pixSetResolution (pix, 75, 75);
      g_assert_cmpint (pixWriteMemPng (&png, &len, pix, 0), ==, 0);
      bytes = g_bytes_new (png, len);
      lept_free (png);
      pixDestroy (&pix);

      page = sb_page_encode (bytes, i == 0 ? SB_PDF_MODE_GRAY : SB_PDF_MODE_BW, 75, &error);
      g_assert_no_error (error);
      sb_pdf_writer_add_page (writer, page);
    }

  return sb_pdf_writer_finish (writer, &error);
}

static void
test_pdf_document_good (void)
{
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SbPdfDocument) document = sb_pdf_document_new_from_bytes (pdf, NULL, &error);
  cairo_surface_t *surface;
  double width = 0, height = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (sb_pdf_document_get_n_pages (document), ==, 2);
  g_assert_true (sb_pdf_document_get_page_size (document, 1, &width, &height));
  g_assert_cmpfloat_with_epsilon (width, 595.2, 0.5);
  g_assert_cmpfloat_with_epsilon (height, 841.9, 0.5);
  g_assert_false (sb_pdf_document_get_page_size (document, 2, &width, &height));

  surface = sb_pdf_document_render_page (document, 0, 0.5, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 298);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 421);
  cairo_surface_destroy (surface);

  /* Turned a quarter: width and height trade places. */
  surface = sb_pdf_document_render_page (document, 1, 0.5, 90, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 421);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 298);
  cairo_surface_destroy (surface);

  g_assert_null (sb_pdf_document_render_page (document, 5, 1, 0, &error));
  g_assert_error (error, SB_PDF_ERROR, SB_PDF_ERROR_NO_SUCH_PAGE);
}

/* Opens, or fails with a message; and whatever opens renders without a
 * crash. Poppler repairs what it can. */
static void
assert_opens_or_damaged (GBytes     *pdf,
                         const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbPdfDocument) document = sb_pdf_document_new_from_bytes (pdf, NULL, &error);

  g_test_message ("%s: %s", what, document ? "opened (repaired)" : error->message);
  if (document == NULL)
    {
      g_assert_error (error, SB_PDF_ERROR, SB_PDF_ERROR_DAMAGED);
      g_assert_nonnull (strstr (error->message, "damaged"));
      return;
    }

  for (guint i = 0; i < sb_pdf_document_get_n_pages (document); i++)
    {
      g_autoptr(GError) render_error = NULL;
      cairo_surface_t *surface = sb_pdf_document_render_page (document, i, 0.25, 0, &render_error);

      if (surface != NULL)
        cairo_surface_destroy (surface);
    }
}

static void
test_pdf_document_damaged (void)
{
  g_autoptr(GBytes) pdf = make_pdf ();
  gsize len;
  const char *data = g_bytes_get_data (pdf, &len);
  g_autofree char *copy = NULL;
  char *xref;

  /* Truncated at several points. */
  for (guint cut = 10; cut < 100; cut += 15)
    {
      g_autoptr(GBytes) truncated = g_bytes_new (data, len * cut / 100);
      g_autofree char *what = g_strdup_printf ("truncated at %u%%", cut);

      assert_opens_or_damaged (truncated, what);
    }

  /* A broken cross-reference table. */
  copy = g_memdup2 (data, len);
  xref = memmem (copy + len - 2048, 2048, "\nxref\n", 6);
  g_assert_nonnull (xref);
  xref++;
  memset (xref + 5, '9', MIN (60, (gsize)(copy + len - xref - 5)));
  {
    g_autoptr(GBytes) broken = g_bytes_new (copy, len);

    assert_opens_or_damaged (broken, "broken xref");
  }

  /* Broken streams: garbage in the middle of the image data. */
  g_free (copy);
  copy = g_memdup2 (data, len);
  memset (copy + len / 2, 0x5a, 300);
  {
    g_autoptr(GBytes) broken = g_bytes_new (copy, len);

    assert_opens_or_damaged (broken, "broken stream");
  }

  /* Not a PDF at all. */
  {
    g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
    g_autoptr(GBytes) header = g_bytes_new_static ("%PDF-1.7\n", 9);
    g_autoptr(GBytes) random = NULL;
    guint8 noise[4096];
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < sizeof noise; i++)
      noise[i] = g_random_int_range (0, 256);
    random = g_bytes_new (noise, sizeof noise);

    g_assert_null (sb_pdf_document_new_from_bytes (empty, NULL, &error));
    g_assert_error (error, SB_PDF_ERROR, SB_PDF_ERROR_DAMAGED);
    g_clear_error (&error);
    g_assert_null (sb_pdf_document_new_from_bytes (header, NULL, &error));
    g_assert_error (error, SB_PDF_ERROR, SB_PDF_ERROR_DAMAGED);
    g_clear_error (&error);
    g_assert_null (sb_pdf_document_new_from_bytes (random, NULL, &error));
    g_assert_error (error, SB_PDF_ERROR, SB_PDF_ERROR_DAMAGED);
  }
}

static void
test_pdf_document_password (void)
{
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sb-pdf-XXXXXX", &error);
  g_autofree char *plain = g_build_filename (dir, "plain.pdf", NULL);
  g_autofree char *locked = g_build_filename (dir, "locked.pdf", NULL);
  const char *argv[] = { "qpdf", "--encrypt", "geheim", "owner-pw", "256", "--", plain, locked, NULL };
  g_autoptr(GBytes) protected = NULL;
  g_autoptr(SbPdfDocument) document = NULL;
  char *contents = NULL;
  gsize len = 0;
  int status = 0;

  g_assert_true (g_file_set_contents (plain, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error));
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_get_contents (locked, &contents, &len, &error));
  protected = g_bytes_new_take (contents, len);

  g_assert_null (sb_pdf_document_new_from_bytes (protected, NULL, &error));
  g_assert_error (error, SB_PDF_ERROR, SB_PDF_ERROR_NEEDS_PASSWORD);
  g_assert_nonnull (strstr (error->message, "password"));
  g_clear_error (&error);

  g_assert_null (sb_pdf_document_new_from_bytes (protected, "falsch", &error));
  g_assert_error (error, SB_PDF_ERROR, SB_PDF_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);

  document = sb_pdf_document_new_from_bytes (protected, "geheim", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sb_pdf_document_get_n_pages (document), ==, 2);

  g_remove (plain);
  g_remove (locked);
  g_rmdir (dir);
}

/* A page as large as PDF allows, asked for at a silly zoom: scaled down,
 * never allocated whole. */
static void
test_pdf_document_render_bound (void)
{
  static const char huge[] =
    "%PDF-1.4\n"
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] >> endobj\n"
    "trailer << /Root 1 0 R >>\n"
    "%%EOF\n";
  g_autoptr(GBytes) pdf = g_bytes_new_static (huge, sizeof huge - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbPdfDocument) document = sb_pdf_document_new_from_bytes (pdf, NULL, &error);
  cairo_surface_t *surface;
  double pixels;

  g_assert_no_error (error);
  surface = sb_pdf_document_render_page (document, 0, 10, 0, &error);
  g_assert_no_error (error);
  pixels = (double)cairo_image_surface_get_width (surface) * cairo_image_surface_get_height (surface);
  g_assert_cmpfloat (pixels, <=, SB_PDF_MAX_RENDER_PIXELS * 1.01);
  g_assert_cmpfloat (pixels, >, SB_PDF_MAX_RENDER_PIXELS * 0.9);
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pdf-document/good", test_pdf_document_good);
  g_test_add_func ("/pdf-document/damaged", test_pdf_document_damaged);
  g_test_add_func ("/pdf-document/password", test_pdf_document_password);
  g_test_add_func ("/pdf-document/render-bound", test_pdf_document_render_bound);

  return g_test_run ();
}
