/* sb-outbox-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every item that has not reached the platform, oldest first: what it is,
 * its state in words, what went wrong, and for an item the platform
 * refused the platform's reason and "Send Again". Read from the store in
 * a thread; reloaded after every sync round.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include <json-glib/json-glib.h>

#include "sb-model.h"
#include "sb-outbox-page.h"

struct _SbOutboxPage
{
  GtkWidget     parent_instance;

  GtkStack     *stack;
  GtkListBox   *list;
  GtkLabel     *summary;
  GtkWidget    *sent_heading;
  GtkListBox   *sent_list;

  SbStore      *store;
  GCancellable *cancellable;
  guint         n_items;
  char         *shown;      /* what the rows show, to leave them be when nothing changed */
  GHashTable   *rows;       /* outbox id → row, for progress */
};

G_DEFINE_FINAL_TYPE (SbOutboxPage, sb_outbox_page, GTK_TYPE_WIDGET)

static const char *
kind_in_words (const char *kind)
{
  if (g_str_equal (kind, "account.create"))
    return _("Online account");
  if (g_str_equal (kind, "submission.submit"))
    return _("Application");
  if (g_str_equal (kind, "message.send"))
    return _("Answer to the authority");
  return kind;
}

static char *
state_in_words (SbOutboxItem *item)
{
  guint attempts = sb_outbox_item_get_attempts (item);

  switch (sb_outbox_item_get_state (item))
    {
    case SB_OUTBOX_STATE_SENDING:
      return g_strdup (_("Being sent"));
    case SB_OUTBOX_STATE_NEEDS_ATTENTION:
      return g_strdup (_("Needs attention"));
    case SB_OUTBOX_STATE_DELIVERED:
      return g_strdup (_("Delivered"));
    case SB_OUTBOX_STATE_DISCARDED:
      return g_strdup (_("Discarded"));
    case SB_OUTBOX_STATE_WAITING:
    default:
      if (attempts == 0)
        return g_strdup (_("Waiting"));
      return g_strdup_printf (ngettext ("Waiting, tried %u time", "Waiting, tried %u times", attempts), attempts);
    }
}

typedef enum
{
  ACTION_RETRY,
  ACTION_DISCARD,
  ACTION_LINK,
  ACTION_NOT_DUPLICATE,
} OutboxAction;

typedef struct
{
  OutboxAction  action;
  char         *outbox_id;
  char         *argument;   /* the account to link, the candidates' ids */
} ActionData;

static void
action_data_free (ActionData *data)
{
  g_free (data->outbox_id);
  g_free (data->argument);
  g_free (data);
}

static void
on_retried (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SbOutboxPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                  _("This Could Not Be Done"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "app.sync-now", NULL);
  sb_outbox_page_reload (self);
}

static void
action_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SbOutboxPage *self = source_object;
  ActionData *data = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (data->action)
    {
    case ACTION_RETRY:
      ok = sb_store_outbox_retry (self->store, data->outbox_id, &error);
      break;
    case ACTION_DISCARD:
      ok = sb_store_outbox_discard (self->store, data->outbox_id, &error);
      break;
    case ACTION_LINK:
      ok = sb_store_account_link (self->store, data->outbox_id, data->argument, &error);
      break;
    case ACTION_NOT_DUPLICATE:
    default:
      ok = sb_store_account_not_duplicate (self->store, data->outbox_id, data->argument, &error);
      break;
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
run_action (SbOutboxPage *self,
            OutboxAction  action,
            const char   *outbox_id,
            const char   *argument)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_retried, g_object_ref (self));
  ActionData *data = g_new0 (ActionData, 1);

  data->action = action;
  data->outbox_id = g_strdup (outbox_id);
  data->argument = g_strdup (argument);
  g_task_set_task_data (task, data, (GDestroyNotify)action_data_free);
  g_task_run_in_thread (task, action_thread);
}

static void
on_discard_response (AdwMessageDialog *dialog,
                     const char       *response,
                     SbOutboxPage     *self)
{
  if (g_str_equal (response, "discard"))
    run_action (self, ACTION_DISCARD, g_object_get_data (G_OBJECT (dialog), "outbox-id"), NULL);
}

static void
on_discard (GtkButton    *button,
            SbOutboxPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              _("Discard This Item?"),
                                              _("It will not be sent to the platform. The audit log keeps that you "
                                                "discarded it."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "discard", _("_Discard"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "outbox-id",
                          g_strdup (g_object_get_data (G_OBJECT (button), "outbox-id")), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_candidates_response (AdwMessageDialog *dialog,
                        const char       *response,
                        SbOutboxPage     *self)
{
  const char *outbox_id = g_object_get_data (G_OBJECT (dialog), "outbox-id");

  if (g_str_has_prefix (response, "link:"))
    run_action (self, ACTION_LINK, outbox_id, response + strlen ("link:"));
  else if (g_str_equal (response, "another"))
    run_action (self, ACTION_NOT_DUPLICATE, outbox_id, g_object_get_data (G_OBJECT (dialog), "candidate-ids"));
}

/* "Is this the same person?": link one of the platform's accounts, or
 * send it as another person. */
static void
on_check_candidates (GtkButton    *button,
                     SbOutboxPage *self)
{
  JsonArray *candidates = g_object_get_data (G_OBJECT (button), "candidates");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              _("Is This the Same Person?"),
                                              _("The platform may have an online account for this citizen already. "
                                                "Ask the citizen, and compare name and date of birth with their "
                                                "document."));
  g_autoptr(JsonArray) ids = json_array_new ();
  g_autoptr(JsonNode) ids_node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < json_array_get_length (candidates); i++)
    {
      JsonObject *candidate = json_array_get_object_element (candidates, i);
      const char *id = json_object_get_string_member_with_default (candidate, "id", "");
      g_autofree char *response = g_strconcat ("link:", id, NULL);
      g_autofree char *label = g_strdup_printf (_("It Is %s %s, Born %s"),
                                                json_object_get_string_member_with_default (candidate, "givenNames", ""),
                                                json_object_get_string_member_with_default (candidate, "familyName", ""),
                                                json_object_get_string_member_with_default (candidate, "birthDate", ""));

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), response, label);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response, ADW_RESPONSE_SUGGESTED);
      json_array_add_string_element (ids, id);
    }
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "another", _("_Another Person"),
                                    "cancel", _("_Cancel"), NULL);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  json_node_set_array (ids_node, ids);
  g_object_set_data_full (G_OBJECT (dialog), "candidate-ids", json_to_string (ids_node, FALSE), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "outbox-id",
                          g_strdup (g_object_get_data (G_OBJECT (button), "outbox-id")), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_candidates_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_send_again (GtkButton    *button,
               SbOutboxPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  run_action (self, ACTION_RETRY, g_object_get_data (G_OBJECT (button), "outbox-id"), NULL);
}

static GtkWidget *
suffix_button (const char *mnemonic,
               const char *tooltip,
               const char *outbox_id)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (mnemonic);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  g_object_set_data_full (G_OBJECT (button), "outbox-id", g_strdup (outbox_id), g_free);
  return button;
}

static GtkWidget *
make_row (SbOutboxPage *self,
          SbOutboxItem *item,
          const char   *problem)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *state = state_in_words (item);
  g_autofree char *title = g_strdup_printf ("%s · %.8s", kind_in_words (sb_outbox_item_get_kind (item)),
                                            sb_outbox_item_get_entity_id (item));
  const char *last_error = sb_outbox_item_get_last_error (item);
  g_autofree char *subtitle = last_error != NULL ? g_strdup_printf ("%s — %s", state, last_error) : g_strdup (state);
  g_autofree char *escaped = g_markup_escape_text (subtitle, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  if (sb_outbox_item_get_state (item) == SB_OUTBOX_STATE_NEEDS_ATTENTION)
    {
      const char *id = sb_outbox_item_get_id (item);
      g_autoptr(JsonNode) json = problem != NULL ? json_from_string (problem, NULL) : NULL;
      JsonObject *object = json != NULL && JSON_NODE_HOLDS_OBJECT (json) ? json_node_get_object (json) : NULL;
      GtkWidget *button;

      if (object != NULL && json_object_has_member (object, "candidates"))
        {
          button = suffix_button (_("_Check…"), _("See the accounts the platform has for this person and decide"), id);
          g_object_set_data_full (G_OBJECT (button), "candidates",
                                  json_array_ref (json_object_get_array_member (object, "candidates")),
                                  (GDestroyNotify)json_array_unref);
          g_signal_connect (button, "clicked", G_CALLBACK (on_check_candidates), self);
        }
      else
        {
          button = suffix_button (_("Send _Again"),
                                  _("Send this again at once, after you corrected what the platform refused"), id);
          g_signal_connect (button, "clicked", G_CALLBACK (on_send_again), self);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      button = suffix_button (_("_Discard…"), _("Do not send this; the audit log keeps that you discarded it"), id);
      gtk_widget_add_css_class (button, "flat");
      g_signal_connect (button, "clicked", G_CALLBACK (on_discard), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_widget_add_css_class (row, "error");
    }
  return row;
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SbOutboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) items = g_task_propagate_pointer (G_TASK (result), &error);
  GHashTable *problems = items != NULL ? g_object_get_data (G_OBJECT (items), "problems") : NULL;
  GtkWidget *child;
  guint attention = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Rebuilt only when something changed: a sync round every minute must
   * not take the focus or a button away from under the clerk. */
  {
    GString *shown = g_string_new (NULL);

    for (guint i = 0; items != NULL && i < g_list_model_get_n_items (items); i++)
      {
        g_autoptr(SbOutboxItem) item = g_list_model_get_item (items, i);

        g_string_append_printf (shown, "%s/%d/%u/%s\n", sb_outbox_item_get_id (item), sb_outbox_item_get_state (item),
                                sb_outbox_item_get_attempts (item), sb_outbox_item_get_last_error (item) ?: "");
      }
    if (self->shown != NULL && g_str_equal (self->shown, shown->str))
      {
        g_string_free (shown, TRUE);
        return;
      }
    g_free (self->shown);
    self->shown = g_string_free (shown, FALSE);
  }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sent_list))) != NULL)
    gtk_list_box_remove (self->sent_list, child);
  g_hash_table_remove_all (self->rows);

  self->n_items = 0;
  {
    guint n = items != NULL ? g_list_model_get_n_items (items) : 0;
    guint sent = 0;

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(SbOutboxItem) item = g_list_model_get_item (items, i);
        const char *problem = problems != NULL ? g_hash_table_lookup (problems, sb_outbox_item_get_id (item)) : NULL;
        SbOutboxState state = sb_outbox_item_get_state (item);
        GtkWidget *row;

        if (state == SB_OUTBOX_STATE_DELIVERED || state == SB_OUTBOX_STATE_DISCARDED)
          continue;
        row = make_row (self, item, problem);
        self->n_items++;
        attention += state == SB_OUTBOX_STATE_NEEDS_ATTENTION;
        gtk_list_box_append (self->list, row);
        g_hash_table_insert (self->rows, g_strdup (sb_outbox_item_get_id (item)), row);
      }

    /* What went, newest first: the last 50. */
    for (guint i = n; i > 0 && sent < 50; i--)
      {
        g_autoptr(SbOutboxItem) item = g_list_model_get_item (items, i - 1);
        SbOutboxState state = sb_outbox_item_get_state (item);

        if (state != SB_OUTBOX_STATE_DELIVERED && state != SB_OUTBOX_STATE_DISCARDED)
          continue;
        gtk_list_box_append (self->sent_list, make_row (self, item, NULL));
        sent++;
      }
    gtk_widget_set_visible (self->sent_heading, sent > 0);
    gtk_widget_set_visible (GTK_WIDGET (self->sent_list), sent > 0);
    gtk_widget_set_visible (GTK_WIDGET (self->list), self->n_items > 0);
    if (self->n_items == 0 && sent > 0)
      gtk_label_set_label (self->summary, _("Nothing waits to be sent"));
    if (self->n_items == 0 && sent == 0)
      {
        gtk_stack_set_visible_child_name (self->stack, "empty");
        return;
      }
    gtk_stack_set_visible_child_name (self->stack, "items");
  }

  if (self->n_items > 0)
    {
      g_autofree char *waiting = g_strdup_printf (ngettext ("%u item waits to be sent", "%u items wait to be sent",
                                                            self->n_items), self->n_items);
      g_autofree char *text = attention == 0
        ? g_strdup (waiting)
        : g_strdup_printf (ngettext ("%s; %u needs your attention", "%s; %u need your attention", attention),
                           waiting, attention);

      gtk_label_set_label (self->summary, text);
      gtk_stack_set_visible_child_name (self->stack, "items");
    }
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SbOutboxPage *self = source_object;
  GError *error = NULL;
  GListModel *items = sb_store_list_outbox (self->store, TRUE, &error);

  if (items != NULL)
    {
      GHashTable *problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

      /* The platform's answer, for the items it refused. */
      for (guint i = 0; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(SbOutboxItem) item = g_list_model_get_item (items, i);

          if (sb_outbox_item_get_state (item) == SB_OUTBOX_STATE_NEEDS_ATTENTION)
            g_hash_table_insert (problems, g_strdup (sb_outbox_item_get_id (item)),
                                 sb_store_outbox_get_problem (self->store, sb_outbox_item_get_id (item)));
        }
      g_object_set_data_full (G_OBJECT (items), "problems", problems, (GDestroyNotify)g_hash_table_unref);
      g_task_return_pointer (task, items, g_object_unref);
    }
  else
    g_task_return_error (task, error);
}

void
sb_outbox_page_reload (SbOutboxPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SB_IS_OUTBOX_PAGE (self));

  if (self->store == NULL)
    return;
  task = g_task_new (self, self->cancellable, on_listed, g_object_ref (self));
  g_task_run_in_thread (task, list_thread);
}

void
sb_outbox_page_set_store (SbOutboxPage *self,
                          SbStore      *store)
{
  g_return_if_fail (SB_IS_OUTBOX_PAGE (self));

  if (g_set_object (&self->store, store))
    sb_outbox_page_reload (self);
}

/**
 * sb_outbox_page_show_progress:
 *
 * Shows how much of the item's document has gone up.
 */
void
sb_outbox_page_show_progress (SbOutboxPage *self,
                              const char   *outbox_id,
                              double        fraction)
{
  GtkWidget *row = g_hash_table_lookup (self->rows, outbox_id);
  GtkWidget *bar;
  g_autofree char *text = NULL;

  if (row == NULL)
    return;
  bar = g_object_get_data (G_OBJECT (row), "progress");
  if (bar == NULL)
    {
      bar = gtk_progress_bar_new ();
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_widget_set_size_request (bar, 120, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);
      g_object_set_data (G_OBJECT (row), "progress", bar);
    }
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), CLAMP (fraction, 0, 1));
  text = g_strdup_printf (_("Being sent — %d %%"), (int)(CLAMP (fraction, 0, 1) * 100));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

guint
sb_outbox_page_get_n_items (SbOutboxPage *self)
{
  return self->n_items;
}

static void
sb_outbox_page_dispose (GObject *object)
{
  SbOutboxPage *self = SB_OUTBOX_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_OUTBOX_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->shown, g_free);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (sb_outbox_page_parent_class)->dispose (object);
}

static void
sb_outbox_page_class_init (SbOutboxPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sb_outbox_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/sb-outbox-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbOutboxPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SbOutboxPage, list);
  gtk_widget_class_bind_template_child (widget_class, SbOutboxPage, summary);
  gtk_widget_class_bind_template_child (widget_class, SbOutboxPage, sent_heading);
  gtk_widget_class_bind_template_child (widget_class, SbOutboxPage, sent_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sb_outbox_page_init (SbOutboxPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
