/* sb-mrz-reader.h — the machine-readable zone read off a scan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <leptonica/allheaders.h>

#include "sb-mrz.h"

G_BEGIN_DECLS

typedef struct
{
  double find_seconds;     /* straightening and finding the zone */
  double ocr_seconds;      /* tesseract on the zone */
  char  *ocr_text;         /* the lines as placed on the zone's grid */
  BOX   *zone;             /* where the zone was, on the straightened image */
} SbMrzReadStats;

void      sb_mrz_read_stats_clear (SbMrzReadStats *stats);
PIX      *sb_mrz_find_zone        (PIX             *image,
                                   BOX            **zone);
SbMrz    *sb_mrz_read_image       (PIX             *image,
                                   SbMrzReadStats  *stats,
                                   GError         **error);
void      sb_mrz_read_image_async (PIX                 *image,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
SbMrz    *sb_mrz_read_image_finish (GAsyncResult       *result,
                                    GError            **error);

G_END_DECLS
