/* test-mrz-image.c — the zone read off synthetic scans in OCR-B
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "mrz-specimen.h"
#include "sb-mrz-reader.h"

typedef struct
{
  SbMrzFormat format;
  double      degrees;
  int         blur;
  double      noise;
} Spoil;

static const Spoil spoils[] = {
  { SB_MRZ_FORMAT_TD1, 0, 0, 0 },
  { SB_MRZ_FORMAT_TD1, 2.5, 1, 6 },
  { SB_MRZ_FORMAT_TD1, -3, 2, 10 },
  { SB_MRZ_FORMAT_TD2, 0, 0, 0 },
  { SB_MRZ_FORMAT_TD2, -1.5, 1, 8 },
  { SB_MRZ_FORMAT_TD3, 0, 0, 0 },
  { SB_MRZ_FORMAT_TD3, 1, 1, 6 },
  { SB_MRZ_FORMAT_TD3, -2.5, 2, 10 },
};

static void
assert_read_as (const MrzSpecimen *specimen,
                PIX               *scan)
{
  g_autoptr(GError) error = NULL;
  SbMrzReadStats stats = { 0 };
  g_autoptr(SbMrz) mrz = sb_mrz_read_image (scan, &stats, &error);
  g_autofree char *nationality = NULL;

  g_test_message ("expected:\n%s\nread:\n%s", specimen->mrz, stats.ocr_text ? stats.ocr_text : "(nothing)");
  g_assert_no_error (error);
  g_assert_cmpint (mrz->format, ==, specimen->format);
  g_assert_cmpstr (mrz->family_name, ==, specimen->family_name);
  g_assert_cmpstr (mrz->given_names, ==, specimen->given_names);
  g_assert_cmpstr (mrz->document_number, ==, specimen->document_number);
  nationality = sb_mrz_country_to_alpha3 (mrz->nationality);
  g_assert_cmpstr (nationality, ==, specimen->nationality);
  g_assert_cmpstr (mrz->birth_date, ==, specimen->birth_date);
  g_assert_cmpstr (mrz->expiry_date, ==, specimen->expiry_date);
  g_assert_cmpint (mrz->sex, ==, specimen->sex);
  g_assert_true (sb_mrz_is_valid (mrz));
  g_assert_nonnull (stats.zone);
  sb_mrz_read_stats_clear (&stats);
}

static void
test_spoiled_scan (gconstpointer data)
{
  const Spoil *spoil = data;
  guint index = (guint)(spoil - spoils);
  g_autoptr(MrzSpecimen) specimen = mrz_specimen_new (spoil->format, 1000 + index);
  PIX *scan = mrz_specimen_render (specimen, spoil->degrees, spoil->blur, spoil->noise, index);

  assert_read_as (specimen, scan);
  pixDestroy (&scan);
}

/* Laid on the glass the wrong way round. */
static void
test_upside_down (void)
{
  g_autoptr(MrzSpecimen) specimen = mrz_specimen_new (SB_MRZ_FORMAT_TD1, 77);
  PIX *scan = mrz_specimen_render (specimen, 0.5, 1, 4, 77);
  PIX *turned = pixRotate180 (NULL, scan);

  assert_read_as (specimen, turned);
  pixDestroy (&turned);
  pixDestroy (&scan);
}

/* A page without a zone says so in words. */
static void
test_no_zone (void)
{
  PIX *blank = pixCreate (1200, 800, 8);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbMrz) mrz = NULL;

  pixSetAllArbitrary (blank, 240);
  mrz = sb_mrz_read_image (blank, NULL, &error);
  g_assert_null (mrz);
  g_assert_error (error, SB_MRZ_ERROR, SB_MRZ_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "scan that side"));
  pixDestroy (&blank);
}

static void
read_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SbMrz **out = user_data;

  *out = sb_mrz_read_image_finish (result, NULL);
}

static void
test_async (void)
{
  g_autoptr(MrzSpecimen) specimen = mrz_specimen_new (SB_MRZ_FORMAT_TD3, 5);
  PIX *scan = mrz_specimen_render (specimen, 0, 0, 0, 5);
  SbMrz *mrz = NULL;

  sb_mrz_read_image_async (scan, NULL, read_done, &mrz);
  pixDestroy (&scan);
  while (mrz == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (mrz->document_number, ==, specimen->document_number);
  sb_mrz_free (mrz);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (spoils); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mrz-image/%s/turned-%+.1f-blur-%d-noise-%.0f",
                                               sb_mrz_format_name (spoils[i].format), spoils[i].degrees,
                                               spoils[i].blur, spoils[i].noise);

      g_test_add_data_func (path, &spoils[i], test_spoiled_scan);
    }
  g_test_add_func ("/mrz-image/upside-down", test_upside_down);
  g_test_add_func ("/mrz-image/no-zone", test_no_zone);
  g_test_add_func ("/mrz-image/async", test_async);

  return g_test_run ();
}
