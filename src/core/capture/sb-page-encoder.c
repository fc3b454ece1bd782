/* sb-page-encoder.c — one page image, compressed the way it compresses best
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A JPEG that stays a JPEG is passed through byte for byte (no second
 * generation of artefacts, and its hash is the scanner's). In "auto", the
 * counter's default, each page is classified: a text page becomes bilevel
 * (CCITT G4 or Flate, whichever is smaller), a page without colour becomes
 * gray JPEG, anything else colour JPEG. Decoding, classification and
 * binarisation are Leptonica's.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <leptonica/allheaders.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <jpeglib.h>

#include "sb-page-encoder.h"
#include "sb-page-ops.h"

G_DEFINE_QUARK (sb-capture-error-quark, sb_capture_error)

#define JPEG_QUALITY 75  /* simple-scan's default: ID cards and photos stay legible */

static void
pix_free (PIX *pix)
{
  pixDestroy (&pix);
}

static void
numa_free (NUMA *numa)
{
  numaDestroy (&numa);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NUMA, numa_free)

void
sb_encoded_image_free (SbEncodedImage *image)
{
  if (image == NULL)
    return;

  g_clear_pointer (&image->data, g_bytes_unref);
  g_clear_pointer (&image->words, g_ptr_array_unref);
  g_free (image);
}

/* What the JPEG's frame header says: size and number of components. */
static gboolean
jpeg_info (const guchar *data,
           gsize         len,
           guint        *width,
           guint        *height,
           guint        *components,
           double       *dpi)
{
  gsize i = 2;

  *dpi = 0;
  if (len < 4 || data[0] != 0xff || data[1] != 0xd8)
    return FALSE;

  while (i + 4 <= len)
    {
      guint marker, segment;

      if (data[i] != 0xff)
        return FALSE;
      marker = data[i + 1];
      if (marker == 0xff)
        {
          i++;
          continue;
        }
      segment = (data[i + 2] << 8) | data[i + 3];
      if (segment < 2 || i + 2 + segment > len)
        return FALSE;

      /* JFIF density, when it is given in dots per inch. */
      if (marker == 0xe0 && segment >= 16 && memcmp (data + i + 4, "JFIF", 5) == 0 && data[i + 11] == 1)
        *dpi = (data[i + 12] << 8) | data[i + 13];

      if ((marker >= 0xc0 && marker <= 0xc3) || (marker >= 0xc5 && marker <= 0xc7) ||
          (marker >= 0xc9 && marker <= 0xcb) || (marker >= 0xcd && marker <= 0xcf))
        {
          if (segment < 8)
            return FALSE;
          *height = (data[i + 5] << 8) | data[i + 6];
          *width = (data[i + 7] << 8) | data[i + 8];
          *components = data[i + 9];
          return data[i + 4] == 8 && *width > 0 && *height > 0;
        }

      i += 2 + segment;
    }

  return FALSE;
}

static SbEncodedImage *
encoded_new (SbImageFilter  filter,
             PIX           *pix,
             guint          components,
             guint          bits,
             double         dpi,
             guchar        *data,
             gsize          len)
{
  SbEncodedImage *image = g_new0 (SbEncodedImage, 1);

  image->filter = filter;
  image->width = pixGetWidth (pix);
  image->height = pixGetHeight (pix);
  image->components = components;
  image->bits = bits;
  image->dpi_x = image->dpi_y = dpi;
  image->data = g_bytes_new_take (data, len);

  return image;
}

typedef struct
{
  struct jpeg_error_mgr  manager;
  jmp_buf                escape;
} JpegError;

static void
jpeg_error_escape (j_common_ptr info)
{
  JpegError *error = (JpegError *)info->err;

  longjmp (error->escape, 1);
}

/* libjpeg-turbo with optimised Huffman tables (Leptonica's writer leaves
 * them at the defaults, which costs a tenth or more of every page). */
static SbEncodedImage *
encode_jpeg (PIX     *pix,
             double   dpi,
             GError **error)
{
  struct jpeg_compress_struct info;
  JpegError jpeg_error;
  guint width = pixGetWidth (pix), height = pixGetHeight (pix);
  gboolean colour = pixGetDepth (pix) == 32;
  l_uint32 *data = pixGetData (pix);
  int wpl = pixGetWpl (pix);
  unsigned char *out = NULL;
  unsigned long out_len = 0;
  g_autofree JSAMPLE *row = g_malloc ((gsize)width * (colour ? 3 : 1));
  guchar *copy;

  info.err = jpeg_std_error (&jpeg_error.manager);
  jpeg_error.manager.error_exit = jpeg_error_escape;
  if (setjmp (jpeg_error.escape))
    {
      jpeg_destroy_compress (&info);
      free (out);
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_FAILED,
                           _("The page could not be compressed. Scan it again."));
      return NULL;
    }

  jpeg_create_compress (&info);
  jpeg_mem_dest (&info, &out, &out_len);
  info.image_width = width;
  info.image_height = height;
  info.input_components = colour ? 3 : 1;
  info.in_color_space = colour ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults (&info);
  jpeg_set_quality (&info, JPEG_QUALITY, TRUE);
  info.optimize_coding = TRUE;
  info.density_unit = 1;
  info.X_density = info.Y_density = (UINT16)CLAMP (dpi, 1, 65535);

#ifdef JCS_EXTENSIONS
  /* Leptonica's RGBA words, little-endian in memory, are what
   * libjpeg-turbo calls XBGR: no copy of the page row by row. */
  if (colour && G_BYTE_ORDER == G_LITTLE_ENDIAN)
    {
      info.input_components = 4;
      info.in_color_space = JCS_EXT_XBGR;
    }
#endif
  jpeg_start_compress (&info, TRUE);

  for (guint y = 0; y < height; y++)
    {
      const l_uint32 *line = data + (gsize)y * wpl;
      JSAMPROW rows[1] = { row };

#ifdef JCS_EXTENSIONS
      if (info.in_color_space == JCS_EXT_XBGR)
        {
          rows[0] = (JSAMPROW)line;
          jpeg_write_scanlines (&info, rows, 1);
          continue;
        }
#endif
      for (guint x = 0; x < width; x++)
        {
          if (colour)
            {
              l_int32 r, g, b;

              extractRGBValues (line[x], &r, &g, &b);
              row[3 * x] = r;
              row[3 * x + 1] = g;
              row[3 * x + 2] = b;
            }
          else
            {
              row[x] = GET_DATA_BYTE (line, x);
            }
        }
      jpeg_write_scanlines (&info, rows, 1);
    }

  jpeg_finish_compress (&info);
  jpeg_destroy_compress (&info);

  copy = g_memdup2 (out, out_len);
  free (out);

  return encoded_new (SB_IMAGE_FILTER_DCT, pix, colour ? 3 : 1, 8, dpi, copy, out_len);
}

static guint32
tiff_value (const guchar *p,
            gboolean      big,
            guint         size)
{
  if (size == 2)
    return big ? (p[0] << 8) | p[1] : p[0] | (p[1] << 8);
  return big ? ((guint32)p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]
             : p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32)p[3] << 24);
}

/* The G4 data of a one-strip TIFF, as Leptonica writes it. */
static gboolean
tiff_single_strip (const guchar *tiff,
                   gsize         len,
                   gsize        *offset,
                   gsize        *count)
{
  gboolean big;
  guint32 ifd;
  guint entries;

  if (len < 8 || !((tiff[0] == 'I' && tiff[1] == 'I') || (tiff[0] == 'M' && tiff[1] == 'M')))
    return FALSE;
  big = tiff[0] == 'M';
  ifd = tiff_value (tiff + 4, big, 4);
  if (ifd + 2 > len)
    return FALSE;
  entries = tiff_value (tiff + ifd, big, 2);
  *offset = *count = 0;

  for (guint i = 0; i < entries; i++)
    {
      const guchar *entry = tiff + ifd + 2 + i * 12;
      guint tag, type, n;
      guint32 value;

      if ((gsize)(entry - tiff) + 12 > len)
        return FALSE;
      tag = tiff_value (entry, big, 2);
      type = tiff_value (entry + 2, big, 2);
      n = tiff_value (entry + 4, big, 4);
      value = type == 3 ? tiff_value (entry + 8, big, 2) : tiff_value (entry + 8, big, 4);

      if ((tag == 273 || tag == 279) && n != 1)
        return FALSE;
      if (tag == 273)
        *offset = value;
      else if (tag == 279)
        *count = value;
    }

  return *count > 0 && *offset + *count <= len;
}

static SbEncodedImage *
encode_g4 (PIX    *bw,
           double  dpi)
{
  l_uint8 *tiff = NULL;
  size_t len = 0;
  gsize offset, count;
  SbEncodedImage *image = NULL;

  if (pixWriteMemTiff (&tiff, &len, bw, IFF_TIFF_G4) == 0 && tiff_single_strip (tiff, len, &offset, &count))
    image = encoded_new (SB_IMAGE_FILTER_CCITT, bw, 1, 1, dpi, g_memdup2 (tiff + offset, count), count);

  lept_free (tiff);
  return image;
}

/* Rows of one bit per pixel, 1 = black as in Leptonica (the PDF image
 * carries /Decode [1 0]), compressed with zlib. */
static SbEncodedImage *
encode_flate_bilevel (PIX    *bw,
                      double  dpi)
{
  guint width = pixGetWidth (bw), height = pixGetHeight (bw);
  gsize row = (width + 7) / 8;
  g_autofree guchar *raw = g_malloc (row * height);
  uLongf out_len = compressBound (row * height);
  guchar *out = g_malloc (out_len);
  l_uint32 *data = pixGetData (bw);
  int wpl = pixGetWpl (bw);

  for (guint y = 0; y < height; y++)
    {
      const l_uint32 *line = data + (gsize)y * wpl;

      for (gsize x = 0; x < row; x++)
        raw[y * row + x] = (guchar)GET_DATA_BYTE (line, x);
    }

  if (compress2 (out, &out_len, raw, row * height, Z_BEST_COMPRESSION) != Z_OK)
    {
      g_free (out);
      return NULL;
    }

  return encoded_new (SB_IMAGE_FILTER_FLATE, bw, 1, 1, dpi, out, out_len);
}

static SbEncodedImage *
encode_bilevel (PIX     *gray,
                double   dpi,
                GError **error)
{
  g_autoptr(PIX) bw = NULL;
  g_autoptr(SbEncodedImage) g4 = NULL;
  g_autoptr(SbEncodedImage) flate = NULL;

  /* Sauvola adapts the threshold to the neighbourhood: stamps, faint
   * print and uneven lighting survive. */
  if (pixSauvolaBinarizeTiled (gray, 25, 0.34f, 1, 1, NULL, &bw) != 0 || bw == NULL)
    {
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_FAILED,
                           _("The page could not be turned into black and white. Scan it in gray instead."));
      return NULL;
    }

  g4 = encode_g4 (bw, dpi);
  flate = encode_flate_bilevel (bw, dpi);

  if (g4 == NULL && flate == NULL)
    {
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_FAILED,
                           _("The page could not be compressed. Scan it again."));
      return NULL;
    }
  if (flate == NULL || (g4 != NULL && g_bytes_get_size (g4->data) <= g_bytes_get_size (flate->data)))
    return g_steal_pointer (&g4);

  return g_steal_pointer (&flate);
}

/* A text page: nearly every pixel is paper or ink, few are in between. */
static gboolean
looks_like_text (PIX *gray)
{
  g_autoptr(NUMA) histogram = NULL;
  double total = 0, middle = 0, dark = 0;

  histogram = pixGetGrayHistogram (gray, 2);
  if (histogram == NULL)
    return FALSE;

  for (int i = 0; i < 256; i++)
    {
      l_float32 n = 0;

      numaGetFValue (histogram, i, &n);
      total += n;
      if (i >= 64 && i < 192)
        middle += n;
      if (i < 128)
        dark += n;
    }

  return total > 0 && middle / total < 0.08 && dark / total < 0.35;
}

static gboolean
has_colour (PIX *pix)
{
  l_float32 pixel_fraction = 0, colour_fraction = 0;

  if (pixGetDepth (pix) != 32)
    return FALSE;
  if (pixColorFraction (pix, 40, 224, 40, 2, &pixel_fraction, &colour_fraction) != 0)
    return TRUE;

  return pixel_fraction * colour_fraction > 0.002;
}

/* @pix without a colour map, in 8 or 32 bits (@flat), and as gray. */
static gboolean
flatten (PIX     *pix,
         PIX    **flat,
         PIX    **gray,
         GError **error)
{
  *flat = pixRemoveColormap (pix, REMOVE_CMAP_BASED_ON_SRC);
  if (*flat != NULL && pixGetDepth (*flat) != 32 && pixGetDepth (*flat) != 8)
    {
      PIX *converted = pixConvertTo8 (*flat, FALSE);

      pix_free (*flat);
      *flat = converted;
    }
  if (*flat == NULL)
    {
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNSUPPORTED,
                           _("This image’s colours cannot be used. Save it as JPEG or PNG and try again."));
      return FALSE;
    }
  *gray = pixGetDepth (*flat) == 32 ? pixConvertRGBToLuminance (*flat) : pixClone (*flat);
  return TRUE;
}

/**
 * sb_page_encode:
 * @image: a page as a file's bytes: JPEG, PNG, TIFF, PNM, …
 * @fallback_dpi: the resolution when the file names none
 *
 * Returns: (transfer full): the compressed page, or %NULL with @error set
 */
SbEncodedImage *
sb_page_encode (GBytes     *image,
                SbPdfMode   mode,
                double      fallback_dpi,
                GError    **error)
{
  return sb_page_encode_recognizing (image, mode, fallback_dpi, NULL, NULL, error);
}

/**
 * sb_page_encode_recognizing:
 * @recognize: (nullable): finds the words on the gray page; NULL for none
 *
 * sb_page_encode() with a text layer. The recogniser comes as a function
 * so that what only encodes (the app) does not link tesseract and the
 * twenty libraries it brings (see sb_page_encode_with_text()).
 */
SbEncodedImage *
sb_page_encode_recognizing (GBytes          *image,
                            SbPdfMode        mode,
                            double           fallback_dpi,
                            SbRecognizeFunc  recognize,
                            const char      *languages,
                            GError         **error)
{
  g_autoptr(GPtrArray) words = NULL;
  SbEncodedImage *encoded = NULL;
  gsize len;
  const guchar *data = g_bytes_get_data (image, &len);
  guint jpeg_width = 0, jpeg_height = 0, jpeg_components = 0;
  double jpeg_dpi = 0, dpi;
  gboolean is_jpeg;
  g_autoptr(PIX) decoded = NULL;
  g_autoptr(PIX) flat = NULL;
  g_autoptr(PIX) gray = NULL;
  l_int32 width = 0, height = 0, bps = 0, spp = 0, res = 0;

  g_return_val_if_fail (image != NULL, NULL);

  is_jpeg = jpeg_info (data, len, &jpeg_width, &jpeg_height, &jpeg_components, &jpeg_dpi);

  if (pixReadHeaderMem (data, len, NULL, &width, &height, &bps, &spp, NULL) != 0)
    {
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNREADABLE,
                           _("This file is not an image that can be read. Use a JPEG, PNG or TIFF file."));
      return NULL;
    }
  if (width > SB_PAGE_MAX_PIXELS || height > SB_PAGE_MAX_PIXELS)
    {
      g_set_error (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_TOO_LARGE,
                   _("This image is too large for a page (%d × %d pixels). Scan the document at "
                     "300 dpi instead."), width, height);
      return NULL;
    }

  decoded = pixReadMem (data, len);
  if (decoded == NULL)
    {
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNREADABLE,
                           _("This image is damaged and cannot be read. Scan the document again."));
      return NULL;
    }

  res = pixGetXRes (decoded);
  dpi = res > 0 ? res : (jpeg_dpi > 0 ? jpeg_dpi : fallback_dpi);

  if (!flatten (decoded, &flat, &gray, error))
    return NULL;

  if (recognize != NULL && languages != NULL)
    {
      pixSetResolution (gray, (l_int32)dpi, (l_int32)dpi);
      words = recognize (gray, languages, error);
      if (words == NULL)
        return NULL;
    }

  if (mode == SB_PDF_MODE_AUTO)
    {
      if (looks_like_text (gray))
        mode = SB_PDF_MODE_BW;
      else if (has_colour (flat))
        mode = SB_PDF_MODE_COLOR;
      else
        mode = SB_PDF_MODE_GRAY;
    }

  switch (mode)
    {
    case SB_PDF_MODE_BW:
      encoded = encode_bilevel (gray, dpi, error);
      break;

    case SB_PDF_MODE_GRAY:
    case SB_PDF_MODE_COLOR:
      {
        guint want = mode == SB_PDF_MODE_COLOR && pixGetDepth (flat) == 32 ? 3 : 1;

        /* Already a JPEG of the kind wanted: keep it byte for byte. */
        if (is_jpeg && (jpeg_components == want || (mode == SB_PDF_MODE_COLOR && jpeg_components == 1)))
          {
            encoded = g_new0 (SbEncodedImage, 1);
            encoded->filter = SB_IMAGE_FILTER_DCT;
            encoded->width = jpeg_width;
            encoded->height = jpeg_height;
            encoded->components = jpeg_components;
            encoded->bits = 8;
            encoded->dpi_x = encoded->dpi_y = dpi;
            encoded->passed_through = TRUE;
            encoded->data = g_bytes_ref (image);
          }
        else
          {
            encoded = encode_jpeg (want == 3 ? flat : gray, dpi, error);
          }
      }
      break;

    case SB_PDF_MODE_AUTO:
    default:
      g_assert_not_reached ();
    }

  if (encoded != NULL)
    encoded->words = g_steal_pointer (&words);

  return encoded;
}

/**
 * sb_page_compress:
 * @pix: a page, already straightened and cropped
 *
 * The page as the store keeps it until it becomes part of a PDF: a JPEG
 * (colour or gray), or a TIFF with G4 for black and white. Both are what
 * the PDF will hold, so building the PDF recompresses nothing.
 *
 * Returns: (transfer full): the file's bytes, or %NULL with @error set
 */
GBytes *
sb_page_compress (PIX       *pix,
                  SbPdfMode  mode,
                  double     dpi,
                  GError   **error)
{
  g_autoptr(PIX) flat = NULL;
  g_autoptr(PIX) gray = NULL;
  g_autoptr(SbEncodedImage) encoded = NULL;

  g_return_val_if_fail (pix != NULL, NULL);

  if (!flatten (pix, &flat, &gray, error))
    return NULL;

  if (mode == SB_PDF_MODE_AUTO)
    mode = looks_like_text (gray) ? SB_PDF_MODE_BW : has_colour (flat) ? SB_PDF_MODE_COLOR : SB_PDF_MODE_GRAY;

  if (mode == SB_PDF_MODE_BW)
    {
      g_autoptr(PIX) bw = NULL;
      l_uint8 *tiff = NULL;
      size_t len = 0;

      if (pixSauvolaBinarizeTiled (gray, 25, 0.34f, 1, 1, NULL, &bw) != 0 || bw == NULL)
        {
          g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_FAILED,
                               _("The page could not be turned into black and white. Scan it in gray instead."));
          return NULL;
        }
      pixSetResolution (bw, (l_int32)dpi, (l_int32)dpi);
      if (pixWriteMemTiff (&tiff, &len, bw, IFF_TIFF_G4) != 0)
        {
          g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_FAILED,
                               _("The page could not be compressed. Scan it again."));
          return NULL;
        }
      encoded = g_new0 (SbEncodedImage, 1);
      encoded->data = g_bytes_new (tiff, len);
      lept_free (tiff);
      return g_bytes_ref (encoded->data);
    }

  encoded = encode_jpeg (mode == SB_PDF_MODE_COLOR && pixGetDepth (flat) == 32 ? flat : gray, dpi, error);
  if (encoded == NULL)
    return NULL;

  return g_bytes_ref (encoded->data);
}
