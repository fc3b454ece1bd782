/* test-pdf-view.c — the PDF preview, for real, under a display server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <leptonica/allheaders.h>
#include <string.h>

#include "sb-pdf-view.h"
#include "sb-pdf-writer.h"
#include "sb-test-ui.h"

static GBytes *
make_pdf (guint n_pages)
{
  g_autoptr(SbPdfWriter) writer = sb_pdf_writer_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_pages; i++)
    {
      PIX *pix = pixCreate (620, 877, 8);
      l_uint8 *png = NULL;
      size_t len = 0;
      g_autoptr(GBytes) bytes = NULL;

      pixSetAllArbitrary (pix, 255);
      for (int y = 100; y < 800; y += 40)
        pixRasterop (pix, 60, y, 200 + ((y + (int)i * 37) % 300), 12, PIX_CLR, NULL, 0, 0);
      /* A big mark at the page's number, to tell pages apart in screenshots. */
      pixRasterop (pix, 480, 60 + (int)(i % 20) * 30, 80, 24, PIX_CLR, NULL, 0, 0);
      pixSetResolution (pix, 75, 75);
      g_assert_cmpint (pixWriteMemPng (&png, &len, pix, 0), ==, 0);
      bytes = g_bytes_new (png, len);
      lept_free (png);
      pixDestroy (&pix);

      sb_pdf_writer_add_page (writer, sb_page_encode (bytes, SB_PDF_MODE_GRAY, 75, &error));
      g_assert_no_error (error);
    }

  return sb_pdf_writer_finish (writer, &error);
}

/* Five pages of real text (Helvetica); the word sought is on pages 2 and 4. */
static GBytes *
make_text_pdf (void)
{
  GString *pdf = g_string_new ("%PDF-1.4\n");
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  guint n_objects;
  gsize xref;

#define OBJECT(...) G_STMT_START { gsize at = pdf->len; g_array_append_val (offsets, at); \
                                   g_string_append_printf (pdf, __VA_ARGS__); } G_STMT_END

  OBJECT ("1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
  OBJECT ("2 0 obj << /Type /Pages /Kids [4 0 R 6 0 R 8 0 R 10 0 R 12 0 R] /Count 5 >> endobj\n");
  OBJECT ("3 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n");
  for (guint i = 0; i < 5; i++)
    {
      const char *word = (i == 1 || i == 3) ? "Fiktionsbescheinigung" : "Meldebescheinigung";
      g_autofree char *content = g_strdup_printf ("BT /F1 18 Tf 72 700 Td (Seite %u: %s) Tj ET", i + 1, word);

      OBJECT ("%u 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
              " /Contents %u 0 R >> endobj\n", 4 + 2 * i, 5 + 2 * i);
      OBJECT ("%u 0 obj << /Length %u >> stream\n%s\nendstream endobj\n", 5 + 2 * i, (guint)strlen (content), content);
    }
#undef OBJECT

  n_objects = offsets->len;
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n", n_objects + 1);
  for (guint i = 0; i < n_objects; i++)
    g_string_append_printf (pdf, "%010lu 00000 n \n", (gulong)g_array_index (offsets, gsize, i));
  g_string_append_printf (pdf, "trailer << /Size %u /Root 1 0 R >>\nstartxref\n%lu\n%%%%EOF\n", n_objects + 1, (gulong)xref);

  return g_string_free_to_bytes (pdf);
}

static gint64 last_tick;
static gint64 longest_stall;

static gboolean
on_tick (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    longest_stall = MAX (longest_stall, now - last_tick);
  last_tick = now;

  return G_SOURCE_CONTINUE;
}

static void
wait_for_state (SbPdfView  *view,
                const char *state)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_strcmp0 (sb_pdf_view_get_state (view), state) != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  /* A few more turns of the loop: rendered pages arrive. */
  for (gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC; g_get_monotonic_time () < until;)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static void
test_pdf_view_pages (void)
{
  GtkWidget *window = gtk_window_new ();
  SbPdfView *view = SB_PDF_VIEW (sb_pdf_view_new ());
  g_autoptr(GBytes) pdf = make_pdf (200);
  guint tick;
  double fit_width, zoom;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (sb_pdf_view_get_state (view), ==, "empty");

  /* Opening 200 pages happens off the main loop. */
  tick = g_timeout_add (1, on_tick, NULL);
  last_tick = longest_stall = 0;
  sb_pdf_view_load_bytes (view, pdf);
  g_assert_cmpstr (sb_pdf_view_get_state (view), ==, "loading");
  wait_for_state (view, "document");
  g_source_remove (tick);
  g_test_message ("longest main-loop stall while opening 200 pages: %.1f ms", longest_stall / 1000.0);

  g_assert_cmpuint (sb_pdf_document_get_n_pages (sb_pdf_view_get_document (view)), ==, 200);
  g_assert_cmpuint (sb_pdf_view_get_page (view), ==, 0);
  /* Fit to width: a page at least as wide as the window's 900 pixels less
   * the thumbnails and margins. */
  fit_width = sb_pdf_view_get_zoom (view);
  g_assert_cmpfloat (fit_width * 595.2, >, 600);
  g_assert_cmpfloat (fit_width, >, 0.5);
  sb_test_save_display_screenshot (window, "pdf-view");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.next-page", NULL));
  g_assert_cmpuint (sb_pdf_view_get_page (view), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.last-page", NULL));
  g_assert_cmpuint (sb_pdf_view_get_page (view), ==, 199);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.previous-page", NULL));
  g_assert_cmpuint (sb_pdf_view_get_page (view), ==, 198);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.first-page", NULL));
  g_assert_cmpuint (sb_pdf_view_get_page (view), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.zoom-in", NULL));
  g_assert_cmpfloat_with_epsilon (sb_pdf_view_get_zoom (view), fit_width * 1.2, 0.001);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.zoom-out", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.zoom-out", NULL));
  g_assert_cmpfloat (sb_pdf_view_get_zoom (view), <, fit_width);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.zoom-fit-page", NULL));
  zoom = sb_pdf_view_get_zoom (view);
  g_assert_cmpfloat (zoom, <, fit_width);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.zoom-fit-width", NULL));
  g_assert_cmpfloat_with_epsilon (sb_pdf_view_get_zoom (view), fit_width, 0.01);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.rotate", NULL));
  g_assert_cmpint (sb_pdf_view_get_rotation (view), ==, 90);
  /* Turned, the page is wider than tall: fit width zooms out. */
  g_assert_cmpfloat (sb_pdf_view_get_zoom (view), <, fit_width);
  wait_for_state (view, "document");
  sb_test_save_display_screenshot (window, "pdf-view-rotated");

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (window);
}

static void
test_pdf_view_bad_and_protected (void)
{
  GtkWidget *window = gtk_window_new ();
  SbPdfView *view = SB_PDF_VIEW (sb_pdf_view_new ());
  g_autoptr(GBytes) garbage = g_bytes_new_static ("this is not a PDF at all", 24);
  g_autoptr(GBytes) pdf = make_pdf (2);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sb-pdf-view-XXXXXX", &error);
  g_autofree char *plain = g_build_filename (dir, "plain.pdf", NULL);
  g_autofree char *locked = g_build_filename (dir, "locked.pdf", NULL);
  const char *argv[] = { "qpdf", "--encrypt", "geheim", "owner-pw", "256", "--", plain, locked, NULL };
  g_autoptr(GBytes) protected = NULL;
  GtkWidget *entry;
  char *contents = NULL;
  gsize len = 0;
  int status = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));

  sb_pdf_view_load_bytes (view, garbage);
  wait_for_state (view, "error");
  g_assert_nonnull (strstr (sb_pdf_view_get_message (view), "not a PDF"));
  sb_test_save_display_screenshot (window, "pdf-view-error");

  g_assert_true (g_file_set_contents (plain, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error));
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (locked, &contents, &len, &error));
  protected = g_bytes_new_take (contents, len);

  sb_pdf_view_load_bytes (view, protected);
  wait_for_state (view, "password");
  g_assert_nonnull (strstr (sb_pdf_view_get_message (view), "password"));
  sb_test_save_display_screenshot (window, "pdf-view-password");

  /* The clerk types a wrong password, then the right one, and presses Enter. */
  entry = sb_test_find_descendant (GTK_WIDGET (view), GTK_TYPE_PASSWORD_ENTRY);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "falsch");
  g_signal_emit_by_name (entry, "activate");
  wait_for_state (view, "password");
  g_assert_nonnull (strstr (sb_pdf_view_get_message (view), "does not open"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  gtk_editable_set_text (GTK_EDITABLE (entry), "geheim");
  g_signal_emit_by_name (entry, "activate");
  wait_for_state (view, "document");
  g_assert_cmpuint (sb_pdf_document_get_n_pages (sb_pdf_view_get_document (view)), ==, 2);

  g_remove (plain);
  g_remove (locked);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
wait_for_status (SbPdfView  *view,
                 const char *prefix)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!g_str_has_prefix (sb_pdf_view_get_search_status (view), prefix))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The found page is shown once its row is laid out, a moment after the
 * status says where it is. */
static void
wait_for_page (SbPdfView *view,
               guint      page)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (sb_pdf_view_get_page (view) != page && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_cmpuint (sb_pdf_view_get_page (view), ==, page);
}

static void
test_pdf_view_search (void)
{
  GtkWidget *window = gtk_window_new ();
  SbPdfView *view = SB_PDF_VIEW (sb_pdf_view_new ());
  g_autoptr(GBytes) pdf = make_text_pdf ();

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  sb_pdf_view_load_bytes (view, pdf);
  wait_for_state (view, "document");
  g_assert_cmpuint (sb_pdf_document_get_n_pages (sb_pdf_view_get_document (view)), ==, 5);

  /* Case does not matter; Enter goes on to the next page that has it, and
   * round to the first again. */
  sb_pdf_view_find (view, "fiktionsbescheinigung");
  wait_for_status (view, "Found on page 2");
  wait_for_page (view, 1);
  sb_test_save_display_screenshot (window, "pdf-view-search");

  sb_pdf_view_find (view, "fiktionsbescheinigung");
  wait_for_status (view, "Found on page 4");
  wait_for_page (view, 3);
  /* The last pages cannot scroll to the top; the page shown on purpose
   * stays the current one all the same, after the view settles. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (sb_pdf_view_get_page (view), ==, 3);

  sb_pdf_view_find (view, "fiktionsbescheinigung");
  wait_for_status (view, "Found on page 2");

  sb_pdf_view_find (view, "Aufenthaltstitel");
  wait_for_status (view, "Not found");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!sb_test_ui_init (&argc, &argv))
    return 0;
  {
    /* The app's stylesheet, as AdwApplication loads it for the app. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_BASE_PATH "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add_func ("/pdf-view/pages", test_pdf_view_pages);
  g_test_add_func ("/pdf-view/bad-and-protected", test_pdf_view_bad_and_protected);
  g_test_add_func ("/pdf-view/search", test_pdf_view_search);

  return g_test_run ();
}
