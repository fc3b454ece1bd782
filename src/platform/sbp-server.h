/* sbp-server.h: the reference platform's HTTP server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SBP_TYPE_SERVER (sbp_server_get_type ())
G_DECLARE_FINAL_TYPE (SbpServer, sbp_server, SBP, SERVER, GObject)

SbpServer  *sbp_server_new            (const char       *data_dir,
                                       GError          **error);
gboolean    sbp_server_set_faults     (SbpServer        *self,
                                       const char       *spec,
                                       GError          **error);
void        sbp_server_set_demo       (SbpServer        *self,
                                       guint             pace_seconds);
void        sbp_server_set_log        (SbpServer        *self,
                                       gboolean          log_requests);
gboolean    sbp_server_listen         (SbpServer        *self,
                                       const char       *address,
                                       guint             port,
                                       GTlsCertificate  *certificate,
                                       GError          **error);
const char *sbp_server_get_url        (SbpServer        *self);

G_END_DECLS
