/* sb-scan-job.h — one scan, from pressing the button to the last page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sb-page-ops.h"

G_BEGIN_DECLS

#define SB_SCAN_ERROR (sb_scan_error_quark ())

typedef enum
{
  SB_SCAN_ERROR_JAMMED,
  SB_SCAN_ERROR_COVER_OPEN,
  SB_SCAN_ERROR_FEEDER_EMPTY,
  SB_SCAN_ERROR_BUSY,
  SB_SCAN_ERROR_IO,
  SB_SCAN_ERROR_NO_DEVICE,
  SB_SCAN_ERROR_ACCESS_DENIED,
  SB_SCAN_ERROR_UNSUPPORTED,
  SB_SCAN_ERROR_HELPER_FAILED,
} SbScanError;

typedef enum
{
  SB_SCAN_SOURCE_FLATBED, /*< nick=flatbed >*/
  SB_SCAN_SOURCE_FEEDER,  /*< nick=feeder >*/
  SB_SCAN_SOURCE_DUPLEX,  /*< nick=duplex >*/
} SbScanSource;

typedef enum
{
  SB_SCAN_MODE_COLOR, /*< nick=color >*/
  SB_SCAN_MODE_GRAY,  /*< nick=gray >*/
  SB_SCAN_MODE_BW,    /*< nick=bw >*/
} SbScanMode;

typedef enum
{
  SB_PAGE_SIZE_A4,   /*< nick=a4 >*/
  SB_PAGE_SIZE_A5,   /*< nick=a5 >*/
  SB_PAGE_SIZE_ID1,  /*< nick=id1 >*/
  SB_PAGE_SIZE_AUTO, /*< nick=auto >*/
} SbPageSize;

typedef struct
{
  char         *device;
  SbScanSource  source;
  SbScanMode    mode;
  guint         resolution;
  SbPageSize    page_size;
} SbScanSettings;

#define SB_TYPE_SCAN_JOB (sb_scan_job_get_type ())

G_DECLARE_FINAL_TYPE (SbScanJob, sb_scan_job, SB, SCAN_JOB, GObject)

GQuark      sb_scan_error_quark       (void);
char       *sb_scan_helper_path       (void);

SbScanJob  *sb_scan_job_new           (const SbScanSettings *settings);
const SbScanSettings *sb_scan_job_get_settings (SbScanJob *self);
GPid        sb_scan_job_get_helper_pid (SbScanJob *self);
void        sb_scan_job_run_async     (SbScanJob            *self,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
guint       sb_scan_job_run_finish    (SbScanJob            *self,
                                       GAsyncResult         *result,
                                       GError              **error);
guint       sb_scan_job_get_n_pages   (SbScanJob            *self);

typedef struct
{
  char *name;
  char *vendor;
  char *model;
  char *type;
} SbScannerInfo;

void        sb_scanner_info_free      (SbScannerInfo *info);
void        sb_scan_list_devices_async  (GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray  *sb_scan_list_devices_finish (GAsyncResult        *result,
                                         GError             **error);
GPtrArray  *sb_scan_load_device_cache   (void);
char       *sb_scanner_info_get_label   (const SbScannerInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbScannerInfo, sb_scanner_info_free)

G_END_DECLS
