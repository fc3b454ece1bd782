/* main.c — servicebuero-scan-helper: SANE in a process of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Vendor backends crash and hang. They do it here, in a process the app
 * started for one job, not in the app: the app reads what this process
 * writes and survives its death.
 *
 *   servicebuero-scan-helper list
 *     one line of JSON: {"devices":[{"name","vendor","model","type"}…]}
 *   servicebuero-scan-helper scan
 *     reads one line of JSON with the job ({"device","source","mode",
 *     "resolution","pageSize"}), then writes messages. Each message is one
 *     line of JSON; a "rows" message is followed by exactly "bytes" bytes of
 *     pixels: whole rows, 8 bits per sample, gray (1 channel) or RGB (3).
 *     A line "cancel" on stdin, or stdin closing, cancels the job.
 *
 *   {"event":"page","page":N,"width":W,"height":H|-1,"channels":C,"dpi":D}
 *   {"event":"rows","page":N,"rows":R,"bytes":B}  + B bytes
 *   {"event":"page-done","page":N}
 *   {"event":"notice","notice":"no-duplex"}
 *   {"event":"done","pages":N,"status":"ok"|"cancelled"|<fault>}
 *
 * <fault> is one of jammed, cover-open, no-docs, busy, io-error, no-mem,
 * access-denied, invalid, unsupported, no-device: the app words them.
 */

#include "config.h"

#include <errno.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include <sane/sane.h>
#include <sane/saneopts.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CLEANUP_SECONDS 3
#define READER_TAIL_BYTES 4096   /* a pipe holds at least one page of memory */
#define READER_EXIT_WAIT_MS 2000

static SANE_Handle device_handle;
static GMutex device_lock;
static volatile gint cancelled;

static void
emit (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);

  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static const char *
status_word (SANE_Status status)
{
  switch (status)
    {
    case SANE_STATUS_GOOD:
    case SANE_STATUS_EOF:
      return "ok";
    case SANE_STATUS_CANCELLED:
      return "cancelled";
    case SANE_STATUS_DEVICE_BUSY:
      return "busy";
    case SANE_STATUS_JAMMED:
      return "jammed";
    case SANE_STATUS_NO_DOCS:
      return "no-docs";
    case SANE_STATUS_COVER_OPEN:
      return "cover-open";
    case SANE_STATUS_IO_ERROR:
      return "io-error";
    case SANE_STATUS_NO_MEM:
      return "no-mem";
    case SANE_STATUS_ACCESS_DENIED:
      return "access-denied";
    case SANE_STATUS_UNSUPPORTED:
      return "unsupported";
    case SANE_STATUS_INVAL:
    default:
      return "invalid";
    }
}

static void
emit_done (guint       pages,
           const char *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, "done");
  json_builder_set_member_name (builder, "pages");
  json_builder_add_int_value (builder, pages);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_end_object (builder);
  emit (builder);
}

static void
emit_notice (const char *notice)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, "notice");
  json_builder_set_member_name (builder, "notice");
  json_builder_add_string_value (builder, notice);
  json_builder_end_object (builder);
  emit (builder);
}

static int
run_list (void)
{
  const SANE_Device **devices = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  SANE_Status status;

  status = sane_get_devices (&devices, SANE_FALSE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "devices");
  json_builder_begin_array (builder);
  for (guint i = 0; status == SANE_STATUS_GOOD && devices[i] != NULL; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, devices[i]->name);
      json_builder_set_member_name (builder, "vendor");
      json_builder_add_string_value (builder, devices[i]->vendor ? devices[i]->vendor : "");
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, devices[i]->model ? devices[i]->model : "");
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, devices[i]->type ? devices[i]->type : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  emit (builder);

  return status == SANE_STATUS_GOOD ? 0 : 1;
}

static SANE_Int
find_option (const char                     *name,
             const SANE_Option_Descriptor  **descriptor)
{
  SANE_Int count = 0;

  if (sane_control_option (device_handle, 0, SANE_ACTION_GET_VALUE, &count, NULL) != SANE_STATUS_GOOD)
    return -1;

  for (SANE_Int i = 1; i < count; i++)
    {
      const SANE_Option_Descriptor *option = sane_get_option_descriptor (device_handle, i);

      if (option != NULL && option->name != NULL && g_strcmp0 (option->name, name) == 0 &&
          SANE_OPTION_IS_ACTIVE (option->cap) && SANE_OPTION_IS_SETTABLE (option->cap))
        {
          *descriptor = option;
          return i;
        }
    }

  return -1;
}

/* The first of the option's choices that contains one of @wanted and none
 * of @unwanted (case ignored): backends spell sources and modes their own
 * way ("ADF", "ADF Front", "Automatic Document Feeder", "Lineart"…). */
static const char *
pick_choice (const SANE_Option_Descriptor *option,
             const char * const           *wanted,
             const char * const           *unwanted)
{
  if (option->type != SANE_TYPE_STRING || option->constraint_type != SANE_CONSTRAINT_STRING_LIST)
    return NULL;

  for (guint w = 0; wanted[w] != NULL; w++)
    for (guint i = 0; option->constraint.string_list[i] != NULL; i++)
      {
        g_autofree char *choice = g_ascii_strdown (option->constraint.string_list[i], -1);
        gboolean refused = FALSE;

        if (strstr (choice, wanted[w]) == NULL)
          continue;
        for (guint u = 0; unwanted != NULL && unwanted[u] != NULL; u++)
          refused |= strstr (choice, unwanted[u]) != NULL;
        if (!refused)
          return option->constraint.string_list[i];
      }

  return NULL;
}

static gboolean
set_string (const char *name,
            const char *value)
{
  const SANE_Option_Descriptor *option = NULL;
  SANE_Int index = find_option (name, &option);
  g_autofree char *buffer = NULL;

  if (index < 0 || value == NULL)
    return FALSE;

  buffer = g_malloc0 (MAX ((gsize)option->size, strlen (value) + 1));
  strcpy (buffer, value);
  return sane_control_option (device_handle, index, SANE_ACTION_SET_VALUE, buffer, NULL) == SANE_STATUS_GOOD;
}

/* Sets a numeric option to the allowed value nearest @value. */
static gboolean
set_number (const char *name,
            double      value)
{
  const SANE_Option_Descriptor *option = NULL;
  SANE_Int index = find_option (name, &option);
  SANE_Word word;

  if (index < 0 || (option->type != SANE_TYPE_INT && option->type != SANE_TYPE_FIXED))
    return FALSE;

  word = option->type == SANE_TYPE_FIXED ? SANE_FIX (value) : (SANE_Word)(value + 0.5);

  if (option->constraint_type == SANE_CONSTRAINT_RANGE)
    {
      word = CLAMP (word, option->constraint.range->min, option->constraint.range->max);
    }
  else if (option->constraint_type == SANE_CONSTRAINT_WORD_LIST)
    {
      const SANE_Word *list = option->constraint.word_list;
      SANE_Word best = list[1];

      for (SANE_Int i = 1; i <= list[0]; i++)
        if (ABS ((gint64)list[i] - word) < ABS ((gint64)best - word))
          best = list[i];
      word = best;
    }

  return sane_control_option (device_handle, index, SANE_ACTION_SET_VALUE, &word, NULL) == SANE_STATUS_GOOD;
}

static double
option_max (const char *name)
{
  const SANE_Option_Descriptor *option = NULL;
  SANE_Int index = find_option (name, &option);

  if (index < 0 || option->constraint_type != SANE_CONSTRAINT_RANGE)
    return -1;

  return option->type == SANE_TYPE_FIXED ? SANE_UNFIX (option->constraint.range->max)
                                         : option->constraint.range->max;
}

static double
current_resolution (void)
{
  const SANE_Option_Descriptor *option = NULL;
  SANE_Int index = find_option (SANE_NAME_SCAN_RESOLUTION, &option);
  SANE_Word word = 0;

  if (index < 0 || sane_control_option (device_handle, index, SANE_ACTION_GET_VALUE, &word, NULL) != SANE_STATUS_GOOD)
    return 0;

  return option->type == SANE_TYPE_FIXED ? SANE_UNFIX (word) : word;
}

static void
set_page_size (const char *page_size)
{
  double width = option_max (SANE_NAME_SCAN_BR_X), height = option_max (SANE_NAME_SCAN_BR_Y);

  if (g_strcmp0 (page_size, "a4") == 0)
    width = 210, height = 297;
  else if (g_strcmp0 (page_size, "a5") == 0)
    width = 148, height = 210;
  else if (g_strcmp0 (page_size, "id1") == 0)
    width = 85.6, height = 54;  /* ISO/IEC 7810 ID-1 */

  set_number (SANE_NAME_SCAN_TL_X, 0);
  set_number (SANE_NAME_SCAN_TL_Y, 0);
  if (width > 0)
    set_number (SANE_NAME_SCAN_BR_X, width);
  if (height > 0)
    set_number (SANE_NAME_SCAN_BR_Y, height);
}

/* Returns FALSE when the device has no duplex source and one was wanted. */
static gboolean
set_source (const char *source)
{
  const SANE_Option_Descriptor *option = NULL;
  static const char * const flatbed[] = { "flatbed", "platen", "normal", NULL };
  static const char * const duplex[] = { "duplex", NULL };
  static const char * const feeder[] = { "adf", "feeder", "document", NULL };
  static const char * const not_feeder[] = { "duplex", "back", NULL };
  const char *choice = NULL;
  gboolean duplex_ok = TRUE;

  if (find_option (SANE_NAME_SCAN_SOURCE, &option) < 0)
    return g_strcmp0 (source, "duplex") != 0;

  if (g_strcmp0 (source, "duplex") == 0)
    {
      choice = pick_choice (option, duplex, NULL);
      if (choice == NULL)
        {
          duplex_ok = FALSE;
          choice = pick_choice (option, feeder, not_feeder);
        }
    }
  else if (g_strcmp0 (source, "feeder") == 0)
    {
      choice = pick_choice (option, feeder, not_feeder);
    }
  else
    {
      choice = pick_choice (option, flatbed, NULL);
    }

  if (choice != NULL)
    set_string (SANE_NAME_SCAN_SOURCE, choice);

  return duplex_ok;
}

static void
set_mode (const char *mode)
{
  const SANE_Option_Descriptor *option = NULL;
  static const char * const color[] = { "color", "colour", NULL };
  static const char * const gray[] = { "gray", "grey", NULL };
  static const char * const lineart[] = { "lineart", "binary", "black", NULL };
  const char *choice = NULL;

  if (find_option (SANE_NAME_SCAN_MODE, &option) < 0)
    return;

  if (g_strcmp0 (mode, "color") == 0)
    choice = pick_choice (option, color, NULL);
  else if (g_strcmp0 (mode, "bw") == 0)
    choice = pick_choice (option, lineart, NULL);
  /* No lineart mode: gray, and the app makes it black and white. */
  if (choice == NULL)
    choice = pick_choice (option, gray, NULL);

  if (choice != NULL)
    set_string (SANE_NAME_SCAN_MODE, choice);
  set_number (SANE_NAME_BIT_DEPTH, 8);
}

static gpointer
watch_stdin (gpointer data)
{
  char line[64];

  /* "cancel", or the app gone: either way, stop the device. sane_cancel()
   * may be called from another thread while sane_read() blocks. */
  while (fgets (line, sizeof line, stdin) != NULL)
    if (g_str_has_prefix (line, "cancel"))
      break;

  g_atomic_int_set (&cancelled, 1);
  g_mutex_lock (&device_lock);
  if (device_handle != NULL)
    sane_cancel (device_handle);
  g_mutex_unlock (&device_lock);

  return NULL;
}

/* Rows of @parameters converted to 8 bits per sample. */
static void
to_eight_bits (const SANE_Parameters *parameters,
               const guchar          *in,
               guchar                *out,
               guint                  rows,
               guint                  channels)
{
  guint samples = parameters->pixels_per_line * channels;

  for (guint r = 0; r < rows; r++)
    {
      const guchar *line = in + (gsize)r * parameters->bytes_per_line;
      guchar *target = out + (gsize)r * samples;

      if (parameters->depth == 8)
        memcpy (target, line, samples);
      else if (parameters->depth == 16)
        for (guint s = 0; s < samples; s++)
          target[s] = line[2 * s + 1];  /* native endianness: the high byte on little endian */
      else  /* 1 bit, 1 = black */
        for (guint s = 0; s < samples; s++)
          target[s] = (line[s / 8] & (0x80 >> (s % 8))) ? 0 : 255;
    }
}

static void
emit_rows (guint         page,
           const guchar *rows,
           guint         n_rows,
           gsize         bytes)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, "rows");
  json_builder_set_member_name (builder, "page");
  json_builder_add_int_value (builder, page);
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, n_rows);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, bytes);
  json_builder_end_object (builder);
  emit (builder);
  fwrite (rows, 1, bytes, stdout);
  fflush (stdout);
}

/* The threads of this process (0 where /proc cannot tell). */
static guint
count_threads (void)
{
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  guint n = 0;

  if (tasks == NULL)
    return 0;
  while (g_dir_read_name (tasks) != NULL)
    n++;
  return n;
}

/* Waits (at most READER_EXIT_WAIT_MS) until this process is down to
 * @threads threads again. */
static void
wait_for_reader_exit (guint threads)
{
  for (guint waited = 0; waited < READER_EXIT_WAIT_MS && count_threads () > threads; waited++)
    g_usleep (1000);
}

/* One page from sane_start() to its end. Returns the status that ended it:
 * EOF for a complete page.
 *
 * Backends that read in a thread of their own (sanei_thread: the test
 * backend and several vendors') cancel that thread the moment the page's
 * last byte arrives. A thread cancelled on its way out can take a lock of
 * the C library with it (seen: the dynamic linker's, held by an exiting
 * thread), and the next page's sane_start() then hangs for good. So when
 * such a thread was started for the page, the last READER_TAIL_BYTES are
 * read only after it has ended by itself: what it has left to write fits in
 * the pipe between us, so it never waits for us. */
static SANE_Status
scan_page (guint  page,
           double dpi)
{
  SANE_Parameters parameters;
  SANE_Status status;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree guchar *buffer = NULL;
  g_autofree guchar *converted = NULL;
  gsize buffer_size, filled = 0;
  gint64 expected, received = 0;
  guint threads_before = count_threads ();
  gboolean reader_thread, reader_awaited = FALSE;
  guint channels;

  status = sane_start (device_handle);
  if (status != SANE_STATUS_GOOD)
    return status;
  reader_thread = threads_before > 0 && count_threads () > threads_before;

  status = sane_get_parameters (device_handle, &parameters);
  if (status != SANE_STATUS_GOOD)
    return status;
  if (parameters.format != SANE_FRAME_GRAY && parameters.format != SANE_FRAME_RGB)
    return SANE_STATUS_UNSUPPORTED;  /* three-pass scanners: none left at a counter */
  if (parameters.bytes_per_line <= 0 || parameters.pixels_per_line <= 0)
    return SANE_STATUS_INVAL;

  channels = parameters.format == SANE_FRAME_RGB ? 3 : 1;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, "page");
  json_builder_set_member_name (builder, "page");
  json_builder_add_int_value (builder, page);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, parameters.pixels_per_line);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, parameters.lines);
  json_builder_set_member_name (builder, "channels");
  json_builder_add_int_value (builder, channels);
  json_builder_set_member_name (builder, "dpi");
  json_builder_add_double_value (builder, dpi);
  json_builder_end_object (builder);
  emit (builder);

  expected = parameters.lines > 0 ? (gint64)parameters.lines * parameters.bytes_per_line : -1;

  /* About 64 rows at a time: progress a clerk can see, few messages. */
  buffer_size = (gsize)parameters.bytes_per_line * 64;
  buffer = g_malloc (buffer_size);
  converted = g_malloc ((gsize)parameters.pixels_per_line * channels * 64);

  for (;;)
    {
      SANE_Int got = 0;
      gsize wanted = buffer_size - filled;
      guint whole;

      if (reader_thread && expected > 0)
        {
          gint64 left = expected - received;

          if (left > READER_TAIL_BYTES)
            wanted = MIN (wanted, (gsize)(left - READER_TAIL_BYTES));
          else if (!reader_awaited)
            {
              wait_for_reader_exit (threads_before);
              reader_awaited = TRUE;
            }
        }

      status = sane_read (device_handle, buffer + filled, (SANE_Int)wanted, &got);
      received += got;
      if (status != SANE_STATUS_GOOD)
        break;
      filled += got;

      whole = filled / parameters.bytes_per_line;
      if (whole == 64)
        {
          to_eight_bits (&parameters, buffer, converted, whole, channels);
          emit_rows (page, converted, whole, (gsize)whole * parameters.pixels_per_line * channels);
          filled = 0;
        }
    }

  /* A cancelled page can end in what looks like EOF: it is not complete. */
  if (g_atomic_int_get (&cancelled))
    return SANE_STATUS_CANCELLED;

  if (status == SANE_STATUS_EOF)
    {
      guint whole = filled / parameters.bytes_per_line;

      if (whole > 0)
        {
          to_eight_bits (&parameters, buffer, converted, whole, channels);
          emit_rows (page, converted, whole, (gsize)whole * parameters.pixels_per_line * channels);
        }
    }

  return status;
}

static int
run_scan (void)
{
  char line[4096];
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *job;
  const char *device, *source, *mode, *page_size;
  double resolution;
  gboolean feeder;
  SANE_Status status;
  guint pages = 0;
  double dpi;

  if (fgets (line, sizeof line, stdin) == NULL || !json_parser_load_from_data (parser, line, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      emit_done (0, "invalid");
      return 1;
    }

  job = json_node_get_object (json_parser_get_root (parser));
  device = json_object_get_string_member_with_default (job, "device", "");
  source = json_object_get_string_member_with_default (job, "source", "flatbed");
  mode = json_object_get_string_member_with_default (job, "mode", "color");
  page_size = json_object_get_string_member_with_default (job, "pageSize", "a4");
  resolution = json_object_get_double_member_with_default (job, "resolution", 300);
  /* What is not a feeder is scanned once, as from the glass. */
  feeder = g_strcmp0 (source, "feeder") == 0 || g_strcmp0 (source, "duplex") == 0;

  status = sane_open (device, &device_handle);
  if (status != SANE_STATUS_GOOD)
    {
      device_handle = NULL;
      emit_done (0, status == SANE_STATUS_INVAL ? "no-device" : status_word (status));
      return 1;
    }

  g_thread_unref (g_thread_new ("stdin", watch_stdin, NULL));

  if (!set_source (source))
    emit_notice ("no-duplex");
  set_mode (mode);
  set_number (SANE_NAME_SCAN_RESOLUTION, resolution);
  set_page_size (page_size);
  dpi = current_resolution ();

  do
    {
      status = scan_page (pages + 1, dpi);
      if (status == SANE_STATUS_EOF)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          pages++;
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "event");
          json_builder_add_string_value (builder, "page-done");
          json_builder_set_member_name (builder, "page");
          json_builder_add_int_value (builder, pages);
          json_builder_end_object (builder);
          emit (builder);
        }
    }
  while (feeder && status == SANE_STATUS_EOF && !g_atomic_int_get (&cancelled));

  /* A feeder that runs out after the first page has simply finished. */
  if (status == SANE_STATUS_EOF || (status == SANE_STATUS_NO_DOCS && pages > 0))
    status = SANE_STATUS_GOOD;
  if (g_atomic_int_get (&cancelled))
    status = SANE_STATUS_CANCELLED;

  /* The result first: some backends hang or deadlock while they stop
   * (a reader thread cancelled inside malloc), and the app must not wait
   * for that. Whatever the cleanup does, the process ends soon after. */
  emit_done (pages, status_word (status));
  alarm (CLEANUP_SECONDS);
  sane_cancel (device_handle);
  g_mutex_lock (&device_lock);
  sane_close (g_steal_pointer (&device_handle));
  g_mutex_unlock (&device_lock);

  return status == SANE_STATUS_GOOD || status == SANE_STATUS_CANCELLED ? 0 : 1;
}

int
main (int    argc,
      char **argv)
{
  SANE_Int version = 0;
  int result;

  if (argc != 2 || (strcmp (argv[1], "list") != 0 && strcmp (argv[1], "scan") != 0))
    {
      fputs ("usage: servicebuero-scan-helper list|scan\n", stderr);
      return 2;
    }

  if (sane_init (&version, NULL) != SANE_STATUS_GOOD)
    {
      if (strcmp (argv[1], "scan") == 0)
        emit_done (0, "io-error");
      else
        fputs ("{\"devices\":[]}\n", stdout);
      return 1;
    }

  result = strcmp (argv[1], "list") == 0 ? run_list () : run_scan ();
  /* sane_exit() after a cancel from the stdin thread races with backends
   * that still clean up; the process ends here anyway. */
  fflush (stdout);
  _exit (result);
}
