/* sb-store-maintenance.c — the outbox, the audit log, retention and checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sb-store-private.h"

/**
 * sb_store_list_outbox:
 * @include_delivered: list what the platform confirmed too
 *
 * Returns: (transfer full): #SbOutboxItem, oldest first — the order in
 *   which they are sent
 */
GListModel *
sb_store_list_outbox (SbStore   *self,
                      gboolean   include_delivered,
                      GError   **error)
{
  g_autoptr(GListStore) list = g_list_store_new (SB_TYPE_OUTBOX_ITEM);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT id, kind, entity_id, idempotency_key, state, attempts, created_at, "
                                 "last_error FROM outbox WHERE ? OR state NOT IN (?, ?) ORDER BY seq", error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, include_delivered);
      sqlite3_bind_int (stmt, 2, SB_OUTBOX_STATE_DELIVERED);
      sqlite3_bind_int (stmt, 3, SB_OUTBOX_STATE_DISCARDED);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autoptr(SbOutboxItem) item = sb_outbox_item_new ();

          sb_outbox_item_set_id (item, (const char *)sqlite3_column_text (stmt, 0));
          sb_outbox_item_set_kind (item, (const char *)sqlite3_column_text (stmt, 1));
          sb_outbox_item_set_entity_id (item, (const char *)sqlite3_column_text (stmt, 2));
          sb_outbox_item_set_idempotency_key (item, (const char *)sqlite3_column_text (stmt, 3));
          sb_outbox_item_set_state (item, sqlite3_column_int (stmt, 4));
          sb_outbox_item_set_attempts (item, (guint)sqlite3_column_int (stmt, 5));
          sb_outbox_item_set_created_at (item, sqlite3_column_int64 (stmt, 6));
          sb_outbox_item_set_last_error (item, (const char *)sqlite3_column_text (stmt, 7));
          g_list_store_append (list, item);
        }
    }
  g_mutex_unlock (&self->lock);

  return stmt != NULL ? G_LIST_MODEL (g_steal_pointer (&list)) : NULL;
}

/**
 * sb_store_mark_delivered:
 *
 * Records the platform's confirmation of an outbox item; a delivered
 * submission starts its retention period.
 */
gboolean
sb_store_mark_delivered (SbStore     *self,
                         const char  *outbox_id,
                         GError     **error)
{
  return sb_store_mark_delivered_with (self, outbox_id, NULL, NULL, error);
}

/**
 * sb_store_mark_delivered_with:
 * @key: (nullable): a sync value to keep with it (the receipt)
 *
 * As sb_store_mark_delivered(), keeping @value under @key in the same
 * transaction.
 */
gboolean
sb_store_mark_delivered_with (SbStore     *self,
                              const char  *outbox_id,
                              const char  *key,
                              const char  *value,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) item = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *entity_id = NULL;
  gint64 now = sb_store_now ();
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;

  item = sb_store_prepare (self, "SELECT kind, entity_id FROM outbox WHERE id = ?", error);
  if (item == NULL)
    goto rollback;
  sqlite3_bind_text (item, 1, outbox_id, -1, SQLITE_STATIC);
  if (sqlite3_step (item) != SQLITE_ROW)
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_NOT_FOUND,
                           _("This item is not in the outbox (any more)."));
      goto rollback;
    }
  kind = g_strdup ((const char *)sqlite3_column_text (item, 0));
  entity_id = g_strdup ((const char *)sqlite3_column_text (item, 1));

  update = sb_store_prepare (self, "UPDATE outbox SET state = ?, delivered_at = ?, last_error = NULL WHERE id = ?", error);
  if (update == NULL)
    goto rollback;
  sqlite3_bind_int (update, 1, SB_OUTBOX_STATE_DELIVERED);
  sqlite3_bind_int64 (update, 2, now);
  sqlite3_bind_text (update, 3, outbox_id, -1, SQLITE_STATIC);
  if (!sb_store_step_done (self, update, error))
    goto rollback;

  if (g_str_equal (kind, "submission.submit"))
    {
      g_autoptr(sqlite3_stmt) delivered =
        sb_store_prepare (self, "UPDATE submissions SET state = ?, delivered_at = ? WHERE id = ?", error);

      if (delivered == NULL)
        goto rollback;
      sqlite3_bind_int (delivered, 1, SB_SUBMISSION_STATE_DELIVERED);
      sqlite3_bind_int64 (delivered, 2, now);
      sqlite3_bind_text (delivered, 3, entity_id, -1, SQLITE_STATIC);
      if (!sb_store_step_done (self, delivered, error))
        goto rollback;
    }
  else if (g_str_equal (kind, "account.create"))
    {
      g_autoptr(sqlite3_stmt) created =
        sb_store_prepare (self, "UPDATE accounts SET state = ?, updated_at = ? WHERE id = ?", error);

      if (created == NULL)
        goto rollback;
      sqlite3_bind_int (created, 1, SB_ACCOUNT_STATE_CREATED);
      sqlite3_bind_int64 (created, 2, now);
      sqlite3_bind_text (created, 3, entity_id, -1, SQLITE_STATIC);
      if (!sb_store_step_done (self, created, error))
        goto rollback;
    }

  if (key != NULL)
    {
      g_autoptr(sqlite3_stmt) kept = sb_store_prepare (self, "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                                                       error);

      if (kept == NULL)
        goto rollback;
      sqlite3_bind_text (kept, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (kept, 2, value, -1, SQLITE_STATIC);
      if (!sb_store_step_done (self, kept, error))
        goto rollback;
    }

  if (!sb_store_audit_locked (self, NULL, "outbox.delivered", outbox_id, error))
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
 * sb_store_record_audit:
 * @action: what happened, e.g. "receipt.print"
 * @subject: the id of what it happened to
 *
 * For actions that change nothing in the store (printing, showing).
 */
gboolean
sb_store_record_audit (SbStore     *self,
                       const char  *citizen_id,
                       const char  *action,
                       const char  *subject,
                       GError     **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL && subject != NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (sb_store_begin (self, error))
    {
      if (sb_store_audit_locked (self, citizen_id, action, subject, error))
        ok = sb_store_commit (self, error);
      else
        sb_store_rollback (self);
    }
  g_mutex_unlock (&self->lock);

  return ok;
}

/**
 * sb_store_list_audit:
 *
 * Returns: (transfer full): every #SbAuditEvent, oldest first
 */
GListModel *
sb_store_list_audit (SbStore  *self,
                     GError  **error)
{
  g_autoptr(GListStore) list = g_list_store_new (SB_TYPE_AUDIT_EVENT);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT seq, at, staff, citizen_id, action, subject FROM audit ORDER BY seq", error);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(SbAuditEvent) event = sb_audit_event_new ();

      sb_audit_event_set_seq (event, sqlite3_column_int64 (stmt, 0));
      sb_audit_event_set_at (event, sqlite3_column_int64 (stmt, 1));
      sb_audit_event_set_staff (event, (const char *)sqlite3_column_text (stmt, 2));
      sb_audit_event_set_citizen_id (event, (const char *)sqlite3_column_text (stmt, 3));
      sb_audit_event_set_action (event, (const char *)sqlite3_column_text (stmt, 4));
      sb_audit_event_set_subject (event, (const char *)sqlite3_column_text (stmt, 5));
      g_list_store_append (list, event);
    }
  g_mutex_unlock (&self->lock);

  return stmt != NULL ? G_LIST_MODEL (g_steal_pointer (&list)) : NULL;
}

/**
 * sb_store_export_audit:
 *
 * Writes the audit log as JSON Lines: one object per event with seq, at
 * (RFC 3339, UTC, microseconds), staff, citizen, action and subject.
 */
gboolean
sb_store_export_audit (SbStore        *self,
                       GOutputStream  *stream,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr(GListModel) events = sb_store_list_audit (self, error);

  if (events == NULL)
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(SbAuditEvent) event = g_list_model_get_item (events, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (0);
      g_autoptr(GDateTime) when = g_date_time_add (at, sb_audit_event_get_at (event));
      g_autofree char *when_text = g_date_time_format_iso8601 (when);
      g_autofree char *line = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, sb_audit_event_get_seq (event));
      json_builder_set_member_name (builder, "at");
      json_builder_add_string_value (builder, when_text);
      json_builder_set_member_name (builder, "staff");
      json_builder_add_string_value (builder, sb_audit_event_get_staff (event));
      json_builder_set_member_name (builder, "citizen");
      if (sb_audit_event_get_citizen_id (event))
        json_builder_add_string_value (builder, sb_audit_event_get_citizen_id (event));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "action");
      json_builder_add_string_value (builder, sb_audit_event_get_action (event));
      json_builder_set_member_name (builder, "subject");
      json_builder_add_string_value (builder, sb_audit_event_get_subject (event));
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      line = json_generator_to_data (generator, NULL);

      if (!g_output_stream_write_all (stream, line, strlen (line), NULL, cancellable, error) ||
          !g_output_stream_write_all (stream, "\n", 1, NULL, cancellable, error))
        return FALSE;
    }

  return TRUE;
}

static void
collect_strings (SbStore    *self,
                 const char *sql,
                 const char *id,
                 GPtrArray  *out)
{
  g_autoptr(sqlite3_stmt) stmt = sb_store_prepare (self, sql, NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 0) != NULL)
      g_ptr_array_add (out, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
}

/* Every blob a row names. */
static GHashTable *
referenced_blobs (SbStore *self)
{
  static const char * const queries[] = {
    "SELECT blob_id FROM pages", "SELECT pdf_blob_id FROM documents", "SELECT blob_id FROM decisions",
    "SELECT blob_id FROM tray_pages",
  };
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = sb_store_prepare (self, queries[i], NULL);

      while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
        if (sqlite3_column_text (stmt, 0) != NULL)
          g_hash_table_add (names, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
    }

  return names;
}

/* A crash between writing a blob and committing the row that names it
 * leaves the blob behind. Such orphans go once they are an hour old: a
 * younger one may belong to a write still under way. */
static void
remove_orphan_blobs (SbStore *self,
                     gint64   now)
{
  g_autoptr(GHashTable) referenced = referenced_blobs (self);
  g_autoptr(GDir) shards = g_dir_open (self->blob_dir, 0, NULL);
  const char *shard;

  while (shards != NULL && (shard = g_dir_read_name (shards)) != NULL)
    {
      g_autofree char *shard_path = g_build_filename (self->blob_dir, shard, NULL);
      g_autoptr(GDir) blobs = g_dir_open (shard_path, 0, NULL);
      const char *name;

      while (blobs != NULL && (name = g_dir_read_name (blobs)) != NULL)
        {
          g_autofree char *path = g_build_filename (shard_path, name, NULL);
          GStatBuf info;

          if (g_hash_table_contains (referenced, name) || g_stat (path, &info) != 0 ||
              info.st_mtime > now - 3600)
            continue;

          g_unlink (path);
        }
    }
}

/**
 * sb_store_purge_expired:
 * @retention_seconds: how long after the platform's confirmation a
 *   submission's local data is kept
 * @now: the current time, as Unix seconds
 *
 * Deletes what has been delivered and kept long enough: the submissions,
 * their documents, scans, messages and decisions, then the citizens whose
 * account the platform confirmed and who have nothing left here and
 * nothing waiting to be sent; and scans no row names that are over an hour
 * old (left by a crash). Deleted pages are overwritten (secure_delete) and
 * the WAL is truncated. The audit log
 * keeps its (id-only) entries.
 *
 * Returns: the number of submissions purged; 0 with @error set on failure
 */
guint
sb_store_purge_expired (SbStore  *self,
                        gint64    retention_seconds,
                        gint64    now,
                        GError  **error)
{
  g_autoptr(GPtrArray) submissions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) expired = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), 0);

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;

  expired = sb_store_prepare (self, "SELECT id FROM submissions WHERE delivered_at IS NOT NULL "
                                    "AND delivered_at <= ?", error);
  if (expired == NULL)
    goto rollback;
  sqlite3_bind_int64 (expired, 1, now - retention_seconds);
  while (sqlite3_step (expired) == SQLITE_ROW)
    g_ptr_array_add (submissions, g_strdup ((const char *)sqlite3_column_text (expired, 0)));

  for (guint i = 0; i < submissions->len; i++)
    {
      const char *id = g_ptr_array_index (submissions, i);
      g_autoptr(sqlite3_stmt) remove = NULL;

      collect_strings (self, "SELECT p.blob_id FROM pages p JOIN documents d ON d.id = p.document_id "
                             "WHERE d.submission_id = ?", id, blobs);
      collect_strings (self, "SELECT pdf_blob_id FROM documents WHERE submission_id = ?", id, blobs);
      collect_strings (self, "SELECT blob_id FROM decisions WHERE submission_id = ?", id, blobs);

      remove = sb_store_prepare (self, "DELETE FROM submissions WHERE id = ?", error);
      if (remove == NULL)
        goto rollback;
      sqlite3_bind_text (remove, 1, id, -1, SQLITE_STATIC);
      if (!sb_store_step_done (self, remove, error) ||
          !sb_store_audit_locked (self, NULL, "submission.purge", id, error))
        goto rollback;
    }

  {
    /* A citizen goes only once the platform has them (their account is
     * confirmed) and nothing of theirs is left here or waits to be sent:
     * what was never confirmed is never lost. */
    g_autoptr(sqlite3_stmt) citizens =
      sb_store_prepare (self, "DELETE FROM citizens WHERE updated_at <= ?1 "
                              "AND id IN (SELECT citizen_id FROM accounts WHERE state = ?3) "
                              "AND id NOT IN (SELECT citizen_id FROM submissions) "
                              "AND id NOT IN (SELECT a.citizen_id FROM accounts a JOIN outbox o "
                              "  ON o.entity_id = a.id WHERE o.state != ?2)", error);

    if (citizens == NULL)
      goto rollback;
    sqlite3_bind_int64 (citizens, 1, now - retention_seconds);
    sqlite3_bind_int (citizens, 2, SB_OUTBOX_STATE_DELIVERED);
    sqlite3_bind_int (citizens, 3, SB_ACCOUNT_STATE_CREATED);
    if (!sb_store_step_done (self, citizens, error))
      goto rollback;
  }

  if (!sb_store_commit (self, error))
    goto out;

  for (guint i = 0; i < blobs->len; i++)
    sb_vault_remove_blob (self->blob_dir, g_ptr_array_index (blobs, i));
  remove_orphan_blobs (self, now);

  /* The purged rows leave the write-ahead log too. Best effort: another
   * thread's statement may be reading (the checkpoint is then "locked"),
   * and SQLite's own checkpoints or the next purge do it later. */
  {
    g_autoptr(GError) checkpoint_error = NULL;

    if (!sb_store_exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", &checkpoint_error))
      g_debug ("The store's log was not checkpointed after the purge: %s", checkpoint_error->message);
  }
  ok = TRUE;
  goto out;

rollback:
  sb_store_rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok ? submissions->len : 0;
}

static gboolean
check_sealed_table (SbStore    *self,
                    const char *table,
                    GString    *report,
                    guint      *checked)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id, sealed FROM %s", table);
  g_autoptr(sqlite3_stmt) stmt = sb_store_prepare (self, sql, NULL);
  gboolean ok = TRUE;

  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *context = g_strconcat (table, "/", sqlite3_column_text (stmt, 0), NULL);
      g_autoptr(GBytes) plain = sb_vault_open (self->vault, context, sqlite3_column_blob (stmt, 1),
                                               sqlite3_column_bytes (stmt, 1), &error);

      (*checked)++;
      if (plain == NULL)
        {
          ok = FALSE;
          g_string_append_printf (report, "%s\n", error->message);
        }
    }

  return ok && stmt != NULL;
}

static gboolean
check_blobs (SbStore    *self,
             const char *sql,
             GString    *report,
             guint      *checked)
{
  g_autoptr(sqlite3_stmt) stmt = sb_store_prepare (self, sql, NULL);
  gboolean ok = TRUE;

  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GError) error = NULL;
      const char *blob_id = (const char *)sqlite3_column_text (stmt, 0);
      g_autoptr(GBytes) data = NULL;

      if (blob_id == NULL)
        continue;
      (*checked)++;
      data = sb_vault_read_blob (self->vault, self->blob_dir, blob_id, &error);
      if (data == NULL)
        {
          ok = FALSE;
          g_string_append_printf (report, "%s\n", error->message);
        }
    }

  return ok && stmt != NULL;
}

/**
 * sb_store_check:
 * @report: receives what was checked and what was found, in plain words
 *
 * Runs SQLite's integrity and foreign-key checks and decrypts every record
 * and every scan.
 *
 * Returns: %TRUE when everything is sound
 */
gboolean
sb_store_check (SbStore  *self,
                GString  *report,
                GError  **error)
{
  g_autoptr(sqlite3_stmt) integrity = NULL;
  g_autoptr(sqlite3_stmt) keys = NULL;
  static const char * const sealed_tables[] = { "citizens", "submissions", "documents", "messages", "decisions" };
  gboolean ok = TRUE;
  guint records = 0, scans = 0;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  g_mutex_lock (&self->lock);

  integrity = sb_store_prepare (self, "PRAGMA integrity_check", error);
  if (integrity == NULL)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  while (sqlite3_step (integrity) == SQLITE_ROW)
    {
      const char *line = (const char *)sqlite3_column_text (integrity, 0);

      if (g_strcmp0 (line, "ok") != 0)
        {
          ok = FALSE;
          g_string_append_printf (report, _("Database damage: %s\n"), line);
        }
    }

  keys = sb_store_prepare (self, "PRAGMA foreign_key_check", error);
  while (keys != NULL && sqlite3_step (keys) == SQLITE_ROW)
    {
      ok = FALSE;
      g_string_append_printf (report, _("A record in “%s” refers to one in “%s” that is missing.\n"),
                              sqlite3_column_text (keys, 0), sqlite3_column_text (keys, 2));
    }

  for (guint i = 0; i < G_N_ELEMENTS (sealed_tables); i++)
    ok &= check_sealed_table (self, sealed_tables[i], report, &records);

  ok &= check_blobs (self, "SELECT blob_id FROM pages", report, &scans);
  ok &= check_blobs (self, "SELECT pdf_blob_id FROM documents", report, &scans);
  ok &= check_blobs (self, "SELECT blob_id FROM decisions", report, &scans);
  ok &= check_blobs (self, "SELECT blob_id FROM tray_pages", report, &scans);

  g_mutex_unlock (&self->lock);

  if (self->read_only)
    g_string_append_printf (report, "%s\n", self->problem);

  if (ok)
    g_string_append_printf (report,
                            _("The store is sound: the database passed its integrity check, and "
                              "%u records and %u scans were decrypted with the key from the keyring.\n"),
                            records, scans);
  else
    g_string_append_printf (report,
                            _("The store has problems (see above). %u records and %u scans were "
                              "checked. Keep the store folder as it is and restore it from the "
                              "backup, or ask the Servicebüro developers for help.\n"),
                            records, scans);

  return ok && !self->read_only;
}
