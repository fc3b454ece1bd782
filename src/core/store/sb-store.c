/* sb-store.c — opening the store, its schema and the plumbing of its writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SQLite in WAL mode with synchronous=FULL: a write that returned has
 * reached the disk and survives kill -9 and power loss. Every schema change
 * is one transaction that also sets user_version, so a crash mid-migration
 * leaves the previous version intact. A store that fails its quick_check is
 * opened read-only and kept as it is; it is never recreated behind the
 * clerk's back.
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <sys/vfs.h>

#include "sb-keyring.h"
#include "sb-store-private.h"

G_DEFINE_QUARK (sb-store-error-quark, sb_store_error)
G_DEFINE_FINAL_TYPE (SbStore, sb_store, G_TYPE_OBJECT)

static void (*migration_hook) (guint version);

static const char * const migrations[SB_STORE_SCHEMA_VERSION] = {
  /* 1: the domain, the outbox and the append-only audit log */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);"
  "CREATE TABLE citizens (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL, sealed BLOB NOT NULL);"
  "CREATE TABLE accounts (id TEXT PRIMARY KEY,"
  "  citizen_id TEXT NOT NULL UNIQUE REFERENCES citizens(id) ON DELETE CASCADE,"
  "  platform_id TEXT, state INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
  "CREATE TABLE submissions (id TEXT PRIMARY KEY,"
  "  citizen_id TEXT NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,"
  "  service_id TEXT NOT NULL, state INTEGER NOT NULL, representation INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, sealed BLOB NOT NULL);"
  "CREATE INDEX submissions_by_citizen ON submissions(citizen_id);"
  "CREATE TABLE documents (id TEXT PRIMARY KEY,"
  "  submission_id TEXT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL, pdf_blob_id TEXT, created_at INTEGER NOT NULL, sealed BLOB NOT NULL);"
  "CREATE INDEX documents_by_submission ON documents(submission_id);"
  "CREATE TABLE pages (id TEXT PRIMARY KEY,"
  "  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL, blob_id TEXT NOT NULL, rotation INTEGER NOT NULL,"
  "  settings TEXT NOT NULL);"
  "CREATE INDEX pages_by_document ON pages(document_id, position);"
  "CREATE TABLE messages (id TEXT PRIMARY KEY,"
  "  submission_id TEXT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,"
  "  direction INTEGER NOT NULL, created_at INTEGER NOT NULL, sealed BLOB NOT NULL);"
  "CREATE TABLE decisions (id TEXT PRIMARY KEY,"
  "  submission_id TEXT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,"
  "  blob_id TEXT NOT NULL, received_at INTEGER NOT NULL, sealed BLOB NOT NULL);"
  "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL, entity_id TEXT NOT NULL, idempotency_key TEXT NOT NULL UNIQUE,"
  "  state INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL, delivered_at INTEGER, last_error TEXT);"
  "CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,"
  "  staff TEXT NOT NULL, citizen_id TEXT, action TEXT NOT NULL, subject TEXT NOT NULL);"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
  "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
  "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",

  /* 2: offline search through a blind index, and retention after delivery */
  "CREATE TABLE citizen_search (tag BLOB NOT NULL,"
  "  citizen_id TEXT NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,"
  "  PRIMARY KEY (tag, citizen_id)) WITHOUT ROWID;"
  "CREATE INDEX citizen_search_by_citizen ON citizen_search(citizen_id);"
  "ALTER TABLE submissions ADD COLUMN delivered_at INTEGER;"
  "CREATE INDEX outbox_by_state ON outbox(state, seq);",

  /* 3: sync: when to try an item again, the platform's problem with it,
   * where each document's upload stands, and the sync cursors */
  "ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE outbox ADD COLUMN problem TEXT;"
  "CREATE TABLE uploads (outbox_id TEXT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,"
  "  document_id TEXT NOT NULL, url TEXT, length INTEGER NOT NULL, sha256 TEXT NOT NULL,"
  "  offset INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (outbox_id, document_id)) WITHOUT ROWID;"
  "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
  "ALTER TABLE submissions ADD COLUMN platform_status TEXT;",

  /* 4: the scan tray: pages scanned or imported at the desk that are not
   * yet part of a document; deleted ones stay until the tray is emptied so
   * that a deletion can be undone */
  "CREATE TABLE tray_pages (id TEXT PRIMARY KEY, position INTEGER NOT NULL,"
  "  blob_id TEXT NOT NULL, rotation INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL, settings TEXT NOT NULL);"
  "CREATE INDEX tray_pages_by_position ON tray_pages(position);",

  /* 5: the activation code the platform gave a new account, sealed, for
   * the letter the citizen takes home */
  "ALTER TABLE accounts ADD COLUMN activation BLOB;",

  /* 6: every status the platform gave an application, for its timeline */
  "CREATE TABLE status_changes (submission_id TEXT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,"
  "  cursor INTEGER NOT NULL, status TEXT NOT NULL, at INTEGER NOT NULL,"
  "  PRIMARY KEY (submission_id, cursor)) WITHOUT ROWID;",
};

gint64
sb_store_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
sb_store_set_sqlite_error (SbStore  *self,
                           int       rc,
                           GError  **error)
{
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_DISK_FULL,
                           _("The disk is full, so this change was not saved. Everything saved "
                             "before is intact. Ask IT to free space on this computer."));
      break;

    case SQLITE_READONLY:
    case SQLITE_PERM:
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_READ_ONLY,
                           _("This desk’s store cannot be written, so this change was not saved. "
                             "Ask IT to check the permissions of the store."));
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_CORRUPT,
                           _("This desk’s store is damaged. Ask IT to run “servicebuero-ctl check”."));
      break;

    default:
      /* Parameters are bound, never formatted into SQL: the message names
       * no personal data. */
      g_set_error (error, SB_STORE_ERROR, SB_STORE_ERROR_FAILED,
                   _("This desk’s store could not save the change (%s). Everything saved before "
                     "is intact; try again."),
                   self && self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      break;
    }
}

gboolean
sb_store_exec (SbStore     *self,
               const char  *sql,
               GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      sb_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

sqlite3_stmt *
sb_store_prepare (SbStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      sb_store_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return stmt;
}

gboolean
sb_store_step_done (SbStore       *self,
                    sqlite3_stmt  *stmt,
                    GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      sb_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
sb_store_check_writable (SbStore  *self,
                         GError  **error)
{
  if (!self->read_only)
    return TRUE;

  g_set_error (error, SB_STORE_ERROR, SB_STORE_ERROR_READ_ONLY,
               _("Nothing can be saved: %s"), self->problem);
  return FALSE;
}

gboolean
sb_store_begin (SbStore  *self,
                GError  **error)
{
  return sb_store_check_writable (self, error) && sb_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
sb_store_commit (SbStore  *self,
                 GError  **error)
{
  if (!sb_store_exec (self, "COMMIT", error))
    {
      sb_store_rollback (self);
      return FALSE;
    }

  return TRUE;
}

void
sb_store_rollback (SbStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
sb_store_audit_locked (SbStore     *self,
                       const char  *citizen_id,
                       const char  *action,
                       const char  *subject,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    sb_store_prepare (self, "INSERT INTO audit (at, staff, citizen_id, action, subject) "
                            "VALUES (?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  sqlite3_bind_text (stmt, 2, self->staff ? self->staff : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, citizen_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, subject, -1, SQLITE_TRANSIENT);

  return sb_store_step_done (self, stmt, error);
}

gboolean
sb_store_outbox_add_locked (SbStore     *self,
                            const char  *kind,
                            const char  *entity_id,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    sb_store_prepare (self, "INSERT INTO outbox (id, kind, entity_id, idempotency_key, state, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?)", error);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *key = g_uuid_string_random ();

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, entity_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, SB_OUTBOX_STATE_WAITING);
  sqlite3_bind_int64 (stmt, 6, sb_store_now ());

  return sb_store_step_done (self, stmt, error);
}

static JsonNode *
serialize_list (GListModel *list)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (list, i);

      json_array_add_element (array, json_gobject_serialize (item));
    }

  json_node_take_array (node, array);
  return node;
}

static void
deserialize_list (JsonObject *object,
                  const char *member,
                  GType       type,
                  GListModel *list)
{
  JsonArray *array;

  if (!json_object_has_member (object, member))
    return;

  array = json_object_get_array_member (object, member);
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      g_autoptr(GObject) item = json_gobject_deserialize (type, json_array_get_element (array, i));

      g_list_store_append (G_LIST_STORE (list), item);
    }
}

/* The object's properties as JSON, with the lists it owns. */
static JsonNode *
object_to_json (GObject *object)
{
  JsonNode *node = json_gobject_serialize (object);
  JsonObject *json = json_node_get_object (node);

  if (SB_IS_CITIZEN (object))
    {
      json_object_set_member (json, "identity-documents",
                              serialize_list (sb_citizen_get_identity_documents (SB_CITIZEN (object))));
      json_object_set_member (json, "confirmations",
                              serialize_list (sb_citizen_get_confirmations (SB_CITIZEN (object))));
      json_object_set_member (json, "consents", serialize_list (sb_citizen_get_consents (SB_CITIZEN (object))));
    }
  else if (SB_IS_SUBMISSION (object))
    {
      json_object_set_member (json, "consents",
                              serialize_list (sb_submission_get_consents (SB_SUBMISSION (object))));
    }

  return node;
}

static GObject *
object_from_json (GType     type,
                  JsonNode *node)
{
  GObject *object = json_gobject_deserialize (type, node);
  JsonObject *json = json_node_get_object (node);

  if (SB_IS_CITIZEN (object))
    {
      deserialize_list (json, "identity-documents", SB_TYPE_IDENTITY_DOCUMENT,
                        sb_citizen_get_identity_documents (SB_CITIZEN (object)));
      deserialize_list (json, "confirmations", SB_TYPE_IDENTITY_CONFIRMATION,
                        sb_citizen_get_confirmations (SB_CITIZEN (object)));
      deserialize_list (json, "consents", SB_TYPE_CONSENT, sb_citizen_get_consents (SB_CITIZEN (object)));
    }
  else if (SB_IS_SUBMISSION (object))
    {
      deserialize_list (json, "consents", SB_TYPE_CONSENT,
                        sb_submission_get_consents (SB_SUBMISSION (object)));
    }

  return object;
}

/* The object's properties as JSON, sealed to its table and id. */
GBytes *
sb_store_seal_object (SbStore    *self,
                      const char *table,
                      const char *id,
                      GObject    *object)
{
  g_autoptr(JsonNode) node = object_to_json (object);
  g_autofree char *context = g_strconcat (table, "/", id, NULL);
  g_autofree char *text = json_to_string (node, FALSE);
  gsize len = strlen (text);
  GBytes *sealed;

  sealed = sb_vault_seal (self->vault, context, text, len);
  sodium_memzero (text, len);

  return sealed;
}

GObject *
sb_store_unseal_object (SbStore     *self,
                        GType        type,
                        const char  *table,
                        const char  *id,
                        const void  *sealed,
                        gsize        len,
                        GError     **error)
{
  g_autofree char *context = g_strconcat (table, "/", id, NULL);
  g_autoptr(GBytes) plain = sb_vault_open (self->vault, context, sealed, len, error);
  g_autoptr(JsonNode) node = NULL;

  if (plain == NULL)
    return NULL;

  node = json_from_string (g_bytes_get_data (plain, NULL), NULL);
  sodium_memzero ((gpointer)g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SB_STORE_ERROR, SB_STORE_ERROR_CORRUPT,
                   _("A record (%s) is damaged. Ask IT to run “servicebuero-ctl check”."), context);
      return NULL;
    }

  return object_from_json (type, node);
}

gboolean
sb_store_filesystem_is_network (gint64 f_type)
{
  switch ((guint32)f_type)
    {
    case 0x6969:      /* NFS */
    case 0x517b:      /* SMB */
    case 0xff534d42:  /* CIFS */
    case 0xfe534d42:  /* SMB2 */
    case 0x5346414f:  /* AFS */
    case 0x00c36400:  /* Ceph */
    case 0x01021997:  /* 9P */
    case 0x013111a8:  /* IBRIX */
    case 0x47504653:  /* GPFS */
      return TRUE;
    default:
      return FALSE;
    }
}

static void
sb_store_finalize (GObject *object)
{
  SbStore *self = (SbStore *)object;

  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_pointer (&self->vault, sb_vault_free);
  g_free (self->directory);
  g_free (self->db_path);
  g_free (self->blob_dir);
  g_free (self->staff);
  g_free (self->problem);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sb_store_parent_class)->finalize (object);
}

static void
sb_store_class_init (SbStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_store_finalize;
}

static void
sb_store_init (SbStore *self)
{
  g_mutex_init (&self->lock);
}

void
sb_store_set_migration_hook (void (*hook) (guint version))
{
  migration_hook = hook;
}

static gboolean
query_int (SbStore     *self,
           const char  *sql,
           gint64      *value,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = sb_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sb_store_set_sqlite_error (self, sqlite3_errcode (self->db), error);
      return FALSE;
    }

  *value = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static GBytes *
meta_get (SbStore    *self,
          const char *key)
{
  g_autoptr(sqlite3_stmt) stmt = sb_store_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
}

static gboolean
meta_set (SbStore     *self,
          const char  *key,
          const void  *value,
          gsize        len,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = sb_store_prepare (self, "INSERT INTO meta (key, value) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, value, (int)len, SQLITE_TRANSIENT);

  return sb_store_step_done (self, stmt, error);
}

/* Version 2 indexes the citizens that version 1 kept without an index. */
static gboolean
reindex_all_citizens (SbStore  *self,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    sb_store_prepare (self, "SELECT id, created_at, updated_at, sealed FROM citizens", error);

  if (stmt == NULL)
    return FALSE;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(SbCitizen) citizen = sb_store_citizen_from_row (self, stmt, error);

      if (citizen == NULL || !sb_store_reindex_citizen_locked (self, citizen, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (SbStore     *self,
         guint        from,
         guint        to,
         const char  *new_store_id,
         GBytes      *new_wrapped_key,
         GError     **error)
{
  for (guint version = from + 1; version <= to; version++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", version);

      if (!sb_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      if (!sb_store_exec (self, migrations[version - 1], error) ||
          (version == 1 && new_store_id != NULL &&
           (!meta_set (self, "store-id", new_store_id, strlen (new_store_id), error) ||
            !meta_set (self, "wrapped-key", g_bytes_get_data (new_wrapped_key, NULL),
                       g_bytes_get_size (new_wrapped_key), error))) ||
          (version == 2 && !reindex_all_citizens (self, error)) ||
          !sb_store_exec (self, set_version, error))
        {
          sb_store_rollback (self);
          return FALSE;
        }

      if (migration_hook != NULL)
        migration_hook (version);

      if (!sb_store_commit (self, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
configure_connection (SbStore  *self,
                      GError  **error)
{
  sqlite3_busy_timeout (self->db, 10000);

  if (self->read_only)
    return sb_store_exec (self, "PRAGMA foreign_keys = ON;", error);

  /* secure_delete: what is deleted (purged) is overwritten, not left in
   * free pages. */
  return sb_store_exec (self,
                        "PRAGMA journal_mode = WAL;"
                        "PRAGMA synchronous = FULL;"
                        "PRAGMA foreign_keys = ON;"
                        "PRAGMA secure_delete = ON;",
                        error);
}

static char *
quick_check (SbStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK)
    return g_strdup (sqlite3_errmsg (self->db));

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return g_strdup (sqlite3_errmsg (self->db));

  if (g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "ok") == 0)
    return NULL;

  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

SbStore *
sb_store_open_full (const char    *directory,
                    guint          max_version,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(SbStore) self = g_object_new (SB_TYPE_STORE, NULL);
  g_autoptr(GBytes) kek = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(GBytes) store_id = NULL;
  g_autofree char *new_store_id = NULL;
  g_autofree char *damage = NULL;
  gint64 version = 0;
  gboolean is_new;
  struct statfs fs;
  int rc;

  g_return_val_if_fail (directory != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_FAILED,
                           _("The encryption library cannot start. Ask IT to check this computer."));
      return NULL;
    }

  self->directory = g_strdup (directory);
  self->db_path = g_build_filename (directory, "store.db", NULL);
  self->blob_dir = g_build_filename (directory, "blobs", NULL);
  is_new = !g_file_test (self->db_path, G_FILE_TEST_EXISTS);

  /* A new store needs its key first: without a keyring nothing is written. */
  if (is_new)
    {
      g_autoptr(SbVault) vault = NULL;

      new_store_id = g_uuid_string_random ();
      kek = sb_keyring_lookup_key (new_store_id, TRUE, cancellable, error);
      if (kek == NULL)
        return NULL;
      vault = sb_vault_create (kek, &wrapped);
      self->vault = g_steal_pointer (&vault);

      if (g_mkdir_with_parents (directory, 0700) != 0)
        {
          g_set_error (error, SB_STORE_ERROR, SB_STORE_ERROR_FAILED,
                       _("The folder for this desk’s store (%s) cannot be created: %s. Ask IT to "
                         "check the disk."), directory, g_strerror (errno));
          return NULL;
        }
    }

  if (statfs (directory, &fs) == 0 && sb_store_filesystem_is_network (fs.f_type))
    {
      g_set_error (error, SB_STORE_ERROR, SB_STORE_ERROR_NETWORK_FILESYSTEM,
                   _("This desk’s store is in %s, on a network drive. A network drive can lose "
                     "or damage what was saved when the connection drops, so Servicebüro keeps "
                     "its store only on this computer’s own disk. Ask IT to move it."),
                   directory);
      return NULL;
    }

  rc = sqlite3_open_v2 (self->db_path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      sb_store_set_sqlite_error (self, rc, error);
      return NULL;
    }

  if (!is_new && (damage = quick_check (self)) != NULL)
    {
      /* Keep the file exactly as it is, for IT and for recovery. */
      g_debug ("quick_check: %s", damage);
      sqlite3_close (self->db);
      self->db = NULL;
      self->read_only = TRUE;
      self->problem = g_strdup (_("This desk’s store is damaged and was opened read-only, so "
                                  "nothing is lost and nothing can be saved. Ask IT to run "
                                  "“servicebuero-ctl check” and restore it."));
      rc = sqlite3_open_v2 (self->db_path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
      if (rc != SQLITE_OK)
        {
          sb_store_set_sqlite_error (self, rc, error);
          return NULL;
        }
    }

  if (!configure_connection (self, error) ||
      !query_int (self, "PRAGMA user_version", &version, error))
    return NULL;

  if (version > SB_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, SB_STORE_ERROR, SB_STORE_ERROR_TOO_NEW,
                   _("This desk’s store was written by a newer version of Servicebüro. Nothing "
                     "was changed. Ask IT to update Servicebüro on this computer."));
      return NULL;
    }

  if (version > 0)
    {
      g_autofree char *id = NULL;

      store_id = meta_get (self, "store-id");
      wrapped = meta_get (self, "wrapped-key");
      if (store_id == NULL || wrapped == NULL)
        {
          g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_CORRUPT,
                               _("This desk’s store has lost its key record, so its data cannot be "
                                 "opened. Nothing was changed. Ask IT to restore it from its backup."));
          return NULL;
        }

      id = g_strndup (g_bytes_get_data (store_id, NULL), g_bytes_get_size (store_id));
      kek = sb_keyring_lookup_key (id, FALSE, cancellable, error);
      if (kek == NULL)
        return NULL;

      self->vault = sb_vault_unwrap (kek, wrapped, error);
      if (self->vault == NULL)
        return NULL;
    }
  else if (!is_new)
    {
      /* An empty file from a crash before the first migration committed. */
      g_autoptr(SbVault) vault = NULL;

      new_store_id = g_uuid_string_random ();
      kek = sb_keyring_lookup_key (new_store_id, TRUE, cancellable, error);
      if (kek == NULL)
        return NULL;
      vault = sb_vault_create (kek, &wrapped);
      self->vault = g_steal_pointer (&vault);
    }

  if ((guint)version < MIN (max_version, SB_STORE_SCHEMA_VERSION))
    {
      if (!sb_store_check_writable (self, error) ||
          !migrate (self, (guint)version, MIN (max_version, SB_STORE_SCHEMA_VERSION),
                    new_store_id, wrapped, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * sb_store_open:
 * @directory: where the store lives; created if it does not exist
 *
 * Opens (or creates) the store, migrating it to the current schema. Fails
 * closed: without a usable keyring no data is opened and nothing is written.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
SbStore *
sb_store_open (const char    *directory,
               GCancellable  *cancellable,
               GError       **error)
{
  return sb_store_open_full (directory, G_MAXUINT, cancellable, error);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  SbStore *store = sb_store_open (task_data, cancellable, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

void
sb_store_open_async (const char          *directory,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sb_store_open_async);
  g_task_set_task_data (task, g_strdup (directory), g_free);
  g_task_run_in_thread (task, open_thread);
}

SbStore *
sb_store_open_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* What a write in a thread does not share with the caller's thread: a
 * snapshot of the object, taken when the write is asked for. What the store
 * itself sets on it (times, states, blob ids) goes back to the caller's
 * object in the caller's thread. */
static const char * const store_owned_properties[] = {
  "created-at", "updated-at", "delivered-at", "received-at", "state", "direction",
  "blob-id", "pdf-blob-id",
};

typedef struct
{
  SbStoreWriteFunc  write;
  GObject          *original;
  GObject          *snapshot;
  GTask            *caller;
} Write;

static void
write_free (Write *write)
{
  g_clear_object (&write->original);
  g_clear_object (&write->snapshot);
  g_clear_object (&write->caller);
  g_free (write);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Write *write = task_data;
  GError *error = NULL;

  if (write->write (source_object, write->snapshot, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
write_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Write *write = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (write->caller, error);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (store_owned_properties); i++)
    {
      const char *name = store_owned_properties[i];
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (write->original), name);

      if (pspec != NULL)
        {
          g_auto(GValue) value = G_VALUE_INIT;

          g_value_init (&value, pspec->value_type);
          g_object_get_property (write->snapshot, name, &value);
          g_object_set_property (write->original, name, &value);
        }
    }

  g_task_return_boolean (write->caller, TRUE);
}

/**
 * sb_store_write_async:
 * @write_func: one of the store's synchronous writes, e.g. sb_store_submit
 * @object: (type GObject): what it writes, as it is now; the caller may go
 *   on changing it (a clerk typing) while the write runs
 * @source_tag: identifies the operation, as for g_task_set_source_tag()
 *
 * Runs @write_func in a worker thread, so the main loop never waits for the
 * disk or the keyring. Writes are serialised by the store. When it is done,
 * what the store set (times, states, blob ids) is on @object.
 */
void
sb_store_write_async (SbStore             *self,
                      SbStoreWriteFunc     write_func,
                      gpointer             object,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) worker = NULL;
  g_autoptr(JsonNode) node = NULL;
  Write *write;

  g_return_if_fail (SB_IS_STORE (self));
  g_return_if_fail (write_func != NULL);
  g_return_if_fail (G_IS_OBJECT (object));

  node = object_to_json (object);
  write = g_new0 (Write, 1);
  write->write = write_func;
  write->original = g_object_ref (object);
  write->snapshot = object_from_json (G_OBJECT_TYPE (object), node);
  write->caller = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (write->caller, source_tag);

  worker = g_task_new (self, cancellable, write_done, write);
  g_task_set_task_data (worker, write, (GDestroyNotify)write_free);
  g_task_run_in_thread (worker, write_thread);
}

gboolean
sb_store_write_finish (SbStore       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * sb_store_default_directory:
 *
 * Returns: (transfer full): where the app keeps its store
 */
char *
sb_store_default_directory (void)
{
  return g_build_filename (g_get_user_data_dir (), "servicebuero", "store", NULL);
}

const char *
sb_store_get_directory (SbStore *self)
{
  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  return self->directory;
}

gboolean
sb_store_get_read_only (SbStore *self)
{
  g_return_val_if_fail (SB_IS_STORE (self), TRUE);

  return self->read_only;
}

/**
 * sb_store_get_problem:
 *
 * Returns: (nullable): why the store is read-only, in words for the clerk
 */
const char *
sb_store_get_problem (SbStore *self)
{
  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  return self->problem;
}

const char *
sb_store_get_staff (SbStore *self)
{
  g_return_val_if_fail (SB_IS_STORE (self), NULL);

  return self->staff;
}

/**
 * sb_store_set_staff:
 * @staff: the signed-in staff member, recorded with every action
 */
void
sb_store_set_staff (SbStore    *self,
                    const char *staff)
{
  g_return_if_fail (SB_IS_STORE (self));

  g_mutex_lock (&self->lock);
  g_free (self->staff);
  self->staff = g_strdup (staff);
  g_mutex_unlock (&self->lock);
}
