/* sb-page-encoder.h — one page image, compressed the way it compresses best
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SB_CAPTURE_ERROR (sb_capture_error_quark ())

typedef enum
{
  SB_CAPTURE_ERROR_UNREADABLE,
  SB_CAPTURE_ERROR_UNSUPPORTED,
  SB_CAPTURE_ERROR_TOO_LARGE,
  SB_CAPTURE_ERROR_FAILED,
} SbCaptureError;

typedef enum
{
  SB_PDF_MODE_AUTO,  /*< nick=auto >*/
  SB_PDF_MODE_COLOR, /*< nick=color >*/
  SB_PDF_MODE_GRAY,  /*< nick=gray >*/
  SB_PDF_MODE_BW,    /*< nick=bw >*/
} SbPdfMode;

typedef enum
{
  SB_IMAGE_FILTER_DCT,    /* JPEG */
  SB_IMAGE_FILTER_CCITT,  /* CCITT group 4, bilevel */
  SB_IMAGE_FILTER_FLATE,  /* zlib, bilevel rows */
} SbImageFilter;

typedef struct
{
  SbImageFilter  filter;
  guint          width;
  guint          height;
  guint          components;   /* 1 gray or bilevel, 3 RGB */
  guint          bits;         /* 8, or 1 for bilevel */
  double         dpi_x;
  double         dpi_y;
  gboolean       passed_through;
  GBytes        *data;
  GPtrArray     *words;        /* SbOcrWord, in pixels; NULL without OCR */
} SbEncodedImage;

/* Pages wider or taller than this (A3 at 600 dpi and then some) are refused
 * rather than decoded into gigabytes. */
#define SB_PAGE_MAX_PIXELS 12000

GQuark          sb_capture_error_quark   (void);
SbEncodedImage *sb_page_encode           (GBytes     *image,
                                          SbPdfMode   mode,
                                          double      fallback_dpi,
                                          GError    **error);
struct Pix;

typedef GPtrArray *(*SbRecognizeFunc) (struct Pix  *gray,
                                        const char  *languages,
                                        GError     **error);

SbEncodedImage *sb_page_encode_recognizing (GBytes          *image,
                                            SbPdfMode        mode,
                                            double           fallback_dpi,
                                            SbRecognizeFunc  recognize,
                                            const char      *languages,
                                            GError         **error);
SbEncodedImage *sb_page_encode_with_text (GBytes     *image,
                                          SbPdfMode   mode,
                                          double      fallback_dpi,
                                          const char *languages,
                                          GError    **error);
void            sb_encoded_image_free    (SbEncodedImage *image);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbEncodedImage, sb_encoded_image_free)

G_END_DECLS
