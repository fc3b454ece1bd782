/* sb-ocr.c — the words on a page, where they are (tesseract)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <tesseract/capi.h>

#include "sb-ocr.h"
#include "sb-page-encoder.h"

void
sb_ocr_word_free (SbOcrWord *word)
{
  if (word == NULL)
    return;

  g_free (word->text);
  g_free (word);
}

/**
 * sb_ocr_recognize:
 * @page: an 8-bit gray (or 32-bit colour) page
 * @languages: tesseract's language codes, e.g. "deu+eng"
 *
 * Blocks for seconds: call it from a worker thread.
 *
 * Returns: (transfer full) (element-type SbOcrWord): the words, in reading
 *   order, or %NULL with @error set
 */
GPtrArray *
sb_ocr_recognize (PIX         *page,
                  const char  *languages,
                  GError     **error)
{
  TessBaseAPI *api = TessBaseAPICreate ();
  TessResultIterator *words;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_ocr_word_free);

  g_return_val_if_fail (page != NULL, NULL);
  g_return_val_if_fail (languages != NULL, NULL);

  if (TessBaseAPIInit3 (api, NULL, languages) != 0)
    {
      TessBaseAPIDelete (api);
      g_set_error (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNSUPPORTED,
                   _("Text recognition for “%s” is not installed on this computer. Ask IT to install "
                     "tesseract’s German and English language data, or make the PDF without text recognition."),
                   languages);
      return NULL;
    }

  TessBaseAPISetImage2 (api, page);
  if (pixGetXRes (page) > 0)
    TessBaseAPISetSourceResolution (api, pixGetXRes (page));

  if (TessBaseAPIRecognize (api, NULL) != 0)
    {
      TessBaseAPIEnd (api);
      TessBaseAPIDelete (api);
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_FAILED,
                           _("The text on this page could not be recognised. Scan the page again, or make the PDF without text recognition."));
      return NULL;
    }

  words = TessBaseAPIGetIterator (api);
  if (words != NULL)
    {
      TessPageIterator *position = TessResultIteratorGetPageIterator (words);

      do
        {
          char *text = TessResultIteratorGetUTF8Text (words, RIL_WORD);
          int left, top, right, bottom;

          if (text != NULL && text[0] != '\0' &&
              TessPageIteratorBoundingBox (position, RIL_WORD, &left, &top, &right, &bottom))
            {
              SbOcrWord *word = g_new0 (SbOcrWord, 1);

              word->text = g_strdup (text);
              word->x = left;
              word->y = top;
              word->width = MAX (1, right - left);
              word->height = MAX (1, bottom - top);
              g_ptr_array_add (result, word);
            }
          TessDeleteText (text);
        }
      while (TessPageIteratorNext (position, RIL_WORD));

      TessResultIteratorDelete (words);
    }

  TessBaseAPIEnd (api);
  TessBaseAPIDelete (api);

  return g_steal_pointer (&result);
}

/**
 * sb_page_encode_with_text:
 * @languages: (nullable): recognise the page's text in these tesseract
 *   languages ("deu+eng"), for an invisible, searchable text layer
 *
 * As sb_page_encode(), and the words on the page. Recognition takes
 * seconds: call it from a worker thread. (Here, beside tesseract, so that
 * only what recognises text links it.)
 */
SbEncodedImage *
sb_page_encode_with_text (GBytes     *image,
                          SbPdfMode   mode,
                          double      fallback_dpi,
                          const char *languages,
                          GError    **error)
{
  return sb_page_encode_recognizing (image, mode, fallback_dpi, sb_ocr_recognize, languages, error);
}
