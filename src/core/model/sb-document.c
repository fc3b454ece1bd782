/* sb-document.c — a document (Nachweis) of a submission: scanned pages or an imported PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sb-model-enums.h"
#include "sb-document.h"

struct _SbDocument
{
  GObject parent_instance;

  char *id;
  char *submission_id;
  char *kind;
  char *title;
  char *pdf_blob_id;
  char *media_type;
  gint64 created_at;

};

G_DEFINE_FINAL_TYPE (SbDocument, sb_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SUBMISSION_ID,
  PROP_KIND,
  PROP_TITLE,
  PROP_PDF_BLOB_ID,
  PROP_MEDIA_TYPE,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
sb_document_finalize (GObject *object)
{
  SbDocument *self = (SbDocument *)object;

  g_free (self->id);
  g_free (self->submission_id);
  g_free (self->kind);
  g_free (self->title);
  g_free (self->pdf_blob_id);
  g_free (self->media_type);


  G_OBJECT_CLASS (sb_document_parent_class)->finalize (object);
}

static void
sb_document_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SbDocument *self = SB_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_SUBMISSION_ID:
      g_value_set_string (value, self->submission_id);
      break;

    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_PDF_BLOB_ID:
      g_value_set_string (value, self->pdf_blob_id);
      break;
    case PROP_MEDIA_TYPE:
      g_value_set_string (value, self->media_type);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_document_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SbDocument *self = SB_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      sb_document_set_id (self, g_value_get_string (value));
      break;

    case PROP_SUBMISSION_ID:
      sb_document_set_submission_id (self, g_value_get_string (value));
      break;

    case PROP_KIND:
      sb_document_set_kind (self, g_value_get_string (value));
      break;

    case PROP_TITLE:
      sb_document_set_title (self, g_value_get_string (value));
      break;

    case PROP_PDF_BLOB_ID:
      sb_document_set_pdf_blob_id (self, g_value_get_string (value));
      break;
    case PROP_MEDIA_TYPE:
      sb_document_set_media_type (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      sb_document_set_created_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_document_class_init (SbDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_document_finalize;
  object_class->get_property = sb_document_get_property;
  object_class->set_property = sb_document_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SUBMISSION_ID] =
    g_param_spec_string ("submission-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PDF_BLOB_ID] =
    g_param_spec_string ("pdf-blob-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* What the blob holds: a PDF, or for the few document types that take
   * only images (a biometric photo) the JPEG or PNG as handed in. The blob
   * keeps its name "pdf-blob-id" from when every document was a PDF. */
  properties[PROP_MEDIA_TYPE] =
    g_param_spec_string ("media-type", NULL, NULL,
                         NULL,  /* NULL: a PDF, as documents stored before there were others */
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_document_init (SbDocument *self)
{
}

SbDocument *
sb_document_new (void)
{
  return g_object_new (SB_TYPE_DOCUMENT, NULL);
}

const char *
sb_document_get_id (SbDocument *self)
{
  g_return_val_if_fail (SB_IS_DOCUMENT (self), NULL);

  return self->id;
}

void
sb_document_set_id (SbDocument *self,
                   const char *id)
{
  g_return_if_fail (SB_IS_DOCUMENT (self));

  if (g_strcmp0 (self->id, id) == 0)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
sb_document_get_submission_id (SbDocument *self)
{
  g_return_val_if_fail (SB_IS_DOCUMENT (self), NULL);

  return self->submission_id;
}

void
sb_document_set_submission_id (SbDocument *self,
                              const char *submission_id)
{
  g_return_if_fail (SB_IS_DOCUMENT (self));

  if (g_strcmp0 (self->submission_id, submission_id) == 0)
    return;

  g_free (self->submission_id);
  self->submission_id = g_strdup (submission_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBMISSION_ID]);
}

const char *
sb_document_get_kind (SbDocument *self)
{
  g_return_val_if_fail (SB_IS_DOCUMENT (self), NULL);

  return self->kind;
}

void
sb_document_set_kind (SbDocument *self,
                     const char *kind)
{
  g_return_if_fail (SB_IS_DOCUMENT (self));

  if (g_strcmp0 (self->kind, kind) == 0)
    return;

  g_free (self->kind);
  self->kind = g_strdup (kind);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
sb_document_get_title (SbDocument *self)
{
  g_return_val_if_fail (SB_IS_DOCUMENT (self), NULL);

  return self->title;
}

void
sb_document_set_title (SbDocument *self,
                      const char *title)
{
  g_return_if_fail (SB_IS_DOCUMENT (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
sb_document_get_pdf_blob_id (SbDocument *self)
{
  g_return_val_if_fail (SB_IS_DOCUMENT (self), NULL);

  return self->pdf_blob_id;
}

void
sb_document_set_pdf_blob_id (SbDocument *self,
                            const char *pdf_blob_id)
{
  g_return_if_fail (SB_IS_DOCUMENT (self));

  if (g_strcmp0 (self->pdf_blob_id, pdf_blob_id) == 0)
    return;

  g_free (self->pdf_blob_id);
  self->pdf_blob_id = g_strdup (pdf_blob_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PDF_BLOB_ID]);
}

gint64
sb_document_get_created_at (SbDocument *self)
{
  g_return_val_if_fail (SB_IS_DOCUMENT (self), 0);

  return self->created_at;
}

void
sb_document_set_created_at (SbDocument *self,
                           gint64 created_at)
{
  g_return_if_fail (SB_IS_DOCUMENT (self));

  if (self->created_at == created_at)
    return;

  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

const char *
sb_document_get_media_type (SbDocument *self)
{
  g_return_val_if_fail (SB_IS_DOCUMENT (self), NULL);

  return self->media_type != NULL ? self->media_type : "application/pdf";
}

void
sb_document_set_media_type (SbDocument *self,
                            const char *media_type)
{
  g_return_if_fail (SB_IS_DOCUMENT (self));

  if (g_strcmp0 (media_type, self->media_type) == 0)
    return;
  g_free (self->media_type);
  self->media_type = g_strdup (media_type);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEDIA_TYPE]);
}

/* Scanned to answer a caseworker, not one of the application's documents. */
gboolean
sb_document_is_for_answer (SbDocument *self)
{
  g_return_val_if_fail (SB_IS_DOCUMENT (self), FALSE);

  return g_strcmp0 (self->kind, SB_DOCUMENT_KIND_ANSWER) == 0 || g_strcmp0 (self->kind, SB_DOCUMENT_KIND_ANSWER_SENT) == 0;
}
