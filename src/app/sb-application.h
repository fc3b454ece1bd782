/* sb-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sb-sync-service.h"

#include "sb-store.h"
#include "sb-sync-status.h"

G_BEGIN_DECLS

#define SB_TYPE_APPLICATION (sb_application_get_type ())

G_DECLARE_FINAL_TYPE (SbApplication, sb_application, SB, APPLICATION, AdwApplication)

SbApplication *sb_application_new             (const char    *application_id,
                                               GApplicationFlags flags);
GSettings     *sb_application_get_settings    (SbApplication *self);
SbSyncStatus  *sb_application_get_sync_status (SbApplication *self);
SbStore       *sb_application_get_store       (SbApplication *self);
const char    *sb_application_get_store_problem (SbApplication *self);

const char     *sb_application_get_platform_url     (SbApplication *self);
gboolean        sb_application_get_platform_is_demo (SbApplication *self);
const char     *sb_application_get_platform_problem (SbApplication *self);
SbSyncService  *sb_application_get_sync_service     (SbApplication *self);

G_END_DECLS
