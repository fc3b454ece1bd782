/* sb-message.c — a message in a submission's thread with the caseworker (Rückfrage)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sb-model-enums.h"
#include "sb-message.h"

struct _SbMessage
{
  GObject parent_instance;

  char *id;
  char *submission_id;
  SbMessageDirection direction;
  char *body;
  gint64 created_at;
  GStrv attachments;   /* ids of the submission's documents sent with it */
};

G_DEFINE_FINAL_TYPE (SbMessage, sb_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SUBMISSION_ID,
  PROP_DIRECTION,
  PROP_BODY,
  PROP_CREATED_AT,
  PROP_ATTACHMENTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
sb_message_finalize (GObject *object)
{
  SbMessage *self = (SbMessage *)object;

  g_free (self->id);
  g_free (self->submission_id);
  g_free (self->body);
  g_strfreev (self->attachments);

  G_OBJECT_CLASS (sb_message_parent_class)->finalize (object);
}

static void
sb_message_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SbMessage *self = SB_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_SUBMISSION_ID:
      g_value_set_string (value, self->submission_id);
      break;

    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;

    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    case PROP_ATTACHMENTS:
      g_value_set_boxed (value, self->attachments);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_message_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SbMessage *self = SB_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      sb_message_set_id (self, g_value_get_string (value));
      break;

    case PROP_SUBMISSION_ID:
      sb_message_set_submission_id (self, g_value_get_string (value));
      break;

    case PROP_DIRECTION:
      sb_message_set_direction (self, g_value_get_enum (value));
      break;

    case PROP_BODY:
      sb_message_set_body (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      sb_message_set_created_at (self, g_value_get_int64 (value));
      break;

    case PROP_ATTACHMENTS:
      sb_message_set_attachments (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_message_class_init (SbMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_message_finalize;
  object_class->get_property = sb_message_get_property;
  object_class->set_property = sb_message_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SUBMISSION_ID] =
    g_param_spec_string ("submission-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL,
                       SB_TYPE_MESSAGE_DIRECTION, SB_MESSAGE_OUTGOING,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BODY] =
    g_param_spec_string ("body", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The ids of the submission's documents that go with the message. */
  properties[PROP_ATTACHMENTS] =
    g_param_spec_boxed ("attachments", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_message_init (SbMessage *self)
{
}

SbMessage *
sb_message_new (void)
{
  return g_object_new (SB_TYPE_MESSAGE, NULL);
}

const char *
sb_message_get_id (SbMessage *self)
{
  g_return_val_if_fail (SB_IS_MESSAGE (self), NULL);

  return self->id;
}

void
sb_message_set_id (SbMessage *self,
                  const char *id)
{
  g_return_if_fail (SB_IS_MESSAGE (self));

  if (g_strcmp0 (self->id, id) == 0)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
sb_message_get_submission_id (SbMessage *self)
{
  g_return_val_if_fail (SB_IS_MESSAGE (self), NULL);

  return self->submission_id;
}

void
sb_message_set_submission_id (SbMessage *self,
                             const char *submission_id)
{
  g_return_if_fail (SB_IS_MESSAGE (self));

  if (g_strcmp0 (self->submission_id, submission_id) == 0)
    return;

  g_free (self->submission_id);
  self->submission_id = g_strdup (submission_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBMISSION_ID]);
}

SbMessageDirection
sb_message_get_direction (SbMessage *self)
{
  g_return_val_if_fail (SB_IS_MESSAGE (self), 0);

  return self->direction;
}

void
sb_message_set_direction (SbMessage *self,
                         SbMessageDirection direction)
{
  g_return_if_fail (SB_IS_MESSAGE (self));

  if (self->direction == direction)
    return;

  self->direction = direction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTION]);
}

const char *
sb_message_get_body (SbMessage *self)
{
  g_return_val_if_fail (SB_IS_MESSAGE (self), NULL);

  return self->body;
}

void
sb_message_set_body (SbMessage *self,
                    const char *body)
{
  g_return_if_fail (SB_IS_MESSAGE (self));

  if (g_strcmp0 (self->body, body) == 0)
    return;

  g_free (self->body);
  self->body = g_strdup (body);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BODY]);
}

gint64
sb_message_get_created_at (SbMessage *self)
{
  g_return_val_if_fail (SB_IS_MESSAGE (self), 0);

  return self->created_at;
}

void
sb_message_set_created_at (SbMessage *self,
                          gint64 created_at)
{
  g_return_if_fail (SB_IS_MESSAGE (self));

  if (self->created_at == created_at)
    return;

  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

/**
 * sb_message_get_attachments:
 *
 * Returns: (nullable) (transfer none): the ids of the submission's
 *   documents sent with the message
 */
const char * const *
sb_message_get_attachments (SbMessage *self)
{
  g_return_val_if_fail (SB_IS_MESSAGE (self), NULL);

  return (const char * const *)self->attachments;
}

void
sb_message_set_attachments (SbMessage          *self,
                            const char * const *document_ids)
{
  g_return_if_fail (SB_IS_MESSAGE (self));

  if (self->attachments == NULL && (document_ids == NULL || document_ids[0] == NULL))
    return;
  g_strfreev (self->attachments);
  self->attachments = document_ids != NULL && document_ids[0] != NULL ? g_strdupv ((GStrv)document_ids) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTACHMENTS]);
}
