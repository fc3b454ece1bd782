/* sb-sync-engine.h: sends the outbox to the platform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sb-store.h"

G_BEGIN_DECLS

#define SB_SYNC_ERROR (sb_sync_error_quark ())

typedef enum
{
  SB_SYNC_ERROR_SIGNED_OUT,   /* the platform wants a sign-in (401) */
  SB_SYNC_ERROR_UNREACHABLE,  /* no connection to the platform */
  SB_SYNC_ERROR_REFUSED,      /* the platform said no, in a problem (RFC 9457) */
} SbSyncError;

/**
 * SbSyncReport:
 * What one round of sync did.
 */
typedef struct
{
  guint    delivered;
  guint    deferred;
  guint    quarantined;
  gboolean signed_out;
  gboolean unreachable;       /* the round ended for want of a connection */
  gint64   next_attempt_in;   /* seconds; -1: nothing waits */
  guint    waiting;           /* what the outbox holds after the round */
  guint    needs_attention;
} SbSyncReport;

#define SB_TYPE_SYNC_ENGINE (sb_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (SbSyncEngine, sb_sync_engine, SB, SYNC_ENGINE, GObject)

/* Called from the worker thread as an item's document goes up. */
typedef void (*SbSyncProgressFunc) (const char *outbox_id,
                                    gint64      sent,
                                    gint64      total,
                                    gpointer    user_data);

GQuark        sb_sync_error_quark         (void);
SbSyncEngine *sb_sync_engine_new          (SbStore        *store,
                                           const char     *platform_url);
void          sb_sync_engine_set_access_token (SbSyncEngine *self,
                                           const char     *token);
void          sb_sync_engine_set_tokens   (SbSyncEngine   *self,
                                           const char     *access_token,
                                           const char     *refresh_token,
                                           gboolean        save);
void          sb_sync_engine_set_progress_func (SbSyncEngine      *self,
                                           SbSyncProgressFunc func,
                                           gpointer           user_data);
void          sb_sync_engine_set_max_backoff (SbSyncEngine *self,
                                           gint64          seconds);
void          sb_sync_engine_retry_waiting (SbSyncEngine  *self);
void          sb_sync_engine_set_chunk_size (SbSyncEngine  *self,
                                           gsize           chunk_size);
gboolean      sb_sync_engine_drain_sync   (SbSyncEngine   *self,
                                           SbSyncReport   *report,
                                           GCancellable   *cancellable,
                                           GError        **error);
void          sb_sync_engine_drain_async  (SbSyncEngine   *self,
                                           GCancellable   *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer        user_data);
gboolean      sb_sync_engine_drain_finish (SbSyncEngine   *self,
                                           GAsyncResult   *result,
                                           SbSyncReport   *report,
                                           GError        **error);
JsonArray    *sb_sync_engine_find_accounts_sync (SbSyncEngine *self,
                                           const char     *query,
                                           GCancellable   *cancellable,
                                           GError        **error);
gboolean      sb_sync_engine_renew_activation_sync (SbSyncEngine *self,
                                           const char     *platform_account_id,
                                           char          **code,
                                           char          **expires,
                                           GCancellable   *cancellable,
                                           GError        **error);
char         *sb_tus_upload_sync          (const char     *endpoint,
                                           const char     *token,
                                           GBytes         *data,
                                           gsize           chunk_size,
                                           const char     *state_file,
                                           GCancellable   *cancellable,
                                           GError        **error);
gint64        sb_sync_backoff_seconds     (guint           attempts,
                                           GRand          *rand);
gint64        sb_sync_parse_retry_after   (const char     *value,
                                           gint64          now);

G_END_DECLS
