/* test-pdf-writer.c — the PDF writer's contracts that the command line
 * does not reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <leptonica/allheaders.h>
#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>
#include <zlib.h>

#include "sb-pdf-writer.h"

static void
test_pdf_writer_empty (void)
{
  g_autoptr(SbPdfWriter) writer = sb_pdf_writer_new ();
  g_autoptr(GError) error = NULL;

  g_assert_null (sb_pdf_writer_finish (writer, &error));
  g_assert_error (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "at least one page"));
}

/* Bilevel Flate rows carry 1 for ink, as Leptonica does: the page must show
 * black where the bits are set. */
static void
test_pdf_writer_flate_polarity (void)
{
  g_autoptr(SbPdfWriter) writer = sb_pdf_writer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sb-pdf-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "flate.pdf", NULL);
  g_autofree char *out = NULL;
  guchar rows[64 * 8];
  uLongf len = compressBound (sizeof rows);
  guchar *packed = g_malloc (len);
  SbEncodedImage *image = g_new0 (SbEncodedImage, 1);
  const char *argv[] = { "pdftoppm", "-r", "72", "-gray", path, NULL };
  gsize header_end = 0;
  guint lines = 0;
  int status = 0;

  /* 64 × 64 pixels: the top half ink, the bottom half paper. */
  memset (rows, 0xff, sizeof rows / 2);
  memset (rows + sizeof rows / 2, 0x00, sizeof rows / 2);
  g_assert_cmpint (compress2 (packed, &len, rows, sizeof rows, 9), ==, Z_OK);

  image->filter = SB_IMAGE_FILTER_FLATE;
  image->width = image->height = 64;
  image->components = image->bits = 1;
  image->dpi_x = image->dpi_y = 72;
  image->data = g_bytes_new_take (packed, len);
  sb_pdf_writer_add_page (writer, image);
  sb_pdf_writer_set_pdfa (writer, FALSE);

  pdf = sb_pdf_writer_finish (writer, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error));

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* A binary PGM: three header lines, then 64 × 64 gray bytes. */
  while (lines < 3)
    if (out[header_end++] == '\n')
      lines++;
  g_assert_cmpuint ((guchar)out[header_end + 10 * 64 + 32], <, 64);
  g_assert_cmpuint ((guchar)out[header_end + 50 * 64 + 32], >, 192);

  g_remove (path);
  g_rmdir (dir);
}

static void
test_pdf_writer_refuses_bad_images (void)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("hello, not an image", 19);
  g_autoptr(GBytes) wide_bytes = NULL;
  g_autoptr(GError) error = NULL;
  PIX *wide = pixCreate (SB_PAGE_MAX_PIXELS + 1000, 8, 1);
  l_uint8 *png = NULL;
  size_t len = 0;

  g_assert_null (sb_page_encode (text, SB_PDF_MODE_AUTO, 300, &error));
  g_assert_error (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNREADABLE);
  g_clear_error (&error);

  /* Too many pixels for a page is refused from the header, before the
   * pixels are decoded. */
  g_assert_cmpint (pixWriteMemPng (&png, &len, wide, 0), ==, 0);
  wide_bytes = g_bytes_new (png, len);
  lept_free (png);
  pixDestroy (&wide);
  g_assert_null (sb_page_encode (wide_bytes, SB_PDF_MODE_AUTO, 300, &error));
  g_assert_error (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "13000"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pdf-writer/empty", test_pdf_writer_empty);
  g_test_add_func ("/pdf-writer/flate-polarity", test_pdf_writer_flate_polarity);
  g_test_add_func ("/pdf-writer/refuses-bad-images", test_pdf_writer_refuses_bad_images);

  return g_test_run ();
}
