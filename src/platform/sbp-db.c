/* sbp-db.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbp-db.h"
#include "sb-digest.h"

#include <gio/gio.h>
#include <sodium.h>
#include <string.h>

static const char *schema_sql =
  "CREATE TABLE IF NOT EXISTS staff ("
  "  id TEXT PRIMARY KEY, username TEXT UNIQUE NOT NULL, display_name TEXT NOT NULL,"
  "  office TEXT NOT NULL, password_hash TEXT NOT NULL, created TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS auth_codes ("
  "  code_hash TEXT PRIMARY KEY, staff_id TEXT NOT NULL, client_id TEXT NOT NULL,"
  "  redirect_uri TEXT NOT NULL, challenge TEXT NOT NULL, expires INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS tokens ("
  "  token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, staff_id TEXT NOT NULL, family TEXT NOT NULL,"
  "  expires INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX IF NOT EXISTS tokens_family ON tokens (family);"
  "CREATE TABLE IF NOT EXISTS accounts ("
  "  id TEXT PRIMARY KEY, body TEXT NOT NULL, body_hash TEXT NOT NULL,"
  "  norm_family TEXT NOT NULL, norm_given TEXT NOT NULL, birth_date TEXT, email TEXT,"
  "  document_number TEXT, identity_level TEXT NOT NULL, activation_code TEXT,"
  "  activation_expires TEXT, password_hash TEXT, created_by TEXT NOT NULL,"
  "  created TEXT NOT NULL, updated TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS accounts_family ON accounts (norm_family, birth_date);"
  "CREATE INDEX IF NOT EXISTS accounts_document ON accounts (document_number);"
  "CREATE TABLE IF NOT EXISTS uploads ("
  "  id TEXT PRIMARY KEY, staff_id TEXT NOT NULL, office TEXT NOT NULL, length INTEGER NOT NULL,"
  "  offset INTEGER NOT NULL DEFAULT 0, metadata TEXT NOT NULL, expires INTEGER NOT NULL,"
  "  sha256 TEXT, submission_id TEXT, created TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS submissions ("
  "  id TEXT PRIMARY KEY, office TEXT NOT NULL, staff_id TEXT NOT NULL, account_id TEXT NOT NULL,"
  "  service_id TEXT NOT NULL, status TEXT NOT NULL, body TEXT NOT NULL, body_hash TEXT NOT NULL,"
  "  reference TEXT NOT NULL, receipt TEXT NOT NULL, received TEXT NOT NULL, updated TEXT NOT NULL,"
  "  status_since INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS idempotency ("
  "  staff_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, state TEXT NOT NULL,"
  "  status INTEGER, content_type TEXT, response TEXT, created INTEGER NOT NULL,"
  "  PRIMARY KEY (staff_id, key));"
  "CREATE TABLE IF NOT EXISTS events ("
  "  cursor INTEGER PRIMARY KEY AUTOINCREMENT, office TEXT NOT NULL, submission_id TEXT NOT NULL,"
  "  body TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS messages ("
  "  id TEXT PRIMARY KEY, submission_id TEXT NOT NULL, direction TEXT NOT NULL, body TEXT NOT NULL,"
  "  body_hash TEXT NOT NULL, created TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS messages_submission ON messages (submission_id, created);"
  "CREATE TABLE IF NOT EXISTS decisions ("
  "  submission_id TEXT PRIMARY KEY, outcome TEXT NOT NULL, reason TEXT, pdf BLOB NOT NULL,"
  "  decided TEXT NOT NULL);";

sqlite3 *
sbp_db_open (const char *path,
             GError    **error)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot open %s: %s", path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                    NULL, NULL, &message) != SQLITE_OK ||
      sqlite3_exec (db, schema_sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot set up %s: %s", path, message);
      sqlite3_free (message);
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

static sqlite3_stmt *
prepare_va (sqlite3    *db,
            const char *sql,
            const char *types,
            va_list     args)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_critical ("SQL does not prepare: %s: %s", sqlite3_errmsg (db), sql);
      return NULL;
    }
  for (int i = 0; types != NULL && types[i] != '\0'; i++)
    {
      switch (types[i])
        {
        case 's':
          sqlite3_bind_text (stmt, i + 1, va_arg (args, const char *), -1, SQLITE_TRANSIENT);
          break;
        case 'i':
          sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
          break;
        case 'b':
          {
            const void *data = va_arg (args, const void *);
            gsize length = va_arg (args, gsize);

            sqlite3_bind_blob64 (stmt, i + 1, data, length, SQLITE_TRANSIENT);
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return stmt;
}

/**
 * sbp_db_prepare:
 * @types: one letter per parameter: s (const char *, may be NULL),
 *   i (gint64), b (const void *, gsize)
 */
sqlite3_stmt *
sbp_db_prepare (sqlite3    *db,
                const char *sql,
                const char *types,
                ...)
{
  va_list args;
  sqlite3_stmt *stmt;

  va_start (args, types);
  stmt = prepare_va (db, sql, types, args);
  va_end (args);
  return stmt;
}

gboolean
sbp_db_run (sqlite3    *db,
            const char *sql,
            const char *types,
            ...)
{
  va_list args;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  va_start (args, types);
  stmt = prepare_va (db, sql, types, args);
  va_end (args);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      g_warning ("SQL failed: %s", sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

gint64
sbp_db_int (sqlite3    *db,
            const char *sql,
            const char *types,
            ...)
{
  va_list args;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  va_start (args, types);
  stmt = prepare_va (db, sql, types, args);
  va_end (args);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

char *
sbp_db_text (sqlite3    *db,
             const char *sql,
             const char *types,
             ...)
{
  va_list args;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  va_start (args, types);
  stmt = prepare_va (db, sql, types, args);
  va_end (args);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

gboolean
sbp_db_begin (sqlite3 *db)
{
  return sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
}

gboolean
sbp_db_commit (sqlite3 *db)
{
  return sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
}

void
sbp_db_rollback (sqlite3 *db)
{
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

const char *
sbp_db_column_text (sqlite3_stmt *stmt,
                    int           column)
{
  return (const char *)sqlite3_column_text (stmt, column);
}

char *
sbp_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* URL-safe base64 of @n_bytes random bytes. */
char *
sbp_random_token (gsize n_bytes)
{
  g_autofree guchar *bytes = g_malloc (n_bytes);
  char *out = g_malloc (sodium_base64_ENCODED_LEN (n_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING));

  randombytes_buf (bytes, n_bytes);
  sodium_bin2base64 (out, sodium_base64_ENCODED_LEN (n_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     bytes, n_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

char *
sbp_sha256_hex (const void *data,
                gsize       length)
{
  return sb_sha256_hex (data, length);
}

/* Tokens and codes are kept only as hashes: a copy of the database signs
 * nobody in. */
char *
sbp_hash_token (const char *token)
{
  return sbp_sha256_hex (token, strlen (token));
}

/* For matching names: case-folded, without accents ("Müller" ≈ "muller"). */
char *
sbp_normalize (const char *text)
{
  /* Letters GLib's transliteration leaves out, frequent in names at the desk. */
  static const char *extra[][2] = {
    { "ı", "i" }, { "İ", "I" }, { "ß", "ss" }, { "ø", "o" }, { "Ø", "O" }, { "æ", "ae" }, { "Æ", "AE" },
    { "œ", "oe" }, { "Œ", "OE" }, { "ł", "l" }, { "Ł", "L" }, { "đ", "d" }, { "Đ", "D" }, { "ð", "d" },
    { "þ", "th" }, { "ħ", "h" },
  };
  g_autoptr(GString) mapped = NULL;
  g_autofree char *ascii = NULL;

  if (text == NULL)
    return g_strdup ("");
  mapped = g_string_new (text);
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    g_string_replace (mapped, extra[i][0], extra[i][1], 0);
  ascii = g_str_to_ascii (mapped->str, "C");
  return g_strstrip (g_ascii_strdown (ascii, -1));
}

gboolean
sbp_staff_add (sqlite3    *db,
               const char *username,
               const char *display_name,
               const char *office,
               const char *password,
               GError    **error)
{
  char hash[crypto_pwhash_STRBYTES];
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = sbp_now_iso8601 ();

  if (strlen (password) < 4)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "The password is too short");
      return FALSE;
    }
  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "Not enough memory to hash the password");
      return FALSE;
    }
  if (!sbp_db_run (db,
                   "INSERT INTO staff (id, username, display_name, office, password_hash, created) "
                   "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET "
                   "display_name = excluded.display_name, office = excluded.office, "
                   "password_hash = excluded.password_hash",
                   "ssssss", id, username, display_name, office, hash, now))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot save the user: %s", sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}
