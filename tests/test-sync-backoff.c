/* test-sync-backoff.c: when the sync engine tries again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <libsoup/soup.h>

#include "sb-sync-engine.h"

static void
test_backoff_full_jitter (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint attempts = 0; attempts < 20; attempts++)
    {
      gint64 ceiling = MIN ((gint64)2 << MIN (attempts, 20), 300);
      gint64 low = G_MAXINT64, high = 0;

      for (guint i = 0; i < 2000; i++)
        {
          gint64 wait = sb_sync_backoff_seconds (attempts, rand);

          low = MIN (low, wait);
          high = MAX (high, wait);
          g_assert_cmpint (wait, >=, 1);
          g_assert_cmpint (wait, <=, ceiling);
        }
      /* Spread over the whole range: desks do not come back in step. */
      g_assert_cmpint (low, <=, 2);
      g_assert_cmpint (high, >=, ceiling - ceiling / 10);
    }
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 4, 10, 0, 0);
  gint64 now_unix = g_date_time_to_unix (now);

  g_assert_cmpint (sb_sync_parse_retry_after ("120", now_unix), ==, 120);
  g_assert_cmpint (sb_sync_parse_retry_after ("0", now_unix), ==, 0);
  /* RFC 9110 §10.2.3: an HTTP-date */
  g_assert_cmpint (sb_sync_parse_retry_after ("Fri, 04 Dec 2026 10:02:30 GMT", now_unix), ==, 150);
  g_assert_cmpint (sb_sync_parse_retry_after ("Fri, 04 Dec 2026 09:00:00 GMT", now_unix), ==, 0);
  g_assert_cmpint (sb_sync_parse_retry_after ("soon", now_unix), ==, -1);
  g_assert_cmpint (sb_sync_parse_retry_after ("-5", now_unix), ==, -1);
  g_assert_cmpint (sb_sync_parse_retry_after (NULL, now_unix), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/backoff-full-jitter", test_backoff_full_jitter);
  g_test_add_func ("/sync/retry-after", test_retry_after);

  return g_test_run ();
}
