/* sb-scan-page.h — scanning and importing at the counter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sb-scan-tray.h"
#include "sb-store.h"

G_BEGIN_DECLS

#define SB_TYPE_SCAN_PAGE (sb_scan_page_get_type ())

G_DECLARE_FINAL_TYPE (SbScanPage, sb_scan_page, SB, SCAN_PAGE, GtkWidget)

void        sb_scan_page_set_store   (SbScanPage *self,
                                      SbStore    *store);
SbScanTray *sb_scan_page_get_tray    (SbScanPage *self);
gboolean    sb_scan_page_get_scanning (SbScanPage *self);

G_END_DECLS
