/* test-mrz.c — ICAO Doc 9303 machine-readable zones from text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The specimen lines are those printed in Doc 9303 Parts 4, 5 and 6 (the
 * fictitious state Utopia, "UTO"), and the German ID card's specimen.
 */

#include <string.h>

#include "sb-mrz.h"

#define TD3_SPECIMEN "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" \
                     "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
#define TD2_SPECIMEN "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n" \
                     "D231458907UTO7408122F1204159<<<<<<<6"
#define TD1_SPECIMEN "I<UTOD231458907<<<<<<<<<<<<<<<\n" \
                     "7408122F1204159UTO<<<<<<<<<<<6\n" \
                     "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
#define GERMAN_ID    "IDD<<T220001293<<<<<<<<<<<<<<<\n" \
                     "6408125<2010315D<<<<<<<<<<<<<4\n" \
                     "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"

static void
test_check_digit (void)
{
  g_assert_cmpint (sb_mrz_check_digit ("L898902C3", -1), ==, 6);
  g_assert_cmpint (sb_mrz_check_digit ("740812", -1), ==, 2);
  g_assert_cmpint (sb_mrz_check_digit ("<<<<<<<<<<<<<<", -1), ==, 0);
  g_assert_cmpint (sb_mrz_check_digit ("", -1), ==, 0);
  g_assert_cmpint (sb_mrz_check_digit ("AB-12", -1), ==, -1);
  g_assert_cmpint (sb_mrz_check_digit ("ab12", -1), ==, -1);
}

static void
assert_all_checks_pass (const SbMrz *mrz)
{
  for (guint i = 0; i < SB_MRZ_N_CHECKS; i++)
    if (mrz->checks[i].present)
      {
        g_test_message ("%s: printed %c, computed %c", sb_mrz_check_name (i), mrz->checks[i].printed,
                        mrz->checks[i].computed);
        g_assert_true (mrz->checks[i].valid);
      }
  g_assert_true (sb_mrz_is_valid (mrz));
}

static void
test_td3_specimen (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbMrz) mrz = sb_mrz_parse (TD3_SPECIMEN, &error);

  g_assert_no_error (error);
  g_assert_cmpint (mrz->format, ==, SB_MRZ_FORMAT_TD3);
  g_assert_cmpstr (mrz->document_code, ==, "P");
  g_assert_cmpstr (mrz->issuing_state, ==, "UTO");
  g_assert_cmpstr (mrz->family_name, ==, "ERIKSSON");
  g_assert_cmpstr (mrz->given_names, ==, "ANNA MARIA");
  g_assert_false (mrz->name_truncated);
  g_assert_cmpstr (mrz->document_number, ==, "L898902C3");
  g_assert_cmpstr (mrz->nationality, ==, "UTO");
  g_assert_cmpstr (mrz->birth_date, ==, "1974-08-12");
  g_assert_cmpint (mrz->sex, ==, 'F');
  g_assert_cmpstr (mrz->expiry_date, ==, "2012-04-15");
  g_assert_cmpstr (mrz->optional_data, ==, "ZE184226B");
  g_assert_true (mrz->checks[SB_MRZ_CHECK_OPTIONAL_DATA].present);
  g_assert_cmpuint (mrz->n_repairs, ==, 0);
  assert_all_checks_pass (mrz);
}

static void
test_td2_specimen (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbMrz) mrz = sb_mrz_parse (TD2_SPECIMEN, &error);

  g_assert_no_error (error);
  g_assert_cmpint (mrz->format, ==, SB_MRZ_FORMAT_TD2);
  g_assert_cmpstr (mrz->document_code, ==, "I");
  g_assert_cmpstr (mrz->family_name, ==, "ERIKSSON");
  g_assert_cmpstr (mrz->given_names, ==, "ANNA MARIA");
  g_assert_cmpstr (mrz->document_number, ==, "D23145890");
  g_assert_cmpstr (mrz->birth_date, ==, "1974-08-12");
  g_assert_cmpstr (mrz->expiry_date, ==, "2012-04-15");
  g_assert_false (mrz->checks[SB_MRZ_CHECK_OPTIONAL_DATA].present);
  assert_all_checks_pass (mrz);
}

static void
test_td1_specimen (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbMrz) mrz = sb_mrz_parse (TD1_SPECIMEN, &error);

  g_assert_no_error (error);
  g_assert_cmpint (mrz->format, ==, SB_MRZ_FORMAT_TD1);
  g_assert_cmpstr (mrz->document_number, ==, "D23145890");
  g_assert_cmpstr (mrz->family_name, ==, "ERIKSSON");
  g_assert_cmpstr (mrz->given_names, ==, "ANNA MARIA");
  g_assert_cmpstr (mrz->nationality, ==, "UTO");
  g_assert_cmpstr (mrz->optional_data, ==, "");
  assert_all_checks_pass (mrz);
}

/* Germany writes itself "D<<"; forms want DEU. */
static void
test_german_id_card (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbMrz) mrz = sb_mrz_parse (GERMAN_ID, &error);
  g_autofree char *alpha3 = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonObject *object;

  g_assert_no_error (error);
  g_assert_cmpstr (mrz->document_code, ==, "ID");
  g_assert_cmpstr (mrz->issuing_state, ==, "D");
  g_assert_cmpstr (mrz->nationality, ==, "D");
  alpha3 = sb_mrz_country_to_alpha3 (mrz->nationality);
  g_assert_cmpstr (alpha3, ==, "DEU");
  g_assert_cmpint (mrz->sex, ==, 'X');
  g_assert_cmpstr (mrz->family_name, ==, "MUSTERMANN");
  g_assert_cmpstr (mrz->given_names, ==, "ERIKA");
  assert_all_checks_pass (mrz);

  json = sb_mrz_to_json (mrz);
  object = json_node_get_object (json);
  g_assert_cmpstr (json_object_get_string_member (object, "nationality"), ==, "DEU");
  g_assert_true (json_object_get_boolean_member (object, "valid"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (object, "checks"),
                                                                                 "composite"), "computed"), ==, "4");
}

/* A changed digit fails its own check and the composite, and says so. */
static void
test_failed_check_digit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbMrz) mrz = sb_mrz_parse ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                                       "L898902C36UTO7408132F1204159ZE184226B<<<<<10", &error);

  g_assert_no_error (error);
  g_assert_true (mrz->checks[SB_MRZ_CHECK_DOCUMENT_NUMBER].valid);
  g_assert_false (mrz->checks[SB_MRZ_CHECK_BIRTH_DATE].valid);
  g_assert_cmpint (mrz->checks[SB_MRZ_CHECK_BIRTH_DATE].printed, ==, '2');
  g_assert_cmpint (mrz->checks[SB_MRZ_CHECK_BIRTH_DATE].computed, ==, '3');
  g_assert_false (mrz->checks[SB_MRZ_CHECK_COMPOSITE].valid);
  g_assert_false (sb_mrz_is_valid (mrz));
  /* The date itself is a real date: it is read, but not trusted. */
  g_assert_cmpstr (mrz->birth_date, ==, "1974-08-13");
}

/* Part 3, 4.6: an unknown day or month is filler; the check digit counts it as 0. */
static void
test_unknown_birth_day (void)
{
  g_autofree char *line2 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *composite = NULL;
  g_autoptr(SbMrz) mrz = NULL;
  char body[] = "L898902C36UTO74<<<<0F1204159ZE184226B<<<<<1";
  int birth_check = sb_mrz_check_digit ("74<<<<", 6);

  body[19] = (char)('0' + birth_check);
  composite = g_strdup_printf ("%.10s%.7s%.22s", body, body + 13, body + 21);
  line2 = g_strdup_printf ("%s%d", body, sb_mrz_check_digit (composite, -1));
  text = g_strconcat ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n", line2, NULL);
  mrz = sb_mrz_parse (text, NULL);

  g_assert_nonnull (mrz);
  g_assert_cmpstr (mrz->birth_date, ==, "1974");
  assert_all_checks_pass (mrz);
}

/* An all-filler personal number may have '<' as its check digit (Part 4, 4.2.2). */
static void
test_filler_check_digit (void)
{
  g_autoptr(SbMrz) mrz = sb_mrz_parse ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                                       "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<0", NULL);
  g_autofree char *composite = g_strdup_printf ("%.10s%.7s%.22s", mrz->lines[1], mrz->lines[1] + 13, mrz->lines[1] + 21);

  g_assert_cmpstr (mrz->optional_data, ==, "");
  g_assert_true (mrz->checks[SB_MRZ_CHECK_OPTIONAL_DATA].valid);
  g_assert_cmpint (mrz->checks[SB_MRZ_CHECK_COMPOSITE].computed, ==, '0' + sb_mrz_check_digit (composite, -1));
}

/* Part 5 note j: a document number of more than nine characters goes on
 * in the optional data, ending in its check digit. */
static void
test_long_document_number (void)
{
  char line1[31];
  char line2[] = "7408122F1204159UTO<<<<<<<<<<<0";
  g_autofree char *composite = NULL;
  g_autofree char *text = NULL;
  g_autoptr(SbMrz) mrz = NULL;
  int check = sb_mrz_check_digit ("D23145890123", -1);

  g_snprintf (line1, sizeof line1, "I<UTOD23145890<123%d<<<<<<<<<<<", check);
  composite = g_strdup_printf ("%.25s%.7s%.7s%.11s", line1 + 5, line2, line2 + 8, line2 + 18);
  line2[29] = (char)('0' + sb_mrz_check_digit (composite, -1));
  text = g_strdup_printf ("%s\n%s\nERIKSSON<<ANNA<MARIA<<<<<<<<<<", line1, line2);
  mrz = sb_mrz_parse (text, NULL);

  g_assert_nonnull (mrz);
  g_assert_cmpstr (mrz->document_number, ==, "D23145890123");
  g_assert_cmpstr (mrz->optional_data, ==, "");
  assert_all_checks_pass (mrz);
}

/* A name that fills its field to the last position may go on. */
static void
test_truncated_name (void)
{
  g_autoptr(SbMrz) mrz = sb_mrz_parse ("I<UTOD231458907<<<<<<<<<<<<<<<\n"
                                       "7408122F1204159UTO<<<<<<<<<<<6\n"
                                       "WOLFESCHLEGELSTEINHAUSEN<<HUBE", NULL);

  g_assert_true (mrz->name_truncated);
  g_assert_cmpstr (mrz->given_names, ==, "HUBE");
}

static void
test_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbMrz) wrong_length = sb_mrz_parse ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<\n"
                                                "L898902C36UTO7408122F1204159ZE184226B<<<<10", &error);
  g_autoptr(SbMrz) nothing = NULL;
  g_autoptr(SbMrz) bad_char = NULL;

  g_assert_null (wrong_length);
  g_assert_error (error, SB_MRZ_ERROR, SB_MRZ_ERROR_MALFORMED);
  g_clear_error (&error);

  nothing = sb_mrz_parse ("Bundesrepublik Deutschland\nPersonalausweis\n", &error);
  g_assert_null (nothing);
  g_assert_error (error, SB_MRZ_ERROR, SB_MRZ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  bad_char = sb_mrz_parse ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                           "L898902C36UTO74O8122F1204159ZE184226B<<<<<1-", &error);
  g_assert_null (bad_char);
  g_assert_error (error, SB_MRZ_ERROR, SB_MRZ_ERROR_MALFORMED);
}

/* Blanks, lower case and text around the zone are what people paste. */
static void
test_surrounding_text (void)
{
  g_autoptr(SbMrz) mrz = sb_mrz_parse ("Passport / Passeport\n"
                                       "p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\n"
                                       "L898902C36 UTO7408122F1204159ZE184226B<<<<<10\n"
                                       "\n", NULL);

  g_assert_nonnull (mrz);
  assert_all_checks_pass (mrz);
}

/* What OCR gets wrong: O for 0 in a date, a missing filler, a 5 in a name,
 * « for <, an O for the 0 in the document number. */
static void
test_ocr_repairs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbMrz) mrz = sb_mrz_parse_ocr ("P<UTOERIK55ON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<\n"
                                           "L8989O2C36UTO74O8122F12O4159ZE184226B<<«<<10", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (mrz->lines[0], ==, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<");
  g_assert_cmpstr (mrz->lines[1], ==, "L898902C36UTO7408122F1204159ZE184226B<<<<<10");
  g_assert_cmpuint (mrz->n_repairs, ==, 6);
  assert_all_checks_pass (mrz);
}

/* 8 and B at two places of "L89B902C3" move the check digit alike: which
 * one OCR got wrong cannot be known, so neither is changed. */
static void
test_ocr_ambiguous_look_alike (void)
{
  g_autoptr(SbMrz) mrz = sb_mrz_parse_ocr ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                                           "L89B902C36UTO7408122F1204159ZE184226B<<<<<10", NULL);

  g_assert_nonnull (mrz);
  g_assert_cmpstr (mrz->document_number, ==, "L89B902C3");
  g_assert_false (mrz->checks[SB_MRZ_CHECK_DOCUMENT_NUMBER].valid);
  g_assert_false (sb_mrz_is_valid (mrz));
}

/* After the given names only fillers follow: a speck read as a letter there goes. */
static void
test_ocr_name_end (void)
{
  g_autoptr(SbMrz) mrz = sb_mrz_parse_ocr ("I<UTOD231458907<<<<<<<<<<<<<<<\n"
                                           "7408122F1204159UTO<<<<<<<<<<<6\n"
                                           "ERIKSSON<<ANNA<MARIA<<<<<<K<<<", NULL);

  g_assert_nonnull (mrz);
  g_assert_cmpstr (mrz->given_names, ==, "ANNA MARIA");
  g_assert_cmpuint (mrz->n_repairs, ==, 1);
}

/* A look-alike is only taken when exactly one spelling passes; a wrong
 * check digit stays wrong. */
static void
test_ocr_does_not_invent (void)
{
  g_autoptr(SbMrz) mrz = sb_mrz_parse_ocr ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                                           "L898902C36UTO7408122F1204158ZE184226B<<<<<10", NULL);

  g_assert_nonnull (mrz);
  g_assert_false (mrz->checks[SB_MRZ_CHECK_EXPIRY_DATE].valid);
  g_assert_false (mrz->checks[SB_MRZ_CHECK_COMPOSITE].valid);
  g_assert_false (sb_mrz_is_valid (mrz));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mrz/check-digit", test_check_digit);
  g_test_add_func ("/mrz/td3-specimen", test_td3_specimen);
  g_test_add_func ("/mrz/td2-specimen", test_td2_specimen);
  g_test_add_func ("/mrz/td1-specimen", test_td1_specimen);
  g_test_add_func ("/mrz/german-id-card", test_german_id_card);
  g_test_add_func ("/mrz/failed-check-digit", test_failed_check_digit);
  g_test_add_func ("/mrz/unknown-birth-day", test_unknown_birth_day);
  g_test_add_func ("/mrz/filler-check-digit", test_filler_check_digit);
  g_test_add_func ("/mrz/long-document-number", test_long_document_number);
  g_test_add_func ("/mrz/truncated-name", test_truncated_name);
  g_test_add_func ("/mrz/malformed", test_malformed);
  g_test_add_func ("/mrz/surrounding-text", test_surrounding_text);
  g_test_add_func ("/mrz/ocr-repairs", test_ocr_repairs);
  g_test_add_func ("/mrz/ocr-name-end", test_ocr_name_end);
  g_test_add_func ("/mrz/ocr-ambiguous-look-alike", test_ocr_ambiguous_look_alike);
  g_test_add_func ("/mrz/ocr-does-not-invent", test_ocr_does_not_invent);

  return g_test_run ();
}
