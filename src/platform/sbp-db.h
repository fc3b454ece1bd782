/* sbp-db.h: the platform's SQLite database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

sqlite3      *sbp_db_open        (const char  *path,
                                  GError     **error);
sqlite3_stmt *sbp_db_prepare     (sqlite3     *db,
                                  const char  *sql,
                                  const char  *types,
                                  ...);
gboolean      sbp_db_run         (sqlite3     *db,
                                  const char  *sql,
                                  const char  *types,
                                  ...);
gint64        sbp_db_int         (sqlite3     *db,
                                  const char  *sql,
                                  const char  *types,
                                  ...);
char         *sbp_db_text        (sqlite3     *db,
                                  const char  *sql,
                                  const char  *types,
                                  ...);
gboolean      sbp_db_begin       (sqlite3     *db);
gboolean      sbp_db_commit      (sqlite3     *db);
void          sbp_db_rollback    (sqlite3     *db);
const char   *sbp_db_column_text (sqlite3_stmt *stmt,
                                  int           column);
char         *sbp_now_iso8601    (void);
char         *sbp_random_token   (gsize        n_bytes);
char         *sbp_sha256_hex     (const void  *data,
                                  gsize        length);
char         *sbp_hash_token     (const char  *token);
char         *sbp_normalize      (const char  *text);
gboolean      sbp_staff_add      (sqlite3     *db,
                                  const char  *username,
                                  const char  *display_name,
                                  const char  *office,
                                  const char  *password,
                                  GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
