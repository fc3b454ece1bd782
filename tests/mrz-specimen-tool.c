/* mrz-specimen-tool.c — writes a synthetic scan with a zone, for tests of
 * the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   mrz-specimen-tool OUT.png TD1|TD2|TD3 SEED DEGREES
 *       writes the scan and prints the zone's lines
 */

#include <stdio.h>
#include <stdlib.h>

#include "mrz-specimen.h"

int
main (int   argc,
      char *argv[])
{
  SbMrzFormat format;
  g_autoptr(MrzSpecimen) specimen = NULL;
  PIX *scan;

  if (argc != 5)
    {
      fprintf (stderr, "usage: mrz-specimen-tool OUT.png TD1|TD2|TD3 SEED DEGREES\n");
      return 2;
    }
  format = g_str_equal (argv[2], "TD1") ? SB_MRZ_FORMAT_TD1 : g_str_equal (argv[2], "TD2") ? SB_MRZ_FORMAT_TD2
                                                                                           : SB_MRZ_FORMAT_TD3;
  specimen = mrz_specimen_new (format, (guint32)atoi (argv[3]));
  scan = mrz_specimen_render (specimen, g_ascii_strtod (argv[4], NULL), 1, 4, 1);
  if (pixWrite (argv[1], scan, IFF_PNG) != 0)
    return 1;
  pixDestroy (&scan);
  printf ("%s\n", specimen->mrz);
  return 0;
}
