/* sb-account.c — a citizen's account on the platform, possibly created offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sb-model-enums.h"
#include "sb-account.h"

struct _SbAccount
{
  GObject parent_instance;

  char *id;
  char *citizen_id;
  char *platform_id;
  SbAccountState state;
  gint64 updated_at;

};

G_DEFINE_FINAL_TYPE (SbAccount, sb_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CITIZEN_ID,
  PROP_PLATFORM_ID,
  PROP_STATE,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
sb_account_finalize (GObject *object)
{
  SbAccount *self = (SbAccount *)object;

  g_free (self->id);
  g_free (self->citizen_id);
  g_free (self->platform_id);


  G_OBJECT_CLASS (sb_account_parent_class)->finalize (object);
}

static void
sb_account_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SbAccount *self = SB_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_CITIZEN_ID:
      g_value_set_string (value, self->citizen_id);
      break;

    case PROP_PLATFORM_ID:
      g_value_set_string (value, self->platform_id);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_account_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SbAccount *self = SB_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      sb_account_set_id (self, g_value_get_string (value));
      break;

    case PROP_CITIZEN_ID:
      sb_account_set_citizen_id (self, g_value_get_string (value));
      break;

    case PROP_PLATFORM_ID:
      sb_account_set_platform_id (self, g_value_get_string (value));
      break;

    case PROP_STATE:
      sb_account_set_state (self, g_value_get_enum (value));
      break;

    case PROP_UPDATED_AT:
      sb_account_set_updated_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_account_class_init (SbAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_account_finalize;
  object_class->get_property = sb_account_get_property;
  object_class->set_property = sb_account_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CITIZEN_ID] =
    g_param_spec_string ("citizen-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PLATFORM_ID] =
    g_param_spec_string ("platform-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       SB_TYPE_ACCOUNT_STATE, SB_ACCOUNT_STATE_LOCAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_account_init (SbAccount *self)
{
}

SbAccount *
sb_account_new (void)
{
  return g_object_new (SB_TYPE_ACCOUNT, NULL);
}

const char *
sb_account_get_id (SbAccount *self)
{
  g_return_val_if_fail (SB_IS_ACCOUNT (self), NULL);

  return self->id;
}

void
sb_account_set_id (SbAccount *self,
                  const char *id)
{
  g_return_if_fail (SB_IS_ACCOUNT (self));

  if (g_strcmp0 (self->id, id) == 0)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
sb_account_get_citizen_id (SbAccount *self)
{
  g_return_val_if_fail (SB_IS_ACCOUNT (self), NULL);

  return self->citizen_id;
}

void
sb_account_set_citizen_id (SbAccount *self,
                          const char *citizen_id)
{
  g_return_if_fail (SB_IS_ACCOUNT (self));

  if (g_strcmp0 (self->citizen_id, citizen_id) == 0)
    return;

  g_free (self->citizen_id);
  self->citizen_id = g_strdup (citizen_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CITIZEN_ID]);
}

const char *
sb_account_get_platform_id (SbAccount *self)
{
  g_return_val_if_fail (SB_IS_ACCOUNT (self), NULL);

  return self->platform_id;
}

void
sb_account_set_platform_id (SbAccount *self,
                           const char *platform_id)
{
  g_return_if_fail (SB_IS_ACCOUNT (self));

  if (g_strcmp0 (self->platform_id, platform_id) == 0)
    return;

  g_free (self->platform_id);
  self->platform_id = g_strdup (platform_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLATFORM_ID]);
}

SbAccountState
sb_account_get_state (SbAccount *self)
{
  g_return_val_if_fail (SB_IS_ACCOUNT (self), 0);

  return self->state;
}

void
sb_account_set_state (SbAccount *self,
                     SbAccountState state)
{
  g_return_if_fail (SB_IS_ACCOUNT (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

gint64
sb_account_get_updated_at (SbAccount *self)
{
  g_return_val_if_fail (SB_IS_ACCOUNT (self), 0);

  return self->updated_at;
}

void
sb_account_set_updated_at (SbAccount *self,
                          gint64 updated_at)
{
  g_return_if_fail (SB_IS_ACCOUNT (self));

  if (self->updated_at == updated_at)
    return;

  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}
