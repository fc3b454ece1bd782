/* sb-store-tray.c — the scan tray: pages at the desk before they are a document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page is kept the moment it is scanned — encrypted like every scan — so a
 * crash or a power cut in the middle of a feeder batch loses nothing. Edits
 * (turning, moving, deleting) change the row, never the image, and can be
 * undone until the tray is emptied.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sb-store-private.h"

void
sb_tray_entry_free (SbTrayEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->blob_id);
  g_free (entry->settings);
  g_free (entry);
}

/**
 * sb_store_tray_add:
 * @image: the page compressed for keeping (JPEG or TIFF)
 * @settings: (nullable): JSON about how it was made
 *
 * The blob reaches the disk before the row that names it.
 */
gboolean
sb_store_tray_add (SbStore     *self,
                   const char  *page_id,
                   guint        position,
                   GBytes      *image,
                   const char  *settings,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *blob_id = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (page_id != NULL && image != NULL, FALSE);

  if (!sb_store_check_writable (self, error))
    return FALSE;

  blob_id = g_uuid_string_random ();
  if (!sb_vault_write_blob (self->vault, self->blob_dir, blob_id, image, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;

  stmt = sb_store_prepare (self, "INSERT INTO tray_pages (id, position, blob_id, created_at, settings) "
                                 "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_text (stmt, 1, page_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, (int)position);
  sqlite3_bind_text (stmt, 3, blob_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, sb_store_now ());
  sqlite3_bind_text (stmt, 5, settings != NULL ? settings : "{}", -1, SQLITE_STATIC);

  if (!sb_store_step_done (self, stmt, error) ||
      !sb_store_audit_locked (self, NULL, "tray.add", page_id, error))
    goto rollback;

  g_clear_pointer (&stmt, sqlite3_finalize);
  ok = sb_store_commit (self, error);
  goto out;

rollback:
  sb_store_rollback (self);
out:
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_mutex_unlock (&self->lock);
  if (!ok)
    sb_vault_remove_blob (self->blob_dir, blob_id);
  return ok;
}

/**
 * sb_store_tray_update:
 * @rotation: clockwise quarter turns
 * @deleted: a deleted page stays (for undo) until the tray is purged
 */
gboolean
sb_store_tray_update (SbStore     *self,
                      const char  *page_id,
                      int          rotation,
                      gboolean     deleted,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (page_id != NULL, FALSE);

  if (!sb_store_check_writable (self, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "UPDATE tray_pages SET rotation = ?, deleted = ? WHERE id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, ((rotation % 4) + 4) % 4);
      sqlite3_bind_int (stmt, 2, deleted ? 1 : 0);
      sqlite3_bind_text (stmt, 3, page_id, -1, SQLITE_STATIC);
      ok = sb_store_step_done (self, stmt, error);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * sb_store_tray_reorder:
 * @page_ids: (array zero-terminated=1): the pages in their new order
 */
gboolean
sb_store_tray_reorder (SbStore             *self,
                       const char * const  *page_ids,
                       GError             **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (page_ids != NULL, FALSE);

  if (!sb_store_check_writable (self, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;

  for (guint i = 0; page_ids[i] != NULL; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = sb_store_prepare (self, "UPDATE tray_pages SET position = ? WHERE id = ?", error);

      if (stmt == NULL)
        goto rollback;
      sqlite3_bind_int (stmt, 1, (int)i);
      sqlite3_bind_text (stmt, 2, page_ids[i], -1, SQLITE_STATIC);
      if (!sb_store_step_done (self, stmt, error))
        goto rollback;
    }

  ok = sb_store_commit (self, error);
  goto out;

rollback:
  sb_store_rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * sb_store_tray_list:
 *
 * Returns: (transfer full) (element-type SbTrayEntry): the tray's pages in
 *   order, deleted ones included
 */
GPtrArray *
sb_store_tray_list (SbStore  *self,
                    GError  **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_tray_entry_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT id, position, blob_id, rotation, deleted, created_at, settings "
                                 "FROM tray_pages ORDER BY position, created_at", error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SbTrayEntry *entry = g_new0 (SbTrayEntry, 1);

      entry->id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      entry->position = (guint)sqlite3_column_int (stmt, 1);
      entry->blob_id = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      entry->rotation = sqlite3_column_int (stmt, 3);
      entry->deleted = sqlite3_column_int (stmt, 4) != 0;
      entry->created_at = sqlite3_column_int64 (stmt, 5);
      entry->settings = g_strdup ((const char *)sqlite3_column_text (stmt, 6));
      g_ptr_array_add (entries, entry);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc != SQLITE_DONE)
    {
      sb_store_set_sqlite_error (self, rc, error);
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  g_mutex_unlock (&self->lock);

  return g_steal_pointer (&entries);
}

/**
 * sb_store_tray_open_image:
 *
 * Returns: (transfer full): the page's image, decrypted
 */
GBytes *
sb_store_tray_open_image (SbStore     *self,
                          const char  *page_id,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *blob_id = NULL;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT blob_id FROM tray_pages WHERE id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, page_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        blob_id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      else
        g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_NOT_FOUND,
                             _("This page is no longer in the scan tray. Scan it again."));
    }
  /* Done with the connection before it is another thread's: a statement
   * left open holds a read transaction that writers then trip over. */
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_mutex_unlock (&self->lock);

  if (blob_id == NULL)
    return NULL;
  return sb_vault_read_blob (self->vault, self->blob_dir, blob_id, error);
}

/**
 * sb_store_tray_purge:
 * @everything: empty the whole tray ("next citizen"), not only the
 *   deleted pages
 *
 * Returns: how many pages went
 */
guint
sb_store_tray_purge (SbStore   *self,
                     gboolean   everything,
                     GError   **error)
{
  g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) remove = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), 0);

  if (!sb_store_check_writable (self, error))
    return 0;

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;

  select = sb_store_prepare (self, everything ? "SELECT blob_id FROM tray_pages"
                                              : "SELECT blob_id FROM tray_pages WHERE deleted = 1", error);
  remove = sb_store_prepare (self, everything ? "DELETE FROM tray_pages"
                                              : "DELETE FROM tray_pages WHERE deleted = 1", error);
  if (select == NULL || remove == NULL)
    goto rollback;
  while (sqlite3_step (select) == SQLITE_ROW)
    g_ptr_array_add (blobs, g_strdup ((const char *)sqlite3_column_text (select, 0)));
  g_clear_pointer (&select, sqlite3_finalize);
  if (!sb_store_step_done (self, remove, error) ||
      (blobs->len > 0 && !sb_store_audit_locked (self, NULL, everything ? "tray.empty" : "tray.purge", "tray", error)))
    goto rollback;

  g_clear_pointer (&remove, sqlite3_finalize);
  ok = sb_store_commit (self, error);
  goto out;

rollback:
  sb_store_rollback (self);
out:
  g_clear_pointer (&select, sqlite3_finalize);
  g_clear_pointer (&remove, sqlite3_finalize);
  g_mutex_unlock (&self->lock);
  if (!ok)
    return 0;

  /* Rows first, then blobs: a crash in between leaves orphans, which the
   * store's maintenance removes, never a row without its image. */
  for (guint i = 0; i < blobs->len; i++)
    sb_vault_remove_blob (self->blob_dir, g_ptr_array_index (blobs, i));
  return blobs->len;
}
