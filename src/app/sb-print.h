/* sb-print.h — printing a PDF the app made (letters, forms, receipts)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void sb_print_pdf (GtkWindow  *parent,
                   GBytes     *pdf,
                   const char *job_name);

G_END_DECLS
