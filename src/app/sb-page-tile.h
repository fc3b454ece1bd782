/* sb-page-tile.h — one page of the scan tray in the page grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sb-tray-page.h"

G_BEGIN_DECLS

#define SB_TYPE_PAGE_TILE (sb_page_tile_get_type ())

G_DECLARE_FINAL_TYPE (SbPageTile, sb_page_tile, SB, PAGE_TILE, GtkWidget)

GtkWidget  *sb_page_tile_new        (SbTrayPage *page);
SbTrayPage *sb_page_tile_get_page   (SbPageTile *self);
void        sb_page_tile_set_number (SbPageTile *self,
                                     guint       number);
char       *sb_page_tile_describe   (SbPageTile *self);

G_END_DECLS
