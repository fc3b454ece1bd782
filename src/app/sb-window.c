/* sb-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sb-citizens-page.h"
#include "sb-submissions-page.h"
#include "sb-sync-indicator.h"
#include "sb-window.h"
#include "sb-outbox-page.h"
#include "sb-scan-page.h"

struct _SbWindow
{
  AdwApplicationWindow  parent_instance;

  AdwHeaderBar         *header_bar;
  AdwViewStack         *view_stack;
  AdwToastOverlay      *toast_overlay;
  SbSyncIndicator      *sync_indicator;
  SbCitizensPage       *citizens_page;
  SbSubmissionsPage    *submissions_page;  /* built on first use, in submissions_slot */
  AdwBin               *submissions_slot;
  SbOutboxPage         *outbox_page;
  AdwBin               *scan_slot;
  SbScanPage           *scan_page;    /* made when first shown, or soon after start */
  guint                 prepare_pages_source;
  GtkRevealer          *platform_banner;
  GtkLabel             *platform_banner_label;
  GtkImage             *platform_banner_icon;

  GSettings            *settings;
  SbSyncStatus         *sync_status;
  char                 *visible_page;
};

G_DEFINE_FINAL_TYPE (SbWindow, sb_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_SYNC_STATUS,
  PROP_VISIBLE_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sb_window_update_title (SbWindow *self)
{
  g_autofree char *desk_name = g_settings_get_string (self->settings, "desk-name");

  g_strstrip (desk_name);

  if (desk_name[0] == '\0')
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Servicebüro"));
    }
  else
    {
      /* Translators: the window title; %s is the desk's name, e.g. "Desk 3" */
      g_autofree char *title = g_strdup_printf (_("Servicebüro — %s"), desk_name);

      gtk_window_set_title (GTK_WINDOW (self), title);
    }
}

/* Stays until dismissed: the clerk must not start capturing without
 * having seen it. The whole explanation is one click away. */
static void
on_store_problem (SbWindow      *self,
                  GParamSpec    *pspec,
                  SbApplication *application)
{
  AdwToast *toast;

  if (sb_application_get_store_problem (application) == NULL)
    return;

  toast = adw_toast_new (_("Nothing can be saved at this desk"));
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_button_label (toast, _("_Details"));
  adw_toast_set_action_name (toast, "win.show-store-problem");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_outbox_changed (SbWindow *self)
{
  sb_outbox_page_reload (self->outbox_page);
}

static void
on_progress (SbWindow   *self,
             const char *outbox_id,
             double      fraction)
{
  sb_outbox_page_show_progress (self->outbox_page, outbox_id, fraction);
}

static void
on_needs_attention (SbWindow *self,
                    guint     count)
{
  g_autofree char *text = g_strdup_printf (ngettext ("The platform refused %u item. It waits in the outbox for you.",
                                                     "The platform refused %u items. They wait in the outbox for you.",
                                                     count), count);
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_button_label (toast, _("_Show"));
  adw_toast_set_action_name (toast, "win.show-page");
  adw_toast_set_action_target (toast, "s", "outbox");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_sign_in_failed (SbWindow   *self,
                   const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("Sign _In"));
  adw_toast_set_action_name (toast, "app.sign-in");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_sync_service (SbWindow      *self,
                 GParamSpec    *pspec,
                 SbApplication *application)
{
  SbSyncService *service = sb_application_get_sync_service (application);

  if (service == NULL)
    return;
  sb_citizens_page_set_context (self->citizens_page, sb_application_get_store (application), service);
  if (self->submissions_page != NULL)
    sb_submissions_page_set_context (self->submissions_page, sb_application_get_store (application), service);
  g_signal_connect_object (service, "outbox-changed", G_CALLBACK (on_outbox_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (service, "needs-attention", G_CALLBACK (on_needs_attention), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (service, "progress", G_CALLBACK (on_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (service, "sign-in-failed", G_CALLBACK (on_sign_in_failed), self, G_CONNECT_SWAPPED);
}

static void
on_store (SbWindow      *self,
          GParamSpec    *pspec,
          SbApplication *application)
{
  sb_outbox_page_set_store (self->outbox_page, sb_application_get_store (application));
  sb_citizens_page_set_context (self->citizens_page, sb_application_get_store (application),
                                sb_application_get_sync_service (application));
  if (self->submissions_page != NULL)
    sb_submissions_page_set_context (self->submissions_page, sb_application_get_store (application),
                                     sb_application_get_sync_service (application));
  if (self->scan_page != NULL)
    sb_scan_page_set_store (self->scan_page, sb_application_get_store (application));
}

/* Whoever works at this desk sees at a glance when nothing goes to an
 * authority: on the demo platform, or with no platform at all. */
static void
on_platform_changed (SbWindow      *self,
                     GParamSpec    *pspec,
                     SbApplication *application)
{
  const char *problem = sb_application_get_platform_problem (application);
  GtkWidget *box = gtk_revealer_get_child (self->platform_banner);

  if (problem != NULL)
    {
      gtk_label_set_label (self->platform_banner_label, problem);
      gtk_image_set_from_icon_name (self->platform_banner_icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (box, "error");
      gtk_revealer_set_reveal_child (self->platform_banner, TRUE);
    }
  else if (sb_application_get_platform_is_demo (application))
    {
      g_autofree char *text = NULL;

      if (sb_application_get_platform_url (application) != NULL)
        text = g_strdup_printf (_("Demo platform at %s: nothing you submit reaches an authority. "
                                  "Set your city's platform in Preferences."),
                                sb_application_get_platform_url (application));
      else
        text = g_strdup (_("Starting the demo platform…"));
      gtk_label_set_label (self->platform_banner_label, text);
      gtk_image_set_from_icon_name (self->platform_banner_icon, "dialog-information-symbolic");
      gtk_widget_remove_css_class (box, "error");
      gtk_revealer_set_reveal_child (self->platform_banner, TRUE);
    }
  else
    gtk_revealer_set_reveal_child (self->platform_banner, FALSE);
}

static void
sb_window_show_store_problem (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  SbWindow *self = SB_WINDOW (widget);
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  const char *problem = NULL;
  GtkWidget *dialog;

  if (SB_IS_APPLICATION (application))
    problem = sb_application_get_store_problem (SB_APPLICATION (application));
  if (problem == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Nothing Can Be Saved"), problem);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sb_window_restore_state (SbWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
sb_window_save_state (SbWindow *self)
{
  int width, height;
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  /* The default size keeps the unmaximized size while maximized. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  g_settings_apply (self->settings);
}

static gboolean
sb_window_close_request (GtkWindow *window)
{
  sb_window_save_state (SB_WINDOW (window));

  return GTK_WINDOW_CLASS (sb_window_parent_class)->close_request (window);
}

static void
sb_window_constructed (GObject *object)
{
  SbWindow *self = (SbWindow *)object;

  G_OBJECT_CLASS (sb_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  g_assert (SB_IS_SYNC_STATUS (self->sync_status));

  g_signal_connect_object (self->settings, "changed::desk-name",
                           G_CALLBACK (sb_window_update_title), self,
                           G_CONNECT_SWAPPED);
  sb_window_update_title (self);
  sb_window_restore_state (self);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

static void
sb_window_dispose (GObject *object)
{
  SbWindow *self = (SbWindow *)object;

  g_clear_handle_id (&self->prepare_pages_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_WINDOW);

  g_clear_object (&self->settings);
  g_clear_object (&self->sync_status);

  G_OBJECT_CLASS (sb_window_parent_class)->dispose (object);
}

static void
sb_window_finalize (GObject *object)
{
  SbWindow *self = (SbWindow *)object;

  g_free (self->visible_page);

  G_OBJECT_CLASS (sb_window_parent_class)->finalize (object);
}

static void
sb_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SbWindow *self = SB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_SYNC_STATUS:
      g_value_set_object (value, self->sync_status);
      break;

    case PROP_VISIBLE_PAGE:
      g_value_set_string (value, sb_window_get_visible_page (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SbWindow *self = SB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_SYNC_STATUS:
      self->sync_status = g_value_dup_object (value);
      break;

    case PROP_VISIBLE_PAGE:
      sb_window_set_visible_page (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The Scan and Submissions areas are built when first used (or a moment
 * after start): the window's first frame does not wait for them. */
static void
ensure_scan_page (SbWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (self->scan_page != NULL)
    return;

  self->scan_page = g_object_new (SB_TYPE_SCAN_PAGE, NULL);
  if (SB_IS_APPLICATION (application))
    sb_scan_page_set_store (self->scan_page, sb_application_get_store (SB_APPLICATION (application)));
  adw_bin_set_child (self->scan_slot, GTK_WIDGET (self->scan_page));
}

static SbSubmissionsPage *
ensure_submissions_page (SbWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (self->submissions_page != NULL)
    return self->submissions_page;

  self->submissions_page = g_object_new (SB_TYPE_SUBMISSIONS_PAGE, NULL);
  if (SB_IS_APPLICATION (application))
    sb_submissions_page_set_context (self->submissions_page, sb_application_get_store (SB_APPLICATION (application)),
                                     sb_application_get_sync_service (SB_APPLICATION (application)));
  adw_bin_set_child (self->submissions_slot, GTK_WIDGET (self->submissions_page));
  return self->submissions_page;
}

static gboolean
prepare_pages (gpointer data)
{
  SbWindow *self = data;

  self->prepare_pages_source = 0;
  ensure_submissions_page (self);
  ensure_scan_page (self);
  return G_SOURCE_REMOVE;
}

static void
on_visible_child_changed (SbWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (name, "scan") == 0)
    ensure_scan_page (self);
  /* The Submissions area follows the citizen open in the Citizens area. */
  if (g_strcmp0 (name, "submissions") == 0)
    ensure_submissions_page (self);
  if (g_strcmp0 (name, "submissions") == 0 && sb_citizens_page_get_citizen_id (self->citizens_page) != NULL)
    sb_submissions_page_show_citizen (self->submissions_page, sb_citizens_page_get_citizen_id (self->citizens_page),
                                      FALSE);

  /* The stack has no visible child while the template is being built. */
  if (name == NULL || g_strcmp0 (name, self->visible_page) == 0)
    return;

  g_free (self->visible_page);
  self->visible_page = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PAGE]);
}

static void
new_application (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SbWindow *self = SB_WINDOW (widget);

  sb_submissions_page_show_citizen (ensure_submissions_page (self), g_variant_get_string (parameter, NULL), TRUE);
  adw_view_stack_set_visible_child_name (self->view_stack, "submissions");
}

/* "Next citizen": everything of this one goes from the screen, and the
 * search waits, empty, for the next. */
static void
next_citizen (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SbWindow *self = SB_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "citizens");
  if (!sb_citizens_page_next_citizen (self->citizens_page))
    {
      AdwToast *toast = adw_toast_new (_("This citizen’s form has unsaved changes: save them (Ctrl+S) or go back "
                                         "(Alt+←) and discard them, then press Ctrl+Shift+N again."));

      adw_toast_set_timeout (toast, 8);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }
  if (self->submissions_page != NULL)
    sb_submissions_page_close (self->submissions_page);
}

static void
sb_window_class_init (SbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sb_window_constructed;
  object_class->dispose = sb_window_dispose;
  object_class->finalize = sb_window_finalize;
  object_class->get_property = sb_window_get_property;
  object_class->set_property = sb_window_set_property;

  window_class->close_request = sb_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SYNC_STATUS] =
    g_param_spec_object ("sync-status", NULL, NULL,
                         SB_TYPE_SYNC_STATUS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_VISIBLE_PAGE] =
    g_param_spec_string ("visible-page", NULL, NULL,
                         "citizens",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/sb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SbWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, outbox_page);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, scan_slot);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, citizens_page);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, submissions_slot);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, platform_banner);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, platform_banner_label);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, platform_banner_icon);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_child_changed);

  gtk_widget_class_install_property_action (widget_class, "win.show-page", "visible-page");
  gtk_widget_class_install_action (widget_class, "win.show-store-problem", NULL, sb_window_show_store_problem);
  gtk_widget_class_install_action (widget_class, "win.new-application", "s", new_application);
  gtk_widget_class_install_action (widget_class, "win.next-citizen", NULL, next_citizen);

  g_type_ensure (SB_TYPE_SYNC_INDICATOR);
  g_type_ensure (SB_TYPE_OUTBOX_PAGE);
  g_type_ensure (SB_TYPE_CITIZENS_PAGE);
}

static void
sb_window_init (SbWindow *self)
{
  self->visible_page = g_strdup ("citizens");

  gtk_widget_init_template (GTK_WIDGET (self));
}

SbWindow *
sb_window_new (SbApplication *application)
{
  SbWindow *self;

  g_return_val_if_fail (SB_IS_APPLICATION (application), NULL);

  self = g_object_new (SB_TYPE_WINDOW,
                       "application", application,
                       "settings", sb_application_get_settings (application),
                       "sync-status", sb_application_get_sync_status (application),
                       NULL);

  g_signal_connect_object (application, "notify::store-problem",
                           G_CALLBACK (on_store_problem), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::sync-service",
                           G_CALLBACK (on_sync_service), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::store",
                           G_CALLBACK (on_store), self, G_CONNECT_SWAPPED);
  on_sync_service (self, NULL, application);
  on_store (self, NULL, application);
  /* Ready (and the scanners searched for) before the clerk needs it, but
   * well after the first frame. */
  self->prepare_pages_source = g_timeout_add_seconds (2, prepare_pages, self);
  g_signal_connect_object (application, "notify::platform-url",
                           G_CALLBACK (on_platform_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::platform-is-demo",
                           G_CALLBACK (on_platform_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::platform-problem",
                           G_CALLBACK (on_platform_changed), self, G_CONNECT_SWAPPED);
  on_platform_changed (self, NULL, application);
  on_store_problem (self, NULL, application);

  return self;
}

const char *
sb_window_get_visible_page (SbWindow *self)
{
  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);

  return self->visible_page;
}

void
sb_window_set_visible_page (SbWindow   *self,
                            const char *page_name)
{
  g_return_if_fail (SB_IS_WINDOW (self));
  g_return_if_fail (page_name != NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, page_name) == NULL)
    {
      g_warning ("No page named “%s” in the main window", page_name);
      return;
    }

  adw_view_stack_set_visible_child_name (self->view_stack, page_name);
}

/**
 * sb_window_get_sync_status:
 *
 * Returns: (transfer none): the status shown in the header
 */
SbSyncStatus *
sb_window_get_sync_status (SbWindow *self)
{
  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);

  return self->sync_status;
}
