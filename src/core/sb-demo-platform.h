/* sb-demo-platform.h: the embedded demo platform, as a child process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SB_TYPE_DEMO_PLATFORM (sb_demo_platform_get_type ())
G_DECLARE_FINAL_TYPE (SbDemoPlatform, sb_demo_platform, SB, DEMO_PLATFORM, GObject)

SbDemoPlatform *sb_demo_platform_new          (const char           *binary,
                                               const char           *data_dir);
char           *sb_demo_platform_find_binary  (void);
char           *sb_demo_platform_default_data_dir (void);
void            sb_demo_platform_start_async  (SbDemoPlatform       *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        sb_demo_platform_start_finish (SbDemoPlatform       *self,
                                               GAsyncResult         *result,
                                               GError              **error);
const char     *sb_demo_platform_get_url      (SbDemoPlatform       *self);
void            sb_demo_platform_stop         (SbDemoPlatform       *self);

G_END_DECLS
