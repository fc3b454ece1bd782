/* sb-store-private.h — shared between the store's files and its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "sb-store.h"
#include "sb-vault.h"

G_BEGIN_DECLS

#define SB_STORE_SCHEMA_VERSION 6

struct _SbStore
{
  GObject   parent_instance;

  GMutex    lock;
  sqlite3  *db;
  SbVault  *vault;
  char     *directory;
  char     *db_path;
  char     *blob_dir;
  char     *staff;
  char     *problem;
  gboolean  read_only;
};

/* Tests only: stop migrating after @version; and a hook run inside each
 * migration's transaction, before it commits. */
SbStore  *sb_store_open_full            (const char     *directory,
                                         guint           max_version,
                                         GCancellable   *cancellable,
                                         GError        **error);
void      sb_store_set_migration_hook   (void          (*hook) (guint version));
gboolean  sb_store_filesystem_is_network (gint64         f_type);

/* Inside the store's files */
gboolean  sb_store_begin                (SbStore        *self,
                                         GError        **error);
gboolean  sb_store_commit               (SbStore        *self,
                                         GError        **error);
void      sb_store_rollback             (SbStore        *self);
gboolean  sb_store_exec                 (SbStore        *self,
                                         const char     *sql,
                                         GError        **error);
sqlite3_stmt *sb_store_prepare          (SbStore        *self,
                                         const char     *sql,
                                         GError        **error);
gboolean  sb_store_step_done            (SbStore        *self,
                                         sqlite3_stmt   *stmt,
                                         GError        **error);
void      sb_store_set_sqlite_error     (SbStore        *self,
                                         int             rc,
                                         GError        **error);
gboolean  sb_store_check_writable       (SbStore        *self,
                                         GError        **error);
gboolean  sb_store_audit_locked         (SbStore        *self,
                                         const char     *citizen_id,
                                         const char     *action,
                                         const char     *subject,
                                         GError        **error);
gboolean  sb_store_outbox_add_locked    (SbStore        *self,
                                         const char     *kind,
                                         const char     *entity_id,
                                         GError        **error);
GPtrArray *sb_store_citizen_search_tokens (SbCitizen  *citizen);
gboolean  sb_store_reindex_citizen_locked (SbStore      *self,
                                           SbCitizen    *citizen,
                                           GError      **error);
GBytes   *sb_store_seal_object          (SbStore        *self,
                                         const char     *table,
                                         const char     *id,
                                         GObject        *object);
GObject  *sb_store_unseal_object        (SbStore        *self,
                                         GType           type,
                                         const char     *table,
                                         const char     *id,
                                         const void     *sealed,
                                         gsize           len,
                                         GError        **error);
SbCitizen *sb_store_citizen_from_row    (SbStore        *self,
                                         sqlite3_stmt   *stmt,
                                         GError        **error);
gint64    sb_store_now                  (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
