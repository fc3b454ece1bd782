/* sb-document.h — a document (Nachweis) of a submission: scanned pages or an imported PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-model-types.h"

G_BEGIN_DECLS

/* The kinds of a document scanned to answer a caseworker: waiting to go
 * with an answer, and sent with one. Other kinds are the service's
 * document types. */
#define SB_DOCUMENT_KIND_ANSWER      "answer"
#define SB_DOCUMENT_KIND_ANSWER_SENT "answer-sent"

/* The power of attorney of a person who acts for the citizen. */
#define SB_DOCUMENT_KIND_AUTHORIZATION "power-of-attorney"

#define SB_TYPE_DOCUMENT (sb_document_get_type ())

G_DECLARE_FINAL_TYPE (SbDocument, sb_document, SB, DOCUMENT, GObject)

SbDocument *sb_document_new (void);
const char *sb_document_get_id (SbDocument *self);
void sb_document_set_id (SbDocument *self, const char *id);
const char *sb_document_get_submission_id (SbDocument *self);
void sb_document_set_submission_id (SbDocument *self, const char *submission_id);
const char *sb_document_get_kind (SbDocument *self);
void sb_document_set_kind (SbDocument *self, const char *kind);
const char *sb_document_get_title (SbDocument *self);
void sb_document_set_title (SbDocument *self, const char *title);
const char *sb_document_get_pdf_blob_id (SbDocument *self);
void sb_document_set_pdf_blob_id (SbDocument *self, const char *pdf_blob_id);
const char *sb_document_get_media_type (SbDocument *self);
void sb_document_set_media_type (SbDocument *self, const char *media_type);
gint64 sb_document_get_created_at (SbDocument *self);
void sb_document_set_created_at (SbDocument *self, gint64 created_at);


gboolean sb_document_is_for_answer (SbDocument *self);

G_END_DECLS
