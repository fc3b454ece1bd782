/* sb-consent.h — a consent the citizen gave at the counter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-model-types.h"

G_BEGIN_DECLS

#define SB_TYPE_CONSENT (sb_consent_get_type ())

G_DECLARE_FINAL_TYPE (SbConsent, sb_consent, SB, CONSENT, GObject)

SbConsent *sb_consent_new (void);
SbConsentKind sb_consent_get_kind (SbConsent *self);
void sb_consent_set_kind (SbConsent *self, SbConsentKind kind);
const char *sb_consent_get_language (SbConsent *self);
void sb_consent_set_language (SbConsent *self, const char *language);
const char *sb_consent_get_staff (SbConsent *self);
void sb_consent_set_staff (SbConsent *self, const char *staff);
gint64 sb_consent_get_given_at (SbConsent *self);
void sb_consent_set_given_at (SbConsent *self, gint64 given_at);


G_END_DECLS
