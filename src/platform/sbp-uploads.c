/* sbp-uploads.c: documents arrive over tus 1.0.0
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core protocol with the creation, checksum (sha1, sha256), expiration and
 * termination extensions (https://tus.io/protocols/resumable-upload). An
 * upload belongs to the office of the staff member who created it. Each
 * PATCH is written and flushed before its new offset is confirmed, so a
 * client resumes from the offset HEAD reports after any interruption.
 */
#include "sbp-private.h"
#include "sb-digest.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define TUS_VERSION "1.0.0"

char *
sbp_upload_path (SbpServer  *self,
                 const char *id)
{
  return g_build_filename (self->uploads_dir, id, NULL);
}

static void
tus_headers (SbpRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);

  soup_message_headers_replace (headers, "Tus-Resumable", TUS_VERSION);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
}

static char *
http_date (gint64 unix_time)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (when, "%a, %d %b %Y %H:%M:%S GMT");
}

static gboolean
id_is_valid (const char *id)
{
  gsize length = strlen (id);

  return length >= 10 && length <= 64 &&
         strspn (id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == length;
}

/* Upload-Metadata: comma-separated "key base64value" pairs (value optional). */
static gboolean
metadata_is_valid (const char *metadata)
{
  g_auto(GStrv) pairs = NULL;

  if (metadata == NULL || metadata[0] == '\0')
    return TRUE;
  if (strlen (metadata) > 4096)
    return FALSE;
  pairs = g_strsplit (metadata, ",", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (g_strstrip (pairs[i]), " ", -1);
      guint n = g_strv_length (fields);

      if (n < 1 || n > 2 || fields[0][0] == '\0')
        return FALSE;
      if (n == 2 && strspn (fields[1], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != strlen (fields[1]))
        return FALSE;
    }
  return TRUE;
}

/* The value of one key of Upload-Metadata, decoded; NULL if absent. */
char *
sbp_upload_metadata_get (const char *metadata,
                         const char *key)
{
  g_auto(GStrv) pairs = metadata != NULL ? g_strsplit (metadata, ",", -1) : NULL;

  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (g_strstrip (pairs[i]), " ", 2);

      if (g_strcmp0 (fields[0], key) == 0)
        {
          gsize length = 0;
          g_autofree guchar *value = fields[1] != NULL ? g_base64_decode (fields[1], &length) : NULL;

          return value != NULL ? g_strndup ((const char *)value, length) : g_strdup ("");
        }
    }
  return NULL;
}

static void
handle_options (SbpRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);
  g_autofree char *max = g_strdup_printf ("%d", SBP_MAX_UPLOAD);

  tus_headers (request);
  soup_message_headers_replace (headers, "Tus-Version", TUS_VERSION);
  soup_message_headers_replace (headers, "Tus-Extension", "creation,creation-with-upload,checksum,expiration,termination");
  soup_message_headers_replace (headers, "Tus-Max-Size", max);
  soup_message_headers_replace (headers, "Tus-Checksum-Algorithm", "sha1,sha256");
  sbp_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}

typedef enum
{
  UPLOAD_FOUND,
  UPLOAD_MISSING,
  UPLOAD_EXPIRED,
  UPLOAD_OTHER_OFFICE,
} UploadLookup;

typedef struct
{
  gint64 length;
  gint64 offset;
  gint64 expires;
  char  *metadata;
} Upload;

static UploadLookup
lookup (SbpRequest *request,
        const char *id,
        Upload     *upload)
{
  g_autoptr(sqlite3_stmt) stmt = sbp_db_prepare (request->server->db,
                                                 "SELECT length, offset, expires, metadata, office, submission_id FROM uploads WHERE id = ?",
                                                 "s", id);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return UPLOAD_MISSING;
  upload->length = sqlite3_column_int64 (stmt, 0);
  upload->offset = sqlite3_column_int64 (stmt, 1);
  upload->expires = sqlite3_column_int64 (stmt, 2);
  upload->metadata = g_strdup (sbp_db_column_text (stmt, 3));
  if (!g_str_equal (sbp_db_column_text (stmt, 4), request->staff->office))
    return UPLOAD_OTHER_OFFICE;
  if (sqlite3_column_type (stmt, 5) == SQLITE_NULL && upload->expires < g_get_real_time () / G_USEC_PER_SEC)
    return UPLOAD_EXPIRED;
  return UPLOAD_FOUND;
}

static gboolean
respond_lookup_problem (SbpRequest  *request,
                        UploadLookup result)
{
  switch (result)
    {
    case UPLOAD_MISSING:
      sbp_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", "No such upload",
                           "The upload does not exist or was terminated. Start a new upload.", NULL);
      return TRUE;
    case UPLOAD_EXPIRED:
      sbp_respond_problem (request, SOUP_STATUS_GONE, "upload-expired", "Upload expired",
                           "Unfinished uploads are kept for 24 hours. Start a new upload.", NULL);
      return TRUE;
    case UPLOAD_OTHER_OFFICE:
      sbp_respond_problem (request, SOUP_STATUS_FORBIDDEN, "forbidden", "Not your office's upload",
                           "This upload belongs to another office.", NULL);
      return TRUE;
    case UPLOAD_FOUND:
    default:
      return FALSE;
    }
}

static gboolean
checksum_matches (SbpRequest *request,
                  const char *header,
                  const void *data,
                  gsize       length,
                  gboolean   *supported,
                  char      **sha256_hex)
{
  g_auto(GStrv) fields = g_strsplit (header, " ", 2);
  GChecksumType type;
  g_autoptr(GChecksum) checksum = NULL;
  guchar digest[32];
  gsize digest_length = sizeof digest;
  gsize expected_length = 0;
  g_autofree guchar *expected = NULL;

  *supported = TRUE;
  if (g_strv_length (fields) != 2)
    return (*supported = FALSE);
  if (g_str_equal (fields[0], "sha1"))
    type = G_CHECKSUM_SHA1;
  else if (g_str_equal (fields[0], "sha256"))
    type = G_CHECKSUM_SHA256;
  else
    return (*supported = FALSE);

  if (type == G_CHECKSUM_SHA256)
    {
      /* Once: the chunk's digest is, in hex, the upload's when it is all of it. */
      sb_sha256_digest (data, length, digest);
      if (sha256_hex != NULL)
        *sha256_hex = sb_sha256_digest_to_hex (digest);
    }
  else
    {
      checksum = g_checksum_new (type);
      g_checksum_update (checksum, data, length);
      g_checksum_get_digest (checksum, digest, &digest_length);
    }
  expected = g_base64_decode (fields[1], &expected_length);
  return expected_length == digest_length && memcmp (expected, digest, digest_length) == 0;
}

/* The SHA-256 of an upload so far, updated as each PATCH is written: the
 * hash of a finished upload is known without reading it again. Lost when
 * the platform restarts; then the file is read once at the end. */
typedef struct
{
  gint64    offset;
  SbSha256 *checksum;
} SbpUploadHash;

void
sbp_upload_hash_free (gpointer data)
{
  SbpUploadHash *hash = data;

  sb_sha256_free (hash->checksum);
  g_free (hash);
}

static char *
file_sha256 (const char *path)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);

  if (file == NULL)
    return NULL;
  return sb_sha256_hex (g_mapped_file_get_contents (file), g_mapped_file_get_length (file));
}

typedef enum
{
  APPEND_WRITTEN,
  APPEND_CHECKSUM_UNSUPPORTED,
  APPEND_CHECKSUM_MISMATCH,
  APPEND_STORAGE_FAILED,
} AppendOutcome;

/* One PATCH's data, written in a worker thread so the main loop (other
 * desks' requests, long polls) never waits for the disk. */
typedef struct
{
  SbpRequest    *request;      /* kept open while the worker runs */
  char          *id;
  char          *path;
  GBytes        *data;
  char          *checksum;     /* Upload-Checksum, or NULL */
  gint64         offset;
  gint64         length;       /* of the whole upload */
  SbpUploadHash *hash;         /* the upload's running hash, or NULL */
  AppendOutcome  outcome;
  char          *sha256;       /* of the whole upload, once complete */
} AppendJob;

static void
append_job_free (AppendJob *job)
{
  g_free (job->id);
  g_free (job->path);
  g_bytes_unref (job->data);
  g_free (job->checksum);
  g_free (job->sha256);
  g_free (job);
}

static gpointer
sync_thread (gpointer fd)
{
  return GINT_TO_POINTER (fdatasync (GPOINTER_TO_INT (fd)));
}

/* Checks, writes and flushes the data; hashes it while the disk works. */
static void
append_job_run (AppendJob *job)
{
  gsize length;
  const guchar *data = g_bytes_get_data (job->data, &length);
  gsize written = 0;
  GThread *syncer;
  int fd;

  if (job->checksum != NULL)
    {
      gboolean supported;
      g_autofree char *chunk_sha256 = NULL;

      if (!checksum_matches (NULL, job->checksum, data, length, &supported, &chunk_sha256))
        {
          job->outcome = supported ? APPEND_CHECKSUM_MISMATCH : APPEND_CHECKSUM_UNSUPPORTED;
          return;
        }
      /* The whole upload in one PATCH with a SHA-256: that is its hash. */
      if (chunk_sha256 != NULL && job->offset == 0 && (gint64)length == job->length)
        {
          job->sha256 = g_steal_pointer (&chunk_sha256);
          job->hash = NULL;
        }
    }

  fd = g_open (job->path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      job->outcome = APPEND_STORAGE_FAILED;
      return;
    }
  while (written < length)
    {
      ssize_t n = pwrite (fd, data + written, length - written, job->offset + written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          close (fd);
          job->outcome = APPEND_STORAGE_FAILED;
          return;
        }
      written += n;
    }

  syncer = g_thread_new ("sbp-fdatasync", sync_thread, GINT_TO_POINTER (fd));
  if (job->hash != NULL && job->hash->offset == job->offset)
    {
      sb_sha256_update (job->hash->checksum, data, length);
      job->hash->offset += length;
    }
  if (GPOINTER_TO_INT (g_thread_join (syncer)) != 0 || close (fd) != 0)
    {
      job->outcome = APPEND_STORAGE_FAILED;
      return;
    }

  if (job->offset + (gint64)length == job->length && job->sha256 == NULL)
    job->sha256 = job->hash != NULL && job->hash->offset == job->length
                    ? sb_sha256_peek_hex (job->hash->checksum)
                    : file_sha256 (job->path);
  job->outcome = APPEND_WRITTEN;
}

static void
append_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  append_job_run (task_data);
  g_task_return_boolean (task, TRUE);
}

/* Back on the main thread: record the new offset and answer. */
static gboolean
append_finish (AppendJob *job,
               Upload    *upload)
{
  SbpRequest *request = job->request;
  SbpServer *self = request->server;

  switch (job->outcome)
    {
    case APPEND_CHECKSUM_UNSUPPORTED:
      sbp_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "checksum-algorithm", "Checksum algorithm not supported",
                           "Use sha1 or sha256: Upload-Checksum: sha256 <base64 of the digest>.", NULL);
      return FALSE;
    case APPEND_CHECKSUM_MISMATCH:
      sbp_respond_problem (request, 460, "checksum-mismatch", "Checksum Mismatch",
                           "The data does not match Upload-Checksum; nothing was written. Send this part again.", NULL);
      return FALSE;
    case APPEND_STORAGE_FAILED:
      /* What may have reached the file beyond the offset is overwritten next time. */
      g_hash_table_remove (self->upload_hashes, job->id);
      sbp_respond_problem (request, SOUP_STATUS_INSUFFICIENT_STORAGE, "storage", "Cannot store the data",
                           "The platform could not write the upload. Try again later.", NULL);
      return FALSE;
    case APPEND_WRITTEN:
    default:
      break;
    }

  upload->offset = job->offset + g_bytes_get_size (job->data);
  sbp_db_run (self->db, "UPDATE uploads SET offset = ? WHERE id = ?", "is", upload->offset, job->id);
  if (job->sha256 != NULL)
    {
      sbp_db_run (self->db, "UPDATE uploads SET sha256 = ? WHERE id = ?", "ss", job->sha256, job->id);
      g_hash_table_remove (self->upload_hashes, job->id);
    }
  return TRUE;
}

static AppendJob *
append_job_new (SbpRequest *request,
                const char *id,
                Upload     *upload)
{
  SbpServer *self = request->server;
  AppendJob *job = g_new0 (AppendJob, 1);

  job->request = request;
  job->id = g_strdup (id);
  job->path = sbp_upload_path (self, id);
  job->data = soup_message_body_flatten (soup_server_message_get_request_body (request->msg));
  job->checksum = g_strdup (sbp_header (request, "Upload-Checksum"));
  job->offset = upload->offset;
  job->length = upload->length;
  job->hash = g_hash_table_lookup (self->upload_hashes, id);
  if (job->hash == NULL && upload->offset == 0)
    {
      job->hash = g_new0 (SbpUploadHash, 1);
      job->hash->checksum = sb_sha256_new ();
      g_hash_table_insert (self->upload_hashes, g_strdup (id), job->hash);
    }
  return job;
}

static gboolean
append_too_long (SbpRequest *request,
                 Upload     *upload)
{
  goffset length = soup_server_message_get_request_body (request->msg)->length;

  if (upload->offset + length <= upload->length)
    return FALSE;
  sbp_respond_problem (request, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "upload-too-long", "More bytes than announced",
                       "The data goes beyond the Upload-Length given when the upload was created.", NULL);
  return TRUE;
}

/* creation-with-upload: the few bytes that come with POST, written at once. */
static gboolean
append (SbpRequest *request,
        const char *id,
        Upload     *upload)
{
  AppendJob *job;
  gboolean ok;

  if (append_too_long (request, upload))
    return FALSE;
  job = append_job_new (request, id, upload);
  append_job_run (job);
  ok = append_finish (job, upload);
  append_job_free (job);
  return ok;
}

static void set_offset_headers (SbpRequest *request, Upload *upload);

typedef struct
{
  AppendJob *job;
  Upload     upload;
} PatchState;

static void
on_patch_written (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PatchState *state = user_data;
  AppendJob *job = state->job;
  SbpRequest *request = job->request;

  g_hash_table_remove (request->server->uploads_busy, job->id);
  if (append_finish (job, &state->upload))
    {
      set_offset_headers (request, &state->upload);
      sbp_respond_empty (request, SOUP_STATUS_NO_CONTENT);
    }
  sbp_request_release (request, TRUE);
  g_free (state->upload.metadata);
  append_job_free (job);
  g_free (state);
}

/* PATCH: one writer per upload at a time; the data goes to disk off the
 * main loop and the answer follows once it is there. */
static void
patch_upload (SbpRequest *request,
              const char *id,
              Upload     *upload)
{
  SbpServer *self = request->server;
  PatchState *state;
  g_autoptr(GTask) task = NULL;

  if (append_too_long (request, upload))
    return;
  if (g_hash_table_contains (self->uploads_busy, id))
    {
      set_offset_headers (request, upload);
      sbp_respond_problem (request, SOUP_STATUS_CONFLICT, "upload-busy", "Another PATCH is being written",
                           "Wait for the PATCH in progress, then ask with HEAD where the upload stands.", NULL);
      return;
    }

  state = g_new0 (PatchState, 1);
  state->upload = *upload;
  state->upload.metadata = g_strdup (upload->metadata);
  g_hash_table_add (self->uploads_busy, g_strdup (id));
  state->job = append_job_new (request, id, upload);
  state->job->request = sbp_request_keep (request);

  task = g_task_new (NULL, NULL, on_patch_written, state);
  g_task_set_task_data (task, state->job, NULL);
  g_task_run_in_thread (task, append_worker);
}

static void
set_offset_headers (SbpRequest *request,
                    Upload     *upload)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);
  g_autofree char *offset = g_strdup_printf ("%" G_GINT64_FORMAT, upload->offset);
  g_autofree char *expires = http_date (upload->expires);

  soup_message_headers_replace (headers, "Upload-Offset", offset);
  if (upload->offset < upload->length)
    soup_message_headers_replace (headers, "Upload-Expires", expires);
}

static void
create_upload (SbpRequest *request)
{
  SbpServer *self = request->server;
  const char *length_text = sbp_header (request, "Upload-Length");
  const char *metadata = sbp_header (request, "Upload-Metadata");
  const char *content_type = sbp_header (request, "Content-Type");
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *location = NULL;
  g_autofree char *now = sbp_now_iso8601 ();
  char *end = NULL;
  gint64 length;
  Upload upload = { 0 };
  int fd;

  if (sbp_header (request, "Upload-Defer-Length") != NULL)
    return sbp_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "defer-length", "Length needed",
                                "This server needs Upload-Length when the upload is created.", NULL);
  length = length_text != NULL ? g_ascii_strtoll (length_text, &end, 10) : -1;
  if (length_text == NULL || *end != '\0' || length < 0)
    return sbp_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "upload-length", "Upload-Length missing",
                                "Send Upload-Length: the size of the whole document in bytes.", NULL);
  if (length > SBP_MAX_UPLOAD)
    return sbp_respond_problem (request, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "upload-too-large", "Document too large",
                                "A document may be at most 64 MiB. Scan it at a lower resolution or split it.", NULL);
  if (!metadata_is_valid (metadata))
    return sbp_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "upload-metadata", "Upload-Metadata unreadable",
                                "Send Upload-Metadata as comma-separated pairs of a key and a base64 value.", NULL);

  id = sbp_random_token (18);
  path = sbp_upload_path (self, id);
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return sbp_respond_problem (request, SOUP_STATUS_INSUFFICIENT_STORAGE, "storage", "Cannot store the upload",
                                "The platform could not create the upload. Try again later.", NULL);
  close (fd);

  upload.length = length;
  upload.expires = g_get_real_time () / G_USEC_PER_SEC + self->upload_lifetime;
  upload.offset = 0;
  sbp_db_run (self->db, "INSERT INTO uploads (id, staff_id, office, length, metadata, expires, created) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)", "sssisis", id, request->staff->id, request->staff->office, length,
              metadata != NULL ? metadata : "", upload.expires, now);
  if (length == 0)
    {
      g_autofree char *empty = sbp_sha256_hex ("", 0);

      sbp_db_run (self->db, "UPDATE uploads SET sha256 = ? WHERE id = ?", "ss", empty, id);
    }

  /* creation-with-upload: the first bytes may come along. */
  if (content_type != NULL && g_str_equal (content_type, "application/offset+octet-stream") &&
      soup_server_message_get_request_body (request->msg)->length > 0 && !append (request, id, &upload))
    return;

  location = g_strconcat (self->url != NULL ? self->url : "", "/v1/uploads/", id, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Location", location);
  set_offset_headers (request, &upload);
  sbp_respond_empty (request, SOUP_STATUS_CREATED);
}

void
sbp_handle_uploads (SbpRequest *request)
{
  SbpServer *self = request->server;
  const char *tus = sbp_header (request, "Tus-Resumable");
  const char *id = request->n_segments == 3 ? request->segments[2] : NULL;
  Upload upload = { 0 };
  UploadLookup found;

  tus_headers (request);
  if (g_str_equal (request->method, "OPTIONS"))
    return handle_options (request);

  if (g_strcmp0 (tus, TUS_VERSION) != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Tus-Version", TUS_VERSION);
      return sbp_respond_problem (request, SOUP_STATUS_PRECONDITION_FAILED, "tus-version", "tus version not supported",
                                  "Send Tus-Resumable: 1.0.0.", NULL);
    }

  if (request->n_segments == 2)
    {
      if (g_str_equal (request->method, "POST"))
        return create_upload (request);
      return sbp_respond_problem (request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
                                  "POST creates an upload.", NULL);
    }

  if (id == NULL || !id_is_valid (id))
    return sbp_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", "No such upload", NULL, NULL);

  found = lookup (request, id, &upload);
  if (respond_lookup_problem (request, found))
    {
      g_free (upload.metadata);
      return;
    }

  if (g_str_equal (request->method, "HEAD"))
    {
      g_autofree char *length = g_strdup_printf ("%" G_GINT64_FORMAT, upload.length);

      soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Upload-Length", length);
      if (upload.metadata[0] != '\0')
        soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Upload-Metadata",
                                      upload.metadata);
      set_offset_headers (request, &upload);
      sbp_respond_empty (request, SOUP_STATUS_OK);
    }
  else if (g_str_equal (request->method, "PATCH"))
    {
      const char *content_type = sbp_header (request, "Content-Type");
      const char *offset_text = sbp_header (request, "Upload-Offset");
      char *end = NULL;
      gint64 offset = offset_text != NULL ? g_ascii_strtoll (offset_text, &end, 10) : -1;

      if (g_strcmp0 (content_type, "application/offset+octet-stream") != 0)
        sbp_respond_problem (request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Wrong content type",
                             "Send the data as application/offset+octet-stream.", NULL);
      else if (offset_text == NULL || *end != '\0' || offset < 0)
        sbp_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "upload-offset", "Upload-Offset missing",
                             "Send Upload-Offset: where this data starts.", NULL);
      else if (offset != upload.offset)
        {
          set_offset_headers (request, &upload);
          sbp_respond_problem (request, SOUP_STATUS_CONFLICT, "offset-mismatch", "Offset does not match",
                               "Ask with HEAD where the upload stands and go on from there.", NULL);
        }
      else
        patch_upload (request, id, &upload);
    }
  else if (g_str_equal (request->method, "DELETE"))
    {
      g_autofree char *path = sbp_upload_path (self, id);

      if (sbp_db_int (self->db, "SELECT count(*) FROM uploads WHERE id = ? AND submission_id IS NOT NULL", "s", id) > 0)
        sbp_respond_problem (request, SOUP_STATUS_CONFLICT, "upload-in-use", "Upload is part of a submission",
                             "A document that was submitted stays with its submission.", NULL);
      else if (g_hash_table_contains (self->uploads_busy, id))
        sbp_respond_problem (request, SOUP_STATUS_CONFLICT, "upload-busy", "A PATCH is being written",
                             "Terminate the upload once the PATCH in progress is answered.", NULL);
      else
        {
          sbp_db_run (self->db, "DELETE FROM uploads WHERE id = ?", "s", id);
          g_hash_table_remove (self->upload_hashes, id);
          g_remove (path);
          sbp_respond_empty (request, SOUP_STATUS_NO_CONTENT);
        }
    }
  else
    sbp_respond_problem (request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", NULL, NULL);

  g_free (upload.metadata);
}

/* Unfinished uploads past their time, and their files, go. */
void
sbp_uploads_expire (SbpServer *self)
{
  g_autoptr(sqlite3_stmt) stmt = sbp_db_prepare (self->db, "SELECT id FROM uploads WHERE expires < ? AND submission_id IS NULL", "i",
                                                 g_get_real_time () / G_USEC_PER_SEC);
  g_autoptr(GPtrArray) expired = g_ptr_array_new_with_free_func (g_free);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (expired, g_strdup (sbp_db_column_text (stmt, 0)));
  for (guint i = 0; i < expired->len; i++)
    {
      g_autofree char *path = sbp_upload_path (self, g_ptr_array_index (expired, i));

      if (g_hash_table_contains (self->uploads_busy, g_ptr_array_index (expired, i)))
        continue;
      sbp_db_run (self->db, "DELETE FROM uploads WHERE id = ?", "s", (const char *)g_ptr_array_index (expired, i));
      g_hash_table_remove (self->upload_hashes, g_ptr_array_index (expired, i));
      g_remove (path);
    }
}
