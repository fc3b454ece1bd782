/* sb-audit-event.c — one entry of the append-only audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sb-model-enums.h"
#include "sb-audit-event.h"

struct _SbAuditEvent
{
  GObject parent_instance;

  gint64 seq;
  gint64 at;
  char *staff;
  char *citizen_id;
  char *action;
  char *subject;

};

G_DEFINE_FINAL_TYPE (SbAuditEvent, sb_audit_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SEQ,
  PROP_AT,
  PROP_STAFF,
  PROP_CITIZEN_ID,
  PROP_ACTION,
  PROP_SUBJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
sb_audit_event_finalize (GObject *object)
{
  SbAuditEvent *self = (SbAuditEvent *)object;

  g_free (self->staff);
  g_free (self->citizen_id);
  g_free (self->action);
  g_free (self->subject);


  G_OBJECT_CLASS (sb_audit_event_parent_class)->finalize (object);
}

static void
sb_audit_event_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SbAuditEvent *self = SB_AUDIT_EVENT (object);

  switch (prop_id)
    {
    case PROP_SEQ:
      g_value_set_int64 (value, self->seq);
      break;

    case PROP_AT:
      g_value_set_int64 (value, self->at);
      break;

    case PROP_STAFF:
      g_value_set_string (value, self->staff);
      break;

    case PROP_CITIZEN_ID:
      g_value_set_string (value, self->citizen_id);
      break;

    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;

    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_audit_event_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SbAuditEvent *self = SB_AUDIT_EVENT (object);

  switch (prop_id)
    {
    case PROP_SEQ:
      sb_audit_event_set_seq (self, g_value_get_int64 (value));
      break;

    case PROP_AT:
      sb_audit_event_set_at (self, g_value_get_int64 (value));
      break;

    case PROP_STAFF:
      sb_audit_event_set_staff (self, g_value_get_string (value));
      break;

    case PROP_CITIZEN_ID:
      sb_audit_event_set_citizen_id (self, g_value_get_string (value));
      break;

    case PROP_ACTION:
      sb_audit_event_set_action (self, g_value_get_string (value));
      break;

    case PROP_SUBJECT:
      sb_audit_event_set_subject (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_audit_event_class_init (SbAuditEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_audit_event_finalize;
  object_class->get_property = sb_audit_event_get_property;
  object_class->set_property = sb_audit_event_set_property;

  properties[PROP_SEQ] =
    g_param_spec_int64 ("seq", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_AT] =
    g_param_spec_int64 ("at", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STAFF] =
    g_param_spec_string ("staff", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CITIZEN_ID] =
    g_param_spec_string ("citizen-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ACTION] =
    g_param_spec_string ("action", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SUBJECT] =
    g_param_spec_string ("subject", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_audit_event_init (SbAuditEvent *self)
{
}

SbAuditEvent *
sb_audit_event_new (void)
{
  return g_object_new (SB_TYPE_AUDIT_EVENT, NULL);
}

gint64
sb_audit_event_get_seq (SbAuditEvent *self)
{
  g_return_val_if_fail (SB_IS_AUDIT_EVENT (self), 0);

  return self->seq;
}

void
sb_audit_event_set_seq (SbAuditEvent *self,
                       gint64 seq)
{
  g_return_if_fail (SB_IS_AUDIT_EVENT (self));

  if (self->seq == seq)
    return;

  self->seq = seq;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEQ]);
}

gint64
sb_audit_event_get_at (SbAuditEvent *self)
{
  g_return_val_if_fail (SB_IS_AUDIT_EVENT (self), 0);

  return self->at;
}

void
sb_audit_event_set_at (SbAuditEvent *self,
                      gint64 at)
{
  g_return_if_fail (SB_IS_AUDIT_EVENT (self));

  if (self->at == at)
    return;

  self->at = at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AT]);
}

const char *
sb_audit_event_get_staff (SbAuditEvent *self)
{
  g_return_val_if_fail (SB_IS_AUDIT_EVENT (self), NULL);

  return self->staff;
}

void
sb_audit_event_set_staff (SbAuditEvent *self,
                         const char *staff)
{
  g_return_if_fail (SB_IS_AUDIT_EVENT (self));

  if (g_strcmp0 (self->staff, staff) == 0)
    return;

  g_free (self->staff);
  self->staff = g_strdup (staff);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF]);
}

const char *
sb_audit_event_get_citizen_id (SbAuditEvent *self)
{
  g_return_val_if_fail (SB_IS_AUDIT_EVENT (self), NULL);

  return self->citizen_id;
}

void
sb_audit_event_set_citizen_id (SbAuditEvent *self,
                              const char *citizen_id)
{
  g_return_if_fail (SB_IS_AUDIT_EVENT (self));

  if (g_strcmp0 (self->citizen_id, citizen_id) == 0)
    return;

  g_free (self->citizen_id);
  self->citizen_id = g_strdup (citizen_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CITIZEN_ID]);
}

const char *
sb_audit_event_get_action (SbAuditEvent *self)
{
  g_return_val_if_fail (SB_IS_AUDIT_EVENT (self), NULL);

  return self->action;
}

void
sb_audit_event_set_action (SbAuditEvent *self,
                          const char *action)
{
  g_return_if_fail (SB_IS_AUDIT_EVENT (self));

  if (g_strcmp0 (self->action, action) == 0)
    return;

  g_free (self->action);
  self->action = g_strdup (action);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTION]);
}

const char *
sb_audit_event_get_subject (SbAuditEvent *self)
{
  g_return_val_if_fail (SB_IS_AUDIT_EVENT (self), NULL);

  return self->subject;
}

void
sb_audit_event_set_subject (SbAuditEvent *self,
                           const char *subject)
{
  g_return_if_fail (SB_IS_AUDIT_EVENT (self));

  if (g_strcmp0 (self->subject, subject) == 0)
    return;

  g_free (self->subject);
  self->subject = g_strdup (subject);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBJECT]);
}
