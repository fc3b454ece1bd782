/* sb-countries.h — nationalities and countries: ISO 3166-1 with German names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char  alpha3[4];
  char *german;   /* "Syrien", "Staatenlos" */
  char *english;  /* "Syrian Arab Republic", "Stateless person" */
  char *search;   /* both names and the code, folded for matching */
} SbCountry;

GPtrArray       *sb_countries        (void);
const SbCountry *sb_country_lookup   (const char *alpha3);
gboolean         sb_country_matches  (const SbCountry *country,
                                      const char      *query);
char            *sb_fold_for_search  (const char      *text);

G_END_DECLS
