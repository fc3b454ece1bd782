/* sb-startup-timing.h — report when a window has painted its first frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SB_STARTUP_TIMING_ENV "SB_STARTUP_TIMING"

void sb_startup_timing_watch (GtkWindow *window);

G_END_DECLS
