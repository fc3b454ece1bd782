/* sb-document-checklist.h — the documents an application needs, scanned or added as files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sb-store.h"

G_BEGIN_DECLS

#define SB_TYPE_DOCUMENT_CHECKLIST (sb_document_checklist_get_type ())

G_DECLARE_FINAL_TYPE (SbDocumentChecklist, sb_document_checklist, SB, DOCUMENT_CHECKLIST, AdwPreferencesGroup)

void       sb_document_checklist_set_context        (SbDocumentChecklist *self,
                                                     SbStore             *store,
                                                     AdwToastOverlay     *toast_overlay);
void       sb_document_checklist_show               (SbDocumentChecklist *self,
                                                     SbSubmission        *submission,
                                                     JsonObject          *service,
                                                     GPtrArray           *documents,
                                                     const char          *language);
void       sb_document_checklist_clear              (SbDocumentChecklist *self);
void       sb_document_checklist_set_representation (SbDocumentChecklist *self,
                                                     SbRepresentation     representation);
GPtrArray *sb_document_checklist_get_documents      (SbDocumentChecklist *self);
char      *sb_document_checklist_describe_missing   (SbDocumentChecklist *self);

G_END_DECLS
