/* sb-startup-timing.c — report when a window has painted its first frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With SB_STARTUP_TIMING=1 in the environment, the first frame's time on
 * CLOCK_MONOTONIC (µs, as g_get_monotonic_time() gives it) is printed on
 * standard output as "first-frame-us=N". bench/startup compares it with the
 * time it started the process; the same clock runs in both processes.
 */

#include "config.h"

#include <stdio.h>

#include "sb-startup-timing.h"

static void
on_after_paint (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  g_print ("first-frame-us=%" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);

  g_signal_handlers_disconnect_by_func (frame_clock, on_after_paint, user_data);
}

static void
on_map (GtkWidget *widget,
        gpointer   user_data)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (widget);

  g_signal_handlers_disconnect_by_func (widget, on_map, user_data);
  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
}

void
sb_startup_timing_watch (GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  if (g_getenv (SB_STARTUP_TIMING_ENV) == NULL)
    return;

  g_signal_connect (window, "map", G_CALLBACK (on_map), NULL);
}
