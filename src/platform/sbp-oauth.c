/* sbp-oauth.c: staff sign-in, OAuth 2.0 for a native app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Authorization code with PKCE S256 (RFC 7636) for a public client that
 * receives the code on a loopback redirect (RFC 8252 §7.3, any port),
 * refresh tokens that rotate (a reused one revokes its whole family),
 * revocation (RFC 7009) and the server metadata (RFC 8414). The token
 * endpoint answers errors as RFC 6749 §5.2 says, not as problem details:
 * OAuth clients expect that shape.
 */
#include "config.h"

#include "sbp-private.h"

#include <string.h>

#define CODE_LIFETIME 120

static const char *login_page_top =
  "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
  "<meta name=\"viewport\" content=\"width=device-width\">"
  "<title>Sign in – Servicebüro platform</title>"
  "<style>body{font:16px sans-serif;max-width:26em;margin:4em auto;padding:0 1em}"
  "label{display:block;margin-top:1em}input{font:inherit;width:100;padding:.4em;box-sizing:border-box}"
  "button{margin-top:1.5em;font:inherit;padding:.5em 2em}.error{color:#c01c28}</style></head>"
  "<body><h1>Sign in</h1><p>Staff sign-in for the service desk (<i>Anmeldung für Mitarbeitende</i>).</p>";
static const char *login_page_form =
  "<form method=\"post\" action=\"/oauth/authorize\">"
  "<label for=\"username\">User name</label>"
  "<input id=\"username\" name=\"username\" autocomplete=\"username\" autofocus required>"
  "<label for=\"password\">Password</label>"
  "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>";
static const char *login_page_bottom = "<button type=\"submit\">Sign in</button></form></body></html>\n";

static void
respond_html (SbpRequest *request,
              guint       status,
              const char *error,
              GHashTable *params)
{
  static const char *carried[] = { "client_id", "redirect_uri", "state", "code_challenge",
                                   "code_challenge_method", "response_type", NULL };
  g_autoptr(GString) hidden = g_string_new (NULL);
  g_autofree char *error_html = NULL;
  char *page;

  for (guint i = 0; carried[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (params, carried[i]);
      g_autofree char *escaped = value != NULL ? g_markup_escape_text (value, -1) : NULL;

      if (escaped != NULL)
        g_string_append_printf (hidden, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", carried[i], escaped);
    }
  error_html = error != NULL ? g_markup_printf_escaped ("<p class=\"error\" role=\"alert\">%s</p>", error) : g_strdup ("");
  page = g_strconcat (login_page_top, error_html, login_page_form, hidden->str, login_page_bottom, NULL);

  soup_server_message_set_status (request->msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Cache-Control", "no-store");
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  soup_server_message_set_response (request->msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, page, strlen (page));
}

static void
respond_oauth_error (SbpRequest *request,
                     guint       status,
                     const char *error,
                     const char *description)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error);
  json_builder_set_member_name (builder, "error_description");
  json_builder_add_string_value (builder, description);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Cache-Control", "no-store");
  sbp_respond_json (request, status, node);
}

/* RFC 8252 §7.3: http on the loopback address, any port. */
static gboolean
redirect_uri_is_loopback (const char *redirect_uri)
{
  g_autoptr(GUri) uri = redirect_uri != NULL ? g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host;

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 || g_uri_get_fragment (uri) != NULL)
    return FALSE;
  host = g_uri_get_host (uri);
  return g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "::1") == 0 || g_strcmp0 (host, "[::1]") == 0;
}

static GHashTable *
read_form (SbpRequest *request)
{
  SoupMessageBody *body = soup_server_message_get_request_body (request->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return soup_form_decode (text);
}

static JsonNode *
issue_tokens (SbpServer  *self,
              const char *staff_id,
              const char *family)
{
  g_autofree char *access = sbp_random_token (32);
  g_autofree char *refresh = sbp_random_token (32);
  g_autofree char *access_hash = sbp_hash_token (access);
  g_autofree char *refresh_hash = sbp_hash_token (refresh);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  sbp_db_run (self->db, "INSERT INTO tokens (token_hash, kind, staff_id, family, expires) VALUES (?, 'access', ?, ?, ?)",
              "sssi", access_hash, staff_id, family, now + self->access_lifetime);
  sbp_db_run (self->db, "INSERT INTO tokens (token_hash, kind, staff_id, family, expires) VALUES (?, 'refresh', ?, ?, ?)",
              "sssi", refresh_hash, staff_id, family, now + SBP_REFRESH_LIFETIME);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "Bearer");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, self->access_lifetime);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, refresh);
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, "desk");
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
pkce_matches (const char *challenge,
              const char *verifier)
{
  guchar digest[32];
  gsize digest_length = sizeof digest;
  char encoded[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize length = verifier != NULL ? strlen (verifier) : 0;

  /* RFC 7636 §4.1: 43 to 128 unreserved characters. */
  if (length < 43 || length > 128 || strspn (verifier, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") != length)
    return FALSE;
  g_checksum_update (checksum, (const guchar *)verifier, length);
  g_checksum_get_digest (checksum, digest, &digest_length);
  sodium_bin2base64 (encoded, sizeof encoded, digest, digest_length, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return sodium_memcmp (encoded, challenge, MIN (strlen (challenge) + 1, sizeof encoded)) == 0 &&
         strlen (challenge) == strlen (encoded);
}

static void
handle_token (SbpRequest *request)
{
  SbpServer *self = request->server;
  g_autoptr(GHashTable) form = read_form (request);
  const char *grant = g_hash_table_lookup (form, "grant_type");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(JsonNode) tokens = NULL;

  if (g_strcmp0 (g_hash_table_lookup (form, "client_id"), SBP_CLIENT_ID) != 0)
    return respond_oauth_error (request, SOUP_STATUS_UNAUTHORIZED, "invalid_client", "Unknown client_id");

  if (g_strcmp0 (grant, "authorization_code") == 0)
    {
      const char *code = g_hash_table_lookup (form, "code");
      g_autofree char *code_hash = code != NULL ? sbp_hash_token (code) : NULL;
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *staff_id = NULL;
      g_autofree char *family = NULL;

      stmt = sbp_db_prepare (self->db, "SELECT staff_id, redirect_uri, challenge, expires FROM auth_codes WHERE code_hash = ?",
                             "s", code_hash);
      if (code_hash == NULL || sqlite3_step (stmt) != SQLITE_ROW)
        return respond_oauth_error (request, SOUP_STATUS_BAD_REQUEST, "invalid_grant", "Unknown or used code");
      /* A code is good once. */
      staff_id = g_strdup (sbp_db_column_text (stmt, 0));
      if (sqlite3_column_int64 (stmt, 3) < now)
        {
          sbp_db_run (self->db, "DELETE FROM auth_codes WHERE code_hash = ?", "s", code_hash);
          return respond_oauth_error (request, SOUP_STATUS_BAD_REQUEST, "invalid_grant", "The code expired");
        }
      if (g_strcmp0 (sbp_db_column_text (stmt, 1), g_hash_table_lookup (form, "redirect_uri")) != 0)
        return respond_oauth_error (request, SOUP_STATUS_BAD_REQUEST, "invalid_grant", "redirect_uri does not match");
      if (!pkce_matches (sbp_db_column_text (stmt, 2), g_hash_table_lookup (form, "code_verifier")))
        return respond_oauth_error (request, SOUP_STATUS_BAD_REQUEST, "invalid_grant", "code_verifier does not match");
      g_clear_pointer (&stmt, sqlite3_finalize);
      sbp_db_run (self->db, "DELETE FROM auth_codes WHERE code_hash = ?", "s", code_hash);

      family = g_uuid_string_random ();
      tokens = issue_tokens (self, staff_id, family);
    }
  else if (g_strcmp0 (grant, "refresh_token") == 0)
    {
      const char *refresh = g_hash_table_lookup (form, "refresh_token");
      g_autofree char *hash = refresh != NULL ? sbp_hash_token (refresh) : NULL;
      g_autoptr(sqlite3_stmt) stmt = sbp_db_prepare (self->db,
                                                     "SELECT staff_id, family, expires, revoked FROM tokens "
                                                     "WHERE token_hash = ? AND kind = 'refresh'", "s", hash);
      g_autofree char *staff_id = NULL;
      g_autofree char *family = NULL;

      if (hash == NULL || sqlite3_step (stmt) != SQLITE_ROW)
        return respond_oauth_error (request, SOUP_STATUS_BAD_REQUEST, "invalid_grant", "Unknown refresh token");
      staff_id = g_strdup (sbp_db_column_text (stmt, 0));
      family = g_strdup (sbp_db_column_text (stmt, 1));
      if (sqlite3_column_int64 (stmt, 3) != 0)
        {
          /* Reuse of a rotated token: someone has a copy. End the session. */
          sbp_db_run (self->db, "UPDATE tokens SET revoked = 1 WHERE family = ?", "s", family);
          return respond_oauth_error (request, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                                      "The refresh token was used before; sign in again");
        }
      if (sqlite3_column_int64 (stmt, 2) < now)
        return respond_oauth_error (request, SOUP_STATUS_BAD_REQUEST, "invalid_grant", "The refresh token expired");
      g_clear_pointer (&stmt, sqlite3_finalize);
      sbp_db_run (self->db, "UPDATE tokens SET revoked = 1 WHERE token_hash = ?", "s", hash);
      tokens = issue_tokens (self, staff_id, family);
    }
  else
    return respond_oauth_error (request, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                                "grant_type must be authorization_code or refresh_token");

  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Cache-Control", "no-store");
  sbp_respond_json (request, SOUP_STATUS_OK, tokens);
}

static void
handle_revoke (SbpRequest *request)
{
  g_autoptr(GHashTable) form = read_form (request);
  const char *token = g_hash_table_lookup (form, "token");

  if (token != NULL)
    {
      g_autofree char *hash = sbp_hash_token (token);
      g_autofree char *family = sbp_db_text (request->server->db, "SELECT family FROM tokens WHERE token_hash = ?", "s", hash);

      /* Signing out ends the whole session: its access and refresh tokens. */
      if (family != NULL)
        sbp_db_run (request->server->db, "UPDATE tokens SET revoked = 1 WHERE family = ?", "s", family);
    }
  /* RFC 7009 §2.2: 200 whether or not the token was known. */
  sbp_respond_empty (request, SOUP_STATUS_OK);
}

static gboolean
authorize_params_valid (SbpRequest *request,
                        GHashTable *params)
{
  const char *redirect_uri = g_hash_table_lookup (params, "redirect_uri");
  const char *problem = NULL;

  if (g_strcmp0 (g_hash_table_lookup (params, "client_id"), SBP_CLIENT_ID) != 0)
    problem = "Unknown client_id.";
  else if (!redirect_uri_is_loopback (redirect_uri))
    problem = "redirect_uri must be http on 127.0.0.1 or [::1] (RFC 8252).";
  else if (g_strcmp0 (g_hash_table_lookup (params, "response_type"), "code") != 0)
    problem = "response_type must be code.";
  else if (g_strcmp0 (g_hash_table_lookup (params, "code_challenge_method"), "S256") != 0 ||
           g_hash_table_lookup (params, "code_challenge") == NULL ||
           strlen (g_hash_table_lookup (params, "code_challenge")) != 43)
    problem = "PKCE is required: code_challenge with code_challenge_method=S256.";

  if (problem == NULL)
    return TRUE;

  /* Never redirect to an address not checked: say it here. */
  sbp_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-authorization-request",
                       "Invalid sign-in request", problem, NULL);
  return FALSE;
}

static void
handle_authorize (SbpRequest *request)
{
  SbpServer *self = request->server;
  g_autoptr(GHashTable) form = NULL;
  GHashTable *params;
  const char *username, *password;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *staff_id = NULL;
  g_autofree char *code = NULL;
  g_autofree char *code_hash = NULL;
  g_autoptr(GString) location = NULL;

  if (g_str_equal (request->method, "GET"))
    {
      params = request->query;
      if (params == NULL)
        params = form = g_hash_table_new (g_str_hash, g_str_equal);
      if (authorize_params_valid (request, params))
        respond_html (request, SOUP_STATUS_OK, NULL, params);
      return;
    }

  params = form = read_form (request);
  if (!authorize_params_valid (request, params))
    return;

  username = g_hash_table_lookup (params, "username");
  password = g_hash_table_lookup (params, "password");
  stmt = sbp_db_prepare (self->db, "SELECT id, password_hash FROM staff WHERE username = ?", "s", username);
  if (username == NULL || password == NULL || sqlite3_step (stmt) != SQLITE_ROW ||
      crypto_pwhash_str_verify (sbp_db_column_text (stmt, 1), password, strlen (password)) != 0)
    {
      respond_html (request, SOUP_STATUS_UNAUTHORIZED,
                    "The user name or password is not right. Try again, or ask IT to reset your password.", params);
      return;
    }
  staff_id = g_strdup (sbp_db_column_text (stmt, 0));

  code = sbp_random_token (32);
  code_hash = sbp_hash_token (code);
  sbp_db_run (self->db, "INSERT INTO auth_codes (code_hash, staff_id, client_id, redirect_uri, challenge, expires) "
              "VALUES (?, ?, ?, ?, ?, ?)", "sssssi", code_hash, staff_id, SBP_CLIENT_ID,
              (const char *)g_hash_table_lookup (params, "redirect_uri"),
              (const char *)g_hash_table_lookup (params, "code_challenge"),
              g_get_real_time () / G_USEC_PER_SEC + CODE_LIFETIME);

  location = g_string_new (g_hash_table_lookup (params, "redirect_uri"));
  g_string_append_c (location, strchr (location->str, '?') != NULL ? '&' : '?');
  g_string_append (location, "code=");
  g_string_append_uri_escaped (location, code, NULL, FALSE);
  if (g_hash_table_lookup (params, "state") != NULL)
    {
      g_string_append (location, "&state=");
      g_string_append_uri_escaped (location, g_hash_table_lookup (params, "state"), NULL, FALSE);
    }
  g_string_append (location, "&iss=");
  g_string_append_uri_escaped (location, self->url != NULL ? self->url : "", NULL, FALSE);
  soup_server_message_set_redirect (request->msg, SOUP_STATUS_FOUND, location->str);
}

static void
handle_metadata (SbpRequest *request)
{
  const char *base = request->server->url != NULL ? request->server->url : "";
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *authorize = g_strconcat (base, "/oauth/authorize", NULL);
  g_autofree char *token = g_strconcat (base, "/oauth/token", NULL);
  g_autofree char *revoke = g_strconcat (base, "/oauth/revoke", NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "issuer");
  json_builder_add_string_value (builder, base);
  json_builder_set_member_name (builder, "authorization_endpoint");
  json_builder_add_string_value (builder, authorize);
  json_builder_set_member_name (builder, "token_endpoint");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "revocation_endpoint");
  json_builder_add_string_value (builder, revoke);
  json_builder_set_member_name (builder, "response_types_supported");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "code");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "grant_types_supported");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "authorization_code");
  json_builder_add_string_value (builder, "refresh_token");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "code_challenge_methods_supported");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "S256");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "token_endpoint_auth_methods_supported");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "none");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "scopes_supported");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "desk");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  sbp_respond_json (request, SOUP_STATUS_OK, node);
}

gboolean
sbp_handle_oauth (SbpRequest *request)
{
  const char *first = request->n_segments > 0 ? request->segments[0] : "";
  const char *second = request->n_segments > 1 ? request->segments[1] : "";
  gboolean post = g_str_equal (request->method, "POST");

  if (g_str_equal (first, ".well-known") && g_str_equal (second, "oauth-authorization-server") && request->n_segments == 2)
    handle_metadata (request);
  else if (!g_str_equal (first, "oauth") || request->n_segments != 2)
    return FALSE;
  else if (g_str_equal (second, "authorize") && (post || g_str_equal (request->method, "GET")))
    handle_authorize (request);
  else if (g_str_equal (second, "token") && post)
    handle_token (request);
  else if (g_str_equal (second, "revoke") && post)
    handle_revoke (request);
  else
    sbp_respond_problem (request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", NULL, NULL);
  return TRUE;
}

SbpStaff *
sbp_staff_from_bearer (SbpServer  *self,
                       const char *authorization,
                       gboolean   *expired)
{
  g_autofree char *hash = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *expired = FALSE;
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return NULL;

  hash = sbp_hash_token (authorization + 7);
  stmt = sbp_db_prepare (self->db, "SELECT staff_id, expires FROM tokens WHERE token_hash = ? AND kind = 'access' AND revoked = 0",
                         "s", hash);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  if (sqlite3_column_int64 (stmt, 1) < g_get_real_time () / G_USEC_PER_SEC)
    {
      *expired = TRUE;
      return NULL;
    }
  return sbp_staff_load (self->db, sbp_db_column_text (stmt, 0));
}
