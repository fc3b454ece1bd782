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
#include "sb-scan-job.h"
#include <glib-unix.h>
#include <signal.h>
#include <json-glib/json-glib.h>

#include <gio/gunixinputstream.h>

#include "sb-json-schema.h"
#include "sb-model.h"
#include "sb-mrz-reader.h"
#include "sb-page-ops.h"
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

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* mrz IMAGE | mrz --text: what a machine-readable zone says, with every
 * check digit's result. Exit 0: all check digits pass; 1: a check digit
 * failed (the JSON says which) or no zone was found. */
static int
run_mrz (int    argc,
         char **argv)
{
  gboolean text = FALSE;
  const GOptionEntry entries[] = {
    { "text", 0, 0, G_OPTION_ARG_NONE, &text, N_("Read the zone’s lines from standard input"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("IMAGE | --text"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SbMrz) mrz = NULL;
  g_autoptr(JsonNode) json = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Read the machine-readable zone of a passport, ID card or residence permit "
                                           "(ICAO 9303 TD1, TD2, TD3) and print its fields and each check digit’s "
                                           "result as JSON. Exits 0 when every check digit passes, 1 when not."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (text)
    {
      g_autoptr(GInputStream) in = NULL;
      g_autoptr(GBytes) lines = NULL;
      g_autofree char *typed = NULL;

      if (argc != 1)
        return usage_error (_("with --text, the lines come on standard input, not as a file"));
      in = g_unix_input_stream_new (0, FALSE);
      lines = g_input_stream_read_bytes (in, 4096, NULL, &error);
      if (lines == NULL)
        return usage_error (error->message);
      typed = g_strndup (g_bytes_get_data (lines, NULL), g_bytes_get_size (lines));
      mrz = sb_mrz_parse (typed, &error);
    }
  else
    {
      g_autoptr(GFile) file = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(PIX) image = NULL;

      if (argc != 2)
        return usage_error (_("name one image of the side with the zone, or give --text"));
      file = g_file_new_for_commandline_arg (argv[1]);
      bytes = g_file_load_bytes (file, NULL, NULL, &error);
      if (bytes == NULL)
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      image = sb_page_decode (bytes, NULL, &error);
      if (image == NULL)
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      mrz = sb_mrz_read_image (image, NULL, &error);
    }

  if (mrz == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  json = sb_mrz_to_json (mrz);
  print_json (json);
  return sb_mrz_is_valid (mrz) ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int
run_scanners (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the list as JSON"), NULL },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("List the scanners this computer can use (through SANE, "
                                           "network scanners through eSCL where sane-airscan is installed)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  sb_scan_list_devices_async (NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  devices = sb_scan_list_devices_finish (result, &error);
  if (devices == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < devices->len; i++)
        {
          SbScannerInfo *info = g_ptr_array_index (devices, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, info->name);
          json_builder_set_member_name (builder, "vendor");
          json_builder_add_string_value (builder, info->vendor);
          json_builder_set_member_name (builder, "model");
          json_builder_add_string_value (builder, info->model);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, info->type);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
      return EXIT_SUCCESS;
    }

  if (devices->len == 0)
    {
      g_print (_("No scanner was found. Check that it is switched on and connected, then run this again.\n"));
      return EXIT_FAILURE;
    }
  for (guint i = 0; i < devices->len; i++)
    {
      SbScannerInfo *info = g_ptr_array_index (devices, i);
      g_autofree char *label = sb_scanner_info_get_label (info);

      g_print ("%s\t%s\n", info->name, label);
    }
  return EXIT_SUCCESS;
}

typedef struct
{
  GPtrArray      *pages;       /* SbProcessedPage */
  SbPdfMode       mode;
  SbProcessFlags  flags;
  GError         *error;
  gboolean        done;
  gboolean        quiet;
} ScanRun;

static void
on_ctl_page_scanned (SbScanJob  *job,
                     guint       number,
                     SbRawImage *image,
                     ScanRun    *run)
{
  g_autoptr(PIX) pix = sb_raw_image_to_pix (image);
  g_autoptr(GError) error = NULL;
  SbProcessedPage *page = sb_page_process (pix, image->dpi, run->mode, run->flags, &error);

  if (page == NULL)
    {
      g_printerr (_("page %u: %s\n"), number, error->message);
      return;
    }
  if (page->blank)
    {
      if (!run->quiet)
        g_printerr (_("page %u: empty, left out\n"), number);
      sb_processed_page_free (page);
      return;
    }
  if (!run->quiet)
    g_printerr (_("page %u: %u × %u pixels, %lu bytes\n"), number, page->width, page->height,
                (gulong)g_bytes_get_size (page->image));
  g_ptr_array_add (run->pages, page);
}

static void
on_ctl_notice (SbScanJob  *job,
               const char *message,
               ScanRun    *run)
{
  g_printerr ("%s\n", message);
}

static void
on_ctl_scan_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ScanRun *run = user_data;

  sb_scan_job_run_finish (SB_SCAN_JOB (object), result, &run->error);
  run->done = TRUE;
}

static gboolean
on_ctl_interrupt (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_nick (GType        type,
            const char  *nick,
            int         *value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *found = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  if (found == NULL)
    return nick == NULL;
  *value = found->value;
  return TRUE;
}

static int
run_scan (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SbScanJob) job = NULL;
  g_autoptr(SbPdfWriter) writer = sb_pdf_writer_new ();
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_processed_page_free);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device = NULL;
  g_autofree char *source = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *page_size = NULL;
  g_autofree char *output = NULL;
  gboolean no_deskew = FALSE, drop_blank = FALSE, quiet = FALSE;
  int resolution = 300;
  SbScanSettings settings = { 0 };
  ScanRun run = { 0 };
  int source_value = SB_SCAN_SOURCE_FLATBED, mode_value = SB_SCAN_MODE_COLOR, size_value = SB_PAGE_SIZE_A4;
  guint interrupt;
  const GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device, N_("The scanner, as “servicebuero-ctl scanners” names it (default: the first)"), N_("DEVICE") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, N_("flatbed (default), feeder or duplex"), N_("SOURCE") },
    { "resolution", 'r', 0, G_OPTION_ARG_INT, &resolution, N_("Dots per inch (default 300)"), N_("DPI") },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &mode, N_("color (default), gray or bw"), N_("MODE") },
    { "page-size", 0, 0, G_OPTION_ARG_STRING, &page_size, N_("a4 (default), a5, id1 (ID card) or auto (find the document on the glass)"), N_("SIZE") },
    { "no-deskew", 0, 0, G_OPTION_ARG_NONE, &no_deskew, N_("Keep pages as scanned, even when crooked"), NULL },
    { "drop-blank", 0, 0, G_OPTION_ARG_NONE, &drop_blank, N_("Leave out empty pages (the backs of one-sided pages)"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Say nothing about each page"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the PDF to FILE"), N_("FILE") },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Scan into a PDF, to check a scanner. Pages scanned before a "
                                           "fault or Ctrl+C are written all the same."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (output == NULL)
    return usage_error (_("say where to write the PDF with -o FILE"));
  if (!parse_nick (SB_TYPE_SCAN_SOURCE, source, &source_value))
    return usage_error (_("--source is one of flatbed, feeder and duplex"));
  if (!parse_nick (SB_TYPE_SCAN_MODE, mode, &mode_value))
    return usage_error (_("--mode is one of color, gray and bw"));
  if (!parse_nick (SB_TYPE_PAGE_SIZE, page_size, &size_value))
    return usage_error (_("--page-size is one of a4, a5, id1 and auto"));
  if (resolution < 50 || resolution > 1200)
    return usage_error (_("--resolution must be between 50 and 1200"));

  if (device == NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) devices = NULL;

      sb_scan_list_devices_async (NULL, store_result, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      devices = sb_scan_list_devices_finish (result, &error);
      if (devices == NULL || devices->len == 0)
        {
          g_printerr (_("No scanner was found. Check that it is switched on and connected, then try again.\n"));
          return EXIT_FAILURE;
        }
      device = g_strdup (((SbScannerInfo *)g_ptr_array_index (devices, 0))->name);
    }

  settings.device = device;
  settings.source = source_value;
  settings.mode = mode_value;
  settings.resolution = (guint)resolution;
  settings.page_size = size_value;
  job = sb_scan_job_new (&settings);

  run.pages = pages;
  run.quiet = quiet;
  run.mode = mode_value == SB_SCAN_MODE_BW ? SB_PDF_MODE_BW : mode_value == SB_SCAN_MODE_GRAY ? SB_PDF_MODE_GRAY : SB_PDF_MODE_COLOR;
  run.flags = (no_deskew ? 0 : SB_PROCESS_DESKEW) | (drop_blank ? SB_PROCESS_DETECT_BLANK : 0) |
              (size_value == SB_PAGE_SIZE_AUTO ? SB_PROCESS_CROP : 0);
  g_signal_connect (job, "page-scanned", G_CALLBACK (on_ctl_page_scanned), &run);
  g_signal_connect (job, "notice", G_CALLBACK (on_ctl_notice), &run);
  interrupt = g_unix_signal_add (SIGINT, on_ctl_interrupt, cancellable);

  sb_scan_job_run_async (job, cancellable, on_ctl_scan_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (interrupt);

  if (run.error != NULL)
    g_printerr ("%s\n", run.error->message);

  if (pages->len > 0)
    {
      g_autoptr(GDateTime) date = document_date ();

      for (guint i = 0; i < pages->len; i++)
        {
          SbProcessedPage *page = g_ptr_array_index (pages, i);
          SbEncodedImage *encoded = sb_page_encode (page->image, run.mode == SB_PDF_MODE_BW ? SB_PDF_MODE_BW : SB_PDF_MODE_COLOR,
                                                    page->dpi, &error);

          if (encoded == NULL)
            {
              g_printerr ("%s\n", error->message);
              return EXIT_FAILURE;
            }
          sb_pdf_writer_add_page (writer, encoded);
        }
      sb_pdf_writer_set_date (writer, date);
      pdf = sb_pdf_writer_finish (writer, &error);
      if (pdf == NULL ||
          !g_file_set_contents (output, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
        {
          g_printerr (_("The PDF could not be written: %s\n"), error->message);
          g_clear_error (&run.error);
          return EXIT_FAILURE;
        }
      if (!quiet)
        g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u page written to %s\n", "%u pages written to %s\n", pages->len),
                    pages->len, output);
    }

  if (run.error != NULL)
    {
      int code = g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? 130 : EXIT_FAILURE;

      g_clear_error (&run.error);
      return code;
    }
  return pages->len > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static JsonNode *
read_json_file (const char *path,
                GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  gsize length;

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  if (sb_json_nesting_exceeds (text, length, 64))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s nests deeper than 64 levels"), path);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, (gssize)length, error) || json_parser_get_root (parser) == NULL)
    {
      g_prefix_error (error, _("%s is not JSON: "), path);
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

/* Prints JSON Schema's "basic" output format (2020-12, section 12.4.2). */
static int
run_validate (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("SCHEMA.json DATA.json"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) schema = NULL;
  g_autoptr(JsonNode) given = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) output = NULL;
  g_autofree char *text = NULL;
  gboolean keep_blank = FALSE;
  const GOptionEntry entries[] = {
    { "keep-blank", 0, 0, G_OPTION_ARG_NONE, &keep_blank,
      N_("Check empty texts and nulls as given (a form leaves blank fields out)"), NULL },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Check DATA against a service form’s JSON Schema (2020-12) as the platform and "
                                  "the app do. Prints {\"valid\", \"errors\"} with each error’s instance and "
                                  "schema pointer; exit 0 when valid, 1 when not, 2 when a file cannot be used."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc != 3)
    return usage_error (_("name the schema and the data: validate SCHEMA.json DATA.json"));

  if ((schema = read_json_file (argv[1], &error)) == NULL || (given = read_json_file (argv[2], &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!sb_json_schema_check (schema, &error))
    {
      /* Translators: %s names the place in the schema and what is wrong there */
      g_printerr (_("The schema cannot be used: %s\n"), error->message);
      return 2;
    }

  data = keep_blank ? json_node_ref (given) : sb_json_form_pruned (given);
  faults = sb_json_schema_validate (schema, data);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, faults->len == 0);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < faults->len; i++)
    {
      SbSchemaError *fault = g_ptr_array_index (faults, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "instanceLocation");
      json_builder_add_string_value (builder, fault->pointer);
      json_builder_set_member_name (builder, "keywordLocation");
      json_builder_add_string_value (builder, fault->schema_pointer);
      json_builder_set_member_name (builder, "keyword");
      json_builder_add_string_value (builder, fault->keyword);
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, fault->detail);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  output = json_builder_get_root (builder);
  json_generator_set_root (generator, output);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
  return faults->len == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
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
  if (argc >= 2 && g_str_equal (argv[1], "scanners"))
    return run_scanners (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "scan"))
    return run_scan (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "mrz"))
    return run_mrz (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "validate"))
    return run_validate (argc - 1, argv + 1);

  context = g_option_context_new (_("COMMAND"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Look after the Servicebüro installation of a service desk: "
                                  "scanners, PDFs, passports, the local store and the outbox."));
  g_option_context_set_description (context,
                                    _("Commands:\n"
                                      "  check [DIR]            Check the store’s integrity and that "
                                      "its data can be decrypted\n"
                                      "  audit export [-o FILE] Write the audit log as JSON Lines\n"
                                      "  pdf -o FILE IMAGE…     Turn page images into one compact PDF\n"
                                      "  outbox list|show|retry What waits to go to the platform\n"
                                      "  scanners [--json]      List the scanners\n"
                                      "  scan -o FILE [OPTION…] Scan into a PDF\n"
                                      "  mrz IMAGE | --text     Read a passport’s machine-readable zone\n"
                                      "  validate SCHEMA DATA   Check form data against a service’s JSON Schema"));
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
