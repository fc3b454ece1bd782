/* sb-sync-status.h — what the header tells staff about syncing with the platform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  SB_SYNC_STATE_SIGNED_OUT,
  SB_SYNC_STATE_OFFLINE,
  SB_SYNC_STATE_SYNCING,
  SB_SYNC_STATE_UP_TO_DATE,
  SB_SYNC_STATE_NEEDS_ATTENTION,
} SbSyncState;

#define SB_TYPE_SYNC_STATUS (sb_sync_status_get_type ())

G_DECLARE_FINAL_TYPE (SbSyncStatus, sb_sync_status, SB, SYNC_STATUS, GObject)

SbSyncStatus *sb_sync_status_new              (void);
SbSyncState   sb_sync_status_get_state        (SbSyncStatus *self);
void          sb_sync_status_set_state        (SbSyncStatus *self,
                                               SbSyncState   state);
guint         sb_sync_status_get_pending      (SbSyncStatus *self);
void          sb_sync_status_set_pending      (SbSyncStatus *self,
                                               guint         pending);
GDateTime    *sb_sync_status_get_last_sync    (SbSyncStatus *self);
void          sb_sync_status_set_last_sync    (SbSyncStatus *self,
                                               GDateTime    *last_sync);
char         *sb_sync_status_dup_label        (SbSyncStatus *self);
char         *sb_sync_status_dup_description  (SbSyncStatus *self);

G_END_DECLS
