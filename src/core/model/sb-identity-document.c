/* sb-identity-document.c — an identity document the citizen showed at the counter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sb-model-enums.h"
#include "sb-identity-document.h"

struct _SbIdentityDocument
{
  GObject parent_instance;

  SbIdentityDocumentKind kind;
  char *number;
  char *issuing_state;
  char *expiry_date;

};

G_DEFINE_FINAL_TYPE (SbIdentityDocument, sb_identity_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_NUMBER,
  PROP_ISSUING_STATE,
  PROP_EXPIRY_DATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
sb_identity_document_finalize (GObject *object)
{
  SbIdentityDocument *self = (SbIdentityDocument *)object;

  g_free (self->number);
  g_free (self->issuing_state);
  g_free (self->expiry_date);


  G_OBJECT_CLASS (sb_identity_document_parent_class)->finalize (object);
}

static void
sb_identity_document_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  SbIdentityDocument *self = SB_IDENTITY_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;

    case PROP_ISSUING_STATE:
      g_value_set_string (value, self->issuing_state);
      break;

    case PROP_EXPIRY_DATE:
      g_value_set_string (value, self->expiry_date);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_identity_document_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  SbIdentityDocument *self = SB_IDENTITY_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_KIND:
      sb_identity_document_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_NUMBER:
      sb_identity_document_set_number (self, g_value_get_string (value));
      break;

    case PROP_ISSUING_STATE:
      sb_identity_document_set_issuing_state (self, g_value_get_string (value));
      break;

    case PROP_EXPIRY_DATE:
      sb_identity_document_set_expiry_date (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_identity_document_class_init (SbIdentityDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_identity_document_finalize;
  object_class->get_property = sb_identity_document_get_property;
  object_class->set_property = sb_identity_document_set_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       SB_TYPE_IDENTITY_DOCUMENT_KIND, SB_IDENTITY_DOCUMENT_PASSPORT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ISSUING_STATE] =
    g_param_spec_string ("issuing-state", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_EXPIRY_DATE] =
    g_param_spec_string ("expiry-date", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_identity_document_init (SbIdentityDocument *self)
{
}

SbIdentityDocument *
sb_identity_document_new (void)
{
  return g_object_new (SB_TYPE_IDENTITY_DOCUMENT, NULL);
}

SbIdentityDocumentKind
sb_identity_document_get_kind (SbIdentityDocument *self)
{
  g_return_val_if_fail (SB_IS_IDENTITY_DOCUMENT (self), 0);

  return self->kind;
}

void
sb_identity_document_set_kind (SbIdentityDocument *self,
                              SbIdentityDocumentKind kind)
{
  g_return_if_fail (SB_IS_IDENTITY_DOCUMENT (self));

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
sb_identity_document_get_number (SbIdentityDocument *self)
{
  g_return_val_if_fail (SB_IS_IDENTITY_DOCUMENT (self), NULL);

  return self->number;
}

void
sb_identity_document_set_number (SbIdentityDocument *self,
                                const char *number)
{
  g_return_if_fail (SB_IS_IDENTITY_DOCUMENT (self));

  if (g_strcmp0 (self->number, number) == 0)
    return;

  g_free (self->number);
  self->number = g_strdup (number);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
}

const char *
sb_identity_document_get_issuing_state (SbIdentityDocument *self)
{
  g_return_val_if_fail (SB_IS_IDENTITY_DOCUMENT (self), NULL);

  return self->issuing_state;
}

void
sb_identity_document_set_issuing_state (SbIdentityDocument *self,
                                       const char *issuing_state)
{
  g_return_if_fail (SB_IS_IDENTITY_DOCUMENT (self));

  if (g_strcmp0 (self->issuing_state, issuing_state) == 0)
    return;

  g_free (self->issuing_state);
  self->issuing_state = g_strdup (issuing_state);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ISSUING_STATE]);
}

const char *
sb_identity_document_get_expiry_date (SbIdentityDocument *self)
{
  g_return_val_if_fail (SB_IS_IDENTITY_DOCUMENT (self), NULL);

  return self->expiry_date;
}

void
sb_identity_document_set_expiry_date (SbIdentityDocument *self,
                                     const char *expiry_date)
{
  g_return_if_fail (SB_IS_IDENTITY_DOCUMENT (self));

  if (g_strcmp0 (self->expiry_date, expiry_date) == 0)
    return;

  g_free (self->expiry_date);
  self->expiry_date = g_strdup (expiry_date);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRY_DATE]);
}
