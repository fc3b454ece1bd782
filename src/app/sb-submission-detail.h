/* sb-submission-detail.h — one application: timeline, questions and answers, decisions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sb-store.h"
#include "sb-sync-service.h"

G_BEGIN_DECLS

#define SB_TYPE_SUBMISSION_DETAIL (sb_submission_detail_get_type ())

G_DECLARE_FINAL_TYPE (SbSubmissionDetail, sb_submission_detail, SB, SUBMISSION_DETAIL, GtkWidget)

void          sb_submission_detail_set_context    (SbSubmissionDetail *self,
                                                   SbStore            *store,
                                                   SbSyncService      *sync_service);
void          sb_submission_detail_show           (SbSubmissionDetail *self,
                                                   const char         *submission_id,
                                                   SbCitizen          *citizen,
                                                   JsonNode           *catalogue);
void          sb_submission_detail_clear          (SbSubmissionDetail *self);
SbSubmission *sb_submission_detail_get_submission (SbSubmissionDetail *self);

G_END_DECLS
