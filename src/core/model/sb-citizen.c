/* sb-citizen.c — a person served at the counter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sb-model-enums.h"
#include "sb-citizen.h"
#include "sb-consent.h"
#include "sb-identity-confirmation.h"
#include "sb-identity-document.h"

struct _SbCitizen
{
  GObject parent_instance;

  char *id;
  char *given_names;
  char *family_name;
  char *given_names_latin;
  char *family_name_latin;
  char *birth_date;
  SbSex sex;
  char *nationality;
  char *street;
  char *postal_code;
  char *city;
  char *country;
  char *email;
  char *phone;
  char *preferred_language;
  gint64 created_at;
  gint64 updated_at;

  GListStore *identity_documents;
  GListStore *confirmations;
  GListStore *consents;
};

G_DEFINE_FINAL_TYPE (SbCitizen, sb_citizen, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_GIVEN_NAMES,
  PROP_FAMILY_NAME,
  PROP_GIVEN_NAMES_LATIN,
  PROP_FAMILY_NAME_LATIN,
  PROP_BIRTH_DATE,
  PROP_SEX,
  PROP_NATIONALITY,
  PROP_STREET,
  PROP_POSTAL_CODE,
  PROP_CITY,
  PROP_COUNTRY,
  PROP_EMAIL,
  PROP_PHONE,
  PROP_PREFERRED_LANGUAGE,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
sb_citizen_finalize (GObject *object)
{
  SbCitizen *self = (SbCitizen *)object;

  g_free (self->id);
  g_free (self->given_names);
  g_free (self->family_name);
  g_free (self->given_names_latin);
  g_free (self->family_name_latin);
  g_free (self->birth_date);
  g_free (self->nationality);
  g_free (self->street);
  g_free (self->postal_code);
  g_free (self->city);
  g_free (self->country);
  g_free (self->email);
  g_free (self->phone);
  g_free (self->preferred_language);
  g_clear_object (&self->identity_documents);
  g_clear_object (&self->confirmations);
  g_clear_object (&self->consents);

  G_OBJECT_CLASS (sb_citizen_parent_class)->finalize (object);
}

static void
sb_citizen_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SbCitizen *self = SB_CITIZEN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_GIVEN_NAMES:
      g_value_set_string (value, self->given_names);
      break;

    case PROP_FAMILY_NAME:
      g_value_set_string (value, self->family_name);
      break;

    case PROP_GIVEN_NAMES_LATIN:
      g_value_set_string (value, self->given_names_latin);
      break;

    case PROP_FAMILY_NAME_LATIN:
      g_value_set_string (value, self->family_name_latin);
      break;

    case PROP_BIRTH_DATE:
      g_value_set_string (value, self->birth_date);
      break;

    case PROP_SEX:
      g_value_set_enum (value, self->sex);
      break;

    case PROP_NATIONALITY:
      g_value_set_string (value, self->nationality);
      break;

    case PROP_STREET:
      g_value_set_string (value, self->street);
      break;

    case PROP_POSTAL_CODE:
      g_value_set_string (value, self->postal_code);
      break;

    case PROP_CITY:
      g_value_set_string (value, self->city);
      break;

    case PROP_COUNTRY:
      g_value_set_string (value, self->country);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;

    case PROP_PREFERRED_LANGUAGE:
      g_value_set_string (value, self->preferred_language);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_citizen_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SbCitizen *self = SB_CITIZEN (object);

  switch (prop_id)
    {
    case PROP_ID:
      sb_citizen_set_id (self, g_value_get_string (value));
      break;

    case PROP_GIVEN_NAMES:
      sb_citizen_set_given_names (self, g_value_get_string (value));
      break;

    case PROP_FAMILY_NAME:
      sb_citizen_set_family_name (self, g_value_get_string (value));
      break;

    case PROP_GIVEN_NAMES_LATIN:
      sb_citizen_set_given_names_latin (self, g_value_get_string (value));
      break;

    case PROP_FAMILY_NAME_LATIN:
      sb_citizen_set_family_name_latin (self, g_value_get_string (value));
      break;

    case PROP_BIRTH_DATE:
      sb_citizen_set_birth_date (self, g_value_get_string (value));
      break;

    case PROP_SEX:
      sb_citizen_set_sex (self, g_value_get_enum (value));
      break;

    case PROP_NATIONALITY:
      sb_citizen_set_nationality (self, g_value_get_string (value));
      break;

    case PROP_STREET:
      sb_citizen_set_street (self, g_value_get_string (value));
      break;

    case PROP_POSTAL_CODE:
      sb_citizen_set_postal_code (self, g_value_get_string (value));
      break;

    case PROP_CITY:
      sb_citizen_set_city (self, g_value_get_string (value));
      break;

    case PROP_COUNTRY:
      sb_citizen_set_country (self, g_value_get_string (value));
      break;

    case PROP_EMAIL:
      sb_citizen_set_email (self, g_value_get_string (value));
      break;

    case PROP_PHONE:
      sb_citizen_set_phone (self, g_value_get_string (value));
      break;

    case PROP_PREFERRED_LANGUAGE:
      sb_citizen_set_preferred_language (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      sb_citizen_set_created_at (self, g_value_get_int64 (value));
      break;

    case PROP_UPDATED_AT:
      sb_citizen_set_updated_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_citizen_class_init (SbCitizenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_citizen_finalize;
  object_class->get_property = sb_citizen_get_property;
  object_class->set_property = sb_citizen_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_GIVEN_NAMES] =
    g_param_spec_string ("given-names", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_FAMILY_NAME] =
    g_param_spec_string ("family-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_GIVEN_NAMES_LATIN] =
    g_param_spec_string ("given-names-latin", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_FAMILY_NAME_LATIN] =
    g_param_spec_string ("family-name-latin", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BIRTH_DATE] =
    g_param_spec_string ("birth-date", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SEX] =
    g_param_spec_enum ("sex", NULL, NULL,
                       SB_TYPE_SEX, SB_SEX_UNSPECIFIED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_NATIONALITY] =
    g_param_spec_string ("nationality", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STREET] =
    g_param_spec_string ("street", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_POSTAL_CODE] =
    g_param_spec_string ("postal-code", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CITY] =
    g_param_spec_string ("city", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_COUNTRY] =
    g_param_spec_string ("country", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PHONE] =
    g_param_spec_string ("phone", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PREFERRED_LANGUAGE] =
    g_param_spec_string ("preferred-language", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_citizen_init (SbCitizen *self)
{
  self->identity_documents = g_list_store_new (SB_TYPE_IDENTITY_DOCUMENT);
  self->confirmations = g_list_store_new (SB_TYPE_IDENTITY_CONFIRMATION);
  self->consents = g_list_store_new (SB_TYPE_CONSENT);
}

SbCitizen *
sb_citizen_new (void)
{
  return g_object_new (SB_TYPE_CITIZEN, NULL);
}

const char *
sb_citizen_get_id (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->id;
}

void
sb_citizen_set_id (SbCitizen *self,
                  const char *id)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->id, id) == 0)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
sb_citizen_get_given_names (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->given_names;
}

void
sb_citizen_set_given_names (SbCitizen *self,
                           const char *given_names)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->given_names, given_names) == 0)
    return;

  g_free (self->given_names);
  self->given_names = g_strdup (given_names);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GIVEN_NAMES]);
}

const char *
sb_citizen_get_family_name (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->family_name;
}

void
sb_citizen_set_family_name (SbCitizen *self,
                           const char *family_name)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->family_name, family_name) == 0)
    return;

  g_free (self->family_name);
  self->family_name = g_strdup (family_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAMILY_NAME]);
}

const char *
sb_citizen_get_given_names_latin (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->given_names_latin;
}

void
sb_citizen_set_given_names_latin (SbCitizen *self,
                                 const char *given_names_latin)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->given_names_latin, given_names_latin) == 0)
    return;

  g_free (self->given_names_latin);
  self->given_names_latin = g_strdup (given_names_latin);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GIVEN_NAMES_LATIN]);
}

const char *
sb_citizen_get_family_name_latin (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->family_name_latin;
}

void
sb_citizen_set_family_name_latin (SbCitizen *self,
                                 const char *family_name_latin)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->family_name_latin, family_name_latin) == 0)
    return;

  g_free (self->family_name_latin);
  self->family_name_latin = g_strdup (family_name_latin);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAMILY_NAME_LATIN]);
}

const char *
sb_citizen_get_birth_date (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->birth_date;
}

void
sb_citizen_set_birth_date (SbCitizen *self,
                          const char *birth_date)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->birth_date, birth_date) == 0)
    return;

  g_free (self->birth_date);
  self->birth_date = g_strdup (birth_date);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BIRTH_DATE]);
}

SbSex
sb_citizen_get_sex (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), 0);

  return self->sex;
}

void
sb_citizen_set_sex (SbCitizen *self,
                   SbSex sex)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (self->sex == sex)
    return;

  self->sex = sex;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEX]);
}

const char *
sb_citizen_get_nationality (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->nationality;
}

void
sb_citizen_set_nationality (SbCitizen *self,
                           const char *nationality)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->nationality, nationality) == 0)
    return;

  g_free (self->nationality);
  self->nationality = g_strdup (nationality);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NATIONALITY]);
}

const char *
sb_citizen_get_street (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->street;
}

void
sb_citizen_set_street (SbCitizen *self,
                      const char *street)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->street, street) == 0)
    return;

  g_free (self->street);
  self->street = g_strdup (street);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STREET]);
}

const char *
sb_citizen_get_postal_code (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->postal_code;
}

void
sb_citizen_set_postal_code (SbCitizen *self,
                           const char *postal_code)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->postal_code, postal_code) == 0)
    return;

  g_free (self->postal_code);
  self->postal_code = g_strdup (postal_code);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSTAL_CODE]);
}

const char *
sb_citizen_get_city (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->city;
}

void
sb_citizen_set_city (SbCitizen *self,
                    const char *city)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->city, city) == 0)
    return;

  g_free (self->city);
  self->city = g_strdup (city);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CITY]);
}

const char *
sb_citizen_get_country (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->country;
}

void
sb_citizen_set_country (SbCitizen *self,
                       const char *country)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->country, country) == 0)
    return;

  g_free (self->country);
  self->country = g_strdup (country);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTRY]);
}

const char *
sb_citizen_get_email (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->email;
}

void
sb_citizen_set_email (SbCitizen *self,
                     const char *email)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->email, email) == 0)
    return;

  g_free (self->email);
  self->email = g_strdup (email);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
}

const char *
sb_citizen_get_phone (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->phone;
}

void
sb_citizen_set_phone (SbCitizen *self,
                     const char *phone)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->phone, phone) == 0)
    return;

  g_free (self->phone);
  self->phone = g_strdup (phone);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONE]);
}

const char *
sb_citizen_get_preferred_language (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return self->preferred_language;
}

void
sb_citizen_set_preferred_language (SbCitizen *self,
                                  const char *preferred_language)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (g_strcmp0 (self->preferred_language, preferred_language) == 0)
    return;

  g_free (self->preferred_language);
  self->preferred_language = g_strdup (preferred_language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREFERRED_LANGUAGE]);
}

gint64
sb_citizen_get_created_at (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), 0);

  return self->created_at;
}

void
sb_citizen_set_created_at (SbCitizen *self,
                          gint64 created_at)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (self->created_at == created_at)
    return;

  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

gint64
sb_citizen_get_updated_at (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), 0);

  return self->updated_at;
}

void
sb_citizen_set_updated_at (SbCitizen *self,
                          gint64 updated_at)
{
  g_return_if_fail (SB_IS_CITIZEN (self));

  if (self->updated_at == updated_at)
    return;

  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

/**
 * sb_citizen_get_identity_documents:
 *
 * Returns: (transfer none): a list of #SbIdentityDocument; add and remove
 *   through G_LIST_STORE()
 */
GListModel *
sb_citizen_get_identity_documents (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return G_LIST_MODEL (self->identity_documents);
}

/**
 * sb_citizen_get_confirmations:
 *
 * Returns: (transfer none): a list of #SbIdentityConfirmation, oldest first
 */
GListModel *
sb_citizen_get_confirmations (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return G_LIST_MODEL (self->confirmations);
}

/**
 * sb_citizen_get_consents:
 *
 * What the citizen agreed to at the counter (data processing,
 * representation), each with when, in which language and before whom.
 *
 * Returns: (transfer none): a #GListStore of #SbConsent, oldest first
 */
GListModel *
sb_citizen_get_consents (SbCitizen *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN (self), NULL);

  return G_LIST_MODEL (self->consents);
}
