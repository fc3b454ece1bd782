/* sb-identity-document.h — an identity document the citizen showed at the counter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-model-types.h"

G_BEGIN_DECLS

#define SB_TYPE_IDENTITY_DOCUMENT (sb_identity_document_get_type ())

G_DECLARE_FINAL_TYPE (SbIdentityDocument, sb_identity_document, SB, IDENTITY_DOCUMENT, GObject)

SbIdentityDocument *sb_identity_document_new (void);
SbIdentityDocumentKind sb_identity_document_get_kind (SbIdentityDocument *self);
void sb_identity_document_set_kind (SbIdentityDocument *self, SbIdentityDocumentKind kind);
const char *sb_identity_document_get_number (SbIdentityDocument *self);
void sb_identity_document_set_number (SbIdentityDocument *self, const char *number);
const char *sb_identity_document_get_issuing_state (SbIdentityDocument *self);
void sb_identity_document_set_issuing_state (SbIdentityDocument *self, const char *issuing_state);
const char *sb_identity_document_get_expiry_date (SbIdentityDocument *self);
void sb_identity_document_set_expiry_date (SbIdentityDocument *self, const char *expiry_date);


G_END_DECLS
