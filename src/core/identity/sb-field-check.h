/* sb-field-check.h — what a clerk types for a citizen, checked as they type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *sb_check_postal_code (const char *country,
                            const char *postal_code);
char *sb_check_email       (const char *email);
char *sb_check_phone       (const char *phone);
char *sb_normalize_phone   (const char *phone);
char *sb_check_birth_date  (const char *date);
char *sb_parse_birth_date  (const char *typed);
char *sb_check_name        (const char *name,
                            gboolean    required);

G_END_DECLS
