/* sb-store.h — the desk's local, encrypted, crash-safe store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The synchronous calls block on disk and on the keyring: call them from a
 * worker thread (the app uses the _async variants), from servicebuero-ctl
 * or from tests. A store may be used from several threads; calls are
 * serialised.
 */

#pragma once

#include <gio/gio.h>

#include "sb-model.h"
#include "sb-store-error.h"

G_BEGIN_DECLS

/**
 * SbStatusChange:
 * @submission_id: the application
 * @status: the platform's word for it (received, in-progress, question, decided)
 * @at: when the platform set it (Unix seconds)
 * @cursor: the event's place in the platform's feed
 *
 * One status the platform gave an application, from its event feed.
 */
typedef struct
{
  char   *submission_id;
  char   *status;
  gint64  at;
  gint64  cursor;
} SbStatusChange;

SbStatusChange *sb_status_change_new  (const char     *submission_id,
                                       const char     *status,
                                       gint64          at,
                                       gint64          cursor);
void            sb_status_change_free (SbStatusChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbStatusChange, sb_status_change_free)

#define SB_TYPE_STORE (sb_store_get_type ())

G_DECLARE_FINAL_TYPE (SbStore, sb_store, SB, STORE, GObject)

/* Local copies of a delivered submission are kept this long by default. */
#define SB_STORE_DEFAULT_RETENTION (7 * G_TIME_SPAN_DAY / G_TIME_SPAN_SECOND)

SbStore      *sb_store_open                (const char     *directory,
                                            GCancellable   *cancellable,
                                            GError        **error);
void          sb_store_open_async          (const char     *directory,
                                            GCancellable   *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer        user_data);
SbStore      *sb_store_open_finish         (GAsyncResult   *result,
                                            GError        **error);
char         *sb_store_default_directory   (void);
const char   *sb_store_get_directory       (SbStore        *self);
gboolean      sb_store_get_read_only       (SbStore        *self);
const char   *sb_store_get_problem         (SbStore        *self);
const char   *sb_store_get_staff           (SbStore        *self);
void          sb_store_set_staff           (SbStore        *self,
                                            const char     *staff);

/* Any of the writes below that takes (store, object, error), e.g.
 * sb_store_submit, run in a worker thread. */
typedef gboolean (*SbStoreWriteFunc) (SbStore  *self,
                                      gpointer  object,
                                      GError  **error);

void          sb_store_write_async         (SbStore             *self,
                                            SbStoreWriteFunc     write_func,
                                            gpointer             object,
                                            gpointer             source_tag,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      sb_store_write_finish        (SbStore             *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Citizens and accounts */
gboolean      sb_store_save_citizen        (SbStore        *self,
                                            SbCitizen      *citizen,
                                            GError        **error);
void          sb_store_save_citizen_async  (SbStore        *self,
                                            SbCitizen      *citizen,
                                            GCancellable   *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer        user_data);
gboolean      sb_store_save_citizen_finish (SbStore        *self,
                                            GAsyncResult   *result,
                                            GError        **error);
SbCitizen    *sb_store_load_citizen        (SbStore        *self,
                                            const char     *citizen_id,
                                            GError        **error);
GListModel   *sb_store_search_citizens     (SbStore        *self,
                                            const char     *query,
                                            GError        **error);
gboolean      sb_store_create_account      (SbStore        *self,
                                            SbAccount      *account,
                                            GError        **error);
gboolean      sb_store_link_account        (SbStore        *self,
                                            SbAccount      *account,
                                            GError        **error);
gboolean      sb_store_account_set_activation (SbStore     *self,
                                              const char  *account_id,
                                              const char  *code,
                                              const char  *expires,
                                              GError     **error);
gboolean      sb_store_account_get_activation (SbStore     *self,
                                              const char  *account_id,
                                              char       **code,
                                              char       **expires,
                                              GError     **error);
SbAccount    *sb_store_load_account        (SbStore        *self,
                                            const char     *citizen_id,
                                            GError        **error);

/* Submissions and what belongs to them */
gboolean      sb_store_save_submission     (SbStore        *self,
                                            SbSubmission   *submission,
                                            GError        **error);
void          sb_store_save_submission_async  (SbStore      *self,
                                               SbSubmission *submission,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer      user_data);
gboolean      sb_store_save_submission_finish (SbStore      *self,
                                               GAsyncResult *result,
                                               GError      **error);
gboolean      sb_store_submit              (SbStore        *self,
                                            SbSubmission   *submission,
                                            GError        **error);
SbSubmission *sb_store_load_submission     (SbStore        *self,
                                            const char     *submission_id,
                                            GError        **error);
GListModel   *sb_store_list_submissions    (SbStore        *self,
                                            const char     *citizen_id,
                                            GError        **error);
gboolean      sb_store_save_document       (SbStore        *self,
                                            SbDocument     *document,
                                            GError        **error);
gboolean      sb_store_remove_document     (SbStore        *self,
                                            SbDocument     *document,
                                            GError        **error);
GListModel   *sb_store_list_documents      (SbStore        *self,
                                            const char     *submission_id,
                                            GError        **error);
gboolean      sb_store_attach_pdf          (SbStore        *self,
                                            SbDocument     *document,
                                            GBytes         *pdf,
                                            GError        **error);
GBytes       *sb_store_open_document_pdf   (SbStore        *self,
                                            SbDocument     *document,
                                            GError        **error);
gboolean      sb_store_add_page            (SbStore        *self,
                                            SbPage         *page,
                                            GBytes         *image,
                                            GError        **error);
GListModel   *sb_store_list_pages          (SbStore        *self,
                                            const char     *document_id,
                                            GError        **error);
GBytes       *sb_store_open_page_image     (SbStore        *self,
                                            SbPage         *page,
                                            GError        **error);
gboolean      sb_store_send_message        (SbStore        *self,
                                            SbMessage      *message,
                                            GError        **error);
GListModel   *sb_store_list_messages       (SbStore        *self,
                                            const char     *submission_id,
                                            GError        **error);
gboolean      sb_store_save_decision       (SbStore        *self,
                                            SbDecision     *decision,
                                            GBytes         *pdf,
                                            GError        **error);
GBytes       *sb_store_open_decision       (SbStore        *self,
                                            SbDecision     *decision,
                                            GError        **error);
GListModel   *sb_store_list_decisions      (SbStore        *self,
                                            const char     *submission_id,
                                            GError        **error);

/* Outbox, audit log, retention, checks */
GListModel   *sb_store_list_outbox         (SbStore        *self,
                                            gboolean        include_delivered,
                                            GError        **error);
gboolean      sb_store_mark_delivered      (SbStore        *self,
                                            const char     *outbox_id,
                                            GError        **error);
gboolean      sb_store_mark_delivered_with (SbStore        *self,
                                            const char     *outbox_id,
                                            const char     *key,
                                            const char     *value,
                                            GError        **error);
gboolean      sb_store_record_audit        (SbStore        *self,
                                            const char     *citizen_id,
                                            const char     *action,
                                            const char     *subject,
                                            GError        **error);
GListModel   *sb_store_list_audit          (SbStore        *self,
                                            GError        **error);
gboolean      sb_store_export_audit        (SbStore        *self,
                                            GOutputStream  *stream,
                                            GCancellable   *cancellable,
                                            GError        **error);
guint         sb_store_purge_expired       (SbStore        *self,
                                            gint64          retention_seconds,
                                            gint64          now,
                                            GError        **error);
gboolean      sb_store_check               (SbStore        *self,
                                            GString        *report,
                                            GError        **error);

/* Sync */
SbOutboxItem *sb_store_next_outbox_item    (SbStore        *self,
                                            gint64          now,
                                            GError        **error);
SbOutboxItem *sb_store_load_outbox_item    (SbStore        *self,
                                            const char     *outbox_id,
                                            GError        **error);
gboolean      sb_store_peek_next_submission (SbStore      *self,
                                            const char     *after_outbox_id,
                                            gint64          now,
                                            char          **outbox_id,
                                            char          **submission_id);
gint64        sb_store_next_outbox_attempt (SbStore        *self,
                                            gint64          now);
gboolean      sb_store_outbox_defer        (SbStore        *self,
                                            const char     *outbox_id,
                                            gint64          next_attempt_at,
                                            const char     *reason,
                                            GError        **error);
gboolean      sb_store_outbox_quarantine   (SbStore        *self,
                                            const char     *outbox_id,
                                            const char     *message,
                                            const char     *problem,
                                            GError        **error);
gboolean      sb_store_outbox_make_due     (SbStore        *self,
                                            GError        **error);
gboolean      sb_store_outbox_retry        (SbStore        *self,
                                            const char     *outbox_id,
                                            GError        **error);
char         *sb_store_outbox_get_problem  (SbStore        *self,
                                            const char     *outbox_id);
gboolean      sb_store_upload_load         (SbStore        *self,
                                            const char     *outbox_id,
                                            const char     *document_id,
                                            char          **url,
                                            gint64         *offset,
                                            char          **sha256);
gboolean      sb_store_upload_save         (SbStore        *self,
                                            const char     *outbox_id,
                                            const char     *document_id,
                                            const char     *url,
                                            gint64          length,
                                            const char     *sha256,
                                            gint64          offset,
                                            GError        **error);
char         *sb_store_get_sync_value      (SbStore        *self,
                                            const char     *key);
gboolean      sb_store_set_sync_value      (SbStore        *self,
                                            const char     *key,
                                            const char     *value,
                                            GError        **error);
char         *sb_store_account_citizen_id  (SbStore        *self,
                                            const char     *account_id);
char         *sb_store_message_submission_id (SbStore      *self,
                                            const char     *message_id);
gboolean      sb_store_apply_platform_statuses (SbStore    *self,
                                            GPtrArray      *changes,
                                            const char     *cursor_key,
                                            const char     *cursor,
                                            GError        **error);
GPtrArray    *sb_store_list_status_changes (SbStore        *self,
                                            const char     *submission_id,
                                            GError        **error);
gboolean      sb_store_has_submission      (SbStore        *self,
                                            const char     *submission_id);
char         *sb_store_get_platform_status (SbStore        *self,
                                            const char     *submission_id);
gboolean      sb_store_receive_message     (SbStore        *self,
                                            SbMessage      *message,
                                            const char     *cursor_key,
                                            const char     *cursor,
                                            GError        **error);
gboolean      sb_store_receive_decision    (SbStore        *self,
                                            SbDecision     *decision,
                                            GBytes         *pdf,
                                            const char     *cursor_key,
                                            const char     *cursor,
                                            GError        **error);
gboolean      sb_store_outbox_discard      (SbStore        *self,
                                            const char     *outbox_id,
                                            GError        **error);
gboolean      sb_store_account_link        (SbStore        *self,
                                            const char     *outbox_id,
                                            const char     *platform_account_id,
                                            GError        **error);
gboolean      sb_store_account_not_duplicate (SbStore      *self,
                                            const char     *outbox_id,
                                            const char     *platform_account_ids,
                                            GError        **error);
void          sb_store_count_outbox        (SbStore        *self,
                                            guint          *waiting,
                                            guint          *needs_attention);
int           sb_store_outbox_state_of     (SbStore        *self,
                                            const char     *kind,
                                            const char     *entity_id);

/* The scan tray: pages scanned at the desk, before they become a document. */
typedef struct
{
  char     *id;
  guint     position;
  char     *blob_id;
  int       rotation;   /* clockwise quarter turns, 0…3 */
  gboolean  deleted;
  gint64    created_at;
  char     *settings;   /* JSON: how it was scanned and processed */
} SbTrayEntry;

void          sb_tray_entry_free           (SbTrayEntry    *entry);
gboolean      sb_store_tray_add            (SbStore        *self,
                                            const char     *page_id,
                                            guint           position,
                                            GBytes         *image,
                                            const char     *settings,
                                            GError        **error);
gboolean      sb_store_tray_update         (SbStore        *self,
                                            const char     *page_id,
                                            int             rotation,
                                            gboolean        deleted,
                                            GError        **error);
gboolean      sb_store_tray_reorder        (SbStore        *self,
                                            const char * const *page_ids,
                                            GError        **error);
GPtrArray    *sb_store_tray_list           (SbStore        *self,
                                            GError        **error);
GBytes       *sb_store_tray_open_image     (SbStore        *self,
                                            const char     *page_id,
                                            GError        **error);
guint         sb_store_tray_purge          (SbStore        *self,
                                            gboolean        everything,
                                            GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbTrayEntry, sb_tray_entry_free)

G_END_DECLS
