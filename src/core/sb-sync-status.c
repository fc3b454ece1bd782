/* sb-sync-status.c — what the header tells staff about syncing with the platform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sync engine sets the state, the number of items waiting in the outbox
 * and the time of the last successful sync; the header shows the derived
 * label and description. Keeping the wording here, away from GTK, lets it be
 * tested and reused by servicebuero-ctl.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sb-core-enums.h"
#include "sb-sync-status.h"

struct _SbSyncStatus
{
  GObject      parent_instance;

  SbSyncState  state;
  guint        pending;
  GDateTime   *last_sync;
};

G_DEFINE_FINAL_TYPE (SbSyncStatus, sb_sync_status, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PENDING,
  PROP_LAST_SYNC,
  PROP_LABEL,
  PROP_DESCRIPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
notify_derived (SbSyncStatus *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

static void
sb_sync_status_finalize (GObject *object)
{
  SbSyncStatus *self = (SbSyncStatus *)object;

  g_clear_pointer (&self->last_sync, g_date_time_unref);

  G_OBJECT_CLASS (sb_sync_status_parent_class)->finalize (object);
}

static void
sb_sync_status_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SbSyncStatus *self = SB_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;

    case PROP_LAST_SYNC:
      g_value_set_boxed (value, self->last_sync);
      break;

    case PROP_LABEL:
      g_value_take_string (value, sb_sync_status_dup_label (self));
      break;

    case PROP_DESCRIPTION:
      g_value_take_string (value, sb_sync_status_dup_description (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_sync_status_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SbSyncStatus *self = SB_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_STATE:
      sb_sync_status_set_state (self, g_value_get_enum (value));
      break;

    case PROP_PENDING:
      sb_sync_status_set_pending (self, g_value_get_uint (value));
      break;

    case PROP_LAST_SYNC:
      sb_sync_status_set_last_sync (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_sync_status_class_init (SbSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_sync_status_finalize;
  object_class->get_property = sb_sync_status_get_property;
  object_class->set_property = sb_sync_status_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       SB_TYPE_SYNC_STATE,
                       SB_SYNC_STATE_SIGNED_OUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LAST_SYNC] =
    g_param_spec_boxed ("last-sync", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_sync_status_init (SbSyncStatus *self)
{
  self->state = SB_SYNC_STATE_SIGNED_OUT;
}

SbSyncStatus *
sb_sync_status_new (void)
{
  return g_object_new (SB_TYPE_SYNC_STATUS, NULL);
}

SbSyncState
sb_sync_status_get_state (SbSyncStatus *self)
{
  g_return_val_if_fail (SB_IS_SYNC_STATUS (self), SB_SYNC_STATE_SIGNED_OUT);

  return self->state;
}

void
sb_sync_status_set_state (SbSyncStatus *self,
                          SbSyncState   state)
{
  g_return_if_fail (SB_IS_SYNC_STATUS (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  notify_derived (self);
}

guint
sb_sync_status_get_pending (SbSyncStatus *self)
{
  g_return_val_if_fail (SB_IS_SYNC_STATUS (self), 0);

  return self->pending;
}

void
sb_sync_status_set_pending (SbSyncStatus *self,
                            guint         pending)
{
  g_return_if_fail (SB_IS_SYNC_STATUS (self));

  if (self->pending == pending)
    return;

  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  notify_derived (self);
}

/**
 * sb_sync_status_get_last_sync:
 *
 * Returns: (nullable) (transfer none): when the platform last confirmed a
 *   sync, or %NULL if it never has
 */
GDateTime *
sb_sync_status_get_last_sync (SbSyncStatus *self)
{
  g_return_val_if_fail (SB_IS_SYNC_STATUS (self), NULL);

  return self->last_sync;
}

void
sb_sync_status_set_last_sync (SbSyncStatus *self,
                              GDateTime    *last_sync)
{
  g_return_if_fail (SB_IS_SYNC_STATUS (self));

  if (self->last_sync == last_sync ||
      (self->last_sync && last_sync && g_date_time_equal (self->last_sync, last_sync)))
    return;

  g_clear_pointer (&self->last_sync, g_date_time_unref);
  if (last_sync)
    self->last_sync = g_date_time_ref (last_sync);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
  notify_derived (self);
}

static const char *
state_label (SbSyncState state)
{
  switch (state)
    {
    case SB_SYNC_STATE_SIGNED_OUT:
      return _("Not Signed In");
    case SB_SYNC_STATE_OFFLINE:
      return _("Offline");
    case SB_SYNC_STATE_SYNCING:
      return _("Sending…");
    case SB_SYNC_STATE_UP_TO_DATE:
      return _("Up to Date");
    case SB_SYNC_STATE_NEEDS_ATTENTION:
      return _("Needs Attention");
    default:
      g_assert_not_reached ();
    }
}

/**
 * sb_sync_status_dup_label:
 *
 * Returns: (transfer full): a short text for the header, e.g. "Offline · 3 waiting"
 */
char *
sb_sync_status_dup_label (SbSyncStatus *self)
{
  g_return_val_if_fail (SB_IS_SYNC_STATUS (self), NULL);

  if (self->pending == 0 || self->state == SB_SYNC_STATE_UP_TO_DATE)
    return g_strdup (state_label (self->state));

  /* Translators: the sync state, then how many items wait in the outbox,
   * e.g. "Offline · 3 waiting" */
  return g_strdup_printf (ngettext ("%s · %u waiting", "%s · %u waiting", self->pending),
                          state_label (self->state), self->pending);
}

static const char *
state_description (SbSyncState state)
{
  switch (state)
    {
    case SB_SYNC_STATE_SIGNED_OUT:
      return _("This desk is not signed in to the platform. Everything you capture is kept safely on this computer and sent once a staff member signs in.");
    case SB_SYNC_STATE_OFFLINE:
      return _("The platform cannot be reached. You can go on working: everything is kept on this computer and sent when the connection is back.");
    case SB_SYNC_STATE_SYNCING:
      return _("Sending to the platform. You can go on working.");
    case SB_SYNC_STATE_UP_TO_DATE:
      return _("Everything captured at this desk has reached the platform.");
    case SB_SYNC_STATE_NEEDS_ATTENTION:
      return _("The platform refused some items. Open the outbox to see what needs to be corrected; everything else is still being sent.");
    default:
      g_assert_not_reached ();
    }
}

/**
 * sb_sync_status_dup_description:
 *
 * Returns: (transfer full): a sentence or two that say what the state means
 *   for the clerk and what to do next
 */
char *
sb_sync_status_dup_description (SbSyncStatus *self)
{
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (SB_IS_SYNC_STATUS (self), NULL);

  text = g_string_new (state_description (self->state));

  if (self->pending > 0 && self->state != SB_SYNC_STATE_UP_TO_DATE)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text,
                              ngettext ("%u item is waiting in the outbox.",
                                        "%u items are waiting in the outbox.",
                                        self->pending),
                              self->pending);
    }

  if (self->last_sync != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (self->last_sync);
      /* Translators: a date and time in strftime format, see `man strftime` */
      g_autofree char *when = g_date_time_format (local, _("%-d %B %Y, %H:%M"));

      g_string_append_c (text, ' ');
      /* Translators: %s is a date and time like "4 December 2026, 14:32" */
      g_string_append_printf (text, _("Last successful sync: %s."), when);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
