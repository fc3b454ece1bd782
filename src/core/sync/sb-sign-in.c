/* sb-sign-in.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OAuth 2.0 authorization code with PKCE S256 for a native app (RFC 8252):
 * the platform's sign-in page opens in the system browser; the answer
 * comes to a listener on 127.0.0.1 with a random port, which takes one
 * request and closes. The state must match. Tokens go only to the Secret
 * Service. The demo platform's staff member signs in without a browser:
 * the app fills in the same form the browser would show.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <sodium.h>
#include <string.h>

#include "sb-sign-in.h"

#define CLIENT_ID "servicebuero"
#define SIGN_IN_TIMEOUT (10 * 60)

static const SecretSchema token_schema = {
  "io.github.servicebuero.Servicebuero.PlatformSignIn", SECRET_SCHEMA_NONE,
  {
    { "platform", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

void
sb_tokens_free (SbTokens *tokens)
{
  if (tokens == NULL)
    return;
  if (tokens->access_token != NULL)
    sodium_memzero (tokens->access_token, strlen (tokens->access_token));
  if (tokens->refresh_token != NULL)
    sodium_memzero (tokens->refresh_token, strlen (tokens->refresh_token));
  g_free (tokens->access_token);
  g_free (tokens->refresh_token);
  g_free (tokens);
}

/* Forms hold static strings and strings that outlive them. */
static void
form_set (GHashTable *form,
          const char *key,
          const char *value)
{
  g_hash_table_insert (form, (gpointer)key, (gpointer)value);
}

static char *
base64url (const guchar *data,
           gsize         length)
{
  gsize size = sodium_base64_ENCODED_LEN (length, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = g_malloc (size);

  sodium_bin2base64 (out, size, data, length, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

/* RFC 7636: a 43-character verifier from 32 random bytes, and its S256. */
void
sb_pkce_pair (char **verifier,
              char **challenge)
{
  guchar random[32];
  guchar digest[32];
  gsize digest_length = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  randombytes_buf (random, sizeof random);
  *verifier = base64url (random, sizeof random);
  g_checksum_update (checksum, (const guchar *)*verifier, strlen (*verifier));
  g_checksum_get_digest (checksum, digest, &digest_length);
  *challenge = base64url (digest, digest_length);
}

static char *
random_state (void)
{
  guchar random[16];

  randombytes_buf (random, sizeof random);
  return base64url (random, sizeof random);
}

static SbTokens *
tokens_from_json (GBytes  *body,
                  GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  SbTokens *tokens;
  gsize length;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

  if (data == NULL || !json_parser_load_from_data (parser, data, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The platform’s answer to the sign-in could not be read."));
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (object, "error"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, _("The platform refused the sign-in: %s"),
                   json_object_get_string_member_with_default (object, "error_description",
                                                               json_object_get_string_member (object, "error")));
      return NULL;
    }
  if (!json_object_has_member (object, "access_token"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The platform’s answer to the sign-in has no token."));
      return NULL;
    }
  tokens = g_new0 (SbTokens, 1);
  tokens->access_token = g_strdup (json_object_get_string_member (object, "access_token"));
  tokens->refresh_token = g_strdup (json_object_get_string_member_with_default (object, "refresh_token", NULL));
  tokens->expires_at = g_get_real_time () / G_USEC_PER_SEC + json_object_get_int_member_with_default (object, "expires_in", 3600);
  return tokens;
}

static SoupMessage *
post_form (const char *url,
           GHashTable *form)
{
  char *encoded = soup_form_encode_hash (form);
  g_autoptr(GBytes) body = g_bytes_new_take (encoded, strlen (encoded));
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, url);

  if (msg != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  return msg;
}

typedef struct
{
  char *authorization_endpoint;
  char *token_endpoint;
} Endpoints;

static void
endpoints_clear (Endpoints *endpoints)
{
  g_clear_pointer (&endpoints->authorization_endpoint, g_free);
  g_clear_pointer (&endpoints->token_endpoint, g_free);
}

static gboolean
endpoints_from_json (GBytes    *body,
                     Endpoints *endpoints,
                     GError   **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  gsize length;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

  if (data == NULL || !json_parser_load_from_data (parser, data, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto bad;
  object = json_node_get_object (json_parser_get_root (parser));
  endpoints->authorization_endpoint = g_strdup (json_object_get_string_member_with_default (object, "authorization_endpoint", NULL));
  endpoints->token_endpoint = g_strdup (json_object_get_string_member_with_default (object, "token_endpoint", NULL));
  if (endpoints->authorization_endpoint != NULL && endpoints->token_endpoint != NULL)
    return TRUE;

bad:
  endpoints_clear (endpoints);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("This address does not answer like a Servicebüro platform. Check the platform address in Preferences."));
  return FALSE;
}

static char *
metadata_url (const char *platform_url)
{
  return g_strconcat (platform_url, g_str_has_suffix (platform_url, "/") ? "" : "/",
                      ".well-known/oauth-authorization-server", NULL);
}

static char *
authorize_url (Endpoints  *endpoints,
               const char *redirect_uri,
               const char *challenge,
               const char *state)
{
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *encoded = NULL;

  form_set (query, "response_type", "code");
  form_set (query, "client_id", CLIENT_ID);
  form_set (query, "redirect_uri", redirect_uri);
  form_set (query, "code_challenge", challenge);
  form_set (query, "code_challenge_method", "S256");
  form_set (query, "scope", "desk");
  form_set (query, "state", state);
  encoded = soup_form_encode_hash (query);
  return g_strconcat (endpoints->authorization_endpoint, "?", encoded, NULL);
}

static GHashTable *
code_exchange_form (const char *code,
                    const char *redirect_uri,
                    const char *verifier)
{
  GHashTable *form = g_hash_table_new (g_str_hash, g_str_equal);

  form_set (form, "grant_type", "authorization_code");
  form_set (form, "code", code);
  form_set (form, "redirect_uri", redirect_uri);
  form_set (form, "client_id", CLIENT_ID);
  form_set (form, "code_verifier", verifier);
  return form;
}

/* The browser flow */

typedef struct
{
  SoupSession *session;
  SoupServer  *listener;
  Endpoints    endpoints;
  char        *platform_url;
  char        *redirect_uri;
  char        *verifier;
  char        *state;
  SbOpenUriFunc open_uri;
  gpointer     open_uri_data;
  guint        timeout_source;
  gboolean     answered;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_handle_id (&sign_in->timeout_source, g_source_remove);
  if (sign_in->listener != NULL)
    soup_server_disconnect (sign_in->listener);
  g_clear_object (&sign_in->listener);
  g_clear_object (&sign_in->session);
  endpoints_clear (&sign_in->endpoints);
  g_free (sign_in->platform_url);
  g_free (sign_in->redirect_uri);
  if (sign_in->verifier != NULL)
    sodium_memzero (sign_in->verifier, strlen (sign_in->verifier));
  g_free (sign_in->verifier);
  g_free (sign_in->state);
  g_free (sign_in);
}

static void
close_listener (SignIn *sign_in)
{
  /* One use only: no second answer can arrive. */
  if (sign_in->listener != NULL)
    soup_server_disconnect (sign_in->listener);
}

static void
on_token (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SbTokens *tokens;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  tokens = tokens_from_json (body, &error);
  if (tokens == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify)sb_tokens_free);
}

static void
respond_page (SoupServerMessage *msg,
              guint              status,
              const char        *title,
              const char        *text)
{
  g_autofree char *page = g_markup_printf_escaped ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title>"
                                                   "<style>body{font:16px sans-serif;max-width:30em;margin:4em auto}</style>"
                                                   "</head><body><h1>%s</h1><p>%s</p></body></html>",
                                                   title, title, text);
  gsize length = strlen (page);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, g_steal_pointer (&page), length);
}

static gboolean
close_listener_later (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;

  close_listener (g_task_get_task_data (task));
  return G_SOURCE_REMOVE;
}

static void
on_callback (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  GTask *task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  const char *state = query != NULL ? g_hash_table_lookup (query, "state") : NULL;
  const char *code = query != NULL ? g_hash_table_lookup (query, "code") : NULL;
  const char *refused = query != NULL ? g_hash_table_lookup (query, "error") : NULL;

  if (sign_in->answered)
    {
      respond_page (msg, SOUP_STATUS_GONE, _("Sign-in ended"), _("This sign-in was used already."));
      return;
    }
  sign_in->answered = TRUE;
  g_clear_handle_id (&sign_in->timeout_source, g_source_remove);
  g_idle_add (close_listener_later, g_object_ref (task));

  /* A state that is not ours: someone else's sign-in, or an attack. */
  if (state == NULL || strlen (state) != strlen (sign_in->state) ||
      sodium_memcmp (state, sign_in->state, strlen (state)) != 0)
    {
      respond_page (msg, SOUP_STATUS_BAD_REQUEST, _("Sign-in failed"),
                    _("This answer does not belong to the sign-in the app started. Start the sign-in again from the app."));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                               _("The sign-in answer did not match the sign-in the app started. Sign in again."));
      g_object_unref (task);
      return;
    }
  if (refused != NULL || code == NULL)
    {
      respond_page (msg, SOUP_STATUS_OK, _("Sign-in cancelled"), _("You can close this page and return to Servicebüro."));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The sign-in was cancelled."));
      g_object_unref (task);
      return;
    }

  respond_page (msg, SOUP_STATUS_OK, _("Signed in"), _("You can close this page and return to Servicebüro."));
  {
    g_autoptr(GHashTable) form = code_exchange_form (code, sign_in->redirect_uri, sign_in->verifier);
    g_autoptr(SoupMessage) exchange = post_form (sign_in->endpoints.token_endpoint, form);

    soup_session_send_and_read_async (sign_in->session, exchange, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                      on_token, task);
  }
}

static gboolean
on_sign_in_timeout (gpointer user_data)
{
  GTask *task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);

  sign_in->timeout_source = 0;
  sign_in->answered = TRUE;
  close_listener (sign_in);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           _("No sign-in came from the browser within 10 minutes. Start it again."));
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
on_metadata (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoslist(GUri) uris = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *url = NULL;

  if (body == NULL || !endpoints_from_json (body, &sign_in->endpoints, error == NULL ? &error : NULL))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  sign_in->listener = soup_server_new (NULL, NULL);
  soup_server_add_handler (sign_in->listener, "/callback", on_callback, task, NULL);
  if (!soup_server_listen (sign_in->listener, address, 0, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  uris = soup_server_get_uris (sign_in->listener);
  sign_in->redirect_uri = g_strdup_printf ("http://127.0.0.1:%d/callback", g_uri_get_port (uris->data));

  sb_pkce_pair (&sign_in->verifier, &challenge);
  sign_in->state = random_state ();
  url = authorize_url (&sign_in->endpoints, sign_in->redirect_uri, challenge, sign_in->state);
  sign_in->timeout_source = g_timeout_add_seconds (SIGN_IN_TIMEOUT, on_sign_in_timeout, task);
  sign_in->open_uri (url, sign_in->open_uri_data);
}

/**
 * sb_sign_in_async:
 * @open_uri: shows the platform's sign-in page (the system browser)
 *
 * Signs a staff member in. Finishes when the browser brought the answer
 * back and the code was exchanged for tokens, or with an error.
 */
void
sb_sign_in_async (const char          *platform_url,
                  SbOpenUriFunc        open_uri,
                  gpointer             open_uri_data,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  SignIn *sign_in = g_new0 (SignIn, 1);
  g_autofree char *url = metadata_url (platform_url);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);

  g_task_set_source_tag (task, sb_sign_in_async);
  sign_in->session = soup_session_new_with_options ("timeout", 30, NULL);
  sign_in->platform_url = g_strdup (platform_url);
  sign_in->open_uri = open_uri;
  sign_in->open_uri_data = open_uri_data;
  g_task_set_task_data (task, sign_in, (GDestroyNotify)sign_in_free);
  if (msg == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The platform address is not an address. Check it in Preferences."));
      g_object_unref (task);
      return;
    }
  soup_session_send_and_read_async (sign_in->session, msg, G_PRIORITY_DEFAULT, cancellable, on_metadata, task);
}

/**
 * sb_sign_in_finish:
 *
 * Returns: (transfer full): the tokens
 */
SbTokens *
sb_sign_in_finish (GAsyncResult  *result,
                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Synchronous helpers, for threads */

static GBytes *
send_sync (SoupSession  *session,
           SoupMessage  *msg,
           GCancellable *cancellable,
           GError      **error)
{
  return soup_session_send_and_read (session, msg, cancellable, error);
}

/* The platform's OAuth endpoints (RFC 8414), for the synchronous paths. */
static gboolean
fetch_endpoints_sync (SoupSession   *session,
                      const char    *platform_url,
                      Endpoints     *endpoints,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *url = metadata_url (platform_url);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) body = NULL;

  if (msg == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("The platform address is not an address."));
      return FALSE;
    }
  body = send_sync (session, msg, cancellable, error);
  return body != NULL && endpoints_from_json (body, endpoints, error);
}

/**
 * sb_sign_in_demo_sync:
 *
 * Signs in the demo platform's staff member ("demo") the way the browser
 * would, without one. Only for the embedded demo platform.
 */
SbTokens *
sb_sign_in_demo_sync (const char    *platform_url,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) exchange_form = NULL;
  g_autoptr(SoupMessage) login = NULL;
  g_autoptr(SoupMessage) exchange = NULL;
  g_autoptr(GUri) location = NULL;
  g_autoptr(GHashTable) answer = NULL;
  g_autofree char *verifier = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *state = random_state ();
  const char *redirect_uri = "http://127.0.0.1:9/callback";
  Endpoints endpoints = { NULL, NULL };
  SbTokens *tokens = NULL;

  if (!fetch_endpoints_sync (session, platform_url, &endpoints, cancellable, error))
    return NULL;

  sb_pkce_pair (&verifier, &challenge);
  form_set (form, "response_type", "code");
  form_set (form, "client_id", CLIENT_ID);
  form_set (form, "redirect_uri", redirect_uri);
  form_set (form, "code_challenge", challenge);
  form_set (form, "code_challenge_method", "S256");
  form_set (form, "state", state);
  form_set (form, "username", "demo");
  form_set (form, "password", "demo");
  login = post_form (endpoints.authorization_endpoint, form);
  /* The redirect goes to the app itself: read it, do not follow it. */
  soup_message_add_flags (login, SOUP_MESSAGE_NO_REDIRECT);
  body = send_sync (session, login, cancellable, error);
  if (body == NULL)
    goto out;
  if (soup_message_get_status (login) != SOUP_STATUS_FOUND ||
      soup_message_headers_get_one (soup_message_get_response_headers (login), "Location") == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("The demo platform did not sign in its demo staff member."));
      goto out;
    }
  location = g_uri_parse (soup_message_headers_get_one (soup_message_get_response_headers (login), "Location"),
                          G_URI_FLAGS_NONE, NULL);
  answer = location != NULL && g_uri_get_query (location) != NULL ? soup_form_decode (g_uri_get_query (location)) : NULL;
  if (answer == NULL || g_strcmp0 (g_hash_table_lookup (answer, "state"), state) != 0 ||
      g_hash_table_lookup (answer, "code") == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("The sign-in answer did not match the sign-in the app started. Sign in again."));
      goto out;
    }

  exchange_form = code_exchange_form (g_hash_table_lookup (answer, "code"), redirect_uri, verifier);
  exchange = post_form (endpoints.token_endpoint, exchange_form);
  g_clear_pointer (&body, g_bytes_unref);
  body = send_sync (session, exchange, cancellable, error);
  if (body != NULL)
    tokens = tokens_from_json (body, error);

out:
  endpoints_clear (&endpoints);
  return tokens;
}

/**
 * sb_tokens_refresh_sync:
 *
 * Silent refresh: a new access token (and refresh token) without asking
 * anyone. Fails when the staff member must sign in again.
 */
SbTokens *
sb_tokens_refresh_sync (const char    *platform_url,
                        const char    *refresh_token,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SoupMessage) refresh = NULL;
  Endpoints endpoints = { NULL, NULL };
  SbTokens *tokens = NULL;

  if (refresh_token == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, _("Sign in again."));
      return NULL;
    }
  if (!fetch_endpoints_sync (session, platform_url, &endpoints, cancellable, error))
    return NULL;
  form_set (form, "grant_type", "refresh_token");
  form_set (form, "refresh_token", refresh_token);
  form_set (form, "client_id", CLIENT_ID);
  refresh = post_form (endpoints.token_endpoint, form);
  body = send_sync (session, refresh, cancellable, error);
  if (body != NULL)
    tokens = tokens_from_json (body, error);
  endpoints_clear (&endpoints);
  return tokens;
}

/* The Secret Service */

gboolean
sb_tokens_save_sync (const char    *platform_url,
                     SbTokens      *tokens,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *secret = NULL;
  gboolean ok;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, tokens->access_token);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, tokens->refresh_token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, tokens->expires_at);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  secret = json_to_string (node, FALSE);
  ok = secret_password_store_sync (&token_schema, SECRET_COLLECTION_DEFAULT, _("Servicebüro: sign-in to the platform"),
                                   secret, cancellable, error, "platform", platform_url, NULL);
  sodium_memzero (secret, strlen (secret));
  return ok;
}

/**
 * sb_tokens_load_sync:
 *
 * Returns: (transfer full) (nullable): the stored sign-in; %NULL without
 * an error when there is none
 */
SbTokens *
sb_tokens_load_sync (const char    *platform_url,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *secret = secret_password_lookup_sync (&token_schema, cancellable, error, "platform", platform_url, NULL);
  g_autoptr(GBytes) bytes = NULL;
  SbTokens *tokens;

  if (secret == NULL)
    return NULL;
  bytes = g_bytes_new (secret, strlen (secret));
  sodium_memzero (secret, strlen (secret));
  tokens = tokens_from_json (bytes, error);
  if (tokens != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
        tokens->expires_at = json_object_get_int_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                                      "expires_at", 0);
    }
  return tokens;
}

/* Sign-out: the tokens leave the keyring. */
gboolean
sb_tokens_clear_sync (const char    *platform_url,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  secret_password_clear_sync (&token_schema, cancellable, &local_error, "platform", platform_url, NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
