/* sb-page.h — one scanned page of a document and how it is to be processed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-model-types.h"

G_BEGIN_DECLS

#define SB_TYPE_PAGE (sb_page_get_type ())

G_DECLARE_FINAL_TYPE (SbPage, sb_page, SB, PAGE, GObject)

SbPage *sb_page_new (void);
const char *sb_page_get_id (SbPage *self);
void sb_page_set_id (SbPage *self, const char *id);
const char *sb_page_get_document_id (SbPage *self);
void sb_page_set_document_id (SbPage *self, const char *document_id);
guint sb_page_get_position (SbPage *self);
void sb_page_set_position (SbPage *self, guint position);
const char *sb_page_get_blob_id (SbPage *self);
void sb_page_set_blob_id (SbPage *self, const char *blob_id);
int sb_page_get_rotation (SbPage *self);
void sb_page_set_rotation (SbPage *self, int rotation);
const char *sb_page_get_settings (SbPage *self);
void sb_page_set_settings (SbPage *self, const char *settings);


G_END_DECLS
