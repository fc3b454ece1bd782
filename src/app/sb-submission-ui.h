/* sb-submission-ui.h — what the submission screens share: words, rows, a look at a document, a scan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sb-model.h"
#include "sb-scan-job.h"
#include "sb-store.h"

G_BEGIN_DECLS

/* The catalogue as the sync engine keeps it */
JsonObject *sb_json_member_object     (JsonObject        *object,
                                       const char        *name);
JsonArray  *sb_json_member_array      (JsonObject        *object,
                                       const char        *name);
JsonObject *sb_catalogue_find_service (JsonNode          *catalogue,
                                       const char        *service_id);
char       *sb_catalogue_text         (JsonObject        *texts,
                                       const char        *language);
const char *sb_catalogue_language     (void);

/* Words */
char       *sb_ui_format_time         (gint64             unix_seconds);
char       *sb_ui_citizen_name        (SbCitizen         *citizen);
const char *sb_ui_status_words        (const char        *platform_status);
char       *sb_ui_state_words         (SbSubmission      *submission,
                                       const char        *platform_status);
const char *sb_ui_decision_title      (SbDecision        *decision);

/* Rows and lists */
SbDocument *sb_ui_find_document       (GPtrArray         *documents,
                                       const char        *id);
void        sb_ui_clear_list          (GtkListBox        *list);
GtkWidget  *sb_ui_dim_label           (const char        *text);
void        sb_ui_set_row_title       (AdwPreferencesRow *row,
                                       const char        *title);
void        sb_ui_set_row_subtitle    (AdwActionRow      *row,
                                       const char        *subtitle);
GtkWidget  *sb_ui_row_button          (const char        *label,
                                       const char        *accessible_label,
                                       const char        *action,
                                       const char        *target);
GtkWidget  *sb_ui_remove_button       (const char        *accessible_label,
                                       const char        *action,
                                       const char        *target);

/* Toasts, and work for the store in a worker thread */
AdwToast   *sb_ui_toast               (AdwToastOverlay   *overlay,
                                       const char        *message);
gboolean    sb_ui_task_succeeded      (GAsyncResult      *result,
                                       AdwToastOverlay   *overlay);
void        sb_ui_store_task          (gpointer             source,
                                       GCancellable        *cancellable,
                                       SbStore             *store,
                                       SbStoreWriteFunc     func,
                                       gpointer             object,
                                       GAsyncReadyCallback  callback);
gpointer    sb_ui_store_task_get_object (GAsyncResult    *result);

/* A document or decision in a window of its own, or printed */
void        sb_ui_show_document       (GtkWidget         *parent,
                                       const char        *title,
                                       const char        *media_type,
                                       GBytes            *content);
void        sb_ui_open_async          (GtkWidget         *parent,
                                       SbStore           *store,
                                       GObject           *document_or_decision,
                                       gboolean           print,
                                       GCancellable      *cancellable,
                                       AdwToastOverlay   *overlay);

/* Scanning pages for a document */
typedef void (*SbUiScanProgress) (GObject *target,
                                  guint    n_pages);

void        sb_ui_scan_pages_async    (const SbScanSettings *settings,
                                       GCancellable         *cancellable,
                                       GObject              *progress_target,
                                       SbUiScanProgress      progress,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
GPtrArray  *sb_ui_scan_pages_finish   (GAsyncResult         *result,
                                       double               *dpi,
                                       GError              **error);

G_END_DECLS
