/* test-scan.c — scanning through the helper with SANE's test backend, and
 * the scan tray on a real store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/keyring-session (the tray keeps pages in an encrypted
 * store). Each case writes its own SANE configuration: the test backend's
 * fault statuses, its feeder of ten sheets, a slow read for cancelling.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "sb-scan-job.h"
#include "sb-scan-tray.h"

static char *sane_dir;

/* The test device, allowed A4, with @extra lines of test.conf. */
static void
configure_sane (const char *extra)
{
  g_autofree char *dll = g_build_filename (sane_dir, "dll.conf", NULL);
  g_autofree char *test = g_build_filename (sane_dir, "test.conf", NULL);
  g_autofree char *conf = g_strdup_printf ("number_of_devices 1\n"
                                           "enable-test-options true\n"
                                           "geometry_max 300.0\nbr_x 210.0\nbr_y 297.0\n"
                                           "%s\n", extra != NULL ? extra : "");

  g_assert_true (g_file_set_contents (dll, "test\n", -1, NULL));
  g_assert_true (g_file_set_contents (test, conf, -1, NULL));
}

typedef struct
{
  GPtrArray *images;
  guint      started;
  guint      progress_events;
  GError    *error;
  guint      pages;
  gboolean   done;
  SbScanJob *job;
  GCancellable *cancellable;
  guint      cancel_after_progress;
  guint      kill_on_page;
  SbScanTray *tray;
  SbTrayPage *current;
} Run;

static void
on_page_started (SbScanJob *job,
                 guint      page,
                 guint      width,
                 int        height,
                 Run       *run)
{
  run->started++;
  g_assert_cmpuint (page, ==, run->started);
  g_assert_cmpuint (width, >, 0);

  if (run->tray != NULL)
    run->current = sb_scan_tray_begin_page (run->tray);

  /* The helper, killed like a crashing backend would be, mid-page. */
  if (run->kill_on_page != 0 && page == run->kill_on_page)
    g_assert_cmpint (kill (sb_scan_job_get_helper_pid (job), SIGKILL), ==, 0);
}

static void
on_page_progress (SbScanJob *job,
                  guint      page,
                  double     fraction,
                  Run       *run)
{
  g_assert_cmpfloat (fraction, >, 0);
  g_assert_cmpfloat (fraction, <=, 1);
  run->progress_events++;
  if (run->tray != NULL)
    sb_tray_page_set_progress (run->current, fraction);
  if (run->cancel_after_progress != 0 && run->progress_events == run->cancel_after_progress)
    g_cancellable_cancel (run->cancellable);
}

static void
on_page_scanned (SbScanJob  *job,
                 guint       page,
                 SbRawImage *image,
                 Run        *run)
{
  g_ptr_array_add (run->images, sb_raw_image_copy (image));
  if (run->tray != NULL)
    sb_scan_tray_finish_page (run->tray, run->current, image, SB_PDF_MODE_GRAY, SB_PROCESS_DESKEW);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->pages = sb_scan_job_run_finish (SB_SCAN_JOB (object), result, &run->error);
  run->done = TRUE;
}

static void
run_scan (Run          *run,
          SbScanSource  source,
          SbScanMode    mode,
          guint         resolution)
{
  SbScanSettings settings = { .device = (char *)"test:0", .source = source, .mode = mode,
                              .resolution = resolution, .page_size = SB_PAGE_SIZE_A4 };

  run->images = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_raw_image_free);
  run->job = sb_scan_job_new (&settings);
  g_signal_connect (run->job, "page-started", G_CALLBACK (on_page_started), run);
  g_signal_connect (run->job, "page-progress", G_CALLBACK (on_page_progress), run);
  g_signal_connect (run->job, "page-scanned", G_CALLBACK (on_page_scanned), run);
  sb_scan_job_run_async (run->job, run->cancellable, on_done, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->images, g_ptr_array_unref);
  g_clear_error (&run->error);
  g_clear_object (&run->cancellable);
  if (run->job != NULL)
    g_assert_finalize_object (run->job);
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
test_list_devices (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) cached = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  SbScannerInfo *first;

  configure_sane (NULL);
  sb_scan_list_devices_async (NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  devices = sb_scan_list_devices_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 1);
  first = g_ptr_array_index (devices, 0);
  g_assert_cmpstr (first->name, ==, "test:0");
  label = sb_scanner_info_get_label (first);
  g_assert_cmpstr (label, ==, "Noname frontend-tester");

  /* Next start, the list is there before SANE has answered. */
  cached = sb_scan_load_device_cache ();
  g_assert_nonnull (cached);
  g_assert_cmpstr (((SbScannerInfo *)g_ptr_array_index (cached, 0))->name, ==, "test:0");
}

static void
test_flatbed_page (void)
{
  Run run = { 0 };
  SbRawImage *image;

  configure_sane ("test-picture \"Color pattern\"");
  run_scan (&run, SB_SCAN_SOURCE_FLATBED, SB_SCAN_MODE_COLOR, 100);

  g_assert_no_error (run.error);
  g_assert_cmpuint (run.pages, ==, 1);
  g_assert_cmpuint (run.images->len, ==, 1);
  image = g_ptr_array_index (run.images, 0);
  /* A4 at 100 dpi, in colour. */
  g_assert_cmpuint (image->width, ==, 826);
  g_assert_cmpuint (image->height, ==, 1169);
  g_assert_cmpuint (image->channels, ==, 3);
  g_assert_cmpfloat (image->dpi, ==, 100);
  g_assert_cmpuint (run.progress_events, >, 1);
  run_clear (&run);
}

static void
test_feeder_batch (void)
{
  Run run = { 0 };

  /* The test backend's feeder holds ten sheets; the empty feeder after
   * them is the end of the batch, not an error. */
  configure_sane (NULL);
  run_scan (&run, SB_SCAN_SOURCE_FEEDER, SB_SCAN_MODE_GRAY, 75);

  g_assert_no_error (run.error);
  g_assert_cmpuint (run.pages, ==, 10);
  g_assert_cmpuint (run.started, ==, 10);
  g_assert_cmpuint (run.images->len, ==, 10);
  g_assert_cmpuint (((SbRawImage *)g_ptr_array_index (run.images, 9))->channels, ==, 1);
  run_clear (&run);
}

static void
on_notice (SbScanJob  *job,
           const char *message,
           char      **notice)
{
  g_free (*notice);
  *notice = g_strdup (message);
}

static void
test_duplex_falls_back (void)
{
  Run run = { 0 };
  g_autofree char *notice = NULL;
  SbScanSettings settings = { .device = (char *)"test:0", .source = SB_SCAN_SOURCE_DUPLEX,
                              .mode = SB_SCAN_MODE_GRAY, .resolution = 50, .page_size = SB_PAGE_SIZE_A5 };

  /* The test device has no duplex unit: the fronts are scanned, and the
   * clerk is told to turn the pages over. */
  configure_sane (NULL);
  run.images = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_raw_image_free);
  run.job = sb_scan_job_new (&settings);
  g_signal_connect (run.job, "page-scanned", G_CALLBACK (on_page_scanned), &run);
  g_signal_connect (run.job, "notice", G_CALLBACK (on_notice), &notice);
  sb_scan_job_run_async (run.job, NULL, on_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (run.error);
  g_assert_cmpuint (run.pages, ==, 10);
  g_assert_nonnull (notice);
  g_assert_nonnull (strstr (notice, "both sides"));
  /* A5 at 50 dpi. */
  g_assert_cmpuint (((SbRawImage *)g_ptr_array_index (run.images, 0))->height, <, 420);
  run_clear (&run);
}

static const struct
{
  const char *status;
  int         code;
  const char *words;
} faults[] = {
  { "SANE_STATUS_JAMMED", SB_SCAN_ERROR_JAMMED, "jammed" },
  { "SANE_STATUS_COVER_OPEN", SB_SCAN_ERROR_COVER_OPEN, "cover" },
  { "SANE_STATUS_NO_DOCS", SB_SCAN_ERROR_FEEDER_EMPTY, "no paper" },
  { "SANE_STATUS_IO_ERROR", SB_SCAN_ERROR_IO, "cable" },
  { "SANE_STATUS_DEVICE_BUSY", SB_SCAN_ERROR_BUSY, "busy" },
  { "SANE_STATUS_ACCESS_DENIED", SB_SCAN_ERROR_ACCESS_DENIED, "access" },
};

static void
test_fault (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autofree char *conf = g_strdup_printf ("read-status-code \"%s\"", faults[i].status);
  Run run = { 0 };

  configure_sane (conf);
  run_scan (&run, SB_SCAN_SOURCE_FEEDER, SB_SCAN_MODE_GRAY, 75);

  g_assert_error (run.error, SB_SCAN_ERROR, faults[i].code);
  g_test_message ("%s: %s", faults[i].status, run.error->message);
  g_assert_nonnull (strstr (run.error->message, faults[i].words));
  g_assert_cmpuint (run.images->len, ==, 0);
  g_assert_cmpuint (sb_scan_job_get_n_pages (run.job), ==, 0);
  run_clear (&run);
}

static void
test_no_such_device (void)
{
  Run run = { 0 };
  SbScanSettings settings = { .device = (char *)"test:7", .resolution = 75 };

  configure_sane (NULL);
  run.images = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_raw_image_free);
  run.job = sb_scan_job_new (&settings);
  sb_scan_job_run_async (run.job, NULL, on_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_error (run.error, SB_SCAN_ERROR, SB_SCAN_ERROR_NO_DEVICE);
  run_clear (&run);
}

static void
on_first_page_cancel (SbScanJob *job,
                      guint      page,
                      guint      width,
                      int        height,
                      Run       *run)
{
  if (page == 1)
    g_cancellable_cancel (run->cancellable);
}

static void
test_cancel_mid_page (void)
{
  Run run = { 0 };
  gint64 started;
  SbScanSettings settings = { .device = (char *)"test:0", .source = SB_SCAN_SOURCE_FEEDER,
                              .mode = SB_SCAN_MODE_COLOR, .resolution = 300, .page_size = SB_PAGE_SIZE_A4 };

  /* Cancelled as the first sheet starts: the scanner stops, the batch of
   * ten does not go on, and a page that was not finished is not handed
   * over as if it were. */
  configure_sane ("test-picture \"Color pattern\"");
  run.cancellable = g_cancellable_new ();
  run.images = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_raw_image_free);
  run.job = sb_scan_job_new (&settings);
  g_signal_connect (run.job, "page-started", G_CALLBACK (on_first_page_cancel), &run);
  g_signal_connect (run.job, "page-scanned", G_CALLBACK (on_page_scanned), &run);
  started = g_get_monotonic_time ();
  sb_scan_job_run_async (run.job, run.cancellable, on_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (run.images->len, <=, 1);
  for (guint i = 0; i < run.images->len; i++)
    g_assert_cmpuint (((SbRawImage *)g_ptr_array_index (run.images, i))->height, ==, 3507);
  /* Stopped by the scanner itself, not by the five-second grace. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 4 * G_USEC_PER_SEC);
  run_clear (&run);
}

static void
test_helper_killed (void)
{
  Run run = { 0 };

  /* The helper dies during the third sheet: the two before are delivered
   * and the message says so. */
  configure_sane (NULL);
  run.kill_on_page = 3;
  run_scan (&run, SB_SCAN_SOURCE_FEEDER, SB_SCAN_MODE_GRAY, 75);

  g_assert_error (run.error, SB_SCAN_ERROR, SB_SCAN_ERROR_HELPER_FAILED);
  g_test_message ("%s", run.error->message);
  g_assert_cmpuint (run.images->len, ==, 2);
  g_assert_cmpuint (sb_scan_job_get_n_pages (run.job), ==, 2);
  g_assert_nonnull (strstr (run.error->message, "2 pages"));
  run_clear (&run);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static SbStore *
open_store (const char *dir)
{
  g_autoptr(GError) error = NULL;
  SbStore *store = sb_store_open (dir, NULL, &error);

  g_assert_no_error (error);
  sb_store_set_staff (store, "anna.schmidt");
  return store;
}

static void
load_tray (SbScanTray *tray)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sb_scan_tray_load_async (tray, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sb_scan_tray_load_finish (tray, result, &error));
  g_assert_no_error (error);
  /* The pages come in through the main context after the load returns. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sb_scan_tray_wait_idle (tray);
}

static SbTrayPage *
page_at (SbScanTray *tray,
         guint       index)
{
  g_autoptr(SbTrayPage) page = g_list_model_get_item (G_LIST_MODEL (tray), index);

  return page;  /* the tray keeps its own reference */
}

static void
test_tray_feeder_batch_kept (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sb-tray-XXXXXX", NULL);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbScanTray) tray = sb_scan_tray_new (store);
  g_autoptr(SbScanTray) again = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = g_new0 (char *, 11);
  g_autofree char *pdf_text = NULL;
  SbTrayPage *first, *second, *third;
  Run run = { 0 };

  configure_sane ("test-picture \"Grid\"");
  run.tray = tray;
  run_scan (&run, SB_SCAN_SOURCE_FEEDER, SB_SCAN_MODE_GRAY, 75);
  g_assert_no_error (run.error);
  sb_scan_tray_wait_idle (tray);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tray)), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      SbTrayPage *page = page_at (tray, i);
      guint width = 0, height = 0;
      g_autoptr(GBytes) thumbnail = sb_tray_page_get_thumbnail (page, &width, &height);

      g_assert_cmpint (sb_tray_page_get_state (page), ==, SB_TRAY_PAGE_READY);
      g_assert_nonnull (thumbnail);
      g_assert_cmpuint (height, ==, SB_THUMBNAIL_SIZE);
      ids[i] = g_strdup (sb_tray_page_get_id (page));
    }

  /* Edits, and undoing them. */
  first = page_at (tray, 0);
  second = page_at (tray, 1);
  third = page_at (tray, 2);
  sb_scan_tray_rotate (tray, first, 1);
  g_assert_cmpint (sb_tray_page_get_rotation (first), ==, 1);
  sb_scan_tray_delete (tray, second);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tray)), ==, 9);
  sb_scan_tray_move (tray, third, 0);
  g_assert_true (page_at (tray, 0) == third);
  g_assert_true (sb_scan_tray_undo (tray));
  g_assert_true (page_at (tray, 0) == first);
  g_assert_true (sb_scan_tray_undo (tray));
  g_assert_true (page_at (tray, 1) == second);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tray)), ==, 10);
  sb_scan_tray_delete (tray, second);
  sb_scan_tray_move (tray, third, 5);
  sb_scan_tray_wait_idle (tray);

  /* The store has what the clerk sees, and so has the next start. */
  again = sb_scan_tray_new (store);
  load_tray (again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 9);
  g_assert_cmpstr (sb_tray_page_get_id (page_at (again, 0)), ==, ids[0]);
  g_assert_cmpint (sb_tray_page_get_rotation (page_at (again, 0)), ==, 1);
  g_assert_cmpstr (sb_tray_page_get_id (page_at (again, 1)), ==, ids[3]);
  g_assert_cmpstr (sb_tray_page_get_id (page_at (again, 5)), ==, ids[2]);
  entries = sb_store_tray_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 9);  /* the deleted page went for good at the load */

  /* ID card front and back on one page, and back apart. */
  g_assert_true (sb_scan_tray_combine_card (again, page_at (again, 1), page_at (again, 2), &error));
  g_assert_no_error (error);
  sb_scan_tray_wait_idle (again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 8);
  g_assert_cmpint (sb_tray_page_get_state (page_at (again, 1)), ==, SB_TRAY_PAGE_READY);
  g_assert_true (sb_scan_tray_undo (again));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 9);
  g_assert_cmpstr (sb_tray_page_get_id (page_at (again, 1)), ==, ids[3]);

  /* One PDF of the pages as shown. */
  sb_scan_tray_build_pdf_async (again, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  pdf = sb_scan_tray_build_pdf_finish (again, result, &error);
  g_assert_no_error (error);
  pdf_text = g_strndup (g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
  g_assert_true (g_str_has_prefix (pdf_text, "%PDF-"));
  g_assert_nonnull (g_strstr_len (pdf_text, -1, "/Count 9"));

  /* Next citizen: nothing stays. */
  sb_scan_tray_clear (again);
  sb_scan_tray_wait_idle (again);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = sb_store_tray_list (store, &error);
  g_assert_cmpuint (entries->len, ==, 0);

  run_clear (&run);
  g_clear_object (&tray);
  g_clear_object (&again);
  g_clear_object (&store);
  remove_tree (dir);
}

static void
test_tray_keeps_pages_before_crash (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sb-tray-XXXXXX", NULL);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbScanTray) tray = sb_scan_tray_new (store);
  g_autoptr(SbScanTray) again = NULL;
  Run run = { 0 };

  configure_sane (NULL);
  run.tray = tray;
  run.kill_on_page = 4;
  run_scan (&run, SB_SCAN_SOURCE_FEEDER, SB_SCAN_MODE_GRAY, 75);
  g_assert_error (run.error, SB_SCAN_ERROR, SB_SCAN_ERROR_HELPER_FAILED);
  /* The page that never finished leaves; the three before stay. */
  sb_scan_tray_abandon_page (tray, run.current);
  sb_scan_tray_wait_idle (tray);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tray)), ==, 3);

  again = sb_scan_tray_new (store);
  load_tray (again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);

  run_clear (&run);
  g_clear_object (&tray);
  g_clear_object (&again);
  g_clear_object (&store);
  remove_tree (dir);
}

static void
test_tray_drops_blank_backs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sb-tray-XXXXXX", NULL);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbScanTray) tray = sb_scan_tray_new (store);
  g_autoptr(PIX) white = pixCreate (620, 877, 8);
  g_autoptr(PIX) text = pixCreate (620, 877, 8);
  guint dropped = 0;
  BOX *line = boxCreate (60, 100, 500, 12);

  pixSetAllArbitrary (white, 245);
  pixSetAllArbitrary (text, 245);
  pixSetInRectArbitrary (text, line, 20);
  boxDestroy (&line);
  pixSetResolution (white, 75, 75);
  pixSetResolution (text, 75, 75);

  g_signal_connect_swapped (tray, "page-dropped", G_CALLBACK (g_atomic_int_inc), &dropped);
  sb_scan_tray_add_pix (tray, text, SB_PDF_MODE_GRAY, SB_PROCESS_DETECT_BLANK);
  sb_scan_tray_add_pix (tray, white, SB_PDF_MODE_GRAY, SB_PROCESS_DETECT_BLANK);
  sb_scan_tray_wait_idle (tray);

  g_assert_cmpuint (dropped, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tray)), ==, 1);
  g_assert_true (sb_scan_tray_undo (tray));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tray)), ==, 2);
  g_assert_true (sb_tray_page_get_blank (page_at (tray, 1)));

  sb_scan_tray_wait_idle (tray);
  g_clear_object (&tray);
  g_clear_object (&store);
  remove_tree (dir);
}

static void
test_tray_import (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sb-tray-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "letter.tif", NULL);
  g_autofree char *bad = g_build_filename (dir, "notes.txt", NULL);
  g_autoptr(SbStore) store = open_store (dir);
  g_autoptr(SbScanTray) tray = sb_scan_tray_new (store);
  g_autoptr(SbScanTray) again = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) bad_result = NULL;
  g_autoptr(GError) error = NULL;

  /* A three-page TIFF, as a fax or an office scanner writes it. */
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(PIX) page = pixCreate (620, 877, 1);
      BOX *line = boxCreate (60, 100 + i * 40, 500, 12);

      pixSetInRect (page, line);
      boxDestroy (&line);
      pixSetResolution (page, 75, 75);
      g_assert_cmpint (pixWriteTiff (path, page, IFF_TIFF_G4, i == 0 ? "w" : "a"), ==, 0);
    }
  g_assert_true (g_file_set_contents (bad, "not a scan\n", -1, NULL));

  sb_scan_tray_import_async (tray, file, NULL, store_result, &result);
  sb_scan_tray_import_async (tray, bad_file, NULL, store_result, &bad_result);
  while (result == NULL || bad_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (sb_scan_tray_import_finish (tray, result, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpuint (sb_scan_tray_import_finish (tray, bad_result, &error), ==, 0);
  g_assert_error (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_UNSUPPORTED);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sb_scan_tray_wait_idle (tray);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tray)), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (sb_tray_page_get_state (page_at (tray, i)), ==, SB_TRAY_PAGE_READY);

  /* Kept like scanned pages. */
  again = sb_scan_tray_new (store);
  load_tray (again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);

  g_clear_object (&tray);
  g_clear_object (&again);
  g_clear_object (&store);
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  int result;

  setMsgSeverity (L_SEVERITY_NONE);
  sane_dir = g_dir_make_tmp ("sb-sane-XXXXXX", NULL);
  /* Before any thread: each helper started reads the files anew. */
  g_setenv ("SANE_CONFIG_DIR", sane_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", sane_dir, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scan/devices", test_list_devices);
  g_test_add_func ("/scan/flatbed", test_flatbed_page);
  g_test_add_func ("/scan/feeder-batch", test_feeder_batch);
  g_test_add_func ("/scan/duplex-without-duplex", test_duplex_falls_back);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *path = g_strdup_printf ("/scan/fault/%s", faults[i].status + strlen ("SANE_STATUS_"));

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_fault);
    }
  g_test_add_func ("/scan/no-such-device", test_no_such_device);
  g_test_add_func ("/scan/cancel-mid-page", test_cancel_mid_page);
  g_test_add_func ("/scan/helper-killed", test_helper_killed);
  g_test_add_func ("/scan/tray/feeder-batch-kept", test_tray_feeder_batch_kept);
  g_test_add_func ("/scan/tray/pages-before-crash", test_tray_keeps_pages_before_crash);
  g_test_add_func ("/scan/tray/blank-backs", test_tray_drops_blank_backs);
  g_test_add_func ("/scan/tray/import", test_tray_import);

  result = g_test_run ();
  remove_tree (sane_dir);
  return result;
}
