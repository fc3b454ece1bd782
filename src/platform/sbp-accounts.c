/* sbp-accounts.c: citizens' accounts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Created with an idempotent PUT under the client's UUID. A new account
 * that looks like one already there (same family name and date of birth,
 * same document number or same e-mail) answers 409 with the candidates,
 * until the client says which of them it is not. A new account gets an
 * activation code for the citizen to set their own password.
 */
#include "sbp-private.h"

#include <string.h>

#define ACTIVATION_DAYS 30

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

static char *
new_activation_code (void)
{
  static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; /* no 0/O, 1/I */
  GString *code = g_string_new (NULL);

  for (guint i = 0; i < 12; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (code, '-');
      g_string_append_c (code, alphabet[randombytes_uniform (sizeof alphabet - 1)]);
    }
  return g_string_free (code, FALSE);
}

static JsonNode *
account_representation (sqlite3    *db,
                        const char *id,
                        gboolean    with_activation)
{
  g_autoptr(sqlite3_stmt) stmt = sbp_db_prepare (db,
                                                 "SELECT body, identity_level, created, updated, activation_code, "
                                                 "activation_expires FROM accounts WHERE id = ?", "s", id);
  JsonNode *node;
  JsonObject *object;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  node = sbp_parse_json (sbp_db_column_text (stmt, 0));
  object = json_node_get_object (node);
  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "identityLevel", sbp_db_column_text (stmt, 1));
  json_object_set_string_member (object, "created", sbp_db_column_text (stmt, 2));
  json_object_set_string_member (object, "updated", sbp_db_column_text (stmt, 3));
  if (with_activation && sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    {
      JsonObject *activation = json_object_new ();

      json_object_set_string_member (activation, "code", sbp_db_column_text (stmt, 4));
      json_object_set_string_member (activation, "expires", sbp_db_column_text (stmt, 5));
      json_object_set_object_member (object, "activation", activation);
    }
  return node;
}

static JsonNode *
account_summary (sqlite3_stmt *stmt)
{
  g_autoptr(JsonNode) body = sbp_parse_json (sbp_db_column_text (stmt, 1));
  JsonObject *full = json_node_get_object (body);
  JsonObject *summary = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  static const char *shown[] = { "givenNames", "familyName", "birthDate", "nationality", NULL };

  json_object_set_string_member (summary, "id", sbp_db_column_text (stmt, 0));
  for (guint i = 0; shown[i] != NULL; i++)
    if (json_object_has_member (full, shown[i]))
      json_object_set_member (summary, shown[i], json_node_copy (json_object_get_member (full, shown[i])));
  json_object_set_string_member (summary, "identityLevel", sbp_db_column_text (stmt, 2));
  json_node_take_object (node, summary);
  return node;
}

static JsonArray *
find_duplicates (sqlite3    *db,
                 const char *id,
                 JsonObject *body,
                 JsonArray  *acknowledged)
{
  g_autofree char *family = sbp_normalize (member_string (body, "familyName"));
  JsonObject *identity = json_object_has_member (body, "identity") ? json_object_get_object_member (body, "identity") : NULL;
  const char *document = member_string (identity, "documentNumber");
  const char *email = member_string (body, "email");
  g_autofree char *email_lower = email != NULL ? g_ascii_strdown (email, -1) : NULL;
  g_autoptr(sqlite3_stmt) stmt = sbp_db_prepare (db,
                                                 "SELECT id, body, identity_level FROM accounts WHERE id != ? AND "
                                                 "((norm_family = ? AND birth_date = ?) OR (document_number IS NOT NULL AND document_number = ?) "
                                                 "OR (email IS NOT NULL AND email = ?)) LIMIT 10",
                                                 "sssss", id, family, member_string (body, "birthDate"), document, email_lower);
  JsonArray *candidates = json_array_new ();

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *candidate = sbp_db_column_text (stmt, 0);
      gboolean known = FALSE;

      for (guint i = 0; acknowledged != NULL && i < json_array_get_length (acknowledged); i++)
        known |= g_strcmp0 (json_array_get_string_element (acknowledged, i), candidate) == 0;
      if (!known)
        json_array_add_element (candidates, account_summary (stmt));
    }
  return candidates;
}

static void
put_account (SbpRequest *request,
             const char *id)
{
  SbpServer *self = request->server;
  g_autoptr(JsonNode) body_node = sbp_read_json (request, self->account_schema);
  JsonObject *body;
  g_autoptr(JsonArray) acknowledged = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *existing_hash = NULL;
  g_autofree char *existing_level = NULL;
  g_autofree char *now = sbp_now_iso8601 ();
  g_autofree char *family = NULL;
  g_autofree char *given = NULL;
  g_autofree char *email = NULL;
  g_autoptr(JsonNode) representation = NULL;
  JsonObject *identity;
  const char *level;

  if (body_node == NULL)
    return;
  body = json_node_get_object (body_node);
  if (json_object_has_member (body, "notDuplicateOf"))
    {
      acknowledged = json_array_ref (json_object_get_array_member (body, "notDuplicateOf"));
      json_object_remove_member (body, "notDuplicateOf");
    }

  canonical = sb_json_canonical (body_node);
  hash = sbp_sha256_hex (canonical, strlen (canonical));
  identity = json_object_has_member (body, "identity") ? json_object_get_object_member (body, "identity") : NULL;
  existing_hash = sbp_db_text (self->db, "SELECT body_hash FROM accounts WHERE id = ?", "s", id);
  existing_level = sbp_db_text (self->db, "SELECT identity_level FROM accounts WHERE id = ?", "s", id);

  /* A replay of what is stored already: the same answer, nothing written. */
  if (existing_hash != NULL && g_str_equal (existing_hash, hash))
    {
      representation = account_representation (self->db, id, TRUE);
      return sbp_respond_json (request, SOUP_STATUS_OK, representation);
    }

  if (existing_hash == NULL)
    {
      g_autoptr(JsonArray) candidates = find_duplicates (self->db, id, body, acknowledged);

      if (json_array_get_length (candidates) > 0)
        {
          JsonObject *extensions = json_object_new ();

          json_object_set_array_member (extensions, "candidates", json_array_ref (candidates));
          sbp_respond_problem (request, SOUP_STATUS_CONFLICT, "possible-duplicate", "This person may have an account already",
                               "Check the candidates with the citizen. To create a new account all the same, send the "
                               "request again with their ids in notDuplicateOf.", extensions);
          json_object_unref (extensions);
          return;
        }
    }

  /* Identity confirmed with a document at the counter; an eID level stays. */
  if (g_strcmp0 (existing_level, "eid") == 0)
    level = "eid";
  else
    level = identity != NULL ? "counter-confirmed" : "self-registered";

  family = sbp_normalize (member_string (body, "familyName"));
  given = sbp_normalize (member_string (body, "givenNames"));
  email = member_string (body, "email") != NULL ? g_ascii_strdown (member_string (body, "email"), -1) : NULL;

  if (existing_hash == NULL)
    {
      g_autofree char *code = new_activation_code ();
      g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) expires_at = g_date_time_add_days (today, ACTIVATION_DAYS);
      g_autofree char *expires = g_date_time_format (expires_at, "%Y-%m-%dT%H:%M:%SZ");

      sbp_db_run (self->db,
                  "INSERT INTO accounts (id, body, body_hash, norm_family, norm_given, birth_date, email, document_number, "
                  "identity_level, activation_code, activation_expires, created_by, created, updated) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  "ssssssssssssss", id, canonical, hash, family, given, member_string (body, "birthDate"), email,
                  member_string (identity, "documentNumber"), level, code, expires, request->staff->id, now, now);
    }
  else
    sbp_db_run (self->db,
                "UPDATE accounts SET body = ?, body_hash = ?, norm_family = ?, norm_given = ?, birth_date = ?, email = ?, "
                "document_number = ?, identity_level = ?, updated = ? WHERE id = ?",
                "ssssssssss", canonical, hash, family, given, member_string (body, "birthDate"), email,
                member_string (identity, "documentNumber"), level, now, id);

  representation = account_representation (self->db, id, TRUE);
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Location",
                                g_uri_get_path (soup_server_message_get_uri (request->msg)));
  sbp_respond_json (request, existing_hash == NULL ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, representation);
}

static void
search_accounts (SbpRequest *request)
{
  SbpServer *self = request->server;
  const char *name = request->query != NULL ? g_hash_table_lookup (request->query, "name") : NULL;
  const char *birth_date = request->query != NULL ? g_hash_table_lookup (request->query, "birthDate") : NULL;
  const char *document = request->query != NULL ? g_hash_table_lookup (request->query, "documentNumber") : NULL;
  const char *email = request->query != NULL ? g_hash_table_lookup (request->query, "email") : NULL;
  g_autofree char *name_like = NULL;
  g_autofree char *email_lower = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *out = json_object_new ();
  JsonArray *accounts = json_array_new ();

  if ((name == NULL || strlen (name) < 2) && birth_date == NULL && document == NULL && email == NULL)
    {
      json_object_unref (out);
      json_array_unref (accounts);
      return sbp_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "search-too-broad", "Search too broad",
                                  "Give a name (2 letters or more), a date of birth, a document number or an e-mail.", NULL);
    }

  if (name != NULL)
    {
      g_autofree char *normal = sbp_normalize (name);
      GString *escaped = g_string_new ("%");

      for (const char *p = normal; *p != '\0'; p++)
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (escaped, '\\');
          g_string_append_c (escaped, *p);
        }
      g_string_append_c (escaped, '%');
      name_like = g_string_free (escaped, FALSE);
    }
  email_lower = email != NULL ? g_ascii_strdown (email, -1) : NULL;

  stmt = sbp_db_prepare (self->db,
                         "SELECT id, body, identity_level FROM accounts WHERE "
                         "(?1 IS NULL OR norm_family LIKE ?1 ESCAPE '\\' OR norm_given LIKE ?1 ESCAPE '\\' "
                         "  OR (norm_given || ' ' || norm_family) LIKE ?1 ESCAPE '\\') "
                         "AND (?2 IS NULL OR birth_date = ?2) AND (?3 IS NULL OR document_number = ?3) "
                         "AND (?4 IS NULL OR email = ?4) ORDER BY norm_family, norm_given LIMIT 21",
                         "ssss", name_like, birth_date, document, email_lower);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (json_array_get_length (accounts) == 20)
        {
          json_object_set_boolean_member (out, "more", TRUE);
          break;
        }
      json_array_add_element (accounts, account_summary (stmt));
    }
  json_object_set_array_member (out, "accounts", accounts);
  json_node_take_object (node, out);
  sbp_respond_json (request, SOUP_STATUS_OK, node);
}

static void
new_activation (SbpRequest *request,
                const char *id)
{
  g_autofree char *code = new_activation_code ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires_at = g_date_time_add_days (now, ACTIVATION_DAYS);
  g_autofree char *expires = g_date_time_format (expires_at, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr(JsonNode) representation = NULL;

  sbp_db_run (request->server->db, "UPDATE accounts SET activation_code = ?, activation_expires = ? WHERE id = ?",
              "sss", code, expires, id);
  representation = account_representation (request->server->db, id, TRUE);
  sbp_respond_json (request, SOUP_STATUS_CREATED, representation);
}

void
sbp_handle_accounts (SbpRequest *request)
{
  const char *id = request->n_segments >= 3 ? request->segments[2] : NULL;
  g_autoptr(JsonNode) representation = NULL;

  if (request->n_segments == 2 && g_str_equal (request->method, "GET"))
    return search_accounts (request);

  if (id == NULL || !g_uuid_string_is_valid (id))
    return sbp_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", "Not found",
                                "Accounts are addressed by a UUID: /v1/accounts/{uuid}.", NULL);

  if (request->n_segments == 3 && g_str_equal (request->method, "PUT"))
    return put_account (request, id);

  representation = account_representation (request->server->db, id, TRUE);
  if (representation == NULL)
    return sbp_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", "No such account",
                                "There is no account with this id. Search for the citizen, or create the account with PUT.",
                                NULL);

  if (request->n_segments == 3 && g_str_equal (request->method, "GET"))
    return sbp_respond_json (request, SOUP_STATUS_OK, representation);
  if (request->n_segments == 4 && g_str_equal (request->segments[3], "activation") && g_str_equal (request->method, "POST"))
    return new_activation (request, id);

  sbp_respond_problem (request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", NULL, NULL);
}

/* The code as typed from the letter (any case, with or without the
 * dashes) sets the citizen's password. Returns the HTTP status; on
 * failure @type and @detail say why. */
static guint
activate (SbpServer   *self,
          const char  *typed,
          const char  *password,
          const char **type,
          const char **detail)
{
  g_autoptr(GString) code = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *now = sbp_now_iso8601 ();
  char hash[crypto_pwhash_STRBYTES];

  for (const char *p = typed; *p != '\0'; p++)
    if (*p != '-' && *p != ' ')
      {
        if (code->len == 4 || code->len == 9)
          g_string_append_c (code, '-');
        g_string_append_c (code, g_ascii_toupper (*p));
      }

  stmt = sbp_db_prepare (self->db, "SELECT id, activation_expires FROM accounts WHERE activation_code = ?", "s", code->str);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      *type = "activation-code-invalid";
      *detail = "The code is not right or was used already. Check it on the letter, or ask at the service desk for a "
                "new one.";
      return SOUP_STATUS_UNPROCESSABLE_ENTITY;
    }
  id = g_strdup (sbp_db_column_text (stmt, 0));
  if (g_strcmp0 (sbp_db_column_text (stmt, 1), now) < 0)
    {
      *type = "activation-code-expired";
      *detail = "The code is older than 30 days. Ask at the service desk for a new one.";
      return SOUP_STATUS_GONE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      *type = "busy";
      *detail = "The platform is short of memory. Try again in a moment.";
      return SOUP_STATUS_SERVICE_UNAVAILABLE;
    }
  sbp_db_run (self->db, "UPDATE accounts SET password_hash = ?, activation_code = NULL, activation_expires = NULL, "
              "updated = ? WHERE id = ?", "sss", hash, now, id);
  sodium_memzero (hash, sizeof hash);
  return SOUP_STATUS_NO_CONTENT;
}

/* POST /v1/activation: the citizen, at home, sets their own password with
 * the code from the desk's letter. */
void
sbp_handle_activation (SbpRequest *request)
{
  g_autoptr(JsonNode) schema = sbp_parse_json (
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"code\",\"password\"],\"properties\":{"
    "\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Za-z2-9]{4}-?[A-Za-z2-9]{4}-?[A-Za-z2-9]{4}$\"},"
    "\"password\":{\"type\":\"string\",\"minLength\":10,\"maxLength\":200}}}");
  g_autoptr(JsonNode) body = NULL;
  const char *type = NULL, *detail = NULL;
  guint status;

  if (!g_str_equal (request->method, "POST") || request->n_segments != 2)
    return sbp_respond_problem (request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", NULL, NULL);
  body = sbp_read_json (request, schema);
  if (body == NULL)
    return;

  status = activate (request->server, json_object_get_string_member (json_node_get_object (body), "code"),
                     json_object_get_string_member (json_node_get_object (body), "password"), &type, &detail);
  if (status == SOUP_STATUS_NO_CONTENT)
    sbp_respond_empty (request, status);
  else
    sbp_respond_problem (request, status, type, status == SOUP_STATUS_GONE ? "Code expired" : "Code not valid",
                         detail, NULL);
}

static void
respond_activation_page (SbpRequest *request,
                         guint       status,
                         const char *code,
                         const char *message,
                         gboolean    done)
{
  g_autofree char *escaped_code = g_markup_escape_text (code != NULL ? code : "", -1);
  g_autofree char *notice = message != NULL ? g_markup_printf_escaped ("<p class=\"%s\" role=\"alert\">%s</p>",
                                                                        done ? "done" : "error", message)
                                            : g_strdup ("");
  g_autofree char *form = done ? g_strdup ("")
                                : g_strdup_printf ("<form method=\"post\" action=\"/activate\">"
                                                   "<label for=\"code\">Aktivierungscode / Activation code</label>"
                                                   "<input id=\"code\" name=\"code\" value=\"%s\" "
                                                   "autocomplete=\"one-time-code\" required>"
                                                   "<label for=\"password\">Neues Passwort / New password</label>"
                                                   "<input id=\"password\" name=\"password\" type=\"password\" "
                                                   "minlength=\"10\" autocomplete=\"new-password\" autofocus required>"
                                                   "<button type=\"submit\">Aktivieren / Activate</button></form>",
                                                   escaped_code);
  char *page = g_strdup_printf (
    "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width\">"
    "<title>Konto aktivieren – Activate your account</title>"
    "<style>body{font:16px sans-serif;max-width:26em;margin:3em auto;padding:0 1em}"
    "label{display:block;margin-top:1em}input{font:inherit;width:100%%;padding:.4em;box-sizing:border-box}"
    "button{margin-top:1.5em;font:inherit;padding:.5em 2em}.error{color:#c01c28}.done{color:#26a269}</style></head>"
    "<body><h1>Konto aktivieren</h1><p>Activate your account: choose your own password (10 characters or more).</p>"
    "%s%s</body></html>\n",
    notice, form);

  soup_server_message_set_status (request->msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Cache-Control", "no-store");
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  soup_server_message_set_response (request->msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, page, strlen (page));
}

/* GET /activate?code=…: the page the QR code on the letter opens; POST
 * sets the password from the form. */
void
sbp_handle_activation_page (SbpRequest *request)
{
  if (g_str_equal (request->method, "GET"))
    {
      const char *code = request->query != NULL ? g_hash_table_lookup (request->query, "code") : NULL;

      /* A link someone made up is not echoed into the page. */
      if (code != NULL && (strlen (code) > 20 || strspn (code, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjklmnpqrstuvwxyz23456789- ") !=
                                                   strlen (code)))
        respond_activation_page (request, SOUP_STATUS_BAD_REQUEST, NULL,
                                 "Dieser Link enthält keinen Aktivierungscode. Geben Sie den Code vom Brief ein. / "
                                 "This link holds no activation code: type the code from the letter.", FALSE);
      else
        respond_activation_page (request, SOUP_STATUS_OK, code, NULL, FALSE);
      return;
    }
  if (g_str_equal (request->method, "POST"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (request->msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_autoptr(GHashTable) form = soup_form_decode (text);
      const char *code = g_hash_table_lookup (form, "code");
      const char *password = g_hash_table_lookup (form, "password");
      const char *type = NULL, *detail = NULL;
      guint status;

      if (code == NULL || password == NULL || g_utf8_strlen (password, -1) < 10 || strlen (password) > 200)
        respond_activation_page (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, code,
                                 "Das Passwort braucht mindestens 10 Zeichen. / The password needs 10 characters or "
                                 "more.", FALSE);
      else if ((status = activate (request->server, code, password, &type, &detail)) == SOUP_STATUS_NO_CONTENT)
        respond_activation_page (request, SOUP_STATUS_OK, NULL,
                                 "Ihr Konto ist aktiv. Melden Sie sich mit Ihrem neuen Passwort an. / Your account is "
                                 "active: sign in with your new password.", TRUE);
      else
        respond_activation_page (request, status, code, detail, FALSE);
      return;
    }
  sbp_respond_problem (request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", NULL, NULL);
}
