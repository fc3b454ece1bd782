/* sb-identity-confirmation.c — who confirmed a citizen's identity at the counter, how and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sb-model-enums.h"
#include "sb-identity-confirmation.h"

struct _SbIdentityConfirmation
{
  GObject parent_instance;

  SbConfirmationMethod method;
  char *document_number;
  char *staff;
  gint64 confirmed_at;

};

G_DEFINE_FINAL_TYPE (SbIdentityConfirmation, sb_identity_confirmation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_METHOD,
  PROP_DOCUMENT_NUMBER,
  PROP_STAFF,
  PROP_CONFIRMED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
sb_identity_confirmation_finalize (GObject *object)
{
  SbIdentityConfirmation *self = (SbIdentityConfirmation *)object;

  g_free (self->document_number);
  g_free (self->staff);


  G_OBJECT_CLASS (sb_identity_confirmation_parent_class)->finalize (object);
}

static void
sb_identity_confirmation_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  SbIdentityConfirmation *self = SB_IDENTITY_CONFIRMATION (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      g_value_set_enum (value, self->method);
      break;

    case PROP_DOCUMENT_NUMBER:
      g_value_set_string (value, self->document_number);
      break;

    case PROP_STAFF:
      g_value_set_string (value, self->staff);
      break;

    case PROP_CONFIRMED_AT:
      g_value_set_int64 (value, self->confirmed_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_identity_confirmation_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  SbIdentityConfirmation *self = SB_IDENTITY_CONFIRMATION (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      sb_identity_confirmation_set_method (self, g_value_get_enum (value));
      break;

    case PROP_DOCUMENT_NUMBER:
      sb_identity_confirmation_set_document_number (self, g_value_get_string (value));
      break;

    case PROP_STAFF:
      sb_identity_confirmation_set_staff (self, g_value_get_string (value));
      break;

    case PROP_CONFIRMED_AT:
      sb_identity_confirmation_set_confirmed_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_identity_confirmation_class_init (SbIdentityConfirmationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_identity_confirmation_finalize;
  object_class->get_property = sb_identity_confirmation_get_property;
  object_class->set_property = sb_identity_confirmation_set_property;

  properties[PROP_METHOD] =
    g_param_spec_enum ("method", NULL, NULL,
                       SB_TYPE_CONFIRMATION_METHOD, SB_CONFIRMATION_METHOD_MRZ,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_DOCUMENT_NUMBER] =
    g_param_spec_string ("document-number", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STAFF] =
    g_param_spec_string ("staff", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CONFIRMED_AT] =
    g_param_spec_int64 ("confirmed-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_identity_confirmation_init (SbIdentityConfirmation *self)
{
}

SbIdentityConfirmation *
sb_identity_confirmation_new (void)
{
  return g_object_new (SB_TYPE_IDENTITY_CONFIRMATION, NULL);
}

SbConfirmationMethod
sb_identity_confirmation_get_method (SbIdentityConfirmation *self)
{
  g_return_val_if_fail (SB_IS_IDENTITY_CONFIRMATION (self), 0);

  return self->method;
}

void
sb_identity_confirmation_set_method (SbIdentityConfirmation *self,
                                    SbConfirmationMethod method)
{
  g_return_if_fail (SB_IS_IDENTITY_CONFIRMATION (self));

  if (self->method == method)
    return;

  self->method = method;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METHOD]);
}

const char *
sb_identity_confirmation_get_document_number (SbIdentityConfirmation *self)
{
  g_return_val_if_fail (SB_IS_IDENTITY_CONFIRMATION (self), NULL);

  return self->document_number;
}

void
sb_identity_confirmation_set_document_number (SbIdentityConfirmation *self,
                                             const char *document_number)
{
  g_return_if_fail (SB_IS_IDENTITY_CONFIRMATION (self));

  if (g_strcmp0 (self->document_number, document_number) == 0)
    return;

  g_free (self->document_number);
  self->document_number = g_strdup (document_number);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT_NUMBER]);
}

const char *
sb_identity_confirmation_get_staff (SbIdentityConfirmation *self)
{
  g_return_val_if_fail (SB_IS_IDENTITY_CONFIRMATION (self), NULL);

  return self->staff;
}

void
sb_identity_confirmation_set_staff (SbIdentityConfirmation *self,
                                   const char *staff)
{
  g_return_if_fail (SB_IS_IDENTITY_CONFIRMATION (self));

  if (g_strcmp0 (self->staff, staff) == 0)
    return;

  g_free (self->staff);
  self->staff = g_strdup (staff);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF]);
}

gint64
sb_identity_confirmation_get_confirmed_at (SbIdentityConfirmation *self)
{
  g_return_val_if_fail (SB_IS_IDENTITY_CONFIRMATION (self), 0);

  return self->confirmed_at;
}

void
sb_identity_confirmation_set_confirmed_at (SbIdentityConfirmation *self,
                                          gint64 confirmed_at)
{
  g_return_if_fail (SB_IS_IDENTITY_CONFIRMATION (self));

  if (self->confirmed_at == confirmed_at)
    return;

  self->confirmed_at = confirmed_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIRMED_AT]);
}
