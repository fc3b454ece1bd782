/* test-sign-in.c: staff sign-in against the real platform, with a real
 * keyring (run through tests/keyring-session)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "sb-model.h"
#include "sb-sign-in.h"
#include "sb-store.h"
#include "sb-sync-engine.h"

typedef struct
{
  GSubprocess *process;
  char        *url;
  char        *dir;
} Platform;

static const char *platform_binary;

static void
run_platform_command (const char *dir,
                      const char *input,
                      ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, (gpointer)platform_binary);
  g_ptr_array_add (argv, (gpointer)"--data-dir");
  g_ptr_array_add (argv, (gpointer)dir);
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *)argv->pdata, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
}

static Platform *
platform_start (gboolean demo)
{
  Platform *platform = g_new0 (Platform, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  platform->dir = g_dir_make_tmp ("sb-sign-in-XXXXXX", &error);
  g_assert_no_error (error);
  run_platform_command (platform->dir, "anna-secret\n", "user", "add", "anna", "--name", "Anna", "--office", "abh", NULL);
  platform->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, platform_binary, "--data-dir",
                                        platform->dir, "--port", "0", "--access-token-lifetime", "2",
                                        demo ? "--demo" : "--log", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (platform->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "Listening on "));
  platform->url = g_strdup (line + strlen ("Listening on "));
  return platform;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
platform_stop (Platform *platform)
{
  g_subprocess_send_signal (platform->process, SIGTERM);
  g_subprocess_wait (platform->process, NULL, NULL);
  g_object_unref (platform->process);
  g_free (platform->url);
  /* The platform's data and the desk's store it held: nothing left in /tmp. */
  remove_tree (platform->dir);
  g_free (platform->dir);
  g_free (platform);
}

/* The system browser, played by the test: shows the page, the staff
 * member types their name and password, the browser follows the redirect
 * to the app's loopback listener. */
typedef struct
{
  char     *uri;
  gboolean  tamper_state;
  char     *callback;   /* where the answer went */
} Browser;

static gpointer
browser_thread (gpointer data)
{
  Browser *browser = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) page = soup_message_new (SOUP_METHOD_GET, browser->uri);
  g_autoptr(GBytes) html = soup_session_send_and_read (session, page, NULL, NULL);
  g_autoptr(GUri) uri = g_uri_parse (browser->uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GHashTable) query = soup_form_decode (g_uri_get_query (uri));
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;
  g_autofree char *post_url = g_strdup_printf ("%s://%s:%d%s", g_uri_get_scheme (uri), g_uri_get_host (uri),
                                               g_uri_get_port (uri), g_uri_get_path (uri));
  g_autofree char *encoded = NULL;
  g_autoptr(SoupMessage) login = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) back = NULL;
  GString *location;

  g_assert_cmpuint (soup_message_get_status (page), ==, 200);
  g_assert_nonnull (strstr (g_bytes_get_data (html, NULL), "password"));
  /* The form carries the page's fields and what the staff member typed. */
  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (form, key, value);
  g_hash_table_insert (form, (gpointer)"username", (gpointer)"anna");
  g_hash_table_insert (form, (gpointer)"password", (gpointer)"anna-secret");
  encoded = soup_form_encode_hash (form);
  body = g_bytes_new (encoded, strlen (encoded));
  login = soup_message_new (SOUP_METHOD_POST, post_url);
  soup_message_set_request_body_from_bytes (login, "application/x-www-form-urlencoded", body);
  soup_message_add_flags (login, SOUP_MESSAGE_NO_REDIRECT);
  answer = soup_session_send_and_read (session, login, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (login), ==, 302);
  location = g_string_new (soup_message_headers_get_one (soup_message_get_response_headers (login), "Location"));
  g_assert_true (g_str_has_prefix (location->str, "http://127.0.0.1:"));
  if (browser->tamper_state)
    g_string_replace (location, "state=", "state=x", 1);
  browser->callback = g_strdup (location->str);
  back = soup_message_new (SOUP_METHOD_GET, location->str);
  g_clear_pointer (&answer, g_bytes_unref);
  answer = soup_session_send_and_read (session, back, NULL, NULL);
  g_string_free (location, TRUE);
  return NULL;
}

static void
open_in_browser (const char *uri,
                 gpointer    user_data)
{
  Browser *browser = user_data;

  browser->uri = g_strdup (uri);
  g_thread_unref (g_thread_new ("browser", browser_thread, browser));
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static SbTokens *
sign_in (Platform *platform,
         Browser  *browser,
         GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sb_sign_in_async (platform->url, open_in_browser, browser, NULL, on_signed_in, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return sb_sign_in_finish (result, error);
}

static guint
get_status (const char *url,
            const char *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) body = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  return soup_message_get_status (msg);
}

static void
test_pkce (void)
{
  g_autofree char *verifier = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *verifier2 = NULL;
  g_autofree char *challenge2 = NULL;
  guchar digest[32];
  gsize length = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *expected = NULL;

  sb_pkce_pair (&verifier, &challenge);
  sb_pkce_pair (&verifier2, &challenge2);
  g_assert_cmpuint (strlen (verifier), ==, 43);
  g_assert_cmpuint (strlen (challenge), ==, 43);
  g_assert_cmpstr (verifier, !=, verifier2);
  g_assert_cmpuint (strspn (verifier, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), ==, 43);

  /* RFC 7636 §4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) */
  g_checksum_update (checksum, (const guchar *)verifier, -1);
  g_checksum_get_digest (checksum, digest, &length);
  expected = g_base64_encode (digest, length);
  g_strdelimit (expected, "+", '-');
  g_strdelimit (expected, "/", '_');
  expected[43] = '\0';
  g_assert_cmpstr (challenge, ==, expected);
}

static void
test_sign_in_browser (void)
{
  Platform *platform = platform_start (FALSE);
  Browser browser = { NULL, FALSE, NULL };
  Browser tampered = { NULL, TRUE, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SbTokens) tokens = sign_in (platform, &browser, &error);
  g_autoptr(SbTokens) none = NULL;
  g_autoptr(SbTokens) loaded = NULL;
  g_autofree char *events = g_strconcat (platform->url, "/v1/events", NULL);

  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_cmpuint (get_status (events, tokens->access_token), ==, 200);
  g_assert_true (strstr (browser.uri, "code_challenge_method=S256") != NULL);
  g_assert_true (strstr (browser.uri, "redirect_uri=http%3A%2F%2F127.0.0.1%3A") != NULL);

  /* The listener took its one answer and closed. */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(SoupMessage) again = soup_message_new (SOUP_METHOD_GET, browser.callback);
    g_autoptr(GError) closed = NULL;
    g_autoptr(GBytes) body = soup_session_send_and_read (session, again, NULL, &closed);

    g_assert_null (body);
    g_assert_error (closed, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  }

  /* An answer with another state is refused, and says what to do. */
  none = sign_in (platform, &tampered, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "Sign in again"));
  g_clear_error (&error);

  /* Kept in the Secret Service, and gone at sign-out. */
  g_assert_true (sb_tokens_save_sync (platform->url, tokens, NULL, &error));
  g_assert_no_error (error);
  loaded = sb_tokens_load_sync (platform->url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->access_token, ==, tokens->access_token);
  g_assert_cmpstr (loaded->refresh_token, ==, tokens->refresh_token);
  g_assert_cmpint (loaded->expires_at, ==, tokens->expires_at);
  g_assert_true (sb_tokens_clear_sync (platform->url, NULL, &error));
  g_clear_pointer (&loaded, sb_tokens_free);
  loaded = sb_tokens_load_sync (platform->url, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);

  g_free (browser.uri);
  g_free (browser.callback);
  g_free (tampered.uri);
  g_free (tampered.callback);
  platform_stop (platform);
}

static void
test_refresh_on_expiry (void)
{
  Platform *platform = platform_start (TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbTokens) tokens = sb_sign_in_demo_sync (platform->url, NULL, &error);
  g_autofree char *store_dir = g_build_filename (platform->dir, "desk", NULL);
  g_autoptr(SbStore) store = NULL;
  g_autoptr(SbCitizen) citizen = sb_citizen_new ();
  g_autoptr(SbAccount) account = sb_account_new ();
  g_autofree char *citizen_id = g_uuid_string_random ();
  g_autofree char *account_id = g_uuid_string_random ();
  g_autoptr(SbSyncEngine) engine = NULL;
  g_autoptr(SbTokens) saved = NULL;
  g_autofree char *events = g_strconcat (platform->url, "/v1/events", NULL);
  SbSyncReport report;

  /* The demo platform's staff member, without a browser. */
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_cmpuint (get_status (events, tokens->access_token), ==, 200);

  store = sb_store_open (store_dir, NULL, &error);
  g_assert_no_error (error);
  sb_store_set_staff (store, "demo");
  sb_citizen_set_id (citizen, citizen_id);
  sb_citizen_set_given_names (citizen, "Mariam");
  sb_citizen_set_family_name (citizen, "Haddad");
  sb_citizen_set_birth_date (citizen, "1992-04-09");
  g_assert_true (sb_store_save_citizen (store, citizen, &error));
  sb_account_set_id (account, account_id);
  sb_account_set_citizen_id (account, citizen_id);
  g_assert_true (sb_store_create_account (store, account, &error));

  /* The access token lives 2 s here: after 3 s it has expired. */
  g_usleep (3 * G_USEC_PER_SEC);
  g_assert_cmpuint (get_status (events, tokens->access_token), ==, 401);
  engine = sb_sync_engine_new (store, platform->url);
  sb_sync_engine_set_tokens (engine, tokens->access_token, tokens->refresh_token, TRUE);
  g_assert_true (sb_sync_engine_drain_sync (engine, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (report.signed_out);
  g_assert_cmpuint (report.delivered, ==, 1);

  /* The renewed sign-in replaced the old one in the Secret Service. */
  saved = sb_tokens_load_sync (platform->url, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved);
  g_assert_cmpstr (saved->access_token, !=, tokens->access_token);
  sb_tokens_clear_sync (platform->url, NULL, NULL);

  platform_stop (platform);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  platform_binary = g_getenv ("SB_PLATFORM_BINARY");
  if (platform_binary == NULL || g_getenv ("SB_KEYRING_SESSION") == NULL)
    {
      g_print ("1..0 # SKIP needs SB_PLATFORM_BINARY and tests/keyring-session\n");
      return g_getenv ("SB_TESTS_NO_SKIP") != NULL ? 1 : 0;
    }

  g_test_add_func ("/sign-in/pkce", test_pkce);
  g_test_add_func ("/sign-in/browser", test_sign_in_browser);
  g_test_add_func ("/sign-in/refresh-on-expiry", test_refresh_on_expiry);

  return g_test_run ();
}
