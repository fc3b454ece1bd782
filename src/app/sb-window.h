/* sb-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sb-application.h"

G_BEGIN_DECLS

#define SB_TYPE_WINDOW (sb_window_get_type ())

G_DECLARE_FINAL_TYPE (SbWindow, sb_window, SB, WINDOW, AdwApplicationWindow)

SbWindow     *sb_window_new              (SbApplication *application);
const char   *sb_window_get_visible_page (SbWindow      *self);
void          sb_window_set_visible_page (SbWindow      *self,
                                          const char    *page_name);
SbSyncStatus *sb_window_get_sync_status  (SbWindow      *self);

G_END_DECLS
