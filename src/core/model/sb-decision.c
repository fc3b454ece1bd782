/* sb-decision.c — a decision (Bescheid) the authority sent for a submission
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sb-model-enums.h"
#include "sb-decision.h"

struct _SbDecision
{
  GObject parent_instance;

  char *id;
  char *submission_id;
  char *title;
  char *blob_id;
  gint64 received_at;

};

G_DEFINE_FINAL_TYPE (SbDecision, sb_decision, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SUBMISSION_ID,
  PROP_TITLE,
  PROP_BLOB_ID,
  PROP_RECEIVED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
sb_decision_finalize (GObject *object)
{
  SbDecision *self = (SbDecision *)object;

  g_free (self->id);
  g_free (self->submission_id);
  g_free (self->title);
  g_free (self->blob_id);


  G_OBJECT_CLASS (sb_decision_parent_class)->finalize (object);
}

static void
sb_decision_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SbDecision *self = SB_DECISION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_SUBMISSION_ID:
      g_value_set_string (value, self->submission_id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_BLOB_ID:
      g_value_set_string (value, self->blob_id);
      break;

    case PROP_RECEIVED_AT:
      g_value_set_int64 (value, self->received_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_decision_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SbDecision *self = SB_DECISION (object);

  switch (prop_id)
    {
    case PROP_ID:
      sb_decision_set_id (self, g_value_get_string (value));
      break;

    case PROP_SUBMISSION_ID:
      sb_decision_set_submission_id (self, g_value_get_string (value));
      break;

    case PROP_TITLE:
      sb_decision_set_title (self, g_value_get_string (value));
      break;

    case PROP_BLOB_ID:
      sb_decision_set_blob_id (self, g_value_get_string (value));
      break;

    case PROP_RECEIVED_AT:
      sb_decision_set_received_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_decision_class_init (SbDecisionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_decision_finalize;
  object_class->get_property = sb_decision_get_property;
  object_class->set_property = sb_decision_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SUBMISSION_ID] =
    g_param_spec_string ("submission-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BLOB_ID] =
    g_param_spec_string ("blob-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_RECEIVED_AT] =
    g_param_spec_int64 ("received-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_decision_init (SbDecision *self)
{
}

SbDecision *
sb_decision_new (void)
{
  return g_object_new (SB_TYPE_DECISION, NULL);
}

const char *
sb_decision_get_id (SbDecision *self)
{
  g_return_val_if_fail (SB_IS_DECISION (self), NULL);

  return self->id;
}

void
sb_decision_set_id (SbDecision *self,
                   const char *id)
{
  g_return_if_fail (SB_IS_DECISION (self));

  if (g_strcmp0 (self->id, id) == 0)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
sb_decision_get_submission_id (SbDecision *self)
{
  g_return_val_if_fail (SB_IS_DECISION (self), NULL);

  return self->submission_id;
}

void
sb_decision_set_submission_id (SbDecision *self,
                              const char *submission_id)
{
  g_return_if_fail (SB_IS_DECISION (self));

  if (g_strcmp0 (self->submission_id, submission_id) == 0)
    return;

  g_free (self->submission_id);
  self->submission_id = g_strdup (submission_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBMISSION_ID]);
}

const char *
sb_decision_get_title (SbDecision *self)
{
  g_return_val_if_fail (SB_IS_DECISION (self), NULL);

  return self->title;
}

void
sb_decision_set_title (SbDecision *self,
                      const char *title)
{
  g_return_if_fail (SB_IS_DECISION (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
sb_decision_get_blob_id (SbDecision *self)
{
  g_return_val_if_fail (SB_IS_DECISION (self), NULL);

  return self->blob_id;
}

void
sb_decision_set_blob_id (SbDecision *self,
                        const char *blob_id)
{
  g_return_if_fail (SB_IS_DECISION (self));

  if (g_strcmp0 (self->blob_id, blob_id) == 0)
    return;

  g_free (self->blob_id);
  self->blob_id = g_strdup (blob_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOB_ID]);
}

gint64
sb_decision_get_received_at (SbDecision *self)
{
  g_return_val_if_fail (SB_IS_DECISION (self), 0);

  return self->received_at;
}

void
sb_decision_set_received_at (SbDecision *self,
                            gint64 received_at)
{
  g_return_if_fail (SB_IS_DECISION (self));

  if (self->received_at == received_at)
    return;

  self->received_at = received_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVED_AT]);
}
