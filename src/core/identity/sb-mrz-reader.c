/* sb-mrz-reader.c — the machine-readable zone read off a scan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The zone is found before anything is recognised: the page's dark parts
 * are joined along each line, and the two or three long lines of equal
 * height lowest on the page are the zone; that strip is straightened on its
 * own. Only the strip goes to tesseract, limited to the zone's alphabet and
 * without its dictionaries (a name is not an English word).
 *
 * What makes it OCR-B aware: the typeface of the zone is monospaced at ten
 * characters to the inch and every line has a fixed number of positions.
 * So each character tesseract finds is put on that grid by where it stands,
 * not by how many came before it; fillers that tesseract merged or dropped
 * (its commonest mistake on runs of "<") leave their positions empty, and
 * an empty position is a filler. Then sb_mrz_parse_ocr() repairs by field
 * alphabet and check digits.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gmodule.h>
#include <tesseract/capi.h>

#include "sb-mrz-reader.h"
#include "sb-page-ops.h"

static const char MRZ_ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

/* tesseract and what it links (libarchive, libcurl…) are large: the app
 * loads them when the first zone is read, not when it starts. */
static struct
{
  __typeof__ (TessBaseAPIClear) *BaseAPIClear;
  __typeof__ (TessBaseAPICreate) *BaseAPICreate;
  __typeof__ (TessBaseAPIDelete) *BaseAPIDelete;
  __typeof__ (TessBaseAPIEnd) *BaseAPIEnd;
  __typeof__ (TessBaseAPIGetIterator) *BaseAPIGetIterator;
  __typeof__ (TessBaseAPIGetUTF8Text) *BaseAPIGetUTF8Text;
  __typeof__ (TessBaseAPIInit4) *BaseAPIInit4;
  __typeof__ (TessBaseAPIRecognize) *BaseAPIRecognize;
  __typeof__ (TessBaseAPISetImage2) *BaseAPISetImage2;
  __typeof__ (TessBaseAPISetPageSegMode) *BaseAPISetPageSegMode;
  __typeof__ (TessBaseAPISetRectangle) *BaseAPISetRectangle;
  __typeof__ (TessBaseAPISetSourceResolution) *BaseAPISetSourceResolution;
  __typeof__ (TessBaseAPISetVariable) *BaseAPISetVariable;
  __typeof__ (TessDeleteText) *DeleteText;
  __typeof__ (TessPageIteratorBoundingBox) *PageIteratorBoundingBox;
  __typeof__ (TessPageIteratorIsAtBeginningOf) *PageIteratorIsAtBeginningOf;
  __typeof__ (TessPageIteratorNext) *PageIteratorNext;
  __typeof__ (TessResultIteratorDelete) *ResultIteratorDelete;
  __typeof__ (TessResultIteratorGetPageIterator) *ResultIteratorGetPageIterator;
  __typeof__ (TessResultIteratorGetUTF8Text) *ResultIteratorGetUTF8Text;
} tess;

static gboolean
load_tesseract (GError **error)
{
  static const char *names[] = { "libtesseract.so.5", "libtesseract.so" };
  static const struct
  {
    const char *symbol;
    gsize       offset;
  } symbols[] = {
    { "TessBaseAPIClear", G_STRUCT_OFFSET (__typeof__ (tess), BaseAPIClear) },
    { "TessBaseAPICreate", G_STRUCT_OFFSET (__typeof__ (tess), BaseAPICreate) },
    { "TessBaseAPIDelete", G_STRUCT_OFFSET (__typeof__ (tess), BaseAPIDelete) },
    { "TessBaseAPIEnd", G_STRUCT_OFFSET (__typeof__ (tess), BaseAPIEnd) },
    { "TessBaseAPIGetIterator", G_STRUCT_OFFSET (__typeof__ (tess), BaseAPIGetIterator) },
    { "TessBaseAPIGetUTF8Text", G_STRUCT_OFFSET (__typeof__ (tess), BaseAPIGetUTF8Text) },
    { "TessBaseAPIInit4", G_STRUCT_OFFSET (__typeof__ (tess), BaseAPIInit4) },
    { "TessBaseAPIRecognize", G_STRUCT_OFFSET (__typeof__ (tess), BaseAPIRecognize) },
    { "TessBaseAPISetImage2", G_STRUCT_OFFSET (__typeof__ (tess), BaseAPISetImage2) },
    { "TessBaseAPISetPageSegMode", G_STRUCT_OFFSET (__typeof__ (tess), BaseAPISetPageSegMode) },
    { "TessBaseAPISetRectangle", G_STRUCT_OFFSET (__typeof__ (tess), BaseAPISetRectangle) },
    { "TessBaseAPISetSourceResolution", G_STRUCT_OFFSET (__typeof__ (tess), BaseAPISetSourceResolution) },
    { "TessBaseAPISetVariable", G_STRUCT_OFFSET (__typeof__ (tess), BaseAPISetVariable) },
    { "TessDeleteText", G_STRUCT_OFFSET (__typeof__ (tess), DeleteText) },
    { "TessPageIteratorBoundingBox", G_STRUCT_OFFSET (__typeof__ (tess), PageIteratorBoundingBox) },
    { "TessPageIteratorIsAtBeginningOf", G_STRUCT_OFFSET (__typeof__ (tess), PageIteratorIsAtBeginningOf) },
    { "TessPageIteratorNext", G_STRUCT_OFFSET (__typeof__ (tess), PageIteratorNext) },
    { "TessResultIteratorDelete", G_STRUCT_OFFSET (__typeof__ (tess), ResultIteratorDelete) },
    { "TessResultIteratorGetPageIterator", G_STRUCT_OFFSET (__typeof__ (tess), ResultIteratorGetPageIterator) },
    { "TessResultIteratorGetUTF8Text", G_STRUCT_OFFSET (__typeof__ (tess), ResultIteratorGetUTF8Text) },
  };
  GModule *module = NULL;

  if (tess.BaseAPICreate != NULL)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (names) && module == NULL; i++)
    module = g_module_open (names[i], G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  for (guint i = 0; module != NULL && i < G_N_ELEMENTS (symbols); i++)
    if (!g_module_symbol (module, symbols[i].symbol, (gpointer *)((char *)&tess + symbols[i].offset)))
      {
        memset (&tess, 0, sizeof tess);
        g_module_close (module);
        module = NULL;
      }
  if (module == NULL)
    {
      g_set_error_literal (error, SB_MRZ_ERROR, SB_MRZ_ERROR_NOT_FOUND,
                           _("Text recognition is not installed on this computer, so the machine-readable zone "
                             "cannot be read. Ask IT to install tesseract’s English language data, or type the "
                             "zone’s lines."));
      return FALSE;
    }
  g_module_make_resident (module);
  return TRUE;
}

/* Loading tesseract's model takes longer than reading a zone: one engine
 * is kept, used by one reader at a time. */
static GMutex engine_lock;
static TessBaseAPI *engine;

static void
release_engine (void)
{
  g_mutex_lock (&engine_lock);
  if (engine != NULL)
    {
      tess.BaseAPIEnd (engine);
      tess.BaseAPIDelete (engine);
      engine = NULL;
    }
  g_mutex_unlock (&engine_lock);
}

static TessBaseAPI *
lock_engine (GError **error)
{
  g_mutex_lock (&engine_lock);
  if (engine == NULL && !load_tesseract (error))
    {
      g_mutex_unlock (&engine_lock);
      return NULL;
    }
  if (engine == NULL)
    {
      char load_system_dawg[] = "load_system_dawg", load_freq_dawg[] = "load_freq_dawg", off[] = "0";
      char *names[] = { load_system_dawg, load_freq_dawg };
      char *values[] = { off, off };
      TessBaseAPI *api = tess.BaseAPICreate ();

      if (tess.BaseAPIInit4 (api, NULL, "eng", OEM_DEFAULT, NULL, 0, names, values, G_N_ELEMENTS (names), FALSE) != 0)
        {
          tess.BaseAPIDelete (api);
          g_mutex_unlock (&engine_lock);
          g_set_error_literal (error, SB_MRZ_ERROR, SB_MRZ_ERROR_NOT_FOUND,
                               _("Text recognition is not installed on this computer, so the machine-readable zone "
                                 "cannot be read. Ask IT to install tesseract’s English language data, or type the "
                                 "zone’s lines."));
          return NULL;
        }
      tess.BaseAPISetVariable (api, "tessedit_char_whitelist", MRZ_ALPHABET);
      tess.BaseAPISetPageSegMode (api, PSM_SINGLE_BLOCK);
      engine = api;
      /* tesseract's own caches complain at exit about a model still loaded. */
      atexit (release_engine);
    }
  return engine;
}

static void
unlock_engine (void)
{
  tess.BaseAPIClear (engine);
  g_mutex_unlock (&engine_lock);
}

void
sb_mrz_read_stats_clear (SbMrzReadStats *stats)
{
  g_clear_pointer (&stats->ocr_text, g_free);
  if (stats->zone != NULL)
    boxDestroy (&stats->zone);
}

static PIX *
to_gray (PIX *image)
{
  switch (pixGetDepth (image))
    {
    case 8:
      return pixGetColormap (image) != NULL ? pixRemoveColormap (image, REMOVE_CMAP_TO_GRAYSCALE) : pixClone (image);
    case 32:
      return pixConvertRGBToLuminance (image);
    default:
      return pixConvertTo8 (image, FALSE);
    }
}

typedef struct
{
  int x, y, w, h;
} Rect;

static int
compare_int (gconstpointer a,
             gconstpointer b)
{
  return *(const int *)a - *(const int *)b;
}

static int
compare_top (gconstpointer a,
             gconstpointer b)
{
  return ((const Rect *)a)->y - ((const Rect *)b)->y;
}

/* The lowest run of two or three long lines of one height. */
static gboolean
find_lines (PIX  *gray,
            Rect *zone,
            int  *line_height)
{
  int width = pixGetWidth (gray);
  int brick = MAX (width / 45, 6);
  g_autoptr(PIX) binary = NULL;
  g_autoptr(PIX) joined = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (Rect));
  BOXA *boxes;
  int n_lines = 0;

  if (pixOtsuAdaptiveThreshold (gray, MAX (width, 16), MAX (pixGetHeight (gray), 16), 0, 0, 0.1f, NULL, &binary) != 0 ||
      binary == NULL)
    return FALSE;
  joined = pixCloseBrick (NULL, binary, brick, 1);
  boxes = pixConnCompBB (joined, 8);
  for (int i = 0; boxes != NULL && i < boxaGetCount (boxes); i++)
    {
      Rect r;

      boxaGetBoxGeometry (boxes, i, &r.x, &r.y, &r.w, &r.h);
      if (r.w >= width / 2 && r.h >= 8 && r.h <= width / 14)
        g_array_append_val (lines, r);
    }
  boxaDestroy (&boxes);
  if (lines->len == 0)
    return FALSE;

  g_array_sort (lines, compare_top);
  {
    Rect *last = &g_array_index (lines, Rect, lines->len - 1);
    int top = last->y, bottom = last->y + last->h, left = last->x, right = last->x + last->w;

    n_lines = 1;
    for (int i = (int)lines->len - 2; i >= 0 && n_lines < 3; i--)
      {
        Rect *above = &g_array_index (lines, Rect, i);
        double ratio = (double)above->h / last->h;

        if (ratio < 0.6 || ratio > 1.6 || top - (above->y + above->h) > 3 * last->h)
          break;
        top = above->y;
        left = MIN (left, above->x);
        right = MAX (right, above->x + above->w);
        n_lines++;
      }
    if (n_lines < 2)
      return FALSE;
    zone->x = left;
    zone->y = top;
    zone->w = right - left;
    zone->h = bottom - top;
    *line_height = last->h;
  }
  return TRUE;
}

/* The zone's lines are long and dense: their angle is found at full
 * resolution even when blur or noise hide the rest of a card's. */
static double
zone_skew (PIX *gray)
{
  g_autoptr(PIX) binary = NULL;
  l_float32 angle = 0, confidence = 0;

  if (pixOtsuAdaptiveThreshold (gray, pixGetWidth (gray), pixGetHeight (gray), 0, 0, 0.1f, NULL, &binary) != 0 ||
      binary == NULL)
    return 0;
  if (pixFindSkewSweepAndSearch (binary, &angle, &confidence, 1, 1, 7.0f, 0.5f, 0.01f) != 0 ||
      confidence < 1.5f || fabsf (angle) < 0.2f)
    return 0;
  return angle;
}

static PIX *
clip (PIX  *pix,
      Rect *r,
      int   margin_x,
      int   margin_y,
      BOX **where)
{
  BOX *box = boxCreate (MAX (r->x - margin_x, 0), MAX (r->y - margin_y, 0), r->w + 2 * margin_x, r->h + 2 * margin_y);
  PIX *part = pixClipRectangle (pix, box, NULL);

  if (where != NULL)
    *where = box;
  else
    boxDestroy (&box);
  return part;
}

/**
 * sb_mrz_find_zone:
 * @image: a scan of the page or card with the zone, any depth
 * @zone: (out) (optional): where the zone is on @image (scaled to 300 dpi
 *   or less)
 *
 * The zone is found first and straightened on its own: a card has too
 * little text elsewhere for the page's skew to be measured, the zone's
 * dense lines always have enough.
 *
 * Returns: (transfer full) (nullable): the zone's strip, straightened and
 *   gray with a margin, or %NULL when there are no lines like a zone's
 */
PIX *
sb_mrz_find_zone (PIX  *image,
                  BOX **zone)
{
  g_autoptr(PIX) gray = to_gray (image);
  g_autoptr(PIX) rough = NULL;
  g_autoptr(PIX) level = NULL;
  double angle = 0;
  Rect r;
  int line_height = 0;

  if (gray == NULL)
    return NULL;
  /* Zone characters are about 30 pixels high at 300 dpi: more is only slower. */
  if (pixGetWidth (gray) > 2400)
    {
      PIX *half = pixScaleAreaMap2 (gray);

      g_clear_pointer (&gray, sb_pix_destroy);
      gray = half;
    }

  if (!find_lines (gray, &r, &line_height))
    {
      /* Turned so far that the lines ran into each other: straighten the page first. */
      g_autoptr(PIX) page = sb_page_deskew (gray, &angle);

      if (!find_lines (page, &r, &line_height))
        return NULL;
      g_clear_pointer (&gray, sb_pix_destroy);
      gray = g_steal_pointer (&page);
    }

  rough = clip (gray, &r, line_height, line_height, zone);
  angle = zone_skew (rough);
  level = angle != 0 ? pixRotate (rough, (l_float32)(angle * M_PI / 180), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0)
                     : NULL;
  if (level != NULL && find_lines (level, &r, &line_height))
    return clip (level, &r, line_height, line_height / 2, NULL);
  return clip (gray, &r, line_height, line_height / 2, NULL);
}

typedef struct
{
  char c;
  int  x1, x2;
  int  y1, y2;
  int  height;
} Glyph;

/* tesseract, on one position of the zone alone. */
typedef char (*ReadCellFunc) (gpointer data,
                              int      x1,
                              int      y1,
                              int      x2,
                              int      y2,
                              int      letter_height);

static gboolean
is_filler_look_alike (char c)
{
  return c == 'K' || c == 'X' || c == 'S' || c == 'E';
}

static int
median (GArray *values)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_int);
  return g_array_index (values, int, values->len / 2);
}

/* OCR-B's filler is a chevron lower than letters and digits; tesseract,
 * trained on prose, reads one now and then as a K, an S, an E or an X. Such a
 * character as high as the fillers around it is one.
 *
 * Returns: the height of the line's letters and digits */
static int
fillers_by_height (GArray *glyphs)
{
  g_autoptr(GArray) letters = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) fillers = g_array_new (FALSE, FALSE, sizeof (int));
  int letter_height, filler_height;

  for (guint i = 0; i < glyphs->len; i++)
    {
      Glyph *g = &g_array_index (glyphs, Glyph, i);

      if (g->c == '<')
        g_array_append_val (fillers, g->height);
      else if (!is_filler_look_alike (g->c))
        g_array_append_val (letters, g->height);
    }
  letter_height = median (letters);
  if (letter_height == 0)
    return 0;
  filler_height = fillers->len > 0 ? median (fillers) : letter_height * 4 / 5;
  for (guint i = 0; i < glyphs->len; i++)
    {
      Glyph *g = &g_array_index (glyphs, Glyph, i);

      if (is_filler_look_alike (g->c) && ABS (g->height - filler_height) < ABS (g->height - letter_height))
        g->c = '<';
    }
  return letter_height;
}

static double
center (const Glyph *g)
{
  return (g->x1 + g->x2) / 2.0;
}

/* Each recognised character on the zone's grid of fixed positions. The
 * first character of a line is never a filler the reader could drop (a
 * document code or a date), so each line starts at its first
 * character; the commonest distance between neighbours is the pitch. Two characters on one position: the wider wins, for what
 * tesseract adds is slivers of its neighbours. What it ran together into
 * one character wider than a position is read again, position by
 * position. */
static char *
place_on_grid (GPtrArray    *lines,
               ReadCellFunc  read_cell,
               gpointer      data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint first = 0, n_lines = lines->len;
  double pitch = 0;
  guint length = 30;

  /* Stray marks above the zone make short lines; the zone is the last two or three. */
  while (n_lines > 3 || (n_lines > 0 && ((GArray *)g_ptr_array_index (lines, first))->len < 15))
    {
      first++;
      n_lines--;
    }
  if (n_lines < 2)
    return NULL;

  if (n_lines == 2)
    {
      guint most = 0;

      for (guint l = first; l < lines->len; l++)
        most = MAX (most, ((GArray *)g_ptr_array_index (lines, l))->len);
      length = ABS ((int)most - 36) < ABS ((int)most - 44) ? 36 : 44;
    }

  /* Most neighbours stand one position apart: the commonest distance is the pitch. */
  {
    g_autoptr(GArray) distances = g_array_new (FALSE, FALSE, sizeof (int));

    for (guint l = first; l < lines->len; l++)
      {
        GArray *glyphs = g_ptr_array_index (lines, l);

        for (guint i = 1; i < glyphs->len; i++)
          {
            int distance = (int)lround (center (&g_array_index (glyphs, Glyph, i)) -
                                        center (&g_array_index (glyphs, Glyph, i - 1)));

            if (distance > 0)
              g_array_append_val (distances, distance);
          }
      }
    if (distances->len == 0)
      return NULL;
    g_array_sort (distances, compare_int);
    pitch = g_array_index (distances, int, distances->len / 2);
  }
  if (pitch <= 0)
    return NULL;

  for (guint l = first; l < lines->len; l++)
    {
      GArray *glyphs = g_ptr_array_index (lines, l);
      g_autofree const Glyph **slots = g_new0 (const Glyph *, length);
      g_autofree char *reread = g_malloc0 (length);
      double origin = center (&g_array_index (glyphs, Glyph, 0));

      int letter_height = fillers_by_height (glyphs);

      for (guint i = 0; i < glyphs->len; i++)
        {
          const Glyph *g = &g_array_index (glyphs, Glyph, i);
          int slot = (int)lround ((center (g) - origin) / pitch);

          if (g_getenv ("SB_MRZ_DEBUG") != NULL)
            g_printerr ("line %u: %c %d–%d h%d → %d\n", l, g->c, g->x1, g->x2, g->height, slot);
          if (g->x2 - g->x1 > pitch * 1.4 && read_cell != NULL)
            {
              int from = (int)lround ((g->x1 + pitch * 0.4 - origin) / pitch);
              int to = (int)lround ((g->x2 - pitch * 0.4 - origin) / pitch);

              for (int k = MAX (from, 0); k <= to && k < (int)length; k++)
                {
                  double middle = origin + k * pitch;

                  reread[k] = read_cell (data, (int)(middle - pitch * 0.55), g->y1 - 2, (int)(middle + pitch * 0.55),
                                         g->y2 + 2, letter_height);
                }
              continue;
            }
          if (slot < 0 || slot >= (int)length)
            continue;
          if (slots[slot] == NULL || g->x2 - g->x1 > slots[slot]->x2 - slots[slot]->x1)
            slots[slot] = g;
        }
      for (guint i = 0; i < length; i++)
        g_string_append_c (text, slots[i] != NULL ? slots[i]->c : reread[i] != '\0' ? reread[i] : '<');
      g_string_append_c (text, '\n');
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

typedef struct
{
  TessBaseAPI *api;
  PIX         *binary;
} Cells;

/* A position inside what tesseract ran together: a filler when its ink is
 * lower than a letter's (the OCR-B chevron), else read on its own. */
static char
read_cell (gpointer data,
           int      x1,
           int      y1,
           int      x2,
           int      y2,
           int      letter_height)
{
  Cells *cells = data;
  BOX *cell = boxCreate (MAX (x1, 0), MAX (y1, 0), x2 - MAX (x1, 0), y2 - MAX (y1, 0));
  PIX *ink = pixClipRectangle (cells->binary, cell, NULL);
  BOX *inked = NULL;
  char *text;
  char c = '<';

  if (ink != NULL && pixClipToForeground (ink, NULL, &inked) == 0 && inked != NULL &&
      (letter_height == 0 || inked->h * 20 >= letter_height * 18))
    {
      tess.BaseAPISetPageSegMode (cells->api, PSM_SINGLE_CHAR);
      tess.BaseAPISetRectangle (cells->api, cell->x, cell->y, cell->w, cell->h);
      text = tess.BaseAPIGetUTF8Text (cells->api);
      if (text != NULL && text[0] != '\0' && strchr (MRZ_ALPHABET, text[0]) != NULL)
        c = text[0];
      tess.DeleteText (text);
      tess.BaseAPISetPageSegMode (cells->api, PSM_SINGLE_BLOCK);
    }
  boxDestroy (&inked);
  boxDestroy (&cell);
  pixDestroy (&ink);
  return c;
}

/* tesseract on the strip: the lines as placed on the grid. */
static char *
recognise (PIX     *strip,
           GError **error)
{
  TessBaseAPI *api = lock_engine (error);
  TessResultIterator *it;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
  char *placed = NULL;

  if (api == NULL)
    return NULL;

  tess.BaseAPISetImage2 (api, strip);
  tess.BaseAPISetSourceResolution (api, 300);
  if (tess.BaseAPIRecognize (api, NULL) != 0)
    {
      unlock_engine ();
      g_set_error_literal (error, SB_MRZ_ERROR, SB_MRZ_ERROR_NOT_FOUND,
                           _("The machine-readable zone could not be recognised. Scan the document again, flat on "
                             "the glass, or type the zone’s lines."));
      return NULL;
    }

  it = tess.BaseAPIGetIterator (api);
  if (it != NULL)
    {
      TessPageIterator *page = tess.ResultIteratorGetPageIterator (it);
      GArray *line = NULL;

      do
        {
          char *symbol;
          int left, top, right, bottom;

          if (line == NULL || tess.PageIteratorIsAtBeginningOf (page, RIL_TEXTLINE))
            {
              line = g_array_new (FALSE, FALSE, sizeof (Glyph));
              g_ptr_array_add (lines, line);
            }
          symbol = tess.ResultIteratorGetUTF8Text (it, RIL_SYMBOL);
          if (symbol != NULL && symbol[0] != '\0' && strchr (MRZ_ALPHABET, symbol[0]) != NULL &&
              tess.PageIteratorBoundingBox (page, RIL_SYMBOL, &left, &top, &right, &bottom))
            {
              Glyph glyph = { symbol[0], left, right, top, bottom, bottom - top };

              g_array_append_val (line, glyph);
            }
          tess.DeleteText (symbol);
        }
      while (tess.PageIteratorNext (page, RIL_SYMBOL));
      tess.ResultIteratorDelete (it);
    }

  for (guint i = lines->len; i > 0; i--)
    if (((GArray *)g_ptr_array_index (lines, i - 1))->len == 0)
      g_ptr_array_remove_index (lines, i - 1);
  {
    Cells cells = { api, NULL };

    pixOtsuAdaptiveThreshold (strip, pixGetWidth (strip), pixGetHeight (strip), 0, 0, 0.1f, NULL, &cells.binary);
    placed = place_on_grid (lines, cells.binary != NULL ? read_cell : NULL, &cells);
    pixDestroy (&cells.binary);
  }
  unlock_engine ();
  if (placed == NULL)
    g_set_error_literal (error, SB_MRZ_ERROR, SB_MRZ_ERROR_NOT_FOUND,
                         _("The lines of the machine-readable zone could not be read. Scan the document again at "
                           "300 dpi or more, or type the zone’s lines."));
  return placed;
}

static guint
passed_checks (const SbMrz *mrz)
{
  guint passed = 0;

  for (guint i = 0; i < SB_MRZ_N_CHECKS; i++)
    passed += mrz->checks[i].present && mrz->checks[i].valid;
  return passed;
}

static SbMrz *
read_upright (PIX             *image,
              SbMrzReadStats  *stats,
              GError         **error)
{
  gint64 started = g_get_monotonic_time ();
  g_autoptr(PIX) strip = NULL;
  g_autofree char *text = NULL;
  BOX *zone = NULL;

  strip = sb_mrz_find_zone (image, &zone);
  stats->find_seconds += (g_get_monotonic_time () - started) / (double)G_USEC_PER_SEC;
  if (strip == NULL)
    {
      g_set_error_literal (error, SB_MRZ_ERROR, SB_MRZ_ERROR_NOT_FOUND,
                           _("No machine-readable zone was found on this scan. It is the two or three lines of "
                             "letters, digits and “<” at the bottom of the photo page or the back of the card: "
                             "scan that side, or type the lines."));
      return NULL;
    }

  started = g_get_monotonic_time ();
  text = recognise (strip, error);
  stats->ocr_seconds += (g_get_monotonic_time () - started) / (double)G_USEC_PER_SEC;
  if (stats->zone != NULL)
    boxDestroy (&stats->zone);
  stats->zone = zone;
  if (text == NULL)
    return NULL;
  g_free (stats->ocr_text);
  stats->ocr_text = g_strdup (text);
  return sb_mrz_parse_ocr (text, error);
}

/**
 * sb_mrz_read_image:
 * @image: a scan (300 dpi is plenty) of the side with the zone
 * @stats: (out caller-allocates) (optional): where the time went; clear
 *   with sb_mrz_read_stats_clear()
 *
 * Blocks for a fraction of a second: call it from a worker thread, or use
 * sb_mrz_read_image_async(). A card scanned upside down is read as well.
 *
 * Returns: (transfer full): what the zone says, every check digit's result
 *   with it, or %NULL with @error set
 */
SbMrz *
sb_mrz_read_image (PIX             *image,
                   SbMrzReadStats  *stats,
                   GError         **error)
{
  SbMrzReadStats upright_stats = { 0 }, turned_stats = { 0 };
  g_autoptr(GError) upright_error = NULL;
  g_autoptr(SbMrz) mrz = NULL;
  g_autoptr(SbMrz) turned_mrz = NULL;
  g_autoptr(PIX) turned = NULL;
  SbMrz *result;

  g_return_val_if_fail (image != NULL, NULL);

  mrz = read_upright (image, &upright_stats, &upright_error);
  if (mrz == NULL || !sb_mrz_is_valid (mrz))
    {
      /* Upside down: the zone is then at the top, and its lines read backwards. */
      turned = pixRotate180 (NULL, image);
      turned_mrz = read_upright (turned, &turned_stats, NULL);
    }

  if (turned_mrz != NULL && (mrz == NULL || passed_checks (turned_mrz) > passed_checks (mrz)))
    {
      result = g_steal_pointer (&turned_mrz);
      turned_stats.find_seconds += upright_stats.find_seconds;
      turned_stats.ocr_seconds += upright_stats.ocr_seconds;
      sb_mrz_read_stats_clear (&upright_stats);
      upright_stats = turned_stats;
    }
  else
    {
      result = g_steal_pointer (&mrz);
      upright_stats.find_seconds += turned_stats.find_seconds;
      upright_stats.ocr_seconds += turned_stats.ocr_seconds;
      sb_mrz_read_stats_clear (&turned_stats);
      if (result == NULL)
        g_propagate_error (error, g_steal_pointer (&upright_error));
    }

  if (stats != NULL)
    *stats = upright_stats;
  else
    sb_mrz_read_stats_clear (&upright_stats);
  return result;
}

static void
read_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  SbMrz *mrz = sb_mrz_read_image (task_data, NULL, &error);

  if (mrz == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, mrz, (GDestroyNotify)sb_mrz_free);
}

/**
 * sb_mrz_read_image_async:
 *
 * sb_mrz_read_image() in a worker thread; @image is kept until it is done.
 */
void
sb_mrz_read_image_async (PIX                 *image,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (image != NULL);

  g_task_set_source_tag (task, sb_mrz_read_image_async);
  g_task_set_task_data (task, pixClone (image), (GDestroyNotify)sb_pix_destroy);
  g_task_run_in_thread (task, read_in_thread);
}

SbMrz *
sb_mrz_read_image_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
