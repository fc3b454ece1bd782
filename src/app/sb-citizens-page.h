/* sb-citizens-page.h — find a citizen, or add one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sb-store.h"
#include "sb-sync-service.h"

G_BEGIN_DECLS

#define SB_TYPE_CITIZENS_PAGE (sb_citizens_page_get_type ())

G_DECLARE_FINAL_TYPE (SbCitizensPage, sb_citizens_page, SB, CITIZENS_PAGE, GtkWidget)

void sb_citizens_page_set_context (SbCitizensPage *self,
                                   SbStore        *store,
                                   SbSyncService  *sync_service);

const char *sb_citizens_page_get_citizen_id (SbCitizensPage *self);
gboolean    sb_citizens_page_next_citizen   (SbCitizensPage *self);

G_END_DECLS
