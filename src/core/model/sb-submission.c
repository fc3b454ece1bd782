/* sb-submission.c — an application (Antrag) filed on a citizen's behalf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sb-model-enums.h"
#include "sb-consent.h"
#include "sb-submission.h"

struct _SbSubmission
{
  GObject parent_instance;

  char *id;
  char *citizen_id;
  char *service_id;
  SbSubmissionState state;
  char *form_data;
  SbRepresentation representation;
  char *representative_name;
  gint64 created_at;
  gint64 updated_at;
  gint64 delivered_at;

  GListStore *consents;
};

G_DEFINE_FINAL_TYPE (SbSubmission, sb_submission, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CITIZEN_ID,
  PROP_SERVICE_ID,
  PROP_STATE,
  PROP_FORM_DATA,
  PROP_REPRESENTATION,
  PROP_REPRESENTATIVE_NAME,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_DELIVERED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
sb_submission_finalize (GObject *object)
{
  SbSubmission *self = (SbSubmission *)object;

  g_free (self->id);
  g_free (self->citizen_id);
  g_free (self->service_id);
  g_free (self->form_data);
  g_free (self->representative_name);
  g_clear_object (&self->consents);

  G_OBJECT_CLASS (sb_submission_parent_class)->finalize (object);
}

static void
sb_submission_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SbSubmission *self = SB_SUBMISSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_CITIZEN_ID:
      g_value_set_string (value, self->citizen_id);
      break;

    case PROP_SERVICE_ID:
      g_value_set_string (value, self->service_id);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_FORM_DATA:
      g_value_set_string (value, self->form_data);
      break;

    case PROP_REPRESENTATION:
      g_value_set_enum (value, self->representation);
      break;

    case PROP_REPRESENTATIVE_NAME:
      g_value_set_string (value, self->representative_name);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;

    case PROP_DELIVERED_AT:
      g_value_set_int64 (value, self->delivered_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_submission_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SbSubmission *self = SB_SUBMISSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      sb_submission_set_id (self, g_value_get_string (value));
      break;

    case PROP_CITIZEN_ID:
      sb_submission_set_citizen_id (self, g_value_get_string (value));
      break;

    case PROP_SERVICE_ID:
      sb_submission_set_service_id (self, g_value_get_string (value));
      break;

    case PROP_STATE:
      sb_submission_set_state (self, g_value_get_enum (value));
      break;

    case PROP_FORM_DATA:
      sb_submission_set_form_data (self, g_value_get_string (value));
      break;

    case PROP_REPRESENTATION:
      sb_submission_set_representation (self, g_value_get_enum (value));
      break;

    case PROP_REPRESENTATIVE_NAME:
      sb_submission_set_representative_name (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      sb_submission_set_created_at (self, g_value_get_int64 (value));
      break;

    case PROP_UPDATED_AT:
      sb_submission_set_updated_at (self, g_value_get_int64 (value));
      break;

    case PROP_DELIVERED_AT:
      sb_submission_set_delivered_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_submission_class_init (SbSubmissionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_submission_finalize;
  object_class->get_property = sb_submission_get_property;
  object_class->set_property = sb_submission_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CITIZEN_ID] =
    g_param_spec_string ("citizen-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SERVICE_ID] =
    g_param_spec_string ("service-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       SB_TYPE_SUBMISSION_STATE, SB_SUBMISSION_STATE_DRAFT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_FORM_DATA] =
    g_param_spec_string ("form-data", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_REPRESENTATION] =
    g_param_spec_enum ("representation", NULL, NULL,
                       SB_TYPE_REPRESENTATION, SB_REPRESENTATION_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_REPRESENTATIVE_NAME] =
    g_param_spec_string ("representative-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_DELIVERED_AT] =
    g_param_spec_int64 ("delivered-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_submission_init (SbSubmission *self)
{
  self->consents = g_list_store_new (SB_TYPE_CONSENT);
  self->representation = SB_REPRESENTATION_NONE;
}

SbSubmission *
sb_submission_new (void)
{
  return g_object_new (SB_TYPE_SUBMISSION, NULL);
}

const char *
sb_submission_get_id (SbSubmission *self)
{
  g_return_val_if_fail (SB_IS_SUBMISSION (self), NULL);

  return self->id;
}

void
sb_submission_set_id (SbSubmission *self,
                     const char *id)
{
  g_return_if_fail (SB_IS_SUBMISSION (self));

  if (g_strcmp0 (self->id, id) == 0)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
sb_submission_get_citizen_id (SbSubmission *self)
{
  g_return_val_if_fail (SB_IS_SUBMISSION (self), NULL);

  return self->citizen_id;
}

void
sb_submission_set_citizen_id (SbSubmission *self,
                             const char *citizen_id)
{
  g_return_if_fail (SB_IS_SUBMISSION (self));

  if (g_strcmp0 (self->citizen_id, citizen_id) == 0)
    return;

  g_free (self->citizen_id);
  self->citizen_id = g_strdup (citizen_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CITIZEN_ID]);
}

const char *
sb_submission_get_service_id (SbSubmission *self)
{
  g_return_val_if_fail (SB_IS_SUBMISSION (self), NULL);

  return self->service_id;
}

void
sb_submission_set_service_id (SbSubmission *self,
                             const char *service_id)
{
  g_return_if_fail (SB_IS_SUBMISSION (self));

  if (g_strcmp0 (self->service_id, service_id) == 0)
    return;

  g_free (self->service_id);
  self->service_id = g_strdup (service_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_ID]);
}

SbSubmissionState
sb_submission_get_state (SbSubmission *self)
{
  g_return_val_if_fail (SB_IS_SUBMISSION (self), 0);

  return self->state;
}

void
sb_submission_set_state (SbSubmission *self,
                        SbSubmissionState state)
{
  g_return_if_fail (SB_IS_SUBMISSION (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
sb_submission_get_form_data (SbSubmission *self)
{
  g_return_val_if_fail (SB_IS_SUBMISSION (self), NULL);

  return self->form_data;
}

void
sb_submission_set_form_data (SbSubmission *self,
                            const char *form_data)
{
  g_return_if_fail (SB_IS_SUBMISSION (self));

  if (g_strcmp0 (self->form_data, form_data) == 0)
    return;

  g_free (self->form_data);
  self->form_data = g_strdup (form_data);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORM_DATA]);
}

SbRepresentation
sb_submission_get_representation (SbSubmission *self)
{
  g_return_val_if_fail (SB_IS_SUBMISSION (self), 0);

  return self->representation;
}

void
sb_submission_set_representation (SbSubmission *self,
                                 SbRepresentation representation)
{
  g_return_if_fail (SB_IS_SUBMISSION (self));

  if (self->representation == representation)
    return;

  self->representation = representation;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPRESENTATION]);
}

const char *
sb_submission_get_representative_name (SbSubmission *self)
{
  g_return_val_if_fail (SB_IS_SUBMISSION (self), NULL);

  return self->representative_name;
}

void
sb_submission_set_representative_name (SbSubmission *self,
                                      const char *representative_name)
{
  g_return_if_fail (SB_IS_SUBMISSION (self));

  if (g_strcmp0 (self->representative_name, representative_name) == 0)
    return;

  g_free (self->representative_name);
  self->representative_name = g_strdup (representative_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPRESENTATIVE_NAME]);
}

gint64
sb_submission_get_created_at (SbSubmission *self)
{
  g_return_val_if_fail (SB_IS_SUBMISSION (self), 0);

  return self->created_at;
}

void
sb_submission_set_created_at (SbSubmission *self,
                             gint64 created_at)
{
  g_return_if_fail (SB_IS_SUBMISSION (self));

  if (self->created_at == created_at)
    return;

  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

gint64
sb_submission_get_updated_at (SbSubmission *self)
{
  g_return_val_if_fail (SB_IS_SUBMISSION (self), 0);

  return self->updated_at;
}

void
sb_submission_set_updated_at (SbSubmission *self,
                             gint64 updated_at)
{
  g_return_if_fail (SB_IS_SUBMISSION (self));

  if (self->updated_at == updated_at)
    return;

  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

gint64
sb_submission_get_delivered_at (SbSubmission *self)
{
  g_return_val_if_fail (SB_IS_SUBMISSION (self), 0);

  return self->delivered_at;
}

void
sb_submission_set_delivered_at (SbSubmission *self,
                               gint64 delivered_at)
{
  g_return_if_fail (SB_IS_SUBMISSION (self));

  if (self->delivered_at == delivered_at)
    return;

  self->delivered_at = delivered_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIVERED_AT]);
}

/**
 * sb_submission_get_consents:
 *
 * Returns: (transfer none): a list of #SbConsent, oldest first
 */
GListModel *
sb_submission_get_consents (SbSubmission *self)
{
  g_return_val_if_fail (SB_IS_SUBMISSION (self), NULL);

  return G_LIST_MODEL (self->consents);
}
