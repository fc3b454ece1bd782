/* sb-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sb-appdata.h"
#include "sb-demo-platform.h"
#include "sb-application.h"
#include "sb-preferences-window.h"
#include "sb-startup-timing.h"
#include "sb-store.h"
#include "sb-sync-service.h"
#include "sb-window.h"

struct _SbApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  SbSyncStatus   *sync_status;
  SbStore        *store;
  char           *store_problem;
  GCancellable   *cancellable;
  gboolean        store_requested;

  SbSyncService  *sync_service;
  SbDemoPlatform *demo_platform;
  char           *platform_url;
  char           *platform_problem;
};

G_DEFINE_FINAL_TYPE (SbApplication, sb_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_STORE,
  PROP_STORE_PROBLEM,
  PROP_PLATFORM_URL,
  PROP_PLATFORM_IS_DEMO,
  PROP_PLATFORM_PROBLEM,
  PROP_SYNC_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void maybe_start_sync (SbApplication *self);

static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.sync-now", { "<Control>r", "F5", NULL } },
  { "win.show-page('citizens')", { "<Alt>1", NULL } },
  { "win.next-citizen", { "<Control><Shift>n", NULL } },
  { "win.show-page('submissions')", { "<Alt>2", NULL } },
  { "win.show-page('scan')", { "<Alt>3", NULL } },
  { "win.show-page('outbox')", { "<Alt>4", NULL } },
};

static void
apply_color_scheme (SbApplication *self)
{
  AdwColorScheme scheme;

  switch (g_settings_get_enum (self->settings, "color-scheme"))
    {
    case 1:
      scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
      break;
    case 2:
      scheme = ADW_COLOR_SCHEME_FORCE_DARK;
      break;
    default:
      scheme = ADW_COLOR_SCHEME_DEFAULT;
      break;
    }

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
}

static void
sb_application_startup (GApplication *application)
{
  SbApplication *self = SB_APPLICATION (application);

  G_APPLICATION_CLASS (sb_application_parent_class)->startup (application);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action,
                                           accels[i].accels);

  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (apply_color_scheme), self,
                           G_CONNECT_SWAPPED);
  apply_color_scheme (self);
}

typedef struct
{
  SbStore *store;
  guint    retention_days;
} Purge;

static void
purge_free (Purge *purge)
{
  g_object_unref (purge->store);
  g_free (purge);
}

static void
purge_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Purge *purge = task_data;
  g_autoptr(GError) error = NULL;
  guint purged;

  purged = sb_store_purge_expired (purge->store, (gint64)purge->retention_days * 86400,
                                   g_get_real_time () / G_USEC_PER_SEC, &error);
  if (error != NULL)
    g_warning ("Purging delivered applications failed: %s", error->message);
  else if (purged > 0)
    g_debug ("Purged %u delivered applications", purged);

  g_task_return_boolean (task, error == NULL);
}

/* Local copies of delivered applications go once their retention is over. */
static void
sb_application_purge_expired (SbApplication *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, NULL, NULL);
  Purge *purge = g_new0 (Purge, 1);

  purge->store = g_object_ref (self->store);
  purge->retention_days = g_settings_get_uint (self->settings, "retention-days");
  g_task_set_source_tag (task, sb_application_purge_expired);
  g_task_set_task_data (task, purge, (GDestroyNotify)purge_free);
  g_task_run_in_thread (task, purge_thread);
}

static void
on_store_opened (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SbApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbStore) store = sb_store_open_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (store == NULL)
    {
      self->store_problem = g_strdup (error->message);
    }
  else
    {
      /* Until staff sign in to the platform, actions are recorded under the
       * desk computer's login. */
      sb_store_set_staff (store, g_get_user_name ());
      if (sb_store_get_read_only (store))
        self->store_problem = g_strdup (sb_store_get_problem (store));
      self->store = g_steal_pointer (&store);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);

      if (!sb_store_get_read_only (self->store))
        {
          sb_application_purge_expired (self);
          maybe_start_sync (self);
        }
    }

  if (self->store_problem != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE_PROBLEM]);
}

/* Once the store is open and the platform known, sending can begin. */
static void
maybe_start_sync (SbApplication *self)
{
  if (self->sync_service != NULL || self->store == NULL || self->platform_url == NULL)
    return;
  self->sync_service = sb_sync_service_new (self->store, self->platform_url, self->demo_platform != NULL,
                                            self->sync_status);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_SERVICE]);
  sb_sync_service_start (self->sync_service);
}

static void
on_demo_platform_started (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(SbApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sb_demo_platform_start_finish (SB_DEMO_PLATFORM (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("The demo platform did not start: %s", error->message);
      g_free (self->platform_problem);
      self->platform_problem = g_strdup (error->message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLATFORM_PROBLEM]);
      return;
    }

  g_free (self->platform_url);
  self->platform_url = g_strdup (sb_demo_platform_get_url (SB_DEMO_PLATFORM (source)));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLATFORM_URL]);
  maybe_start_sync (self);
}

/* The city's platform, or with none configured the demo platform here. */
static void
connect_platform (SbApplication *self)
{
  g_autofree char *configured = g_settings_get_string (self->settings, "platform-url");
  g_autofree char *binary = NULL;
  g_autofree char *data_dir = NULL;

  if (configured[0] != '\0')
    {
      self->platform_url = g_steal_pointer (&configured);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLATFORM_URL]);
      maybe_start_sync (self);
      return;
    }

  binary = sb_demo_platform_find_binary ();
  data_dir = sb_demo_platform_default_data_dir ();
  self->demo_platform = sb_demo_platform_new (binary, data_dir);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLATFORM_IS_DEMO]);
  sb_demo_platform_start_async (self->demo_platform, self->cancellable, on_demo_platform_started, g_object_ref (self));
}

static void
sb_application_activate (GApplication *application)
{
  SbApplication *self = SB_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (sb_window_new (self));
      sb_startup_timing_watch (window);
    }

  gtk_window_present (window);

  /* The store needs the keyring and the disk: open it in a thread, after
   * the window is on screen. */
  if (!self->store_requested)
    {
      g_autofree char *directory = sb_store_default_directory ();

      self->store_requested = TRUE;
      sb_store_open_async (directory, self->cancellable, on_store_opened, g_object_ref (self));
      connect_platform (self);
    }
}

static void
sb_application_shutdown (GApplication *application)
{
  SbApplication *self = SB_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  if (self->sync_service != NULL)
    sb_sync_service_stop (self->sync_service);
  if (self->demo_platform != NULL)
    sb_demo_platform_stop (self->demo_platform);

  G_APPLICATION_CLASS (sb_application_parent_class)->shutdown (application);
}

static void
sb_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SbApplication *self = SB_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_STORE_PROBLEM:
      g_value_set_string (value, self->store_problem);
      break;

    case PROP_PLATFORM_URL:
      g_value_set_string (value, self->platform_url);
      break;

    case PROP_PLATFORM_IS_DEMO:
      g_value_set_boolean (value, self->demo_platform != NULL);
      break;

    case PROP_PLATFORM_PROBLEM:
      g_value_set_string (value, self->platform_problem);
      break;

    case PROP_SYNC_SERVICE:
      g_value_set_object (value, self->sync_service);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_application_dispose (GObject *object)
{
  SbApplication *self = (SbApplication *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->sync_status);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->store_problem, g_free);
  g_clear_object (&self->sync_service);
  g_clear_object (&self->demo_platform);
  g_clear_pointer (&self->platform_url, g_free);
  g_clear_pointer (&self->platform_problem, g_free);

  G_OBJECT_CLASS (sb_application_parent_class)->dispose (object);
}

static void
sb_application_class_init (SbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sb_application_dispose;
  object_class->get_property = sb_application_get_property;

  app_class->startup = sb_application_startup;
  app_class->activate = sb_application_activate;
  app_class->shutdown = sb_application_shutdown;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         SB_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STORE_PROBLEM] =
    g_param_spec_string ("store-problem", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PLATFORM_URL] =
    g_param_spec_string ("platform-url", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PLATFORM_IS_DEMO] =
    g_param_spec_boolean ("platform-is-demo", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PLATFORM_PROBLEM] =
    g_param_spec_string ("platform-problem", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SYNC_SERVICE] =
    g_param_spec_object ("sync-service", NULL, NULL,
                         SB_TYPE_SYNC_SERVICE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_application_show_about (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  SbApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GBytes) xml = NULL;
  g_autoptr(SbAppdata) appdata = NULL;
  g_autoptr(GError) error = NULL;
  AdwAboutWindow *about;

  xml = g_resources_lookup_data (RESOURCE_BASE_PATH "/metainfo.xml",
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (xml != NULL);

  appdata = sb_appdata_parse (xml, g_get_language_names (), &error);
  if (appdata == NULL)
    g_error ("The metainfo compiled into the app is invalid: %s", error->message);

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  adw_about_window_set_application_name (about, appdata->name);
  adw_about_window_set_application_icon (about, APP_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_comments (about, appdata->summary);
  adw_about_window_set_developer_name (about, appdata->developer_name);
  adw_about_window_set_website (about, appdata->homepage);
  adw_about_window_set_issue_url (about, appdata->bugtracker);
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_copyright (about, _("© 2026 The Servicebüro developers"));
  /* Translators: Replace "translator-credits" with your names, one name per line */
  adw_about_window_set_translator_credits (about, _("translator-credits"));
  if (appdata->release_notes != NULL)
    {
      adw_about_window_set_release_notes_version (about, appdata->release_version);
      adw_about_window_set_release_notes (about, appdata->release_notes);
    }

  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_set_modal (GTK_WINDOW (about), TRUE);
  gtk_window_present (GTK_WINDOW (about));
}

static void
sb_application_show_preferences (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  SbApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *preferences = GTK_WINDOW (sb_preferences_window_new (self->settings));

  gtk_window_set_transient_for (preferences, parent);
  gtk_window_present (preferences);
}

static void
sb_application_quit (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  SbApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing through close-request lets every window save its state. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
sb_application_sync_now (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  SbApplication *self = user_data;

  if (self->sync_service != NULL)
    sb_sync_service_retry_now (self->sync_service);
}

static void
open_in_browser (const char *uri,
                 gpointer    user_data)
{
  SbApplication *self = user_data;

  /* The platform's own page, in the system browser (RFC 8252). */
  gtk_show_uri (gtk_application_get_active_window (GTK_APPLICATION (self)), uri, GDK_CURRENT_TIME);
}

static void
sb_application_sign_in (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  SbApplication *self = user_data;

  if (self->sync_service != NULL)
    sb_sync_service_sign_in (self->sync_service, open_in_browser, self);
}

static void
sb_application_sign_out (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  SbApplication *self = user_data;

  if (self->sync_service != NULL)
    sb_sync_service_sign_out (self->sync_service);
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = sb_application_show_about },
  { .name = "sync-now", .activate = sb_application_sync_now },
  { .name = "sign-in", .activate = sb_application_sign_in },
  { .name = "sign-out", .activate = sb_application_sign_out },
  { .name = "preferences", .activate = sb_application_show_preferences },
  { .name = "quit", .activate = sb_application_quit },
};

static void
sb_application_init (SbApplication *self)
{
  self->settings = g_settings_new (APP_ID);
  self->sync_status = sb_sync_status_new ();
  self->cancellable = g_cancellable_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);
}

SbApplication *
sb_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (SB_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       NULL);
}

/**
 * sb_application_get_settings:
 *
 * Returns: (transfer none): the app's settings
 */
GSettings *
sb_application_get_settings (SbApplication *self)
{
  g_return_val_if_fail (SB_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * sb_application_get_store:
 *
 * Returns: (transfer none) (nullable): the desk's store, once it is open
 */
SbStore *
sb_application_get_store (SbApplication *self)
{
  g_return_val_if_fail (SB_IS_APPLICATION (self), NULL);

  return self->store;
}

/**
 * sb_application_get_store_problem:
 *
 * Returns: (nullable): why nothing can be captured (or saved), in words for
 *   the clerk; %NULL while the store is fine or still opening
 */
const char *
sb_application_get_store_problem (SbApplication *self)
{
  g_return_val_if_fail (SB_IS_APPLICATION (self), NULL);

  return self->store_problem;
}

/**
 * sb_application_get_sync_status:
 *
 * Returns: (transfer none): what the header shows about syncing
 */
SbSyncStatus *
sb_application_get_sync_status (SbApplication *self)
{
  g_return_val_if_fail (SB_IS_APPLICATION (self), NULL);

  return self->sync_status;
}

/**
 * sb_application_get_platform_url:
 *
 * Returns: (nullable): the platform's address, once known
 */
const char *
sb_application_get_platform_url (SbApplication *self)
{
  g_return_val_if_fail (SB_IS_APPLICATION (self), NULL);

  return self->platform_url;
}

gboolean
sb_application_get_platform_is_demo (SbApplication *self)
{
  g_return_val_if_fail (SB_IS_APPLICATION (self), FALSE);

  return self->demo_platform != NULL;
}

const char *
sb_application_get_platform_problem (SbApplication *self)
{
  g_return_val_if_fail (SB_IS_APPLICATION (self), NULL);

  return self->platform_problem;
}

/**
 * sb_application_get_sync_service:
 *
 * Returns: (nullable) (transfer none): what sends the outbox, once the
 * store is open and the platform known
 */
SbSyncService *
sb_application_get_sync_service (SbApplication *self)
{
  g_return_val_if_fail (SB_IS_APPLICATION (self), NULL);

  return self->sync_service;
}
