/* sync-helper.c — a desk that queues and sends, as a process the sync
 * tests can kill at any moment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   sync-helper queue DIR COUNT BYTES [bad|represented]
 *       COUNT citizens with an account and a "report a lost document"
 *       submission each, with a PDF of about BYTES; "bad": the first one's
 *       form is one the platform refuses. Prints "SUBMISSION SHA256" each.
 *       "represented": an authorised person files it, with their power of
 *       attorney; SHA256 is then the power of attorney's.
 *   sync-helper drain DIR URL TOKEN [CHUNK]
 *       sends until nothing is due (waiting out backoffs of at most 1 s);
 *       prints the outbox states at the end.
 *   sync-helper once DIR URL TOKEN [now|later]  one round, as the app runs it;
 *       "now": as after "Sync now" (what waits out a backoff goes too);
 *       "later": every item first waits out an hour's backoff, as after
 *       failures. Prints "DELIVERED DEFERRED"
 *   sync-helper states DIR      prints "STATE KIND ID" per outbox item
 *   sync-helper activation DIR ACCOUNT…  prints "ACCOUNT CODE EXPIRES", or
 *       "ACCOUNT none", per account: the code kept for the citizen's letter
 *   sync-helper inbox DIR ID…  prints, per submission, what came back from
 *       the platform: "ID STATUS MESSAGES DECISIONS STATUS,STATUS,… FIRST-MESSAGE"
 *       (the statuses of its timeline, oldest first)
 *   sync-helper answer DIR SUBMISSION TEXT BYTES  answers the caseworker as
 *       the counter does: a scan of about BYTES kept for the answer, then
 *       the answer naming it; prints "MESSAGE SHA256"
 *   sync-helper tus-upload ENDPOINT FILE STATE_FILE CHUNK
 *       uploads FILE with the desk's tus client to any tus server, going
 *       on from the upload whose address STATE_FILE holds; prints it
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sb-model.h"
#include "sb-store.h"
#include "sb-sync-engine.h"

static GBytes *
pdf_of_size (gsize size,
             guint n)
{
  /* A real PDF; its content stream pads it to the size asked. */
  GString *pdf = g_string_new ("%PDF-1.7\n");
  gsize pad = size > 600 ? size - 600 : 16;
  g_autofree char *stream = NULL;
  GString *body = g_string_sized_new (pad + 64);
  gsize offsets[5];
  gsize xref;

  g_string_append_printf (body, "BT /F1 12 Tf 72 720 Td (Verlustanzeige %u) Tj ET\n%%", n);
  while (body->len < pad)
    g_string_append_c (body, (char)('a' + g_random_int_range (0, 26)));
  g_string_append_c (body, '\n');

  offsets[1] = pdf->len;
  g_string_append (pdf, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  offsets[2] = pdf->len;
  g_string_append (pdf, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
  offsets[3] = pdf->len;
  g_string_append (pdf, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n");
  offsets[4] = pdf->len;
  g_string_append_printf (pdf, "4 0 obj\n<< /Length %" G_GSIZE_FORMAT " >>\nstream\n", body->len);
  g_string_append_len (pdf, body->str, body->len);
  g_string_append (pdf, "endstream\nendobj\n");
  xref = pdf->len;
  g_string_append (pdf, "xref\n0 5\n0000000000 65535 f \n");
  for (guint i = 1; i < 5; i++)
    g_string_append_printf (pdf, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n", xref);
  g_string_free (body, TRUE);
  return g_string_free_to_bytes (pdf);
}

static int
queue (const char *dir,
       guint       count,
       gsize       bytes,
       gboolean    bad_first,
       gboolean    represented)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbStore) store = sb_store_open (dir, NULL, &error);

  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  sb_store_set_staff (store, "sync-test");

  for (guint i = 0; i < count; i++)
    {
      g_autoptr(SbCitizen) citizen = sb_citizen_new ();
      g_autoptr(SbAccount) account = sb_account_new ();
      g_autoptr(SbSubmission) submission = sb_submission_new ();
      g_autoptr(SbConsent) consent = sb_consent_new ();
      g_autoptr(SbDocument) document = sb_document_new ();
      g_autoptr(GBytes) pdf = pdf_of_size (bytes, i);
      g_autofree char *citizen_id = g_uuid_string_random ();
      g_autofree char *account_id = g_uuid_string_random ();
      g_autofree char *submission_id = g_uuid_string_random ();
      g_autofree char *document_id = g_uuid_string_random ();
      g_autofree char *family = g_strdup_printf ("Kovalenko%u", i);
      g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
      gboolean bad = bad_first && i == 0;

      sb_citizen_set_id (citizen, citizen_id);
      sb_citizen_set_given_names (citizen, "Olena");
      sb_citizen_set_family_name (citizen, family);
      sb_citizen_set_birth_date (citizen, "1979-11");
      sb_citizen_set_nationality (citizen, "UKR");
      sb_citizen_set_preferred_language (citizen, "uk");
      if (!sb_store_save_citizen (store, citizen, &error))
        goto failed;

      sb_account_set_id (account, account_id);
      sb_account_set_citizen_id (account, citizen_id);
      if (!sb_store_create_account (store, account, &error))
        goto failed;

      sb_submission_set_id (submission, submission_id);
      sb_submission_set_citizen_id (submission, citizen_id);
      sb_submission_set_service_id (submission, "verlust-melden");
      sb_submission_set_form_data (submission, bad
                                   ? "{\"documentType\":\"passport\",\"lostOn\":\"2026-11-30\",\"circumstances\":\"weg\"}"
                                   : "{\"documentType\":\"passport\",\"lostOn\":\"2026-11-30\","
                                     "\"circumstances\":\"In der U-Bahn zwischen Plärrer und Hauptbahnhof verloren.\"}");
      sb_submission_set_representation (submission, represented ? SB_REPRESENTATION_AUTHORISED_PERSON
                                                                : SB_REPRESENTATION_NONE);
      if (represented)
        sb_submission_set_representative_name (submission, "Taras Kovalenko");
      sb_consent_set_kind (consent, SB_CONSENT_DATA_PROCESSING);
      sb_consent_set_language (consent, "uk");
      sb_consent_set_staff (consent, "sync-test");
      sb_consent_set_given_at (consent, 1796400100);
      g_list_store_append (G_LIST_STORE (sb_submission_get_consents (submission)), consent);
      if (!sb_store_save_submission (store, submission, &error))
        goto failed;

      sb_document_set_id (document, document_id);
      sb_document_set_submission_id (document, submission_id);
      sb_document_set_kind (document, "police-report");
      sb_document_set_title (document, "Verlustanzeige der Polizei");
      if (!sb_store_save_document (store, document, &error) || !sb_store_attach_pdf (store, document, pdf, &error))
        goto failed;
      if (represented)
        {
          g_autoptr(SbDocument) power = sb_document_new ();
          g_autoptr(GBytes) power_pdf = pdf_of_size (bytes, 1000 + i);
          g_autofree char *power_id = g_uuid_string_random ();

          sb_document_set_id (power, power_id);
          sb_document_set_submission_id (power, submission_id);
          sb_document_set_kind (power, SB_DOCUMENT_KIND_AUTHORIZATION);
          sb_document_set_title (power, "Vollmacht");
          if (!sb_store_attach_pdf (store, power, power_pdf, &error))
            goto failed;
          g_free (sha256);
          sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, power_pdf);
        }
      if (!sb_store_submit (store, submission, &error))
        goto failed;

      printf ("%s %s\n", submission_id, sha256);
      fflush (stdout);
      continue;

failed:
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}

static void
print_states (SbStore *store)
{
  g_autoptr(GListModel) outbox = sb_store_list_outbox (store, TRUE, NULL);

  for (guint i = 0; outbox != NULL && i < g_list_model_get_n_items (outbox); i++)
    {
      g_autoptr(SbOutboxItem) item = g_list_model_get_item (outbox, i);
      g_autofree char *error = g_strescape (sb_outbox_item_get_last_error (item) ?: "", "");

      printf ("%d %s %s %u %s\n", sb_outbox_item_get_state (item), sb_outbox_item_get_kind (item),
              sb_outbox_item_get_entity_id (item), sb_outbox_item_get_attempts (item), error);
    }
}

static void
print_progress (const char *outbox_id,
                gint64      sent,
                gint64      total,
                gpointer    user_data)
{
  printf ("progress %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", outbox_id, sent, total);
  fflush (stdout);
}

static int
drain (const char *dir,
       const char *url,
       const char *token,
       gsize       chunk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbStore) store = sb_store_open (dir, NULL, &error);
  g_autoptr(SbSyncEngine) engine = NULL;
  SbSyncReport report;

  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  sb_store_set_staff (store, "sync-test");
  engine = sb_sync_engine_new (store, url);
  sb_sync_engine_set_access_token (engine, token);
  sb_sync_engine_set_max_backoff (engine, 1);
  sb_sync_engine_set_progress_func (engine, print_progress, NULL);
  if (chunk > 0)
    sb_sync_engine_set_chunk_size (engine, chunk);
  printf ("opened\n");
  fflush (stdout);

  for (;;)
    {
      if (!sb_sync_engine_drain_sync (engine, &report, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      printf ("round: %u delivered, %u deferred, %u quarantined%s\n", report.delivered, report.deferred,
              report.quarantined, report.signed_out ? ", signed out" : "");
      fflush (stdout);
      if (report.signed_out || report.next_attempt_in < 0)
        break;
      g_usleep (MAX (report.next_attempt_in, 0) * G_USEC_PER_SEC + 50000);
    }
  print_states (store);
  return report.signed_out ? 3 : 0;
}

static SbStore *
open_store (const char *directory)
{
  g_autoptr(GError) error = NULL;
  SbStore *store = sb_store_open (directory, NULL, &error);

  if (store == NULL)
    g_printerr ("%s\n", error->message);
  return store;
}

static int
answer (const char *dir,
        const char *submission_id,
        const char *text,
        gsize       bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbDocument) scan = sb_document_new ();
  g_autoptr(SbMessage) message = sb_message_new ();
  g_autoptr(GBytes) pdf = pdf_of_size (bytes, 99);
  g_autofree char *scan_id = g_uuid_string_random ();
  g_autofree char *message_id = g_uuid_string_random ();
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  const char *attachments[] = { scan_id, NULL };

  if (store == NULL)
    return 1;
  sb_document_set_id (scan, scan_id);
  sb_document_set_submission_id (scan, submission_id);
  sb_document_set_kind (scan, SB_DOCUMENT_KIND_ANSWER);
  sb_document_set_title (scan, "Meldebescheinigung");
  sb_message_set_id (message, message_id);
  sb_message_set_submission_id (message, submission_id);
  sb_message_set_body (message, text);
  sb_message_set_attachments (message, attachments);
  if (!sb_store_attach_pdf (store, scan, pdf, &error) || !sb_store_send_message (store, message, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("%s %s\n", message_id, sha256);
  return 0;
}

static int
once (const char *dir,
      const char *url,
      const char *token,
      const char *how)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbSyncEngine) engine = NULL;
  SbSyncReport report;

  if (store == NULL)
    return 1;
  engine = sb_sync_engine_new (store, url);
  sb_sync_engine_set_access_token (engine, token);
  if (g_strcmp0 (how, "now") == 0)
    sb_sync_engine_retry_waiting (engine);
  if (g_strcmp0 (how, "later") == 0)
    {
      g_autoptr(GListModel) outbox = sb_store_list_outbox (store, FALSE, NULL);

      for (guint i = 0; outbox != NULL && i < g_list_model_get_n_items (outbox); i++)
        {
          g_autoptr(SbOutboxItem) item = g_list_model_get_item (outbox, i);

          if (!sb_store_outbox_defer (store, sb_outbox_item_get_id (item), g_get_real_time () / G_USEC_PER_SEC + 3600,
                                      "The platform could not be reached.", &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
        }
    }
  if (!sb_sync_engine_drain_sync (engine, &report, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("%u %u\n", report.delivered, report.deferred);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc >= 5 && g_str_equal (argv[1], "queue"))
    return queue (argv[2], (guint)atoi (argv[3]), (gsize)g_ascii_strtoull (argv[4], NULL, 10),
                  argc > 5 && g_str_equal (argv[5], "bad"), argc > 5 && g_str_equal (argv[5], "represented"));
  if (argc >= 5 && g_str_equal (argv[1], "drain"))
    return drain (argv[2], argv[3], argv[4], argc > 5 ? (gsize)g_ascii_strtoull (argv[5], NULL, 10) : 0);
  if (argc == 6 && g_str_equal (argv[1], "tus-upload"))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GMappedFile) file = g_mapped_file_new (argv[3], FALSE, &error);
      g_autoptr(GBytes) data = file != NULL ? g_mapped_file_get_bytes (file) : NULL;
      g_autofree char *url = NULL;

      if (data == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      printf ("started\n");
      fflush (stdout);
      url = sb_tus_upload_sync (argv[2], NULL, data, (gsize)g_ascii_strtoull (argv[5], NULL, 10), argv[4], NULL, &error);
      if (url == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      printf ("%s\n", url);
      return 0;
    }
  if (argc >= 3 && g_str_equal (argv[1], "inbox"))
    {
      g_autoptr(SbStore) store = open_store (argv[2]);

      if (store == NULL)
        return 1;
      for (int i = 3; i < argc; i++)
        {
          g_autofree char *status = sb_store_get_platform_status (store, argv[i]);
          g_autoptr(GListModel) messages = sb_store_list_messages (store, argv[i], NULL);
          g_autoptr(GListModel) decisions = sb_store_list_decisions (store, argv[i], NULL);
          g_autoptr(GPtrArray) changes = sb_store_list_status_changes (store, argv[i], NULL);
          g_autoptr(GString) timeline = g_string_new (NULL);
          guint incoming = 0;
          const char *first = "-";

          for (guint m = 0; messages != NULL && m < g_list_model_get_n_items (messages); m++)
            {
              g_autoptr(SbMessage) message = g_list_model_get_item (messages, m);

              if (sb_message_get_direction (message) == SB_MESSAGE_INCOMING && incoming++ == 0)
                first = g_intern_string (sb_message_get_body (message));
            }
          for (guint c = 0; changes != NULL && c < changes->len; c++)
            g_string_append_printf (timeline, "%s%s", c > 0 ? "," : "",
                                    ((SbStatusChange *)g_ptr_array_index (changes, c))->status);
          printf ("%s %s %u %u %s %s\n", argv[i], status != NULL ? status : "-", incoming,
                  decisions != NULL ? g_list_model_get_n_items (decisions) : 0,
                  timeline->len > 0 ? timeline->str : "-", first);
        }
      {
        g_autofree char *catalogue = sb_store_get_sync_value (store, "catalogue");
        g_autofree char *etag = sb_store_get_sync_value (store, "catalogue-etag");
        g_autofree char *service = sb_store_get_sync_value (store, "service/verlust-melden");

        printf ("catalogue %s %s %s\n", catalogue != NULL ? "kept" : "missing", etag != NULL ? etag : "-",
                service != NULL && strstr (service, "\"form\"") != NULL ? "with-forms" : "without-forms");
      }
      return 0;
    }
  if (argc >= 5 && g_str_equal (argv[1], "once"))
    return once (argv[2], argv[3], argv[4], argc > 5 ? argv[5] : NULL);
  if (argc == 6 && g_str_equal (argv[1], "answer"))
    return answer (argv[2], argv[3], argv[4], (gsize)g_ascii_strtoull (argv[5], NULL, 10));
  if (argc >= 3 && g_str_equal (argv[1], "activation"))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbStore) store = open_store (argv[2]);

      if (store == NULL)
        return 1;
      for (int i = 3; i < argc; i++)
        {
          g_autofree char *code = NULL;
          g_autofree char *expires = NULL;

          if (sb_store_account_get_activation (store, argv[i], &code, &expires, &error))
            printf ("%s %s %s\n", argv[i], code, expires);
          else
            printf ("%s none %s\n", argv[i], error != NULL ? error->message : "-");
          g_clear_error (&error);
        }
      return 0;
    }
  if (argc == 3 && g_str_equal (argv[1], "states"))
    {
      g_autoptr(SbStore) store = open_store (argv[2]);

      if (store == NULL)
        return 1;
      print_states (store);
      return 0;
    }
  g_printerr ("usage: sync-helper queue DIR COUNT BYTES [bad] | drain DIR URL TOKEN [CHUNK] | states DIR\n");
  return 2;
}
