/* sbp-submissions.c: submissions, their messages and decisions, events, keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A submission is created with PUT under the client's UUID and carries an
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): a replay
 * gets the stored answer, the same key with another payload 422, and a
 * request still being processed 409. What is accepted gets a receipt the
 * platform signs (Ed25519) over the content hashes, after the model of
 * FIT-Connect's metadata: hashes of the form and of each attachment, the
 * staff member apart from the applicant.
 */
#include "sbp-private.h"

#include <glib/gstdio.h>
#include <string.h>

#define IDEMPOTENCY_LIFETIME (24 * 3600)

/* Keys */

gboolean
sbp_keys_load (SbpServer *self,
               GError   **error)
{
  g_autofree char *path = g_build_filename (self->data_dir, "receipt-signing.key", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autofree char *digest = NULL;

  if (g_file_get_contents (path, &contents, &length, NULL) && length == crypto_sign_SECRETKEYBYTES)
    {
      memcpy (self->sign_secret, contents, length);
      crypto_sign_ed25519_sk_to_pk (self->sign_public, self->sign_secret);
      sodium_memzero (contents, length);
    }
  else
    {
      crypto_sign_keypair (self->sign_public, self->sign_secret);
      if (!g_file_set_contents_full (path, (const char *)self->sign_secret, sizeof self->sign_secret,
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
        return FALSE;
    }
  digest = sbp_sha256_hex (self->sign_public, sizeof self->sign_public);
  self->key_id = g_strndup (digest, 16);
  return TRUE;
}

void
sbp_handle_keys (SbpRequest *request)
{
  SbpServer *self = request->server;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *out = json_object_new ();
  JsonArray *keys = json_array_new ();
  JsonObject *key = json_object_new ();
  g_autofree char *public = g_base64_encode (self->sign_public, sizeof self->sign_public);

  json_object_set_string_member (key, "keyId", self->key_id);
  json_object_set_string_member (key, "algorithm", "Ed25519");
  json_object_set_string_member (key, "publicKey", public);
  json_object_set_string_member (key, "use", "receipt");
  json_array_add_object_element (keys, key);
  json_object_set_array_member (out, "keys", keys);
  json_node_take_object (node, out);
  sbp_respond_json (request, SOUP_STATUS_OK, node);
}

/* Representations */

static JsonNode *
submission_representation (SbpServer  *self,
                           const char *id)
{
  g_autoptr(sqlite3_stmt) stmt = sbp_db_prepare (self->db,
                                                 "SELECT s.service_id, s.account_id, s.status, s.reference, s.receipt, "
                                                 "s.received, s.updated, s.staff_id, st.display_name, s.office "
                                                 "FROM submissions s LEFT JOIN staff st ON st.id = s.staff_id WHERE s.id = ?",
                                                 "s", id);
  JsonNode *node;
  JsonObject *out, *staff;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  node = json_node_new (JSON_NODE_OBJECT);
  out = json_object_new ();
  json_object_set_string_member (out, "id", id);
  json_object_set_string_member (out, "service", sbp_db_column_text (stmt, 0));
  json_object_set_string_member (out, "account", sbp_db_column_text (stmt, 1));
  json_object_set_string_member (out, "status", sbp_db_column_text (stmt, 2));
  json_object_set_string_member (out, "reference", sbp_db_column_text (stmt, 3));
  json_object_set_member (out, "receipt", sbp_parse_json (sbp_db_column_text (stmt, 4)));
  json_object_set_string_member (out, "receivedAt", sbp_db_column_text (stmt, 5));
  json_object_set_string_member (out, "updated", sbp_db_column_text (stmt, 6));
  staff = json_object_new ();
  json_object_set_string_member (staff, "id", sbp_db_column_text (stmt, 7));
  json_object_set_string_member (staff, "name", sbp_db_column_text (stmt, 8) ?: "");
  json_object_set_string_member (staff, "office", sbp_db_column_text (stmt, 9));
  json_object_set_object_member (out, "staff", staff);
  json_node_take_object (node, out);
  return node;
}

/* Validation of a submission beyond its shape */

static void
add_problem (GPtrArray  *errors,
             const char *pointer,
             const char *keyword,
             char       *detail)
{
  SbSchemaError *error = g_new0 (SbSchemaError, 1);

  error->pointer = g_strdup (pointer);
  error->keyword = g_strdup (keyword);
  error->detail = detail;
  g_ptr_array_add (errors, error);
}

static const char *
english (JsonObject *object,
         const char *member)
{
  JsonObject *texts = json_object_has_member (object, member) ? json_object_get_object_member (object, member) : NULL;

  return texts != NULL && json_object_has_member (texts, "en") ? json_object_get_string_member (texts, "en") : "";
}

static void
check_attachments (SbpRequest *request,
                   JsonObject *service,
                   JsonArray  *attachments,
                   GPtrArray  *errors)
{
  SbpServer *self = request->server;
  JsonArray *required = json_object_get_array_member (service, "documents");
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (attachments); i++)
    {
      JsonObject *attachment = json_array_get_object_element (attachments, i);
      const char *upload = json_object_get_string_member (attachment, "upload");
      const char *sha256 = json_object_get_string_member (attachment, "sha256");
      const char *type = json_object_get_string_member (attachment, "documentType");
      JsonObject *wanted = NULL;
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *at = g_strdup_printf ("/attachments/%u", i);
      g_autofree char *at_upload = g_strconcat (at, "/upload", NULL);

      for (guint d = 0; d < json_array_get_length (required); d++)
        if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (required, d), "type"), type) == 0)
          wanted = json_array_get_object_element (required, d);
      if (wanted == NULL)
        {
          g_autofree char *at_type = g_strconcat (at, "/documentType", NULL);

          add_problem (errors, at_type, "documentType",
                       g_strdup_printf ("This service takes no document of the type '%s'", type));
          continue;
        }
      g_hash_table_insert (counts, (gpointer)type, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, type)) + 1));

      if (g_hash_table_contains (seen, upload))
        {
          add_problem (errors, at_upload, "unique", g_strdup ("The same upload is attached twice"));
          continue;
        }
      g_hash_table_add (seen, (gpointer)upload);

      stmt = sbp_db_prepare (self->db, "SELECT office, length, offset, sha256, metadata, submission_id FROM uploads WHERE id = ?",
                             "s", upload);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          add_problem (errors, at_upload, "exists", g_strdup ("No such upload: upload the document first"));
          continue;
        }
      if (!g_str_equal (sbp_db_column_text (stmt, 0), request->staff->office))
        add_problem (errors, at_upload, "office", g_strdup ("The upload belongs to another office"));
      else if (sqlite3_column_int64 (stmt, 1) != sqlite3_column_int64 (stmt, 2))
        add_problem (errors, at_upload, "complete", g_strdup ("The upload is not complete: finish it before submitting"));
      else if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        add_problem (errors, at_upload, "unused", g_strdup ("The upload belongs to another submission"));
      else
        {
          g_autofree char *media_type = sbp_upload_metadata_get (sbp_db_column_text (stmt, 4), "filetype");
          JsonArray *media = json_object_get_array_member (wanted, "mediaTypes");
          gboolean accepted = FALSE;

          if (g_strcmp0 (sbp_db_column_text (stmt, 3), sha256) != 0)
            {
              g_autofree char *at_sha = g_strconcat (at, "/sha256", NULL);

              add_problem (errors, at_sha, "sha256", g_strdup ("The hash does not match the uploaded data"));
            }
          for (guint m = 0; m < json_array_get_length (media); m++)
            accepted |= g_strcmp0 (json_array_get_string_element (media, m), media_type) == 0;
          if (!accepted)
            add_problem (errors, at_upload, "mediaType",
                         g_strdup_printf ("%s takes PDF or images only (the upload's filetype is '%s')",
                                          english (wanted, "title"), media_type != NULL ? media_type : "unknown"));
          if (sqlite3_column_int64 (stmt, 1) > json_object_get_int_member (wanted, "maxBytes"))
            add_problem (errors, at_upload, "maxBytes",
                         g_strdup_printf ("%s may be at most %" G_GINT64_FORMAT " MiB", english (wanted, "title"),
                                          json_object_get_int_member (wanted, "maxBytes") / (1024 * 1024)));
        }
    }

  for (guint d = 0; d < json_array_get_length (required); d++)
    {
      JsonObject *wanted = json_array_get_object_element (required, d);
      const char *type = json_object_get_string_member (wanted, "type");
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, type));
      gint64 min = json_object_get_int_member (wanted, "min");
      gint64 max = json_object_get_int_member (wanted, "max");

      if (count < min)
        add_problem (errors, "/attachments", "minDocuments",
                     g_strdup_printf ("Needs %s: at least %" G_GINT64_FORMAT " (document type '%s')",
                                      english (wanted, "title"), min, type));
      else if (count > max)
        add_problem (errors, "/attachments", "maxDocuments",
                     g_strdup_printf ("Takes at most %" G_GINT64_FORMAT " of %s (document type '%s')",
                                      max, english (wanted, "title"), type));
    }
}

static GPtrArray *
check_submission (SbpRequest *request,
                  JsonObject *body,
                  JsonObject **service_out)
{
  SbpServer *self = request->server;
  GPtrArray *errors = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_schema_error_free);
  JsonObject *service = sbp_catalogue_find (self, json_object_get_string_member (body, "service"));
  const char *account = json_object_get_string_member (body, "account");

  *service_out = service;
  if (service == NULL)
    {
      add_problem (errors, "/service", "exists", g_strdup ("No such service in the catalogue"));
      return errors;
    }
  if (sbp_db_int (self->db, "SELECT count(*) FROM accounts WHERE id = ?", "s", account) != 1)
    add_problem (errors, "/account", "exists", g_strdup ("No such account: create the citizen's account first"));

  {
    /* A blank field is a field not given (sb_json_form_pruned), in the app as here. */
    g_autoptr(JsonNode) form = sb_json_form_pruned (json_object_get_member (body, "form"));
    g_autoptr(GPtrArray) form_errors = sb_json_schema_validate (json_object_get_member (service, "form"), form);

    for (guint i = 0; i < form_errors->len; i++)
      {
        SbSchemaError *error = g_ptr_array_index (form_errors, i);
        g_autofree char *pointer = g_strconcat ("/form", error->pointer, NULL);

        add_problem (errors, pointer, error->keyword, g_strdup (error->detail));
      }
  }

  check_attachments (request, service, json_object_get_array_member (body, "attachments"), errors);

  if (json_object_has_member (body, "representation"))
    {
      JsonObject *representation = json_object_get_object_member (body, "representation");

      if (json_object_has_member (representation, "authorization") &&
          sbp_db_int (self->db, "SELECT count(*) FROM uploads WHERE id = ? AND office = ? AND offset = length", "ss",
                      json_object_get_string_member (representation, "authorization"), request->staff->office) != 1)
        add_problem (errors, "/representation/authorization", "exists",
                     g_strdup ("The power of attorney is not uploaded (completely)"));
    }
  return errors;
}

/* Receipts */

static JsonNode *
sign_receipt (SbpServer  *self,
              JsonObject *receipt)
{
  g_autoptr(JsonNode) unsigned_node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *canonical = NULL;
  guchar signature[crypto_sign_BYTES];
  g_autofree char *signature_text = NULL;
  JsonNode *node;

  json_node_set_object (unsigned_node, receipt);
  canonical = sb_json_canonical (unsigned_node);
  crypto_sign_detached (signature, NULL, (const guchar *)canonical, strlen (canonical), self->sign_secret);
  signature_text = g_base64_encode (signature, sizeof signature);

  json_object_set_string_member (receipt, "signature", signature_text);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, receipt);
  return node;
}

static JsonNode *
make_receipt (SbpRequest *request,
              const char *id,
              const char *reference,
              const char *received,
              JsonObject *body,
              const char *body_hash)
{
  SbpServer *self = request->server;
  g_autoptr(JsonObject) receipt = json_object_new ();
  JsonObject *hashes = json_object_new ();
  JsonArray *attachments = json_object_get_array_member (body, "attachments");
  JsonArray *attachment_hashes = json_array_new ();
  g_autofree char *form = sb_json_canonical (json_object_get_member (body, "form"));
  g_autofree char *form_hash = sbp_sha256_hex (form, strlen (form));

  json_object_set_string_member (receipt, "submission", id);
  json_object_set_string_member (receipt, "reference", reference);
  json_object_set_string_member (receipt, "service", json_object_get_string_member (body, "service"));
  json_object_set_string_member (receipt, "account", json_object_get_string_member (body, "account"));
  json_object_set_string_member (receipt, "receivedAt", received);
  json_object_set_string_member (receipt, "office", request->staff->office);
  json_object_set_string_member (receipt, "staff", request->staff->id);
  json_object_set_string_member (hashes, "algorithm", "sha256");
  json_object_set_string_member (hashes, "submission", body_hash);
  json_object_set_string_member (hashes, "form", form_hash);
  for (guint i = 0; i < json_array_get_length (attachments); i++)
    {
      JsonObject *attachment = json_array_get_object_element (attachments, i);
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "upload", json_object_get_string_member (attachment, "upload"));
      json_object_set_string_member (entry, "documentType", json_object_get_string_member (attachment, "documentType"));
      json_object_set_string_member (entry, "sha256", json_object_get_string_member (attachment, "sha256"));
      json_array_add_object_element (attachment_hashes, entry);
    }
  json_object_set_array_member (hashes, "attachments", attachment_hashes);
  json_object_set_object_member (receipt, "contentHashes", hashes);
  json_object_set_string_member (receipt, "keyId", self->key_id);
  json_object_set_string_member (receipt, "algorithm", "Ed25519");
  return sign_receipt (self, receipt);
}

/* Idempotency */

static void
store_idempotent_result (SbpServer  *self,
                         const char *staff_id,
                         const char *key,
                         guint       status,
                         const char *response)
{
  sbp_db_run (self->db, "UPDATE idempotency SET state = 'done', status = ?, content_type = 'application/json', "
              "response = ? WHERE staff_id = ? AND key = ?", "isss", (gint64)status, response, staff_id, key);
}

static void
forget_idempotency_key (SbpServer  *self,
                        const char *staff_id,
                        const char *key)
{
  sbp_db_run (self->db, "DELETE FROM idempotency WHERE staff_id = ? AND key = ?", "ss", staff_id, key);
}

/* TRUE when the request was answered from the key's record. */
static gboolean
idempotency_answered (SbpRequest *request,
                      const char *key,
                      const char *request_hash)
{
  SbpServer *self = request->server;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  sbp_db_run (self->db, "DELETE FROM idempotency WHERE created < ?", "i", now - IDEMPOTENCY_LIFETIME);
  stmt = sbp_db_prepare (self->db, "SELECT request_hash, state, status, response FROM idempotency WHERE staff_id = ? AND key = ?",
                         "ss", request->staff->id, key);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sbp_db_run (self->db, "INSERT INTO idempotency (staff_id, key, request_hash, state, created) VALUES (?, ?, ?, 'in-flight', ?)",
                  "sssi", request->staff->id, key, request_hash, now);
      return FALSE;
    }

  if (!g_str_equal (sbp_db_column_text (stmt, 0), request_hash))
    sbp_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "idempotency-key-reused",
                         "Idempotency key used for another request",
                         "This Idempotency-Key came with a different request. Use a new key for a new request.", NULL);
  else if (g_str_equal (sbp_db_column_text (stmt, 1), "in-flight"))
    sbp_respond_problem (request, SOUP_STATUS_CONFLICT, "idempotency-in-flight", "Request still being processed",
                         "The first request with this Idempotency-Key is still being processed. Retry a little later.", NULL);
  else
    {
      const char *response = sbp_db_column_text (stmt, 3);

      soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Idempotent-Replayed", "true");
      soup_server_message_set_status (request->msg, sqlite3_column_int (stmt, 2), NULL);
      soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_COPY, response, strlen (response));
    }
  return TRUE;
}

static void put_submission (SbpRequest *request, const char *id);

static void
resume_put_submission (SbpRequest *request)
{
  put_submission (request, request->segments[2]);
}

static void
put_submission (SbpRequest *request,
                const char *id)
{
  SbpServer *self = request->server;
  const char *key = sbp_header (request, "Idempotency-Key");
  g_autoptr(JsonNode) body_node = NULL;
  JsonObject *body, *service = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *body_hash = NULL;
  g_autofree char *request_text = NULL;
  g_autofree char *request_hash = NULL;
  g_autofree char *existing_hash = NULL;
  g_autofree char *existing_office = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autofree char *now = sbp_now_iso8601 ();
  g_autofree char *reference = NULL;
  g_autofree char *response_text = NULL;
  g_autoptr(JsonNode) receipt = NULL;
  g_autoptr(JsonNode) representation = NULL;
  g_autofree char *receipt_text = NULL;
  JsonArray *attachments;

  if (key == NULL || key[0] == '\0' || strlen (key) > 255)
    return sbp_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "idempotency-key-missing", "Idempotency-Key needed",
                                "Send an Idempotency-Key header (a new UUID per submission attempt) so a retry cannot submit twice.",
                                NULL);

  body_node = sbp_read_json (request, self->submission_schema);
  if (body_node == NULL)
    return;
  body = json_node_get_object (body_node);
  canonical = sb_json_canonical (body_node);
  body_hash = sbp_sha256_hex (canonical, strlen (canonical));
  request_text = g_strconcat ("PUT /v1/submissions/", id, "\n", canonical, NULL);
  request_hash = sbp_sha256_hex (request_text, strlen (request_text));

  if (!request->resumed)
    {
      if (idempotency_answered (request, key, request_hash))
        return;
      if (self->slow_commit_ms > 0)
        return sbp_server_defer (request, self->slow_commit_ms, resume_put_submission);
    }

  existing_hash = sbp_db_text (self->db, "SELECT body_hash FROM submissions WHERE id = ?", "s", id);
  existing_office = sbp_db_text (self->db, "SELECT office FROM submissions WHERE id = ?", "s", id);
  if (existing_hash != NULL)
    {
      forget_idempotency_key (self, request->staff->id, key);
      if (!g_str_equal (existing_office, request->staff->office))
        return sbp_respond_problem (request, SOUP_STATUS_FORBIDDEN, "forbidden", "Another office's submission",
                                    "A submission with this id belongs to another office.", NULL);
      if (!g_str_equal (existing_hash, body_hash))
        return sbp_respond_problem (request, SOUP_STATUS_CONFLICT, "submission-exists", "Already submitted",
                                    "A different submission with this id was accepted already; submissions cannot be "
                                    "changed. Answer questions through messages.", NULL);
      representation = submission_representation (self, id);
      return sbp_respond_json (request, SOUP_STATUS_OK, representation);
    }

  errors = check_submission (request, body, &service);
  if (errors->len > 0)
    {
      JsonObject *extensions = json_object_new ();

      /* A rejected request may be corrected and sent again under its key. */
      forget_idempotency_key (self, request->staff->id, key);
      json_object_set_member (extensions, "errors", sbp_problem_errors_node (errors, ""));
      sbp_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "validation", "The submission is not complete",
                           "See 'errors': each names the field at fault. Correct them and submit again.", extensions);
      json_object_unref (extensions);
      return;
    }

  if (!sbp_db_begin (self->db))
    {
      forget_idempotency_key (self, request->staff->id, key);
      soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Retry-After", "2");
      return sbp_respond_problem (request, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy", "Platform busy",
                                  "The platform's database is busy. Try again in a moment.", NULL);
    }

  {
    g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
    gint64 sequence = sbp_db_int (self->db, "SELECT count(*) FROM submissions", NULL) + 1;

    reference = g_strdup_printf ("NUE-%d-%06" G_GINT64_FORMAT, g_date_time_get_year (today), sequence);
  }
  receipt = make_receipt (request, id, reference, now, body, body_hash);
  receipt_text = sbp_to_json (receipt);

  sbp_db_run (self->db, "INSERT INTO submissions (id, office, staff_id, account_id, service_id, status, body, body_hash, "
              "reference, receipt, received, updated, status_since) VALUES (?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?)",
              "sssssssssssi", id, request->staff->office, request->staff->id, json_object_get_string_member (body, "account"),
              json_object_get_string_member (body, "service"), canonical, body_hash, reference, receipt_text, now, now,
              g_get_real_time () / G_USEC_PER_SEC);
  attachments = json_object_get_array_member (body, "attachments");
  for (guint i = 0; i < json_array_get_length (attachments); i++)
    sbp_db_run (self->db, "UPDATE uploads SET submission_id = ? WHERE id = ?", "ss", id,
                json_object_get_string_member (json_array_get_object_element (attachments, i), "upload"));
  if (json_object_has_member (body, "representation") &&
      json_object_has_member (json_object_get_object_member (body, "representation"), "authorization"))
    sbp_db_run (self->db, "UPDATE uploads SET submission_id = ? WHERE id = ?", "ss", id,
                json_object_get_string_member (json_object_get_object_member (body, "representation"), "authorization"));

  {
    g_autoptr(JsonNode) event = sbp_event_new ("submission.status", id, now, "status", "received", NULL);

    sbp_emit_event (self, request->staff->office, id, event);
  }

  representation = submission_representation (self, id);
  response_text = sbp_to_json (representation);
  store_idempotent_result (self, request->staff->id, key, SOUP_STATUS_CREATED, response_text);
  if (!sbp_db_commit (self->db))
    {
      sbp_db_rollback (self->db);
      forget_idempotency_key (self, request->staff->id, key);
      return sbp_respond_problem (request, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy", "Not stored",
                                  "The submission could not be stored. Send it again.", NULL);
    }

  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Location",
                                g_uri_get_path (soup_server_message_get_uri (request->msg)));
  sbp_respond_json (request, SOUP_STATUS_CREATED, representation);
  (void)service;
}

/* Messages */

static JsonNode *
messages_of (SbpServer  *self,
             const char *submission_id)
{
  g_autoptr(sqlite3_stmt) stmt = sbp_db_prepare (self->db,
                                                 "SELECT id, direction, body, created FROM messages WHERE submission_id = ? "
                                                 "ORDER BY created, rowid", "s", submission_id);
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *out = json_object_new ();
  JsonArray *messages = json_array_new ();

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonNode *message = sbp_parse_json (sbp_db_column_text (stmt, 2));
      JsonObject *object = json_node_get_object (message);

      json_object_set_string_member (object, "id", sbp_db_column_text (stmt, 0));
      json_object_set_string_member (object, "direction", sbp_db_column_text (stmt, 1));
      json_object_set_string_member (object, "created", sbp_db_column_text (stmt, 3));
      json_array_add_element (messages, message);
    }
  json_object_set_array_member (out, "messages", messages);
  json_node_take_object (node, out);
  return node;
}

static void
put_message (SbpRequest *request,
             const char *submission_id,
             const char *message_id,
             const char *office)
{
  SbpServer *self = request->server;
  g_autoptr(JsonNode) schema = sbp_parse_json (
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"text\"],\"properties\":{"
    "\"text\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":5000},"
    "\"attachments\":{\"type\":\"array\",\"maxItems\":20,\"items\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"upload\",\"sha256\"],\"properties\":{\"upload\":{\"type\":\"string\"},"
    "\"sha256\":{\"type\":\"string\",\"pattern\":\"^[0-9a-f]{64}$\"},\"title\":{\"type\":\"string\",\"maxLength\":200}}}}}}");
  g_autoptr(JsonNode) body = sbp_read_json (request, schema);
  g_autofree char *canonical = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *now = sbp_now_iso8601 ();
  JsonObject *object;

  if (body == NULL)
    return;
  if (!g_uuid_string_is_valid (message_id))
    return sbp_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", "Not found",
                                "Messages are addressed by a UUID.", NULL);
  object = json_node_get_object (body);
  canonical = sb_json_canonical (body);
  hash = sbp_sha256_hex (canonical, strlen (canonical));
  existing = sbp_db_text (self->db, "SELECT body_hash FROM messages WHERE id = ?", "s", message_id);
  if (existing != NULL)
    {
      if (!g_str_equal (existing, hash))
        return sbp_respond_problem (request, SOUP_STATUS_CONFLICT, "message-exists", "Message sent already",
                                    "A different message with this id was sent already. Messages cannot be changed.", NULL);
    }
  else
    {
      JsonArray *attachments = json_object_has_member (object, "attachments")
                                 ? json_object_get_array_member (object, "attachments") : NULL;

      for (guint i = 0; attachments != NULL && i < json_array_get_length (attachments); i++)
        {
          JsonObject *attachment = json_array_get_object_element (attachments, i);

          if (sbp_db_int (self->db, "SELECT count(*) FROM uploads WHERE id = ? AND office = ? AND sha256 = ?", "sss",
                          json_object_get_string_member (attachment, "upload"), office,
                          json_object_get_string_member (attachment, "sha256")) != 1)
            {
              g_autofree char *pointer = g_strdup_printf ("/attachments/%u", i);
              JsonObject *extensions = json_object_new ();
              g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_schema_error_free);

              add_problem (errors, pointer, "exists", g_strdup ("No complete upload with this id and hash"));
              json_object_set_member (extensions, "errors", sbp_problem_errors_node (errors, ""));
              sbp_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "validation", "Attachment missing",
                                   "Upload each attachment completely before sending the message.", extensions);
              json_object_unref (extensions);
              return;
            }
          sbp_db_run (self->db, "UPDATE uploads SET submission_id = ? WHERE id = ?", "ss", submission_id,
                      json_object_get_string_member (attachment, "upload"));
        }

      sbp_db_run (self->db, "INSERT INTO messages (id, submission_id, direction, body, body_hash, created) "
                  "VALUES (?, ?, 'from-applicant', ?, ?, ?)", "sssss", message_id, submission_id, canonical, hash, now);
      {
        g_autoptr(JsonNode) event = sbp_event_new ("message.created", submission_id, now,
                                                   "message", message_id, "direction", "from-applicant", NULL);

        sbp_emit_event (self, office, submission_id, event);
      }
    }

  {
    g_autoptr(JsonNode) all = messages_of (self, submission_id);
    JsonArray *messages = json_object_get_array_member (json_node_get_object (all), "messages");

    for (guint i = 0; i < json_array_get_length (messages); i++)
      {
        JsonNode *message = json_array_get_element (messages, i);

        if (g_str_equal (json_object_get_string_member (json_node_get_object (message), "id"), message_id))
          return sbp_respond_json (request, existing != NULL ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, message);
      }
  }
}

static void
get_decision (SbpRequest *request,
              const char *submission_id,
              gboolean    pdf)
{
  g_autoptr(sqlite3_stmt) stmt = sbp_db_prepare (request->server->db,
                                                 "SELECT outcome, reason, decided, pdf FROM decisions WHERE submission_id = ?",
                                                 "s", submission_id);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return sbp_respond_problem (request, SOUP_STATUS_NOT_FOUND, "no-decision", "No decision yet",
                                "The authority has not decided yet. The event feed says when it does.", NULL);
  if (pdf)
    {
      soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (request->msg, "application/pdf", SOUP_MEMORY_COPY,
                                        sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));
    }
  else
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *out = json_object_new ();
      g_autofree char *document = g_strdup_printf ("/v1/submissions/%s/decision.pdf", submission_id);
      g_autofree char *sha256 = sbp_sha256_hex (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));

      json_object_set_string_member (out, "outcome", sbp_db_column_text (stmt, 0));
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        json_object_set_string_member (out, "reason", sbp_db_column_text (stmt, 1));
      json_object_set_string_member (out, "decidedAt", sbp_db_column_text (stmt, 2));
      json_object_set_string_member (out, "document", document);
      json_object_set_string_member (out, "sha256", sha256);
      json_node_take_object (node, out);
      sbp_respond_json (request, SOUP_STATUS_OK, node);
    }
}

static void
list_submissions (SbpRequest *request)
{
  SbpServer *self = request->server;
  const char *account = request->query != NULL ? g_hash_table_lookup (request->query, "account") : NULL;
  g_autoptr(sqlite3_stmt) stmt = sbp_db_prepare (self->db,
                                                 "SELECT id FROM submissions WHERE office = ? AND (?2 IS NULL OR account_id = ?2) "
                                                 "ORDER BY received DESC LIMIT 200", "ss", request->staff->office, account);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *out = json_object_new ();
  JsonArray *list = json_array_new ();

  while (sqlite3_step (stmt) == SQLITE_ROW)
    json_array_add_element (list, submission_representation (self, sbp_db_column_text (stmt, 0)));
  json_object_set_array_member (out, "submissions", list);
  json_node_take_object (node, out);
  sbp_respond_json (request, SOUP_STATUS_OK, node);
}

void
sbp_handle_submissions (SbpRequest *request)
{
  SbpServer *self = request->server;
  const char *id = request->n_segments >= 3 ? request->segments[2] : NULL;
  const char *part = request->n_segments >= 4 ? request->segments[3] : NULL;
  gboolean get = g_str_equal (request->method, "GET");
  g_autofree char *office = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (request->n_segments == 2 && get)
    return list_submissions (request);
  if (id == NULL || !g_uuid_string_is_valid (id))
    return sbp_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", "Not found",
                                "Submissions are addressed by a UUID: /v1/submissions/{uuid}.", NULL);

  if (request->n_segments == 3 && g_str_equal (request->method, "PUT"))
    return put_submission (request, id);

  office = sbp_db_text (self->db, "SELECT office FROM submissions WHERE id = ?", "s", id);
  if (office == NULL)
    return sbp_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", "No such submission", NULL, NULL);
  if (!g_str_equal (office, request->staff->office))
    return sbp_respond_problem (request, SOUP_STATUS_FORBIDDEN, "forbidden", "Another office's submission",
                                "Only staff of the office that took the submission may see it.", NULL);

  if (request->n_segments == 3 && get)
    {
      node = submission_representation (self, id);
      return sbp_respond_json (request, SOUP_STATUS_OK, node);
    }
  if (request->n_segments == 4 && g_str_equal (part, "messages") && get)
    {
      node = messages_of (self, id);
      return sbp_respond_json (request, SOUP_STATUS_OK, node);
    }
  if (request->n_segments == 5 && g_str_equal (part, "messages") && g_str_equal (request->method, "PUT"))
    return put_message (request, id, request->segments[4], office);
  if (request->n_segments == 4 && g_str_equal (part, "decision") && get)
    return get_decision (request, id, FALSE);
  if (request->n_segments == 4 && g_str_equal (part, "decision.pdf") && get)
    return get_decision (request, id, TRUE);

  sbp_respond_problem (request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", NULL, NULL);
}

/* Events */

void
sbp_handle_events (SbpRequest *request)
{
  SbpServer *self = request->server;
  const char *after_text = request->query != NULL ? g_hash_table_lookup (request->query, "after") : NULL;
  const char *wait_text = request->query != NULL ? g_hash_table_lookup (request->query, "wait") : NULL;
  gint64 after = after_text != NULL ? g_ascii_strtoll (after_text, NULL, 10) : 0;
  gint64 wait = wait_text != NULL ? g_ascii_strtoll (wait_text, NULL, 10) : 0;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *out = json_object_new ();
  JsonArray *events = json_array_new ();
  gint64 cursor = after;

  if (!g_str_equal (request->method, "GET"))
    {
      json_object_unref (out);
      json_array_unref (events);
      return sbp_respond_problem (request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", NULL, NULL);
    }
  if (after < 0 || wait < 0 || wait > 60)
    {
      json_object_unref (out);
      json_array_unref (events);
      return sbp_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "bad-query", "Bad query",
                                  "after is a cursor from an earlier answer (0 at first); wait is 0 to 60 seconds.", NULL);
    }

  stmt = sbp_db_prepare (self->db, "SELECT cursor, body FROM events WHERE cursor > ? AND office = ? ORDER BY cursor LIMIT 100",
                         "is", after, request->staff->office);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonNode *event = sbp_parse_json (sbp_db_column_text (stmt, 1));

      cursor = sqlite3_column_int64 (stmt, 0);
      json_object_set_int_member (json_node_get_object (event), "cursor", cursor);
      json_array_add_element (events, event);
    }

  if (json_array_get_length (events) == 0 && wait > 0 && !request->no_wait)
    {
      json_object_unref (out);
      json_array_unref (events);
      sbp_server_wait_for_events (request, after, (guint)wait);
      return;
    }

  json_object_set_array_member (out, "events", events);
  json_object_set_int_member (out, "cursor", cursor);
  json_node_take_object (node, out);
  sbp_respond_json (request, SOUP_STATUS_OK, node);
}

static const char *
status_words (const char *status)
{
  static const char *words[][2] = {
    { "received", "Eingegangen – Received" },
    { "in-progress", "In Bearbeitung – Being processed" },
    { "question", "Rückfrage: bitte melden Sie sich beim Servicebüro – A question: please contact the service desk" },
    { "decided", "Entschieden: der Bescheid liegt beim Servicebüro – Decided: the decision is at the service desk" },
    { "withdrawn", "Zurückgezogen – Withdrawn" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_str_equal (status, words[i][0]))
      return words[i][1];
  return status;
}

/* GET /status/{submission}: the page the receipt's QR code opens. The
 * submission's id is random (a UUID) and is the key; the page says the
 * service, the reference and where the application stands, and nothing
 * about the person. */
void
sbp_handle_status_page (SbpRequest *request)
{
  SbpServer *self = request->server;
  const char *id = request->n_segments == 2 ? request->segments[1] : "";
  g_autofree char *status = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *service_id = NULL;
  g_autofree char *received = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *body = NULL;
  JsonObject *service;
  char *page;
  guint code = SOUP_STATUS_OK;

  if (!g_str_equal (request->method, "GET") && !g_str_equal (request->method, "HEAD"))
    {
      sbp_respond_problem (request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", NULL, NULL);
      return;
    }

  if (g_uuid_string_is_valid (id))
    status = sbp_db_text (self->db, "SELECT status FROM submissions WHERE id = ?", "s", id);
  if (status == NULL)
    {
      code = SOUP_STATUS_NOT_FOUND;
      body = g_strdup ("<p class=\"error\" role=\"alert\">Zu diesem Link ist (noch) kein Antrag eingegangen. Wurde "
                       "er gerade erst aufgenommen, versuchen Sie es später noch einmal. – No application has arrived "
                       "for this link (yet). If it was taken just now, try again later.</p>");
    }
  else
    {
      reference = sbp_db_text (self->db, "SELECT reference FROM submissions WHERE id = ?", "s", id);
      service_id = sbp_db_text (self->db, "SELECT service_id FROM submissions WHERE id = ?", "s", id);
      received = sbp_db_text (self->db, "SELECT received FROM submissions WHERE id = ?", "s", id);
      updated = sbp_db_text (self->db, "SELECT updated FROM submissions WHERE id = ?", "s", id);
      service = sbp_catalogue_find (self, service_id);
      body = g_markup_printf_escaped ("<dl><dt>Leistung – Service</dt><dd>%s</dd>"
                                      "<dt>Vorgangsnummer – Reference</dt><dd>%s</dd>"
                                      "<dt>Eingegangen – Received</dt><dd>%.10s</dd>"
                                      "<dt>Stand – Status</dt><dd class=\"status\">%s</dd>"
                                      "<dt>Zuletzt geändert – Last change</dt><dd>%.10s</dd></dl>",
                                      service != NULL ? json_object_get_string_member (
                                                          json_object_get_object_member (service, "title"), "de")
                                                      : service_id,
                                      reference, received, status_words (status), updated);
    }

  page = g_strdup_printf (
    "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width\">"
    "<title>Stand Ihres Antrags – Your application</title>"
    "<style>body{font:16px sans-serif;max-width:30em;margin:3em auto;padding:0 1em}dt{font-size:.8em;color:#555;"
    "margin-top:1em}dd{margin:0}.status{font-weight:bold}.error{color:#c01c28}</style></head>"
    "<body><h1>Stand Ihres Antrags</h1><p>Where your application stands.</p>%s</body></html>\n", body);

  soup_server_message_set_status (request->msg, code, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Cache-Control", "no-store");
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'");
  soup_server_message_set_response (request->msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, page, strlen (page));
}
