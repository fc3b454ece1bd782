/* sb-page.c — one scanned page of a document and how it is to be processed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sb-model-enums.h"
#include "sb-page.h"

struct _SbPage
{
  GObject parent_instance;

  char *id;
  char *document_id;
  guint position;
  char *blob_id;
  int rotation;
  char *settings;

};

G_DEFINE_FINAL_TYPE (SbPage, sb_page, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DOCUMENT_ID,
  PROP_POSITION,
  PROP_BLOB_ID,
  PROP_ROTATION,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
sb_page_finalize (GObject *object)
{
  SbPage *self = (SbPage *)object;

  g_free (self->id);
  g_free (self->document_id);
  g_free (self->blob_id);
  g_free (self->settings);


  G_OBJECT_CLASS (sb_page_parent_class)->finalize (object);
}

static void
sb_page_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SbPage *self = SB_PAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_DOCUMENT_ID:
      g_value_set_string (value, self->document_id);
      break;

    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;

    case PROP_BLOB_ID:
      g_value_set_string (value, self->blob_id);
      break;

    case PROP_ROTATION:
      g_value_set_int (value, self->rotation);
      break;

    case PROP_SETTINGS:
      g_value_set_string (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_page_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SbPage *self = SB_PAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      sb_page_set_id (self, g_value_get_string (value));
      break;

    case PROP_DOCUMENT_ID:
      sb_page_set_document_id (self, g_value_get_string (value));
      break;

    case PROP_POSITION:
      sb_page_set_position (self, g_value_get_uint (value));
      break;

    case PROP_BLOB_ID:
      sb_page_set_blob_id (self, g_value_get_string (value));
      break;

    case PROP_ROTATION:
      sb_page_set_rotation (self, g_value_get_int (value));
      break;

    case PROP_SETTINGS:
      sb_page_set_settings (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_page_class_init (SbPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_page_finalize;
  object_class->get_property = sb_page_get_property;
  object_class->set_property = sb_page_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_DOCUMENT_ID] =
    g_param_spec_string ("document-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BLOB_ID] =
    g_param_spec_string ("blob-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ROTATION] =
    g_param_spec_int ("rotation", NULL, NULL,
                      G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SETTINGS] =
    g_param_spec_string ("settings", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_page_init (SbPage *self)
{
}

SbPage *
sb_page_new (void)
{
  return g_object_new (SB_TYPE_PAGE, NULL);
}

const char *
sb_page_get_id (SbPage *self)
{
  g_return_val_if_fail (SB_IS_PAGE (self), NULL);

  return self->id;
}

void
sb_page_set_id (SbPage *self,
               const char *id)
{
  g_return_if_fail (SB_IS_PAGE (self));

  if (g_strcmp0 (self->id, id) == 0)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
sb_page_get_document_id (SbPage *self)
{
  g_return_val_if_fail (SB_IS_PAGE (self), NULL);

  return self->document_id;
}

void
sb_page_set_document_id (SbPage *self,
                        const char *document_id)
{
  g_return_if_fail (SB_IS_PAGE (self));

  if (g_strcmp0 (self->document_id, document_id) == 0)
    return;

  g_free (self->document_id);
  self->document_id = g_strdup (document_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT_ID]);
}

guint
sb_page_get_position (SbPage *self)
{
  g_return_val_if_fail (SB_IS_PAGE (self), 0);

  return self->position;
}

void
sb_page_set_position (SbPage *self,
                     guint position)
{
  g_return_if_fail (SB_IS_PAGE (self));

  if (self->position == position)
    return;

  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

const char *
sb_page_get_blob_id (SbPage *self)
{
  g_return_val_if_fail (SB_IS_PAGE (self), NULL);

  return self->blob_id;
}

void
sb_page_set_blob_id (SbPage *self,
                    const char *blob_id)
{
  g_return_if_fail (SB_IS_PAGE (self));

  if (g_strcmp0 (self->blob_id, blob_id) == 0)
    return;

  g_free (self->blob_id);
  self->blob_id = g_strdup (blob_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOB_ID]);
}

int
sb_page_get_rotation (SbPage *self)
{
  g_return_val_if_fail (SB_IS_PAGE (self), 0);

  return self->rotation;
}

void
sb_page_set_rotation (SbPage *self,
                     int rotation)
{
  g_return_if_fail (SB_IS_PAGE (self));

  if (self->rotation == rotation)
    return;

  self->rotation = rotation;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROTATION]);
}

const char *
sb_page_get_settings (SbPage *self)
{
  g_return_val_if_fail (SB_IS_PAGE (self), NULL);

  return self->settings;
}

void
sb_page_set_settings (SbPage *self,
                     const char *settings)
{
  g_return_if_fail (SB_IS_PAGE (self));

  if (g_strcmp0 (self->settings, settings) == 0)
    return;

  g_free (self->settings);
  self->settings = g_strdup (settings);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
}
