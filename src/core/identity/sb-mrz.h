/* sb-mrz.h — machine-readable zones of travel documents (ICAO Doc 9303)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SB_MRZ_ERROR (sb_mrz_error_quark ())

typedef enum
{
  SB_MRZ_ERROR_NOT_FOUND,     /* no lines that look like a machine-readable zone */
  SB_MRZ_ERROR_MALFORMED,     /* MRZ-like lines of the wrong length or alphabet */
} SbMrzError;

typedef enum
{
  SB_MRZ_FORMAT_TD1,          /* 3 × 30: ID cards, residence permits */
  SB_MRZ_FORMAT_TD2,          /* 2 × 36 */
  SB_MRZ_FORMAT_TD3,          /* 2 × 44: passports */
} SbMrzFormat;

typedef enum
{
  SB_MRZ_CHECK_DOCUMENT_NUMBER,
  SB_MRZ_CHECK_BIRTH_DATE,
  SB_MRZ_CHECK_EXPIRY_DATE,
  SB_MRZ_CHECK_OPTIONAL_DATA,  /* TD3's personal number only */
  SB_MRZ_CHECK_COMPOSITE,
  SB_MRZ_N_CHECKS
} SbMrzCheckField;

typedef struct
{
  gboolean present;
  char     printed;            /* the check digit as printed ('<' allowed where ICAO allows it) */
  char     computed;
  gboolean valid;
} SbMrzCheck;

typedef struct
{
  SbMrzFormat format;
  char       *lines[3];        /* as read, after repairs; lines[2] only for TD1 */
  char       *document_code;   /* "P", "ID", "AR", "I"… fillers removed */
  char       *issuing_state;   /* as printed: "UTO", "D" */
  char       *family_name;     /* primary identifier, fillers as spaces */
  char       *given_names;     /* secondary identifier */
  gboolean    name_truncated;  /* the name field is full: the name may go on */
  char       *document_number; /* fillers removed, long numbers joined */
  char       *nationality;
  char       *birth_date;      /* ISO 8601, partial when the MRZ says unknown: "1974", "1974-08" */
  char        sex;             /* 'F', 'M' or 'X' (unspecified) */
  char       *expiry_date;     /* ISO 8601 */
  char       *optional_data;   /* line 1's (TD1) or the personal number (TD3) */
  char       *optional_data_2; /* TD1 line 2, TD2 */
  SbMrzCheck  checks[SB_MRZ_N_CHECKS];
  guint       n_repairs;       /* characters changed to fit the field's alphabet or its check digit */
} SbMrz;

GQuark      sb_mrz_error_quark    (void);
int         sb_mrz_check_digit    (const char  *text,
                                   gssize       length);
SbMrz      *sb_mrz_parse          (const char  *text,
                                   GError     **error);
SbMrz      *sb_mrz_parse_ocr      (const char  *text,
                                   GError     **error);
gboolean    sb_mrz_is_valid       (const SbMrz *mrz);
const char *sb_mrz_check_name     (SbMrzCheckField field);
const char *sb_mrz_format_name    (SbMrzFormat  format);
char       *sb_mrz_country_to_alpha3 (const char *code);
JsonNode   *sb_mrz_to_json        (const SbMrz *mrz);
void        sb_mrz_free           (SbMrz       *mrz);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbMrz, sb_mrz_free)

G_END_DECLS
