/* sb-document-pdf.c — what a citizen hands in, as the platform takes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each document becomes one file of a media type its document type accepts
 * (the catalogue's "mediaTypes"). Where PDF is accepted: a PDF file is kept
 * as it is once poppler has opened it (so a damaged or password-protected
 * file is refused at the counter, not by the caseworker), images become
 * pages of a new PDF, and scanned pages are straightened and empty backs
 * left out first. Where only images are accepted (a biometric photo): a
 * JPEG or PNG is kept as it is, another image or a scan becomes a JPEG.
 * Run these in a worker thread: they decode and compress images.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-document-pdf.h"
#include "sb-pdf-document.h"
#include "sb-pdf-writer.h"

static GBytes *
pdf_of_pages (GPtrArray  *processed,
              SbPdfMode   mode,
              GError    **error)
{
  g_autoptr(SbPdfWriter) writer = sb_pdf_writer_new ();

  for (guint i = 0; i < processed->len; i++)
    {
      SbProcessedPage *page = g_ptr_array_index (processed, i);
      SbEncodedImage *encoded = sb_page_encode (page->image, mode, page->dpi > 0 ? page->dpi : 150, error);

      if (encoded == NULL)
        return NULL;
      sb_pdf_writer_add_page (writer, encoded); /* the writer owns it */
    }
  return sb_pdf_writer_finish (writer, error);
}

static gboolean
accepts (const char * const *accepted,
         const char         *media_type)
{
  return accepted == NULL || g_strv_contains (accepted, media_type);
}

static const char *
image_type_of (GBytes *file)
{
  gsize length;
  const guchar *data = g_bytes_get_data (file, &length);

  if (length > 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "image/jpeg";
  if (length > 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  return NULL;
}

static GBytes *
jpeg_of (PIX      *pix,
         double    dpi,
         GError  **error)
{
  g_autoptr(PIX) color = pixGetDepth (pix) == 32 ? pixClone (pix) : pixConvertTo32 (pix);

  return sb_page_compress (color, SB_PDF_MODE_COLOR, dpi > 0 ? dpi : 300, error);
}

static gboolean
refuse_unless (const char * const  *accepted,
               const char          *wanted,
               GError             **error)
{
  g_autofree char *list = NULL;

  if (accepts (accepted, wanted))
    return TRUE;
  list = g_strjoinv (", ", (char **)accepted);
  /* Translators: %s lists media types, e.g. "image/jpeg, image/png" */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("This document has to be handed in as %s. Scan it, or choose a file of that kind."), list);
  return FALSE;
}

/**
 * sb_document_from_file:
 * @file: a PDF, or an image file (JPEG, PNG, TIFF, HEIC)
 * @accepted: (nullable) (array zero-terminated=1): the media types the
 *   document type takes; NULL: PDF
 * @media_type: (out) (transfer full): what the result is
 *
 * Returns: (transfer full): the document as the platform takes it
 */
GBytes *
sb_document_from_file (GBytes              *file,
                       const char * const  *accepted,
                       char               **media_type,
                       GError             **error)
{
  gsize length;
  const char *data = g_bytes_get_data (file, &length);
  const char *image_type = image_type_of (file);
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GPtrArray) processed = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_processed_page_free);
  GBytes *result;

  if (length >= 5 && memcmp (data, "%PDF-", 5) == 0)
    {
      g_autoptr(SbPdfDocument) document = NULL;

      if (!refuse_unless (accepted, "application/pdf", error))
        return NULL;
      document = sb_pdf_document_new_from_bytes (file, NULL, error);
      if (document == NULL)
        return NULL;
      *media_type = g_strdup ("application/pdf");
      return g_bytes_ref (file);
    }

  images = sb_page_import (file, error);
  if (images == NULL)
    return NULL;

  if (!accepts (accepted, "application/pdf"))
    {
      /* A photo: as handed in when that kind is taken, else as JPEG. */
      if (image_type != NULL && accepts (accepted, image_type))
        {
          *media_type = g_strdup (image_type);
          return g_bytes_ref (file);
        }
      if (!refuse_unless (accepted, "image/jpeg", error))
        return NULL;
      result = jpeg_of (g_ptr_array_index (images, 0), 0, error);
      if (result != NULL)
        *media_type = g_strdup ("image/jpeg");
      return result;
    }

  /* A photo or a phone's picture is taken as it is: no straightening. */
  for (guint i = 0; i < images->len; i++)
    {
      SbProcessedPage *page = sb_page_process (g_ptr_array_index (images, i), 0, SB_PDF_MODE_COLOR, 0, error);

      if (page == NULL)
        return NULL;
      g_ptr_array_add (processed, page);
    }
  result = pdf_of_pages (processed, SB_PDF_MODE_COLOR, error);
  if (result != NULL)
    *media_type = g_strdup ("application/pdf");
  return result;
}

/**
 * sb_document_from_scans:
 * @pages: (element-type PIX): the scanner's pages, in order
 * @drop_blank: leave out empty pages (the backs of one-sided pages in a
 *   feeder batch); a page scanned from the glass was scanned on purpose
 * @accepted: (nullable) (array zero-terminated=1): as for sb_document_from_file()
 * @media_type: (out) (transfer full): what the result is
 * @n_pages: (out) (optional): how many pages it has (empty backs are left out)
 *
 * Returns: (transfer full): the pages, straightened, as one PDF — or, where
 *   only images are taken, the first page as a JPEG; an error when every
 *   page was empty
 */
GBytes *
sb_document_from_scans (GPtrArray           *pages,
                        double               dpi,
                        SbPdfMode            mode,
                        gboolean             drop_blank,
                        const char * const  *accepted,
                        char               **media_type,
                        guint               *n_pages,
                        GError             **error)
{
  g_autoptr(GPtrArray) processed = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_processed_page_free);
  gboolean as_pdf = accepts (accepted, "application/pdf");
  GBytes *result;

  if (!as_pdf && !refuse_unless (accepted, "image/jpeg", error))
    return NULL;

  for (guint i = 0; i < pages->len; i++)
    {
      SbProcessedPage *page = sb_page_process (g_ptr_array_index (pages, i), dpi, as_pdf ? mode : SB_PDF_MODE_COLOR,
                                               (as_pdf ? SB_PROCESS_DESKEW : SB_PROCESS_CROP) |
                                               (drop_blank ? SB_PROCESS_DETECT_BLANK : 0), error);

      if (page == NULL)
        return NULL;
      if (page->blank)
        sb_processed_page_free (page);
      else
        g_ptr_array_add (processed, page);
    }
  if (n_pages != NULL)
    *n_pages = as_pdf ? processed->len : MIN (processed->len, 1);
  if (processed->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Every scanned page was empty. Put the document face down on the glass (or face up in "
                             "the feeder) and scan again."));
      return NULL;
    }
  if (!as_pdf)
    {
      /* The photo is the first page, found on the glass and cut out, as a JPEG. */
      SbProcessedPage *photo = g_ptr_array_index (processed, 0);

      *media_type = g_strdup ("image/jpeg");
      return g_bytes_ref (photo->image);
    }
  result = pdf_of_pages (processed, mode, error);
  if (result != NULL)
    *media_type = g_strdup ("application/pdf");
  return result;
}
