/* sb-vault.h — encryption at rest for the local store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SbVault SbVault;

/* Blind-index tags are this long: enough to make false matches negligible
 * among a desk's thousands of citizens, short enough to say little. */
#define SB_VAULT_TAG_SIZE 16

SbVault   *sb_vault_create        (GBytes        *kek,
                                   GBytes       **wrapped_key);
SbVault   *sb_vault_unwrap        (GBytes        *kek,
                                   GBytes        *wrapped_key,
                                   GError       **error);
void       sb_vault_free          (SbVault       *vault);
GBytes    *sb_vault_seal          (SbVault       *vault,
                                   const char    *context,
                                   const char    *data,
                                   gsize          len);
GBytes    *sb_vault_open          (SbVault       *vault,
                                   const char    *context,
                                   const void    *sealed,
                                   gsize          len,
                                   GError       **error);
gboolean   sb_vault_write_blob    (SbVault       *vault,
                                   const char    *path,
                                   const char    *blob_id,
                                   GBytes        *data,
                                   GError       **error);
void       sb_vault_remove_blob   (const char    *path,
                                   const char    *blob_id);
GBytes    *sb_vault_read_blob     (SbVault       *vault,
                                   const char    *path,
                                   const char    *blob_id,
                                   GError       **error);
GPtrArray *sb_vault_search_tokens (const char    *text,
                                   guint          min_prefix);
GBytes    *sb_vault_tag           (SbVault       *vault,
                                   const char    *token);
GPtrArray *sb_vault_query_tags    (SbVault       *vault,
                                   const char    *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbVault, sb_vault_free)

G_END_DECLS
