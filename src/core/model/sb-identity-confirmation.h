/* sb-identity-confirmation.h — who confirmed a citizen's identity at the counter, how and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-model-types.h"

G_BEGIN_DECLS

#define SB_TYPE_IDENTITY_CONFIRMATION (sb_identity_confirmation_get_type ())

G_DECLARE_FINAL_TYPE (SbIdentityConfirmation, sb_identity_confirmation, SB, IDENTITY_CONFIRMATION, GObject)

SbIdentityConfirmation *sb_identity_confirmation_new (void);
SbConfirmationMethod sb_identity_confirmation_get_method (SbIdentityConfirmation *self);
void sb_identity_confirmation_set_method (SbIdentityConfirmation *self, SbConfirmationMethod method);
const char *sb_identity_confirmation_get_document_number (SbIdentityConfirmation *self);
void sb_identity_confirmation_set_document_number (SbIdentityConfirmation *self, const char *document_number);
const char *sb_identity_confirmation_get_staff (SbIdentityConfirmation *self);
void sb_identity_confirmation_set_staff (SbIdentityConfirmation *self, const char *staff);
gint64 sb_identity_confirmation_get_confirmed_at (SbIdentityConfirmation *self);
void sb_identity_confirmation_set_confirmed_at (SbIdentityConfirmation *self, gint64 confirmed_at);


G_END_DECLS
