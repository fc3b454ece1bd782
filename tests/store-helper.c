/* store-helper.c — a separate process for the store tests to kill
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   store-helper saves DIR COUNT      save COUNT edits, print "ID VERSION" after each
 *   store-helper migrate-kill DIR     die (SIGKILL) inside the migration to version 2
 *   store-helper open DIR             print the error of opening DIR, if any
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "sb-store-private.h"

static void
kill_self (guint version)
{
  if (version == 2)
    raise (SIGKILL);
}

static int
run_saves (const char *directory,
           guint       count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbStore) store = sb_store_open (directory, NULL, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  sb_store_set_staff (store, "crash-test");

  /* Killing it while it talks to the keyring is not what is tested. */
  printf ("opened\n");
  fflush (stdout);

  for (guint i = 0; i < count; i++)
    {
      g_autoptr(SbCitizen) citizen = sb_citizen_new ();
      g_autofree char *name = g_strdup_printf ("Edit%u", i);
      g_autofree char *id = NULL;

      /* Every third save changes an earlier citizen: updates must survive too. */
      if (i % 3 == 2 && ids->len > 0)
        id = g_strdup (g_ptr_array_index (ids, g_random_int_range (0, (int)ids->len)));
      else
        {
          id = g_uuid_string_random ();
          g_ptr_array_add (ids, g_strdup (id));
        }

      sb_citizen_set_id (citizen, id);
      sb_citizen_set_family_name (citizen, "Crashtest");
      sb_citizen_set_given_names (citizen, name);
      sb_citizen_set_birth_date (citizen, "1990-05-17");

      if (!sb_store_save_citizen (store, citizen, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      /* Reported only after the save returned: the parent holds us to it. */
      printf ("%s %s\n", id, name);
      fflush (stdout);
    }

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  if (argc == 4 && g_str_equal (argv[1], "saves"))
    return run_saves (argv[2], (guint)atoi (argv[3]));

  if (argc == 3 && g_str_equal (argv[1], "migrate-kill"))
    {
      g_autoptr(SbStore) old = sb_store_open_full (argv[2], 1, NULL, &error);
      g_autoptr(SbStore) store = NULL;

      if (old == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_clear_object (&old);

      sb_store_set_migration_hook (kill_self);
      store = sb_store_open (argv[2], NULL, &error);
      g_printerr ("the migration was not interrupted\n");
      return 1;
    }

  if (argc == 3 && g_str_equal (argv[1], "open"))
    {
      g_autoptr(SbStore) store = sb_store_open (argv[2], NULL, &error);

      if (store != NULL)
        {
          printf ("opened\n");
          return 0;
        }
      printf ("%s %d %s\n", g_quark_to_string (error->domain), error->code, error->message);
      return 1;
    }

  g_printerr ("usage: store-helper saves DIR COUNT | migrate-kill DIR | open DIR\n");
  return 2;
}
