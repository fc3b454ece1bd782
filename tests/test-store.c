/* test-store.c — the local store with a real gnome-keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/keyring-session: a private D-Bus session with an
 * unlocked gnome-keyring-daemon.
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <locale.h>
#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <json-glib/json-glib.h>
#include <unistd.h>
#include <utime.h>

#include "sb-store-private.h"

#define SENTINEL_NAME "Qxzwyvutorsentinel"
#define SENTINEL_PAGE "SENTINEL-PAGE-CONTENT-7d1e"

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sb-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static char *
store_dir (const char *base)
{
  return g_build_filename (base, "store", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

          remove_tree (child);
          g_object_unref (info);
        }
    }

  g_remove (path);
}

static SbStore *
open_store (const char *dir)
{
  g_autoptr(GError) error = NULL;
  SbStore *store = sb_store_open (dir, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_false (sb_store_get_read_only (store));
  sb_store_set_staff (store, "anna.schmidt");

  return store;
}

static SbCitizen *
make_citizen (const char *family,
              const char *given)
{
  SbCitizen *citizen = sb_citizen_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(SbIdentityDocument) passport = sb_identity_document_new ();
  g_autoptr(SbIdentityConfirmation) confirmation = sb_identity_confirmation_new ();

  sb_citizen_set_id (citizen, id);
  sb_citizen_set_family_name (citizen, family);
  sb_citizen_set_given_names (citizen, given);
  sb_citizen_set_birth_date (citizen, "1990-05-17");
  sb_citizen_set_sex (citizen, SB_SEX_DIVERSE);
  sb_citizen_set_nationality (citizen, "UKR");
  sb_citizen_set_postal_code (citizen, "90402");
  sb_citizen_set_city (citizen, "Nürnberg");
  sb_citizen_set_email (citizen, "o.kovalenko@example.org");
  sb_citizen_set_preferred_language (citizen, "uk");

  sb_identity_document_set_kind (passport, SB_IDENTITY_DOCUMENT_PASSPORT);
  sb_identity_document_set_number (passport, "FE123456");
  sb_identity_document_set_issuing_state (passport, "UKR");
  sb_identity_document_set_expiry_date (passport, "2031-02-28");
  g_list_store_append (G_LIST_STORE (sb_citizen_get_identity_documents (citizen)), passport);

  sb_identity_confirmation_set_method (confirmation, SB_CONFIRMATION_METHOD_MRZ);
  sb_identity_confirmation_set_document_number (confirmation, "FE123456");
  sb_identity_confirmation_set_staff (confirmation, "anna.schmidt");
  sb_identity_confirmation_set_confirmed_at (confirmation, 1796400000);
  g_list_store_append (G_LIST_STORE (sb_citizen_get_confirmations (citizen)), confirmation);

  {
    g_autoptr(SbConsent) consent = sb_consent_new ();

    sb_consent_set_kind (consent, SB_CONSENT_DATA_PROCESSING);
    sb_consent_set_language (consent, "uk");
    sb_consent_set_staff (consent, "anna.schmidt");
    sb_consent_set_given_at (consent, 1796400050);
    g_list_store_append (G_LIST_STORE (sb_citizen_get_consents (citizen)), consent);
  }

  return citizen;
}

static SbSubmission *
make_submission (SbCitizen *citizen)
{
  SbSubmission *submission = sb_submission_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(SbConsent) consent = sb_consent_new ();

  sb_submission_set_id (submission, id);
  sb_submission_set_citizen_id (submission, sb_citizen_get_id (citizen));
  sb_submission_set_service_id (submission, "aufenthaltstitel-verlaengerung");
  sb_submission_set_form_data (submission, "{\"purpose\":\"employment\"}");
  sb_submission_set_representation (submission, SB_REPRESENTATION_AUTHORISED_PERSON);

  sb_consent_set_kind (consent, SB_CONSENT_DATA_PROCESSING);
  sb_consent_set_language (consent, "uk");
  sb_consent_set_staff (consent, "anna.schmidt");
  sb_consent_set_given_at (consent, 1796400100);
  g_list_store_append (G_LIST_STORE (sb_submission_get_consents (submission)), consent);

  return submission;
}

static guint
n_found (SbStore    *store,
         const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = sb_store_search_citizens (store, query, &error);

  g_assert_no_error (error);
  return g_list_model_get_n_items (found);
}

static void
test_store_round_trip (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbCitizen) citizen = make_citizen ("Kovalenko-Müller", "Olena Iryna");
  g_autoptr(SbCitizen) loaded = NULL;
  g_autoptr(SbIdentityDocument) document = NULL;
  g_autoptr(SbIdentityConfirmation) confirmation = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sb_store_save_citizen (store, citizen, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sb_citizen_get_created_at (citizen), >, 0);
  g_clear_object (&store);

  store = open_store (dir);
  loaded = sb_store_load_citizen (store, sb_citizen_get_id (citizen), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sb_citizen_get_family_name (loaded), ==, "Kovalenko-Müller");
  g_assert_cmpstr (sb_citizen_get_given_names (loaded), ==, "Olena Iryna");
  g_assert_cmpstr (sb_citizen_get_birth_date (loaded), ==, "1990-05-17");
  g_assert_cmpint (sb_citizen_get_sex (loaded), ==, SB_SEX_DIVERSE);
  g_assert_cmpstr (sb_citizen_get_city (loaded), ==, "Nürnberg");
  g_assert_cmpint (sb_citizen_get_created_at (loaded), ==, sb_citizen_get_created_at (citizen));

  g_assert_cmpuint (g_list_model_get_n_items (sb_citizen_get_identity_documents (loaded)), ==, 1);
  document = g_list_model_get_item (sb_citizen_get_identity_documents (loaded), 0);
  g_assert_cmpint (sb_identity_document_get_kind (document), ==, SB_IDENTITY_DOCUMENT_PASSPORT);
  g_assert_cmpstr (sb_identity_document_get_number (document), ==, "FE123456");
  confirmation = g_list_model_get_item (sb_citizen_get_confirmations (loaded), 0);
  g_assert_cmpstr (sb_identity_confirmation_get_staff (confirmation), ==, "anna.schmidt");
  g_assert_cmpint (sb_identity_confirmation_get_confirmed_at (confirmation), ==, 1796400000);
  {
    g_autoptr(SbConsent) consent = g_list_model_get_item (sb_citizen_get_consents (loaded), 0);

    g_assert_cmpint (sb_consent_get_kind (consent), ==, SB_CONSENT_DATA_PROCESSING);
    g_assert_cmpstr (sb_consent_get_language (consent), ==, "uk");
    g_assert_cmpint (sb_consent_get_given_at (consent), ==, 1796400050);
  }

  /* Offline search through the blind index, the way a clerk types. */
  g_assert_cmpuint (n_found (store, "kovalenko"), ==, 1);
  g_assert_cmpuint (n_found (store, "Kov"), ==, 1);
  g_assert_cmpuint (n_found (store, "muller"), ==, 1);
  g_assert_cmpuint (n_found (store, "MÜLLER olena"), ==, 1);
  g_assert_cmpuint (n_found (store, "17.05.1990"), ==, 1);
  g_assert_cmpuint (n_found (store, "1990-05-17"), ==, 1);
  g_assert_cmpuint (n_found (store, "olena 1990"), ==, 1);
  g_assert_cmpuint (n_found (store, "fe1234"), ==, 1);
  g_assert_cmpuint (n_found (store, "o.kovalenko@example.org"), ==, 1);
  g_assert_cmpuint (n_found (store, "olena 1991"), ==, 0);
  g_assert_cmpuint (n_found (store, "petrenko"), ==, 0);
  g_assert_cmpuint (n_found (store, "k"), ==, 0);
  g_assert_cmpuint (n_found (store, ""), ==, 0);

  /* A change replaces the index. */
  sb_citizen_set_family_name (loaded, "Petrenko");
  g_assert_true (sb_store_save_citizen (store, loaded, &error));
  g_assert_cmpuint (n_found (store, "kovalenko"), ==, 0);
  g_assert_cmpuint (n_found (store, "petrenko"), ==, 1);

  g_clear_object (&store);
  remove_tree (base);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  sb_store_write_finish (SB_STORE (source), result, error);
  if (*error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
}

static void
wait_for_write (GError **error)
{
  while (*error == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SbStore **store = user_data;
  g_autoptr(GError) error = NULL;

  *store = sb_store_open_finish (result, &error);
  g_assert_no_error (error);
}

/* The app's way: open and write without blocking the main loop. */
static void
test_store_async (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autoptr(SbStore) store = NULL;
  g_autoptr(SbCitizen) citizen = make_citizen ("Async", "Ada");
  g_autoptr(SbSubmission) submission = NULL;
  g_autoptr(SbSubmission) loaded = NULL;
  GError *done = NULL;
  g_autoptr(GError) error = NULL;

  sb_store_open_async (dir, NULL, on_opened, &store);
  while (store == NULL)
    g_main_context_iteration (NULL, TRUE);

  sb_store_save_citizen_async (store, citizen, NULL, on_written, &done);
  /* The clerk types on while it is written: what was asked for is saved. */
  sb_citizen_set_family_name (citizen, "Async-Later");
  wait_for_write (&done);
  g_assert_error (done, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&done);
  g_assert_cmpint (sb_citizen_get_created_at (citizen), >, 0);
  g_assert_cmpstr (sb_citizen_get_family_name (citizen), ==, "Async-Later");
  {
    g_autoptr(SbCitizen) stored = sb_store_load_citizen (store, sb_citizen_get_id (citizen), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (sb_citizen_get_family_name (stored), ==, "Async");
  }

  submission = make_submission (citizen);
  sb_store_save_submission_async (store, submission, NULL, on_written, &done);
  wait_for_write (&done);
  g_assert_error (done, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&done);

  sb_store_write_async (store, (SbStoreWriteFunc)sb_store_submit, submission, test_store_async, NULL, on_written, &done);
  g_assert_cmpint (sb_submission_get_state (submission), ==, SB_SUBMISSION_STATE_DRAFT);
  wait_for_write (&done);
  g_assert_error (done, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&done);
  /* What the store decided is on the caller's object, set in its thread. */
  g_assert_cmpint (sb_submission_get_state (submission), ==, SB_SUBMISSION_STATE_QUEUED);

  /* Errors arrive the same way. */
  sb_store_write_async (store, (SbStoreWriteFunc)sb_store_submit, submission, test_store_async, NULL, on_written, &done);
  wait_for_write (&done);
  g_assert_error (done, SB_STORE_ERROR, SB_STORE_ERROR_INVALID);
  g_clear_error (&done);

  loaded = sb_store_load_submission (store, sb_submission_get_id (submission), &error);
  g_assert_cmpint (sb_submission_get_state (loaded), ==, SB_SUBMISSION_STATE_QUEUED);

  g_clear_object (&store);
  remove_tree (base);
}

static void
test_store_invalid_input (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbCitizen) citizen = make_citizen ("Yılmaz", "Ayşe");
  g_autoptr(GError) error = NULL;

  g_assert_true (sb_partial_date_is_valid ("1990"));
  g_assert_true (sb_partial_date_is_valid ("1990-02"));
  g_assert_true (sb_partial_date_is_valid ("2000-02-29"));
  g_assert_false (sb_partial_date_is_valid ("1990-02-29"));
  g_assert_false (sb_partial_date_is_valid ("1990-13"));
  g_assert_false (sb_partial_date_is_valid ("90"));
  g_assert_false (sb_partial_date_is_valid ("1990-XX-XX"));

  sb_citizen_set_birth_date (citizen, "1990-13");
  g_assert_false (sb_store_save_citizen (store, citizen, &error));
  g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1990-05-17"));
  g_clear_error (&error);

  sb_citizen_set_birth_date (citizen, "1985");
  sb_citizen_set_nationality (citizen, "Türkei");
  g_assert_false (sb_store_save_citizen (store, citizen, &error));
  g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID);
  g_clear_error (&error);

  sb_citizen_set_nationality (citizen, "XXA");
  g_assert_true (sb_store_save_citizen (store, citizen, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_found (store, "1985 aysé"), ==, 1);

  g_clear_object (&store);
  remove_tree (base);
}

static gboolean
tree_contains (const char *path,
               const char *needle)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &contents, &len, NULL))
        return FALSE;
      return memmem (contents, len, needle, strlen (needle)) != NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (tree_contains (child, needle))
        return TRUE;
    }

  return FALSE;
}

static SbDocument *
add_document_with_page (SbStore      *store,
                        SbSubmission *submission,
                        const char   *image_text,
                        SbPage      **page_out)
{
  g_autoptr(GError) error = NULL;
  SbDocument *document = sb_document_new ();
  g_autoptr(SbPage) page = sb_page_new ();
  g_autofree char *document_id = g_uuid_string_random ();
  g_autofree char *page_id = g_uuid_string_random ();
  g_autoptr(GBytes) image = g_bytes_new (image_text, strlen (image_text));

  sb_document_set_id (document, document_id);
  sb_document_set_submission_id (document, sb_submission_get_id (submission));
  sb_document_set_kind (document, "passport-copy");
  sb_document_set_title (document, "Reisepass " SENTINEL_NAME);
  g_assert_true (sb_store_save_document (store, document, &error));
  g_assert_no_error (error);

  sb_page_set_id (page, page_id);
  sb_page_set_document_id (page, document_id);
  sb_page_set_position (page, 0);
  sb_page_set_settings (page, "{\"mode\":\"color\",\"dpi\":300}");
  g_assert_true (sb_store_add_page (store, page, image, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sb_page_get_blob_id (page));

  if (page_out)
    *page_out = g_steal_pointer (&page);

  return document;
}

static void
test_store_plaintext (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbCitizen) citizen = make_citizen (SENTINEL_NAME, "Olena");
  g_autoptr(SbSubmission) submission = NULL;
  g_autoptr(SbDocument) document = NULL;
  g_autoptr(SbPage) page = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big_page = NULL;

  g_assert_true (sb_store_save_citizen (store, citizen, &error));
  submission = make_submission (citizen);
  sb_submission_set_form_data (submission, "{\"employer\":\"" SENTINEL_NAME " GmbH\"}");
  g_assert_true (sb_store_save_submission (store, submission, &error));

  /* A page of several chunks, as a real scan is. */
  big_page = g_strnfill (200 * 1024, 'x');
  memcpy (big_page + 100 * 1024, SENTINEL_PAGE, strlen (SENTINEL_PAGE));
  document = add_document_with_page (store, submission, big_page, &page);
  g_assert_no_error (error);

  image = sb_store_open_page_image (store, page, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (image), ==, strlen (big_page));
  g_assert_true (memcmp (g_bytes_get_data (image, NULL), big_page, strlen (big_page)) == 0);

  /* Neither the database, its WAL and shared memory nor the blobs hold the
   * name or the page in plain text. */
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_assert_false (tree_contains (dir, SENTINEL_NAME));
  g_assert_false (tree_contains (dir, SENTINEL_PAGE));
  g_assert_false (tree_contains (dir, "Olena"));
  g_assert_false (tree_contains (dir, "FE123456"));

  /* Delivered and kept past the retention: purged, and gone from the
   * files as well. */
  g_assert_true (sb_store_submit (store, submission, &error));
  {
    g_autoptr(GListModel) outbox = sb_store_list_outbox (store, FALSE, &error);
    g_autoptr(SbOutboxItem) item = g_list_model_get_item (outbox, 0);

    g_assert_true (sb_store_mark_delivered (store, sb_outbox_item_get_id (item), &error));
  }
  g_assert_cmpuint (sb_store_purge_expired (store, 0, sb_store_now () + 1, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_false (tree_contains (dir, SENTINEL_NAME));
  g_assert_false (tree_contains (dir, SENTINEL_PAGE));

  g_clear_object (&store);
  remove_tree (base);
}

static void
test_store_outbox (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbCitizen) citizen = make_citizen ("Öztürk", "Mehmet");
  g_autoptr(SbSubmission) submission = NULL;
  g_autoptr(SbSubmission) loaded = NULL;
  g_autoptr(SbAccount) account = sb_account_new ();
  g_autoptr(SbAccount) loaded_account = NULL;
  g_autoptr(SbMessage) message = sb_message_new ();
  g_autoptr(GListModel) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = g_uuid_string_random ();
  g_autofree char *message_id = g_uuid_string_random ();
  g_autoptr(SbOutboxItem) first = NULL;
  g_autoptr(SbOutboxItem) second = NULL;
  g_autoptr(SbOutboxItem) third = NULL;

  g_assert_true (sb_store_save_citizen (store, citizen, &error));

  sb_account_set_id (account, account_id);
  sb_account_set_citizen_id (account, sb_citizen_get_id (citizen));
  g_assert_true (sb_store_create_account (store, account, &error));
  g_assert_cmpint (sb_account_get_state (account), ==, SB_ACCOUNT_STATE_QUEUED);

  submission = make_submission (citizen);
  g_assert_true (sb_store_save_submission (store, submission, &error));
  sb_submission_set_form_data (submission, "{\"purpose\":\"study\"}");
  g_assert_true (sb_store_save_submission (store, submission, &error));

  g_assert_true (sb_store_submit (store, submission, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sb_submission_get_state (submission), ==, SB_SUBMISSION_STATE_QUEUED);

  /* Submitted is submitted: not twice, and not changed afterwards. */
  g_assert_false (sb_store_submit (store, submission, &error));
  g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sb_store_save_submission (store, submission, &error));
  g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID);
  g_clear_error (&error);

  sb_message_set_id (message, message_id);
  sb_message_set_submission_id (message, sb_submission_get_id (submission));
  sb_message_set_body (message, "Der Arbeitsvertrag liegt bei.");
  g_assert_true (sb_store_send_message (store, message, &error));

  outbox = sb_store_list_outbox (store, FALSE, &error);
  g_assert_cmpuint (g_list_model_get_n_items (outbox), ==, 3);
  first = g_list_model_get_item (outbox, 0);
  second = g_list_model_get_item (outbox, 1);
  third = g_list_model_get_item (outbox, 2);
  g_assert_cmpstr (sb_outbox_item_get_kind (first), ==, "account.create");
  g_assert_cmpstr (sb_outbox_item_get_entity_id (first), ==, account_id);
  g_assert_cmpstr (sb_outbox_item_get_kind (second), ==, "submission.submit");
  g_assert_cmpstr (sb_outbox_item_get_kind (third), ==, "message.send");
  g_assert_true (g_uuid_string_is_valid (sb_outbox_item_get_idempotency_key (second)));
  g_assert_cmpstr (sb_outbox_item_get_idempotency_key (first), !=, sb_outbox_item_get_idempotency_key (second));
  g_assert_cmpint (sb_outbox_item_get_state (second), ==, SB_OUTBOX_STATE_WAITING);

  g_assert_true (sb_store_mark_delivered (store, sb_outbox_item_get_id (second), &error));
  g_assert_true (sb_store_mark_delivered (store, sb_outbox_item_get_id (first), &error));
  loaded = sb_store_load_submission (store, sb_submission_get_id (submission), &error);
  g_assert_cmpint (sb_submission_get_state (loaded), ==, SB_SUBMISSION_STATE_DELIVERED);
  g_assert_cmpint (sb_submission_get_delivered_at (loaded), >, 0);
  g_assert_cmpstr (sb_submission_get_form_data (loaded), ==, "{\"purpose\":\"study\"}");
  g_assert_cmpint (sb_submission_get_representation (loaded), ==, SB_REPRESENTATION_AUTHORISED_PERSON);
  g_assert_cmpuint (g_list_model_get_n_items (sb_submission_get_consents (loaded)), ==, 1);
  loaded_account = sb_store_load_account (store, sb_citizen_get_id (citizen), &error);
  g_assert_cmpint (sb_account_get_state (loaded_account), ==, SB_ACCOUNT_STATE_CREATED);

  g_clear_object (&outbox);
  outbox = sb_store_list_outbox (store, FALSE, &error);
  g_assert_cmpuint (g_list_model_get_n_items (outbox), ==, 1);
  g_clear_object (&outbox);
  outbox = sb_store_list_outbox (store, TRUE, &error);
  g_assert_cmpuint (g_list_model_get_n_items (outbox), ==, 3);

  g_assert_false (sb_store_mark_delivered (store, "no-such-item", &error));
  g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_NOT_FOUND);

  g_clear_object (&store);
  remove_tree (base);
}

static gboolean
blob_exists (const char *dir,
             const char *blob_id)
{
  g_autofree char *shard = g_strndup (blob_id, 2);
  g_autofree char *path = g_build_filename (dir, "blobs", shard, blob_id, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_store_submission_contents (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbCitizen) citizen = make_citizen ("Haddad", "Rania");
  g_autoptr(SbSubmission) submission = NULL;
  g_autoptr(SbDocument) scanned = NULL;
  g_autoptr(SbDocument) imported = sb_document_new ();
  g_autoptr(SbMessage) message = sb_message_new ();
  g_autoptr(SbDecision) decision = sb_decision_new ();
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(GListModel) decisions = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(GBytes) first_pdf = g_bytes_new_static ("%PDF-1.7 first", 14);
  g_autoptr(GBytes) second_pdf = g_bytes_new_static ("%PDF-1.7 second", 15);
  g_autoptr(GBytes) decision_pdf = g_bytes_new_static ("%PDF-1.7 Bescheid", 17);
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *imported_id = g_uuid_string_random ();
  g_autofree char *message_id = g_uuid_string_random ();
  g_autofree char *decision_id = g_uuid_string_random ();
  g_autofree char *first_blob = NULL;

  g_assert_true (sb_store_save_citizen (store, citizen, &error));
  submission = make_submission (citizen);
  g_assert_true (sb_store_save_submission (store, submission, &error));

  scanned = add_document_with_page (store, submission, "scan", NULL);
  pages = sb_store_list_pages (store, sb_document_get_id (scanned), &error);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 1);

  sb_document_set_id (imported, imported_id);
  sb_document_set_submission_id (imported, sb_submission_get_id (submission));
  sb_document_set_kind (imported, "employment-contract");
  sb_document_set_title (imported, "Arbeitsvertrag");
  g_assert_true (sb_store_attach_pdf (store, imported, first_pdf, &error));
  g_assert_no_error (error);
  first_blob = g_strdup (sb_document_get_pdf_blob_id (imported));
  g_assert_true (blob_exists (dir, first_blob));

  /* A replaced PDF leaves no orphan behind. */
  g_assert_true (sb_store_attach_pdf (store, imported, second_pdf, &error));
  g_assert_false (blob_exists (dir, first_blob));

  documents = sb_store_list_documents (store, sb_submission_get_id (submission), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (documents), ==, 2);
  {
    g_autoptr(SbDocument) listed = NULL;

    for (guint i = 0; i < 2; i++)
      {
        g_autoptr(SbDocument) candidate = g_list_model_get_item (documents, i);

        if (g_strcmp0 (sb_document_get_id (candidate), imported_id) == 0)
          listed = g_steal_pointer (&candidate);
      }

    g_assert_nonnull (listed);
    g_assert_cmpstr (sb_document_get_title (listed), ==, "Arbeitsvertrag");
    g_assert_cmpstr (sb_document_get_kind (listed), ==, "employment-contract");
    opened = sb_store_open_document_pdf (store, listed, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (opened, second_pdf));
  }

  g_clear_pointer (&opened, g_bytes_unref);
  opened = sb_store_open_document_pdf (store, scanned, &error);
  g_assert_null (opened);
  g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  sb_message_set_id (message, message_id);
  sb_message_set_submission_id (message, sb_submission_get_id (submission));
  sb_message_set_body (message, "Bitte reichen Sie den Mietvertrag nach.");
  g_assert_true (sb_store_send_message (store, message, &error));
  messages = sb_store_list_messages (store, sb_submission_get_id (submission), &error);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 1);
  {
    g_autoptr(SbMessage) listed = g_list_model_get_item (messages, 0);

    g_assert_cmpstr (sb_message_get_body (listed), ==, "Bitte reichen Sie den Mietvertrag nach.");
    g_assert_cmpint (sb_message_get_direction (listed), ==, SB_MESSAGE_OUTGOING);
  }

  sb_decision_set_id (decision, decision_id);
  sb_decision_set_submission_id (decision, sb_submission_get_id (submission));
  sb_decision_set_title (decision, "Bescheid über die Verlängerung");
  g_assert_true (sb_store_save_decision (store, decision, decision_pdf, &error));
  decisions = sb_store_list_decisions (store, sb_submission_get_id (submission), &error);
  g_assert_cmpuint (g_list_model_get_n_items (decisions), ==, 1);
  {
    g_autoptr(SbDecision) listed = g_list_model_get_item (decisions, 0);

    g_assert_cmpstr (sb_decision_get_title (listed), ==, "Bescheid über die Verlängerung");
    g_clear_pointer (&opened, g_bytes_unref);
    opened = sb_store_open_decision (store, listed, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (opened, decision_pdf));
  }

  {
    g_autoptr(GListModel) events = sb_store_list_audit (store, &error);
    guint opens = 0;

    for (guint i = 0; i < g_list_model_get_n_items (events); i++)
      {
        g_autoptr(SbAuditEvent) event = g_list_model_get_item (events, i);

        if (g_str_equal (sb_audit_event_get_action (event), "document.open") ||
            g_str_equal (sb_audit_event_get_action (event), "decision.open"))
          {
            g_assert_cmpstr (sb_audit_event_get_citizen_id (event), ==, sb_citizen_get_id (citizen));
            opens++;
          }
      }
    g_assert_cmpuint (opens, ==, 2);
  }

  g_clear_object (&store);
  remove_tree (base);
}

/* Scans for an answer: removable until the answer names them, then part
 * of it; an answer naming a scan that is not there is refused whole. The
 * platform's statuses are kept once each, for the timeline. */
static void
test_store_answer_documents (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbCitizen) citizen = make_citizen ("Haddad", "Rania");
  g_autoptr(SbSubmission) submission = NULL;
  g_autoptr(SbDocument) kept = sb_document_new ();
  g_autoptr(SbDocument) dropped = sb_document_new ();
  g_autoptr(SbMessage) answer = sb_message_new ();
  g_autoptr(SbMessage) dangling = sb_message_new ();
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.7 Meldebescheinigung", 27);
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_status_change_free);
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept_id = g_uuid_string_random ();
  g_autofree char *dropped_id = g_uuid_string_random ();
  g_autofree char *answer_id = g_uuid_string_random ();
  g_autofree char *dangling_id = g_uuid_string_random ();
  g_autofree char *missing_id = g_uuid_string_random ();
  const char *with_kept[] = { kept_id, NULL };
  const char *with_missing[] = { missing_id, NULL };

  g_assert_true (sb_store_save_citizen (store, citizen, &error));
  submission = make_submission (citizen);
  g_assert_true (sb_store_save_submission (store, submission, &error));
  g_assert_true (sb_store_submit (store, submission, &error));

  for (guint i = 0; i < 2; i++)
    {
      SbDocument *document = i == 0 ? kept : dropped;

      sb_document_set_id (document, i == 0 ? kept_id : dropped_id);
      sb_document_set_submission_id (document, sb_submission_get_id (submission));
      sb_document_set_kind (document, SB_DOCUMENT_KIND_ANSWER);
      sb_document_set_title (document, "Document for the caseworker");
      g_assert_true (sb_store_attach_pdf (store, document, pdf, &error));
      g_assert_no_error (error);
    }
  /* A scan for the answer can go again; the application's own documents cannot. */
  g_assert_true (sb_store_remove_document (store, dropped, &error));
  g_assert_no_error (error);

  sb_message_set_id (dangling, dangling_id);
  sb_message_set_submission_id (dangling, sb_submission_get_id (submission));
  sb_message_set_body (dangling, "Anbei.");
  sb_message_set_attachments (dangling, with_missing);
  g_assert_false (sb_store_send_message (store, dangling, &error));
  g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID);
  g_clear_error (&error);

  sb_message_set_id (answer, answer_id);
  sb_message_set_submission_id (answer, sb_submission_get_id (submission));
  sb_message_set_body (answer, "Die Meldebescheinigung liegt bei.");
  sb_message_set_attachments (answer, with_kept);
  g_assert_true (sb_store_send_message (store, answer, &error));
  g_assert_no_error (error);

  messages = sb_store_list_messages (store, sb_submission_get_id (submission), &error);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 1);  /* the refused one left nothing */
  {
    g_autoptr(SbMessage) listed = g_list_model_get_item (messages, 0);

    g_assert_cmpstrv (sb_message_get_attachments (listed), with_kept);
  }
  documents = sb_store_list_documents (store, sb_submission_get_id (submission), &error);
  g_assert_cmpuint (g_list_model_get_n_items (documents), ==, 1);
  {
    g_autoptr(SbDocument) listed = g_list_model_get_item (documents, 0);

    g_assert_cmpstr (sb_document_get_kind (listed), ==, SB_DOCUMENT_KIND_ANSWER_SENT);
    g_assert_true (sb_document_is_for_answer (listed));
    g_assert_false (sb_store_remove_document (store, listed, &error));  /* it went with the answer */
    g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  g_ptr_array_add (changes, sb_status_change_new (sb_submission_get_id (submission), "received", 1000, 7));
  g_ptr_array_add (changes, sb_status_change_new (sb_submission_get_id (submission), "question", 2000, 9));
  g_ptr_array_add (changes, sb_status_change_new ("not-here", "received", 2000, 10));
  g_assert_true (sb_store_apply_platform_statuses (store, changes, "events-cursor", "10", &error));
  g_assert_true (sb_store_apply_platform_statuses (store, changes, "events-cursor", "10", &error));
  timeline = sb_store_list_status_changes (store, sb_submission_get_id (submission), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (timeline->len, ==, 2);
  g_assert_cmpstr (((SbStatusChange *)timeline->pdata[0])->status, ==, "received");
  g_assert_cmpint (((SbStatusChange *)timeline->pdata[1])->at, ==, 2000);
  {
    g_autofree char *status = sb_store_get_platform_status (store, sb_submission_get_id (submission));

    g_assert_cmpstr (status, ==, "question");
  }

  g_clear_object (&store);
  remove_tree (base);
}

static void
test_store_audit (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbCitizen) citizen = make_citizen ("Nguyen", "Thi Mai");
  g_autoptr(SbSubmission) submission = NULL;
  g_autoptr(SbDocument) document = NULL;
  g_autoptr(SbPage) page = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  static const char * const expected[] = {
    "citizen.create", "citizen.change", "submission.change", "document.change", "page.add",
    "page.open", "submission.submit", "receipt.print",
  };
  char *errmsg = NULL;

  g_assert_true (sb_store_save_citizen (store, citizen, &error));
  g_assert_true (sb_store_save_citizen (store, citizen, &error));
  submission = make_submission (citizen);
  g_assert_true (sb_store_save_submission (store, submission, &error));
  document = add_document_with_page (store, submission, "page", &page);
  image = sb_store_open_page_image (store, page, &error);
  g_assert_no_error (error);
  g_assert_true (sb_store_submit (store, submission, &error));
  g_assert_true (sb_store_record_audit (store, sb_citizen_get_id (citizen), "receipt.print",
                                        sb_submission_get_id (submission), &error));

  events = sb_store_list_audit (store, &error);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(SbAuditEvent) event = g_list_model_get_item (events, i);

      g_assert_cmpstr (sb_audit_event_get_action (event), ==, expected[i]);
      g_assert_cmpstr (sb_audit_event_get_staff (event), ==, "anna.schmidt");
      g_assert_cmpstr (sb_audit_event_get_citizen_id (event), ==, sb_citizen_get_id (citizen));
      g_assert_cmpint (sb_audit_event_get_at (event), >, 0);
    }

  /* Append-only, even for someone with SQL in hand. */
  g_assert_cmpint (sqlite3_exec (store->db, "DELETE FROM audit", NULL, NULL, &errmsg), ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (errmsg, "append-only"));
  sqlite3_free (errmsg);
  g_assert_cmpint (sqlite3_exec (store->db, "UPDATE audit SET staff = 'x'", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);

  g_assert_true (sb_store_export_audit (store, out, NULL, &error));
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  lines = g_strsplit (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (expected) + 1);
  g_assert_cmpstr (lines[G_N_ELEMENTS (expected)], ==, "");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (lines[i], &error);
      JsonObject *object;

      g_assert_no_error (error);
      object = json_node_get_object (node);
      g_assert_cmpint (json_object_get_int_member (object, "seq"), ==, i + 1);
      g_assert_cmpstr (json_object_get_string_member (object, "action"), ==, expected[i]);
      g_assert_cmpstr (json_object_get_string_member (object, "staff"), ==, "anna.schmidt");
      g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "at"), "Z"));
    }

  g_clear_object (&store);
  remove_tree (base);
}

static void
test_store_purge (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbCitizen) done = make_citizen ("Done", "Dana");
  g_autoptr(SbCitizen) waiting = make_citizen ("Waiting", "Wanda");
  g_autoptr(SbCitizen) unconfirmed = make_citizen ("Unconfirmed", "Ulla");
  g_autoptr(SbAccount) account = sb_account_new ();
  g_autofree char *account_id = g_uuid_string_random ();
  g_autoptr(SbSubmission) delivered = NULL;
  g_autoptr(SbSubmission) queued = NULL;
  g_autoptr(SbDocument) document = NULL;
  g_autoptr(SbPage) page = NULL;
  g_autoptr(GListModel) outbox = NULL;
  g_autoptr(SbOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSubmission) gone = NULL;
  g_autofree char *blob = NULL;
  gint64 now = sb_store_now ();

  g_assert_true (sb_store_save_citizen (store, done, &error));
  g_assert_true (sb_store_save_citizen (store, waiting, &error));
  g_assert_true (sb_store_save_citizen (store, unconfirmed, &error));
  sb_account_set_id (account, account_id);
  sb_account_set_citizen_id (account, sb_citizen_get_id (done));
  g_assert_true (sb_store_create_account (store, account, &error));
  delivered = make_submission (done);
  queued = make_submission (waiting);
  g_assert_true (sb_store_save_submission (store, delivered, &error));
  g_assert_true (sb_store_save_submission (store, queued, &error));
  document = add_document_with_page (store, delivered, "page", &page);
  blob = g_build_filename (dir, "blobs", (char[]) { sb_page_get_blob_id (page)[0], sb_page_get_blob_id (page)[1], 0 },
                           sb_page_get_blob_id (page), NULL);
  g_assert_true (g_file_test (blob, G_FILE_TEST_EXISTS));

  g_assert_true (sb_store_submit (store, delivered, &error));
  g_assert_true (sb_store_submit (store, queued, &error));
  outbox = sb_store_list_outbox (store, FALSE, &error);
  for (guint i = 0; i < 2; i++)
    {
      /* The account, then the first submission. */
      g_clear_object (&item);
      item = g_list_model_get_item (outbox, i);
      g_assert_true (sb_store_mark_delivered (store, sb_outbox_item_get_id (item), &error));
    }

  /* Scans left behind by a crash before their row was written: an old one
   * goes, a young one may still be in the middle of a write and stays. */
  {
    g_autofree char *old_orphan = g_build_filename (dir, "blobs", "00", "00000000-dead-4bad-8bad-000000000001", NULL);
    g_autofree char *young_orphan = g_build_filename (dir, "blobs", "00", "00000000-dead-4bad-8bad-000000000002", NULL);
    g_autofree char *shard = g_path_get_dirname (old_orphan);
    struct utimbuf two_hours_ago = { now - 7200, now - 7200 };

    g_assert_cmpint (g_mkdir_with_parents (shard, 0700), ==, 0);
    g_assert_true (g_file_set_contents (old_orphan, "x", 1, NULL));
    g_assert_true (g_file_set_contents (young_orphan, "x", 1, NULL));
    g_assert_cmpint (utime (old_orphan, &two_hours_ago), ==, 0);

    /* Within the retention period nothing of the store goes. */
    g_assert_cmpuint (sb_store_purge_expired (store, SB_STORE_DEFAULT_RETENTION, now, &error), ==, 0);
    g_assert_no_error (error);
    g_assert_true (g_file_test (blob, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (old_orphan, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (young_orphan, G_FILE_TEST_EXISTS));
  }

  /* Eight days later the delivered one goes, with its scans and its
   * citizen; what still waits to be sent stays. */
  g_assert_cmpuint (sb_store_purge_expired (store, SB_STORE_DEFAULT_RETENTION, now + 8 * 86400, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_false (g_file_test (blob, G_FILE_TEST_EXISTS));
  gone = sb_store_load_submission (store, sb_submission_get_id (delivered), &error);
  g_assert_null (gone);
  g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (sb_store_load_citizen (store, sb_citizen_get_id (done), &error));
  g_clear_error (&error);
  g_assert_cmpuint (n_found (store, "done"), ==, 0);

  {
    g_autoptr(SbSubmission) kept = sb_store_load_submission (store, sb_submission_get_id (queued), &error);
    g_autoptr(SbCitizen) kept_citizen = sb_store_load_citizen (store, sb_citizen_get_id (waiting), &error);
    g_autoptr(SbCitizen) never_confirmed = sb_store_load_citizen (store, sb_citizen_get_id (unconfirmed), &error);

    g_assert_no_error (error);
    g_assert_nonnull (kept);
    g_assert_nonnull (kept_citizen);
    /* Captured but never confirmed by the platform: never lost. */
    g_assert_nonnull (never_confirmed);
  }

  {
    g_autoptr(GString) report = g_string_new (NULL);

    g_assert_true (sb_store_check (store, report, &error));
    g_assert_nonnull (strstr (report->str, "The store is sound"));
  }

  g_clear_object (&store);
  remove_tree (base);
}

static void
test_store_migrations (void)
{
  for (guint version = 1; version < SB_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *base = make_dir ();
      g_autofree char *dir = store_dir (base);
      g_autoptr(GError) error = NULL;
      g_autoptr(SbStore) old = sb_store_open_full (dir, version, NULL, &error);
      g_autoptr(SbCitizen) citizen = make_citizen ("Migrated", "Mila");
      g_autoptr(SbStore) store = NULL;
      g_autoptr(SbCitizen) loaded = NULL;
      g_autoptr(GBytes) sealed = NULL;
      g_autoptr(sqlite3_stmt) stmt = NULL;

      g_assert_no_error (error);

      /* Data as that version wrote it: version 1 had no search index;
       * from version 2 on, saving writes it. */
      if (version == 1)
        {
          sealed = sb_store_seal_object (old, "citizens", sb_citizen_get_id (citizen), G_OBJECT (citizen));
          stmt = sb_store_prepare (old, "INSERT INTO citizens (id, created_at, updated_at, sealed) VALUES (?, 1, 2, ?)", &error);
          g_assert_no_error (error);
          sqlite3_bind_text (stmt, 1, sb_citizen_get_id (citizen), -1, SQLITE_STATIC);
          sqlite3_bind_blob (stmt, 2, g_bytes_get_data (sealed, NULL), (int)g_bytes_get_size (sealed), SQLITE_STATIC);
          g_assert_true (sb_store_step_done (old, stmt, &error));
          g_clear_pointer (&stmt, sqlite3_finalize);
        }
      else
        {
          g_assert_true (sb_store_save_citizen (old, citizen, &error));
          g_assert_no_error (error);
        }
      g_clear_object (&old);

      store = open_store (dir);
      loaded = sb_store_load_citizen (store, sb_citizen_get_id (citizen), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sb_citizen_get_family_name (loaded), ==, "Migrated");
      g_assert_cmpuint (n_found (store, "migrated mila"), ==, 1);

      g_clear_object (&store);
      remove_tree (base);
    }
}

static char *
helper_path (void)
{
  return g_test_build_filename (G_TEST_BUILT, "store-helper", NULL);
}

static gint64
user_version (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 version;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return version;
}

static void
test_store_kill_during_migration (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autofree char *helper = helper_path ();
  const char *argv[] = { helper, "migrate-kill", dir, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SbStore) store = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  /* Killed inside the migration to version 2: still version 1, intact. */
  g_assert_cmpint (user_version (dir), ==, 1);

  store = open_store (dir);
  g_assert_cmpint (user_version (dir), ==, SB_STORE_SCHEMA_VERSION);
  {
    g_autoptr(GString) report = g_string_new (NULL);

    g_assert_true (sb_store_check (store, report, &error));
  }

  g_clear_object (&store);
  remove_tree (base);
}

/* Lines "ID NAME" of the saves that returned; the last one per id counts.
 * Returns how many saves returned. */
static guint
read_saves (GHashTable *expected,
            FILE       *out)
{
  char line[512];
  guint saves = 0;

  while (fgets (line, sizeof line, out) != NULL)
    {
      g_auto(GStrv) fields = NULL;

      if (!g_str_has_suffix (line, "\n"))
        break;  /* cut off by the kill: that save's line never arrived */
      g_strchomp (line);
      fields = g_strsplit (line, " ", 2);
      if (fields[0] && fields[1])
        {
          g_hash_table_insert (expected, g_strdup (fields[0]), g_strdup (fields[1]));
          saves++;
        }
    }

  return saves;
}

static void
test_store_kill_during_saves (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autofree char *helper = helper_path ();
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint total = 0;
  guint rounds = 0;

  while (total < 600 || rounds < 5)
    {
      const char *argv[] = { helper, "saves", dir, "400", NULL };
      g_autoptr(GError) error = NULL;
      GPid pid;
      int out_fd;
      char first[64] = "";
      FILE *out;
      g_autoptr(SbStore) store = NULL;
      g_autoptr(GString) report = g_string_new (NULL);
      GHashTableIter iter;
      gpointer key, value;
      int status;

      g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, NULL, &out_fd, NULL, &error);
      g_assert_no_error (error);
      out = fdopen (out_fd, "r");
      g_assert_nonnull (fgets (first, sizeof first, out));
      g_assert_cmpstr (first, ==, "opened\n");

      /* Kill it at a random moment while it saves. */
      g_usleep (g_random_int_range (50, 700) * 1000);
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);

      total += read_saves (expected, out);
      fclose (out);
      rounds++;

      /* Every save that returned is there, exactly as saved. */
      store = open_store (dir);
      g_hash_table_iter_init (&iter, expected);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autoptr(SbCitizen) citizen = sb_store_load_citizen (store, key, &error);

          g_assert_no_error (error);
          /* A save may have landed after its line was lost with the process:
           * then the stored edit is newer, never older. */
          g_assert_nonnull (sb_citizen_get_given_names (citizen));
          g_assert_true (g_str_has_prefix (sb_citizen_get_given_names (citizen), "Edit"));
          g_assert_cmpint (atoi (sb_citizen_get_given_names (citizen) + 4), >=, atoi ((char *)value + 4));
        }
      g_assert_true (sb_store_check (store, report, &error));
      g_assert_no_error (error);

      if (rounds > 60)
        break;
    }

  g_test_message ("%u rounds, %u saves returned, %u citizens checked after kill -9",
                  rounds, total, g_hash_table_size (expected));
  g_assert_cmpuint (total, >=, 500);

  remove_tree (base);
}

static void
test_store_wrong_key (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autofree char *db_path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbCitizen) citizen = make_citizen ("Keyed", "Kim");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) store_id = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize len;
  static const SecretSchema schema = {
    "io.github.servicebuero.Servicebuero.StoreKey", SECRET_SCHEMA_DONT_MATCH_NAME,
    { { "store-id", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
  };

  g_assert_true (sb_store_save_citizen (store, citizen, &error));
  stmt = sb_store_prepare (store, "SELECT value FROM meta WHERE key = 'store-id'", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  id = g_strndup (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_clear_object (&store);

  /* Another key under the same name, as after a keyring was replaced. */
  g_assert_true (secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "replaced",
                                             "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", NULL, &error,
                                             "store-id", id, NULL));
  g_assert_no_error (error);
  g_file_get_contents (db_path, &before, &len, NULL);

  g_assert_null (sb_store_open (dir, NULL, &error));
  g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_WRONG_KEY);
  g_assert_nonnull (strstr (error->message, "does not open"));
  g_clear_error (&error);

  g_file_get_contents (db_path, &after, NULL, NULL);
  g_assert_true (memcmp (before, after, len) == 0);

  /* No key at all: fails closed as well. */
  g_assert_true (secret_password_clear_sync (&schema, NULL, &error, "store-id", id, NULL));
  g_assert_null (sb_store_open (dir, NULL, &error));
  g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_WRONG_KEY);

  remove_tree (base);
}

static void
test_store_damaged_opens_read_only (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autofree char *db_path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *after = NULL;
  gsize len = 0;

  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(SbCitizen) citizen = make_citizen ("Damaged", "Dora");

      g_assert_true (sb_store_save_citizen (store, citizen, &error));
    }
  g_clear_object (&store);

  /* Scribble over the last page (search index entries) of the checkpointed file. */
  g_assert_true (g_file_get_contents (db_path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 8192);
  memset (contents + len - 4096 + 8, 0xff, 3000);
  g_assert_true (g_file_set_contents (db_path, contents, len, NULL));

  store = sb_store_open (dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sb_store_get_read_only (store));
  g_assert_nonnull (strstr (sb_store_get_problem (store), "read-only"));

  {
    g_autoptr(SbCitizen) citizen = make_citizen ("New", "Nina");

    g_assert_false (sb_store_save_citizen (store, citizen, &error));
    g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_READ_ONLY);
    g_clear_error (&error);
  }
  g_clear_object (&store);

  /* Kept exactly as it was, for IT. */
  g_assert_true (g_file_get_contents (db_path, &after, NULL, NULL));
  g_assert_true (memcmp (contents, after, len) == 0);

  remove_tree (base);
}

static void
test_store_too_new (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(GError) error = NULL;

  g_assert_true (sb_store_exec (store, "PRAGMA user_version = 99", &error));
  g_clear_object (&store);

  g_assert_null (sb_store_open (dir, NULL, &error));
  g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_TOO_NEW);

  remove_tree (base);
}

static void
test_store_network_filesystem (void)
{
  g_assert_true (sb_store_filesystem_is_network (0x6969));      /* NFS */
  g_assert_true (sb_store_filesystem_is_network (0xff534d42));  /* CIFS */
  g_assert_true (sb_store_filesystem_is_network (0xfe534d42));  /* SMB2 */
  g_assert_false (sb_store_filesystem_is_network (0xef53));     /* ext4 */
  g_assert_false (sb_store_filesystem_is_network (0x01021994)); /* tmpfs */
  g_assert_false (sb_store_filesystem_is_network (0x9123683e)); /* btrfs */
}

static void
test_store_disk_full (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *base = make_dir ();
      g_autofree char *dir = store_dir (base);
      g_autoptr(SbStore) store = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *ballast = g_build_filename (base, "ballast", NULL);
      g_autofree char *ballast_data = g_malloc0 (256 * 1024);
      gboolean full = FALSE;

      /* A small disk of our own, in a mount namespace of our own. */
      g_assert_cmpint (unshare (CLONE_NEWNS), ==, 0);
      g_assert_cmpint (mount ("none", "/", NULL, MS_REC | MS_PRIVATE, NULL), ==, 0);
      g_assert_cmpint (mount ("tmpfs", base, "tmpfs", 0, "size=1m"), ==, 0);
      g_assert_true (g_file_set_contents (ballast, ballast_data, 256 * 1024, NULL));

      store = open_store (dir);
      for (guint i = 0; i < 20000 && !full; i++)
        {
          g_autoptr(SbCitizen) citizen = make_citizen ("Fuller", "Fiona");
          g_autofree char *padding = g_strnfill (2000, 'p');

          sb_citizen_set_street (citizen, padding);
          if (sb_store_save_citizen (store, citizen, &error))
            g_ptr_array_add (saved, g_steal_pointer (&citizen));
          else
            full = TRUE;
        }

      g_assert_true (full);
      g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_DISK_FULL);
      g_assert_nonnull (strstr (error->message, "disk is full"));
      g_clear_error (&error);
      g_assert_cmpuint (saved->len, >, 10);
      g_clear_object (&store);

      /* IT frees space; everything saved before is there. */
      g_assert_cmpint (g_unlink (ballast), ==, 0);
      store = open_store (dir);
      for (guint i = 0; i < saved->len; i++)
        {
          g_autoptr(SbCitizen) loaded = sb_store_load_citizen (store, sb_citizen_get_id (g_ptr_array_index (saved, i)), &error);

          g_assert_no_error (error);
          g_assert_cmpstr (sb_citizen_get_family_name (loaded), ==, "Fuller");
        }
      {
        g_autoptr(GString) report = g_string_new (NULL);

        g_assert_true (sb_store_check (store, report, &error));
      }
      return;
    }

  if (geteuid () != 0)
    {
      g_test_skip ("a small disk of its own needs root (CI runs as root)");
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_store_no_keyring (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autofree char *helper = helper_path ();
  const char *argv[] = { helper, "open", dir, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  envp = g_environ_setenv (envp, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
  g_spawn_sync (NULL, (char **)argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_str_has_prefix (out, "sb-store-error-quark 0 "));
  g_assert_nonnull (strstr (out, "nothing can be captured"));

  /* Refused before anything was written. */
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  remove_tree (base);
}

/* Last: the keyring stays locked for the rest of the session. */
static void
test_store_locked_keyring (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = store_dir (base);
  g_autofree char *other = g_build_filename (base, "other", NULL);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList *objects;

  g_clear_object (&store);

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  objects = g_list_append (NULL, collection);
  secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_list_free (objects);
  g_assert_no_error (error);

  g_assert_null (sb_store_open (dir, NULL, &error));
  g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_KEYRING_LOCKED);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_clear_error (&error);

  g_assert_null (sb_store_open (other, NULL, &error));
  g_assert_error (error, SB_STORE_ERROR, SB_STORE_ERROR_KEYRING_LOCKED);
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));

  remove_tree (base);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("SB_KEYRING_SESSION") == NULL && !g_test_subprocess ())
    {
      g_print ("1..0 # SKIP needs a private keyring: run through tests/keyring-session\n");
      return 0;
    }

  g_test_add_func ("/store/round-trip", test_store_round_trip);
  g_test_add_func ("/store/async", test_store_async);
  g_test_add_func ("/store/invalid-input", test_store_invalid_input);
  g_test_add_func ("/store/plaintext", test_store_plaintext);
  g_test_add_func ("/store/outbox", test_store_outbox);
  g_test_add_func ("/store/submission-contents", test_store_submission_contents);
  g_test_add_func ("/store/answer-documents", test_store_answer_documents);
  g_test_add_func ("/store/audit", test_store_audit);
  g_test_add_func ("/store/purge", test_store_purge);
  g_test_add_func ("/store/migrations", test_store_migrations);
  g_test_add_func ("/store/kill-during-migration", test_store_kill_during_migration);
  g_test_add_func ("/store/kill-during-saves", test_store_kill_during_saves);
  g_test_add_func ("/store/wrong-key", test_store_wrong_key);
  g_test_add_func ("/store/damaged-opens-read-only", test_store_damaged_opens_read_only);
  g_test_add_func ("/store/too-new", test_store_too_new);
  g_test_add_func ("/store/network-filesystem", test_store_network_filesystem);
  g_test_add_func ("/store/disk-full", test_store_disk_full);
  g_test_add_func ("/store/no-keyring", test_store_no_keyring);
  g_test_add_func ("/store/locked-keyring", test_store_locked_keyring);

  return g_test_run ();
}
