/* servicebuero-platform: the reference platform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sbp-private.h"

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

static const char *usage_text =
  "Usage:\n"
  "  servicebuero-platform [OPTION…]                 Serve the platform API\n"
  "  servicebuero-platform user add USER --name NAME --office OFFICE\n"
  "                                                  Add a staff member (password on standard input)\n"
  "  servicebuero-platform caseworker list           Submissions and their status\n"
  "  servicebuero-platform caseworker start ID       Start working on a submission\n"
  "  servicebuero-platform caseworker ask ID TEXT    Ask the applicant a question\n"
  "  servicebuero-platform caseworker accept ID      Decide in favour, with a decision PDF\n"
  "  servicebuero-platform caseworker reject ID --reason TEXT\n"
  "\n"
  "Options:\n"
  "  --data-dir=DIR          Where the platform keeps its data (default: ~/.local/share/servicebuero-platform)\n"
  "  --address=IP            Address to listen on (default: 127.0.0.1)\n"
  "  --port=PORT             Port to listen on; 0 picks a free one (default: 8080)\n"
  "  --tls-cert=FILE         Serve HTTPS with this PEM certificate…\n"
  "  --tls-key=FILE          …and this PEM private key\n"
  "  --demo                  Demo data: staff user \"demo\" (password \"demo\"), submissions move on by themselves\n"
  "  --demo-pace=SECONDS     How fast the demo moves (default: 20)\n"
  "  --faults=SPEC           For tests: drop-before:R,drop-after:R,unavailable:R,too-many:R,delay:R:MS,seed:N\n"
  "  --access-token-lifetime=SECONDS, --upload-lifetime=SECONDS   For tests\n"
  "  --log                   Log each request (method, path, status, time; never personal data)\n"
  "  --stop-on-stdin-eof     Stop when standard input closes (for an app that starts the platform)\n"
  "  --version               Print the version\n";

typedef struct
{
  char     *data_dir;
  char     *address;
  int       port;
  char     *tls_cert;
  char     *tls_key;
  gboolean  demo;
  int       demo_pace;
  char     *faults;
  int       access_lifetime;
  int       upload_lifetime;
  gboolean  log;
  gboolean  stop_on_eof;
  gboolean  version;
  char     *name;
  char     *office;
  char     *reason;
} Options;

static int
usage_error (const char *message)
{
  g_printerr ("servicebuero-platform: %s\nTry 'servicebuero-platform --help'.\n", message);
  return 2;
}

static char *
default_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "servicebuero-platform", NULL);
}

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_stdin_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    g_main_loop_quit (user_data);
  else
    g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 256, G_PRIORITY_DEFAULT, NULL, on_stdin_read, user_data);
}

static gboolean
expire_uploads (gpointer user_data)
{
  sbp_uploads_expire (user_data);
  return G_SOURCE_CONTINUE;
}

static int
serve (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbpServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GInputStream) input = NULL;

  if ((options->tls_cert == NULL) != (options->tls_key == NULL))
    return usage_error ("--tls-cert and --tls-key go together");
  if (options->port < 0 || options->port > 65535)
    return usage_error ("--port must be 0 to 65535");
  if (options->tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (options->tls_cert, options->tls_key, &error);
      if (certificate == NULL)
        {
          g_printerr ("servicebuero-platform: cannot read the TLS certificate or key: %s\n", error->message);
          return 1;
        }
    }

  server = sbp_server_new (options->data_dir, &error);
  if (server == NULL)
    {
      g_printerr ("servicebuero-platform: %s\n", error->message);
      return 1;
    }
  if (options->faults != NULL && !sbp_server_set_faults (server, options->faults, &error))
    return usage_error (error->message);
  if (options->access_lifetime > 0)
    server->access_lifetime = options->access_lifetime;
  if (options->upload_lifetime > 0)
    server->upload_lifetime = options->upload_lifetime;
  sbp_server_set_log (server, options->log);

  if (options->demo)
    {
      if (sbp_db_int (server->db, "SELECT count(*) FROM staff WHERE username = 'demo'", NULL) == 0 &&
          !sbp_staff_add (server->db, "demo", "Demo Mitarbeiterin", "auslaenderbehoerde", "demo", &error))
        {
          g_printerr ("servicebuero-platform: %s\n", error->message);
          return 1;
        }
      sbp_server_set_demo (server, options->demo_pace > 0 ? (guint)options->demo_pace : 20);
    }

  if (!sbp_server_listen (server, options->address, (guint)options->port, certificate, &error))
    {
      g_printerr ("servicebuero-platform: cannot listen on %s port %d: %s\n", options->address, options->port, error->message);
      return 1;
    }

  sbp_uploads_expire (server);
  g_timeout_add_seconds (600, expire_uploads, server);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  if (options->stop_on_eof)
    {
      input = g_unix_input_stream_new (0, FALSE);
      g_input_stream_read_bytes_async (input, 256, G_PRIORITY_DEFAULT, NULL, on_stdin_read, loop);
    }

  /* The first line says where: whoever started us reads it. */
  g_print ("Listening on %s\n", sbp_server_get_url (server));
  fflush (stdout);
  g_main_loop_run (loop);
  return 0;
}

static char *
read_password (void)
{
  char buffer[1024];

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  buffer[strcspn (buffer, "\r\n")] = '\0';
  return g_strdup (buffer);
}

static int
user_command (Options *options,
              int      argc,
              char   **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbpServer) server = NULL;
  g_autofree char *password = NULL;

  if (argc != 3 || !g_str_equal (argv[1], "add"))
    return usage_error ("write: user add USER --name NAME --office OFFICE");
  if (options->name == NULL || options->office == NULL)
    return usage_error ("user add needs --name and --office");

  server = sbp_server_new_offline (options->data_dir, &error);
  if (server == NULL)
    {
      g_printerr ("servicebuero-platform: %s\n", error->message);
      return 1;
    }
  password = read_password ();
  if (password == NULL)
    return usage_error ("give the password on standard input");
  if (!sbp_staff_add (server->db, argv[2], options->name, options->office, password, &error))
    {
      g_printerr ("servicebuero-platform: %s\n", error->message);
      return 1;
    }
  g_print ("Staff member %s (%s) can sign in now.\n", argv[2], options->office);
  return 0;
}

static int
caseworker_command (Options *options,
                    int      argc,
                    char   **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbpServer) server = NULL;
  const char *verb = argc > 1 ? argv[1] : "";
  gboolean ok = FALSE;

  server = sbp_server_new_offline (options->data_dir, &error);
  if (server == NULL)
    {
      g_printerr ("servicebuero-platform: %s\n", error->message);
      return 1;
    }

  if (g_str_equal (verb, "list") && argc == 2)
    {
      g_autoptr(sqlite3_stmt) stmt = sbp_db_prepare (server->db,
                                                     "SELECT id, reference, service_id, status, office, received FROM submissions "
                                                     "ORDER BY received", NULL);

      g_print ("%-36s  %-15s  %-10s  %-20s  %s\n", "ID", "REFERENCE", "STATUS", "OFFICE", "SERVICE");
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_print ("%-36s  %-15s  %-10s  %-20s  %s\n", sbp_db_column_text (stmt, 0), sbp_db_column_text (stmt, 1),
                 sbp_db_column_text (stmt, 3), sbp_db_column_text (stmt, 4), sbp_db_column_text (stmt, 2));
      return 0;
    }
  if (argc < 3)
    return usage_error ("caseworker needs a verb and a submission id");

  if (g_str_equal (verb, "start") && argc == 3)
    ok = sbp_caseworker_set_status (server, argv[2], "in-progress", &error);
  else if (g_str_equal (verb, "ask") && argc == 4)
    ok = sbp_caseworker_ask (server, argv[2], argv[3], &error);
  else if (g_str_equal (verb, "accept") && argc == 3)
    ok = sbp_caseworker_decide (server, argv[2], TRUE, options->reason, &error);
  else if (g_str_equal (verb, "reject") && argc == 3)
    ok = sbp_caseworker_decide (server, argv[2], FALSE, options->reason, &error);
  else
    return usage_error ("unknown caseworker command");

  if (!ok)
    {
      g_printerr ("servicebuero-platform: %s\n", error->message);
      return 1;
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  Options options = { .address = g_strdup ("127.0.0.1"), .port = 8080 };
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.data_dir, NULL, NULL },
    { "address", 0, 0, G_OPTION_ARG_STRING, &options.address, NULL, NULL },
    { "port", 0, 0, G_OPTION_ARG_INT, &options.port, NULL, NULL },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_cert, NULL, NULL },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_key, NULL, NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &options.demo, NULL, NULL },
    { "demo-pace", 0, 0, G_OPTION_ARG_INT, &options.demo_pace, NULL, NULL },
    { "faults", 0, 0, G_OPTION_ARG_STRING, &options.faults, NULL, NULL },
    { "access-token-lifetime", 0, 0, G_OPTION_ARG_INT, &options.access_lifetime, NULL, NULL },
    { "upload-lifetime", 0, 0, G_OPTION_ARG_INT, &options.upload_lifetime, NULL, NULL },
    { "log", 0, 0, G_OPTION_ARG_NONE, &options.log, NULL, NULL },
    { "stop-on-stdin-eof", 0, 0, G_OPTION_ARG_NONE, &options.stop_on_eof, NULL, NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options.version, NULL, NULL },
    { "name", 0, 0, G_OPTION_ARG_STRING, &options.name, NULL, NULL },
    { "office", 0, 0, G_OPTION_ARG_STRING, &options.office, NULL, NULL },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &options.reason, NULL, NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  /* The request log goes out line by line, also into a pipe or file. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (help)
    {
      g_print ("%s", usage_text);
      return 0;
    }
  if (options.version)
    {
      g_print ("servicebuero-platform %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (options.data_dir == NULL)
    options.data_dir = default_data_dir ();

  if (argc > 1 && g_str_equal (argv[1], "user"))
    status = user_command (&options, argc - 1, argv + 1);
  else if (argc > 1 && g_str_equal (argv[1], "caseworker"))
    status = caseworker_command (&options, argc - 1, argv + 1);
  else if (argc > 1)
    status = usage_error ("unknown command");
  else
    status = serve (&options);

  g_free (options.data_dir);
  g_free (options.address);
  g_free (options.tls_cert);
  g_free (options.tls_key);
  g_free (options.faults);
  g_free (options.name);
  g_free (options.office);
  g_free (options.reason);
  return status;
}
