/* test-appdata.c — the About window's data, read from the real metainfo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "sb-appdata.h"

static GBytes *
load_metainfo (void)
{
  const char *path = g_getenv ("SB_METAINFO");
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_assert_nonnull (path);
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, len);
}

static void
test_appdata_english (void)
{
  const char * const languages[] = { "en_GB.UTF-8", "en_GB", "en", "C", NULL };
  g_autoptr(GBytes) xml = load_metainfo ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SbAppdata) appdata = sb_appdata_parse (xml, languages, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (appdata->id, ==, APP_ID);
  g_assert_cmpstr (appdata->name, ==, "Servicebüro");
  g_assert_cmpstr (appdata->summary, ==, "Serve citizens at a city's walk-in service desk");
  g_assert_cmpstr (appdata->developer_name, ==, "The Servicebüro developers");
  g_assert_cmpstr (appdata->project_license, ==, "GPL-3.0-or-later");
  g_assert_cmpstr (appdata->homepage, ==, "https://github.com/servicebuero/servicebuero");
  g_assert_cmpstr (appdata->bugtracker, ==, "https://github.com/servicebuero/servicebuero/issues");
  g_assert_true (g_str_has_prefix (PACKAGE_VERSION, appdata->release_version));
  g_assert_nonnull (appdata->release_date);
  g_assert_true (g_str_has_prefix (appdata->release_notes, "<p>The first foundation of Servicebüro:</p><ul><li>"));
  g_assert_true (g_str_has_suffix (appdata->release_notes, "</li></ul>"));
  g_assert_null (strstr (appdata->release_notes, "Fundament"));
}

static void
test_appdata_german (void)
{
  const char * const languages[] = { "de_DE.UTF-8", "de_DE", "de.UTF-8", "de", "C", NULL };
  g_autoptr(GBytes) xml = load_metainfo ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SbAppdata) appdata = sb_appdata_parse (xml, languages, &error);
  g_autoptr(SbAppdata) copy = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (appdata->summary, ==, "Bürgerinnen und Bürger am Servicebüro einer Stadt bedienen");
  g_assert_true (g_str_has_prefix (appdata->release_notes, "<p>Das erste Fundament von Servicebüro:</p>"));
  g_assert_nonnull (strstr (appdata->release_notes, "<li>Eine vollständige deutsche Übersetzung</li>"));
  g_assert_null (strstr (appdata->release_notes, "The first foundation"));

  copy = sb_appdata_copy (appdata);
  g_assert_cmpstr (copy->release_notes, ==, appdata->release_notes);
  g_assert_true (copy->release_notes != appdata->release_notes);
}

static void
test_appdata_partial_translation (void)
{
  const char * const languages[] = { "tr", "C", NULL };
  static const char xml_text[] =
    "<?xml version=\"1.0\"?>\n"
    "<component type=\"desktop-application\">\n"
    "  <id>org.example.App</id>\n"
    "  <name>App</name>\n"
    "  <releases>\n"
    "    <release version=\"2.0\" date=\"2026-01-02\">\n"
    "      <description>\n"
    "        <p>New &amp; better:</p>\n"
    "        <p xml:lang=\"tr\">Yeni &amp; daha iyi:</p>\n"
    "        <ul>\n"
    "          <li>Faster\n   scanning</li>\n"
    "          <li xml:lang=\"de\">Schneller scannen</li>\n"
    "          <li>Fewer <em>clicks</em></li>\n"
    "          <li xml:lang=\"tr\">Daha az tıklama</li>\n"
    "        </ul>\n"
    "        <script>alert()</script>\n"
    "      </description>\n"
    "    </release>\n"
    "    <release version=\"1.0\" date=\"2025-01-02\"/>\n"
    "  </releases>\n"
    "</component>\n";
  g_autoptr(GBytes) xml = g_bytes_new_static (xml_text, sizeof xml_text - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbAppdata) appdata = sb_appdata_parse (xml, languages, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (appdata->release_version, ==, "2.0");
  g_assert_cmpstr (appdata->release_date, ==, "2026-01-02");
  g_assert_null (appdata->summary);
  g_assert_null (appdata->homepage);
  /* An untranslated item stays in English; text is re-escaped; only the
   * markup the About window understands is kept. */
  g_assert_cmpstr (appdata->release_notes, ==,
                   "<p>Yeni &amp; daha iyi:</p>"
                   "<ul><li>Faster scanning</li><li>Daha az tıklama</li></ul>");
}

static void
test_appdata_invalid (void)
{
  static const char not_xml[] = "<component><id>x</id>";
  static const char no_component[] = "<?xml version=\"1.0\"?><other/>";
  static const char no_name[] = "<component><id>x</id></component>";
  g_autoptr(GBytes) a = g_bytes_new_static (not_xml, sizeof not_xml - 1);
  g_autoptr(GBytes) b = g_bytes_new_static (no_component, sizeof no_component - 1);
  g_autoptr(GBytes) c = g_bytes_new_static (no_name, sizeof no_name - 1);
  g_autoptr(GError) error = NULL;

  g_assert_null (sb_appdata_parse (a, NULL, &error));
  g_assert_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_null (sb_appdata_parse (b, NULL, &error));
  g_assert_error (error, SB_APPDATA_ERROR, SB_APPDATA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (sb_appdata_parse (c, NULL, &error));
  g_assert_error (error, SB_APPDATA_ERROR, SB_APPDATA_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/appdata/english", test_appdata_english);
  g_test_add_func ("/appdata/german", test_appdata_german);
  g_test_add_func ("/appdata/partial-translation", test_appdata_partial_translation);
  g_test_add_func ("/appdata/invalid", test_appdata_invalid);

  return g_test_run ();
}
