/* sb-submission.h — an application (Antrag) filed on a citizen's behalf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-model-types.h"

G_BEGIN_DECLS

#define SB_TYPE_SUBMISSION (sb_submission_get_type ())

G_DECLARE_FINAL_TYPE (SbSubmission, sb_submission, SB, SUBMISSION, GObject)

SbSubmission *sb_submission_new (void);
const char *sb_submission_get_id (SbSubmission *self);
void sb_submission_set_id (SbSubmission *self, const char *id);
const char *sb_submission_get_citizen_id (SbSubmission *self);
void sb_submission_set_citizen_id (SbSubmission *self, const char *citizen_id);
const char *sb_submission_get_service_id (SbSubmission *self);
void sb_submission_set_service_id (SbSubmission *self, const char *service_id);
SbSubmissionState sb_submission_get_state (SbSubmission *self);
void sb_submission_set_state (SbSubmission *self, SbSubmissionState state);
const char *sb_submission_get_form_data (SbSubmission *self);
void sb_submission_set_form_data (SbSubmission *self, const char *form_data);
SbRepresentation sb_submission_get_representation (SbSubmission *self);
void sb_submission_set_representation (SbSubmission *self, SbRepresentation representation);
const char *sb_submission_get_representative_name (SbSubmission *self);
void sb_submission_set_representative_name (SbSubmission *self, const char *representative_name);
gint64 sb_submission_get_created_at (SbSubmission *self);
void sb_submission_set_created_at (SbSubmission *self, gint64 created_at);
gint64 sb_submission_get_updated_at (SbSubmission *self);
void sb_submission_set_updated_at (SbSubmission *self, gint64 updated_at);
gint64 sb_submission_get_delivered_at (SbSubmission *self);
void sb_submission_set_delivered_at (SbSubmission *self, gint64 delivered_at);

GListModel *sb_submission_get_consents (SbSubmission *self);

G_END_DECLS
