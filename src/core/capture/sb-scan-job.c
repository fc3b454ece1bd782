/* sb-scan-job.c — one scan, from pressing the button to the last page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scanner is driven by servicebuero-scan-helper, a process started for
 * this job alone (see src/scan-helper/main.c for what it says). Its output
 * is read asynchronously on the caller's main context: rows arrive, pages
 * are announced as they finish, and whatever the helper does — a fault, a
 * hang, a crash — the pages it finished before are already delivered.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sb-capture-enums.h"
#include "sb-scan-job.h"

#define HELPER_NAME "servicebuero-scan-helper"
#define CANCEL_GRACE_SECONDS 5
/* A scanner that says nothing this long has hung: the slowest flatbeds
 * warm up their lamp in well under a minute. */
#define STALL_SECONDS 90

struct _SbScanJob
{
  GObject           parent_instance;

  SbScanSettings    settings;
  GSubprocess      *helper;
  GDataInputStream *output;
  GCancellable     *io_cancellable;
  GTask            *task;
  GMainContext     *context;
  GCancellable     *cancellable;
  gulong            cancelled_id;
  guint             grace_source;
  guint             stall_source;
  guint             stall_seconds;
  gboolean          stalled;

  guint             n_pages;
  char             *status;

  /* the page being received */
  gboolean          in_page;
  guint             page;
  guint             width;
  int               height;
  guint             channels;
  double            dpi;
  guint             rows;
  guint             incoming_rows;
  GByteArray       *pixels;
};

G_DEFINE_FINAL_TYPE (SbScanJob, sb_scan_job, G_TYPE_OBJECT)

G_DEFINE_QUARK (sb-scan-error-quark, sb_scan_error)

enum
{
  PAGE_STARTED,
  PAGE_PROGRESS,
  PAGE_SCANNED,
  NOTICE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void     read_next_message (SbScanJob *self);
static gboolean on_grace_over     (gpointer   user_data);

/* Timers on the job's own context, which need not be the global default. */
static guint
add_timeout (SbScanJob   *self,
             guint        seconds,
             GSourceFunc  func,
             gboolean     hold)
{
  g_autoptr(GSource) source = g_timeout_source_new_seconds (seconds);

  g_source_set_callback (source, func, hold ? g_object_ref (self) : self, hold ? g_object_unref : NULL);
  return g_source_attach (source, self->context);
}

static void
remove_timeout (SbScanJob *self,
                guint     *id)
{
  GSource *source;

  if (*id == 0)
    return;
  source = g_main_context_find_source_by_id (self->context, *id);
  if (source != NULL)
    g_source_destroy (source);
  *id = 0;
}

/**
 * sb_scan_helper_path:
 *
 * Returns: (transfer full) (nullable): the helper: $SB_SCAN_HELPER, in the
 *   build tree beside the running program, or installed
 */
char *
sb_scan_helper_path (void)
{
  const char *override = g_getenv ("SB_SCAN_HELPER");
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self_path != NULL ? g_path_get_dirname (self_path) : NULL;
  const char *candidates[] = { "scan-helper/" HELPER_NAME, "../scan-helper/" HELPER_NAME,
                               "../src/scan-helper/" HELPER_NAME };
  g_autofree char *installed = g_build_filename (LIBEXECDIR, HELPER_NAME, NULL);

  if (override != NULL && override[0] != '\0')
    return g_strdup (override);
  for (guint i = 0; dir != NULL && i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *path = g_build_filename (dir, candidates[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&path);
    }
  if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&installed);
  return NULL;
}

static GSubprocess *
spawn_helper (const char  *command,
              GError     **error)
{
  g_autofree char *path = sb_scan_helper_path ();

  if (path == NULL)
    {
      g_set_error_literal (error, SB_SCAN_ERROR, SB_SCAN_ERROR_HELPER_FAILED,
                           _("Scanning is not installed completely on this computer (servicebuero-scan-helper is "
                             "missing). Ask IT to reinstall Servicebüro."));
      return NULL;
    }

  return g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, error,
                           path, command, NULL);
}

static void
sb_scan_job_dispose (GObject *object)
{
  SbScanJob *self = SB_SCAN_JOB (object);

  g_cancellable_cancel (self->io_cancellable);
  remove_timeout (self, &self->grace_source);
  remove_timeout (self, &self->stall_source);
  if (self->cancellable != NULL && self->cancelled_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  if (self->helper != NULL)
    g_subprocess_force_exit (self->helper);
  g_clear_object (&self->helper);
  g_clear_object (&self->output);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->io_cancellable);
  g_clear_pointer (&self->pixels, g_byte_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (sb_scan_job_parent_class)->dispose (object);
}

static void
sb_scan_job_finalize (GObject *object)
{
  SbScanJob *self = SB_SCAN_JOB (object);

  g_free (self->settings.device);
  g_free (self->status);

  G_OBJECT_CLASS (sb_scan_job_parent_class)->finalize (object);
}

static void
sb_scan_job_class_init (SbScanJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_scan_job_dispose;
  object_class->finalize = sb_scan_job_finalize;

  /**
   * SbScanJob::page-started:
   * @height: -1 when the scanner does not know (a feeder of odd lengths)
   */
  signals[PAGE_STARTED] = g_signal_new ("page-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                        G_TYPE_UINT, G_TYPE_UINT, G_TYPE_INT);
  /**
   * SbScanJob::page-progress:
   * @fraction: 0…1, or -1 when the page's length is not known
   */
  signals[PAGE_PROGRESS] = g_signal_new ("page-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_DOUBLE);
  signals[PAGE_SCANNED] = g_signal_new ("page-scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                        G_TYPE_UINT, SB_TYPE_RAW_IMAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * SbScanJob::notice:
   * @message: something the clerk should know that did not stop the scan
   */
  signals[NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sb_scan_job_init (SbScanJob *self)
{
  const char *stall = g_getenv ("SB_SCAN_STALL_SECONDS");

  self->io_cancellable = g_cancellable_new ();
  self->stall_seconds = stall != NULL ? (guint)CLAMP (g_ascii_strtoull (stall, NULL, 10), 1, 3600) : STALL_SECONDS;
}

SbScanJob *
sb_scan_job_new (const SbScanSettings *settings)
{
  SbScanJob *self;

  g_return_val_if_fail (settings != NULL && settings->device != NULL, NULL);

  self = g_object_new (SB_TYPE_SCAN_JOB, NULL);
  self->settings = *settings;
  self->settings.device = g_strdup (settings->device);
  if (self->settings.resolution == 0)
    self->settings.resolution = 300;
  return self;
}

const SbScanSettings *
sb_scan_job_get_settings (SbScanJob *self)
{
  g_return_val_if_fail (SB_IS_SCAN_JOB (self), NULL);
  return &self->settings;
}

/**
 * sb_scan_job_get_helper_pid:
 *
 * Returns: the helper's process id while it runs, 0 otherwise; for the
 *   tests that kill it
 */
GPid
sb_scan_job_get_helper_pid (SbScanJob *self)
{
  const char *id;

  g_return_val_if_fail (SB_IS_SCAN_JOB (self), 0);

  id = self->helper != NULL ? g_subprocess_get_identifier (self->helper) : NULL;
  return id != NULL ? (GPid)g_ascii_strtoll (id, NULL, 10) : 0;
}

guint
sb_scan_job_get_n_pages (SbScanJob *self)
{
  g_return_val_if_fail (SB_IS_SCAN_JOB (self), 0);
  return self->n_pages;
}

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value (klass, value);

  return found != NULL ? found->value_nick : NULL;
}

static GError *
error_for_status (const char *status,
                  guint       pages)
{
  int code;
  const char *message;

  if (g_strcmp0 (status, "jammed") == 0)
    code = SB_SCAN_ERROR_JAMMED,
    message = _("The paper is jammed in the scanner. Open the scanner, take out the sheet and scan the pages "
                "that are not shown yet.");
  else if (g_strcmp0 (status, "cover-open") == 0)
    code = SB_SCAN_ERROR_COVER_OPEN,
    message = _("The scanner’s cover is open. Close it and scan again.");
  else if (g_strcmp0 (status, "no-docs") == 0)
    code = SB_SCAN_ERROR_FEEDER_EMPTY,
    message = _("There is no paper in the feeder. Put the pages in the feeder and scan again.");
  else if (g_strcmp0 (status, "busy") == 0)
    code = SB_SCAN_ERROR_BUSY,
    message = _("The scanner is busy with another computer or program. Wait a moment and scan again.");
  else if (g_strcmp0 (status, "io-error") == 0)
    code = SB_SCAN_ERROR_IO,
    message = _("The scanner cannot be reached. Check its cable and power, then scan again.");
  else if (g_strcmp0 (status, "no-device") == 0)
    code = SB_SCAN_ERROR_NO_DEVICE,
    message = _("This scanner is not connected. Connect it, or choose another scanner, and scan again.");
  else if (g_strcmp0 (status, "access-denied") == 0)
    code = SB_SCAN_ERROR_ACCESS_DENIED,
    message = _("This computer may not use the scanner. Ask IT to give this desk access to it.");
  else
    code = SB_SCAN_ERROR_UNSUPPORTED,
    message = _("The scanner refused these settings. Choose another source or resolution and scan again.");

  if (pages == 0)
    return g_error_new_literal (SB_SCAN_ERROR, code, message);

  /* Translators: %s says what went wrong and what to do */
  return g_error_new (SB_SCAN_ERROR, code,
                      g_dngettext (GETTEXT_PACKAGE, "%s The page scanned before is kept.",
                                   "%s The %u pages scanned before are kept.", pages),
                      message, pages);
}

static void
complete (SbScanJob *self,
          GError    *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  remove_timeout (self, &self->grace_source);
  remove_timeout (self, &self->stall_source);
  if (self->cancellable != NULL && self->cancelled_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, self->n_pages);
}

static void
on_helper_exited (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SbScanJob) self = user_data;
  GSubprocess *helper = G_SUBPROCESS (object);

  g_subprocess_wait_finish (helper, result, NULL);

  if (self->stalled)
    {
      complete (self, g_error_new (SB_SCAN_ERROR, SB_SCAN_ERROR_HELPER_FAILED, "%s%s",
                                   _("The scanner stopped responding. Switch it off and on, then scan again."),
                                   self->n_pages > 0 ? _(" The pages scanned before are kept.") : ""));
    }
  else if (self->status == NULL)
    {
      /* It died without a word: a crashed backend, or killed. */
      complete (self, g_error_new (SB_SCAN_ERROR, SB_SCAN_ERROR_HELPER_FAILED,
                                   self->n_pages > 0
                                   ? g_dngettext (GETTEXT_PACKAGE,
                                                  "The scanner stopped working in the middle of a scan. The page "
                                                  "scanned before is kept; scan the rest again. If it happens again, "
                                                  "switch the scanner off and on.",
                                                  "The scanner stopped working in the middle of a scan. The %u pages "
                                                  "scanned before are kept; scan the rest again. If it happens again, "
                                                  "switch the scanner off and on.", self->n_pages)
                                   : _("The scanner stopped working in the middle of a scan. Scan again; if it "
                                       "happens again, switch the scanner off and on."),
                                   self->n_pages));
    }
  else if (g_str_equal (self->status, "ok"))
    complete (self, NULL);
  else if (g_str_equal (self->status, "cancelled"))
    complete (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Scanning was cancelled.")));
  else
    complete (self, error_for_status (self->status, self->n_pages));

  g_clear_object (&self->helper);
}

static void
helper_finished (SbScanJob *self)
{
  if (self->helper == NULL)
    return;
  g_subprocess_wait_async (self->helper, NULL, on_helper_exited, g_object_ref (self));
}

static void
on_rows_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SbScanJob) self = user_data;
  gsize read = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &read, NULL) ||
      read != (gsize)self->incoming_rows * self->width * self->channels)
    {
      if (!g_cancellable_is_cancelled (self->io_cancellable))
        helper_finished (self);
      return;
    }

  self->rows += self->incoming_rows;
  g_signal_emit (self, signals[PAGE_PROGRESS], 0, self->page,
                 self->height > 0 ? MIN (1.0, (double)self->rows / self->height) : -1.0);
  read_next_message (self);
}

static gboolean
handle_message (SbScanJob  *self,
                JsonObject *message)
{
  const char *event = json_object_get_string_member_with_default (message, "event", "");

  if (g_str_equal (event, "page"))
    {
      gint64 width = json_object_get_int_member_with_default (message, "width", 0);
      gint64 height = json_object_get_int_member_with_default (message, "height", -1);
      gint64 channels = json_object_get_int_member_with_default (message, "channels", 0);

      if (width <= 0 || width > SB_PAGE_MAX_PIXELS || height > SB_PAGE_MAX_PIXELS || (channels != 1 && channels != 3))
        return FALSE;

      self->in_page = TRUE;
      self->page = (guint)json_object_get_int_member_with_default (message, "page", self->n_pages + 1);
      self->width = (guint)width;
      self->height = height > 0 ? (int)height : -1;
      self->channels = (guint)channels;
      self->dpi = json_object_get_double_member_with_default (message, "dpi", self->settings.resolution);
      if (self->dpi <= 0)
        self->dpi = self->settings.resolution;
      self->rows = 0;
      g_clear_pointer (&self->pixels, g_byte_array_unref);
      self->pixels = g_byte_array_sized_new (self->height > 0 ? (guint)(width * height * channels) : (guint)(width * channels * 1024));
      g_signal_emit (self, signals[PAGE_STARTED], 0, self->page, self->width, self->height);
      read_next_message (self);
      return TRUE;
    }

  if (g_str_equal (event, "rows"))
    {
      gint64 rows = json_object_get_int_member_with_default (message, "rows", 0);
      gint64 bytes = json_object_get_int_member_with_default (message, "bytes", 0);
      guint before;

      if (!self->in_page || rows <= 0 || bytes != rows * self->width * self->channels ||
          self->rows + rows > SB_PAGE_MAX_PIXELS)
        return FALSE;

      before = self->pixels->len;
      self->incoming_rows = (guint)rows;
      g_byte_array_set_size (self->pixels, before + (guint)bytes);
      g_input_stream_read_all_async (G_INPUT_STREAM (self->output), self->pixels->data + before, (gsize)bytes,
                                     G_PRIORITY_DEFAULT, self->io_cancellable, on_rows_read, g_object_ref (self));
      return TRUE;
    }

  if (g_str_equal (event, "page-done"))
    {
      g_autoptr(SbRawImage) image = NULL;
      g_autoptr(GBytes) pixels = NULL;

      if (!self->in_page || self->rows == 0)
        return FALSE;

      self->in_page = FALSE;
      g_byte_array_set_size (self->pixels, self->rows * self->width * self->channels);
      pixels = g_byte_array_free_to_bytes (g_steal_pointer (&self->pixels));
      image = sb_raw_image_new (self->width, self->rows, self->channels, self->dpi, pixels);
      self->n_pages++;
      g_signal_emit (self, signals[PAGE_SCANNED], 0, self->page, image);
      read_next_message (self);
      return TRUE;
    }

  if (g_str_equal (event, "notice"))
    {
      if (g_strcmp0 (json_object_get_string_member_with_default (message, "notice", ""), "no-duplex") == 0)
        g_signal_emit (self, signals[NOTICE], 0,
                       _("This scanner cannot scan both sides at once. The front sides are scanned; turn the "
                         "pages over and scan again for the backs."));
      read_next_message (self);
      return TRUE;
    }

  if (g_str_equal (event, "done"))
    {
      g_free (self->status);
      self->status = g_strdup (json_object_get_string_member_with_default (message, "status", "invalid"));
      /* The result is in: a helper stuck while it cleans up is ended. */
      if (self->grace_source == 0)
        self->grace_source = add_timeout (self, CANCEL_GRACE_SECONDS, on_grace_over, TRUE);
      read_next_message (self);
      return TRUE;
    }

  return FALSE;
}

static void
on_line_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SbScanJob) self = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *line = NULL;
  gsize length = 0;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object), result, &length, NULL);
  if (g_cancellable_is_cancelled (self->io_cancellable))
    return;

  if (line == NULL)
    {
      remove_timeout (self, &self->stall_source);
      helper_finished (self);
      return;
    }

  if (!json_parser_load_from_data (parser, line, (gssize)length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !handle_message (self, json_node_get_object (json_parser_get_root (parser))))
    {
      /* Garbled output is a broken helper: stop it, keep what arrived. */
      g_warning ("The scan helper said something unexpected; stopping it");
      g_clear_pointer (&self->status, g_free);
      g_subprocess_force_exit (self->helper);
      helper_finished (self);
    }
}

static gboolean
on_stalled (gpointer user_data)
{
  SbScanJob *self = user_data;

  self->stall_source = 0;
  self->stalled = TRUE;
  g_debug ("The scan helper said nothing for %u seconds; stopping it", self->stall_seconds);
  if (self->helper != NULL)
    g_subprocess_force_exit (self->helper);
  return G_SOURCE_REMOVE;
}

static void
read_next_message (SbScanJob *self)
{
  remove_timeout (self, &self->stall_source);
  if (self->task != NULL)
    self->stall_source = add_timeout (self, self->stall_seconds, on_stalled, FALSE);

  g_data_input_stream_read_line_async (self->output, G_PRIORITY_DEFAULT, self->io_cancellable,
                                       on_line_read, g_object_ref (self));
}

static gboolean
on_grace_over (gpointer user_data)
{
  SbScanJob *self = user_data;

  self->grace_source = 0;
  if (self->helper != NULL)
    g_subprocess_force_exit (self->helper);
  return G_SOURCE_REMOVE;
}

static void
on_cancel_written (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
}

static gboolean
send_cancel (gpointer user_data)
{
  SbScanJob *self = user_data;

  if (self->helper != NULL && self->task != NULL)
    {
      g_output_stream_write_all_async (g_subprocess_get_stdin_pipe (self->helper), "cancel\n", 7,
                                       G_PRIORITY_HIGH, NULL, on_cancel_written, NULL);
      /* A backend stuck in sane_read() may never look: give it a moment. */
      if (self->grace_source == 0)
        self->grace_source = add_timeout (self, CANCEL_GRACE_SECONDS, on_grace_over, TRUE);
    }
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              SbScanJob    *self)
{
  /* May run in any thread: act from the job's own context. */
  g_main_context_invoke_full (self->context, G_PRIORITY_HIGH, send_cancel,
                              g_object_ref (self), g_object_unref);
}

static void
on_job_written (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SbScanJob) self = user_data;

  /* A helper that died at once says so by closing its output. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
}

/**
 * sb_scan_job_run_async:
 * @cancellable: cancelling stops the scanner cleanly; the job then finishes
 *   with %G_IO_ERROR_CANCELLED once the scanner has stopped
 *
 * Scans until the page (flatbed) or the feeder is done. Pages are handed
 * over through ::page-scanned as each one finishes.
 */
void
sb_scan_job_run_async (SbScanJob           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *job_text = NULL;
  GBufferedInputStream *buffered;

  g_return_if_fail (SB_IS_SCAN_JOB (self));
  g_return_if_fail (self->task == NULL && self->helper == NULL);

  self->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->task, sb_scan_job_run_async);
  self->context = g_main_context_ref_thread_default ();

  self->helper = spawn_helper ("scan", &error);
  if (self->helper == NULL)
    {
      complete (self, g_steal_pointer (&error));
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "device");
  json_builder_add_string_value (builder, self->settings.device);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, enum_nick (SB_TYPE_SCAN_SOURCE, self->settings.source));
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, enum_nick (SB_TYPE_SCAN_MODE, self->settings.mode));
  json_builder_set_member_name (builder, "resolution");
  json_builder_add_int_value (builder, self->settings.resolution);
  json_builder_set_member_name (builder, "pageSize");
  json_builder_add_string_value (builder, enum_nick (SB_TYPE_PAGE_SIZE, self->settings.page_size));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  job_text = json_to_string (root, FALSE);
  line = g_strconcat (job_text, "\n", NULL);
  g_output_stream_write_all_async (g_subprocess_get_stdin_pipe (self->helper), line, strlen (line),
                                   G_PRIORITY_DEFAULT, NULL, on_job_written, g_object_ref (self));
  /* write_all_async copies nothing: keep the line alive with the job. */
  g_object_set_data_full (G_OBJECT (self), "job-line", g_steal_pointer (&line), g_free);

  self->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->helper));
  buffered = G_BUFFERED_INPUT_STREAM (self->output);
  g_buffered_input_stream_set_buffer_size (buffered, 1024 * 1024);
  g_data_input_stream_set_newline_type (self->output, G_DATA_STREAM_NEWLINE_TYPE_LF);

  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
    }

  read_next_message (self);
}

/**
 * sb_scan_job_run_finish:
 *
 * Returns: the number of pages scanned; on an error, those scanned before
 *   it are counted by sb_scan_job_get_n_pages() and were all delivered
 */
guint
sb_scan_job_run_finish (SbScanJob     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  gssize pages;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  pages = g_task_propagate_int (G_TASK (result), error);
  return pages > 0 ? (guint)pages : 0;
}

void
sb_scanner_info_free (SbScannerInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->vendor);
  g_free (info->model);
  g_free (info->type);
  g_free (info);
}

/**
 * sb_scanner_info_get_label:
 *
 * Returns: (transfer full): "Vendor Model", or the device name
 */
char *
sb_scanner_info_get_label (const SbScannerInfo *info)
{
  if (info->model != NULL && info->model[0] != '\0')
    return g_strstrip (g_strdup_printf ("%s %s", info->vendor ? info->vendor : "", info->model));
  return g_strdup (info->name);
}

static char *
cache_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "servicebuero", "scanners.json", NULL);
}

static GPtrArray *
parse_devices (const char  *text,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func ((GDestroyNotify)sb_scanner_info_free);
  JsonObject *root;
  JsonArray *list;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      (root = json_node_get_object (json_parser_get_root (parser))) == NULL ||
      !json_object_has_member (root, "devices") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "devices")))
    {
      g_set_error_literal (error, SB_SCAN_ERROR, SB_SCAN_ERROR_HELPER_FAILED,
                           _("The list of scanners could not be read. Try again; if it keeps failing, restart "
                             "the computer."));
      return NULL;
    }

  list = json_object_get_array_member (root, "devices");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *device = json_array_get_object_element (list, i);
      SbScannerInfo *info;

      if (device == NULL || !json_object_has_member (device, "name"))
        continue;
      info = g_new0 (SbScannerInfo, 1);
      info->name = g_strdup (json_object_get_string_member_with_default (device, "name", ""));
      info->vendor = g_strdup (json_object_get_string_member_with_default (device, "vendor", ""));
      info->model = g_strdup (json_object_get_string_member_with_default (device, "model", ""));
      info->type = g_strdup (json_object_get_string_member_with_default (device, "type", ""));
      g_ptr_array_add (devices, info);
    }

  return g_steal_pointer (&devices);
}

/**
 * sb_scan_load_device_cache:
 *
 * Returns: (transfer full) (nullable): the scanners found last time, so the
 *   page can offer them at once while a new search runs
 */
GPtrArray *
sb_scan_load_device_cache (void)
{
  g_autofree char *path = cache_path ();
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return parse_devices (text, NULL);
}

static void
on_list_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = cache_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  GPtrArray *devices;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &text, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  devices = parse_devices (text, &error);
  if (devices == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Names and models only: nothing personal in the cache. */
  if (g_mkdir_with_parents (dir, 0700) == 0)
    g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL);
  g_task_return_pointer (task, devices, (GDestroyNotify)g_ptr_array_unref);
}

/**
 * sb_scan_list_devices_async:
 *
 * Asks SANE for the scanners, in the helper: network discovery takes
 * seconds and some backends hang.
 */
void
sb_scan_list_devices_async (GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) helper = spawn_helper ("list", &error);

  g_task_set_source_tag (task, sb_scan_list_devices_async);
  if (helper == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_subprocess_communicate_utf8_async (helper, NULL, cancellable, on_list_done, g_steal_pointer (&task));
}

/**
 * sb_scan_list_devices_finish:
 *
 * Returns: (transfer full) (element-type SbScannerInfo): the scanners
 */
GPtrArray *
sb_scan_list_devices_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
