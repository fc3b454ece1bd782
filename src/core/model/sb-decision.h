/* sb-decision.h — a decision (Bescheid) the authority sent for a submission
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-model-types.h"

G_BEGIN_DECLS

#define SB_TYPE_DECISION (sb_decision_get_type ())

G_DECLARE_FINAL_TYPE (SbDecision, sb_decision, SB, DECISION, GObject)

SbDecision *sb_decision_new (void);
const char *sb_decision_get_id (SbDecision *self);
void sb_decision_set_id (SbDecision *self, const char *id);
const char *sb_decision_get_submission_id (SbDecision *self);
void sb_decision_set_submission_id (SbDecision *self, const char *submission_id);
const char *sb_decision_get_title (SbDecision *self);
void sb_decision_set_title (SbDecision *self, const char *title);
const char *sb_decision_get_blob_id (SbDecision *self);
void sb_decision_set_blob_id (SbDecision *self, const char *blob_id);
gint64 sb_decision_get_received_at (SbDecision *self);
void sb_decision_set_received_at (SbDecision *self, gint64 received_at);


G_END_DECLS
