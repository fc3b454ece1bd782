/* sb-sync-indicator.h — the header's compact view of SbSyncStatus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sb-sync-status.h"

G_BEGIN_DECLS

#define SB_TYPE_SYNC_INDICATOR (sb_sync_indicator_get_type ())

G_DECLARE_FINAL_TYPE (SbSyncIndicator, sb_sync_indicator, SB, SYNC_INDICATOR, GtkWidget)

GtkWidget    *sb_sync_indicator_new        (void);
SbSyncStatus *sb_sync_indicator_get_status (SbSyncIndicator *self);
void          sb_sync_indicator_set_status (SbSyncIndicator *self,
                                            SbSyncStatus    *status);

G_END_DECLS
