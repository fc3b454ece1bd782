/* sb-sign-in.h: staff sign-in to the platform (OAuth 2.0, PKCE, loopback)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SbTokens:
 * What the platform gave at sign-in; kept only in the Secret Service.
 */
typedef struct
{
  char   *access_token;
  char   *refresh_token;
  gint64  expires_at;     /* seconds since the epoch */
} SbTokens;

void      sb_tokens_free            (SbTokens *tokens);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbTokens, sb_tokens_free)

/* Opens @uri in the system browser; the UI provides it. */
typedef void (*SbOpenUriFunc) (const char *uri,
                               gpointer    user_data);

void      sb_sign_in_async          (const char          *platform_url,
                                     SbOpenUriFunc        open_uri,
                                     gpointer             open_uri_data,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
SbTokens *sb_sign_in_finish         (GAsyncResult        *result,
                                     GError             **error);
SbTokens *sb_sign_in_demo_sync      (const char          *platform_url,
                                     GCancellable        *cancellable,
                                     GError             **error);
SbTokens *sb_tokens_refresh_sync    (const char          *platform_url,
                                     const char          *refresh_token,
                                     GCancellable        *cancellable,
                                     GError             **error);
gboolean  sb_tokens_save_sync       (const char          *platform_url,
                                     SbTokens            *tokens,
                                     GCancellable        *cancellable,
                                     GError             **error);
SbTokens *sb_tokens_load_sync       (const char          *platform_url,
                                     GCancellable        *cancellable,
                                     GError             **error);
gboolean  sb_tokens_clear_sync      (const char          *platform_url,
                                     GCancellable        *cancellable,
                                     GError             **error);
void      sb_pkce_pair              (char               **verifier,
                                     char               **challenge);

G_END_DECLS
