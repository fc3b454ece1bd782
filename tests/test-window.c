/* test-window.c — the main window, for real, under a display server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sb-application.h"
#include "sb-preferences-window.h"
#include "sb-sync-indicator.h"
#include "sb-window.h"
#include "sb-test-ui.h"

static const struct {
  const char *name;
  const char *accel;
} pages[] = {
  { "citizens", "<Alt>1" },
  { "submissions", "<Alt>2" },
  { "scan", "<Alt>3" },
  { "outbox", "<Alt>4" },
};

static SbApplication *app;

static SbWindow *
open_window (void)
{
  SbWindow *window = sb_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  sb_test_wait_for_frame (GTK_WIDGET (window));

  return window;
}

static void
close_window (SbWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_opens (void)
{
  SbWindow *window = open_window ();

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Servicebüro");
  g_assert_cmpstr (sb_window_get_visible_page (window), ==, "citizens");
  g_assert_true (sb_window_get_sync_status (window) == sb_application_get_sync_status (app));
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == GTK_WINDOW (window));
  /* The development profile's striped header tells a test desk from a real one. */
  g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"), ==, DEVELOPMENT_BUILD);

  close_window (window);
}

static void
test_window_pages_by_action (void)
{
  SbWindow *window = open_window ();

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *shot = g_strdup_printf ("page-%s", pages[i].name);

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", pages[i].name));
      g_assert_cmpstr (sb_window_get_visible_page (window), ==, pages[i].name);
      sb_test_save_screenshot (GTK_WIDGET (window), shot);
    }

  close_window (window);
}

static void
test_window_pages_by_shortcut (void)
{
  SbWindow *window = open_window ();

  /* Start elsewhere so that every shortcut has to move. */
  sb_window_set_visible_page (window, "outbox");

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_auto(GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), pages[i].accel);
      g_autofree char *expected = g_strdup_printf ("win.show-page::%s", pages[i].name);
      g_autofree char *action_name = NULL;
      g_autoptr(GVariant) target = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (actions);
      g_assert_cmpuint (g_strv_length (actions), ==, 1);
      g_assert_cmpstr (actions[0], ==, expected);

      /* Activate what the accelerator is bound to, the way GTK's shortcut
       * controller does; real key presses are in the end-to-end test. */
      g_action_parse_detailed_name (actions[0], &action_name, &target, &error);
      g_assert_no_error (error);
      g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), action_name, target));
      g_assert_cmpstr (sb_window_get_visible_page (window), ==, pages[i].name);
    }

  close_window (window);
}

static void
test_window_unknown_page (void)
{
  if (g_test_subprocess ())
    {
      SbWindow *window = open_window ();

      sb_window_set_visible_page (window, "no-such-page");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*No page named “no-such-page”*");
}

static void
test_window_desk_name_in_title (void)
{
  GSettings *settings = sb_application_get_settings (app);
  SbWindow *window = open_window ();

  g_settings_set_string (settings, "desk-name", "  Schalter 3 ");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Servicebüro — Schalter 3");

  g_settings_reset (settings, "desk-name");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Servicebüro");

  close_window (window);
}

static void
test_window_state_saved (void)
{
  GSettings *settings = sb_application_get_settings (app);
  SbWindow *window = open_window ();
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  sb_test_wait_for_frame (GTK_WIDGET (window));
  gtk_window_close (GTK_WINDOW (window));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  window = open_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  close_window (window);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static void
test_window_sync_indicator (void)
{
  SbSyncStatus *status = sb_application_get_sync_status (app);
  SbWindow *window = open_window ();
  GtkWidget *indicator = sb_test_find_descendant (GTK_WIDGET (window), SB_TYPE_SYNC_INDICATOR);
  GtkWidget *button = sb_test_find_descendant (indicator, GTK_TYPE_BUTTON);
  GtkWidget *label = sb_test_find_descendant (indicator, GTK_TYPE_LABEL);

  g_assert_nonnull (indicator);
  g_assert_true (sb_sync_indicator_get_status (SB_SYNC_INDICATOR (indicator)) == status);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "Not Signed In");

  sb_sync_status_set_state (status, SB_SYNC_STATE_NEEDS_ATTENTION);
  sb_sync_status_set_pending (status, 2);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "Needs Attention · 2 waiting");
  g_assert_true (gtk_widget_has_css_class (indicator, "needs-attention"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (button), "2 items are waiting"));
  sb_test_save_screenshot (GTK_WIDGET (window), "sync-needs-attention");

  /* The indicator leads to the outbox, where the details are. */
  g_assert_cmpstr (sb_window_get_visible_page (window), ==, "citizens");
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (sb_window_get_visible_page (window), ==, "outbox");

  sb_sync_status_set_state (status, SB_SYNC_STATE_SIGNED_OUT);
  sb_sync_status_set_pending (status, 0);
  g_assert_false (gtk_widget_has_css_class (indicator, "needs-attention"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "Not Signed In");

  close_window (window);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

static void
test_window_about (void)
{
  SbWindow *window = open_window ();
  GtkWindow *about;
  g_autofree char *notes = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Servicebüro");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_issue_url (ADW_ABOUT_WINDOW (about)), ==,
                   "https://github.com/servicebuero/servicebuero/issues");
  notes = g_strdup (adw_about_window_get_release_notes (ADW_ABOUT_WINDOW (about)));
  g_assert_true (g_str_has_prefix (notes, "<p>"));
  sb_test_save_screenshot (GTK_WIDGET (about), "about");

  close_window (SB_WINDOW (window));
  g_assert_null (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
}

static void
test_window_preferences (void)
{
  GSettings *settings = sb_application_get_settings (app);
  SbWindow *window = open_window ();
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWindow *preferences;
  GtkWidget *combo;
  GtkWidget *entry;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_toplevel (SB_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  sb_test_save_screenshot (GTK_WIDGET (preferences), "preferences");

  combo = sb_test_find_descendant (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 2);
  g_assert_cmpint (g_settings_get_enum (settings, "color-scheme"), ==, 2);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  sb_test_save_screenshot (GTK_WIDGET (window), "page-citizens-dark");

  g_settings_set_string (settings, "color-scheme", "light");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 1);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_settings_reset (settings, "color-scheme");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);

  entry = sb_test_find_descendant (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Desk 7");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Servicebüro — Desk 7");
  g_settings_reset (settings, "desk-name");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  g_object_ref (preferences);
  gtk_window_destroy (preferences);
  g_assert_finalize_object (preferences);
  close_window (window);
}

/* What Preferences accepts as the city's platform. */
static void
test_platform_address (void)
{
  g_assert_true (sb_platform_url_is_valid (""));
  g_assert_true (sb_platform_url_is_valid ("https://platform.nuernberg.de"));
  g_assert_true (sb_platform_url_is_valid ("https://platform.example.de:8443/api"));
  g_assert_true (sb_platform_url_is_valid ("http://127.0.0.1:8080"));
  g_assert_true (sb_platform_url_is_valid ("http://localhost:8080"));
  g_assert_false (sb_platform_url_is_valid ("http://platform.nuernberg.de"));
  g_assert_false (sb_platform_url_is_valid ("platform.nuernberg.de"));
  g_assert_false (sb_platform_url_is_valid ("https://"));
  g_assert_false (sb_platform_url_is_valid ("https://user:pw@platform.example.de"));
  g_assert_false (sb_platform_url_is_valid ("https://platform.example.de/?x=1"));
  g_assert_false (sb_platform_url_is_valid ("ftp://platform.example.de"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!sb_test_ui_init (&argc, &argv))
    return 0;

  app = sb_application_new (APP_ID ".Test", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/window/platform-address", test_platform_address);
  g_test_add_func ("/window/opens", test_window_opens);
  g_test_add_func ("/window/pages-by-action", test_window_pages_by_action);
  g_test_add_func ("/window/pages-by-shortcut", test_window_pages_by_shortcut);
  g_test_add_func ("/window/unknown-page", test_window_unknown_page);
  g_test_add_func ("/window/desk-name-in-title", test_window_desk_name_in_title);
  g_test_add_func ("/window/state-saved", test_window_state_saved);
  g_test_add_func ("/window/sync-indicator", test_window_sync_indicator);
  g_test_add_func ("/window/about", test_window_about);
  g_test_add_func ("/window/preferences", test_window_preferences);

  status = g_test_run ();

  /* A registered GtkApplication keeps references of its own (even with no
   * window ever opened), so only the windows are checked for finalization. */
  g_object_unref (app);

  return status;
}
