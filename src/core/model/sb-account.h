/* sb-account.h — a citizen's account on the platform, possibly created offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-model-types.h"

G_BEGIN_DECLS

#define SB_TYPE_ACCOUNT (sb_account_get_type ())

G_DECLARE_FINAL_TYPE (SbAccount, sb_account, SB, ACCOUNT, GObject)

SbAccount *sb_account_new (void);
const char *sb_account_get_id (SbAccount *self);
void sb_account_set_id (SbAccount *self, const char *id);
const char *sb_account_get_citizen_id (SbAccount *self);
void sb_account_set_citizen_id (SbAccount *self, const char *citizen_id);
const char *sb_account_get_platform_id (SbAccount *self);
void sb_account_set_platform_id (SbAccount *self, const char *platform_id);
SbAccountState sb_account_get_state (SbAccount *self);
void sb_account_set_state (SbAccount *self, SbAccountState state);
gint64 sb_account_get_updated_at (SbAccount *self);
void sb_account_set_updated_at (SbAccount *self, gint64 updated_at);


G_END_DECLS
