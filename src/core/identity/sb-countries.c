/* sb-countries.c — nationalities and countries: ISO 3166-1 with German names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The countries are Debian's iso-codes (the list ISO maintains, with its
 * German translation read straight from iso-codes' catalogue, whatever the
 * language of the app), and the codes ICAO 9303 adds for people no country
 * lists: stateless, refugees, the United Nations, Kosovo, unknown.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "sb-countries.h"

#ifndef ISO_CODES_PREFIX
#define ISO_CODES_PREFIX "/usr/share"
#endif

static const struct
{
  const char *alpha3, *german, *english;
} icao_codes[] = {
  { "XXA", "Staatenlos", "Stateless person" },
  { "XXB", "Flüchtling nach der Genfer Flüchtlingskonvention", "Refugee (1951 Convention)" },
  { "XXC", "Flüchtling (anderer Status)", "Refugee (other)" },
  { "XXX", "Ungeklärt", "Unspecified nationality" },
  { "UNO", "Vereinte Nationen (Bedienstete)", "United Nations official" },
  { "UNA", "Vereinte Nationen (Sonderorganisation)", "United Nations specialized agency" },
  { "UNK", "Kosovo (UNMIK)", "Kosovo (UNMIK)" },
  { "RKS", "Kosovo", "Kosovo" },
  { "EUE", "Europäische Union", "European Union" },
};

static void
country_free (SbCountry *country)
{
  g_free (country->german);
  g_free (country->english);
  g_free (country->search);
  g_free (country);
}

/**
 * sb_fold_for_search:
 *
 * Returns: (transfer full): @text in lower case without accents, so that
 *   "turkei" finds "Türkei"
 */
char *
sb_fold_for_search (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text != NULL ? text : "", -1, G_NORMALIZE_NFD);
  g_autofree char *lower = g_utf8_casefold (decomposed, -1);
  GString *folded = g_string_new (NULL);

  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (folded, c);
    }
  return g_string_free (folded, FALSE);
}

/* A gettext catalogue (.mo) as a table: the format is a header and two
 * arrays of (length, offset) pairs. */
static GHashTable *
read_catalogue (const char *path)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *data = NULL;
  gsize length = 0;
  const guint32 *header;
  gboolean swap;
  guint32 n, originals, translations;

  if (!g_file_get_contents (path, &data, &length, NULL) || length < 28)
    return table;
  header = (const guint32 *)data;
  swap = header[0] == GUINT32_SWAP_LE_BE (0x950412de);
  if (header[0] != 0x950412de && !swap)
    return table;
#define WORD(i) (swap ? GUINT32_SWAP_LE_BE (header[i]) : header[i])
  n = WORD (2);
  originals = WORD (3);
  translations = WORD (4);
  if (originals + 8ull * n > length || translations + 8ull * n > length)
    return table;
  for (guint32 i = 0; i < n; i++)
    {
      guint32 o_len = WORD (originals / 4 + 2 * i), o_off = WORD (originals / 4 + 2 * i + 1);
      guint32 t_len = WORD (translations / 4 + 2 * i), t_off = WORD (translations / 4 + 2 * i + 1);

      if ((guint64)o_off + o_len < length && (guint64)t_off + t_len < length && o_len > 0)
        g_hash_table_insert (table, g_strndup (data + o_off, o_len), g_strndup (data + t_off, t_len));
    }
#undef WORD
  return table;
}

static int
compare_german (gconstpointer a,
                gconstpointer b)
{
  const SbCountry *x = *(SbCountry **)a, *y = *(SbCountry **)b;

  return g_utf8_collate (x->german, y->german);
}

static SbCountry *
country_new (const char *alpha3,
             const char *german,
             const char *english)
{
  SbCountry *country = g_new0 (SbCountry, 1);
  g_autofree char *all = g_strdup_printf ("%s %s %s", german, english, alpha3);

  g_strlcpy (country->alpha3, alpha3, sizeof country->alpha3);
  country->german = g_strdup (german);
  country->english = g_strdup (english);
  country->search = sb_fold_for_search (all);
  return country;
}

static GPtrArray *
load (void)
{
  GPtrArray *countries = g_ptr_array_new_with_free_func ((GDestroyNotify)country_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) german = read_catalogue (ISO_CODES_PREFIX "/locale/de/LC_MESSAGES/iso_3166-1.mo");

  if (json_parser_load_from_file (parser, ISO_CODES_PREFIX "/iso-codes/json/iso_3166-1.json", NULL))
    {
      JsonArray *list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "3166-1");

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonObject *entry = json_array_get_object_element (list, i);
          const char *english = json_object_get_string_member_with_default (entry, "common_name", NULL);
          const char *name = json_object_get_string_member_with_default (entry, "name", "");
          const char *translated = g_hash_table_lookup (german, name);

          if (english == NULL)
            english = name;
          g_ptr_array_add (countries, country_new (json_object_get_string_member_with_default (entry, "alpha_3", ""),
                                                   translated != NULL && translated[0] != '\0' ? translated : english,
                                                   english));
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (icao_codes); i++)
    g_ptr_array_add (countries, country_new (icao_codes[i].alpha3, icao_codes[i].german, icao_codes[i].english));
  g_ptr_array_sort (countries, compare_german);
  return countries;
}

/**
 * sb_countries:
 *
 * Returns: (transfer none) (element-type SbCountry): every country and
 *   ICAO code, in German alphabetical order; loaded once
 */
GPtrArray *
sb_countries (void)
{
  static GPtrArray *countries;

  if (g_once_init_enter (&countries))
    g_once_init_leave (&countries, load ());
  return countries;
}

const SbCountry *
sb_country_lookup (const char *alpha3)
{
  GPtrArray *countries = sb_countries ();

  if (alpha3 == NULL)
    return NULL;
  for (guint i = 0; i < countries->len; i++)
    {
      SbCountry *country = g_ptr_array_index (countries, i);

      if (g_str_equal (country->alpha3, alpha3))
        return country;
    }
  return NULL;
}

/* Every word of @query starts a word of the names or is the code. */
gboolean
sb_country_matches (const SbCountry *country,
                    const char      *query)
{
  g_autofree char *folded = sb_fold_for_search (query);
  g_auto(GStrv) words = g_strsplit_set (folded, " ,-", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *at;
      gboolean found = FALSE;

      if (words[i][0] == '\0')
        continue;
      for (at = strstr (country->search, words[i]); at != NULL && !found; at = strstr (at + 1, words[i]))
        found = at == country->search || !g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (at)));
      if (!found)
        return FALSE;
    }
  return TRUE;
}
