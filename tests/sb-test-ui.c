/* sb-test-ui.c — what the UI tests share: waiting for frames, screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "sb-test-ui.h"

/**
 * sb_test_ui_init:
 *
 * Starts GTK and libadwaita for a UI test, in the C locale, animations off
 * (screenshots show the end state, not a transition half-way). Without a
 * display server it prints a TAP skip and returns %FALSE (with
 * SB_TESTS_NO_SKIP set it fails instead: the test command runs under Xvfb).
 */
gboolean
sb_test_ui_init (int    *argc,
                 char ***argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      if (g_getenv ("SB_TESTS_NO_SKIP") != NULL)
        g_error ("No display: the test command runs the UI tests under Xvfb; run them through it");
      g_print ("1..0 # SKIP no display server\n");
      return FALSE;
    }

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return TRUE;
}

static void
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
}

/* Runs the main loop until *flag is set, failing after a few seconds. */
static void
wait_for_flag (gboolean *flag)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_once (5000, on_timeout, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

void
sb_test_wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong id;

  while (!gtk_widget_get_mapped (widget))
    g_main_context_iteration (NULL, TRUE);

  clock = gtk_widget_get_frame_clock (widget);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (widget);
  wait_for_flag (&painted);
  g_signal_handler_disconnect (clock, id);
}

/* A PNG of the window as drawn, for a person to look at. */
void
sb_test_save_screenshot (GtkWidget  *window,
                         const char *name)
{
  GtkWidget *widget = window;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  int width = 0, height = 0;

  /* A paintable takes its image when created, and gets none (or only parts)
   * while widgets wait for a new allocation after a change of page or
   * style: take it after two frames, and after more if that was too early. */
  sb_test_wait_for_frame (window);
  for (guint attempt = 0; node == NULL && attempt < 10; attempt++)
    {
      g_autoptr(GdkPaintable) paintable = NULL;
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      sb_test_wait_for_frame (window);
      paintable = gtk_widget_paintable_new (widget);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_to_node (snapshot);
    }
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

GtkWidget *
sb_test_find_descendant (GtkWidget *widget,
                         GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sb_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}


/* What the X server shows, as a person would see it: list views fill their
 * rows in frames of their own, which a widget paintable may not have yet. */
void
sb_test_save_display_screenshot (GtkWidget  *window,
                                 const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *geometry = NULL;
  const char *argv[] = { "import", "-window", "root", "-crop", NULL, path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *import = g_find_program_in_path ("import");
  int status = 0;

  if (import == NULL || g_getenv ("DISPLAY") == NULL)
    {
      sb_test_save_screenshot (window, name);
      return;
    }

  for (guint i = 0; i < 10; i++)
    sb_test_wait_for_frame (window);

  geometry = g_strdup_printf ("%dx%d+0+0", gtk_widget_get_width (window), gtk_widget_get_height (window));
  argv[4] = geometry;
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
}
