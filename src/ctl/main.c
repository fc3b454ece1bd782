/* main.c — servicebuero-ctl, the command-line companion for IT staff
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <gio/gunixoutputstream.h>
#include <stdlib.h>

#include "sb-capture-enums.h"
#include "sb-pdf-writer.h"
#include <json-glib/json-glib.h>

#include "sb-model.h"
#include "sb-store.h"

static int
usage_error (const char *message)
{
  /* Translators: %s is an error message; the hint names the --help option */
  g_printerr (_("servicebuero-ctl: %s\nRun “servicebuero-ctl --help” to see what it can do.\n"), message);
  return 2;
}

static SbStore *
open_store (const char *directory)
{
  g_autofree char *fallback = NULL;
  g_autoptr(GError) error = NULL;
  SbStore *store;

  if (directory == NULL)
    directory = fallback = sb_store_default_directory ();

  if (!g_file_test (directory, G_FILE_TEST_IS_DIR))
    {
      g_printerr (_("There is no store in %s. Name the folder of the store to check.\n"), directory);
      return NULL;
    }

  store = sb_store_open (directory, NULL, &error);
  if (store == NULL)
    g_printerr ("%s\n", error->message);

  return store;
}

static int
run_check (int    argc,
           char **argv)
{
  g_autoptr(SbStore) store = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (argc > 2)
    return usage_error (_("“check” takes at most one folder"));

  store = open_store (argc == 2 ? argv[1] : NULL);
  if (store == NULL)
    return EXIT_FAILURE;

  ok = sb_store_check (store, report, &error);
  g_print ("%s", report->str);
  if (error != NULL)
    g_printerr ("%s\n", error->message);

  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int
run_audit (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("export"));
  g_autoptr(SbStore) store = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &directory, N_("The store’s folder (default: this user’s)"), N_("DIR") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Write the audit log as JSON Lines: one event per line with "
                                           "its time, staff member, citizen id, action and subject."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc != 2 || !g_str_equal (argv[1], "export"))
    return usage_error (_("say “audit export”"));

  store = open_store (directory);
  if (store == NULL)
    return EXIT_FAILURE;

  if (output != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);

      out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error));
    }
  else
    {
      out = g_unix_output_stream_new (1, FALSE);
    }

  if (out == NULL ||
      !sb_store_export_audit (store, out, NULL, &error) ||
      !g_output_stream_close (out, NULL, &error))
    {
      g_printerr (_("The audit log could not be written: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}

static const char *
outbox_state_words (SbOutboxState state)
{
  switch (state)
    {
    case SB_OUTBOX_STATE_WAITING:
      return _("waiting");
    case SB_OUTBOX_STATE_SENDING:
      return _("sending");
    case SB_OUTBOX_STATE_DELIVERED:
      return _("delivered");
    case SB_OUTBOX_STATE_NEEDS_ATTENTION:
      return _("needs attention");
    case SB_OUTBOX_STATE_DISCARDED:
      return _("discarded");
    default:
      return "?";
    }
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* outbox list|show|retry: what waits to go to the platform, for IT. */
static int
run_outbox (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("list|show ID|retry ID|discard ID|link ID ACCOUNT|not-duplicate ID"));
  g_autoptr(SbStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &directory, N_("The store’s folder (default: this user’s)"), N_("DIR") },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("List delivered items too"), NULL },
    { NULL }
  };
  const char *verb;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("What waits to go to the platform. “list” shows the items, oldest "
                                           "first; “show ID” one item with the platform’s answer; “retry ID” "
                                           "sends an item that needs attention again at the next sync; “discard ID” "
                                           "takes a refused item out of the queue (the audit log keeps it). For an "
                                           "online account the platform held for a possible duplicate: “link ID "
                                           "ACCOUNT” makes it the platform’s existing account ACCOUNT; "
                                           "“not-duplicate ID” sends it again as a different person. An ID may be "
                                           "shortened to its first characters."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  verb = argc >= 2 ? argv[1] : "";
  if (!((g_str_equal (verb, "list") && argc == 2) ||
        ((g_str_equal (verb, "show") || g_str_equal (verb, "retry") || g_str_equal (verb, "discard") ||
          g_str_equal (verb, "not-duplicate")) && argc == 3) ||
        (g_str_equal (verb, "link") && argc == 4)))
    return usage_error (_("say “outbox list”, “outbox show ID”, “outbox retry ID”, “outbox discard ID”, "
                          "“outbox link ID ACCOUNT” or “outbox not-duplicate ID”"));

  store = open_store (directory);
  if (store == NULL)
    return EXIT_FAILURE;

  if (g_str_equal (verb, "list"))
    {
      g_autoptr(GListModel) outbox = sb_store_list_outbox (store, all, &error);

      if (outbox == NULL)
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      if (g_list_model_get_n_items (outbox) == 0)
        {
          g_print (_("Nothing waits to be sent.\n"));
          return EXIT_SUCCESS;
        }
      for (guint i = 0; i < g_list_model_get_n_items (outbox); i++)
        {
          g_autoptr(SbOutboxItem) item = g_list_model_get_item (outbox, i);
          g_autofree char *created = format_time (sb_outbox_item_get_created_at (item));

          g_print ("%.8s  %-17s  %-15s  %s  %u\n", sb_outbox_item_get_id (item), sb_outbox_item_get_kind (item),
                   outbox_state_words (sb_outbox_item_get_state (item)), created, sb_outbox_item_get_attempts (item));
        }
      return EXIT_SUCCESS;
    }

  {
    g_autoptr(SbOutboxItem) item = sb_store_load_outbox_item (store, argv[2], &error);
    g_autofree char *created = NULL;
    g_autofree char *problem = NULL;

    if (item == NULL)
      {
        g_printerr ("%s\n", error->message);
        return EXIT_FAILURE;
      }

    if (g_str_equal (verb, "discard") || g_str_equal (verb, "link") || g_str_equal (verb, "not-duplicate"))
      {
        gboolean ok;

        if (sb_outbox_item_get_state (item) != SB_OUTBOX_STATE_NEEDS_ATTENTION)
          {
            g_printerr (_("This item is %s; only one the platform refused can be changed this way.\n"),
                        outbox_state_words (sb_outbox_item_get_state (item)));
            return EXIT_FAILURE;
          }
        if (g_str_equal (verb, "discard"))
          ok = sb_store_outbox_discard (store, sb_outbox_item_get_id (item), &error);
        else if (g_str_equal (verb, "link"))
          {
            if (!g_uuid_string_is_valid (argv[3]))
              return usage_error (_("ACCOUNT is the platform’s account id, as “outbox show” lists the candidates"));
            ok = sb_store_account_link (store, sb_outbox_item_get_id (item), argv[3], &error);
          }
        else
          {
            g_autofree char *refusal = sb_store_outbox_get_problem (store, sb_outbox_item_get_id (item));
            g_autoptr(JsonNode) json = refusal != NULL ? json_from_string (refusal, NULL) : NULL;
            g_autoptr(JsonArray) ids = json_array_new ();
            g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
            g_autofree char *text = NULL;
            JsonArray *candidates = json != NULL && JSON_NODE_HOLDS_OBJECT (json) &&
                                    json_object_has_member (json_node_get_object (json), "candidates")
                                      ? json_object_get_array_member (json_node_get_object (json), "candidates") : NULL;

            for (guint i = 0; candidates != NULL && i < json_array_get_length (candidates); i++)
              json_array_add_string_element (ids, json_object_get_string_member (json_array_get_object_element (candidates, i), "id"));
            json_node_set_array (node, ids);
            text = json_to_string (node, FALSE);
            ok = sb_store_account_not_duplicate (store, sb_outbox_item_get_id (item), text, &error);
          }
        if (!ok)
          {
            g_printerr ("%s\n", error->message);
            return EXIT_FAILURE;
          }
        g_print (g_str_equal (verb, "discard") ? _("Discarded; the audit log keeps it.\n")
                                               : _("Done; what waited for this account goes at the next sync.\n"));
        return EXIT_SUCCESS;
      }

    if (g_str_equal (verb, "retry"))
      {
        if (sb_outbox_item_get_state (item) != SB_OUTBOX_STATE_NEEDS_ATTENTION &&
            sb_outbox_item_get_state (item) != SB_OUTBOX_STATE_WAITING)
          {
            g_printerr (_("This item is %s; only one that waits or needs attention can be sent again.\n"),
                        outbox_state_words (sb_outbox_item_get_state (item)));
            return EXIT_FAILURE;
          }
        if (!sb_store_outbox_retry (store, sb_outbox_item_get_id (item), &error))
          {
            g_printerr ("%s\n", error->message);
            return EXIT_FAILURE;
          }
        g_print (_("It goes again at the next sync.\n"));
        return EXIT_SUCCESS;
      }

    created = format_time (sb_outbox_item_get_created_at (item));
    problem = sb_store_outbox_get_problem (store, sb_outbox_item_get_id (item));
    g_print (_("Item:      %s\n"), sb_outbox_item_get_id (item));
    g_print (_("What:      %s %s\n"), sb_outbox_item_get_kind (item), sb_outbox_item_get_entity_id (item));
    g_print (_("State:     %s\n"), outbox_state_words (sb_outbox_item_get_state (item)));
    g_print (_("Queued:    %s\n"), created);
    g_print (_("Attempts:  %u\n"), sb_outbox_item_get_attempts (item));
    if (sb_outbox_item_get_last_error (item) != NULL)
      g_print (_("Last word: %s\n"), sb_outbox_item_get_last_error (item));
    if (problem != NULL)
      g_print (_("Platform:  %s\n"), problem);
    return EXIT_SUCCESS;
  }
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org) pins the date for
 * reproducible output; otherwise the document is dated now. */
static GDateTime *
document_date (void)
{
  const char *epoch = g_getenv ("SOURCE_DATE_EPOCH");
  gint64 seconds;

  if (epoch != NULL && g_ascii_string_to_signed (epoch, 10, 0, G_MAXINT64, &seconds, NULL))
    return g_date_time_new_from_unix_utc (seconds);

  return g_date_time_new_now_utc ();
}

static const char *
filter_name (const SbEncodedImage *image)
{
  switch (image->filter)
    {
    case SB_IMAGE_FILTER_DCT:
      return image->passed_through ? "jpeg (passed through)" : "jpeg";
    case SB_IMAGE_FILTER_CCITT:
      return "ccitt g4";
    case SB_IMAGE_FILTER_FLATE:
      return "flate";
    default:
      g_assert_not_reached ();
    }
}

static int
run_pdf (int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("IMAGE…"));
  g_autoptr(SbPdfWriter) writer = sb_pdf_writer_new ();
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *mode_name = NULL;
  g_autofree char *title = NULL;
  g_auto(GStrv) images = NULL;
  gboolean pdfa = FALSE;
  gboolean ocr = FALSE;
  gboolean verbose = FALSE;
  double dpi = 300;
  SbPdfMode mode = SB_PDF_MODE_AUTO;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the PDF to FILE"), N_("FILE") },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode_name,
      N_("auto (default: text pages black and white, others gray or colour), color, gray or bw"), N_("MODE") },
    { "pdfa", 0, 0, G_OPTION_ARG_NONE, &pdfa, N_("Write PDF/A-2b for archiving"), NULL },
    { "ocr", 0, 0, G_OPTION_ARG_NONE, &ocr,
      N_("Recognise the text (German and English) and make it searchable"), NULL },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The document’s title"), N_("TITLE") },
    { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &dpi, N_("Resolution of images that do not name one (default 300)"), N_("DPI") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Say how each page was compressed"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &images, NULL, NULL },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Turn scanned or photographed pages into one compact PDF, "
                                           "a page per image, in the order given."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (output == NULL)
    return usage_error (_("say where to write the PDF with -o FILE"));
  if (images == NULL || images[0] == NULL)
    return usage_error (_("name at least one image"));
  if (dpi < 50 || dpi > 2400)
    return usage_error (_("--dpi must be between 50 and 2400"));

  if (mode_name != NULL)
    {
      g_autoptr(GEnumClass) modes = g_type_class_ref (SB_TYPE_PDF_MODE);
      GEnumValue *value = g_enum_get_value_by_nick (modes, mode_name);

      if (value == NULL)
        return usage_error (_("--mode is one of auto, color, gray and bw"));
      mode = value->value;
    }

  for (guint i = 0; images[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (images[i]);
      g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);
      SbEncodedImage *page;

      if (bytes == NULL)
        {
          g_printerr (_("%s cannot be read: %s\n"), images[i], error->message);
          return EXIT_FAILURE;
        }

      page = sb_page_encode_with_text (bytes, mode, dpi, ocr ? "deu+eng" : NULL, &error);
      if (page == NULL)
        {
          g_printerr ("%s: %s\n", images[i], error->message);
          return EXIT_FAILURE;
        }

      if (verbose)
        g_print (_("page %u: %s, %u × %u pixels, %s, %lu bytes, %u words recognised\n"), i + 1, images[i],
                 page->width, page->height, filter_name (page), (gulong)g_bytes_get_size (page->data),
                 page->words ? page->words->len : 0);
      sb_pdf_writer_add_page (writer, page);
    }

  date = document_date ();
  sb_pdf_writer_set_pdfa (writer, pdfa);
  sb_pdf_writer_set_title (writer, title);
  sb_pdf_writer_set_date (writer, date);
  pdf = sb_pdf_writer_finish (writer, &error);

  if (pdf == NULL ||
      !g_file_set_contents (output, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    {
      g_printerr (_("The PDF could not be written: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc >= 2 && g_str_equal (argv[1], "check"))
    return run_check (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "audit"))
    return run_audit (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "pdf"))
    return run_pdf (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "outbox"))
    return run_outbox (argc - 1, argv + 1);

  context = g_option_context_new (_("COMMAND"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Look after the Servicebüro installation of a service desk: "
                                  "scanners, PDFs, the local store and the outbox."));
  g_option_context_set_description (context,
                                    _("Commands:\n"
                                      "  check [DIR]            Check the store’s integrity and that "
                                      "its data can be decrypted\n"
                                      "  audit export [-o FILE] Write the audit log as JSON Lines\n"
                                      "  pdf -o FILE IMAGE…     Turn page images into one compact PDF\n"
                                      "  outbox list|show|retry What waits to go to the platform\n"
                                      "\n"
                                      "Commands for scanners and passports come with later versions."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (version)
    {
      g_print ("servicebuero-ctl %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("unknown command “%s”"), argv[1]);

      return usage_error (message);
    }

  {
    g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

    g_print ("%s", help);
  }

  return EXIT_SUCCESS;
}
