/* sb-partial-date.c — birth dates of which only a part may be known
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Some countries issue documents with only the year (or year and month) of
 * birth; ICAO 9303 writes the unknown parts as "XX". We keep such a date as
 * "YYYY", "YYYY-MM" or "YYYY-MM-DD" (ISO 8601 reduced precision).
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sb-model-types.h"

static gboolean
parse_digits (const char *text,
              guint       len,
              guint      *value)
{
  guint result = 0;

  for (guint i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      result = result * 10 + (guint)(text[i] - '0');
    }

  *value = result;
  return TRUE;
}

gboolean
sb_partial_date_is_valid (const char *date)
{
  gsize len;
  guint year, month, day;

  if (date == NULL)
    return FALSE;

  len = strlen (date);
  if (len != 4 && len != 7 && len != 10)
    return FALSE;
  if (!parse_digits (date, 4, &year) || year < 1850 || year > 9999)
    return FALSE;
  if (len == 4)
    return TRUE;

  if (date[4] != '-' || !parse_digits (date + 5, 2, &month) || month < 1 || month > 12)
    return FALSE;
  if (len == 7)
    return TRUE;

  if (date[7] != '-' || !parse_digits (date + 8, 2, &day))
    return FALSE;

  return g_date_valid_dmy ((GDateDay)day, (GDateMonth)month, (GDateYear)year);
}
