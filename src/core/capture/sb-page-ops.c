/* sb-page-ops.c — straighten, crop, judge and shrink one page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here runs in worker threads on Leptonica images; nothing
 * touches the store or the main loop.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <poppler.h>
#include <string.h>
#if HAVE_LIBHEIF
#include <gmodule.h>
#include <libheif/heif.h>
#endif

#include "sb-page-ops.h"

G_DEFINE_BOXED_TYPE (SbRawImage, sb_raw_image, sb_raw_image_copy, sb_raw_image_free)

static void
pix_free (PIX *pix)
{
  pixDestroy (&pix);
}

static void
boxa_free (BOXA *boxa)
{
  boxaDestroy (&boxa);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BOXA, boxa_free)

SbRawImage *
sb_raw_image_new (guint   width,
                  guint   height,
                  guint   channels,
                  double  dpi,
                  GBytes *pixels)
{
  SbRawImage *image = g_new0 (SbRawImage, 1);

  g_return_val_if_fail (channels == 1 || channels == 3, NULL);
  g_return_val_if_fail (g_bytes_get_size (pixels) >= (gsize)width * height * channels, NULL);

  image->width = width;
  image->height = height;
  image->channels = channels;
  image->dpi = dpi;
  image->pixels = g_bytes_ref (pixels);
  return image;
}

SbRawImage *
sb_raw_image_copy (const SbRawImage *image)
{
  return sb_raw_image_new (image->width, image->height, image->channels, image->dpi, image->pixels);
}

void
sb_raw_image_free (SbRawImage *image)
{
  if (image == NULL)
    return;
  g_bytes_unref (image->pixels);
  g_free (image);
}

PIX *
sb_raw_image_to_pix (const SbRawImage *image)
{
  const guchar *pixels = g_bytes_get_data (image->pixels, NULL);
  PIX *pix = pixCreate (image->width, image->height, image->channels == 3 ? 32 : 8);
  l_uint32 *data = pixGetData (pix);
  int wpl = pixGetWpl (pix);

  for (guint y = 0; y < image->height; y++)
    {
      const guchar *row = pixels + (gsize)y * image->width * image->channels;
      l_uint32 *line = data + (gsize)y * wpl;

      if (image->channels == 3)
        for (guint x = 0; x < image->width; x++)
          line[x] = ((l_uint32)row[3 * x] << 24) | ((l_uint32)row[3 * x + 1] << 16) | ((l_uint32)row[3 * x + 2] << 8);
      else
        for (guint x = 0; x < image->width; x++)
          SET_DATA_BYTE (line, x, row[x]);
    }

  pixSetResolution (pix, (l_int32)image->dpi, (l_int32)image->dpi);
  return pix;
}

void
sb_processed_page_free (SbProcessedPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->image, g_bytes_unref);
  g_clear_pointer (&page->thumbnail, g_bytes_unref);
  g_free (page);
}

static PIX *
to_gray (PIX *pix)
{
  if (pixGetDepth (pix) == 32)
    return pixConvertRGBToLuminance (pix);
  if (pixGetDepth (pix) == 8 && pixGetColormap (pix) == NULL)
    return pixClone (pix);
  return pixConvertTo8 (pix, FALSE);
}

/* About 75 dpi: enough to judge a page, sixteen times less to look at. */
static PIX *
small_gray (PIX *pix,
            int *factor)
{
  g_autoptr(PIX) gray = to_gray (pix);
  int dpi = pixGetXRes (pix) > 0 ? pixGetXRes (pix) : 300;

  *factor = MAX (1, dpi / 75);
  if (*factor == 1)
    return g_steal_pointer (&gray);
  return pixScaleAreaMap (gray, 1.0f / *factor, 1.0f / *factor);
}

/* The paper's (or the lid's) brightness: the median of the outermost ring. */
static guint
border_median (PIX *gray)
{
  guint histogram[256] = { 0 }, total = 0, seen = 0;
  int width = pixGetWidth (gray), height = pixGetHeight (gray);
  l_uint32 *data = pixGetData (gray);
  int wpl = pixGetWpl (gray);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        if (y > 1 && y < height - 2 && x > 1 && x < width - 2)
          x = width - 2;
        histogram[GET_DATA_BYTE (data + (gsize)y * wpl, x)]++;
        total++;
      }

  for (guint v = 0; v < 256; v++)
    {
      seen += histogram[v];
      if (seen * 2 >= total)
        return v;
    }
  return 255;
}

/**
 * sb_page_find_skew:
 *
 * Returns: the angle, in degrees, that the lines of text on @pix are
 *   turned by (counter-clockwise positive); 0 when there is no text to tell
 */
double
sb_page_find_skew (PIX *pix)
{
  g_autoptr(PIX) gray = NULL;
  g_autoptr(PIX) binary = NULL;
  l_float32 angle = 0, confidence = 0;

  /* Half the resolution measures the same angle, four times faster. */
  if (pixGetDepth (pix) == 32 && pixGetWidth (pix) > 1200)
    gray = pixScaleRGBToGrayFast (pix, 2, COLOR_GREEN);
  else if (pixGetDepth (pix) == 8 && pixGetWidth (pix) > 1200)
    gray = pixScaleAreaMap2 (pix);
  else
    gray = to_gray (pix);
  binary = gray != NULL ? pixConvertTo1 (gray, 160) : NULL;
  if (binary == NULL || pixFindSkew (binary, &angle, &confidence) != 0)
    return 0;
  /* Leptonica's own threshold for "there were lines to measure". */
  if (confidence < 3.0f || fabsf (angle) < 0.1f)
    return 0;
  return angle;
}

/**
 * sb_page_deskew:
 * @angle: (out): what it was turned by
 *
 * Returns: (transfer full): @pix with its lines of text level, or a new
 *   reference to @pix when they already are
 */
PIX *
sb_page_deskew (PIX    *pix,
                double *angle)
{
  double skew = sb_page_find_skew (pix);

  *angle = skew;
  if (skew == 0)
    return pixClone (pix);

  /* Three shears turn a page by a few degrees at half the cost of area
   * mapping, with no loss a reader can see; steeper angles get the
   * smoother method. */
  return pixRotate (pix, (l_float32)(skew * M_PI / 180.0), fabs (skew) <= 3.0 ? L_ROTATE_SHEAR : L_ROTATE_AREA_MAP,
                    L_BRING_IN_WHITE, 0, 0);
}

/**
 * sb_page_find_document:
 * @box: (out): where the document lies on @pix, in its pixels
 *
 * Finds a document (an ID card, a receipt) on a scan of the whole glass:
 * the largest region that differs from the lid's colour.
 *
 * Returns: %TRUE when a document smaller than the scan was found
 */
gboolean
sb_page_find_document (PIX  *pix,
                       BOX **box)
{
  int factor = 1;
  g_autoptr(PIX) small = small_gray (pix, &factor);
  g_autoptr(PIX) mask = NULL;
  g_autoptr(PIX) closed = NULL;
  g_autoptr(PIX) opened = NULL;
  g_autoptr(BOXA) regions = NULL;
  int width = pixGetWidth (small), height = pixGetHeight (small);
  guint lid = border_median (small);
  l_uint32 *data = pixGetData (small);
  int wpl = pixGetWpl (small);
  l_uint32 *mask_data;
  int mask_wpl;
  int best = -1;
  gint64 best_area = 0;
  l_int32 bx, by, bw, bh;

  *box = NULL;
  mask = pixCreate (width, height, 1);
  mask_data = pixGetData (mask);
  mask_wpl = pixGetWpl (mask);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (ABS ((int)GET_DATA_BYTE (data + (gsize)y * wpl, x) - (int)lid) > 24)
        SET_DATA_BIT (mask_data + (gsize)y * mask_wpl, x);

  /* Fill the document's inside, then drop dust and lint. */
  closed = pixCloseBrick (NULL, mask, 9, 9);
  opened = pixOpenBrick (NULL, closed, 5, 5);
  regions = pixConnCompBB (opened, 8);
  if (regions == NULL)
    return FALSE;

  for (int i = 0; i < boxaGetCount (regions); i++)
    {
      boxaGetBoxGeometry (regions, i, &bx, &by, &bw, &bh);
      if ((gint64)bw * bh > best_area)
        {
          best_area = (gint64)bw * bh;
          best = i;
        }
    }

  if (best < 0 || best_area < (gint64)width * height / 50)
    return FALSE;

  boxaGetBoxGeometry (regions, best, &bx, &by, &bw, &bh);
  if (bw > width * 0.96 && bh > height * 0.96)
    return FALSE;

  /* Back to full size, with a hair of margin so no edge is cut. */
  bx = MAX (0, (bx - 1) * factor);
  by = MAX (0, (by - 1) * factor);
  bw = MIN ((int)pixGetWidth (pix) - bx, (bw + 2) * factor);
  bh = MIN ((int)pixGetHeight (pix) - by, (bh + 2) * factor);
  *box = boxCreate (bx, by, bw, bh);
  return TRUE;
}

/**
 * sb_page_is_blank:
 *
 * An empty back of a one-sided page: no ink beyond dust, a faint show-through
 * of the front, and shadows at the edges. Ink is what differs strongly
 * from the paper, either way: dark paper with light print is not empty.
 */
gboolean
sb_page_is_blank (PIX *pix)
{
  int factor = 1;
  g_autoptr(PIX) small = small_gray (pix, &factor);
  g_autoptr(PIX) ink = NULL;
  g_autoptr(PIX) solid = NULL;
  int width = pixGetWidth (small), height = pixGetHeight (small);
  int margin_x = width / 20, margin_y = height / 20;
  guint paper = border_median (small);
  l_uint32 *data = pixGetData (small);
  int wpl = pixGetWpl (small);
  l_uint32 *ink_data;
  int ink_wpl;
  l_int32 count = 0;
  gint64 area;

  ink = pixCreate (width, height, 1);
  ink_data = pixGetData (ink);
  ink_wpl = pixGetWpl (ink);

  for (int y = margin_y; y < height - margin_y; y++)
    for (int x = margin_x; x < width - margin_x; x++)
      if (ABS ((int)GET_DATA_BYTE (data + (gsize)y * wpl, x) - (int)paper) > 80)
        SET_DATA_BIT (ink_data + (gsize)y * ink_wpl, x);

  solid = pixOpenBrick (NULL, ink, 2, 2);
  pixCountPixels (solid, &count, NULL);
  area = (gint64)(width - 2 * margin_x) * (height - 2 * margin_y);

  return area > 0 && (double)count / area < 0.0005;
}

/**
 * sb_page_combine_card:
 *
 * Both sides of an ID card on one A4 page, at their real size, the front
 * above the back: what a copier does, and what an authority expects.
 */
PIX *
sb_page_combine_card (PIX    *front,
                      PIX    *back,
                      double  dpi)
{
  int page_width = (int)(210 / 25.4 * dpi), page_height = (int)(297 / 25.4 * dpi);
  int margin = (int)(15 / 25.4 * dpi), gap = (int)(10 / 25.4 * dpi);
  gboolean colour = pixGetDepth (front) == 32 || pixGetDepth (back) == 32;
  PIX *sides[2] = { front, back };
  PIX *page = pixCreate (page_width, page_height, colour ? 32 : 8);
  int y = margin;

  pixSetAllArbitrary (page, colour ? 0xffffff00 : 0xff);
  pixSetResolution (page, (l_int32)dpi, (l_int32)dpi);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PIX) side = colour ? pixConvertTo32 (sides[i]) : to_gray (sides[i]);
      g_autoptr(PIX) fitted = NULL;
      int room_width = page_width - 2 * margin, room_height = (page_height - 2 * margin - gap) / 2;
      double scale = MIN (1.0, MIN ((double)room_width / pixGetWidth (side), (double)room_height / pixGetHeight (side)));

      fitted = scale < 1.0 ? pixScale (side, (l_float32)scale, (l_float32)scale) : pixClone (side);
      pixRasterop (page, margin, y, pixGetWidth (fitted), pixGetHeight (fitted), PIX_SRC, fitted, 0, 0);
      y += pixGetHeight (fitted) + gap;
    }

  return page;
}

/**
 * sb_page_thumbnail:
 *
 * Returns: (transfer full): @pix fitted into SB_THUMBNAIL_SIZE, as RGBA
 */
GBytes *
sb_page_thumbnail (PIX   *pix,
                   guint *width,
                   guint *height)
{
  double scale = MIN ((double)SB_THUMBNAIL_SIZE / pixGetWidth (pix), (double)SB_THUMBNAIL_SIZE / pixGetHeight (pix));
  g_autoptr(PIX) reduced = pixClone (pix);
  g_autoptr(PIX) colour = NULL;
  g_autoptr(PIX) small = NULL;
  guchar *rgba;
  l_uint32 *data;
  int wpl;

  /* Halve cheaply while far too large, then one area map to the size. */
  while (scale < 0.25 && (pixGetDepth (reduced) == 8 || pixGetDepth (reduced) == 32) && pixGetColormap (reduced) == NULL)
    {
      PIX *half = pixScaleAreaMap2 (reduced);

      pixDestroy (&reduced);
      reduced = half;
      scale *= 2;
    }
  colour = pixConvertTo32 (reduced);
  small = scale < 1.0 ? pixScaleAreaMap (colour, (l_float32)scale, (l_float32)scale) : pixClone (colour);
  *width = pixGetWidth (small);
  *height = pixGetHeight (small);
  rgba = g_malloc ((gsize)*width * *height * 4);
  data = pixGetData (small);
  wpl = pixGetWpl (small);

  for (guint y = 0; y < *height; y++)
    for (guint x = 0; x < *width; x++)
      {
        l_int32 r, g, b;
        guchar *out = rgba + ((gsize)y * *width + x) * 4;

        extractRGBValues (data[(gsize)y * wpl + x], &r, &g, &b);
        out[0] = r;
        out[1] = g;
        out[2] = b;
        out[3] = 255;
      }

  return g_bytes_new_take (rgba, (gsize)*width * *height * 4);
}

/**
 * sb_page_decode:
 * @dpi: (out) (optional): the resolution the file names, or 0
 *
 * Returns: (transfer full): a stored page image back as pixels
 */
PIX *
sb_page_decode (GBytes  *image,
                double  *dpi,
                GError **error)
{
  gsize len;
  const guchar *data = g_bytes_get_data (image, &len);
  l_int32 width = 0, height = 0;
  PIX *pix;

  if (pixReadHeaderMem (data, len, NULL, &width, &height, NULL, NULL, NULL) != 0 ||
      width > SB_PAGE_MAX_PIXELS || height > SB_PAGE_MAX_PIXELS || (pix = pixReadMem (data, len)) == NULL)
    {
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNREADABLE,
                           _("This page’s image cannot be read. Scan the page again."));
      return NULL;
    }

  if (dpi != NULL)
    *dpi = pixGetXRes (pix);
  return pix;
}

/**
 * sb_page_process:
 * @pix: a page as scanned or imported
 *
 * Straightens and crops it as @flags ask, tells whether it is blank, and
 * compresses it for the store.
 */
SbProcessedPage *
sb_page_process (PIX             *pix,
                 double           dpi,
                 SbPdfMode        mode,
                 SbProcessFlags   flags,
                 GError         **error)
{
  g_autoptr(SbProcessedPage) page = g_new0 (SbProcessedPage, 1);
  g_autoptr(PIX) work = pixClone (pix);

  if (dpi <= 0)
    dpi = pixGetXRes (pix) > 0 ? pixGetXRes (pix) : 300;
  pixSetResolution (work, (l_int32)dpi, (l_int32)dpi);

  if (flags & SB_PROCESS_DETECT_BLANK)
    page->blank = sb_page_is_blank (work);

  if ((flags & SB_PROCESS_CROP) && !page->blank)
    {
      BOX *box = NULL;

      if (sb_page_find_document (work, &box))
        {
          PIX *cropped = pixClipRectangle (work, box, NULL);

          boxDestroy (&box);
          if (cropped != NULL)
            {
              pix_free (work);
              work = cropped;
              page->cropped = TRUE;
            }
        }
    }

  if ((flags & SB_PROCESS_DESKEW) && !page->blank)
    {
      PIX *straight = sb_page_deskew (work, &page->skew_degrees);

      pix_free (work);
      work = straight;
    }

  pixSetResolution (work, (l_int32)dpi, (l_int32)dpi);
  page->image = sb_page_compress (work, mode, dpi, error);
  if (page->image == NULL)
    return NULL;

  page->width = pixGetWidth (work);
  page->height = pixGetHeight (work);
  page->dpi = dpi;
  page->thumbnail = sb_page_thumbnail (work, &page->thumbnail_width, &page->thumbnail_height);

  return g_steal_pointer (&page);
}

/* The Orientation tag (0x0112) of a JPEG's Exif block: 1 when absent. */
int
sb_jpeg_exif_orientation (GBytes *jpeg)
{
  gsize len;
  const guchar *data = g_bytes_get_data (jpeg, &len);
  gsize i = 2;

  if (len < 4 || data[0] != 0xff || data[1] != 0xd8)
    return 1;

  while (i + 4 <= len && data[i] == 0xff)
    {
      guint marker = data[i + 1];
      gsize segment = (data[i + 2] << 8) | data[i + 3];
      const guchar *tiff = data + i + 10;
      gsize tiff_len;
      gboolean big;
      guint32 ifd;
      guint entries;

      if (marker == 0xda || segment < 2 || i + 2 + segment > len)
        break;
      if (marker != 0xe1 || segment < 16 || memcmp (data + i + 4, "Exif\0\0", 6) != 0)
        {
          i += 2 + segment;
          continue;
        }

      tiff_len = segment - 8;
      big = tiff[0] == 'M';
#define U16(p) (big ? ((p)[0] << 8 | (p)[1]) : ((p)[1] << 8 | (p)[0]))
#define U32(p) (big ? ((guint32)(p)[0] << 24 | (p)[1] << 16 | (p)[2] << 8 | (p)[3]) \
                    : ((guint32)(p)[3] << 24 | (p)[2] << 16 | (p)[1] << 8 | (p)[0]))
      ifd = U32 (tiff + 4);
      if ((gsize)ifd + 2 > tiff_len)
        return 1;
      entries = U16 (tiff + ifd);
      for (guint e = 0; e < entries && ifd + 2 + (e + 1) * 12 <= tiff_len; e++)
        {
          const guchar *entry = tiff + ifd + 2 + e * 12;

          if (U16 (entry) == 0x0112)
            {
              int orientation = U16 (entry + 8);

              return orientation >= 1 && orientation <= 8 ? orientation : 1;
            }
        }
#undef U16
#undef U32
      return 1;
    }

  return 1;
}

/* Turns a phone photo upright as its Exif orientation says. */
static PIX *
apply_orientation (PIX *pix,
                   int  orientation)
{
  g_autoptr(PIX) turned = NULL;

  switch (orientation)
    {
    case 2:
      return pixFlipLR (NULL, pix);
    case 3:
      return pixRotateOrth (pix, 2);
    case 4:
      return pixFlipTB (NULL, pix);
    case 5:
      turned = pixRotateOrth (pix, 1);
      return pixFlipLR (NULL, turned);
    case 6:
      return pixRotateOrth (pix, 1);
    case 7:
      turned = pixRotateOrth (pix, 3);
      return pixFlipLR (NULL, turned);
    case 8:
      return pixRotateOrth (pix, 3);
    default:
      return pixClone (pix);
    }
}

static void
pix_unref (gpointer pix)
{
  pixDestroy ((PIX **)&pix);
}

static PIX *
normalise (PIX *pix)
{
  PIX *flat = pixRemoveColormap (pix, REMOVE_CMAP_BASED_ON_SRC);

  if (flat != NULL && pixGetDepth (flat) != 32 && pixGetDepth (flat) != 8)
    {
      PIX *eight = pixConvertTo8 (flat, FALSE);

      pixCopyResolution (eight, flat);
      pixDestroy (&flat);
      flat = eight;
    }
  return flat;
}

#define IMPORT_PDF_DPI 200.0

static gboolean
import_pdf (GBytes     *file,
            GPtrArray  *pages,
            GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  PopplerDocument *document = poppler_document_new_from_bytes (file, NULL, &local_error);
  gboolean ok = TRUE;
  int n;

  if (document == NULL)
    {
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNREADABLE,
                           g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED)
                             ? _("This PDF is protected by a password. Ask the citizen to open it and print it, then scan the printout.")
                             : _("This PDF is damaged and cannot be read. Ask for another copy of the document."));
      return FALSE;
    }

  n = poppler_document_get_n_pages (document);
  for (int i = 0; ok && i < n; i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      double width_pt, height_pt;
      int width, height, stride;
      cairo_surface_t *surface;
      cairo_t *cr;
      PIX *pix;
      l_uint32 *data;
      int wpl;
      const guchar *pixels;

      poppler_page_get_size (page, &width_pt, &height_pt);
      width = (int)ceil (width_pt / 72.0 * IMPORT_PDF_DPI);
      height = (int)ceil (height_pt / 72.0 * IMPORT_PDF_DPI);
      if (width <= 0 || height <= 0 || width > SB_PAGE_MAX_PIXELS || height > SB_PAGE_MAX_PIXELS)
        {
          g_set_error (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_TOO_LARGE,
                       _("Page %d of this PDF is too large to be a page of a document."), i + 1);
          g_object_unref (page);
          ok = FALSE;
          break;
        }

      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
      cr = cairo_create (surface);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      cairo_scale (cr, IMPORT_PDF_DPI / 72.0, IMPORT_PDF_DPI / 72.0);
      poppler_page_render_for_printing (page, cr);
      g_object_unref (page);
      cairo_destroy (cr);
      cairo_surface_flush (surface);

      pix = pixCreate (width, height, 32);
      data = pixGetData (pix);
      wpl = pixGetWpl (pix);
      pixels = cairo_image_surface_get_data (surface);
      stride = cairo_image_surface_get_stride (surface);
      for (int y = 0; y < height; y++)
        {
          const guint32 *row = (const guint32 *)(gconstpointer)(pixels + (gsize)y * stride);

          for (int x = 0; x < width; x++)
            data[(gsize)y * wpl + x] = (row[x] & 0xffffff) << 8;  /* xRGB → RGBx */
        }
      cairo_surface_destroy (surface);
      pixSetResolution (pix, (l_int32)IMPORT_PDF_DPI, (l_int32)IMPORT_PDF_DPI);
      g_ptr_array_add (pages, pix);
    }

  g_object_unref (document);
  return ok;
}

#if HAVE_LIBHEIF
/* libheif and its codecs (x265, aom, dav1d, de265) are large: linked in,
 * they cost every start of the app a fifth of its time. They are loaded
 * the first time a HEIC photo comes in, and only then. */
typedef struct
{
  struct heif_context *(*context_alloc) (void);
  void (*context_free) (struct heif_context *);
  struct heif_error (*read_from_memory) (struct heif_context *, const void *, size_t, const struct heif_reading_options *);
  struct heif_error (*primary_image_handle) (struct heif_context *, struct heif_image_handle **);
  struct heif_error (*decode_image) (const struct heif_image_handle *, struct heif_image **, enum heif_colorspace,
                                     enum heif_chroma, const struct heif_decoding_options *);
  const uint8_t *(*plane_readonly) (const struct heif_image *, enum heif_channel, int *);
  int (*image_width) (const struct heif_image *, enum heif_channel);
  int (*image_height) (const struct heif_image *, enum heif_channel);
  void (*image_release) (const struct heif_image *);
  void (*handle_release) (const struct heif_image_handle *);
} Heif;

static gpointer
load_heif (gpointer data)
{
  static Heif heif;
  GModule *module = g_module_open ("libheif.so.1", G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  struct { const char *name; gpointer *slot; } symbols[] = {
    { "heif_context_alloc", (gpointer *)&heif.context_alloc },
    { "heif_context_free", (gpointer *)&heif.context_free },
    { "heif_context_read_from_memory_without_copy", (gpointer *)&heif.read_from_memory },
    { "heif_context_get_primary_image_handle", (gpointer *)&heif.primary_image_handle },
    { "heif_decode_image", (gpointer *)&heif.decode_image },
    { "heif_image_get_plane_readonly", (gpointer *)&heif.plane_readonly },
    { "heif_image_get_width", (gpointer *)&heif.image_width },
    { "heif_image_get_height", (gpointer *)&heif.image_height },
    { "heif_image_release", (gpointer *)&heif.image_release },
    { "heif_image_handle_release", (gpointer *)&heif.handle_release },
  };

  if (module == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (symbols); i++)
    if (!g_module_symbol (module, symbols[i].name, symbols[i].slot))
      {
        g_module_close (module);
        return NULL;
      }
  g_module_make_resident (module);
  return &heif;
}

static const Heif *
heif_library (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_heif, NULL);
}

static gboolean
import_heif (GBytes     *file,
             GPtrArray  *pages,
             GError    **error)
{
  const Heif *heif = heif_library ();
  gsize len;
  const guchar *bytes = g_bytes_get_data (file, &len);
  struct heif_context *context;
  struct heif_image_handle *handle = NULL;
  struct heif_image *image = NULL;
  struct heif_error result;
  gboolean ok = FALSE;

  if (heif == NULL)
    {
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNSUPPORTED,
                           _("HEIC photos cannot be read on this computer. Ask the citizen to send the photo as JPEG, or scan the document."));
      return FALSE;
    }

  context = heif->context_alloc ();
  result = heif->read_from_memory (context, bytes, len, NULL);
  if (result.code == heif_error_Ok)
    result = heif->primary_image_handle (context, &handle);
  /* libheif turns the picture as its container says: upright, like EXIF. */
  if (result.code == heif_error_Ok)
    result = heif->decode_image (handle, &image, heif_colorspace_RGB, heif_chroma_interleaved_RGB, NULL);

  if (result.code == heif_error_Ok)
    {
      int stride = 0;
      const uint8_t *plane = heif->plane_readonly (image, heif_channel_interleaved, &stride);
      int width = heif->image_width (image, heif_channel_interleaved);
      int height = heif->image_height (image, heif_channel_interleaved);

      if (plane != NULL && width > 0 && height > 0 && width <= SB_PAGE_MAX_PIXELS && height <= SB_PAGE_MAX_PIXELS)
        {
          PIX *pix = pixCreate (width, height, 32);
          l_uint32 *data = pixGetData (pix);
          int wpl = pixGetWpl (pix);

          for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
              {
                const uint8_t *p = plane + (gsize)y * stride + 3 * x;

                data[(gsize)y * wpl + x] = ((l_uint32)p[0] << 24) | ((l_uint32)p[1] << 16) | ((l_uint32)p[2] << 8);
              }
          g_ptr_array_add (pages, pix);
          ok = TRUE;
        }
    }

  if (image != NULL)
    heif->image_release (image);
  if (handle != NULL)
    heif->handle_release (handle);
  heif->context_free (context);

  if (!ok)
    g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNREADABLE,
                         _("This HEIC photo cannot be read. Ask the citizen to send it as JPEG, or scan the document."));
  return ok;
}
#endif

/**
 * sb_page_import:
 * @file: a file's bytes: JPEG, PNG, TIFF (any number of pages), HEIC
 *   (with libheif) or PDF; what it is comes from its first bytes, not
 *   from its name
 *
 * Returns: (transfer full) (element-type PIX): the file's pages, upright
 */
GPtrArray *
sb_page_import (GBytes     *file,
                GError    **error)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func (pix_unref);
  gsize len;
  const guchar *data = g_bytes_get_data (file, &len);
  l_int32 format = IFF_UNKNOWN;
  gboolean is_heif = len >= 12 && memcmp (data + 4, "ftyp", 4) == 0 &&
                     (memcmp (data + 8, "heic", 4) == 0 || memcmp (data + 8, "heix", 4) == 0 ||
                      memcmp (data + 8, "mif1", 4) == 0 || memcmp (data + 8, "msf1", 4) == 0);

  if (len >= 5 && memcmp (data, "%PDF-", 5) == 0)
    {
      if (!import_pdf (file, pages, error))
        return NULL;
      goto done;
    }

  if (is_heif)
    {
#if HAVE_LIBHEIF
      if (!import_heif (file, pages, error))
        return NULL;
      goto done;
#else
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNSUPPORTED,
                           _("HEIC photos cannot be read on this computer. Ask the citizen to send the photo as JPEG, or scan the document."));
      return NULL;
#endif
    }

  findFileFormatBuffer (data, &format);
  if (format == IFF_UNKNOWN)
    {
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNSUPPORTED,
                           _("This file is neither an image nor a PDF. Use a JPEG, PNG, TIFF, HEIC or PDF file."));
      return NULL;
    }

  if (format == IFF_TIFF || format == IFF_TIFF_G4 || format == IFF_TIFF_G3 || format == IFF_TIFF_LZW ||
      format == IFF_TIFF_ZIP || format == IFF_TIFF_PACKBITS || format == IFF_TIFF_RLE || format == IFF_TIFF_JPEG)
    {
      PIXA *tiff_pages = pixaReadMemMultipageTiff (data, len);

      for (int i = 0; tiff_pages != NULL && i < pixaGetCount (tiff_pages); i++)
        {
          g_autoptr(PIX) page = pixaGetPix (tiff_pages, i, L_CLONE);
          PIX *flat = normalise (page);

          if (flat != NULL)
            g_ptr_array_add (pages, flat);
        }
      pixaDestroy (&tiff_pages);
    }
  else
    {
      l_int32 width = 0, height = 0;
      g_autoptr(PIX) decoded = NULL;

      if (pixReadHeaderMem (data, len, NULL, &width, &height, NULL, NULL, NULL) == 0 &&
          width <= SB_PAGE_MAX_PIXELS && height <= SB_PAGE_MAX_PIXELS)
        decoded = pixReadMem (data, len);
      if (decoded != NULL)
        {
          g_autoptr(PIX) flat = normalise (decoded);
          PIX *upright = flat != NULL ? apply_orientation (flat, format == IFF_JFIF_JPEG ? sb_jpeg_exif_orientation (file) : 1) : NULL;

          if (upright != NULL)
            {
              pixCopyResolution (upright, decoded);
              g_ptr_array_add (pages, upright);
            }
        }
    }

done:
  if (pages->len == 0)
    {
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNREADABLE,
                           _("This file is damaged or too large and cannot be read. Ask for another copy, or scan the document."));
      return NULL;
    }

  return g_steal_pointer (&pages);
}
