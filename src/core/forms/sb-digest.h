/* sb-digest.h: SHA-256 at the speed of the CPU's SHA instructions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib's GChecksum is portable C; GnuTLS (nettle) uses SHA-NI where the
 * CPU has it, five times faster on a document of megabytes. Shared by the
 * app and the platform, which hash every upload.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SbSha256 SbSha256;

char     *sb_sha256_hex        (const void *data,
                                gsize       length);
void      sb_sha256_digest     (const void *data,
                                gsize       length,
                                guint8      digest[32]);
char     *sb_sha256_digest_to_hex (const guint8 digest[32]);
SbSha256 *sb_sha256_new        (void);
void      sb_sha256_update     (SbSha256   *self,
                                const void *data,
                                gsize       length);
char     *sb_sha256_peek_hex   (SbSha256   *self);
void      sb_sha256_free       (SbSha256   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSha256, sb_sha256_free)

G_END_DECLS
