/* sb-submissions-page.h — a citizen's applications: file, follow, answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-store.h"
#include "sb-sync-service.h"

G_BEGIN_DECLS

#define SB_TYPE_SUBMISSIONS_PAGE (sb_submissions_page_get_type ())

G_DECLARE_FINAL_TYPE (SbSubmissionsPage, sb_submissions_page, SB, SUBMISSIONS_PAGE, GtkWidget)

void        sb_submissions_page_set_context  (SbSubmissionsPage *self,
                                              SbStore           *store,
                                              SbSyncService     *sync_service);
void        sb_submissions_page_show_citizen (SbSubmissionsPage *self,
                                              const char        *citizen_id,
                                              gboolean           new_application);
void        sb_submissions_page_close        (SbSubmissionsPage *self);
const char *sb_submissions_page_get_citizen_id (SbSubmissionsPage *self);

G_END_DECLS
