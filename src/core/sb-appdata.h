/* sb-appdata.h — what the AppStream metainfo says about the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SB_APPDATA_ERROR (sb_appdata_error_quark ())

typedef enum
{
  SB_APPDATA_ERROR_INVALID,
} SbAppdataError;

/* Filled from the metainfo in the user's language where a translation
 * exists. release_notes is AppStream description markup (p, ul, ol, li, em,
 * code), the format AdwAboutWindow:release-notes takes. */
typedef struct
{
  char *id;
  char *name;
  char *summary;
  char *developer_name;
  char *project_license;
  char *homepage;
  char *bugtracker;
  char *release_version;
  char *release_date;
  char *release_notes;
} SbAppdata;

#define SB_TYPE_APPDATA (sb_appdata_get_type ())

GQuark     sb_appdata_error_quark (void);
GType      sb_appdata_get_type    (void) G_GNUC_CONST;
SbAppdata *sb_appdata_parse       (GBytes             *xml,
                                   const char * const *languages,
                                   GError            **error);
SbAppdata *sb_appdata_copy        (const SbAppdata    *appdata);
void       sb_appdata_free        (SbAppdata          *appdata);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbAppdata, sb_appdata_free)

G_END_DECLS
