/* sb-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every row is bound to its GSettings key: a change applies at once, as
 * everywhere in the app there is no Save button.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sb-preferences-window.h"

struct _SbPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwEntryRow          *desk_name_row;
  AdwEntryRow          *platform_url_row;
  AdwComboRow          *color_scheme_row;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (SbPreferencesWindow, sb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The combo row lists the enum's values in the order of their numbers. */
static gboolean
color_scheme_to_position (GValue   *value,
                          GVariant *variant,
                          gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  if (g_str_equal (nick, "light"))
    g_value_set_uint (value, 1);
  else if (g_str_equal (nick, "dark"))
    g_value_set_uint (value, 2);
  else
    g_value_set_uint (value, 0);

  return TRUE;
}

static GVariant *
position_to_color_scheme (const GValue       *value,
                          const GVariantType *expected_type,
                          gpointer            user_data)
{
  static const char * const nicks[] = { "follow", "light", "dark" };
  guint position = g_value_get_uint (value);

  if (position >= G_N_ELEMENTS (nicks))
    return NULL;

  return g_variant_new_string (nicks[position]);
}

/**
 * sb_platform_url_is_valid:
 *
 * A platform is reached over HTTPS; plain HTTP only on this computer
 * (a platform for testing). Empty means the demo platform.
 */
gboolean
sb_platform_url_is_valid (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (text[0] == '\0')
    return TRUE;
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    return FALSE;
  host = g_uri_get_host (uri);
  if (g_str_equal (g_uri_get_scheme (uri), "https"))
    return TRUE;
  return g_str_equal (g_uri_get_scheme (uri), "http") &&
         (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "localhost") || g_str_equal (host, "::1"));
}

static void
on_platform_url_apply (SbPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->platform_url_row))));

  if (!sb_platform_url_is_valid (text))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->platform_url_row), "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Not a platform address. Write it as https://platform.example.de")));
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->platform_url_row), "error");
  g_settings_set_string (self->settings, "platform-url", text);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (text[0] == '\0'
                                                     ? _("Saved. The app uses the demo platform from its next start.")
                                                     : _("Saved. The app uses this platform from its next start.")));
}

static void
sb_preferences_window_constructed (GObject *object)
{
  SbPreferencesWindow *self = (SbPreferencesWindow *)object;

  G_OBJECT_CLASS (sb_preferences_window_parent_class)->constructed (object);

  g_settings_bind (self->settings, "desk-name",
                   self->desk_name_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  {
    g_autofree char *platform_url = g_settings_get_string (self->settings, "platform-url");

    /* Not bound: an address applies when checked, not letter by letter. */
    gtk_editable_set_text (GTK_EDITABLE (self->platform_url_row), platform_url);
  }
  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->color_scheme_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                color_scheme_to_position,
                                position_to_color_scheme,
                                NULL, NULL);
}

static void
sb_preferences_window_dispose (GObject *object)
{
  SbPreferencesWindow *self = (SbPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sb_preferences_window_parent_class)->dispose (object);
}

static void
sb_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SbPreferencesWindow *self = SB_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_preferences_window_class_init (SbPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sb_preferences_window_constructed;
  object_class->dispose = sb_preferences_window_dispose;
  object_class->set_property = sb_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/sb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, desk_name_row);
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, platform_url_row);
  gtk_widget_class_bind_template_callback (widget_class, on_platform_url_apply);
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, color_scheme_row);
}

static void
sb_preferences_window_init (SbPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sb_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (SB_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}
