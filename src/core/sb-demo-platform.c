/* sb-demo-platform.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With no platform configured, the app runs `servicebuero-platform --demo`
 * on 127.0.0.1 with a free port and a data directory of its own, reads the
 * address from the first line it prints, and stops it on exit. The child
 * also stops by itself when the app's end of its standard input closes,
 * so a crashed app leaves no platform behind.
 */
#include "sb-demo-platform.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>

struct _SbDemoPlatform
{
  GObject      parent_instance;

  char        *binary;
  char        *data_dir;
  GSubprocess *process;
  char        *url;
};

G_DEFINE_FINAL_TYPE (SbDemoPlatform, sb_demo_platform, G_TYPE_OBJECT)

static void
sb_demo_platform_finalize (GObject *object)
{
  SbDemoPlatform *self = SB_DEMO_PLATFORM (object);

  sb_demo_platform_stop (self);
  g_free (self->binary);
  g_free (self->data_dir);
  g_free (self->url);

  G_OBJECT_CLASS (sb_demo_platform_parent_class)->finalize (object);
}

static void
sb_demo_platform_class_init (SbDemoPlatformClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_demo_platform_finalize;
}

static void
sb_demo_platform_init (SbDemoPlatform *self)
{
}

SbDemoPlatform *
sb_demo_platform_new (const char *binary,
                      const char *data_dir)
{
  SbDemoPlatform *self = g_object_new (SB_TYPE_DEMO_PLATFORM, NULL);

  self->binary = g_strdup (binary);
  self->data_dir = g_strdup (data_dir);
  return self;
}

/**
 * sb_demo_platform_find_binary:
 *
 * Returns: (transfer full) (nullable): servicebuero-platform beside the
 * running program (installed), in the build tree, or on PATH;
 * $SB_PLATFORM_BINARY first.
 */
char *
sb_demo_platform_find_binary (void)
{
  const char *override = g_getenv ("SB_PLATFORM_BINARY");
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self_path != NULL ? g_path_get_dirname (self_path) : NULL;
  const char *candidates[] = { "servicebuero-platform", "platform/servicebuero-platform" };

  if (override != NULL && override[0] != '\0')
    return g_strdup (override);
  for (guint i = 0; dir != NULL && i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *path = g_build_filename (dir, candidates[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&path);
    }
  return g_find_program_in_path ("servicebuero-platform");
}

char *
sb_demo_platform_default_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "servicebuero", "demo-platform", NULL);
}

static void
on_first_line (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SbDemoPlatform *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);

  if (line == NULL || !g_str_has_prefix (line, "Listening on "))
    {
      sb_demo_platform_stop (self);
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("The demo platform did not start. Start the app from a terminal to see why."));
      return;
    }

  self->url = g_strdup (line + strlen ("Listening on "));
  g_task_return_boolean (task, TRUE);
}

/**
 * sb_demo_platform_start_async:
 *
 * Starts the platform; finishes once it listens, with its address in
 * sb_demo_platform_get_url().
 */
void
sb_demo_platform_start_async (SbDemoPlatform      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;

  g_task_set_source_tag (task, sb_demo_platform_start_async);
  if (self->binary == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The demo platform (servicebuero-platform) is not installed. "
                                 "Install it, or set the address of your city's platform in Preferences."));
      return;
    }
  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Cannot create the demo platform's folder %s."), self->data_dir);
      return;
    }

  /* Standard error stays the app's, for anyone starting it from a terminal. */
  self->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                    self->binary, "--demo", "--address", "127.0.0.1", "--port", "0",
                                    "--data-dir", self->data_dir, "--stop-on-stdin-eof", NULL);
  if (self->process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, cancellable, on_first_line, g_steal_pointer (&task));
}

gboolean
sb_demo_platform_start_finish (SbDemoPlatform *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
sb_demo_platform_get_url (SbDemoPlatform *self)
{
  g_return_val_if_fail (SB_IS_DEMO_PLATFORM (self), NULL);

  return self->url;
}

/* Stops the platform and waits for it: it stops within milliseconds. */
void
sb_demo_platform_stop (SbDemoPlatform *self)
{
  g_return_if_fail (SB_IS_DEMO_PLATFORM (self));

  if (self->process == NULL)
    return;
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
  g_clear_pointer (&self->url, g_free);
}
