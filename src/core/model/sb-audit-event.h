/* sb-audit-event.h — one entry of the append-only audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-model-types.h"

G_BEGIN_DECLS

#define SB_TYPE_AUDIT_EVENT (sb_audit_event_get_type ())

G_DECLARE_FINAL_TYPE (SbAuditEvent, sb_audit_event, SB, AUDIT_EVENT, GObject)

SbAuditEvent *sb_audit_event_new (void);
gint64 sb_audit_event_get_seq (SbAuditEvent *self);
void sb_audit_event_set_seq (SbAuditEvent *self, gint64 seq);
gint64 sb_audit_event_get_at (SbAuditEvent *self);
void sb_audit_event_set_at (SbAuditEvent *self, gint64 at);
const char *sb_audit_event_get_staff (SbAuditEvent *self);
void sb_audit_event_set_staff (SbAuditEvent *self, const char *staff);
const char *sb_audit_event_get_citizen_id (SbAuditEvent *self);
void sb_audit_event_set_citizen_id (SbAuditEvent *self, const char *citizen_id);
const char *sb_audit_event_get_action (SbAuditEvent *self);
void sb_audit_event_set_action (SbAuditEvent *self, const char *action);
const char *sb_audit_event_get_subject (SbAuditEvent *self);
void sb_audit_event_set_subject (SbAuditEvent *self, const char *subject);


G_END_DECLS
