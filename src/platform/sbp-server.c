/* sbp-server.c: listening, routing, limits, faults, the request log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sbp-private.h"

#include <glib/gstdio.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (SbpServer, sbp_server, G_TYPE_OBJECT)

typedef struct
{
  SbpRequest *request;
  gint64      after;
  guint       timeout_source;
  gulong      disconnected_handler;
} SbpWaiter;

static void dispatch (SbpRequest *request);

static void
sbp_server_finalize (GObject *object)
{
  SbpServer *self = SBP_SERVER (object);

  g_clear_handle_id (&self->demo_source, g_source_remove);
  g_clear_handle_id (&self->event_poll_source, g_source_remove);
  g_clear_pointer (&self->event_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->uploads_busy, g_hash_table_unref);
  g_clear_pointer (&self->upload_hashes, g_hash_table_unref);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->catalogue, json_node_unref);
  g_clear_pointer (&self->account_schema, json_node_unref);
  g_clear_pointer (&self->submission_schema, json_node_unref);
  g_clear_pointer (&self->fault_rand, g_rand_free);
  g_clear_pointer (&self->db, sqlite3_close);
  sodium_memzero (self->sign_secret, sizeof self->sign_secret);
  g_free (self->catalogue_etag);
  g_free (self->key_id);
  g_free (self->url);
  g_free (self->uploads_dir);
  g_free (self->data_dir);

  G_OBJECT_CLASS (sbp_server_parent_class)->finalize (object);
}

static void
sbp_server_class_init (SbpServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sbp_server_finalize;
}

static void
sbp_server_init (SbpServer *self)
{
  self->event_waiters = g_ptr_array_new ();
  self->uploads_busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->upload_hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, sbp_upload_hash_free);
  self->access_lifetime = SBP_ACCESS_LIFETIME;
  self->upload_lifetime = SBP_UPLOAD_LIFETIME;
}

static JsonNode *
load_resource_json (const char *name,
                    GError    **error)
{
  g_autofree char *path = g_strconcat ("/io/github/servicebuero/Platform/", name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, error);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (bytes == NULL ||
      !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

/**
 * sbp_server_new_offline:
 *
 * The platform's data without listening: what the caseworker commands
 * work on, beside a running server or without one.
 */
SbpServer *
sbp_server_new_offline (const char *data_dir,
                        GError    **error)
{
  g_autoptr(SbpServer) self = g_object_new (SBP_TYPE_SERVER, NULL);
  g_autofree char *db_path = NULL;

  if (sodium_init () < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libsodium does not start");
      return NULL;
    }

  self->data_dir = g_strdup (data_dir);
  self->uploads_dir = g_build_filename (data_dir, "uploads", NULL);
  if (g_mkdir_with_parents (self->uploads_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot create %s: %s", self->uploads_dir, g_strerror (saved));
      return NULL;
    }

  db_path = g_build_filename (data_dir, "platform.db", NULL);
  self->db = sbp_db_open (db_path, error);
  if (self->db == NULL)
    return NULL;

  if (!sbp_catalogue_load (self, error) || !sbp_keys_load (self, error))
    return NULL;
  self->account_schema = load_resource_json ("account.schema.json", error);
  if (self->account_schema == NULL)
    return NULL;
  self->submission_schema = load_resource_json ("submission.schema.json", error);
  if (self->submission_schema == NULL)
    return NULL;
  self->last_event_cursor = sbp_db_int (self->db, "SELECT coalesce(max(cursor), 0) FROM events", NULL);

  return g_steal_pointer (&self);
}

SbpServer *
sbp_server_new (const char *data_dir,
                GError    **error)
{
  return sbp_server_new_offline (data_dir, error);
}

/* --faults=drop-before:0.05,drop-after:0.05,unavailable:0.1,too-many:0.1,delay:0.2:300,seed:42 */
gboolean
sbp_server_set_faults (SbpServer  *self,
                       const char *spec,
                       GError    **error)
{
  static const char *names[] = { NULL, "drop-before", "drop-after", "unavailable", "too-many" };
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  guint32 seed = g_random_int ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (g_strstrip (parts[i]), ":", 3);
      gboolean known = FALSE;
      double rate;

      if (fields[0] == NULL || fields[1] == NULL)
        goto bad;
      if (g_str_equal (fields[0], "seed"))
        {
          seed = (guint32)g_ascii_strtoull (fields[1], NULL, 10);
          continue;
        }
      rate = g_ascii_strtod (fields[1], NULL);
      if (rate < 0 || rate > 1)
        goto bad;
      for (guint f = 1; f < G_N_ELEMENTS (names); f++)
        if (g_str_equal (fields[0], names[f]))
          {
            self->fault_rates[f] = rate;
            known = TRUE;
          }
      if (g_str_equal (fields[0], "slow-commit"))
        {
          /* Every submission waits this long between being recorded as in
           * flight and being committed: the window a retry may hit. */
          self->slow_commit_ms = rate > 0 && fields[2] != NULL ? (guint)g_ascii_strtoull (fields[2], NULL, 10) : 0;
          known = TRUE;
        }
      if (g_str_equal (fields[0], "delay"))
        {
          self->delay_rate = rate;
          self->delay_ms = fields[2] != NULL ? (guint)g_ascii_strtoull (fields[2], NULL, 10) : 500;
          known = TRUE;
        }
      if (!known)
        goto bad;
      continue;

bad:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cannot read the fault '%s'. Write for example "
                   "drop-before:0.1,drop-after:0.1,unavailable:0.1,too-many:0.1,delay:0.2:500,slow-commit:1:800,seed:42",
                   parts[i]);
      return FALSE;
    }

  g_clear_pointer (&self->fault_rand, g_rand_free);
  self->fault_rand = g_rand_new_with_seed (seed);
  return TRUE;
}

void
sbp_server_set_log (SbpServer *self,
                    gboolean   log_requests)
{
  self->log_requests = log_requests;
}

static gboolean
demo_tick (gpointer user_data)
{
  sbp_caseworker_demo_step (user_data);
  return G_SOURCE_CONTINUE;
}

/* Submissions move on by themselves, so a newcomer sees the life cycle. */
void
sbp_server_set_demo (SbpServer *self,
                     guint      pace_seconds)
{
  g_clear_handle_id (&self->demo_source, g_source_remove);
  self->demo_pace = pace_seconds;
  if (pace_seconds > 0)
    self->demo_source = g_timeout_add_seconds (MAX (1, pace_seconds / 4), demo_tick, self);
}

const char *
sbp_server_get_url (SbpServer *self)
{
  return self->url;
}

/* Responses */

char *
sbp_to_json (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

JsonNode *
sbp_parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

void
sbp_respond_json (SbpRequest *request,
                  guint       status,
                  JsonNode   *body)
{
  g_autofree char *text = sbp_to_json (body);
  gsize length = strlen (text);

  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_TAKE, g_steal_pointer (&text), length);
}

void
sbp_respond_empty (SbpRequest *request,
                   guint       status)
{
  soup_server_message_set_status (request->msg, status, NULL);
}

/* libsoup 3.2 decides whether to keep a connection from the response
 * headers, and a 204 has no Content-Length (it must not): it takes the
 * response for one that ends at EOF and closes the connection. Every tus
 * PATCH would cost a new connection, and clients that reuse it fail. Once
 * the headers are on the wire, telling libsoup the length was zero keeps
 * the connection alive without sending the header. */
static void
on_wrote_headers (SoupServerMessage *msg,
                  gpointer           user_data)
{
  if (soup_server_message_get_status (msg) == SOUP_STATUS_NO_CONTENT)
    soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg), 0);
}

/**
 * sbp_respond_problem:
 * @type: the problem's slug under SBP_PROBLEM_BASE, or NULL for about:blank
 *
 * An RFC 9457 problem: what went wrong and, in @detail, what to do.
 */
void
sbp_respond_problem (SbpRequest *request,
                     guint       status,
                     const char *type,
                     const char *title,
                     const char *detail,
                     JsonObject *extensions)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *problem = extensions != NULL ? json_object_ref (extensions) : json_object_new ();
  g_autofree char *type_uri = type != NULL ? g_strconcat (SBP_PROBLEM_BASE, type, NULL) : g_strdup ("about:blank");
  g_autofree char *text = NULL;
  gsize length;

  json_object_set_string_member (problem, "type", type_uri);
  json_object_set_string_member (problem, "title", title);
  json_object_set_int_member (problem, "status", status);
  if (detail != NULL)
    json_object_set_string_member (problem, "detail", detail);
  json_node_take_object (node, problem);

  text = sbp_to_json (node);
  length = strlen (text);
  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, "application/problem+json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

/* The "errors" extension: one entry per field, with its JSON Pointer. */
JsonNode *
sbp_problem_errors_node (GPtrArray  *errors,
                         const char *prefix)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < errors->len; i++)
    {
      SbSchemaError *error = g_ptr_array_index (errors, i);
      JsonObject *entry = json_object_new ();
      g_autofree char *pointer = g_strconcat (prefix, error->pointer, NULL);

      json_object_set_string_member (entry, "pointer", pointer);
      json_object_set_string_member (entry, "keyword", error->keyword);
      json_object_set_string_member (entry, "detail", error->detail);
      json_array_add_object_element (array, entry);
    }
  json_node_take_array (node, array);
  return node;
}

const char *
sbp_header (SbpRequest *request,
            const char *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (request->msg), name);
}

/**
 * sbp_read_json:
 * @schema: (nullable): what the body must fit, unknown fields refused
 *
 * Reads a JSON request body within the bounds of size, depth and string
 * length. Responds with a problem and returns NULL when it cannot.
 */
JsonNode *
sbp_read_json (SbpRequest *request,
               JsonNode   *schema)
{
  SoupMessageBody *body = soup_server_message_get_request_body (request->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  const char *content_type = sbp_header (request, "Content-Type");
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (content_type == NULL || !g_str_has_prefix (content_type, "application/json"))
    {
      sbp_respond_problem (request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                           "Unsupported media type", "Send the body as application/json.", NULL);
      return NULL;
    }
  if (length > SBP_MAX_JSON_BODY)
    {
      sbp_respond_problem (request, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", "Request too large",
                           "The body is larger than 1 MiB. Send documents as uploads and refer to them.", NULL);
      return NULL;
    }
  if (sb_json_nesting_exceeds (data, length, SBP_MAX_JSON_DEPTH))
    {
      sbp_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "too-deep", "JSON nested too deeply",
                           "Objects and arrays may nest at most 32 levels.", NULL);
      return NULL;
    }
  if (length == 0 || !g_utf8_validate (data, length, NULL) ||
      !json_parser_load_from_data (parser, data, length, &error) || json_parser_get_root (parser) == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("The body is not valid JSON: %s",
                                                 error != NULL ? error->message : "it is empty or not UTF-8");

      sbp_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed", "Malformed JSON", detail, NULL);
      return NULL;
    }

  if (schema != NULL)
    {
      errors = sb_json_schema_validate (schema, json_parser_get_root (parser));
      if (errors->len > 0)
        {
          JsonObject *extensions = json_object_new ();

          json_object_set_member (extensions, "errors", sbp_problem_errors_node (errors, ""));
          sbp_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "validation",
                               "The request does not fit the API",
                               "See 'errors' for each field at fault.", extensions);
          json_object_unref (extensions);
          return NULL;
        }
    }

  return json_node_ref (json_parser_get_root (parser));
}

void
sbp_staff_free (SbpStaff *staff)
{
  if (staff == NULL)
    return;
  g_free (staff->id);
  g_free (staff->username);
  g_free (staff->display_name);
  g_free (staff->office);
  g_free (staff);
}

SbpStaff *
sbp_staff_load (sqlite3    *db,
                const char *id)
{
  g_autoptr(sqlite3_stmt) stmt = sbp_db_prepare (db, "SELECT id, username, display_name, office FROM staff WHERE id = ?",
                                                 "s", id);
  SbpStaff *staff;

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  staff = g_new0 (SbpStaff, 1);
  staff->id = g_strdup (sbp_db_column_text (stmt, 0));
  staff->username = g_strdup (sbp_db_column_text (stmt, 1));
  staff->display_name = g_strdup (sbp_db_column_text (stmt, 2));
  staff->office = g_strdup (sbp_db_column_text (stmt, 3));
  return staff;
}

/* 401 with the challenge of RFC 6750 unless a valid bearer token came. */
gboolean
sbp_require_staff (SbpRequest *request)
{
  gboolean expired = FALSE;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);

  request->staff = sbp_staff_from_bearer (request->server, sbp_header (request, "Authorization"), &expired);
  if (request->staff != NULL)
    return TRUE;

  if (expired)
    soup_message_headers_replace (headers, "WWW-Authenticate",
                                  "Bearer error=\"invalid_token\", error_description=\"The access token expired\"");
  else
    soup_message_headers_replace (headers, "WWW-Authenticate", "Bearer realm=\"servicebuero\"");
  sbp_respond_problem (request, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "Sign-in needed",
                       expired ? "The access token has expired. Refresh it or sign in again."
                               : "Send a valid access token (Authorization: Bearer …). Sign in to get one.",
                       NULL);
  return FALSE;
}

/* Events and long polls */

/**
 * sbp_request_keep:
 *
 * Holds @request open beyond its handler: pauses the message and returns a
 * copy that lives until sbp_request_release(). The staff member moves to
 * the copy.
 */
SbpRequest *
sbp_request_keep (SbpRequest *request)
{
  SbpRequest *kept = g_new0 (SbpRequest, 1);

  *kept = *request;
  kept->msg = g_object_ref (request->msg);
  kept->segments = g_strdupv (request->segments);
  kept->query = request->query != NULL ? g_hash_table_ref (request->query) : NULL;
  kept->staff = request->staff;
  request->staff = NULL;
  /* Whoever paused the message before (a delay) must not answer it now. */
  g_object_set_data (G_OBJECT (kept->msg), "sbp-kept", GINT_TO_POINTER (TRUE));
  soup_server_message_pause (kept->msg);
  return kept;
}

/* Sends what @kept answered (unless @answer is FALSE: the client is gone). */
void
sbp_request_release (SbpRequest *kept,
                     gboolean    answer)
{
  g_object_set_data (G_OBJECT (kept->msg), "sbp-kept", NULL);
  if (answer)
    soup_server_message_unpause (kept->msg);
  g_object_unref (kept->msg);
  g_strfreev (kept->segments);
  g_clear_pointer (&kept->query, g_hash_table_unref);
  sbp_staff_free (kept->staff);
  g_free (kept);
}

static void
waiter_free (SbpWaiter *waiter,
             gboolean   answer)
{
  g_clear_handle_id (&waiter->timeout_source, g_source_remove);
  g_clear_signal_handler (&waiter->disconnected_handler, waiter->request->msg);
  sbp_request_release (waiter->request, answer);
  g_free (waiter);
}

static void
waiter_answer (SbpServer *self,
               SbpWaiter *waiter)
{
  g_ptr_array_remove (self->event_waiters, waiter);
  waiter->request->no_wait = TRUE;
  sbp_handle_events (waiter->request);
  waiter_free (waiter, TRUE);
}

static gboolean
on_waiter_timeout (gpointer user_data)
{
  SbpWaiter *waiter = user_data;

  waiter->timeout_source = 0;
  waiter_answer (waiter->request->server, waiter);
  return G_SOURCE_REMOVE;
}

static void
on_waiter_disconnected (SoupServerMessage *msg,
                        SbpWaiter         *waiter)
{
  SbpServer *self = waiter->request->server;

  g_ptr_array_remove (self->event_waiters, waiter);
  waiter_free (waiter, FALSE);
}

/* Answers the long polls that have news. Runs every second while any
 * wait (events may come from the caseworker commands in another process),
 * and at once after an event of our own. */
static gboolean
poll_events (gpointer user_data)
{
  SbpServer *self = user_data;
  gint64 latest = sbp_db_int (self->db, "SELECT coalesce(max(cursor), 0) FROM events", NULL);

  self->event_poll_source = 0;
  if (latest != self->last_event_cursor)
    {
      self->last_event_cursor = latest;
      for (guint i = self->event_waiters->len; i > 0; i--)
        {
          SbpWaiter *waiter = g_ptr_array_index (self->event_waiters, i - 1);

          if (sbp_db_int (self->db, "SELECT count(*) FROM events WHERE cursor > ? AND office = ?", "is",
                          waiter->after, waiter->request->staff->office) > 0)
            waiter_answer (self, waiter);
        }
    }

  if (self->event_waiters->len > 0)
    self->event_poll_source = g_timeout_add (1000, poll_events, self);
  return G_SOURCE_REMOVE;
}

/**
 * sbp_server_wait_for_events:
 *
 * Holds @request open until an event after @after comes for the staff
 * member's office, or @seconds pass. Events written by the caseworker
 * commands in another process are seen within a second.
 */
void
sbp_server_wait_for_events (SbpRequest *request,
                            gint64      after,
                            guint       seconds)
{
  SbpServer *self = request->server;
  SbpRequest *kept = sbp_request_keep (request);
  SbpWaiter *waiter = g_new0 (SbpWaiter, 1);

  waiter->request = kept;
  waiter->after = after;
  /* Not g_timeout_add_seconds(): that may fire up to a second early. */
  waiter->timeout_source = g_timeout_add (seconds * 1000, on_waiter_timeout, waiter);
  waiter->disconnected_handler = g_signal_connect (kept->msg, "disconnected", G_CALLBACK (on_waiter_disconnected), waiter);
  g_ptr_array_add (self->event_waiters, waiter);

  if (self->event_poll_source == 0)
    self->event_poll_source = g_timeout_add (1000, poll_events, self);
}

typedef struct
{
  SbpRequest *request;
  void      (*resume) (SbpRequest *request);
} Deferred;

static gboolean
on_deferred (gpointer user_data)
{
  Deferred *deferred = user_data;
  SbpRequest *request = deferred->request;

  request->resumed = TRUE;
  deferred->resume (request);
  sbp_request_release (request, TRUE);
  g_free (deferred);
  return G_SOURCE_REMOVE;
}

/* Goes on with @request later, the connection held open meanwhile. */
void
sbp_server_defer (SbpRequest *request,
                  guint       milliseconds,
                  void      (*resume) (SbpRequest *request))
{
  Deferred *deferred = g_new0 (Deferred, 1);

  deferred->request = sbp_request_keep (request);
  deferred->resume = resume;
  g_timeout_add (milliseconds, on_deferred, deferred);
}

/**
 * sbp_event_new:
 * @...: further member names and string values, %NULL-terminated
 *
 * An event of the feed: its type, submission and time, and what else it says.
 */
JsonNode *
sbp_event_new (const char *type,
               const char *submission_id,
               const char *at,
               ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *name;
  va_list args;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "submission");
  json_builder_add_string_value (builder, submission_id);
  va_start (args, at);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, va_arg (args, const char *));
    }
  va_end (args);
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, at);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
sbp_emit_event (SbpServer  *self,
                const char *office,
                const char *submission_id,
                JsonNode   *event)
{
  g_autofree char *body = sbp_to_json (event);

  sbp_db_run (self->db, "INSERT INTO events (office, submission_id, body) VALUES (?, ?, ?)", "sss",
              office, submission_id, body);
  if (self->event_waiters->len > 0)
    {
      /* Answer at once rather than at the next poll. */
      g_clear_handle_id (&self->event_poll_source, g_source_remove);
      self->event_poll_source = g_idle_add (poll_events, self);
    }
}

/* Routing */

static void
handle_healthz (SbpRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  gboolean db_ok = sbp_db_int (request->server->db, "SELECT 1", NULL) == 1;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, db_ok ? "ok" : "database unavailable");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  sbp_respond_json (request, db_ok ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, node);
}

static void
dispatch (SbpRequest *request)
{
  const char *first = request->n_segments > 0 ? request->segments[0] : "";

  if (g_str_equal (first, "healthz") && request->n_segments == 1)
    {
      if (g_str_equal (request->method, "GET") || g_str_equal (request->method, "HEAD"))
        handle_healthz (request);
      else
        sbp_respond_problem (request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", NULL, NULL);
      return;
    }
  if (sbp_handle_oauth (request))
    return;
  if (g_str_equal (first, "activate") && request->n_segments == 1)
    {
      sbp_handle_activation_page (request);
      return;
    }
  if (g_str_equal (first, "status") && request->n_segments == 2)
    {
      sbp_handle_status_page (request);
      return;
    }

  if (g_str_equal (first, "v1") && request->n_segments >= 2)
    {
      const char *collection = request->segments[1];

      if (g_str_equal (collection, "services"))
        return sbp_handle_services (request);
      if (g_str_equal (collection, "keys"))
        return sbp_handle_keys (request);
      if (g_str_equal (collection, "uploads") && g_str_equal (request->method, "OPTIONS"))
        return sbp_handle_uploads (request);
      if (g_str_equal (collection, "activation"))
        return sbp_handle_activation (request);
      if (!sbp_require_staff (request))
        return;
      if (g_str_equal (collection, "accounts"))
        return sbp_handle_accounts (request);
      if (g_str_equal (collection, "uploads"))
        return sbp_handle_uploads (request);
      if (g_str_equal (collection, "submissions"))
        return sbp_handle_submissions (request);
      if (g_str_equal (collection, "events"))
        return sbp_handle_events (request);
    }

  sbp_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", "Not found",
                       "There is nothing at this address. See docs/api/platform-v1.yaml.", NULL);
}

static SbpFault
draw_fault (SbpServer *self)
{
  if (self->fault_rand == NULL)
    return SBP_FAULT_NONE;

  for (SbpFault f = SBP_FAULT_DROP_BEFORE; f <= SBP_FAULT_TOO_MANY; f++)
    if (self->fault_rates[f] > 0 && g_rand_double (self->fault_rand) < self->fault_rates[f])
      return f;
  return SBP_FAULT_NONE;
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
request_free (SbpRequest *request)
{
  g_strfreev (request->segments);
  g_clear_pointer (&request->query, g_hash_table_unref);
  sbp_staff_free (request->staff);
  g_free (request);
}

static void
run_request (SbpRequest *request,
             SbpFault    fault)
{
  SoupServerMessage *msg = request->msg;

  if (fault == SBP_FAULT_DROP_BEFORE)
    {
      drop_connection (msg);
      return;
    }
  if (fault == SBP_FAULT_UNAVAILABLE || fault == SBP_FAULT_TOO_MANY)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      if (fault == SBP_FAULT_UNAVAILABLE)
        sbp_respond_problem (request, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                             "The platform is busy. Try again after the time in Retry-After.", NULL);
      else
        sbp_respond_problem (request, 429 /* Too Many Requests */, "rate-limited", "Too many requests",
                             "Slow down: try again after the time in Retry-After.", NULL);
      return;
    }

  dispatch (request);

  if (fault == SBP_FAULT_DROP_AFTER && soup_server_message_get_status (msg) != 0)
    drop_connection (msg);
}

typedef struct
{
  SbpRequest *request;
  SbpFault    fault;
} DelayedRequest;

static gboolean
on_delay_over (gpointer user_data)
{
  DelayedRequest *delayed = user_data;
  SoupServerMessage *msg = g_object_ref (delayed->request->msg);

  run_request (delayed->request, delayed->fault);
  /* A handler that keeps the request (a PATCH being written) answers it. */
  if (g_object_get_data (G_OBJECT (msg), "sbp-kept") == NULL)
    soup_server_message_unpause (msg);
  g_object_unref (msg);
  g_object_unref (delayed->request->msg);
  request_free (delayed->request);
  g_free (delayed);
  return G_SOURCE_REMOVE;
}

static void
on_request (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SbpServer *self = user_data;
  SbpRequest *request;
  SbpFault fault = SBP_FAULT_NONE;
  g_auto(GStrv) raw = NULL;
  GPtrArray *segments = g_ptr_array_new ();

  /* Answered already (a body too large, refused at its headers). */
  if (soup_server_message_get_status (msg) != 0)
    {
      g_ptr_array_unref (segments);
      return;
    }

  raw = g_strsplit (path, "/", -1);
  for (guint i = 0; raw[i] != NULL; i++)
    if (raw[i][0] != '\0')
      g_ptr_array_add (segments, g_uri_unescape_string (raw[i], NULL) ?: g_strdup (""));
  g_ptr_array_add (segments, NULL);

  request = g_new0 (SbpRequest, 1);
  request->server = self;
  request->msg = msg;
  request->method = soup_server_message_get_method (msg);
  request->segments = (char **)g_ptr_array_free (segments, FALSE);
  request->n_segments = g_strv_length (request->segments);
  request->query = query != NULL ? g_hash_table_ref (query) : NULL;

  if (g_str_equal (request->segments[0] ?: "", "v1"))
    fault = draw_fault (self);

  if (fault != SBP_FAULT_DROP_BEFORE && self->delay_rate > 0 && g_str_equal (request->segments[0] ?: "", "v1") &&
      g_rand_double (self->fault_rand) < self->delay_rate)
    {
      DelayedRequest *delayed = g_new0 (DelayedRequest, 1);

      delayed->request = request;
      delayed->fault = fault;
      request->no_wait = TRUE;
      g_object_ref (msg);
      soup_server_message_pause (msg);
      g_timeout_add (self->delay_ms, on_delay_over, delayed);
      return;
    }

  run_request (request, fault);
  request_free (request);
}

/* Answers @msg at once and closes its connection, without reading the
 * body: a client that announced 100 MB is not made to send them. */
static void
refuse_before_body (SoupServerMessage *msg,
                    guint              status,
                    const char        *reason,
                    const char        *type,
                    const char        *title,
                    const char        *detail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *type_uri = g_strconcat (SBP_PROBLEM_BASE, type, NULL);
  g_autofree char *body = NULL;
  g_autofree char *response = NULL;
  g_autoptr(GIOStream) stream = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type_uri);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, detail);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  body = json_to_string (node, FALSE);
  response = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: application/problem+json\r\n"
                              "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                              status, reason, strlen (body), body);

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), response, strlen (response), NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
on_got_headers (SoupServerMessage *msg,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  gboolean upload = g_str_has_prefix (path, "/v1/uploads");
  goffset limit = upload ? SBP_MAX_CHUNK : SBP_MAX_JSON_BODY;
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if (encoding == SOUP_ENCODING_CONTENT_LENGTH && soup_message_headers_get_content_length (headers) > limit)
    {
      g_autofree char *detail = g_strdup_printf ("The body may be at most %" G_GOFFSET_FORMAT " bytes%s.", limit,
                                                 upload ? "; send the document in several PATCH requests" : "");

      refuse_before_body (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Content Too Large", "too-large",
                          "Request too large", detail);
    }
  else if (encoding == SOUP_ENCODING_CHUNKED &&
           (g_str_equal (method, "POST") || g_str_equal (method, "PUT") || g_str_equal (method, "PATCH")))
    refuse_before_body (msg, SOUP_STATUS_LENGTH_REQUIRED, "Length Required", "length-required", "Length required",
                        "Send the body with a Content-Length.");
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    SbpServer         *self)
{
  gint64 *started = g_new (gint64, 1);

  *started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "sbp-started", started, g_free);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), self);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers), self);
}

/* The request log: method, path (UUIDs only), status, time. Never a query
 * string or a body, where names and dates of birth would be. */
static void
on_request_finished (SoupServer        *soup,
                     SoupServerMessage *msg,
                     SbpServer         *self)
{
  gint64 *started = g_object_get_data (G_OBJECT (msg), "sbp-started");
  GUri *uri = soup_server_message_get_uri (msg);

  if (!self->log_requests || started == NULL || uri == NULL)
    return;
  g_print ("%s %s %u %.1f ms\n", soup_server_message_get_method (msg), g_uri_get_path (uri),
           soup_server_message_get_status (msg), (g_get_monotonic_time () - *started) / 1000.0);
}

gboolean
sbp_server_listen (SbpServer       *self,
                   const char      *address,
                   guint            port,
                   GTlsCertificate *certificate,
                   GError         **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoslist(GUri) uris = NULL;

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "'%s' is not an IP address", address);
      return FALSE;
    }

  self->soup = soup_server_new ("server-header", "servicebuero-platform/" PACKAGE_VERSION " ", NULL);
  if (certificate != NULL)
    soup_server_set_tls_certificate (self->soup, certificate);
  soup_server_add_handler (self->soup, NULL, on_request, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_finished), self);

  socket_address = g_inet_socket_address_new (inet, port);
  if (!soup_server_listen (self->soup, socket_address, certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  if (uris == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The server listens nowhere");
      return FALSE;
    }
  {
    g_autofree char *text = g_uri_to_string (uris->data);

    /* Without a trailing slash, for joining paths. */
    self->url = g_str_has_suffix (text, "/") ? g_strndup (text, strlen (text) - 1) : g_steal_pointer (&text);
  }
  return TRUE;
}
