/* sb-outbox-page.h: what waits to go to the platform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-store.h"

G_BEGIN_DECLS

#define SB_TYPE_OUTBOX_PAGE (sb_outbox_page_get_type ())
G_DECLARE_FINAL_TYPE (SbOutboxPage, sb_outbox_page, SB, OUTBOX_PAGE, GtkWidget)

void   sb_outbox_page_set_store (SbOutboxPage *self,
                                 SbStore      *store);
void   sb_outbox_page_reload    (SbOutboxPage *self);
guint  sb_outbox_page_get_n_items (SbOutboxPage *self);
void   sb_outbox_page_show_progress (SbOutboxPage *self,
                                     const char   *outbox_id,
                                     double        fraction);

G_END_DECLS
