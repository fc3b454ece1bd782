/* sb-sync-indicator.c — the header's compact view of SbSyncStatus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A flat button with an icon and a short text ("Offline · 3 waiting"); its
 * tooltip and accessible description say what that means. Activating it
 * opens the outbox, where the details are.
 */

#include "config.h"

#include "sb-core-enums.h"
#include "sb-sync-indicator.h"

struct _SbSyncIndicator
{
  GtkWidget       parent_instance;

  GtkButton      *button;
  GtkImage       *icon;
  GtkLabel       *label;

  SbSyncStatus   *status;
  GSignalGroup   *status_signals;
};

G_DEFINE_FINAL_TYPE (SbSyncIndicator, sb_sync_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
icon_name_for_state (SbSyncState state)
{
  switch (state)
    {
    case SB_SYNC_STATE_SIGNED_OUT:
      return "dialog-password-symbolic";
    case SB_SYNC_STATE_OFFLINE:
      return "network-offline-symbolic";
    case SB_SYNC_STATE_SYNCING:
      return "emblem-synchronizing-symbolic";
    case SB_SYNC_STATE_UP_TO_DATE:
      return "emblem-ok-symbolic";
    case SB_SYNC_STATE_NEEDS_ATTENTION:
      return "dialog-warning-symbolic";
    default:
      g_assert_not_reached ();
    }
}

static void
sb_sync_indicator_update (SbSyncIndicator *self)
{
  g_autofree char *label = NULL;
  g_autofree char *description = NULL;
  SbSyncState state = SB_SYNC_STATE_SIGNED_OUT;

  gtk_widget_set_visible (GTK_WIDGET (self->button), self->status != NULL);
  if (self->status == NULL)
    return;

  state = sb_sync_status_get_state (self->status);
  label = sb_sync_status_dup_label (self->status);
  description = sb_sync_status_dup_description (self->status);

  gtk_image_set_from_icon_name (self->icon, icon_name_for_state (state));
  gtk_label_set_label (self->label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), description);

  if (state == SB_SYNC_STATE_NEEDS_ATTENTION)
    gtk_widget_add_css_class (GTK_WIDGET (self), "needs-attention");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "needs-attention");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
sb_sync_indicator_dispose (GObject *object)
{
  SbSyncIndicator *self = (SbSyncIndicator *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_SYNC_INDICATOR);

  g_clear_object (&self->status_signals);
  g_clear_object (&self->status);

  G_OBJECT_CLASS (sb_sync_indicator_parent_class)->dispose (object);
}

static void
sb_sync_indicator_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SbSyncIndicator *self = SB_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_object (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_sync_indicator_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SbSyncIndicator *self = SB_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      sb_sync_indicator_set_status (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_sync_indicator_class_init (SbSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_sync_indicator_dispose;
  object_class->get_property = sb_sync_indicator_get_property;
  object_class->set_property = sb_sync_indicator_set_property;

  properties[PROP_STATUS] =
    g_param_spec_object ("status", NULL, NULL,
                         SB_TYPE_SYNC_STATUS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/sb-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, SbSyncIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, SbSyncIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, SbSyncIndicator, label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "syncindicator");
}

static void
sb_sync_indicator_init (SbSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "sync-indicator");

  /* SbSyncStatus notifies "label" whenever anything it shows changes. */
  self->status_signals = g_signal_group_new (SB_TYPE_SYNC_STATUS);
  g_signal_group_connect_object (self->status_signals, "notify::label",
                                 G_CALLBACK (sb_sync_indicator_update),
                                 self, G_CONNECT_SWAPPED);

  sb_sync_indicator_update (self);
}

GtkWidget *
sb_sync_indicator_new (void)
{
  return g_object_new (SB_TYPE_SYNC_INDICATOR, NULL);
}

/**
 * sb_sync_indicator_get_status:
 *
 * Returns: (nullable) (transfer none): the status shown
 */
SbSyncStatus *
sb_sync_indicator_get_status (SbSyncIndicator *self)
{
  g_return_val_if_fail (SB_IS_SYNC_INDICATOR (self), NULL);

  return self->status;
}

void
sb_sync_indicator_set_status (SbSyncIndicator *self,
                              SbSyncStatus    *status)
{
  g_return_if_fail (SB_IS_SYNC_INDICATOR (self));
  g_return_if_fail (!status || SB_IS_SYNC_STATUS (status));

  if (!g_set_object (&self->status, status))
    return;

  g_signal_group_set_target (self->status_signals, status);
  sb_sync_indicator_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}
