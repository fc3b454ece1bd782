/* sb-vault.c — encryption at rest for the local store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A random data key encrypts everything; it is kept in the store wrapped
 * (XChaCha20-Poly1305) by a key-encryption key that lives only in the Secret
 * Service. Three subkeys are derived from the data key:
 *  - fields: XChaCha20-Poly1305 with the row's table and id as associated
 *    data, so a sealed value cannot be moved to another row;
 *  - blobs: secretstream, chunked, with the blob id as associated data of
 *    the first chunk, written to a temporary file, synced and renamed;
 *  - index: keyed BLAKE2b over normalised search tokens (blind index).
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "sb-keyring.h"
#include "sb-store-error.h"
#include "sb-vault.h"

#define DATA_KEY_SIZE crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define SEAL_VERSION 1
#define BLOB_CHUNK (64 * 1024)
#define WRAP_CONTEXT "servicebuero data key v1"

enum {
  SUBKEY_FIELDS = 1,
  SUBKEY_BLOBS = 2,
  SUBKEY_INDEX = 3,
};

struct _SbVault
{
  guchar fields_key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
  guchar blobs_key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  guchar index_key[crypto_generichash_KEYBYTES];
};

static SbVault *
vault_from_data_key (const guchar *data_key)
{
  SbVault *vault = sodium_malloc (sizeof (SbVault));

  g_assert (vault != NULL);
  crypto_kdf_derive_from_key (vault->fields_key, sizeof vault->fields_key, SUBKEY_FIELDS, "sbstore_", data_key);
  crypto_kdf_derive_from_key (vault->blobs_key, sizeof vault->blobs_key, SUBKEY_BLOBS, "sbstore_", data_key);
  crypto_kdf_derive_from_key (vault->index_key, sizeof vault->index_key, SUBKEY_INDEX, "sbstore_", data_key);
  sodium_mprotect_readonly (vault);

  return vault;
}

/**
 * sb_vault_create:
 * @kek: the key-encryption key from the keyring
 * @wrapped_key: (out): the new data key wrapped by @kek, to keep in the store
 *
 * Returns: (transfer full): a vault with a new random data key
 */
SbVault *
sb_vault_create (GBytes  *kek,
                 GBytes **wrapped_key)
{
  guchar data_key[DATA_KEY_SIZE];
  guchar wrapped[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + DATA_KEY_SIZE +
                 crypto_aead_xchacha20poly1305_ietf_ABYTES];
  unsigned long long wrapped_len = 0;
  SbVault *vault;

  g_return_val_if_fail (kek != NULL && g_bytes_get_size (kek) == SB_KEYRING_KEY_SIZE, NULL);
  g_return_val_if_fail (wrapped_key != NULL, NULL);

  crypto_kdf_keygen (data_key);
  randombytes_buf (wrapped, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt (wrapped + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                              &wrapped_len, data_key, sizeof data_key,
                                              (const guchar *)WRAP_CONTEXT, strlen (WRAP_CONTEXT),
                                              NULL, wrapped, g_bytes_get_data (kek, NULL));
  *wrapped_key = g_bytes_new (wrapped, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + wrapped_len);

  vault = vault_from_data_key (data_key);
  sodium_memzero (data_key, sizeof data_key);

  return vault;
}

SbVault *
sb_vault_unwrap (GBytes  *kek,
                 GBytes  *wrapped_key,
                 GError **error)
{
  guchar data_key[DATA_KEY_SIZE];
  unsigned long long len = 0;
  gsize wrapped_len;
  const guchar *wrapped = g_bytes_get_data (wrapped_key, &wrapped_len);
  SbVault *vault;

  g_return_val_if_fail (kek != NULL && g_bytes_get_size (kek) == SB_KEYRING_KEY_SIZE, NULL);

  if (wrapped_len != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + DATA_KEY_SIZE +
                     crypto_aead_xchacha20poly1305_ietf_ABYTES ||
      crypto_aead_xchacha20poly1305_ietf_decrypt (data_key, &len, NULL,
                                                  wrapped + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                  wrapped_len - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                  (const guchar *)WRAP_CONTEXT, strlen (WRAP_CONTEXT),
                                                  wrapped, g_bytes_get_data (kek, NULL)) != 0)
    {
      g_set_error_literal (error, SB_STORE_ERROR, SB_STORE_ERROR_WRONG_KEY,
                           _("The key in the keyring does not open this desk’s store. Nothing was "
                             "opened or changed. The keyring may have been replaced: ask IT to "
                             "restore it from its backup."));
      return NULL;
    }

  vault = vault_from_data_key (data_key);
  sodium_memzero (data_key, sizeof data_key);

  return vault;
}

void
sb_vault_free (SbVault *vault)
{
  if (vault != NULL)
    sodium_free (vault);
}

/**
 * sb_vault_seal:
 * @context: where the value lives, e.g. "citizens/<id>"; opening needs the same
 *
 * Returns: (transfer full): version, nonce and ciphertext
 */
GBytes *
sb_vault_seal (SbVault    *vault,
               const char *context,
               const char *data,
               gsize       len)
{
  gsize size = 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + len +
               crypto_aead_xchacha20poly1305_ietf_ABYTES;
  guchar *out = g_malloc (size);
  unsigned long long clen = 0;

  out[0] = SEAL_VERSION;
  randombytes_buf (out + 1, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt (out + 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
                                              (const guchar *)data, len,
                                              (const guchar *)context, strlen (context),
                                              NULL, out + 1, vault->fields_key);

  return g_bytes_new_take (out, size);
}

GBytes *
sb_vault_open (SbVault     *vault,
               const char  *context,
               const void  *sealed,
               gsize        len,
               GError     **error)
{
  const guchar *in = sealed;
  gsize header = 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  g_autofree guchar *out = NULL;
  unsigned long long mlen = 0;

  if (len < header + crypto_aead_xchacha20poly1305_ietf_ABYTES || in[0] != SEAL_VERSION)
    goto damaged;

  out = g_malloc (len - header + 1);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt (out, &mlen, NULL, in + header, len - header,
                                                  (const guchar *)context, strlen (context),
                                                  in + 1, vault->fields_key) != 0)
    goto damaged;

  out[mlen] = '\0';
  return g_bytes_new_take (g_steal_pointer (&out), mlen);

damaged:
  g_set_error (error, SB_STORE_ERROR, SB_STORE_ERROR_CORRUPT,
               _("A record (%s) cannot be decrypted: it is damaged or was written with another "
                 "key. Ask IT to run “servicebuero-ctl check”."), context);
  return NULL;
}

static char *
blob_path (const char *dir,
           const char *blob_id)
{
  char shard[3] = { blob_id[0], blob_id[1] ? blob_id[1] : '_', '\0' };

  return g_build_filename (dir, shard, blob_id, NULL);
}

/**
 * sb_vault_remove_blob:
 *
 * Deletes a blob no row names any more. A blob that is already gone is fine.
 */
void
sb_vault_remove_blob (const char *path,
                      const char *blob_id)
{
  g_autofree char *file = blob_path (path, blob_id);

  g_unlink (file);
}

static gboolean
write_all (int            fd,
           const guchar  *data,
           gsize          len,
           GError       **error)
{
  while (len > 0)
    {
      gssize written = write (fd, data, len);

      if (written < 0 && errno == EINTR)
        continue;
      if (written < 0)
        {
          int saved = errno;

          g_set_error (error, SB_STORE_ERROR,
                       saved == ENOSPC || saved == EDQUOT ? SB_STORE_ERROR_DISK_FULL : SB_STORE_ERROR_FAILED,
                       saved == ENOSPC || saved == EDQUOT
                         ? _("The disk is full, so the scan was not saved. Ask IT to free space; "
                             "everything saved before is intact.")
                         : _("A scan could not be saved (%s). Everything saved before is intact."),
                       g_strerror (saved));
          return FALSE;
        }
      data += written;
      len -= written;
    }

  return TRUE;
}

/**
 * sb_vault_write_blob:
 * @path: the blob directory
 *
 * Encrypts @data into a new file that appears whole or not at all.
 */
gboolean
sb_vault_write_blob (SbVault     *vault,
                     const char  *path,
                     const char  *blob_id,
                     GBytes      *data,
                     GError     **error)
{
  g_autofree char *final_path = blob_path (path, blob_id);
  g_autofree char *dir = g_path_get_dirname (final_path);
  g_autofree char *tmp_path = g_strconcat (final_path, ".tmp", NULL);
  crypto_secretstream_xchacha20poly1305_state state;
  guchar header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  g_autofree guchar *chunk = g_malloc (BLOB_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES);
  gsize len;
  const guchar *bytes = g_bytes_get_data (data, &len);
  gsize offset = 0;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, SB_STORE_ERROR, SB_STORE_ERROR_FAILED,
                   _("The folder for scans cannot be created (%s)."), g_strerror (errno));
      return FALSE;
    }

  fd = g_open (tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_set_error (error, SB_STORE_ERROR, SB_STORE_ERROR_FAILED,
                   _("A scan could not be saved (%s). Everything saved before is intact."),
                   g_strerror (errno));
      return FALSE;
    }

  crypto_secretstream_xchacha20poly1305_init_push (&state, header, vault->blobs_key);
  if (!write_all (fd, header, sizeof header, error))
    goto fail;

  do
    {
      gsize n = MIN (BLOB_CHUNK, len - offset);
      gboolean last = offset + n == len;
      unsigned long long clen = 0;

      crypto_secretstream_xchacha20poly1305_push (&state, chunk, &clen, bytes + offset, n,
                                                  offset == 0 ? (const guchar *)blob_id : NULL,
                                                  offset == 0 ? strlen (blob_id) : 0,
                                                  last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
      if (!write_all (fd, chunk, clen, error))
        goto fail;
      offset += n;
    }
  while (offset < len);

  if (fsync (fd) != 0)
    {
      g_set_error (error, SB_STORE_ERROR, errno == ENOSPC ? SB_STORE_ERROR_DISK_FULL : SB_STORE_ERROR_FAILED,
                   _("A scan could not be saved (%s). Everything saved before is intact."),
                   g_strerror (errno));
      goto fail;
    }
  close (fd);
  fd = -1;

  if (g_rename (tmp_path, final_path) != 0)
    {
      g_set_error (error, SB_STORE_ERROR, SB_STORE_ERROR_FAILED,
                   _("A scan could not be saved (%s). Everything saved before is intact."),
                   g_strerror (errno));
      goto fail;
    }

  /* The rename itself must reach the disk before the row that names it. */
  fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }

  return TRUE;

fail:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp_path);
  return FALSE;
}

GBytes *
sb_vault_read_blob (SbVault     *vault,
                    const char  *path,
                    const char  *blob_id,
                    GError     **error)
{
  g_autofree char *file = blob_path (path, blob_id);
  g_autofree char *contents = NULL;
  gsize len = 0;
  crypto_secretstream_xchacha20poly1305_state state;
  g_autofree guchar *out = NULL;
  gsize written = 0;
  gsize offset = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
  guchar tag = 0;

  if (!g_file_get_contents (file, &contents, &len, NULL))
    {
      g_set_error (error, SB_STORE_ERROR, SB_STORE_ERROR_NOT_FOUND,
                   _("A scan (%s) is missing from this desk’s store. Ask IT to run "
                     "“servicebuero-ctl check”."), blob_id);
      return NULL;
    }

  if (len < offset ||
      crypto_secretstream_xchacha20poly1305_init_pull (&state, (const guchar *)contents, vault->blobs_key) != 0)
    goto damaged;

  /* The plain text is never longer than the sealed one: decrypt in place
   * into one buffer, no chunk copied twice. */
  out = g_malloc (MAX (len, 1));

  while (tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL)
    {
      gsize clen = MIN (len - offset, (gsize)BLOB_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES);
      unsigned long long mlen = 0;
      gboolean first = offset == crypto_secretstream_xchacha20poly1305_HEADERBYTES;

      if (clen < crypto_secretstream_xchacha20poly1305_ABYTES ||
          crypto_secretstream_xchacha20poly1305_pull (&state, out + written, &mlen, &tag,
                                                      (const guchar *)contents + offset, clen,
                                                      first ? (const guchar *)blob_id : NULL,
                                                      first ? strlen (blob_id) : 0) != 0)
        goto damaged;
      written += mlen;
      offset += clen;
    }

  if (offset != len)
    goto damaged;

  return g_bytes_new_take (g_steal_pointer (&out), written);

damaged:
  g_set_error (error, SB_STORE_ERROR, SB_STORE_ERROR_CORRUPT,
               _("A scan (%s) cannot be decrypted: it is damaged or was written with another key. "
                 "Ask IT to run “servicebuero-ctl check”."), blob_id);
  return NULL;
}

/* Case, accents and most punctuation do not matter when a clerk searches:
 * "Müller-Lüdenscheidt" is found as "muller" and as "ludenscheidt"; dates
 * ("17.05.1990", "1990-05-17") and e-mail addresses stay whole. */
static char *
normalise (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  GString *out = g_string_new (NULL);

  for (const char *p = decomposed; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK)
        continue;
      if (g_unichar_isalnum (c) || c == '.' || c == '@')
        g_string_append_unichar (out, c);
      else if (c == '-' && out->len > 0 && g_ascii_isdigit (out->str[out->len - 1]) &&
               g_ascii_isdigit (*g_utf8_next_char (p)))
        g_string_append_c (out, '-');  /* keep ISO dates whole */
      else
        g_string_append_c (out, ' ');
    }

  return g_string_free (out, FALSE);
}

/**
 * sb_vault_tag:
 *
 * Returns: (transfer full): the blind-index tag of a normalised token
 */
GBytes *
sb_vault_tag (SbVault    *vault,
              const char *token)
{
  guchar tag[SB_VAULT_TAG_SIZE];

  crypto_generichash (tag, sizeof tag, (const guchar *)token, strlen (token),
                      vault->index_key, sizeof vault->index_key);

  return g_bytes_new (tag, sizeof tag);
}

/**
 * sb_vault_search_tokens:
 * @min_prefix: also every prefix of a token of at least this many
 *   characters, so that typing the start of a name finds it; 0 for whole
 *   tokens only
 *
 * Returns: (transfer full) (element-type utf8): the normalised tokens of
 *   @text, in plain text: keep them in memory only
 */
GPtrArray *
sb_vault_search_tokens (const char *text,
                        guint       min_prefix)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *normalised = NULL;
  g_auto(GStrv) words = NULL;

  if (text == NULL)
    return tokens;

  normalised = normalise (text);
  words = g_strsplit (normalised, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      glong chars = g_utf8_strlen (word, -1);

      if (chars == 0)
        continue;

      if (min_prefix == 0 || chars <= (glong)min_prefix)
        {
          g_ptr_array_add (tokens, g_strdup (word));
          continue;
        }

      for (glong n = min_prefix; n <= chars; n++)
        g_ptr_array_add (tokens, g_strndup (word, g_utf8_offset_to_pointer (word, n) - word));
    }

  return tokens;
}

/**
 * sb_vault_query_tags:
 *
 * Returns: (transfer full) (element-type GBytes): one tag per word of
 *   @query; a record matches when it has all of them
 */
GPtrArray *
sb_vault_query_tags (SbVault    *vault,
                     const char *query)
{
  g_autoptr(GPtrArray) tokens = sb_vault_search_tokens (query, 0);
  GPtrArray *tags = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);

  for (guint i = 0; i < tokens->len; i++)
    g_ptr_array_add (tags, sb_vault_tag (vault, g_ptr_array_index (tokens, i)));

  return tags;
}
