/* bench-scan.c — from raw scanner frames to kept pages, against bare
 * libjpeg-turbo on the same frames in the same run; and how long the main
 * loop ever waits during a 20-page batch from the scanner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run through bench/scan (a private keyring, SANE's test device).
 *
 * 1. FRAMES raw 300 dpi A4 colour frames (text, a stamp, a photo) go
 *    through the scan tray as the scan page sends them: straightened,
 *    compressed, encrypted and kept in the store, in the tray's worker
 *    threads. The reference compresses the same frames to JPEG (quality
 *    75) with libjpeg-turbo alone, on one thread, keeping nothing.
 * 2. Twenty pages (two feeder batches of SANE's test device, 300 dpi
 *    colour) are scanned through the helper into the tray while a 1 ms
 *    timer on the main loop records the longest gap between its ticks.
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>

#include "sb-scan-job.h"
#include "sb-scan-tray.h"

#define FRAMES 20
#define WIDTH 2480
#define HEIGHT 3508

static SbRawImage *
make_frame (guint seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  gsize size = (gsize)WIDTH * HEIGHT * 3;
  guchar *pixels = g_malloc (size);
  SbRawImage *image;
  g_autoptr(GBytes) bytes = NULL;

  /* Paper with a little noise. */
  for (gsize i = 0; i < size; i++)
    pixels[i] = 238 + (g_rand_int (rand) & 7);

  /* Forty lines of "words", slightly turned as a feeder turns sheets. */
  for (guint line = 0; line < 70; line++)
    {
      int x = 300;
      int base = 400 + (int)line * 42;

      while (x < 2150)
        {
          int word = g_rand_int_range (rand, 40, 220);

          for (int dx = 0; dx < word && x + dx < 2180; dx++)
            for (int dy = 0; dy < 24; dy++)
              {
                int y = base + dy + (x + dx) / 120;  /* about half a degree */
                guchar *p = pixels + ((gsize)y * WIDTH + x + dx) * 3;

                p[0] = p[1] = p[2] = 30;
              }
          x += word + g_rand_int_range (rand, 20, 45);
        }
    }

  /* A blue stamp and a passport photo's worth of smooth colour. */
  for (int y = 3100; y < 3350; y++)
    for (int x = 1700; x < 2150; x++)
      if ((x - 1925) * (x - 1925) + (y - 3225) * (y - 3225) < 110 * 110)
        {
          guchar *p = pixels + ((gsize)y * WIDTH + x) * 3;

          p[0] = 60, p[1] = 80, p[2] = 200;
        }
  for (int y = 200; y < 650; y++)
    for (int x = 1900; x < 2250; x++)
      {
        guchar *p = pixels + ((gsize)y * WIDTH + x) * 3;

        p[0] = (guchar)(120 + (x - 1900) / 4);
        p[1] = (guchar)(90 + (y - 200) / 5);
        p[2] = (guchar)(70 + ((x + y) & 31));
      }

  g_rand_free (rand);
  bytes = g_bytes_new_take (pixels, size);
  image = sb_raw_image_new (WIDTH, HEIGHT, 3, 300, bytes);
  return image;
}

static gsize
jpeg_reference (const SbRawImage *frame)
{
  struct jpeg_compress_struct info;
  struct jpeg_error_mgr error;
  unsigned char *out = NULL;
  unsigned long out_len = 0;
  const guchar *pixels = g_bytes_get_data (frame->pixels, NULL);

  info.err = jpeg_std_error (&error);
  jpeg_create_compress (&info);
  jpeg_mem_dest (&info, &out, &out_len);
  info.image_width = frame->width;
  info.image_height = frame->height;
  info.input_components = 3;
  info.in_color_space = JCS_RGB;
  jpeg_set_defaults (&info);
  jpeg_set_quality (&info, 75, TRUE);
  jpeg_start_compress (&info, TRUE);
  while (info.next_scanline < info.image_height)
    {
      JSAMPROW row = (JSAMPROW)(pixels + (gsize)info.next_scanline * frame->width * 3);

      jpeg_write_scanlines (&info, &row, 1);
    }
  jpeg_finish_compress (&info);
  jpeg_destroy_compress (&info);
  free (out);
  return out_len;
}

typedef struct
{
  gint64 last;
  gint64 longest;
  gint64 started;
} Stall;

static gboolean
on_tick (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0 && now - stall->last > stall->longest)
    stall->longest = now - stall->last;
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  SbScanTray *tray;
  SbTrayPage *page;
  guint       pages;
  gboolean    done;
  GError     *error;
} Batch;

static void
on_page_started (SbScanJob *job,
                 guint      number,
                 guint      width,
                 int        height,
                 Batch     *batch)
{
  batch->page = sb_scan_tray_begin_page (batch->tray);
}

static void
on_page_progress (SbScanJob *job,
                  guint      number,
                  double     fraction,
                  Batch     *batch)
{
  sb_tray_page_set_progress (batch->page, fraction);
}

static void
on_page_scanned (SbScanJob  *job,
                 guint       number,
                 SbRawImage *image,
                 Batch      *batch)
{
  sb_scan_tray_finish_page (batch->tray, batch->page, image, SB_PDF_MODE_COLOR, SB_PROCESS_DESKEW);
  batch->pages++;
}

static void
on_batch_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Batch *batch = user_data;

  sb_scan_job_run_finish (SB_SCAN_JOB (object), result, &batch->error);
  batch->done = TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("sb-bench-scan-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbStore) store = NULL;
  g_autoptr(SbScanTray) tray = NULL;
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_raw_image_free);
  g_autofree char *remove = NULL;
  gint64 start;
  double reference_seconds, tray_seconds, scan_seconds;
  gsize reference_bytes = 0;
  Stall stall = { 0 };
  Batch batch = { 0 };
  guint tick;
  SbScanSettings settings = { .device = (char *)"test:0", .source = SB_SCAN_SOURCE_FEEDER,
                              .mode = SB_SCAN_MODE_COLOR, .resolution = 300, .page_size = SB_PAGE_SIZE_A4 };

  setlocale (LC_ALL, "C.UTF-8");
  setMsgSeverity (L_SEVERITY_NONE);

  store = sb_store_open (dir, NULL, &error);
  if (store == NULL)
    {
      g_printerr ("bench-scan: %s\n", error->message);
      return 1;
    }
  sb_store_set_staff (store, "bench");

  /* Four different sheets, each fed five times. */
  for (guint i = 0; i < FRAMES; i++)
    g_ptr_array_add (frames, i < 4 ? make_frame (i + 1) : sb_raw_image_copy (g_ptr_array_index (frames, i % 4)));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < FRAMES; i++)
    reference_bytes += jpeg_reference (g_ptr_array_index (frames, i));
  reference_seconds = (g_get_monotonic_time () - start) / 1e6;

  tray = sb_scan_tray_new (store);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < FRAMES; i++)
    {
      SbTrayPage *page = sb_scan_tray_begin_page (tray);

      sb_scan_tray_finish_page (tray, page, g_ptr_array_index (frames, i), SB_PDF_MODE_COLOR, SB_PROCESS_DESKEW);
    }
  sb_scan_tray_wait_idle (tray);
  tray_seconds = (g_get_monotonic_time () - start) / 1e6;

  printf ("scan: %u raw 300 dpi A4 colour frames (%.0f MB) on %u processors\n", FRAMES,
          FRAMES * (double)WIDTH * HEIGHT * 3 / 1e6, g_get_num_processors ());
  printf ("  reference  libjpeg-turbo q75, one thread, nothing kept: %6.2f pages/s (%.0f KB a page)\n",
          FRAMES / reference_seconds, reference_bytes / 1024.0 / FRAMES);
  printf ("  tray       straightened, JPEG, encrypted, in the store:   %6.2f pages/s\n", FRAMES / tray_seconds);
  printf ("  ratio      %.2f (tray pages/s ÷ reference pages/s; higher is better)\n",
          reference_seconds / tray_seconds);

  sb_scan_tray_clear (tray);
  sb_scan_tray_wait_idle (tray);

  /* Twenty pages from the scanner, through the helper. */
  batch.tray = tray;
  tick = g_timeout_add (1, on_tick, &stall);
  start = g_get_monotonic_time ();
  for (guint round = 0; round < 2 && batch.error == NULL; round++)
    {
      g_autoptr(SbScanJob) job = sb_scan_job_new (&settings);

      batch.done = FALSE;
      g_signal_connect (job, "page-started", G_CALLBACK (on_page_started), &batch);
      g_signal_connect (job, "page-progress", G_CALLBACK (on_page_progress), &batch);
      g_signal_connect (job, "page-scanned", G_CALLBACK (on_page_scanned), &batch);
      sb_scan_job_run_async (job, NULL, on_batch_done, &batch);
      while (!batch.done)
        g_main_context_iteration (NULL, TRUE);
    }
  sb_scan_tray_wait_idle (tray);
  scan_seconds = (g_get_monotonic_time () - start) / 1e6;
  g_source_remove (tick);

  if (batch.error != NULL)
    {
      g_printerr ("bench-scan: %s\n", batch.error->message);
      return 1;
    }
  printf ("batch: %u pages from SANE's test device (two feeder loads, 300 dpi colour) into the tray: %.1f s, %.2f pages/s\n",
          batch.pages, scan_seconds, batch.pages / scan_seconds);
  printf ("  longest main-loop stall: %.1f ms (goal: none over 50 ms)\n", stall.longest / 1000.0);

  sb_scan_tray_clear (tray);
  sb_scan_tray_wait_idle (tray);
  g_clear_object (&tray);
  g_clear_object (&store);
  remove = g_strdup_printf ("rm -rf '%s'", dir);
  return system (remove) == 0 ? 0 : 1;
}
