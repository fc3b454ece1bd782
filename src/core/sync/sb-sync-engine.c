/* sb-sync-engine.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drains the outbox, oldest item first, one request at a time, in a
 * worker thread with its own libsoup session: the main loop never waits.
 *
 * What makes it exactly once: every create is a PUT under the client's
 * UUID with the item's Idempotency-Key, so sending again after any failure
 * (a dropped connection, the app killed between the platform's answer and
 * our commit) gets the platform's stored answer instead of a second
 * submission. An item counts as delivered only when the answer is the
 * platform's own confirmation: the right status, JSON, the entity's id
 * and, for a submission, a signed receipt. A captive portal's 200 is not.
 *
 * Uploads (tus 1.0.0): the upload's address is stored before the first
 * byte goes out; after any interruption HEAD tells where it stands and it
 * goes on from there; each chunk carries its SHA-256; an upload the
 * platform no longer has (404, 410) starts again.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "sb-digest.h"
#include "sb-json-schema.h"
#include "sb-model.h"
#include "sb-sign-in.h"
#include "sb-sync-engine.h"

#define DEFAULT_CHUNK_SIZE (4 * 1024 * 1024)
#define BACKOFF_BASE 2
#define BACKOFF_CAP  300

G_DEFINE_QUARK (sb-sync-error-quark, sb_sync_error)

struct _SbSyncEngine
{
  GObject   parent_instance;

  SbStore  *store;
  char     *url;
  gsize     chunk_size;
  gint64    max_backoff;
  SbSyncProgressFunc progress;
  gpointer  progress_data;

  GMutex    lock;          /* guards the tokens and rand */
  char     *access_token;
  char     *refresh_token;
  gboolean  save_tokens;   /* keep refreshed tokens in the Secret Service */
  GRand    *rand;
  gboolean  make_due;      /* the next round first makes what waits due (guarded by lock) */
};

G_DEFINE_FINAL_TYPE (SbSyncEngine, sb_sync_engine, G_TYPE_OBJECT)

typedef enum
{
  OUTCOME_DELIVERED,
  OUTCOME_DEFER,        /* try again later; the platform did not decide */
  OUTCOME_UNREACHABLE,  /* no connection: the others would fail too */
  OUTCOME_QUARANTINE,   /* the platform refused it: a person must look */
  OUTCOME_SIGNED_OUT,   /* 401: nothing goes until someone signs in */
} OutcomeKind;

typedef struct
{
  OutcomeKind kind;
  gint64      retry_after;  /* seconds, or -1 for the backoff */
  char       *message;
  char       *problem;
  char       *keep_key;     /* kept with the delivery, in its transaction */
  char       *keep_value;
} Outcome;

typedef struct
{
  SbSyncEngine *self;
  SoupSession  *session;
  GCancellable *cancellable;
  char         *token;
  gboolean      checksum_known;
  gboolean      checksum_supported;
  GThread      *prefetch;     /* reading and uploading the next submission's documents */
  GHashTable   *prefetched;   /* document id → Prefetched, for this one */
  GThread      *reader;       /* reading the documents of the one after */
  char         *reader_submission;
  GCancellable *ahead_cancellable;  /* stops the work ahead when the round ends */
  gulong        ahead_handler;
} Round;

/* Where an upload stands, kept by whoever owns it (the store, a file). */
typedef struct
{
  char       *url;                  /* NULL: not created yet */
  gboolean  (*save_url) (const char *url, gpointer user_data, GError **error);
  gpointer    user_data;
  const char *outbox_id;            /* for progress; NULL: none */
} UploadState;

typedef struct
{
  SbStore    *store;
  const char *outbox_id;
  const char *document_id;
  gsize       length;
  const char *sha256;
} StoreUpload;

/* A document read, hashed and uploaded ahead, while the submission before
 * it was on the wire: decryption, hashing and the upload then overlap with
 * the one before instead of following it. Only the submission's PUT makes
 * it count, and that still goes in outbox order. */
typedef struct
{
  char   *blob_id;
  char   *media_type;
  GBytes *pdf;
  guint8  digest[32];
} Prefetched;

/* What is read ahead at most: one submission's worth of usual documents. */
#define PREFETCH_MAX_BYTES (96 * 1024 * 1024)

static void
prefetched_free (Prefetched *prefetched)
{
  g_free (prefetched->blob_id);
  g_free (prefetched->media_type);
  g_bytes_unref (prefetched->pdf);
  g_free (prefetched);
}

typedef struct
{
  SbSyncEngine *self;
  GCancellable *cancellable;
  char         *token;
  gboolean      checksum_known;
  gboolean      checksum_supported;
  char         *outbox_id;
  char         *submission_id;
  GHashTable   *read;           /* what a reader read already, or NULL */
} PrefetchJob;

static void
prefetch_job_free (PrefetchJob *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->cancellable);
  g_free (job->token);
  g_free (job->outbox_id);
  g_free (job->submission_id);
  g_clear_pointer (&job->read, g_hash_table_unref);
  g_free (job);
}

/* tus's Upload-Metadata: the document's id as its name and what it holds. */
static char *
upload_metadata (const char *document_id,
                 const char *media_type)
{
  g_autofree char *name = g_base64_encode ((const guchar *)document_id, strlen (document_id));
  g_autofree char *type = g_base64_encode ((const guchar *)media_type, strlen (media_type));

  return g_strdup_printf ("filename %s,filetype %s", name, type);
}

static void     outcome_clear     (Outcome    *outcome);
static gboolean save_url_in_store (const char *url,
                                   gpointer    user_data,
                                   GError    **error);
static gboolean upload_bytes (Round        *round,
                              const char   *endpoint,
                              GBytes       *bytes,
                              const guint8  whole[32],
                              const char   *metadata,
                              UploadState  *state,
                              Outcome      *outcome);

/* Decrypts and hashes a submission's documents. */
static GHashTable *
read_documents (SbStore    *store,
                const char *submission_id)
{
  GHashTable *documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)prefetched_free);
  g_autoptr(GListModel) list = sb_store_list_documents (store, submission_id, NULL);
  gsize total = 0;

  for (guint i = 0; list != NULL && i < g_list_model_get_n_items (list) && total <= PREFETCH_MAX_BYTES; i++)
    {
      g_autoptr(SbDocument) document = g_list_model_get_item (list, i);
      Prefetched *prefetched;
      GBytes *pdf;

      if (sb_document_get_pdf_blob_id (document) == NULL)
        continue;
      pdf = sb_store_open_document_pdf (store, document, NULL);
      if (pdf == NULL)
        continue;  /* read again when sent, and its error told then */
      total += g_bytes_get_size (pdf);
      prefetched = g_new0 (Prefetched, 1);
      prefetched->blob_id = g_strdup (sb_document_get_pdf_blob_id (document));
      prefetched->media_type = g_strdup (sb_document_get_media_type (document));
      prefetched->pdf = pdf;
      sb_sha256_digest (g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), prefetched->digest);
      g_hash_table_replace (documents, g_strdup (sb_document_get_id (document)), prefetched);
    }
  return documents;
}

static gpointer
reader_thread (gpointer data)
{
  PrefetchJob *job = data;
  GHashTable *documents = read_documents (job->self->store, job->submission_id);

  prefetch_job_free (job);
  return documents;
}

static gpointer
prefetch_thread (gpointer data)
{
  PrefetchJob *job = data;
  SbStore *store = job->self->store;
  GHashTable *documents = job->read != NULL ? g_steal_pointer (&job->read)
                                            : read_documents (store, job->submission_id);
  g_autofree char *endpoint = g_strconcat (job->self->url, "/v1/uploads", NULL);
  Round ahead = { job->self, NULL, job->cancellable, job->token, job->checksum_known, job->checksum_supported,
                  NULL, NULL, NULL, NULL, NULL, 0 };
  GHashTableIter iter;
  gpointer key, value;

  if (job->token == NULL)
    {
      prefetch_job_free (job);
      return documents;
    }

  ahead.session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 30,
                                                 "user-agent", "Servicebuero/" PACKAGE_VERSION, NULL);
  g_hash_table_iter_init (&iter, documents);
  while (g_hash_table_iter_next (&iter, &key, &value) && !g_cancellable_is_cancelled (job->cancellable))
    {
      const char *document_id = key;
      Prefetched *prefetched = value;
      g_autofree char *sha256 = sb_sha256_digest_to_hex (prefetched->digest);
      g_autofree char *stored_sha = NULL;
      g_autofree char *metadata = upload_metadata (document_id, prefetched->media_type);
      StoreUpload target = { store, job->outbox_id, document_id, g_bytes_get_size (prefetched->pdf), sha256 };
      UploadState state = { NULL, save_url_in_store, &target, NULL };
      Outcome outcome = { OUTCOME_DEFER, -1, NULL, NULL, NULL, NULL };
      gint64 offset = 0;
      gboolean uploaded;

      /* Up it goes, under the item's own upload record: when its turn
       * comes, the engine finds it there (HEAD) and sends no byte again. */
      sb_store_upload_load (store, job->outbox_id, document_id, &state.url, &offset, &stored_sha);
      if (stored_sha != NULL && !g_str_equal (stored_sha, sha256))
        g_clear_pointer (&state.url, g_free);
      uploaded = upload_bytes (&ahead, endpoint, prefetched->pdf, prefetched->digest, metadata, &state, &outcome);
      g_free (state.url);
      outcome_clear (&outcome);
      /* Whatever went wrong is met again, and told, in the item's turn. */
      if (!uploaded)
        break;
    }

  g_object_unref (ahead.session);
  prefetch_job_free (job);
  return documents;
}

static void
cancel_ahead (GCancellable *round_cancellable,
              GCancellable *ahead)
{
  g_cancellable_cancel (ahead);
}

static PrefetchJob *
prefetch_job_new (Round      *round,
                  char       *outbox_id,
                  char       *submission_id)
{
  PrefetchJob *job = g_new0 (PrefetchJob, 1);

  job->self = g_object_ref (round->self);
  if (round->ahead_cancellable == NULL)
    {
      round->ahead_cancellable = g_cancellable_new ();
      if (round->cancellable != NULL)
        round->ahead_handler = g_cancellable_connect (round->cancellable, G_CALLBACK (cancel_ahead),
                                                      g_object_ref (round->ahead_cancellable), g_object_unref);
    }
  job->cancellable = g_object_ref (round->ahead_cancellable);
  job->token = g_strdup (round->token);
  job->checksum_known = round->checksum_known;
  job->checksum_supported = round->checksum_supported;
  job->outbox_id = outbox_id;
  job->submission_id = submission_id;
  return job;
}

/* Two stages ahead of the engine: the next submission's documents are
 * uploaded while this one is sent, and the one after that is read and
 * hashed meanwhile. Takes what was done ahead for the submission about to
 * be sent. */
static void
prefetch_advance (Round        *round,
                  SbOutboxItem *item)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *next_outbox = NULL;
  g_autofree char *next_submission = NULL;
  g_autofree char *after_outbox = NULL;
  g_autofree char *after_submission = NULL;
  GHashTable *read = NULL;

  g_clear_pointer (&round->prefetched, g_hash_table_unref);
  if (round->prefetch != NULL)
    round->prefetched = g_thread_join (g_steal_pointer (&round->prefetch));

  if (!sb_store_peek_next_submission (round->self->store, sb_outbox_item_get_id (item), now,
                                      &next_outbox, &next_submission))
    return;

  if (round->reader != NULL)
    {
      read = g_thread_join (g_steal_pointer (&round->reader));
      if (g_strcmp0 (round->reader_submission, next_submission) != 0)
        g_clear_pointer (&read, g_hash_table_unref);
      g_clear_pointer (&round->reader_submission, g_free);
    }

  if (sb_store_peek_next_submission (round->self->store, next_outbox, now, &after_outbox, &after_submission))
    {
      round->reader_submission = g_strdup (after_submission);
      round->reader = g_thread_new ("sb-sync-read", reader_thread,
                                    prefetch_job_new (round, g_steal_pointer (&after_outbox),
                                                      g_steal_pointer (&after_submission)));
    }

  {
    PrefetchJob *job = prefetch_job_new (round, g_steal_pointer (&next_outbox), g_steal_pointer (&next_submission));

    job->read = read;
    round->prefetch = g_thread_new ("sb-sync-ahead", prefetch_thread, job);
  }
}

/* The round is over (done, or stopped by a failure): what runs ahead is
 * not waited for — its uploads go on from where they stand next time. */
static void
prefetch_stop (Round *round)
{
  if (round->ahead_cancellable != NULL)
    g_cancellable_cancel (round->ahead_cancellable);
  if (round->ahead_handler != 0)
    g_cancellable_disconnect (round->cancellable, round->ahead_handler);
  round->ahead_handler = 0;
  if (round->prefetch != NULL)
    g_hash_table_unref (g_thread_join (g_steal_pointer (&round->prefetch)));
  if (round->reader != NULL)
    g_hash_table_unref (g_thread_join (g_steal_pointer (&round->reader)));
  g_clear_pointer (&round->reader_submission, g_free);
  g_clear_pointer (&round->prefetched, g_hash_table_unref);
  g_clear_object (&round->ahead_cancellable);
}

typedef struct
{
  guint    status;
  char    *content_type;
  GBytes  *body;
  char    *location;
  char    *upload_offset;
  char    *retry_after;
  char    *tus_extension;
  char    *tus_checksum;
  char    *etag;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->content_type, g_free);
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_clear_pointer (&answer->location, g_free);
  g_clear_pointer (&answer->upload_offset, g_free);
  g_clear_pointer (&answer->retry_after, g_free);
  g_clear_pointer (&answer->tus_extension, g_free);
  g_clear_pointer (&answer->tus_checksum, g_free);
  g_clear_pointer (&answer->etag, g_free);
}

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->message, g_free);
  g_clear_pointer (&outcome->problem, g_free);
  g_clear_pointer (&outcome->keep_key, g_free);
  g_clear_pointer (&outcome->keep_value, g_free);
}

static void
sb_sync_engine_finalize (GObject *object)
{
  SbSyncEngine *self = SB_SYNC_ENGINE (object);

  g_clear_object (&self->store);
  g_free (self->url);
  g_free (self->access_token);
  g_free (self->refresh_token);
  g_rand_free (self->rand);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sb_sync_engine_parent_class)->finalize (object);
}

static void
sb_sync_engine_class_init (SbSyncEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_sync_engine_finalize;
}

static void
sb_sync_engine_init (SbSyncEngine *self)
{
  g_mutex_init (&self->lock);
  self->rand = g_rand_new ();
  self->chunk_size = DEFAULT_CHUNK_SIZE;
  self->max_backoff = BACKOFF_CAP;
}

SbSyncEngine *
sb_sync_engine_new (SbStore    *store,
                    const char *platform_url)
{
  SbSyncEngine *self = g_object_new (SB_TYPE_SYNC_ENGINE, NULL);

  self->store = g_object_ref (store);
  self->url = g_str_has_suffix (platform_url, "/") ? g_strndup (platform_url, strlen (platform_url) - 1)
                                                   : g_strdup (platform_url);
  return self;
}

void
sb_sync_engine_set_access_token (SbSyncEngine *self,
                                 const char   *token)
{
  g_return_if_fail (SB_IS_SYNC_ENGINE (self));

  g_mutex_lock (&self->lock);
  g_free (self->access_token);
  self->access_token = g_strdup (token);
  g_mutex_unlock (&self->lock);
}

/**
 * sb_sync_engine_set_tokens:
 * @save: whether refreshed tokens go to the Secret Service
 *
 * With a refresh token the engine renews an expired access token by
 * itself (silent refresh) before it gives up and asks for a sign-in.
 */
void
sb_sync_engine_set_tokens (SbSyncEngine *self,
                           const char   *access_token,
                           const char   *refresh_token,
                           gboolean      save)
{
  g_return_if_fail (SB_IS_SYNC_ENGINE (self));

  g_mutex_lock (&self->lock);
  g_free (self->access_token);
  g_free (self->refresh_token);
  self->access_token = g_strdup (access_token);
  self->refresh_token = g_strdup (refresh_token);
  self->save_tokens = save;
  g_mutex_unlock (&self->lock);
}

/* In the worker: renew the access token once per round. */
static gboolean
refresh_tokens (Round *round)
{
  SbSyncEngine *self = round->self;
  g_autofree char *refresh = NULL;
  g_autoptr(SbTokens) tokens = NULL;
  gboolean save;

  g_mutex_lock (&self->lock);
  refresh = g_strdup (self->refresh_token);
  save = self->save_tokens;
  g_mutex_unlock (&self->lock);
  if (refresh == NULL)
    return FALSE;

  tokens = sb_tokens_refresh_sync (self->url, refresh, round->cancellable, NULL);
  if (tokens == NULL)
    return FALSE;
  if (save)
    sb_tokens_save_sync (self->url, tokens, round->cancellable, NULL);
  sb_sync_engine_set_tokens (self, tokens->access_token, tokens->refresh_token, save);
  g_free (round->token);
  round->token = g_strdup (tokens->access_token);
  return TRUE;
}

void
sb_sync_engine_set_progress_func (SbSyncEngine       *self,
                                  SbSyncProgressFunc  func,
                                  gpointer            user_data)
{
  g_return_if_fail (SB_IS_SYNC_ENGINE (self));

  self->progress = func;
  self->progress_data = user_data;
}

/* For tests: wait at most @seconds between attempts. */
void
sb_sync_engine_set_max_backoff (SbSyncEngine *self,
                                gint64        seconds)
{
  g_return_if_fail (SB_IS_SYNC_ENGINE (self));

  self->max_backoff = MAX (seconds, 1);
}

/**
 * sb_sync_engine_retry_waiting:
 *
 * The next round tries every item that waits, also those waiting out a
 * backoff after failures: for "Sync now" and a network that came back.
 */
void
sb_sync_engine_retry_waiting (SbSyncEngine *self)
{
  g_return_if_fail (SB_IS_SYNC_ENGINE (self));

  g_mutex_lock (&self->lock);
  self->make_due = TRUE;
  g_mutex_unlock (&self->lock);
}

void
sb_sync_engine_set_chunk_size (SbSyncEngine *self,
                               gsize         chunk_size)
{
  g_return_if_fail (SB_IS_SYNC_ENGINE (self));
  g_return_if_fail (chunk_size > 0);

  self->chunk_size = chunk_size;
}

/**
 * sb_sync_backoff_seconds:
 *
 * Exponential backoff with full jitter: a random wait between one second
 * and min(cap, base · 2^attempts), so desks that lost the network together
 * do not all come back in the same second.
 */
gint64
sb_sync_backoff_seconds (guint  attempts,
                         GRand *rand)
{
  gint64 ceiling = BACKOFF_BASE;

  for (guint i = 0; i < attempts && ceiling < BACKOFF_CAP; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, BACKOFF_CAP);
  return g_rand_int_range (rand, 1, (gint32)ceiling + 1);
}

/**
 * sb_sync_parse_retry_after:
 *
 * Retry-After as delay-seconds or as an HTTP-date (RFC 9110 §10.2.3).
 *
 * Returns: seconds to wait, or -1 when @value is neither
 */
gint64
sb_sync_parse_retry_after (const char *value,
                           gint64      now)
{
  g_autoptr(GDateTime) date = NULL;
  char *end = NULL;
  gint64 seconds;

  if (value == NULL)
    return -1;
  seconds = g_ascii_strtoll (value, &end, 10);
  if (end != value && *end == '\0' && seconds >= 0)
    return seconds;
  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  return MAX (0, g_date_time_to_unix (date) - now);
}

/* HTTP */

static void
on_restarted (SoupMessage *msg,
              gpointer     user_data)
{
  soup_message_set_request_body_from_bytes (msg, g_object_get_data (G_OBJECT (msg), "sb-content-type"),
                                            g_object_get_data (G_OBJECT (msg), "sb-body"));
}

static gboolean
http (Round       *round,
      const char  *method,
      const char  *url,
      const char  *content_type,
      GBytes      *body,
      const char **headers,
      Answer      *answer,
      GError     **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *request_headers;
  SoupMessageHeaders *response_headers;

  memset (answer, 0, sizeof *answer);
  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not an address: %s", url);
      return FALSE;
    }
  request_headers = soup_message_get_request_headers (msg);
  if (round->token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", round->token, NULL);

      soup_message_headers_replace (request_headers, "Authorization", bearer);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (request_headers, headers[i], headers[i + 1]);
  if (body != NULL)
    {
      soup_message_set_request_body_from_bytes (msg, content_type, body);
      /* libsoup 3.2 resends an idempotent request by itself when a kept-alive
       * connection closes before the answer, but with the body already read:
       * an empty PUT. Give the restarted message its body again. */
      g_object_set_data_full (G_OBJECT (msg), "sb-body", g_bytes_ref (body), (GDestroyNotify)g_bytes_unref);
      g_object_set_data_full (G_OBJECT (msg), "sb-content-type", g_strdup (content_type), g_free);
      g_signal_connect (msg, "restarted", G_CALLBACK (on_restarted), NULL);
    }

  answer->body = soup_session_send_and_read (round->session, msg, round->cancellable, error);
  if (answer->body == NULL)
    return FALSE;

  response_headers = soup_message_get_response_headers (msg);
  answer->status = soup_message_get_status (msg);
  answer->content_type = g_strdup (soup_message_headers_get_content_type (response_headers, NULL));
  answer->location = g_strdup (soup_message_headers_get_one (response_headers, "Location"));
  answer->upload_offset = g_strdup (soup_message_headers_get_one (response_headers, "Upload-Offset"));
  answer->retry_after = g_strdup (soup_message_headers_get_one (response_headers, "Retry-After"));
  answer->tus_extension = g_strdup (soup_message_headers_get_one (response_headers, "Tus-Extension"));
  answer->tus_checksum = g_strdup (soup_message_headers_get_one (response_headers, "Tus-Checksum-Algorithm"));
  answer->etag = g_strdup (soup_message_headers_get_one (response_headers, "ETag"));
  return TRUE;
}

static JsonNode *
answer_json (Answer *answer)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data;

  if (answer->body == NULL || answer->content_type == NULL ||
      (!g_str_equal (answer->content_type, "application/json") &&
       !g_str_equal (answer->content_type, "application/problem+json")))
    return NULL;
  data = g_bytes_get_data (answer->body, &length);
  if (!json_parser_load_from_data (parser, data, length, NULL) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

/* The platform's problem (RFC 9457) in words for the clerk. */
static char *
problem_in_words (JsonObject *problem)
{
  GString *words = g_string_new (NULL);
  const char *title = json_object_has_member (problem, "title") ? json_object_get_string_member (problem, "title") : NULL;
  const char *detail = json_object_has_member (problem, "detail") ? json_object_get_string_member (problem, "detail") : NULL;

  if (json_object_has_member (problem, "candidates"))
    g_string_append (words, _("The platform may have an online account for this person already. Check with the "
                              "citizen whether one of these is theirs: then link it; otherwise send it as "
                              "another person."));
  else
    g_string_append_printf (words, _("The platform refused this: %s."), title != NULL ? title : _("no reason given"));
  /* With field errors or candidates the list says it all; the detail is for programs. */
  if (detail != NULL && !json_object_has_member (problem, "errors") && !json_object_has_member (problem, "candidates"))
    g_string_append_printf (words, " %s", detail);
  if (json_object_has_member (problem, "errors"))
    {
      JsonArray *errors = json_object_get_array_member (problem, "errors");

      for (guint i = 0; i < json_array_get_length (errors); i++)
        {
          JsonObject *error = json_array_get_object_element (errors, i);

          g_string_append_printf (words, "\n• %s: %s",
                                  json_object_get_string_member_with_default (error, "pointer", ""),
                                  json_object_get_string_member_with_default (error, "detail", ""));
        }
    }
  if (json_object_has_member (problem, "candidates"))
    {
      JsonArray *candidates = json_object_get_array_member (problem, "candidates");

      for (guint i = 0; i < json_array_get_length (candidates); i++)
        {
          JsonObject *candidate = json_array_get_object_element (candidates, i);

          g_string_append_printf (words, "\n• %s %s, %s (%s)",
                                  json_object_get_string_member_with_default (candidate, "givenNames", ""),
                                  json_object_get_string_member_with_default (candidate, "familyName", ""),
                                  json_object_get_string_member_with_default (candidate, "birthDate", ""),
                                  json_object_get_string_member_with_default (candidate, "id", ""));
        }
    }
  return g_string_free (words, FALSE);
}

/* What an answer that is not a success means for the item. */
static void
classify_failure (Answer  *answer,
                  gint64   now,
                  Outcome *outcome)
{
  g_autoptr(JsonNode) json = answer_json (answer);

  outcome->retry_after = -1;
  if (answer->status == SOUP_STATUS_UNAUTHORIZED)
    {
      outcome->kind = OUTCOME_SIGNED_OUT;
      outcome->message = g_strdup (_("Sign in again to send: the platform no longer accepts this desk's sign-in."));
    }
  else if (answer->status == 429 || answer->status == SOUP_STATUS_SERVICE_UNAVAILABLE ||
           answer->status == SOUP_STATUS_REQUEST_TIMEOUT || answer->status >= 500)
    {
      outcome->kind = OUTCOME_DEFER;
      outcome->retry_after = sb_sync_parse_retry_after (answer->retry_after, now);
      outcome->message = g_strdup_printf (_("The platform is busy (%u); this goes again by itself."), answer->status);
    }
  else if (answer->status >= 400 && json != NULL && answer->content_type != NULL &&
           g_str_equal (answer->content_type, "application/problem+json"))
    {
      outcome->kind = OUTCOME_QUARANTINE;
      outcome->message = problem_in_words (json_node_get_object (json));
      outcome->problem = json_to_string (json, FALSE);
    }
  else
    {
      /* Not the platform speaking: a proxy, a captive portal, a wrong address. */
      outcome->kind = OUTCOME_DEFER;
      outcome->message = g_strdup_printf (_("The answer (%u, %s) did not come from the platform. Check the network "
                                            "connection; this goes again by itself."),
                                          answer->status, answer->content_type != NULL ? answer->content_type : "—");
    }
}

static void
transport_failure (GError  *error,
                   Outcome *outcome)
{
  outcome->kind = OUTCOME_UNREACHABLE;
  outcome->retry_after = -1;
  outcome->message = g_strdup_printf (_("No connection to the platform (%s); this goes again by itself."),
                                      error->message);
}

static gboolean
problem_type_is (Answer     *answer,
                 const char *slug)
{
  g_autoptr(JsonNode) json = answer_json (answer);
  const char *type = json != NULL ? json_object_get_string_member_with_default (json_node_get_object (json), "type", "") : "";

  return g_str_has_suffix (type, slug);
}

/* A confirmation is JSON from the platform naming the entity sent. */
static JsonNode *
confirmation (Answer     *answer,
              const char *id)
{
  g_autoptr(JsonNode) json = NULL;

  if (answer->status != SOUP_STATUS_OK && answer->status != SOUP_STATUS_CREATED)
    return NULL;
  json = answer_json (answer);
  if (json == NULL || g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (json), "id", NULL), id) != 0)
    return NULL;
  return g_steal_pointer (&json);
}

static gboolean
put_json (Round       *round,
          const char  *path,
          JsonNode    *body,
          const char  *idempotency_key,
          Answer      *answer,
          GError     **error)
{
  g_autofree char *url = g_strconcat (round->self->url, path, NULL);
  char *text = json_to_string (body, FALSE);
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));
  const char *headers[] = { "Idempotency-Key", idempotency_key, NULL };

  return http (round, "PUT", url, "application/json", bytes, idempotency_key != NULL ? headers : NULL, answer, error);
}

/* Payloads */

static char *
full_date (const char *partial)
{
  /* ICAO 9303: an unknown month or day is 00. */
  if (partial == NULL)
    return NULL;
  if (strlen (partial) == 4)
    return g_strconcat (partial, "-00-00", NULL);
  if (strlen (partial) == 7)
    return g_strconcat (partial, "-00", NULL);
  return g_strdup (partial);
}

static void
set_if (JsonBuilder *builder,
        const char  *name,
        const char  *value)
{
  if (value == NULL || value[0] == '\0')
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static const char *
document_type_name (SbIdentityDocumentKind kind)
{
  switch (kind)
    {
    case SB_IDENTITY_DOCUMENT_PASSPORT:
      return "passport";
    case SB_IDENTITY_DOCUMENT_ID_CARD:
      return "id-card";
    case SB_IDENTITY_DOCUMENT_RESIDENCE_PERMIT:
      return "residence-permit";
    case SB_IDENTITY_DOCUMENT_ARRIVAL_CERTIFICATE:
    case SB_IDENTITY_DOCUMENT_OTHER:
    default:
      return "travel-document";
    }
}

static JsonNode *
account_body (SbCitizen  *citizen,
              const char *not_duplicate_of)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *birth_date = full_date (sb_citizen_get_birth_date (citizen));
  GListModel *confirmations = sb_citizen_get_confirmations (citizen);
  GListModel *documents = sb_citizen_get_identity_documents (citizen);
  guint n_confirmations = g_list_model_get_n_items (confirmations);

  json_builder_begin_object (builder);
  set_if (builder, "givenNames", sb_citizen_get_given_names_latin (citizen) ?: sb_citizen_get_given_names (citizen));
  set_if (builder, "familyName", sb_citizen_get_family_name_latin (citizen) ?: sb_citizen_get_family_name (citizen));
  set_if (builder, "birthDate", birth_date);
  set_if (builder, "nationality", sb_citizen_get_nationality (citizen));
  set_if (builder, "email", sb_citizen_get_email (citizen));
  set_if (builder, "phone", sb_citizen_get_phone (citizen));
  set_if (builder, "language", sb_citizen_get_preferred_language (citizen));
  if (sb_citizen_get_street (citizen) != NULL && sb_citizen_get_postal_code (citizen) != NULL &&
      sb_citizen_get_city (citizen) != NULL)
    {
      json_builder_set_member_name (builder, "address");
      json_builder_begin_object (builder);
      set_if (builder, "street", sb_citizen_get_street (citizen));
      set_if (builder, "postalCode", sb_citizen_get_postal_code (citizen));
      set_if (builder, "city", sb_citizen_get_city (citizen));
      set_if (builder, "country", sb_citizen_get_country (citizen));
      json_builder_end_object (builder);
    }

  /* The latest confirmation at the counter, with the document it read. */
  if (n_confirmations > 0)
    {
      g_autoptr(SbIdentityConfirmation) confirmed = g_list_model_get_item (confirmations, n_confirmations - 1);
      const char *number = sb_identity_confirmation_get_document_number (confirmed);

      for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
        {
          g_autoptr(SbIdentityDocument) document = g_list_model_get_item (documents, i);

          if (g_strcmp0 (sb_identity_document_get_number (document), number) != 0 ||
              sb_identity_confirmation_get_method (confirmed) == SB_CONFIRMATION_METHOD_EID)
            continue;
          json_builder_set_member_name (builder, "identity");
          json_builder_begin_object (builder);
          set_if (builder, "documentType", document_type_name (sb_identity_document_get_kind (document)));
          set_if (builder, "documentNumber", number);
          set_if (builder, "issuingState", sb_identity_document_get_issuing_state (document));
          set_if (builder, "expiryDate", sb_identity_document_get_expiry_date (document));
          set_if (builder, "method", sb_identity_confirmation_get_method (confirmed) == SB_CONFIRMATION_METHOD_MRZ
                                       ? "mrz" : "manual");
          json_builder_end_object (builder);
          break;
        }
    }
  /* The candidates the clerk found to be other people. */
  if (not_duplicate_of != NULL)
    {
      g_autoptr(JsonNode) ids = json_from_string (not_duplicate_of, NULL);

      if (ids != NULL && JSON_NODE_HOLDS_ARRAY (ids))
        {
          json_builder_set_member_name (builder, "notDuplicateOf");
          json_builder_add_value (builder, g_steal_pointer (&ids));
        }
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
send_account (Round        *round,
              SbOutboxItem *item,
              Outcome      *outcome)
{
  SbSyncEngine *self = round->self;
  const char *account_id = sb_outbox_item_get_entity_id (item);
  g_autofree char *citizen_id = sb_store_account_citizen_id (self->store, account_id);
  g_autoptr(SbCitizen) citizen = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) confirmed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strconcat ("/v1/accounts/", account_id, NULL);
  Answer answer;

  citizen = citizen_id != NULL ? sb_store_load_citizen (self->store, citizen_id, &error) : NULL;
  if (citizen == NULL)
    {
      outcome->kind = OUTCOME_QUARANTINE;
      outcome->message = g_strdup_printf (_("The citizen of this account cannot be read here: %s"),
                                          error != NULL ? error->message : _("not found"));
      return;
    }

  {
    g_autofree char *key = g_strconcat ("not-duplicate/", account_id, NULL);
    g_autofree char *not_duplicate_of = sb_store_get_sync_value (self->store, key);

    body = account_body (citizen, not_duplicate_of);
  }
  if (!put_json (round, path, body, NULL, &answer, &error))
    {
      transport_failure (error, outcome);
      return;
    }
  confirmed = confirmation (&answer, account_id);
  if (confirmed != NULL)
    {
      JsonObject *object = json_node_get_object (confirmed);
      JsonObject *activation = json_object_has_member (object, "activation")
                                 ? json_object_get_object_member (object, "activation") : NULL;

      outcome->kind = OUTCOME_DELIVERED;
      /* The code for the citizen's letter: kept before the item is marked
       * delivered; a crash between the two sends the same PUT again, and
       * the platform answers it with the same code. */
      if (activation != NULL && json_object_has_member (activation, "code") &&
          !sb_store_account_set_activation (self->store, account_id,
                                            json_object_get_string_member (activation, "code"),
                                            json_object_get_string_member_with_default (activation, "expires", ""),
                                            &error))
        {
          outcome->kind = OUTCOME_DEFER;
          outcome->retry_after = -1;
          outcome->message = g_strdup_printf (_("The account’s activation code could not be kept here: %s"),
                                              error->message);
        }
    }
  else
    classify_failure (&answer, g_get_real_time () / G_USEC_PER_SEC, outcome);
  answer_clear (&answer);
}

/* tus */

/* Asks the tus server once per round whether it checks SHA-256. */
static gboolean
server_checks_sha256 (Round      *round,
                      const char *endpoint)
{
  const char *tus[] = { "Tus-Resumable", "1.0.0", NULL };
  Answer answer;

  if (round->checksum_known)
    return round->checksum_supported;
  round->checksum_known = TRUE;
  if (http (round, "OPTIONS", endpoint, NULL, NULL, tus, &answer, NULL))
    {
      round->checksum_supported = answer.tus_extension != NULL && strstr (answer.tus_extension, "checksum") != NULL &&
                                  (answer.tus_checksum == NULL || strstr (answer.tus_checksum, "sha256") != NULL);
      answer_clear (&answer);
    }
  return round->checksum_supported;
}

/**
 * upload_bytes:
 *
 * Uploads @data to the tus server at @endpoint, going on where @state's
 * upload stands. Each chunk carries its SHA-256 where the server checks
 * one. Returns %TRUE with @state->url complete, or %FALSE with @outcome.
 */
static gboolean
upload_bytes (Round        *round,
              const char   *endpoint,
              GBytes       *bytes,
              const guint8  whole[32],
              const char   *metadata,
              UploadState  *state,
              Outcome      *outcome)
{
  SbSyncEngine *self = round->self;
  g_autoptr(GError) error = NULL;
  gsize length;
  const guchar *data = g_bytes_get_data (bytes, &length);
  gboolean checksum = server_checks_sha256 (round, endpoint);
  gint64 offset = 0;
  guint restarts = 0;
  Answer answer;
  const char *tus[] = { "Tus-Resumable", "1.0.0", NULL };

again:
  if (state->url == NULL)
    {
      g_autofree char *length_text = g_strdup_printf ("%" G_GSIZE_FORMAT, length);
      const char *headers[] = { "Tus-Resumable", "1.0.0", "Upload-Length", length_text, "Upload-Metadata", metadata, NULL };

      if (!http (round, "POST", endpoint, NULL, NULL, headers, &answer, &error))
        {
          transport_failure (error, outcome);
          return FALSE;
        }
      if (answer.status != SOUP_STATUS_CREATED || answer.location == NULL)
        {
          classify_failure (&answer, g_get_real_time () / G_USEC_PER_SEC, outcome);
          answer_clear (&answer);
          return FALSE;
        }
      {
        g_autoptr(GUri) base = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
        g_autoptr(GUri) resolved = g_uri_parse_relative (base, answer.location, G_URI_FLAGS_NONE, NULL);

        state->url = resolved != NULL ? g_uri_to_string (resolved) : NULL;
      }
      answer_clear (&answer);
      offset = 0;
      /* Kept before the first byte goes out. */
      if (state->url == NULL || !state->save_url (state->url, state->user_data, &error))
        {
          outcome->kind = OUTCOME_DEFER;
          outcome->message = g_strdup (error != NULL ? error->message : _("The platform gave no upload address."));
          return FALSE;
        }
    }
  else
    {
      if (!http (round, "HEAD", state->url, NULL, NULL, tus, &answer, &error))
        {
          transport_failure (error, outcome);
          return FALSE;
        }
      if ((answer.status == SOUP_STATUS_NOT_FOUND || answer.status == SOUP_STATUS_GONE) && restarts++ < 2)
        {
          /* The server no longer has it: upload anew. */
          answer_clear (&answer);
          g_clear_pointer (&state->url, g_free);
          goto again;
        }
      if (answer.status != SOUP_STATUS_OK || answer.upload_offset == NULL)
        {
          classify_failure (&answer, g_get_real_time () / G_USEC_PER_SEC, outcome);
          answer_clear (&answer);
          return FALSE;
        }
      offset = g_ascii_strtoll (answer.upload_offset, NULL, 10);
      answer_clear (&answer);
      /* Already all there (uploaded ahead, or before an interruption):
       * said as such, so progress ends at the whole document. */
      if (offset >= (gint64)length && self->progress != NULL && state->outbox_id != NULL)
        self->progress (state->outbox_id, offset, (gint64)length, self->progress_data);
    }

  while (offset < (gint64)length)
    {
      gsize chunk = MIN (self->chunk_size, length - (gsize)offset);
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (bytes, offset, chunk);
      g_autofree char *offset_text = g_strdup_printf ("%" G_GINT64_FORMAT, offset);
      guint8 digest[32];
      g_autofree char *digest64 = NULL;
      g_autofree char *checksum_header = NULL;
      const char *headers[] = { "Tus-Resumable", "1.0.0", "Upload-Offset", offset_text, NULL, NULL, NULL };

      if (checksum)
        {
          /* A document in one chunk has its checksum computed already. */
          if (offset == 0 && chunk == length)
            memcpy (digest, whole, sizeof digest);
          else
            sb_sha256_digest (data + offset, chunk, digest);
          digest64 = g_base64_encode (digest, sizeof digest);
          checksum_header = g_strconcat ("sha256 ", digest64, NULL);
          headers[4] = "Upload-Checksum";
          headers[5] = checksum_header;
        }

      if (!http (round, "PATCH", state->url, "application/offset+octet-stream", part, headers, &answer, &error))
        {
          transport_failure (error, outcome);
          return FALSE;
        }
      if ((answer.status == SOUP_STATUS_NO_CONTENT || answer.status == SOUP_STATUS_OK) && answer.upload_offset != NULL)
        {
          /* Not written down: after an interruption HEAD says where it stands. */
          offset = g_ascii_strtoll (answer.upload_offset, NULL, 10);
          answer_clear (&answer);
          if (self->progress != NULL && state->outbox_id != NULL)
            self->progress (state->outbox_id, offset, (gint64)length, self->progress_data);
          continue;
        }
      if (answer.status == SOUP_STATUS_CONFLICT || answer.status == 460)
        {
          /* Another idea of the offset, or damaged on the way: ask and go on. */
          answer_clear (&answer);
          if (restarts++ > 8)
            {
              outcome->kind = OUTCOME_DEFER;
              outcome->retry_after = -1;
              outcome->message = g_strdup (_("The upload does not go through; this goes again by itself."));
              return FALSE;
            }
          goto again;
        }
      if ((answer.status == SOUP_STATUS_NOT_FOUND || answer.status == SOUP_STATUS_GONE) && restarts++ < 2)
        {
          answer_clear (&answer);
          g_clear_pointer (&state->url, g_free);
          goto again;
        }
      classify_failure (&answer, g_get_real_time () / G_USEC_PER_SEC, outcome);
      answer_clear (&answer);
      return FALSE;
    }
  return TRUE;
}

static gboolean
save_url_in_store (const char *url,
                   gpointer    user_data,
                   GError    **error)
{
  StoreUpload *upload = user_data;

  return sb_store_upload_save (upload->store, upload->outbox_id, upload->document_id, url, upload->length,
                               upload->sha256, 0, error);
}

static gboolean
upload_document (Round        *round,
                 SbOutboxItem *item,
                 SbDocument   *document,
                 char        **upload_id,
                 char        **sha256_out,
                 Outcome      *outcome)
{
  SbSyncEngine *self = round->self;
  const char *document_id = sb_document_get_id (document);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *endpoint = g_strconcat (self->url, "/v1/uploads", NULL);
  g_autofree char *stored_sha = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *metadata = upload_metadata (document_id, sb_document_get_media_type (document));
  StoreUpload target = { self->store, sb_outbox_item_get_id (item), document_id, 0, NULL };
  UploadState state = { NULL, save_url_in_store, &target, sb_outbox_item_get_id (item) };
  guint8 whole[32];
  gint64 offset;
  const char *slash;

  Prefetched *ahead = round->prefetched != NULL ? g_hash_table_lookup (round->prefetched, document_id) : NULL;

  /* Read ahead, and still the document as it is now. */
  if (ahead != NULL && g_strcmp0 (ahead->blob_id, sb_document_get_pdf_blob_id (document)) == 0)
    {
      pdf = g_bytes_ref (ahead->pdf);
      memcpy (whole, ahead->digest, sizeof whole);
      g_hash_table_remove (round->prefetched, document_id);
    }
  else
    {
      pdf = sb_store_open_document_pdf (self->store, document, &error);
      if (pdf == NULL)
        {
          outcome->kind = OUTCOME_QUARANTINE;
          outcome->message = g_strdup_printf (_("The document “%s” cannot be read here: %s"),
                                              sb_document_get_title (document) ?: "", error->message);
          return FALSE;
        }
      sb_sha256_digest (g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), whole);
    }
  sha256 = sb_sha256_digest_to_hex (whole);
  target.length = g_bytes_get_size (pdf);
  target.sha256 = sha256;
  sb_store_upload_load (self->store, target.outbox_id, document_id, &state.url, &offset, &stored_sha);
  if (stored_sha != NULL && !g_str_equal (stored_sha, sha256))
    g_clear_pointer (&state.url, g_free);  /* the document changed: start over */

  if (!upload_bytes (round, endpoint, pdf, whole, metadata, &state, outcome))
    {
      g_free (state.url);
      return FALSE;
    }
  slash = strrchr (state.url, '/');
  *upload_id = g_strdup (slash != NULL ? slash + 1 : state.url);
  *sha256_out = g_steal_pointer (&sha256);
  g_free (state.url);
  return TRUE;
}

static gboolean
save_url_to_file (const char *url,
                  gpointer    user_data,
                  GError    **error)
{
  return g_file_set_contents (user_data, url, -1, error);
}

/* One request of the desk's own (not the outbox's) with its sign-in,
 * renewed once if it has expired; the platform's JSON answer or @error. */
static JsonNode *
authorized_json (SbSyncEngine  *self,
                 const char    *method,
                 const char    *path,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Round round = { self, NULL, cancellable, NULL };
  g_autofree char *url = g_strconcat (self->url, path, NULL);
  JsonNode *result = NULL;
  Answer answer;

  g_mutex_lock (&self->lock);
  round.token = g_strdup (self->access_token);
  g_mutex_unlock (&self->lock);
  if (round.token == NULL)
    {
      g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_SIGNED_OUT,
                           _("Sign in to the platform first; this desk’s own work goes on all the same."));
      return NULL;
    }

  round.session = soup_session_new_with_options ("timeout", 10, NULL);
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(GError) transport = NULL;
      g_autoptr(JsonNode) json = NULL;

      if (!http (&round, method, url, NULL, NULL, NULL, &answer, &transport))
        {
          g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_UNREACHABLE,
                       _("The platform cannot be reached (%s); this desk’s own work goes on all the same."),
                       transport->message);
          break;
        }
      json = answer_json (&answer);
      if (answer.status == SOUP_STATUS_UNAUTHORIZED && attempt == 0 && refresh_tokens (&round))
        {
          answer_clear (&answer);
          continue;
        }
      if ((answer.status == SOUP_STATUS_OK || answer.status == SOUP_STATUS_CREATED) && json != NULL)
        result = g_steal_pointer (&json);
      else if (answer.status == SOUP_STATUS_UNAUTHORIZED)
        g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_SIGNED_OUT,
                             _("Sign in to the platform again; this desk’s own work goes on all the same."));
      else
        {
          g_autofree char *words = json != NULL ? problem_in_words (json_node_get_object (json))
                                                : g_strdup_printf (_("The platform answered %u."), answer.status);

          g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_REFUSED, words);
        }
      answer_clear (&answer);
      break;
    }
  g_free (round.token);
  g_object_unref (round.session);
  return result;
}

/**
 * sb_sync_engine_find_accounts_sync:
 * @query: the query string of GET /v1/accounts, e.g. "name=eriksson"
 *
 * Asks the platform which accounts match. Blocks: call it from a worker
 * thread.
 *
 * Returns: (transfer full): the "accounts" array, or %NULL with @error set
 *   (%SB_SYNC_ERROR_SIGNED_OUT, %SB_SYNC_ERROR_UNREACHABLE, or the
 *   platform's refusal in words)
 */
JsonArray *
sb_sync_engine_find_accounts_sync (SbSyncEngine  *self,
                                   const char    *query,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  g_autofree char *path = g_strconcat ("/v1/accounts?", query, NULL);
  g_autoptr(JsonNode) json = NULL;
  JsonObject *object;

  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), NULL);

  json = authorized_json (self, "GET", path, cancellable, error);
  if (json == NULL)
    return NULL;
  object = json_node_get_object (json);
  if (!json_object_has_member (object, "accounts"))
    {
      g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_REFUSED, _("The platform’s answer lists no accounts."));
      return NULL;
    }
  return json_array_ref (json_object_get_array_member (object, "accounts"));
}

/**
 * sb_sync_engine_renew_activation_sync:
 * @platform_account_id: the account's id on the platform
 * @code: (out): the new activation code (the old one stops working)
 * @expires: (out): when it does
 *
 * For a citizen who lost the letter or let the code expire. Blocks.
 */
gboolean
sb_sync_engine_renew_activation_sync (SbSyncEngine  *self,
                                      const char    *platform_account_id,
                                      char         **code,
                                      char         **expires,
                                      GCancellable  *cancellable,
                                      GError       **error)
{
  g_autofree char *path = g_strconcat ("/v1/accounts/", platform_account_id, "/activation", NULL);
  g_autoptr(JsonNode) json = NULL;
  JsonObject *activation;

  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), FALSE);

  json = authorized_json (self, "POST", path, cancellable, error);
  if (json == NULL)
    return FALSE;
  activation = json_object_has_member (json_node_get_object (json), "activation")
                 ? json_object_get_object_member (json_node_get_object (json), "activation") : NULL;
  if (activation == NULL || !json_object_has_member (activation, "code"))
    {
      g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_REFUSED, _("The platform gave no new activation code."));
      return FALSE;
    }
  *code = g_strdup (json_object_get_string_member (activation, "code"));
  *expires = g_strdup (json_object_get_string_member_with_default (activation, "expires", ""));
  return TRUE;
}

/**
 * sb_tus_upload_sync:
 * @endpoint: a tus 1.0.0 server's creation address
 * @state_file: where the upload's address is kept; an address in it is
 *   resumed
 *
 * Uploads @data with the desk's tus client to any tus server: for IT to
 * check a server, and for the interop tests.
 *
 * Returns: (transfer full): the upload's address
 */
char *
sb_tus_upload_sync (const char    *endpoint,
                    const char    *token,
                    GBytes        *data,
                    gsize          chunk_size,
                    const char    *state_file,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(SbSyncEngine) engine = g_object_new (SB_TYPE_SYNC_ENGINE, NULL);
  Round round = { engine, NULL, cancellable, g_strdup (token) };
  UploadState state = { NULL, save_url_to_file, (gpointer)state_file, NULL };
  Outcome outcome = { OUTCOME_DEFER, -1, NULL, NULL, NULL, NULL };
  guint8 whole[32];
  char *url = NULL;

  engine->chunk_size = chunk_size > 0 ? chunk_size : DEFAULT_CHUNK_SIZE;
  round.session = soup_session_new_with_options ("timeout", 60, NULL);
  g_file_get_contents (state_file, &state.url, NULL, NULL);
  if (state.url != NULL && state.url[0] == '\0')
    g_clear_pointer (&state.url, g_free);
  sb_sha256_digest (g_bytes_get_data (data, NULL), g_bytes_get_size (data), whole);

  if (upload_bytes (&round, endpoint, data, whole, "filetype YXBwbGljYXRpb24vcGRm", &state, &outcome))
    url = g_steal_pointer (&state.url);
  else
    g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_UNREACHABLE, outcome.message);
  outcome_clear (&outcome);
  g_free (state.url);
  g_free (round.token);
  g_object_unref (round.session);
  return url;
}

static const char *
representation_code (SbRepresentation representation)
{
  switch (representation)
    {
    case SB_REPRESENTATION_LEGAL_REPRESENTATIVE:
      return "002";
    case SB_REPRESENTATION_AUTHORISED_PERSON:
      return "004";
    case SB_REPRESENTATION_NONE:
    default:
      return NULL;
    }
}

static void
send_submission (Round        *round,
                 SbOutboxItem *item,
                 Outcome      *outcome)
{
  SbSyncEngine *self = round->self;
  const char *submission_id = sb_outbox_item_get_entity_id (item);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSubmission) submission = sb_store_load_submission (self->store, submission_id, &error);
  g_autoptr(SbAccount) account = NULL;
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) form = NULL;
  g_autoptr(JsonNode) confirmed = NULL;
  g_autofree char *path = g_strconcat ("/v1/submissions/", submission_id, NULL);
  g_autofree char *authorization = NULL;  /* upload id of the power of attorney */
  GListModel *consents;
  SbConsent *consent = NULL;
  Answer answer;

  if (submission == NULL)
    {
      outcome->kind = OUTCOME_QUARANTINE;
      outcome->message = g_strdup_printf (_("This application cannot be read here: %s"), error->message);
      return;
    }

  account = sb_store_load_account (self->store, sb_submission_get_citizen_id (submission), NULL);
  if (account == NULL)
    {
      outcome->kind = OUTCOME_QUARANTINE;
      outcome->message = g_strdup (_("The citizen has no online account yet. Create the account, then send again."));
      return;
    }
  if (sb_account_get_state (account) != SB_ACCOUNT_STATE_CREATED &&
      sb_store_outbox_state_of (self->store, "account.create", sb_account_get_id (account)) == SB_OUTBOX_STATE_NEEDS_ATTENTION)
    {
      outcome->kind = OUTCOME_QUARANTINE;
      outcome->message = g_strdup (_("The platform refused the citizen's account, so this application cannot go "
                                     "yet. Resolve the account in the outbox, then send this again."));
      return;
    }
  if (sb_account_get_state (account) != SB_ACCOUNT_STATE_CREATED)
    {
      /* The account goes first; this follows once it is there. */
      outcome->kind = OUTCOME_DEFER;
      outcome->retry_after = 5;
      outcome->message = g_strdup (_("Waiting for the citizen's account to be created on the platform."));
      return;
    }

  consents = sb_submission_get_consents (submission);
  for (guint i = 0; i < g_list_model_get_n_items (consents); i++)
    {
      g_autoptr(SbConsent) candidate = g_list_model_get_item (consents, i);

      if (sb_consent_get_kind (candidate) == SB_CONSENT_DATA_PROCESSING)
        g_set_object (&consent, candidate);
    }
  if (consent == NULL)
    {
      outcome->kind = OUTCOME_QUARANTINE;
      outcome->message = g_strdup (_("The citizen's consent to the processing of their data is not recorded. "
                                     "Record it, then send again."));
      return;
    }

  form = sb_submission_get_form_data (submission) != NULL
           ? json_from_string (sb_submission_get_form_data (submission), NULL) : NULL;
  if (form == NULL || !JSON_NODE_HOLDS_OBJECT (form))
    {
      g_clear_object (&consent);
      outcome->kind = OUTCOME_QUARANTINE;
      outcome->message = g_strdup (_("The form of this application is empty or damaged. Open it, check it and send again."));
      return;
    }

  json_builder_begin_object (builder);
  set_if (builder, "service", sb_submission_get_service_id (submission));
  /* A linked account is the platform's; otherwise ours, created under our id. */
  set_if (builder, "account", sb_account_get_platform_id (account) != NULL ? sb_account_get_platform_id (account)
                                                                           : sb_account_get_id (account));
  json_builder_set_member_name (builder, "form");
  json_builder_add_value (builder, json_node_ref (form));
  set_if (builder, "language", sb_consent_get_language (consent));

  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  documents = sb_store_list_documents (self->store, submission_id, &error);
  for (guint i = 0; documents != NULL && i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(SbDocument) document = g_list_model_get_item (documents, i);
      g_autofree char *upload_id = NULL;
      g_autofree char *sha256 = NULL;

      if (sb_document_get_pdf_blob_id (document) == NULL || sb_document_is_for_answer (document))
        continue;
      if (!upload_document (round, item, document, &upload_id, &sha256, outcome))
        {
          g_clear_object (&consent);
          return;
        }
      if (g_strcmp0 (sb_document_get_kind (document), SB_DOCUMENT_KIND_AUTHORIZATION) == 0)
        {
          /* The power of attorney goes with the representation, not among the service's documents. */
          g_free (authorization);
          authorization = g_steal_pointer (&upload_id);
          continue;
        }
      json_builder_begin_object (builder);
      set_if (builder, "upload", upload_id);
      set_if (builder, "sha256", sha256);
      set_if (builder, "documentType", sb_document_get_kind (document));
      set_if (builder, "title", sb_document_get_title (document));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (representation_code (sb_submission_get_representation (submission)) != NULL)
    {
      const char *name = sb_submission_get_representative_name (submission);
      const char *space = name != NULL ? strrchr (name, ' ') : NULL;
      g_autofree char *given = space != NULL ? g_strndup (name, space - name) : NULL;

      json_builder_set_member_name (builder, "representation");
      json_builder_begin_object (builder);
      set_if (builder, "codeList", "urn:xoev-de:fim:codeliste:C60000030");
      set_if (builder, "code", representation_code (sb_submission_get_representation (submission)));
      json_builder_set_member_name (builder, "representative");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "givenNames");
      json_builder_add_string_value (builder, given != NULL ? given : "");
      json_builder_set_member_name (builder, "familyName");
      json_builder_add_string_value (builder, space != NULL ? space + 1 : (name != NULL ? name : ""));
      json_builder_end_object (builder);
      set_if (builder, "authorization", authorization);
      json_builder_end_object (builder);
    }

  {
    g_autoptr(GDateTime) given_at = g_date_time_new_from_unix_utc (sb_consent_get_given_at (consent));
    g_autofree char *recorded = g_date_time_format (given_at, "%Y-%m-%dT%H:%M:%SZ");

    json_builder_set_member_name (builder, "consent");
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "dataProcessing");
    json_builder_add_boolean_value (builder, TRUE);
    set_if (builder, "recordedAt", recorded);
    set_if (builder, "method", "signature");
    json_builder_end_object (builder);
  }
  json_builder_end_object (builder);
  g_clear_object (&consent);
  body = json_builder_get_root (builder);

  if (!put_json (round, path, body, sb_outbox_item_get_idempotency_key (item), &answer, &error))
    {
      transport_failure (error, outcome);
      return;
    }

  confirmed = confirmation (&answer, submission_id);
  if (confirmed != NULL && json_object_has_member (json_node_get_object (confirmed), "receipt"))
    {
      /* The receipt is kept in the same transaction as the delivery. */
      outcome->keep_value = json_to_string (json_object_get_member (json_node_get_object (confirmed), "receipt"), FALSE);
      outcome->keep_key = g_strconcat ("receipt/", submission_id, NULL);
      outcome->kind = OUTCOME_DELIVERED;
    }
  else if (answer.status == SOUP_STATUS_CONFLICT && problem_type_is (&answer, "idempotency-in-flight"))
    {
      /* Our own earlier attempt is still being processed: ask again soon. */
      outcome->kind = OUTCOME_DEFER;
      outcome->retry_after = 2;
      outcome->message = g_strdup (_("The platform is still processing the first attempt."));
    }
  else
    classify_failure (&answer, g_get_real_time () / G_USEC_PER_SEC, outcome);
  answer_clear (&answer);
}

static void
send_message (Round        *round,
              SbOutboxItem *item,
              Outcome      *outcome)
{
  SbSyncEngine *self = round->self;
  const char *message_id = sb_outbox_item_get_entity_id (item);
  g_autofree char *submission_id = sb_store_message_submission_id (self->store, message_id);
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(SbMessage) message = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) confirmed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  Answer answer;

  messages = submission_id != NULL ? sb_store_list_messages (self->store, submission_id, &error) : NULL;
  for (guint i = 0; messages != NULL && i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(SbMessage) candidate = g_list_model_get_item (messages, i);

      if (g_str_equal (sb_message_get_id (candidate), message_id))
        message = g_steal_pointer (&candidate);
    }
  if (message == NULL)
    {
      outcome->kind = OUTCOME_QUARANTINE;
      outcome->message = g_strdup (_("This answer cannot be read here any more."));
      return;
    }

  json_builder_begin_object (builder);
  set_if (builder, "text", sb_message_get_body (message));
  if (sb_message_get_attachments (message) != NULL)
    {
      const char * const *wanted = sb_message_get_attachments (message);
      g_autoptr(GListModel) documents = sb_store_list_documents (self->store, submission_id, &error);

      /* Each scan first, completely (tus), then the message naming them. */
      json_builder_set_member_name (builder, "attachments");
      json_builder_begin_array (builder);
      for (guint w = 0; wanted[w] != NULL; w++)
        {
          g_autoptr(SbDocument) document = NULL;
          g_autofree char *upload_id = NULL;
          g_autofree char *sha256 = NULL;

          for (guint i = 0; documents != NULL && i < g_list_model_get_n_items (documents) && document == NULL; i++)
            {
              g_autoptr(SbDocument) candidate = g_list_model_get_item (documents, i);

              if (g_str_equal (sb_document_get_id (candidate), wanted[w]))
                document = g_steal_pointer (&candidate);
            }
          if (document == NULL || sb_document_get_pdf_blob_id (document) == NULL)
            {
              outcome->kind = OUTCOME_QUARANTINE;
              outcome->message = g_strdup (_("A document of this answer is no longer kept here. Write the answer "
                                             "again with the document scanned anew."));
              return;
            }
          if (!upload_document (round, item, document, &upload_id, &sha256, outcome))
            return;
          json_builder_begin_object (builder);
          set_if (builder, "upload", upload_id);
          set_if (builder, "sha256", sha256);
          set_if (builder, "title", sb_document_get_title (document));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  path = g_strdup_printf ("/v1/submissions/%s/messages/%s", submission_id, message_id);
  if (!put_json (round, path, body, NULL, &answer, &error))
    {
      transport_failure (error, outcome);
      return;
    }
  confirmed = confirmation (&answer, message_id);
  if (confirmed != NULL)
    outcome->kind = OUTCOME_DELIVERED;
  else
    classify_failure (&answer, g_get_real_time () / G_USEC_PER_SEC, outcome);
  answer_clear (&answer);
}

/* Pulls: what changed on the platform comes to the desk */

#define EVENTS_CURSOR "events-cursor"

static JsonNode *
get_json (Round       *round,
          const char  *path,
          guint       *status,
          GError     **error)
{
  g_autofree char *url = g_strconcat (round->self->url, path, NULL);
  Answer answer;
  JsonNode *json;

  if (!http (round, "GET", url, NULL, NULL, NULL, &answer, error))
    return NULL;
  *status = answer.status;
  json = answer.status == SOUP_STATUS_OK ? answer_json (&answer) : NULL;
  answer_clear (&answer);
  return json;
}

static gboolean
pull_message (Round       *round,
              const char  *submission_id,
              const char  *message_id,
              const char  *cursor,
              GError     **error)
{
  g_autofree char *path = g_strdup_printf ("/v1/submissions/%s/messages", submission_id);
  guint status = 0;
  g_autoptr(JsonNode) json = get_json (round, path, &status, error);
  JsonArray *messages;

  if (json == NULL)
    return FALSE;
  messages = json_object_get_array_member (json_node_get_object (json), "messages");
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *object = json_array_get_object_element (messages, i);
      g_autoptr(SbMessage) message = NULL;
      g_autoptr(GDateTime) created = NULL;

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "id", NULL), message_id) != 0)
        continue;
      message = sb_message_new ();
      created = g_date_time_new_from_iso8601 (json_object_get_string_member_with_default (object, "created", ""), NULL);
      sb_message_set_id (message, message_id);
      sb_message_set_submission_id (message, submission_id);
      sb_message_set_body (message, json_object_get_string_member_with_default (object, "text", ""));
      sb_message_set_created_at (message, created != NULL ? g_date_time_to_unix (created) : g_get_real_time () / G_USEC_PER_SEC);
      return sb_store_receive_message (round->self->store, message, EVENTS_CURSOR, cursor, error);
    }
  return sb_store_set_sync_value (round->self->store, EVENTS_CURSOR, cursor, error);
}

static gboolean
pull_decision (Round       *round,
               const char  *submission_id,
               const char  *cursor,
               GError     **error)
{
  g_autofree char *path = g_strdup_printf ("/v1/submissions/%s/decision", submission_id);
  guint status = 0;
  g_autoptr(JsonNode) json = get_json (round, path, &status, error);
  g_autoptr(SbDecision) decision = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sha256 = NULL;
  Answer answer;
  JsonObject *object;

  if (json == NULL)
    return FALSE;
  object = json_node_get_object (json);
  url = g_strconcat (round->self->url, json_object_get_string_member_with_default (object, "document", ""), NULL);
  if (!http (round, "GET", url, NULL, NULL, NULL, &answer, error))
    return FALSE;
  if (answer.status != SOUP_STATUS_OK || g_strcmp0 (answer.content_type, "application/pdf") != 0)
    {
      answer_clear (&answer);
      g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_UNREACHABLE, _("The decision's PDF did not come."));
      return FALSE;
    }
  /* The PDF the platform announced, byte for byte. */
  sha256 = sb_sha256_hex (g_bytes_get_data (answer.body, NULL), g_bytes_get_size (answer.body));
  if (g_strcmp0 (sha256, json_object_get_string_member_with_default (object, "sha256", "")) != 0)
    {
      answer_clear (&answer);
      g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_UNREACHABLE, _("The decision's PDF arrived damaged."));
      return FALSE;
    }
  decision = sb_decision_new ();
  id = g_uuid_string_random ();
  sb_decision_set_id (decision, id);
  sb_decision_set_submission_id (decision, submission_id);
  /* Its title says what was decided: what the clerk tells the citizen first. */
  sb_decision_set_title (decision, g_str_equal (json_object_get_string_member_with_default (object, "outcome", ""),
                                                "accepted")
                                     ? _("Decision: granted") : _("Decision: refused"));
  if (!sb_store_receive_decision (round->self->store, decision, answer.body, EVENTS_CURSOR, cursor, error))
    {
      answer_clear (&answer);
      return FALSE;
    }
  answer_clear (&answer);
  return TRUE;
}

/* The event feed after the cursor kept with the last change it brought. */
static gboolean
pull_events (Round   *round,
             GError **error)
{
  SbSyncEngine *self = round->self;

  for (guint page = 0; page < 100; page++)
    {
      g_autofree char *cursor = sb_store_get_sync_value (self->store, EVENTS_CURSOR);
      g_autofree char *path = g_strdup_printf ("/v1/events?after=%s", cursor != NULL ? cursor : "0");
      guint status = 0;
      g_autoptr(JsonNode) json = get_json (round, path, &status, error);
      JsonArray *events;

      if (json == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, SB_SYNC_ERROR, status == SOUP_STATUS_UNAUTHORIZED ? SB_SYNC_ERROR_SIGNED_OUT
                                                                                  : SB_SYNC_ERROR_UNREACHABLE,
                         _("The platform's changes could not be fetched (%u)."), status);
          return FALSE;
        }
      events = json_object_get_array_member (json_node_get_object (json), "events");
      if (events == NULL || json_array_get_length (events) == 0)
        return TRUE;

      {
        /* Status changes (and events not ours) go in batches, each with the
         * cursor after it; a question or a decision is fetched on its own. */
        g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_status_change_free);
        g_autofree char *batch_cursor = NULL;

        for (guint i = 0; i < json_array_get_length (events); i++)
          {
            JsonObject *event = json_array_get_object_element (events, i);
            const char *type = json_object_get_string_member_with_default (event, "type", "");
            const char *submission_id = json_object_get_string_member_with_default (event, "submission", "");
            g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                     json_object_get_int_member_with_default (event, "cursor", 0));
            gboolean mine = sb_store_has_submission (self->store, submission_id);
            gboolean fetch = mine && ((g_str_equal (type, "message.created") &&
                                       g_strcmp0 (json_object_get_string_member_with_default (event, "direction", ""),
                                                  "to-applicant") == 0) ||
                                      g_str_equal (type, "decision.issued"));
            gboolean ok = TRUE;

            if (!fetch)
              {
                if (mine && g_str_equal (type, "submission.status"))
                  {
                    g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (
                      json_object_get_string_member_with_default (event, "at", ""), NULL);

                    g_ptr_array_add (batch, sb_status_change_new (
                                              submission_id, json_object_get_string_member_with_default (event, "status", ""),
                                              at != NULL ? g_date_time_to_unix (at) : g_get_real_time () / G_USEC_PER_SEC,
                                              json_object_get_int_member_with_default (event, "cursor", 0)));
                  }
                g_free (batch_cursor);
                batch_cursor = g_steal_pointer (&next);
                continue;
              }

            if (batch_cursor != NULL)
              {
                if (!sb_store_apply_platform_statuses (self->store, batch, EVENTS_CURSOR, batch_cursor, error))
                  return FALSE;
                g_ptr_array_set_size (batch, 0);
                g_clear_pointer (&batch_cursor, g_free);
              }
            if (g_str_equal (type, "decision.issued"))
              ok = pull_decision (round, submission_id, next, error);
            else
              ok = pull_message (round, submission_id, json_object_get_string_member_with_default (event, "message", ""),
                                 next, error);
            if (!ok)
              return FALSE;
          }
        if (batch_cursor != NULL &&
            !sb_store_apply_platform_statuses (self->store, batch, EVENTS_CURSOR, batch_cursor, error))
          return FALSE;
      }
    }
  return TRUE;
}

/* The service catalogue, fetched again only when its ETag changed. */
static gboolean
pull_catalogue (Round   *round,
                GError **error)
{
  SbSyncEngine *self = round->self;
  g_autofree char *etag = sb_store_get_sync_value (self->store, "catalogue-etag");
  g_autofree char *url = g_strconcat (self->url, "/v1/services", NULL);
  const char *headers[] = { "If-None-Match", etag, NULL };
  Answer answer;
  g_autoptr(JsonNode) json = NULL;
  JsonArray *services;

  if (!http (round, "GET", url, NULL, NULL, etag != NULL ? headers : NULL, &answer, error))
    return FALSE;
  if (answer.status == SOUP_STATUS_NOT_MODIFIED)
    {
      answer_clear (&answer);
      return TRUE;
    }
  json = answer_json (&answer);
  if (answer.status != SOUP_STATUS_OK || json == NULL)
    {
      answer_clear (&answer);
      return TRUE; /* nothing to keep; the old catalogue stays */
    }
  services = json_object_get_array_member (json_node_get_object (json), "services");
  for (guint i = 0; services != NULL && i < json_array_get_length (services); i++)
    {
      const char *id = json_object_get_string_member_with_default (json_array_get_object_element (services, i), "id", "");
      g_autofree char *path = g_strconcat ("/v1/services/", id, NULL);
      g_autofree char *key = g_strconcat ("service/", id, NULL);
      guint status = 0;
      g_autoptr(JsonNode) service = get_json (round, path, &status, error);
      g_autofree char *text = NULL;

      if (service == NULL)
        {
          answer_clear (&answer);
          return FALSE;
        }
      text = json_to_string (service, FALSE);
      if (!sb_store_set_sync_value (self->store, key, text, error))
        {
          answer_clear (&answer);
          return FALSE;
        }
    }
  {
    g_autofree char *text = json_to_string (json, FALSE);

    /* The ETag last: an interrupted fetch is done again next time. */
    if (!sb_store_set_sync_value (self->store, "catalogue", text, error) ||
        (answer.etag != NULL && !sb_store_set_sync_value (self->store, "catalogue-etag", answer.etag, error)))
      {
        answer_clear (&answer);
        return FALSE;
      }
  }
  answer_clear (&answer);
  return TRUE;
}

/* The round */

static gint64
wait_seconds (SbSyncEngine *self,
              SbOutboxItem *item,
              Outcome      *outcome)
{
  gint64 seconds;

  if (outcome->retry_after >= 0)
    return MIN (MAX (outcome->retry_after, 1), self->max_backoff);
  g_mutex_lock (&self->lock);
  seconds = sb_sync_backoff_seconds (sb_outbox_item_get_attempts (item), self->rand);
  g_mutex_unlock (&self->lock);
  return MIN (seconds, self->max_backoff);
}

/**
 * sb_sync_engine_drain_sync:
 *
 * Sends what is due in the outbox until nothing is, the platform cannot
 * be reached, or it wants a sign-in. For a worker thread: it blocks.
 *
 * Returns: %FALSE only when the store itself fails
 */
gboolean
sb_sync_engine_drain_sync (SbSyncEngine  *self,
                           SbSyncReport  *report,
                           GCancellable  *cancellable,
                           GError       **error)
{
  Round round = { self, NULL, cancellable, NULL, FALSE, FALSE, NULL, NULL, NULL, NULL, NULL, 0 };
  gboolean ok = TRUE;
  gboolean refreshed = FALSE;
  gboolean make_due;

  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), FALSE);

  memset (report, 0, sizeof *report);
  round.session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 30,
                                                 "user-agent", "Servicebuero/" PACKAGE_VERSION, NULL);
  g_mutex_lock (&self->lock);
  round.token = g_strdup (self->access_token);
  make_due = self->make_due;
  self->make_due = FALSE;
  g_mutex_unlock (&self->lock);
  if (make_due && !sb_store_outbox_make_due (self->store, error))
    ok = FALSE;

  while (ok && !g_cancellable_is_cancelled (cancellable))
    {
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;
      g_autoptr(SbOutboxItem) item = sb_store_next_outbox_item (self->store, now, error);
      const char *kind;
      Outcome outcome = { OUTCOME_DEFER, -1, NULL, NULL, NULL, NULL };

      if (item == NULL)
        {
          ok = error == NULL || *error == NULL;
          break;
        }

      kind = sb_outbox_item_get_kind (item);
      if (g_str_equal (kind, "account.create"))
        send_account (&round, item, &outcome);
      else if (g_str_equal (kind, "submission.submit"))
        {
          prefetch_advance (&round, item);
          send_submission (&round, item, &outcome);
        }
      else if (g_str_equal (kind, "message.send"))
        send_message (&round, item, &outcome);
      else
        {
          outcome.kind = OUTCOME_QUARANTINE;
          outcome.message = g_strdup_printf (_("This version of the app does not know how to send “%s”."), kind);
        }

      switch (outcome.kind)
        {
        case OUTCOME_DELIVERED:
          ok = sb_store_mark_delivered_with (self->store, sb_outbox_item_get_id (item), outcome.keep_key,
                                             outcome.keep_value, error);
          report->delivered++;
          break;
        case OUTCOME_QUARANTINE:
          ok = sb_store_outbox_quarantine (self->store, sb_outbox_item_get_id (item), outcome.message,
                                           outcome.problem, error);
          report->quarantined++;
          break;
        case OUTCOME_SIGNED_OUT:
          /* An expired access token: renew it silently once, then the same item again. */
          if (!refreshed && refresh_tokens (&round))
            {
              refreshed = TRUE;
              outcome_clear (&outcome);
              continue;
            }
          report->signed_out = TRUE;
          break;
        case OUTCOME_UNREACHABLE:
        case OUTCOME_DEFER:
        default:
          ok = sb_store_outbox_defer (self->store, sb_outbox_item_get_id (item), now + wait_seconds (self, item, &outcome),
                                      outcome.message, error);
          report->deferred++;
          break;
        }
      outcome_clear (&outcome);
      /* Without a connection the next items would fail the same way. */
      if (outcome.kind == OUTCOME_UNREACHABLE)
        report->unreachable = TRUE;
      if (!ok || report->signed_out || outcome.kind == OUTCOME_UNREACHABLE)
        break;
    }

  /* Then what changed on the platform: the catalogue, statuses, questions, decisions. */
  if (ok && !report->signed_out && !report->unreachable && !g_cancellable_is_cancelled (cancellable))
    {
      g_autoptr(GError) pull_error = NULL;

      if (!pull_catalogue (&round, &pull_error) || !pull_events (&round, &pull_error))
        {
          if (g_error_matches (pull_error, SB_SYNC_ERROR, SB_SYNC_ERROR_SIGNED_OUT))
            report->signed_out = TRUE;
          else if (pull_error != NULL && pull_error->domain != SB_STORE_ERROR)
            report->unreachable = TRUE;
          else if (pull_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&pull_error));
              ok = FALSE;
            }
        }
    }

  prefetch_stop (&round);
  report->next_attempt_in = sb_store_next_outbox_attempt (self->store, g_get_real_time () / G_USEC_PER_SEC);
  sb_store_count_outbox (self->store, &report->waiting, &report->needs_attention);
  g_free (round.token);
  g_object_unref (round.session);
  return ok;
}

static void
drain_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SbSyncReport *report = g_new0 (SbSyncReport, 1);
  GError *error = NULL;

  if (sb_sync_engine_drain_sync (source_object, report, cancellable, &error))
    g_task_return_pointer (task, report, g_free);
  else
    {
      g_free (report);
      g_task_return_error (task, error);
    }
}

void
sb_sync_engine_drain_async (SbSyncEngine        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sb_sync_engine_drain_async);
  g_task_run_in_thread (task, drain_thread);
}

gboolean
sb_sync_engine_drain_finish (SbSyncEngine  *self,
                             GAsyncResult  *result,
                             SbSyncReport  *report,
                             GError       **error)
{
  g_autofree SbSyncReport *done = g_task_propagate_pointer (G_TASK (result), error);

  if (done == NULL)
    return FALSE;
  *report = *done;
  return TRUE;
}
