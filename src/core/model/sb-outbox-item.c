/* sb-outbox-item.c — an entry of the durable outbox: something the platform has not confirmed yet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sb-model-enums.h"
#include "sb-outbox-item.h"

struct _SbOutboxItem
{
  GObject parent_instance;

  char *id;
  char *kind;
  char *entity_id;
  char *idempotency_key;
  SbOutboxState state;
  guint attempts;
  gint64 created_at;
  char *last_error;

};

G_DEFINE_FINAL_TYPE (SbOutboxItem, sb_outbox_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_ENTITY_ID,
  PROP_IDEMPOTENCY_KEY,
  PROP_STATE,
  PROP_ATTEMPTS,
  PROP_CREATED_AT,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
sb_outbox_item_finalize (GObject *object)
{
  SbOutboxItem *self = (SbOutboxItem *)object;

  g_free (self->id);
  g_free (self->kind);
  g_free (self->entity_id);
  g_free (self->idempotency_key);
  g_free (self->last_error);


  G_OBJECT_CLASS (sb_outbox_item_parent_class)->finalize (object);
}

static void
sb_outbox_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SbOutboxItem *self = SB_OUTBOX_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;

    case PROP_ENTITY_ID:
      g_value_set_string (value, self->entity_id);
      break;

    case PROP_IDEMPOTENCY_KEY:
      g_value_set_string (value, self->idempotency_key);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_outbox_item_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SbOutboxItem *self = SB_OUTBOX_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      sb_outbox_item_set_id (self, g_value_get_string (value));
      break;

    case PROP_KIND:
      sb_outbox_item_set_kind (self, g_value_get_string (value));
      break;

    case PROP_ENTITY_ID:
      sb_outbox_item_set_entity_id (self, g_value_get_string (value));
      break;

    case PROP_IDEMPOTENCY_KEY:
      sb_outbox_item_set_idempotency_key (self, g_value_get_string (value));
      break;

    case PROP_STATE:
      sb_outbox_item_set_state (self, g_value_get_enum (value));
      break;

    case PROP_ATTEMPTS:
      sb_outbox_item_set_attempts (self, g_value_get_uint (value));
      break;

    case PROP_CREATED_AT:
      sb_outbox_item_set_created_at (self, g_value_get_int64 (value));
      break;

    case PROP_LAST_ERROR:
      sb_outbox_item_set_last_error (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_outbox_item_class_init (SbOutboxItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_outbox_item_finalize;
  object_class->get_property = sb_outbox_item_get_property;
  object_class->set_property = sb_outbox_item_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ENTITY_ID] =
    g_param_spec_string ("entity-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_IDEMPOTENCY_KEY] =
    g_param_spec_string ("idempotency-key", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       SB_TYPE_OUTBOX_STATE, SB_OUTBOX_STATE_WAITING,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ATTEMPTS] =
    g_param_spec_uint ("attempts", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_outbox_item_init (SbOutboxItem *self)
{
}

SbOutboxItem *
sb_outbox_item_new (void)
{
  return g_object_new (SB_TYPE_OUTBOX_ITEM, NULL);
}

const char *
sb_outbox_item_get_id (SbOutboxItem *self)
{
  g_return_val_if_fail (SB_IS_OUTBOX_ITEM (self), NULL);

  return self->id;
}

void
sb_outbox_item_set_id (SbOutboxItem *self,
                      const char *id)
{
  g_return_if_fail (SB_IS_OUTBOX_ITEM (self));

  if (g_strcmp0 (self->id, id) == 0)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
sb_outbox_item_get_kind (SbOutboxItem *self)
{
  g_return_val_if_fail (SB_IS_OUTBOX_ITEM (self), NULL);

  return self->kind;
}

void
sb_outbox_item_set_kind (SbOutboxItem *self,
                        const char *kind)
{
  g_return_if_fail (SB_IS_OUTBOX_ITEM (self));

  if (g_strcmp0 (self->kind, kind) == 0)
    return;

  g_free (self->kind);
  self->kind = g_strdup (kind);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
sb_outbox_item_get_entity_id (SbOutboxItem *self)
{
  g_return_val_if_fail (SB_IS_OUTBOX_ITEM (self), NULL);

  return self->entity_id;
}

void
sb_outbox_item_set_entity_id (SbOutboxItem *self,
                             const char *entity_id)
{
  g_return_if_fail (SB_IS_OUTBOX_ITEM (self));

  if (g_strcmp0 (self->entity_id, entity_id) == 0)
    return;

  g_free (self->entity_id);
  self->entity_id = g_strdup (entity_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTITY_ID]);
}

const char *
sb_outbox_item_get_idempotency_key (SbOutboxItem *self)
{
  g_return_val_if_fail (SB_IS_OUTBOX_ITEM (self), NULL);

  return self->idempotency_key;
}

void
sb_outbox_item_set_idempotency_key (SbOutboxItem *self,
                                   const char *idempotency_key)
{
  g_return_if_fail (SB_IS_OUTBOX_ITEM (self));

  if (g_strcmp0 (self->idempotency_key, idempotency_key) == 0)
    return;

  g_free (self->idempotency_key);
  self->idempotency_key = g_strdup (idempotency_key);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDEMPOTENCY_KEY]);
}

SbOutboxState
sb_outbox_item_get_state (SbOutboxItem *self)
{
  g_return_val_if_fail (SB_IS_OUTBOX_ITEM (self), 0);

  return self->state;
}

void
sb_outbox_item_set_state (SbOutboxItem *self,
                         SbOutboxState state)
{
  g_return_if_fail (SB_IS_OUTBOX_ITEM (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

guint
sb_outbox_item_get_attempts (SbOutboxItem *self)
{
  g_return_val_if_fail (SB_IS_OUTBOX_ITEM (self), 0);

  return self->attempts;
}

void
sb_outbox_item_set_attempts (SbOutboxItem *self,
                            guint attempts)
{
  g_return_if_fail (SB_IS_OUTBOX_ITEM (self));

  if (self->attempts == attempts)
    return;

  self->attempts = attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPTS]);
}

gint64
sb_outbox_item_get_created_at (SbOutboxItem *self)
{
  g_return_val_if_fail (SB_IS_OUTBOX_ITEM (self), 0);

  return self->created_at;
}

void
sb_outbox_item_set_created_at (SbOutboxItem *self,
                              gint64 created_at)
{
  g_return_if_fail (SB_IS_OUTBOX_ITEM (self));

  if (self->created_at == created_at)
    return;

  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

const char *
sb_outbox_item_get_last_error (SbOutboxItem *self)
{
  g_return_val_if_fail (SB_IS_OUTBOX_ITEM (self), NULL);

  return self->last_error;
}

void
sb_outbox_item_set_last_error (SbOutboxItem *self,
                              const char *last_error)
{
  g_return_if_fail (SB_IS_OUTBOX_ITEM (self));

  if (g_strcmp0 (self->last_error, last_error) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (last_error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}
