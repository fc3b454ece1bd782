/* sb-tray-page.h — one page in the scan tray
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  SB_TRAY_PAGE_SCANNING,   /*< nick=scanning >*/
  SB_TRAY_PAGE_PROCESSING, /*< nick=processing >*/
  SB_TRAY_PAGE_READY,      /*< nick=ready >*/
  SB_TRAY_PAGE_FAILED,     /*< nick=failed >*/
} SbTrayPageState;

#define SB_TYPE_TRAY_PAGE (sb_tray_page_get_type ())

G_DECLARE_FINAL_TYPE (SbTrayPage, sb_tray_page, SB, TRAY_PAGE, GObject)

SbTrayPage      *sb_tray_page_new           (const char      *id);
const char      *sb_tray_page_get_id        (SbTrayPage      *self);
SbTrayPageState  sb_tray_page_get_state     (SbTrayPage      *self);
void             sb_tray_page_set_state     (SbTrayPage      *self,
                                             SbTrayPageState  state);
double           sb_tray_page_get_progress  (SbTrayPage      *self);
void             sb_tray_page_set_progress  (SbTrayPage      *self,
                                             double           progress);
int              sb_tray_page_get_rotation  (SbTrayPage      *self);
void             sb_tray_page_set_rotation  (SbTrayPage      *self,
                                             int              rotation);
gboolean         sb_tray_page_get_blank     (SbTrayPage      *self);
void             sb_tray_page_set_blank     (SbTrayPage      *self,
                                             gboolean         blank);
const char      *sb_tray_page_get_problem   (SbTrayPage      *self);
void             sb_tray_page_set_problem   (SbTrayPage      *self,
                                             const char      *problem);
void             sb_tray_page_set_thumbnail (SbTrayPage      *self,
                                             GBytes          *rgba,
                                             guint            width,
                                             guint            height);
GBytes          *sb_tray_page_get_thumbnail (SbTrayPage      *self,
                                             guint           *width,
                                             guint           *height);
double           sb_tray_page_get_skew      (SbTrayPage      *self);
void             sb_tray_page_set_skew      (SbTrayPage      *self,
                                             double           degrees);

G_END_DECLS
