/* sb-consent.c — a consent the citizen gave at the counter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sb-model-enums.h"
#include "sb-consent.h"

struct _SbConsent
{
  GObject parent_instance;

  SbConsentKind kind;
  char *language;
  char *staff;
  gint64 given_at;

};

G_DEFINE_FINAL_TYPE (SbConsent, sb_consent, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_LANGUAGE,
  PROP_STAFF,
  PROP_GIVEN_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
sb_consent_finalize (GObject *object)
{
  SbConsent *self = (SbConsent *)object;

  g_free (self->language);
  g_free (self->staff);


  G_OBJECT_CLASS (sb_consent_parent_class)->finalize (object);
}

static void
sb_consent_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SbConsent *self = SB_CONSENT (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;

    case PROP_STAFF:
      g_value_set_string (value, self->staff);
      break;

    case PROP_GIVEN_AT:
      g_value_set_int64 (value, self->given_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_consent_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SbConsent *self = SB_CONSENT (object);

  switch (prop_id)
    {
    case PROP_KIND:
      sb_consent_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_LANGUAGE:
      sb_consent_set_language (self, g_value_get_string (value));
      break;

    case PROP_STAFF:
      sb_consent_set_staff (self, g_value_get_string (value));
      break;

    case PROP_GIVEN_AT:
      sb_consent_set_given_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_consent_class_init (SbConsentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_consent_finalize;
  object_class->get_property = sb_consent_get_property;
  object_class->set_property = sb_consent_set_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       SB_TYPE_CONSENT_KIND, SB_CONSENT_DATA_PROCESSING,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STAFF] =
    g_param_spec_string ("staff", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_GIVEN_AT] =
    g_param_spec_int64 ("given-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_consent_init (SbConsent *self)
{
}

SbConsent *
sb_consent_new (void)
{
  return g_object_new (SB_TYPE_CONSENT, NULL);
}

SbConsentKind
sb_consent_get_kind (SbConsent *self)
{
  g_return_val_if_fail (SB_IS_CONSENT (self), 0);

  return self->kind;
}

void
sb_consent_set_kind (SbConsent *self,
                    SbConsentKind kind)
{
  g_return_if_fail (SB_IS_CONSENT (self));

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
sb_consent_get_language (SbConsent *self)
{
  g_return_val_if_fail (SB_IS_CONSENT (self), NULL);

  return self->language;
}

void
sb_consent_set_language (SbConsent *self,
                        const char *language)
{
  g_return_if_fail (SB_IS_CONSENT (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

const char *
sb_consent_get_staff (SbConsent *self)
{
  g_return_val_if_fail (SB_IS_CONSENT (self), NULL);

  return self->staff;
}

void
sb_consent_set_staff (SbConsent *self,
                     const char *staff)
{
  g_return_if_fail (SB_IS_CONSENT (self));

  if (g_strcmp0 (self->staff, staff) == 0)
    return;

  g_free (self->staff);
  self->staff = g_strdup (staff);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF]);
}

gint64
sb_consent_get_given_at (SbConsent *self)
{
  g_return_val_if_fail (SB_IS_CONSENT (self), 0);

  return self->given_at;
}

void
sb_consent_set_given_at (SbConsent *self,
                        gint64 given_at)
{
  g_return_if_fail (SB_IS_CONSENT (self));

  if (self->given_at == given_at)
    return;

  self->given_at = given_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GIVEN_AT]);
}
