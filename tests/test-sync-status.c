/* test-sync-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "sb-core-enums.h"
#include "sb-sync-status.h"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_sync_status_defaults (void)
{
  g_autoptr(SbSyncStatus) status = sb_sync_status_new ();
  g_autofree char *label = sb_sync_status_dup_label (status);
  g_autofree char *description = sb_sync_status_dup_description (status);

  g_assert_cmpint (sb_sync_status_get_state (status), ==, SB_SYNC_STATE_SIGNED_OUT);
  g_assert_cmpuint (sb_sync_status_get_pending (status), ==, 0);
  g_assert_null (sb_sync_status_get_last_sync (status));
  g_assert_cmpstr (label, ==, "Not Signed In");
  g_assert_true (g_str_has_prefix (description, "This desk is not signed in"));
  g_assert_null (strstr (description, "Last successful sync"));
}

static void
test_sync_status_pending_label (void)
{
  g_autoptr(SbSyncStatus) status = sb_sync_status_new ();
  g_autofree char *one = NULL;
  g_autofree char *three = NULL;
  g_autofree char *done = NULL;
  g_autofree char *description = NULL;

  sb_sync_status_set_state (status, SB_SYNC_STATE_OFFLINE);
  sb_sync_status_set_pending (status, 1);
  one = sb_sync_status_dup_label (status);
  g_assert_cmpstr (one, ==, "Offline · 1 waiting");

  sb_sync_status_set_pending (status, 3);
  three = sb_sync_status_dup_label (status);
  g_assert_cmpstr (three, ==, "Offline · 3 waiting");

  description = sb_sync_status_dup_description (status);
  g_assert_nonnull (strstr (description, "The platform cannot be reached."));
  g_assert_nonnull (strstr (description, "3 items are waiting in the outbox."));

  /* Up to date never claims that something waits. */
  sb_sync_status_set_state (status, SB_SYNC_STATE_UP_TO_DATE);
  done = sb_sync_status_dup_label (status);
  g_assert_cmpstr (done, ==, "Up to Date");
}

static void
test_sync_status_last_sync (void)
{
  g_autoptr(SbSyncStatus) status = sb_sync_status_new ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) when = g_date_time_new (utc, 2026, 12, 4, 13, 32, 0);
  g_autoptr(GDateTime) same = g_date_time_new (utc, 2026, 12, 4, 13, 32, 0);
  g_autofree char *description = NULL;
  guint notifications = 0;

  g_signal_connect (status, "notify::last-sync", G_CALLBACK (count_notify), &notifications);

  sb_sync_status_set_state (status, SB_SYNC_STATE_UP_TO_DATE);
  sb_sync_status_set_last_sync (status, when);
  sb_sync_status_set_last_sync (status, same);
  g_assert_cmpuint (notifications, ==, 1);
  g_assert_true (g_date_time_equal (sb_sync_status_get_last_sync (status), when));

  description = sb_sync_status_dup_description (status);
  /* TZ=UTC in the test environment. */
  g_assert_nonnull (strstr (description, "Last successful sync: 4 December 2026, 13:32."));

  sb_sync_status_set_last_sync (status, NULL);
  g_assert_null (sb_sync_status_get_last_sync (status));
  g_assert_cmpuint (notifications, ==, 2);
}

static void
test_sync_status_notifies_derived (void)
{
  g_autoptr(SbSyncStatus) status = sb_sync_status_new ();
  guint labels = 0;
  guint descriptions = 0;

  g_signal_connect (status, "notify::label", G_CALLBACK (count_notify), &labels);
  g_signal_connect (status, "notify::description", G_CALLBACK (count_notify), &descriptions);

  sb_sync_status_set_state (status, SB_SYNC_STATE_SYNCING);
  sb_sync_status_set_state (status, SB_SYNC_STATE_SYNCING);
  sb_sync_status_set_pending (status, 2);
  g_object_set (status, "state", SB_SYNC_STATE_NEEDS_ATTENTION, NULL);

  g_assert_cmpuint (labels, ==, 3);
  g_assert_cmpuint (descriptions, ==, 3);
}

static void
test_sync_status_every_state_has_words (void)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (sb_sync_state_get_type ());

  for (guint i = 0; i < states->n_values; i++)
    {
      g_autoptr(SbSyncStatus) status = sb_sync_status_new ();
      g_autofree char *label = NULL;
      g_autofree char *description = NULL;

      sb_sync_status_set_state (status, states->values[i].value);
      label = sb_sync_status_dup_label (status);
      description = sb_sync_status_dup_description (status);

      g_assert_cmpuint (strlen (label), >, 0);
      g_assert_cmpuint (strlen (description), >, strlen (label));
      g_assert_true (g_str_has_suffix (description, "."));
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-status/defaults", test_sync_status_defaults);
  g_test_add_func ("/sync-status/pending-label", test_sync_status_pending_label);
  g_test_add_func ("/sync-status/last-sync", test_sync_status_last_sync);
  g_test_add_func ("/sync-status/notifies-derived", test_sync_status_notifies_derived);
  g_test_add_func ("/sync-status/every-state-has-words", test_sync_status_every_state_has_words);

  return g_test_run ();
}
