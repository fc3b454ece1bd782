/* test-demo-platform.c: the embedded demo platform as a child process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sb-demo-platform.h"

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GAsyncResult *
start (SbDemoPlatform *platform)
{
  GAsyncResult *result = NULL;

  sb_demo_platform_start_async (platform, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return result;
}

/* A GET over a plain socket: the test needs no HTTP library. */
static char *
http_get (const char *url,
          const char *path,
          GError    **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_uri (client, url, 80, NULL, error);
  g_autofree char *request = NULL;
  char buffer[4096] = { 0 };
  gsize got = 0;

  if (connection == NULL)
    return NULL;
  request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request, strlen (request),
                                  NULL, NULL, error) ||
      !g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (connection)), buffer, sizeof buffer - 1,
                                &got, NULL, error))
    return NULL;
  return g_strndup (buffer, got);
}

static void
test_demo_platform_runs_and_stops (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sb-demo-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "demo-platform", NULL);
  g_autofree char *binary = sb_demo_platform_find_binary ();
  g_autoptr(SbDemoPlatform) platform = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *url = NULL;
  g_autofree char *db = g_build_filename (data_dir, "platform.db", NULL);

  g_assert_nonnull (binary);
  platform = sb_demo_platform_new (binary, data_dir);
  result = start (platform);
  g_assert_true (sb_demo_platform_start_finish (platform, result, &error));
  g_assert_no_error (error);
  url = g_strdup (sb_demo_platform_get_url (platform));
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_test_message ("demo platform at %s", url);

  answer = http_get (url, "/healthz", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
  g_assert_nonnull (strstr (answer, "\"status\":\"ok\""));
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));

  /* Its staff user for the demo is there. */
  g_clear_pointer (&answer, g_free);
  answer = http_get (url, "/.well-known/oauth-authorization-server", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (answer, "S256"));

  sb_demo_platform_stop (platform);
  g_assert_null (sb_demo_platform_get_url (platform));
  g_clear_pointer (&answer, g_free);
  answer = http_get (url, "/healthz", &error);
  g_assert_null (answer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);

  g_remove (db);
}

static void
test_demo_platform_problems (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sb-demo-XXXXXX", NULL);
  g_autoptr(SbDemoPlatform) missing = sb_demo_platform_new (NULL, dir);
  g_autoptr(SbDemoPlatform) broken = sb_demo_platform_new ("/bin/false", dir);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = start (missing);
  g_assert_false (sb_demo_platform_start_finish (missing, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_clear_error (&error);
  g_clear_object (&result);

  /* A platform that ends before it listens: said so, and what to do. */
  result = start (broken);
  g_assert_false (sb_demo_platform_start_finish (broken, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "terminal"));
  g_assert_null (sb_demo_platform_get_url (broken));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-platform/runs-and-stops", test_demo_platform_runs_and_stops);
  g_test_add_func ("/demo-platform/problems", test_demo_platform_problems);

  return g_test_run ();
}
