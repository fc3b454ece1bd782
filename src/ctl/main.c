/* main.c — servicebuero-ctl, the command-line companion for IT staff
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

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

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Look after the Servicebüro installation of a service desk: "
                                  "scanners, PDFs, the local store and the outbox."));
  g_option_context_set_description (context,
                                    _("This version only reports its version. Commands for "
                                      "scanners, PDFs, passports and the outbox come with "
                                      "later versions."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      /* Translators: %s is an error message; the hint names the --help option */
      g_printerr (_("servicebuero-ctl: %s\nRun “servicebuero-ctl --help” to see what it can do.\n"),
                  error->message);
      return EXIT_FAILURE;
    }

  if (version)
    {
      g_print ("servicebuero-ctl %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (argc > 1)
    {
      g_printerr (_("servicebuero-ctl: unknown command “%s”.\nRun “servicebuero-ctl --help” to see what it can do.\n"),
                  argv[1]);
      return EXIT_FAILURE;
    }

  {
    g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

    g_print ("%s", help);
  }

  return EXIT_SUCCESS;
}
