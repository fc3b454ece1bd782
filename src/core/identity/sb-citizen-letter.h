/* sb-citizen-letter.h — letters and forms for citizens, in their language and German
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  const char *code;      /* "ar" */
  const char *name;      /* "العربية", the language's own name */
  gboolean    rtl;
} SbCitizenLanguage;

typedef struct
{
  const char *citizen_name;
  const char *language;         /* the citizen's; German is always added */
  const char *activation_code;  /* "ABCD-EFGH-JKLM" */
  const char *expires;          /* ISO 8601 date or date-time */
  const char *activation_url;   /* where the citizen sets their password */
  const char *desk;             /* "Servicebüro Nürnberg Mitte" */
} SbActivationLetter;

typedef struct
{
  const char *citizen_name;
  const char *birth_date;
  const char *language;
  gboolean    data_processing;
  gboolean    representation;
  const char *staff;
  gint64      recorded_at;      /* seconds since 1970 */
  const char *desk;
} SbConsentForm;

typedef struct
{
  const char *title;            /* as the citizen handed it in */
  const char *sha256;           /* hex */
} SbReceiptDocument;

typedef struct
{
  const char              *citizen_name;
  const char              *language;       /* the citizen's; German is always added */
  const char              *reference;      /* the platform's, or this desk's until it answers */
  const char              *service;        /* the service's title in German */
  const char              *service_local;  /* … in the citizen's language when the catalogue has it */
  const char              *authority;
  gint64                   received_at;    /* seconds since 1970 */
  const char              *desk;
  const char              *staff;
  const char              *representative; /* NULL when the citizen came themselves */
  const SbReceiptDocument *documents;
  guint                    n_documents;
  const char              *status_url;     /* where the citizen follows the application */
} SbReceipt;

const SbCitizenLanguage *sb_citizen_languages      (guint      *n_languages);
const SbCitizenLanguage *sb_citizen_language_find  (const char *code);
char                    *sb_citizen_text           (const char *language,
                                                    const char *key);
GBytes                  *sb_activation_letter_render (const SbActivationLetter *letter,
                                                      GError                  **error);
GBytes                  *sb_consent_form_render    (const SbConsentForm      *form,
                                                    GError                  **error);
GBytes                  *sb_receipt_render         (const SbReceipt          *receipt,
                                                    GError                  **error);
char                    *sb_status_url             (const char *platform_url,
                                                    const char *submission_id);
char                    *sb_activation_url         (const char *platform_url,
                                                    const char *code);

G_END_DECLS
