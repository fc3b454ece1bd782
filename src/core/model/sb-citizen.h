/* sb-citizen.h — a person served at the counter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-model-types.h"

G_BEGIN_DECLS

#define SB_TYPE_CITIZEN (sb_citizen_get_type ())

G_DECLARE_FINAL_TYPE (SbCitizen, sb_citizen, SB, CITIZEN, GObject)

SbCitizen *sb_citizen_new (void);
const char *sb_citizen_get_id (SbCitizen *self);
void sb_citizen_set_id (SbCitizen *self, const char *id);
const char *sb_citizen_get_given_names (SbCitizen *self);
void sb_citizen_set_given_names (SbCitizen *self, const char *given_names);
const char *sb_citizen_get_family_name (SbCitizen *self);
void sb_citizen_set_family_name (SbCitizen *self, const char *family_name);
const char *sb_citizen_get_given_names_latin (SbCitizen *self);
void sb_citizen_set_given_names_latin (SbCitizen *self, const char *given_names_latin);
const char *sb_citizen_get_family_name_latin (SbCitizen *self);
void sb_citizen_set_family_name_latin (SbCitizen *self, const char *family_name_latin);
const char *sb_citizen_get_birth_date (SbCitizen *self);
void sb_citizen_set_birth_date (SbCitizen *self, const char *birth_date);
SbSex sb_citizen_get_sex (SbCitizen *self);
void sb_citizen_set_sex (SbCitizen *self, SbSex sex);
const char *sb_citizen_get_nationality (SbCitizen *self);
void sb_citizen_set_nationality (SbCitizen *self, const char *nationality);
const char *sb_citizen_get_street (SbCitizen *self);
void sb_citizen_set_street (SbCitizen *self, const char *street);
const char *sb_citizen_get_postal_code (SbCitizen *self);
void sb_citizen_set_postal_code (SbCitizen *self, const char *postal_code);
const char *sb_citizen_get_city (SbCitizen *self);
void sb_citizen_set_city (SbCitizen *self, const char *city);
const char *sb_citizen_get_country (SbCitizen *self);
void sb_citizen_set_country (SbCitizen *self, const char *country);
const char *sb_citizen_get_email (SbCitizen *self);
void sb_citizen_set_email (SbCitizen *self, const char *email);
const char *sb_citizen_get_phone (SbCitizen *self);
void sb_citizen_set_phone (SbCitizen *self, const char *phone);
const char *sb_citizen_get_preferred_language (SbCitizen *self);
void sb_citizen_set_preferred_language (SbCitizen *self, const char *preferred_language);
gint64 sb_citizen_get_created_at (SbCitizen *self);
void sb_citizen_set_created_at (SbCitizen *self, gint64 created_at);
gint64 sb_citizen_get_updated_at (SbCitizen *self);
void sb_citizen_set_updated_at (SbCitizen *self, gint64 updated_at);

GListModel *sb_citizen_get_identity_documents (SbCitizen *self);
GListModel *sb_citizen_get_confirmations (SbCitizen *self);
GListModel *sb_citizen_get_consents (SbCitizen *self);

G_END_DECLS
