/* sb-keyring.h — the store's key-encryption key in the Secret Service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SB_KEYRING_KEY_SIZE 32

GBytes *sb_keyring_lookup_key (const char    *store_id,
                               gboolean       create,
                               GCancellable  *cancellable,
                               GError       **error);

G_END_DECLS
