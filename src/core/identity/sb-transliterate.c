/* sb-transliterate.c — names in any script, in the Latin form of ICAO 9303
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ICAO Doc 9303 Part 3, section 6: the transliterations recommended for
 * the machine-readable zone. Latin letters with diacritics lose them, except
 * those the table spells out (Ä AE, Ø OE, ß SS, Þ TH…); Cyrillic and Greek
 * go letter by letter (Greek ΟΥ as OU, as Greek passports print it); Arabic by the table's reversible scheme (letters that
 * share a Latin letter get an X before it). What a passport's zone actually
 * says wins over this: the clerk's Latin form is prefilled from here only
 * until a document is read or they type their own.
 */

#include "config.h"

#include <string.h>

#include "sb-transliterate.h"

typedef struct
{
  gunichar    letter;
  const char *latin;
} Transliteration;

static const Transliteration table[] = {
  /* Latin multinational characters that are more than their base letter */
  { 0x00C4, "AE" }, { 0x00C5, "AA" }, { 0x00C6, "AE" }, { 0x00D0, "D" }, { 0x00D6, "OE" }, { 0x00D8, "OE" },
  { 0x00DC, "UE" }, { 0x00DE, "TH" }, { 0x00DF, "SS" }, { 0x0110, "D" }, { 0x0126, "H" }, { 0x0131, "I" },
  { 0x0132, "IJ" }, { 0x0138, "K" }, { 0x013F, "L" }, { 0x0141, "L" }, { 0x014A, "N" }, { 0x0152, "OE" },
  { 0x0166, "T" }, { 0x1E9E, "SS" },
  /* Cyrillic */
  { 0x0410, "A" }, { 0x0411, "B" }, { 0x0412, "V" }, { 0x0413, "G" }, { 0x0414, "D" }, { 0x0415, "E" },
  { 0x0401, "E" }, { 0x0416, "ZH" }, { 0x0417, "Z" }, { 0x0418, "I" }, { 0x0419, "I" }, { 0x041A, "K" },
  { 0x041B, "L" }, { 0x041C, "M" }, { 0x041D, "N" }, { 0x041E, "O" }, { 0x041F, "P" }, { 0x0420, "R" },
  { 0x0421, "S" }, { 0x0422, "T" }, { 0x0423, "U" }, { 0x0424, "F" }, { 0x0425, "KH" }, { 0x0426, "TS" },
  { 0x0427, "CH" }, { 0x0428, "SH" }, { 0x0429, "SHCH" }, { 0x042A, "IE" }, { 0x042B, "Y" }, { 0x042C, "" },
  { 0x042D, "E" }, { 0x042E, "IU" }, { 0x042F, "IA" }, { 0x0490, "G" }, { 0x0404, "IE" }, { 0x0406, "I" },
  { 0x0407, "I" }, { 0x040E, "U" }, { 0x0402, "D" }, { 0x0403, "G" }, { 0x0405, "DZ" }, { 0x0408, "J" },
  { 0x0409, "LJ" }, { 0x040A, "NJ" }, { 0x040B, "C" }, { 0x040C, "K" }, { 0x040F, "DZ" },
  /* Greek */
  { 0x0391, "A" }, { 0x0392, "V" }, { 0x0393, "G" }, { 0x0394, "D" }, { 0x0395, "E" }, { 0x0396, "Z" },
  { 0x0397, "I" }, { 0x0398, "TH" }, { 0x0399, "I" }, { 0x039A, "K" }, { 0x039B, "L" }, { 0x039C, "M" },
  { 0x039D, "N" }, { 0x039E, "X" }, { 0x039F, "O" }, { 0x03A0, "P" }, { 0x03A1, "R" }, { 0x03A3, "S" },
  { 0x03A4, "T" }, { 0x03A5, "Y" }, { 0x03A6, "F" }, { 0x03A7, "CH" }, { 0x03A8, "PS" }, { 0x03A9, "O" },
  /* Arabic (and the letters Persian, Dari, Pashto and Urdu add) */
  { 0x0621, "XE" }, { 0x0622, "XAA" }, { 0x0623, "XAE" }, { 0x0624, "U" }, { 0x0625, "I" }, { 0x0626, "XI" },
  { 0x0627, "A" }, { 0x0628, "B" }, { 0x0629, "XTA" }, { 0x062A, "T" }, { 0x062B, "XTH" }, { 0x062C, "J" },
  { 0x062D, "XH" }, { 0x062E, "XKH" }, { 0x062F, "D" }, { 0x0630, "XDH" }, { 0x0631, "R" }, { 0x0632, "Z" },
  { 0x0633, "S" }, { 0x0634, "XSH" }, { 0x0635, "XSS" }, { 0x0636, "XDZ" }, { 0x0637, "XTT" }, { 0x0638, "XZZ" },
  { 0x0639, "E" }, { 0x063A, "G" }, { 0x0641, "F" }, { 0x0642, "Q" }, { 0x0643, "K" }, { 0x0644, "L" },
  { 0x0645, "M" }, { 0x0646, "N" }, { 0x0647, "H" }, { 0x0648, "W" }, { 0x0649, "XAY" }, { 0x064A, "Y" },
  { 0x067E, "XP" }, { 0x0686, "XCH" }, { 0x0698, "XZH" }, { 0x06A9, "XKK" }, { 0x06AF, "XGG" }, { 0x06CC, "XYA" },
  { 0x0671, "XXA" }, { 0x06C0, "XTAH" }, { 0x06D2, "XYB" },
};

static const char *
lookup (gunichar upper)
{
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (table[i].letter == upper)
      return table[i].latin;
  return NULL;
}

/* The Greek final sigma and the lower-case forms fold to their capital. */
static gunichar
capital (gunichar c)
{
  if (c == 0x03C2)
    return 0x03A3;
  return g_unichar_toupper (c);
}

static gunichar
base_letter (gunichar c)
{
  gunichar decomposed[8];

  if (c == 0)
    return 0;
  g_unichar_fully_decompose (capital (c), FALSE, decomposed, G_N_ELEMENTS (decomposed));
  return decomposed[0];
}

/* Upper-case ASCII letters for one character, or "" for marks, or NULL
 * for what separates words. */
static const char *
latin_for (gunichar  c,
           char      buffer[8])
{
  gunichar upper = capital (c);
  const char *known = lookup (upper);
  gunichar decomposed[8];
  gsize n;

  if (known != NULL)
    return known;
  if (upper < 128)
    {
      if (g_ascii_isalpha ((char)upper))
        {
          buffer[0] = (char)upper;
          buffer[1] = '\0';
          return buffer;
        }
      return NULL;
    }
  /* É, Ç, Ş, Ά…: the base letter of the canonical decomposition. */
  n = g_unichar_fully_decompose (upper, FALSE, decomposed, G_N_ELEMENTS (decomposed));
  if (n > 1)
    {
      known = lookup (decomposed[0]);
      if (known != NULL)
        return known;
      if (decomposed[0] < 128 && g_ascii_isalpha ((char)decomposed[0]))
        {
          buffer[0] = (char)decomposed[0];
          buffer[1] = '\0';
          return buffer;
        }
    }
  if (g_unichar_ismark (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
    return "";
  /* Arabic vowel signs and tatweel add no letter. */
  if ((c >= 0x064B && c <= 0x065F) || c == 0x0640 || c == 0x0670)
    return "";
  return NULL;
}

/**
 * sb_transliterate_mrz:
 * @name: a name as the citizen writes it, in any script
 *
 * Returns: (transfer full): the name as a machine-readable zone spells it:
 *   A–Z and single spaces (apostrophes and hyphens gone or spaces)
 */
char *
sb_transliterate_mrz (const char *name)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  g_return_val_if_fail (name != NULL, NULL);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char buffer[8];
      const char *latin;

      /* Apostrophes join, as in O'NEILL → ONEILL. */
      if (c == '\'' || c == 0x2019 || c == 0x02BC)
        continue;
      /* Greek ΟΥ is one sound, U (ELOT 743, as Greek passports print it). */
      if (capital (c) == 0x039F && p[0] != '\0' && base_letter (g_utf8_get_char (g_utf8_next_char (p))) == 0x03A5)
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append (out, "OU");
          p = g_utf8_next_char (p);
          continue;
        }
      latin = latin_for (c, buffer);
      if (latin == NULL)
        {
          space = out->len > 0;
          continue;
        }
      if (space && latin[0] != '\0')
        g_string_append_c (out, ' ');
      if (latin[0] != '\0')
        space = FALSE;
      g_string_append (out, latin);
    }
  return g_string_free (out, FALSE);
}

/**
 * sb_transliterate_latin:
 * @name: a name as the citizen writes it
 *
 * Returns: (transfer full) (nullable): the name in ICAO's Latin form with
 *   each word capitalised ("Олександр" → "Oleksandr"), or %NULL when @name
 *   is written in the Latin alphabet already and needs no second form
 */
char *
sb_transliterate_latin (const char *name)
{
  g_autofree char *upper = NULL;
  gboolean latin_already = TRUE;
  gboolean word_start = TRUE;

  g_return_val_if_fail (name != NULL, NULL);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      GUnicodeScript script = g_unichar_get_script (g_utf8_get_char (p));

      if (script != G_UNICODE_SCRIPT_LATIN && script != G_UNICODE_SCRIPT_COMMON &&
          script != G_UNICODE_SCRIPT_INHERITED)
        latin_already = FALSE;
    }
  if (latin_already)
    return NULL;

  upper = sb_transliterate_mrz (name);
  for (char *p = upper; *p != '\0'; p++)
    {
      if (*p == ' ')
        word_start = TRUE;
      else if (word_start)
        word_start = FALSE;
      else
        *p = g_ascii_tolower (*p);
    }
  return g_steal_pointer (&upper);
}

/**
 * sb_transliterate_same_name:
 *
 * Whether a typed name and a zone's name are the same, as ICAO allows
 * either spelling of Ä, Ö, Ü (AE or A…) and the zone may cut a long name.
 */
gboolean
sb_transliterate_same_name (const char *typed,
                            const char *from_zone,
                            gboolean    zone_truncated)
{
  g_autofree char *mrz = NULL;
  g_autofree char *simple = NULL;
  g_autofree char *zone = NULL;
  GString *plain;

  if (typed == NULL || from_zone == NULL)
    return FALSE;
  mrz = sb_transliterate_mrz (typed);
  zone = sb_transliterate_mrz (from_zone);

  /* The other accepted spelling: Ä as A, Ö as O, Ü as U, Å as A. */
  plain = g_string_new (NULL);
  for (const char *p = typed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_unichar_toupper (g_utf8_get_char (p));

      if (c == 0x00C4 || c == 0x00C5)
        g_string_append_c (plain, 'A');
      else if (c == 0x00D6)
        g_string_append_c (plain, 'O');
      else if (c == 0x00DC)
        g_string_append_c (plain, 'U');
      else
        g_string_append_unichar (plain, c);
    }
  simple = sb_transliterate_mrz (plain->str);
  g_string_free (plain, TRUE);

  if (g_str_equal (mrz, zone) || g_str_equal (simple, zone))
    return TRUE;
  return zone_truncated && zone[0] != '\0' && (g_str_has_prefix (mrz, zone) || g_str_has_prefix (simple, zone));
}
