/* main.c — servicebuero-ctl, the command-line companion for IT staff
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <gio/gunixoutputstream.h>
#include <stdlib.h>

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
                                      "\n"
                                      "Commands for scanners, PDFs, passports and the outbox come "
                                      "with later versions."));
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
