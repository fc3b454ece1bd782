/* sb-keyring.c — the store's key-encryption key in the Secret Service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Blocking D-Bus calls: only ever called from a worker thread. We never ask
 * the keyring to unlock itself (that would pop up a prompt, or hang where
 * no prompter runs): a locked keyring is an error the clerk can act on.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <sodium.h>

#include "sb-keyring.h"
#include "sb-store-error.h"

static const SecretSchema store_key_schema = {
  "io.github.servicebuero.Servicebuero.StoreKey",
  SECRET_SCHEMA_DONT_MATCH_NAME,
  {
    { "store-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static void
set_no_keyring (GError     **error,
                const char  *detail)
{
  g_set_error (error, SB_STORE_ERROR, SB_STORE_ERROR_NO_KEYRING,
               _("Citizens’ data cannot be protected because the keyring (Secret Service) "
                 "is not available, so nothing can be captured. Log out and in again; if that "
                 "does not help, ask IT to check the keyring. (%s)"),
               detail);
}

static void
set_locked (GError **error)
{
  g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_KEYRING_LOCKED,
                       _("The keyring is locked, so citizens’ data cannot be opened or saved. "
                         "Unlock it with your login password (lock and unlock the screen), "
                         "then try again."));
}

static GBytes *
decode_key (const char  *secret,
            GError     **error)
{
  guchar key[SB_KEYRING_KEY_SIZE];
  size_t len = 0;

  if (sodium_base642bin (key, sizeof key, secret, strlen (secret), NULL, &len, NULL,
                         sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len != sizeof key)
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_WRONG_KEY,
                           _("The key for this desk’s store in the keyring is damaged. Nothing "
                             "was opened or changed. Ask IT to restore the keyring from its backup."));
      return NULL;
    }

  {
    GBytes *bytes = g_bytes_new (key, sizeof key);

    sodium_memzero (key, sizeof key);
    return bytes;
  }
}

/**
 * sb_keyring_lookup_key:
 * @store_id: the store's random id
 * @create: make and keep a new key if the keyring has none for @store_id
 *
 * Returns: (transfer full): the 32-byte key-encryption key, or %NULL with
 *   @error set (never a fallback key)
 */
GBytes *
sb_keyring_lookup_key (const char    *store_id,
                       gboolean       create,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  GList *items;

  g_return_val_if_fail (store_id != NULL, NULL);

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, cancellable, &local_error);
  if (service == NULL)
    {
      set_no_keyring (error, local_error->message);
      return NULL;
    }

  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, cancellable, &local_error);
  if (collection == NULL)
    {
      set_no_keyring (error, local_error ? local_error->message : _("it has no default keyring"));
      return NULL;
    }

  if (secret_collection_get_locked (collection))
    {
      set_locked (error);
      return NULL;
    }

  attributes = secret_attributes_build (&store_key_schema, "store-id", store_id, NULL);
  items = secret_service_search_sync (service, &store_key_schema, attributes,
                                      SECRET_SEARCH_LOAD_SECRETS, cancellable, &local_error);
  if (local_error != NULL)
    {
      set_no_keyring (error, local_error->message);
      return NULL;
    }

  if (items != NULL)
    {
      SecretItem *item = items->data;
      g_autoptr(SecretValue) value = secret_item_get_secret (item);
      GBytes *key = NULL;

      if (secret_item_get_locked (item) || value == NULL)
        set_locked (error);
      else
        key = decode_key (secret_value_get_text (value), error);

      g_list_free_full (items, g_object_unref);
      return key;
    }

  if (!create)
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_WRONG_KEY,
                           _("The keyring holds no key for this desk’s store, so its data cannot "
                             "be opened. Nothing was changed. Ask IT to restore the keyring from "
                             "its backup."));
      return NULL;
    }

  {
    guchar key[SB_KEYRING_KEY_SIZE];
    char encoded[sodium_base64_ENCODED_LEN (SB_KEYRING_KEY_SIZE, sodium_base64_VARIANT_ORIGINAL)];
    g_autofree char *label = g_strdup_printf (_("Servicebüro store key %s"), store_id);
    gboolean stored;

    randombytes_buf (key, sizeof key);
    sodium_bin2base64 (encoded, sizeof encoded, key, sizeof key, sodium_base64_VARIANT_ORIGINAL);
    stored = secret_password_storev_sync (&store_key_schema, attributes, SECRET_COLLECTION_DEFAULT,
                                          label, encoded, cancellable, &local_error);
    sodium_memzero (encoded, sizeof encoded);

    if (!stored)
      {
        sodium_memzero (key, sizeof key);
        set_no_keyring (error, local_error->message);
        return NULL;
      }

    {
      GBytes *bytes = g_bytes_new (key, sizeof key);

      sodium_memzero (key, sizeof key);
      return bytes;
    }
  }
}
