/* sb-field-check.c — what a clerk types for a citizen, checked as they type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each check returns %NULL when the value is fine, or a sentence for the
 * clerk that says what is wrong and what to type instead. Empty optional
 * values are fine; whether a field is required is the form's business.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "sb-field-check.h"
#include "sb-model.h"

/* Leitzonen that Deutsche Post has never given out. */
static gboolean
german_region_exists (const char *code)
{
  static const char *unused[] = { "00", "05", "43", "62" };

  for (guint i = 0; i < G_N_ELEMENTS (unused); i++)
    if (strncmp (code, unused[i], 2) == 0)
      return FALSE;
  return TRUE;
}

/**
 * sb_check_postal_code:
 * @country: (nullable): alpha-3 code of the address's country; %NULL or
 *   "DEU" is Germany
 */
char *
sb_check_postal_code (const char *country,
                      const char *postal_code)
{
  gsize length;

  if (postal_code == NULL || postal_code[0] == '\0')
    return NULL;
  length = strlen (postal_code);
  if (country != NULL && country[0] != '\0' && !g_str_equal (country, "DEU"))
    {
      if (length > 10)
        return g_strdup (_("A postal code has at most 10 characters."));
      return NULL;
    }
  if (length != 5 || strspn (postal_code, "0123456789") != 5)
    return g_strdup (_("A German postal code has five digits, e.g. 90403."));
  if (!german_region_exists (postal_code))
    return g_strdup_printf (_("No German postal code begins with %.2s. Check the digits on the citizen’s letter or "
                              "registration certificate."), postal_code);
  return NULL;
}

static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || strchr ("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

/**
 * sb_check_email:
 *
 * The addresses mail servers deliver to (RFC 5321's mailbox, dot-atom
 * local part, a domain with a dot), not every oddity RFC 5322 permits.
 */
char *
sb_check_email (const char *email)
{
  const char *at;
  const char *domain;
  gsize local_length;

  if (email == NULL || email[0] == '\0')
    return NULL;
  if (strchr (email, ' ') != NULL)
    return g_strdup (_("An e-mail address has no spaces."));
  at = strrchr (email, '@');
  if (at == NULL)
    return g_strdup (_("An e-mail address has an @, e.g. name@example.de."));
  if (strlen (email) > 254)
    return g_strdup (_("This e-mail address is too long: 254 characters at most."));

  local_length = (gsize)(at - email);
  if (local_length == 0 || local_length > 64)
    return g_strdup (_("The part before the @ is missing or longer than 64 characters."));
  for (gsize i = 0; i < local_length; i++)
    {
      char c = email[i];

      if (c == '.' && (i == 0 || i + 1 == local_length || email[i + 1] == '.'))
        return g_strdup (_("A dot cannot stand first, last or twice before the @."));
      if (c != '.' && !is_atext (c) && (guchar)c < 128)
        return g_strdup_printf (_("“%c” cannot stand before the @ in an e-mail address."), c);
    }

  domain = at + 1;
  if (strchr (domain, '.') == NULL)
    return g_strdup_printf (_("“%s” is not a full domain: it needs a dot, e.g. example.de."), domain);
  {
    g_auto(GStrv) labels = g_strsplit (domain, ".", -1);
    guint n = g_strv_length (labels);

    for (guint i = 0; i < n; i++)
      {
        const char *label = labels[i];
        gsize length = strlen (label);

        if (length == 0 || length > 63 || label[0] == '-' || label[length - 1] == '-')
          return g_strdup_printf (_("“%s” is not a valid domain. Check the part after the @."), domain);
        for (const char *p = label; *p != '\0'; p = g_utf8_next_char (p))
          {
            gunichar c = g_utf8_get_char (p);

            if (c != '-' && !g_unichar_isalnum (c))
              return g_strdup_printf (_("“%s” is not a valid domain. Check the part after the @."), domain);
          }
      }
    if (strlen (labels[n - 1]) < 2 || strspn (labels[n - 1], "0123456789") == strlen (labels[n - 1]))
      return g_strdup_printf (_("“%s” does not end in a top-level domain such as .de or .com."), domain);
  }
  return NULL;
}

/**
 * sb_normalize_phone:
 *
 * Returns: (transfer full) (nullable): @phone in international form
 *   (E.164, "+4991123100") — a number beginning with one 0 is taken to be
 *   German — or %NULL when it is not a phone number
 */
char *
sb_normalize_phone (const char *phone)
{
  GString *digits = g_string_new (NULL);
  const char *p = phone;
  gboolean plus = FALSE;

  while (*p == ' ')
    p++;
  if (*p == '+')
    {
      plus = TRUE;
      p++;
    }
  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (strchr (" ()/-.", *p) == NULL)
        {
          g_string_free (digits, TRUE);
          return NULL;
        }
    }

  if (!plus && g_str_has_prefix (digits->str, "00"))
    {
      g_string_erase (digits, 0, 2);
      plus = TRUE;
    }
  else if (!plus && digits->str[0] == '0')
    {
      g_string_erase (digits, 0, 1);
      g_string_prepend (digits, "49");
      plus = TRUE;
    }
  if (!plus || digits->len < 7 || digits->len > 15 || digits->str[0] == '0')
    {
      g_string_free (digits, TRUE);
      return NULL;
    }
  g_string_prepend_c (digits, '+');
  return g_string_free (digits, FALSE);
}

char *
sb_check_phone (const char *phone)
{
  g_autofree char *normal = NULL;

  if (phone == NULL || phone[0] == '\0')
    return NULL;
  normal = sb_normalize_phone (phone);
  if (normal == NULL)
    return g_strdup (_("Type the phone number with its area code (0911 231…) or with its country code (+90 …). "
                       "Digits, spaces, / and - only."));
  return NULL;
}

/**
 * sb_parse_birth_date:
 * @typed: "17.05.1990", "05.1990", "1990", or ISO "1990-05-17"
 *
 * Returns: (transfer full) (nullable): the partial ISO date, or %NULL
 */
char *
sb_parse_birth_date (const char *typed)
{
  g_auto(GStrv) parts = NULL;
  guint n;
  g_autofree char *trimmed = g_strstrip (g_strdup (typed != NULL ? typed : ""));
  char *iso = NULL;

  if (trimmed[0] == '\0')
    return NULL;
  if (strchr (trimmed, '-') != NULL)
    iso = g_strdup (trimmed);
  else
    {
      parts = g_strsplit (trimmed, ".", -1);
      n = g_strv_length (parts);
      for (guint i = 0; i < n; i++)
        if (parts[i][0] == '\0' || strspn (parts[i], "0123456789") != strlen (parts[i]))
          return NULL;
      if (n == 1 && strlen (parts[0]) == 4)
        iso = g_strdup (parts[0]);
      else if (n == 2 && strlen (parts[1]) == 4 && strlen (parts[0]) <= 2)
        iso = g_strdup_printf ("%s-%02d", parts[1], atoi (parts[0]));
      else if (n == 3 && strlen (parts[2]) == 4 && strlen (parts[0]) <= 2 && strlen (parts[1]) <= 2)
        iso = g_strdup_printf ("%s-%02d-%02d", parts[2], atoi (parts[1]), atoi (parts[0]));
      else
        return NULL;
    }
  if (!sb_partial_date_is_valid (iso))
    {
      g_free (iso);
      return NULL;
    }
  return iso;
}

char *
sb_check_birth_date (const char *date)
{
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  if (date == NULL || date[0] == '\0')
    return NULL;
  iso = sb_parse_birth_date (date);
  if (iso == NULL)
    return g_strdup (_("Type the birth date as day.month.year (17.05.1990). When the day or month is not known, "
                       "type only what is: 05.1990 or 1990."));
  if (strncmp (iso, today, strlen (iso)) > 0)
    return g_strdup (_("The birth date is in the future."));
  if (strncmp (iso, "1900", 4) < 0)
    return g_strdup (_("The birth date is before 1900. Check the year."));
  return NULL;
}

char *
sb_check_name (const char *name,
               gboolean    required)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (trimmed[0] == '\0')
    return required ? g_strdup (_("This name is needed.")) : NULL;
  if (g_utf8_strlen (name, -1) > 100)
    return g_strdup (_("At most 100 characters."));
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isdigit (c) || (g_unichar_ispunct (c) && c != '-' && c != '\'' && c != 0x2019 && c != '.'))
        return g_strdup_printf (_("“%.*s” does not belong in a name. Type the name as in the passport."),
                                (int)(g_utf8_next_char (p) - p), p);
    }
  return NULL;
}
