/* bench-mrz.c — from a 300 dpi scan to the prefilled form, against
 * tesseract alone on the same strip; and how many fields come out right
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scans are synthetic (tests/mrz-specimen.c): OCR-B at ten characters
 * to the inch, turned by up to three degrees, blurred and noisy in turn.
 */

#include <locale.h>
#include <tesseract/capi.h>

#include "mrz-specimen.h"
#include "sb-citizen.h"
#include "sb-identity-document.h"
#include "sb-mrz-reader.h"

#define FIELDS 7

static double
now (void)
{
  return g_get_monotonic_time () / (double)G_USEC_PER_SEC;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, values->len / 2);
}

/* What the form gets: the citizen and the document, as the app prefills them. */
static guint
prefill_and_count (const SbMrz       *mrz,
                   const MrzSpecimen *specimen)
{
  g_autoptr(SbCitizen) citizen = sb_citizen_new ();
  g_autoptr(SbIdentityDocument) document = sb_identity_document_new ();
  g_autofree char *nationality = sb_mrz_country_to_alpha3 (mrz->nationality);
  guint right = 0;

  sb_citizen_set_family_name_latin (citizen, mrz->family_name);
  sb_citizen_set_given_names_latin (citizen, mrz->given_names);
  sb_citizen_set_birth_date (citizen, mrz->birth_date);
  sb_citizen_set_nationality (citizen, nationality);
  sb_identity_document_set_number (document, mrz->document_number);
  sb_identity_document_set_expiry_date (document, mrz->expiry_date);

  right += g_strcmp0 (sb_citizen_get_family_name_latin (citizen), specimen->family_name) == 0;
  right += g_strcmp0 (sb_citizen_get_given_names_latin (citizen), specimen->given_names) == 0;
  right += g_strcmp0 (sb_citizen_get_birth_date (citizen), specimen->birth_date) == 0;
  right += g_strcmp0 (sb_citizen_get_nationality (citizen), specimen->nationality) == 0;
  right += g_strcmp0 (sb_identity_document_get_number (document), specimen->document_number) == 0;
  right += g_strcmp0 (sb_identity_document_get_expiry_date (document), specimen->expiry_date) == 0;
  right += mrz->sex == specimen->sex;
  return right;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint)atoi (argv[1]) : 60;
  g_autoptr(GArray) pipeline = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (double));
  guint fields_right = 0, valid = 0, invalid_but_wrong = 0, flagged_wrong = 0;
  TessBaseAPI *tesseract = TessBaseAPICreate ();
  double first_read = 0;

  setlocale (LC_ALL, "");
  if (TessBaseAPIInit3 (tesseract, NULL, "eng") != 0)
    {
      g_printerr ("bench-mrz: tesseract's English data is missing\n");
      return 1;
    }
  TessBaseAPISetVariable (tesseract, "tessedit_char_whitelist", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<");
  TessBaseAPISetPageSegMode (tesseract, PSM_SINGLE_BLOCK);

  for (guint i = 0; i < n; i++)
    {
      SbMrzFormat format = (SbMrzFormat)(i % 3);
      g_autoptr(MrzSpecimen) specimen = mrz_specimen_new (format, 5000 + i);
      double degrees = ((int)(i % 13) - 6) * 0.5;
      PIX *scan = mrz_specimen_render (specimen, degrees, (int)(i % 3), (i % 4) * 4.0, i);
      SbMrzReadStats stats = { 0 };
      g_autoptr(SbMrz) mrz = NULL;
      PIX *strip;
      double started;
      guint right = 0;

      started = now ();
      mrz = sb_mrz_read_image (scan, &stats, NULL);
      if (mrz != NULL)
        right = prefill_and_count (mrz, specimen);
      if (i == 0)
        first_read = now () - started;
      else
        g_array_append_vals (pipeline, (double[]) { now () - started }, 1);

      /* The reference: tesseract alone, same settings, on the strip the reader found. */
      strip = sb_mrz_find_zone (scan, NULL);
      if (strip != NULL)
        {
          char *text;

          started = now ();
          TessBaseAPISetImage2 (tesseract, strip);
          text = TessBaseAPIGetUTF8Text (tesseract);
          if (i > 0)
            g_array_append_vals (bare, (double[]) { now () - started }, 1);
          TessDeleteText (text);
          pixDestroy (&strip);
        }

      fields_right += right;
      if (mrz != NULL && sb_mrz_is_valid (mrz))
        {
          valid++;
          if (right < FIELDS)
            invalid_but_wrong++;
        }
      else if (right < FIELDS)
        flagged_wrong++;
      if (right < FIELDS && g_getenv ("SB_BENCH_VERBOSE") != NULL)
        g_print ("%s\n--\n%s\n", specimen->mrz, stats.ocr_text ? stats.ocr_text : "(nothing)");
      if (right < FIELDS)
        g_print ("  image %u (%s, %+.1f°, blur %u, noise %.0f): %u of %d fields right%s\n", i,
                 sb_mrz_format_name (format), degrees, i % 3, (i % 4) * 4.0, right, FIELDS,
                 mrz != NULL && sb_mrz_is_valid (mrz) ? "" : " — shown as failed check digits");
      sb_mrz_read_stats_clear (&stats);
      pixDestroy (&scan);
    }
  TessBaseAPIEnd (tesseract);
  TessBaseAPIDelete (tesseract);

  g_print ("MRZ: %u synthetic 300 dpi scans (TD1, TD2, TD3; ±3°, blur, noise)\n", n);
  g_print ("  first read (tesseract's model loading) %.0f ms\n", first_read * 1000);
  g_print ("  scan → prefilled form: median %.0f ms; tesseract alone on the same strip: median %.0f ms; ratio %.2f\n",
           median (pipeline) * 1000, median (bare) * 1000, median (pipeline) / median (bare));
  g_print ("  fields right: %u of %u (%.1f %%); all check digits passed: %u of %u\n", fields_right, n * FIELDS,
           100.0 * fields_right / (n * FIELDS), valid, n);
  g_print ("  passed all check digits yet a field wrong (the dangerous kind): %u; wrong and shown as failed: %u\n",
           invalid_but_wrong, flagged_wrong);
  return 0;
}
