/* sb-outbox-item.h — an entry of the durable outbox: something the platform has not confirmed yet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-model-types.h"

G_BEGIN_DECLS

#define SB_TYPE_OUTBOX_ITEM (sb_outbox_item_get_type ())

G_DECLARE_FINAL_TYPE (SbOutboxItem, sb_outbox_item, SB, OUTBOX_ITEM, GObject)

SbOutboxItem *sb_outbox_item_new (void);
const char *sb_outbox_item_get_id (SbOutboxItem *self);
void sb_outbox_item_set_id (SbOutboxItem *self, const char *id);
const char *sb_outbox_item_get_kind (SbOutboxItem *self);
void sb_outbox_item_set_kind (SbOutboxItem *self, const char *kind);
const char *sb_outbox_item_get_entity_id (SbOutboxItem *self);
void sb_outbox_item_set_entity_id (SbOutboxItem *self, const char *entity_id);
const char *sb_outbox_item_get_idempotency_key (SbOutboxItem *self);
void sb_outbox_item_set_idempotency_key (SbOutboxItem *self, const char *idempotency_key);
SbOutboxState sb_outbox_item_get_state (SbOutboxItem *self);
void sb_outbox_item_set_state (SbOutboxItem *self, SbOutboxState state);
guint sb_outbox_item_get_attempts (SbOutboxItem *self);
void sb_outbox_item_set_attempts (SbOutboxItem *self, guint attempts);
gint64 sb_outbox_item_get_created_at (SbOutboxItem *self);
void sb_outbox_item_set_created_at (SbOutboxItem *self, gint64 created_at);
const char *sb_outbox_item_get_last_error (SbOutboxItem *self);
void sb_outbox_item_set_last_error (SbOutboxItem *self, const char *last_error);


G_END_DECLS
