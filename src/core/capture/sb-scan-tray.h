/* sb-scan-tray.h — the pages scanned or imported for the citizen at the desk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-page-ops.h"
#include "sb-store.h"
#include "sb-tray-page.h"

G_BEGIN_DECLS

#define SB_TYPE_SCAN_TRAY (sb_scan_tray_get_type ())

G_DECLARE_FINAL_TYPE (SbScanTray, sb_scan_tray, SB, SCAN_TRAY, GObject)

SbScanTray *sb_scan_tray_new             (SbStore        *store);
SbStore    *sb_scan_tray_get_store       (SbScanTray     *self);
gboolean    sb_scan_tray_get_can_undo    (SbScanTray     *self);
guint       sb_scan_tray_get_n_busy      (SbScanTray     *self);
int         sb_scan_tray_index_of        (SbScanTray     *self,
                                          SbTrayPage     *page);

void        sb_scan_tray_load_async      (SbScanTray          *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    sb_scan_tray_load_finish     (SbScanTray          *self,
                                          GAsyncResult        *result,
                                          GError             **error);

SbTrayPage *sb_scan_tray_begin_page      (SbScanTray     *self);
void        sb_scan_tray_finish_page     (SbScanTray     *self,
                                          SbTrayPage     *page,
                                          const SbRawImage *image,
                                          SbPdfMode       mode,
                                          SbProcessFlags  flags);
void        sb_scan_tray_abandon_page    (SbScanTray     *self,
                                          SbTrayPage     *page);
void        sb_scan_tray_add_pix         (SbScanTray     *self,
                                          PIX            *pix,
                                          SbPdfMode       mode,
                                          SbProcessFlags  flags);

void        sb_scan_tray_import_async    (SbScanTray          *self,
                                          GFile               *file,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
guint       sb_scan_tray_import_finish   (SbScanTray          *self,
                                          GAsyncResult        *result,
                                          GError             **error);

void        sb_scan_tray_rotate          (SbScanTray     *self,
                                          SbTrayPage     *page,
                                          int             quarter_turns);
void        sb_scan_tray_move            (SbScanTray     *self,
                                          SbTrayPage     *page,
                                          guint           index);
void        sb_scan_tray_delete          (SbScanTray     *self,
                                          SbTrayPage     *page);
gboolean    sb_scan_tray_combine_card    (SbScanTray     *self,
                                          SbTrayPage     *front,
                                          SbTrayPage     *back,
                                          GError        **error);
gboolean    sb_scan_tray_undo            (SbScanTray     *self);
void        sb_scan_tray_clear           (SbScanTray     *self);
void        sb_scan_tray_wait_idle       (SbScanTray     *self);

void        sb_scan_tray_build_pdf_async  (SbScanTray          *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GBytes     *sb_scan_tray_build_pdf_finish (SbScanTray          *self,
                                           GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
