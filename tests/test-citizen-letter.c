/* test-citizen-letter.c — activation letters and consent forms in every
 * language the desk offers, read back with pdftotext
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#include "sb-citizen-letter.h"

/* pdftotext's words, without the spaces it puts between the joined
 * letters of Arabic script and without bidi marks. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && !(c >= 0x202A && c <= 0x202E) && c != 0x200E && c != 0x200F)
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static char *
pdftotext (GBytes     *pdf,
           const char *option)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", option, NULL, "-", NULL };
  int fd = g_file_open_tmp ("letter-XXXXXX.pdf", &path, &error);
  int status = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize)g_bytes_get_size (pdf), NULL));
  close (fd);
  argv[4] = path;
  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_unlink (path);
  return g_steal_pointer (&text);
}

static char *
pdf_text (GBytes *pdf)
{
  return pdftotext (pdf, "-layout");
}

/* Where poppler finds @word on the first page: its left edge, in points. */
static double
word_left (GBytes     *pdf,
           const char *word)
{
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_bytes (pdf, NULL, &error);
  PopplerPage *page;
  GList *found;
  double left;

  g_assert_no_error (error);
  page = poppler_document_get_page (document, 0);
  found = poppler_page_find_text (page, word);
  g_assert_nonnull (found);
  left = ((PopplerRectangle *)found->data)->x1;
  g_test_message ("“%s” found at x %.0f–%.0f", word, ((PopplerRectangle *)found->data)->x1,
                  ((PopplerRectangle *)found->data)->x2);
  g_list_free_full (found, (GDestroyNotify)poppler_rectangle_free);
  g_object_unref (page);
  g_object_unref (document);
  return left;
}

/* Keep a picture of each for people to look at. */
static void
keep (GBytes     *pdf,
      const char *name)
{
  const char *dir = g_getenv ("SB_TEST_SCREENSHOTS");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize)g_bytes_get_size (pdf), NULL);
}

static void
test_activation_letter (gconstpointer data)
{
  const SbCitizenLanguage *language = data;
  SbActivationLetter letter = {
    .citizen_name = g_str_equal (language->code, "ar") ? "أحمد الخطيب" : "Anna Maria Eriksson",
    .language = language->code,
    .activation_code = "K7QH-3MZP-XW9R",
    .expires = "2027-01-03T10:00:00Z",
    .activation_url = "https://mein.example.de/activate?code=K7QH-3MZP-XW9R",
    .desk = "Servicebüro Nürnberg",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = sb_activation_letter_render (&letter, &error);
  g_autofree char *text = NULL;
  g_autofree char *title = sb_citizen_text (language->code, "title");
  g_autofree char *german_title = sb_citizen_text ("de", "title");
  g_autofree char *file = g_strdup_printf ("activation-letter-%s.pdf", language->code);
  g_autofree char *first_word = NULL;

  g_assert_no_error (error);
  keep (pdf, file);
  text = pdf_text (pdf);
  g_assert_nonnull (strstr (text, "K7QH-3MZP-XW9R"));
  g_assert_nonnull (strstr (text, "03.01.2027"));
  g_assert_nonnull (strstr (text, german_title));
  /* A word of the title in the citizen's language (pdftotext may order RTL words its own way). */
  first_word = g_strndup (title, strcspn (title, " "));
  g_test_message ("%s: looking for “%s”", language->code, first_word);
  {
    g_autofree char *squeezed = squeeze (text);

    g_assert_nonnull (strstr (squeezed, first_word));
    if (g_str_equal (language->code, "ar"))
      g_assert_nonnull (strstr (squeezed, "الخطيب"));
  }
  /* Right to left: the title's first word ends at the right margin, so it starts right of the middle. */
  if (language->rtl)
    g_assert_cmpfloat (word_left (pdf, first_word), >, 595.28 / 2);
  else
    g_assert_cmpfloat (word_left (pdf, first_word), <, 100);
}

static void
test_consent_form (void)
{
  SbConsentForm form = {
    .citizen_name = "Олександр Шевченко",
    .birth_date = "1990-05-17",
    .language = "uk",
    .data_processing = TRUE,
    .representation = TRUE,
    .staff = "M. Beispiel",
    .recorded_at = 1796464800,
    .desk = "Servicebüro Nürnberg",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = sb_consent_form_render (&form, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  keep (pdf, "consent-form-uk.pdf");
  text = pdf_text (pdf);
  g_assert_nonnull (strstr (text, "Згода на обробку даних"));
  g_assert_nonnull (strstr (text, "Einwilligung in die Datenverarbeitung"));
  g_assert_nonnull (strstr (text, "Vollmacht zur Antragstellung"));
  g_assert_nonnull (strstr (text, "C60000030"));
  g_assert_nonnull (strstr (text, "17.05.1990"));
  g_assert_nonnull (strstr (text, "M. Beispiel"));
}

/* Without representation there is no authorisation to sign. */
static void
test_consent_data_only (void)
{
  SbConsentForm form = { .citizen_name = "Anna Eriksson", .language = "de", .data_processing = TRUE,
                         .staff = "M. Beispiel", .recorded_at = 1796464800 };
  g_autoptr(GBytes) pdf = sb_consent_form_render (&form, NULL);
  g_autofree char *text = pdf_text (pdf);

  g_assert_nonnull (strstr (text, "Einwilligung in die Datenverarbeitung"));
  g_assert_null (strstr (text, "Vollmacht"));
}

/* The receipt: reference, service in both languages, every document's
 * digest, the status address; a long list of documents goes on to a second
 * page instead of off the first. */
static void
test_receipt (gconstpointer data)
{
  const char *language = data;
  g_autoptr(GArray) documents = g_array_new (FALSE, TRUE, sizeof (SbReceiptDocument));
  g_autoptr(GPtrArray) digests = g_ptr_array_new_with_free_func (g_free);
  SbReceipt receipt = {
    .citizen_name = "Олена Коваленко",
    .language = language,
    .reference = "NUE-2026-000042",
    .service = "Aufenthaltserlaubnis verlängern",
    .service_local = "Extend a residence permit",
    .authority = "Stadt Nürnberg – Ausländerbehörde",
    .received_at = 1796464800,
    .desk = "Servicebüro Nürnberg Mitte",
    .staff = "M. Beispiel",
    .representative = NULL,
    .status_url = "http://127.0.0.1:8080/status/9b2f1c1e-5d1a-4c1e-9a51-0d5e0f0c1a2b",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *squeezed = NULL;
  g_autofree char *title = sb_citizen_text (language, "receipt_title");
  /* A word of the title (pdftotext may order right-to-left words its own way). */
  g_autofree char *title_squeezed = strchr (title, ' ') != NULL ? g_strndup (title, strchr (title, ' ') - title)
                                                                : g_strdup (title);

  for (guint i = 0; i < 14; i++)
    {
      g_autofree char *seed = g_strdup_printf ("document %u", i);
      SbReceiptDocument document = { i == 0 ? "Reisepass" : "Gehaltsabrechnung", NULL };

      g_ptr_array_add (digests, g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1));
      document.sha256 = g_ptr_array_index (digests, i);
      g_array_append_val (documents, document);
    }
  receipt.documents = (SbReceiptDocument *)documents->data;
  receipt.n_documents = documents->len;

  pdf = sb_receipt_render (&receipt, &error);
  g_assert_no_error (error);
  text = pdf_text (pdf);
  squeezed = squeeze (text);
  g_assert_nonnull (strstr (text, "NUE-2026-000042"));
  g_assert_nonnull (strstr (text, "Eingangsbestätigung"));
  g_assert_nonnull (strstr (text, title_squeezed));
  g_assert_nonnull (strstr (text, "Aufenthaltserlaubnis verlängern"));
  g_assert_nonnull (strstr (text, "M. Beispiel"));
  g_assert_nonnull (strstr (squeezed, "/status/9b2f1c1e-5d1a-4c1e-9a51-0d5e0f0c1a2b"));
  for (guint i = 0; i < digests->len; i++)
    {
      const char *digest = g_ptr_array_index (digests, i);
      g_autofree char *first = g_strndup (digest, 32);

      g_assert_nonnull (strstr (text, first));
      g_assert_nonnull (strstr (text, digest + 32));
    }
  /* Fourteen documents do not fit on one A4 page with the rest: a form feed. */
  g_assert_nonnull (strchr (text, '\f'));
  g_assert_true (strchr (text, '\f') < strrchr (text, '\f') || strchr (text, '\f')[1] != '\0');
}

static void
test_activation_url (void)
{
  g_autofree char *url = sb_activation_url ("https://mein.example.de/", "AB CD");

  g_assert_cmpstr (url, ==, "https://mein.example.de/activate?code=AB%20CD");
}

int
main (int   argc,
      char *argv[])
{
  const SbCitizenLanguage *languages;
  guint n;

  g_test_init (&argc, &argv, NULL);

  languages = sb_citizen_languages (&n);
  g_assert_cmpuint (n, >=, 10);
  g_assert_cmpstr (languages[0].code, ==, "de");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/citizen-letter/activation/%s", languages[i].code);

      g_test_add_data_func (path, &languages[i], test_activation_letter);
    }
  g_test_add_func ("/citizen-letter/consent", test_consent_form);
  g_test_add_func ("/citizen-letter/consent-data-only", test_consent_data_only);
  g_test_add_func ("/citizen-letter/activation-url", test_activation_url);
  g_test_add_data_func ("/citizen-letter/receipt/en", "en", test_receipt);
  g_test_add_data_func ("/citizen-letter/receipt/ar", "ar", test_receipt);
  g_test_add_data_func ("/citizen-letter/receipt/de", "de", test_receipt);

  return g_test_run ();
}
