/* sb-print.c — printing a PDF the app made (letters, forms, receipts)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PDF is what is kept and what was tested; printing draws its pages
 * with poppler, at the printer's resolution, through GTK's print dialog
 * (which also offers "Print to File").
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <poppler.h>

#include "sb-print.h"

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_number,
              PopplerDocument   *document)
{
  PopplerPage *page = poppler_document_get_page (document, page_number);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width, height, scale;

  if (page == NULL)
    return;
  poppler_page_get_size (page, &width, &height);
  scale = MIN (gtk_print_context_get_width (context) / width, gtk_print_context_get_height (context) / height);
  cairo_scale (cr, scale, scale);
  poppler_page_render_for_printing (page, cr);
  g_object_unref (page);
}

static void
on_done (GtkPrintOperation       *operation,
         GtkPrintOperationResult  result,
         GtkWindow               *parent)
{
  g_autoptr(GError) error = NULL;

  if (result != GTK_PRINT_OPERATION_RESULT_ERROR)
    return;
  gtk_print_operation_get_error (operation, &error);
  if (parent != NULL && error != NULL)
    {
      GtkWidget *dialog = adw_message_dialog_new (parent, _("Not Printed"), NULL);

      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      _("The printer did not take the document: %s. Check that it is on and has "
                                        "paper, then print again."), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

/**
 * sb_print_pdf:
 *
 * Opens the print dialog for @pdf; returns at once.
 */
void
sb_print_pdf (GtkWindow  *parent,
              GBytes     *pdf,
              const char *job_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  PopplerDocument *document = poppler_document_new_from_bytes (pdf, NULL, &error);

  g_return_if_fail (pdf != NULL);

  if (document == NULL)
    {
      g_warning ("A PDF the app made does not open: %s", error->message);
      return;
    }
  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, job_name);
  gtk_print_operation_set_n_pages (operation, poppler_document_get_n_pages (document));
  gtk_print_operation_set_allow_async (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (on_draw_page), document,
                         (GClosureNotify)(void (*) (void))g_object_unref, 0);
  g_signal_connect (operation, "done", G_CALLBACK (on_done), parent);
  gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, &error);
  if (error != NULL)
    on_done (operation, GTK_PRINT_OPERATION_RESULT_ERROR, parent);
}
