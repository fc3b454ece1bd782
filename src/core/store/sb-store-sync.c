/* sb-store-sync.c — what the sync engine keeps: when to try an outbox item
 * again, what the platform said against it, where each upload stands, and
 * the cursors of what was pulled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sb-store-private.h"

/* The first column of the first row of @sql with one text parameter, or
 * NULL: the lookups below. */
static char *
lookup_text (SbStore    *self,
             const char *sql,
             const char *argument)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  char *value = NULL;

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, sql, NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, argument, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
    }
  g_mutex_unlock (&self->lock);
  return value;
}

static SbOutboxItem *
outbox_item_from_row (sqlite3_stmt *stmt)
{
  SbOutboxItem *item = sb_outbox_item_new ();

  sb_outbox_item_set_id (item, (const char *)sqlite3_column_text (stmt, 0));
  sb_outbox_item_set_kind (item, (const char *)sqlite3_column_text (stmt, 1));
  sb_outbox_item_set_entity_id (item, (const char *)sqlite3_column_text (stmt, 2));
  sb_outbox_item_set_idempotency_key (item, (const char *)sqlite3_column_text (stmt, 3));
  sb_outbox_item_set_state (item, sqlite3_column_int (stmt, 4));
  sb_outbox_item_set_attempts (item, (guint)sqlite3_column_int (stmt, 5));
  sb_outbox_item_set_created_at (item, sqlite3_column_int64 (stmt, 6));
  sb_outbox_item_set_last_error (item, (const char *)sqlite3_column_text (stmt, 7));
  return item;
}

#define OUTBOX_COLUMNS "id, kind, entity_id, idempotency_key, state, attempts, created_at, last_error"

/**
 * sb_store_next_outbox_item:
 * @now: seconds since the epoch
 *
 * Returns: (transfer full) (nullable): the oldest item that waits and is
 * due at @now; %NULL (without an error) when none is.
 */
SbOutboxItem *
sb_store_next_outbox_item (SbStore  *self,
                           gint64    now,
                           GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  SbOutboxItem *item = NULL;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT " OUTBOX_COLUMNS " FROM outbox "
                                 "WHERE state IN (?, ?) AND next_attempt_at <= ? ORDER BY seq LIMIT 1", error);
  if (stmt != NULL)
    {
      int rc;

      sqlite3_bind_int (stmt, 1, SB_OUTBOX_STATE_WAITING);
      sqlite3_bind_int (stmt, 2, SB_OUTBOX_STATE_SENDING);
      sqlite3_bind_int64 (stmt, 3, now);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        item = outbox_item_from_row (stmt);
      else if (rc != SQLITE_DONE)
        sb_store_set_sqlite_error (self, rc, error);
    }
  g_mutex_unlock (&self->lock);
  return item;
}

/**
 * sb_store_peek_next_submission:
 * @after_outbox_id: the item being sent now
 *
 * The submission that will be sent after @after_outbox_id, if nothing
 * changes: for reading and uploading its documents ahead while this one is
 * on the wire.
 *
 * Returns: %TRUE with its outbox item's and its own id
 */
gboolean
sb_store_peek_next_submission (SbStore     *self,
                               const char  *after_outbox_id,
                               gint64       now,
                               char       **outbox_id,
                               char       **submission_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);

  *outbox_id = *submission_id = NULL;

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT id, entity_id FROM outbox WHERE kind = 'submission.submit' "
                                 "AND state IN (?, ?) AND next_attempt_at <= ? "
                                 "AND seq > (SELECT seq FROM outbox WHERE id = ?) ORDER BY seq LIMIT 1", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, SB_OUTBOX_STATE_WAITING);
      sqlite3_bind_int (stmt, 2, SB_OUTBOX_STATE_SENDING);
      sqlite3_bind_int64 (stmt, 3, now);
      sqlite3_bind_text (stmt, 4, after_outbox_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          *outbox_id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
          *submission_id = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_mutex_unlock (&self->lock);
  return *outbox_id != NULL;
}

/**
 * sb_store_load_outbox_item:
 *
 * Returns: (transfer full): the item, whatever its state
 */
SbOutboxItem *
sb_store_load_outbox_item (SbStore     *self,
                           const char  *outbox_id,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  SbOutboxItem *item = NULL;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = ? OR id LIKE ? || '%' "
                                 "ORDER BY id = ? DESC LIMIT 2", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, outbox_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, outbox_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, outbox_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autoptr(SbOutboxItem) found = outbox_item_from_row (stmt);
          gboolean exact = g_str_equal (sb_outbox_item_get_id (found), outbox_id);

          /* A prefix, as IT types it, must name one item. */
          if (exact || sqlite3_step (stmt) != SQLITE_ROW)
            item = g_steal_pointer (&found);
        }
      if (item == NULL)
        g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_NOT_FOUND,
                             _("This item is not in the outbox (any more)."));
    }
  g_mutex_unlock (&self->lock);
  return item;
}

/* Seconds until the next waiting item is due, 0 if one is due now, -1 if
 * nothing waits. */
gint64
sb_store_next_outbox_attempt (SbStore *self,
                              gint64   now)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 next = -1;

  g_return_val_if_fail (SB_IS_STORE (self), -1);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT min(next_attempt_at) FROM outbox WHERE state IN (?, ?)", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, SB_OUTBOX_STATE_WAITING);
      sqlite3_bind_int (stmt, 2, SB_OUTBOX_STATE_SENDING);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        next = MAX (0, sqlite3_column_int64 (stmt, 0) - now);
    }
  g_mutex_unlock (&self->lock);
  return next;
}

static gboolean
update_outbox (SbStore     *self,
               const char  *outbox_id,
               const char  *sql,
               int          state,
               gint64       number,
               const char  *text,
               const char  *problem,
               const char  *audit_action,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;
  stmt = sb_store_prepare (self, sql, error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_int (stmt, 1, state);
  sqlite3_bind_int64 (stmt, 2, number);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, problem, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, outbox_id, -1, SQLITE_STATIC);
  if (!sb_store_step_done (self, stmt, error))
    goto rollback;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_NOT_FOUND,
                           _("This item is not in the outbox (any more)."));
      goto rollback;
    }
  if (audit_action != NULL && !sb_store_audit_locked (self, NULL, audit_action, outbox_id, error))
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
 * sb_store_outbox_defer:
 * @next_attempt_at: when to try again (seconds since the epoch)
 * @reason: (nullable): why it did not go, for the outbox page
 *
 * Counts an attempt that did not reach a decision (no network, the
 * platform busy) and leaves the item waiting.
 */
gboolean
sb_store_outbox_defer (SbStore     *self,
                       const char  *outbox_id,
                       gint64       next_attempt_at,
                       const char  *reason,
                       GError     **error)
{
  g_return_val_if_fail (SB_IS_STORE (self), FALSE);

  return update_outbox (self, outbox_id,
                        "UPDATE outbox SET state = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?, "
                        "problem = ? WHERE id = ? AND state NOT IN (2, 4)",
                        SB_OUTBOX_STATE_WAITING, next_attempt_at, reason, NULL, NULL, error);
}

/**
 * sb_store_outbox_quarantine:
 * @message: what is wrong, in words for the clerk
 * @problem: (nullable): the platform's RFC 9457 problem, as JSON
 *
 * The platform refused the item: it waits for a person; the others go on.
 */
gboolean
sb_store_outbox_quarantine (SbStore     *self,
                            const char  *outbox_id,
                            const char  *message,
                            const char  *problem,
                            GError     **error)
{
  g_return_val_if_fail (SB_IS_STORE (self), FALSE);

  return update_outbox (self, outbox_id,
                        "UPDATE outbox SET state = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?, "
                        "problem = ? WHERE id = ? AND state NOT IN (2, 4)",
                        SB_OUTBOX_STATE_NEEDS_ATTENTION, 0, message, problem, "outbox.quarantined", error);
}

/* Someone looked at it: send it again at the next sync. */
gboolean
sb_store_outbox_retry (SbStore     *self,
                       const char  *outbox_id,
                       GError     **error)
{
  g_return_val_if_fail (SB_IS_STORE (self), FALSE);

  return update_outbox (self, outbox_id,
                        "UPDATE outbox SET state = ?, next_attempt_at = ?, last_error = ?, problem = ? "
                        "WHERE id = ? AND state NOT IN (2, 4)",
                        SB_OUTBOX_STATE_WAITING, 0, NULL, NULL, "outbox.retry", error);
}

/**
 * sb_store_outbox_make_due:
 *
 * Everything waiting is due now, also what waits out a backoff: the clerk
 * asked to send now, or the network came back. Attempts are not reset, so
 * an item that fails again waits as long as before.
 */
gboolean
sb_store_outbox_make_due (SbStore  *self,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "UPDATE outbox SET next_attempt_at = 0 WHERE state = 0 AND next_attempt_at > 0", error);
  ok = stmt != NULL && sb_store_step_done (self, stmt, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * sb_store_outbox_discard:
 *
 * A person decided that an item the platform refused is not to be sent:
 * it leaves the queue, and the audit log says who and when.
 */
gboolean
sb_store_outbox_discard (SbStore     *self,
                         const char  *outbox_id,
                         GError     **error)
{
  g_return_val_if_fail (SB_IS_STORE (self), FALSE);

  return update_outbox (self, outbox_id,
                        "UPDATE outbox SET state = ?, next_attempt_at = ?, last_error = coalesce (?, last_error), "
                        "problem = coalesce (?, problem) WHERE id = ? AND state = 3",
                        SB_OUTBOX_STATE_DISCARDED, 0, NULL, NULL, "outbox.discarded", error);
}

/**
 * sb_store_outbox_get_problem:
 *
 * Returns: (transfer full) (nullable): the platform's problem details (JSON)
 */
char *
sb_store_outbox_get_problem (SbStore    *self,
                             const char *outbox_id)
{
  return lookup_text (self, "SELECT problem FROM outbox WHERE id = ?", outbox_id);
}

/**
 * sb_store_upload_load:
 * @url: (out) (transfer full) (nullable): the upload's address, once created
 * @offset: (out): the bytes the platform confirmed
 *
 * Returns: whether the upload of @document_id for this item was started
 */
gboolean
sb_store_upload_load (SbStore     *self,
                      const char  *outbox_id,
                      const char  *document_id,
                      char       **url,
                      gint64      *offset,
                      char       **sha256)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;

  *url = NULL;
  *offset = 0;
  if (sha256 != NULL)
    *sha256 = NULL;
  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT url, offset, sha256 FROM uploads WHERE outbox_id = ? AND document_id = ?", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, outbox_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, document_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          found = TRUE;
          *url = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
          *offset = sqlite3_column_int64 (stmt, 1);
          if (sha256 != NULL)
            *sha256 = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
        }
    }
  g_mutex_unlock (&self->lock);
  return found;
}

/**
 * sb_store_upload_save:
 * @url: (nullable): the upload's address; %NULL to start over
 *
 * Records where an upload stands. The address is saved before the first
 * byte goes out, so an upload survives a crash of the app.
 */
gboolean
sb_store_upload_save (SbStore     *self,
                      const char  *outbox_id,
                      const char  *document_id,
                      const char  *url,
                      gint64       length,
                      const char  *sha256,
                      gint64       offset,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "INSERT INTO uploads (outbox_id, document_id, url, length, sha256, offset) "
                                 "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (outbox_id, document_id) DO UPDATE SET "
                                 "url = excluded.url, length = excluded.length, sha256 = excluded.sha256, "
                                 "offset = excluded.offset", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, outbox_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, document_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, url, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, length);
      sqlite3_bind_text (stmt, 5, sha256, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, offset);
      ok = sb_store_step_done (self, stmt, error);
    }
  g_mutex_unlock (&self->lock);
  return ok;
}

char *
sb_store_get_sync_value (SbStore    *self,
                         const char *key)
{
  return lookup_text (self, "SELECT value FROM sync_state WHERE key = ?", key);
}

gboolean
sb_store_set_sync_value (SbStore     *self,
                         const char  *key,
                         const char  *value,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      ok = sb_store_step_done (self, stmt, error);
    }
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * sb_store_account_citizen_id:
 *
 * Returns: (transfer full) (nullable): the citizen an account is for
 */
char *
sb_store_account_citizen_id (SbStore    *self,
                             const char *account_id)
{
  return lookup_text (self, "SELECT citizen_id FROM accounts WHERE id = ?", account_id);
}

/* The submission an outgoing message answers. */
char *
sb_store_message_submission_id (SbStore    *self,
                                const char *message_id)
{
  return lookup_text (self, "SELECT submission_id FROM messages WHERE id = ?", message_id);
}

/* The state of the newest outbox item of @kind for @entity_id, or -1. */
int
sb_store_outbox_state_of (SbStore    *self,
                          const char *kind,
                          const char *entity_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int state = -1;

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT state FROM outbox WHERE kind = ? AND entity_id = ? ORDER BY seq DESC LIMIT 1", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, entity_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        state = sqlite3_column_int (stmt, 0);
    }
  g_mutex_unlock (&self->lock);
  return state;
}

/* How many items wait to go, and how many need a person. */
void
sb_store_count_outbox (SbStore *self,
                       guint   *waiting,
                       guint   *needs_attention)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *waiting = 0;
  *needs_attention = 0;
  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT count(*) FILTER (WHERE state IN (0, 1)), count(*) FILTER (WHERE state = 3) "
                                 "FROM outbox", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      *waiting = (guint)sqlite3_column_int (stmt, 0);
      *needs_attention = (guint)sqlite3_column_int (stmt, 1);
    }
  g_mutex_unlock (&self->lock);
}

char *
sb_store_get_platform_status (SbStore    *self,
                              const char *submission_id)
{
  return lookup_text (self, "SELECT platform_status FROM submissions WHERE id = ?", submission_id);
}

/* The citizen's applications that waited for their account go again. */
static gboolean
requeue_submissions_of_account_locked (SbStore     *self,
                                       const char  *account_outbox_id,
                                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    sb_store_prepare (self, "UPDATE outbox SET state = 0, next_attempt_at = 0, last_error = NULL, problem = NULL "
                            "WHERE state = 3 AND kind = 'submission.submit' AND entity_id IN "
                            "(SELECT s.id FROM submissions s JOIN accounts a ON a.citizen_id = s.citizen_id "
                            " JOIN outbox o ON o.entity_id = a.id WHERE o.id = ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, account_outbox_id, -1, SQLITE_STATIC);
  return sb_store_step_done (self, stmt, error);
}

/**
 * sb_store_account_link:
 * @platform_account_id: the account the platform has for this person
 *
 * The platform said the citizen may have an account already, and the
 * clerk found it is theirs: the desk's account becomes that account, its
 * outbox item is done, and the audit log says so.
 */
gboolean
sb_store_account_link (SbStore     *self,
                       const char  *outbox_id,
                       const char  *platform_account_id,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) account = NULL;
  g_autoptr(sqlite3_stmt) outbox = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_uuid_string_is_valid (platform_account_id), FALSE);

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;
  account = sb_store_prepare (self, "UPDATE accounts SET platform_id = ?, state = ?, updated_at = ? WHERE id = "
                                    "(SELECT entity_id FROM outbox WHERE id = ? AND kind = 'account.create' AND state = 3)",
                              error);
  if (account == NULL)
    goto rollback;
  sqlite3_bind_text (account, 1, platform_account_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (account, 2, SB_ACCOUNT_STATE_CREATED);
  sqlite3_bind_int64 (account, 3, sb_store_now ());
  sqlite3_bind_text (account, 4, outbox_id, -1, SQLITE_STATIC);
  if (!sb_store_step_done (self, account, error))
    goto rollback;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_NOT_FOUND,
                           _("Only an online account the platform held for a possible duplicate can be linked."));
      goto rollback;
    }
  outbox = sb_store_prepare (self, "UPDATE outbox SET state = ?, delivered_at = ?, last_error = NULL, problem = NULL "
                                   "WHERE id = ?", error);
  if (outbox == NULL)
    goto rollback;
  sqlite3_bind_int (outbox, 1, SB_OUTBOX_STATE_DELIVERED);
  sqlite3_bind_int64 (outbox, 2, sb_store_now ());
  sqlite3_bind_text (outbox, 3, outbox_id, -1, SQLITE_STATIC);
  if (!sb_store_step_done (self, outbox, error) ||
      !requeue_submissions_of_account_locked (self, outbox_id, error) ||
      !sb_store_audit_locked (self, NULL, "account.linked", platform_account_id, error))
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
 * sb_store_account_not_duplicate:
 * @platform_account_ids: the candidates the clerk checked, a JSON array
 *
 * The clerk found the candidates are other people: the account is sent
 * again, saying so (notDuplicateOf).
 */
gboolean
sb_store_account_not_duplicate (SbStore     *self,
                                const char  *outbox_id,
                                const char  *platform_account_ids,
                                GError     **error)
{
  g_autoptr(SbOutboxItem) item = sb_store_load_outbox_item (self, outbox_id, error);
  g_autofree char *key = NULL;

  if (item == NULL)
    return FALSE;
  if (!g_str_equal (sb_outbox_item_get_kind (item), "account.create"))
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID,
                           _("Only an online account can be marked as another person's."));
      return FALSE;
    }
  key = g_strconcat ("not-duplicate/", sb_outbox_item_get_entity_id (item), NULL);
  if (!sb_store_set_sync_value (self, key, platform_account_ids, error) ||
      !sb_store_record_audit (self, NULL, "account.not-duplicate", sb_outbox_item_get_entity_id (item), error) ||
      !sb_store_outbox_retry (self, sb_outbox_item_get_id (item), error))
    return FALSE;
  {
    gboolean ok;

    g_mutex_lock (&self->lock);
    ok = requeue_submissions_of_account_locked (self, sb_outbox_item_get_id (item), error);
    g_mutex_unlock (&self->lock);
    return ok;
  }
}
