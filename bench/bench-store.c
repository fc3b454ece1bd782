/* bench-store.c — autosave latency of the encrypted store, against the same
 * SQL without encryption, measured in the same run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run through bench/store (it provides a private keyring). A store of
 * CITIZENS citizens is filled, then EDITS typical edits (a changed phone
 * number, the kind of edit autosave writes while a clerk types) are saved
 * one by one, each a durable transaction. The reference does the same
 * statements on the same schema with the same pragmas, storing the JSON and
 * the search tokens in plain text.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "sb-store-private.h"

#define CITIZENS 2000
#define EDITS 400

static SbCitizen *
make_citizen (guint i)
{
  static const char * const family[] = { "Kovalenko", "Yılmaz", "Nguyen", "Müller", "Öztürk", "Schmidt", "Haddad" };
  static const char * const given[] = { "Olena", "Ayşe", "Thi Mai", "Jonas", "Mehmet", "Anna", "Rania" };
  SbCitizen *citizen = sb_citizen_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *family_name = g_strdup_printf ("%s%u", family[i % G_N_ELEMENTS (family)], i);
  g_autofree char *email = g_strdup_printf ("person%u@example.org", i);
  g_autoptr(SbIdentityDocument) passport = sb_identity_document_new ();
  g_autofree char *number = g_strdup_printf ("P%08u", i);

  sb_citizen_set_id (citizen, id);
  sb_citizen_set_family_name (citizen, family_name);
  sb_citizen_set_given_names (citizen, given[i % G_N_ELEMENTS (given)]);
  sb_citizen_set_birth_date (citizen, "1988-11-03");
  sb_citizen_set_nationality (citizen, "UKR");
  sb_citizen_set_street (citizen, "Hauptmarkt 18");
  sb_citizen_set_postal_code (citizen, "90403");
  sb_citizen_set_city (citizen, "Nürnberg");
  sb_citizen_set_email (citizen, email);
  sb_citizen_set_phone (citizen, "+49 911 1234567");
  sb_identity_document_set_number (passport, number);
  g_list_store_append (G_LIST_STORE (sb_citizen_get_identity_documents (citizen)), passport);

  return citizen;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint index = (guint)(p * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, double, index);
}

/* The same statements as SbStore, in plain text. */
static void
plain_save (sqlite3   *db,
            SbCitizen *citizen,
            gint64     now)
{
  g_autoptr(JsonNode) node = json_gobject_serialize (G_OBJECT (citizen));
  g_autofree char *json = json_to_string (node, FALSE);
  g_autoptr(GPtrArray) tokens = sb_store_citizen_search_tokens (citizen);
  const char *id = sb_citizen_get_id (citizen);
  sqlite3_stmt *stmt;

  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "SELECT 1 FROM citizens WHERE id = ?", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (db, "INSERT INTO citizens (id, created_at, updated_at, sealed) VALUES (?, ?, ?, ?) "
                          "ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, sealed = excluded.sealed",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_blob (stmt, 4, json, (int)strlen (json), SQLITE_STATIC);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (db, "DELETE FROM citizen_search WHERE citizen_id = ?", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (db, "INSERT OR IGNORE INTO citizen_search (tag, citizen_id) VALUES (?, ?)", -1, &stmt, NULL);
  for (guint i = 0; i < tokens->len; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);

      sqlite3_reset (stmt);
      sqlite3_bind_blob (stmt, 1, token, (int)strlen (token), SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (db, "INSERT INTO audit (at, staff, citizen_id, action, subject) VALUES (?, ?, ?, ?, ?)",
                      -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  sqlite3_bind_text (stmt, 2, "bench", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, "citizen.change", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, id, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
}

static void
print_row (const char *name,
           GArray     *ms)
{
  g_array_sort (ms, compare_doubles);
  printf ("  %-28s p50 %7.2f ms   p99 %7.2f ms\n", name, percentile (ms, 0.5), percentile (ms, 0.99));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_dir_make_tmp ("sb-bench-store-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (base, "store", NULL);
  g_autofree char *plain_path = g_build_filename (base, "plain.db", NULL);
  g_autoptr(SbStore) store = NULL;
  g_autoptr(GPtrArray) citizens = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) sealed_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) plain_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) search_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *rm = NULL;
  sqlite3 *plain = NULL;
  double sealed_p50, plain_p50;

  setlocale (LC_ALL, "C.UTF-8");

  store = sb_store_open (dir, NULL, &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  sb_store_set_staff (store, "bench");

  sqlite3_open (plain_path, &plain);
  sqlite3_exec (plain, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                       "PRAGMA secure_delete = ON;"
                       "CREATE TABLE citizens (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL,"
                       "  updated_at INTEGER NOT NULL, sealed BLOB NOT NULL);"
                       "CREATE TABLE citizen_search (tag BLOB NOT NULL,"
                       "  citizen_id TEXT NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,"
                       "  PRIMARY KEY (tag, citizen_id)) WITHOUT ROWID;"
                       "CREATE INDEX citizen_search_by_citizen ON citizen_search(citizen_id);"
                       "CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,"
                       "  staff TEXT NOT NULL, citizen_id TEXT, action TEXT NOT NULL, subject TEXT NOT NULL);",
                NULL, NULL, NULL);

  for (guint i = 0; i < CITIZENS; i++)
    {
      SbCitizen *citizen = make_citizen (i);

      if (!sb_store_save_citizen (store, citizen, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      plain_save (plain, citizen, sb_store_now ());
      g_ptr_array_add (citizens, citizen);
    }

  /* Alternate the two so that the disk's mood hits both alike. */
  for (guint i = 0; i < EDITS; i++)
    {
      SbCitizen *citizen = g_ptr_array_index (citizens, g_random_int_range (0, CITIZENS));
      g_autofree char *phone = g_strdup_printf ("+49 911 %07u", i);
      gint64 start;
      double ms;

      sb_citizen_set_phone (citizen, phone);

      start = g_get_monotonic_time ();
      if (!sb_store_save_citizen (store, citizen, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (sealed_ms, ms);

      start = g_get_monotonic_time ();
      plain_save (plain, citizen, sb_store_now ());
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (plain_ms, ms);
    }

  for (guint i = 0; i < 200; i++)
    {
      static const char * const queries[] = { "kov", "müller 1988", "p0000123", "person42@example.org", "rania" };
      g_autoptr(GListModel) found = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      found = sb_store_search_citizens (store, queries[i % G_N_ELEMENTS (queries)], &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (search_ms, ms);
    }

  printf ("store with %u citizens, %u autosaved edits (each a durable transaction):\n", CITIZENS, EDITS);
  print_row ("encrypted (SbStore)", sealed_ms);
  print_row ("same SQL, plain text", plain_ms);
  sealed_p50 = percentile (sealed_ms, 0.5);
  plain_p50 = percentile (plain_ms, 0.5);
  printf ("  encryption cost             ratio %.2f at p50, %.2f at p99\n",
          sealed_p50 / plain_p50, percentile (sealed_ms, 0.99) / percentile (plain_ms, 0.99));
  print_row ("offline search (blind index)", search_ms);

  sqlite3_close (plain);
  g_clear_object (&store);
  rm = g_strdup_printf ("rm -rf '%s'", base);
  if (system (rm) != 0)
    fprintf (stderr, "could not remove %s\n", base);

  return 0;
}
