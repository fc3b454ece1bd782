/* sb-pdf-writer.c — compact, archival (PDF/A-2b), deterministic PDFs of pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every page is one image, already compressed (see sb-page-encoder.c), drawn
 * to the page's physical size. With PDF/A on, the file carries XMP metadata
 * naming PDF/A-2b, the matching document information and an sRGB output
 * intent (the ICC profile from Debian's icc-profiles-free, compiled in).
 * Nothing depends on the clock unless a date is set, so the same pages and
 * settings give the same bytes; the file identifier is a hash of them.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <zlib.h>

#include "sb-core-resources.h"
#include "sb-ocr.h"
#include "sb-pdf-writer.h"

struct _SbPdfWriter
{
  GObject     parent_instance;

  gboolean    pdfa;
  char       *title;
  GDateTime  *date;
  GPtrArray  *pages;   /* SbEncodedImage */
};

G_DEFINE_FINAL_TYPE (SbPdfWriter, sb_pdf_writer, G_TYPE_OBJECT)

static void
sb_pdf_writer_finalize (GObject *object)
{
  SbPdfWriter *self = (SbPdfWriter *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);

  G_OBJECT_CLASS (sb_pdf_writer_parent_class)->finalize (object);
}

static void
sb_pdf_writer_class_init (SbPdfWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_pdf_writer_finalize;
}

static void
sb_pdf_writer_init (SbPdfWriter *self)
{
  self->pdfa = TRUE;
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_encoded_image_free);
}

SbPdfWriter *
sb_pdf_writer_new (void)
{
  return g_object_new (SB_TYPE_PDF_WRITER, NULL);
}

/**
 * sb_pdf_writer_set_pdfa:
 *
 * Whether to write PDF/A-2b (the default) or plain PDF 1.7.
 */
void
sb_pdf_writer_set_pdfa (SbPdfWriter *self,
                        gboolean     pdfa)
{
  g_return_if_fail (SB_IS_PDF_WRITER (self));

  self->pdfa = !!pdfa;
}

void
sb_pdf_writer_set_title (SbPdfWriter *self,
                         const char  *title)
{
  g_return_if_fail (SB_IS_PDF_WRITER (self));

  g_free (self->title);
  self->title = g_strdup (title);
}

/**
 * sb_pdf_writer_set_date:
 * @date: (nullable): when the document was made; %NULL writes no date
 */
void
sb_pdf_writer_set_date (SbPdfWriter *self,
                        GDateTime   *date)
{
  g_return_if_fail (SB_IS_PDF_WRITER (self));

  g_clear_pointer (&self->date, g_date_time_unref);
  if (date != NULL)
    self->date = g_date_time_to_utc (date);
}

/**
 * sb_pdf_writer_add_page:
 * @image: (transfer full): the page
 */
void
sb_pdf_writer_add_page (SbPdfWriter    *self,
                        SbEncodedImage *image)
{
  g_return_if_fail (SB_IS_PDF_WRITER (self));
  g_return_if_fail (image != NULL && image->data != NULL);

  g_ptr_array_add (self->pages, image);
}

guint
sb_pdf_writer_get_n_pages (SbPdfWriter *self)
{
  g_return_val_if_fail (SB_IS_PDF_WRITER (self), 0);

  return self->pages->len;
}

typedef struct
{
  GByteArray *out;
  GArray     *offsets;  /* gsize, by object number - 1 */
} Pdf;

static void
put (Pdf        *pdf,
     const char *text)
{
  g_byte_array_append (pdf->out, (const guint8 *)text, strlen (text));
}

G_GNUC_PRINTF (2, 3)
static void
putf (Pdf        *pdf,
      const char *format,
      ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  put (pdf, text);
}

static void
begin_object (Pdf   *pdf,
              guint  number)
{
  gsize offset = pdf->out->len;

  g_assert (number == pdf->offsets->len + 1);
  g_array_append_val (pdf->offsets, offset);
  putf (pdf, "%u 0 obj\n", number);
}

static void
put_stream (Pdf          *pdf,
            const char   *dictionary,
            const guint8 *data,
            gsize         len)
{
  putf (pdf, "<<%s /Length %" G_GSIZE_FORMAT " >>\nstream\n", dictionary, len);
  g_byte_array_append (pdf->out, data, len);
  put (pdf, "\nendstream\nendobj\n");
}

/* A text string as UTF-16BE with its byte order mark, in hex: any script. */
static char *
text_string (const char *utf8)
{
  g_autofree gunichar2 *utf16 = NULL;
  glong len = 0;
  GString *out = g_string_new ("<FEFF");

  utf16 = g_utf8_to_utf16 (utf8, -1, NULL, &len, NULL);
  for (glong i = 0; utf16 && i < len; i++)
    g_string_append_printf (out, "%04X", utf16[i]);
  g_string_append_c (out, '>');

  return g_string_free (out, FALSE);
}

static char *
points (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.2f", value));
}

static const char *
colour_space (const SbEncodedImage *image)
{
  return image->components == 3 ? "/DeviceRGB" : "/DeviceGray";
}

static char *
image_dictionary (const SbEncodedImage *image)
{
  switch (image->filter)
    {
    case SB_IMAGE_FILTER_DCT:
      return g_strdup_printf (" /Type /XObject /Subtype /Image /Width %u /Height %u /ColorSpace %s"
                              " /BitsPerComponent 8 /Filter /DCTDecode",
                              image->width, image->height, colour_space (image));

    case SB_IMAGE_FILTER_CCITT:
      return g_strdup_printf (" /Type /XObject /Subtype /Image /Width %u /Height %u /ColorSpace /DeviceGray"
                              " /BitsPerComponent 1 /Filter /CCITTFaxDecode"
                              " /DecodeParms << /K -1 /Columns %u /Rows %u >>",
                              image->width, image->height, image->width, image->height);

    case SB_IMAGE_FILTER_FLATE:
      return g_strdup_printf (" /Type /XObject /Subtype /Image /Width %u /Height %u /ColorSpace /DeviceGray"
                              " /BitsPerComponent 1 /Filter /FlateDecode /Decode [1 0]",
                              image->width, image->height);

    default:
      g_assert_not_reached ();
    }
}

static char *
xmp_escape (const char *text)
{
  return g_markup_escape_text (text, -1);
}

static char *
metadata (SbPdfWriter *self,
          const char  *xmp_date)
{
  g_autofree char *title = self->title ? xmp_escape (self->title) : NULL;
  GString *xmp = g_string_new ("<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                               "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                               " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                               "  <rdf:Description rdf:about=\"\"\n"
                               "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
                               "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                               "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                               "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
                               "   <pdfaid:part>2</pdfaid:part>\n"
                               "   <pdfaid:conformance>B</pdfaid:conformance>\n");

  if (title != NULL)
    g_string_append_printf (xmp, "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:title>\n",
                            title);
  if (xmp_date != NULL)
    g_string_append_printf (xmp, "   <xmp:CreateDate>%s</xmp:CreateDate>\n"
                                 "   <xmp:ModifyDate>%s</xmp:ModifyDate>\n", xmp_date, xmp_date);
  g_string_append_printf (xmp, "   <xmp:CreatorTool>Servicebüro</xmp:CreatorTool>\n"
                               "   <pdf:Producer>Servicebüro %s</pdf:Producer>\n"
                               "  </rdf:Description>\n"
                               " </rdf:RDF>\n"
                               "</x:xmpmeta>\n"
                               "<?xpacket end=\"w\"?>", PACKAGE_VERSION);

  return g_string_free (xmp, FALSE);
}

/* Invisible words over the image, each stretched to its box: selectable and
 * searchable, drawn in tesseract's glyphless font (one blank glyph, 500
 * units wide; a character's code is its UTF-16 unit). */
static char *
text_layer (const SbEncodedImage *image,
            double                dpi_x,
            double                dpi_y,
            double                page_height)
{
  GString *ops = g_string_new (NULL);

  for (guint i = 0; image->words && i < image->words->len; i++)
    {
      const SbOcrWord *word = g_ptr_array_index (image->words, i);
      g_autofree char *text = g_strconcat (word->text, " ", NULL);
      g_autofree gunichar2 *units = NULL;
      glong n_units = 0;
      double size = word->height * 72.0 / dpi_y;
      double width = word->width * 72.0 / dpi_x;
      double x = word->x * 72.0 / dpi_x;
      double y = page_height - (word->y + word->height) * 72.0 / dpi_y;
      double stretch;
      char buffer[4][G_ASCII_DTOSTR_BUF_SIZE];

      units = g_utf8_to_utf16 (text, -1, NULL, &n_units, NULL);
      if (units == NULL || n_units < 2 || size <= 0)
        continue;
      /* The trailing space is outside the box: stretch the word alone. */
      stretch = 100.0 * width / ((n_units - 1) * 0.5 * size);

      g_string_append_printf (ops, " BT 3 Tr /F0 %s Tf %s Tz 1 0 0 1 %s %s Tm <",
                              g_ascii_formatd (buffer[0], sizeof buffer[0], "%.2f", size),
                              g_ascii_formatd (buffer[1], sizeof buffer[1], "%.1f", stretch),
                              g_ascii_formatd (buffer[2], sizeof buffer[2], "%.2f", x),
                              g_ascii_formatd (buffer[3], sizeof buffer[3], "%.2f", y));
      for (glong u = 0; u < n_units; u++)
        g_string_append_printf (ops, "%04X", units[u]);
      g_string_append (ops, "> Tj ET");
    }

  return g_string_free (ops, FALSE);
}

static GBytes *
deflate_bytes (GBytes *input)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (input, &len);
  uLongf out_len = compressBound (len);
  guint8 *out = g_malloc (out_len);

  if (compress2 (out, &out_len, data, len, Z_BEST_COMPRESSION) != Z_OK)
    g_error ("zlib failed on an in-memory buffer");

  return g_bytes_new_take (out, out_len);
}

/* Objects @first … @first + 5: the font of the text layer, embedded, with
 * a ToUnicode map so that copied and searched text is the recognised text. */
static void
put_glyphless_font (Pdf   *pdf,
                    guint  first)
{
  static const char to_unicode[] =
    "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
    "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
    "1 beginbfrange <0000> <FFFF> <0000> endbfrange\n"
    "endcmap CMapName currentdict /CMap defineresource pop end end\n";
  g_autoptr(GBytes) font_file = g_resource_lookup_data (sb_core_get_resource (),
                                                        "/io/github/servicebuero/Servicebuero/core/GlyphLessFont.ttf",
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GBytes) packed_font = NULL;
  g_autoptr(GBytes) cid_map = NULL;
  g_autoptr(GBytes) packed_map = NULL;
  g_autofree guint8 *map = g_malloc (65536 * 2);
  g_autofree char *length = NULL;

  g_assert (font_file != NULL);

  /* Every code to glyph 1, the blank one. */
  for (guint i = 0; i < 65536; i++)
    {
      map[2 * i] = 0;
      map[2 * i + 1] = 1;
    }
  cid_map = g_bytes_new_take (g_steal_pointer (&map), 65536 * 2);
  packed_map = deflate_bytes (cid_map);
  packed_font = deflate_bytes (font_file);

  begin_object (pdf, first);
  putf (pdf, "<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H"
             " /DescendantFonts [%u 0 R] /ToUnicode %u 0 R >>\nendobj\n", first + 1, first + 5);

  begin_object (pdf, first + 1);
  putf (pdf, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont"
             " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
             " /FontDescriptor %u 0 R /CIDToGIDMap %u 0 R /DW 500 >>\nendobj\n", first + 2, first + 4);

  begin_object (pdf, first + 2);
  putf (pdf, "<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 0 500 1000]"
             " /ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80 /FontFile2 %u 0 R >>\nendobj\n",
        first + 3);

  begin_object (pdf, first + 3);
  length = g_strdup_printf (" /Filter /FlateDecode /Length1 %" G_GSIZE_FORMAT, g_bytes_get_size (font_file));
  put_stream (pdf, length, g_bytes_get_data (packed_font, NULL), g_bytes_get_size (packed_font));

  begin_object (pdf, first + 4);
  put_stream (pdf, " /Filter /FlateDecode", g_bytes_get_data (packed_map, NULL), g_bytes_get_size (packed_map));

  begin_object (pdf, first + 5);
  put_stream (pdf, "", (const guint8 *)to_unicode, strlen (to_unicode));
}

/**
 * sb_pdf_writer_finish:
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set
 */
GBytes *
sb_pdf_writer_finish (SbPdfWriter  *self,
                      GError      **error)
{
  Pdf pdf = { g_byte_array_new (), g_array_new (FALSE, FALSE, sizeof (gsize)) };
  g_autofree char *pdf_date = NULL;
  g_autofree char *xmp_date = NULL;
  g_autofree char *hash = NULL;
  guint first_page_object;
  gboolean has_text;
  guint font;
  gsize xref;
  guint objects;

  g_return_val_if_fail (SB_IS_PDF_WRITER (self), NULL);

  if (self->pages->len == 0)
    {
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_FAILED,
                           _("A document needs at least one page. Scan or import a page first."));
      g_byte_array_unref (pdf.out);
      g_array_unref (pdf.offsets);
      return NULL;
    }

  if (self->date != NULL)
    {
      pdf_date = g_date_time_format (self->date, "D:%Y%m%d%H%M%SZ");
      xmp_date = g_date_time_format (self->date, "%Y-%m-%dT%H:%M:%SZ");
    }

  /* The binary comment tells transfer tools that this is not text. */
  put (&pdf, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");

  /* 1 catalog, 2 page tree, 3 information, for PDF/A 4 metadata and 5 the
   * ICC profile, then per page: page, contents, image. */
  first_page_object = self->pdfa ? 6 : 4;

  begin_object (&pdf, 1);
  if (self->pdfa)
    put (&pdf, "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R /OutputIntents [<< /Type /OutputIntent"
               " /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1)"
               " /DestOutputProfile 5 0 R >>] >>\nendobj\n");
  else
    put (&pdf, "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");

  begin_object (&pdf, 2);
  put (&pdf, "<< /Type /Pages /Kids [");
  for (guint i = 0; i < self->pages->len; i++)
    putf (&pdf, "%s%u 0 R", i ? " " : "", first_page_object + i * 3);
  putf (&pdf, "] /Count %u >>\nendobj\n", self->pages->len);

  begin_object (&pdf, 3);
  {
    g_autofree char *producer = g_strdup_printf ("Servicebüro %s", PACKAGE_VERSION);
    g_autofree char *producer_text = text_string (producer);
    g_autofree char *creator_text = text_string ("Servicebüro");

    putf (&pdf, "<< /Producer %s /Creator %s", producer_text, creator_text);
    if (self->title != NULL)
      {
        g_autofree char *title_text = text_string (self->title);

        putf (&pdf, " /Title %s", title_text);
      }
    if (pdf_date != NULL)
      putf (&pdf, " /CreationDate (%s) /ModDate (%s)", pdf_date, pdf_date);
    put (&pdf, " >>\nendobj\n");
  }

  if (self->pdfa)
    {
      g_autofree char *xmp = metadata (self, xmp_date);
      g_autoptr(GBytes) icc = g_resource_lookup_data (sb_core_get_resource (),
                                                      "/io/github/servicebuero/Servicebuero/core/sRGB.icc",
                                                      G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_autoptr(GBytes) packed = NULL;

      begin_object (&pdf, 4);
      put_stream (&pdf, " /Type /Metadata /Subtype /XML", (const guint8 *)xmp, strlen (xmp));

      g_assert (icc != NULL);
      packed = deflate_bytes (icc);
      begin_object (&pdf, 5);
      put_stream (&pdf, " /N 3 /Filter /FlateDecode", g_bytes_get_data (packed, NULL), g_bytes_get_size (packed));
    }

  has_text = FALSE;
  for (guint i = 0; i < self->pages->len; i++)
    has_text |= ((SbEncodedImage *)g_ptr_array_index (self->pages, i))->words != NULL;
  font = first_page_object + self->pages->len * 3;

  for (guint i = 0; i < self->pages->len; i++)
    {
      SbEncodedImage *image = g_ptr_array_index (self->pages, i);
      guint page = first_page_object + i * 3;
      double dpi_x = image->dpi_x > 0 ? image->dpi_x : 300;
      double dpi_y = image->dpi_y > 0 ? image->dpi_y : 300;
      g_autofree char *width = points (image->width * 72.0 / dpi_x);
      g_autofree char *height = points (image->height * 72.0 / dpi_y);
      g_autofree char *words = text_layer (image, dpi_x, dpi_y, image->height * 72.0 / dpi_y);
      g_autofree char *contents = g_strdup_printf ("q %s 0 0 %s 0 0 cm /Im0 Do Q%s", width, height, words);
      g_autofree char *dictionary = image_dictionary (image);
      g_autofree char *fonts = has_text ? g_strdup_printf (" /Font << /F0 %u 0 R >>", font) : g_strdup ("");

      begin_object (&pdf, page);
      putf (&pdf, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /XObject << /Im0 %u 0 R >>%s >>"
                  " /Contents %u 0 R >>\nendobj\n", width, height, page + 2, fonts, page + 1);

      begin_object (&pdf, page + 1);
      put_stream (&pdf, "", (const guint8 *)contents, strlen (contents));

      begin_object (&pdf, page + 2);
      put_stream (&pdf, dictionary, g_bytes_get_data (image->data, NULL), g_bytes_get_size (image->data));
    }

  if (has_text)
    put_glyphless_font (&pdf, font);

  objects = pdf.offsets->len;
  hash = g_compute_checksum_for_data (G_CHECKSUM_MD5, pdf.out->data, pdf.out->len);

  xref = pdf.out->len;
  putf (&pdf, "xref\n0 %u\n0000000000 65535 f \n", objects + 1);
  for (guint i = 0; i < objects; i++)
    putf (&pdf, "%010" G_GSIZE_MODIFIER "u 00000 n \n", g_array_index (pdf.offsets, gsize, i));
  putf (&pdf, "trailer\n<< /Size %u /Root 1 0 R /Info 3 0 R /ID [<%s> <%s>] >>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n",
        objects + 1, hash, hash, xref);

  g_array_unref (pdf.offsets);
  return g_byte_array_free_to_bytes (pdf.out);
}
