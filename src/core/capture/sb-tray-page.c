/* sb-tray-page.c — one page in the scan tray
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the page grid shows of a page: where it stands (being scanned, being
 * processed, kept), how it is turned, and a small picture of it. The image
 * itself lives encrypted in the store.
 */

#include "config.h"

#include "sb-capture-enums.h"
#include "sb-tray-page.h"

struct _SbTrayPage
{
  GObject          parent_instance;

  char            *id;
  SbTrayPageState  state;
  double           progress;
  int              rotation;
  gboolean         blank;
  double           skew;
  char            *problem;
  GBytes          *thumbnail;
  guint            thumbnail_width;
  guint            thumbnail_height;
};

G_DEFINE_FINAL_TYPE (SbTrayPage, sb_tray_page, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_ROTATION,
  PROP_BLANK,
  PROP_PROBLEM,
  PROP_THUMBNAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sb_tray_page_finalize (GObject *object)
{
  SbTrayPage *self = SB_TRAY_PAGE (object);

  g_free (self->id);
  g_free (self->problem);
  g_clear_pointer (&self->thumbnail, g_bytes_unref);

  G_OBJECT_CLASS (sb_tray_page_parent_class)->finalize (object);
}

static void
sb_tray_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SbTrayPage *self = SB_TRAY_PAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_ROTATION:
      g_value_set_int (value, self->rotation);
      break;
    case PROP_BLANK:
      g_value_set_boolean (value, self->blank);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_THUMBNAIL:
      g_value_set_boxed (value, self->thumbnail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_tray_page_class_init (SbTrayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = sb_tray_page_finalize;
  object_class->get_property = sb_tray_page_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, SB_TYPE_TRAY_PAGE_STATE,
                                              SB_TRAY_PAGE_SCANNING, flags);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1, 1, 0, flags);
  properties[PROP_ROTATION] = g_param_spec_int ("rotation", NULL, NULL, 0, 3, 0, flags);
  properties[PROP_BLANK] = g_param_spec_boolean ("blank", NULL, NULL, FALSE, flags);
  properties[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL, flags);
  properties[PROP_THUMBNAIL] = g_param_spec_boxed ("thumbnail", NULL, NULL, G_TYPE_BYTES, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_tray_page_init (SbTrayPage *self)
{
}

SbTrayPage *
sb_tray_page_new (const char *id)
{
  SbTrayPage *self = g_object_new (SB_TYPE_TRAY_PAGE, NULL);

  self->id = id != NULL ? g_strdup (id) : g_uuid_string_random ();
  return self;
}

const char *
sb_tray_page_get_id (SbTrayPage *self)
{
  g_return_val_if_fail (SB_IS_TRAY_PAGE (self), NULL);
  return self->id;
}

SbTrayPageState
sb_tray_page_get_state (SbTrayPage *self)
{
  g_return_val_if_fail (SB_IS_TRAY_PAGE (self), SB_TRAY_PAGE_FAILED);
  return self->state;
}

void
sb_tray_page_set_state (SbTrayPage      *self,
                        SbTrayPageState  state)
{
  g_return_if_fail (SB_IS_TRAY_PAGE (self));
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

double
sb_tray_page_get_progress (SbTrayPage *self)
{
  g_return_val_if_fail (SB_IS_TRAY_PAGE (self), 0);
  return self->progress;
}

void
sb_tray_page_set_progress (SbTrayPage *self,
                           double      progress)
{
  g_return_if_fail (SB_IS_TRAY_PAGE (self));
  progress = CLAMP (progress, -1, 1);
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

int
sb_tray_page_get_rotation (SbTrayPage *self)
{
  g_return_val_if_fail (SB_IS_TRAY_PAGE (self), 0);
  return self->rotation;
}

/**
 * sb_tray_page_set_rotation:
 * @rotation: clockwise quarter turns; any integer, kept modulo 4
 */
void
sb_tray_page_set_rotation (SbTrayPage *self,
                           int         rotation)
{
  g_return_if_fail (SB_IS_TRAY_PAGE (self));
  rotation = ((rotation % 4) + 4) % 4;
  if (self->rotation == rotation)
    return;
  self->rotation = rotation;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROTATION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

gboolean
sb_tray_page_get_blank (SbTrayPage *self)
{
  g_return_val_if_fail (SB_IS_TRAY_PAGE (self), FALSE);
  return self->blank;
}

void
sb_tray_page_set_blank (SbTrayPage *self,
                        gboolean    blank)
{
  g_return_if_fail (SB_IS_TRAY_PAGE (self));
  if (self->blank == !!blank)
    return;
  self->blank = !!blank;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLANK]);
}

const char *
sb_tray_page_get_problem (SbTrayPage *self)
{
  g_return_val_if_fail (SB_IS_TRAY_PAGE (self), NULL);
  return self->problem;
}

void
sb_tray_page_set_problem (SbTrayPage *self,
                          const char *problem)
{
  g_return_if_fail (SB_IS_TRAY_PAGE (self));
  if (g_strcmp0 (self->problem, problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

double
sb_tray_page_get_skew (SbTrayPage *self)
{
  g_return_val_if_fail (SB_IS_TRAY_PAGE (self), 0);
  return self->skew;
}

void
sb_tray_page_set_skew (SbTrayPage *self,
                       double      degrees)
{
  g_return_if_fail (SB_IS_TRAY_PAGE (self));
  self->skew = degrees;
}

void
sb_tray_page_set_thumbnail (SbTrayPage *self,
                            GBytes     *rgba,
                            guint       width,
                            guint       height)
{
  g_return_if_fail (SB_IS_TRAY_PAGE (self));
  g_return_if_fail (rgba == NULL || g_bytes_get_size (rgba) == (gsize)width * height * 4);

  g_clear_pointer (&self->thumbnail, g_bytes_unref);
  self->thumbnail = rgba != NULL ? g_bytes_ref (rgba) : NULL;
  self->thumbnail_width = width;
  self->thumbnail_height = height;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

/**
 * sb_tray_page_get_thumbnail:
 *
 * Returns: (transfer full) (nullable): the small picture, RGBA, turned as
 *   the page is
 */
GBytes *
sb_tray_page_get_thumbnail (SbTrayPage *self,
                            guint      *width,
                            guint      *height)
{
  const guint32 *in;
  guint32 *out;
  guint w, h;

  g_return_val_if_fail (SB_IS_TRAY_PAGE (self), NULL);

  if (self->thumbnail == NULL)
    return NULL;

  w = self->thumbnail_width;
  h = self->thumbnail_height;
  if (self->rotation == 0)
    {
      *width = w;
      *height = h;
      return g_bytes_ref (self->thumbnail);
    }

  in = g_bytes_get_data (self->thumbnail, NULL);
  out = g_malloc ((gsize)w * h * 4);
  *width = self->rotation % 2 ? h : w;
  *height = self->rotation % 2 ? w : h;

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint tx, ty;

        switch (self->rotation)
          {
          case 1:  /* a quarter turn clockwise */
            tx = h - 1 - y, ty = x;
            break;
          case 2:
            tx = w - 1 - x, ty = h - 1 - y;
            break;
          default:
            tx = y, ty = w - 1 - x;
            break;
          }
        out[(gsize)ty * *width + tx] = in[(gsize)y * w + x];
      }

  return g_bytes_new_take (out, (gsize)w * h * 4);
}
