/* test-page-ops.c — straightening, cropping, blank pages, card pages, import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against pages drawn here with known angles, borders and content.
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "sb-page-ops.h"
#if HAVE_LIBHEIF
#include <libheif/heif.h>
#endif
#include "sb-pdf-writer.h"

#define DPI 150

/* An A4 page at 150 dpi with lines of "words": black bars of varied
 * width, the way text looks to a skew detector. */
static PIX *
text_page (guint lines)
{
  PIX *page = pixCreate (1240, 1754, 8);
  GRand *rand = g_rand_new_with_seed (42);

  pixSetAllArbitrary (page, 250);
  for (guint line = 0; line < lines; line++)
    {
      int y = 150 + (int)line * 36;
      int x = 120;

      while (x < 1100)
        {
          int width = g_rand_int_range (rand, 20, 110);
          BOX *word = boxCreate (x, y, MIN (width, 1120 - x), 18);

          pixClearInRect (page, word);  /* 0 = black in 8 bpp */
          boxDestroy (&word);
          x += width + g_rand_int_range (rand, 10, 24);
        }
    }
  g_rand_free (rand);
  pixSetResolution (page, DPI, DPI);
  return page;
}

static PIX *
turned (PIX    *pix,
        double  degrees)
{
  PIX *out = pixRotate (pix, (l_float32)(degrees * M_PI / 180.0), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);

  pixSetResolution (out, DPI, DPI);
  return out;
}

static void
test_skew_found (void)
{
  const double angles[] = { -4.0, -1.5, 0.0, 2.0, 5.0 };
  g_autoptr(PIX) page = text_page (40);

  for (guint i = 0; i < G_N_ELEMENTS (angles); i++)
    {
      g_autoptr(PIX) crooked = turned (page, angles[i]);
      double found = sb_page_find_skew (crooked);
      double left = 0;
      g_autoptr(PIX) straight = sb_page_deskew (crooked, &left);

      /* Leptonica measures the angle the text must turn by to be level. */
      g_test_message ("turned %.1f°, found %.2f°", angles[i], found);
      g_assert_cmpfloat (fabs (fabs (found) - fabs (angles[i])), <, 0.25);
      if (angles[i] != 0)
        g_assert_cmpfloat (found * angles[i], <, 0);
      g_assert_cmpfloat (fabs (sb_page_find_skew (straight)), <, 0.25);
    }
}

static void
test_skew_not_guessed_on_photo (void)
{
  /* A smooth gradient has no lines: nothing to straighten. */
  g_autoptr(PIX) photo = pixCreate (600, 400, 8);
  double angle = 1;
  g_autoptr(PIX) same = NULL;

  for (int y = 0; y < 400; y++)
    for (int x = 0; x < 600; x++)
      pixSetPixel (photo, x, y, (l_uint32)(x * 255 / 600));
  pixSetResolution (photo, DPI, DPI);

  g_assert_cmpfloat (sb_page_find_skew (photo), ==, 0);
  same = sb_page_deskew (photo, &angle);
  g_assert_cmpfloat (angle, ==, 0);
  g_assert_cmpint (pixGetWidth (same), ==, 600);
}

/* A scan of the whole glass (A4 at 150 dpi) with an ID card on it. */
static PIX *
card_on_glass (int x,
               int y)
{
  PIX *glass = pixCreate (1240, 1754, 32);
  BOX *card = boxCreate (x, y, 506, 319);  /* 85.6 × 54 mm at 150 dpi */
  BOX *photo = boxCreate (x + 30, y + 60, 120, 160);
  BOX *text = boxCreate (x + 200, y + 80, 250, 20);

  pixSetAllArbitrary (glass, 0xf4f4f400);
  pixSetInRectArbitrary (glass, card, 0xa8c8e000);
  pixSetInRectArbitrary (glass, photo, 0x60504000);
  pixSetInRectArbitrary (glass, text, 0x20202000);
  boxDestroy (&card);
  boxDestroy (&photo);
  boxDestroy (&text);
  pixSetResolution (glass, DPI, DPI);
  return glass;
}

static void
test_document_found_on_glass (void)
{
  const int places[][2] = { { 40, 50 }, { 600, 900 }, { 300, 1400 } };

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      g_autoptr(PIX) glass = card_on_glass (places[i][0], places[i][1]);
      BOX *box = NULL;
      l_int32 x, y, w, h;

      g_assert_true (sb_page_find_document (glass, &box));
      boxGetGeometry (box, &x, &y, &w, &h);
      g_test_message ("card at %d,%d found at %d,%d %d×%d", places[i][0], places[i][1], x, y, w, h);
      /* Within a few pixels of the card, never cutting into it. */
      g_assert_cmpint (x, <=, places[i][0]);
      g_assert_cmpint (y, <=, places[i][1]);
      g_assert_cmpint (x, >=, places[i][0] - 12);
      g_assert_cmpint (y, >=, places[i][1] - 12);
      g_assert_cmpint (x + w, >=, places[i][0] + 506);
      g_assert_cmpint (y + h, >=, places[i][1] + 319);
      g_assert_cmpint (x + w, <=, places[i][0] + 506 + 12);
      g_assert_cmpint (y + h, <=, places[i][1] + 319 + 12);
      boxDestroy (&box);
    }
}

static void
test_full_page_not_cropped (void)
{
  g_autoptr(PIX) page = text_page (40);
  g_autoptr(PIX) empty = pixCreate (1240, 1754, 8);
  BOX *box = NULL;

  g_assert_false (sb_page_find_document (page, &box));
  g_assert_null (box);
  pixSetAllArbitrary (empty, 240);
  g_assert_false (sb_page_find_document (empty, &box));
  g_assert_null (box);
}

static void
test_blank_pages (void)
{
  g_autoptr(PIX) text = text_page (1);
  g_autoptr(PIX) back = pixCreate (1240, 1754, 8);
  g_autoptr(PIX) stamp = pixCreate (1240, 1754, 8);
  GRand *rand = g_rand_new_with_seed (7);
  BOX *shadow = boxCreate (0, 0, 30, 1754);
  BOX *show_through = boxCreate (200, 300, 800, 600);
  BOX *mark = boxCreate (900, 1500, 60, 60);

  /* An empty back: paper noise, dust, the shadow of the edge, the front
   * showing through faintly. */
  pixSetAllArbitrary (back, 245);
  for (int i = 0; i < 4000; i++)
    pixSetPixel (back, g_rand_int_range (rand, 0, 1240), g_rand_int_range (rand, 0, 1754), 235);
  for (int i = 0; i < 30; i++)
    pixSetPixel (back, g_rand_int_range (rand, 0, 1240), g_rand_int_range (rand, 0, 1754), 40);
  pixSetInRectArbitrary (back, shadow, 90);
  pixSetInRectArbitrary (back, show_through, 215);
  pixSetResolution (back, DPI, DPI);
  g_assert_true (sb_page_is_blank (back));

  /* One line of text is not blank, and neither is a lone stamp. */
  g_assert_false (sb_page_is_blank (text));
  pixSetAllArbitrary (stamp, 245);
  pixSetInRectArbitrary (stamp, mark, 60);
  pixSetResolution (stamp, DPI, DPI);
  g_assert_false (sb_page_is_blank (stamp));

  boxDestroy (&shadow);
  boxDestroy (&show_through);
  boxDestroy (&mark);
  g_rand_free (rand);
}

static void
test_card_sides_on_one_page (void)
{
  g_autoptr(PIX) front = pixCreate (1011, 638, 32);  /* ID-1 at 300 dpi */
  g_autoptr(PIX) back = pixCreate (1011, 638, 8);
  g_autoptr(PIX) page = NULL;
  l_uint32 value = 0;

  pixSetAllArbitrary (front, 0x3060a000);
  pixSetAllArbitrary (back, 128);
  page = sb_page_combine_card (front, back, 300);

  g_assert_cmpint (pixGetWidth (page), ==, 2480);
  g_assert_cmpint (pixGetHeight (page), ==, 3507);
  g_assert_cmpint (pixGetDepth (page), ==, 32);
  /* The front at the top left margin, the back under it, paper around. */
  pixGetPixel (page, 177 + 10, 177 + 10, &value);
  g_assert_cmphex (value & 0xffffff00, ==, 0x3060a000);
  pixGetPixel (page, 177 + 10, 177 + 638 + 118 + 10, &value);
  g_assert_cmphex (value & 0xffffff00, ==, 0x80808000);
  pixGetPixel (page, 2400, 3400, &value);
  g_assert_cmphex (value & 0xffffff00, ==, 0xffffff00);
}

static void
test_compress_and_back (void)
{
  g_autoptr(PIX) page = text_page (40);
  g_autoptr(PIX) colour = card_on_glass (100, 100);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bw = sb_page_compress (page, SB_PDF_MODE_BW, DPI, &error);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(PIX) back = NULL;
  double dpi = 0;

  g_assert_no_error (error);
  /* A text page in G4: a few kilobytes, a TIFF that reads back at its dpi. */
  g_assert_cmpuint (g_bytes_get_size (bw), <, 40000);
  g_assert_cmpmem (g_bytes_get_data (bw, NULL), 2, "II", 2);
  back = sb_page_decode (bw, &dpi, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pixGetWidth (back), ==, 1240);
  g_assert_cmpfloat (dpi, ==, DPI);

  jpeg = sb_page_compress (colour, SB_PDF_MODE_COLOR, DPI, &error);
  g_assert_no_error (error);
  g_assert_cmphex (((const guchar *)g_bytes_get_data (jpeg, NULL))[0], ==, 0xff);
  g_assert_cmphex (((const guchar *)g_bytes_get_data (jpeg, NULL))[1], ==, 0xd8);
}

static void
test_process_crops_and_straightens (void)
{
  g_autoptr(PIX) glass = card_on_glass (300, 400);
  g_autoptr(PIX) page = text_page (40);
  g_autoptr(PIX) crooked = turned (page, 3.0);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbProcessedPage) card = NULL;
  g_autoptr(SbProcessedPage) text = NULL;

  card = sb_page_process (glass, DPI, SB_PDF_MODE_COLOR, SB_PROCESS_CROP | SB_PROCESS_DESKEW | SB_PROCESS_DETECT_BLANK, &error);
  g_assert_no_error (error);
  g_assert_true (card->cropped);
  g_assert_false (card->blank);
  g_assert_cmpuint (card->width, <, 530);
  g_assert_cmpuint (card->height, <, 345);
  g_assert_cmpuint (MAX (card->thumbnail_width, card->thumbnail_height), ==, SB_THUMBNAIL_SIZE);
  g_assert_cmpuint (g_bytes_get_size (card->thumbnail), ==, card->thumbnail_width * card->thumbnail_height * 4);

  text = sb_page_process (crooked, DPI, SB_PDF_MODE_BW, SB_PROCESS_DESKEW, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (text->skew_degrees), >, 2.75);
  g_assert_cmpfloat (fabs (text->skew_degrees), <, 3.25);
}

/* A JPEG whose Exif says "turn a quarter clockwise to show", as phones write. */
static GBytes *
jpeg_with_orientation (PIX *pix,
                       int  orientation)
{
  l_uint8 *jpeg = NULL;
  size_t len = 0;
  static const guchar exif_head[] = {
    0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
    'M', 'M', 0, 42, 0, 0, 0, 8,   /* big-endian TIFF, IFD at 8 */
    0, 1,                          /* one entry */
    0x01, 0x12, 0, 3, 0, 0, 0, 1,  /* Orientation, SHORT, 1 */
  };
  GByteArray *out = g_byte_array_new ();
  guchar value[4] = { 0, (guchar)orientation, 0, 0 };
  guchar next_ifd[4] = { 0, 0, 0, 0 };

  g_assert_cmpint (pixWriteMemJpeg (&jpeg, &len, pix, 80, 0), ==, 0);
  g_byte_array_append (out, jpeg, 2);
  g_byte_array_append (out, exif_head, sizeof exif_head);
  g_byte_array_append (out, value, 4);
  g_byte_array_append (out, next_ifd, 4);
  g_byte_array_append (out, jpeg + 2, (guint)len - 2);
  lept_free (jpeg);
  return g_byte_array_free_to_bytes (out);
}

static void
test_import_phone_photo_upright (void)
{
  g_autoptr(PIX) landscape = pixCreate (400, 300, 32);
  g_autoptr(GBytes) photo = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GError) error = NULL;
  PIX *upright;

  pixSetAllArbitrary (landscape, 0x80808000);
  photo = jpeg_with_orientation (landscape, 6);
  g_assert_cmpint (sb_jpeg_exif_orientation (photo), ==, 6);

  pages = sb_page_import (photo, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 1);
  upright = g_ptr_array_index (pages, 0);
  g_assert_cmpint (pixGetWidth (upright), ==, 300);
  g_assert_cmpint (pixGetHeight (upright), ==, 400);
}

static void
test_import_multipage_tiff (void)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "sb-test-pages.tif", NULL);
  g_autoptr(GBytes) tiff = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GError) error = NULL;
  gchar *data = NULL;
  gsize len = 0;

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(PIX) page = text_page (5 + i);
      g_autoptr(PIX) bw = pixConvertTo1 (page, 128);

      pixSetResolution (bw, DPI, DPI);
      g_assert_cmpint (pixWriteTiff (path, bw, IFF_TIFF_G4, i == 0 ? "w" : "a"), ==, 0);
    }
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_unlink (path);
  tiff = g_bytes_new_take (data, len);

  pages = sb_page_import (tiff, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 3);
  g_assert_cmpint (pixGetDepth (g_ptr_array_index (pages, 2)), ==, 8);
}

static void
test_import_pdf (void)
{
  g_autoptr(SbPdfWriter) writer = sb_pdf_writer_new ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 4; i++)
    {
      g_autoptr(PIX) page = text_page (10);
      g_autoptr(GBytes) image = sb_page_compress (page, SB_PDF_MODE_GRAY, DPI, &error);

      g_assert_no_error (error);
      sb_pdf_writer_add_page (writer, sb_page_encode (image, SB_PDF_MODE_GRAY, DPI, &error));
      g_assert_no_error (error);
    }
  pdf = sb_pdf_writer_finish (writer, &error);
  g_assert_no_error (error);

  pages = sb_page_import (pdf, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 4);
  /* A4 rendered at 200 dpi. */
  g_assert_cmpint (ABS (pixGetWidth (g_ptr_array_index (pages, 0)) - 1654), <=, 2);
}


#if HAVE_LIBHEIF
static struct heif_error
collect_heif (struct heif_context *context,
              const void          *data,
              size_t               size,
              void                *user_data)
{
  struct heif_error ok = { heif_error_Ok, heif_suberror_Unspecified, "" };

  g_byte_array_append (user_data, data, (guint)size);
  return ok;
}

/* A phone's HEIC photo: encoded here with libheif's own HEVC encoder. */
static void
test_import_heic (void)
{
  struct heif_context *context = heif_context_alloc ();
  struct heif_encoder *encoder = NULL;
  struct heif_image *image = NULL;
  struct heif_writer writer = { 1, collect_heif };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GBytes) heic = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GError) error = NULL;
  uint8_t *plane;
  int stride = 0;
  PIX *page;
  l_int32 r, g, b;

  if (heif_context_get_encoder_for_format (context, heif_compression_HEVC, &encoder).code != heif_error_Ok)
    {
      heif_context_free (context);
      g_test_skip ("libheif has no HEVC encoder here to make a HEIC photo with");
      return;
    }

  g_assert_cmpint (heif_image_create (320, 240, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &image).code, ==, heif_error_Ok);
  g_assert_cmpint (heif_image_add_plane (image, heif_channel_interleaved, 320, 240, 8).code, ==, heif_error_Ok);
  plane = heif_image_get_plane (image, heif_channel_interleaved, &stride);
  for (int y = 0; y < 240; y++)
    for (int x = 0; x < 320; x++)
      {
        plane[y * stride + 3 * x] = 200;
        plane[y * stride + 3 * x + 1] = 60;
        plane[y * stride + 3 * x + 2] = 40;
      }
  heif_encoder_set_lossy_quality (encoder, 90);
  g_assert_cmpint (heif_context_encode_image (context, image, encoder, NULL, NULL).code, ==, heif_error_Ok);
  g_assert_cmpint (heif_context_write (context, &writer, out).code, ==, heif_error_Ok);
  heif_encoder_release (encoder);
  heif_image_release (image);
  heif_context_free (context);

  heic = g_byte_array_free_to_bytes (g_steal_pointer (&out));
  pages = sb_page_import (heic, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 1);
  page = g_ptr_array_index (pages, 0);
  g_assert_cmpint (pixGetWidth (page), ==, 320);
  g_assert_cmpint (pixGetHeight (page), ==, 240);
  extractRGBValues (pixGetData (page)[120 * pixGetWpl (page) + 160], &r, &g, &b);
  g_assert_cmpint (ABS (r - 200), <, 12);
  g_assert_cmpint (ABS (g - 60), <, 12);
  g_assert_cmpint (ABS (b - 40), <, 12);
}
#endif

static void
test_import_refuses_other_files (void)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("Name;Vorname\nMustermann;Erika\n", 31);
  g_autoptr(GBytes) broken_pdf = g_bytes_new_static ("%PDF-1.7\ngarbage", 16);
  g_autoptr(GError) error = NULL;

  g_assert_null (sb_page_import (text, &error));
  g_assert_error (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_null (sb_page_import (broken_pdf, &error));
  g_assert_error (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNREADABLE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  setMsgSeverity (L_SEVERITY_NONE);

  g_test_add_func ("/page-ops/skew/found", test_skew_found);
  g_test_add_func ("/page-ops/skew/not-guessed-on-photo", test_skew_not_guessed_on_photo);
  g_test_add_func ("/page-ops/crop/document-on-glass", test_document_found_on_glass);
  g_test_add_func ("/page-ops/crop/full-page-not-cropped", test_full_page_not_cropped);
  g_test_add_func ("/page-ops/blank", test_blank_pages);
  g_test_add_func ("/page-ops/card-sides", test_card_sides_on_one_page);
  g_test_add_func ("/page-ops/compress", test_compress_and_back);
  g_test_add_func ("/page-ops/process", test_process_crops_and_straightens);
  g_test_add_func ("/page-ops/import/phone-photo", test_import_phone_photo_upright);
  g_test_add_func ("/page-ops/import/multipage-tiff", test_import_multipage_tiff);
  g_test_add_func ("/page-ops/import/pdf", test_import_pdf);
#if HAVE_LIBHEIF
  g_test_add_func ("/page-ops/import/heic", test_import_heic);
#endif
  g_test_add_func ("/page-ops/import/refused", test_import_refuses_other_files);

  return g_test_run ();
}
