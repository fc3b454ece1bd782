/* sb-sync-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the sync engine at the right moments: when the app starts, when the
 * network comes back, when an item is due again, every minute for what
 * was captured meanwhile, and when someone asks. Keeps the header's
 * SbSyncStatus true. Sign-in, the keyring and the sync itself happen in
 * worker threads; this object lives on the main thread.
 *
 * Signals: "outbox-changed" after every round (the outbox page reloads);
 * "progress" (outbox id, fraction) while a document goes up;
 * "needs-attention" (guint) when a round left items for a person;
 * "sign-in-failed" (string) with what to tell the clerk.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sb-sync-engine.h"
#include "sb-sync-service.h"

#define IDLE_INTERVAL 60

struct _SbSyncService
{
  GObject          parent_instance;

  SbStore         *store;
  SbSyncEngine    *engine;
  SbSyncStatus    *status;
  char            *url;
  gboolean         demo;

  GCancellable    *cancellable;
  GNetworkMonitor *monitor;
  gulong           network_handler;
  guint            timer;
  gboolean         running;
  gboolean         again;        /* asked to sync while a round ran */
  gboolean         signed_in;
  char            *problem;
};

G_DEFINE_FINAL_TYPE (SbSyncService, sb_sync_service, G_TYPE_OBJECT)

enum
{
  SIGNAL_OUTBOX_CHANGED,
  SIGNAL_NEEDS_ATTENTION,
  SIGNAL_SIGN_IN_FAILED,
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule (SbSyncService *self, gint64 seconds);

static void
sb_sync_service_dispose (GObject *object)
{
  SbSyncService *self = SB_SYNC_SERVICE (object);

  sb_sync_service_stop (self);
  g_clear_object (&self->engine);
  g_clear_object (&self->store);
  g_clear_object (&self->status);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (sb_sync_service_parent_class)->dispose (object);
}

static void
sb_sync_service_class_init (SbSyncServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sb_sync_service_dispose;

  signals[SIGNAL_OUTBOX_CHANGED] = g_signal_new ("outbox-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_NEEDS_ATTENTION] = g_signal_new ("needs-attention", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_DOUBLE);
  signals[SIGNAL_SIGN_IN_FAILED] = g_signal_new ("sign-in-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sb_sync_service_init (SbSyncService *self)
{
  self->cancellable = g_cancellable_new ();
}

typedef struct
{
  SbSyncService *self;
  char          *outbox_id;
  double         fraction;
} Progress;

static gboolean
emit_progress (gpointer user_data)
{
  Progress *progress = user_data;

  g_signal_emit (progress->self, signals[SIGNAL_PROGRESS], 0, progress->outbox_id, progress->fraction);
  g_object_unref (progress->self);
  g_free (progress->outbox_id);
  g_free (progress);
  return G_SOURCE_REMOVE;
}

/* From the worker: to the main thread, where the outbox page listens. */
static void
on_engine_progress (const char *outbox_id,
                    gint64      sent,
                    gint64      total,
                    gpointer    user_data)
{
  Progress *progress = g_new0 (Progress, 1);

  progress->self = g_object_ref (user_data);
  progress->outbox_id = g_strdup (outbox_id);
  progress->fraction = total > 0 ? (double)sent / (double)total : 1.0;
  g_idle_add (emit_progress, progress);
}

SbSyncService *
sb_sync_service_new (SbStore      *store,
                     const char   *platform_url,
                     gboolean      demo,
                     SbSyncStatus *status)
{
  SbSyncService *self = g_object_new (SB_TYPE_SYNC_SERVICE, NULL);

  self->store = g_object_ref (store);
  self->status = g_object_ref (status);
  self->url = g_strdup (platform_url);
  self->demo = demo;
  self->engine = sb_sync_engine_new (store, platform_url);
  sb_sync_engine_set_progress_func (self->engine, on_engine_progress, self);
  return self;
}

gboolean
sb_sync_service_get_signed_in (SbSyncService *self)
{
  return self->signed_in;
}

/* The last thing that went wrong with the sign-in or the connection. */
const char *
sb_sync_service_get_problem (SbSyncService *self)
{
  return self->problem;
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SbSyncService *self = source_object;
  guint waiting, attention;

  sb_store_count_outbox (self->store, &waiting, &attention);
  g_task_return_int (task, waiting + attention);
}

static void
on_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gssize pending = g_task_propagate_int (G_TASK (result), NULL);

  if (pending >= 0 && !g_cancellable_is_cancelled (SB_SYNC_SERVICE (source)->cancellable))
    sb_sync_status_set_pending (SB_SYNC_SERVICE (source)->status, (guint)pending);
}

/* The header's count, read in a thread: the store may be busy with a commit. */
static void
update_pending (SbSyncService *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_counted, NULL);

  g_task_run_in_thread (task, count_thread);
}

static void
on_drained (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SbSyncService) self = user_data;
  g_autoptr(GError) error = NULL;
  SbSyncReport report = { 0 };
  guint attention = 0;
  gboolean failed = FALSE;

  self->running = FALSE;
  if (!sb_sync_engine_drain_finish (SB_SYNC_ENGINE (source), result, &report, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Sync stopped: %s", error->message);
      g_free (self->problem);
      self->problem = g_strdup (error->message);
      report.next_attempt_in = IDLE_INTERVAL;
      failed = TRUE;
    }

  attention = report.needs_attention;
  sb_sync_status_set_pending (self->status, report.waiting + report.needs_attention);
  if (report.signed_out)
    {
      self->signed_in = FALSE;
      sb_sync_status_set_state (self->status, SB_SYNC_STATE_SIGNED_OUT);
    }
  else if (report.unreachable)
    sb_sync_status_set_state (self->status, SB_SYNC_STATE_OFFLINE);
  else if (failed)
    /* The store itself failed: not up to date, and worth a look. */
    sb_sync_status_set_state (self->status, SB_SYNC_STATE_NEEDS_ATTENTION);
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      sb_sync_status_set_last_sync (self->status, now);
      sb_sync_status_set_state (self->status, attention > 0 ? SB_SYNC_STATE_NEEDS_ATTENTION : SB_SYNC_STATE_UP_TO_DATE);
    }

  g_signal_emit (self, signals[SIGNAL_OUTBOX_CHANGED], 0);
  if (report.quarantined > 0)
    g_signal_emit (self, signals[SIGNAL_NEEDS_ATTENTION], 0, attention);

  if (report.signed_out)
    {
      /* The platform no longer takes this desk's sign-in: ask for one. */
      g_signal_emit (self, signals[SIGNAL_SIGN_IN_FAILED], 0,
                     _("Sign in again to send: the platform no longer accepts this desk's sign-in. "
                       "Everything captured stays here meanwhile."));
      return;
    }
  if (self->again)
    {
      self->again = FALSE;
      schedule (self, 0);
    }
  else
    schedule (self, report.next_attempt_in >= 0 ? CLAMP (report.next_attempt_in, 1, IDLE_INTERVAL) : IDLE_INTERVAL);
}

static gboolean
on_timer (gpointer user_data)
{
  SbSyncService *self = user_data;

  self->timer = 0;
  sb_sync_service_sync_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (SbSyncService *self,
          gint64         seconds)
{
  g_clear_handle_id (&self->timer, g_source_remove);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (seconds <= 0)
    self->timer = g_idle_add (on_timer, self);
  else
    self->timer = g_timeout_add_seconds ((guint)seconds, on_timer, self);
}

/**
 * sb_sync_service_sync_now:
 *
 * Sends what waits, now ("Sync now", and every trigger). A round already
 * running is followed by another.
 */
void
sb_sync_service_sync_now (SbSyncService *self)
{
  g_return_if_fail (SB_IS_SYNC_SERVICE (self));

  if (!self->signed_in)
    {
      update_pending (self);
      sb_sync_status_set_state (self->status, SB_SYNC_STATE_SIGNED_OUT);
      return;
    }
  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  g_clear_handle_id (&self->timer, g_source_remove);
  self->running = TRUE;
  /* The count is as the last round or start left it; the round brings the new one. */
  if (sb_sync_status_get_pending (self->status) > 0 ||
      sb_sync_status_get_state (self->status) == SB_SYNC_STATE_SIGNED_OUT)
    sb_sync_status_set_state (self->status, SB_SYNC_STATE_SYNCING);
  sb_sync_engine_drain_async (self->engine, self->cancellable, on_drained, g_object_ref (self));
}

/**
 * sb_sync_service_retry_now:
 *
 * "Sync now" as the clerk means it: sends what waits now, also what waits
 * out a backoff after the network or the platform failed.
 */
void
sb_sync_service_retry_now (SbSyncService *self)
{
  g_return_if_fail (SB_IS_SYNC_SERVICE (self));

  sb_sync_engine_retry_waiting (self->engine);
  sb_sync_service_sync_now (self);
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    SbSyncService   *self)
{
  if (available)
    sb_sync_service_retry_now (self);
  else if (!self->running && self->signed_in)
    sb_sync_status_set_state (self->status, SB_SYNC_STATE_OFFLINE);
}

static void
signed_in (SbSyncService *self,
           SbTokens      *tokens)
{
  sb_sync_engine_set_tokens (self->engine, tokens->access_token, tokens->refresh_token, TRUE);
  self->signed_in = TRUE;
  g_clear_pointer (&self->problem, g_free);
  sb_sync_service_sync_now (self);
}

static void
sign_in_failed (SbSyncService *self,
                const char    *message)
{
  g_free (self->problem);
  self->problem = g_strdup (message);
  self->signed_in = FALSE;
  update_pending (self);
  sb_sync_status_set_state (self->status, SB_SYNC_STATE_SIGNED_OUT);
  g_signal_emit (self, signals[SIGNAL_SIGN_IN_FAILED], 0, message);
}

/* At start: the sign-in kept in the Secret Service; on the demo platform,
 * its staff member signed in by itself. */
static void
load_tokens_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  SbSyncService *self = source_object;
  GError *error = NULL;
  SbTokens *tokens = sb_tokens_load_sync (self->url, cancellable, &error);

  if (tokens == NULL && error == NULL && self->demo)
    {
      tokens = sb_sign_in_demo_sync (self->url, cancellable, &error);
      if (tokens != NULL)
        sb_tokens_save_sync (self->url, tokens, cancellable, NULL);
    }
  if (tokens != NULL)
    g_task_return_pointer (task, tokens, (GDestroyNotify)sb_tokens_free);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, NULL, NULL);
}

static void
on_tokens_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SbSyncService *self = SB_SYNC_SERVICE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbTokens) tokens = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (tokens != NULL)
    signed_in (self, tokens);
  else if (error != NULL)
    sign_in_failed (self, error->message);
  else
    {
      update_pending (self);
      sb_sync_status_set_state (self->status, SB_SYNC_STATE_SIGNED_OUT);
    }
}

void
sb_sync_service_start (SbSyncService *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SB_IS_SYNC_SERVICE (self));

  self->monitor = g_network_monitor_get_default ();
  self->network_handler = g_signal_connect (self->monitor, "network-changed", G_CALLBACK (on_network_changed), self);
  update_pending (self);

  task = g_task_new (self, self->cancellable, on_tokens_loaded, NULL);
  g_task_run_in_thread (task, load_tokens_thread);
}

static void
save_tokens_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  SbSyncService *self = source_object;
  GError *error = NULL;

  if (sb_tokens_save_sync (self->url, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_tokens_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SbSyncService *self = SB_SYNC_SERVICE (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sign_in_failed (self, _("The sign-in could not be kept in the keyring. Unlock the keyring and sign in again."));
      return;
    }
  signed_in (self, g_task_get_task_data (G_TASK (result)));
}

static void
on_browser_signed_in (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(SbSyncService) self = user_data;
  g_autoptr(GError) error = NULL;
  SbTokens *tokens = sb_sign_in_finish (result, &error);
  g_autoptr(GTask) task = NULL;

  if (tokens == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !g_cancellable_is_cancelled (self->cancellable))
        sign_in_failed (self, error->message);
      return;
    }
  task = g_task_new (self, self->cancellable, on_tokens_saved, NULL);
  g_task_set_task_data (task, tokens, (GDestroyNotify)sb_tokens_free);
  g_task_run_in_thread (task, save_tokens_thread);
}

/**
 * sb_sync_service_sign_in:
 *
 * Signs a staff member in through the system browser, then sends what
 * waits. On the demo platform no browser is needed.
 */
void
sb_sync_service_sign_in (SbSyncService *self,
                         SbOpenUriFunc  open_uri,
                         gpointer       open_uri_data)
{
  g_return_if_fail (SB_IS_SYNC_SERVICE (self));

  if (self->demo)
    {
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_tokens_loaded, NULL);

      g_task_run_in_thread (task, load_tokens_thread);
      return;
    }
  sb_sign_in_async (self->url, open_uri, open_uri_data, self->cancellable, on_browser_signed_in, g_object_ref (self));
}

static void
clear_tokens_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SbSyncService *self = source_object;

  sb_tokens_clear_sync (self->url, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

/* Sign-out: the tokens leave the keyring; what waits stays and waits. */
void
sb_sync_service_sign_out (SbSyncService *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SB_IS_SYNC_SERVICE (self));

  self->signed_in = FALSE;
  g_clear_handle_id (&self->timer, g_source_remove);
  sb_sync_engine_set_tokens (self->engine, NULL, NULL, FALSE);
  sb_sync_status_set_state (self->status, SB_SYNC_STATE_SIGNED_OUT);
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_run_in_thread (task, clear_tokens_thread);
}

void
sb_sync_service_stop (SbSyncService *self)
{
  g_return_if_fail (SB_IS_SYNC_SERVICE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->network_handler, self->monitor);
}

const char *
sb_sync_service_get_url (SbSyncService *self)
{
  g_return_val_if_fail (SB_IS_SYNC_SERVICE (self), NULL);

  return self->url;
}

static void
find_accounts_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  SbSyncService *self = source_object;
  GError *error = NULL;
  JsonArray *accounts = sb_sync_engine_find_accounts_sync (self->engine, task_data, cancellable, &error);

  if (accounts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, accounts, (GDestroyNotify)json_array_unref);
}

/**
 * sb_sync_service_find_accounts_async:
 * @query: the query string of GET /v1/accounts ("name=…&birthDate=…")
 *
 * Asks the platform for accounts in a worker thread.
 */
void
sb_sync_service_find_accounts_async (SbSyncService       *self,
                                     const char          *query,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (SB_IS_SYNC_SERVICE (self));

  g_task_set_source_tag (task, sb_sync_service_find_accounts_async);
  g_task_set_task_data (task, g_strdup (query), g_free);
  g_task_run_in_thread (task, find_accounts_thread);
}

/**
 * sb_sync_service_find_accounts_finish:
 *
 * Returns: (transfer full): the accounts found, or %NULL with @error set
 */
JsonArray *
sb_sync_service_find_accounts_finish (SbSyncService  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
renew_activation_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  SbSyncService *self = source_object;
  SbAccount *account = task_data;
  const char *on_platform = sb_account_get_platform_id (account) ?: sb_account_get_id (account);
  g_autofree char *code = NULL;
  g_autofree char *expires = NULL;
  GError *error = NULL;

  if (!sb_sync_engine_renew_activation_sync (self->engine, on_platform, &code, &expires, cancellable, &error) ||
      !sb_store_account_set_activation (self->store, sb_account_get_id (account), code, expires, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * sb_sync_service_renew_activation_async:
 *
 * Asks the platform for a new activation code for @account (the old one
 * stops working) and keeps it for the letter, in a worker thread.
 */
void
sb_sync_service_renew_activation_async (SbSyncService       *self,
                                        SbAccount           *account,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (SB_IS_SYNC_SERVICE (self));
  g_return_if_fail (SB_IS_ACCOUNT (account));

  g_task_set_source_tag (task, sb_sync_service_renew_activation_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);
  g_task_run_in_thread (task, renew_activation_thread);
}

gboolean
sb_sync_service_renew_activation_finish (SbSyncService  *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
