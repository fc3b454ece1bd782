/* mrz-specimen.c — synthetic scans of documents with a machine-readable zone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A card or passport page drawn at 300 dpi the way ICAO 9303 prints it: the
 * zone in OCR-B (Debian's fonts-ocr-b) at ten characters to the inch, a
 * photo, printed text above; then spoiled like a real scan: turned by a
 * few degrees, blurred, with sensor noise.
 */

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "mrz-specimen.h"
#include "sb-mrz.h"

static void
digits (GRand   *rand,
        GString *out,
        guint    n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_c (out, (char)('0' + g_rand_int_range (rand, 0, 10)));
}

static char *
name (GRand *rand,
      guint  min,
      guint  max)
{
  static const char *syllables[] = { "AN", "EL", "KA", "MI", "RO", "SU", "TA", "NE", "LO", "VI", "DA", "OR",
                                     "BE", "HA", "ZE", "YU", "PE", "GI", "WO", "FA", "JU", "QU", "XI", "CE" };
  GString *out = g_string_new (NULL);
  guint n = (guint)g_rand_int_range (rand, (gint32)min, (gint32)max + 1);

  for (guint i = 0; i < n; i++)
    g_string_append (out, syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);
  return g_string_free (out, FALSE);
}

static void
pad (GString *line,
     guint    length)
{
  while (line->len < length)
    g_string_append_c (line, '<');
  g_string_truncate (line, length);
}

static void
append_check (GString    *line,
              const char *text,
              gssize      length)
{
  g_string_append_c (line, (char)('0' + sb_mrz_check_digit (text, length)));
}

/**
 * mrz_specimen_new:
 *
 * A person with a valid zone of @format: every check digit right.
 */
MrzSpecimen *
mrz_specimen_new (SbMrzFormat format,
                  guint32     seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  MrzSpecimen *s = g_new0 (MrzSpecimen, 1);
  g_autoptr(GString) number = g_string_new (NULL);
  g_autoptr(GString) birth = g_string_new (NULL);
  g_autoptr(GString) expiry = g_string_new (NULL);
  g_autoptr(GString) l1 = g_string_new (NULL);
  g_autoptr(GString) l2 = g_string_new (NULL);
  g_autoptr(GString) l3 = g_string_new (NULL);
  g_autoptr(GString) names = g_string_new (NULL);
  static const char *states[] = { "UTO", "TUR", "UKR", "SYR", "AFG", "POL", "D<<", "IRQ", "ROU", "ERI" };
  const char *state = states[g_rand_int_range (rand, 0, G_N_ELEMENTS (states))];
  int year = g_rand_int_range (rand, 40, 100), month = g_rand_int_range (rand, 1, 13), day = g_rand_int_range (rand, 1, 29);
  g_autofree char *composite = NULL;

  s->format = format;
  s->family_name = name (rand, 2, 4);
  s->given_names = name (rand, 2, 3);
  if (g_rand_boolean (rand))
    {
      char *with_second = g_strconcat (s->given_names, " MARIA", NULL);

      g_free (s->given_names);
      s->given_names = with_second;
    }
  s->sex = g_rand_boolean (rand) ? 'F' : 'M';
  s->nationality = sb_mrz_country_to_alpha3 (state);

  /* Issuers avoid letters that look like digits: Germany's numbers use these. */
  g_string_append_c (number, "CFGHJKLMNPRTVWXYZ"[g_rand_int_range (rand, 0, 17)]);
  digits (rand, number, 8);
  s->document_number = g_strdup (number->str);
  g_string_printf (birth, "%02d%02d%02d", year, month, day);
  s->birth_date = g_strdup_printf ("19%02d-%02d-%02d", year, month, day);
  g_string_printf (expiry, "%02d%02d%02d", g_rand_int_range (rand, 27, 36), month, day);
  s->expiry_date = g_strdup_printf ("20%.2s-%02d-%02d", expiry->str, month, day);

  g_string_append_printf (names, "%s<<%s", s->family_name, s->given_names);
  g_strdelimit (names->str, " ", '<');

  switch (format)
    {
    case SB_MRZ_FORMAT_TD1:
      g_string_append_printf (l1, "ID%s%s", state, number->str);
      append_check (l1, number->str, -1);
      pad (l1, 30);
      g_string_append (l2, birth->str);
      append_check (l2, birth->str, -1);
      g_string_append_c (l2, s->sex);
      g_string_append (l2, expiry->str);
      append_check (l2, expiry->str, -1);
      g_string_append (l2, state);
      pad (l2, 29);
      composite = g_strdup_printf ("%.25s%.7s%.7s%.11s", l1->str + 5, l2->str, l2->str + 8, l2->str + 18);
      append_check (l2, composite, -1);
      g_string_append (l3, names->str);
      pad (l3, 30);
      s->mrz = g_strdup_printf ("%s\n%s\n%s", l1->str, l2->str, l3->str);
      break;

    case SB_MRZ_FORMAT_TD2:
    case SB_MRZ_FORMAT_TD3:
    default:
      {
        gboolean td3 = format == SB_MRZ_FORMAT_TD3;
        guint length = td3 ? 44 : 36;

        g_string_append_printf (l1, "%s%s%s", td3 ? "P<" : "AR", state, names->str);
        pad (l1, length);
        g_string_append (l2, number->str);
        append_check (l2, number->str, -1);
        g_string_append (l2, state);
        g_string_append (l2, birth->str);
        append_check (l2, birth->str, -1);
        g_string_append_c (l2, s->sex);
        g_string_append (l2, expiry->str);
        append_check (l2, expiry->str, -1);
        if (td3)
          {
            g_autoptr(GString) personal = g_string_new (NULL);

            digits (rand, personal, 10);
            pad (personal, 14);
            g_string_append (l2, personal->str);
            append_check (l2, personal->str, -1);
            composite = g_strdup_printf ("%.10s%.7s%.22s", l2->str, l2->str + 13, l2->str + 21);
          }
        else
          {
            pad (l2, 35);
            composite = g_strdup_printf ("%.10s%.7s%.14s", l2->str, l2->str + 13, l2->str + 21);
          }
        append_check (l2, composite, -1);
        s->mrz = g_strdup_printf ("%s\n%s", l1->str, l2->str);
      }
      break;
    }
  return s;
}

void
mrz_specimen_free (MrzSpecimen *s)
{
  if (s == NULL)
    return;
  g_free (s->mrz);
  g_free (s->family_name);
  g_free (s->given_names);
  g_free (s->document_number);
  g_free (s->nationality);
  g_free (s->birth_date);
  g_free (s->expiry_date);
  g_free (s);
}

static void
show_text (cairo_t    *cr,
           const char *font,
           double      x,
           double      y,
           const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (description);
  g_object_unref (layout);
}

/**
 * mrz_specimen_render:
 * @degrees: turned by this much (the scan is never quite straight)
 * @blur: 0 sharp, 1 a 3×3 box blur, 2 a 5×5
 * @noise: standard deviation of the sensor noise, in grey levels
 *
 * Returns: (transfer full): an 8-bit grey scan at 300 dpi of the document's
 *   side with the zone, on a white lid
 */
PIX *
mrz_specimen_render (const MrzSpecimen *s,
                     double             degrees,
                     int                blur,
                     double             noise,
                     guint32            seed)
{
  /* ID-1 card 85.6 × 54 mm, TD2 105 × 74, passport page 125 × 88; a lid around it. */
  double mm = 300 / 25.4;
  double doc_w = s->format == SB_MRZ_FORMAT_TD1 ? 85.6 : s->format == SB_MRZ_FORMAT_TD2 ? 105 : 125;
  double doc_h = s->format == SB_MRZ_FORMAT_TD1 ? 54 : s->format == SB_MRZ_FORMAT_TD2 ? 74 : 88;
  int width = (int)((doc_w + 16) * mm), height = (int)((doc_h + 16) * mm);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, width, height);
  cairo_t *cr = cairo_create (surface);
  g_auto(GStrv) lines = g_strsplit (s->mrz, "\n", -1);
  guint n_lines = g_strv_length (lines);
  double pitch = 2.54 * mm;
  double line_step = 4.23 * mm; /* six lines to the inch */
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *caption = NULL;
  PIX *pix, *turned;
  unsigned char *data;
  int stride;

  /* A8 is coverage: 0 is the white lid, 255 full ink. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0);
  cairo_paint (cr);
  cairo_translate (cr, 8 * mm, 8 * mm);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.12);
  cairo_rectangle (cr, 0, 0, doc_w * mm, doc_h * mm);
  cairo_fill (cr);
  /* The photo and what is printed above the zone. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.45);
  cairo_rectangle (cr, 4 * mm, 6 * mm, 24 * mm, 30 * mm);
  cairo_fill (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.9);
  show_text (cr, "DejaVu Sans Bold 8", 32 * mm, 5 * mm, "RESIDENCE PERMIT / AUFENTHALTSTITEL");
  caption = g_strdup_printf ("%s\n%s\n%s   %s", s->family_name, s->given_names, s->birth_date, s->nationality);
  show_text (cr, "DejaVu Sans 7", 32 * mm, 11 * mm, caption);

  /* The zone: OCR-B sized so that its advance is exactly the pitch. */
  {
    PangoLayout *layout = pango_cairo_create_layout (cr);
    PangoFontDescription *description = pango_font_description_from_string ("OCR B");
    PangoRectangle logical;
    double zone_top = doc_h * mm - (n_lines * line_step) - 3 * mm;
    double advance;

    pango_font_description_set_absolute_size (description, 40 * PANGO_SCALE);
    pango_layout_set_font_description (layout, description);
    pango_layout_set_text (layout, "<<<<<<<<<<", -1);
    pango_layout_get_extents (layout, NULL, &logical);
    advance = logical.width / (double)PANGO_SCALE / 10;
    pango_font_description_set_absolute_size (description, 40 * PANGO_SCALE * pitch / advance);
    pango_layout_set_font_description (layout, description);
    for (guint i = 0; i < n_lines; i++)
      {
        pango_layout_set_text (layout, lines[i], -1);
        cairo_move_to (cr, (doc_w * mm - strlen (lines[i]) * pitch) / 2, zone_top + i * line_step);
        pango_cairo_show_layout (cr, layout);
      }
    pango_font_description_free (description);
    g_object_unref (layout);
  }
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  pix = pixCreate (width, height, 8);
  pixSetResolution (pix, 300, 300);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double v = 245 - data[y * stride + x] * 0.9 + g_rand_double_range (rand, -1, 1) * noise * 1.7;

        pixSetPixel (pix, x, y, (l_uint32)CLAMP (v, 0, 255));
      }
  cairo_surface_destroy (surface);

  if (blur > 0)
    {
      PIX *blurred = pixBlockconvGray (pix, NULL, blur, blur);

      pixDestroy (&pix);
      pix = blurred;
    }
  turned = pixRotate (pix, (l_float32)(degrees * M_PI / 180), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
  pixDestroy (&pix);
  pixSetResolution (turned, 300, 300);
  return turned;
}
