/* sb-citizen-editor.h — one citizen: details, identity document, consent, account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sb-model.h"
#include "sb-store.h"
#include "sb-sync-service.h"

G_BEGIN_DECLS

#define SB_TYPE_CITIZEN_EDITOR (sb_citizen_editor_get_type ())

G_DECLARE_FINAL_TYPE (SbCitizenEditor, sb_citizen_editor, SB, CITIZEN_EDITOR, GtkWidget)

void       sb_citizen_editor_set_context  (SbCitizenEditor *self,
                                           SbStore         *store,
                                           SbSyncService   *sync_service);
void       sb_citizen_editor_edit         (SbCitizenEditor *self,
                                           SbCitizen       *citizen,
                                           const char      *search_text);
void       sb_citizen_editor_adopt        (SbCitizenEditor *self,
                                           JsonObject      *platform_account);
SbCitizen *sb_citizen_editor_get_citizen  (SbCitizenEditor *self);
void       sb_citizen_editor_clear     (SbCitizenEditor *self);
const char *sb_citizen_editor_get_saved_id (SbCitizenEditor *self);
gboolean   sb_citizen_editor_get_dirty    (SbCitizenEditor *self);

G_END_DECLS
