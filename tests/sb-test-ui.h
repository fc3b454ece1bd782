/* sb-test-ui.h — what the UI tests share: waiting for frames, screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean   sb_test_ui_init            (int        *argc,
                                       char     ***argv);
void       sb_test_wait_for_frame     (GtkWidget  *widget);
void       sb_test_save_screenshot    (GtkWidget  *window,
                                       const char *name);
void       sb_test_save_display_screenshot (GtkWidget  *window,
                                            const char *name);
GtkWidget *sb_test_find_descendant    (GtkWidget  *widget,
                                       GType       type);

G_END_DECLS
