/* sb-message.h — a message in a submission's thread with the caseworker (Rückfrage)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-model-types.h"

G_BEGIN_DECLS

#define SB_TYPE_MESSAGE (sb_message_get_type ())

G_DECLARE_FINAL_TYPE (SbMessage, sb_message, SB, MESSAGE, GObject)

SbMessage *sb_message_new (void);
const char *sb_message_get_id (SbMessage *self);
void sb_message_set_id (SbMessage *self, const char *id);
const char *sb_message_get_submission_id (SbMessage *self);
void sb_message_set_submission_id (SbMessage *self, const char *submission_id);
SbMessageDirection sb_message_get_direction (SbMessage *self);
void sb_message_set_direction (SbMessage *self, SbMessageDirection direction);
const char *sb_message_get_body (SbMessage *self);
void sb_message_set_body (SbMessage *self, const char *body);
gint64 sb_message_get_created_at (SbMessage *self);
void sb_message_set_created_at (SbMessage *self, gint64 created_at);
const char * const *sb_message_get_attachments (SbMessage *self);
void sb_message_set_attachments (SbMessage *self, const char * const *document_ids);


G_END_DECLS
