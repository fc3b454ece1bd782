/* sb-store-error.h — what can go wrong with the local store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SB_STORE_ERROR (sb_store_error_quark ())

typedef enum
{
  SB_STORE_ERROR_NO_KEYRING,
  SB_STORE_ERROR_KEYRING_LOCKED,
  SB_STORE_ERROR_WRONG_KEY,
  SB_STORE_ERROR_NETWORK_FILESYSTEM,
  SB_STORE_ERROR_READ_ONLY,
  SB_STORE_ERROR_DISK_FULL,
  SB_STORE_ERROR_CORRUPT,
  SB_STORE_ERROR_TOO_NEW,
  SB_STORE_ERROR_NOT_FOUND,
  SB_STORE_ERROR_INVALID,
  SB_STORE_ERROR_FAILED,
} SbStoreError;

GQuark sb_store_error_quark (void);

G_END_DECLS
