/* sb-mrz.c — machine-readable zones of travel documents (ICAO Doc 9303)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parts 4 (TD3, passports), 5 (TD1, cards) and 6 (TD2). Each line is
 * described by a template of what each position may hold: 'a' letters or
 * the filler '<', 'n' digits (or '<' where a date part is unknown), 'x'
 * either. The templates are what lets text from OCR be repaired: an 'O' in
 * a date is a 0, a 5 in a name an S; a document number that fails its check
 * digit is tried with the look-alikes of OCR-B (0/O, 1/I, 8/B, 5/S, 2/Z) and
 * taken only when exactly one spelling passes; a name field ends at the
 * given names' "<<". Every repair is counted and
 * every check digit's result is kept: a failed one is shown, not hidden.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-mrz.h"

G_DEFINE_QUARK (sb-mrz-error-quark, sb_mrz_error)

typedef struct
{
  SbMrzFormat format;
  guint       n_lines;
  guint       length;
  const char *templates[3];
} Layout;

static const Layout layouts[] = {
  { SB_MRZ_FORMAT_TD1, 3, 30, {
      "aaaaaxxxxxxxxxnxxxxxxxxxxxxxxx",
      "nnnnnnnannnnnnnaaaxxxxxxxxxxxn",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" } },
  { SB_MRZ_FORMAT_TD2, 2, 36, {
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "xxxxxxxxxnaaannnnnnnannnnnnnxxxxxxxn" } },
  { SB_MRZ_FORMAT_TD3, 2, 44, {
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "xxxxxxxxxnaaannnnnnnannnnnnnxxxxxxxxxxxxxxnn" } },
};

static gboolean
is_mrz_char (char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<';
}

static int
char_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  if (c == '<')
    return 0;
  return -1;
}

/**
 * sb_mrz_check_digit:
 *
 * ICAO 9303 Part 3, 4.9: weights 7, 3, 1 repeating; digits count as
 * themselves, A–Z as 10–35, the filler as 0.
 *
 * Returns: the check digit 0–9, or -1 when @text holds a character outside
 *   the MRZ alphabet
 */
int
sb_mrz_check_digit (const char *text,
                    gssize      length)
{
  static const int weights[] = { 7, 3, 1 };
  int sum = 0;

  g_return_val_if_fail (text != NULL, -1);

  if (length < 0)
    length = (gssize)strlen (text);
  for (gssize i = 0; i < length; i++)
    {
      int value = char_value (text[i]);

      if (value < 0)
        return -1;
      sum += value * weights[i % 3];
    }
  return sum % 10;
}

void
sb_mrz_free (SbMrz *mrz)
{
  if (mrz == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (mrz->lines); i++)
    g_free (mrz->lines[i]);
  g_free (mrz->document_code);
  g_free (mrz->issuing_state);
  g_free (mrz->family_name);
  g_free (mrz->given_names);
  g_free (mrz->document_number);
  g_free (mrz->nationality);
  g_free (mrz->birth_date);
  g_free (mrz->expiry_date);
  g_free (mrz->optional_data);
  g_free (mrz->optional_data_2);
  g_free (mrz);
}

const char *
sb_mrz_format_name (SbMrzFormat format)
{
  switch (format)
    {
    case SB_MRZ_FORMAT_TD1:
      return "TD1";
    case SB_MRZ_FORMAT_TD2:
      return "TD2";
    case SB_MRZ_FORMAT_TD3:
    default:
      return "TD3";
    }
}

const char *
sb_mrz_check_name (SbMrzCheckField field)
{
  static const char *names[] = { "documentNumber", "birthDate", "expiryDate", "optionalData", "composite" };

  g_return_val_if_fail (field < SB_MRZ_N_CHECKS, NULL);
  return names[field];
}

/* Fillers inside become spaces, fillers at the end go. */
static char *
field_text (const char *line,
            guint       start,
            guint       length)
{
  g_autofree char *text = g_strndup (line + start, length);

  g_strdelimit (text, "<", ' ');
  return g_strstrip (g_steal_pointer (&text));
}

/**
 * sb_mrz_country_to_alpha3:
 *
 * Germany is "D" in machine-readable zones; everything else is its
 * ISO 3166-1 alpha-3 code or one of ICAO's own (XXA stateless, XXB and XXC
 * refugees, XXX unspecified, UNO/UNA/UNK, EUE).
 *
 * Returns: (transfer full): the three-letter code
 */
char *
sb_mrz_country_to_alpha3 (const char *code)
{
  g_autofree char *plain = NULL;

  g_return_val_if_fail (code != NULL, NULL);
  plain = g_strdup (code);
  g_strdelimit (plain, "<", ' ');
  g_strstrip (plain);
  if (g_str_equal (plain, "D"))
    return g_strdup ("DEU");
  return g_steal_pointer (&plain);
}

/* YYMMDD with '<' for what is unknown (Part 3, 4.6). */
static char *
mrz_date (const char *text,
          gboolean    is_birth)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int this_year = g_date_time_get_year (now) % 100;
  int yy, mm, dd, year;

  if (!g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]))
    return NULL;
  yy = (text[0] - '0') * 10 + (text[1] - '0');
  if (is_birth)
    year = yy > this_year ? 1900 + yy : 2000 + yy;
  else
    year = yy >= this_year + 50 ? 1900 + yy : 2000 + yy;

  if (text[2] == '<' && text[3] == '<')
    return g_strdup_printf ("%04d", year);
  if (!g_ascii_isdigit (text[2]) || !g_ascii_isdigit (text[3]))
    return NULL;
  mm = (text[2] - '0') * 10 + (text[3] - '0');
  if (mm < 1 || mm > 12)
    return NULL;
  if (text[4] == '<' && text[5] == '<')
    return g_strdup_printf ("%04d-%02d", year, mm);
  if (!g_ascii_isdigit (text[4]) || !g_ascii_isdigit (text[5]))
    return NULL;
  dd = (text[4] - '0') * 10 + (text[5] - '0');
  if (!g_date_valid_dmy (dd, mm, year))
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", year, mm, dd);
}

static void
set_check (SbMrz           *mrz,
           SbMrzCheckField  field,
           const char      *checked,
           char             printed,
           gboolean         filler_allowed)
{
  SbMrzCheck *check = &mrz->checks[field];
  int computed = sb_mrz_check_digit (checked, -1);

  check->present = TRUE;
  check->printed = printed;
  check->computed = computed >= 0 ? (char)('0' + computed) : '?';
  if (printed == '<' && filler_allowed)
    check->valid = computed == 0;
  else
    check->valid = computed >= 0 && printed == check->computed;
}

/* Splits "ERIKSSON<<ANNA<MARIA<<<" into the primary and secondary identifier. */
static void
split_name (SbMrz      *mrz,
            const char *field)
{
  const char *separator = strstr (field, "<<");
  gsize length = strlen (field);

  mrz->name_truncated = length > 0 && field[length - 1] != '<';
  if (separator == NULL)
    {
      mrz->family_name = field_text (field, 0, (guint)length);
      mrz->given_names = g_strdup ("");
      return;
    }
  mrz->family_name = field_text (field, 0, (guint)(separator - field));
  mrz->given_names = field_text (separator + 2, 0, (guint)strlen (separator + 2));
}

/* A document number longer than nine characters goes on in the optional
 * data, ending with its check digit (Part 5, 4.2.2 note j). */
static void
read_document_number (SbMrz      *mrz,
                      const char *number,
                      char        check,
                      const char *optional,
                      guint       optional_length,
                      char      **optional_out)
{
  g_autofree char *whole = NULL;

  if (check == '<' && g_ascii_isalnum (optional[0]))
    {
      guint n = 0;

      while (n < optional_length && optional[n] != '<')
        n++;
      if (n >= 2)
        {
          whole = g_strdup_printf ("%.9s%.*s", number, (int)(n - 1), optional);
          set_check (mrz, SB_MRZ_CHECK_DOCUMENT_NUMBER, whole, optional[n - 1], FALSE);
          mrz->document_number = field_text (whole, 0, (guint)strlen (whole));
          *optional_out = field_text (optional, n, optional_length - n);
          return;
        }
    }
  whole = g_strndup (number, 9);
  set_check (mrz, SB_MRZ_CHECK_DOCUMENT_NUMBER, whole, check, FALSE);
  mrz->document_number = field_text (whole, 0, 9);
  *optional_out = field_text (optional, 0, optional_length);
}

static void
read_sex (SbMrz *mrz,
          char   c)
{
  mrz->sex = c == 'F' || c == 'M' ? c : 'X';
}

static SbMrz *
read_fields (const Layout *layout,
             char        **lines)
{
  SbMrz *mrz = g_new0 (SbMrz, 1);
  const char *l1 = lines[0], *l2 = lines[1];
  g_autofree char *birth = NULL;
  g_autofree char *expiry = NULL;
  g_autofree char *composite = NULL;

  mrz->format = layout->format;
  for (guint i = 0; i < layout->n_lines; i++)
    mrz->lines[i] = g_strdup (lines[i]);
  mrz->document_code = field_text (l1, 0, 2);

  switch (layout->format)
    {
    case SB_MRZ_FORMAT_TD1:
      mrz->issuing_state = field_text (l1, 2, 3);
      read_document_number (mrz, l1 + 5, l1[14], l1 + 15, 15, &mrz->optional_data);
      birth = g_strndup (l2, 6);
      expiry = g_strndup (l2 + 8, 6);
      set_check (mrz, SB_MRZ_CHECK_BIRTH_DATE, birth, l2[6], FALSE);
      set_check (mrz, SB_MRZ_CHECK_EXPIRY_DATE, expiry, l2[14], FALSE);
      read_sex (mrz, l2[7]);
      mrz->nationality = field_text (l2, 15, 3);
      mrz->optional_data_2 = field_text (l2, 18, 11);
      composite = g_strdup_printf ("%.25s%.7s%.7s%.11s", l1 + 5, l2, l2 + 8, l2 + 18);
      set_check (mrz, SB_MRZ_CHECK_COMPOSITE, composite, l2[29], FALSE);
      split_name (mrz, lines[2]);
      break;

    case SB_MRZ_FORMAT_TD2:
    case SB_MRZ_FORMAT_TD3:
    default:
      {
        gboolean td3 = layout->format == SB_MRZ_FORMAT_TD3;
        guint optional_length = td3 ? 14 : 7;
        char *optional = NULL;

        mrz->issuing_state = field_text (l1, 2, 3);
        split_name (mrz, l1 + 5);
        read_document_number (mrz, l2, l2[9], l2 + 28, optional_length, &optional);
        if (td3)
          mrz->optional_data = optional;
        else
          mrz->optional_data_2 = optional;
        mrz->nationality = field_text (l2, 10, 3);
        birth = g_strndup (l2 + 13, 6);
        expiry = g_strndup (l2 + 21, 6);
        set_check (mrz, SB_MRZ_CHECK_BIRTH_DATE, birth, l2[19], FALSE);
        set_check (mrz, SB_MRZ_CHECK_EXPIRY_DATE, expiry, l2[27], FALSE);
        read_sex (mrz, l2[20]);
        if (td3)
          {
            g_autofree char *personal = g_strndup (l2 + 28, 14);

            set_check (mrz, SB_MRZ_CHECK_OPTIONAL_DATA, personal, l2[42], TRUE);
            composite = g_strdup_printf ("%.10s%.7s%.22s", l2, l2 + 13, l2 + 21);
            set_check (mrz, SB_MRZ_CHECK_COMPOSITE, composite, l2[43], FALSE);
          }
        else
          {
            composite = g_strdup_printf ("%.10s%.7s%.14s", l2, l2 + 13, l2 + 21);
            set_check (mrz, SB_MRZ_CHECK_COMPOSITE, composite, l2[35], FALSE);
          }
      }
      break;
    }

  mrz->birth_date = mrz_date (birth, TRUE);
  mrz->expiry_date = mrz_date (expiry, FALSE);
  return mrz;
}

gboolean
sb_mrz_is_valid (const SbMrz *mrz)
{
  g_return_val_if_fail (mrz != NULL, FALSE);

  for (guint i = 0; i < SB_MRZ_N_CHECKS; i++)
    if (mrz->checks[i].present && !mrz->checks[i].valid)
      return FALSE;
  return mrz->birth_date != NULL && mrz->expiry_date != NULL;
}

/* Lines as typed or read: upper case, no blanks, the guillemet OCR likes for '<'. */
static GPtrArray *
candidate_lines (const char *text,
                 gboolean    lenient)
{
  g_auto(GStrv) raw = g_strsplit_set (text, "\r\n", -1);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; raw[i] != NULL; i++)
    {
      GString *line = g_string_new (NULL);
      guint mrz_chars = 0, fillers = 0;

      for (const char *p = raw[i]; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (g_unichar_isspace (c))
            continue;
          if (c == 0x00AB || c == 0x2039 || (lenient && c == 0x00BB))
            c = '<';
          if (c < 128)
            c = g_ascii_toupper ((char)c);
          if (c < 128 && is_mrz_char ((char)c))
            mrz_chars++;
          if (c == '<')
            fillers++;
          g_string_append_unichar (line, c);
        }
      /* A line of the zone has fillers (or is the full length) and nothing else. */
      if (line->len >= (lenient ? 24 : 30) && mrz_chars * 10 >= line->len * (lenient ? 9 : 10) &&
          (fillers > 0 || line->len == 30 || line->len == 36 || line->len == 44))
        g_ptr_array_add (lines, g_string_free (line, FALSE));
      else
        g_string_free (line, TRUE);
    }
  return lines;
}

static const Layout *
layout_for (GPtrArray *lines,
            guint      first,
            gboolean   lenient)
{
  guint available = lines->len - first;

  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      const Layout *layout = &layouts[i];
      gboolean fits = available >= layout->n_lines;

      for (guint l = 0; fits && l < layout->n_lines; l++)
        {
          gsize length = strlen (g_ptr_array_index (lines, first + l));

          fits = lenient ? ABS ((int)length - (int)layout->length) <= 3 : length == layout->length;
        }
      /* Two lines of 36 or 44 could be the first two of a TD1 only in OCR's fantasy. */
      if (fits)
        return layout;
    }
  return NULL;
}

/* OCR drops or doubles fillers: the line takes or gives them where they run longest. */
static char *
fit_length (const char *line,
            guint       length)
{
  GString *fitted = g_string_new (line);

  while (fitted->len != length)
    {
      guint best_start = fitted->len, best_length = 0;

      for (guint i = 0; i < fitted->len;)
        {
          guint j = i;

          while (j < fitted->len && fitted->str[j] == '<')
            j++;
          /* Ties go to the later run: names and optional data pad at their end. */
          if (j > i && j - i >= best_length)
            {
              best_start = i;
              best_length = j - i;
            }
          i = j > i ? j : i + 1;
        }
      if (fitted->len > length)
        {
          if (best_length == 0)
            g_string_truncate (fitted, length);
          else
            g_string_erase (fitted, best_start, 1);
        }
      else if (best_length == 0)
        g_string_append_c (fitted, '<');
      else
        g_string_insert_c (fitted, best_start, '<');
    }
  return g_string_free (fitted, FALSE);
}

static char
as_digit (char c)
{
  switch (c)
    {
    case 'O': case 'Q': case 'D': case 'U':
      return '0';
    case 'I': case 'L': case 'J':
      return '1';
    case 'Z':
      return '2';
    case 'S':
      return '5';
    case 'G':
      return '6';
    case 'T':
      return '7';
    case 'B':
      return '8';
    default:
      return c;
    }
}

static char
as_letter (char c)
{
  /* 0 1 2 5 6 8 have letters that look like them in OCR-B; 3 4 7 9 do not. */
  static const char letters[] = "OIZ34SG7B9";

  return c >= '0' && c <= '9' ? letters[c - '0'] : c;
}

/* Each character into its position's alphabet. */
static guint
repair_alphabet (char       *line,
                 const char *template)
{
  guint repairs = 0;

  for (guint i = 0; line[i] != '\0'; i++)
    {
      char before = line[i];

      if (!is_mrz_char (line[i]))
        line[i] = '<';
      else if (template[i] == 'a')
        line[i] = as_letter (line[i]);
      else if (template[i] == 'n' && line[i] != '<')
        line[i] = as_digit (line[i]);
      repairs += line[i] != before;
    }
  return repairs;
}

static char
look_alike (char c)
{
  static const char pairs[] = "0O1I8B5S2Z6G";

  for (guint i = 0; pairs[i] != '\0'; i++)
    if (pairs[i] == c)
      return pairs[i ^ 1];
  return 0;
}

/* The document number (alphanumeric) in the one spelling that its own
 * check digit and the composite accept, changing as few characters as
 * possible; none when two spellings would do. */
static guint
repair_by_check_digit (const Layout  *layout,
                       char         **lines)
{
  char *field = layout->format == SB_MRZ_FORMAT_TD1 ? lines[0] + 5 : lines[1];
  guint positions[9];
  guint n_positions = 0;
  guint best_changes = G_MAXUINT;
  guint best_mask = 0;
  guint n_best = 0;

  {
    g_autoptr(SbMrz) as_read = read_fields (layout, lines);

    if (as_read->checks[SB_MRZ_CHECK_DOCUMENT_NUMBER].valid)
      return 0;
  }
  for (guint i = 0; i < 9; i++)
    if (look_alike (field[i]) != 0)
      positions[n_positions++] = i;

  for (guint mask = 1; mask < (1u << n_positions); mask++)
    {
      guint changes = (guint)__builtin_popcount (mask);
      g_autoptr(SbMrz) trial = NULL;

      if (changes > best_changes)
        continue;
      for (guint b = 0; b < n_positions; b++)
        if (mask & (1u << b))
          field[positions[b]] = look_alike (field[positions[b]]);
      trial = read_fields (layout, lines);
      for (guint b = 0; b < n_positions; b++)
        if (mask & (1u << b))
          field[positions[b]] = look_alike (field[positions[b]]);

      if (!trial->checks[SB_MRZ_CHECK_DOCUMENT_NUMBER].valid || !trial->checks[SB_MRZ_CHECK_COMPOSITE].valid)
        continue;
      if (changes < best_changes)
        {
          best_changes = changes;
          n_best = 0;
        }
      n_best++;
      best_mask = mask;
    }
  if (n_best != 1)
    return 0;
  for (guint b = 0; b < n_positions; b++)
    if (best_mask & (1u << b))
      field[positions[b]] = look_alike (field[positions[b]]);
  return best_changes;
}

/* A name field is FAMILY<<GIVEN<NAMES then fillers: anything after the
 * given names' own "<<" is a speck OCR took for a letter. */
static guint
repair_name_end (char *field)
{
  char *separator = strstr (field, "<<");
  char *end;
  guint repairs = 0;

  if (separator == NULL)
    return 0;
  end = strstr (separator + 2, "<<");
  for (char *p = end; p != NULL && *p != '\0'; p++)
    if (*p != '<')
      {
        *p = '<';
        repairs++;
      }
  return repairs;
}

static SbMrz *
parse (const char  *text,
       gboolean     lenient,
       GError     **error)
{
  g_autoptr(GPtrArray) lines = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  lines = candidate_lines (text, lenient);
  for (guint first = 0; first < lines->len; first++)
    {
      const Layout *layout = layout_for (lines, first, lenient);
      char *fitted[3] = { NULL, NULL, NULL };
      guint repairs = 0;
      SbMrz *mrz;

      if (layout == NULL)
        continue;

      for (guint l = 0; l < layout->n_lines; l++)
        {
          const char *line = g_ptr_array_index (lines, first + l);

          if (!lenient)
            {
              for (const char *p = line; *p != '\0'; p++)
                if (!is_mrz_char (*p))
                  {
                    for (guint k = 0; k < l; k++)
                      g_free (fitted[k]);
                    g_set_error (error, SB_MRZ_ERROR, SB_MRZ_ERROR_MALFORMED,
                                 _("Line %u of the machine-readable zone holds “%.*s”, which is not part of its "
                                   "alphabet (A–Z, 0–9 and <). Type the line again exactly as printed."),
                                 l + 1, (int)(g_utf8_next_char (p) - p), p);
                    return NULL;
                  }
              fitted[l] = g_strdup (line);
            }
          else
            {
              fitted[l] = fit_length (line, layout->length);
              repairs += ABS ((int)strlen (line) - (int)layout->length);
              repairs += repair_alphabet (fitted[l], layout->templates[l]);
            }
        }

      if (lenient)
        {
          /* The check digits decide between look-alikes. */
          repairs += repair_by_check_digit (layout, fitted);
          repairs += repair_name_end (layout->format == SB_MRZ_FORMAT_TD1 ? fitted[2] : fitted[0] + 5);
        }

      mrz = read_fields (layout, fitted);
      mrz->n_repairs = repairs;
      for (guint l = 0; l < layout->n_lines; l++)
        g_free (fitted[l]);
      return mrz;
    }

  if (lines->len > 0)
    g_set_error (error, SB_MRZ_ERROR, SB_MRZ_ERROR_MALFORMED,
                 _("These lines look like a machine-readable zone but not of a length ICAO 9303 knows: an ID card "
                   "has 3 lines of 30 characters, a passport 2 of 44, other documents 2 of 36. Check the lines, "
                   "or scan the document again."));
  else
    g_set_error (error, SB_MRZ_ERROR, SB_MRZ_ERROR_NOT_FOUND,
                 _("No machine-readable zone was found. It is the two or three lines of letters, digits and "
                   "“<” at the bottom of the photo page or the back of the card: scan that side."));
  return NULL;
}

/**
 * sb_mrz_parse:
 * @text: the zone's lines as printed (blanks and lower case are tolerated)
 *
 * Returns: (transfer full): the fields and every check digit's result, or
 *   %NULL with @error set when there is no complete zone in @text
 */
SbMrz *
sb_mrz_parse (const char  *text,
              GError     **error)
{
  return parse (text, FALSE, error);
}

/**
 * sb_mrz_parse_ocr:
 * @text: lines as OCR read them
 *
 * As sb_mrz_parse(), repairing what OCR typically gets wrong: lines a few
 * fillers too long or short, characters outside their field's alphabet, a
 * document number's look-alike characters. SbMrz.n_repairs says how much
 * was repaired; check digits are never made to pass by a repair elsewhere.
 */
SbMrz *
sb_mrz_parse_ocr (const char  *text,
                  GError     **error)
{
  return parse (text, TRUE, error);
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * sb_mrz_to_json:
 *
 * Returns: (transfer full): the fields, each check digit's result, whether
 *   all passed, how many characters were repaired, the lines
 */
JsonNode *
sb_mrz_to_json (const SbMrz *mrz)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *nationality = sb_mrz_country_to_alpha3 (mrz->nationality);
  char sex[2] = { mrz->sex, '\0' };

  json_builder_begin_object (builder);
  add_string_or_null (builder, "format", sb_mrz_format_name (mrz->format));
  add_string_or_null (builder, "documentCode", mrz->document_code);
  add_string_or_null (builder, "issuingState", mrz->issuing_state);
  add_string_or_null (builder, "familyName", mrz->family_name);
  add_string_or_null (builder, "givenNames", mrz->given_names);
  json_builder_set_member_name (builder, "nameTruncated");
  json_builder_add_boolean_value (builder, mrz->name_truncated);
  add_string_or_null (builder, "documentNumber", mrz->document_number);
  add_string_or_null (builder, "nationality", nationality);
  add_string_or_null (builder, "birthDate", mrz->birth_date);
  add_string_or_null (builder, "sex", sex);
  add_string_or_null (builder, "expiryDate", mrz->expiry_date);
  add_string_or_null (builder, "optionalData", mrz->optional_data);
  add_string_or_null (builder, "optionalData2", mrz->optional_data_2);

  json_builder_set_member_name (builder, "checks");
  json_builder_begin_object (builder);
  for (guint i = 0; i < SB_MRZ_N_CHECKS; i++)
    {
      const SbMrzCheck *check = &mrz->checks[i];
      char printed[2] = { check->printed, '\0' };
      char computed[2] = { check->computed, '\0' };

      if (!check->present)
        continue;
      json_builder_set_member_name (builder, sb_mrz_check_name (i));
      json_builder_begin_object (builder);
      add_string_or_null (builder, "printed", printed);
      add_string_or_null (builder, "computed", computed);
      json_builder_set_member_name (builder, "valid");
      json_builder_add_boolean_value (builder, check->valid);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, sb_mrz_is_valid (mrz));
  json_builder_set_member_name (builder, "repairs");
  json_builder_add_int_value (builder, mrz->n_repairs);
  json_builder_set_member_name (builder, "lines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (mrz->lines) && mrz->lines[i] != NULL; i++)
    json_builder_add_string_value (builder, mrz->lines[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
