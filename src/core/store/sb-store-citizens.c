/* sb-store-citizens.c — citizens, their accounts, and offline search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <sodium.h>

#include "sb-store-private.h"

static void
add_tokens (GPtrArray  *tokens,
            const char *text,
            guint       min_prefix)
{
  g_ptr_array_extend_and_steal (tokens, sb_vault_search_tokens (text, min_prefix));
}

/**
 * sb_store_citizen_search_tokens:
 *
 * What a clerk may type to find someone: any part of a name from its second
 * letter on, the birth date as written on documents, a document number from
 * its fourth character on, the e-mail address, the phone number.
 *
 * Returns: (transfer full) (element-type utf8): plain-text tokens; only
 *   their tags are stored
 */
GPtrArray *
sb_store_citizen_search_tokens (SbCitizen *citizen)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  const char *birth = sb_citizen_get_birth_date (citizen);
  GListModel *documents = sb_citizen_get_identity_documents (citizen);

  add_tokens (tokens, sb_citizen_get_given_names (citizen), 2);
  add_tokens (tokens, sb_citizen_get_family_name (citizen), 2);
  add_tokens (tokens, sb_citizen_get_given_names_latin (citizen), 2);
  add_tokens (tokens, sb_citizen_get_family_name_latin (citizen), 2);
  add_tokens (tokens, sb_citizen_get_email (citizen), 0);
  add_tokens (tokens, sb_citizen_get_phone (citizen), 0);

  if (sb_partial_date_is_valid (birth))
    {
      g_autofree char *year = g_strndup (birth, 4);

      add_tokens (tokens, birth, 0);
      add_tokens (tokens, year, 0);
      if (strlen (birth) == 10)
        {
          g_autofree char *german = g_strdup_printf ("%.2s.%.2s.%.4s", birth + 8, birth + 5, birth);

          add_tokens (tokens, german, 0);
        }
    }

  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(SbIdentityDocument) document = g_list_model_get_item (documents, i);

      add_tokens (tokens, sb_identity_document_get_number (document), 4);
    }

  return tokens;
}

gboolean
sb_store_reindex_citizen_locked (SbStore    *self,
                                 SbCitizen  *citizen,
                                 GError    **error)
{
  g_autoptr(sqlite3_stmt) clear =
    sb_store_prepare (self, "DELETE FROM citizen_search WHERE citizen_id = ?", error);
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  const char *id = sb_citizen_get_id (citizen);

  if (clear == NULL)
    return FALSE;

  sqlite3_bind_text (clear, 1, id, -1, SQLITE_STATIC);
  if (!sb_store_step_done (self, clear, error))
    return FALSE;

  insert = sb_store_prepare (self, "INSERT OR IGNORE INTO citizen_search (tag, citizen_id) VALUES (?, ?)", error);
  if (insert == NULL)
    return FALSE;

  tokens = sb_store_citizen_search_tokens (citizen);
  for (guint i = 0; i < tokens->len; i++)
    {
      g_autoptr(GBytes) tag = sb_vault_tag (self->vault, g_ptr_array_index (tokens, i));

      sqlite3_reset (insert);
      sqlite3_bind_blob (insert, 1, g_bytes_get_data (tag, NULL), (int)g_bytes_get_size (tag), SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, id, -1, SQLITE_STATIC);
      if (!sb_store_step_done (self, insert, error))
        return FALSE;
    }

  return TRUE;
}

/* A row of (id, created_at, updated_at, sealed). */
SbCitizen *
sb_store_citizen_from_row (SbStore       *self,
                           sqlite3_stmt  *stmt,
                           GError       **error)
{
  const char *id = (const char *)sqlite3_column_text (stmt, 0);
  GObject *object = sb_store_unseal_object (self, SB_TYPE_CITIZEN, "citizens", id,
                                            sqlite3_column_blob (stmt, 3),
                                            sqlite3_column_bytes (stmt, 3), error);
  SbCitizen *citizen;

  if (object == NULL)
    return NULL;

  citizen = SB_CITIZEN (object);
  sb_citizen_set_id (citizen, id);
  sb_citizen_set_created_at (citizen, sqlite3_column_int64 (stmt, 1));
  sb_citizen_set_updated_at (citizen, sqlite3_column_int64 (stmt, 2));

  return citizen;
}

static gboolean
validate_citizen (SbCitizen  *citizen,
                  GError    **error)
{
  const char *birth = sb_citizen_get_birth_date (citizen);
  const char *nationality = sb_citizen_get_nationality (citizen);

  if (sb_citizen_get_id (citizen) == NULL || !g_uuid_string_is_valid (sb_citizen_get_id (citizen)))
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID,
                           "A citizen needs a UUID before it is saved");
      return FALSE;
    }

  if (birth != NULL && !sb_partial_date_is_valid (birth))
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID,
                           _("The birth date is not a date. Enter it as year, year and month, or "
                             "the full date, e.g. 1990, 1990-05 or 1990-05-17."));
      return FALSE;
    }

  if (nationality != NULL &&
      (strlen (nationality) != 3 || !g_ascii_isupper (nationality[0]) ||
       !g_ascii_isupper (nationality[1]) || !g_ascii_isupper (nationality[2])))
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID,
                           _("The nationality must be a three-letter country code (ISO 3166-1 "
                             "alpha-3), e.g. DEU, TUR or XXA for stateless."));
      return FALSE;
    }

  return TRUE;
}

/**
 * sb_store_save_citizen:
 *
 * Saves @citizen as it is now, new or changed, with its search index and an
 * audit entry, in one transaction that has reached the disk on return.
 */
gboolean
sb_store_save_citizen (SbStore    *self,
                       SbCitizen  *citizen,
                       GError    **error)
{
  g_autoptr(sqlite3_stmt) exists = NULL;
  g_autoptr(sqlite3_stmt) upsert = NULL;
  g_autoptr(GBytes) sealed = NULL;
  const char *id;
  gboolean is_new;
  gint64 now = sb_store_now ();
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (SB_IS_CITIZEN (citizen), FALSE);

  if (!validate_citizen (citizen, error))
    return FALSE;

  id = sb_citizen_get_id (citizen);

  g_mutex_lock (&self->lock);

  if (!sb_store_begin (self, error))
    goto out;

  exists = sb_store_prepare (self, "SELECT 1 FROM citizens WHERE id = ?", error);
  if (exists == NULL)
    goto rollback;
  sqlite3_bind_text (exists, 1, id, -1, SQLITE_STATIC);
  is_new = sqlite3_step (exists) != SQLITE_ROW;

  if (sb_citizen_get_created_at (citizen) == 0)
    sb_citizen_set_created_at (citizen, now);
  sb_citizen_set_updated_at (citizen, now);

  sealed = sb_store_seal_object (self, "citizens", id, G_OBJECT (citizen));
  upsert = sb_store_prepare (self,
                             "INSERT INTO citizens (id, created_at, updated_at, sealed) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, "
                             "sealed = excluded.sealed", error);
  if (upsert == NULL)
    goto rollback;

  sqlite3_bind_text (upsert, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (upsert, 2, sb_citizen_get_created_at (citizen));
  sqlite3_bind_int64 (upsert, 3, now);
  sqlite3_bind_blob (upsert, 4, g_bytes_get_data (sealed, NULL), (int)g_bytes_get_size (sealed), SQLITE_STATIC);

  if (!sb_store_step_done (self, upsert, error) ||
      !sb_store_reindex_citizen_locked (self, citizen, error) ||
      !sb_store_audit_locked (self, id, is_new ? "citizen.create" : "citizen.change", id, error))
    goto rollback;

  ok = sb_store_commit (self, error);
  goto out;

rollback:
  sb_store_rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok;
}

void
sb_store_save_citizen_async (SbStore             *self,
                             SbCitizen           *citizen,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (SB_IS_STORE (self));
  g_return_if_fail (SB_IS_CITIZEN (citizen));

  sb_store_write_async (self, (SbStoreWriteFunc)sb_store_save_citizen, citizen,
                        sb_store_save_citizen_async, cancellable, callback, user_data);
}

gboolean
sb_store_save_citizen_finish (SbStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return sb_store_write_finish (self, result, error);
}

/**
 * sb_store_load_citizen:
 *
 * Returns: (transfer full): the citizen, or %NULL with @error set
 */
SbCitizen *
sb_store_load_citizen (SbStore     *self,
                       const char  *citizen_id,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  SbCitizen *citizen = NULL;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);
  g_return_val_if_fail (citizen_id != NULL, NULL);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT id, created_at, updated_at, sealed FROM citizens WHERE id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, citizen_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        citizen = sb_store_citizen_from_row (self, stmt, error);
      else
        g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_NOT_FOUND,
                             _("This citizen is not stored at this desk (any more)."));
    }
  g_mutex_unlock (&self->lock);

  return citizen;
}

/**
 * sb_store_search_citizens:
 * @query: words as a clerk types them: names or their beginnings, a birth
 *   date, a document number, an e-mail address
 *
 * Searches the blind index: no name or number is ever compared in plain
 * text. A citizen matches when every word matches.
 *
 * Returns: (transfer full): a list of #SbCitizen, most recently changed first
 */
GListModel *
sb_store_search_citizens (SbStore     *self,
                          const char  *query,
                          GError     **error)
{
  g_autoptr(GListStore) results = g_list_store_new (SB_TYPE_CITIZEN);
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  tags = sb_vault_query_tags (self->vault, query ? query : "");
  if (tags->len == 0)
    return G_LIST_MODEL (g_steal_pointer (&results));

  g_string_append (sql, "SELECT id, created_at, updated_at, sealed FROM citizens WHERE id IN ("
                        "SELECT citizen_id FROM citizen_search WHERE tag = ?");
  for (guint i = 1; i < tags->len; i++)
    g_string_append (sql, " INTERSECT SELECT citizen_id FROM citizen_search WHERE tag = ?");
  g_string_append (sql, ") ORDER BY updated_at DESC LIMIT 200");

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, sql->str, error);
  if (stmt == NULL)
    ok = FALSE;

  for (guint i = 0; ok && i < tags->len; i++)
    {
      GBytes *tag = g_ptr_array_index (tags, i);

      sqlite3_bind_blob (stmt, (int)i + 1, g_bytes_get_data (tag, NULL), (int)g_bytes_get_size (tag), SQLITE_STATIC);
    }

  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(SbCitizen) citizen = sb_store_citizen_from_row (self, stmt, error);

      if (citizen == NULL)
        ok = FALSE;
      else
        g_list_store_append (results, citizen);
    }
  g_mutex_unlock (&self->lock);

  if (!ok)
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&results));
}

/* The account's row, with what goes with it: the outbox item of an account
 * to create, or nothing for one the platform has already. */
static gboolean
insert_account (SbStore    *self,
                SbAccount  *account,
                GError    **error)
{
  gboolean linked = sb_account_get_platform_id (account) != NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (SB_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (sb_account_get_id (account) && sb_account_get_citizen_id (account), FALSE);

  g_mutex_lock (&self->lock);
  if (!sb_store_begin (self, error))
    goto out;

  stmt = sb_store_prepare (self, "INSERT INTO accounts (id, citizen_id, platform_id, state, updated_at) "
                                 "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto rollback;

  sb_account_set_state (account, linked ? SB_ACCOUNT_STATE_CREATED : SB_ACCOUNT_STATE_QUEUED);
  sb_account_set_updated_at (account, sb_store_now ());
  sqlite3_bind_text (stmt, 1, sb_account_get_id (account), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sb_account_get_citizen_id (account), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, sb_account_get_platform_id (account), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, sb_account_get_state (account));
  sqlite3_bind_int64 (stmt, 5, sb_account_get_updated_at (account));

  if (!sb_store_step_done (self, stmt, error) ||
      (!linked && !sb_store_outbox_add_locked (self, "account.create", sb_account_get_id (account), error)) ||
      !sb_store_audit_locked (self, sb_account_get_citizen_id (account), linked ? "account.linked" : "account.create",
                              linked ? sb_account_get_platform_id (account) : sb_account_get_id (account), error))
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
 * sb_store_create_account:
 *
 * Records that the citizen's platform account is to be created and queues
 * the request in the outbox, in one transaction.
 */
gboolean
sb_store_create_account (SbStore    *self,
                         SbAccount  *account,
                         GError    **error)
{
  g_return_val_if_fail (SB_IS_ACCOUNT (account) && sb_account_get_platform_id (account) == NULL, FALSE);

  return insert_account (self, account, error);
}

/**
 * sb_store_link_account:
 *
 * The citizen has an account on the platform already (found by the
 * search at the counter): the desk's account is that one, with nothing to
 * send, in one transaction with its audit entry.
 */
gboolean
sb_store_link_account (SbStore    *self,
                       SbAccount  *account,
                       GError    **error)
{
  g_return_val_if_fail (SB_IS_ACCOUNT (account) && sb_account_get_platform_id (account) != NULL, FALSE);

  return insert_account (self, account, error);
}

/**
 * sb_store_load_account:
 *
 * Returns: (transfer full) (nullable): the citizen's account, or %NULL
 *   (without @error) when the citizen has none yet
 */
SbAccount *
sb_store_load_account (SbStore     *self,
                       const char  *citizen_id,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  SbAccount *account = NULL;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT id, platform_id, state, updated_at FROM accounts WHERE citizen_id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, citizen_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          account = sb_account_new ();
          sb_account_set_id (account, (const char *)sqlite3_column_text (stmt, 0));
          sb_account_set_citizen_id (account, citizen_id);
          sb_account_set_platform_id (account, (const char *)sqlite3_column_text (stmt, 1));
          sb_account_set_state (account, sqlite3_column_int (stmt, 2));
          sb_account_set_updated_at (account, sqlite3_column_int64 (stmt, 3));
        }
    }
  g_mutex_unlock (&self->lock);

  return account;
}

/**
 * sb_store_account_set_activation:
 *
 * Keeps the one-time activation code the platform gave the account,
 * sealed like everything personal, for printing the letter.
 */
gboolean
sb_store_account_set_activation (SbStore     *self,
                                 const char  *account_id,
                                 const char  *code,
                                 const char  *expires,
                                 GError     **error)
{
  g_autofree char *context = g_strconcat ("accounts-activation/", account_id, NULL);
  g_autofree char *plain = g_strdup_printf ("%s\n%s", code, expires != NULL ? expires : "");
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (account_id != NULL && code != NULL, FALSE);

  sealed = sb_vault_seal (self->vault, context, plain, strlen (plain));
  sodium_memzero (plain, strlen (plain));

  g_mutex_lock (&self->lock);
  if (sb_store_begin (self, error))
    {
      stmt = sb_store_prepare (self, "UPDATE accounts SET activation = ? WHERE id = ?", error);
      if (stmt != NULL)
        {
          sqlite3_bind_blob (stmt, 1, g_bytes_get_data (sealed, NULL), (int)g_bytes_get_size (sealed), SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, account_id, -1, SQLITE_STATIC);
          ok = sb_store_step_done (self, stmt, error) &&
               sb_store_audit_locked (self, NULL, "account.activation", account_id, error);
          g_clear_pointer (&stmt, sqlite3_finalize);
        }
      if (ok)
        ok = sb_store_commit (self, error);
      else
        sb_store_rollback (self);
    }
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * sb_store_account_get_activation:
 * @code: (out): the activation code
 * @expires: (out): when it stops working (ISO 8601), or ""
 *
 * Returns: %TRUE with the code; %FALSE without @error when the platform
 *   has not confirmed the account (or given a code) yet
 */
gboolean
sb_store_account_get_activation (SbStore     *self,
                                 const char  *account_id,
                                 char       **code,
                                 char       **expires,
                                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *context = g_strconcat ("accounts-activation/", account_id, NULL);

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);

  g_mutex_lock (&self->lock);
  stmt = sb_store_prepare (self, "SELECT activation FROM accounts WHERE id = ? AND activation IS NOT NULL", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        plain = sb_vault_open (self->vault, context, sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0), error);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_mutex_unlock (&self->lock);

  if (plain == NULL)
    return FALSE;
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
    char *newline = strchr (text, '\n');

    *expires = g_strdup (newline != NULL ? newline + 1 : "");
    if (newline != NULL)
      *newline = '\0';
    *code = g_strdup (text);
    sodium_memzero (text, strlen (text));
  }
  return TRUE;
}
