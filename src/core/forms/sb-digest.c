/* sb-digest.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-digest.h"

#include <gnutls/crypto.h>

struct _SbSha256
{
  gnutls_hash_hd_t handle;
};

static char *
to_hex (const guint8 *digest)
{
  static const char hex[] = "0123456789abcdef";
  char *out = g_malloc (65);

  for (guint i = 0; i < 32; i++)
    {
      out[2 * i] = hex[digest[i] >> 4];
      out[2 * i + 1] = hex[digest[i] & 0xf];
    }
  out[64] = '\0';
  return out;
}

void
sb_sha256_digest (const void *data,
                  gsize       length,
                  guint8      digest[32])
{
  if (gnutls_hash_fast (GNUTLS_DIG_SHA256, data, length, digest) != 0)
    g_error ("SHA-256 is not available");
}

char *
sb_sha256_hex (const void *data,
               gsize       length)
{
  guint8 digest[32];

  sb_sha256_digest (data, length, digest);
  return to_hex (digest);
}

/**
 * sb_sha256_digest_to_hex:
 *
 * Returns: (transfer full): @digest in lower-case hex, for when the digest
 *   is needed both ways and the data should be hashed once
 */
char *
sb_sha256_digest_to_hex (const guint8 digest[32])
{
  return to_hex (digest);
}

SbSha256 *
sb_sha256_new (void)
{
  SbSha256 *self = g_new0 (SbSha256, 1);

  if (gnutls_hash_init (&self->handle, GNUTLS_DIG_SHA256) != 0)
    g_error ("SHA-256 is not available");
  return self;
}

void
sb_sha256_update (SbSha256   *self,
                  const void *data,
                  gsize       length)
{
  gnutls_hash (self->handle, data, length);
}

/* The digest of what was fed so far; more may follow. */
char *
sb_sha256_peek_hex (SbSha256 *self)
{
  gnutls_hash_hd_t copy = gnutls_hash_copy (self->handle);
  guint8 digest[32];

  gnutls_hash_deinit (copy, digest);
  return to_hex (digest);
}

void
sb_sha256_free (SbSha256 *self)
{
  if (self == NULL)
    return;
  gnutls_hash_deinit (self->handle, NULL);
  g_free (self);
}
