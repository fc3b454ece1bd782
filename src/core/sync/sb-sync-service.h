/* sb-sync-service.h: when and with whose sign-in the outbox is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sb-sign-in.h"
#include "sb-store.h"
#include "sb-sync-status.h"

G_BEGIN_DECLS

#define SB_TYPE_SYNC_SERVICE (sb_sync_service_get_type ())
G_DECLARE_FINAL_TYPE (SbSyncService, sb_sync_service, SB, SYNC_SERVICE, GObject)

SbSyncService *sb_sync_service_new       (SbStore        *store,
                                          const char     *platform_url,
                                          gboolean        demo,
                                          SbSyncStatus   *status);
void           sb_sync_service_start     (SbSyncService  *self);
void           sb_sync_service_sync_now  (SbSyncService  *self);
void           sb_sync_service_retry_now (SbSyncService  *self);
void           sb_sync_service_sign_in   (SbSyncService  *self,
                                          SbOpenUriFunc   open_uri,
                                          gpointer        open_uri_data);
void           sb_sync_service_sign_out  (SbSyncService  *self);
gboolean       sb_sync_service_get_signed_in (SbSyncService *self);
const char    *sb_sync_service_get_problem   (SbSyncService *self);
void           sb_sync_service_stop      (SbSyncService  *self);
const char    *sb_sync_service_get_url   (SbSyncService  *self);
void           sb_sync_service_find_accounts_async  (SbSyncService       *self,
                                                     const char          *query,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
JsonArray     *sb_sync_service_find_accounts_finish (SbSyncService       *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void           sb_sync_service_renew_activation_async  (SbSyncService       *self,
                                                        SbAccount           *account,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean       sb_sync_service_renew_activation_finish (SbSyncService       *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
