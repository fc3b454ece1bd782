/* sb-page-ops.h — what happens to a page between the scanner and the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <leptonica/allheaders.h>

#include "sb-page-encoder.h"

G_BEGIN_DECLS

static inline void
sb_pix_destroy (PIX *pix)
{
  pixDestroy (&pix);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PIX, sb_pix_destroy)

/* Pixels as a scanner delivers them: 8 bits per sample, rows of
 * width × channels bytes, gray (1) or RGB (3). */
typedef struct
{
  guint   width;
  guint   height;
  guint   channels;
  double  dpi;
  GBytes *pixels;
} SbRawImage;

#define SB_TYPE_RAW_IMAGE (sb_raw_image_get_type ())

GType       sb_raw_image_get_type (void) G_GNUC_CONST;
SbRawImage *sb_raw_image_new      (guint       width,
                                   guint       height,
                                   guint       channels,
                                   double      dpi,
                                   GBytes     *pixels);
SbRawImage *sb_raw_image_copy     (const SbRawImage *image);
void        sb_raw_image_free     (SbRawImage *image);
PIX        *sb_raw_image_to_pix   (const SbRawImage *image);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbRawImage, sb_raw_image_free)

typedef enum
{
  SB_PROCESS_DESKEW      = 1 << 0,
  SB_PROCESS_CROP        = 1 << 1,
  SB_PROCESS_DETECT_BLANK = 1 << 2,
} SbProcessFlags;

/* A page ready to be stored: the compressed image (JPEG, or TIFF G4 for
 * black and white) and what was done to get there. */
typedef struct
{
  GBytes  *image;
  guint    width;
  guint    height;
  double   dpi;
  double   skew_degrees;   /* the angle it was turned by, 0 when straight */
  gboolean cropped;
  gboolean blank;
  GBytes  *thumbnail;      /* RGBA, thumbnail_width × thumbnail_height */
  guint    thumbnail_width;
  guint    thumbnail_height;
} SbProcessedPage;

#define SB_THUMBNAIL_SIZE 240

void             sb_processed_page_free  (SbProcessedPage *page);
SbProcessedPage *sb_page_process         (PIX             *pix,
                                          double           dpi,
                                          SbPdfMode        mode,
                                          SbProcessFlags   flags,
                                          GError         **error);

double   sb_page_find_skew        (PIX      *pix);
PIX     *sb_page_deskew           (PIX      *pix,
                                   double   *angle);
gboolean sb_page_find_document    (PIX      *pix,
                                   BOX     **box);
gboolean sb_page_is_blank         (PIX      *pix);
PIX     *sb_page_combine_card     (PIX      *front,
                                   PIX      *back,
                                   double    dpi);
GBytes  *sb_page_thumbnail        (PIX      *pix,
                                   guint    *width,
                                   guint    *height);
GBytes  *sb_page_compress         (PIX      *pix,
                                   SbPdfMode mode,
                                   double    dpi,
                                   GError  **error);
PIX     *sb_page_decode           (GBytes   *image,
                                   double   *dpi,
                                   GError  **error);

GPtrArray *sb_page_import         (GBytes     *file,
                                   GError    **error);
int        sb_jpeg_exif_orientation (GBytes   *jpeg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbProcessedPage, sb_processed_page_free)

G_END_DECLS
