/* sb-citizen-letter.c — letters and forms for citizens, in their language and German
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The texts are a resource (citizen-texts.json), not the app's catalogue:
 * what a citizen reads is in the citizen's language whatever language the
 * clerk's app speaks. Pango lays them out, so Arabic and Persian are shaped
 * and run right to left; cairo writes the PDF with the fonts embedded.
 */

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <string.h>

#include "sb-citizen-letter.h"
#include "sb-core-resources.h"

#define TEXTS_RESOURCE "/io/github/servicebuero/Servicebuero/core/citizen-texts.json"

/* A4 in points; margins as DIN 5008 leaves them for a letter. */
#define PAGE_WIDTH  595.28
#define PAGE_HEIGHT 841.89
#define MARGIN_LEFT 70.9
#define MARGIN_RIGHT 56.7
#define CONTENT_WIDTH (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)

typedef struct
{
  JsonNode          *root;
  SbCitizenLanguage *languages;
  guint              n_languages;
} Texts;

static const Texts *
texts (void)
{
  static Texts *loaded;

  if (g_once_init_enter (&loaded))
    {
      Texts *t = g_new0 (Texts, 1);
      g_autoptr(GBytes) bytes = g_resource_lookup_data (sb_core_get_resource (), TEXTS_RESOURCE, 0, NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonArray *languages;

      g_assert (bytes != NULL);
      g_assert (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), (gssize)g_bytes_get_size (bytes), NULL));
      t->root = json_node_ref (json_parser_get_root (parser));
      languages = json_object_get_array_member (json_node_get_object (t->root), "languages");
      t->n_languages = json_array_get_length (languages);
      t->languages = g_new0 (SbCitizenLanguage, t->n_languages);
      for (guint i = 0; i < t->n_languages; i++)
        {
          JsonObject *language = json_array_get_object_element (languages, i);

          t->languages[i].code = json_object_get_string_member (language, "code");
          t->languages[i].name = json_object_get_string_member (language, "name");
          t->languages[i].rtl = json_object_get_boolean_member (language, "rtl");
        }
      g_once_init_leave (&loaded, t);
    }
  return loaded;
}

/**
 * sb_citizen_languages:
 *
 * Returns: (transfer none) (array length=n_languages): the languages the
 *   desk prints letters and forms in, German first
 */
const SbCitizenLanguage *
sb_citizen_languages (guint *n_languages)
{
  const Texts *t = texts ();

  *n_languages = t->n_languages;
  return t->languages;
}

const SbCitizenLanguage *
sb_citizen_language_find (const char *code)
{
  const Texts *t = texts ();

  for (guint i = 0; code != NULL && i < t->n_languages; i++)
    if (g_str_equal (t->languages[i].code, code))
      return &t->languages[i];
  return NULL;
}

/**
 * sb_citizen_text:
 *
 * Returns: (transfer full): the text under @key in @language, in German
 *   when the desk has no such language
 */
char *
sb_citizen_text (const char *language,
                 const char *key)
{
  JsonObject *all = json_object_get_object_member (json_node_get_object (texts ()->root), "texts");
  JsonObject *in = sb_citizen_language_find (language) != NULL ? json_object_get_object_member (all, language)
                                                               : json_object_get_object_member (all, "de");

  return g_strdup (json_object_get_string_member_with_default (in, key, ""));
}

static char *
text_with (const char *language,
           const char *key,
           const char *name,
           const char *value)
{
  g_autofree char *text = sb_citizen_text (language, key);
  g_autoptr(GString) out = g_string_new (text);

  g_string_replace (out, name, value != NULL ? value : "", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Dates as people read them: 17.05.2026 in every language. */
static char *
date_for_people (const char *iso)
{
  if (iso == NULL || strlen (iso) < 10)
    return g_strdup (iso != NULL ? iso : "");
  return g_strdup_printf ("%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
}

typedef struct
{
  GByteArray      *out;
  cairo_surface_t *surface;
  cairo_t         *cr;
  double           y;
} Page;

/* A paragraph across the content width; returns its height. */
static double
paragraph_in (Page       *page,
              double      width,
              const char *text,
              const char *font,
              gboolean    rtl,
              double      space_after)
{
  PangoLayout *layout = pango_cairo_create_layout (page->cr);
  PangoFontDescription *description = pango_font_description_from_string (font);
  int layout_width, height;

  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  /* A right-to-left language's paragraphs run right to left, flush right,
   * even where they begin with a digit or a Latin word; others follow
   * their text. */
  if (rtl)
    {
      pango_context_set_base_dir (pango_layout_get_context (layout), PANGO_DIRECTION_RTL);
      pango_layout_context_changed (layout);
      pango_layout_set_auto_dir (layout, FALSE);
      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
    }
  else
    {
      pango_layout_set_auto_dir (layout, TRUE);
      pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
    }
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &layout_width, &height);
  cairo_move_to (page->cr, MARGIN_LEFT, page->y);
  pango_cairo_show_layout (page->cr, layout);
  page->y += height / (double)PANGO_SCALE + space_after;
  pango_font_description_free (description);
  g_object_unref (layout);
  return height / (double)PANGO_SCALE;
}

static double
paragraph (Page       *page,
           const char *text,
           const char *font,
           gboolean    rtl,
           double      space_after)
{
  return paragraph_in (page, CONTENT_WIDTH, text, font, rtl, space_after);
}

static void
rule (Page *page)
{
  cairo_set_line_width (page->cr, 0.5);
  cairo_move_to (page->cr, MARGIN_LEFT, page->y);
  cairo_line_to (page->cr, PAGE_WIDTH - MARGIN_RIGHT, page->y);
  cairo_stroke (page->cr);
  page->y += 14;
}

static void
letter_head (Page       *page,
             const char *desk,
             const char *citizen_name)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%d.%m.%Y");
  g_autofree char *head = g_strdup_printf ("%s · %s", desk != NULL ? desk : "Servicebüro", today);

  page->y = 56;
  paragraph (page, head, "Sans 9", FALSE, 28);
  paragraph (page, citizen_name, "Sans Bold 12", g_unichar_get_script (g_utf8_get_char (citizen_name)) ==
                                                   G_UNICODE_SCRIPT_ARABIC, 18);
}

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* One A4 page of PDF, written to memory. */
static void
page_begin (Page       *page,
            const char *title)
{
  page->out = g_byte_array_new ();
  page->surface = cairo_pdf_surface_create_for_stream (append_to_array, page->out, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (page->surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (page->surface, CAIRO_PDF_METADATA_CREATOR, "Servicebüro");
  page->cr = cairo_create (page->surface);
  cairo_set_source_rgb (page->cr, 0, 0, 0);
  page->y = 0;
}

static GBytes *
page_finish (Page    *page,
             GError **error)
{
  cairo_status_t status;

  cairo_show_page (page->cr);
  cairo_destroy (page->cr);
  cairo_surface_finish (page->surface);
  status = cairo_surface_status (page->surface);
  cairo_surface_destroy (page->surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The letter could not be made: %s"),
                   cairo_status_to_string (status));
      g_byte_array_unref (page->out);
      return NULL;
    }
  return g_byte_array_free_to_bytes (page->out);
}

/* The QR code as squares, so it stays sharp at any printer's resolution. */
static void
draw_qr (cairo_t    *cr,
         const char *text,
         double      x,
         double      y,
         double      size)
{
  QRcode *qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  double module;

  if (qr == NULL)
    return;
  module = size / (qr->width + 8);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int row = 0; row < qr->width; row++)
    for (int column = 0; column < qr->width; column++)
      if (qr->data[row * qr->width + column] & 1)
        cairo_rectangle (cr, x + (column + 4) * module, y + (row + 4) * module, module, module);
  cairo_fill (cr);
  QRcode_free (qr);
}

/**
 * sb_activation_url:
 *
 * Returns: (transfer full): the platform's page where the citizen sets a
 *   password, with @code filled in
 */
char *
sb_activation_url (const char *platform_url,
                   const char *code)
{
  g_autofree char *escaped = g_uri_escape_string (code, NULL, FALSE);
  gsize length = strlen (platform_url);

  return g_strdup_printf ("%.*s/activate?code=%s", (int)(length > 0 && platform_url[length - 1] == '/' ? length - 1
                                                                                                        : length),
                          platform_url, escaped);
}

static void
activation_texts (Page       *page,
                  const char *language,
                  const char *expires)
{
  const SbCitizenLanguage *l = sb_citizen_language_find (language);
  gboolean rtl = l != NULL && l->rtl;
  g_autofree char *title = sb_citizen_text (language, "title");
  g_autofree char *intro = sb_citizen_text (language, "intro");
  g_autofree char *steps = sb_citizen_text (language, "steps");
  g_autofree char *date = date_for_people (expires);
  g_autofree char *valid = text_with (language, "valid", "{date}", date);
  g_autofree char *private = sb_citizen_text (language, "private");
  g_autofree char *lost = sb_citizen_text (language, "lost");
  g_autofree char *rest = g_strdup_printf ("%s %s %s", valid, private, lost);

  paragraph (page, title, "Sans Bold 13", rtl, 6);
  paragraph (page, intro, "Serif 10.5", rtl, 4);
  paragraph (page, steps, "Serif 10.5", rtl, 4);
  paragraph (page, rest, "Serif 9.5", rtl, 14);
}

/**
 * sb_activation_letter_render:
 *
 * One A4 page: the texts in the citizen's language, the code, its QR
 * code and address, then the same in German.
 *
 * Returns: (transfer full): the PDF
 */
GBytes *
sb_activation_letter_render (const SbActivationLetter *letter,
                             GError                  **error)
{
  Page page;
  cairo_t *cr;
  const char *language = sb_citizen_language_find (letter->language) != NULL ? letter->language : "de";
  gboolean german_too = !g_str_equal (language, "de");
  g_autofree char *code_label = NULL;
  g_autofree char *address_label = NULL;
  g_autofree char *german_code_label = sb_citizen_text ("de", "code");
  g_autofree char *german_address_label = sb_citizen_text ("de", "address");
  double box_top;

  g_return_val_if_fail (letter->activation_code != NULL && letter->activation_url != NULL, NULL);

  page_begin (&page, "Aktivierungsbrief");
  cr = page.cr;
  letter_head (&page, letter->desk, letter->citizen_name);

  activation_texts (&page, language, letter->expires);

  /* The code and the QR code, in a box, between the two languages; each
   * label in its own line and direction. */
  code_label = sb_citizen_text (language, "code");
  address_label = sb_citizen_text (language, "address");
  box_top = page.y;
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, MARGIN_LEFT - 8, box_top - 8, CONTENT_WIDTH + 16, 150);
  cairo_stroke (cr);
  draw_qr (cr, letter->activation_url, PAGE_WIDTH - MARGIN_RIGHT - 134, box_top - 4, 134);
  paragraph_in (&page, CONTENT_WIDTH - 150, code_label, "Sans 9", FALSE, 0);
  if (german_too)
    paragraph_in (&page, CONTENT_WIDTH - 150, german_code_label, "Sans 9", FALSE, 0);
  page.y += 4;
  paragraph_in (&page, CONTENT_WIDTH - 150, letter->activation_code, "Monospace Bold 22", FALSE, 10);
  paragraph_in (&page, CONTENT_WIDTH - 150, address_label, "Sans 8", FALSE, 0);
  if (german_too)
    paragraph_in (&page, CONTENT_WIDTH - 150, german_address_label, "Sans 8", FALSE, 0);
  page.y += 2;
  paragraph_in (&page, CONTENT_WIDTH - 150, letter->activation_url, "Monospace 8", FALSE, 0);
  page.y = box_top + 160;

  if (german_too)
    {
      rule (&page);
      activation_texts (&page, "de", letter->expires);
    }
  return page_finish (&page, error);
}

static void
signature_lines (Page       *page,
                 const char *language)
{
  g_autofree char *place_date = sb_citizen_text (language, "place_date");
  g_autofree char *signature = sb_citizen_text (language, "signature");
  g_autofree char *german_place_date = sb_citizen_text ("de", "place_date");
  g_autofree char *german_signature = sb_citizen_text ("de", "signature");
  g_autofree char *left = g_str_equal (language, "de") ? g_strdup (place_date)
                                                       : g_strdup_printf ("%s / %s", place_date, german_place_date);
  g_autofree char *right = g_str_equal (language, "de") ? g_strdup (signature)
                                                        : g_strdup_printf ("%s / %s", signature, german_signature);
  double half = CONTENT_WIDTH / 2 - 12;
  PangoLayout *layout = pango_cairo_create_layout (page->cr);
  PangoFontDescription *description = pango_font_description_from_string ("Sans 8");

  page->y += 36;
  cairo_set_line_width (page->cr, 0.7);
  cairo_move_to (page->cr, MARGIN_LEFT, page->y);
  cairo_line_to (page->cr, MARGIN_LEFT + half, page->y);
  cairo_move_to (page->cr, MARGIN_LEFT + half + 24, page->y);
  cairo_line_to (page->cr, PAGE_WIDTH - MARGIN_RIGHT, page->y);
  cairo_stroke (page->cr);

  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, (int)(half * PANGO_SCALE));
  pango_layout_set_text (layout, left, -1);
  cairo_move_to (page->cr, MARGIN_LEFT, page->y + 3);
  pango_cairo_show_layout (page->cr, layout);
  pango_layout_set_text (layout, right, -1);
  cairo_move_to (page->cr, MARGIN_LEFT + half + 24, page->y + 3);
  pango_cairo_show_layout (page->cr, layout);
  page->y += 40;
  pango_font_description_free (description);
  g_object_unref (layout);
}

static void
consent_section (Page       *page,
                 const char *language,
                 const char *title_key,
                 const char *body_key)
{
  const SbCitizenLanguage *l = sb_citizen_language_find (language);
  gboolean rtl = l != NULL && l->rtl;
  g_autofree char *title = sb_citizen_text (language, title_key);
  g_autofree char *body = sb_citizen_text (language, body_key);

  paragraph (page, title, "Sans Bold 11", rtl, 4);
  paragraph (page, body, "Serif 10", rtl, 10);
}

/**
 * sb_consent_form_render:
 *
 * The consent to data processing and, when staff file for the citizen,
 * the authorisation (FIM C60000030, Vollmacht) — each in the citizen's
 * language and German, with lines for the signature, and who recorded it
 * when.
 *
 * Returns: (transfer full): the PDF
 */
GBytes *
sb_consent_form_render (const SbConsentForm  *form,
                        GError              **error)
{
  Page page;
  const char *language = sb_citizen_language_find (form->language) != NULL ? form->language : "de";
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (form->recorded_at);
  g_autofree char *when = g_date_time_format (at, "%d.%m.%Y %H:%M");
  g_autofree char *recorded = text_with ("de", "recorded", "{date}", when);
  g_autofree char *recorded_by = NULL;
  g_autofree char *who = NULL;
  g_autofree char *birth = date_for_people (form->birth_date);

  page_begin (&page, "Einwilligung und Vollmacht");
  who = form->birth_date != NULL ? g_strdup_printf ("%s, * %s", form->citizen_name, birth) : g_strdup (form->citizen_name);
  letter_head (&page, form->desk, who);

  if (form->data_processing)
    {
      consent_section (&page, language, "consent_data_title", "consent_data");
      if (!g_str_equal (language, "de"))
        consent_section (&page, "de", "consent_data_title", "consent_data");
    }
  if (form->representation)
    {
      if (form->data_processing)
        rule (&page);
      consent_section (&page, language, "consent_rep_title", "consent_rep");
      if (!g_str_equal (language, "de"))
        consent_section (&page, "de", "consent_rep_title", "consent_rep");
      paragraph (&page, "FIM C60000030", "Sans 7", FALSE, 0);
    }
  signature_lines (&page, language);

  {
    g_autoptr(GString) by = g_string_new (recorded);

    g_string_replace (by, "{staff}", form->staff != NULL ? form->staff : "", 0);
    recorded_by = g_string_free (g_steal_pointer (&by), FALSE);
  }
  paragraph (&page, recorded_by, "Sans 8", FALSE, 0);
  return page_finish (&page, error);
}

/**
 * sb_status_url:
 *
 * Returns: (transfer full): the platform's public page for one submission;
 *   the submission's random id is the key, the page shows no personal data
 */
char *
sb_status_url (const char *platform_url,
               const char *submission_id)
{
  gsize length = strlen (platform_url);

  return g_strdup_printf ("%.*s/status/%s", (int)(length > 0 && platform_url[length - 1] == '/' ? length - 1 : length),
                          platform_url, submission_id);
}

/* A new page when what comes does not fit on this one. */
static void
room_for (Page   *page,
          double  height)
{
  if (page->y + height <= PAGE_HEIGHT - 56)
    return;
  cairo_show_page (page->cr);
  page->y = 56;
}

/* "Label / Bezeichnung" and the value beside it. */
static void
receipt_line (Page       *page,
              const char *language,
              const char *key,
              const char *value,
              const char *font)
{
  const SbCitizenLanguage *l = sb_citizen_language_find (language);
  g_autofree char *label = sb_citizen_text (language, key);
  g_autofree char *german = sb_citizen_text ("de", key);
  g_autofree char *both = g_str_equal (language, "de") ? g_strdup (label) : g_strdup_printf ("%s / %s", label, german);
  double top, label_height, value_height;

  if (value == NULL || value[0] == '\0')
    return;
  room_for (page, 30);
  top = page->y;
  label_height = paragraph_in (page, 170, both, "Sans 8", l != NULL && l->rtl, 0);
  page->y = top;
  cairo_save (page->cr);
  cairo_translate (page->cr, 180, 0);
  value_height = paragraph_in (page, CONTENT_WIDTH - 180, value, font, FALSE, 0);
  cairo_restore (page->cr);
  page->y = top + MAX (label_height, value_height) + 6;
}

static void
receipt_texts (Page       *page,
               const char *language,
               const char *key,
               const char *date,
               const char *font,
               double      space_after)
{
  const SbCitizenLanguage *l = sb_citizen_language_find (language);
  g_autofree char *text = text_with (language, key, "{date}", date);

  room_for (page, 40);
  paragraph (page, text, font, l != NULL && l->rtl, space_after);
}

/**
 * sb_receipt_render:
 *
 * The Eingangsbestätigung: titles and explanations in the citizen's language
 * and German, the reference, service, authority, time, desk and staff
 * member, every document with its SHA-256, and a QR code to the status page.
 * Long lists go on to further A4 pages.
 *
 * Returns: (transfer full): the PDF
 */
GBytes *
sb_receipt_render (const SbReceipt  *receipt,
                   GError          **error)
{
  Page page;
  const char *language = sb_citizen_language_find (receipt->language) != NULL ? receipt->language : "de";
  gboolean german_too = !g_str_equal (language, "de");
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (receipt->received_at);
  g_autofree char *date = g_date_time_format (at, "%d.%m.%Y");
  g_autofree char *when = g_date_time_format (at, "%d.%m.%Y, %H:%M");
  g_autofree char *service = receipt->service_local != NULL && g_strcmp0 (receipt->service_local, receipt->service) != 0
                               ? g_strdup_printf ("%s\n%s", receipt->service_local, receipt->service)
                               : g_strdup (receipt->service);
  double box_top;

  g_return_val_if_fail (receipt->reference != NULL && receipt->status_url != NULL, NULL);

  page_begin (&page, "Eingangsbestätigung");
  letter_head (&page, receipt->desk, receipt->citizen_name);

  receipt_texts (&page, language, "receipt_title", date, "Sans Bold 13", german_too ? 0 : 6);
  if (german_too)
    receipt_texts (&page, "de", "receipt_title", date, "Sans Bold 11", 6);
  receipt_texts (&page, language, "receipt_intro", date, "Serif 10", 4);
  if (german_too)
    receipt_texts (&page, "de", "receipt_intro", date, "Serif 9", 4);
  page.y += 8;

  receipt_line (&page, language, "receipt_reference", receipt->reference, "Monospace Bold 13");
  receipt_line (&page, language, "receipt_service", service, "Sans 10");
  receipt_line (&page, language, "receipt_authority", receipt->authority, "Sans 9");
  receipt_line (&page, language, "receipt_received", when, "Sans 10");
  receipt_line (&page, language, "receipt_desk", receipt->desk, "Sans 9");
  receipt_line (&page, language, "receipt_staff", receipt->staff, "Sans 9");
  receipt_line (&page, language, "receipt_representative", receipt->representative, "Sans 9");

  page.y += 6;
  rule (&page);
  {
    g_autofree char *heading = sb_citizen_text (language, "receipt_documents");
    g_autofree char *german = sb_citizen_text ("de", "receipt_documents");
    g_autofree char *both = german_too ? g_strdup_printf ("%s / %s", heading, german) : g_strdup (heading);
    const SbCitizenLanguage *l = sb_citizen_language_find (language);

    room_for (&page, 40);
    paragraph (&page, both, "Sans Bold 10", l != NULL && l->rtl, 6);
  }
  for (guint i = 0; i < receipt->n_documents; i++)
    {
      g_autofree char *title = g_strdup_printf ("%u. %s", i + 1, receipt->documents[i].title);
      /* The digest in two halves, so it fits and can be read out. */
      g_autofree char *digest = strlen (receipt->documents[i].sha256) == 64
                                  ? g_strdup_printf ("SHA-256 %.32s\n        %.32s", receipt->documents[i].sha256,
                                                     receipt->documents[i].sha256 + 32)
                                  : g_strdup_printf ("SHA-256 %s", receipt->documents[i].sha256);

      room_for (&page, 44);
      paragraph (&page, title, "Sans 9.5", FALSE, 1);
      paragraph (&page, digest, "Monospace 7.5", FALSE, 6);
    }
  receipt_texts (&page, language, "receipt_hash", date, "Serif 8", 2);
  if (german_too)
    receipt_texts (&page, "de", "receipt_hash", date, "Serif 8", 2);

  /* The status: a QR code with the address beside it. */
  room_for (&page, 150);
  page.y += 10;
  box_top = page.y;
  cairo_set_line_width (page.cr, 1);
  cairo_rectangle (page.cr, MARGIN_LEFT - 8, box_top - 8, CONTENT_WIDTH + 16, 134);
  cairo_stroke (page.cr);
  draw_qr (page.cr, receipt->status_url, PAGE_WIDTH - MARGIN_RIGHT - 122, box_top - 6, 122);
  {
    const SbCitizenLanguage *l = sb_citizen_language_find (language);
    g_autofree char *status = sb_citizen_text (language, "receipt_status");
    g_autofree char *german = sb_citizen_text ("de", "receipt_status");

    paragraph_in (&page, CONTENT_WIDTH - 140, status, "Sans 9", l != NULL && l->rtl, 4);
    if (german_too)
      paragraph_in (&page, CONTENT_WIDTH - 140, german, "Sans 8", FALSE, 4);
    paragraph_in (&page, CONTENT_WIDTH - 140, receipt->status_url, "Monospace 7.5", FALSE, 0);
  }
  page.y = box_top + 140;
  receipt_texts (&page, language, "receipt_keep", date, "Serif 9", 2);
  if (german_too)
    receipt_texts (&page, "de", "receipt_keep", date, "Serif 9", 2);

  return page_finish (&page, error);
}
