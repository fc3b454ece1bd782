/* sb-store-submissions.c — submissions, their documents, pages, messages
 * and decisions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sb-store-private.h"

#define SUBMISSION_COLUMNS \
  "id, citizen_id, service_id, state, representation, created_at, updated_at, delivered_at, sealed"

static SbSubmission *
submission_from_row (SbStore       *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  const char *id = (const char *)sqlite3_column_text (stmt, 0);
  GObject *object = sb_store_unseal_object (self, SB_TYPE_SUBMISSION, "submissions", id,
                                            sqlite3_column_blob (stmt, 8),
                                            sqlite3_column_bytes (stmt, 8), error);
  SbSubmission *submission;

  if (object == NULL)
    return NULL;

  /* The columns are authoritative for what is not personal. */
  submission = SB_SUBMISSION (object);
  sb_submission_set_id (submission, id);
  sb_submission_set_citizen_id (submission, (const char *)sqlite3_column_text (stmt, 1));
  sb_submission_set_service_id (submission, (const char *)sqlite3_column_text (stmt, 2));
  sb_submission_set_state (submission, sqlite3_column_int (stmt, 3));
  sb_submission_set_representation (submission, sqlite3_column_int (stmt, 4));
  sb_submission_set_created_at (submission, sqlite3_column_int64 (stmt, 5));
  sb_submission_set_updated_at (submission, sqlite3_column_int64 (stmt, 6));
  sb_submission_set_delivered_at (submission, sqlite3_column_int64 (stmt, 7));

  return submission;
}

static gboolean
write_submission_locked (SbStore       *self,
                         SbSubmission  *submission,
                         const char    *action,
                         GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) sealed = NULL;
  const char *id = sb_submission_get_id (submission);
  gint64 now = sb_store_now ();

  if (sb_submission_get_created_at (submission) == 0)
    sb_submission_set_created_at (submission, now);
  sb_submission_set_updated_at (submission, now);

  sealed = sb_store_seal_object (self, "submissions", id, G_OBJECT (submission));
  stmt = sb_store_prepare (self,
                           "INSERT INTO submissions (" SUBMISSION_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT (id) DO UPDATE SET service_id = excluded.service_id, "
                           "state = excluded.state, representation = excluded.representation, "
                           "updated_at = excluded.updated_at, sealed = excluded.sealed", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sb_submission_get_citizen_id (submission), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, sb_submission_get_service_id (submission), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, sb_submission_get_state (submission));
  sqlite3_bind_int (stmt, 5, sb_submission_get_representation (submission));
  sqlite3_bind_int64 (stmt, 6, sb_submission_get_created_at (submission));
  sqlite3_bind_int64 (stmt, 7, now);
  if (sb_submission_get_delivered_at (submission) != 0)
    sqlite3_bind_int64 (stmt, 8, sb_submission_get_delivered_at (submission));
  else
    sqlite3_bind_null (stmt, 8);
  sqlite3_bind_blob (stmt, 9, g_bytes_get_data (sealed, NULL), (int)g_bytes_get_size (sealed), SQLITE_STATIC);

  return sb_store_step_done (self, stmt, error) &&
         sb_store_audit_locked (self, sb_submission_get_citizen_id (submission), action, id, error);
}

static gboolean
submission_state_locked (SbStore     *self,
                         const char  *id,
                         int         *state)
{
  g_autoptr(sqlite3_stmt) stmt = sb_store_prepare (self, "SELECT state FROM submissions WHERE id = ?", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;

  *state = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
check_submission (SbSubmission  *submission,
                  GError       **error)
{
  if (sb_submission_get_id (submission) == NULL || sb_submission_get_citizen_id (submission) == NULL ||
      sb_submission_get_service_id (submission) == NULL)
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID,
                           "A submission needs an id, a citizen and a service before it is saved");
      return FALSE;
    }

  return TRUE;
}

/**
 * sb_store_save_submission:
 *
 * Autosaves a draft: every edit is on disk when this returns. A submission
 * that was submitted is no draft any more and is not changed.
 */
gboolean
sb_store_save_submission (SbStore       *self,
                          SbSubmission  *submission,
                          GError       **error)
{
  int state = SB_SUBMISSION_STATE_DRAFT;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (SB_IS_SUBMISSION (submission), FALSE);

  if (!check_submission (submission, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;

  if (submission_state_locked (self, sb_submission_get_id (submission), &state) &&
      state != SB_SUBMISSION_STATE_DRAFT)
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID,
                           _("This application was already submitted and cannot be changed. To "
                             "correct it, answer the caseworker or file a new application."));
      sb_store_rollback (self);
      goto out;
    }

  sb_submission_set_state (submission, SB_SUBMISSION_STATE_DRAFT);
  if (!write_submission_locked (self, submission, "submission.change", error))
    {
      sb_store_rollback (self);
      goto out;
    }

  ok = sb_store_commit (self, error);
out:
  g_mutex_unlock (&self->lock);
  return ok;
}

void
sb_store_save_submission_async (SbStore             *self,
                                SbSubmission        *submission,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (SB_IS_STORE (self));
  g_return_if_fail (SB_IS_SUBMISSION (submission));

  sb_store_write_async (self, (SbStoreWriteFunc)sb_store_save_submission, submission,
                        sb_store_save_submission_async, cancellable, callback, user_data);
}

gboolean
sb_store_save_submission_finish (SbStore       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return sb_store_write_finish (self, result, error);
}

/**
 * sb_store_submit:
 *
 * Marks the submission as submitted and queues it in the outbox, in one
 * transaction: it is sent exactly once, whatever happens afterwards.
 */
gboolean
sb_store_submit (SbStore       *self,
                 SbSubmission  *submission,
                 GError       **error)
{
  int state = SB_SUBMISSION_STATE_DRAFT;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (SB_IS_SUBMISSION (submission), FALSE);

  if (!check_submission (submission, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;

  if (submission_state_locked (self, sb_submission_get_id (submission), &state) &&
      state != SB_SUBMISSION_STATE_DRAFT)
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID,
                           _("This application was already submitted; it is not sent twice."));
      sb_store_rollback (self);
      goto out;
    }

  sb_submission_set_state (submission, SB_SUBMISSION_STATE_QUEUED);
  if (!write_submission_locked (self, submission, "submission.submit", error) ||
      !sb_store_outbox_add_locked (self, "submission.submit", sb_submission_get_id (submission), error))
    {
      sb_submission_set_state (submission, SB_SUBMISSION_STATE_DRAFT);
      sb_store_rollback (self);
      goto out;
    }

  ok = sb_store_commit (self, error);
  if (!ok)
    sb_submission_set_state (submission, SB_SUBMISSION_STATE_DRAFT);
out:
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * sb_store_load_submission:
 *
 * Returns: (transfer full): the submission, or %NULL with @error set
 */
SbSubmission *
sb_store_load_submission (SbStore     *self,
                          const char  *submission_id,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  SbSubmission *submission = NULL;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT " SUBMISSION_COLUMNS " FROM submissions WHERE id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, submission_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        submission = submission_from_row (self, stmt, error);
      else
        g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_NOT_FOUND,
                             _("This application is not stored at this desk (any more)."));
    }
  g_mutex_unlock (&self->lock);

  return submission;
}

/**
 * sb_store_list_submissions:
 *
 * Returns: (transfer full): the citizen's submissions (#SbSubmission),
 *   newest first
 */
GListModel *
sb_store_list_submissions (SbStore     *self,
                           const char  *citizen_id,
                           GError     **error)
{
  g_autoptr(GListStore) list = g_list_store_new (SB_TYPE_SUBMISSION);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT " SUBMISSION_COLUMNS " FROM submissions WHERE citizen_id = ? "
                                 "ORDER BY created_at DESC, id", error);
  ok = stmt != NULL;
  if (ok)
    sqlite3_bind_text (stmt, 1, citizen_id, -1, SQLITE_STATIC);
  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(SbSubmission) submission = submission_from_row (self, stmt, error);

      if (submission == NULL)
        ok = FALSE;
      else
        g_list_store_append (list, submission);
    }
  g_mutex_unlock (&self->lock);

  return ok ? G_LIST_MODEL (g_steal_pointer (&list)) : NULL;
}

static char *
citizen_of_submission_locked (SbStore    *self,
                              const char *submission_id)
{
  g_autoptr(sqlite3_stmt) stmt =
    sb_store_prepare (self, "SELECT citizen_id FROM submissions WHERE id = ?", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, submission_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

static char *
citizen_of_document_locked (SbStore    *self,
                            const char *document_id)
{
  g_autoptr(sqlite3_stmt) stmt =
    sb_store_prepare (self, "SELECT s.citizen_id FROM documents d JOIN submissions s "
                            "ON s.id = d.submission_id WHERE d.id = ?", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, document_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

/* Decrypts a blob and records who opened what of which citizen. The
 * citizen is found through a submission or a document id. */
static GBytes *
open_blob_audited (SbStore     *self,
                   const char  *blob_id,
                   const char  *submission_id,
                   const char  *document_id,
                   const char  *action,
                   const char  *subject,
                   GError     **error)
{
  g_autofree char *citizen_id = NULL;
  GBytes *data = sb_vault_read_blob (self->vault, self->blob_dir, blob_id, error);

  if (data == NULL)
    return NULL;

  g_mutex_lock (&self->lock);
  citizen_id = submission_id != NULL ? citizen_of_submission_locked (self, submission_id)
                                     : citizen_of_document_locked (self, document_id);
  /* A damaged, read-only store cannot record it; what it holds is still shown. */
  if (!self->read_only && !sb_store_audit_locked (self, citizen_id, action, subject, error))
    g_clear_pointer (&data, g_bytes_unref);
  g_mutex_unlock (&self->lock);

  return data;
}

gboolean
sb_store_save_document (SbStore     *self,
                        SbDocument  *document,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *citizen_id = NULL;
  const char *id;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (SB_IS_DOCUMENT (document), FALSE);

  id = sb_document_get_id (document);
  g_return_val_if_fail (id != NULL && sb_document_get_submission_id (document) != NULL, FALSE);

  if (sb_document_get_created_at (document) == 0)
    sb_document_set_created_at (document, sb_store_now ());

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;

  sealed = sb_store_seal_object (self, "documents", id, G_OBJECT (document));
  stmt = sb_store_prepare (self, "INSERT INTO documents (id, submission_id, kind, pdf_blob_id, created_at, sealed) "
                                 "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
                                 "pdf_blob_id = excluded.pdf_blob_id, sealed = excluded.sealed", error);
  if (stmt == NULL)
    goto rollback;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sb_document_get_submission_id (document), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, sb_document_get_kind (document) ? sb_document_get_kind (document) : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, sb_document_get_pdf_blob_id (document), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, sb_document_get_created_at (document));
  sqlite3_bind_blob (stmt, 6, g_bytes_get_data (sealed, NULL), (int)g_bytes_get_size (sealed), SQLITE_STATIC);

  if (!sb_store_step_done (self, stmt, error))
    goto rollback;

  citizen_id = citizen_of_submission_locked (self, sb_document_get_submission_id (document));
  if (!sb_store_audit_locked (self, citizen_id, "document.change", id, error))
    goto rollback;

  ok = sb_store_commit (self, error);
  goto out;

rollback:
  sb_store_rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * sb_store_add_page:
 * @image: the page's image as scanned
 *
 * Encrypts @image into a blob and records the page. The blob reaches the
 * disk before the row that names it.
 */
gboolean
sb_store_add_page (SbStore     *self,
                   SbPage      *page,
                   GBytes      *image,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *blob_id = NULL;
  g_autofree char *citizen_id = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (SB_IS_PAGE (page), FALSE);
  g_return_val_if_fail (image != NULL, FALSE);

  if (!sb_store_check_writable (self, error))
    return FALSE;

  blob_id = g_uuid_string_random ();
  if (!sb_vault_write_blob (self->vault, self->blob_dir, blob_id, image, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;

  stmt = sb_store_prepare (self, "INSERT INTO pages (id, document_id, position, blob_id, rotation, settings) "
                                 "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto rollback;

  sqlite3_bind_text (stmt, 1, sb_page_get_id (page), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sb_page_get_document_id (page), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int)sb_page_get_position (page));
  sqlite3_bind_text (stmt, 4, blob_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, sb_page_get_rotation (page));
  sqlite3_bind_text (stmt, 6, sb_page_get_settings (page) ? sb_page_get_settings (page) : "{}", -1, SQLITE_STATIC);

  if (!sb_store_step_done (self, stmt, error))
    goto rollback;

  citizen_id = citizen_of_document_locked (self, sb_page_get_document_id (page));
  if (!sb_store_audit_locked (self, citizen_id, "page.add", sb_page_get_id (page), error))
    goto rollback;

  ok = sb_store_commit (self, error);
  if (ok)
    sb_page_set_blob_id (page, blob_id);
  goto out;

rollback:
  sb_store_rollback (self);
out:
  g_mutex_unlock (&self->lock);
  if (!ok)
    sb_vault_remove_blob (self->blob_dir, blob_id);
  return ok;
}

/**
 * sb_store_list_pages:
 *
 * Returns: (transfer full): the document's pages (#SbPage) in order
 */
GListModel *
sb_store_list_pages (SbStore     *self,
                     const char  *document_id,
                     GError     **error)
{
  g_autoptr(GListStore) list = g_list_store_new (SB_TYPE_PAGE);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT id, position, blob_id, rotation, settings FROM pages "
                                 "WHERE document_id = ? ORDER BY position, id", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, document_id, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autoptr(SbPage) page = sb_page_new ();

          sb_page_set_id (page, (const char *)sqlite3_column_text (stmt, 0));
          sb_page_set_document_id (page, document_id);
          sb_page_set_position (page, (guint)sqlite3_column_int (stmt, 1));
          sb_page_set_blob_id (page, (const char *)sqlite3_column_text (stmt, 2));
          sb_page_set_rotation (page, sqlite3_column_int (stmt, 3));
          sb_page_set_settings (page, (const char *)sqlite3_column_text (stmt, 4));
          g_list_store_append (list, page);
        }
    }
  g_mutex_unlock (&self->lock);

  return stmt != NULL ? G_LIST_MODEL (g_steal_pointer (&list)) : NULL;
}

/**
 * sb_store_open_page_image:
 *
 * Decrypts a page's image and records in the audit log that it was opened.
 *
 * Returns: (transfer full): the image as scanned
 */
GBytes *
sb_store_open_page_image (SbStore  *self,
                          SbPage   *page,
                          GError  **error)
{
  g_return_val_if_fail (SB_IS_STORE (self), NULL);
  g_return_val_if_fail (SB_IS_PAGE (page) && sb_page_get_blob_id (page) != NULL, NULL);

  return open_blob_audited (self, sb_page_get_blob_id (page), NULL, sb_page_get_document_id (page),
                            "page.open", sb_page_get_id (page), error);
}

/* Seals and inserts @message; a message kept already is left as it is
 * (@inserted says which). */
static gboolean
insert_message_locked (SbStore    *self,
                       SbMessage  *message,
                       gboolean   *inserted,
                       GError    **error)
{
  const char *id = sb_message_get_id (message);
  g_autoptr(GBytes) sealed = sb_store_seal_object (self, "messages", id, G_OBJECT (message));
  g_autoptr(sqlite3_stmt) stmt = sb_store_prepare (self, "INSERT OR IGNORE INTO messages "
                                                         "(id, submission_id, direction, created_at, sealed) "
                                                         "VALUES (?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sb_message_get_submission_id (message), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, sb_message_get_direction (message));
  sqlite3_bind_int64 (stmt, 4, sb_message_get_created_at (message));
  sqlite3_bind_blob (stmt, 5, g_bytes_get_data (sealed, NULL), (int)g_bytes_get_size (sealed), SQLITE_STATIC);
  if (!sb_store_step_done (self, stmt, error))
    return FALSE;
  *inserted = sqlite3_changes (self->db) > 0;
  return TRUE;
}

static gboolean
document_is_pending_answer_locked (SbStore    *self,
                                   const char *document_id)
{
  g_autoptr(sqlite3_stmt) stmt = sb_store_prepare (self, "SELECT 1 FROM documents WHERE id = ? AND kind = '"
                                                         SB_DOCUMENT_KIND_ANSWER "'", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, document_id, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* The scans an answer names are sent with it: they are no longer pending,
 * and they must all be there. */
static gboolean
mark_answer_documents_sent_locked (SbStore    *self,
                                   SbMessage  *message,
                                   GError    **error)
{
  const char * const *ids = sb_message_get_attachments (message);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (ids == NULL)
    return TRUE;
  stmt = sb_store_prepare (self, "UPDATE documents SET kind = '" SB_DOCUMENT_KIND_ANSWER_SENT "' "
                                 "WHERE id = ? AND submission_id = ? AND kind = '" SB_DOCUMENT_KIND_ANSWER "'", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, ids[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, sb_message_get_submission_id (message), -1, SQLITE_STATIC);
      if (!sb_store_step_done (self, stmt, error))
        return FALSE;
      if (sqlite3_changes (self->db) != 1)
        {
          g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID,
                               _("A document of this answer is no longer here or went with another answer. "
                                 "Scan it again, then send the answer."));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * sb_store_send_message:
 *
 * Keeps an answer to the caseworker and queues it in the outbox, in one
 * transaction.
 */
gboolean
sb_store_send_message (SbStore    *self,
                       SbMessage  *message,
                       GError    **error)
{
  g_autofree char *citizen_id = NULL;
  const char *id;
  gboolean inserted = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (SB_IS_MESSAGE (message), FALSE);

  id = sb_message_get_id (message);
  g_return_val_if_fail (id != NULL && sb_message_get_submission_id (message) != NULL, FALSE);

  sb_message_set_direction (message, SB_MESSAGE_OUTGOING);
  if (sb_message_get_created_at (message) == 0)
    sb_message_set_created_at (message, sb_store_now ());

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;

  citizen_id = citizen_of_submission_locked (self, sb_message_get_submission_id (message));
  if (!insert_message_locked (self, message, &inserted, error))
    goto rollback;
  if (!inserted)
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID, _("This answer was sent already."));
      goto rollback;
    }
  if (!mark_answer_documents_sent_locked (self, message, error) ||
      !sb_store_outbox_add_locked (self, "message.send", id, error) ||
      !sb_store_audit_locked (self, citizen_id, "message.send", id, error))
    goto rollback;

  ok = sb_store_commit (self, error);
  goto out;

rollback:
  sb_store_rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * sb_store_save_decision:
 * @pdf: the decision as the authority sent it
 */
gboolean
sb_store_save_decision (SbStore     *self,
                        SbDecision  *decision,
                        GBytes      *pdf,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *blob_id = g_uuid_string_random ();
  g_autofree char *citizen_id = NULL;
  const char *id;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (SB_IS_DECISION (decision), FALSE);

  id = sb_decision_get_id (decision);
  g_return_val_if_fail (id != NULL && sb_decision_get_submission_id (decision) != NULL, FALSE);

  if (!sb_store_check_writable (self, error) ||
      !sb_vault_write_blob (self->vault, self->blob_dir, blob_id, pdf, error))
    return FALSE;

  if (sb_decision_get_received_at (decision) == 0)
    sb_decision_set_received_at (decision, sb_store_now ());
  sb_decision_set_blob_id (decision, blob_id);

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;

  sealed = sb_store_seal_object (self, "decisions", id, G_OBJECT (decision));
  stmt = sb_store_prepare (self, "INSERT INTO decisions (id, submission_id, blob_id, received_at, sealed) "
                                 "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto rollback;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sb_decision_get_submission_id (decision), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, blob_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, sb_decision_get_received_at (decision));
  sqlite3_bind_blob (stmt, 5, g_bytes_get_data (sealed, NULL), (int)g_bytes_get_size (sealed), SQLITE_STATIC);

  citizen_id = citizen_of_submission_locked (self, sb_decision_get_submission_id (decision));
  if (!sb_store_step_done (self, stmt, error) ||
      !sb_store_audit_locked (self, citizen_id, "decision.receive", id, error))
    goto rollback;

  ok = sb_store_commit (self, error);
  goto out;

rollback:
  sb_store_rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * sb_store_open_decision:
 *
 * Returns: (transfer full): the decision's PDF; the opening is audited
 */
GBytes *
sb_store_open_decision (SbStore     *self,
                        SbDecision  *decision,
                        GError     **error)
{
  g_return_val_if_fail (SB_IS_STORE (self), NULL);
  g_return_val_if_fail (SB_IS_DECISION (decision) && sb_decision_get_blob_id (decision), NULL);

  return open_blob_audited (self, sb_decision_get_blob_id (decision), sb_decision_get_submission_id (decision),
                            NULL, "decision.open", sb_decision_get_id (decision), error);
}

/* Rows of (id, sealed, …) from @sql, unsealed as @type and completed by
 * @complete from the row's other columns. */
static GListModel *
list_sealed (SbStore       *self,
             GType          type,
             const char    *table,
             const char    *sql,
             const char    *parent_id,
             void         (*complete) (GObject *object, sqlite3_stmt *stmt),
             GError       **error)
{
  g_autoptr(GListStore) list = g_list_store_new (type);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, sql, error);
  ok = stmt != NULL;
  if (ok)
    sqlite3_bind_text (stmt, 1, parent_id, -1, SQLITE_STATIC);
  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GObject) object = sb_store_unseal_object (self, type, table,
                                                          (const char *)sqlite3_column_text (stmt, 0),
                                                          sqlite3_column_blob (stmt, 1),
                                                          sqlite3_column_bytes (stmt, 1), error);

      if (object == NULL)
        ok = FALSE;
      else
        {
          complete (object, stmt);
          g_list_store_append (list, object);
        }
    }
  g_mutex_unlock (&self->lock);

  return ok ? G_LIST_MODEL (g_steal_pointer (&list)) : NULL;
}

static void
complete_document (GObject      *object,
                   sqlite3_stmt *stmt)
{
  SbDocument *document = SB_DOCUMENT (object);

  sb_document_set_id (document, (const char *)sqlite3_column_text (stmt, 0));
  sb_document_set_kind (document, (const char *)sqlite3_column_text (stmt, 2));
  sb_document_set_pdf_blob_id (document, (const char *)sqlite3_column_text (stmt, 3));
  sb_document_set_created_at (document, sqlite3_column_int64 (stmt, 4));
}

/**
 * sb_store_remove_document:
 *
 * Takes a document out of a draft (the wrong page was scanned, the wrong
 * file chosen): its row, its pages and its file go. A submitted
 * application's documents stay as they were sent.
 */
gboolean
sb_store_remove_document (SbStore     *self,
                          SbDocument  *document,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *citizen_id = NULL;
  const char *id;
  int state = SB_SUBMISSION_STATE_DRAFT;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (SB_IS_DOCUMENT (document), FALSE);

  id = sb_document_get_id (document);
  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;
  /* A draft's documents, and scans for an answer not sent yet, can go. */
  if (submission_state_locked (self, sb_document_get_submission_id (document), &state) &&
      state != SB_SUBMISSION_STATE_DRAFT && !document_is_pending_answer_locked (self, id))
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID,
                           _("This application was already submitted; its documents stay as they were sent."));
      goto rollback;
    }
  stmt = sb_store_prepare (self, "DELETE FROM documents WHERE id = ?", error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (!sb_store_step_done (self, stmt, error))
    goto rollback;
  citizen_id = citizen_of_submission_locked (self, sb_document_get_submission_id (document));
  if (!sb_store_audit_locked (self, citizen_id, "document.remove", id, error))
    goto rollback;
  ok = sb_store_commit (self, error);
  if (ok && sb_document_get_pdf_blob_id (document) != NULL)
    sb_vault_remove_blob (self->blob_dir, sb_document_get_pdf_blob_id (document));
  goto out;

rollback:
  sb_store_rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * sb_store_list_documents:
 *
 * Returns: (transfer full): the submission's #SbDocument, oldest first
 */
GListModel *
sb_store_list_documents (SbStore     *self,
                         const char  *submission_id,
                         GError     **error)
{
  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  return list_sealed (self, SB_TYPE_DOCUMENT, "documents",
                      "SELECT id, sealed, kind, pdf_blob_id, created_at FROM documents "
                      "WHERE submission_id = ? ORDER BY created_at, id",
                      submission_id, complete_document, error);
}

static void
complete_message (GObject      *object,
                  sqlite3_stmt *stmt)
{
  SbMessage *message = SB_MESSAGE (object);

  sb_message_set_id (message, (const char *)sqlite3_column_text (stmt, 0));
  sb_message_set_direction (message, sqlite3_column_int (stmt, 2));
  sb_message_set_created_at (message, sqlite3_column_int64 (stmt, 3));
}

/**
 * sb_store_list_messages:
 *
 * Returns: (transfer full): the submission's #SbMessage thread, oldest first
 */
GListModel *
sb_store_list_messages (SbStore     *self,
                        const char  *submission_id,
                        GError     **error)
{
  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  return list_sealed (self, SB_TYPE_MESSAGE, "messages",
                      "SELECT id, sealed, direction, created_at FROM messages "
                      "WHERE submission_id = ? ORDER BY created_at, id",
                      submission_id, complete_message, error);
}

static void
complete_decision (GObject      *object,
                   sqlite3_stmt *stmt)
{
  SbDecision *decision = SB_DECISION (object);

  sb_decision_set_id (decision, (const char *)sqlite3_column_text (stmt, 0));
  sb_decision_set_blob_id (decision, (const char *)sqlite3_column_text (stmt, 2));
  sb_decision_set_received_at (decision, sqlite3_column_int64 (stmt, 3));
}

/**
 * sb_store_list_decisions:
 *
 * Returns: (transfer full): the submission's #SbDecision, oldest first
 */
GListModel *
sb_store_list_decisions (SbStore     *self,
                         const char  *submission_id,
                         GError     **error)
{
  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  return list_sealed (self, SB_TYPE_DECISION, "decisions",
                      "SELECT id, sealed, blob_id, received_at FROM decisions "
                      "WHERE submission_id = ? ORDER BY received_at, id",
                      submission_id, complete_decision, error);
}

/**
 * sb_store_attach_pdf:
 * @pdf: an imported PDF that makes up the whole document
 *
 * Encrypts @pdf into a blob and records it as the document's content,
 * replacing (and deleting) any earlier one.
 */
gboolean
sb_store_attach_pdf (SbStore     *self,
                     SbDocument  *document,
                     GBytes      *pdf,
                     GError     **error)
{
  g_autofree char *blob_id = NULL;
  g_autofree char *previous = NULL;
  gboolean ok;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (SB_IS_DOCUMENT (document), FALSE);
  g_return_val_if_fail (pdf != NULL, FALSE);

  if (!sb_store_check_writable (self, error))
    return FALSE;

  blob_id = g_uuid_string_random ();
  if (!sb_vault_write_blob (self->vault, self->blob_dir, blob_id, pdf, error))
    return FALSE;

  previous = g_strdup (sb_document_get_pdf_blob_id (document));
  sb_document_set_pdf_blob_id (document, blob_id);
  ok = sb_store_save_document (self, document, error);

  /* Whichever blob no row names any more goes. */
  if (ok && previous != NULL)
    sb_vault_remove_blob (self->blob_dir, previous);
  else if (!ok)
    sb_vault_remove_blob (self->blob_dir, blob_id);

  if (!ok)
    sb_document_set_pdf_blob_id (document, previous);

  return ok;
}

/**
 * sb_store_open_document_pdf:
 *
 * Returns: (transfer full): the document's imported PDF; the opening is
 *   audited
 */
GBytes *
sb_store_open_document_pdf (SbStore     *self,
                            SbDocument  *document,
                            GError     **error)
{
  g_return_val_if_fail (SB_IS_STORE (self), NULL);
  g_return_val_if_fail (SB_IS_DOCUMENT (document), NULL);

  if (sb_document_get_pdf_blob_id (document) == NULL)
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_NOT_FOUND,
                           _("This document has no imported PDF; its pages are scans."));
      return NULL;
    }

  return open_blob_audited (self, sb_document_get_pdf_blob_id (document), NULL, sb_document_get_id (document),
                            "document.open", sb_document_get_id (document), error);
}

/* Pulled from the platform. Each change and the event cursor that brought
 * it are written in one transaction: a crash between them can neither lose
 * an event nor apply one twice. */

static gboolean
set_cursor_locked (SbStore     *self,
                   const char  *cursor_key,
                   const char  *cursor,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (cursor_key == NULL)
    return TRUE;
  stmt = sb_store_prepare (self, "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, cursor_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, cursor, -1, SQLITE_STATIC);
  return sb_store_step_done (self, stmt, error);
}

/**
 * sb_store_receive_message:
 *
 * Keeps a caseworker's message, sealed. A message kept already is not
 * kept twice.
 */
gboolean
sb_store_receive_message (SbStore     *self,
                          SbMessage   *message,
                          const char  *cursor_key,
                          const char  *cursor,
                          GError     **error)
{
  g_autofree char *citizen_id = NULL;
  const char *id;
  gboolean inserted = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (SB_IS_MESSAGE (message), FALSE);

  id = sb_message_get_id (message);
  sb_message_set_direction (message, SB_MESSAGE_INCOMING);

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;
  citizen_id = citizen_of_submission_locked (self, sb_message_get_submission_id (message));
  if (!insert_message_locked (self, message, &inserted, error) ||
      (inserted && !sb_store_audit_locked (self, citizen_id, "message.receive", id, error)) ||
      !set_cursor_locked (self, cursor_key, cursor, error))
    goto rollback;
  ok = sb_store_commit (self, error);
  goto out;

rollback:
  sb_store_rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * sb_store_receive_decision:
 *
 * Keeps the authority's decision and its PDF, encrypted; with the cursor
 * of the event that announced it. Kept once.
 */
gboolean
sb_store_receive_decision (SbStore     *self,
                           SbDecision  *decision,
                           GBytes      *pdf,
                           const char  *cursor_key,
                           const char  *cursor,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) exists = NULL;
  gboolean known = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);

  g_mutex_lock (&self->lock);
  exists = sb_store_prepare (self, "SELECT 1 FROM decisions WHERE submission_id = ?", NULL);
  if (exists != NULL)
    {
      sqlite3_bind_text (exists, 1, sb_decision_get_submission_id (decision), -1, SQLITE_STATIC);
      known = sqlite3_step (exists) == SQLITE_ROW;
    }
  g_mutex_unlock (&self->lock);
  /* Decision first, cursor after: a crash between the two replays the
   * event, which then finds the decision kept and only moves the cursor. */
  if (!known && !sb_store_save_decision (self, decision, pdf, error))
    return FALSE;
  return cursor_key == NULL || sb_store_set_sync_value (self, cursor_key, cursor, error);
}

SbStatusChange *
sb_status_change_new (const char *submission_id,
                      const char *status,
                      gint64      at,
                      gint64      cursor)
{
  SbStatusChange *change = g_new0 (SbStatusChange, 1);

  change->submission_id = g_strdup (submission_id);
  change->status = g_strdup (status);
  change->at = at;
  change->cursor = cursor;
  return change;
}

void
sb_status_change_free (SbStatusChange *change)
{
  if (change == NULL)
    return;
  g_free (change->submission_id);
  g_free (change->status);
  g_free (change);
}

/**
 * sb_store_apply_platform_statuses:
 * @changes: (element-type SbStatusChange): from the event feed, oldest first
 *
 * Several status changes of the event feed and the cursor after them, in
 * one transaction: each becomes the application's status and a moment of
 * its timeline. Ids of applications not kept here are passed over; a
 * change kept already (the same cursor) is not kept twice.
 */
gboolean
sb_store_apply_platform_statuses (SbStore     *self,
                                  GPtrArray   *changes,
                                  const char  *cursor_key,
                                  const char  *cursor,
                                  GError     **error)
{
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(sqlite3_stmt) keep = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;
  update = sb_store_prepare (self, "UPDATE submissions SET platform_status = ? WHERE id = ?", error);
  keep = update != NULL ? sb_store_prepare (self, "INSERT OR IGNORE INTO status_changes (submission_id, cursor, status, at) "
                                                  "SELECT id, ?, ?, ? FROM submissions WHERE id = ?", error) : NULL;
  if (keep == NULL)
    goto rollback;
  for (guint i = 0; i < changes->len; i++)
    {
      SbStatusChange *change = g_ptr_array_index (changes, i);

      sqlite3_reset (update);
      sqlite3_bind_text (update, 1, change->status, -1, SQLITE_STATIC);
      sqlite3_bind_text (update, 2, change->submission_id, -1, SQLITE_STATIC);
      sqlite3_reset (keep);
      sqlite3_bind_int64 (keep, 1, change->cursor);
      sqlite3_bind_text (keep, 2, change->status, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (keep, 3, change->at);
      sqlite3_bind_text (keep, 4, change->submission_id, -1, SQLITE_STATIC);
      if (!sb_store_step_done (self, update, error) || !sb_store_step_done (self, keep, error))
        goto rollback;
    }
  if (!set_cursor_locked (self, cursor_key, cursor, error))
    goto rollback;
  ok = sb_store_commit (self, error);
  goto out;

rollback:
  sb_store_rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * sb_store_list_status_changes:
 *
 * Returns: (transfer full) (element-type SbStatusChange): the statuses the
 *   platform gave the application, oldest first, or %NULL with @error set
 */
GPtrArray *
sb_store_list_status_changes (SbStore     *self,
                              const char  *submission_id,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *changes = NULL;
  int rc;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT status, at, cursor FROM status_changes WHERE submission_id = ? "
                                 "ORDER BY cursor", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, submission_id, -1, SQLITE_STATIC);
  changes = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_status_change_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (changes, sb_status_change_new (submission_id, (const char *)sqlite3_column_text (stmt, 0),
                                                    sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2)));
  if (rc != SQLITE_DONE)
    {
      sb_store_set_sqlite_error (self, rc, error);
      g_clear_pointer (&changes, g_ptr_array_unref);
    }
out:
  g_mutex_unlock (&self->lock);
  return changes;
}

gboolean
sb_store_has_submission (SbStore    *self,
                         const char *submission_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT 1 FROM submissions WHERE id = ?", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, submission_id, -1, SQLITE_STATIC);
      found = sqlite3_step (stmt) == SQLITE_ROW;
    }
  g_mutex_unlock (&self->lock);
  return found;
}
