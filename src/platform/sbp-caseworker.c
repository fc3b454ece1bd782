/* sbp-caseworker.c: what the authority does with a submission
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Used by `servicebuero-platform caseworker …` (beside a running server,
 * on the same data directory) and by --demo, which moves submissions
 * through received → in-progress → question → decided on a timer.
 */
#include "sbp-private.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <string.h>

static gboolean
emit_status (SbpServer  *self,
             const char *submission_id,
             const char *status,
             GError    **error)
{
  g_autofree char *office = sbp_db_text (self->db, "SELECT office FROM submissions WHERE id = ?", "s", submission_id);
  g_autofree char *now = sbp_now_iso8601 ();
  g_autoptr(JsonNode) event = NULL;

  if (office == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No submission %s", submission_id);
      return FALSE;
    }
  sbp_db_run (self->db, "UPDATE submissions SET status = ?, updated = ?, status_since = ? WHERE id = ?", "ssis",
              status, now, g_get_real_time () / G_USEC_PER_SEC, submission_id);

  event = sbp_event_new ("submission.status", submission_id, now, "status", status, NULL);
  sbp_emit_event (self, office, submission_id, event);
  return TRUE;
}

gboolean
sbp_caseworker_set_status (SbpServer  *self,
                           const char *submission_id,
                           const char *status,
                           GError    **error)
{
  return emit_status (self, submission_id, status, error);
}

gboolean
sbp_caseworker_ask (SbpServer  *self,
                    const char *submission_id,
                    const char *text,
                    GError    **error)
{
  g_autofree char *office = sbp_db_text (self->db, "SELECT office FROM submissions WHERE id = ?", "s", submission_id);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = sbp_now_iso8601 ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) event = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *hash = NULL;

  if (office == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No submission %s", submission_id);
      return FALSE;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  canonical = sb_json_canonical (body);
  hash = sbp_sha256_hex (canonical, strlen (canonical));
  sbp_db_run (self->db, "INSERT INTO messages (id, submission_id, direction, body, body_hash, created) "
              "VALUES (?, ?, 'to-applicant', ?, ?, ?)", "sssss", id, submission_id, canonical, hash, now);

  event = sbp_event_new ("message.created", submission_id, now, "message", id, "direction", "to-applicant", NULL);
  sbp_emit_event (self, office, submission_id, event);

  return emit_status (self, submission_id, "question", error);
}

static cairo_status_t
append_to_bytes (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A one-page decision letter (Bescheid), as a real authority's would look. */
static GBytes *
decision_pdf (const char *reference,
              const char *service_title,
              gboolean    accepted,
              const char *reason,
              const char *date)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_to_bytes, out, 595.28, 841.89);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 11");
  g_autofree char *markup = NULL;

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "Bescheid");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "servicebuero-platform");
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int)(455 * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  markup = g_markup_printf_escaped (
    "<span size='small'>Stadt Nürnberg · Demo-Plattform · Dieser Bescheid ist ein Beispiel und hat keine Rechtswirkung.</span>\n\n\n"
    "<b><span size='x-large'>Bescheid</span></b>\n\n"
    "Aktenzeichen: %s\nDatum: %s\nLeistung: %s\n\n"
    "<b>%s</b>\n\n%s\n\n"
    "<b>Rechtsbehelfsbelehrung</b>\nGegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim "
    "Bayerischen Verwaltungsgericht Ansbach erhoben werden.\n\n\nIm Auftrag\nDemo-Sachbearbeitung",
    reference, date, service_title,
    accepted ? "Ihrem Antrag wird stattgegeben." : "Ihr Antrag wird abgelehnt.",
    reason != NULL ? reason : (accepted ? "Die Voraussetzungen sind erfüllt." : ""));
  pango_layout_set_markup (layout, markup, -1);
  cairo_move_to (cr, 70, 70);
  pango_cairo_show_layout (cr, layout);
  cairo_show_page (cr);

  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (out);
}

gboolean
sbp_caseworker_decide (SbpServer  *self,
                       const char *submission_id,
                       gboolean    accepted,
                       const char *reason,
                       GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = sbp_db_prepare (self->db, "SELECT reference, service_id, office FROM submissions WHERE id = ?",
                                                 "s", submission_id);
  g_autofree char *now = sbp_now_iso8601 ();
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *office = NULL;
  JsonObject *service;
  const char *title = "";

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No submission %s", submission_id);
      return FALSE;
    }
  if (sbp_db_int (self->db, "SELECT count(*) FROM decisions WHERE submission_id = ?", "s", submission_id) > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "Submission %s is decided already", submission_id);
      return FALSE;
    }
  if (!accepted && (reason == NULL || reason[0] == '\0'))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "A rejection needs a reason (--reason)");
      return FALSE;
    }
  service = sbp_catalogue_find (self, sbp_db_column_text (stmt, 1));
  if (service != NULL)
    title = json_object_get_string_member (json_object_get_object_member (service, "title"), "de");
  office = g_strdup (sbp_db_column_text (stmt, 2));
  pdf = decision_pdf (sbp_db_column_text (stmt, 0), title, accepted, reason, now);

  sbp_db_run (self->db, "INSERT INTO decisions (submission_id, outcome, reason, pdf, decided) VALUES (?, ?, ?, ?, ?)",
              "sssbs", submission_id, accepted ? "accepted" : "rejected", reason,
              g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), now);
  {
    g_autoptr(JsonNode) event = sbp_event_new ("decision.issued", submission_id, now,
                                               "outcome", accepted ? "accepted" : "rejected", NULL);

    sbp_emit_event (self, office, submission_id, event);
  }
  return emit_status (self, submission_id, "decided", error);
}

/* One step of the demo: each submission whose status is older than the
 * pace moves on. A question waits for an answer, or two paces. */
void
sbp_caseworker_demo_step (SbpServer *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(sqlite3_stmt) stmt = sbp_db_prepare (self->db,
                                                 "SELECT id, status, status_since, "
                                                 "(SELECT count(*) FROM messages m WHERE m.submission_id = s.id AND "
                                                 " m.direction = 'from-applicant') FROM submissions s "
                                                 "WHERE status != 'decided' AND status_since <= ?",
                                                 "i", now - (gint64)self->demo_pace);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) answered = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) since = g_array_new (FALSE, FALSE, sizeof (gint64));

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 n = sqlite3_column_int64 (stmt, 3), t = sqlite3_column_int64 (stmt, 2);

      g_ptr_array_add (ids, g_strdup (sbp_db_column_text (stmt, 0)));
      g_ptr_array_add (statuses, g_strdup (sbp_db_column_text (stmt, 1)));
      g_array_append_val (answered, n);
      g_array_append_val (since, t);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      const char *status = g_ptr_array_index (statuses, i);
      g_autoptr(GError) error = NULL;

      if (g_str_equal (status, "received"))
        sbp_caseworker_set_status (self, id, "in-progress", &error);
      else if (g_str_equal (status, "in-progress") && sbp_db_int (self->db, "SELECT count(*) FROM messages WHERE "
                                                                  "submission_id = ? AND direction = 'to-applicant'", "s", id) == 0)
        sbp_caseworker_ask (self, id,
                            "Bitte reichen Sie eine aktuelle Meldebescheinigung nach. "
                            "(Please send a current certificate of registration.)", &error);
      else if (g_str_equal (status, "in-progress") ||
               (g_str_equal (status, "question") &&
                (g_array_index (answered, gint64, i) > 0 || g_array_index (since, gint64, i) <= now - 2 * (gint64)self->demo_pace)))
        sbp_caseworker_decide (self, id, TRUE, NULL, &error);
      if (error != NULL)
        g_warning ("Demo: %s", error->message);
    }
}
