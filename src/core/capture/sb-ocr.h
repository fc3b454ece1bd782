/* sb-ocr.h — the words on a page, where they are (tesseract)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <leptonica/allheaders.h>

G_BEGIN_DECLS

/* A recognised word, in the page image's pixels, origin top left. */
typedef struct
{
  char *text;
  int   x;
  int   y;
  int   width;
  int   height;
} SbOcrWord;

void       sb_ocr_word_free (SbOcrWord  *word);
GPtrArray *sb_ocr_recognize (PIX        *page,
                             const char *languages,
                             GError    **error);

G_END_DECLS
