/* sb-transliterate.h — names in any script, in the Latin form of ICAO 9303
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *sb_transliterate_mrz       (const char *name);
char     *sb_transliterate_latin     (const char *name);
gboolean  sb_transliterate_same_name (const char *typed,
                                      const char *from_zone,
                                      gboolean    zone_truncated);

G_END_DECLS
