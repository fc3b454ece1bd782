/* mrz-specimen.h — synthetic scans of documents with a machine-readable zone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

#include "sb-mrz.h"

typedef struct
{
  SbMrzFormat format;
  char       *mrz;             /* the zone's lines, "\n" between them */
  char       *family_name;
  char       *given_names;
  char       *document_number;
  char       *nationality;     /* alpha-3 */
  char       *birth_date;      /* ISO 8601 */
  char       *expiry_date;
  char        sex;
} MrzSpecimen;

MrzSpecimen *mrz_specimen_new    (SbMrzFormat        format,
                                  guint32            seed);
void         mrz_specimen_free   (MrzSpecimen       *specimen);
PIX         *mrz_specimen_render (const MrzSpecimen *specimen,
                                  double             degrees,
                                  int                blur,
                                  double             noise,
                                  guint32            seed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MrzSpecimen, mrz_specimen_free)
